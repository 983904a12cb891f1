//! Conflicts for the security chief: the double admissions sync reveals
//! ([`crate::sync::conflicts::double_admissions`]), with the holder's name
//! and the notes written about each. A note is an audit entry
//! (`conflict.note`): reviewing leaves a tamper-evident trace and needs no
//! table of its own.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::sync::conflicts::Conflict;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictNote {
    pub at: String,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictRow {
    pub conflict: Conflict,
    /// The holder ("" if unknown or erased).
    pub name: String,
    /// Oldest first.
    pub notes: Vec<ConflictNote>,
}

/// The key a note is filed under: the scans involved.
fn key(scans: &[String]) -> String {
    scans.join(",")
}

pub async fn list(store: &Store) -> Result<Vec<ConflictRow>> {
    let scans = crate::scan_log::list(store, None, None).await?;
    let conflicts = crate::sync::conflicts::double_admissions(&scans);
    let mut notes: std::collections::BTreeMap<String, Vec<ConflictNote>> = Default::default();
    for r in sqlx::query(
        "SELECT at, actor, detail FROM audit WHERE action = 'conflict.note' ORDER BY seq",
    )
    .fetch_all(store.read())
    .await?
    {
        let detail: serde_json::Value =
            serde_json::from_str(r.get::<&str, _>(2)).unwrap_or_default();
        if let (Some(k), Some(text)) = (detail["key"].as_str(), detail["text"].as_str()) {
            notes.entry(k.to_string()).or_default().push(ConflictNote {
                at: r.get(0),
                by: r.get(1),
                text: text.to_string(),
            });
        }
    }
    let mut out = Vec::new();
    for c in conflicts {
        let name: Option<(String, String)> =
            sqlx::query_as("SELECT given_names, family_name FROM attendee WHERE serial = ?")
                .bind(&c.serial)
                .fetch_optional(store.read())
                .await?;
        out.push(ConflictRow {
            name: name
                .map(|(g, f)| format!("{g} {f}").trim().to_string())
                .unwrap_or_default(),
            notes: notes.remove(&key(&c.scans)).unwrap_or_default(),
            conflict: c,
        });
    }
    Ok(out)
}

/// Files a note on the conflict made of `scans`.
pub async fn annotate(
    store: &Store,
    scans: &[String],
    text: &str,
    now: Timestamp,
    actor: &str,
) -> Result<ConflictNote> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::messages::Msg::NoteMissing {}.into());
    }
    let all = crate::scan_log::list(store, None, None).await?;
    let conflict = crate::sync::conflicts::double_admissions(&all)
        .into_iter()
        .find(|c| c.scans == scans)
        .ok_or_else(|| {
            Error::from(crate::messages::Msg::NoConflict {
                scans: key(scans).to_string(),
            })
        })?;
    let mut tx = store.write().await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "conflict.note",
        &serde_json::json!({
            "key": key(scans),
            "serial": conflict.serial,
            "zone": conflict.zone,
            "text": text,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(ConflictNote {
        at: now.to_string(),
        by: actor.to_string(),
        text: text.to_string(),
    })
}
