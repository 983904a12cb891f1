//! The hub's replicated log on PostgreSQL (`gatehouse hub --store
//! postgres://…`, `docs/SCALE.md`): the same [`Replica`] contract as the
//! SQLite and in-memory replicas, checked by the same conformance suite
//! (`tests/replica_conformance.rs`).
//!
//! Several hub processes may serve from one database at once, so nothing
//! here relies on a lock in this process. Every place (origin, seq) is the
//! primary key of `sync_entry` or `sync_held`, written with `ON CONFLICT DO
//! NOTHING`; a transaction that stores or holds entries first takes, in
//! origin order, each of their origins' advisory transaction locks
//! ([`ORIGIN_LOCK`], the origin's hash), so two hubs never store the same
//! place twice (one as an entry, one held aside) and a mark is computed
//! over everything committed for its origin: it never passes a hole. The
//! clock only moves forward (`set_clock` never sets an older one).
//!
//! A hub process keeps its own SQLite database as stations do (pairing,
//! its console, its local facts): [`PgHub`] logs that database's new facts
//! into PostgreSQL and materialises PostgreSQL's entries into it.

use std::collections::BTreeSet;
use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::Row;

use super::hlc::Clock;
use super::protocol::{Entry, Replica, VersionVector, BATCH};
use super::store::SqliteReplica;
use crate::error::{Error, Result};

/// The PostgreSQL schema's migrations (`migrations/postgres/`, never the
/// SQLite ones).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// The first key of the per-origin advisory locks ("GH"): the second is the
/// origin's `hashtext`, so they never meet sqlx's migration lock.
const ORIGIN_LOCK: i32 = 0x4748;

/// A message carries entries up to about this many bytes of JSON, as the
/// SQLite replica's do.
const MESSAGE_BYTES: usize = 8 * 1024 * 1024;
/// Entries read or written per statement.
const CHUNK: usize = 1_000;

/// Whether `url` names a PostgreSQL database (what `--store` takes).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

fn seq_of(seq: u64) -> Result<i64> {
    i64::try_from(seq).map_err(|_| Error::from(crate::messages::Msg::EntrySeqRange { seq }))
}

/// A hub's replica in a PostgreSQL database, under the station id `station`.
#[derive(Debug, Clone)]
pub struct PgReplica {
    pool: PgPool,
    station: String,
}

