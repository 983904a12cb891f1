//! Durability: a `gatehouse scan` killed with SIGKILL at random moments,
//! many times. Every verdict that was printed is in the scan log
//! afterwards, and SQLite's integrity check passes.

mod gate_support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gate_support::{demo_db, ok, TestResult, BIN};
use rand::{Rng, SeedableRng};

#[test]
fn every_printed_verdict_survives_sigkill() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = demo_db(
        dir.path(),
        &[("BMX-000001", "Moussa", "Traoré", "ORG", None, None)],
    )?;
    let token = ok(&db, &["token", "BMX-000001"])?.trim().to_string();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20251111);
    // Kills land anywhere in a scan's life on this machine as it is now: a
    // scan's whole run is timed first (on a busy machine it takes far longer
    // than on a quiet one, and a fixed window killed every one of them).
    let span = {
        let mut times = Vec::new();
        // In and out, so the holder is outside again for the runs below.
        for direction in ["in", "out", "in", "out"] {
            let t = Instant::now();
            ok(
                &db,
                &[
                    "scan",
                    "--zone",
                    "HALL",
                    "--direction",
                    direction,
                    "--at",
                    "2025-11-12T09:00:00Z",
                    &token,
                ],
            )?;
            times.push(t.elapsed());
        }
        times.sort();
        times[2]
    };
    let window = u64::try_from(span.as_micros() * 3 / 2)
        .unwrap_or(u64::MAX)
        .max(1);
    let mut printed = Vec::new();
    let mut killed = 0;
    let started = Instant::now();
    let mut runs = 0;
    // Bounded in time as well as in count: the machine is shared.
    while runs < 300 && (started.elapsed() < Duration::from_secs(20) || printed.is_empty()) {
        runs += 1;
        let direction = if runs % 2 == 0 { "out" } else { "in" };
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["--json", "scan", "--zone", "HALL", "--direction", direction])
            .args(["--at", "2025-11-12T10:00:00Z", &token])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..window)));
        if child.try_wait()?.is_none() {
            child.kill()?; // SIGKILL
            killed += 1;
        }
        child.wait()?;
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            stdout.read_to_string(&mut out)?;
        }
        // A verdict counts as shown only when its whole JSON object came out.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&out) {
            let id = v["id"].as_str().ok_or("printed verdict without id")?;
            printed.push(id.to_string());
        }
    }
    eprintln!(
        "{runs} runs, {killed} killed, {} verdicts printed (a whole scan: {span:?})",
        printed.len()
    );
    assert!(
        killed > runs / 10,
        "too few kills ({killed}/{runs}) to test anything"
    );
    assert!(!printed.is_empty(), "no scan ever completed");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = gatehouse::store::Store::open(&db).await?;
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(store.read())
            .await?;
        assert_eq!(check, "ok");
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM scan")
            .fetch_all(store.read())
            .await?;
        let missing: Vec<_> = printed.iter().filter(|id| !ids.contains(id)).collect();
        assert!(missing.is_empty(), "printed but not recorded: {missing:?}");
        let seqs: Vec<i64> =
            sqlx::query_scalar("SELECT station_seq FROM scan ORDER BY station_seq")
                .fetch_all(store.read())
                .await?;
        let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
        assert_eq!(seqs, expected, "station sequence has gaps or repeats");
        Ok::<_, gatehouse::Error>(())
    })?;
    Ok(())
}
