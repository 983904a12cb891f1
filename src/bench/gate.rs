//! Gate figures: decisions per second on one core with the signature
//! checked (target ≥ 20,000/s, about the cost of one Ed25519 verification;
//! a Python COSE pipeline does about 5,000/s on this machine), the time to
//! refuse 100 KB of garbage, and the latency of a durable scan (decided,
//! recorded with `synchronous=FULL`, committed) at p50, p99 and max (target
//! p99 ≤ 1 ms), on a fresh log, with 20,000 and with 1,000,000 scans in it, on a scratch
//! database beside `--db`. The scans are a gate's: mostly entries of
//! different people, each of which reads the zone's occupancy.

use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use jiff::Timestamp;

use super::Report;
use crate::error::{Error, Result};
use crate::gate::{decide, Decision, Direction, GateConfig, Knowledge};
use crate::token::{self, Claims, Kid};

const SCANS: usize = 1_000;
/// Earlier scans in the log for the second latency figure (a day of a
/// busy gate) and the third (a four-day expo's every gate, and more).
const DAY_LOG: i64 = 20_000;
const BUSY_LOG: i64 = 1_000_000;

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

/// People with badges at the bench's gate.
const PEOPLE: u32 = 3_000;

/// The bench's attendees (no photos: the gate does not read them), in one
/// statement.
async fn attendees(store: &crate::store::Store, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM attendee")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO attendee (id, serial, serial_no, given_names, family_name, folded_name, category,
           created_at, created_by, updated_at, updated_by)
         SELECT printf('00000000-0000-7000-8000-%012d', i), printf('BMX-%06d', i), i, 'Aïssata', 'Maïga ' || i, 'maiga aissata',
                'DEL', ?2, 'bench', ?2, 'bench'
         FROM n",
    )
    .bind(i64::from(PEOPLE))
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Earlier scans `from..to` (of [`BUSY_LOG`]) in the HALL's log, in one
/// statement, as days of a busy gate leave them: 10,000 badges entering,
/// then leaving (so that the hall is empty again after each 20,000), the
/// last one before `now`.
async fn fill_log(store: &crate::store::Store, from: i64, to: i64, now: Timestamp) -> Result<()> {
    let start = now
        .checked_sub(jiff::SignedDuration::from_hours(96))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut tx = store.write().await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT ?3 UNION ALL SELECT i + 1 FROM n WHERE i < ?4 - 1)
         INSERT INTO scan (id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator)
         SELECT 'bench-' || i, 'bench-station', i + 1, printf('BMX-%06d', 100001 + i % 10000), 1, 'HALL',
                CASE WHEN (i / 10000) % 2 = 0 THEN 'in' ELSE 'out' END, 'admit', 'ok',
                strftime('%Y-%m-%dT%H:%M:%f', ?2 + i * 345600.0 / ?1, 'unixepoch') || '000Z', 'bench'
         FROM n",
    )
    .bind(BUSY_LOG)
    .bind(start.as_second())
    .bind(from)
    .bind(to)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Durable scan latencies in ms, sorted: on a fresh log, then with
/// [`DAY_LOG`] and with [`BUSY_LOG`] earlier scans in it; and the time
/// filling the log took.
async fn scan_latencies(dir: &std::path::Path) -> Result<([Vec<f64>; 3], f64)> {
    let db = dir.join("bench.db");
    let store = crate::store::Store::open(&db).await?;
    let now = Timestamp::now();
    let first_day = crate::demo::today_at_venue(now)?;
    crate::demo::install(&store, first_day, now).await?;
    let event = crate::event_store::load(store.read()).await?;
    attendees(&store, now).await?;
    let all = crate::registry::all(store.read()).await?;
    let tokens: Vec<String> = crate::badge_issue::tokens(&store, &event, &all, now, "bench")
        .await?
        .into_iter()
        .map(|t| t.token)
        .collect();
    let zone = "HALL".parse()?;
    let third = tokens.len() / 3;
    let fresh = timed_scans(&store, &event, &tokens[..third], &zone).await?;
    // Each fill is one transaction of up to a million rows, which no gate
    // ever writes: the store is closed (its WAL written back into the file),
    // the file synced to the disk and the store opened again, as a gate
    // whose log grew scan by scan (checkpointed every half second) holds
    // it; otherwise the first scans after it would time that checkpoint and
    // the file system writing back hundreds of megabytes (on ext4 a scan's
    // fsync waits for them: seconds).
    let t = Instant::now();
    fill_log(&store, 0, DAY_LOG, now).await?;
    let mut fill = t.elapsed().as_secs_f64();
    store.close().await;
    settle(&db)?;
    let store = crate::store::Store::open(&db).await?;
    let day = timed_scans(&store, &event, &tokens[third..2 * third], &zone).await?;
    let t = Instant::now();
    fill_log(&store, DAY_LOG, BUSY_LOG, now).await?;
    fill += t.elapsed().as_secs_f64();
    store.close().await;
    settle(&db)?;
    let store = crate::store::Store::open(&db).await?;
    let busy = timed_scans(&store, &event, &tokens[2 * third..], &zone).await?;
    store.close().await;
    Ok(([fresh, day, busy], fill))
}