impl PgReplica {
    /// Connects to `url`, brings its schema up to date (sqlx's migrator
    /// takes its own advisory lock: hubs starting together are safe) and
    /// serves as `station`.
    pub async fn connect(url: &str, station: &str) -> Result<PgReplica> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| {
                Error::from(crate::messages::Msg::HubStoreUnreachable {
                    store: without_password(url),
                    detail: e.to_string(),
                })
            })?;
        MIGRATOR.run(&pool).await?;
        Ok(PgReplica {
            pool,
            station: station.to_string(),
        })
    }

    /// Another replica on the same database (another hub process's view).
    pub fn with_station(&self, station: &str) -> PgReplica {
        PgReplica {
            pool: self.pool.clone(),
            station: station.to_string(),
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// `url` without the password it may carry, to be said in messages.
pub fn without_password(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Takes the advisory locks of `origins` for the transaction, in order (so
/// two transactions never wait on each other crosswise).
async fn lock_origins(conn: &mut PgConnection, origins: &BTreeSet<&str>) -> Result<()> {
    for origin in origins {
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(ORIGIN_LOCK)
            .bind(*origin)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Moves `origin`'s mark up over the places now held (entries or aside).
/// Called with the origin's lock held.
async fn advance_mark(conn: &mut PgConnection, origin: &str) -> Result<()> {
    let mut mark: i64 = sqlx::query_scalar("SELECT seq FROM sync_mark WHERE origin = $1")
        .bind(origin)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or(0);
    loop {
        let above: Vec<i64> = sqlx::query_scalar(
            "SELECT seq FROM sync_entry WHERE origin = $1 AND seq > $2
             UNION SELECT seq FROM sync_held WHERE origin = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
        )
        .bind(origin)
        .bind(mark)
        .bind(CHUNK as i64)
        .fetch_all(&mut *conn)
        .await?;
        let full = above.len() == CHUNK;
        let before = mark;
        for s in above {
            if s != mark + 1 {
                break;
            }
            mark = s;
        }
        if !full || mark - before < CHUNK as i64 {
            break;
        }
    }
    sqlx::query(
        "INSERT INTO sync_mark (origin, seq) VALUES ($1, $2)
         ON CONFLICT (origin) DO UPDATE SET seq = GREATEST(sync_mark.seq, excluded.seq)",
    )
    .bind(origin)
    .bind(mark)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The columns of a run of entries, as arrays for `UNNEST`.
#[derive(Default)]
struct Columns {
    origin: Vec<String>,
    seq: Vec<i64>,
    kind: Vec<String>,
    key: Vec<String>,
    body: Vec<String>,
}

impl Columns {
    fn of(entries: &[Entry]) -> Result<Columns> {
        let mut c = Columns::default();
        for e in entries {
            let (kind, key) = e.record.kind_key();
            c.origin.push(e.origin.clone());
            c.seq.push(seq_of(e.seq)?);
            c.kind.push(kind.to_string());
            c.key.push(key);
            c.body.push(json(&e.record)?);
        }
        Ok(c)
    }
}

impl Replica for PgReplica {
    fn station(&self) -> &str {
        &self.station
    }

    async fn clock(&mut self) -> Result<Clock> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT wall_ms, counter FROM sync_clock WHERE station = $1")
                .bind(&self.station)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some((wall_ms, counter)) => Clock {
                wall_ms: u64::try_from(wall_ms).unwrap_or(0),
                counter: u32::try_from(counter).unwrap_or(0),
            },
            None => Clock::default(),
        })
    }

    async fn set_clock(&mut self, clock: &Clock) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_clock (station, wall_ms, counter) VALUES ($1, $2, $3)
             ON CONFLICT (station) DO UPDATE SET wall_ms = excluded.wall_ms, counter = excluded.counter
             WHERE (sync_clock.wall_ms, sync_clock.counter) < (excluded.wall_ms, excluded.counter)",
        )
        .bind(&self.station)
        .bind(i64::try_from(clock.wall_ms).unwrap_or(i64::MAX))
        .bind(i64::from(clock.counter))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn have(&mut self) -> Result<VersionVector> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT origin, seq FROM sync_mark WHERE seq > 0")
                .fetch_all(&self.pool)
                .await?;
        Ok(VersionVector(
            rows.into_iter()
                .map(|(o, s)| (o, u64::try_from(s).unwrap_or(0)))
                .collect(),
        ))
    }

    async fn entries_after(&mut self, peer: &VersionVector, limit: usize) -> Result<Vec<Entry>> {
        let (origins, marks): (Vec<String>, Vec<i64>) = peer
            .0
            .iter()
            .map(|(o, &s)| (o.clone(), i64::try_from(s).unwrap_or(i64::MAX)))
            .unzip();
        // The origins with anything above the peer's mark: one index probe
        // each (an idle long poll costs one statement). Byte order, as the
        // other replicas sort.
        let behind: Vec<(String, i64)> = sqlx::query_as(
            "SELECT m.origin, COALESCE(p.seq, 0) FROM sync_mark m
             LEFT JOIN UNNEST($1::text[], $2::bigint[]) AS p (origin, seq) ON p.origin = m.origin
             WHERE EXISTS (SELECT 1 FROM sync_entry e
                           WHERE e.origin = m.origin AND e.seq > COALESCE(p.seq, 0))
             ORDER BY m.origin COLLATE \"C\"",
        )
        .bind(&origins)
        .bind(&marks)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        let mut bytes = 0;
        'origins: for (origin, mut after) in behind {
            loop {
                let left = limit.saturating_sub(out.len()).min(CHUNK);
                if left == 0 || bytes >= MESSAGE_BYTES {
                    break 'origins;
                }
                let rows = sqlx::query(
                    "SELECT seq, body FROM sync_entry WHERE origin = $1 AND seq > $2
                     ORDER BY seq LIMIT $3",
                )
                .bind(&origin)
                .bind(after)
                .bind(left as i64)
                .fetch_all(&self.pool)
                .await?;
                let done = rows.len() < left;
                for r in rows {
                    let body: &str = r.try_get(1)?;
                    if !out.is_empty() && bytes + body.len() > MESSAGE_BYTES {
                        break 'origins;
                    }
                    bytes += body.len();
                    after = r.try_get(0)?;
                    out.push(Entry {
                        origin: origin.clone(),
                        seq: u64::try_from(after).unwrap_or(0),
                        record: serde_json::from_str(body).map_err(|e| {
                            Error::Internal(format!("stored sync entry {origin}#{after}: {e}"))
                        })?,
                    });
                }
                if done {
                    break;
                }
            }
        }
        Ok(out)
    }

    async fn apply(&mut self, entries: &[Entry]) -> Result<usize> {
        if entries.is_empty() {
            return Ok(0);
        }
        let origins: BTreeSet<&str> = entries.iter().map(|e| e.origin.as_str()).collect();
        let mut tx = self.pool.begin().await?;
        lock_origins(&mut tx, &origins).await?;
        let mut fresh = 0;
        for run in entries.chunks(CHUNK) {
            let c = Columns::of(run)?;
            // A place held aside stays so; a place taken stays as it is.
            let done = sqlx::query(
                "INSERT INTO sync_entry (origin, seq, kind, key, body)
                 SELECT t.origin, t.seq, t.kind, t.key, t.body
                 FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])
                      WITH ORDINALITY AS t (origin, seq, kind, key, body, n)
                 WHERE NOT EXISTS (SELECT 1 FROM sync_held h
                                   WHERE h.origin = t.origin AND h.seq = t.seq)
                 ORDER BY t.n
                 ON CONFLICT (origin, seq) DO NOTHING",
            )
            .bind(&c.origin)
            .bind(&c.seq)
            .bind(&c.kind)
            .bind(&c.key)
            .bind(&c.body)
            .execute(&mut *tx)
            .await?;
            fresh += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        for origin in &origins {
            advance_mark(&mut tx, origin).await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }

    async fn hold(&mut self, entries: &[Entry], why: &str, now_ms: u64) -> Result<usize> {
        if entries.is_empty() {
            return Ok(0);
        }
        let at = jiff::Timestamp::from_millisecond(i64::try_from(now_ms).unwrap_or(i64::MAX))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let origins: BTreeSet<&str> = entries.iter().map(|e| e.origin.as_str()).collect();
        let mut tx = self.pool.begin().await?;
        lock_origins(&mut tx, &origins).await?;
        let mut fresh = 0;
        for run in entries.chunks(CHUNK) {
            let c = Columns::of(run)?;
            let done = sqlx::query(
                "INSERT INTO sync_held (origin, seq, kind, key, body, why, held_at)
                 SELECT t.origin, t.seq, t.kind, t.key, t.body, $6, $7::timestamptz
                 FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])
                      WITH ORDINALITY AS t (origin, seq, kind, key, body, n)
                 WHERE NOT EXISTS (SELECT 1 FROM sync_entry e
                                   WHERE e.origin = t.origin AND e.seq = t.seq)
                 ORDER BY t.n
                 ON CONFLICT (origin, seq) DO NOTHING",
            )
            .bind(&c.origin)
            .bind(&c.seq)
            .bind(&c.kind)
            .bind(&c.key)
            .bind(&c.body)
            .bind(why)
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
            fresh += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        for origin in &origins {
            advance_mark(&mut tx, origin).await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }

    async fn holding(&mut self, origin: &str) -> Result<bool> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sync_held WHERE origin = $1)")
                .bind(origin)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// A hub process serving from PostgreSQL: the shared log there, and its
/// own SQLite database (pairing, console, facts made on this machine) kept
/// as a station keeps its own. Rounds are served from PostgreSQL;
/// [`super::hub::HubStore::capture`] logs this machine's new facts into it
/// and materialises what other hubs and stations put there since.
pub struct PgHub {
    pg: PgReplica,
    local: SqliteReplica,
    /// Per origin, the last entry already brought from PostgreSQL into the
    /// local database (from the local marks at start).
    pulled: Option<VersionVector>,
    /// The stations this hub's database knows, as last published to
    /// `sync_roster`.
    published: Vec<Peer>,
    /// The credentials in `sync_roster`, as last copied into the local
    /// database.
    mirrored: Vec<Peer>,
    /// The key the event's hubs sign their list with.
    hubs_key: [u8; 32],
}

/// A station's credential as the hubs share it (`sync_peer` in each hub's
/// own database, `sync_roster` in PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Peer {
    station: String,
    role: String,
    token_hash: Option<Vec<u8>>,
    paired_at: Option<String>,
    name: Option<String>,
    unpaired_at: Option<String>,
}

