//! The list of revoked badges, newest first, with the holder's name.
//! Revoking itself is [`crate::badge_issue::revoke`].

use serde::Serialize;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevocationRow {
    pub serial: String,
    /// "Given Family" ("" if the attendee was erased).
    pub name: String,
    pub organisation: String,
    pub category: String,
    pub reason: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub by: String,
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<RevocationRow>> {
    let rows = sqlx::query(
        "SELECT r.serial, COALESCE(a.given_names, ''), COALESCE(a.family_name, ''),
                COALESCE(a.organisation, ''), COALESCE(a.category, ''),
                r.reason, r.revoked_at, r.revoked_by
         FROM revocation r LEFT JOIN attendee a ON a.serial = r.serial
         ORDER BY julianday(r.revoked_at) DESC, r.id DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let (given, family): (String, String) = (r.get(1), r.get(2));
            RevocationRow {
                serial: r.get(0),
                name: [given, family]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                organisation: r.get(3),
                category: r.get(4),
                reason: r.get(5),
                at: r.get(6),
                by: r.get(7),
            }
        })
        .collect())
}
