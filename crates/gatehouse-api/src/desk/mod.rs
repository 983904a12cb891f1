//! The registration desk's operations that span several modules: the badge
//! of an attendee as printable data (registry + current token + event), its
//! PNG preview, printing one badge (optionally as a reprint, which
//! supersedes every older version), and the lists a desk picks from
//! (printers, delegations, a delegation's members for batch printing).
//!
//! Batch printing is a loop of single prints driven by the station, so the
//! screen can show progress and a per-badge summary; nothing here keeps
//! state between calls. Its list of members is read in two queries. Its HTTP routes are `serve`'s (`gatehouse::desk::http`).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::badge::{BadgeData, Format, Sheet, Template};
use crate::badge_issue::IssuedToken;
use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::registry::{Attendee, SearchHit, Status};
use crate::serial::BadgeSerial;
use crate::store::Store;

/// What the desk asks for when it prints one badge.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PrintRequest {
    /// The CUPS queue chosen in the station's settings.
    pub printer: String,
    #[serde(default = "default_format")]
    pub format: Format,
    /// Issue a new version first: the badge printed before is superseded.
    #[serde(default)]
    pub reprint: bool,
}

fn default_format() -> Format {
    Format::A6
}

/// A badge sent to a printer.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PrintOutcome {
    pub serial: BadgeSerial,
    /// The badge version the printed QR carries.
    pub version: u32,
    pub printer: String,
    /// The print system's job id (`GatehousePDF-12`), when it gave one.
    pub job: Option<String>,
    /// The attendee after printing (status `printed`).
    pub attendee: Attendee,
}

/// A print queue this station can send badges to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrinterInfo {
    pub name: String,
    /// The system's default destination.
    pub is_default: bool,
    /// False when the queue is disabled (it would hold the jobs).
    pub enabled: bool,
}

/// The printable data of an attendee's badge for the given token.
pub async fn badge_data(
    store: &Store,
    event: &EventInfo,
    attendee: &Attendee,
    issued: &IssuedToken,
    template: &Template,
) -> Result<BadgeData> {
    let photo = crate::registry::photo(store.read(), &attendee.serial).await?;
    badge_data_with(event, attendee, issued, template, photo)
}

/// The printable data of an attendee's badge for the given token and
/// stored photo (read by the caller: a batch reads all its photos at once).
pub fn badge_data_with(
    event: &EventInfo,
    attendee: &Attendee,
    issued: &IssuedToken,
    template: &Template,
    photo: Option<Vec<u8>>,
) -> Result<BadgeData> {
    let category = event.category(&attendee.category).ok_or_else(|| {
        Error::Internal(format!(
            "{} has category {} which the event does not define",
            attendee.serial,
            attendee.category.as_str()
        ))
    })?;
    let lang = template.language;
    let (zones, days) = crate::registry::effective_access(attendee, event);
    // Zones in the event's order, whatever order the override lists them in.
    let zones = event
        .zones
        .iter()
        .filter(|z| zones.contains(&z.code))
        .map(|z| z.code.as_str().to_string())
        .collect();
    Ok(BadgeData {
        serial: attendee.serial.clone(),
        version: issued.version,
        given_names: attendee.given_names.clone(),
        family_name: attendee.family_name.clone(),
        organisation: attendee.organisation.clone(),
        country_name: attendee
            .country
            .as_deref()
            .map(|c| {
                crate::registry::country_name(c, lang)
                    .unwrap_or(c)
                    .to_string()
            })
            .unwrap_or_default(),
        category_name: match lang {
            crate::lang::Lang::Fr => category.name_fr.clone(),
            crate::lang::Lang::En => category.name_en.clone(),
        },
        category_color: category.color.clone(),
        zones,
        days,
        photo_jpeg: photo,
        qr_text: issued.token.clone(),
        // Set by the caller from the vetting's print rule.
        held: false,
    })
}

fn blocking_failed(e: tokio::task::JoinError) -> Error {
    Error::Internal(format!("badge rendering failed: {e}"))
}