impl PgHub {
    /// The hub of the local database `local`, on the PostgreSQL database at
    /// `url`; it serves under the local database's station id.
    pub async fn open(url: &str, local: SqliteReplica) -> Result<PgHub> {
        let pg = PgReplica::connect(url, local.station()).await?;
        // The first hub to start makes the key; every other one reads it.
        sqlx::query(
            "INSERT INTO sync_hub_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(super::hubs::new_secret().to_vec())
        .execute(pg.pool())
        .await?;
        let secret: Vec<u8> = sqlx::query_scalar("SELECT secret FROM sync_hub_key WHERE id = 1")
            .fetch_one(pg.pool())
            .await?;
        let hubs_key: [u8; 32] = secret
            .try_into()
            .map_err(|_| Error::Internal("sync_hub_key: the secret is not 32 bytes".into()))?;
        Ok(PgHub {
            pg,
            local,
            pulled: None,
            published: Vec::new(),
            mirrored: Vec::new(),
            hubs_key,
        })
    }

    /// Says where stations reach this hub process and its certificate's
    /// fingerprint, for the list the event's hubs hand out.
    pub async fn register(&self, url: &str, fingerprint: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_hub (station, url, fingerprint) VALUES ($1, $2, $3)
             ON CONFLICT (station) DO UPDATE SET url = excluded.url,
                 fingerprint = excluded.fingerprint, started_at = now()",
        )
        .bind(self.local.station())
        .bind(url.trim_end_matches('/'))
        .bind(fingerprint)
        .execute(self.pg.pool())
        .await?;
        Ok(())
    }

