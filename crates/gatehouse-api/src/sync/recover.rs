//! A damaged station's records that never reached the hub: counted for the
//! message that stops it, and recovered when the laptop joins again with
//! `gatehouse join URL --code CODE --db NEW.db --recover OLD.db`.
//!
//! What is read is a **copy** of the damaged database and its WAL (SQLite
//! reads the WAL's pages over the file's, so the latest scans a WAL still
//! holds count): the files themselves are never opened for writing, nor
//! deleted. Reading goes on past what cannot be read (a range at a time),
//! so what is intact is found even in a file cut short. A station's own
//! entries above the hub's last acknowledgement (`sync_link.hub_has_own`)
//! and its facts never logged as entries (scans, read from their table;
//! badge issues, print jobs and their outcomes and revocations, which the
//! outbox still lists; audit entries past the last one logged) have not
//! reached the hub.
//!
//! Recovery is part of `join` rather than a command of its own: the hub
//! alone may store entries in another station's name, and only for the
//! station a pairing code re-pairs in place of the damaged one, so the join
//! that retires the old identity is the one that hands over its records.
//! The hub stores them under the **old** origin with their own times,
//! continuing its sequence where the hub holds it; scans it already holds
//! (by scan id) are skipped, so nothing is doubled.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};

use super::protocol::{Entry, SyncRecord};
pub use super::unsent::Unsent;
use crate::error::{Error, Result};
use crate::scan::Scan;

/// What could still be read of a damaged station's database.
#[derive(Debug, Clone, Default)]
pub struct Salvage {
    /// The station it was paired as.
    pub station: String,
    /// Its role, as its key folder or its link says.
    pub role: Option<String>,
    /// The hub's mark for its entries, as the hub's last answer said (0:
    /// not known).
    pub acked: u64,
    /// Its own entries above that mark that could be read, by sequence.
    pub entries: Vec<Entry>,
    /// Its scans never logged as entries.
    pub loose_scans: Vec<Scan>,
    /// Its other facts never logged as entries (badge issues, print jobs
    /// and outcomes, revocations, audit entries), in the order it made them.
    pub loose: Vec<SyncRecord>,
    /// Something could not be read.
    pub partial: bool,
}

impl Salvage {
    pub fn unsent(&self) -> Unsent {
        let logged_scans = self
            .entries
            .iter()
            .filter(|e| matches!(e.record, SyncRecord::Scan(_)))
            .count() as u64;
        Unsent {
            scans: logged_scans + self.loose_scans.len() as u64,
            other: self.entries.len() as u64 - logged_scans + self.loose.len() as u64,
            partial: self.partial,
        }
    }
}

/// A folder removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the file `from` (read through [`crate::db_files::held_file`]) to `to`.
fn copy_held(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let src = crate::db_files::held_file(from)?;
    let len = src.metadata()?.len();
    let mut out = std::fs::File::create(to)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut at = 0u64;
    while at < len {
        let n = crate::db_files::read_at(&src, &mut buf, at)?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])?;
        at += n as u64;
    }
    out.sync_all()
}

/// Opens a copy of `db` and its WAL (or, when no copy can be made — a full
/// disk —, the database itself, read only).
async fn open_copy(db: &Path) -> Result<(SqliteConnection, Option<Scratch>)> {
    let dir = std::env::temp_dir().join(format!("gatehouse-salvage-{}", uuid::Uuid::now_v7()));
    let copied = std::fs::create_dir(&dir).and_then(|()| {
        let copy = dir.join("salvage.db");
        // Through the handle this process keeps: a running station that
        // counts what it did not send must not drop its own locks.
        copy_held(db, &copy)?;
        let wal = suffixed(db, "-wal");
        if wal.exists() {
            std::fs::copy(&wal, suffixed(&copy, "-wal"))?;
        }
        Ok(copy)
    });
    let scratch = Scratch(dir);
    let (path, read_only, scratch) = match copied {
        Ok(copy) => (copy, false, Some(scratch)),
        Err(e) => {
            tracing::warn!(
                "cannot copy {} to read it: {e}; reading it in place",
                db.display()
            );
            drop(scratch);
            (db.to_path_buf(), true, None)
        }
    };
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(false)
        .read_only(read_only);
    let conn = SqliteConnection::connect_with(&options).await?;
    Ok((conn, scratch))
}

