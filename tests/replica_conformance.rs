//! One conformance suite for every [`Replica`]: the in-memory replica (the
//! simulation's), SQLite (stations, the default hub) and PostgreSQL (a hub
//! several processes share, `gatehouse hub --store postgres://…`) each run
//! the same checks, unchanged: an entry applied twice is stored once,
//! entries come back in origin then sequence order within their limits,
//! held entries take their places and are never relayed, marks stop at a
//! hole, the clock keeps what was set, a round through the store as a hub
//! works; and, where two replicas can share one database (SQLite, and
//! PostgreSQL as two hub processes), overlapping entries applied and held
//! by both at once: nothing lost, nothing doubled.
//!
//! PostgreSQL is a real server made for the run (`pg_support`); without it
//! the PostgreSQL half says it was skipped (and fails when `CI` is set).

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use gatehouse::staff::Role;
use gatehouse::store::Store;
use gatehouse::sync::hlc::Clock;
use gatehouse::sync::memory::MemReplica;
use gatehouse::sync::policy::Roster;
use gatehouse::sync::postgres::PgReplica;
use gatehouse::sync::protocol::{serve, Entry, Replica, Session, SyncRecord, VersionVector};
use gatehouse::sync::store::SqliteReplica;

mod pg_support;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A replica to check, a second one on the same database when the store can
/// have two (two hub processes), and what must live as long as they do.
struct Fresh<R> {
    replica: R,
    twin: Option<R>,
    _keep: Option<tempfile::TempDir>,
}

fn revocation(origin: &str, seq: u64) -> SyncRecord {
    SyncRecord::Revocation {
        id: format!("r-{origin}-{seq}"),
        serial: format!("BMX-{:06}", seq % 1_000_000),
        reason: "lost".into(),
        revoked_at: "2026-12-06T09:00:00Z".into(),
        revoked_by: "chief".into(),
    }
}

fn entry(origin: &str, seq: u64) -> Entry {
    Entry {
        origin: origin.into(),
        seq,
        record: revocation(origin, seq),
    }
}

fn entries(origin: &str, seqs: impl IntoIterator<Item = u64>) -> Vec<Entry> {
    seqs.into_iter().map(|s| entry(origin, s)).collect()
}

fn keys(es: &[Entry]) -> Vec<(String, u64)> {
    es.iter().map(|e| (e.origin.clone(), e.seq)).collect()
}

fn vv(pairs: &[(&str, u64)]) -> VersionVector {
    VersionVector(pairs.iter().map(|(o, s)| (o.to_string(), *s)).collect())
}

/// Everything a replica relays, from nothing.
async fn all<R: Replica>(r: &mut R) -> TestResult<Vec<Entry>> {
    Ok(r.entries_after(&VersionVector::default(), 1_000_000)
        .await?)
}

async fn apply_is_idempotent<R: Replica>(r: &mut R) -> TestResult {
    assert_eq!(r.apply(&entries("a", 1..=3)).await?, 3);
    assert_eq!(r.apply(&entries("a", 1..=3)).await?, 0, "applied twice");
    assert_eq!(r.apply(&entries("a", 2..=4)).await?, 1, "overlapping");
    let twice = vec![entry("b", 1), entry("b", 1)];
    assert_eq!(r.apply(&twice).await?, 1, "twice in one batch");
    // A place taken keeps its first record.
    let other = Entry {
        record: revocation("other", 9),
        ..entry("a", 2)
    };
    assert_eq!(r.apply(&[other]).await?, 0);
    let held = all(r).await?;
    let mut expected = entries("a", 1..=4);
    expected.push(entry("b", 1));
    assert_eq!(held, expected);
    assert_eq!(r.have().await?, vv(&[("a", 4), ("b", 1)]));
    Ok(())
}

async fn marks_stop_at_a_hole<R: Replica>(r: &mut R) -> TestResult {
    r.apply(&entries("a", [1, 2, 4, 5])).await?;
    assert_eq!(r.have().await?.get("a"), 2);
    // What lies beyond the hole is held and relayed all the same.
    assert_eq!(
        keys(&r.entries_after(&vv(&[("a", 2)]), 10).await?),
        vec![("a".to_string(), 4), ("a".to_string(), 5)]
    );
    r.apply(&entries("a", [3])).await?;
    assert_eq!(r.have().await?.get("a"), 5);
    // An origin whose first entry is missing has no mark above 0.
    r.apply(&entries("late", [2])).await?;
    assert_eq!(r.have().await?.get("late"), 0);
    Ok(())
}

