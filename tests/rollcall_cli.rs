//! The evacuation roll-call through the command line on a real SQLite file:
//! scripted `gatehouse scan` entries and exits, then `gatehouse rollcall`
//! must list exactly who is inside, and its CSV and PDF must open.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn gatehouse(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GATEHOUSE_DB")
        .output()
        .expect("run gatehouse")
}

fn ok(out: &Output) -> Result<String, Box<dyn std::error::Error>> {
    if !out.status.success() {
        return Err(format!("failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout.clone())?)
}

fn serial(n: u32) -> String {
    format!("BMX-{n:06}")
}

/// Scans `n`'s current badge at `zone` and returns the decision.
fn scan(
    db: &Path,
    n: u32,
    zone: &str,
    direction: &str,
    at: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let token = ok(&gatehouse(db, &["token", &serial(n)]))?;
    scan_token(db, &token, zone, direction, at)
}

fn scan_token(
    db: &Path,
    token: &str,
    zone: &str,
    direction: &str,
    at: &str,
) -> Result<String, Box<dyn std::error::Error>> {
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
    // Exit 3 is a refusal, still recorded.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(v["decision"].as_str().ok_or("decision")?.to_string())
}

fn rollcall_serials(db: &Path, zone: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let out = ok(&gatehouse(db, &["rollcall", "--zone", zone, "--json"]))?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    let list = v.as_array().ok_or("rollcall --json is an array")?;
    for e in list {
        assert!(e["name"].as_str().is_some_and(|n| !n.is_empty()), "{e}");
    }
    Ok(list
        .iter()
        .filter_map(|e| e["serial"].as_str().map(str::to_string))
        .collect())
}

#[test]
fn rollcall_lists_exactly_who_is_inside_and_exports_csv_and_pdf() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    ok(&gatehouse(&db, &["demo", "--attendees", "20"]))?;

    // Nobody yet.
    assert!(rollcall_serials(&db, "HALL")?.is_empty());

    // 13 November 2025, a demo day, from 09:00 Bamako (UTC).
    let mut inside = BTreeSet::new();
    for n in 1..=8 {
        let at = format!("2025-11-13T09:{:02}:00Z", n);
        if scan(&db, n, "HALL", "in", &at)? != "deny" {
            inside.insert(serial(n));
        }
    }
    assert!(
        inside.len() >= 6,
        "most demo attendees may enter the hall: {inside:?}"
    );
    // Two leave; one of them comes back later.
    for n in [2, 5] {
        if scan(&db, n, "HALL", "out", "2025-11-13T10:00:00Z")? != "deny" {
            inside.remove(&serial(n));
        }
    }
    if scan(&db, 5, "HALL", "in", "2025-11-13T11:30:00Z")? != "deny" {
        inside.insert(serial(5));
    }
    // A revoked badge is refused and so never inside.
    let token9 = ok(&gatehouse(&db, &["token", &serial(9)]))?;
    ok(&gatehouse(&db, &["revoke", &serial(9), "--reason", "lost"]))?;
    assert_eq!(
        scan_token(&db, &token9, "HALL", "in", "2025-11-13T11:40:00Z")?,
        "deny"
    );
    // Someone inside another zone only.
    scan(&db, 10, "VIP", "in", "2025-11-13T11:45:00Z")?;

    let listed: BTreeSet<String> = rollcall_serials(&db, "HALL")?.into_iter().collect();
    assert_eq!(listed, inside, "the roll-call is exactly who is inside");
    assert!(!listed.contains(&serial(2)));
    assert!(!listed.contains(&serial(9)));
    assert!(!listed.contains(&serial(10)));

    // The entry time is the entry that put them back inside.
    let out = ok(&gatehouse(&db, &["rollcall", "--zone", "HALL", "--json"]))?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    let five = v
        .as_array()
        .ok_or("array")?
        .iter()
        .find(|e| e["serial"] == serial(5).as_str())
        .ok_or("BMX-000005 listed")?;
    assert!(
        five["entered_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2025-11-13T11:30:00")),
        "{five}"
    );

    // CSV: UTF-8 with a BOM, French headers and `;` by default, one line per person.
    let csv_path = dir.path().join("appel.csv");
    ok(&gatehouse(
        &db,
        &[
            "rollcall",
            "--zone",
            "HALL",
            "--out",
            &csv_path.display().to_string(),
        ],
    ))?;
    let bytes = std::fs::read(&csv_path)?;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    assert_eq!(
        headers,
        [
            "N° badge",
            "Nom",
            "Prénoms",
            "Organisation",
            "Pays",
            "Catégorie",
            "Délégation",
            "Entrée"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let csv_serials: BTreeSet<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(csv_serials, inside);
    let row5 = rows.iter().find(|r| r[0] == serial(5)).ok_or("row 5")?;
    assert_eq!(&row5[7], "2025-11-13 11:30", "venue time, to the minute");
    assert!(rows.iter().all(|r| !r[1].is_empty() && !r[5].is_empty()));

    // In English: `,` and English headers.
    let en_path = dir.path().join("rollcall.csv");
    ok(&gatehouse(
        &db,
        &[
            "--lang",
            "en",
            "rollcall",
            "--zone",
            "HALL",
            "--out",
            &en_path.display().to_string(),
        ],
    ))?;
    let en = String::from_utf8(std::fs::read(&en_path)?)?;
    assert!(en.trim_start_matches('\u{feff}').starts_with(
        "Badge,Family name,Given names,Organisation,Country,Category,Delegation,Entered\r\n"
    ));

    // PDF: a real PDF with the zone's people in it.
    let pdf_path = dir.path().join("appel.pdf");
    ok(&gatehouse(
        &db,
        &[
            "rollcall",
            "--zone",
            "HALL",
            "--out",
            &pdf_path.display().to_string(),
        ],
    ))?;
    let pdf = std::fs::read(&pdf_path)?;
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() > 2_000 && pdf.len() < 400_000,
        "subset fonts: {} bytes",
        pdf.len()
    );

    // A wrong extension or zone is refused with exit 1 and a reason.
    let bad = gatehouse(&db, &["rollcall", "--zone", "HALL", "--out", "x.txt"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("x.txt"));
    let bad = gatehouse(&db, &["rollcall", "--zone", "NOPE"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NOPE"));
    Ok(())
}

#[test]
fn an_empty_rollcall_still_prints_and_says_so() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    ok(&gatehouse(&db, &["demo", "--attendees", "5"]))?;
    let pdf_path = dir.path().join("empty.pdf");
    ok(&gatehouse(
        &db,
        &[
            "rollcall",
            "--zone",
            "VIP",
            "--out",
            &pdf_path.display().to_string(),
        ],
    ))?;
    assert!(std::fs::read(&pdf_path)?.starts_with(b"%PDF-"));
    let human = ok(&gatehouse(
        &db,
        &["--lang", "en", "rollcall", "--zone", "VIP"],
    ))?;
    assert!(human.contains("0 person(s) inside"), "{human}");
    Ok(())
}
