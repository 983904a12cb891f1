//! Issue 18's figures for hubs on PostgreSQL: a benchmark that prints
//! figures, not a timed test (it asserts only that everything arrived).
//! Ignored in `make test`; `make bench-pg` runs it on a release build:
//!
//! ```text
//! cargo test --release --test bench_pg -- --ignored --nocapture
//! ```
//!
//! It starts its own PostgreSQL (`pg_support`: a cluster in a temporary
//! folder, as the tests do: note `fsync=off`) and two real `gatehouse hub`
//! processes on it, then:
//!
//! 1. **Stations × scans.** `BENCH_STATIONS` station origins (200), each
//!    credentialled as a gate in the hubs' shared roster (as pairing at a
//!    hub publishes it), half syncing with hub A, half with hub B, each
//!    holding `BENCH_SCANS` scans of its own (5,000), all at once through
//!    the real HTTP sync protocol (`POST /sync/v1/round` over TLS pinned to
//!    each hub's certificate, the protocol's own `Session` on an in-memory
//!    replica per station: the station side of a round without a station's
//!    SQLite). Timed until PostgreSQL holds every scan ("stored") and until
//!    every station holds every other station's scans ("converged", when
//!    `BENCH_PULL` is not `0`). Bytes per scan: request and answer bodies
//!    on the wire (JSON, before TLS), per scan stored. PostgreSQL's size:
//!    the database's growth, per 1,000,000 scans.
//! 2. **A new station's first sync** of a registry of `BENCH_ATTENDEES`
//!    attendees (1,000,000; no photos): the registry is written into
//!    PostgreSQL as a desk's entries (one attendee edit with fourteen fields
//!    and one badge issue per attendee, as a registration makes), then a
//!    new gate pairs at hub B (`gatehouse pair`, `gatehouse join`) and runs
//!    `gatehouse sync` (the real station, its SQLite): timed.
//!
//! Figures on stdout, one JSON line at the end (`BENCH_PG {…}`).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod http_support;
mod pg_support;

use gatehouse::scan::Scan;
use gatehouse::staff::Role;
use gatehouse::sync::hlc::Hlc;
use gatehouse::sync::memory::MemReplica;
use gatehouse::sync::postgres::PgReplica;
use gatehouse::sync::protocol::{Entry, Outcome, Replica, Response, Session, SyncRecord};
use http_support::{json, ok, set_real_pins, start_hub_in};
use sha2::Digest;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn at(ms: u64) -> String {
    let ts = jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    gatehouse::scan_log::format_at(ts)
}

fn now_ms() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// One simulated station: its replica, session, credential and hub.
struct Station {
    replica: MemReplica,
    session: Session,
    token: String,
    hub: usize,
}

#[derive(Default)]
struct Wire {
    bytes: AtomicU64,
    rounds: AtomicU64,
    /// Rounds the hub did not answer, tried again.
    retries: AtomicU64,
}

/// The first few failed rounds' reasons, on stderr (the rest only counted).
fn tracing_free_note(why: &str) {
    static SAID: AtomicU64 = AtomicU64::new(0);
    if SAID.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("a round failed and is tried again: {why}");
    }
}

/// One round over HTTP; the outcome and whether this station sent anything.
async fn round(
    st: &mut Station,
    http: &reqwest::Client,
    url: &str,
    wire: &Wire,
) -> TestResult<(bool, usize)> {
    let t = now_ms();
    let req = st.session.request(&mut st.replica, t).await?;
    let sent = req.entries.len();
    let body = serde_json::to_vec(&req)?;
    let resp = http
        .post(format!("{url}/sync/v1/round?wait_ms=0"))
        .bearer_auth(&st.token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.clone())
        .send()
        .await?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        return Err(format!("hub said {status}: {}", String::from_utf8_lossy(&bytes)).into());
    }
    wire.bytes
        .fetch_add((body.len() + bytes.len()) as u64, Ordering::Relaxed);
    wire.rounds.fetch_add(1, Ordering::Relaxed);
    let resp: Response = serde_json::from_slice(&bytes)?;
    match st.session.receive(&mut st.replica, &resp, t).await? {
        Outcome::Synced { more, .. } => Ok((more, sent)),
        Outcome::Refused(skew) => Err(format!("refused: {skew}").into()),
    }
}