    /// The next block of badge numbers for a registering station, past
    /// every one any hub of the event gave and at least `local` (what this
    /// hub's own count says), taken under the row's lock.
    pub async fn desk_block(&self, local: u32) -> Result<u32> {
        let k: i32 = sqlx::query_scalar(
            "INSERT INTO sync_desk_block (id, k) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET k = GREATEST(sync_desk_block.k + 1, excluded.k)
             RETURNING k",
        )
        .bind(i32::try_from(local.max(1)).unwrap_or(i32::MAX))
        .fetch_one(self.pg.pool())
        .await?;
        Ok(u32::try_from(k).unwrap_or(u32::MAX))
    }

    /// The event's hubs (first started first), signed with the hubs' key.
    pub async fn hub_list(&self, now: jiff::Timestamp) -> Result<super::hubs::SignedHubs> {
        let hubs: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT station, url, fingerprint FROM sync_hub ORDER BY first_seen, station",
        )
        .fetch_all(self.pg.pool())
        .await?;
        let list = super::hubs::HubList {
            hubs: hubs
                .into_iter()
                .map(|(hub, url, fingerprint)| super::hubs::HubAddress {
                    hub,
                    url,
                    fingerprint,
                })
                .collect(),
            at_ms: now.as_millisecond(),
        };
        super::hubs::sign(&self.hubs_key, &list)
    }

    pub fn postgres(&self) -> &PgReplica {
        &self.pg
    }

    /// Publishes the stations this hub's database knows (and itself, an
    /// admin station) to the shared roster with their credentials, when
    /// they changed: a station paired here may sync with any hub of the
    /// event, and one un-paired here is refused at all of them (an
    /// un-pairing, once shared, is never undone).
    async fn publish_roster(&mut self) -> Result<()> {
        let mut peers: Vec<Peer> = sqlx::query_as(
            "SELECT station, role, token_hash, paired_at, name, unpaired_at
             FROM sync_peer ORDER BY station",
        )
        .fetch_all(self.local.store().read())
        .await?;
        peers.push(Peer {
            station: self.local.station().to_string(),
            role: "admin".to_string(),
            token_hash: None,
            paired_at: None,
            name: None,
            unpaired_at: None,
        });
        if peers == self.published {
            return Ok(());
        }
        let station: Vec<&str> = peers.iter().map(|p| p.station.as_str()).collect();
        let role: Vec<&str> = peers.iter().map(|p| p.role.as_str()).collect();
        let token_hash: Vec<Option<Vec<u8>>> = peers.iter().map(|p| p.token_hash.clone()).collect();
        let paired_at: Vec<Option<&str>> = peers.iter().map(|p| p.paired_at.as_deref()).collect();
        let name: Vec<Option<&str>> = peers.iter().map(|p| p.name.as_deref()).collect();
        let unpaired_at: Vec<Option<&str>> =
            peers.iter().map(|p| p.unpaired_at.as_deref()).collect();
        sqlx::query(
            "INSERT INTO sync_roster (station, role, hub, token_hash, paired_at, name, unpaired_at)
             SELECT t.station, t.role, $7, t.token_hash, t.paired_at, t.name, t.unpaired_at
             FROM UNNEST($1::text[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[])
                  AS t (station, role, token_hash, paired_at, name, unpaired_at)
             ON CONFLICT (station) DO UPDATE SET
                 token_hash = COALESCE(sync_roster.token_hash, excluded.token_hash),
                 paired_at = COALESCE(sync_roster.paired_at, excluded.paired_at),
                 name = COALESCE(sync_roster.name, excluded.name),
                 unpaired_at = COALESCE(sync_roster.unpaired_at, excluded.unpaired_at)",
        )
        .bind(&station)
        .bind(&role)
        .bind(&token_hash)
        .bind(&paired_at)
        .bind(&name)
        .bind(&unpaired_at)
        .bind(self.local.station())
        .execute(self.pg.pool())
        .await?;
        self.published = peers;
        Ok(())
    }

    /// Copies the credentials other hubs gave (and every un-pairing) from
    /// the shared roster into this hub's own `sync_peer`, which it
    /// authenticates stations against, when they changed.
    async fn mirror_roster(&mut self) -> Result<()> {
        let peers: Vec<Peer> = sqlx::query_as(
            "SELECT station, role, token_hash, paired_at, name, unpaired_at
             FROM sync_roster WHERE token_hash IS NOT NULL ORDER BY station",
        )
        .fetch_all(self.pg.pool())
        .await?;
        if peers == self.mirrored {
            return Ok(());
        }
        let mut tx = self.local.store().write().await?;
        for p in &peers {
            sqlx::query(
                "INSERT INTO sync_peer (station, token_hash, paired_at, role, name, unpaired_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (station) DO UPDATE SET
                     unpaired_at = COALESCE(sync_peer.unpaired_at, excluded.unpaired_at)",
            )
            .bind(&p.station)
            .bind(&p.token_hash)
            .bind(p.paired_at.as_deref().unwrap_or("1970-01-01T00:00:00Z"))
            .bind(&p.role)
            .bind(&p.name)
            .bind(&p.unpaired_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.mirrored = peers;
        Ok(())
    }

    /// Every station any hub on this database paired, with its role.
    pub async fn shared_roster(&mut self) -> Result<super::policy::Roster> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT station, role FROM sync_roster")
            .fetch_all(self.pg.pool())
            .await?;
        let mut roster = super::policy::Roster::new();
        for (station, role) in rows {
            roster.insert(station, super::keys::parse_role(&role)?);
        }
        Ok(roster)
    }

    /// Logs local facts, hands this hub's own entries PostgreSQL lacks to
    /// it, then brings in a batch of what it holds that the local database
    /// does not; returns how many entries moved either way.
    pub async fn exchange(&mut self, now: jiff::Timestamp) -> Result<usize> {
        let now_ms = u64::try_from(now.as_millisecond()).unwrap_or(0);
        self.local.capture(now).await?;
        self.publish_roster().await?;
        self.mirror_roster().await?;
        let me = self.local.station().to_string();
        let mut moved = 0;
        loop {
            let mut own = VersionVector(
                self.local
                    .have()
                    .await?
                    .0
                    .into_keys()
                    .map(|origin| (origin, u64::MAX))
                    .collect(),
            );
            own.0.insert(me.clone(), self.pg.have().await?.get(&me));
            let out = self.local.entries_after(&own, BATCH).await?;
            if out.is_empty() {
                break;
            }
            moved += self.pg.apply(&out).await?;
            if out.len() < BATCH {
                break;
            }
        }
        let mut pulled = match self.pulled.take() {
            Some(p) => p,
            None => self.local.have().await?,
        };
        pulled.0.insert(me.clone(), u64::MAX);
        let got = self.pg.entries_after(&pulled, BATCH).await;
        let got = match got {
            Ok(got) => got,
            Err(e) => {
                pulled.0.remove(&me);
                self.pulled = Some(pulled);
                return Err(e);
            }
        };
        // The local clock moves past the edits taken in, as a station's
        // does (they were checked against a hub's clock when stored).
        let mut clock = self.local.clock().await?;
        if super::protocol::observe_edits(&mut clock, &got, now_ms) {
            self.local.set_clock(&clock).await?;
        }
        let applied = self.local.apply(&got).await;
        if applied.is_ok() {
            for e in &got {
                let mark = pulled.0.entry(e.origin.clone()).or_insert(0);
                *mark = (*mark).max(e.seq);
            }
        }
        pulled.0.remove(&me);
        self.pulled = Some(pulled);
        Ok(moved + applied?)
    }
}

impl Replica for PgHub {
    fn station(&self) -> &str {
        self.pg.station()
    }

    async fn clock(&mut self) -> Result<Clock> {
        self.pg.clock().await
    }

    async fn set_clock(&mut self, clock: &Clock) -> Result<()> {
        self.pg.set_clock(clock).await
    }

    async fn have(&mut self) -> Result<VersionVector> {
        self.pg.have().await
    }

    async fn entries_after(&mut self, peer: &VersionVector, limit: usize) -> Result<Vec<Entry>> {
        self.pg.entries_after(peer, limit).await
    }

    async fn apply(&mut self, entries: &[Entry]) -> Result<usize> {
        self.pg.apply(entries).await
    }

    async fn hold(&mut self, entries: &[Entry], why: &str, now_ms: u64) -> Result<usize> {
        self.pg.hold(entries, why, now_ms).await
    }

    async fn holding(&mut self, origin: &str) -> Result<bool> {
        self.pg.holding(origin).await
    }
}
