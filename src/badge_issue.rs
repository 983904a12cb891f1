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
use serde::Serialize;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::EventInfo;
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
            Error::bad_input(format!(
                "attendee {serial}: {field} is not a JSON list of strings: {e}"
            ))
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
    .ok_or_else(|| Error::NotFound(format!("no attendee with badge number {serial}")))?;
    let days = match json_list(serial, "days_override", row.get(4))? {
        Some(days) => Some(
            days.iter()
                .map(|d| {
                    d.parse().map_err(|_| {
                        Error::bad_input(format!("attendee {serial}: day {d:?} is not YYYY-MM-DD"))
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
            Error::bad_input(format!(
                "attendee {serial}: unknown category {}",
                source.category
            ))
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
            .ok_or_else(|| Error::bad_input(format!("attendee {serial}: unknown zone {code:?}")))?;
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
        return Err(Error::bad_input(format!(
            "attendee {serial}: no day of the event is valid on this badge"
        )));
    };
    let mut day_mask = 0u64;
    for d in &days {
        let offset = (*d - first).get_days();
        if !(0..64).contains(&offset) {
            return Err(Error::bad_input(format!(
                "attendee {serial}: {d} is more than 64 days after {first}"
            )));
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
    Error::Conflict(format!(
        "badge {serial} is revoked ({reason}): no token is issued for it"
    ))
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

async fn sign(
    conn: &mut SqliteConnection,
    store: &Store,
    event: &EventInfo,
    serial: &BadgeSerial,
    (version, issued_at): (u32, Timestamp),
    now: Timestamp,
    actor: &str,
) -> Result<IssuedToken> {
    let claims = claims_for(conn, event, serial, version, issued_at).await?;
    let key = crate::keys::signing_key(conn, store.path(), now, actor).await?;
    Ok(IssuedToken {
        serial: serial.clone(),
        version,
        token: token::encode(&claims, &key)?,
        kid: Kid::of(&key.verifying_key()).hex(),
    })
}

/// The token of the badge's current version; the first call issues version 1.
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
            claims_for(&mut tx, &event, serial, 1, now).await?;
            insert_version(&mut tx, serial, 1, now, actor).await?;
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
    let key = crate::keys::signing_key(&mut tx, store.path(), now, actor).await?;
    let kid = Kid::of(&key.verifying_key()).hex();
    let mut first_issues: Vec<&BadgeSerial> = Vec::new();
    let mut out = Vec::with_capacity(attendees.len());
    for a in attendees {
        let (version, issued_at) = match latest.get(a.serial.as_str()) {
            Some(v) => *v,
            None => {
                if !first_issues.contains(&&a.serial) {
                    first_issues.push(&a.serial);
                }
                (1, now)
            }
        };
        let claims = claims(event, &a.serial, &ClaimSource::of(a), version, issued_at)?;
        out.push(IssuedToken {
            serial: a.serial.clone(),
            version,
            token: token::encode(&claims, &key)?,
            kid: kid.clone(),
        });
    }
    if !first_issues.is_empty() {
        let list =
            serde_json::to_string(&first_issues).map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query(
            "INSERT INTO badge (serial, version, issued_at, issued_by)
             SELECT value, 1, ?, ? FROM json_each(?)",
        )
        .bind(now.to_string())
        .bind(actor)
        .bind(list)
        .execute(&mut *tx)
        .await?;
        let details: Vec<serde_json::Value> = first_issues
            .iter()
            .map(|serial| serde_json::json!({ "serial": serial, "version": 1 }))
            .collect();
        crate::audit::append_all(&mut tx, now, actor, "badge.issue", &details).await?;
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
    claims_for(&mut tx, &event, serial, 1, now).await?;
    let version = latest(&mut tx, serial).await?.map_or(1, |(v, _)| v + 1);
    insert_version(&mut tx, serial, version, now, actor).await?;
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
        return Err(Error::bad_input("--reason: say why the badge is revoked"));
    }
    let mut tx = store.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM attendee WHERE serial = ?")
        .bind(serial.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(Error::NotFound(format!(
            "no attendee with badge number {serial}"
        )));
    }
    ensure_not_revoked(&mut tx, serial)
        .await
        .map_err(|_| Error::Conflict(format!("badge {serial} is already revoked")))?;
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
