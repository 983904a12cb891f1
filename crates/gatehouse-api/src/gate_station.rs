//! What the gate station's screen needs beside the verdict itself: live
//! counters of a zone, the holder's stored photo with its hash, and the
//! supervisor override of a denial.
//!
//! Counters come from the scan log alone: the per-quarter-hour tally and
//! occupancy the scan triggers keep beside it (see [`crate::scan_log`]). An override is a new,
//! immutable scan record (decision `admit`, reason `override`) written in the
//! same transaction as its audit entry, so the log and the audit chain cannot
//! disagree. The verdict reasons of the CLI contract are unchanged: `override`
//! only ever appears in the scan log.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::auth::{Caller, Permission};
use crate::error::{Error, Result};
use crate::event::{EventInfo, ZoneCode};
use crate::messages::Msg;
use crate::scan_log::{format_at, station_id, ScanOutcome};
use crate::serial::BadgeSerial;
use crate::store::Store;

/// The header and counters of a gate screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GateStatus {
    pub zone: ZoneCode,
    /// This station's id (UUID).
    pub station: String,
    /// The name the hub gave this station at pairing ("Porte Hall"), if any:
    /// what its header shows instead of the id.
    pub station_name: Option<String>,
    /// Scans in this zone admitted (or warned) since the start of the
    /// event-local day, all stations this station knows of.
    pub admitted: u32,
    pub denied: u32,
    /// Badges inside the zone now.
    pub inside: u32,
    /// Revoked badges this station knows of.
    pub revocations: u32,
    /// When the newest of those revocations was recorded (RFC 3339), if any.
    pub last_revocation_at: Option<String>,
    /// When these figures were read (RFC 3339).
    pub as_of: String,
    /// Whether this station syncs with a hub. If not, its own database is
    /// the whole truth and its revocation data is as fresh as it gets.
    pub paired: bool,
    /// When a paired station last completed a sync with its hub (RFC 3339):
    /// revocations made elsewhere after that are not known here.
    pub last_sync: Option<String>,
    /// Set when this station cannot know the time (its clock went back, or
    /// too far on, since it last read the hub's): the last time it knew
    /// for sure (RFC 3339). The gate decides nothing until it is resolved.
    pub time_unknown: Option<String>,
}

/// The holder's stored photo, for the gate to compare with the token's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HolderPhoto {
    pub serial: BadgeSerial,
    /// First 8 bytes of the stored photo's SHA-256, hex: what a token's
    /// `photo` claim holds.
    pub hash: String,
    /// `data:image/jpeg;base64,…`: shown as an image, works in both shells.
    pub data_url: String,
}

/// What a gate officer sees of a badge's holder: enough to tell the person
/// in front of them, nothing to reach them by or identify them elsewhere
/// (no contact details, no identity document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Holder {
    pub serial: BadgeSerial,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    pub category: crate::event::CategoryCode,
    pub status: crate::registry::attendee::Status,
    /// Fetch it with [`holder_photo`].
    pub has_photo: bool,
}

impl From<crate::registry::Attendee> for Holder {
    fn from(a: crate::registry::Attendee) -> Holder {
        Holder {
            serial: a.serial,
            given_names: a.given_names,
            family_name: a.family_name,
            organisation: a.organisation,
            category: a.category,
            status: a.status,
            has_photo: a.has_photo,
        }
    }
}

/// The holder of `serial`, as a gate may see them.
pub async fn holder(store: &Store, serial: &BadgeSerial) -> Result<Holder> {
    Ok(crate::registry::get(store.read(), serial).await?.into())
}

/// A supervisor lets a denied holder through.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OverrideRequest {
    /// The denied scan's id.
    pub scan_id: String,
    /// The supervisor's account id, as the station's list names it (an
    /// account that may override: a supervisor, or an admin where admins
    /// sign in).
    pub supervisor: String,
    /// That supervisor's own PIN.
    pub pin: String,
    pub reason: String,
}

/// The admitted scan an override wrote, and who authorised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OverrideOutcome {
    #[serde(flatten)]
    pub scan: ScanOutcome,
    /// The supervisor's name.
    pub supervisor: String,
}

/// Start of the event-local day containing `now`, as scan-log text.
fn day_start(event: &EventInfo, now: Timestamp) -> Result<String> {
    let tz = jiff::tz::TimeZone::get(&event.time_zone)
        .map_err(|_| Error::Internal(format!("unknown time zone {}", event.time_zone)))?;
    let start = now
        .to_zoned(tz)
        .start_of_day()
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format_at(start.timestamp()))
}

fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|e| Error::Internal(e.to_string()))
}