/// Rows of `sql` (which takes `?1`, `?2` as a range's bounds, `?3` as a
/// station id) from `lo` up, a range of `step` at a time past anything that
/// cannot be read, until `hi` (or, when the end is not known, 64 ranges in a
/// row with nothing).
async fn rows_in_ranges(
    conn: &mut SqliteConnection,
    sql: &str,
    station: &str,
    lo: i64,
    hi: Option<i64>,
    partial: &mut bool,
) -> Vec<sqlx::sqlite::SqliteRow> {
    const STEP: i64 = 64;
    let mut out = Vec::new();
    let mut empty = 0;
    let mut at = lo;
    loop {
        if hi.is_some_and(|hi| at > hi) || (hi.is_none() && empty >= 64) {
            break;
        }
        match sqlx::query(sql)
            .bind(at)
            .bind(at + STEP - 1)
            .bind(station)
            .fetch_all(&mut *conn)
            .await
        {
            Ok(rows) if rows.is_empty() => empty += 1,
            Ok(rows) => {
                empty = 0;
                out.extend(rows);
            }
            Err(e) => {
                tracing::warn!("salvage: rows {at}..{} unreadable: {e}", at + STEP - 1);
                *partial = true;
                empty += 1;
            }
        }
        at += STEP;
    }
    out
}

