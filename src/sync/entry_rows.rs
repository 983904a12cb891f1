//! What storing and materialising received entries in SQLite share (a
//! leaf: the replica, `store.rs`, and its batched runs of registrations,
//! `registry_run.rs`, both build on it): an entry's JSON and its sequence as
//! SQLite's integer, the attendee columns a remote row needs and how each is
//! bound, and a received photo checked and put into its row.

use std::collections::HashSet;

use sqlx::{Row, SqliteConnection};

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
pub(super) async fn store_entries<'a>(
    conn: &mut SqliteConnection,
    run: &[&'a Entry],
) -> Result<Vec<&'a Entry>> {
    let mut stored: HashSet<(String, i64)> = HashSet::new();
    for chunk in run.chunks(ENTRY_ROWS) {
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
        q.push(" RETURNING origin, seq");
        for r in q.build().fetch_all(&mut *conn).await? {
            stored.insert((r.get(0), r.get(1)));
        }
    }
    let mut fresh = Vec::with_capacity(stored.len());
    for e in run {
        if stored.contains(&(e.origin.clone(), seq_of(e.seq)?)) {
            fresh.push(*e);
        }
    }
    Ok(fresh)
}
