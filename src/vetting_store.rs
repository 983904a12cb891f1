//! Vetting decisions in the store (issue 16, migration 0027): each decision
//! in one transaction with its audit entry, and a refusal with the badge's
//! revocation; the queue the vetting screen and `gatehouse vetting list`
//! show. The rules are `crate::vetting`'s.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::messages::Msg;
use crate::serial::BadgeSerial;
use crate::store::Store;
use crate::vetting::{self, Accreditation, Decision};

/// One decision asked for: whom, what, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionRequest {
    pub serial: BadgeSerial,
    pub status: Accreditation,
    pub reason: String,
}

/// One person in the vetting queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueRow {
    pub serial: BadgeSerial,
    pub external_ref: Option<String>,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    pub job_title: String,
    pub country: Option<String>,
    pub category: String,
    pub delegation: Option<String>,
    pub doc_type: String,
    pub has_photo: bool,
    pub status: Accreditation,
    /// The latest decision's reason, who made it and when (Unix ms).
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    #[ts(type = "number | null")]
    pub decided_at_ms: Option<i64>,
    /// Watchlist hits above the threshold (issue 16's screening, connected
    /// by the watchlist's storage; 0 until then).
    pub watchlist_hits: u32,
}

/// What the queue shows (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueFilter {
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<Accreditation>,
    #[serde(default)]
    #[ts(optional)]
    pub category: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub delegation: Option<String>,
}