/// A PNG preview of the badge's current version (issuing version 1 if the
/// badge was never issued), at screen resolution.
pub async fn preview(
    store: &Store,
    serial: &BadgeSerial,
    format: Format,
    now: Timestamp,
    actor: &str,
) -> Result<Vec<u8>> {
    let event = crate::event_store::load(store.read()).await?;
    let attendee = crate::registry::get(store.read(), serial).await?;
    let issued = crate::badge_issue::token(store, serial, now, actor).await?;
    let template = crate::badge::template_store::current(store.read()).await?;
    let mut data = badge_data(store, &event, &attendee, &issued, &template).await?;
    // The preview shows the banner the print would carry.
    data.held = matches!(
        crate::vetting_store::print_rule(store, &event, serial, &attendee.category).await,
        Ok(crate::vetting::PrintRule::PrintHeld)
    );
    tokio::task::spawn_blocking(move || {
        crate::badge::preview::preview_png(&data, &template, format, 150.0)
    })
    .await
    .map_err(blocking_failed)?
}

/// Prints one badge silently to `req.printer`; on success the attendee's
/// status becomes `printed`. With `req.reprint`, a new version is issued
/// first (the earlier badge then verifies as `superseded`).
pub async fn print(
    store: &Store,
    serial: &BadgeSerial,
    req: &PrintRequest,
    now: Timestamp,
    actor: &str,
) -> Result<PrintOutcome> {
    let printer = req.printer.trim();
    if printer.is_empty() {
        return Err(crate::messages::Msg::NoPrinterChosen {}.into());
    }
    store.ensure_whole().await?;
    let event = crate::event_store::load(store.read()).await?;
    let attendee = crate::registry::get(store.read(), serial).await?;
    if attendee.status == Status::Revoked {
        return Err(crate::messages::Msg::RevokedNotPrinted {
            serial: serial.to_string(),
        }
        .into());
    }
    let rule = crate::vetting_store::print_rule(store, &event, serial, &attendee.category).await?;
    let issued = if req.reprint {
        crate::badge_issue::reprint(store, serial, now, actor).await?
    } else {
        crate::badge_issue::token_to_print(store, serial, now, actor).await?
    };
    let template = crate::badge::template_store::current(store.read()).await?;
    let mut data = badge_data(store, &event, &attendee, &issued, &template).await?;
    data.held = rule == crate::vetting::PrintRule::PrintHeld;
    let format = req.format;
    let pdf = tokio::task::spawn_blocking(move || {
        crate::badge::render_pdf(&[data], &template, format, Sheet::Single)
    })
    .await
    .map_err(blocking_failed)??;
    let title = format!("{serial} v{}", issued.version);
    // The badge engineer's CUPS client: 100 % scale (the QR's module size
    // matters), a stopped printer refused in plain words, the print log.
    let job = crate::print::send(
        store,
        printer,
        pdf,
        &title,
        &[(serial.clone(), issued.version)],
        format,
        actor,
        now,
    )
    .await?;
    let attendee = crate::registry::set_status(store, serial, Status::Printed, actor, now).await?;
    Ok(PrintOutcome {
        serial: serial.clone(),
        version: issued.version,
        printer: printer.to_string(),
        job: Some(job),
        attendee,
    })
}

/// What the desk asks for when it makes one badge as a PDF (no printer set
/// up at this station: the browser downloads it or opens the system's
/// print dialog on it).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PdfRequest {
    #[serde(default = "default_format")]
    pub format: Format,
    /// Issue a new version first: the badge printed before is superseded.
    #[serde(default)]
    pub reprint: bool,
}

/// A badge made as a PDF, recorded in the print log like a CUPS print.
#[derive(Debug, Clone)]
pub struct PdfBadge {
    pub pdf: Vec<u8>,
    /// `BMX-000042-v2.pdf`.
    pub file_name: String,
    pub version: u32,
    /// The attendee after it (status `printed`).
    pub attendee: Attendee,
}

/// A badge PDF the window saved into Downloads (it has no browser download).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PdfSaved {
    pub name: String,
    /// Where it went, to tell the officer.
    pub path: String,
    pub version: u32,
    pub attendee: Attendee,
}

