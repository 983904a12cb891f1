//! Personal data: everything held on one attendee as one JSON document
//! ([`export_person`]), erasing one attendee ([`erase`]) and purging the
//! whole event's personal data after it ([`purge`]).
//!
//! An erased attendee stays as an anonymised tombstone: the row keeps its
//! id, badge number, category, country, delegation and access, so that scan
//! counts, the dashboard, roll-calls and reports still count them; names,
//! organisation, job title, contact and document details, notes, external
//! reference and photo are gone, and so are their search terms. Their badge
//! is revoked with the reason `erased` (unless it already was revoked).
//!
//! The audit log is hash-chained, so an entry can never be rewritten once
//! written (a rewrite breaks the chain at that entry). Personal data is
//! therefore kept out of it at the source: audit details name attendees by
//! badge number only (`attendee.create` used to add the display name; it no
//! longer does), and an erase appends `attendee.erase` with the badge number
//! alone. After an erase the chain still verifies, and nothing in it names
//! the person. A database whose desk registered people before this rule
//! holds `attendee.create` entries with their names: those cannot be
//! rewritten either, so [`Erasure::audit_still_naming`] counts them for the
//! organiser rather than hide them. Free text typed by staff (a revocation reason, a conflict
//! note) is theirs to keep free of names.
//!
//! Sync: the erase reaches the other stations as an ordinary attendee edit
//! (newer clock, empty fields, no photo) and the revocation as a fact
//! (`tests/privacy_sync.rs`); `erased_at` stays on the station that erased.
//! Left out: a paired station's replicated sync log (`sync_entry`) keeps the
//! attendee edits and photo records it exchanged before the erase.
//!
//! Vetting (issue 16): the export lists the decisions on the person with
//! their reasons; an erase replaces those reasons with [`ERASED_NAME`] on
//! this station (the decisions stay, and so does the audit entry of each,
//! which names the decision and a digest of its reason, never the reason).
//! Other stations keep the reasons they received until erased there.

use base64::Engine as _;
use jiff::Timestamp;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::Row;
use ts_rs::TS;

use crate::audit;
use crate::error::{Error, Result};
use crate::registry::attendee::{self, Attendee, Status, Write};
use crate::serial::BadgeSerial;
use crate::store::Store;
// The audit of a document read is the audit log's, at its old path.
pub use crate::audit::document_read as audit_document_read;

/// The family name an erased attendee shows (roll-calls, revocations).
pub const ERASED_NAME: &str = "[effacé]";

/// The revocation reason of an erased attendee's badge.
pub const ERASED_REASON: &str = "erased";

/// What erasing one attendee did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Erasure {
    pub serial: BadgeSerial,
    #[ts(type = "string")]
    pub erased_at: Timestamp,
    /// Whether this erase revoked the badge (false: it was already revoked).
    pub revoked: bool,
    /// Audit entries written before badge numbers replaced names there
    /// (`attendee.create` of earlier versions) that still name this person:
    /// the hash chain forbids rewriting them, so the organiser is told.
    pub audit_still_naming: u32,
}

/// What purging the event's personal data did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Purge {
    /// Attendees erased now.
    pub erased: usize,
    /// Badges this purge revoked.
    pub revoked: usize,
    /// Attendees that were erased before.
    pub already_erased: usize,
}

/// The tombstone that replaces `a`: what counts stay, who it was goes.
fn tombstone(a: &Attendee, now: Timestamp, actor: &str) -> Attendee {
    Attendee {
        external_ref: None,
        given_names: String::new(),
        family_name: ERASED_NAME.into(),
        organisation: String::new(),
        job_title: String::new(),
        email: String::new(),
        phone: String::new(),
        doc_type: String::new(),
        doc_number: String::new(),
        birth_date: None,
        notes: String::new(),
        has_photo: false,
        photo_sha256: None,
        status: Status::Revoked,
        updated_at: now,
        updated_by: actor.into(),
        ..a.clone()
    }
}

