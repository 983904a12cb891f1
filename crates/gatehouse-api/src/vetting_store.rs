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
    /// Watchlist hits above the threshold (on organiser stations, which
    /// hold the list; 0 elsewhere).
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
    /// Only those with watchlist hits.
    #[serde(default)]
    #[ts(optional)]
    pub watchlist: Option<bool>,
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

/// Whether screening holds `serial` for review (the attendee's synced
/// `screening` field; desks and gates see only this, never the list).
async fn held_for_review(conn: &mut SqliteConnection, serial: &BadgeSerial) -> Result<bool> {
    let s: Option<Option<String>> =
        sqlx::query_scalar("SELECT screening FROM attendee WHERE serial = ?")
            .bind(serial.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(s.flatten().as_deref() == Some("held"))
}

/// A watchlist hit just held `serial`: its accreditation goes back to
/// `in_review` with the hit as the reason (a decision like any other:
/// audited, synced), so a clearance made before the hit no longer opens
/// the gates. Nothing is recorded for someone refused or already in review.
pub async fn hold_for_review(
    conn: &mut SqliteConnection,
    serial: &str,
    reason: &str,
    now: Timestamp,
    actor: &str,
) -> Result<bool> {
    let serial: BadgeSerial = serial.parse()?;
    let from = status(conn, &serial).await?;
    if matches!(from, Accreditation::Refused | Accreditation::InReview) {
        return Ok(false);
    }
    insert_decision(
        conn,
        &serial,
        Accreditation::InReview,
        from,
        reason,
        now,
        actor,
    )
    .await?;
    Ok(true)
}

/// Records one decision (immutable, synced through its trigger) with its
/// audit entry, in the caller's transaction: what [`decide_in`] and
/// [`hold_for_review`] both write.
async fn insert_decision(
    conn: &mut SqliteConnection,
    serial: &BadgeSerial,
    status: Accreditation,
    from: Accreditation,
    reason: &str,
    now: Timestamp,
    actor: &str,
) -> Result<Decision> {
    let d = Decision {
        id: uuid::Uuid::now_v7().to_string(),
        serial: serial.to_string(),
        status,
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
    .execute(&mut *conn)
    .await?;
    crate::audit::append(
        conn,
        now,
        actor,
        "vetting.decide",
        // The reason itself stays in the decision (erased with the person);
        // the chain keeps its digest, so a reason changed otherwise shows.
        &serde_json::json!({
            "serial": serial,
            "status": d.status,
            "from": from,
            "decision": d.id,
            "reason_sha256": reason_digest(reason),
        }),
    )
    .await?;
    Ok(d)
}

/// The SHA-256 of a decision's reason, hex (what its audit entry keeps).
pub fn reason_digest(reason: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(reason.as_bytes()))
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
                a.country, a.category, d.name, a.doc_type, a.photo_sha256 IS NOT NULL,
                a.screening = 'held', (SELECT COUNT(*) FROM watchlist_hit h WHERE h.attendee = a.id)
         FROM attendee a LEFT JOIN delegation d ON d.id = a.delegation_id
         WHERE a.erased_at IS NULL ORDER BY a.serial",
    )
    .fetch_all(pool)
    .await?
    {
        let category: String = r.get(7);
        let held = r.get::<Option<bool>, _>(11).unwrap_or(false);
        let hits = u32::try_from(r.get::<i64, _>(12)).unwrap_or(u32::MAX);
        // Vetted categories, and anyone screening holds or hits.
        if !vetted.contains(&category.as_str()) && !held && hits == 0 {
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
            watchlist_hits: hits,
        };
        let keep = filter.status.is_none_or(|s| s == row.status)
            && (!filter.watchlist.unwrap_or(false) || row.watchlist_hits > 0)
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
        return Err(crate::messages::Msg::NoAttendee {
            serial: serial.to_string(),
        }
        .into());
    };
    let vetted = event
        .categories
        .iter()
        .any(|c| c.code.as_str() == category && c.vetting)
        || held_for_review(tx, serial).await?;
    if !vetted {
        return Err(Msg::VettingNotVetted {
            serial: serial.to_string(),
        }
        .into());
    }
    let from = status(tx, serial).await?;
    let reason = req.reason.trim();
    vetting::transition(serial.as_str(), from, req.status, reason)?;
    let d = insert_decision(tx, serial, req.status, from, reason, now, actor).await?;
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
        let event = crate::event_store::load(store.read())
            .await
            .map_err(|e| (0, e))?;
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

/// Every person this station holds a vetting decision on or screening holds,
/// with their status and whether screening holds them, in one query: what a
/// batch of badges reads instead of two queries per person.
pub async fn standing_all(
    pool: &SqlitePool,
) -> Result<std::collections::HashMap<String, (Accreditation, bool)>> {
    let rows = sqlx::query(
        "SELECT a.serial, a.screening,
                (SELECT v.status FROM vetting_decision v WHERE v.serial = a.serial
                 ORDER BY v.at_ms DESC, v.id DESC LIMIT 1)
         FROM attendee a
         WHERE a.screening = 'held' OR EXISTS (SELECT 1 FROM vetting_decision v WHERE v.serial = a.serial)",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let serial: String = r.get(0);
            let held = r.get::<Option<String>, _>(1).as_deref() == Some("held");
            let status = r
                .get::<Option<String>, _>(2)
                .as_deref()
                .and_then(Accreditation::parse)
                .unwrap_or(Accreditation::Applied);
            (serial, (status, held))
        })
        .collect())
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
    let held = held_for_review(&mut conn, serial).await?;
    let rule = vetting::print_rule_for(event, category, held, status);
    if rule == vetting::PrintRule::Refuse {
        return Err(vetting::print_refusal(serial.as_str(), status));
    }
    Ok(rule)
}

