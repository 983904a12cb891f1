//! The badge and gate commands end to end on the real binary, as the CLI
//! contract (`CLI.md`) describes them: tokens, keys, reprint, revoke,
//! verify, scan (exit 3 on deny) and the recorded scans.

mod gate_support;

use gate_support::{demo_db, ok, run, TestResult};
use serde_json::Value;

const DAY1: &str = "2025-11-11T10:00:00Z";

fn json(s: &str) -> TestResult<Value> {
    Ok(serde_json::from_str(s)?)
}

fn verdict(
    db: &std::path::Path,
    zone: &str,
    at: &str,
    token: &str,
) -> TestResult<(String, String)> {
    let v = json(&ok(
        db,
        &["--json", "verify", "--zone", zone, "--at", at, token],
    )?)?;
    Ok((
        v["decision"].as_str().unwrap_or_default().to_string(),
        v["reason"].as_str().unwrap_or_default().to_string(),
    ))
}

#[test]
fn issue_scan_reprint_revoke_and_rotate() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo_db(
        dir.path(),
        &[
            ("BMX-000001", "Aïssata", "Maïga", "DEL", None, None),
            ("BMX-000002", "Kemal", "Saraç", "VIS", None, None),
            (
                "BMX-000003",
                "Modibo",
                "Keïta",
                "CTR",
                None,
                Some(r#"["2025-11-12"]"#),
            ),
        ],
    )?;

    // A fresh event gets its first signing key when first asked for.
    let fresh = json(&ok(&db, &["--json", "keys", "export"])?)?;
    assert_eq!(fresh.as_array().map(Vec::len), Some(1), "{fresh}");
    let t1 = json(&ok(&db, &["--json", "token", "BMX-000001"])?)?;
    assert_eq!(t1["version"], 1);
    assert_eq!(t1["kid"], fresh[0]["kid"]);
    let token1 = t1["token"].as_str().ok_or("token")?.to_string();
    assert!(token1.starts_with("GH1:"));
    assert_eq!(
        ok(&db, &["token", "BMX-000001"])?.trim(),
        token1,
        "same version, same text"
    );
    let keys = json(&ok(&db, &["--json", "keys", "export"])?)?;
    let kid1 = keys[0]["kid"].as_str().ok_or("kid")?.to_string();
    assert_eq!(kid1.len(), 16);
    let hex = ok(&db, &["keys", "export", "--format", "hex"])?;
    let line: Vec<&str> = hex
        .lines()
        .next()
        .ok_or("no key line")?
        .split(' ')
        .collect();
    assert_eq!((line[0], line[1].len()), (kid1.as_str(), 64));
    assert!(ok(&db, &["keys", "export", "--format", "pem"])?.contains("-----BEGIN PUBLIC KEY-----"));

    // The verdict object has exactly the contract's fields (and display extras).
    let v = json(&ok(
        &db,
        &["--json", "verify", "--zone", "HALL", "--at", DAY1, &token1],
    )?)?;
    for field in [
        "decision",
        "reason",
        "serial",
        "version",
        "name",
        "category",
        "zone",
        "direction",
    ] {
        assert!(v.get(field).is_some(), "verdict lacks {field}: {v}");
    }
    assert_eq!(
        (
            &v["decision"],
            &v["reason"],
            &v["serial"],
            &v["name"],
            &v["category"],
            &v["direction"]
        ),
        (
            &"admit".into(),
            &"ok".into(),
            &"BMX-000001".into(),
            &"Aïssata Maïga".into(),
            &"DEL".into(),
            &"in".into()
        )
    );

    // scan: recorded; exit 0 on admit and warn, 3 on deny.
    let scan = |zone: &str, dir: &str, token: &str| -> TestResult<(i32, Value)> {
        let out = run(
            &db,
            &[
                "--json",
                "scan",
                "--zone",
                zone,
                "--direction",
                dir,
                "--at",
                DAY1,
                token,
            ],
        )?;
        Ok((
            out.status.code().unwrap_or(-1),
            json(&String::from_utf8(out.stdout)?)?,
        ))
    };
    let (code, v) = scan("HALL", "in", &token1)?;
    assert_eq!((code, v["reason"].as_str()), (0, Some("ok")));
    let (code, v) = scan("HALL", "in", &token1)?;
    assert_eq!(
        (code, v["decision"].as_str(), v["reason"].as_str()),
        (0, Some("warn"), Some("reentry"))
    );
    let (code, v) = scan("DEMO", "in", &token1)?;
    assert_eq!((code, v["reason"].as_str()), (3, Some("zone_closed")));
    let (code, _) = scan("HALL", "out", &token1)?;
    assert_eq!(code, 0);
    let (code, v) = scan("HALL", "in", &token1)?;
    assert_eq!(
        (code, v["reason"].as_str()),
        (0, Some("ok")),
        "re-entry after exit"
    );

    // Category and day rules from the event's matrix and the overrides.
    let t2 = ok(&db, &["token", "BMX-000002"])?.trim().to_string();
    assert_eq!(
        verdict(&db, "VIP", DAY1, &t2)?,
        ("deny".into(), "zone_not_allowed".into())
    );
    let t3 = ok(&db, &["token", "BMX-000003"])?.trim().to_string();
    assert_eq!(
        verdict(&db, "HALL", DAY1, &t3)?,
        ("deny".into(), "not_yet_valid".into())
    );
    assert_eq!(
        verdict(&db, "HALL", "2025-11-12T08:00:00Z", &t3)?,
        ("admit".into(), "ok".into())
    );
    assert_eq!(
        verdict(&db, "HALL", "2025-11-13T00:00:00Z", &t3)?,
        ("deny".into(), "expired".into())
    );

    // Reprint: version 2; version 1 is superseded everywhere.
    let r = json(&ok(&db, &["--json", "reprint", "BMX-000001"])?)?;
    assert_eq!(r["version"], 2);
    let token2 = r["token"].as_str().ok_or("token")?.to_string();
    assert_eq!(
        verdict(&db, "BIZ", DAY1, &token1)?,
        ("deny".into(), "superseded".into())
    );
    assert_eq!(
        verdict(&db, "BIZ", DAY1, &token2)?,
        ("admit".into(), "ok".into())
    );
    assert_eq!(
        json(&ok(&db, &["--json", "token", "BMX-000001"])?)?["version"],
        2
    );

    // Keys: rotate, and a retired kid's tokens are refused.
    let k2 = json(&ok(&db, &["--json", "keys", "rotate"])?)?;
    let kid2 = k2["kid"].as_str().ok_or("kid")?.to_string();
    assert_ne!(kid1, kid2);
    let t2b = json(&ok(&db, &["--json", "reprint", "BMX-000002"])?)?;
    assert_eq!(
        t2b["kid"].as_str(),
        Some(kid2.as_str()),
        "new badges use the newest key"
    );
    assert_eq!(
        verdict(&db, "BIZ", DAY1, &token2)?,
        ("admit".into(), "ok".into()),
        "old kid still verifies"
    );
    ok(&db, &["keys", "retire", &kid1])?;
    assert_eq!(
        verdict(&db, "BIZ", DAY1, &token2)?,
        ("deny".into(), "unknown_key".into())
    );
    let t2b = t2b["token"].as_str().ok_or("token")?.to_string();
    assert_eq!(
        verdict(&db, "HALL", DAY1, &t2b)?,
        ("admit".into(), "ok".into())
    );

    // Revoke: all versions, with reason and who.
    let out = run(&db, &["revoke", "BMX-000002", "--reason", "  "])?;
    assert_eq!(out.status.code(), Some(1));
    let rv = json(&ok(
        &db,
        &["--json", "revoke", "BMX-000002", "--reason", "badge perdu"],
    )?)?;
    assert_eq!(
        (rv["reason"].as_str(), rv["by"].as_str()),
        (Some("badge perdu"), Some("cli"))
    );
    assert_eq!(
        verdict(&db, "HALL", DAY1, &t2b)?,
        ("deny".into(), "revoked".into())
    );
    // Version 1 was signed by the retired key: that is found first.
    assert_eq!(
        verdict(&db, "HALL", DAY1, &t2)?,
        ("deny".into(), "unknown_key".into())
    );
    let out = run(&db, &["token", "BMX-000002"])?;
    assert_eq!(out.status.code(), Some(1), "no token for a revoked badge");

    // The scan log, as `scans --json` shows it.
    let scans = json(&ok(&db, &["--json", "scans", "--zone", "HALL"])?)?;
    let scans = scans.as_array().ok_or("array")?;
    assert_eq!(scans.len(), 4);
    for field in [
        "id",
        "station",
        "serial",
        "zone",
        "direction",
        "decision",
        "reason",
        "at",
    ] {
        assert!(scans[0].get(field).is_some(), "scan lacks {field}");
    }
    let reasons: Vec<_> = scans
        .iter()
        .map(|s| s["reason"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(reasons, ["ok", "reentry", "ok", "ok"]);

    // Bad input: exit 1 naming the value; usage errors: exit 2.
    let out = run(&db, &["token", "BMX-000099"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BMX-000099"));
    let out = run(
        &db,
        &["verify", "--zone", "HALL", "--at", "yesterday", &token2],
    )?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("yesterday"));
    let out = run(&db, &["verify", "--zone", "ATTIC", &token2])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ATTIC"));
    assert_eq!(run(&db, &["revoke", "BMX-000001"])?.status.code(), Some(2));

    // Private keys stay out of the database, in owner-only files.
    let keydir = dir.path().join("gate.db.keys");
    let files: Vec<_> = std::fs::read_dir(&keydir)?.collect::<Result<_, _>>()?;
    assert_eq!(files.len(), 2);
    #[cfg(unix)]
    for f in files {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(f.metadata()?.permissions().mode() & 0o777, 0o600);
    }
    Ok(())
}
