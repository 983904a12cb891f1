//! The command line's common contract on a real SQLite file: global options in
//! any position, exit statuses, the demo event, the audit chain.

use std::path::Path;
use std::process::{Command, Output};

fn gatehouse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .env_remove("GATEHOUSE_DB")
        .output()
        .expect("run gatehouse")
}

fn db_arg(dir: &Path) -> String {
    dir.join("station.db").display().to_string()
}

#[test]
fn demo_event_matches_the_brief_through_the_cli() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_arg(dir.path());
    let out = gatehouse(&["--db", &db, "demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?;
    for pin in ["1111", "2222", "3333"] {
        assert!(text.contains(pin), "demo prints the PIN {pin}: {text}");
    }

    // Global options after the subcommand work as well as before it.
    let out = gatehouse(&["event", "--db", &db, "--json"]);
    assert!(out.status.success());
    let event: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(event["name"], "BAMEX'25");
    assert_eq!(event["time_zone"], "Africa/Bamako");
    let days: Vec<&str> = event["days"]
        .as_array()
        .ok_or("days")?
        .iter()
        .filter_map(|d| d["date"].as_str())
        .collect();
    assert_eq!(
        days,
        ["2025-11-11", "2025-11-12", "2025-11-13", "2025-11-14"]
    );
    let zones: Vec<&str> = event["zones"]
        .as_array()
        .ok_or("zones")?
        .iter()
        .filter_map(|z| z["code"].as_str())
        .collect();
    assert_eq!(zones, ["HALL", "BIZ", "VIP", "PRESS", "DEMO"]);
    let ctr = event["categories"]
        .as_array()
        .ok_or("categories")?
        .iter()
        .find(|c| c["code"] == "CTR")
        .ok_or("CTR")?;
    assert_eq!(ctr["days"], serde_json::json!(["2025-11-11"]));
    Ok(())
}

#[test]
fn starting_today_or_a_date_shifts_the_days() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_arg(dir.path());
    let out = gatehouse(&["--db", &db, "--json", "demo", "--starting", "2026-03-30"]);
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(summary["first_day"], "2026-03-30");
    assert_eq!(summary["last_day"], "2026-04-02");

    // Resetting the demo on the same database works and keeps the audit chain whole.
    let out = gatehouse(&["--db", &db, "demo", "--starting", "today"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gatehouse(&["--db", &db, "--json", "audit", "verify"]);
    assert!(out.status.success());
    let check: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(check["first_bad"], serde_json::Value::Null);
    assert!(check["entries"].as_u64().unwrap_or(0) >= 2);
    Ok(())
}

#[test]
fn bad_input_exits_1_naming_the_value_and_usage_errors_exit_2(
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_arg(dir.path());
    let out = gatehouse(&["--db", &db, "demo", "--starting", "2025-13-01"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr)?;
    assert!(err.contains("2025-13-01"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");

    let out = gatehouse(&["--db", &db, "demo", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));

    // No event yet: a clear refusal with the code machines branch on.
    let out = gatehouse(&["--db", &db, "--json", "event"]);
    assert_eq!(out.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(body["code"], "no_event");
    Ok(())
}

#[test]
fn an_altered_audit_entry_is_named_by_verify() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_arg(dir.path());
    for _ in 0..3 {
        assert!(gatehouse(&["--db", &db, "demo"]).status.success());
    }
    // Tamper with the second entry directly in SQLite, as an intruder would.
    assert!(tamper_with_audit_entry(&db, 2)?);
    let out = gatehouse(&["--db", &db, "audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr)?;
    assert!(err.contains("l'entrée d'audit 2"), "{err}");
    Ok(())
}

/// Alters one audit row directly in the file, after dropping the append-only
/// trigger as a tamperer would.
fn tamper_with_audit_entry(db: &str, seq: i64) -> Result<bool, Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{db}")).await?;
        sqlx::query("DROP TRIGGER audit_no_update")
            .execute(&mut conn)
            .await?;
        let done = sqlx::query("UPDATE audit SET actor = 'mallory' WHERE seq = ?")
            .bind(seq)
            .execute(&mut conn)
            .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Runs gatehouse with its standard output a pipe whose reader has gone
/// away before it writes (as `gatehouse … | head -c 0`).
fn gatehouse_unread(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .env_remove("GATEHOUSE_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run gatehouse");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for gatehouse")
}

#[test]
fn a_reader_that_goes_away_changes_nothing_but_the_output() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let db = db_arg(dir.path());
    assert!(gatehouse(&["--db", &db, "demo"]).status.success());
    let out = gatehouse_unread(&["--db", &db, "search", "a", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "no panic, no backtrace: {err}");
    // A denied scan nobody reads is still recorded and still exits 3.
    let out = gatehouse_unread(&["--db", &db, "scan", "--zone", "HALL", "GH1:NOT-A-BADGE"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = gatehouse(&["--db", &db, "scans", "--json"]);
    let scans: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let reasons: Vec<&str> = scans
        .as_array()
        .ok_or("scans")?
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["malformed"]);
    Ok(())
}
