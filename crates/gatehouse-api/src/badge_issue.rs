//! Issuing badge tokens: the current version's token, reprints (a new
//! version supersedes every older one) and revocations (all versions).
//!
//! An attendee's claims are read straight from the `attendee` table and the
//! event's access matrix: the zones and days of the category unless the
//! attendee overrides them.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::messages::{FieldWord, Msg};
use crate::registry::Attendee;
use crate::serial::BadgeSerial;
use crate::store::Store;
use crate::token::{self, Claims, Kid};

/// A badge's QR text, for one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssuedToken {
    pub serial: BadgeSerial,
    pub version: u32,
    pub token: String,
    /// The signing key's id, 16 hex digits.
    pub kid: String,
}

/// A revocation: every version of the badge is refused from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Revocation {
    pub serial: BadgeSerial,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// What a badge version grants and shows, fixed when the version is issued
/// (`badge_claims`): a token made again for the same version carries these
/// claims whatever the event or the record say later. Different access is a
/// new version, which supersedes the older ones at the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Granted {
    pub category: String,
    pub zones: u64,
    pub days: u64,
    pub not_before: Timestamp,
    pub expires: Timestamp,
    pub name: String,
    /// The photo's SHA-256 prefix, 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

impl Granted {
    /// The fixed part of `claims`.
    pub fn of(claims: &Claims) -> Granted {
        Granted {
            category: claims.category.as_str().to_string(),
            zones: claims.zones,
            days: claims.days,
            not_before: claims.not_before,
            expires: claims.expires,
            name: claims.name.clone(),
            photo: claims.photo.map(hex::encode),
        }
    }

    /// The claims of `serial`'s `version`, issued at `issued_at`.
    pub fn claims(
        &self,
        event: &str,
        serial: &BadgeSerial,
        version: u32,
        issued_at: Timestamp,
    ) -> Result<Claims> {
        Ok(Claims {
            event: event.to_string(),
            serial: serial.clone(),
            version,
            issued_at,
            not_before: self.not_before,
            expires: self.expires,
            category: self.category.parse().map_err(|_| {
                Error::Internal(format!(
                    "{serial} v{version}: stored category {:?} is not a code",
                    self.category
                ))
            })?,
            zones: self.zones,
            days: self.days,
            name: self.name.clone(),
            photo: self.photo.as_deref().and_then(photo_prefix),
        })
    }

    /// Whether both open the same zones among `zones` (a mask: the zones
    /// still open; a retired zone's bit opens nothing either way) on the
    /// same days with the same category (the name and photo aside): what a
    /// configuration change can alter.
    pub fn same_access(&self, other: &Granted, zones: u64) -> bool {
        self.category == other.category
            && self.zones & zones == other.zones & zones
            && self.days == other.days
            && self.not_before == other.not_before
            && self.expires == other.expires
    }

    pub(crate) fn json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(e.to_string()))
    }
}

/// The claims fixed for `serial`'s `version`, if they were recorded
/// (versions issued before migration 0022 have none until first used).
pub async fn granted(
    conn: &mut SqliteConnection,
    serial: &BadgeSerial,
    version: u32,
) -> Result<Option<Granted>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT claims FROM badge_claims WHERE serial = ? AND version = ?")
            .bind(serial.as_str())
            .bind(i64::from(version))
            .fetch_optional(&mut *conn)
            .await?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            Error::Internal(format!(
                "{serial} v{version}: stored claims unreadable: {e}"
            ))
        })
    })
    .transpose()
}