fn json_text<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// Erases `people` inside the caller's transaction; returns how many badges
/// it revoked.
async fn erase_in(
    tx: &mut sqlx::SqliteConnection,
    people: &[Attendee],
    now: Timestamp,
    actor: &str,
) -> Result<usize> {
    if people.is_empty() {
        return Ok(0);
    }
    let stones: Vec<Attendee> = people.iter().map(|a| tombstone(a, now, actor)).collect();
    let mut wanted: Vec<(&str, Option<&str>)> = stones
        .iter()
        .filter_map(|a| a.delegation.as_deref().map(|d| (d, a.country.as_deref())))
        .collect();
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    let ids = attendee::delegation_ids(tx, &wanted, now).await?;
    let numbers: Vec<u32> = people.iter().map(|a| a.serial.number()).collect();
    // Every search term of theirs, whatever it was indexed under.
    sqlx::query("DELETE FROM search_term WHERE serial_no IN (SELECT value FROM json_each(?))")
        .bind(json_text(&numbers)?)
        .execute(&mut *tx)
        .await?;
    let writes: Vec<Write<'_>> = stones
        .iter()
        .map(|a| Write {
            attendee: a,
            delegation_id: a.delegation.as_ref().and_then(|d| ids.get(d)),
            photo: None,
        })
        .collect();
    let old: Vec<&Attendee> = people.iter().collect();
    attendee::update_many(tx, &writes, &old, now).await?;
    let id_list: Vec<String> = people.iter().map(|a| a.id.to_string()).collect();
    sqlx::query(
        "UPDATE attendee SET photo = NULL, photo_sha256 = NULL, erased_at = ?
         WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(now.to_string())
    .bind(json_text(&id_list)?)
    .execute(&mut *tx)
    .await?;
    // What their badges showed (the display name) goes too: the badges are revoked.
    let serials: Vec<&str> = people.iter().map(|a| a.serial.as_str()).collect();
    // The reasons of the vetting decisions on them (the decisions stay:
    // who decided what, when).
    sqlx::query(
        "UPDATE vetting_decision SET reason = ? WHERE reason <> ?
         AND serial IN (SELECT value FROM json_each(?))",
    )
    .bind(ERASED_NAME)
    .bind(ERASED_NAME)
    .bind(json_text(&serials)?)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM badge_claims WHERE serial IN (SELECT value FROM json_each(?))")
        .bind(json_text(&serials)?)
        .execute(&mut *tx)
        .await?;
    let revocations: Vec<(String, &str)> = people
        .iter()
        .map(|a| (uuid::Uuid::now_v7().to_string(), a.serial.as_str()))
        .collect();
    let revoked = sqlx::query(
        "INSERT INTO revocation (id, serial, reason, revoked_at, revoked_by)
         SELECT n.value->>0, n.value->>1, ?, ?, ? FROM json_each(?) AS n
         WHERE NOT EXISTS (SELECT 1 FROM revocation r WHERE r.serial = n.value->>1)",
    )
    .bind(ERASED_REASON)
    .bind(now.to_string())
    .bind(actor)
    .bind(json_text(&revocations)?)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(usize::try_from(revoked).unwrap_or(usize::MAX))
}

async fn erased_at(pool: &sqlx::SqlitePool, serial: &BadgeSerial) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT erased_at FROM attendee WHERE serial = ?")
            .bind(serial.as_str())
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Erases one attendee: personal fields and photo gone, badge revoked
/// (`erased`), one audit entry naming only the badge number.
pub async fn erase(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<Erasure> {
    let person = attendee::get(store.read(), serial).await?;
    if let Some(at) = erased_at(store.read(), serial).await? {
        return Err(crate::messages::Msg::AlreadyErased {
            serial: serial.to_string(),
            at: at.to_string(),
        }
        .into());
    }
    let still: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit WHERE action = 'attendee.create'
         AND json_extract(detail, '$.serial') = ? AND json_extract(detail, '$.name') IS NOT NULL",
    )
    .bind(serial.as_str())
    .fetch_one(store.read())
    .await?;
    let mut tx = store.write().await?;
    let revoked = erase_in(&mut tx, std::slice::from_ref(&person), now, actor).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.erase",
        &json!({ "serial": serial, "revoked": revoked > 0 }),
    )
    .await?;
    tx.commit().await?;
    Ok(Erasure {
        serial: serial.clone(),
        erased_at: now,
        revoked: revoked > 0,
        audit_still_naming: u32::try_from(still).unwrap_or(u32::MAX),
    })
}

