//! Reading the audit log for the console: entries filtered by actor, action
//! and time, newest first. The chain check itself is [`crate::audit::verify`].

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The entry's detail as stored (JSON text).
    pub detail: String,
}

/// What to show. Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct AuditFilter {
    /// Part of the actor's name or id, any case.
    pub actor: Option<String>,
    /// An action (`badge.revoke`) or its start (`badge.`).
    pub action: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this instant (RFC 3339), exclusive.
    pub to: Option<String>,
    /// At most this many entries (default 200, at most 5000).
    pub limit: Option<u32>,
}

/// The entries matching `f`, newest first, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    #[ts(type = "number")]
    pub total: i64,
    /// Every action the log holds, for the filter's choices.
    pub actions: Vec<String>,
}

fn instant(field: &str, s: Option<&str>) -> Result<Option<String>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<jiff::Timestamp>()
            .map(|t| Some(t.to_string()))
            .map_err(|_| {
                Error::from(crate::messages::Msg::InstantFormat {
                    field: field.to_string(),
                    value: s.to_string(),
                })
            }),
    }
}

fn like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn entries(pool: &SqlitePool, f: &AuditFilter) -> Result<AuditPage> {
    let actor = f
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", like(s)));
    let action = f
        .action
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}%", like(s)));
    // Audit times are written by `Timestamp::to_string` (variable precision);
    // compare as instants, not text.
    let from = instant("from", f.from.as_deref())?;
    let to = instant("to", f.to.as_deref())?;
    let limit = i64::from(f.limit.unwrap_or(200).clamp(1, 5000));
    let filter = "WHERE (?1 IS NULL OR actor LIKE ?1 ESCAPE '\\')
          AND (?2 IS NULL OR action LIKE ?2 ESCAPE '\\')
          AND (?3 IS NULL OR julianday(at) >= julianday(?3))
          AND (?4 IS NULL OR julianday(at) < julianday(?4))";
    let rows = sqlx::query(&format!(
        "SELECT seq, at, actor, action, detail FROM audit {filter} ORDER BY seq DESC LIMIT ?5"
    ))
    .bind(&actor)
    .bind(&action)
    .bind(&from)
    .bind(&to)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit {filter}"))
        .bind(&actor)
        .bind(&action)
        .bind(&from)
        .bind(&to)
        .fetch_one(pool)
        .await?;
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT action FROM audit ORDER BY action")
            .fetch_all(pool)
            .await?;
    Ok(AuditPage {
        entries: rows
            .iter()
            .map(|r| AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                detail: r.get(4),
            })
            .collect(),
        total,
        actions,
    })
}

/// The chain check, with the first entry that does not verify as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditVerification {
    /// Entries that verified before the first bad one (all of them if none).
    #[ts(type = "number")]
    pub entries: u64,
    #[ts(type = "number | null")]
    pub first_bad: Option<i64>,
    /// That entry as it now reads (absent if it was deleted).
    pub entry: Option<AuditEntry>,
}

pub async fn verify(pool: &SqlitePool) -> Result<AuditVerification> {
    let check = crate::audit::verify(pool).await?;
    let entry = match check.first_bad {
        None => None,
        Some(seq) => sqlx::query("SELECT seq, at, actor, action, detail FROM audit WHERE seq = ?")
            .bind(seq)
            .fetch_optional(pool)
            .await?
            .map(|r| AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                detail: r.get(4),
            }),
    };
    Ok(AuditVerification {
        entries: check.entries,
        first_bad: check.first_bad,
        entry,
    })
}
