//! Presence and occupancy come from the scan log alone: entries, exits,
//! refusals that do not count, and a zone that fills up and frees a place.

mod gate_support;

use gate_support::{demo_db, ok, run, TestResult};

fn scan(db: &std::path::Path, token: &str, direction: &str, at: &str) -> TestResult<(i32, String)> {
    let out = run(
        db,
        &[
            "--json",
            "scan",
            "--zone",
            "BIZ",
            "--direction",
            direction,
            "--at",
            at,
            token,
        ],
    )?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok((
        out.status.code().unwrap_or(-1),
        v["reason"].as_str().unwrap_or_default().to_string(),
    ))
}

#[test]
fn a_zone_fills_up_and_frees_places_from_the_log() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo_db(
        dir.path(),
        &[
            ("BMX-000001", "Awa", "Diallo", "DEL", None, None),
            ("BMX-000002", "Ibrahim", "Touré", "DEL", None, None),
            ("BMX-000003", "Mariam", "Coulibaly", "DEL", None, None),
            ("BMX-000004", "Hasan", "Yılmaz", "VIS", None, None),
        ],
    )?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = gatehouse::store::Store::open(&db).await?;
        let mut tx = store.write().await?;
        sqlx::query("UPDATE zone SET capacity = 2 WHERE code = 'BIZ'")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        store.close().await;
        Ok::<_, gatehouse::Error>(())
    })?;
    let t: Vec<String> = (1..=4)
        .map(|n| ok(&db, &["token", &format!("BMX-00000{n}")]).map(|s| s.trim().to_string()))
        .collect::<Result<_, _>>()?;
    let at = |m: u32| format!("2025-11-11T10:{m:02}:00Z");

    assert_eq!(scan(&db, &t[0], "in", &at(1))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[1], "in", &at(2))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[2], "in", &at(3))?, (3, "zone_full".into()));
    // Already inside (anti-passback off in BIZ): admitted, not counted twice.
    assert_eq!(scan(&db, &t[0], "in", &at(4))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[0], "out", &at(5))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[2], "in", &at(6))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[0], "in", &at(7))?, (3, "zone_full".into()));
    // A refusal for another reason changes nothing either.
    assert_eq!(
        scan(&db, &t[3], "in", &at(8))?,
        (3, "zone_not_allowed".into())
    );
    assert_eq!(scan(&db, &t[0], "in", &at(8))?, (3, "zone_full".into()));
    assert_eq!(scan(&db, &t[1], "out", &at(9))?, (0, "ok".into()));
    assert_eq!(scan(&db, &t[0], "in", &at(10))?, (0, "ok".into()));

    rt.block_on(async {
        let store = gatehouse::store::Store::open(&db).await?;
        let mut conn = store.read().acquire().await?;
        let inside = gatehouse::scan_log::inside(&mut conn, &"BIZ".parse()?).await?;
        let inside: Vec<String> = inside.iter().map(|s| s.to_string()).collect();
        assert_eq!(inside, ["BMX-000001", "BMX-000003"]);
        Ok::<_, gatehouse::Error>(())
    })?;
    Ok(())
}
