//! A station moves to another hub of its event when its hub stops
//! answering (issue 18, `docs/SCALE.md` "Failover"), as real processes on
//! loopback: two `gatehouse hub` processes on one PostgreSQL made for the
//! run (`pg_support`), a desk and a gate paired at hub A and syncing by
//! themselves (`sync --watch`). Hub A is killed in the middle of a burst of
//! scans; both stations move to hub B on their own; a revocation made at B
//! reaches the gate; every scan the gate made is stored once in
//! PostgreSQL. A station un-paired at one hub is refused at the other, and
//! a hub address written into a gate's database by hand is not used.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod http_support;
mod pg_support;

use gatehouse::sync::postgres::PgReplica;
use gatehouse::sync::protocol::Replica;
use http_support::{gatehouse, json, ok, refused_in, set_real_pins, start_hub_in, Running};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// How long the test waits for what happens by itself (the hubs' capture
/// loops, the stations' watch loops, a move to another hub, the return to
/// the preferred hub 30 s after leaving it) before giving up: generous, for
/// a busy machine.
const ARRIVAL: Duration = Duration::from_secs(90);

/// `sqlite3` on a station's database, as someone with the laptop uses it.
fn sql(db: &Path, statement: &str) -> Result<String, Box<dyn std::error::Error>> {
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

/// Waits until `check` says yes, or fails saying `what` and the last
/// thing seen.
fn wait_for(
    what: &str,
    mut check: impl FnMut() -> Result<(bool, String), Box<dyn std::error::Error>>,
) -> TestResult {
    let started = Instant::now();
    loop {
        let (done, seen) = check()?;
        if done {
            return Ok(());
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "{what} after {ARRIVAL:?}: {seen}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn status(db: &Path) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    json(db, &["sync", "--status"])
}

fn hubs(st: &serde_json::Value) -> Vec<String> {
    st["hubs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `sync --watch` on `db`, its log in `log`.
fn watch(db: &Path, log: &Path) -> Result<Running, Box<dyn std::error::Error>> {
    Ok(Running(
        Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(["sync", "--watch", "--db"])
            .arg(db)
            .env_remove("GATEHOUSE_DB")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(log)?))
            .spawn()?,
    ))
}

/// Pairs `db` at the hub of `hub_db` (listening at `url`) as `role`.
fn pair(hub_db: &Path, url: &str, db: &Path, role: &str) -> Result<(), Box<dyn std::error::Error>> {
    let code = json(hub_db, &["pair", "--role", role])?["code"]
        .as_str()
        .ok_or("code")?
        .to_string();
    ok(db, &["join", url, "--code", &code])?;
    Ok(())
}

/// A listener that only counts who connects to it: the address a forged
/// list would send the gate to.
fn rogue() -> Result<(String, Arc<AtomicUsize>), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("https://{}", listener.local_addr()?);
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            count.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut c) = conn {
                let mut buf = [0u8; 256];
                let _ = c.read(&mut buf);
            }
        }
    });
    Ok((url, seen))
}