/// Reads what is still readable of the station database `db` (a copy of it
/// and its WAL): its station id, its entries the hub has not acknowledged
/// and its scans never logged. Fails only when not even the station it was
/// can be told.
pub async fn salvage(db: &Path) -> Result<Salvage> {
    let marker: serde_json::Value = std::fs::read_to_string(crate::db_files::paired_marker(db))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut s = Salvage {
        station: marker["station"].as_str().unwrap_or_default().to_string(),
        role: marker["role"].as_str().map(str::to_string),
        ..Salvage::default()
    };
    let opened = if db.exists() {
        open_copy(db).await
    } else {
        Err(crate::messages::Msg::DbMissing {
            db: db.display().to_string(),
        }
        .into())
    };
    let (mut conn, _scratch) = match opened {
        Ok(c) => c,
        Err(e) if !s.station.is_empty() => {
            tracing::warn!("cannot read {}: {e}", db.display());
            s.partial = true;
            return Ok(s);
        }
        Err(e) => return Err(e),
    };
    if s.station.is_empty() {
        s.station = sqlx::query_scalar("SELECT uuid FROM station WHERE id = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| {
                Error::from(crate::messages::Msg::RecoverWhichStation {
                    db: db.display().to_string(),
                    detail: e.to_string(),
                })
            })?;
    }
    if s.role.is_none() {
        s.role = sqlx::query_scalar("SELECT role FROM sync_link WHERE id = 1")
            .fetch_optional(&mut conn)
            .await
            .ok()
            .flatten();
    }
    let acked: i64 = sqlx::query_scalar("SELECT hub_has_own FROM sync_link WHERE id = 1")
        .fetch_optional(&mut conn)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    s.acked = u64::try_from(acked).unwrap_or(0);
    // The last of its scans the hub acknowledged (0: not known).
    let scans_acked: i64 =
        sqlx::query_scalar("SELECT hub_has_scan_seq FROM sync_link WHERE id = 1")
            .fetch_optional(&mut conn)
            .await
            .ok()
            .flatten()
            .unwrap_or(0);
    let station = s.station.clone();
    let mut partial = false;

    // Its own entries above the hub's mark, a range of sequences at a time.
    let max_seq: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM sync_entry WHERE origin = ?")
            .bind(&station)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|_| {
                partial = true;
                None
            });
    let rows = rows_in_ranges(
        &mut conn,
        "SELECT seq, body FROM sync_entry WHERE seq BETWEEN ?1 AND ?2 AND origin = ?3 ORDER BY seq",
        &station,
        acked + 1,
        max_seq.or(if partial { None } else { Some(acked) }),
        &mut partial,
    )
    .await;
    for r in rows {
        let (seq, body): (i64, String) = (r.get(0), r.get(1));
        match serde_json::from_str::<SyncRecord>(&body) {
            Ok(record) => s.entries.push(Entry {
                origin: station.clone(),
                seq: u64::try_from(seq).unwrap_or(0),
                record,
            }),
            Err(_) => partial = true,
        }
    }

    // Its scans never logged: its own scan entries' keys, read by sequence
    // (the table, not an index that may be the part cut off).
    let mut logged: HashSet<String> = s
        .entries
        .iter()
        .filter_map(|e| match &e.record {
            SyncRecord::Scan(x) => Some(x.id.clone()),
            _ => None,
        })
        .collect();
    // (Only the entries above the hub's mark when the last acknowledged
    // scan is known: older scans are told apart by their number.)
    if let Some(max) = max_seq {
        let from = if scans_acked > 0 { acked + 1 } else { 1 };
        let rows = rows_in_ranges(
            &mut conn,
            "SELECT key FROM sync_entry WHERE seq BETWEEN ?1 AND ?2 AND origin = ?3 AND kind = 'scan'",
            &station,
            from,
            Some(max),
            &mut partial,
        )
        .await;
        logged.extend(rows.iter().map(|r| r.get::<String, _>(0)));
    }
    let max_row: Option<i64> = sqlx::query_scalar("SELECT MAX(rowid) FROM scan")
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("salvage: the scan table's end is unreadable: {e}");
            partial = true;
            None
        });
    let rows = rows_in_ranges(
        &mut conn,
        "SELECT id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator
         FROM scan WHERE rowid BETWEEN ?1 AND ?2 AND station = ?3 ORDER BY rowid",
        &station,
        1,
        max_row.or(if partial { None } else { Some(0) }),
        &mut partial,
    )
    .await;
    for r in rows {
        let scan = Scan {
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
        };
        if scan.seq > scans_acked && !logged.contains(&scan.id) {
            s.loose_scans.push(scan);
        }
    }
    s.loose = loose_facts(&mut conn, &station, &mut partial).await;
    s.loose
        .extend(loose_audit(&mut conn, &station, &mut partial).await);
    s.partial = partial;
    let _ = conn.close().await;
    Ok(s)
}

/// Whether the log holds (kind, key) already (when it cannot be told: no).
async fn logged(conn: &mut SqliteConnection, kind: &str, key: &str) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1 FROM sync_entry WHERE kind = ? AND key = ? LIMIT 1")
        .bind(kind)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .ok()
        .flatten()
        .is_some()
}

/// The facts other than scans that the outbox lists and no entry logs yet
/// (the outbox holds only this station's: a fact received from another
/// station leaves it in the transaction that stores it), as the capture
/// would have logged them ([`super::store::Replica::capture`]).
async fn loose_facts(
    conn: &mut SqliteConnection,
    station: &str,
    partial: &mut bool,
) -> Vec<SyncRecord> {
    let max_id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM sync_outbox")
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("salvage: the outbox's end is unreadable: {e}");
            *partial = true;
            None
        });
    let listed = rows_in_ranges(
        conn,
        "SELECT kind, key FROM sync_outbox
         WHERE id BETWEEN ?1 AND ?2 AND ?3 IS NOT NULL AND kind <> 'scan' ORDER BY id",
        station,
        1,
        max_id.or(if *partial { None } else { Some(0) }),
        partial,
    )
    .await;
    let mut out: Vec<SyncRecord> = Vec::new();
    for r in listed {
        let (kind, key): (String, String) = (r.get(0), r.get(1));
        match fact(conn, &kind, &key).await {
            Ok(Some(record)) => {
                let (kind, key) = record.kind_key();
                if !logged(conn, kind, &key).await
                    && !out.iter().any(|o| o.kind_key() == (kind, key.clone()))
                {
                    out.push(record);
                }
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!("salvage: the {kind} {key} is unreadable: {e}");
                *partial = true;
            }
        }
    }
    // In the capture's order: a job before its outcome (a row made already
    // finished lists its outcome first), which applies only to a job held.
    out.sort_by_key(|r| match r {
        SyncRecord::BadgeIssue { .. } => 0,
        SyncRecord::Revocation { .. } => 1,
        SyncRecord::PrintJob { .. } => 2,
        _ => 3,
    });
    out
}

