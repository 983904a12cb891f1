//! `gatehouse print`, `printers` and `print-log` against the real CUPS that
//! `make setup-test` starts (queues GatehousePDF and GatehouseOffline).

mod badge_support;

use badge_support::{gatehouse, ok, TestResult};
use serde_json::Value;

#[test]
fn print_a_delegation_silently_and_keep_the_log() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    ok(&db, &["demo", "--attendees", "4", "--starting", "today"])?;
    let printers = ok(&db, &["printers"])?;
    assert!(printers.contains("GatehousePDF : prête"), "{printers}");

    let v: Value = serde_json::from_str(&ok(
        &db,
        &[
            "--json",
            "print",
            "--serial",
            "BMX-000001",
            "BMX-000002",
            "--format",
            "cr80",
            "--printer",
            "GatehousePDF",
        ],
    )?)?;
    assert_eq!(v["state"], "completed", "{v}");
    let job = v["job"].as_str().ok_or("no job")?.to_string();
    assert!(job.starts_with("GatehousePDF-"));

    let log: Value = serde_json::from_str(&ok(&db, &["--json", "print-log"])?)?;
    let rows = log.as_array().ok_or("no log")?;
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(r["printer"], "GatehousePDF");
        assert_eq!(r["job"], job.as_str());
        assert_eq!(r["outcome"], "completed");
        assert_eq!(r["version"], 1);
        assert_eq!(r["format"], "cr80");
        assert_eq!(r["printed_by"], "cli");
    }
    // A reprint prints version 2, and the log tells them apart.
    ok(&db, &["reprint", "BMX-000001"])?;
    ok(
        &db,
        &[
            "print",
            "--serial",
            "BMX-000001",
            "--printer",
            "GatehousePDF",
        ],
    )?;
    let log: Value = serde_json::from_str(&ok(
        &db,
        &["--json", "print-log", "--serial", "BMX-000001"],
    )?)?;
    let versions: Vec<i64> = log
        .as_array()
        .ok_or("no log")?
        .iter()
        .filter_map(|r| r["version"].as_i64())
        .collect();
    assert_eq!(versions, vec![2, 1]);
    let audit = ok(&db, &["audit", "verify"])?;
    assert!(audit.contains("intacte"), "{audit}");
    Ok(())
}

#[test]
fn an_offline_printer_is_reported_and_the_job_stays_queued() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    ok(&db, &["demo", "--attendees", "1", "--starting", "today"])?;
    let o = gatehouse(
        &db,
        &[
            "print",
            "--all",
            "--printer",
            "GatehouseOffline",
            "--wait",
            "8",
        ],
    )?;
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("toujours pas imprimé"), "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("hors ligne ou injoignable"),
        "{stdout}{stderr}"
    );
    // Clean up the queued job.
    if let Some(job) = stderr
        .split_whitespace()
        .find(|w| w.starts_with("GatehouseOffline-"))
    {
        gatehouse::print::cancel(job)?;
    }
    let o = gatehouse(&db, &["print", "--all", "--printer", "NoSuchQueue"])?;
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NoSuchQueue"));
    Ok(())
}
