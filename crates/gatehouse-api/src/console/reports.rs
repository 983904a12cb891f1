//! Reports for the organisers: attendance per venue day (unique people
//! admitted), overall and per category, country and delegation, each beside
//! the number registered; and badge print statistics from the print log
//! (badges printed, reprints, failures, per printer and per day).
//!
//! The figures come from pure functions over plain rows ([`attendance`],
//! [`prints`]); [`load`] reads those rows from the logs. The files are all
//! drawn from one neutral form, a list of [`Table`]s ([`tables`]): CSV and
//! XLSX here, PDF in [`super::report_pdf`], so the three always agree.
//! Every text cell of a spreadsheet goes through [`crate::csv_safe::guard`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use super::{venue_day, venue_tz, ExportFile};
use crate::csv_safe::guard;
use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::lang::Lang;
use crate::scan_log::format_at;
// The tables a report is made of, at their old paths.
pub use super::report_table::{Cell, Heading, Table};

/// A registered attendee, as far as the reports group them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub serial: String,
    pub category: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub delegation: Option<String>,
}

/// An admitted (or warned) entry into any zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    pub serial: String,
    pub at: Timestamp,
}

/// One row of the print log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub serial: String,
    pub printer: String,
    pub at: Timestamp,
    /// `sent`, `completed`, `failed` or `canceled`.
    pub outcome: String,
}

/// The rows the reports are computed from.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub people: Vec<Person>,
    pub admissions: Vec<Admission>,
    /// In the order they were sent.
    pub prints: Vec<Printed>,
}

/// Attendance of one group (a category, a country, a delegation, or everyone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttendanceRow {
    /// The category code, country code or delegation name ("" for none).
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
    /// Attendees in the registry in this group.
    pub registered: u32,
    /// Unique people admitted on each day of [`AttendanceReport::days`].
    pub per_day: Vec<u32>,
    /// Unique people admitted on at least one day.
    pub any_day: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttendanceReport {
    /// Venue days (YYYY-MM-DD): the event's, and any other day with entries.
    pub days: Vec<String>,
    pub total: AttendanceRow,
    /// In the event's category order.
    pub by_category: Vec<AttendanceRow>,
    /// By name; "no country" last.
    pub by_country: Vec<AttendanceRow>,
    /// By name; "no delegation" last.
    pub by_delegation: Vec<AttendanceRow>,
}

/// Print figures of one group (a printer, a day, or all prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintRow {
    /// The printer's name or the day (YYYY-MM-DD); "" for the total.
    pub key: String,
    /// Print jobs that reached the printer (sent or completed), one per badge.
    pub prints: u32,
    /// Different badges among them.
    pub badges: u32,
    /// Prints of a badge that had already been printed before (wherever).
    pub reprints: u32,
    /// Jobs that failed or were cancelled.
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintReport {
    pub total: PrintRow,
    /// By printer name.
    pub by_printer: Vec<PrintRow>,
    /// By venue day.
    pub by_day: Vec<PrintRow>,
}

/// Both reports, as the console shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reports {
    /// When they were computed (RFC 3339, UTC).
    pub at: String,
    pub attendance: AttendanceReport,
    pub prints: PrintReport,
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Attendance,
    Prints,
}

/// Which file a report export makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl ReportFormat {
    /// By a file name's extension.
    pub fn of_path(path: &std::path::Path) -> Result<ReportFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(ReportFormat::Csv),
            Some("xlsx") => Ok(ReportFormat::Xlsx),
            Some("pdf") => Ok(ReportFormat::Pdf),
            _ => Err(crate::messages::Msg::ReportExtension {
                path: path.display().to_string(),
            }
            .into()),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One group being counted: who is registered in it, who came each day
/// (badges numbered in the order first seen, so the sets hold small integers).
#[derive(Default)]
struct Tally {
    registered: usize,
    per_day: BTreeMap<Date, HashSet<usize>>,
}