/// The record the outbox row (`kind`, `key`) stands for, read from its
/// table (`None`: a kind recovery does not carry, or a row gone).
async fn fact(
    conn: &mut SqliteConnection,
    kind: &str,
    key: &str,
) -> std::result::Result<Option<SyncRecord>, sqlx::Error> {
    let version =
        |r: &sqlx::sqlite::SqliteRow, i: usize| u32::try_from(r.get::<i64, _>(i)).unwrap_or(0);
    Ok(match kind {
        "badge_issue" => {
            let Some((serial, number)) = key.rsplit_once('/') else {
                return Ok(None);
            };
            sqlx::query(
                "SELECT b.serial, b.version, b.issued_at, b.issued_by, c.claims
                 FROM badge b LEFT JOIN badge_claims c ON c.serial = b.serial AND c.version = b.version
                 WHERE b.serial = ? AND b.version = CAST(? AS INTEGER)",
            )
            .bind(serial)
            .bind(number)
            .fetch_optional(&mut *conn)
        .await?
        .map(|r| SyncRecord::BadgeIssue {
            serial: r.get(0),
            version: version(&r, 1),
            issued_at: r.get(2),
            issued_by: r.get(3),
            claims: r.get(4),
        })
        }
        "revocation" => sqlx::query(
            "SELECT id, serial, reason, revoked_at, revoked_by FROM revocation WHERE id = ?",
        )
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| SyncRecord::Revocation {
            id: r.get(0),
            serial: r.get(1),
            reason: r.get(2),
            revoked_at: r.get(3),
            revoked_by: r.get(4),
        }),
        "print_job" | "print_outcome" => {
            let Some(r) = sqlx::query(
                "SELECT serial, version, format, printer, job, printed_by, printed_at,
                        outcome, detail, finished_at
                 FROM print_log WHERE id = CAST(? AS INTEGER)",
            )
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?
            else {
                return Ok(None);
            };
            let (serial, version, printed_at, job): (String, u32, String, String) =
                (r.get(0), version(&r, 1), r.get(6), r.get(4));
            if kind == "print_job" {
                Some(SyncRecord::PrintJob {
                    serial,
                    version,
                    format: r.get(2),
                    printer: r.get(3),
                    job,
                    printed_by: r.get(5),
                    printed_at,
                })
            } else {
                let outcome: String = r.get(7);
                (outcome != "sent").then(|| SyncRecord::PrintOutcome {
                    key: super::protocol::print_key(&serial, version, &printed_at, &job),
                    outcome,
                    detail: r.get(8),
                    finished_at: r.get(9),
                })
            }
        }
        _ => None,
    })
}

/// This station's audit entries past the last one logged (by
/// `sync_state.audit_seq`, or, when that cannot be read, by the last audit
/// entry of its own in the log; the hub skips any it holds).
async fn loose_audit(
    conn: &mut SqliteConnection,
    station: &str,
    partial: &mut bool,
) -> Vec<SyncRecord> {
    let from_state: Option<i64> =
        sqlx::query_scalar("SELECT audit_seq FROM sync_state WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await
            .ok()
            .flatten();
    let logged = match from_state {
        Some(seq) => seq,
        None => {
            *partial = true;
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT MAX(CAST(key AS INTEGER)) FROM sync_entry WHERE origin = ? AND kind = 'audit'",
            )
            .bind(station)
            .fetch_one(&mut *conn)
            .await
            .ok()
            .flatten()
            .unwrap_or(0)
        }
    };
    let max_seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM audit")
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("salvage: the audit log's end is unreadable: {e}");
            *partial = true;
            None
        });
    rows_in_ranges(
        conn,
        "SELECT seq, at, actor, action, detail FROM audit
         WHERE seq BETWEEN ?1 AND ?2 AND ?3 IS NOT NULL ORDER BY seq",
        station,
        logged + 1,
        max_seq.or(if *partial { None } else { Some(logged) }),
        partial,
    )
    .await
    .into_iter()
    .map(|r| SyncRecord::Audit {
        seq: r.get(0),
        at: r.get(1),
        actor: r.get(2),
        action: r.get(3),
        detail: r.get(4),
    })
    .collect()
}

