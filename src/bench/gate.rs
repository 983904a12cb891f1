//! Gate figures: decisions per second on one core with the signature
//! checked (target ≥ 20,000/s, about the cost of one Ed25519 verification;
//! a Python COSE pipeline does about 5,000/s on this machine), the time to
//! refuse 100 KB of garbage, and the latency of a durable scan (decided,
//! recorded with `synchronous=FULL`, committed) at p50 and p99 (target p99
//! ≤ 10 ms), on a scratch database.

use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use jiff::Timestamp;

use super::Report;
use crate::error::{Error, Result};
use crate::gate::{decide, Decision, Direction, GateConfig, Knowledge};
use crate::token::{self, Claims, Kid};

const SCANS: usize = 400;
/// Earlier scans in the zone for the second latency figure.
const BUSY_LOG: i64 = 20_000;

fn sample_claims(now: Timestamp) -> Result<Claims> {
    Ok(Claims {
        event: crate::demo::BAMEX25_CODE.into(),
        serial: "BMX-000042".parse()?,
        version: 1,
        issued_at: now,
        not_before: "2025-11-11T00:00:00Z"
            .parse()
            .map_err(|e| Error::Internal(format!("{e}")))?,
        expires: "2025-11-14T23:59:59Z"
            .parse()
            .map_err(|e| Error::Internal(format!("{e}")))?,
        category: "DEL".parse()?,
        zones: 0b10111,
        days: 0b1111,
        name: token::display_name("Aïssata Maïga"),
        photo: Some([7; 8]),
    })
}

/// CPU time this thread has run, in ns (Linux), so that a figure per core
/// holds on a machine busy with other work.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// (decisions per CPU second, per wall-clock second, µs to refuse 100 KB of garbage).
fn decisions() -> Result<(f64, f64, f64)> {
    let key = SigningKey::from_bytes(&[42; 32]);
    let at: Timestamp = "2025-11-12T10:00:00Z"
        .parse()
        .map_err(|e| Error::Internal(format!("{e}")))?;
    let text = token::encode(&sample_claims(at)?, &key)?;
    let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
    let gate = GateConfig::new(&event, &"HALL".parse()?, Direction::In)?;
    let mut known = Knowledge::default();
    let vk = key.verifying_key();
    known.keys.insert(Kid::of(&vk), vk);
    if decide(&text, &gate, &known, at).decision != Decision::Admit {
        return Err(Error::Internal(
            "the benchmark token is not admitted".into(),
        ));
    }
    let start = Instant::now();
    let cpu_start = thread_cpu_ns();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(3) {
        for _ in 0..100 {
            std::hint::black_box(decide(std::hint::black_box(&text), &gate, &known, at));
        }
        n += 100;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => wall,
    };

    let garbage = format!("{}{}", token::PREFIX, "Z".repeat(100_000));
    let start = Instant::now();
    for _ in 0..1000 {
        std::hint::black_box(decide(std::hint::black_box(&garbage), &gate, &known, at));
    }
    let garbage_us = start.elapsed().as_secs_f64() * 1e6 / 1000.0;
    Ok((n as f64 / cpu, n as f64 / wall, garbage_us))
}

/// Durable scan latencies in ms, sorted: on a fresh log, then with
/// [`BUSY_LOG`] earlier scans in the zone (presence is derived from the log).
async fn scan_latencies(dir: &std::path::Path) -> Result<(Vec<f64>, Vec<f64>)> {
    let db = dir.join("bench.db");
    let store = crate::store::Store::open(&db).await?;
    let now = Timestamp::now();
    let first_day = crate::demo::today_at_venue(now)?;
    crate::demo::install(&store, first_day, now).await?;
    let event = crate::event_store::load(store.read()).await?;
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM attendee")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO attendee (id, serial, serial_no, given_names, family_name, folded_name, category,
           created_at, created_by, updated_at, updated_by)
         VALUES ('bench', 'BMX-000042', 42, 'Aïssata', 'Maïga', 'maiga aissata', 'DEL', ?1, 'bench', ?1, 'bench')",
    )
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let serial = "BMX-000042".parse()?;
    let text = crate::badge_issue::token(&store, &serial, now, "bench")
        .await?
        .token;
    let zone = "HALL".parse()?;
    let fresh = timed_scans(&store, &event, &text, &zone).await?;
    let mut tx = store.write().await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO scan (id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator)
         SELECT 'bench-' || i, 'bench-station', i, printf('BMX-%06d', 100 + i % 2000), 1, 'HALL',
                CASE WHEN (i / 2000) % 2 = 0 THEN 'in' ELSE 'out' END, 'admit', 'ok',
                '2000-01-01T00:00:00.' || printf('%06d', i) || 'Z', 'bench'
         FROM n",
    )
    .bind(BUSY_LOG)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let busy = timed_scans(&store, &event, &text, &zone).await?;
    store.close().await;
    Ok((fresh, busy))
}

async fn timed_scans(
    store: &crate::store::Store,
    event: &crate::event::EventInfo,
    text: &str,
    zone: &crate::event::ZoneCode,
) -> Result<Vec<f64>> {
    let mut times = Vec::with_capacity(SCANS);
    for i in 0..SCANS {
        let direction = if i % 2 == 0 {
            Direction::In
        } else {
            Direction::Out
        };
        let start = Instant::now();
        let outcome = crate::scan_log::scan(
            store,
            event,
            text,
            zone,
            direction,
            Timestamp::now(),
            None,
            "bench",
        )
        .await?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
        if outcome.verdict.decision == Decision::Deny {
            return Err(Error::Internal(format!(
                "benchmark scan {i} denied: {}",
                outcome.verdict.reason.as_str()
            )));
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

pub async fn run(report: &mut Report) -> Result<()> {
    let (per_cpu_second, per_second, garbage_us) =
        tokio::task::spawn_blocking(decisions)
            .await
            .map_err(|e| Error::Internal(format!("gate benchmark panicked: {e}")))??;
    report.push(
        "gate",
        "decisions per CPU second, one core, signature checked",
        per_cpu_second,
        "/s",
        Some("≥ 20000"),
    );
    report.push(
        "gate",
        "decisions per wall-clock second (shares the machine)",
        per_second,
        "/s",
        None,
    );
    report.push(
        "gate",
        "refusing 100 KB of garbage",
        garbage_us,
        "µs",
        Some("≪ 1000"),
    );

    let dir = std::env::temp_dir().join(format!("gatehouse-bench-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let result = scan_latencies(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    let (fresh, busy) = result?;
    let figures = [
        ("durable scan latency p50", percentile(&fresh, 0.5), None),
        (
            "durable scan latency p99",
            percentile(&fresh, 0.99),
            Some("≤ 10"),
        ),
        (
            "durable scan latency p50, 20,000 scans in the zone",
            percentile(&busy, 0.5),
            None,
        ),
        (
            "durable scan latency p99, 20,000 scans in the zone",
            percentile(&busy, 0.99),
            Some("≤ 10"),
        ),
    ];
    for (name, value, target) in figures {
        report.push("gate", name, value, "ms", target);
    }
    Ok(())
}