impl Tally {
    fn row(&self, key: String, label: (String, String), days: &[Date]) -> AttendanceRow {
        let any: HashSet<usize> = self.per_day.values().flatten().copied().collect();
        AttendanceRow {
            key,
            label_fr: label.0,
            label_en: label.1,
            registered: count(self.registered),
            per_day: days
                .iter()
                .map(|d| count(self.per_day.get(d).map_or(0, HashSet::len)))
                .collect(),
            any_day: count(any.len()),
        }
    }
}

/// Attendance: unique people admitted per venue day, overall and per group.
/// A badge scanned in but no longer in the registry (erased) counts in the
/// total and in the "unknown" groups.
pub fn attendance(
    event: &EventInfo,
    tz: &TimeZone,
    people: &[Person],
    admissions: &[Admission],
) -> AttendanceReport {
    let mut by_serial: HashMap<&str, (usize, Option<&Person>)> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.serial.as_str(), (i, Some(p))))
        .collect();
    let mut days: BTreeSet<Date> = event.days.iter().map(|d| d.date).collect();
    let mut total = Tally {
        registered: people.len(),
        ..Tally::default()
    };
    type Key = for<'p> fn(Option<&'p Person>) -> &'p str;
    let keys: [Key; 3] = [
        |p| p.map_or("", |p| p.category.as_str()),
        |p| p.and_then(|p| p.country.as_deref()).unwrap_or(""),
        |p| p.and_then(|p| p.delegation.as_deref()).unwrap_or(""),
    ];
    let mut groups: [BTreeMap<&str, Tally>; 3] = Default::default();
    for p in people {
        for (key, tallies) in keys.iter().zip(groups.iter_mut()) {
            tallies.entry(key(Some(p))).or_default().registered += 1;
        }
    }
    for a in admissions {
        let day = venue_day(a.at, tz);
        days.insert(day);
        let next = by_serial.len();
        let (badge, person) = *by_serial.entry(a.serial.as_str()).or_insert((next, None));
        total.per_day.entry(day).or_default().insert(badge);
        for (key, tallies) in keys.iter().zip(groups.iter_mut()) {
            tallies
                .entry(key(person))
                .or_default()
                .per_day
                .entry(day)
                .or_default()
                .insert(badge);
        }
    }
    let days: Vec<Date> = days.into_iter().collect();
    let [categories, countries, delegations] = groups;

    let position = |code: &str| {
        event
            .categories
            .iter()
            .position(|c| c.code.as_str() == code)
            .unwrap_or(usize::MAX)
    };
    let mut by_category: Vec<AttendanceRow> = categories
        .iter()
        .map(|(code, t)| {
            let label = match event.categories.iter().find(|c| c.code.as_str() == *code) {
                Some(c) => (c.name_fr.clone(), c.name_en.clone()),
                None if code.is_empty() => ("(inconnue)".into(), "(unknown)".into()),
                None => (code.to_string(), code.to_string()),
            };
            t.row(code.to_string(), label, &days)
        })
        .collect();
    by_category.sort_by_key(|r| (position(&r.key), r.key.clone()));

    let mut by_country: Vec<AttendanceRow> = countries
        .iter()
        .map(|(code, t)| {
            let name = |lang| crate::registry::country::country_name(code, lang).unwrap_or(code);
            let label = if code.is_empty() {
                ("(sans pays)".into(), "(no country)".into())
            } else {
                (
                    name(crate::lang::Lang::Fr).to_string(),
                    name(crate::lang::Lang::En).to_string(),
                )
            };
            t.row(code.to_string(), label, &days)
        })
        .collect();
    by_country.sort_by_key(|r| (r.key.is_empty(), crate::registry::fold::fold(&r.label_fr)));

    let mut by_delegation: Vec<AttendanceRow> = delegations
        .iter()
        .map(|(name, t)| {
            let label = if name.is_empty() {
                ("(sans délégation)".into(), "(no delegation)".into())
            } else {
                (name.to_string(), name.to_string())
            };
            t.row(name.to_string(), label, &days)
        })
        .collect();
    by_delegation.sort_by_key(|r| (r.key.is_empty(), crate::registry::fold::fold(&r.key)));

    AttendanceReport {
        days: days.iter().map(Date::to_string).collect(),
        total: total.row(String::new(), ("Total".into(), "Total".into()), &days),
        by_category,
        by_country,
        by_delegation,
    }
}

