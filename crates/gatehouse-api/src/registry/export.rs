//! Attendees to CSV (UTF-8 with a BOM, so Excel opens accents right; `;` in
//! French, as French Excel expects) or XLSX: every field, badge number
//! first. The headers are ones [`crate::registry::import`] reads back, so an
//! export re-imports onto the same attendees. Formula-like cells are
//! defused by [`crate::csv_safe::guard`] (and read back by the importer).

use std::path::Path;

use jiff::Timestamp;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;

use crate::audit;
use crate::csv_safe::guard;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::registry::attendee::{self, Attendee};
use crate::registry::country::country_name;
use crate::store::Store;

/// Header cells (French, English).
const HEADERS: [(&str, &str); 21] = [
    ("N° badge", "Badge number"),
    ("Référence", "Reference"),
    ("Prénom", "First name"),
    ("Nom", "Last name"),
    ("Société", "Organisation"),
    ("Fonction", "Job title"),
    ("Pays", "Country"),
    ("Catégorie", "Category"),
    ("Délégation", "Delegation"),
    ("Email", "Email"),
    ("Téléphone", "Phone"),
    ("Type de pièce", "Document type"),
    ("N° pièce", "Document number"),
    ("Date de naissance", "Date of birth"),
    ("Zones", "Zones"),
    ("Jours", "Days"),
    ("Statut", "Status"),
    ("Photo", "Photo"),
    ("Notes", "Notes"),
    ("Créé le", "Created at"),
    ("Modifié le", "Updated at"),
];

pub fn headers(lang: Lang) -> Vec<&'static str> {
    HEADERS
        .iter()
        .map(|(fr, en)| match lang {
            Lang::Fr => *fr,
            Lang::En => *en,
        })
        .collect()
}

/// One attendee as the cells of a row, in [`headers`] order.
/// A status in words, as the desk says it (an import ignores this column).
fn status_word(status: attendee::Status, lang: Lang) -> &'static str {
    use attendee::Status::*;
    match (status, lang) {
        (Preregistered, Lang::Fr) => "Pré-inscrit",
        (Preregistered, Lang::En) => "Pre-registered",
        (Registered, Lang::Fr) => "Enregistré",
        (Registered, Lang::En) => "Registered",
        (Printed, Lang::Fr) => "Badge imprimé",
        (Printed, Lang::En) => "Badge printed",
        (Revoked, Lang::Fr) => "Révoqué",
        (Revoked, Lang::En) => "Revoked",
    }
}

pub fn row(a: &Attendee, lang: Lang) -> Vec<String> {
    let join = |items: Vec<String>| items.join(" ");
    vec![
        a.serial.to_string(),
        a.external_ref.clone().unwrap_or_default(),
        a.given_names.clone(),
        a.family_name.clone(),
        a.organisation.clone(),
        a.job_title.clone(),
        a.country
            .as_deref()
            .map(|c| country_name(c, lang).unwrap_or(c).to_string())
            .unwrap_or_default(),
        a.category.to_string(),
        a.delegation.clone().unwrap_or_default(),
        a.email.clone(),
        a.phone.clone(),
        a.doc_type.clone(),
        a.doc_number.clone(),
        a.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        a.zones_override
            .as_ref()
            .map(|z| join(z.iter().map(|z| z.to_string()).collect()))
            .unwrap_or_default(),
        a.days_override
            .as_ref()
            .map(|d| join(d.iter().map(|d| d.to_string()).collect()))
            .unwrap_or_default(),
        status_word(a.status, lang).to_string(),
        a.photo_sha256.clone().unwrap_or_default(),
        a.notes.clone(),
        a.created_at.to_string(),
        a.updated_at.to_string(),
    ]
}

/// CSV bytes: BOM, header line, one line per attendee, CRLF (as Excel writes).
pub fn to_csv(attendees: &[Attendee], lang: Lang) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(match lang {
                Lang::Fr => b';',
                Lang::En => b',',
            })
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: csv::Error| Error::Internal(format!("CSV export: {e}"));
        w.write_record(headers(lang)).map_err(fail)?;
        for a in attendees {
            w.write_record(row(a, lang).iter().map(|c| guard(c).into_owned()))
                .map_err(fail)?;
        }
        w.flush().map_err(|e| Error::io("CSV export", e))?;
    }
    Ok(out)
}

/// XLSX bytes: one sheet, bold frozen header row, every cell text (so phone
/// and document numbers keep their leading zeros).
pub fn to_xlsx(attendees: &[Attendee], lang: Lang) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("XLSX export: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::Fr => "Participants",
            Lang::En => "Attendees",
        })
        .map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers(lang).into_iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(c as u16, 16).map_err(fail)?;
    }
    for (r, a) in attendees.iter().enumerate() {
        let r = u32::try_from(r + 1)
            .map_err(|_| Error::from(crate::messages::Msg::XlsxTooManyRows {}))?;
        for (c, cell) in row(a, lang).iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r, c as u16, guard(cell)).map_err(fail)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// Writes every attendee to `path`, CSV or XLSX by its extension, and
/// records the export (personal data leaves the station) in the audit log.
pub async fn export(
    store: &Store,
    path: &Path,
    lang: Lang,
    actor: &str,
    now: Timestamp,
) -> Result<usize> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let attendees = attendee::all(store.read()).await?;
    let bytes = match ext.as_deref() {
        Some("csv") => to_csv(&attendees, lang)?,
        Some("xlsx") => to_xlsx(&attendees, lang)?,
        _ => {
            return Err(crate::messages::Msg::ExportExtension {
                path: path.display().to_string(),
            }
            .into())
        }
    };
    tokio::fs::write(path, bytes)
        .await
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    let mut tx = store.write().await?;
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.export",
        &json!({ "file": path.display().to_string(), "attendees": attendees.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(attendees.len())
}