pub async fn status(
    store: &Store,
    event: &EventInfo,
    zone: &ZoneCode,
    now: Timestamp,
) -> Result<GateStatus> {
    if !event.zones.iter().any(|z| &z.code == zone) {
        return Err(Msg::NoZone {
            zone: zone.to_string(),
        }
        .into());
    }
    let since = day_start(event, now)?;
    let mut conn = store.read().acquire().await?;
    // Today's counts: at most 96 quarter-hour rows, whatever the size of
    // the log. A day that does not start on a quarter hour (no time zone in
    // use today) is counted from the log.
    let (quarter, on_quarter) = crate::scan_log::quarter(&since);
    let row = if on_quarter {
        sqlx::query(
            "SELECT COALESCE(SUM(admitted), 0), COALESCE(SUM(denied), 0)
             FROM scan_tally WHERE zone = ? AND quarter >= ?",
        )
        .bind(zone.as_str())
        .bind(&quarter)
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "SELECT COALESCE(SUM(decision != 'deny'), 0), COALESCE(SUM(decision = 'deny'), 0)
             FROM scan WHERE zone = ? AND at >= ?",
        )
        .bind(zone.as_str())
        .bind(&since)
        .fetch_one(&mut *conn)
        .await?
    };
    let (admitted, denied): (i64, i64) = (row.get(0), row.get(1));
    let inside = crate::scan_log::occupancy(&mut conn, zone).await?;
    let rev = sqlx::query("SELECT COUNT(*), MAX(revoked_at) FROM revocation")
        .fetch_one(&mut *conn)
        .await?;
    let link = sqlx::query("SELECT last_sync, name FROM sync_link WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    let station = match sqlx::query_scalar::<_, String>("SELECT uuid FROM station WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
    {
        Some(id) => id,
        None => {
            drop(conn);
            let mut tx = store.write().await?;
            let id = station_id(&mut tx).await?;
            tx.commit().await?;
            id
        }
    };
    Ok(GateStatus {
        zone: zone.clone(),
        station,
        admitted: count(admitted)?,
        denied: count(denied)?,
        inside,
        revocations: count(rev.get::<i64, _>(0))?,
        last_revocation_at: rev.get::<Option<String>, _>(1),
        as_of: format_at(now),
        paired: link.is_some(),
        station_name: link.as_ref().and_then(|r| r.get::<Option<String>, _>(1)),
        last_sync: link.and_then(|r| r.get::<Option<String>, _>(0)),
        time_unknown: None,
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard Base64 with padding (for a data URL; no crate needed for this).
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The holder's stored photo and its short hash, or `NotFound`.
pub async fn holder_photo(store: &Store, serial: &BadgeSerial) -> Result<HolderPhoto> {
    let jpeg = crate::registry::photo(store.read(), serial)
        .await?
        .ok_or_else(|| {
            Error::from(Msg::NoPhoto {
                serial: serial.to_string(),
            })
        })?;
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&jpeg);
    let hash = hex::encode(&digest[..8]);
    Ok(HolderPhoto {
        serial: serial.clone(),
        hash,
        data_url: format!("data:image/jpeg;base64,{}", base64(&jpeg)),
    })
}

/// The refusal of every supervisor PIN that may not override: a wrong one,
/// and a right one of an account that may not (`bad_input`, not
/// `unauthenticated`: the officer's own session goes on). One answer for
/// both, so a gate cannot tell staff PINs from wrong ones; the API counts
/// these for throttling.
pub fn wrong_supervisor_pin() -> Error {
    Msg::WrongSupervisorPin {}.into()
}

/// Whether `e` is [`wrong_supervisor_pin`].
pub fn is_wrong_supervisor_pin(e: &Error) -> bool {
    e.msg() == Some(&Msg::WrongSupervisorPin {})
}

/// A denied scan an override may let through, as [`denied_scan`] found it.
#[derive(Debug, Clone)]
pub struct DeniedScan {
    serial: BadgeSerial,
    version: Option<i64>,
    zone: ZoneCode,
    direction: crate::gate::Direction,
    denied_for: String,
}

/// The denied scan `req.scan_id` names, once the override has its reason;
/// checked before the supervisor's PIN, so these refusals say nothing of it.
pub async fn denied_scan(store: &Store, req: &OverrideRequest) -> Result<DeniedScan> {
    if req.reason.trim().is_empty() {
        return Err(Msg::OverrideReasonMissing {}.into());
    }
    let row = sqlx::query(
        "SELECT serial, version, zone, direction, decision, reason FROM scan WHERE id = ?",
    )
    .bind(&req.scan_id)
    .fetch_optional(store.read())
    .await?
    .ok_or_else(|| {
        Error::from(Msg::NoScan {
            id: req.scan_id.clone(),
        })
    })?;
    let serial: Option<String> = row.get(0);
    let decision: String = row.get(4);
    if decision != "deny" {
        return Err(Msg::ScanNotDenial {
            id: req.scan_id.clone(),
            decision,
        }
        .into());
    }
    let Some(serial) = serial else {
        return Err(Msg::OverrideUnreadable {}.into());
    };
    let denied_for: String = row.get(5);
    if denied_for == crate::gate::Reason::Revoked.as_str() {
        return Err(Msg::OverrideRevoked { serial }.into());
    }
    Ok(DeniedScan {
        serial: BadgeSerial::try_from(serial)?,
        version: row.get(1),
        zone: ZoneCode::try_from(row.get::<String, _>(2))?,
        direction: row.get::<String, _>(3).parse()?,
        denied_for,
    })
}

/// Why a badge was revoked, as the console gave it (`None` when this
/// station holds no revocation of it).
pub async fn revocation_reason(store: &Store, serial: &BadgeSerial) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT reason FROM revocation WHERE serial = ? ORDER BY id LIMIT 1")
            .bind(serial.as_str())
            .fetch_optional(store.read())
            .await?,
    )
}