/// Print statistics from the print log, in the order the jobs were sent.
pub fn prints(tz: &TimeZone, log: &[Printed]) -> PrintReport {
    #[derive(Default)]
    struct Acc<'a> {
        prints: u32,
        badges: BTreeSet<&'a str>,
        reprints: u32,
        failed: u32,
    }
    impl Acc<'_> {
        fn row(&self, key: String) -> PrintRow {
            PrintRow {
                key,
                prints: self.prints,
                badges: count(self.badges.len()),
                reprints: self.reprints,
                failed: self.failed,
            }
        }
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut total = Acc::default();
    let mut printers: BTreeMap<&str, Acc> = BTreeMap::new();
    let mut days: BTreeMap<Date, Acc> = BTreeMap::new();
    for p in log {
        let day = venue_day(p.at, tz);
        let reached = matches!(p.outcome.as_str(), "sent" | "completed");
        let reprint = reached && !seen.insert(p.serial.as_str());
        for acc in [
            &mut total,
            printers.entry(p.printer.as_str()).or_default(),
            days.entry(day).or_default(),
        ] {
            if reached {
                acc.prints += 1;
                acc.badges.insert(p.serial.as_str());
                acc.reprints += u32::from(reprint);
            } else {
                acc.failed += 1;
            }
        }
    }
    PrintReport {
        total: total.row(String::new()),
        by_printer: printers
            .iter()
            .map(|(name, acc)| acc.row((*name).to_string()))
            .collect(),
        by_day: days
            .iter()
            .map(|(day, acc)| acc.row(day.to_string()))
            .collect(),
    }
}

fn at(text: &str, what: &str) -> Result<Timestamp> {
    text.parse::<Timestamp>()
        .map_err(|e| Error::Internal(format!("{what} time {text:?}: {e}")))
}

/// The rows of the reports, from the registry, the scan log and the print log.
pub async fn load(pool: &SqlitePool) -> Result<Rows> {
    let mut conn = pool.acquire().await?;
    let people = sqlx::query(
        "SELECT a.serial, a.category, a.country, d.name
         FROM attendee a LEFT JOIN delegation d ON d.id = a.delegation_id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Person {
        serial: r.get(0),
        category: r.get(1),
        country: r.get(2),
        delegation: r.get(3),
    })
    .collect();
    let mut admissions = Vec::new();
    for r in sqlx::query(
        "SELECT serial, at FROM scan
         WHERE serial IS NOT NULL AND direction = 'in' AND decision != 'deny'",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        admissions.push(Admission {
            serial: r.get(0),
            at: at(r.get(1), "scan")?,
        });
    }
    let mut prints = Vec::new();
    for r in sqlx::query("SELECT serial, printer, printed_at, outcome FROM print_log ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
    {
        prints.push(Printed {
            serial: r.get(0),
            printer: r.get(1),
            at: at(r.get(2), "print")?,
            outcome: r.get(3),
        });
    }
    Ok(Rows {
        people,
        admissions,
        prints,
    })
}

/// Both reports now.
pub async fn reports(pool: &SqlitePool, event: &EventInfo, now: Timestamp) -> Result<Reports> {
    let tz = venue_tz(event)?;
    let rows = load(pool).await?;
    Ok(Reports {
        at: format_at(now),
        attendance: attendance(event, &tz, &rows.people, &rows.admissions),
        prints: prints(&tz, &rows.prints),
    })
}

/// A report's title in `lang`.
pub fn title(kind: ReportKind, lang: Lang) -> &'static str {
    match kind {
        ReportKind::Attendance => lang.pick("Rapport de présence", "Attendance report"),
        ReportKind::Prints => lang.pick("Statistiques d'impression", "Print statistics"),
    }
}

fn heading(text: impl Into<String>, short: impl Into<String>, numeric: bool) -> Heading {
    Heading {
        text: text.into(),
        short: short.into(),
        numeric,
    }
}