/// A damaged or full station's error, with how many of its records have not
/// reached the hub (a paired station's only: a standalone one has no hub).
pub async fn explain(e: Error, db: &Path) -> Error {
    let Error::Storage { unsent: None, .. } = &e else {
        return e;
    };
    if !crate::db_files::paired_marker(db).exists() {
        return e;
    }
    match salvage(db).await {
        Ok(s) => e.with_unsent(s.unsent(), db),
        Err(why) => {
            tracing::warn!("cannot count what {} did not send: {why}", db.display());
            e
        }
    }
}

/// `POST /sync/v1/recover`: a re-paired station hands over what its damaged
/// predecessor had not sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecoverRequest {
    /// The station it replaces (the pairing code named it).
    pub station: String,
    pub entries: Vec<Entry>,
    pub scans: Vec<Scan>,
    /// Its other facts never logged (badge issues, print jobs and outcomes,
    /// revocations, audit entries), in the order it made them.
    #[serde(default)]
    pub records: Vec<SyncRecord>,
}

/// What the hub took of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recovered {
    pub station: String,
    /// Scans stored under the old station's name.
    pub scans: u64,
    /// Other entries stored.
    pub other: u64,
    /// Entries and scans the hub already held (or could not take in
    /// order), skipped.
    pub skipped: u64,
}