#[test]
fn stations_move_to_the_other_hub_when_theirs_dies_mid_burst_and_nothing_is_lost_or_doubled(
) -> TestResult {
    let Some(mut pg) = pg_support::start("stations_move_to_the_other_hub")? else {
        return Ok(());
    };
    let url = pg.create_db()?;
    let dir = tempfile::tempdir()?;
    let hub_a = dir.path().join("hub-a.db");
    let hub_b = dir.path().join("hub-b.db");
    let desk = dir.path().join("desk.db");
    let gate = dir.path().join("gate.db");
    let lost = dir.path().join("lost.db");
    ok(&hub_a, &["demo", "--attendees", "5", "--starting", "today"])?;
    set_real_pins(&hub_a)?;
    let tokens: Vec<String> = (1..=5)
        .map(|n| {
            Ok(ok(&hub_a, &["token", &format!("BMX-00000{n}")])?
                .trim()
                .to_string())
        })
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    let env = [("GATEHOUSE_HUB_STORE", url.clone())];
    let (a, url_a) = start_hub_in(&env, &hub_a, "127.0.0.1:0", Some(&dir.path().join("a.log")))?;
    let (_b, url_b) = start_hub_in(&env, &hub_b, "127.0.0.1:0", Some(&dir.path().join("b.log")))?;

    // Paired at hub A, the stations are given both hubs, A first.
    pair(&hub_a, &url_a, &desk, "desk")?;
    pair(&hub_a, &url_a, &gate, "gate")?;
    pair(&hub_a, &url_a, &lost, "gate")?;
    // A second desk, paired at hub B, gets its own block of walk-in badge
    // numbers: the hubs count the blocks they gave together.
    let desk_b = dir.path().join("desk-b.db");
    pair(&hub_b, &url_b, &desk_b, "desk")?;
    let block = |db: &Path| sql(db, "SELECT last FROM serial_counter");
    assert_ne!(block(&desk)?, block(&desk_b)?, "two desks share a block");
    let st = status(&gate)?;
    assert_eq!(hubs(&st), vec![url_a.clone(), url_b.clone()], "{st}");
    assert_eq!(st["on_hub"], url_a.as_str(), "{st}");

    // A station un-paired at hub B (a lost laptop) is refused at hub A,
    // which paired it: un-pairing reaches every hub of the event.
    ok(&lost, &["sync"])?;
    let lost_id = sql(&lost, "SELECT uuid FROM station")?;
    wait_for("hub B cannot un-pair the station hub A paired", || {
        let out = gatehouse(&hub_b, &["unpair", &lost_id]);
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    })?;
    wait_for("hub A still accepts the station un-paired at hub B", || {
        let out = gatehouse(&lost, &["sync", "--json"]);
        Ok((!out.status.success(), format!("{out:?}")))
    })?;
    let (code, said) = refused_in(&[], &lost, &["sync"])?;
    assert_eq!(code, "unauthenticated", "{said}");

    // Someone with the gate's laptop writes their own address into its
    // list of hubs: the list is no longer the one the hubs signed, and the
    // gate uses none of it (only the hub it paired with) until a hub sends
    // the list again.
    let (rogue_url, rogue_seen) = rogue()?;
    let kept = sql(&gate, "SELECT hubs_list FROM sync_link")?;
    let forged = kept.replacen(
        "\"hubs\":[",
        &format!(
            "\"hubs\":[{{\"hub\":\"x\",\"url\":\"{rogue_url}\",\"fingerprint\":\"{}\"}},",
            "ab".repeat(32)
        ),
        1,
    );
    assert_ne!(forged, kept);
    sql(
        &gate,
        &format!(
            "UPDATE sync_link SET hubs_list = '{}'",
            forged.replace('\'', "''")
        ),
    )?;
    let st = status(&gate)?;
    assert_eq!(
        hubs(&st),
        vec![url_a.clone()],
        "the forged list is used: {st}"
    );

    // Both stations sync by themselves; the gate takes the list from hub A
    // again.
    let _desk_watch = watch(&desk, &dir.path().join("desk.log"))?;
    let _gate_watch = watch(&gate, &dir.path().join("gate.log"))?;
    wait_for("the gate cannot admit hub A's badge", || {
        // Refused until the event arrives.
        let out = gatehouse(&gate, &["verify", "--zone", "HALL", &tokens[0], "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        Ok((v["decision"] == "admit", format!("{v} {out:?}")))
    })?;
    wait_for("the gate has not taken the hubs' list again", || {
        let st = status(&gate)?;
        Ok((
            hubs(&st) == vec![url_a.clone(), url_b.clone()],
            st.to_string(),
        ))
    })?;

    // A burst of scans at the gate; hub A dies in the middle of it.
    let mut ids = Vec::new();
    let mut gate_id = String::new();
    let mut a = Some(a);
    let mut killed = Instant::now();
    for i in 0..30 {
        if i == 10 {
            drop(a.take());
            killed = Instant::now();
        }
        let out = gatehouse(&gate, &["scan", "--zone", "HALL", &tokens[i % 5], "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        ids.push(
            v["id"]
                .as_str()
                .ok_or_else(|| format!("scan id: {v}"))?
                .to_string(),
        );
        gate_id = v["station"].as_str().ok_or("scan station")?.to_string();
    }
    ids.sort();

    // Both stations moved to hub B by themselves.
    for (db, what) in [(&gate, "the gate"), (&desk, "the desk")] {
        wait_for(&format!("{what} has not moved to hub B"), || {
            let st = status(db)?;
            Ok((
                st["on_hub"] == url_b.as_str() && st["last_error"].is_null(),
                st.to_string(),
            ))
        })?;
    }
    // A figure, not an assertion: the burst's remaining scans ran meanwhile.
    eprintln!(
        "FIGURE failover: both stations synced through hub B {} ms after hub A was killed",
        killed.elapsed().as_millis()
    );

    // Every scan the gate made is in PostgreSQL, once.
    let rt = tokio::runtime::Runtime::new()?;
    wait_for("the gate's scans are not all in PostgreSQL", || {
        let stored = rt.block_on(async {
            let mut probe = PgReplica::connect(&url, "probe").await?;
            probe.entries_after(&Default::default(), 1_000_000).await
        })?;
        let mut keys: Vec<String> = stored
            .iter()
            .filter(|e| e.origin == gate_id && e.record.kind_key().0 == "scan")
            .map(|e| e.record.kind_key().1)
            .collect();
        keys.sort();
        let mut once = keys.clone();
        once.dedup();
        assert_eq!(once.len(), keys.len(), "a scan stored twice: {keys:?}");
        Ok((
            keys == ids,
            format!("{} of {} stored", keys.len(), ids.len()),
        ))
    })?;

    // And every one reaches the desk, through hub B.
    wait_for("the gate's scans have not all reached the desk", || {
        let mut at_desk: Vec<String> = json(&desk, &["scans"])?
            .as_array()
            .ok_or("scans array")?
            .iter()
            .filter_map(|s| s["id"].as_str().map(str::to_string))
            .collect();
        at_desk.sort();
        let all = ids.iter().all(|id| at_desk.contains(id));
        Ok((all, format!("{} scans at the desk", at_desk.len())))
    })?;

    // A revocation made at hub B reaches the gate.
    wait_for("hub B's copy never got the badge", || {
        let out = gatehouse(&hub_b, &["revoke", "BMX-000001", "--reason", "lost"]);
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    })?;
    let revoked = Instant::now();
    wait_for(
        "the revocation made at hub B has not reached the gate",
        || {
            let v = json(&gate, &["verify", "--zone", "HALL", &tokens[0]])?;
            Ok((v["reason"] == "revoked", v.to_string()))
        },
    )?;
    eprintln!(
        "FIGURE failover: a revocation made at hub B reached the gate within {} ms (polled every 200 ms)",
        revoked.elapsed().as_millis()
    );

    // Hub A comes back at its address: after a while on hub B, both
    // stations go back to the hub they prefer, the one they paired with.
    let listen = url_a.trim_start_matches("https://");
    let (_a_again, again) = start_hub_in(&env, &hub_a, listen, Some(&dir.path().join("a2.log")))?;
    assert_eq!(again, url_a);
    for (db, what) in [(&gate, "the gate"), (&desk, "the desk")] {
        wait_for(&format!("{what} has not gone back to hub A"), || {
            let st = status(db)?;
            Ok((
                st["on_hub"] == url_a.as_str() && st["last_error"].is_null(),
                st.to_string(),
            ))
        })?;
    }
    // And syncs through it: a revocation made at hub A reaches the gate.
    ok(&hub_a, &["revoke", "BMX-000002", "--reason", "lost"])?;
    wait_for(
        "the revocation made at hub A has not reached the gate",
        || {
            let v = json(&gate, &["verify", "--zone", "HALL", &tokens[1]])?;
            Ok((v["reason"] == "revoked", v.to_string()))
        },
    )?;

    // The forged address was never tried.
    assert_eq!(
        rogue_seen.load(Ordering::SeqCst),
        0,
        "the gate reached {rogue_url}"
    );
    Ok(())
}