/// The tables of one report, in `lang`.
pub fn tables(r: &Reports, kind: ReportKind, lang: Lang) -> Vec<Table> {
    match kind {
        ReportKind::Attendance => {
            let a = &r.attendance;
            let table = |title: &str, first: &str, rows: Vec<&AttendanceRow>| {
                let mut headings = vec![
                    heading(first, first, false),
                    heading(
                        lang.pick("Inscrits", "Registered"),
                        lang.pick("Inscrits", "Registered"),
                        true,
                    ),
                ];
                for d in &a.days {
                    // "2025-11-11" → "11/11" (fr) or "11-11" (en, month first).
                    let short = match (lang, d.get(5..7), d.get(8..10)) {
                        (Lang::Fr, Some(m), Some(dd)) => format!("{dd}/{m}"),
                        (Lang::En, Some(m), Some(dd)) => format!("{m}-{dd}"),
                        _ => d.clone(),
                    };
                    headings.push(heading(d.clone(), short, true));
                }
                headings.push(heading(
                    lang.pick("Au moins un jour", "Any day"),
                    lang.pick("Période", "Any day"),
                    true,
                ));
                Table {
                    title: title.to_string(),
                    headings,
                    rows: rows
                        .into_iter()
                        .map(|row| {
                            let mut cells = vec![
                                Cell::Text(match lang {
                                    Lang::Fr => row.label_fr.clone(),
                                    Lang::En => row.label_en.clone(),
                                }),
                                Cell::Number(row.registered),
                            ];
                            cells.extend(row.per_day.iter().map(|n| Cell::Number(*n)));
                            cells.push(Cell::Number(row.any_day));
                            cells
                        })
                        .collect(),
                }
            };
            vec![
                table(
                    lang.pick("Présence par jour", "Attendance per day"),
                    lang.pick("Ensemble", "Everyone"),
                    vec![&a.total],
                ),
                table(
                    lang.pick("Par catégorie", "Per category"),
                    lang.pick("Catégorie", "Category"),
                    a.by_category.iter().collect(),
                ),
                table(
                    lang.pick("Par pays", "Per country"),
                    lang.pick("Pays", "Country"),
                    a.by_country.iter().collect(),
                ),
                table(
                    lang.pick("Par délégation", "Per delegation"),
                    lang.pick("Délégation", "Delegation"),
                    a.by_delegation.iter().collect(),
                ),
            ]
        }
        ReportKind::Prints => {
            let p = &r.prints;
            let table = |title: &str, first: &str, rows: Vec<&PrintRow>, total: bool| Table {
                title: title.to_string(),
                headings: vec![
                    heading(first, first, false),
                    heading(
                        lang.pick("Impressions", "Prints"),
                        lang.pick("Impr.", "Prints"),
                        true,
                    ),
                    heading("Badges", "Badges", true),
                    heading(
                        lang.pick("Réimpressions", "Reprints"),
                        lang.pick("Réimpr.", "Reprints"),
                        true,
                    ),
                    heading(
                        lang.pick("Échecs", "Failed"),
                        lang.pick("Échecs", "Failed"),
                        true,
                    ),
                ],
                rows: rows
                    .into_iter()
                    .map(|row| {
                        vec![
                            Cell::Text(if total {
                                lang.pick("Toutes", "All").to_string()
                            } else {
                                row.key.clone()
                            }),
                            Cell::Number(row.prints),
                            Cell::Number(row.badges),
                            Cell::Number(row.reprints),
                            Cell::Number(row.failed),
                        ]
                    })
                    .collect(),
            };
            vec![
                table(
                    lang.pick("Ensemble", "Overall"),
                    lang.pick("Imprimante", "Printer"),
                    vec![&p.total],
                    true,
                ),
                table(
                    lang.pick("Par imprimante", "Per printer"),
                    lang.pick("Imprimante", "Printer"),
                    p.by_printer.iter().collect(),
                    false,
                ),
                table(
                    lang.pick("Par jour", "Per day"),
                    lang.pick("Jour", "Day"),
                    p.by_day.iter().collect(),
                    false,
                ),
            ]
        }
    }
}

