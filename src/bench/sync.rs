//! Sync figures: 20 stations × 5,000 scans each converging through the hub,
//! in-process, through the protocol with in-memory replicas (this measures
//! the protocol, not SQLite or the network); every message is serialised to
//! JSON, as HTTP carries it, to count the bytes per scan; how fast a
//! SQLite hub takes in the same scans; and, over HTTPS on loopback with
//! watching gates, how soon a scan reaches another gate and a revocation a
//! gate.

use std::path::Path;
use std::time::Instant;

use super::Report;
use crate::error::{Error, Result};
use crate::scan::Scan;
use crate::sync::memory::MemReplica;
use crate::sync::policy::Roster;
use crate::sync::protocol::{serve, Outcome, Replica, Session, SyncRecord};
use crate::sync::store::SqliteReplica;

const STATIONS: usize = 20;
const SCANS: usize = 5_000;
/// Stations sending their own scans to a fresh SQLite hub (all 20: the
/// venue's 100,000); the SQLite figure is a rate.
const SQLITE_STATIONS: usize = STATIONS;

/// Ids as long as the real ones (UUIDs), so the byte count is honest.
fn scan(station: &str, i: usize) -> SyncRecord {
    SyncRecord::Scan(Scan {
        id: uuid::Uuid::now_v7().to_string(),
        station: station.to_string(),
        seq: i as i64 + 1,
        serial: Some(format!("BMX-{:06}", i % 3_000 + 1)),
        version: Some(1),
        zone: "HALL".into(),
        direction: if i % 2 == 0 { "in" } else { "out" }.into(),
        decision: "admit".into(),
        reason: "ok".into(),
        at: format!(
            "2025-11-11T{:02}:{:02}:{:02}.000000Z",
            8 + i / 3600 % 10,
            i / 60 % 60,
            i % 60
        ),
        operator: "gate".into(),
    })
}

/// Counts the bytes of a writer's output without keeping them.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Adds the size of `msg` as JSON (what HTTP carries) to `bytes`.
fn wire<T: serde::Serialize>(msg: &T, bytes: &mut usize) -> Result<()> {
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, msg).map_err(|e| Error::Internal(e.to_string()))?;
    *bytes += counter.0;
    Ok(())
}

/// Rounds between one station and the hub until nothing more moves; returns
/// the entries moved.
async fn sync_station<S: Replica, H: Replica>(
    st: &mut S,
    session: &mut Session,
    hub: &mut H,
    roster: &Roster,
    now: u64,
    bytes: &mut usize,
) -> Result<usize> {
    let mut moved = 0;
    loop {
        let req = session.request(st, now).await?;
        wire(&req, bytes)?;
        moved += req.entries.len();
        let resp = serve(hub, roster, st.station(), &req, now).await?.response;
        wire(&resp, bytes)?;
        match session.receive(st, &resp, now).await? {
            Outcome::Synced { received, more } => {
                moved += received;
                if !more {
                    return Ok(moved);
                }
            }
            Outcome::Refused(skew) => return Err(Error::Internal(skew.to_string())),
        }
    }
}

/// CPU seconds this process has used (Linux; `None` elsewhere): on a shared
/// machine the wall time also counts other people's work.
pub(super) fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ")".
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some((utime + stime) / 100.0)
}

