//! The SQLite replica: a station's (or the hub's) entries in its own
//! database, beside the tables the rest of Gatehouse reads.
//!
//! The other modules write their facts (scans, badge versions, revocations,
//! keys, attendee edits, the event, the audit log) as they always do;
//! [`SqliteReplica::capture`] logs what is new as this station's entries
//! before each round. Remote entries are stored in `sync_entry` and
//! materialised into those same tables in the same transaction, so gates
//! and desks see them at once. A photo travels once, named by its SHA-256;
//! private signing keys never enter the log (see [`super::keys`]).

use super::entry_rows::{
    decode_photo, fill_photo, json, parse, placeholder, seq_of, store_entries, ATTENDEE_REQUIRED,
};
use sqlx::{Row, SqliteConnection};

use super::hlc::{Clock, Hlc};
use super::merge::{self, ATTENDEE_FIELDS};
use super::protocol::{Entry, Replica, SyncRecord, VersionVector};
use super::record::StaffAccount;
use crate::error::{Error, Result};
use crate::scan::Scan;
use crate::store::Store;

/// The fields an erase empties: after it, the log keeps none of their
/// earlier values ([`redact`]).
const PERSONAL_FIELDS: [&str; 13] = [
    "external_ref",
    "given_names",
    "family_name",
    "folded_name",
    "organisation",
    "job_title",
    "email",
    "phone",
    "doc_type",
    "doc_number",
    "birth_date",
    "notes",
    "photo_sha256",
];

/// A message carries entries up to about this many bytes of JSON (photos
/// make entries large; the hub accepts bodies up to 64 MB), and they are
/// read this many at a time.
const MESSAGE_BYTES: usize = 8 * 1024 * 1024;
const CHUNK: usize = 500;

fn now_ms(now: jiff::Timestamp) -> u64 {
    u64::try_from(now.as_millisecond()).unwrap_or(0)
}

/// A replica on a station's SQLite database.
#[derive(Debug, Clone)]
pub struct SqliteReplica {
    store: Store,
    station: String,
    /// The local time a received record is written at (`updated_at` of an
    /// event, a template, an edit): read once per batch and handed to the
    /// merge, so a test can set it.
    clock: fn() -> jiff::Timestamp,
}

impl SqliteReplica {
    /// The same replica, writing what it receives at the time `clock` says.
    pub fn with_clock(mut self, clock: fn() -> jiff::Timestamp) -> SqliteReplica {
        self.clock = clock;
        self
    }