/// A base name for the files of a report: `presence-BAMEX25-20251111-1800`.
pub fn file_stem(r: &Reports, kind: ReportKind, event: &EventInfo, lang: Lang) -> Result<String> {
    let tz = venue_tz(event)?;
    let when = at(&r.at, "report")?
        .to_zoned(tz)
        .strftime("%Y%m%d-%H%M")
        .to_string();
    let name = match kind {
        ReportKind::Attendance => lang.pick("presence", "attendance"),
        ReportKind::Prints => lang.pick("impressions", "prints"),
    };
    let code: String = event
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Ok(format!("{name}-{code}-{when}"))
}

/// One CSV for the whole report: the table's title in the first column, then
/// the table's columns (the tables of one report share them). UTF-8 with a
/// BOM, CRLF; `;` in French, `,` in English, as the roll-call.
pub fn to_csv(tables: &[Table], lang: Lang) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(match lang {
                Lang::Fr => b';',
                Lang::En => b',',
            })
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        let fail = |e: csv::Error| Error::Internal(format!("report CSV: {e}"));
        let mut last_headings: Option<Vec<String>> = None;
        for t in tables {
            let headings: Vec<String> = t.headings.iter().map(|h| h.text.clone()).collect();
            // The tables of a report share their columns but for the first
            // one's name; write a heading line whenever the columns change.
            if last_headings.as_ref().map(|h| &h[1..]) != Some(&headings[1..]) {
                let mut line = vec![lang.pick("Tableau", "Table").to_string()];
                line.extend(headings.iter().map(|h| guard(h).into_owned()));
                w.write_record(&line).map_err(fail)?;
            }
            last_headings = Some(headings);
            for row in &t.rows {
                let mut line = vec![guard(&t.title).into_owned()];
                line.extend(row.iter().map(|c| match c {
                    Cell::Text(s) => guard(s).into_owned(),
                    Cell::Number(n) => n.to_string(),
                }));
                w.write_record(&line).map_err(fail)?;
            }
        }
        w.flush().map_err(|e| Error::io("report CSV", e))?;
    }
    Ok(out)
}

/// An XLSX workbook with one sheet per table: bold frozen headings, numbers
/// as numbers (so they can be summed), text guarded.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("report XLSX: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for t in tables {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\.
        let name: String = t
            .title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(name).map_err(fail)?;
        for (c, h) in t.headings.iter().enumerate() {
            let c = u16::try_from(c)
                .map_err(|_| Error::from(crate::messages::Msg::XlsxTooManyColumns {}))?;
            sheet
                .write_string_with_format(0, c, guard(&h.text), &bold)
                .map_err(fail)?;
            sheet
                .set_column_width(c, if c == 0 { 32 } else { 14 })
                .map_err(fail)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1)
                .map_err(|_| Error::from(crate::messages::Msg::XlsxTooManyRows {}))?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c)
                    .map_err(|_| Error::from(crate::messages::Msg::XlsxTooManyColumns {}))?;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, guard(s)).map_err(fail)?,
                    Cell::Number(n) => sheet.write_number(r, c, f64::from(*n)).map_err(fail)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}

