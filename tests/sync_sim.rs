//! Seeded, deterministic simulation of LAN sync: 3 to 8 stations and a hub,
//! random partitions (the hub too), lost, duplicated and reordered messages,
//! station restarts, and gates deciding alone while cut off. After healing,
//! every replica must hold the same entries, show the same attendees and
//! flag the same double admissions, and the hub must hold every fact any
//! station recorded.
//!
//! A failure names its seed; `SYNC_SEED=n cargo test --test sync_sim`
//! replays that seed alone.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse::scan_log::Scan;
use gatehouse::sync::conflicts::double_admissions;
use gatehouse::sync::memory::MemReplica;
use gatehouse::sync::protocol::{
    attendee_fields, serve, Outcome, Replica, Request, Response, Session, SyncRecord,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEEDS: u64 = 1_000;
const SERIALS: [&str; 5] = [
    "BMX-000001",
    "BMX-000002",
    "BMX-000003",
    "BMX-000004",
    "BMX-000005",
];
const ZONES: [&str; 2] = ["HALL", "VIP"];
const FIELDS: [&str; 3] = ["phone", "email", "organisation"];

struct Station {
    replica: MemReplica,
    session: Session,
    /// This station's clock error, in milliseconds.
    skew: i64,
    cut_off: bool,
    scans: u64,
}

enum Msg {
    Req(usize, Request),
    Resp(usize, Response),
}

#[derive(Default)]
struct Stats {
    recorded: usize,
    delivered_entries: usize,
    conflicts: usize,
}

fn at(ms: u64) -> String {
    let ts = jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    gatehouse::scan_log::format_at(ts)
}

/// What a gate decides from what its own replica knows.
fn decide(
    replica: &MemReplica,
    serial: &str,
    zone: &str,
    dir: &str,
) -> (&'static str, &'static str) {
    let revoked = replica
        .records()
        .any(|r| matches!(r, SyncRecord::Revocation { serial: s, .. } if s == serial));
    if revoked {
        return ("deny", "revoked");
    }
    let mut mine: Vec<Scan> = replica
        .scans()
        .into_iter()
        .filter(|s| s.serial.as_deref() == Some(serial) && s.zone == zone && s.decision != "deny")
        .collect();
    mine.sort_by(|a, b| (&a.at, &a.station, a.seq).cmp(&(&b.at, &b.station, b.seq)));
    let inside = mine.last().is_some_and(|s| s.direction == "in");
    match (dir, inside) {
        ("in", true) => ("warn", "reentry"),
        _ => ("admit", "ok"),
    }
}

fn local_activity(rng: &mut ChaCha8Rng, st: &mut Station, now: u64) {
    let name = st.replica.station().to_string();
    let roll = rng.gen_range(0..100);
    if roll < 70 {
        let serial = SERIALS[rng.gen_range(0..SERIALS.len())];
        let zone = ZONES[rng.gen_range(0..ZONES.len())];
        let dir = if rng.gen_bool(0.7) { "in" } else { "out" };
        let (decision, reason) = decide(&st.replica, serial, zone, dir);
        st.scans += 1;
        st.replica.record(SyncRecord::Scan(Scan {
            id: format!("{name}-scan-{}", st.scans),
            station: name.clone(),
            seq: st.scans as i64,
            serial: Some(serial.into()),
            version: Some(1),
            zone: zone.into(),
            direction: dir.into(),
            decision: decision.into(),
            reason: reason.into(),
            at: at(now),
            operator: "gate".into(),
        }));
    } else if roll < 75 {
        let serial = SERIALS[rng.gen_range(0..SERIALS.len())];
        st.replica.record(SyncRecord::Revocation {
            id: format!("{name}-rev-{now}"),
            serial: serial.into(),
            reason: "lost".into(),
            revoked_at: at(now),
            revoked_by: "chief".into(),
        });
    } else if roll < 80 {
        st.replica.record(SyncRecord::BadgeIssue {
            serial: SERIALS[rng.gen_range(0..SERIALS.len())].into(),
            version: rng.gen_range(2..4),
            issued_at: at(now),
            issued_by: name.clone(),
        });
    } else {
        let attendee = SERIALS[rng.gen_range(0..SERIALS.len())];
        let field = FIELDS[rng.gen_range(0..FIELDS.len())];
        let value = format!("{name}:{}", rng.gen_range(0..1000));
        let value = rng.gen_bool(0.9).then_some(value.as_str());
        st.replica.edit(attendee, &[(field, value)], now);
    }
}

fn station_now(global: u64, skew: i64) -> u64 {
    global.saturating_add_signed(skew)
}

async fn run_seed(seed: u64) -> Result<Stats, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = rng.gen_range(3..=8);
    let mut hub = MemReplica::new("hub");
    let mut hub_cut_off = false;
    let mut stations: Vec<Station> = (0..n)
        .map(|i| Station {
            replica: MemReplica::new(&format!("st{i}")),
            session: Session::default(),
            skew: rng.gen_range(-800..=800),
            cut_off: false,
            scans: 0,
        })
        .collect();
    let mut stats = Stats::default();
    let mut now: u64 = 1_762_851_600_000; // 2025-11-11T09:00:00Z
    let mut wire: Vec<Msg> = Vec::new();
    let steps = rng.gen_range(40..120);
    let err = |what: &str, e: gatehouse::Error| format!("{what}: {e}");

    for _ in 0..steps {
        now += rng.gen_range(10..3_000);
        let i = rng.gen_range(0..n);
        match rng.gen_range(0..100) {
            0..=29 => {
                let st = &mut stations[i];
                local_activity(&mut rng, st, station_now(now, st.skew));
                stats.recorded += 1;
            }
            30..=54 => {
                let st = &mut stations[i];
                let t = station_now(now, st.skew);
                let req = st
                    .session
                    .request(&mut st.replica, t)
                    .await
                    .map_err(|e| err("request", e))?;
                if !st.cut_off {
                    wire.push(Msg::Req(i, req));
                }
            }
            55..=84 if !wire.is_empty() => {
                let k = rng.gen_range(0..wire.len());
                let msg = wire.swap_remove(k);
                if rng.gen_bool(0.1) {
                    continue; // lost
                }
                match msg {
                    Msg::Req(from, req) => {
                        if rng.gen_bool(0.15) {
                            wire.push(Msg::Req(from, req.clone()));
                        }
                        if hub_cut_off || stations[from].cut_off {
                            continue;
                        }
                        let resp = serve(&mut hub, &req, now)
                            .await
                            .map_err(|e| err("serve", e))?;
                        wire.push(Msg::Resp(from, resp));
                    }
                    Msg::Resp(to, resp) => {
                        if rng.gen_bool(0.15) {
                            wire.push(Msg::Resp(to, resp.clone()));
                        }
                        if hub_cut_off || stations[to].cut_off {
                            continue;
                        }
                        let st = &mut stations[to];
                        let t = station_now(now, st.skew);
                        let out = st
                            .session
                            .receive(&mut st.replica, &resp, t)
                            .await
                            .map_err(|e| err("receive", e))?;
                        match out {
                            Outcome::Synced { received, .. } => stats.delivered_entries += received,
                            Outcome::Refused(skew) => return Err(format!("refused: {skew}")),
                        }
                    }
                }
            }
            85..=92 => stations[i].cut_off = !stations[i].cut_off,
            93..=95 => hub_cut_off = !hub_cut_off,
            _ => stations[i].session = Session::default(), // restart: memory lost, disk kept
        }
    }

    // Heal: everyone reachable, no more loss; stale messages still arrive.
    for st in &mut stations {
        st.cut_off = false;
    }
    for msg in wire.drain(..) {
        match msg {
            Msg::Req(_, req) => {
                serve(&mut hub, &req, now)
                    .await
                    .map_err(|e| err("serve", e))?;
            }
            Msg::Resp(to, resp) => {
                let st = &mut stations[to];
                let t = station_now(now, st.skew);
                st.session
                    .receive(&mut st.replica, &resp, t)
                    .await
                    .map_err(|e| err("receive", e))?;
            }
        }
    }
    let mut quiet = false;
    for _pass in 0..20 {
        quiet = true;
        for st in &mut stations {
            for _round in 0..20 {
                now += 5;
                let t = station_now(now, st.skew);
                let req = st
                    .session
                    .request(&mut st.replica, t)
                    .await
                    .map_err(|e| err("request", e))?;
                let sent = req.entries.len();
                let resp = serve(&mut hub, &req, now)
                    .await
                    .map_err(|e| err("serve", e))?;
                let out = st
                    .session
                    .receive(&mut st.replica, &resp, t)
                    .await
                    .map_err(|e| err("receive", e))?;
                let Outcome::Synced { received, more } = out else {
                    return Err(format!("refused while healing: {out:?}"));
                };
                stats.delivered_entries += received;
                if received > 0 || sent > 0 {
                    quiet = false;
                }
                if !more {
                    break;
                }
            }
        }
        if quiet {
            break;
        }
    }
    if !quiet {
        return Err("still moving entries after 20 passes".into());
    }

    let reference = hub.entries();
    if reference.len() != stats.recorded {
        return Err(format!(
            "the hub holds {} entries but stations recorded {}: something acknowledged was lost",
            reference.len(),
            stats.recorded
        ));
    }
    let want_fields = attendee_fields(hub.records());
    let want_conflicts = double_admissions(&hub.scans());
    for st in &stations {
        let name = st.replica.station();
        if st.replica.entries() != reference {
            let mine: BTreeSet<_> = st
                .replica
                .entries()
                .iter()
                .map(|e| (e.origin.clone(), e.seq))
                .collect();
            let hubs: BTreeSet<_> = reference
                .iter()
                .map(|e| (e.origin.clone(), e.seq))
                .collect();
            return Err(format!(
                "{name} differs from the hub: missing {:?}, extra {:?}",
                hubs.difference(&mine).take(5).collect::<Vec<_>>(),
                mine.difference(&hubs).take(5).collect::<Vec<_>>()
            ));
        }
        if attendee_fields(st.replica.records()) != want_fields {
            return Err(format!("{name} shows other attendee fields than the hub"));
        }
        if double_admissions(&st.replica.scans()) != want_conflicts {
            return Err(format!("{name} flags other conflicts than the hub"));
        }
    }
    stats.conflicts = want_conflicts.len();
    Ok(stats)
}

