//! The append-only, hash-chained audit log: who changed what, when.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's
//! own fields, so altering or removing any entry breaks every hash after it.

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::error::Result;
use crate::serial::BadgeSerial;
use crate::store::Store;

/// The hash that precedes the first entry.
const GENESIS: [u8; 32] = [0; 32];

fn entry_hash(prev: &[u8], seq: i64, at: &str, actor: &str, action: &str, detail: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    // Length-prefixed fields: no two different entries hash alike.
    for field in [seq.to_string().as_str(), at, actor, action, detail] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().to_vec()
}

/// Appends one entry inside the caller's write transaction.
pub async fn append(
    conn: &mut SqliteConnection,
    now: Timestamp,
    actor: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (seq, prev) = match last {
        Some(row) => (row.get::<i64, _>(0) + 1, row.get::<Vec<u8>, _>(1)),
        None => (1, GENESIS.to_vec()),
    };
    let at = now.to_string();
    let detail = detail.to_string();
    let hash = entry_hash(&prev, seq, &at, actor, action, &detail);
    sqlx::query(
        "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .bind(prev)
    .bind(hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends one entry per detail, in order, inside the caller's write
/// transaction: one read of the chain's end and a multi-row insert per 100
/// entries (a batch print issues hundreds of badges at once).
pub async fn append_all(
    conn: &mut SqliteConnection,
    now: Timestamp,
    actor: &str,
    action: &str,
    details: &[serde_json::Value],
) -> Result<()> {
    if details.is_empty() {
        return Ok(());
    }
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (mut seq, mut prev) = match last {
        Some(row) => (row.get::<i64, _>(0) + 1, row.get::<Vec<u8>, _>(1)),
        None => (1, GENESIS.to_vec()),
    };
    let at = now.to_string();
    for chunk in details.chunks(100) {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) ",
        );
        let mut rows = Vec::with_capacity(chunk.len());
        for detail in chunk {
            let detail = detail.to_string();
            let hash = entry_hash(&prev, seq, &at, actor, action, &detail);
            rows.push((
                seq,
                detail,
                std::mem::replace(&mut prev, hash.clone()),
                hash,
            ));
            seq += 1;
        }
        insert.push_values(rows, |mut b, (seq, detail, prev, hash)| {
            b.push_bind(seq)
                .push_bind(at.clone())
                .push_bind(actor.to_string())
                .push_bind(action.to_string())
                .push_bind(detail)
                .push_bind(prev)
                .push_bind(hash);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditCheck {
    #[ts(type = "number")]
    pub entries: u64,
    /// The sequence number of the first entry that does not verify.
    #[ts(type = "number | null")]
    pub first_bad: Option<i64>,
}

pub async fn verify(pool: &sqlx::SqlitePool) -> Result<AuditCheck> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq",
    )
    .fetch_all(pool)
    .await?;
    let mut prev = GENESIS.to_vec();
    for (n, row) in rows.iter().enumerate() {
        let expected_seq = n as i64 + 1;
        let seq: i64 = row.get(0);
        let stored_prev: Vec<u8> = row.get(5);
        let stored_hash: Vec<u8> = row.get(6);
        let hash = entry_hash(&prev, seq, row.get(1), row.get(2), row.get(3), row.get(4));
        if seq != expected_seq || stored_prev != prev || stored_hash != hash {
            return Ok(AuditCheck {
                entries: n as u64,
                first_bad: Some(seq.min(expected_seq)),
            });
        }
        prev = stored_hash;
    }
    Ok(AuditCheck {
        entries: rows.len() as u64,
        first_bad: None,
    })
}

/// Records that `actor` was shown the identity document number of
/// `serial` (`via`: how): the entry names the badge, never the person or
/// the number.
pub async fn document_read(
    store: &Store,
    serial: &BadgeSerial,
    via: &str,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = store.write().await?;
    append(
        &mut tx,
        now,
        actor,
        "attendee.document_read",
        &serde_json::json!({ "serial": serial.as_str(), "via": via }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