/// One badge as a PDF to print outside Gatehouse: the same token rule and
/// rendering as [`print`], recorded in the print log (printer `PDF`) and
/// the attendee `printed`, as a CUPS print would be.
pub async fn pdf(
    store: &Store,
    serial: &BadgeSerial,
    req: &PdfRequest,
    now: Timestamp,
    actor: &str,
) -> Result<PdfBadge> {
    store.ensure_whole().await?;
    let event = crate::event_store::load(store.read()).await?;
    let attendee = crate::registry::get(store.read(), serial).await?;
    if attendee.status == Status::Revoked {
        return Err(crate::messages::Msg::RevokedNotPrinted {
            serial: serial.to_string(),
        }
        .into());
    }
    let rule = crate::vetting_store::print_rule(store, &event, serial, &attendee.category).await?;
    let issued = if req.reprint {
        crate::badge_issue::reprint(store, serial, now, actor).await?
    } else {
        crate::badge_issue::token_to_print(store, serial, now, actor).await?
    };
    let template = crate::badge::template_store::current(store.read()).await?;
    let mut data = badge_data(store, &event, &attendee, &issued, &template).await?;
    data.held = rule == crate::vetting::PrintRule::PrintHeld;
    let format = req.format;
    let pdf = tokio::task::spawn_blocking(move || {
        crate::badge::render_pdf(&[data], &template, format, Sheet::Single)
    })
    .await
    .map_err(blocking_failed)??;
    let file_name = format!("{serial}-v{}.pdf", issued.version);
    crate::print::log_pdf(
        store,
        &[(serial.clone(), issued.version)],
        format,
        &file_name,
        actor,
        now,
    )
    .await?;
    let attendee = crate::registry::set_status(store, serial, Status::Printed, actor, now).await?;
    Ok(PdfBadge {
        pdf,
        file_name,
        version: issued.version,
        attendee,
    })
}

/// Several badges as one PDF (the desk's batch print at a station without
/// a printer): every badge named, in that order, one page each.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BatchPdfRequest {
    pub serials: Vec<BadgeSerial>,
    #[serde(default = "default_format")]
    pub format: Format,
    /// Badges already printed get a new version first (the old ones are
    /// superseded); without it they are made again under their version.
    #[serde(default)]
    pub reprint: bool,
}

/// Several badges made as one PDF, each recorded in the print log like a
/// CUPS print.
#[derive(Debug, Clone)]
pub struct PdfBatch {
    pub pdf: Vec<u8>,
    /// `badges-20251111-093000-250.pdf` (UTC, to the millisecond).
    pub file_name: String,
    /// Each badge in the PDF, with the version it carries.
    pub badges: Vec<(BadgeSerial, u32)>,
    /// Revoked badges asked for, left out.
    pub skipped_revoked: Vec<BadgeSerial>,
}

/// Several badges as a PDF saved by the window into Downloads.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PdfBatchSaved {
    pub name: String,
    /// Where it went, to tell the officer.
    pub path: String,
    /// How many badges it holds.
    pub count: u32,
    pub skipped_revoked: Vec<BadgeSerial>,
}

