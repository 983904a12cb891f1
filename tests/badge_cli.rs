//! `gatehouse badges` and `gatehouse print` on the real binary: a demo event
//! with generated attendees, their badges rendered from the registry with
//! their current tokens, every QR decoded at 203 dpi and checked by the
//! gate (`gatehouse verify`); printing to CUPS leaves a print log.

mod badge_support;

use std::path::Path;

use badge_support::{decode_qrs, gatehouse, ok, rasterise, run, TestResult};
use serde_json::Value;

fn demo(dir: &Path, attendees: u32) -> TestResult<std::path::PathBuf> {
    let db = dir.join("g.db");
    ok(
        &db,
        &[
            "demo",
            "--attendees",
            &attendees.to_string(),
            "--starting",
            "today",
        ],
    )?;
    Ok(db)
}

#[test]
fn badges_from_the_registry_scan_and_pass_the_gate() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo(dir.path(), 6)?;
    for format in ["a6", "cr80"] {
        let pdf = dir.path().join(format!("{format}.pdf"));
        let out: Value = serde_json::from_str(&ok(
            &db,
            &[
                "--json",
                "badges",
                "--all",
                "--format",
                format,
                "--out",
                &pdf.to_string_lossy(),
            ],
        )?)?;
        let badges = out["badges"].as_array().ok_or("no badges array")?;
        assert_eq!(badges.len(), 6, "{out}");
        let pages = run("pdfinfo", &[&pdf.to_string_lossy()])?;
        assert!(
            pages
                .lines()
                .any(|l| l.starts_with("Pages:") && l.ends_with(" 6")),
            "{pages}"
        );

        // Every name as typed is in the PDF text.
        let text = run("pdftotext", &[&pdf.to_string_lossy(), "-"])?;
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for b in badges {
            let name = b["name"].as_str().ok_or("no name")?;
            let words: Vec<&str> = name.split_whitespace().collect();
            assert!(
                words.iter().all(|w| text.contains(w)),
                "{name} not in the {format} PDF"
            );
        }

        // Every QR decodes to the badge's current token, and the gate admits it.
        let raster = tempfile::tempdir()?;
        rasterise(&pdf, 203, raster.path())?;
        let tokens = decode_qrs(raster.path())?;
        assert_eq!(tokens.len(), 6);
        for t in &tokens {
            let v: Value =
                serde_json::from_str(&ok(&db, &["--json", "verify", "--zone", "HALL", t])?)?;
            assert_eq!(v["decision"], "admit", "{v}");
            let serial = v["serial"].as_str().ok_or("no serial")?;
            assert_eq!(
                ok(&db, &["token", serial])?.trim(),
                t,
                "the printed QR is the current token"
            );
        }
    }
    // A4 sheets, and a selection by badge number.
    let sheet = dir.path().join("sheet.pdf");
    ok(
        &db,
        &[
            "badges",
            "--serial",
            "BMX-000001",
            "BMX-000002",
            "BMX-000003",
            "--sheet",
            "a4",
            "--out",
            &sheet.to_string_lossy(),
        ],
    )?;
    let info = run("pdfinfo", &[&sheet.to_string_lossy()])?;
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(str::trim);
    assert_eq!(pages, Some("1"), "{info}");
    assert!(info.contains("595.276 x 841.89"), "{info}");
    Ok(())
}

#[test]
fn bad_selections_are_refused_with_the_reason() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo(dir.path(), 3)?;
    let out = dir.path().join("x.pdf");
    let o = gatehouse(
        &db,
        &[
            "badges",
            "--serial",
            "BMX-999999",
            "--out",
            &out.to_string_lossy(),
        ],
    )?;
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("BMX-999999"));
    let o = gatehouse(
        &db,
        &["badges", "--all", "--category", "VIS", "--out", "x.pdf"],
    )?;
    assert_eq!(o.status.code(), Some(2), "one selection only");
    let o = gatehouse(&db, &["badges", "--out", "x.pdf"])?;
    assert_eq!(o.status.code(), Some(2), "a selection is required");
    ok(&db, &["revoke", "BMX-000002", "--reason", "lost"])?;
    let o = gatehouse(
        &db,
        &[
            "badges",
            "--serial",
            "BMX-000002",
            "--out",
            &out.to_string_lossy(),
        ],
    )?;
    assert_eq!(o.status.code(), Some(1));
    // In French, the command line's default.
    let why = String::from_utf8_lossy(&o.stderr);
    assert!(why.contains("BMX-000002 est révoqué"), "{why}");
    let v: Value = serde_json::from_str(&ok(
        &db,
        &["--json", "badges", "--all", "--out", &out.to_string_lossy()],
    )?)?;
    assert_eq!(v["skipped_revoked"], serde_json::json!(["BMX-000002"]));
    assert_eq!(v["badges"].as_array().map(Vec::len), Some(2));
    Ok(())
}