/// The entries the hub stores for `req` (pure): the old station's entries
/// that continue its sequence from the hub's `mark`, then, numbered on,
/// every scan it made that the hub does not hold (`held_scan`), those after
/// a gap in the sequence included, then its other facts never logged that
/// the hub does not hold (`held`, by kind and key). Each fact at most once.
/// Returns them and how many were skipped.
pub fn plan(
    req: &RecoverRequest,
    mark: u64,
    held_scan: &dyn Fn(&str) -> bool,
    held: &dyn Fn(&str, &str) -> bool,
) -> (Vec<Entry>, u64) {
    let old = req.station.as_str();
    let mut entries: Vec<&Entry> = req.entries.iter().filter(|e| e.origin == old).collect();
    entries.sort_by_key(|e| e.seq);
    let mut out: Vec<Entry> = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut next = mark + 1;
    let mut after_gap: Vec<Scan> = Vec::new();
    let mut skipped = 0;
    for e in entries {
        if e.seq < next {
            skipped += 1;
        } else if e.seq == next && after_gap.is_empty() {
            if let SyncRecord::Scan(s) = &e.record {
                taken.insert(s.id.clone());
            }
            out.push(e.clone());
            next += 1;
        } else if let SyncRecord::Scan(s) = &e.record {
            after_gap.push(s.clone());
        } else {
            skipped += 1;
        }
    }
    for s in after_gap.iter().chain(&req.scans) {
        if s.station != old || held_scan(&s.id) || !taken.insert(s.id.clone()) {
            skipped += 1;
            continue;
        }
        out.push(Entry {
            origin: old.to_string(),
            seq: next,
            record: SyncRecord::Scan(s.clone()),
        });
        next += 1;
    }
    let mut named: HashSet<(&'static str, String)> =
        out.iter().map(|e| e.record.kind_key()).collect();
    for r in &req.records {
        let (kind, key) = r.kind_key();
        if matches!(r, SyncRecord::Scan(_)) || held(kind, &key) || !named.insert((kind, key)) {
            skipped += 1;
            continue;
        }
        out.push(Entry {
            origin: old.to_string(),
            seq: next,
            record: r.clone(),
        });
        next += 1;
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn scan(id: &str, station: &str) -> Scan {
        Scan {
            id: id.into(),
            station: station.into(),
            seq: 1,
            serial: Some("BMX-000001".into()),
            version: Some(1),
            zone: "HALL".into(),
            direction: "in".into(),
            decision: "admit".into(),
            reason: "ok".into(),
            at: "2025-11-11T09:00:00.000Z".into(),
            operator: "gate".into(),
        }
    }

    fn entry(seq: u64, id: &str) -> Entry {
        Entry {
            origin: "old".into(),
            seq,
            record: SyncRecord::Scan(scan(id, "old")),
        }
    }

    #[test]
    fn recovered_entries_continue_the_old_sequence_and_double_nothing() {
        let req = RecoverRequest {
            station: "old".into(),
            // 3 the hub holds; 4, 5 continue; 7 comes after a gap (6 unreadable).
            entries: vec![entry(3, "a"), entry(4, "b"), entry(5, "c"), entry(7, "d")],
            // "e" never logged; "b" logged too; "f" another station's; "z" at the hub.
            scans: vec![
                scan("e", "old"),
                scan("b", "old"),
                scan("f", "new"),
                scan("z", "old"),
            ],
            records: Vec::new(),
        };
        let (out, skipped) = plan(&req, 3, &|id| id == "z", &|_, _| false);
        let got: Vec<(u64, String)> = out
            .iter()
            .map(|e| match &e.record {
                SyncRecord::Scan(s) => (e.seq, s.id.clone()),
                _ => (e.seq, String::new()),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "b".into()),
                (5, "c".into()),
                (6, "d".into()),
                (7, "e".into())
            ]
        );
        assert!(out.iter().all(|e| e.origin == "old"));
        assert_eq!(skipped, 4);
    }

    #[test]
    fn unlogged_facts_follow_the_scans_once_each_and_not_what_the_hub_holds() {
        let audit = |seq: i64| SyncRecord::Audit {
            seq,
            at: "2025-11-11T09:00:00Z".into(),
            actor: "desk".into(),
            action: "badge.issue".into(),
            detail: "{}".into(),
        };
        let issue = |serial: &str| SyncRecord::BadgeIssue {
            serial: serial.into(),
            version: 1,
            issued_at: "2025-11-11T09:00:00Z".into(),
            issued_by: "desk".into(),
            claims: None,
        };
        let req = RecoverRequest {
            station: "old".into(),
            entries: vec![entry(4, "a")],
            scans: vec![scan("e", "old")],
            // BMX-2 twice; audit 7 already at the hub.
            records: vec![
                issue("BMX-000002"),
                issue("BMX-000002"),
                issue("BMX-000003"),
                audit(7),
                audit(8),
            ],
        };
        let (out, skipped) = plan(&req, 3, &|_| false, &|kind, key| {
            kind == "audit" && key == "7"
        });
        let got: Vec<(u64, &'static str, String)> = out
            .iter()
            .map(|e| {
                let (kind, key) = e.record.kind_key();
                (e.seq, kind, key)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "scan", "a".into()),
                (5, "scan", "e".into()),
                (6, "badge_issue", "BMX-000002/1".into()),
                (7, "badge_issue", "BMX-000003/1".into()),
                (8, "audit", "8".into()),
            ]
        );
        assert!(out.iter().all(|e| e.origin == "old"));
        assert_eq!(skipped, 2);
    }

    #[test]
    fn unsent_records_are_said_in_plain_words() {
        let u = Unsent {
            scans: 7,
            other: 1,
            partial: false,
        };
        assert_eq!(
            u.words(Lang::Fr),
            "7 contrôles enregistrés ici et 1 autre entrée n'ont pas atteint le hub"
        );
        assert_eq!(
            u.words(Lang::En),
            "7 scans recorded here and 1 other entry have not reached the hub"
        );
    }
}