/// The desk's batch print as one PDF: the same token rule and rendering
/// as [`pdf`] for each badge (revoked ones left out), every badge recorded
/// in the print log (printer `PDF`) and its holder `printed`.
pub async fn pdf_batch(
    store: &Store,
    req: &BatchPdfRequest,
    now: Timestamp,
    actor: &str,
) -> Result<PdfBatch> {
    store.ensure_whole().await?;
    let event = crate::event_store::load(store.read()).await?;
    let template = crate::badge::template_store::current(store.read()).await?;
    let mut data = Vec::new();
    let mut badges = Vec::new();
    let mut skipped_revoked = Vec::new();
    for serial in &req.serials {
        let attendee = crate::registry::get(store.read(), serial).await?;
        if attendee.status == Status::Revoked {
            skipped_revoked.push(serial.clone());
            continue;
        }
        // A person the vetting holds back stops the batch, named: a refused
        // or not-yet-cleared person never prints, alone or in a group.
        let rule =
            crate::vetting_store::print_rule(store, &event, serial, &attendee.category).await?;
        let issued = if req.reprint && attendee.status == Status::Printed {
            crate::badge_issue::reprint(store, serial, now, actor).await?
        } else {
            crate::badge_issue::token_to_print(store, serial, now, actor).await?
        };
        let mut one = badge_data(store, &event, &attendee, &issued, &template).await?;
        one.held = rule == crate::vetting::PrintRule::PrintHeld;
        data.push(one);
        badges.push((serial.clone(), issued.version));
    }
    if badges.is_empty() {
        return Err(crate::messages::Msg::BadgesNoneSelected {}.into());
    }
    let format = req.format;
    let pdf = tokio::task::spawn_blocking(move || {
        crate::badge::render_pdf(&data, &template, format, Sheet::Single)
    })
    .await
    .map_err(blocking_failed)??;
    let file_name = format!(
        "badges-{}-{:03}.pdf",
        now.strftime("%Y%m%d-%H%M%S"),
        now.subsec_millisecond()
    );
    crate::print::log_pdf(store, &badges, format, &file_name, actor, now).await?;
    for (serial, _) in &badges {
        crate::registry::set_status(store, serial, Status::Printed, actor, now).await?;
    }
    Ok(PdfBatch {
        pdf,
        file_name,
        badges,
        skipped_revoked,
    })
}

/// The CUPS queues of this machine (empty when CUPS is not installed).
pub async fn printers() -> Result<Vec<PrinterInfo>> {
    tokio::task::spawn_blocking(|| {
        let run = |args: &[&str]| match std::process::Command::new("lpstat")
            .args(args)
            .env("LC_ALL", "C")
            .output()
        {
            Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
            Err(_) => String::new(),
        };
        let default = run(&["-d"]);
        let default = default
            .lines()
            .find_map(|l| l.strip_prefix("system default destination:"))
            .map(|s| s.trim().to_string());
        parse_lpstat_p(&run(&["-p"]), default.as_deref())
    })
    .await
    .map_err(|e| Error::Internal(format!("listing printers failed: {e}")))
}

/// Parses `lpstat -p` ("printer NAME is idle.  enabled since …",
/// "printer NAME disabled since …").
fn parse_lpstat_p(text: &str, default: Option<&str>) -> Vec<PrinterInfo> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.strip_prefix("printer ")?.split_whitespace();
            let name = words.next()?.to_string();
            let enabled = !l.contains(" disabled");
            Some(PrinterInfo {
                is_default: default == Some(name.as_str()),
                name,
                enabled,
            })
        })
        .collect()
}

/// The delegations' names, sorted.
pub async fn delegations(store: &Store) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT name FROM delegation ORDER BY name")
        .fetch_all(store.read())
        .await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// The members of a delegation, by family name: two queries whatever their number.
pub async fn delegation_members(store: &Store, name: &str) -> Result<Vec<SearchHit>> {
    let rows = sqlx::query(
        "SELECT a.serial FROM attendee a JOIN delegation d ON d.id = a.delegation_id \
         WHERE d.name = ? ORDER BY a.folded_name",
    )
    .bind(name)
    .fetch_all(store.read())
    .await?;
    let serials = rows
        .iter()
        .map(|r| BadgeSerial::try_from(r.get::<String, _>(0)))
        .collect::<Result<Vec<_>>>()?;
    Ok(
        crate::registry::attendee::by_serials(store.read(), &serials)
            .await?
            .into_iter()
            .map(SearchHit::from)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpstat_lines_become_printers() {
        let text = "printer GatehousePDF is idle.  enabled since Fri Nov 27 22:34:16 2026\n\
                    printer Old disabled since Fri Nov 27 22:34:16 2026 -\n\
                    \treason unknown\n";
        let p = parse_lpstat_p(text, Some("GatehousePDF"));
        assert_eq!(
            p,
            vec![
                PrinterInfo {
                    name: "GatehousePDF".into(),
                    is_default: true,
                    enabled: true
                },
                PrinterInfo {
                    name: "Old".into(),
                    is_default: false,
                    enabled: false
                },
            ]
        );
    }
}

/// How a document read at the desk found its holder in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The registry holds this document number.
    DocumentNumber,
    /// No record has the number; these have the document's names (and its
    /// date of birth, or none on record).
    Name,
}

