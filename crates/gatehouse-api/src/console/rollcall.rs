//! The evacuation roll-call: who is inside a zone right now, from the scan log
//! alone ([`crate::scan_log::inside`] decides presence), with what security
//! needs to find each person: name, organisation, category, when they entered.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use super::{local_minute, venue_tz, ExportFile};
use crate::csv_safe::guard;
use crate::error::{Error, Result};
use crate::event::{EventInfo, ZoneCode};
use crate::lang::Lang;
use crate::serial::BadgeSerial;
// Who is inside, as data, at its old paths.
pub use super::rollcall_list::{Rollcall, RollcallEntry};

/// The roll-call of `zone` now.
pub async fn rollcall(
    pool: &SqlitePool,
    event: &EventInfo,
    zone: &ZoneCode,
    now: Timestamp,
) -> Result<Rollcall> {
    let z = event.zone(zone).ok_or_else(|| {
        Error::from(crate::messages::Msg::NoZone {
            zone: zone.to_string(),
        })
    })?;
    let mut conn = pool.acquire().await?;
    let inside: BTreeSet<BadgeSerial> = crate::scan_log::inside(&mut conn, zone)
        .await?
        .into_iter()
        .collect();
    // The entry that put them inside is their latest admitted scan there,
    // which presence keeps (no pass over the zone's log).
    let mut entered: BTreeMap<String, String> = BTreeMap::new();
    for r in sqlx::query("SELECT serial, at FROM presence WHERE zone = ? AND direction = 'in'")
        .bind(zone.as_str())
        .fetch_all(&mut *conn)
        .await?
    {
        entered.insert(r.get(0), r.get(1));
    }
    let mut people: BTreeMap<String, (String, RollcallEntry)> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT a.serial, a.given_names, a.family_name, a.organisation, a.country, a.category,
                d.name, a.folded_name
         FROM attendee a LEFT JOIN delegation d ON d.id = a.delegation_id
         WHERE a.serial IN (SELECT serial FROM presence WHERE zone = ? AND direction = 'in')",
    )
    .bind(zone.as_str())
    .fetch_all(&mut *conn)
    .await?
    {
        let serial: String = r.get(0);
        let given: String = r.get(1);
        let family: String = r.get(2);
        let name = match (given.is_empty(), family.is_empty()) {
            (true, _) => family.clone(),
            (_, true) => given.clone(),
            _ => format!("{given} {family}"),
        };
        let entry = RollcallEntry {
            serial: BadgeSerial::try_from(serial.clone())?,
            name,
            given_names: given,
            family_name: family,
            organisation: r.get(3),
            country: r.get(4),
            category: r.get(5),
            delegation: r.get(6),
            entered_at: String::new(),
        };
        people.insert(serial, (r.get(7), entry));
    }
    let mut rows: Vec<(String, RollcallEntry)> = inside
        .into_iter()
        .map(|serial| {
            let at = entered.get(serial.as_str()).cloned().unwrap_or_default();
            let (key, mut entry) = people.remove(serial.as_str()).unwrap_or_else(|| {
                // Scanned in, then erased from the registry: still inside,
                // and security must still look for that badge.
                (
                    String::from("\u{10FFFF}"),
                    RollcallEntry {
                        serial: serial.clone(),
                        name: String::new(),
                        given_names: String::new(),
                        family_name: String::new(),
                        organisation: String::new(),
                        country: None,
                        category: String::new(),
                        delegation: None,
                        entered_at: String::new(),
                    },
                )
            });
            entry.entered_at = at;
            (key, entry)
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1.serial).cmp(&(&b.0, &b.1.serial)));
    Ok(Rollcall {
        zone: zone.clone(),
        zone_name_fr: z.name_fr.clone(),
        zone_name_en: z.name_en.clone(),
        capacity: z.capacity,
        at: crate::scan_log::format_at(now),
        entries: rows.into_iter().map(|(_, e)| e).collect(),
    })
}

/// The CSV column headers, in `lang`.
pub fn csv_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Fr => [
            "N° badge",
            "Nom",
            "Prénoms",
            "Organisation",
            "Pays",
            "Catégorie",
            "Délégation",
            "Entrée",
        ],
        Lang::En => [
            "Badge",
            "Family name",
            "Given names",
            "Organisation",
            "Country",
            "Category",
            "Delegation",
            "Entered",
        ],
    }
}

/// A base name for the files of this roll-call: `rollcall-HALL-20251111-0930`.
pub fn file_stem(r: &Rollcall, event: &EventInfo, lang: Lang) -> Result<String> {
    let tz = venue_tz(event)?;
    let at =
        r.at.parse::<Timestamp>()
            .map_err(|e| Error::Internal(format!("roll-call time {:?}: {e}", r.at)))?
            .to_zoned(tz)
            .strftime("%Y%m%d-%H%M")
            .to_string();
    Ok(format!(
        "{}-{}-{at}",
        lang.pick("appel", "rollcall"),
        r.zone.as_str()
    ))
}

/// UTF-8 CSV with a BOM (so Excel reads the accents), CRLF lines; `;` in
/// French (the separator French Excel expects), `,` in English. Times are
/// the venue's wall clock. Formula-like cells are defused ([`guard`]).
pub fn to_csv(r: &Rollcall, event: &EventInfo, lang: Lang) -> Result<ExportFile> {
    let tz = venue_tz(event)?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(match lang {
                Lang::Fr => b';',
                Lang::En => b',',
            })
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: csv::Error| Error::Internal(format!("roll-call CSV: {e}"));
        w.write_record(csv_headers(lang)).map_err(fail)?;
        for e in &r.entries {
            w.write_record(
                [
                    e.serial.as_str(),
                    &e.family_name,
                    &e.given_names,
                    &e.organisation,
                    e.country.as_deref().unwrap_or(""),
                    &e.category,
                    e.delegation.as_deref().unwrap_or(""),
                    &local_minute(&e.entered_at, &tz),
                ]
                .map(guard)
                .iter()
                .map(|c| c.as_bytes()),
            )
            .map_err(fail)?;
        }
        w.flush().map_err(|e| Error::io("roll-call CSV", e))?;
    }
    Ok(ExportFile {
        name: format!("{}.csv", file_stem(r, event, lang)?),
        mime: "text/csv; charset=utf-8",
        bytes: out,
    })
}

/// The roll-call as a printable A4 PDF.
pub fn to_pdf(r: &Rollcall, event: &EventInfo, lang: Lang) -> Result<ExportFile> {
    Ok(ExportFile {
        name: format!("{}.pdf", file_stem(r, event, lang)?),
        mime: "application/pdf",
        bytes: super::rollcall_pdf::write(r, event, lang)?,
    })
}

/// Which file a roll-call export makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RollcallFormat {
    Csv,
    Pdf,
}

impl RollcallFormat {
    /// By a file name's extension.
    pub fn of_path(path: &std::path::Path) -> Result<RollcallFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(RollcallFormat::Csv),
            Some("pdf") => Ok(RollcallFormat::Pdf),
            _ => Err(crate::messages::Msg::RollcallExtension {
                path: path.display().to_string(),
            }
            .into()),
        }
    }
}

pub fn export(
    r: &Rollcall,
    event: &EventInfo,
    format: RollcallFormat,
    lang: Lang,
) -> Result<ExportFile> {
    match format {
        RollcallFormat::Csv => to_csv(r, event, lang),
        RollcallFormat::Pdf => to_pdf(r, event, lang),
    }
}
