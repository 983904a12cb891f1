//! Reports through the command line on a real SQLite file: scripted
//! `gatehouse scan` entries over two venue days and print-log rows, then
//! `gatehouse report` must count exactly the people admitted per day (per
//! category and delegation too) and the prints, reprints and failures; its
//! CSV, XLSX (read back with calamine) and PDF (read with `pdftotext`) must
//! carry the same figures, with formula-like text defused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn gatehouse(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GATEHOUSE_DB")
        .output()
        .expect("run gatehouse")
}

fn ok(out: &Output) -> TestResult<String> {
    if !out.status.success() {
        return Err(format!("failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout.clone())?)
}

fn serial(n: u32) -> String {
    format!("BMX-{n:06}")
}

/// Scans `n`'s current badge and says whether it was let in (admit or warn).
fn scan(db: &Path, n: u32, zone: &str, direction: &str, at: &str) -> TestResult<bool> {
    let token = ok(&gatehouse(db, &["token", &serial(n)]))?;
    let out = gatehouse(
        db,
        &[
            "scan",
            "--json",
            "--zone",
            zone,
            "--direction",
            direction,
            "--at",
            at,
            token.trim(),
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout)?;
    Ok(v["decision"].as_str().ok_or("decision")? != "deny")
}

fn json(db: &Path, args: &[&str]) -> TestResult<Value> {
    let mut all = args.to_vec();
    all.push("--json");
    Ok(serde_json::from_str(&ok(&gatehouse(db, &all))?)?)
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or(u64::MAX)
}

/// `serial → (category, delegation)` from the registry's own export.
fn registry(db: &Path, dir: &Path) -> TestResult<BTreeMap<String, (String, String)>> {
    let path = dir.join("registry.csv");
    ok(&gatehouse(db, &["export", &path.display().to_string()]))?;
    let bytes = std::fs::read(&path)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).ok_or("column");
    let (s, c, d) = (col("N° badge")?, col("Catégorie")?, col("Délégation")?);
    let mut out = BTreeMap::new();
    for r in reader.records() {
        let r = r?;
        out.insert(r[s].to_string(), (r[c].to_string(), r[d].to_string()));
    }
    Ok(out)
}

#[tokio::test]
async fn reports_count_people_per_day_and_prints_in_every_format() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    ok(&gatehouse(&db, &["demo", "--attendees", "12"]))?;

    // Day 1 (11 November, Bamako is UTC): 1–6 enter the hall; 1 leaves and
    // comes back (still one person that day) and also enters the VIP lounge.
    let mut day1 = BTreeSet::new();
    for n in 1..=6 {
        if scan(&db, n, "HALL", "in", &format!("2025-11-11T09:0{n}:00Z"))? {
            day1.insert(serial(n));
        }
    }
    scan(&db, 1, "HALL", "out", "2025-11-11T10:00:00Z")?;
    scan(&db, 1, "HALL", "in", "2025-11-11T11:00:00Z")?;
    scan(&db, 1, "VIP", "in", "2025-11-11T12:00:00Z")?;
    // Day 2: 1, 2 and 7 again (after leaving the evening before).
    for n in 1..=6 {
        scan(&db, n, "HALL", "out", "2025-11-11T18:00:00Z")?;
    }
    let mut day2 = BTreeSet::new();
    for n in [1, 2, 7] {
        if scan(&db, n, "HALL", "in", "2025-11-12T08:30:00Z")? {
            day2.insert(serial(n));
        }
    }
    // A revoked badge is refused, and a refusal is not attendance.
    let token8 = ok(&gatehouse(&db, &["token", &serial(8)]))?;
    ok(&gatehouse(
        &db,
        &["revoke", &serial(8), "--reason", "perdu"],
    ))?;
    let out = gatehouse(
        &db,
        &[
            "scan",
            "--zone",
            "HALL",
            "--at",
            "2025-11-12T09:00:00Z",
            token8.trim(),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "the revoked badge is refused");
    assert!(day1.len() >= 4 && day2.len() >= 2, "{day1:?} {day2:?}");

    let a = json(&db, &["report"])?;
    assert_eq!(
        a["days"],
        serde_json::json!(["2025-11-11", "2025-11-12", "2025-11-13", "2025-11-14"])
    );
    assert_eq!(u(&a["total"]["registered"]), 12);
    let per_day = |row: &Value| -> Vec<u64> {
        row["per_day"]
            .as_array()
            .map(|d| d.iter().map(u).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        per_day(&a["total"]),
        [day1.len() as u64, day2.len() as u64, 0, 0]
    );
    let any: BTreeSet<&String> = day1.union(&day2).collect();
    assert_eq!(u(&a["total"]["any_day"]), any.len() as u64);

    // Per category and per delegation: the same people, grouped as the registry says.
    let people = registry(&db, dir.path())?;
    for (field, pick) in [("by_category", 0usize), ("by_delegation", 1usize)] {
        let mut expected: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
        for (s, (cat, del)) in &people {
            let key = if pick == 0 { cat } else { del }.clone();
            let e = expected.entry(key).or_default();
            e.0 += 1;
            e.1 += u64::from(day1.contains(s));
            e.2 += u64::from(day2.contains(s));
        }
        let rows = a[field].as_array().ok_or("rows")?;
        let got: BTreeMap<String, (u64, u64, u64)> = rows
            .iter()
            .map(|r| {
                let d = per_day(r);
                (
                    r["key"].as_str().unwrap_or("?").to_string(),
                    (u(&r["registered"]), d[0], d[1]),
                )
            })
            .collect();
        assert_eq!(got, expected, "{field}");
    }

    // Prints, as the desk records them: 1 printed, 2 failed then printed on
    // the other printer, 1 reprinted the next day.
    {
        use gatehouse::badge::Format;
        use gatehouse::print::{log_outcome, log_sent, JobState, JobStatus};
        use gatehouse::serial::BadgeSerial;
        let store = gatehouse::store::Store::open(&db).await?;
        let done = |job: &str, state| JobStatus {
            job: job.into(),
            state,
            reasons: vec![],
            message: String::new(),
            pages: 1,
        };
        let b =
            |n: u32| -> TestResult<Vec<(BadgeSerial, u32)>> { Ok(vec![(serial(n).parse()?, 1)]) };
        let t = |s: &str| s.parse::<jiff::Timestamp>();
        log_sent(
            &store,
            &b(1)?,
            Format::A6,
            "desk-1",
            "desk-1-1",
            "test",
            t("2025-11-11T07:00:00Z")?,
        )
        .await?;
        log_outcome(
            &store,
            "desk-1-1",
            &done("desk-1-1", JobState::Completed),
            t("2025-11-11T07:01:00Z")?,
        )
        .await?;
        log_sent(
            &store,
            &b(2)?,
            Format::A6,
            "desk-1",
            "desk-1-2",
            "test",
            t("2025-11-11T07:02:00Z")?,
        )
        .await?;
        log_outcome(
            &store,
            "desk-1-2",
            &done("desk-1-2", JobState::Aborted),
            t("2025-11-11T07:03:00Z")?,
        )
        .await?;
        log_sent(
            &store,
            &b(2)?,
            Format::A6,
            "desk-2",
            "desk-2-1",
            "test",
            t("2025-11-11T07:04:00Z")?,
        )
        .await?;
        log_sent(
            &store,
            &b(1)?,
            Format::Cr80,
            "desk-2",
            "desk-2-2",
            "test",
            t("2025-11-12T07:00:00Z")?,
        )
        .await?;
    }
    let p = json(&db, &["report", "--kind", "prints"])?;
    let figures = |row: &Value| {
        (
            row["key"].as_str().unwrap_or("?").to_string(),
            u(&row["prints"]),
            u(&row["badges"]),
            u(&row["reprints"]),
            u(&row["failed"]),
        )
    };
    assert_eq!(figures(&p["total"]), (String::new(), 3, 2, 1, 1));
    let printers: Vec<_> = p["by_printer"]
        .as_array()
        .ok_or("by_printer")?
        .iter()
        .map(figures)
        .collect();
    assert_eq!(
        printers,
        [
            ("desk-1".to_string(), 1, 1, 0, 1),
            ("desk-2".to_string(), 2, 2, 1, 0)
        ]
    );
    let days: Vec<_> = p["by_day"]
        .as_array()
        .ok_or("by_day")?
        .iter()
        .map(figures)
        .collect();
    assert_eq!(
        days,
        [
            ("2025-11-11".to_string(), 2, 2, 0, 1),
            ("2025-11-12".to_string(), 1, 1, 1, 0)
        ]
    );

    // CSV: BOM, `;`, the table's name first, the same figures.
    let csv_path = dir.path().join("presence.csv");
    ok(&gatehouse(
        &db,
        &["report", "--out", &csv_path.display().to_string()],
    ))?;
    let bytes = std::fs::read(&csv_path)?;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec())?;
    assert!(
        text.starts_with(
            "Tableau;Ensemble;Inscrits;2025-11-11;2025-11-12;2025-11-13;2025-11-14;Au moins un jour\r\n"
        ),
        "{text}"
    );
    let total_line = format!(
        "Présence par jour;Total;12;{};{};0;0;{}\r\n",
        day1.len(),
        day2.len(),
        any.len()
    );
    assert!(text.contains(&total_line), "{text}");

    // XLSX: one sheet per table, numbers as numbers.
    let xlsx_path = dir.path().join("presence.xlsx");
    ok(&gatehouse(
        &db,
        &["report", "--out", &xlsx_path.display().to_string()],
    ))?;
    let mut book: Xlsx<_> = open_workbook(&xlsx_path)?;
    assert_eq!(
        book.sheet_names(),
        [
            "Présence par jour",
            "Par catégorie",
            "Par pays",
            "Par délégation"
        ]
    );
    let sheet = book.worksheet_range("Présence par jour")?;
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String("Total".into())));
    assert_eq!(sheet.get_value((1, 1)), Some(&Data::Float(12.0)));
    assert_eq!(
        sheet.get_value((1, 2)),
        Some(&Data::Float(day1.len() as f64))
    );
    assert_eq!(
        sheet.get_value((1, 3)),
        Some(&Data::Float(day2.len() as f64))
    );
    let prints_xlsx = dir.path().join("prints.xlsx");
    ok(&gatehouse(
        &db,
        &[
            "--lang",
            "en",
            "report",
            "--kind",
            "prints",
            "--out",
            &prints_xlsx.display().to_string(),
        ],
    ))?;
    let mut book: Xlsx<_> = open_workbook(&prints_xlsx)?;
    let sheet = book.worksheet_range("Per printer")?;
    let row: Vec<String> = (0..5)
        .map(|c| {
            sheet
                .get_value((2, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(row, ["desk-2", "2", "2", "1", "0"]);

    // PDF: the title and the figures can be read back.
    let pdf_path = dir.path().join("presence.pdf");
    ok(&gatehouse(
        &db,
        &["report", "--out", &pdf_path.display().to_string()],
    ))?;
    let pdf = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf_path)
        .arg("-")
        .output()?;
    let pdf = String::from_utf8(pdf.stdout)?;
    assert!(pdf.contains("Rapport de présence"), "{pdf}");
    assert!(pdf.contains("Par délégation"), "{pdf}");
    let total_row = pdf
        .lines()
        .find(|l| l.trim_start().starts_with("Total") && l.contains("12"))
        .ok_or("the total row")?;
    let numbers: Vec<&str> = total_row.split_whitespace().skip(1).collect();
    assert_eq!(
        numbers,
        [
            "12".to_string(),
            day1.len().to_string(),
            day2.len().to_string(),
            "0".into(),
            "0".into(),
            any.len().to_string()
        ]
    );

    // A wrong extension is bad input, named.
    let out = gatehouse(&db, &["report", "--out", "r.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("r.txt"));
    Ok(())
}

/// The dashboard can show an earlier venue day, with the same day rule as
/// the reports: what the report counts on a day, the dashboard lists that day.
#[tokio::test]
async fn the_dashboard_reviews_an_earlier_day_as_the_reports_count_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    ok(&gatehouse(&db, &["demo", "--attendees", "6"]))?;
    let mut first = 0u32;
    for n in 1..=4 {
        first += u32::from(scan(&db, n, "HALL", "in", "2025-11-11T09:00:00Z")?);
    }
    // 23:59 venue time is still the 11th.
    first += u32::from(scan(&db, 5, "HALL", "in", "2025-11-11T23:59:00Z")?);
    for n in 1..=4 {
        scan(&db, n, "HALL", "out", "2025-11-11T18:00:00Z")?;
    }
    let second = u32::from(scan(&db, 1, "HALL", "in", "2025-11-12T00:00:30Z")?);
    assert!(first >= 3 && second == 1, "{first} {second}");

    let api = gatehouse::Api::open(&db, gatehouse::api::StationConfig::default()).await?;
    let now: jiff::Timestamp = "2025-11-12T10:00:00Z".parse()?;
    let today = api.dashboard(now).await?;
    assert_eq!(
        (today.day.as_str(), today.today.as_str()),
        ("2025-11-12", "2025-11-12")
    );
    assert_eq!(today.entries_today, second);
    let earlier = api
        .dashboard_on(now, Some(jiff::civil::date(2025, 11, 11)))
        .await?;
    assert_eq!(
        (earlier.day.as_str(), earlier.today.as_str()),
        ("2025-11-11", "2025-11-12")
    );
    assert_eq!(earlier.entries_today, first);
    assert!(earlier.hourly.iter().any(|h| h.hour == 23));

    // The report agrees, day by day (one entry per person here).
    let r = api.reports(now).await?;
    assert_eq!(r.attendance.total.per_day[..2], [first, second]);
    Ok(())
}