/// A document read by the desk's reader: what its MRZ says, and the
/// people it may be ("collect my badge").
#[derive(Debug, Clone, Serialize, TS)]
pub struct DocumentRead {
    pub mrz: crate::registry::mrz::Mrz,
    pub matched_by: Option<MatchedBy>,
    pub matches: Vec<SearchHit>,
}

/// A document number as records and documents may both spell it: capitals,
/// no spaces, dashes or fillers.
fn number_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A name compared across the ways it is written: folded, letters and
/// digits only (`Jean-Pierre` = `JEAN<PIERRE`).
fn name_key(s: &str) -> String {
    crate::registry::fold::fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Reads an MRZ typed at the desk (checked on `today`, the venue's date)
/// and looks its holder up: by document number, else by family and given
/// names.
pub async fn read_document(
    pool: &sqlx::SqlitePool,
    text: &str,
    today: jiff::civil::Date,
) -> Result<DocumentRead> {
    let mrz = crate::registry::mrz::read(text, today)?;
    let key = number_key(&mrz.document_number);
    let mut numbers: Vec<u32> = Vec::new();
    if !key.is_empty() {
        let rows = sqlx::query(
            "SELECT serial_no FROM attendee \
             WHERE upper(replace(replace(replace(doc_number, ' ', ''), '-', ''), '.', '')) = ? \
             ORDER BY serial_no",
        )
        .bind(&key)
        .fetch_all(pool)
        .await?;
        for r in rows {
            numbers.push(r.try_get::<u32, _>(0)?);
        }
    }
    if !numbers.is_empty() {
        let matches = crate::registry::attendee::by_numbers(pool, &numbers)
            .await?
            .into_iter()
            .map(SearchHit::from)
            .collect();
        return Ok(DocumentRead {
            mrz,
            matched_by: Some(MatchedBy::DocumentNumber),
            matches,
        });
    }
    let (family, given) = (name_key(&mrz.family_name), name_key(&mrz.given_names));
    let mut matches: Vec<SearchHit> = if family.is_empty() {
        Vec::new()
    } else {
        let query = format!("{} {}", mrz.family_name, mrz.given_names);
        crate::registry::search(pool, &query, 50)
            .await?
            .into_iter()
            .filter(|h| name_key(&h.family_name) == family && name_key(&h.given_names) == given)
            .collect()
    };
    // A date of birth on record that is not the document's is another
    // person; one that is the document's sets its records apart.
    if let (Some(born), false) = (mrz.birth_date, matches.is_empty()) {
        let serials: Vec<&str> = matches.iter().map(|h| h.serial.as_str()).collect();
        let list = serde_json::to_string(&serials).map_err(|e| Error::Internal(e.to_string()))?;
        let mut dates = std::collections::HashMap::new();
        for r in sqlx::query(
            "SELECT serial, birth_date FROM attendee WHERE serial IN (SELECT value FROM json_each(?))",
        )
        .bind(list)
        .fetch_all(pool)
        .await?
        {
            dates.insert(r.try_get::<String, _>(0)?, r.try_get::<Option<String>, _>(1)?);
        }
        let born = born.to_string();
        let on_record = |h: &SearchHit| dates.get(h.serial.as_str()).cloned().flatten();
        matches.retain(|h| on_record(h).is_none_or(|d| d == born));
        if matches.iter().any(|h| on_record(h).is_some()) {
            matches.retain(|h| on_record(h).is_some());
        }
    }
    Ok(DocumentRead {
        mrz,
        matched_by: (!matches.is_empty()).then_some(MatchedBy::Name),
        matches,
    })
}