/// Records what `serial`'s `version` grants; a version already fixed keeps
/// its claims.
pub async fn fix_granted(
    conn: &mut SqliteConnection,
    serial: &str,
    version: u32,
    granted: &Granted,
) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO badge_claims (serial, version, claims) VALUES (?, ?, ?)")
        .bind(serial)
        .bind(i64::from(version))
        .bind(granted.json()?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The start of `date` in `tz`, and the last second of `last`.
pub fn day_bounds(tz: &TimeZone, first: Date, last: Date) -> Result<(Timestamp, Timestamp)> {
    let start = first
        .to_zoned(tz.clone())
        .map_err(|e| Error::Internal(format!("{first} in {tz:?}: {e}")))?
        .timestamp();
    let end = last
        .checked_add(1.day())
        .and_then(|d| d.to_zoned(tz.clone()))
        .map_err(|e| Error::Internal(format!("{last} in {tz:?}: {e}")))?
        .timestamp()
        .checked_sub(1.second())
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok((start, end))
}

fn json_list(
    serial: &BadgeSerial,
    field: &str,
    text: Option<String>,
) -> Result<Option<Vec<String>>> {
    text.map(|t| {
        serde_json::from_str::<Vec<String>>(&t).map_err(|e| {
            Error::from(Msg::AttendeeListField {
                serial: serial.to_string(),
                field: FieldWord::of(field),
                detail: e.to_string(),
            })
        })
    })
    .transpose()
}

/// What an attendee's claims are made of.
struct ClaimSource {
    given: String,
    family: String,
    category: String,
    zones: Option<Vec<String>>,
    days: Option<Vec<Date>>,
    photo: Option<[u8; 8]>,
}

impl ClaimSource {
    fn of(a: &Attendee) -> ClaimSource {
        ClaimSource {
            given: a.given_names.clone(),
            family: a.family_name.clone(),
            category: a.category.as_str().to_string(),
            zones: a
                .zones_override
                .as_ref()
                .map(|z| z.iter().map(|c| c.as_str().to_string()).collect()),
            days: a.days_override.clone(),
            photo: a.photo_sha256.as_deref().and_then(photo_prefix),
        }
    }
}

/// The first 8 bytes of a photo's SHA-256 from its hex text.
fn photo_prefix(hex: &str) -> Option<[u8; 8]> {
    let mut out = [0u8; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The claims of `serial`'s badge at `version`, from the attendee and the event.
pub async fn claims_for(
    conn: &mut SqliteConnection,
    event: &EventInfo,
    serial: &BadgeSerial,
    version: u32,
    issued_at: Timestamp,
) -> Result<Claims> {
    let row = sqlx::query(
        "SELECT given_names, family_name, category, zones_override, days_override, photo_sha256
         FROM attendee WHERE serial = ?",
    )
    .bind(serial.as_str())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        Error::from(Msg::NoAttendee {
            serial: serial.to_string(),
        })
    })?;
    let days = match json_list(serial, "days_override", row.get(4))? {
        Some(days) => Some(
            days.iter()
                .map(|d| {
                    d.parse().map_err(|_| {
                        Error::from(Msg::AttendeeDayFormat {
                            serial: serial.to_string(),
                            day: d.clone(),
                        })
                    })
                })
                .collect::<Result<_>>()?,
        ),
        None => None,
    };
    let source = ClaimSource {
        given: row.get(0),
        family: row.get(1),
        category: row.get(2),
        zones: json_list(serial, "zones_override", row.get(3))?,
        days,
        photo: row
            .get::<Option<Vec<u8>>, _>(5)
            .and_then(|h| h.get(..8).and_then(|p| <[u8; 8]>::try_from(p).ok())),
    };
    claims(event, serial, &source, version, issued_at)
}

/// The claims of a badge, from what the attendee's row holds.
fn claims(
    event: &EventInfo,
    serial: &BadgeSerial,
    source: &ClaimSource,
    version: u32,
    issued_at: Timestamp,
) -> Result<Claims> {
    let category = event
        .categories
        .iter()
        .find(|c| c.code.as_str() == source.category)
        .ok_or_else(|| {
            Error::from(Msg::AttendeeCategoryUnknown {
                serial: serial.to_string(),
                category: source.category.clone(),
            })
        })?;
    let zones = match &source.zones {
        Some(codes) => codes.clone(),
        None => category.zones.iter().map(|z| z.to_string()).collect(),
    };
    let mut zone_mask = 0u64;
    for code in &zones {
        // The zone's own bit, never its place in the list; a retired zone
        // keeps its bit (closed every day, it opens nothing any more).
        let bit = event
            .zone_bit(code)
            .filter(|b| *b < crate::event::MAX_ZONE_BITS)
            .ok_or_else(|| {
                Error::from(Msg::AttendeeZoneUnknown {
                    serial: serial.to_string(),
                    zone: code.clone(),
                })
            })?;
        zone_mask |= 1 << bit;
    }
    let mut days: Vec<Date> = match &source.days {
        Some(days) => days.clone(),
        None => category.days.clone(),
    };
    days.retain(|d| event.days.iter().any(|e| e.date == *d));
    days.sort();
    days.dedup();
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Err(Msg::AttendeeNoDay {
            serial: serial.to_string(),
        }
        .into());
    };
    let mut day_mask = 0u64;
    for d in &days {
        let offset = (*d - first).get_days();
        if !(0..64).contains(&offset) {
            return Err(Msg::AttendeeDayTooFar {
                serial: serial.to_string(),
                day: d.to_string(),
                first: first.to_string(),
            }
            .into());
        }
        day_mask |= 1 << offset;
    }
    let tz = TimeZone::get(&event.time_zone)
        .map_err(|_| Error::Internal(format!("unknown time zone {:?}", event.time_zone)))?;
    let (not_before, expires) = day_bounds(&tz, first, last)?;
    Ok(Claims {
        event: event.code.clone(),
        serial: serial.clone(),
        version,
        issued_at,
        not_before,
        expires,
        category: category.code.clone(),
        zones: zone_mask,
        days: day_mask,
        name: token::display_name(&format!("{} {}", source.given, source.family)),
        photo: source.photo,
    })
}