/// A person's accreditation status as this station knows it.
pub async fn status(conn: &mut SqliteConnection, serial: &BadgeSerial) -> Result<Accreditation> {
    let s: Option<String> = sqlx::query_scalar(
        "SELECT status FROM vetting_decision WHERE serial = ? ORDER BY at_ms DESC, id DESC LIMIT 1",
    )
    .bind(serial.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(s.as_deref()
        .and_then(Accreditation::parse)
        .unwrap_or(Accreditation::Applied))
}

/// Every person's status (those with no decision are `applied`).
async fn statuses(pool: &SqlitePool) -> Result<BTreeMap<String, (Accreditation, Decision)>> {
    let mut out = BTreeMap::new();
    for r in sqlx::query(
        "SELECT id, serial, status, reason, at_ms, by FROM vetting_decision ORDER BY at_ms, id",
    )
    .fetch_all(pool)
    .await?
    {
        let status = Accreditation::parse(r.get(2)).unwrap_or(Accreditation::Applied);
        let d = Decision {
            id: r.get(0),
            serial: r.get(1),
            status,
            reason: r.get(3),
            at_ms: r.get(4),
            by: r.get(5),
        };
        out.insert(d.serial.clone(), (status, d));
    }
    Ok(out)
}

/// The people of vetted categories, with their status, as `filter` says;
/// by status (those awaiting a decision first), then badge number.
pub async fn queue(pool: &SqlitePool, filter: &QueueFilter) -> Result<Vec<QueueRow>> {
    let event = crate::event_store::load(pool).await?;
    let vetted: Vec<&str> = event
        .categories
        .iter()
        .filter(|c| c.vetting)
        .map(|c| c.code.as_str())
        .collect();
    let decided = statuses(pool).await?;
    let mut out = Vec::new();
    for r in sqlx::query(
        "SELECT a.serial, a.external_ref, a.given_names, a.family_name, a.organisation, a.job_title,
                a.country, a.category, d.name, a.doc_type, a.photo_sha256 IS NOT NULL
         FROM attendee a LEFT JOIN delegation d ON d.id = a.delegation_id
         WHERE a.erased_at IS NULL ORDER BY a.serial",
    )
    .fetch_all(pool)
    .await?
    {
        let category: String = r.get(7);
        if !vetted.contains(&category.as_str()) {
            continue;
        }
        let serial: String = r.get(0);
        let (status, last) = match decided.get(&serial) {
            Some((s, d)) => (*s, Some(d)),
            None => (Accreditation::Applied, None),
        };
        let row = QueueRow {
            serial: serial.parse()?,
            external_ref: r.get(1),
            given_names: r.get(2),
            family_name: r.get(3),
            organisation: r.get(4),
            job_title: r.get(5),
            country: r.get(6),
            category,
            delegation: r.get(8),
            doc_type: r.get(9),
            has_photo: r.get::<i64, _>(10) != 0,
            status,
            reason: last.map(|d| d.reason.clone()),
            decided_by: last.map(|d| d.by.clone()),
            decided_at_ms: last.map(|d| d.at_ms),
            watchlist_hits: 0,
        };
        let keep = filter.status.is_none_or(|s| s == row.status)
            && filter
                .category
                .as_deref()
                .is_none_or(|c| c.eq_ignore_ascii_case(&row.category))
            && filter
                .country
                .as_deref()
                .is_none_or(|c| row.country.as_deref().is_some_and(|rc| rc.eq_ignore_ascii_case(c)))
            && filter.delegation.as_deref().is_none_or(|d| {
                row.delegation
                    .as_deref()
                    .is_some_and(|rd| rd.trim().eq_ignore_ascii_case(d.trim()))
            });
        if keep {
            out.push(row);
        }
    }
    let waiting = |s: Accreditation| match s {
        Accreditation::Applied | Accreditation::InReview | Accreditation::MoreInfo => 0,
        _ => 1,
    };
    out.sort_by(|a, b| (waiting(a.status), &a.serial).cmp(&(waiting(b.status), &b.serial)));
    Ok(out)
}

/// Records one decision inside `tx`: checked against the person's status
/// and category, audited, and a refusal revokes the badge.
async fn decide_in(
    tx: &mut SqliteConnection,
    event: &EventInfo,
    req: &DecisionRequest,
    now: Timestamp,
    actor: &str,
) -> Result<Decision> {
    let serial = &req.serial;
    let category: Option<String> =
        sqlx::query_scalar("SELECT category FROM attendee WHERE serial = ? AND erased_at IS NULL")
            .bind(serial.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(category) = category else {
        return Err(Error::NotFound(format!(
            "no attendee with badge number {serial}"
        )));
    };
    let vetted = event
        .categories
        .iter()
        .any(|c| c.code.as_str() == category && c.vetting);
    if !vetted {
        return Err(Msg::VettingNotVetted {
            serial: serial.to_string(),
        }
        .into());
    }
    let from = status(tx, serial).await?;
    let reason = req.reason.trim();
    vetting::transition(serial.as_str(), from, req.status, reason)?;
    let d = Decision {
        id: uuid::Uuid::now_v7().to_string(),
        serial: serial.to_string(),
        status: req.status,
        reason: reason.to_string(),
        at_ms: now.as_millisecond(),
        by: actor.to_string(),
    };
    sqlx::query(
        "INSERT INTO vetting_decision (id, serial, status, reason, at_ms, by) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&d.id)
    .bind(&d.serial)
    .bind(d.status.as_str())
    .bind(&d.reason)
    .bind(d.at_ms)
    .bind(&d.by)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        tx,
        now,
        actor,
        "vetting.decide",
        &serde_json::json!({ "serial": serial, "status": d.status, "from": from, "reason": reason }),
    )
    .await?;
    if d.status == Accreditation::Refused {
        let revoked: Option<i64> = sqlx::query_scalar("SELECT 1 FROM revocation WHERE serial = ?")
            .bind(serial.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if revoked.is_none() {
            let why = format!("accréditation refusée / accreditation refused: {reason}");
            sqlx::query(
                "INSERT INTO revocation (id, serial, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(serial.as_str())
            .bind(&why)
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
                tx,
                now,
                actor,
                "badge.revoke",
                &serde_json::json!({ "serial": serial, "reason": why }),
            )
            .await?;
        }
    }
    Ok(d)
}

/// Records decisions, all or none: the first refused one stops them all
/// and says which (its place in `reqs`, from 1, and why).
pub async fn decide(
    store: &Store,
    reqs: &[DecisionRequest],
    now: Timestamp,
    actor: &str,
) -> std::result::Result<Vec<Decision>, (usize, Error)> {
    let run = async {
        let event = crate::event_store::load(store.read()).await.map_err(|e| (0, e))?;
        let mut tx = store.write().await.map_err(|e| (0, e))?;
        let mut out = Vec::with_capacity(reqs.len());
        for (i, req) in reqs.iter().enumerate() {
            out.push(
                decide_in(&mut tx, &event, req, now, actor)
                    .await
                    .map_err(|e| (i + 1, e))?,
            );
        }
        tx.commit().await.map_err(|e| (0, Error::from(e)))?;
        Ok(out)
    };
    run.await
}

/// Whether the badge of `serial` may print now, and held or not.
pub async fn print_rule(
    store: &Store,
    event: &EventInfo,
    serial: &BadgeSerial,
    category: &crate::event::CategoryCode,
) -> Result<vetting::PrintRule> {
    let mut conn = store.read().acquire().await?;
    let status = status(&mut conn, serial).await?;
    let required = vetting::required(event, category);
    let rule = vetting::print_rule(event.vetting, required, status);
    if rule == vetting::PrintRule::Refuse {
        return Err(vetting::print_refusal(serial.as_str(), status));
    }
    Ok(rule)
}