/// The report as a file to keep.
pub fn export(
    r: &Reports,
    kind: ReportKind,
    event: &EventInfo,
    format: ReportFormat,
    lang: Lang,
) -> Result<ExportFile> {
    let stem = file_stem(r, kind, event, lang)?;
    let tables = tables(r, kind, lang);
    Ok(match format {
        ReportFormat::Csv => ExportFile {
            name: format!("{stem}.csv"),
            mime: "text/csv; charset=utf-8",
            bytes: to_csv(&tables, lang)?,
        },
        ReportFormat::Xlsx => ExportFile {
            name: format!("{stem}.xlsx"),
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes: to_xlsx(&tables)?,
        },
        ReportFormat::Pdf => ExportFile {
            name: format!("{stem}.pdf"),
            mime: "application/pdf",
            bytes: super::report_pdf::write(title(kind, lang), &tables, event, &r.at, lang)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Result<Timestamp> {
        at(s, "test")
    }

    fn person(serial: &str, category: &str, country: Option<&str>, del: Option<&str>) -> Person {
        Person {
            serial: serial.into(),
            category: category.into(),
            country: country.map(String::from),
            delegation: del.map(String::from),
        }
    }

    #[test]
    fn attendance_counts_each_person_once_per_venue_day() -> Result<()> {
        let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let tz = venue_tz(&event)?;
        let people = [
            person("BMX-000001", "DEL", Some("ML"), Some("Mali")),
            person("BMX-000002", "DEL", Some("ML"), Some("Mali")),
            person("BMX-000003", "EXH", Some("FR"), None),
        ];
        let admit = |serial: &str, at: &str| -> Result<Admission> {
            Ok(Admission {
                serial: serial.into(),
                at: t(at)?,
            })
        };
        let admissions = [
            // Twice the first day (two zones): one person.
            admit("BMX-000001", "2025-11-11T08:00:00Z")?,
            admit("BMX-000001", "2025-11-11T12:00:00Z")?,
            admit("BMX-000003", "2025-11-11T09:00:00Z")?,
            // 23:30 UTC on the 11th is the 11th in Bamako (UTC+0).
            admit("BMX-000002", "2025-11-11T23:30:00Z")?,
            admit("BMX-000001", "2025-11-12T08:00:00Z")?,
            // Erased since: counted, as unknown.
            admit("BMX-000099", "2025-11-12T08:00:00Z")?,
        ];
        let r = attendance(&event, &tz, &people, &admissions);
        assert_eq!(
            r.days,
            ["2025-11-11", "2025-11-12", "2025-11-13", "2025-11-14"]
        );
        assert_eq!(r.total.registered, 3);
        assert_eq!(r.total.per_day, [3, 2, 0, 0]);
        assert_eq!(r.total.any_day, 4);
        let del = r
            .by_category
            .iter()
            .find(|r| r.key == "DEL")
            .ok_or_else(|| Error::Internal("no DEL row".into()))?;
        assert_eq!(
            (del.registered, &del.per_day[..2], del.any_day),
            (2, &[2, 1][..], 2)
        );
        let last = r.by_country.last().map(|r| r.label_en.as_str());
        assert_eq!(last, Some("(no country)"), "{:?}", r.by_country);
        let mali = &r.by_delegation[0];
        assert_eq!(
            (mali.key.as_str(), mali.registered, mali.any_day),
            ("Mali", 2, 2)
        );
        Ok(())
    }

    #[test]
    fn prints_count_badges_reprints_and_failures() -> Result<()> {
        let tz = TimeZone::UTC;
        let p = |serial: &str, printer: &str, at: &str, outcome: &str| -> Result<Printed> {
            Ok(Printed {
                serial: serial.into(),
                printer: printer.into(),
                at: t(at)?,
                outcome: outcome.into(),
            })
        };
        let log = [
            p("BMX-000001", "desk-1", "2025-11-11T08:00:00Z", "completed")?,
            p("BMX-000002", "desk-1", "2025-11-11T08:01:00Z", "failed")?,
            p("BMX-000002", "desk-2", "2025-11-11T08:02:00Z", "completed")?,
            p("BMX-000001", "desk-2", "2025-11-12T08:00:00Z", "sent")?,
        ];
        let r = prints(&tz, &log);
        let row = |k: &str, a, b, c, d| PrintRow {
            key: k.into(),
            prints: a,
            badges: b,
            reprints: c,
            failed: d,
        };
        assert_eq!(r.total, row("", 3, 2, 1, 1));
        assert_eq!(
            r.by_printer,
            [row("desk-1", 1, 1, 0, 1), row("desk-2", 2, 2, 1, 0)]
        );
        assert_eq!(
            r.by_day,
            [row("2025-11-11", 2, 2, 0, 1), row("2025-11-12", 1, 1, 1, 0)]
        );
        Ok(())
    }
}
