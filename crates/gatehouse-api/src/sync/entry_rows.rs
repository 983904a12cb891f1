//! What storing and materialising received entries in SQLite share (a
//! leaf: the replica, `store.rs`, and its batched runs of registrations,
//! `registry_run.rs`, both build on it): an entry's JSON and its sequence as
//! SQLite's integer, the attendee columns a remote row needs and how each is
//! bound, and a received photo checked and put into its row.

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

use super::protocol::{Entry, SyncRecord};
use crate::error::{Error, Result};

/// The SQL placeholder that stores a field's text in its column.
pub(super) fn placeholder(field: &str) -> &'static str {
    match field {
        "photo_sha256" => "unhex(?)",
        _ => "?",
    }
}

/// The columns without which a remote attendee cannot be inserted here yet.
pub(super) const ATTENDEE_REQUIRED: [&str; 9] = [
    "serial",
    "serial_no",
    "given_names",
    "family_name",
    "folded_name",
    "category",
    "created_at",
    "created_by",
    "updated_at",
];

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Internal(format!("stored {what} {text:?}: {e}")))
}

pub(super) fn seq_of(seq: u64) -> Result<i64> {
    i64::try_from(seq).map_err(|_| Error::from(crate::messages::Msg::EntrySeqRange { seq }))
}

/// Puts the photo named by the attendee's `photo_sha256` into its row, when
/// the photo has arrived (it may come before or after the edit naming it).
pub(super) async fn fill_photo(conn: &mut SqliteConnection, attendee: &str) -> Result<()> {
    let sha: Option<String> = sqlx::query_scalar(
        "SELECT lower(hex(photo_sha256)) FROM attendee WHERE id = ? AND photo_sha256 IS NOT NULL",
    )
    .bind(attendee)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(sha) = sha else {
        // No photo (any more): none is kept.
        sqlx::query("UPDATE attendee SET photo = NULL WHERE id = ?")
            .bind(attendee)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    };
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM sync_entry WHERE kind = 'photo' AND key = ? LIMIT 1")
            .bind(&sha)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(body) = body {
        if let SyncRecord::Photo { jpeg, .. } = parse::<SyncRecord>("photo entry", &body)? {
            match decode_photo(&sha, &jpeg) {
                _ if jpeg.is_empty() => {}
                Ok(bytes) => {
                    sqlx::query("UPDATE attendee SET photo = ? WHERE id = ?")
                        .bind(bytes)
                        .bind(attendee)
                        .execute(&mut *conn)
                        .await?;
                }
                Err(e) => tracing::warn!("{e}"),
            }
        }
    }
    Ok(())
}

/// A photo's bytes from its base64 text, checked against the SHA-256 that
/// names it (a badge's photo check depends on it).
pub(super) fn decode_photo(sha: &str, jpeg: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(jpeg)
        .map_err(|_| {
            Error::from(crate::messages::Msg::PhotoNotBase64 {
                sha: sha.to_string(),
            })
        })?;
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&bytes);
    let actual = hex::encode(digest);
    if actual != sha {
        return Err(crate::messages::Msg::PhotoHashMismatch {
            sha: sha.to_string(),
            actual,
        }
        .into());
    }
    Ok(bytes)
}

/// Entries per statement when a run is stored (5 parameters each, far
/// below SQLite's limit of 32,766).
const ENTRY_ROWS: usize = 1000;

/// Inserts the entries not held yet into the log; returns those, in order.
///
/// Which places are taken already is asked first, one range per origin
/// (nearly always none: a run continues where the log stops), and the new
/// entries are inserted without `RETURNING`: the SQLite driver hands every
/// returned row across threads on its own, and a hub taking in a venue's
/// scans spent more time there than in SQLite (issue 19). The writer's
/// transaction is held throughout, so nothing else takes a place between.
pub(super) async fn store_entries<'a>(
    conn: &mut SqliteConnection,
    run: &[&'a Entry],
) -> Result<Vec<&'a Entry>> {
    // Per origin, the lowest and highest place the run names.
    let mut ranges: HashMap<&str, (i64, i64)> = HashMap::new();
    for e in run {
        let seq = seq_of(e.seq)?;
        let r = ranges.entry(e.origin.as_str()).or_insert((seq, seq));
        r.0 = r.0.min(seq);
        r.1 = r.1.max(seq);
    }
    let mut taken: HashSet<(&str, i64)> = HashSet::new();
    for (origin, (low, high)) in &ranges {
        let held: Vec<i64> = sqlx::query_scalar(
            "SELECT seq FROM sync_entry WHERE origin = ? AND seq BETWEEN ? AND ?",
        )
        .bind(*origin)
        .bind(*low)
        .bind(*high)
        .fetch_all(&mut *conn)
        .await?;
        taken.extend(held.into_iter().map(|s| (*origin, s)));
    }
    // A place is taken once: by the log, or by the first entry of the run
    // naming it (INSERT OR IGNORE keeps that one). Sequences start at 1
    // (the table's check, which OR IGNORE would pass over silently).
    let mut fresh = Vec::with_capacity(run.len());
    for e in run {
        let seq = seq_of(e.seq)?;
        if seq >= 1 && taken.insert((e.origin.as_str(), seq)) {
            fresh.push(*e);
        }
    }
    for chunk in fresh.chunks(ENTRY_ROWS) {
        let mut rows = Vec::with_capacity(chunk.len());
        for e in chunk {
            let (kind, key) = e.record.kind_key();
            rows.push((
                e.origin.as_str(),
                seq_of(e.seq)?,
                kind,
                key,
                json(&e.record)?,
            ));
        }
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR IGNORE INTO sync_entry (origin, seq, kind, key, body) ",
        );
        q.push_values(&rows, |mut b, (origin, seq, kind, key, body)| {
            b.push_bind(*origin)
                .push_bind(*seq)
                .push_bind(*kind)
                .push_bind(key.as_str())
                .push_bind(body.as_str());
        });
        let done = q.build().execute(&mut *conn).await?;
        if done.rows_affected() != rows.len() as u64 {
            return Err(Error::Internal(format!(
                "sync log: {} of {} new entries stored",
                done.rows_affected(),
                rows.len()
            )));
        }
    }
    Ok(fresh)
}
