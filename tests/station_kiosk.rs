//! Kiosk mode set per station from the hub (issue 17), as real processes:
//! the organiser asks it for one paired gate (`gatehouse stations kiosk`),
//! the setting reaches that gate by sync and only that one, the gate's
//! window would open in kiosk mode (`Api::kiosk_wanted`) and says so back
//! (`kiosk.applied`), which the hub lists. A gate laptop's owner with
//! `sqlite3` cannot switch kiosk off, for itself or another gate: its forged
//! record is held aside at the hub and flagged.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod http_support;

use http_support::{json, ok, start_hub, TestResult};

/// Only a hang fails here (the hub logs a CLI's write within 200 ms).
const ARRIVAL: Duration = Duration::from_secs(30);

fn sql(db: &Path, statement: &str) -> TestResult<String> {
    let out = Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(db)
        .arg(statement)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "sqlite3 {statement:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

fn join(hub_db: &Path, url: &str, db: &Path, name: &str) -> TestResult {
    let pair = json(hub_db, &["pair", "--role", "gate", "--name", name])?;
    let code = pair["code"].as_str().ok_or("code")?;
    ok(db, &["join", url, "--code", code])?;
    ok(db, &["sync"])?;
    Ok(())
}

/// Whether the window of the station `db` would be a kiosk (started
/// without `--kiosk`), as the window asks it.
async fn wanted(db: &Path) -> TestResult<bool> {
    let api = gatehouse::Api::open(db, Default::default()).await?;
    let on = api.kiosk_wanted(false).await?;
    api.store().close().await;
    Ok(on)
}

/// Syncs `db` until its window's kiosk mode is `expected`.
async fn sync_until(db: &Path, expected: bool) -> TestResult {
    let started = Instant::now();
    loop {
        ok(db, &["sync"])?;
        if wanted(db).await? == expected {
            return Ok(());
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "{}: kiosk never became {expected}",
            db.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The hub's row for `station` in `gatehouse stations --json`.
fn peer(hub_db: &Path, station: &str) -> TestResult<serde_json::Value> {
    let all = json(hub_db, &["stations"])?;
    Ok(all
        .as_array()
        .ok_or("stations")?
        .iter()
        .find(|p| p["station"].as_str() == Some(station))
        .cloned()
        .ok_or("station not listed")?)
}

fn alert_kinds(hub_db: &Path, station: &str) -> TestResult<String> {
    let q = json(hub_db, &["quarantine"])?;
    Ok(q["alerts"]
        .as_array()
        .ok_or("alerts")?
        .iter()
        .filter(|a| a["station"].as_str() == Some(station))
        .filter_map(|a| a["kinds"].as_str())
        .collect::<Vec<_>>()
        .join(","))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_organiser_sets_kiosk_for_one_gate_and_a_gate_cannot_undo_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let hub_db = p("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "3", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let hall = p("gate-hall.db");
    let vip = p("gate-vip.db");
    join(&hub_db, &url, &hall, "Porte Hall")?;
    join(&hub_db, &url, &vip, "Porte VIP")?;
    let hall_id = sql(&hall, "SELECT uuid FROM station")?;
    let vip_id = sql(&vip, "SELECT uuid FROM station")?;
    assert!(!wanted(&hall).await? && !wanted(&vip).await?);
    assert!(peer(&hub_db, &hall_id)?["kiosk_asked"].is_null());

    // Only the hub sets it: a gate's own CLI is refused.
    let refused = http_support::gatehouse(&vip, &["stations", "kiosk", &hall_id, "off"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("hub"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // By its name, as `gatehouse stations` lists it.
    let set = json(&hub_db, &["stations", "kiosk", "Porte Hall", "on"])?;
    assert_eq!(set["station"], hall_id.as_str());
    assert_eq!(peer(&hub_db, &hall_id)?["kiosk_asked"], true);
    sync_until(&hall, true).await?;
    ok(&vip, &["sync"])?;
    assert!(!wanted(&vip).await?, "the other gate is not a kiosk");

    // The gate's window applies it and says so; the hub lists it.
    let api = gatehouse::Api::open(&hall, Default::default()).await?;
    api.kiosk_applied(true, jiff::Timestamp::now()).await?;
    api.store().close().await;
    let started = Instant::now();
    loop {
        ok(&hall, &["sync"])?;
        if peer(&hub_db, &hall_id)?["kiosk_applied"] == true {
            break;
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "the hub never heard it applied"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The VIP gate's laptop, with sqlite3: kiosk off for the hall gate and
    // for itself, as records of its own sent with its own credential.
    for station in [&hall_id, &vip_id] {
        sql(
            &vip,
            &format!(
                "INSERT INTO station_kiosk (station, kiosk, set_at, set_by, hlc)
                 VALUES ('{station}', 0, '2026-12-06T10:00:00Z', 'x', NULL)
                 ON CONFLICT (station) DO UPDATE SET kiosk = 0, hlc = NULL"
            ),
        )?;
    }
    ok(&vip, &["sync"])?;
    assert!(
        alert_kinds(&hub_db, &vip_id)?.contains("station_kiosk"),
        "{}",
        alert_kinds(&hub_db, &vip_id)?
    );
    assert!(peer(&hub_db, &vip_id)?["held"].as_i64().unwrap_or(0) > 0);
    assert_eq!(
        sql(
            &hub_db,
            &format!("SELECT kiosk FROM station_kiosk WHERE station = '{hall_id}'")
        )?,
        "1",
        "the hub still asks kiosk for the hall gate"
    );
    ok(&hall, &["sync"])?;
    assert!(wanted(&hall).await?, "the hall gate is still a kiosk");

    // The organiser takes it off: the gate follows.
    ok(&hub_db, &["stations", "kiosk", &hall_id, "off"])?;
    sync_until(&hall, false).await?;
    let unknown = http_support::gatehouse(&hub_db, &["stations", "kiosk", "nowhere", "on"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nowhere"));
    Ok(())
}