/// Erases every attendee of the event, after it: `confirm` must be the
/// event's name (as typed by the organiser; case and surrounding spaces do
/// not matter).
pub async fn purge(store: &Store, confirm: &str, now: Timestamp, actor: &str) -> Result<Purge> {
    let event = crate::event_store::load(store.read()).await?;
    if !confirm.trim().eq_ignore_ascii_case(event.name.trim()) {
        return Err(crate::messages::Msg::PurgeConfirm {
            typed: confirm.to_string(),
            name: event.name.clone(),
        }
        .into());
    }
    let erased: Vec<String> =
        sqlx::query_scalar("SELECT serial FROM attendee WHERE erased_at IS NOT NULL")
            .fetch_all(store.read())
            .await?;
    let people: Vec<Attendee> = attendee::all(store.read())
        .await?
        .into_iter()
        .filter(|a| !erased.iter().any(|s| s == a.serial.as_str()))
        .collect();
    let mut tx = store.write().await?;
    attendee::large_write_cache(&mut tx, true).await?;
    let mut revoked = 0;
    for chunk in people.chunks(5000) {
        revoked += erase_in(&mut tx, chunk, now, actor).await?;
    }
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.purge",
        &json!({ "erased": people.len(), "revoked": revoked }),
    )
    .await?;
    let done = tx.commit().await;
    if let Ok(mut conn) = store.write().await {
        let _ = attendee::large_write_cache(&mut conn, false).await;
        let _ = conn.commit().await;
    }
    done?;
    Ok(Purge {
        erased: people.len(),
        revoked,
        already_erased: erased.len(),
    })
}

/// Everything this station holds on one attendee, as one JSON document:
/// the registry record and photo, badge versions, revocation, scans, print
/// log, and the audit entries (this station's and other stations') that
/// name the badge.
pub async fn export_person(store: &Store, serial: &BadgeSerial, now: Timestamp) -> Result<Value> {
    let pool = store.read();
    let event = crate::event_store::load(pool).await?;
    let person = attendee::get(pool, serial).await?;
    let photo = attendee::photo(pool, serial)
        .await?
        .map(|p| base64::engine::general_purpose::STANDARD.encode(p));
    let s = serial.as_str();
    let badges: Vec<Value> = sqlx::query(
        "SELECT version, issued_at, issued_by FROM badge WHERE serial = ? ORDER BY version",
    )
    .bind(s)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        json!({
            "version": r.get::<i64, _>(0),
            "issued_at": r.get::<String, _>(1),
            "issued_by": r.get::<String, _>(2),
        })
    })
    .collect();
    let revocation: Option<Value> =
        sqlx::query("SELECT reason, revoked_at, revoked_by FROM revocation WHERE serial = ?")
            .bind(s)
            .fetch_optional(pool)
            .await?
            .map(|r| {
                json!({
                    "reason": r.get::<String, _>(0),
                    "revoked_at": r.get::<String, _>(1),
                    "revoked_by": r.get::<String, _>(2),
                })
            });
    let scans = crate::scan_log::list(store, None, Some(serial)).await?;
    // The security services' decisions on them, each with its reason.
    let vetting: Vec<Value> = sqlx::query(
        "SELECT status, reason, at_ms, by FROM vetting_decision WHERE serial = ? ORDER BY at_ms, id",
    )
    .bind(s)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let at_ms: i64 = r.get(2);
        json!({
            "status": r.get::<String, _>(0),
            "reason": r.get::<String, _>(1),
            "at": Timestamp::from_millisecond(at_ms).map(|t| t.to_string()).unwrap_or_default(),
            "by": r.get::<String, _>(3),
        })
    })
    .collect();
    let prints: Vec<Value> = sqlx::query(
        "SELECT version, format, printer, job, printed_by, printed_at, outcome, detail, finished_at
         FROM print_log WHERE serial = ? ORDER BY id",
    )
    .bind(s)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        json!({
            "version": r.get::<i64, _>(0),
            "format": r.get::<String, _>(1),
            "printer": r.get::<String, _>(2),
            "job": r.get::<String, _>(3),
            "printed_by": r.get::<String, _>(4),
            "printed_at": r.get::<String, _>(5),
            "outcome": r.get::<String, _>(6),
            "detail": r.get::<String, _>(7),
            "finished_at": r.get::<Option<String>, _>(8),
        })
    })
    .collect();
    // Badge numbers appear in details as `"BMX-000042"` or `"BMX-000042 v2"`.
    let like = format!("%{s}%");
    let entry = |r: &sqlx::sqlite::SqliteRow, origin: Option<String>| {
        let detail: String = r.get(4);
        json!({
            "origin": origin,
            "seq": r.get::<i64, _>(0),
            "at": r.get::<String, _>(1),
            "actor": r.get::<String, _>(2),
            "action": r.get::<String, _>(3),
            "detail": serde_json::from_str::<Value>(&detail).unwrap_or(Value::String(detail)),
        })
    };
    let mut audit: Vec<Value> = sqlx::query(
        "SELECT seq, at, actor, action, detail FROM audit WHERE detail LIKE ? ORDER BY seq",
    )
    .bind(&like)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| entry(r, None))
    .collect();
    let others = sqlx::query(
        "SELECT seq, at, actor, action, detail, origin FROM sync_audit WHERE detail LIKE ?
         ORDER BY at, origin, seq",
    )
    .bind(&like)
    .fetch_all(pool)
    .await?;
    audit.extend(others.iter().map(|r| entry(r, Some(r.get(5)))));
    Ok(json!({
        "format": "gatehouse.person/1",
        "exported_at": now.to_string(),
        "event": { "code": event.code, "name": event.name },
        "erased_at": erased_at(pool, serial).await?,
        "attendee": person,
        "photo_jpeg_base64": photo,
        "badges": badges,
        "revocation": revocation,
        "scans": scans,
        "print_log": prints,
        "vetting": vetting,
        "audit": audit,
    }))
}