async fn entries_after_order_and_limits<R: Replica>(r: &mut R) -> TestResult {
    // Applied in a scrambled order; origins whose byte order differs from
    // a dictionary's ("Z" before "a", "a-b" before "a2" before "ab").
    for (o, seqs) in [
        ("b", vec![3, 1, 2]),
        ("a2", vec![1]),
        ("Z", vec![2, 1]),
        ("ab", vec![1, 2]),
        ("a-b", vec![1]),
    ] {
        for s in seqs {
            r.apply(&[entry(o, s)]).await?;
        }
    }
    let every = keys(&all(r).await?);
    let mut sorted = every.clone();
    sorted.sort();
    assert_eq!(every, sorted, "origin then sequence order, by bytes");
    assert_eq!(every.len(), 9);
    // A limit keeps the first ones (and at least one when any is held).
    for limit in [1, 2, 4, 9, 50] {
        let got = keys(&r.entries_after(&VersionVector::default(), limit).await?);
        assert_eq!(got, every[..limit.min(9)].to_vec(), "limit {limit}");
    }
    // Above a peer's marks only.
    let peer = vv(&[("b", 2), ("Z", 2), ("ab", 1)]);
    let got = keys(&r.entries_after(&peer, 100).await?);
    let expected: Vec<(String, u64)> = every
        .iter()
        .filter(|(o, s)| *s > peer.get(o))
        .cloned()
        .collect();
    assert_eq!(got, expected);
    let everything = r.have().await?;
    assert!(r.entries_after(&everything, 100).await?.is_empty());
    Ok(())
}

async fn held_entries_take_their_places<R: Replica>(r: &mut R) -> TestResult {
    assert!(!r.holding("q").await?);
    assert_eq!(
        r.hold(&entries("q", 1..=2), "not its role", 1_000).await?,
        2
    );
    assert!(r.holding("q").await?);
    assert!(!r.holding("a").await?);
    // Counted as held, never relayed, never replaced by an apply.
    assert_eq!(r.have().await?.get("q"), 2);
    assert!(all(r).await?.is_empty());
    assert_eq!(r.apply(&entries("q", 1..=3)).await?, 1);
    assert_eq!(keys(&all(r).await?), vec![("q".to_string(), 3)]);
    assert_eq!(r.have().await?.get("q"), 3);
    assert_eq!(r.hold(&entries("q", 1..=2), "again", 2_000).await?, 0);
    // A place already applied is not held.
    r.apply(&entries("a", [1])).await?;
    assert_eq!(r.hold(&entries("a", [1]), "late", 3_000).await?, 0);
    assert!(!r.holding("a").await?);
    // Held past a hole: the mark waits for the hole.
    assert_eq!(r.hold(&entries("h", [2]), "aside", 4_000).await?, 1);
    assert_eq!(r.have().await?.get("h"), 0);
    r.apply(&entries("h", [1])).await?;
    assert_eq!(r.have().await?.get("h"), 2);
    Ok(())
}

async fn the_clock_keeps_what_was_set<R: Replica>(r: &mut R) -> TestResult {
    assert_eq!(r.clock().await?, Clock::default());
    let c = Clock {
        wall_ms: 1_765_000_000_000,
        counter: 3,
    };
    r.set_clock(&c).await?;
    assert_eq!(r.clock().await?, c);
    let later = Clock {
        wall_ms: c.wall_ms + 10,
        counter: 0,
    };
    r.set_clock(&later).await?;
    assert_eq!(r.clock().await?, later);
    Ok(())
}

/// A round through the store as the hub: a station's entry is acknowledged,
/// the hub's reach the station, a replayed request changes nothing.
async fn a_round_through_it_as_the_hub<R: Replica>(hub: &mut R) -> TestResult {
    hub.apply(&entries("desk", 1..=2)).await?;
    let mut st = MemReplica::new("st");
    st.record(revocation("st", 1));
    let roster: Roster = [
        ("st".to_string(), Role::Admin),
        ("desk".to_string(), Role::Admin),
        (hub.station().to_string(), Role::Admin),
    ]
    .into();
    let mut session = Session::default();
    for round in 0..3 {
        let req = session.request(&mut st, 1_000 + round).await?;
        let resp = serve(hub, &roster, "st", &req, 1_000 + round)
            .await?
            .response;
        session.receive(&mut st, &resp, 1_000 + round).await?;
        // Replayed: nothing new.
        let again = serve(hub, &roster, "st", &req, 1_000 + round).await?;
        assert!(again.violation.is_none());
    }
    assert_eq!(hub.have().await?, vv(&[("desk", 2), ("st", 1)]));
    assert_eq!(st.have().await?, vv(&[("desk", 2), ("st", 1)]));
    assert_eq!(keys(&all(hub).await?), keys(&st.entries()));
    Ok(())
}