#[test]
fn stations_converge_after_partitions_loss_duplicates_and_restarts() -> Result<(), String> {
    let seeds: Vec<u64> = match std::env::var("SYNC_SEED") {
        Ok(s) => vec![s
            .trim()
            .parse()
            .map_err(|_| format!("SYNC_SEED={s:?} is not a number"))?],
        Err(_) => (0..SEEDS).collect(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let mut totals = Stats::default();
    let mut by_size: BTreeMap<usize, usize> = BTreeMap::new();
    for &seed in &seeds {
        match rt.block_on(run_seed(seed)) {
            Ok(s) => {
                totals.recorded += s.recorded;
                totals.delivered_entries += s.delivered_entries;
                totals.conflicts += s.conflicts;
                *by_size.entry(s.recorded).or_default() += 1;
            }
            Err(e) => {
                return Err(format!(
                    "sync simulation failed for seed {seed}: {e}\nreplay it alone with SYNC_SEED={seed} cargo test -p gatehouse --test sync_sim"
                ))
            }
        }
    }
    eprintln!(
        "{} seeds: {} facts recorded, {} entries delivered to stations, {} double admissions flagged",
        seeds.len(),
        totals.recorded,
        totals.delivered_entries,
        totals.conflicts
    );
    if totals.delivered_entries == 0 {
        return Err("no entry ever reached a station: the simulation synced nothing".into());
    }
    if seeds.len() > 1 && totals.conflicts == 0 {
        return Err("no double admission in any seed: partitions never let gates disagree".into());
    }
    Ok(())
}