// ------------------------------------------------- the services' round trip

/// One line of an answer file refused, and why.
#[derive(Debug)]
pub struct LineError {
    pub line: u64,
    pub error: Error,
}

/// Which column holds what, by its header (case and accents do not matter).
fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = crate::registry::fold::fold(h);
        names.iter().any(|n| h == *n)
    })
}

/// A decision as the services write it, in French or English.
pub fn decision_word(s: &str) -> Option<Accreditation> {
    let w = crate::registry::fold::fold(s).replace(['_', '-'], " ");
    Some(match w.trim() {
        "clear" | "cleared" | "accordee" | "accorde" | "accorder" | "favorable" | "ok" => {
            Accreditation::Cleared
        }
        "refuse" | "refused" | "refusee" | "refuser" | "defavorable" => Accreditation::Refused,
        "more info"
        | "more information"
        | "informations"
        | "complement"
        | "informations demandees" => Accreditation::MoreInfo,
        "review" | "in review" | "en examen" | "examen" => Accreditation::InReview,
        _ => return None,
    })
}

/// The services' answer (CSV or XLSX: a badge number or the organiser's
/// reference, a decision, a reason per line) read and checked whole: every
/// line's problem, or the decisions to record, in file order.
pub async fn plan_answers(
    pool: &SqlitePool,
    bytes: &[u8],
    file_name: &str,
) -> Result<std::result::Result<Vec<(u64, DecisionRequest)>, Vec<LineError>>> {
    let table = crate::registry::table::read_table(bytes, file_name)?;
    let badge = column(
        &table.headers,
        &[
            "badge",
            "numero de badge",
            "badge number",
            "n badge",
            "serial",
            "numero",
        ],
    );
    let reference = column(
        &table.headers,
        &[
            "reference",
            "organiser reference",
            "organizer reference",
            "external ref",
            "ref",
        ],
    );
    let decision = column(&table.headers, &["decision", "statut", "status"]);
    let reason = column(&table.headers, &["motif", "reason", "raison"]);
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(Msg::VettingImportColumns {}.into());
    };
    if badge.is_none() && reference.is_none() {
        return Err(Msg::VettingImportColumns {}.into());
    }
    let event = crate::event_store::load(pool).await?;
    let mut people: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    let mut by_ref: BTreeMap<String, String> = BTreeMap::new();
    for r in
        sqlx::query("SELECT serial, category, external_ref FROM attendee WHERE erased_at IS NULL")
            .fetch_all(pool)
            .await?
    {
        let serial: String = r.get(0);
        let ext: Option<String> = r.get(2);
        if let Some(e) = ext.as_ref().filter(|e| !e.trim().is_empty()) {
            by_ref.insert(e.trim().to_string(), serial.clone());
        }
        people.insert(serial, (r.get(1), ext));
    }
    let mut current: BTreeMap<String, Accreditation> = statuses(pool)
        .await?
        .into_iter()
        .map(|(s, (a, _))| (s, a))
        .collect();
    let mut plan = Vec::new();
    let mut errors = Vec::new();
    let cell = |row: &Vec<String>, i: Option<usize>| -> String {
        i.and_then(|i| row.get(i))
            .map(|c| crate::csv_safe::unguard(c.trim()).to_string())
            .unwrap_or_default()
    };
    for (line, row) in &table.rows {
        let line = *line;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = cell(row, badge).to_ascii_uppercase();
        let ext = cell(row, reference);
        let serial = if !number.is_empty() {
            people.contains_key(&number).then(|| number.clone())
        } else {
            by_ref.get(&ext).cloned()
        };
        let Some(serial) = serial else {
            errors.push(LineError {
                line,
                error: Msg::VettingImportWho {
                    value: if number.is_empty() { ext } else { number },
                }
                .into(),
            });
            continue;
        };
        let word = cell(row, Some(decision));
        let Some(to) = decision_word(&word) else {
            errors.push(LineError {
                line,
                error: Msg::VettingImportDecision { value: word }.into(),
            });
            continue;
        };
        let why = cell(row, Some(reason));
        let category = people.get(&serial).map(|p| p.0.clone()).unwrap_or_default();
        let vetted = event
            .categories
            .iter()
            .any(|c| c.code.as_str() == category && c.vetting);
        let checked = if vetted {
            let from = current
                .get(&serial)
                .copied()
                .unwrap_or(Accreditation::Applied);
            vetting::transition(&serial, from, to, &why)
        } else {
            Err(Msg::VettingNotVetted {
                serial: serial.clone(),
            }
            .into())
        };
        match checked {
            Ok(()) => {
                current.insert(serial.clone(), to);
                plan.push((
                    line,
                    DecisionRequest {
                        serial: serial.parse()?,
                        status: to,
                        reason: why,
                    },
                ));
            }
            Err(error) => errors.push(LineError { line, error }),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if plan.is_empty() {
        return Err(Msg::ImportEmpty {}.into());
    }
    Ok(Ok(plan))
}

/// Those awaiting vetting (applied, in review, more information) as one
/// zip: `vetting.xlsx` (one line each, every cell text) and their photos
/// as `photos/BADGE-NUMBER.jpg`. Audited: personal data leaves the station.
pub async fn export_zip(
    store: &Store,
    lang: crate::lang::Lang,
    now: Timestamp,
    actor: &str,
) -> Result<(Vec<u8>, usize)> {
    use std::io::Write;
    let waiting: Vec<QueueRow> = queue(store.read(), &QueueFilter::default())
        .await?
        .into_iter()
        .filter(|r| {
            matches!(
                r.status,
                Accreditation::Applied | Accreditation::InReview | Accreditation::MoreInfo
            )
        })
        .collect();
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("vetting XLSX: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.pick("Accréditation", "Vetting"))
        .map_err(fail)?;
    let headers = [
        lang.pick("Numéro de badge", "Badge number"),
        lang.pick("Référence", "Reference"),
        lang.pick("Nom", "Family name"),
        lang.pick("Prénoms", "Given names"),
        lang.pick("Date de naissance", "Date of birth"),
        lang.pick("Pays", "Country"),
        lang.pick("Type de pièce", "Document type"),
        lang.pick("Numéro de pièce", "Document number"),
        lang.pick("Organisation", "Organisation"),
        lang.pick("Fonction", "Job title"),
        lang.pick("Catégorie", "Category"),
        lang.pick("Délégation", "Delegation"),
        lang.pick("Statut", "Status"),
        lang.pick("Photo", "Photo"),
        lang.pick("Décision", "Decision"),
        lang.pick("Motif", "Reason"),
    ];
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(c as u16, 16).map_err(fail)?;
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let zfail = |e: zip::result::ZipError| Error::Internal(format!("vetting zip: {e}"));
    for (i, r) in waiting.iter().enumerate() {
        let a = crate::registry::get(store.read(), &r.serial).await?;
        let photo = if a.has_photo {
            let jpeg: Option<Vec<u8>> =
                sqlx::query_scalar("SELECT photo FROM attendee WHERE serial = ?")
                    .bind(r.serial.as_str())
                    .fetch_optional(store.read())
                    .await?
                    .flatten();
            jpeg.map(|j| (format!("photos/{}.jpg", r.serial), j))
        } else {
            None
        };
        let cells = [
            r.serial.to_string(),
            a.external_ref.clone().unwrap_or_default(),
            a.family_name.clone(),
            a.given_names.clone(),
            a.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            a.country.clone().unwrap_or_default(),
            a.doc_type.clone(),
            a.doc_number.clone(),
            a.organisation.clone(),
            a.job_title.clone(),
            r.category.clone(),
            r.delegation.clone().unwrap_or_default(),
            r.status.words(lang).to_string(),
            photo.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
        ];
        let row = u32::try_from(i + 1)
            .map_err(|_| Error::from(crate::messages::Msg::XlsxTooManyRows {}))?;
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet
                    .write_string(row, c as u16, crate::csv_safe::guard(v))
                    .map_err(fail)?;
            }
        }
        if let Some((name, jpeg)) = photo {
            zip.start_file(name, opts).map_err(zfail)?;
            zip.write_all(&jpeg)
                .map_err(|e| Error::io("vetting zip", e))?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    let xlsx = book.save_to_buffer().map_err(fail)?;
    zip.start_file("vetting.xlsx", opts).map_err(zfail)?;
    zip.write_all(&xlsx)
        .map_err(|e| Error::io("vetting zip", e))?;
    let bytes = zip.finish().map_err(zfail)?.into_inner();
    let mut tx = store.write().await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "vetting.export",
        &serde_json::json!({ "people": waiting.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok((bytes, waiting.len()))
}

/// Reads the services' answer and records its decisions, all or none: the
/// lines refused (each with its line number), or the decisions made.
pub async fn import_answers(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    now: Timestamp,
    actor: &str,
) -> Result<std::result::Result<Vec<Decision>, Vec<LineError>>> {
    let plan = match plan_answers(store.read(), bytes, file_name).await? {
        Ok(plan) => plan,
        Err(errors) => return Ok(Err(errors)),
    };
    let reqs: Vec<DecisionRequest> = plan.iter().map(|(_, r)| r.clone()).collect();
    match decide(store, &reqs, now, actor).await {
        Ok(done) => Ok(Ok(done)),
        // Changed between the check and the write (another decision came).
        Err((i, error)) => match plan.get(i.wrapping_sub(1)) {
            Some((line, _)) => Ok(Err(vec![LineError { line: *line, error }])),
            None => Err(error),
        },
    }
}

/// What a desk shows of one person's vetting: whether their category is
/// vetted, their status and whether their badge prints now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccreditationView {
    pub serial: BadgeSerial,
    /// Their category is vetted (whatever the hold policy).
    pub vetted: bool,
    pub status: Accreditation,
    pub print: vetting::PrintRule,
}

pub async fn accreditation(store: &Store, serial: &BadgeSerial) -> Result<AccreditationView> {
    let event = crate::event_store::load(store.read()).await?;
    let a = crate::registry::get(store.read(), serial).await?;
    let mut conn = store.read().acquire().await?;
    let status = status(&mut conn, serial).await?;
    let held = held_for_review(&mut conn, serial).await?;
    let vetted = held
        || event
            .categories
            .iter()
            .any(|c| c.code == a.category && c.vetting);
    let (policy, required) =
        vetting::for_person(event.vetting, vetting::required(&event, &a.category), held);
    Ok(AccreditationView {
        serial: serial.clone(),
        vetted,
        status,
        print: vetting::print_rule(policy, required, status),
    })
}

/// One person's identity document as the vetting screen reveals it, on
/// request, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentReveal {
    pub serial: BadgeSerial,
    pub doc_type: String,
    /// Empty when none is on file.
    pub doc_number: String,
}

/// The document number of a person in the vetting queue (a vetted
/// category, or held by screening), shown to `actor`: every reveal is an
/// audit entry (`attendee.document_read`, `via: vetting`) naming the badge,
/// never the number. Someone outside the queue is refused.
pub async fn reveal_document(
    store: &Store,
    serial: &BadgeSerial,
    now: Timestamp,
    actor: &str,
) -> Result<DocumentReveal> {
    let view = accreditation(store, serial).await?;
    if !view.vetted {
        return Err(Msg::VettingNotVetted {
            serial: serial.to_string(),
        }
        .into());
    }
    let a = crate::registry::get(store.read(), serial).await?;
    crate::audit::document_read(store, serial, "vetting", actor, now).await?;
    Ok(DocumentReveal {
        serial: serial.clone(),
        doc_type: a.doc_type,
        doc_number: a.doc_number,
    })
}