fn revoked_refusal(serial: &impl std::fmt::Display, reason: &str) -> Error {
    Msg::BadgeRevokedNoToken {
        serial: serial.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

async fn ensure_not_revoked(conn: &mut SqliteConnection, serial: &BadgeSerial) -> Result<()> {
    let reason: Option<String> =
        sqlx::query_scalar("SELECT reason FROM revocation WHERE serial = ?")
            .bind(serial.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    match reason {
        Some(reason) => Err(revoked_refusal(serial, &reason)),
        None => Ok(()),
    }
}

/// The latest version and when it was issued, if any.
async fn latest(
    conn: &mut SqliteConnection,
    serial: &BadgeSerial,
) -> Result<Option<(u32, Timestamp)>> {
    let row = sqlx::query(
        "SELECT version, issued_at FROM badge WHERE serial = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(serial.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let at: String = r.get(1);
        Ok((
            u32::try_from(r.get::<i64, _>(0)).map_err(|e| Error::Internal(e.to_string()))?,
            at.parse().map_err(|_| {
                Error::Internal(format!("stored issue time {at:?} is not RFC 3339"))
            })?,
        ))
    })
    .transpose()
}

async fn insert_version(
    conn: &mut SqliteConnection,
    serial: &BadgeSerial,
    version: u32,
    now: Timestamp,
    actor: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO badge (serial, version, issued_at, issued_by) VALUES (?, ?, ?, ?)")
        .bind(serial.as_str())
        .bind(i64::from(version))
        .bind(now.to_string())
        .bind(actor)
        .execute(&mut *conn)
        .await?;
    crate::audit::append(
        conn,
        now,
        actor,
        "badge.issue",
        &serde_json::json!({ "serial": serial, "version": version }),
    )
    .await
}

/// Records a new version of `serial` granting `granted`.
async fn issue_version(
    conn: &mut SqliteConnection,
    serial: &BadgeSerial,
    version: u32,
    granted: &Granted,
    now: Timestamp,
    actor: &str,
) -> Result<()> {
    insert_version(conn, serial, version, now, actor).await?;
    fix_granted(conn, serial.as_str(), version, granted).await
}

/// The claims of `serial`'s `version`: those fixed when it was issued, or,
/// for a version issued before they were recorded, today's, fixed now.
async fn version_claims(
    conn: &mut SqliteConnection,
    event: &EventInfo,
    serial: &BadgeSerial,
    (version, issued_at): (u32, Timestamp),
) -> Result<Claims> {
    match granted(conn, serial, version).await? {
        Some(g) => g.claims(&event.code, serial, version, issued_at),
        None => {
            let claims = claims_for(conn, event, serial, version, issued_at).await?;
            fix_granted(conn, serial.as_str(), version, &Granted::of(&claims)).await?;
            Ok(claims)
        }
    }
}

async fn sign(
    conn: &mut SqliteConnection,
    store: &Store,
    event: &EventInfo,
    serial: &BadgeSerial,
    (version, issued_at): (u32, Timestamp),
    now: Timestamp,
    actor: &str,
) -> Result<IssuedToken> {
    let claims = version_claims(conn, event, serial, (version, issued_at)).await?;
    let key = crate::keys::signing_key(conn, store.path(), now, actor).await?;
    Ok(IssuedToken {
        serial: serial.clone(),
        version,
        token: token::encode(&claims, &key)?,
        kid: Kid::of(&key.verifying_key()).hex(),
    })
}

/// The token of the badge's current version, with the claims that version
/// was issued with (a preview, `gatehouse token`): never a new version
/// once one exists, whatever changed since. The first call issues version 1.
pub async fn token(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<IssuedToken> {
    let event = crate::event_store::load(store.read()).await?;
    let mut tx = store.write().await?;
    ensure_not_revoked(&mut tx, serial).await?;
    let (version, issued_at) = match latest(&mut tx, serial).await? {
        Some(v) => v,
        None => {
            // Checks the attendee exists before recording a version.
            let claims = claims_for(&mut tx, &event, serial, 1, now).await?;
            issue_version(&mut tx, serial, 1, &Granted::of(&claims), now, actor).await?;
            (1, now)
        }
    };
    let issued = sign(
        &mut tx,
        store,
        &event,
        serial,
        (version, issued_at),
        now,
        actor,
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}

/// The token to print now: the current version's when it grants what the
/// event and the record grant today, else a new version (which supersedes
/// the older ones: new paper always carries today's access, and a
/// version's claims never change).
pub async fn token_to_print(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<IssuedToken> {
    let event = crate::event_store::load(store.read()).await?;
    let mut tx = store.write().await?;
    ensure_not_revoked(&mut tx, serial).await?;
    let today = Granted::of(&claims_for(&mut tx, &event, serial, 1, now).await?);
    let (version, issued_at) = match latest(&mut tx, serial).await? {
        None => {
            issue_version(&mut tx, serial, 1, &today, now, actor).await?;
            (1, now)
        }
        Some((v, at)) => match granted(&mut tx, serial, v).await? {
            Some(g) if g != today => {
                issue_version(&mut tx, serial, v + 1, &today, now, actor).await?;
                (v + 1, now)
            }
            _ => (v, at),
        },
    };
    let issued = sign(
        &mut tx,
        store,
        &event,
        serial,
        (version, issued_at),
        now,
        actor,
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}

/// The tokens of many badges' current versions at once (a batch print), in
/// the order of `attendees`, with the claims of those rows; version 1 is
/// issued for each badge never issued. One transaction and a few set-based
/// statements whatever the number of badges; a revoked badge among them
/// refuses the whole batch, as [`token`] refuses it alone.
pub async fn tokens(
    store: &Store,
    event: &EventInfo,
    attendees: &[Attendee],
    now: Timestamp,
    actor: &str,
) -> Result<Vec<IssuedToken>> {
    let serials: Vec<&str> = attendees.iter().map(|a| a.serial.as_str()).collect();
    let list = serde_json::to_string(&serials).map_err(|e| Error::Internal(e.to_string()))?;
    let mut tx = store.write().await?;
    let revoked: HashMap<String, String> = sqlx::query(
        "SELECT serial, reason FROM revocation WHERE serial IN (SELECT value FROM json_each(?))",
    )
    .bind(&list)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    if let Some((serial, reason)) = serials
        .iter()
        .find_map(|s| revoked.get(*s).map(|reason| (s, reason)))
    {
        return Err(revoked_refusal(serial, reason));
    }
    // SQLite takes the bare `issued_at` from the row holding MAX(version).
    let mut latest: HashMap<String, (u32, Timestamp)> = HashMap::new();
    for r in sqlx::query(
        "SELECT serial, MAX(version), issued_at FROM badge
         WHERE serial IN (SELECT value FROM json_each(?)) GROUP BY serial",
    )
    .bind(&list)
    .fetch_all(&mut *tx)
    .await?
    {
        let at: String = r.get(2);
        latest.insert(
            r.get(0),
            (
                u32::try_from(r.get::<i64, _>(1)).map_err(|e| Error::Internal(e.to_string()))?,
                at.parse().map_err(|_| {
                    Error::Internal(format!("stored issue time {at:?} is not RFC 3339"))
                })?,
            ),
        );
    }
    // What each current version was issued with.
    let mut fixed: HashMap<(String, u32), Granted> = HashMap::new();
    for r in sqlx::query(
        "SELECT serial, version, claims FROM badge_claims
         WHERE serial IN (SELECT value FROM json_each(?))",
    )
    .bind(&list)
    .fetch_all(&mut *tx)
    .await?
    {
        let text: String = r.get(2);
        let serial: String = r.get(0);
        let version =
            u32::try_from(r.get::<i64, _>(1)).map_err(|e| Error::Internal(e.to_string()))?;
        let g: Granted = serde_json::from_str(&text).map_err(|e| {
            Error::Internal(format!(
                "{serial} v{version}: stored claims unreadable: {e}"
            ))
        })?;
        fixed.insert((serial, version), g);
    }
    let key = crate::keys::signing_key(&mut tx, store.path(), now, actor).await?;
    let kid = Kid::of(&key.verifying_key()).hex();
    // (serial, version, claims JSON) of the versions issued now, and of
    // older versions whose claims are fixed now (issued before they were
    // recorded).
    let mut issues: Vec<(String, u32, String)> = Vec::new();
    let mut fixes: Vec<(String, u32, String)> = Vec::new();
    let mut out = Vec::with_capacity(attendees.len());
    for a in attendees {
        let today = claims(event, &a.serial, &ClaimSource::of(a), 1, now)?;
        let today_granted = Granted::of(&today);
        let key_of = |v: u32| (a.serial.as_str().to_string(), v);
        let (version, issued_at) = match latest.get(a.serial.as_str()) {
            None => (1, now),
            Some(&(v, at)) => match fixed.get(&key_of(v)) {
                Some(g) if *g != today_granted => (v + 1, now),
                Some(_) => (v, at),
                None => {
                    fixes.push((a.serial.as_str().to_string(), v, today_granted.json()?));
                    fixed.insert(key_of(v), today_granted.clone());
                    (v, at)
                }
            },
        };
        if issued_at == now && !fixed.contains_key(&key_of(version)) {
            issues.push((
                a.serial.as_str().to_string(),
                version,
                today_granted.json()?,
            ));
            fixed.insert(key_of(version), today_granted.clone());
            latest.insert(a.serial.as_str().to_string(), (version, now));
        }
        let claims = fixed
            .get(&key_of(version))
            .ok_or_else(|| Error::Internal(format!("{} v{version}: no claims", a.serial)))?
            .claims(&event.code, &a.serial, version, issued_at)?;
        out.push(IssuedToken {
            serial: a.serial.clone(),
            version,
            token: token::encode(&claims, &key)?,
            kid: kid.clone(),
        });
    }
    if !issues.is_empty() {
        let rows: Vec<(&str, u32)> = issues.iter().map(|(s, v, _)| (s.as_str(), *v)).collect();
        sqlx::query(
            "INSERT INTO badge (serial, version, issued_at, issued_by)
             SELECT value->>0, value->>1, ?, ? FROM json_each(?)",
        )
        .bind(now.to_string())
        .bind(actor)
        .bind(serde_json::to_string(&rows).map_err(|e| Error::Internal(e.to_string()))?)
        .execute(&mut *tx)
        .await?;
        let details: Vec<serde_json::Value> = rows
            .iter()
            .map(|(serial, version)| serde_json::json!({ "serial": serial, "version": version }))
            .collect();
        crate::audit::append_all(&mut tx, now, actor, "badge.issue", &details).await?;
    }
    issues.extend(fixes);
    if !issues.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO badge_claims (serial, version, claims)
             SELECT value->>0, value->>1, value->>2 FROM json_each(?)",
        )
        .bind(serde_json::to_string(&issues).map_err(|e| Error::Internal(e.to_string()))?)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// A new version of the badge: every older version is superseded.
pub async fn reprint(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<IssuedToken> {
    let event = crate::event_store::load(store.read()).await?;
    let mut tx = store.write().await?;
    ensure_not_revoked(&mut tx, serial).await?;
    let version = latest(&mut tx, serial).await?.map_or(1, |(v, _)| v + 1);
    let claims = claims_for(&mut tx, &event, serial, version, now).await?;
    issue_version(&mut tx, serial, version, &Granted::of(&claims), now, actor).await?;
    let issued = sign(&mut tx, store, &event, serial, (version, now), now, actor).await?;
    tx.commit().await?;
    Ok(issued)
}

/// Revokes every version of the badge, saying why and who did it.
pub async fn revoke(
    store: &Store,
    serial: &BadgeSerial,
    reason: &str,
    now: Timestamp,
    actor: &str,
) -> Result<Revocation> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Msg::RevokeReasonMissing {}.into());
    }
    let mut tx = store.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM attendee WHERE serial = ?")
        .bind(serial.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(Msg::NoAttendee {
            serial: serial.to_string(),
        }
        .into());
    }
    ensure_not_revoked(&mut tx, serial).await.map_err(|_| {
        Error::from(Msg::AlreadyRevoked {
            serial: serial.to_string(),
        })
    })?;
    sqlx::query(
        "INSERT INTO revocation (id, serial, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(serial.as_str())
    .bind(reason)
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE attendee SET status = 'revoked', updated_at = ?, updated_by = ? WHERE serial = ?",
    )
    .bind(now.to_string())
    .bind(actor)
    .bind(serial.as_str())
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "badge.revoke",
        &serde_json::json!({ "serial": serial, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(Revocation {
        serial: serial.clone(),
        reason: reason.to_string(),
        by: actor.to_string(),
        at: now.to_string(),
    })
}

/// What a configuration change does to the badges already printed: how
/// many of them would open other zones or days (or another category) if
/// printed now, and the first of them by badge number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct AccessImpact {
    /// Printed badges (status `printed`, not revoked) whose current
    /// version grants other access than the changed event would.
    pub printed: u32,
    /// Up to 20 of them, by badge number.
    pub serials: Vec<BadgeSerial>,
}

/// A printed badge whose access `new` would change: its current version
/// and what a new version would grant (an error when the changed event
/// leaves it no valid day, say).
struct Changed {
    serial: BadgeSerial,
    version: u32,
    new: Result<Granted>,
}

async fn changed_access(
    conn: &mut SqliteConnection,
    old: &EventInfo,
    new: &EventInfo,
    now: Timestamp,
) -> Result<Vec<Changed>> {
    let rows = sqlx::query(
        "SELECT a.serial, b.version, c.claims FROM attendee a
         JOIN (SELECT serial, MAX(version) AS version FROM badge GROUP BY serial) b
           ON b.serial = a.serial
         LEFT JOIN badge_claims c ON c.serial = b.serial AND c.version = b.version
         WHERE a.status = 'printed'
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.serial = a.serial)
         ORDER BY a.serial",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut versions: HashMap<String, (u32, Option<String>)> = HashMap::new();
    let mut serials = Vec::with_capacity(rows.len());
    for r in &rows {
        let serial: String = r.get(0);
        let version =
            u32::try_from(r.get::<i64, _>(1)).map_err(|e| Error::Internal(e.to_string()))?;
        serials.push(BadgeSerial::try_from(serial.clone())?);
        versions.insert(serial, (version, r.get(2)));
    }
    // The zones a badge can still open; retired ones open nothing.
    let live_zones = new
        .zones
        .iter()
        .filter_map(|z| new.zone_bit(&z.code.to_string()))
        .filter(|b| *b < crate::event::MAX_ZONE_BITS)
        .fold(0u64, |m, b| m | 1 << b);
    let mut out = Vec::new();
    for chunk in serials.chunks(500) {
        let people = crate::registry::attendee::by_serials_in(conn, chunk).await?;
        for a in &people {
            let Some((version, stored)) = versions.get(a.serial.as_str()) else {
                continue;
            };
            let source = ClaimSource::of(a);
            let before = match stored {
                Some(text) => serde_json::from_str::<Granted>(text).ok(),
                // Issued before claims were recorded: what the event gave then.
                None => claims(old, &a.serial, &source, *version, now)
                    .ok()
                    .map(|c| Granted::of(&c)),
            };
            let after = claims(new, &a.serial, &source, version + 1, now).map(|c| Granted::of(&c));
            let same = match (&before, &after) {
                (Some(b), Ok(n)) => b.same_access(n, live_zones),
                _ => false,
            };
            if !same {
                out.push(Changed {
                    serial: a.serial.clone(),
                    version: *version,
                    new: after,
                });
            }
        }
    }
    out.sort_by(|a, b| a.serial.as_str().cmp(b.serial.as_str()));
    Ok(out)
}

/// How saving `new` over `old` would leave the printed badges: those whose
/// paper keeps access the changed event no longer gives them.
pub async fn access_impact(
    conn: &mut SqliteConnection,
    old: &EventInfo,
    new: &EventInfo,
    now: Timestamp,
) -> Result<AccessImpact> {
    let changed = changed_access(conn, old, new, now).await?;
    Ok(AccessImpact {
        printed: u32::try_from(changed.len()).unwrap_or(u32::MAX),
        serials: changed.iter().take(20).map(|c| c.serial.clone()).collect(),
    })
}

/// Reissues, inside the caller's transaction, every printed badge whose
/// access `new` changes: a new version granting what `new` grants (the
/// paper printed before is then refused as superseded), and the attendee
/// back to `preregistered` so the desk prints the new badge. Returns the
/// badges reissued.
pub async fn reissue_changed(
    conn: &mut SqliteConnection,
    old: &EventInfo,
    new: &EventInfo,
    now: Timestamp,
    actor: &str,
) -> Result<Vec<BadgeSerial>> {
    let changed = changed_access(conn, old, new, now).await?;
    let mut done = Vec::with_capacity(changed.len());
    for c in changed {
        let granted = c.new?;
        issue_version(conn, &c.serial, c.version + 1, &granted, now, actor).await?;
        done.push(c.serial);
    }
    if !done.is_empty() {
        let list = serde_json::to_string(&done).map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query(
            "UPDATE attendee SET status = 'preregistered', updated_at = ?, updated_by = ?
             WHERE serial IN (SELECT value FROM json_each(?)) AND status = 'printed'",
        )
        .bind(now.to_string())
        .bind(actor)
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        let details: Vec<serde_json::Value> = done
            .iter()
            .map(|s| serde_json::json!({ "serial": s, "status": "preregistered" }))
            .collect();
        crate::audit::append_all(conn, now, actor, "attendee.status", &details).await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventDay;

    fn claims_of(issued: &IssuedToken) -> Result<Claims> {
        token::parse(&issued.token)
            .ok()
            .and_then(|p| p.claims_unverified())
            .ok_or_else(|| Error::Internal("token does not parse".into()))
    }

    /// The demo event with three people, and the event with a day added
    /// before the first, open to every category and zone.
    async fn setup(dir: &std::path::Path, now: Timestamp) -> Result<(Store, EventInfo)> {
        let store = Store::open(&dir.join("g.db")).await?;
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        crate::registry::demo::install(&store, 3, 1, now).await?;
        let mut event = crate::event_store::load(store.read()).await?;
        let first = event.days[0].date;
        let before = first
            .checked_sub(1.day())
            .map_err(|e| Error::Internal(e.to_string()))?;
        event.days.insert(
            0,
            EventDay {
                date: before,
                demo: false,
            },
        );
        for z in &mut event.zones {
            z.open_days.insert(0, before);
        }
        for c in &mut event.categories {
            c.days.insert(0, before);
        }
        Ok((store, event))
    }

    #[tokio::test]
    async fn a_versions_claims_never_change_when_the_access_does() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let now = Timestamp::now();
        let (store, added) = setup(dir.path(), now).await?;
        let serial = BadgeSerial::try_from("BMX-000001".to_string())?;
        let first = token(&store, &serial, now, "desk").await?;
        crate::console::setup::save_event(&store, added, now, "admin").await?;

        // The same version made again (a preview, `gatehouse token`) carries
        // exactly the claims it was issued with, not the new day.
        let again = token(&store, &serial, now, "desk").await?;
        assert_eq!(again.version, first.version);
        assert_eq!(claims_of(&again)?, claims_of(&first)?);

        // New paper carries today's access, so it is a new version.
        let printed = token_to_print(&store, &serial, now, "desk").await?;
        assert_eq!(printed.version, first.version + 1);
        let (old, new) = (claims_of(&first)?, claims_of(&printed)?);
        assert!(new.not_before < old.not_before, "{new:?} vs {old:?}");
        // …and printing it once more keeps that version.
        let once_more = token_to_print(&store, &serial, now, "desk").await?;
        assert_eq!(once_more.version, printed.version);
        assert_eq!(claims_of(&once_more)?, new);
        Ok(())
    }

    #[tokio::test]
    async fn retiring_a_zone_leaves_no_printed_badge_behind() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let now = Timestamp::now();
        let (store, _) = setup(dir.path(), now).await?;
        let serials: Vec<BadgeSerial> = (1..=3)
            .map(|n| BadgeSerial::new("BMX", n))
            .collect::<Result<_>>()?;
        for s in &serials {
            token(&store, s, now, "desk").await?;
        }
        crate::registry::attendee::set_status_all(
            &store,
            &serials,
            crate::registry::Status::Printed,
            "desk",
            now,
        )
        .await?;
        // Every zone but the first retired: the bits on the paper open nothing more or less.
        let mut retired = crate::event_store::load(store.read()).await?;
        let kept = retired.zones[0].code.clone();
        retired.zones.truncate(1);
        for c in &mut retired.categories {
            c.zones.retain(|z| *z == kept);
        }
        let impact = crate::console::setup::access_impact(&store, retired, now).await?;
        assert_eq!(impact.printed, 0, "{impact:?}");
        Ok(())
    }

    #[tokio::test]
    async fn a_batch_reissues_only_the_badges_whose_access_changed() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let now = Timestamp::now();
        let (store, mut added) = setup(dir.path(), now).await?;
        let people = crate::registry::attendee::by_serials(
            store.read(),
            &[
                BadgeSerial::try_from("BMX-000001".to_string())?,
                BadgeSerial::try_from("BMX-000002".to_string())?,
            ],
        )
        .await?;
        let event = crate::event_store::load(store.read()).await?;
        let before = tokens(&store, &event, &people, now, "cli").await?;
        // Only the first person's category gets the new day.
        let changed = people[0].category.clone();
        let keep = people[1].category.clone();
        if changed != keep {
            for c in &mut added.categories {
                if c.code == keep {
                    c.days.remove(0);
                }
            }
        }
        let added = crate::console::setup::save_event(&store, added, now, "admin").await?;
        let after = tokens(&store, &added, &people, now, "cli").await?;
        assert_eq!(after[0].version, before[0].version + 1);
        if changed != keep {
            assert_eq!(after[1].version, before[1].version);
            assert_eq!(claims_of(&after[1])?, claims_of(&before[1])?);
        }
        Ok(())
    }

    #[tokio::test]
    async fn printed_badges_a_change_leaves_behind_are_counted_and_can_be_reissued() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let now = Timestamp::now();
        let (store, added) = setup(dir.path(), now).await?;
        let serials: Vec<BadgeSerial> = (1..=3)
            .map(|n| BadgeSerial::new("BMX", n))
            .collect::<Result<_>>()?;
        // Two printed, one only previewed.
        for s in &serials {
            token(&store, s, now, "desk").await?;
        }
        crate::registry::attendee::set_status_all(
            &store,
            &serials[..2],
            crate::registry::Status::Printed,
            "desk",
            now,
        )
        .await?;
        let impact = crate::console::setup::access_impact(&store, added.clone(), now).await?;
        assert_eq!(impact.printed, 2);
        assert_eq!(impact.serials, serials[..2].to_vec());
        // A change that alters nobody's access (the city) counts none.
        let mut city = crate::event_store::load(store.read()).await?;
        city.city = "Ségou".into();
        let none = crate::console::setup::access_impact(&store, city, now).await?;
        assert_eq!(none.printed, 0);

        let loaded = crate::event_store::load(store.read()).await?;
        crate::console::setup::save_event_based_on(
            &store,
            crate::console::setup::EventSave {
                based_on: loaded,
                event: added,
                reissue: Some(true),
            },
            now,
            "admin",
        )
        .await?;
        for s in &serials[..2] {
            let a = crate::registry::get(store.read(), s).await?;
            assert_eq!(a.status, crate::registry::Status::Preregistered, "{s}");
            let current = token(&store, s, now, "desk").await?;
            assert_eq!(current.version, 2, "{s}");
        }
        // The previewed one was not printed: its next print makes version 2.
        assert_eq!(token(&store, &serials[2], now, "desk").await?.version, 1);
        let after = crate::console::setup::access_impact(
            &store,
            crate::event_store::load(store.read()).await?,
            now,
        )
        .await?;
        assert_eq!(after.printed, 0);
        Ok(())
    }
}