/// The parts of this section, each its own `--only` area: `sync-memory`
/// (the protocol in memory), `sync-hub` (a SQLite hub taking in the
/// scans), `sync-lan` (HTTPS on loopback), `sync-first` (a new station's
/// first sync of a registry); `--only sync` runs them all.
pub async fn run(report: &mut Report, dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<()> {
    if wanted("sync-memory") {
        memory(report).await?;
    }
    if wanted("sync-hub") {
        sqlite_hub(report, dir).await?;
    }
    if wanted("sync-lan") {
        lan(report, dir).await?;
    }
    if wanted("sync-first") {
        first_sync(report, dir).await?;
    }
    Ok(())
}

/// A wall-clock time in seconds, then this process's CPU time in it where
/// the system tells it, both against `target`.
fn push_seconds(
    report: &mut Report,
    name: String,
    cpu_name: &str,
    (elapsed, cpu): (f64, Option<f64>),
    target: Option<&'static str>,
) {
    report.push("sync", name, elapsed, "s", target);
    if let Some(cpu) = cpu {
        report.push("sync", cpu_name, cpu, "s", target);
    }
}

/// Registered people a new station takes in its first sync (issue 18's
/// figure is for 1,000,000 through a hub; this part is the station's own).
const FIRST_SYNC_PEOPLE: u64 = 100_000;

/// A desk's registration as its log carries it: the attendee's fields (no
/// photo), then the badge issued, as `tests/bench_pg.rs` seeds its hub
/// (but with badge numbers of the event, `prefix` and six digits: theirs
/// have seven, and a station warns of each such attendee and cannot index
/// it).
fn registration(desk: &str, prefix: &str, n: u64, t0: u64) -> [SyncRecord; 2] {
    let at = jiff::Timestamp::from_millisecond(i64::try_from(t0).unwrap_or(0))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string();
    let serial = format!("{prefix}-{:06}", n + 1);
    let fields = [
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
        ("created_at", at.clone()),
        ("created_by", desk.to_string()),
        ("updated_at", at.clone()),
        ("updated_by", desk.to_string()),
    ]
    .into_iter()
    .map(|(f, v)| (f.to_string(), Some(v)))
    .collect();
    [
        SyncRecord::AttendeeEdit {
            attendee: format!("{:032x}", n + 1),
            hlc: crate::sync::hlc::Hlc {
                wall_ms: t0,
                counter: u32::try_from(n).unwrap_or(u32::MAX),
                station: desk.into(),
            },
            fields,
        },
        SyncRecord::BadgeIssue {
            serial,
            version: 1,
            issued_at: at,
            issued_by: desk.into(),
            claims: None,
        },
    ]
}

/// A new station's first sync, its own side: [`FIRST_SYNC_PEOPLE`]
/// registrations received a message at a time (2,000 entries, as a hub
/// answers) and stored and materialised in its SQLite database.
async fn first_sync(report: &mut Report, dir: &Path) -> Result<()> {
    let desk = "0193a1b2-0000-7000-8000-00000000d35c";
    let t0 = 1_762_851_600_000;
    let store = crate::store::Store::open(&dir.join("first-sync.db")).await?;
    // The event (its categories, its badge numbers) came first, as from
    // the hub.
    let now = jiff::Timestamp::now();
    crate::demo::install(&store, crate::demo::today_at_venue(now)?, now).await?;
    let prefix = crate::event_store::load(store.read()).await?.serial_prefix;
    let mut entries = Vec::with_capacity(2 * FIRST_SYNC_PEOPLE as usize);
    for n in 0..FIRST_SYNC_PEOPLE {
        for record in registration(desk, &prefix, n, t0) {
            entries.push(crate::sync::protocol::Entry {
                origin: desk.into(),
                seq: entries.len() as u64 + 1,
                record,
            });
        }
    }
    let mut station = SqliteReplica::open(&store).await?;
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut taken = 0;
    for message in entries.chunks(crate::sync::protocol::BATCH) {
        taken += station.apply(message).await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, begin)| end - begin);
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM attendee")
        .fetch_one(store.read())
        .await?;
    store.close().await;
    if taken != entries.len() || held != FIRST_SYNC_PEOPLE as i64 {
        return Err(Error::Internal(format!(
            "first sync benchmark: {taken} of {} entries taken, {held} attendees held",
            entries.len()
        )));
    }
    push_seconds(
        report,
        format!("first sync of {FIRST_SYNC_PEOPLE} registrations, the station's side"),
        "  the same, CPU time of this process (first sync)",
        (elapsed, cpu),
        None,
    );
    Ok(())
}

/// The stations' ids and their scans (the same in each part).
fn fleet() -> Vec<MemReplica> {
    (0..STATIONS)
        .map(|s| {
            let name = format!("0193a1b2-0000-7000-8000-{s:012}");
            let mut r = MemReplica::new(&name);
            for i in 0..SCANS {
                r.record(scan(&name, i));
            }
            r
        })
        .collect()
}

/// Every station a gate, as the hub paired it: its scans pass the role
/// check on the hub and again on every station.
fn roster(stations: &[MemReplica]) -> Roster {
    let mut roster: Roster = stations
        .iter()
        .map(|r| (r.station().to_string(), crate::staff::Role::Gate))
        .collect();
    roster.insert("hub".into(), crate::staff::Role::Admin);
    roster
}

async fn memory(report: &mut Report) -> Result<()> {
    let now = 1_762_851_600_000;
    let mut hub = MemReplica::new("hub");
    let fleet = fleet();
    let roster = roster(&fleet);
    let mut stations: Vec<(MemReplica, Session)> =
        fleet.into_iter().map(|r| (r, Session::default())).collect();
    let mut bytes = 0;
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    loop {
        let mut moved = 0;
        for (st, session) in &mut stations {
            moved += sync_station(st, session, &mut hub, &roster, now, &mut bytes).await?;
        }
        if moved == 0 {
            break;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, begin)| end - begin);
    let total = STATIONS * SCANS;
    if hub.len() != total || stations.iter().any(|(s, _)| s.len() != total) {
        return Err(Error::Internal(
            "sync benchmark: stations did not converge".into(),
        ));
    }
    push_seconds(
        report,
        format!("{STATIONS} stations × {SCANS} scans converge (in memory)"),
        "  the same, CPU time of this process",
        (elapsed, cpu),
        Some("≤ 5"),
    );
    report.push(
        "sync",
        "bytes on the wire per scan (every station receives every scan)",
        bytes as f64 / total as f64,
        "B",
        None,
    );
    report.push(
        "sync",
        "bytes on the wire per scan per station",
        bytes as f64 / total as f64 / STATIONS as f64,
        "B",
        None,
    );
    Ok(())
}