/// Two replicas on one database (two hub processes) applying and holding
/// overlapping entries at once: every place stored once, the marks at the
/// end, and the fresh counts adding up to what is stored.
async fn two_on_one_database<R: Replica + Send + 'static>(mut one: R, mut two: R) -> TestResult {
    const ORIGINS: [&str; 4] = ["s1", "s2", "s3", "s4"];
    const N: u64 = 300;
    let first = tokio::spawn(async move {
        let mut fresh = 0;
        for o in ORIGINS {
            for chunk in entries(o, 1..=N).chunks(50) {
                fresh += one.apply(chunk).await?;
            }
        }
        fresh += one.hold(&entries("x", 1..=20), "one", 1).await?;
        Ok::<_, gatehouse::Error>((fresh, one))
    });
    let second = tokio::spawn(async move {
        let mut fresh = 0;
        for o in ORIGINS.iter().rev() {
            let all = entries(o, 1..=N);
            for chunk in all.chunks(37).rev() {
                fresh += two.apply(chunk).await?;
            }
            // The whole run again, as a station resending to the other hub.
            fresh += two.apply(&all).await?;
        }
        fresh += two.apply(&entries("x", 1..=20)).await?;
        Ok::<_, gatehouse::Error>((fresh, two))
    });
    let (a, mut one) = first.await??;
    let (b, mut two) = second.await??;
    let relayed = all(&mut one).await?;
    let mut places: BTreeSet<(String, u64)> = BTreeSet::new();
    for e in &relayed {
        assert!(places.insert((e.origin.clone(), e.seq)), "doubled: {e:?}");
    }
    let x_relayed = relayed.iter().filter(|e| e.origin == "x").count();
    assert_eq!(relayed.len() - x_relayed, ORIGINS.len() * N as usize);
    assert_eq!(
        a + b,
        ORIGINS.len() * N as usize + 20,
        "each place counted once"
    );
    let expected: BTreeMap<String, u64> = ORIGINS
        .iter()
        .map(|o| (o.to_string(), N))
        .chain([("x".to_string(), 20)])
        .collect();
    assert_eq!(one.have().await?, VersionVector(expected.clone()));
    assert_eq!(two.have().await?, VersionVector(expected));
    assert_eq!(all(&mut two).await?, relayed);
    // Each "x" place is either relayed or held, never both.
    let held_x = one.holding("x").await?;
    assert_eq!(held_x, x_relayed < 20, "{x_relayed} of x relayed");

    // One hub holds a station's entries aside while the other stores the
    // same ones, at the same moment, again and again: each place is taken
    // once, one way or the other.
    for k in 0..20 {
        let origin = format!("race{k}");
        let run = entries(&origin, 1..=5);
        let (held, applied) = tokio::join!(one.hold(&run, "aside", 1), two.apply(&run));
        let (held, applied) = (held?, applied?);
        assert_eq!(held + applied, 5, "{origin}: {held} held, {applied} stored");
        let stored = one
            .entries_after(&vv(&[]), 1_000_000)
            .await?
            .iter()
            .filter(|e| e.origin == origin)
            .count();
        assert_eq!(stored, applied, "{origin}");
        assert_eq!(one.holding(&origin).await?, held > 0, "{origin}");
        assert_eq!(two.have().await?.get(&origin), 5, "{origin}");
    }
    Ok(())
}

/// Runs every check on a fresh replica of one kind.
async fn suite<R, F, Fut>(mut fresh: F) -> TestResult
where
    R: Replica + Send + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = TestResult<Fresh<R>>>,
{
    apply_is_idempotent(&mut fresh().await?.replica).await?;
    marks_stop_at_a_hole(&mut fresh().await?.replica).await?;
    entries_after_order_and_limits(&mut fresh().await?.replica).await?;
    held_entries_take_their_places(&mut fresh().await?.replica).await?;
    the_clock_keeps_what_was_set(&mut fresh().await?.replica).await?;
    a_round_through_it_as_the_hub(&mut fresh().await?.replica).await?;
    let Fresh {
        replica,
        twin,
        _keep,
    } = fresh().await?;
    if let Some(twin) = twin {
        two_on_one_database(replica, twin).await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_memory_replica_conforms() -> TestResult {
    suite(|| async {
        Ok(Fresh {
            replica: MemReplica::new("hub"),
            twin: None,
            _keep: None,
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_replica_conforms() -> TestResult {
    suite(|| async {
        let dir = tempfile::tempdir()?;
        let store = Store::open(&dir.path().join("hub.db")).await?;
        Ok(Fresh {
            replica: SqliteReplica::open(&store).await?,
            twin: Some(SqliteReplica::open(&store).await?),
            _keep: Some(dir),
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_postgres_replica_conforms_and_two_hub_processes_share_one_database() -> TestResult {
    let Some(mut pg) = pg_support::start("the_postgres_replica_conforms")? else {
        return Ok(());
    };
    let mut made = Vec::new();
    for _ in 0..7 {
        made.push(pg.create_db()?);
    }
    let mut urls = made.into_iter();
    let result = suite(|| {
        let url = urls.next();
        async move {
            let url = url.ok_or("more databases than made")?;
            // Two pools, two station ids: two hub processes on one database.
            Ok(Fresh {
                replica: PgReplica::connect(&url, "hub-a").await?,
                twin: Some(PgReplica::connect(&url, "hub-b").await?),
                _keep: None,
            })
        }
    })
    .await;
    if result.is_err() {
        eprintln!("PostgreSQL's log:\n{}", pg.log());
    }
    result
}
