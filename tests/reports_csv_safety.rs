//! Formula injection: a name, organisation or delegation that starts like a
//! spreadsheet formula (`=`, `+`, `-`, `@`) is written with a leading `'` in
//! every CSV and XLSX we export (registry export, roll-call, reports), and
//! the registry's export still re-imports onto the same attendees.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};

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

/// The records of one of our CSVs (BOM, `;`).
fn records(path: &Path) -> TestResult<Vec<Vec<String>>> {
    let bytes = std::fs::read(path)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").ok_or("BOM")?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut out = Vec::new();
    for r in reader.records() {
        out.push(r?.iter().map(str::to_string).collect());
    }
    Ok(out)
}

const HOSTILE_GIVEN: &str = "=HYPERLINK(\"http://evil.example\",\"Cliquez\")";
const HOSTILE_ORG: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const HOSTILE_DELEGATION: &str = "+Délégation piégée";

#[test]
fn formula_like_cells_are_defused_everywhere_and_still_round_trip() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    ok(&gatehouse(&db, &["demo", "--attendees", "3"]))?;
    let import = dir.path().join("hostile.csv");
    std::fs::write(
        &import,
        format!(
            "Prénom;Nom;Société;Catégorie;Délégation;Téléphone\r\n\
             \"{}\";-Ali;{HOSTILE_ORG};DEL;{HOSTILE_DELEGATION};+223 76 00 00 00\r\n",
            HOSTILE_GIVEN.replace('"', "\"\"")
        ),
    )?;
    ok(&gatehouse(&db, &["import", &import.display().to_string()]))?;
    // The new attendee is the fourth badge.
    let serial = "BMX-000004";

    // Registry export, CSV: guarded cells.
    let csv_path = dir.path().join("export.csv");
    ok(&gatehouse(
        &db,
        &["export", &csv_path.display().to_string()],
    ))?;
    let rows = records(&csv_path)?;
    let row = rows
        .iter()
        .find(|r| r.first().map(String::as_str) == Some(serial))
        .ok_or("the imported attendee is exported")?;
    for expected in [
        format!("'{HOSTILE_GIVEN}"),
        "'-Ali".to_string(),
        format!("'{HOSTILE_ORG}"),
        format!("'{HOSTILE_DELEGATION}"),
        "'+223 76 00 00 00".to_string(),
    ] {
        assert!(row.contains(&expected), "{expected:?} in {row:?}");
    }
    assert!(
        row.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{row:?}"
    );
    // Ordinary cells are untouched.
    assert!(rows.iter().skip(1).all(|r| r[0].starts_with("BMX-")));

    // Re-importing our own export changes nothing: the guard is read back.
    let out = gatehouse(&db, &["import", &csv_path.display().to_string(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&ok(&out)?)?;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(0)),
        "{report}"
    );
    assert_eq!(report["unchanged"].as_u64(), Some(4), "{report}");

    // Registry export, XLSX: the same guarded text.
    let xlsx_path = dir.path().join("export.xlsx");
    ok(&gatehouse(
        &db,
        &["export", &xlsx_path.display().to_string()],
    ))?;
    let mut book: Xlsx<_> = open_workbook(&xlsx_path)?;
    let sheet = book.worksheet_range("Participants")?;
    let found = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String(serial.into())))
        .ok_or("the attendee in the XLSX")?;
    assert!(found.contains(&Data::String(format!("'{HOSTILE_GIVEN}"))));
    assert!(found.contains(&Data::String("'-Ali".into())));
    let out = gatehouse(&db, &["import", &xlsx_path.display().to_string(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&ok(&out)?)?;
    assert_eq!(report["unchanged"].as_u64(), Some(4), "{report}");

    // Inside the hall: the roll-call's CSV is guarded too.
    let token = ok(&gatehouse(&db, &["token", serial]))?;
    ok(&gatehouse(
        &db,
        &[
            "scan",
            "--zone",
            "HALL",
            "--at",
            "2025-11-11T09:00:00Z",
            token.trim(),
        ],
    ))?;
    let rc = dir.path().join("appel.csv");
    ok(&gatehouse(
        &db,
        &[
            "rollcall",
            "--zone",
            "HALL",
            "--out",
            &rc.display().to_string(),
        ],
    ))?;
    let rc = records(&rc)?;
    let row = rc.iter().find(|r| r[0] == serial).ok_or("inside")?;
    assert_eq!(
        &row[1..4],
        [
            "'-Ali",
            &format!("'{HOSTILE_GIVEN}"),
            &format!("'{HOSTILE_ORG}")
        ]
    );

    // The attendance report names the delegation, guarded, in CSV and XLSX.
    let rep = dir.path().join("presence.csv");
    ok(&gatehouse(
        &db,
        &["report", "--out", &rep.display().to_string()],
    ))?;
    let rep = records(&rep)?;
    assert!(
        rep.iter()
            .any(|r| r[0] == "Par délégation" && r[1] == format!("'{HOSTILE_DELEGATION}")),
        "{rep:?}"
    );
    let rep_x = dir.path().join("presence.xlsx");
    ok(&gatehouse(
        &db,
        &["report", "--out", &rep_x.display().to_string()],
    ))?;
    let mut book: Xlsx<_> = open_workbook(&rep_x)?;
    let sheet = book.worksheet_range("Par délégation")?;
    assert!(sheet
        .rows()
        .any(|r| r.first() == Some(&Data::String(format!("'{HOSTILE_DELEGATION}")))));
    Ok(())
}