/// The same scans into a hub on SQLite (durable, materialised), each
/// station sending its own as in the field; they already hold everyone
/// else's (what the in-memory part converges), so the hub only takes in.
async fn sqlite_hub(report: &mut Report, dir: &Path) -> Result<()> {
    let now = 1_762_851_600_000;
    let fleet = fleet();
    let mut roster = roster(&fleet);
    let store = crate::store::Store::open(&dir.join("sqlite-hub.db")).await?;
    let mut sqlite_hub = SqliteReplica::open(&store).await?;
    roster.insert(sqlite_hub.station().to_string(), crate::staff::Role::Admin);
    // What every station holds once converged: each one's scans.
    let everything = crate::sync::protocol::VersionVector(
        fleet
            .iter()
            .map(|st| (st.station().to_string(), SCANS as u64))
            .collect(),
    );
    let mut senders: Vec<(MemReplica, Session)> = fleet
        .into_iter()
        .take(SQLITE_STATIONS)
        .map(|st| (st, Session::default()))
        .collect();
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut taken = 0;
    for (st, session) in &mut senders {
        loop {
            let mut req = session.request(st, now).await?;
            if session.hub_has.is_some() && req.entries.is_empty() {
                break;
            }
            req.have = everything.clone();
            taken += req.entries.len();
            let served = serve(&mut sqlite_hub, &roster, st.station(), &req, now).await?;
            let crate::sync::protocol::Response::Ok { have, .. } = served.response;
            session.hub_has = Some(have);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, begin)| end - begin);
    report.push(
        "sync",
        "SQLite hub: entries stored and materialised per second",
        taken as f64 / elapsed,
        "entries/s",
        Some("≥ 50000"),
    );
    // On a shared machine the wall clock also counts others' work: the
    // same per second of this process's CPU (SQLite's thread included).
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        report.push(
            "sync",
            "  the same, per CPU second of this process",
            taken as f64 / cpu,
            "entries/s",
            None,
        );
    }
    store.close().await;
    Ok(())
}

/// How many scans at gate 1 are timed on their way to gate 2.
const LAN_SCANS: usize = 20;