    /// The replica of `store`, with this station's id (made on first use).
    pub async fn open(store: &Store) -> Result<SqliteReplica> {
        let mut tx = store.write().await?;
        let station = crate::scan_log::station_id(&mut tx).await?;
        tx.commit().await?;
        Ok(SqliteReplica {
            store: store.clone(),
            station,
            clock: jiff::Timestamp::now,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Logs the local facts not logged yet as this station's entries;
    /// returns how many.
    pub async fn capture(&mut self, now: jiff::Timestamp) -> Result<usize> {
        let event = crate::event_store::load(self.store.read()).await.ok();
        let mut tx = self.store.write().await?;
        let mut new: Vec<SyncRecord> = Vec::new();

        for r in sqlx::query(
            "SELECT lower(hex(kid)), lower(hex(public_key)), created_at, created_by FROM signing_key
             WHERE lower(hex(kid)) NOT IN (SELECT key FROM sync_entry WHERE kind = 'signing_key')
             ORDER BY created_at",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::SigningKey {
                kid: r.get(0),
                public_key: r.get(1),
                created_at: r.get(2),
                created_by: r.get(3),
            });
        }
        for r in sqlx::query(
            "SELECT lower(hex(kid)), retired_at, retired_by FROM signing_key
             WHERE retired_at IS NOT NULL
               AND lower(hex(kid)) NOT IN (SELECT key FROM sync_entry WHERE kind = 'key_retired')",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::KeyRetired {
                kid: r.get(0),
                retired_at: r.get(1),
                retired_by: r.get::<Option<String>, _>(2).unwrap_or_default(),
            });
        }
        for r in sqlx::query(
            "SELECT b.serial, b.version, b.issued_at, b.issued_by, c.claims
             FROM sync_outbox o JOIN badge b ON b.serial || '/' || b.version = o.key
             LEFT JOIN badge_claims c ON c.serial = b.serial AND c.version = b.version
             WHERE o.kind = 'badge_issue'
               AND b.serial = substr(o.key, 1, instr(o.key, '/') - 1)
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'badge_issue' AND e.key = o.key)
             ORDER BY o.id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::BadgeIssue {
                serial: r.get(0),
                version: u32::try_from(r.get::<i64, _>(1)).unwrap_or(0),
                issued_at: r.get(2),
                issued_by: r.get(3),
                claims: r.get(4),
            });
        }
        for r in sqlx::query(
            "SELECT r.id, r.serial, r.reason, r.revoked_at, r.revoked_by
             FROM sync_outbox o JOIN revocation r ON r.id = o.key
             WHERE o.kind = 'revocation'
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'revocation' AND e.key = o.key)
             ORDER BY o.id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::Revocation {
                id: r.get(0),
                serial: r.get(1),
                reason: r.get(2),
                revoked_at: r.get(3),
                revoked_by: r.get(4),
            });
        }
        for r in sqlx::query(
            "SELECT v.id, v.serial, v.status, v.reason, v.at_ms, v.by
             FROM sync_outbox o JOIN vetting_decision v ON v.id = o.key
             WHERE o.kind = 'vetting_decision'
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'vetting_decision' AND e.key = o.key)
             ORDER BY o.id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::VettingDecision {
                id: r.get(0),
                serial: r.get(1),
                status: r.get(2),
                reason: r.get(3),
                at_ms: r.get(4),
                by: r.get(5),
            });
        }
        for r in sqlx::query(
            "SELECT s.id, s.station, s.station_seq, s.serial, s.version, s.zone, s.direction,
                    s.decision, s.reason, s.at, s.operator
             FROM sync_outbox o JOIN scan s ON s.id = o.key
             WHERE o.kind = 'scan'
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'scan' AND e.key = o.key)
             ORDER BY o.id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::Scan(Scan {
                id: r.get(0),
                station: r.get(1),
                seq: r.get(2),
                serial: r.get(3),
                version: r
                    .get::<Option<i64>, _>(4)
                    .and_then(|v| u32::try_from(v).ok()),
                zone: r.get(5),
                direction: r.get(6),
                decision: r.get(7),
                reason: r.get(8),
                at: r.get(9),
                operator: r.get(10),
            }));
        }
        for r in sqlx::query(
            "SELECT lower(hex(photo_sha256)), photo FROM attendee
             WHERE id IN (SELECT key FROM sync_outbox WHERE kind = 'attendee')
               AND photo IS NOT NULL AND photo_sha256 IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sync_entry e
                               WHERE e.kind = 'photo' AND e.key = lower(hex(photo_sha256)))
             GROUP BY photo_sha256 ORDER BY serial_no",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            use base64::Engine;
            new.push(SyncRecord::Photo {
                sha256: r.get(0),
                jpeg: base64::engine::general_purpose::STANDARD.encode(r.get::<Vec<u8>, _>(1)),
            });
        }
        // Print log rows by their content (their ids are local), and the
        // outcomes of the jobs sent here once they are known.
        const PRINT_KEY: &str =
            "p.serial || '/' || p.version || '/' || p.printed_at || '/' || p.job";
        for r in sqlx::query(&format!(
            "SELECT p.serial, p.version, p.format, p.printer, p.job, p.printed_by, p.printed_at
             FROM sync_outbox o JOIN print_log p ON p.id = CAST(o.key AS INTEGER)
             WHERE o.kind = 'print_job'
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'print_job' AND e.key = {PRINT_KEY})
             ORDER BY o.id"
        ))
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::PrintJob {
                serial: r.get(0),
                version: u32::try_from(r.get::<i64, _>(1)).unwrap_or(0),
                format: r.get(2),
                printer: r.get(3),
                job: r.get(4),
                printed_by: r.get(5),
                printed_at: r.get(6),
            });
        }
        for r in sqlx::query(&format!(
            "SELECT DISTINCT {PRINT_KEY}, p.outcome, p.detail, p.finished_at, p.id
             FROM sync_outbox o JOIN print_log p ON p.id = CAST(o.key AS INTEGER)
             WHERE o.kind = 'print_outcome' AND p.outcome <> 'sent'
               AND (EXISTS (SELECT 1 FROM sync_entry e
                            WHERE e.kind = 'print_job' AND e.key = {PRINT_KEY} AND e.origin = ?)
                    OR (EXISTS (SELECT 1 FROM sync_outbox j WHERE j.kind = 'print_job' AND j.key = o.key)
                        AND NOT EXISTS (SELECT 1 FROM sync_entry e
                                        WHERE e.kind = 'print_job' AND e.key = {PRINT_KEY})))
               AND NOT EXISTS (SELECT 1 FROM sync_entry e WHERE e.kind = 'print_outcome' AND e.key = {PRINT_KEY})
             ORDER BY p.id"
        ))
        .bind(&self.station)
        .fetch_all(&mut *tx)
        .await?
        {
            new.push(SyncRecord::PrintOutcome {
                key: r.get(0),
                outcome: r.get(1),
                detail: r.get(2),
                finished_at: r.get(3),
            });
        }
        let audit_seq: i64 = sqlx::query_scalar("SELECT audit_seq FROM sync_state WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let mut last_audit = audit_seq;
        for r in sqlx::query(
            "SELECT seq, at, actor, action, detail FROM audit WHERE seq > ? ORDER BY seq",
        )
        .bind(audit_seq)
        .fetch_all(&mut *tx)
        .await?
        {
            last_audit = r.get(0);
            new.push(SyncRecord::Audit {
                seq: last_audit,
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                detail: r.get(4),
            });
        }
        sqlx::query("UPDATE sync_state SET audit_seq = ? WHERE id = 1")
            .bind(last_audit)
            .execute(&mut *tx)
            .await?;

        let mut clock = load_clock(&mut tx).await?;
        let ms = now_ms(now);
        // The event's configuration, when it changed here.
        if let Some(event) = event {
            let text = json(&event)?;
            let held: Option<String> =
                sqlx::query_scalar("SELECT event_json FROM sync_state WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            if held.as_deref() != Some(text.as_str()) {
                let hlc = clock.tick(&self.station, ms);
                sqlx::query("UPDATE sync_state SET event_json = ?, event_hlc = ? WHERE id = 1")
                    .bind(&text)
                    .bind(json(&hlc)?)
                    .execute(&mut *tx)
                    .await?;
                new.push(SyncRecord::EventConfig { hlc, event: text });
            }
        }
        // The badge template, when the console saved a new one here.
        let template: Option<String> =
            sqlx::query_scalar("SELECT settings FROM badge_template WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(settings) = template {
            let held: Option<String> =
                sqlx::query_scalar("SELECT template_json FROM sync_state WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            if held.as_deref() != Some(settings.as_str()) {
                let hlc = clock.tick(&self.station, ms);
                sqlx::query(
                    "UPDATE sync_state SET template_json = ?, template_hlc = ? WHERE id = 1",
                )
                .bind(&settings)
                .bind(json(&hlc)?)
                .execute(&mut *tx)
                .await?;
                new.push(SyncRecord::BadgeTemplate { hlc, settings });
            }
        }
        capture_staff(&mut tx, &self.station, &mut clock, ms, &mut new).await?;
        capture_station_kiosk(&mut tx, &self.station, &mut clock, ms, &mut new).await?;
        let mut erased = Vec::new();
        capture_attendees(
            &mut tx,
            &self.station,
            &mut clock,
            ms,
            &mut new,
            &mut erased,
        )
        .await?;
        save_clock(&mut tx, &clock).await?;

        let count = new.len();
        // Never below an entry already held under our name: a collision would
        // stop every later capture (and so every revocation made here).
        let mut seq: i64 = sqlx::query_scalar(
            "SELECT MAX(own_seq,
                 COALESCE((SELECT MAX(seq) FROM sync_entry WHERE origin = ?1), 0),
                 COALESCE((SELECT MAX(seq) FROM sync_held WHERE origin = ?1), 0))
             FROM sync_state WHERE id = 1",
        )
        .bind(&self.station)
        .fetch_one(&mut *tx)
        .await?;
        for record in new {
            seq += 1;
            let (kind, key) = record.kind_key();
            sqlx::query(
                "INSERT INTO sync_entry (origin, seq, kind, key, body) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&self.station)
            .bind(seq)
            .bind(kind)
            .bind(key)
            .bind(json(&record)?)
            .execute(&mut *tx)
            .await?;
        }
        if count > 0 {
            sqlx::query("UPDATE sync_state SET own_seq = ? WHERE id = 1")
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            advance_mark(&mut tx, &self.station).await?;
        }
        for id in erased {
            redact(&mut tx, &id).await?;
        }
        // Everything waiting was logged above (or was a fact received, whose
        // entry is held already).
        sqlx::query("DELETE FROM sync_outbox")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(count)
    }
}

async fn load_clock(conn: &mut SqliteConnection) -> Result<Clock> {
    let r = sqlx::query("SELECT wall_ms, counter FROM sync_state WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(Clock {
        wall_ms: u64::try_from(r.get::<i64, _>(0)).unwrap_or(0),
        counter: u32::try_from(r.get::<i64, _>(1)).unwrap_or(0),
    })
}