async fn pg_size(pool: &sqlx::PgPool) -> TestResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(pool)
            .await?,
    )
}

/// Waits until `station`'s credential is accepted at `url` (the hub's
/// capture loop copies the shared roster into its own database).
async fn until_known(http: &reqwest::Client, url: &str, token: &str) -> TestResult {
    let started = Instant::now();
    loop {
        let r = http
            .post(format!("{url}/sync/v1/hubs"))
            .bearer_auth(token)
            .send()
            .await?;
        if r.status().is_success() {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(120) {
            return Err(format!("{url} never took the roster: {}", r.status()).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn pinned(fingerprint: &str) -> TestResult<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(gatehouse::sync::tls::pinned_client(fingerprint)?)
        .timeout(Duration::from_secs(120))
        .build()?)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[test]
#[ignore = "a benchmark: make bench-pg"]
fn pg_hub_figures() -> TestResult {
    let stations = env_num("BENCH_STATIONS", 200) as usize;
    let scans = env_num("BENCH_SCANS", 5_000);
    let attendees = env_num("BENCH_ATTENDEES", 1_000_000);
    let pull = std::env::var("BENCH_PULL").map_or(true, |v| v != "0");
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let Some(mut pg) = pg_support::start("pg_hub_figures")? else {
        return Ok(());
    };
    let url = pg.create_db()?;
    let dir = tempfile::tempdir()?;
    let hub_a = dir.path().join("hub-a.db");
    let hub_b = dir.path().join("hub-b.db");
    ok(&hub_a, &["demo", "--attendees", "5", "--starting", "today"])?;
    set_real_pins(&hub_a)?;
    let env = [("GATEHOUSE_HUB_STORE", url.clone())];
    let (run_a, url_a) =
        start_hub_in(&env, &hub_a, "127.0.0.1:0", Some(&dir.path().join("a.log")))?;
    let (run_b, url_b) =
        start_hub_in(&env, &hub_b, "127.0.0.1:0", Some(&dir.path().join("b.log")))?;
    println!(
        "bench_pg ({profile} build): {stations} stations x {scans} scans, two hubs, \
         registry of {attendees}; load average {}",
        loadavg()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut figures = serde_json::Map::new();
    figures.insert("profile".into(), profile.into());
    figures.insert("stations".into(), stations.into());
    figures.insert("scans_per_station".into(), scans.into());
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await?;
        // The hubs as they published themselves: where, and which certificate.
        let started = Instant::now();
        let hubs: Vec<(String, String, String)> = loop {
            let rows: Vec<(String, String, String)> =
                sqlx::query_as("SELECT station, url, fingerprint FROM sync_hub")
                    .fetch_all(&pool)
                    .await?;
            if rows.len() == 2 || started.elapsed() > Duration::from_secs(60) {
                break rows;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let fp = |u: &str| {
            hubs.iter()
                .find(|h| h.1.trim_end_matches('/') == u.trim_end_matches('/'))
                .map(|h| h.2.clone())
                .ok_or_else(|| format!("no fingerprint for {u} in {hubs:?}"))
        };
        let urls = [url_a.clone(), url_b.clone()];
        let clients = [pinned(&fp(&url_a)?)?, pinned(&fp(&url_b)?)?];

        // The stations' credentials in the shared roster, as pairing puts them.
        let paired_at = at(now_ms());
        let mut fleet = Vec::new();
        for i in 0..stations {
            let id = format!("bench-gate-{i:04}");
            let token = format!("bench-token-{i:04}-{}", now_ms());
            sqlx::query(
                "INSERT INTO sync_roster (station, role, hub, token_hash, paired_at, name)
                 VALUES ($1, 'gate', 'bench', $2, $3, $1)",
            )
            .bind(&id)
            .bind(sha2::Sha256::digest(token.as_bytes()).to_vec())
            .bind(&paired_at)
            .execute(&pool)
            .await?;
            let mut replica = MemReplica::new(&id);
            let t0 = now_ms();
            for k in 1..=scans {
                replica.record(SyncRecord::Scan(Scan {
                    id: format!("{id}-{k}"),
                    station: id.clone(),
                    seq: k as i64,
                    serial: Some(format!("BMX-{:06}", (k * 7 + i as u64) % 100_000)),
                    version: Some(1),
                    zone: "HALL".into(),
                    direction: if k % 2 == 0 { "out" } else { "in" }.into(),
                    decision: "admit".into(),
                    reason: "ok".into(),
                    at: at(t0 + k),
                    operator: "gate".into(),
                }));
            }
            fleet.push(Station {
                replica,
                session: Session {
                    role: Some(Role::Gate),
                    ..Session::default()
                },
                token,
                hub: i % 2,
            });
        }
        for h in 0..2 {
            if let Some(st) = fleet.iter().find(|s| s.hub == h) {
                until_known(&clients[h], &urls[h], &st.token).await?;
            }
        }
        let wire = Arc::new(Wire::default());
        let before = pg_size(&pool).await?;
        let total = stations as u64 * scans;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for mut st in fleet {
            let http = clients[st.hub].clone();
            let url = urls[st.hub].clone();
            let wire = wire.clone();
            tasks.push(tokio::spawn(async move {
                let mut pushed_at = None;
                let mut failed_in_a_row = 0;
                loop {
                    // A round the hub did not answer (a connection reset or
                    // timed out under this load) is tried again, as a
                    // station's sync loop does: the session resends what it
                    // carried. Counted, and more than a few in a row fail.
                    let (more, sent) = match round(&mut st, &http, &url, &wire)
                        .await
                        .map_err(|e| e.to_string())
                    {
                        Ok(done) => {
                            failed_in_a_row = 0;
                            done
                        }
                        Err(e) if failed_in_a_row < 20 => {
                            failed_in_a_row += 1;
                            wire.retries.fetch_add(1, Ordering::Relaxed);
                            tracing_free_note(&e);
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    let own_done = st
                        .session
                        .hub_has
                        .as_ref()
                        .is_some_and(|h| h.get(st.replica.station()) == scans);
                    if own_done && pushed_at.is_none() {
                        pushed_at = Some(Instant::now());
                        if !pull {
                            break;
                        }
                    }
                    let have = st.replica.have().await.map_err(|e| e.to_string())?;
                    let got: u64 = have
                        .0
                        .iter()
                        .filter(|(o, _)| o.starts_with("bench-gate-"))
                        .map(|(_, m)| *m)
                        .sum();
                    if own_done && got == total && !more {
                        break;
                    }
                    if !more && sent == 0 {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
                Ok::<_, String>((pushed_at, Instant::now()))
            }));
        }
        let mut last_push = started;
        let mut last_done = started;
        for t in tasks {
            let (pushed, done) = t.await??;
            last_push = last_push.max(pushed.unwrap_or(done));
            last_done = last_done.max(done);
        }
        // PostgreSQL holds every scan exactly once.
        let stored: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sync_entry WHERE origin LIKE 'bench-gate-%'",
        )
        .fetch_one(&pool)
        .await?;
        if stored as u64 != total {
            return Err(format!("PostgreSQL holds {stored} scans of {total}").into());
        }
        let pushed_s = (last_push - started).as_secs_f64();
        let converged_s = (last_done - started).as_secs_f64();
        let after = pg_size(&pool).await?;
        let bytes = wire.bytes.load(Ordering::Relaxed);
        let per_scan = bytes as f64 / total as f64;
        let pg_per_million = (after - before) as f64 / total as f64 * 1e6;
        println!(
            "stations x scans: {total} scans stored in PostgreSQL through two hubs in {pushed_s:.1} s ({:.0} scans/s; {} rounds, {} tried again)",
            total as f64 / pushed_s,
            wire.rounds.load(Ordering::Relaxed),
            wire.retries.load(Ordering::Relaxed)
        );
        figures.insert("rounds_tried_again".into(), wire.retries.load(Ordering::Relaxed).into());
        if pull {
            println!(
                "  every station holds every scan after {converged_s:.1} s ({} rounds)",
                wire.rounds.load(Ordering::Relaxed)
            );
        }
        println!(
            "  {per_scan:.0} bytes on the wire per scan ({} MB in all, {}), \
             PostgreSQL grew {:.0} MB: {:.0} MB per 1,000,000 scans; load average {}",
            bytes / 1_000_000,
            if pull { "pushing and every station pulling all" } else { "pushing" },
            (after - before) as f64 / 1e6,
            pg_per_million / 1e6,
            loadavg()
        );
        figures.insert("stored_s".into(), pushed_s.into());
        if pull {
            figures.insert("converged_s".into(), converged_s.into());
        }
        figures.insert("wire_bytes_per_scan".into(), per_scan.round().into());
        figures.insert("pg_mb_per_million_scans".into(), (pg_per_million / 1e6).round().into());

        // A registry in PostgreSQL, as a desk's entries.
        if attendees > 0 {
            let desk = "bench-desk";
            let token = format!("bench-desk-token-{}", now_ms());
            sqlx::query(
                "INSERT INTO sync_roster (station, role, hub, token_hash, paired_at, name)
                 VALUES ($1, 'desk', 'bench', $2, $3, $1)",
            )
            .bind(desk)
            .bind(sha2::Sha256::digest(token.as_bytes()).to_vec())
            .bind(&paired_at)
            .execute(&pool)
            .await?;
            let mut log = PgReplica::connect(&url, desk).await?;
            let t0 = now_ms();
            let seeding = Instant::now();
            let mut seq = 0u64;
            let mut batch = Vec::new();
            for n in 0..attendees {
                let id = format!("{:032x}", n + 1);
                let serial = format!("REG-{:07}", n + 1);
                let mut fields = std::collections::BTreeMap::new();
                for (f, v) in [
                    ("serial", serial.clone()),
                    ("serial_no", (n + 1).to_string()),
                    ("given_names", format!("Prénom{n}")),
                    ("family_name", format!("Nom{n}")),
                    ("folded_name", format!("nom{n} prenom{n}")),
                    ("organisation", format!("Organisation {}", n % 5_000)),
                    ("category", "DEL".to_string()),
                    ("country", "FR".to_string()),
                    ("email", format!("person{n}@example.org")),
                    ("phone", format!("+33 6 {n:08}")),
                    ("status", "registered".to_string()),
                    ("created_at", at(t0)),
                    ("created_by", desk.to_string()),
                    ("updated_at", at(t0)),
                    ("updated_by", desk.to_string()),
                ] {
                    fields.insert(f.to_string(), Some(v));
                }
                for record in [
                    SyncRecord::AttendeeEdit {
                        attendee: id,
                        hlc: Hlc {
                            wall_ms: t0,
                            counter: u32::try_from(n).unwrap_or(u32::MAX),
                            station: desk.into(),
                        },
                        fields,
                    },
                    SyncRecord::BadgeIssue {
                        serial,
                        version: 1,
                        issued_at: at(t0),
                        issued_by: desk.into(),
                        claims: None,
                    },
                ] {
                    seq += 1;
                    batch.push(Entry {
                        origin: desk.into(),
                        seq,
                        record,
                    });
                }
                if batch.len() >= 10_000 {
                    log.apply(&batch).await?;
                    batch.clear();
                }
            }
            log.apply(&batch).await?;
            println!(
                "registry: {attendees} attendees ({seq} entries) written into PostgreSQL in {:.1} s",
                seeding.elapsed().as_secs_f64()
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;

    if attendees > 0 {
        // The hub processes take the registry into their own databases too
        // (each materialises the shared log, as a station does). In the
        // field that happened as the desks registered people, days before a
        // new gate arrives: the first sync is timed once both hold it, and
        // the hubs' catching up is a figure of its own.
        let (cpu_a, cpu_b) = (cpu_of(run_a.0.id()), cpu_of(run_b.0.id()));
        let caught = Instant::now();
        let want = attendees;
        loop {
            let (a, b) = (count(&hub_a).unwrap_or(0), count(&hub_b).unwrap_or(0));
            if a >= want && b >= want {
                break;
            }
            if caught.elapsed() > Duration::from_secs(3600) {
                return Err(format!("the hubs hold {a} and {b} attendees of {want}").into());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let caught_s = caught.elapsed().as_secs_f64();
        let hubs_cpu = cpu_of(run_a.0.id()) - cpu_a + cpu_of(run_b.0.id()) - cpu_b;
        println!(
            "the hub processes took the registry into their own databases in {caught_s:.1} s \
             (CPU of both: {hubs_cpu:.1} s); load average {}",
            loadavg()
        );
        figures.insert("hubs_caught_up_s".into(), caught_s.into());
        figures.insert("hubs_caught_up_cpu_s".into(), hubs_cpu.into());
        // A new gate pairs at hub B and takes the registry: the real station.
        let gate = dir.path().join("new-gate.db");
        let code = json(&hub_b, &["pair", "--role", "gate"])?["code"]
            .as_str()
            .ok_or("code")?
            .to_string();
        ok(&gate, &["join", &url_b, "--code", &code])?;
        let hub_cpu = cpu_of(run_b.0.id());
        let pg_cpu = postgres_cpu();
        let started = Instant::now();
        let (out, station_cpu) = timed_sync(&gate)?;
        let took = started.elapsed().as_secs_f64();
        let hub_cpu = cpu_of(run_b.0.id()) - hub_cpu;
        let pg_cpu = postgres_cpu() - pg_cpu;
        let held = count(&gate)?;
        println!(
            "first sync: a new gate took {held} attendees from hub B in {took:.1} s \
             (CPU: the station {station_cpu:.1} s, hub B {hub_cpu:.1} s, PostgreSQL {pg_cpu:.1} s; \
             {out}); load average {}",
            loadavg()
        );
        if held < attendees {
            return Err(format!("the new gate holds {held} attendees of {attendees}").into());
        }
        figures.insert("attendees".into(), attendees.into());
        figures.insert("first_sync_s".into(), took.into());
        figures.insert("first_sync_station_cpu_s".into(), station_cpu.into());
        figures.insert("first_sync_hub_cpu_s".into(), hub_cpu.into());
        figures.insert("first_sync_postgres_cpu_s".into(), pg_cpu.into());
    }
    figures.insert("loadavg".into(), loadavg().into());
    println!("BENCH_PG {}", serde_json::Value::Object(figures));
    Ok(())
}

/// CPU seconds (user and system) process `pid` has used so far (Linux).
fn cpu_of(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, in USER_HZ (100 on Linux).
    (tick(11) + tick(12)) / 100.0
}

/// CPU seconds every `postgres` process now running has used so far.
fn postgres_cpu() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(cpu_of)
        .sum()
}

/// `gatehouse sync --json` on `db`, which must succeed: its output, and the
/// CPU seconds (user and system) the process used, as `/usr/bin/time` says.
fn timed_sync(db: &Path) -> TestResult<(serde_json::Value, f64)> {
    let times = db.with_extension("time");
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%U %S")
        .arg("-o")
        .arg(&times)
        .arg(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["sync", "--json", "--db"])
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "gatehouse sync failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let cpu = std::fs::read_to_string(&times)?
        .split_whitespace()
        .filter_map(|v| v.parse::<f64>().ok())
        .sum();
    Ok((serde_json::from_slice(&out.stdout)?, cpu))
}

/// The attendees a station's database holds.
fn count(db: &Path) -> TestResult<u64> {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg("SELECT count(*) FROM attendee")
        .output()?;
    Ok(String::from_utf8(out.stdout)?.trim().parse()?)
}