/// A verdict with what the station knows beyond the decision: a revoked
/// badge's reason.
pub async fn explain(
    store: &Store,
    mut verdict: crate::gate::Verdict,
) -> Result<crate::gate::Verdict> {
    if verdict.reason == crate::gate::Reason::Revoked {
        if let Some(serial) = &verdict.serial {
            verdict.revoked_reason = revocation_reason(store, serial).await?;
        }
    }
    Ok(verdict)
}

/// The staff member `id`, if `pin` is theirs and they may override a
/// denial at a station paired as `station`; [`wrong_supervisor_pin`] for
/// any other account or PIN, right or wrong.
pub async fn supervisor(
    store: &Store,
    id: &str,
    pin: &str,
    station: Option<crate::staff::Role>,
) -> Result<Caller> {
    // A wrong supervisor PIN must not read as the officer's session ending
    // (`unauthenticated` sends a station back to its sign-in screen).
    match crate::auth::staff_by_pin(store.read(), id, pin, station).await {
        Ok((c @ Caller::Staff { .. }, _)) if c.require(Permission::Override).is_ok() => Ok(c),
        Ok(_) => Err(wrong_supervisor_pin()),
        Err(e) if e.code() == crate::error::ErrorCode::Unauthenticated => {
            Err(wrong_supervisor_pin())
        }
        Err(e) => Err(e),
    }
}

/// Records a supervisor's override of the denied scan `denied`: a new
/// scan record admitting the holder, and an audit entry naming both people.
pub async fn override_denial(
    store: &Store,
    event: &EventInfo,
    req: &OverrideRequest,
    denied: &DeniedScan,
    officer: &Caller,
    supervisor: &Caller,
    now: Timestamp,
) -> Result<OverrideOutcome> {
    let reason = req.reason.trim();
    // Scan records are never changed: the denial read before still holds.
    let mut tx = store.write().await?;
    let DeniedScan {
        serial,
        version,
        zone: zone_code,
        direction,
        denied_for,
    } = denied.clone();
    let station = station_id(&mut tx).await?;
    let seq: i64 = sqlx::query_scalar(
        "UPDATE station SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = uuid::Uuid::now_v7().to_string();
    let at = format_at(now);
    let operator = format!("{} / override: {}", officer.actor(), supervisor.actor());
    sqlx::query(
        "INSERT INTO scan (id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'admit', 'override', ?, ?)",
    )
    .bind(&id)
    .bind(&station)
    .bind(seq)
    .bind(serial.as_str())
    .bind(version)
    .bind(zone_code.as_str())
    .bind(direction.as_str())
    .bind(&at)
    .bind(&operator)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        &supervisor.actor(),
        "gate.override",
        &serde_json::json!({
            "scan": id,
            "overrides": req.scan_id,
            "serial": serial.as_str(),
            "zone": zone_code.as_str(),
            "direction": direction.as_str(),
            "denied_for": denied_for,
            "reason": reason,
            "officer": officer.actor(),
        }),
    )
    .await?;
    tx.commit().await?;
    // The verdict shown after an override: who it is, from the registry.
    let holder = crate::registry::get(store.read(), &serial).await.ok();
    let category = holder.as_ref().map(|a| a.category.clone());
    let color = category.as_ref().and_then(|c| {
        event
            .categories
            .iter()
            .find(|k| &k.code == c)
            .map(|k| String::from(k.color.clone()))
    });
    let supervisor = match supervisor {
        Caller::Staff { name, .. } => name.clone(),
        Caller::Local => String::new(),
    };
    let scan = ScanOutcome {
        verdict: crate::gate::Verdict {
            decision: crate::gate::Decision::Admit,
            reason: crate::gate::Reason::Ok,
            serial: Some(serial),
            version: version.and_then(|v| u32::try_from(v).ok()),
            name: holder
                .as_ref()
                .map(|a| format!("{} {}", a.given_names, a.family_name)),
            category,
            color,
            photo: None,
            zone: zone_code,
            direction,
            valid_from: None,
            valid_until: None,
            revoked_reason: None,
        },
        id,
        station,
        seq,
        at,
    };
    Ok(OverrideOutcome { scan, supervisor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