async fn save_clock(conn: &mut SqliteConnection, clock: &Clock) -> Result<()> {
    sqlx::query("UPDATE sync_state SET wall_ms = ?, counter = ? WHERE id = 1")
        .bind(i64::try_from(clock.wall_ms).unwrap_or(i64::MAX))
        .bind(i64::from(clock.counter))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves `origin`'s high-water mark up over the entries now held.
async fn advance_mark(conn: &mut SqliteConnection, origin: &str) -> Result<()> {
    let mut mark: i64 = sqlx::query_scalar("SELECT seq FROM sync_mark WHERE origin = ?")
        .bind(origin)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or(0);
    let above: Vec<i64> = sqlx::query_scalar(
        "SELECT seq FROM sync_entry WHERE origin = ?1 AND seq > ?2
         UNION SELECT seq FROM sync_held WHERE origin = ?1 AND seq > ?2 ORDER BY seq",
    )
    .bind(origin)
    .bind(mark)
    .fetch_all(&mut *conn)
    .await?;
    for s in above {
        if s != mark + 1 {
            break;
        }
        mark = s;
    }
    sqlx::query(
        "INSERT INTO sync_mark (origin, seq) VALUES (?, ?)
         ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq",
    )
    .bind(origin)
    .bind(mark)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn select_fields() -> String {
    ATTENDEE_FIELDS
        .iter()
        .map(|f| match *f {
            "photo_sha256" => {
                format!("CASE WHEN a.{f} IS NULL THEN NULL ELSE lower(hex(a.{f})) END")
            }
            _ => format!("CAST(a.{f} AS TEXT)"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Logs the staff accounts created or changed here since they were last
/// logged or received, one entry per account with a fresh clock.
async fn capture_staff(
    conn: &mut SqliteConnection,
    station: &str,
    clock: &mut Clock,
    ms: u64,
    new: &mut Vec<SyncRecord>,
) -> Result<()> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, s.role, s.pin_hash, s.active, s.created_at, seen.account, s.pin_digits
         FROM staff s LEFT JOIN sync_staff_seen seen ON seen.id = s.id ORDER BY s.created_at, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let id: String = r.get(0);
        let account = json(&StaffAccount {
            name: r.get(1),
            role: r.get(2),
            pin_hash: r.get(3),
            active: r.get(4),
            created_at: r.get(5),
            pin_digits: r.get(7),
        })?;
        if r.get::<Option<String>, _>(6).as_deref() == Some(account.as_str()) {
            continue;
        }
        let hlc = clock.tick(station, ms);
        remember_staff(conn, &id, &account, &hlc).await?;
        new.push(SyncRecord::StaffAccount { id, hlc, account });
    }
    Ok(())
}

/// Stores a received staff account unless this station holds a later edit.
async fn apply_staff(
    conn: &mut SqliteConnection,
    id: &str,
    hlc: &Hlc,
    account: &str,
) -> Result<()> {
    let held: Option<String> = sqlx::query_scalar("SELECT hlc FROM sync_staff_seen WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if !beats(hlc, held, "staff clock")? {
        return Ok(());
    }
    let a: StaffAccount = parse("staff account", account)?;
    crate::staff::Role::from_stored(&a.role).ok_or_else(|| {
        Error::from(crate::messages::Msg::StaffRoleUnknown {
            id: id.to_string(),
            role: a.role.clone(),
        })
    })?;
    sqlx::query(
        "INSERT INTO staff (id, name, role, pin_hash, active, created_at, pin_digits) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
           pin_hash = excluded.pin_hash, active = excluded.active, pin_digits = excluded.pin_digits",
    )
    .bind(id)
    .bind(&a.name)
    .bind(&a.role)
    .bind(&a.pin_hash)
    .bind(a.active)
    .bind(&a.created_at)
    .bind(a.pin_digits)
    .execute(&mut *conn)
    .await?;
    remember_staff(conn, id, account, hlc).await
}

/// The account as this station now holds it, with its clock.
async fn remember_staff(
    conn: &mut SqliteConnection,
    id: &str,
    account: &str,
    hlc: &Hlc,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_staff_seen (id, account, hlc) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET account = excluded.account, hlc = excluded.hlc",
    )
    .bind(id)
    .bind(account)
    .bind(json(hlc)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Logs the kiosk settings the console made here (rows with no clock yet),
/// one entry per station with a fresh clock.
async fn capture_station_kiosk(
    conn: &mut SqliteConnection,
    origin: &str,
    clock: &mut Clock,
    ms: u64,
    new: &mut Vec<SyncRecord>,
) -> Result<()> {
    let rows = sqlx::query(
        "SELECT station, kiosk, set_by FROM station_kiosk WHERE hlc IS NULL ORDER BY set_at, station",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let station: String = r.get(0);
        let hlc = clock.tick(origin, ms);
        sqlx::query("UPDATE station_kiosk SET hlc = ? WHERE station = ?")
            .bind(json(&hlc)?)
            .bind(&station)
            .execute(&mut *conn)
            .await?;
        new.push(SyncRecord::StationKiosk {
            station,
            hlc,
            kiosk: r.get::<i64, _>(1) != 0,
            set_by: r.get(2),
        });
    }
    Ok(())
}

/// Stores a received kiosk setting unless this station holds a later one
/// for that station.
async fn apply_station_kiosk(
    conn: &mut SqliteConnection,
    station: &str,
    hlc: &Hlc,
    kiosk: bool,
    set_by: &str,
    now: jiff::Timestamp,
) -> Result<()> {
    let held: Option<Option<String>> =
        sqlx::query_scalar("SELECT hlc FROM station_kiosk WHERE station = ?")
            .bind(station)
            .fetch_optional(&mut *conn)
            .await?;
    // A setting made here and not logged yet will be stamped after every
    // clock received so far: it wins.
    if matches!(held, Some(None)) || !beats(hlc, held.flatten(), "kiosk clock")? {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO station_kiosk (station, kiosk, set_at, set_by, hlc) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (station) DO UPDATE SET kiosk = excluded.kiosk, set_at = excluded.set_at,
           set_by = excluded.set_by, hlc = excluded.hlc",
    )
    .bind(station)
    .bind(i64::from(kiosk))
    .bind(now.to_string())
    .bind(set_by)
    .bind(json(hlc)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a received clock beats the one held in `held` (text as stored), by
/// the one merge rule ([`merge::wins`]).
fn beats(received: &Hlc, held: Option<String>, what: &str) -> Result<bool> {
    let held = held.map(|text| parse::<Hlc>(what, &text)).transpose()?;
    Ok(merge::wins(received, held.as_ref()))
}

/// Logs the attendee fields edited here since they were last logged, one
/// entry per attendee with a fresh clock.
async fn capture_attendees(
    conn: &mut SqliteConnection,
    station: &str,
    clock: &mut Clock,
    ms: u64,
    new: &mut Vec<SyncRecord>,
    erased: &mut Vec<String>,
) -> Result<()> {
    let rows = sqlx::query(&format!(
        "SELECT a.id, {} FROM attendee a LEFT JOIN sync_attendee_seen s ON s.attendee = a.id
         WHERE a.id IN (SELECT key FROM sync_outbox WHERE kind = 'attendee')
           AND s.updated_at IS NOT a.updated_at ORDER BY a.serial_no",
        select_fields()
    ))
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let id: String = r.get(0);
        let held: std::collections::BTreeMap<String, Option<String>> =
            sqlx::query("SELECT field, value FROM sync_field WHERE attendee = ?")
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|f| (f.get(0), f.get(1)))
                .collect();
        let mut fields = std::collections::BTreeMap::new();
        for (i, f) in ATTENDEE_FIELDS.iter().enumerate() {
            let value: Option<String> = r.get(i + 1);
            // A person never screened here says nothing about screening:
            // only a station holding the watchlist sends the field
            // (`policy.rs` refuses it from others).
            if *f == "screening" && value.is_none() && !held.contains_key(*f) {
                continue;
            }
            if held.get(*f) != Some(&value) {
                fields.insert(f.to_string(), value);
            }
        }
        let updated_at: Option<String> = r.get(21);
        if fields.get("erased_at").is_some_and(Option::is_some) {
            erased.push(id.clone());
        }
        if !fields.is_empty() {
            let hlc = clock.tick(station, ms);
            let text = json(&hlc)?;
            for (f, v) in &fields {
                sqlx::query(
                    "INSERT INTO sync_field (attendee, field, value, hlc) VALUES (?, ?, ?, ?)
                     ON CONFLICT (attendee, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
                )
                .bind(&id)
                .bind(f)
                .bind(v)
                .bind(&text)
                .execute(&mut *conn)
                .await?;
            }
            new.push(SyncRecord::AttendeeEdit {
                attendee: id.clone(),
                hlc,
                fields,
            });
        }
        mark_seen(conn, &id, updated_at.unwrap_or_default()).await?;
    }
    Ok(())
}

async fn mark_seen(conn: &mut SqliteConnection, id: &str, updated_at: String) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_attendee_seen (attendee, updated_at) VALUES (?, ?)
         ON CONFLICT (attendee) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Applies the fields of a remote edit that beat what is held, to the
/// clocks and to the attendee row (inserted once its required fields are
/// known). A row the schema refuses (a badge number taken here by another
/// person) stays in the log and is reported.
async fn apply_edit(
    conn: &mut SqliteConnection,
    attendee: &str,
    hlc: &Hlc,
    fields: &std::collections::BTreeMap<String, Option<String>>,
    now: jiff::Timestamp,
) -> Result<()> {
    // The clocks held for the fields this edit carries; the pure rule decides.
    let mut held = std::collections::BTreeMap::new();
    for field in fields
        .keys()
        .filter(|f| ATTENDEE_FIELDS.contains(&f.as_str()))
    {
        let text: Option<String> =
            sqlx::query_scalar("SELECT hlc FROM sync_field WHERE attendee = ? AND field = ?")
                .bind(attendee)
                .bind(field)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(text) = text {
            held.insert(field.clone(), parse::<Hlc>("field clock", &text)?);
        }
    }
    let won = merge::winning_fields(hlc, fields, |f| held.get(f));
    for (field, value) in &won {
        sqlx::query(
            "INSERT INTO sync_field (attendee, field, value, hlc) VALUES (?, ?, ?, ?)
             ON CONFLICT (attendee, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
        )
        .bind(attendee)
        .bind(field)
        .bind(value)
        .bind(json(hlc)?)
        .execute(&mut *conn)
        .await?;
    }
    if won.is_empty() {
        return Ok(());
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM attendee WHERE id = ?")
        .bind(attendee)
        .fetch_optional(&mut *conn)
        .await?;
    // The row as it was, whose search terms go once the edit is applied.
    let old = match crate::registry::attendee::by_id_in(conn, attendee).await {
        Ok(old) => old,
        Err(e) => {
            tracing::warn!("attendee {attendee} held here is unreadable: {e}");
            None
        }
    };
    let outcome = if exists.is_some() {
        let sets = won
            .iter()
            .map(|(f, _)| format!("{f} = {}", placeholder(f)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("UPDATE attendee SET {sets} WHERE id = ?");
        let mut q = sqlx::query(&sql);
        for (_, v) in &won {
            q = q.bind(*v);
        }
        q.bind(attendee).execute(&mut *conn).await.map(|_| ())
    } else {
        let all: Vec<(String, Option<String>)> =
            sqlx::query("SELECT field, value FROM sync_field WHERE attendee = ?")
                .bind(attendee)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
        let complete = ATTENDEE_REQUIRED
            .iter()
            .all(|f| all.iter().any(|(g, v)| g == f && v.is_some()));
        if !complete {
            return Ok(());
        }
        let cols = all.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>();
        let marks = cols
            .iter()
            .map(|f| format!(", {}", placeholder(f)))
            .collect::<String>();
        let sql = format!(
            "INSERT INTO attendee (id, {}) VALUES (?{marks})",
            cols.join(", "),
        );
        let mut q = sqlx::query(&sql).bind(attendee);
        for (_, v) in &all {
            q = q.bind(v.as_deref());
        }
        q.execute(&mut *conn).await.map(|_| ())
    };
    match outcome {
        Ok(()) => {
            let updated: Option<String> =
                sqlx::query_scalar("SELECT updated_at FROM attendee WHERE id = ?")
                    .bind(attendee)
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some(u) = updated {
                mark_seen(conn, attendee, u).await?;
            }
            // Badge numbers received are never handed out here again (the
            // hub's range: each desk's own block is its alone).
            sqlx::query(
                "UPDATE serial_counter SET last = MAX(last, COALESCE(
                     (SELECT serial_no FROM attendee WHERE id = ? AND serial_no < ?), 0))
                 WHERE id = 1",
            )
            .bind(attendee)
            .bind(i64::from(crate::serial::DESK_BLOCKS_FROM))
            .execute(&mut *conn)
            .await?;
            if won.iter().any(|(f, _)| *f == "photo_sha256") {
                fill_photo(conn, attendee).await?;
            }
            if won.iter().any(|(f, v)| *f == "erased_at" && v.is_some()) {
                redact(conn, attendee).await?;
            }
            // The desk finds the person by search at once.
            match crate::registry::attendee::by_id_in(conn, attendee).await {
                Ok(Some(new)) => {
                    crate::registry::attendee::reindex(conn, old.as_ref(), &new, now).await?
                }
                Ok(None) => {}
                Err(e) => tracing::warn!("attendee {attendee} from sync is unreadable: {e}"),
            }
        }
        Err(e) => tracing::warn!("attendee {attendee} from sync not applied here: {e}"),
    }
    Ok(())
}

/// After an erase (made here or received): the attendee's earlier edits in
/// this station's log keep none of the personal values they carried (each
/// takes the erased row's value, so the merged result is the same), and the
/// photos they named lose their bytes unless another attendee shows them.
/// Entries are rewritten in place under the same (origin, sequence): what
/// other stations acknowledged stays acknowledged, and each redacts its own
/// copy when the erase reaches it.
async fn redact(conn: &mut SqliteConnection, attendee: &str) -> Result<()> {
    let Some(row) = sqlx::query(&format!(
        "SELECT a.id, {} FROM attendee a WHERE a.id = ?",
        select_fields()
    ))
    .bind(attendee)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let now: std::collections::BTreeMap<&str, Option<String>> = ATTENDEE_FIELDS
        .iter()
        .enumerate()
        .filter(|(_, f)| PERSONAL_FIELDS.contains(f))
        .map(|(i, f)| (*f, row.get(i + 1)))
        .collect();
    // Keys are `{attendee}@{clock}`: a range of the (kind, key) index ('A'
    // follows '@'), so a purge of many attendees stays linear.
    let edits = sqlx::query(
        "SELECT origin, seq, key, body FROM sync_entry
         WHERE kind = 'attendee_edit' AND key >= ? AND key < ?",
    )
    .bind(format!("{attendee}@"))
    .bind(format!("{attendee}A"))
    .fetch_all(&mut *conn)
    .await?;
    let mut photos = std::collections::BTreeSet::new();
    for e in edits {
        let SyncRecord::AttendeeEdit {
            attendee: a,
            hlc,
            mut fields,
        } = parse::<SyncRecord>("sync entry", e.get(3))?
        else {
            continue;
        };
        let mut changed = false;
        for (field, value) in fields.iter_mut() {
            let Some(target) = now.get(field.as_str()) else {
                continue;
            };
            if value != target {
                if let (Some(sha), "photo_sha256") = (value.as_ref(), field.as_str()) {
                    photos.insert(sha.clone());
                }
                value.clone_from(target);
                changed = true;
            }
        }
        if changed {
            let body = json(&SyncRecord::AttendeeEdit {
                attendee: a,
                hlc,
                fields,
            })?;
            rewrite(conn, e.get(0), e.get(1), "attendee_edit", e.get(2), &body).await?;
        }
    }
    // The claims a badge version carries name its holder (and hash their
    // photo): the erased person's badge issues keep their place, not that.
    let serial: Option<String> = sqlx::query_scalar("SELECT serial FROM attendee WHERE id = ?")
        .bind(attendee)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(serial) = serial {
        // Keys are `{serial}/{version}`: a range ('0' follows '/').
        let issues = sqlx::query(
            "SELECT origin, seq, key, body FROM sync_entry
             WHERE kind = 'badge_issue' AND key >= ? AND key < ?",
        )
        .bind(format!("{serial}/"))
        .bind(format!("{serial}0"))
        .fetch_all(&mut *conn)
        .await?;
        for e in issues {
            let SyncRecord::BadgeIssue {
                serial,
                version,
                issued_at,
                issued_by,
                claims: Some(claims),
            } = parse::<SyncRecord>("sync entry", e.get(3))?
            else {
                continue;
            };
            let mut granted: serde_json::Value = parse("badge claims", &claims)?;
            let Some(fields) = granted.as_object_mut() else {
                continue;
            };
            let named = fields
                .get("name")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|n| !n.is_empty());
            if !named && !fields.contains_key("photo") {
                continue;
            }
            fields.insert("name".into(), serde_json::Value::String(String::new()));
            fields.remove("photo");
            let body = json(&SyncRecord::BadgeIssue {
                serial,
                version,
                issued_at,
                issued_by,
                claims: Some(json(&granted)?),
            })?;
            rewrite(conn, e.get(0), e.get(1), "badge_issue", e.get(2), &body).await?;
        }
    }
    for sha in photos {
        let shown: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM attendee WHERE photo_sha256 = unhex(?) LIMIT 1")
                .bind(&sha)
                .fetch_optional(&mut *conn)
                .await?;
        if shown.is_some() {
            continue;
        }
        let held =
            sqlx::query("SELECT origin, seq FROM sync_entry WHERE kind = 'photo' AND key = ?")
                .bind(&sha)
                .fetch_all(&mut *conn)
                .await?;
        let body = json(&SyncRecord::Photo {
            sha256: sha.clone(),
            jpeg: String::new(),
        })?;
        for h in held {
            rewrite(conn, h.get(0), h.get(1), "photo", &sha, &body).await?;
        }
    }
    Ok(())
}

/// Replaces an entry's body, keeping its place in the log.
async fn rewrite(
    conn: &mut SqliteConnection,
    origin: &str,
    seq: i64,
    kind: &str,
    key: &str,
    body: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM sync_entry WHERE origin = ? AND seq = ?")
        .bind(origin)
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO sync_entry (origin, seq, kind, key, body) VALUES (?, ?, ?, ?, ?)")
        .bind(origin)
        .bind(seq)
        .bind(kind)
        .bind(key)
        .bind(body)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes a newly received record into the tables the rest of Gatehouse
/// reads. Facts already present (the same key) are left as they are.
async fn materialise(
    conn: &mut SqliteConnection,
    origin: &str,
    seq: u64,
    r: &SyncRecord,
    now: jiff::Timestamp,
) -> Result<()> {
    match r {
        SyncRecord::Scan(s) => {
            sqlx::query(
                "INSERT OR IGNORE INTO scan (id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&s.id)
            .bind(&s.station)
            .bind(s.seq)
            .bind(&s.serial)
            .bind(s.version.map(i64::from))
            .bind(&s.zone)
            .bind(&s.direction)
            .bind(&s.decision)
            .bind(&s.reason)
            .bind(&s.at)
            .bind(&s.operator)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::BadgeIssue {
            serial,
            version,
            issued_at,
            issued_by,
            claims,
        } => {
            sqlx::query(
                "INSERT OR IGNORE INTO badge (serial, version, issued_at, issued_by) VALUES (?, ?, ?, ?)",
            )
            .bind(serial)
            .bind(i64::from(*version))
            .bind(issued_at)
            .bind(issued_by)
            .execute(&mut *conn)
            .await?;
            // Claims that do not parse are left out: the version then takes
            // this station's claims when first used, as an older one does.
            if let Some(g) = claims
                .as_deref()
                .and_then(|c| serde_json::from_str::<crate::badge_issue::Granted>(c).ok())
            {
                crate::badge_issue::fix_granted(&mut *conn, serial, *version, &g).await?;
            }
        }
        SyncRecord::VettingDecision {
            id,
            serial,
            status,
            reason,
            at_ms,
            by,
        } => {
            sqlx::query(
                "INSERT OR IGNORE INTO vetting_decision (id, serial, status, reason, at_ms, by) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(serial)
            .bind(status)
            .bind(reason)
            .bind(at_ms)
            .bind(by)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::Revocation {
            id,
            serial,
            reason,
            revoked_at,
            revoked_by,
        } => {
            sqlx::query(
                "INSERT OR IGNORE INTO revocation (id, serial, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(serial)
            .bind(reason)
            .bind(revoked_at)
            .bind(revoked_by)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::SigningKey {
            kid,
            public_key,
            created_at,
            created_by,
        } => {
            sqlx::query(
                "INSERT OR IGNORE INTO signing_key (kid, public_key, created_at, created_by)
                 VALUES (unhex(?), unhex(?), ?, ?)",
            )
            .bind(kid)
            .bind(public_key)
            .bind(created_at)
            .bind(created_by)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::KeyRetired {
            kid,
            retired_at,
            retired_by,
        } => {
            sqlx::query(
                "UPDATE signing_key SET retired_at = ?, retired_by = ?
                 WHERE kid = unhex(?) AND retired_at IS NULL",
            )
            .bind(retired_at)
            .bind(retired_by)
            .bind(kid)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::Audit {
            seq: _,
            at,
            actor,
            action,
            detail,
        } => {
            sqlx::query(
                "INSERT OR IGNORE INTO sync_audit (origin, seq, at, actor, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(origin)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .bind(at)
            .bind(actor)
            .bind(action)
            .bind(detail)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::EventConfig { hlc, event } => {
            let held: Option<String> =
                sqlx::query_scalar("SELECT event_hlc FROM sync_state WHERE id = 1")
                    .fetch_one(&mut *conn)
                    .await?;
            if beats(hlc, held, "event clock")? {
                let info: crate::event::EventInfo = parse("event", event)?;
                // The same categories and zones come back: check references
                // at commit, not while the tables are being refilled.
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut *conn)
                    .await?;
                crate::event_store::replace(conn, &info, now).await?;
                sqlx::query("UPDATE sync_state SET event_json = ?, event_hlc = ? WHERE id = 1")
                    .bind(json(&info)?)
                    .bind(json(hlc)?)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        SyncRecord::StaffAccount { id, hlc, account } => {
            apply_staff(conn, id, hlc, account).await?
        }
        SyncRecord::StationKiosk {
            station,
            hlc,
            kiosk,
            set_by,
        } => apply_station_kiosk(conn, station, hlc, *kiosk, set_by, now).await?,
        SyncRecord::BadgeTemplate { hlc, settings } => {
            let held: Option<String> =
                sqlx::query_scalar("SELECT template_hlc FROM sync_state WHERE id = 1")
                    .fetch_one(&mut *conn)
                    .await?;
            if beats(hlc, held, "template clock")? {
                // Checked as the console checks it: a template that cannot
                // print is refused, not stored.
                let parsed: crate::badge::template::TemplateSettings =
                    parse("badge template", settings)?;
                crate::badge::template::Template::from_settings(&parsed)?;
                sqlx::query(
                    "INSERT INTO badge_template (id, settings, updated_at, updated_by)
                     VALUES (1, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET settings = excluded.settings,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(settings)
                .bind(now.to_string())
                .bind(format!("sync:{}", hlc.station))
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "UPDATE sync_state SET template_json = ?, template_hlc = ? WHERE id = 1",
                )
                .bind(settings)
                .bind(json(hlc)?)
                .execute(&mut *conn)
                .await?;
            }
        }
        SyncRecord::AttendeeEdit {
            attendee,
            hlc,
            fields,
        } => apply_edit(conn, attendee, hlc, fields, now).await?,
        SyncRecord::PrintJob {
            serial,
            version,
            format,
            printer,
            job,
            printed_by,
            printed_at,
        } => {
            sqlx::query(
                "INSERT INTO print_log (serial, version, format, printer, job, printed_by, printed_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM print_log
                   WHERE serial = ?1 AND version = ?2 AND printed_at = ?7 AND job = ?5)",
            )
            .bind(serial)
            .bind(i64::from(*version))
            .bind(format)
            .bind(printer)
            .bind(job)
            .bind(printed_by)
            .bind(printed_at)
            .execute(&mut *conn)
            .await?;
        }
        SyncRecord::PrintOutcome {
            key,
            outcome,
            detail,
            finished_at,
        } => {
            // Only the desk that sent a job says how it ended; an outcome
            // is recorded once (the print log's own rule).
            sqlx::query(
                "UPDATE print_log SET outcome = ?, detail = ?, finished_at = ?
                 WHERE serial || '/' || version || '/' || printed_at || '/' || job = ?
                   AND outcome = 'sent'",
            )
            .bind(outcome)
            .bind(detail)
            .bind(finished_at)
            .bind(key)
            .execute(&mut *conn)
            .await?;
        }
        // A place kept for an entry never applied anywhere.
        SyncRecord::Withheld { .. } => {}
        SyncRecord::Photo { sha256, jpeg } => {
            // Checked here so a wrong photo never reaches a gate's check;
            // it stays in the log, reported, and sync goes on. An empty one
            // was erased.
            match decode_photo(sha256, jpeg) {
                _ if jpeg.is_empty() => {}
                Ok(bytes) => {
                    sqlx::query(
                        "UPDATE attendee SET photo = ? WHERE photo_sha256 = unhex(?) AND photo IS NOT ?",
                    )
                    .bind(&bytes)
                    .bind(sha256)
                    .bind(&bytes)
                    .execute(&mut *conn)
                    .await?;
                }
                Err(e) => tracing::warn!("{e}"),
            }
        }
    }
    Ok(())
}

impl Replica for SqliteReplica {
    fn station(&self) -> &str {
        &self.station
    }

    async fn clock(&mut self) -> Result<Clock> {
        let mut conn = self.store.read().acquire().await?;
        load_clock(&mut conn).await
    }

    async fn set_clock(&mut self, clock: &Clock) -> Result<()> {
        let mut tx = self.store.write().await?;
        save_clock(&mut tx, clock).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn have(&mut self) -> Result<VersionVector> {
        let rows = sqlx::query("SELECT origin, seq FROM sync_mark")
            .fetch_all(self.store.read())
            .await?;
        Ok(VersionVector(
            rows.iter()
                .map(|r| (r.get(0), u64::try_from(r.get::<i64, _>(1)).unwrap_or(0)))
                .filter(|(_, s)| *s > 0)
                .collect(),
        ))
    }

    async fn entries_after(&mut self, peer: &VersionVector, limit: usize) -> Result<Vec<Entry>> {
        // Every origin with an entry has a mark (0 while its first is
        // missing); those with anything above the peer's mark, in one
        // statement (one index probe each): a hub answering a round, or an
        // idle long poll, asked once per origin before.
        let marks: std::collections::BTreeMap<&str, i64> = peer
            .0
            .iter()
            .map(|(o, s)| (o.as_str(), i64::try_from(*s).unwrap_or(i64::MAX)))
            .collect();
        let origins: Vec<(String, i64)> = sqlx::query_as(
            "SELECT m.origin, COALESCE(p.value, 0) FROM sync_mark m
             LEFT JOIN json_each(?1) p ON p.key = m.origin
             WHERE EXISTS (SELECT 1 FROM sync_entry e
                           WHERE e.origin = m.origin AND e.seq > COALESCE(p.value, 0))
             ORDER BY m.origin",
        )
        .bind(json(&marks)?)
        .fetch_all(self.store.read())
        .await?;
        let mut out = Vec::new();
        let mut bytes = 0;
        'origins: for (origin, mut after) in origins {
            loop {
                let left = limit.saturating_sub(out.len()).min(CHUNK);
                if left == 0 || bytes >= MESSAGE_BYTES {
                    break 'origins;
                }
                let rows = sqlx::query(
                    "SELECT seq, body FROM sync_entry WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?",
                )
                .bind(&origin)
                .bind(after)
                .bind(i64::try_from(left).unwrap_or(i64::MAX))
                .fetch_all(self.store.read())
                .await?;
                let done = rows.len() < left;
                for r in rows {
                    let body: &str = r.get(1);
                    if !out.is_empty() && bytes + body.len() > MESSAGE_BYTES {
                        break 'origins;
                    }
                    bytes += body.len();
                    after = r.get(0);
                    out.push(Entry {
                        origin: origin.clone(),
                        seq: u64::try_from(after).unwrap_or(0),
                        record: parse("sync entry", body)?,
                    });
                }
                if done {
                    break;
                }
            }
        }
        Ok(out)
    }

    async fn apply(&mut self, entries: &[Entry]) -> Result<usize> {
        if entries.is_empty() {
            return Ok(0);
        }
        let now = (self.clock)();
        let mut tx = self.store.write().await?;
        let outbox = outbox_mark(&mut tx).await?;
        // A place held aside stays so (the conformance suite,
        // `tests/replica_conformance.rs`, holds every replica to it).
        let mut held = std::collections::HashSet::new();
        let batch: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.origin.as_str()).collect();
        for origin in batch {
            let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM sync_held WHERE origin = ?")
                .bind(origin)
                .fetch_all(&mut *tx)
                .await?;
            held.extend(seqs.into_iter().map(|s| (origin, s)));
        }
        let mut fresh = 0;
        let mut origins = std::collections::BTreeSet::new();
        // Runs of scans (nearly everything a venue sends) are stored and
        // materialised a few hundred to a statement; any other record in
        // between is applied on its own, in the order received.
        let mut run: Vec<&Entry> = Vec::new();
        let mut edited: Vec<&str> = Vec::new();
        // Likewise runs of registrations (attendee edits and badge issues:
        // a first sync's whole registry), from two on.
        let mut registry: Vec<&Entry> = Vec::new();
        for e in entries {
            if !held.is_empty() && held.contains(&(e.origin.as_str(), seq_of(e.seq)?)) {
                continue;
            }
            if matches!(e.record, SyncRecord::Scan(_)) {
                fresh +=
                    flush_registry(&mut tx, &mut registry, &mut origins, &mut edited, now).await?;
                run.push(e);
                if run.len() == SCAN_ROWS {
                    fresh += apply_scans(&mut tx, &run, &mut origins).await?;
                    run.clear();
                }
                continue;
            }
            fresh += apply_scans(&mut tx, &run, &mut origins).await?;
            run.clear();
            if super::registry_run::belongs(&e.record) {
                registry.push(e);
                if registry.len() == REGISTRY_ROWS {
                    fresh += flush_registry(&mut tx, &mut registry, &mut origins, &mut edited, now)
                        .await?;
                }
                continue;
            }
            fresh += flush_registry(&mut tx, &mut registry, &mut origins, &mut edited, now).await?;
            if insert_entry(&mut tx, &e.origin, e.seq, &e.record).await? {
                fresh += 1;
                origins.insert(e.origin.as_str());
                materialise(&mut tx, &e.origin, e.seq, &e.record, now).await?;
                if let SyncRecord::AttendeeEdit { attendee, .. } = &e.record {
                    edited.push(attendee.as_str());
                }
            }
        }
        fresh += apply_scans(&mut tx, &run, &mut origins).await?;
        fresh += flush_registry(&mut tx, &mut registry, &mut origins, &mut edited, now).await?;
        for origin in origins {
            advance_mark(&mut tx, origin).await?;
        }
        drop_received(&mut tx, outbox).await?;
        tx.commit().await?;
        // A desk's registrations and edits are screened when they reach a
        // station holding the watchlist (elsewhere this does nothing).
        crate::registry::screening::after_sync(&self.store, &edited, now).await;
        Ok(fresh)
    }

    async fn hold(&mut self, entries: &[Entry], why: &str, now_ms: u64) -> Result<usize> {
        if entries.is_empty() {
            return Ok(0);
        }
        let at = jiff::Timestamp::from_millisecond(i64::try_from(now_ms).unwrap_or(i64::MAX))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let mut tx = self.store.write().await?;
        let mut fresh = 0;
        let mut origins = std::collections::BTreeSet::new();
        for e in entries {
            let held: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM sync_entry WHERE origin = ? AND seq = ?")
                    .bind(&e.origin)
                    .bind(seq_of(e.seq)?)
                    .fetch_optional(&mut *tx)
                    .await?;
            if held.is_some() {
                continue;
            }
            let (kind, key) = e.record.kind_key();
            let done = sqlx::query(
                "INSERT OR IGNORE INTO sync_held (origin, seq, kind, key, body, why, held_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&e.origin)
            .bind(seq_of(e.seq)?)
            .bind(kind)
            .bind(&key)
            .bind(json(&e.record)?)
            .bind(why)
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                fresh += 1;
                origins.insert(e.origin.as_str());
            }
        }
        for origin in origins {
            advance_mark(&mut tx, origin).await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }

    async fn holding(&mut self, origin: &str) -> Result<bool> {
        let any: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM sync_held WHERE origin = ? LIMIT 1")
                .bind(origin)
                .fetch_optional(self.store.read())
                .await?;
        Ok(any.is_some())
    }
}

/// Scans per statement when a run of them is applied (16 parameters each,
/// far below SQLite's limit of 32,766).
const SCAN_ROWS: usize = 500;

/// Registrations applied a statement at a time at most (two entries each).
const REGISTRY_ROWS: usize = 2000;

/// A pending run of registrations, applied and emptied: from two entries on
/// as a batch (`registry_run`), a single one entry by entry.
async fn flush_registry<'a>(
    conn: &mut SqliteConnection,
    registry: &mut Vec<&'a Entry>,
    origins: &mut std::collections::BTreeSet<&'a str>,
    edited: &mut Vec<&'a str>,
    now: jiff::Timestamp,
) -> Result<usize> {
    let fresh = match registry.as_slice() {
        [] => 0,
        [e] => {
            if insert_entry(conn, &e.origin, e.seq, &e.record).await? {
                origins.insert(e.origin.as_str());
                materialise(conn, &e.origin, e.seq, &e.record, now).await?;
                if let SyncRecord::AttendeeEdit { attendee, .. } = &e.record {
                    edited.push(attendee.as_str());
                }
                1
            } else {
                0
            }
        }
        run => {
            let (fresh, left) = super::registry_run::apply(conn, run, origins, edited, now).await?;
            for (attendee, hlc, fields) in left {
                apply_edit(conn, attendee, hlc, fields, now).await?;
            }
            fresh
        }
    };
    registry.clear();
    Ok(fresh)
}

/// Stores a run of scan entries and materialises the new ones, two
/// statements for the lot; returns how many were new. The same as
/// [`insert_entry`] then [`materialise`] for each, in order.
async fn apply_scans<'a>(
    conn: &mut SqliteConnection,
    run: &[&'a Entry],
    origins: &mut std::collections::BTreeSet<&'a str>,
) -> Result<usize> {
    if run.is_empty() {
        return Ok(0);
    }
    let fresh = store_entries(conn, run).await?;
    let mut new: Vec<&Scan> = Vec::with_capacity(fresh.len());
    for e in &fresh {
        let SyncRecord::Scan(scan) = &e.record else {
            return Err(Error::Internal("a scan run holds another record".into()));
        };
        origins.insert(e.origin.as_str());
        new.push(scan);
    }
    if new.is_empty() {
        return Ok(0);
    }
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT OR IGNORE INTO scan (id, station, station_seq, serial, version, zone, direction, \
         decision, reason, at, operator) ",
    );
    q.push_values(&new, |mut b, s| {
        b.push_bind(s.id.as_str())
            .push_bind(s.station.as_str())
            .push_bind(s.seq)
            .push_bind(s.serial.as_deref())
            .push_bind(s.version.map(i64::from))
            .push_bind(s.zone.as_str())
            .push_bind(s.direction.as_str())
            .push_bind(s.decision.as_str())
            .push_bind(s.reason.as_str())
            .push_bind(s.at.as_str())
            .push_bind(s.operator.as_str());
    });
    q.build().execute(&mut *conn).await?;
    Ok(new.len())
}

/// The last row of the outbox before received facts are materialised.
async fn outbox_mark(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM sync_outbox")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Takes out of the outbox the rows that materialising received facts put
/// there (after `mark`, in the same transaction): they are not this
/// station's to log.
async fn drop_received(conn: &mut SqliteConnection, mark: i64) -> Result<()> {
    sqlx::query("DELETE FROM sync_outbox WHERE id > ?")
        .bind(mark)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Stores an entry unless its place is taken; returns whether it was new.
async fn insert_entry(
    conn: &mut SqliteConnection,
    origin: &str,
    seq: u64,
    record: &SyncRecord,
) -> Result<bool> {
    let (kind, key) = record.kind_key();
    let done = sqlx::query(
        "INSERT OR IGNORE INTO sync_entry (origin, seq, kind, key, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(origin)
    .bind(seq_of(seq)?)
    .bind(kind)
    .bind(&key)
    .bind(json(record)?)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An entry held aside, as the console lists it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct HeldEntry {
    pub origin: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub kind: String,
    pub key: String,
    pub why: String,
    pub held_at: String,
}

/// What the organiser decided for a quarantined station's held entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Apply what the station's role allows (its scans while quarantined);
    /// what it may not send is withheld all the same.
    Release,
    /// Apply nothing of it.
    Discard,
}

/// How a quarantine was resolved.
#[derive(Debug, Clone, Default, serde::Serialize, ts_rs::TS)]
pub struct Resolved {
    /// Entries applied (and relayed from now on).
    pub applied: usize,
    /// Entries kept only as a withheld place in the log.
    pub withheld: usize,
}

/// The entries held aside, oldest first (`origin`: one station's).
pub async fn held(store: &Store, origin: Option<&str>) -> Result<Vec<HeldEntry>> {
    let rows = sqlx::query(
        "SELECT origin, seq, kind, key, why, held_at FROM sync_held
             WHERE ?1 IS NULL OR origin = ?1 ORDER BY held_at, origin, seq LIMIT 10000",
    )
    .bind(origin)
    .fetch_all(store.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| HeldEntry {
            origin: r.get(0),
            seq: r.get(1),
            kind: r.get(2),
            key: r.get(3),
            why: r.get(4),
            held_at: r.get(5),
        })
        .collect())
}

/// Ends a station's quarantine: its held entries are released (those its
/// role allows applied, and relayed from then on) or discarded; either way
/// each keeps its place in the log as a [`SyncRecord::Withheld`] when not
/// applied, so every station's marks move past it. The caller audits it.
pub async fn resolve(
    conn: &mut SqliteConnection,
    origin: &str,
    role: crate::staff::Role,
    resolution: Resolution,
    now: jiff::Timestamp,
) -> Result<Resolved> {
    let rows = sqlx::query("SELECT seq, body FROM sync_held WHERE origin = ? ORDER BY seq")
        .bind(origin)
        .fetch_all(&mut *conn)
        .await?;
    let outbox = outbox_mark(conn).await?;
    let mut done = Resolved::default();
    for r in rows {
        let seq = u64::try_from(r.get::<i64, _>(0)).unwrap_or(0);
        let record = parse::<SyncRecord>("held entry", r.get(1))?;
        let verdict = match resolution {
            Resolution::Release => super::policy::check(role, origin, &record),
            Resolution::Discard => Err(super::policy::Refusal {
                kind: record.kind_key().0,
                why: "discarded by the organiser".into(),
            }),
        };
        match verdict {
            Ok(()) => {
                if insert_entry(conn, origin, seq, &record).await? {
                    materialise(conn, origin, seq, &record, now).await?;
                }
                done.applied += 1;
            }
            Err(refusal) => {
                let (kind, key) = record.kind_key();
                let placeholder = SyncRecord::Withheld {
                    of: kind.to_string(),
                    key,
                    why: refusal.why,
                };
                insert_entry(conn, origin, seq, &placeholder).await?;
                done.withheld += 1;
            }
        }
    }
    sqlx::query("DELETE FROM sync_held WHERE origin = ?")
        .bind(origin)
        .execute(&mut *conn)
        .await?;
    advance_mark(conn, origin).await?;
    drop_received(conn, outbox).await?;
    Ok(done)
}
