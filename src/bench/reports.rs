//! Report figures at the size of a large expo: 10,000 registered people,
//! 100,000 admitted entries over the four days and 12,000 print-log rows.
//! Measured on the pure functions, on each file format, and end to end from
//! a scratch database holding those entries in its scan log (read + count).
//! No target is set in the issue; these say whether an organiser waits.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

use super::Report;
use crate::console::reports::{
    attendance, export, prints, Admission, Person, Printed, ReportFormat, ReportKind, Reports,
};
use crate::console::venue_tz;
use crate::error::{Error, Result};
use crate::lang::Lang;

const PEOPLE: u32 = 10_000;
const ENTRIES: u32 = 100_000;
const PRINTS: u32 = 12_000;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

pub async fn run(report: &mut Report, dir: &std::path::Path) -> Result<()> {
    let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
    let tz = venue_tz(&event)?;
    let categories: Vec<String> = event
        .categories
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    let countries = ["ML", "TR", "SN", "CI", "BF", "NE", "FR", "IN", "QA", "GH"];
    let serial = |n: u32| format!("BMX-{n:06}");
    let people: Vec<Person> = (1..=PEOPLE)
        .map(|n| Person {
            serial: serial(n),
            category: categories[n as usize % categories.len()].clone(),
            country: Some(countries[n as usize % countries.len()].to_string()),
            delegation: (n % 7 == 0).then(|| format!("Délégation {}", n % 40)),
        })
        .collect();
    let start: Timestamp = "2025-11-11T07:00:00Z"
        .parse()
        .map_err(|e| Error::Internal(format!("bench start: {e}")))?;
    let at = |i: u32, span_s: u32| {
        // Four days, 07:00–19:00, spread evenly.
        let day = i64::from(i % 4);
        let second = i64::from((i / 4) % span_s);
        start
            .checked_add(SignedDuration::from_secs(day * 86_400 + second))
            .unwrap_or(start)
    };
    let admissions: Vec<Admission> = (0..ENTRIES)
        .map(|i| Admission {
            serial: serial(1 + (i.wrapping_mul(7919) % PEOPLE)),
            at: at(i, 12 * 3600),
        })
        .collect();
    let log: Vec<Printed> = (0..PRINTS)
        .map(|i| Printed {
            serial: serial(1 + i % PEOPLE),
            printer: format!("desk-{}", i % 6),
            at: at(i, 12 * 3600),
            outcome: if i % 50 == 0 { "failed" } else { "completed" }.into(),
        })
        .collect();

    let t = Instant::now();
    let a = attendance(&event, &tz, &people, &admissions);
    report.push(
        "reports",
        format!("attendance of {PEOPLE} people from {ENTRIES} entries"),
        ms(t),
        "ms",
        None,
    );
    let t = Instant::now();
    let p = prints(&tz, &log);
    report.push(
        "reports",
        format!("print statistics from {PRINTS} print-log rows"),
        ms(t),
        "ms",
        None,
    );
    let r = Reports {
        at: crate::scan_log::format_at(start),
        attendance: a,
        prints: p,
    };
    from_database(report, &admissions, dir).await?;
    for (format, name) in [
        (ReportFormat::Csv, "CSV"),
        (ReportFormat::Xlsx, "XLSX"),
        (ReportFormat::Pdf, "PDF"),
    ] {
        let t = Instant::now();
        let file = export(&r, ReportKind::Attendance, &event, format, Lang::Fr)?;
        let took = ms(t);
        // The size is a figure of its own: in the name, it made every change
        // of size a new figure that compare.py could not set beside the old.
        report.push(
            "reports",
            format!("attendance report as {name}"),
            took,
            "ms",
            None,
        );
        report.push(
            "reports",
            format!("  the same, size of the {name} file"),
            file.bytes.len() as f64,
            "bytes",
            None,
        );
    }
    Ok(())
}

/// The reports as the console asks for them, from a scratch database whose
/// scan log holds `admissions` (the registry left empty: the scan log is
/// what grows).
async fn from_database(
    report: &mut Report,
    admissions: &[Admission],
    dir: &std::path::Path,
) -> Result<()> {
    let outcome = async {
        let store = crate::store::Store::open(&dir.join("reports.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        let mut tx = store.write().await?;
        for (i, a) in admissions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO scan (id, station, station_seq, serial, version, zone, direction,
                                   decision, reason, at, operator)
                 VALUES (?, 'bench', ?, ?, 1, 'HALL', 'in', 'admit', 'ok', ?, 'bench')",
            )
            .bind(format!("bench-{i}"))
            .bind(i64::try_from(i).map_err(|e| Error::Internal(e.to_string()))?)
            .bind(&a.serial)
            .bind(crate::scan_log::format_at(a.at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let event = crate::event_store::load(store.read()).await?;
        let t = Instant::now();
        let r = crate::console::reports::reports(store.read(), &event, now).await?;
        report.push(
            "reports",
            format!(
                "both reports from the database ({} entries in the scan log)",
                admissions.len()
            ),
            ms(t),
            "ms",
            None,
        );
        store.close().await;
        Ok::<_, Error>(r.attendance.total.any_day)
    }
    .await;
    outcome.map(|_| ())
}