/// One attendee's whole record, shown to `actor`; a record with a document
/// number audits the read ([`crate::audit::document_read`]).
pub async fn read(
    store: &Store,
    serial: &BadgeSerial,
    actor: &str,
    now: Timestamp,
) -> Result<attendee::Attendee> {
    let person = attendee::get(store.read(), serial).await?;
    if !person.doc_number.is_empty() {
        crate::audit::document_read(store, serial, "record", actor, now).await?;
    }
    Ok(person)
}

/// [`export_person`] as a file to hand over: `person-BMX-000042.json`;
/// audited when it holds a document number.
pub async fn export_person_file(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<crate::console::ExportFile> {
    let doc = export_person(store, serial, now).await?;
    if doc["attendee"]["doc_number"]
        .as_str()
        .is_some_and(|n| !n.is_empty())
    {
        crate::audit::document_read(store, serial, "export", actor, now).await?;
    }
    let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(crate::console::ExportFile {
        name: format!("person-{serial}.json"),
        mime: "application/json",
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tombstone_keeps_what_is_counted_and_drops_who_it_was() -> Result<()> {
        let now: Timestamp = "2025-11-15T10:00:00Z"
            .parse()
            .map_err(|e| Error::Internal(format!("{e}")))?;
        let mut a = crate::registry::attendee::fresh(
            crate::registry::NewAttendee::new(
                "Assimi",
                "Goïta",
                "VIP"
                    .parse()
                    .map_err(|e| Error::Internal(format!("{e:?}")))?,
            ),
            BadgeSerial::new("BMX", 7)?,
            Status::Printed,
            "desk",
            now,
        );
        a.country = Some("ML".into());
        a.delegation = Some("Mali".into());
        a.doc_number = "AB123".into();
        a.birth_date = Some(jiff::civil::date(1980, 5, 17));
        let t = tombstone(&a, now, "admin");
        assert_eq!(
            (&t.serial, &t.category, &t.country, &t.delegation, t.status),
            (
                &a.serial,
                &a.category,
                &a.country,
                &a.delegation,
                Status::Revoked
            )
        );
        assert_eq!(t.display_name(), ERASED_NAME);
        assert!(t.doc_number.is_empty() && t.photo_sha256.is_none());
        assert_eq!(t.birth_date, None);
        Ok(())
    }
}