/// The closed database `db` synced to the disk.
fn settle(db: &std::path::Path) -> Result<()> {
    std::fs::File::open(db)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot sync {}", db.display()), e))
}

/// [`SCANS`] durable scans at a gate as it sees them: nine in ten are
/// entries of people not inside yet (each reads the zone's occupancy
/// against its capacity), one in ten an exit of someone who came in.
async fn timed_scans(
    store: &crate::store::Store,
    event: &crate::event::EventInfo,
    tokens: &[String],
    zone: &crate::event::ZoneCode,
) -> Result<Vec<f64>> {
    let mut times = Vec::with_capacity(SCANS);
    let mut entered = 0;
    for i in 0..SCANS {
        let (text, direction) = if i % 10 == 9 {
            (&tokens[(entered - 5) % tokens.len()], Direction::Out)
        } else {
            entered += 1;
            (&tokens[(entered - 1) % tokens.len()], Direction::In)
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

/// What the disk under `dir` alone costs a scan: [`SCANS`] times, twelve
/// 4 KB pages appended to a file and synced, as a scan's commit appends its
/// pages to the WAL and syncs it (ms, sorted). The floor under the durable
/// scan's latency: its p99 is mostly this one's.
fn disk_syncs(dir: &std::path::Path) -> Result<Vec<f64>> {
    use std::io::Write;
    let path = dir.join("disk-probe");
    let fail = |e| Error::io(format!("cannot write {}", path.display()), e);
    let mut file = std::fs::File::create(&path).map_err(fail)?;
    let page = [0x5a_u8; 4096];
    let mut times = Vec::with_capacity(SCANS);
    for _ in 0..SCANS {
        let start = Instant::now();
        for _ in 0..12 {
            file.write_all(&page).map_err(fail)?;
        }
        file.sync_all().map_err(fail)?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    drop(file);
    std::fs::remove_file(&path).map_err(fail)?;
    times.sort_by(f64::total_cmp);
    Ok(times)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

pub async fn run(report: &mut Report, dir: &std::path::Path) -> Result<()> {
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

    let ([fresh, day, busy], fill) = scan_latencies(dir).await?;
    let figures = [
        ("durable scan latency p50", percentile(&fresh, 0.5), None),
        (
            "durable scan latency p99",
            percentile(&fresh, 0.99),
            Some("≤ 1"),
        ),
        ("durable scan latency max", percentile(&fresh, 1.0), None),
        (
            "durable scan latency p50, 20,000 scans in the log",
            percentile(&day, 0.5),
            None,
        ),
        (
            "durable scan latency p99, 20,000 scans in the log",
            percentile(&day, 0.99),
            Some("≤ 1"),
        ),
        (
            "durable scan latency max, 20,000 scans in the log",
            percentile(&day, 1.0),
            None,
        ),
        (
            "durable scan latency p50, 1,000,000 scans in the log",
            percentile(&busy, 0.5),
            None,
        ),
        (
            "durable scan latency p99, 1,000,000 scans in the log",
            percentile(&busy, 0.99),
            Some("≤ 1"),
        ),
        (
            "durable scan latency max, 1,000,000 scans in the log",
            percentile(&busy, 1.0),
            None,
        ),
    ];
    for (name, value, target) in figures {
        report.push("gate", name, value, "ms", target);
    }
    let disk = disk_syncs(dir)?;
    for (name, p) in [
        ("  the disk alone: 48 KB appended and synced, p50", 0.5),
        ("  the disk alone: 48 KB appended and synced, p99", 0.99),
    ] {
        report.push("gate", name, percentile(&disk, p), "ms", None);
    }
    report.push(
        "gate",
        "filling the log with 1,000,000 scans (two statements)",
        fill,
        "s",
        None,
    );
    Ok(())
}
