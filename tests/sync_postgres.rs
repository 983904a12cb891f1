//! The hub on PostgreSQL as real processes on loopback: `gatehouse hub
//! --store postgres://…` (here through `GATEHOUSE_HUB_STORE`) on a server
//! made for the run (`pg_support`); a desk and a gate pair and sync through
//! it as they do through a SQLite hub: the gate receives the event and its
//! badges, a scan at the gate reaches the desk, and a revocation made on
//! the hub's machine reaches the gate. The log is in PostgreSQL; the hub's
//! own database holds the pairing and its console's copy.

use std::path::Path;
use std::time::{Duration, Instant};

mod http_support;
mod pg_support;

use gatehouse::sync::postgres::PgReplica;
use gatehouse::sync::protocol::Replica;
use http_support::{json, ok, set_real_pins, start_hub_in};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// How long the test waits for what arrives by itself (the hub's capture
/// loop) before giving up.
const ARRIVAL: Duration = Duration::from_secs(20);

fn scan_ids(db: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut ids: Vec<String> = json(db, &["scans"])?
        .as_array()
        .ok_or("scans array")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    Ok(ids)
}

#[test]
fn a_desk_and_a_gate_sync_through_a_hub_on_postgres() -> TestResult {
    let Some(mut pg) = pg_support::start("a_desk_and_a_gate_sync_through_a_hub_on_postgres")?
    else {
        return Ok(());
    };
    let url = pg.create_db()?;
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let desk = dir.path().join("desk.db");
    let gate = dir.path().join("gate.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "5", "--starting", "today"],
    )?;
    set_real_pins(&hub_db)?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();

    let log = dir.path().join("hub.log");
    let env = [("GATEHOUSE_HUB_STORE", url.clone())];
    let (_hub, hub_url) = start_hub_in(&env, &hub_db, "127.0.0.1:0", Some(&log))?;
    for (db, role) in [(&desk, "desk"), (&gate, "gate")] {
        let pair = json(&hub_db, &["pair", "--role", role])?;
        let code = pair["code"].as_str().ok_or("code")?.to_string();
        ok(db, &["join", &hub_url, "--code", &code])?;
    }
    // The hub's own facts (the event, keys, badges) reach PostgreSQL by its
    // capture loop: the gate has them after a sync or a few.
    let started = Instant::now();
    loop {
        ok(&gate, &["sync"])?;
        let v = json(&gate, &["verify", "--zone", "HALL", &token])?;
        if v["decision"] == "admit" {
            break;
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "the gate cannot admit the hub's badge after {ARRIVAL:?}: {v}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A scan at the gate reaches the desk through PostgreSQL.
    let scan = json(&gate, &["scan", "--zone", "HALL", &token])?;
    assert_eq!(scan["decision"], "admit", "{scan}");
    let id = scan["id"].as_str().ok_or("scan id")?.to_string();
    ok(&gate, &["sync"])?;
    ok(&desk, &["sync"])?;
    assert_eq!(
        scan_ids(&desk)?,
        vec![id.clone()],
        "the gate's scan at the desk"
    );

    // The log is in PostgreSQL: the gate's entries (its scan, its audit)
    // under its own origin, the hub's facts under the hub's.
    let rt = tokio::runtime::Runtime::new()?;
    let have = rt.block_on(async {
        let mut probe = PgReplica::connect(&url, "probe").await?;
        probe.have().await
    })?;
    let gate_id = scan["station"].as_str().ok_or("scan station")?;
    assert!(have.get(gate_id) >= 1, "{have:?}");
    assert!(have.0.len() >= 3, "hub, desk or gate origins: {have:?}");

    // The hub's console copy (its own SQLite) receives the scan too.
    let started = Instant::now();
    while scan_ids(&hub_db)? != vec![id.clone()] {
        assert!(
            started.elapsed() < ARRIVAL,
            "the scan has not reached the hub's own database"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // A revocation made on the hub's machine travels through PostgreSQL.
    ok(&hub_db, &["revoke", "BMX-000001", "--reason", "lost badge"])?;
    let started = Instant::now();
    loop {
        ok(&gate, &["sync"])?;
        let v = json(&gate, &["verify", "--zone", "HALL", &token])?;
        if v["reason"] == "revoked" {
            break;
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "the revocation has not reached the gate after {ARRIVAL:?}: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Nothing doubled: the desk holds one scan, the gate one.
    ok(&desk, &["sync"])?;
    assert_eq!(scan_ids(&desk)?, vec![id.clone()]);
    assert_eq!(scan_ids(&gate)?, vec![id]);
    Ok(())
}

/// Syncs `db` until `verify` of `token` says `done`, or gives up.
fn sync_until(
    db: &Path,
    token: &str,
    done: impl Fn(&serde_json::Value) -> bool,
    what: &str,
) -> TestResult {
    let started = Instant::now();
    loop {
        ok(db, &["sync"])?;
        let v = json(db, &["verify", "--zone", "HALL", token])?;
        if done(&v) {
            return Ok(());
        }
        assert!(started.elapsed() < ARRIVAL, "{what} after {ARRIVAL:?}: {v}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn two_hub_processes_on_one_postgres_serve_one_event_and_one_keeps_serving_when_the_other_dies(
) -> TestResult {
    let Some(mut pg) = pg_support::start("two_hub_processes_on_one_postgres")? else {
        return Ok(());
    };
    let url = pg.create_db()?;
    let dir = tempfile::tempdir()?;
    // Hub A holds the event; hub B starts from an empty database of its own.
    let hub_a = dir.path().join("hub-a.db");
    let hub_b = dir.path().join("hub-b.db");
    let desk = dir.path().join("desk.db");
    let gate = dir.path().join("gate.db");
    ok(&hub_a, &["demo", "--attendees", "5", "--starting", "today"])?;
    set_real_pins(&hub_a)?;
    let token = ok(&hub_a, &["token", "BMX-000001"])?.trim().to_string();
    let env = [("GATEHOUSE_HUB_STORE", url.clone())];
    let (a, url_a) = start_hub_in(&env, &hub_a, "127.0.0.1:0", None)?;
    let (_b, url_b) = start_hub_in(&env, &hub_b, "127.0.0.1:0", None)?;
    let pair = json(&hub_a, &["pair", "--role", "desk"])?;
    ok(
        &desk,
        &[
            "join",
            &url_a,
            "--code",
            pair["code"].as_str().ok_or("code")?,
        ],
    )?;
    let pair = json(&hub_b, &["pair", "--role", "gate"])?;
    ok(
        &gate,
        &[
            "join",
            &url_b,
            "--code",
            pair["code"].as_str().ok_or("code")?,
        ],
    )?;

    // The gate, paired at hub B, receives hub A's event, keys and badges
    // (checked against the roles hub A gave them, through the shared roster).
    sync_until(
        &gate,
        &token,
        |v| v["decision"] == "admit",
        "the gate cannot admit hub A's badge",
    )?;
    let scan = json(&gate, &["scan", "--zone", "HALL", &token])?;
    let id = scan["id"].as_str().ok_or("scan id")?.to_string();
    ok(&gate, &["sync"])?;
    // The desk, paired at hub A, receives the scan the gate sent to hub B.
    ok(&desk, &["sync"])?;
    assert_eq!(scan_ids(&desk)?, vec![id.clone()]);

    // Hub A dies. Hub B keeps serving its stations: a revocation made on
    // hub B's machine (its own copy has hub A's badges) reaches the gate.
    drop(a);
    let started = Instant::now();
    loop {
        let out = http_support::gatehouse(&hub_b, &["revoke", "BMX-000001", "--reason", "lost"]);
        if out.status.success() {
            break;
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "hub B's copy never got the badge: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    sync_until(
        &gate,
        &token,
        |v| v["reason"] == "revoked",
        "the revocation has not reached the gate",
    )?;
    // Denied (its own exit status), and recorded.
    let second = http_support::gatehouse(&gate, &["scan", "--zone", "HALL", &token, "--json"]);
    let second: serde_json::Value = serde_json::from_slice(&second.stdout)?;
    assert_eq!(second["reason"], "revoked", "{second}");
    ok(&gate, &["sync"])?;
    // Nothing doubled in PostgreSQL: the gate's entries are numbered once.
    let rt = tokio::runtime::Runtime::new()?;
    let relayed = rt.block_on(async {
        let mut probe = PgReplica::connect(&url, "probe").await?;
        probe.entries_after(&Default::default(), 1_000_000).await
    })?;
    let gate_id = scan["station"].as_str().ok_or("scan station")?;
    let scans: Vec<u64> = relayed
        .iter()
        .filter(|e| e.origin == gate_id && e.record.kind_key().0 == "scan")
        .map(|e| e.seq)
        .collect();
    assert_eq!(scans.len(), 2, "the gate's two scans, once each: {scans:?}");
    Ok(())
}

#[test]
fn an_unknown_store_is_refused_with_what_it_takes() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("hub.db");
    let out = http_support::gatehouse(
        &db,
        &[
            "--lang",
            "en",
            "hub",
            "--listen",
            "127.0.0.1:0",
            "--store",
            "mysql://x",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--store mysql://x"), "{err}");
    assert!(err.contains("postgres://"), "{err}");
    Ok(())
}