#[test]
fn badges_recorded_for_printing_elsewhere_leave_preregistered() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo(dir.path(), 3)?;
    let pdf = dir.path().join("lot.pdf");
    let search = |serial: &str| -> TestResult<String> {
        let out: Value = serde_json::from_str(&ok(&db, &["--json", "search", serial])?)?;
        Ok(out[0]["status"].as_str().unwrap_or_default().to_string())
    };
    // Without --record a PDF changes nobody's status and logs nothing.
    ok(
        &db,
        &[
            "badges",
            "--serial",
            "BMX-000001",
            "--out",
            &pdf.to_string_lossy(),
        ],
    )?;
    assert_eq!(search("BMX-000001")?, "preregistered");
    let log: Value = serde_json::from_str(&ok(&db, &["--json", "print-log"])?)?;
    assert_eq!(log.as_array().map(Vec::len), Some(0), "{log}");

    let out: Value = serde_json::from_str(&ok(
        &db,
        &[
            "--json",
            "badges",
            "--serial",
            "BMX-000001",
            "BMX-000002",
            "--out",
            &pdf.to_string_lossy(),
            "--record",
        ],
    )?)?;
    assert_eq!(out["recorded"], true, "{out}");
    assert_eq!(search("BMX-000001")?, "printed");
    assert_eq!(search("BMX-000002")?, "printed");
    assert_eq!(search("BMX-000003")?, "preregistered");
    let log: Value = serde_json::from_str(&ok(&db, &["--json", "print-log"])?)?;
    let rows = log.as_array().ok_or("print log")?;
    assert_eq!(rows.len(), 2, "{log}");
    for r in rows {
        assert_eq!(r["printer"], "PDF", "{r}");
        assert_eq!(r["job"], "pdf:lot.pdf", "{r}");
        assert_eq!(r["outcome"], "completed", "{r}");
    }
    // The recorded badges still scan.
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages)?;
    rasterise(&pdf, 203, &pages)?;
    assert_eq!(decode_qrs(&pages)?.len(), 2);
    Ok(())
}

#[test]
fn badges_held_back_by_vetting_are_left_out_or_marked() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo(dir.path(), 12)?;
    let out = dir.path().join("v.pdf");
    let out_s = out.to_string_lossy().to_string();
    let all = |db: &Path| -> TestResult<Value> {
        Ok(serde_json::from_str(&ok(
            db,
            &["--json", "badges", "--all", "--out", &out_s],
        )?)?)
    };
    let serials = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|b| b.get("serial").unwrap_or(b).as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };

    // No policy: everyone prints.
    assert_eq!(serials(&all(&db)?, "badges").len(), 12);

    // `no_print`: nobody is cleared yet, so only the categories that need
    // no vetting (visitors) print; the others are named as left out.
    ok(&db, &["vetting", "policy", "no_print"])?;
    let v = all(&db)?;
    let (printed, held) = (serials(&v, "badges"), serials(&v, "skipped_not_cleared"));
    assert!(!held.is_empty(), "{v}");
    assert_eq!(printed.len() + held.len(), 12, "{v}");
    let human = ok(&db, &["badges", "--all", "--out", &out_s])?;
    assert!(
        human.contains("retenus par l'accréditation") && human.contains(&held[0]),
        "{human}"
    );

    // A cleared person prints again; one still held refuses a batch naming them.
    ok(
        &db,
        &[
            "vetting",
            "decide",
            &held[0],
            "--clear",
            "--reason",
            "dossier complet",
        ],
    )?;
    let v = all(&db)?;
    assert!(serials(&v, "badges").contains(&held[0]), "{v}");
    assert!(
        !serials(&v, "skipped_not_cleared").contains(&held[0]),
        "{v}"
    );
    let o = gatehouse(&db, &["badges", "--serial", &held[1], "--out", &out_s])?;
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&held[1]) && err.contains("ne s'imprime pas"),
        "{err}"
    );

    // `print_held`: everyone prints, the uncleared ones under a red banner.
    ok(&db, &["vetting", "policy", "print_held"])?;
    let v = all(&db)?;
    assert_eq!(serials(&v, "badges").len(), 12, "{v}");
    let text = run("pdftotext", &[&out_s, "-"])?;
    assert_eq!(text.matches("RETENU").count(), held.len() - 1, "{text}");
    Ok(())
}