/// Waits until `sql` (one `?`) finds `key` in `store`, up to 10 s.
async fn arrival(store: &crate::store::Store, sql: &str, key: &str) -> Result<f64> {
    let start = Instant::now();
    loop {
        let found: Option<i64> = sqlx::query_scalar(sql)
            .bind(key)
            .fetch_optional(store.read())
            .await?;
        if found.is_some() {
            return Ok(start.elapsed().as_secs_f64() * 1000.0);
        }
        if start.elapsed().as_secs() >= 10 {
            return Err(Error::Internal(format!(
                "sync benchmark: {key} did not arrive within 10 s"
            )));
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

/// The online fast paths over the real transport: a hub over HTTPS on
/// loopback, two gates paired with it and watching (`sync --watch`'s loop):
/// a scan at gate 1 reaching gate 2 (presence across gates, target 1 s),
/// and a revocation at the hub reaching a gate (target 2 s).
async fn lan(report: &mut Report, dir: &Path) -> Result<()> {
    use crate::sync::{client, hub};
    let now = jiff::Timestamp::now();
    let hub_store = crate::store::Store::open(&dir.join("hub.db")).await?;
    crate::demo::install(&hub_store, crate::demo::today_at_venue(now)?, now).await?;
    crate::registry::demo::install(&hub_store, LAN_SCANS as u32 + 1, 1, now).await?;
    // The hub goes live only once no demo PIN is left.
    for (i, m) in crate::console::setup::staff(hub_store.read())
        .await?
        .into_iter()
        .enumerate()
    {
        let change = crate::console::setup::StaffChange {
            pin: Some(format!("{}", 48_213_900 + i)),
            ..Default::default()
        };
        crate::console::setup::update_staff(&hub_store, &m.id, change, now, "bench").await?;
    }
    let mut tokens = Vec::new();
    for n in 1..=LAN_SCANS as u32 + 1 {
        let serial = crate::serial::BadgeSerial::new("BMX", n)?;
        tokens.push((
            serial.clone(),
            crate::badge_issue::token(&hub_store, &serial, now, "bench")
                .await?
                .token,
        ));
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Error::io("sync benchmark: cannot listen on loopback", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("sync benchmark: listening address", e))?;
    let url = format!("https://{addr}");
    let served = HubThread::start(hub_store.clone(), listener, url.clone()).await?;
    let mut gates = Vec::new();
    let mut watching = Vec::new();
    for g in 1..=2 {
        let store = crate::store::Store::open(&dir.join(format!("gate{g}.db"))).await?;
        let code = hub::new_code(
            &hub_store,
            crate::staff::Role::Gate,
            Some(&format!("gate {g}")),
            hub::CODE_VALID_FOR,
            "bench",
            now,
        )
        .await?;
        client::join(&store, &url, &code.code, now).await?;
        client::sync_now(&store).await?;
        let s = store.clone();
        watching.push(tokio::spawn(async move { client::watch(&s, |_| ()).await }));
        gates.push(store);
    }
    let event = crate::event_store::load(gates[0].read()).await?;
    let zone: crate::event::ZoneCode = "HALL".parse()?;
    let mut presence = Vec::with_capacity(LAN_SCANS);
    let mut nudged = Vec::with_capacity(LAN_SCANS);
    for (i, (_, token)) in tokens.iter().take(LAN_SCANS).enumerate() {
        // The gates' long polls are waiting, as on a quiet LAN.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let out = crate::scan_log::scan(
            &gates[0],
            &event,
            token,
            &zone,
            crate::gate::Direction::In,
            jiff::Timestamp::now(),
            None,
            "bench",
        )
        .await?;
        // Half as `gatehouse scan` in its own process records it (it leaves
        // when the watch loop's long poll ends), half as `serve` and the app
        // do (Api::scan nudges the loop: it leaves at once).
        if i % 2 == 1 {
            client::nudge(&gates[0]);
        }
        let ms = arrival(&gates[1], "SELECT 1 FROM scan WHERE id = ?", &out.id).await?;
        if i % 2 == 1 {
            &mut nudged
        } else {
            &mut presence
        }
        .push(ms);
    }
    let (serial, _) = &tokens[LAN_SCANS];
    crate::badge_issue::revoke(&hub_store, serial, "bench", jiff::Timestamp::now(), "bench")
        .await?;
    let revoked = arrival(
        &gates[1],
        "SELECT 1 FROM revocation WHERE serial = ?",
        serial.as_str(),
    )
    .await?;
    // Stop every task before closing the stores they use: the watch loops,
    // then the hub (which stops the capture loop it owns).
    for task in watching {
        task.abort();
        let _ = task.await;
    }
    served.stop().await?;
    for (list, how) in [
        (&mut presence, "another process"),
        (&mut nudged, "serve / app"),
    ] {
        list.sort_by(f64::total_cmp);
        report.push(
            "sync",
            format!(
                "LAN: a scan at gate 1 ({how}) seen at gate 2, median of {} (HTTPS, watching)",
                list.len()
            ),
            list[list.len() / 2],
            "ms",
            Some("≤ 1000"),
        );
        report.push(
            "sync",
            "LAN:   the same, slowest",
            list[list.len() - 1],
            "ms",
            Some("≤ 1000"),
        );
    }
    report.push(
        "sync",
        "LAN: a revocation at the hub seen at a watching gate",
        revoked,
        "ms",
        Some("≤ 2000"),
    );
    for g in gates {
        g.close().await;
    }
    hub_store.close().await;
    Ok(())
}

/// The hub of the LAN figures: `hub_server::serve_until` in a task, stopped (with
/// the capture loop it owns) before its store is closed.
struct HubThread {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<Result<()>>>,
}

impl HubThread {
    /// Starts the hub on `listener` and waits until it is ready.
    async fn start(
        store: crate::store::Store,
        listener: std::net::TcpListener,
        url: String,
    ) -> Result<HubThread> {
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let served = tokio::spawn(async move {
            crate::sync::hub_server::serve_until(
                store,
                listener,
                &url,
                move |_| {
                    let _ = ready_tx.send(());
                },
                async move {
                    let _ = stop_rx.await;
                },
            )
            .await
        });
        let hub = HubThread {
            stop: Some(stop_tx),
            served: Some(served),
        };
        if ready_rx.await.is_err() {
            // It stopped before it was ready: say why.
            hub.stop().await?;
            return Err(Error::Internal(
                "sync benchmark: the hub did not start".into(),
            ));
        }
        Ok(hub)
    }

    /// Stops the hub and the task it owns; returns once they are gone.
    async fn stop(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(served) = self.served.take() else {
            return Ok(());
        };
        match served.await {
            Ok(result) => result,
            Err(e) => Err(Error::Internal(format!(
                "sync benchmark: the hub failed: {e}"
            ))),
        }
    }
}

impl Drop for HubThread {
    /// On an error path: the hub (and its capture loop) is aborted.
    fn drop(&mut self) {
        if let Some(served) = self.served.take() {
            served.abort();
        }
    }
}
