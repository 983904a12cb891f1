//! `gatehouse hub`: the sync API over HTTP, a thin shell around
//! [`protocol::serve`], plus pairing (one-time codes, per-station
//! credentials) on the hub's database.
//!
//! The hub serves any [`HubStore`] (today the station's own SQLite replica;
//! a PostgreSQL store can serve large venues later). Other processes write
//! to the same database (`gatehouse revoke` on the hub machine): a
//! background task logs such facts every [`CAPTURE_EVERY`] and wakes the
//! stations waiting in a long poll, so a revocation reaches watching gates
//! well within 2 s.
//!
//! Transport: HTTPS with the hub's self-signed certificate ([`super::tls`]);
//! the pairing code carries its fingerprint, which stations pin.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use jiff::Timestamp;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{watch, Mutex};

use super::keys::KeyExchange;
use super::protocol::{self, Replica, Request, Response};
use super::store::SqliteReplica;
use crate::error::{Error, Result};
use crate::http::HttpError;
use crate::staff::Role;
use crate::store::Store;

/// How often the hub looks for facts written by other processes.
pub const CAPTURE_EVERY: Duration = Duration::from_millis(200);
/// The longest a station may wait in one long poll.
pub const MAX_WAIT_MS: u64 = 30_000;

/// What a hub serves from: a replica that can also log local facts.
pub trait HubStore: Replica + Send + 'static {
    fn capture(&mut self, now: Timestamp) -> impl Future<Output = Result<usize>> + Send;
}

impl HubStore for SqliteReplica {
    async fn capture(&mut self, now: Timestamp) -> Result<usize> {
        SqliteReplica::capture(self, now).await
    }
}

fn ms(now: Timestamp) -> u64 {
    u64::try_from(now.as_millisecond()).unwrap_or(0)
}

fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// A fresh pairing code, as `gatehouse pair` prints it. The role it grants
/// is chosen here on the hub: only `desk` and `admin` stations receive the
/// private signing keys.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PairingCode {
    pub url: String,
    pub code: String,
    pub role: Role,
    /// The name the station will go by in the hub's list, if one was given.
    pub name: Option<String>,
    /// A QR code of `{"url", "code"}` (what `pair --json` prints), as SVG.
    pub qr_svg: String,
}

/// What the console asks for a new pairing code.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PairingRequest {
    pub role: Role,
    #[serde(default)]
    pub name: Option<String>,
}

/// The QR code (SVG) of what a joining station needs: `{"url", "code"}`.
fn qr_svg(url: &str, code: &str) -> Result<String> {
    let text = serde_json::json!({ "url": url, "code": code }).to_string();
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::Internal(format!("pairing code too long for a QR code: {e}")))?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// Crockford's base-32 alphabet: no I, L, O or U to misread.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_code(groups: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..groups)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The secret part of a pairing code (before the `.` and the fingerprint).
/// Codes are typed by people: case and dashes do not matter.
fn normalise_code(code: &str) -> String {
    let secret = code.split_once('.').map_or(code, |(s, _)| s);
    secret
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Remembers where this hub listens and its certificate's fingerprint, for
/// the codes `pair` prints.
pub async fn set_address(
    store: &Store,
    url: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO sync_hub_config (id, url, fingerprint, started_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, fingerprint = excluded.fingerprint,
             started_at = excluded.started_at",
    )
    .bind(url)
    .bind(fingerprint)
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new one-time pairing code: a secret (only its hash is kept), a dot,
/// and the SHA-256 fingerprint of the hub's certificate. The station that
/// spends it gets `role` and goes by `name`.
pub async fn new_code(
    store: &Store,
    role: Role,
    name: Option<&str>,
    actor: &str,
    now: Timestamp,
) -> Result<PairingCode> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = name {
        if n.chars().count() > 60 || n.chars().any(char::is_control) {
            return Err(Error::bad_input(format!(
                "name {n:?}: at most 60 characters, on one line"
            )));
        }
    }
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT url, fingerprint FROM sync_hub_config WHERE id = 1")
            .fetch_optional(store.read())
            .await?;
    let (url, fingerprint) = row.ok_or_else(|| {
        Error::Conflict(
            "this database has never run `gatehouse hub`: start the hub first, so that the code carries its address".into(),
        )
    })?;
    let secret = random_code(3);
    let code = match fingerprint {
        Some(f) => format!("{secret}.{f}"),
        None => secret,
    };
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO sync_pairing_code (code_hash, created_at, role, name) VALUES (?, ?, ?, ?)",
    )
    .bind(digest(&normalise_code(&code)))
    .bind(now.to_string())
    .bind(role.as_str())
    .bind(name)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.pair_code",
        &serde_json::json!({ "role": role, "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(PairingCode {
        qr_svg: qr_svg(&url, &code)?,
        url,
        code,
        role,
        name: name.map(str::to_string),
    })
}

/// The body of `POST /sync/v1/join`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub station: String,
}

/// The credential a station receives for its code, and the role it grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinResponse {
    pub token: String,
    pub hub: String,
    #[serde(default = "default_role")]
    pub role: Role,
    /// A registering station's own badge numbers start here (see
    /// [`serial_block`]); `None` once the blocks are all given out.
    #[serde(default)]
    pub serial_block: Option<u32>,
}

/// Badge numbers from here up are desks' own walk-in blocks; the hub's own
/// (imports, its console) stay below.
pub const DESK_BLOCKS_FROM: u32 = 900_000;
/// Each pairing of a desk or admin station gets this many numbers of its
/// own, so two desks never hand out the same badge number, even while cut
/// off from each other.
pub const DESK_BLOCK: u32 = 2_000;

/// The first number of the `k`-th block (k from 1), if it fits in six digits.
pub fn serial_block(k: u32) -> Option<u32> {
    let start = DESK_BLOCKS_FROM.checked_add(k.checked_sub(1)?.checked_mul(DESK_BLOCK)?)? + 1;
    (start.checked_add(DESK_BLOCK - 1)? <= 999_999).then_some(start)
}

fn default_role() -> Role {
    Role::Desk
}

/// Spends a pairing code: the station gets its own credential. A code works
/// once; a station that pairs again gets a new credential, the old one stops.
pub async fn redeem(
    store: &Store,
    code: &str,
    station: &str,
    now: Timestamp,
) -> Result<(String, Role, Option<u32>)> {
    if station.trim().is_empty() {
        return Err(Error::bad_input("station: empty station id"));
    }
    let mut tx = store.write().await?;
    let used: Option<(Option<String>, String, Option<String>)> =
        sqlx::query_as("SELECT used_at, role, name FROM sync_pairing_code WHERE code_hash = ?")
            .bind(digest(&normalise_code(code)))
            .fetch_optional(&mut *tx)
            .await?;
    let (role, name) = match &used {
        Some((_, role, name)) => (super::keys::parse_role(role)?, name.clone()),
        None => (Role::Desk, None),
    };
    match used.map(|(at, _, _)| at) {
        None => {
            return Err(Error::Forbidden(format!(
                "pairing code {code:?} is not one this hub gave"
            )))
        }
        Some(Some(at)) => {
            return Err(Error::Conflict(format!(
                "pairing code {code:?} was already used ({at}): ask the hub for a new one (`gatehouse pair`)"
            )))
        }
        Some(None) => {}
    }
    sqlx::query("UPDATE sync_pairing_code SET used_at = ?, used_by = ? WHERE code_hash = ?")
        .bind(now.to_string())
        .bind(station)
        .bind(digest(&normalise_code(code)))
        .execute(&mut *tx)
        .await?;
    let token = random_code(8);
    sqlx::query(
        "INSERT INTO sync_peer (station, token_hash, paired_at, role, name) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (station) DO UPDATE SET token_hash = excluded.token_hash,
             paired_at = excluded.paired_at, unpaired_at = NULL, role = excluded.role,
             name = COALESCE(excluded.name, sync_peer.name)",
    )
    .bind(station)
    .bind(digest(&token))
    .bind(now.to_string())
    .bind(role.as_str())
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        "sync",
        "sync.pair",
        &serde_json::json!({ "station": station, "role": role, "name": name }),
    )
    .await?;
    // Registering stations get the next block of badge numbers: one per
    // code spent, so a re-paired desk moves on to a fresh block.
    let block = if super::keys::issues_badges(role) {
        let spent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sync_pairing_code WHERE used_at IS NOT NULL AND role IN ('desk', 'admin')",
        )
        .fetch_one(&mut *tx)
        .await?;
        serial_block(u32::try_from(spent).unwrap_or(u32::MAX))
    } else {
        None
    };
    tx.commit().await?;
    Ok((token, role, block))
}

/// A paired station as the hub sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS, sqlx::FromRow)]
pub struct PeerInfo {
    pub station: String,
    /// The name given with its pairing code, or its role and id's start.
    pub name: String,
    /// `desk`, `gate` or `admin`: only desks and admins get private keys.
    pub role: String,
    pub paired_at: String,
    pub last_contact: Option<String>,
    /// Set once un-paired: its credential no longer works.
    pub unpaired_at: Option<String>,
    /// Entries the hub holds from this station.
    #[ts(type = "number")]
    pub entries: i64,
    /// Entries the hub holds that this station has not acknowledged yet
    /// (per origin, the hub's high-water mark above the station's).
    #[ts(type = "number")]
    pub backlog: i64,
}

/// The stations paired with this hub, most recently seen first.
pub async fn peers(store: &Store) -> Result<Vec<PeerInfo>> {
    Ok(sqlx::query_as::<_, PeerInfo>(
        "SELECT p.station,
                COALESCE(p.name, p.role || ' ' || substr(p.station, 1, 8)) AS name,
                p.role, p.paired_at, p.last_contact, p.unpaired_at,
                (SELECT COUNT(*) FROM sync_entry e WHERE e.origin = p.station) AS entries,
                (SELECT COALESCE(SUM(MAX(h.seq - COALESCE(m.seq, 0), 0)), 0) FROM sync_mark h
                   LEFT JOIN sync_peer_mark m ON m.station = p.station AND m.origin = h.origin
                 ) AS backlog
         FROM sync_peer p ORDER BY p.last_contact IS NULL, p.last_contact DESC, p.station",
    )
    .fetch_all(store.read())
    .await?)
}

/// Remembers what a station says it holds (its request's marks): the
/// backlog, and which stations a revocation has reached.
pub async fn record_marks(
    store: &Store,
    station: &str,
    have: &protocol::VersionVector,
) -> Result<()> {
    let mut tx = store.write().await?;
    for (origin, seq) in &have.0 {
        sqlx::query(
            "INSERT INTO sync_peer_mark (station, origin, seq) VALUES (?, ?, ?)
             ON CONFLICT (station, origin) DO UPDATE SET seq = MAX(seq, excluded.seq)",
        )
        .bind(station)
        .bind(origin)
        .bind(i64::try_from(*seq).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Un-pairs a station (a lost laptop): its credential stops working at once.
/// What it sent before stays.
pub async fn unpair(store: &Store, station: &str, actor: &str, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE sync_peer SET unpaired_at = ? WHERE station = ? AND unpaired_at IS NULL",
    )
    .bind(now.to_string())
    .bind(station)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound(format!(
            "no paired station {station:?} (see `gatehouse stations`)"
        )));
    }
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.unpair",
        &serde_json::json!({ "station": station }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The paired station a credential belongs to, and its role.
pub async fn authenticate(
    store: &Store,
    token: Option<&str>,
    now: Timestamp,
) -> Result<(String, Role)> {
    let token = token.ok_or_else(|| {
        Error::Unauthenticated("no station credential: pair with `gatehouse join`".into())
    })?;
    let station: Option<(String, String)> = sqlx::query_as(
        "SELECT station, role FROM sync_peer WHERE token_hash = ? AND unpaired_at IS NULL",
    )
    .bind(digest(token))
    .fetch_optional(store.read())
    .await?;
    let (station, role) = station.ok_or_else(|| {
        Error::Unauthenticated(
            "this station's credential is unknown or was revoked: pair again with `gatehouse join`"
                .into(),
        )
    })?;
    let mut tx = store.write().await?;
    sqlx::query("UPDATE sync_peer SET last_contact = ? WHERE station = ?")
        .bind(now.to_string())
        .bind(&station)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((station, super::keys::parse_role(&role)?))
}

/// The hub's shared state.
pub struct Hub<R: HubStore> {
    store: Store,
    replica: Mutex<R>,
    /// Bumped whenever the hub holds something new.
    changed: watch::Sender<u64>,
    /// Per station, the marks last recorded (a watching station's rounds
    /// mostly repeat them: nothing to write).
    marks: Mutex<std::collections::HashMap<String, protocol::VersionVector>>,
}

impl<R: HubStore> Hub<R> {
    pub fn new(store: Store, replica: R) -> Arc<Hub<R>> {
        Arc::new(Hub {
            store,
            replica: Mutex::new(replica),
            changed: watch::channel(0).0,
            marks: Mutex::default(),
        })
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Logs local facts; wakes the long polls if there were any.
    pub async fn capture(&self, now: Timestamp) -> Result<usize> {
        let n = self.replica.lock().await.capture(now).await?;
        if n > 0 {
            self.bump();
        }
        Ok(n)
    }

    /// One round, waiting up to `wait_ms` for news when the station sent
    /// nothing and the hub has nothing for it.
    pub async fn round(&self, req: &Request, wait_ms: u64) -> Result<Response> {
        let mut changes = self.changed.subscribe();
        if req.entries.is_empty() && wait_ms > 0 {
            let idle = self
                .replica
                .lock()
                .await
                .entries_after(&req.have, 1)
                .await?
                .is_empty();
            if idle {
                let wait = Duration::from_millis(wait_ms.min(MAX_WAIT_MS));
                let _ = tokio::time::timeout(wait, changes.changed()).await;
            }
        }
        let now = ms(Timestamp::now());
        let resp = protocol::serve(&mut *self.replica.lock().await, req, now).await?;
        if !req.entries.is_empty() {
            self.bump();
        }
        Ok(resp)
    }
}

#[derive(Debug, Deserialize)]
struct RoundQuery {
    #[serde(default)]
    wait_ms: u64,
}

async fn join<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    Json(req): Json<JoinRequest>,
) -> Result<Json<JoinResponse>, HttpError> {
    let (token, role, serial_block) =
        redeem(&hub.store, &req.code, &req.station, Timestamp::now()).await?;
    let hub_id = hub.replica.lock().await.station().to_string();
    Ok(Json(JoinResponse {
        token,
        hub: hub_id,
        role,
        serial_block,
    }))
}

async fn round<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    Query(q): Query<RoundQuery>,
    headers: HeaderMap,
    Json(req): Json<Request>,
) -> Result<Json<Response>, HttpError> {
    let (station, _) =
        authenticate(&hub.store, crate::http::bearer(&headers), Timestamp::now()).await?;
    if station != req.station {
        return Err(Error::Forbidden(format!(
            "this credential belongs to station {station}, not {}",
            req.station
        ))
        .into());
    }
    let mut marks = hub.marks.lock().await;
    if marks.get(&station) != Some(&req.have) {
        record_marks(&hub.store, &station, &req.have).await?;
        marks.insert(station.clone(), req.have.clone());
    }
    drop(marks);
    Ok(Json(hub.round(&req, q.wait_ms).await?))
}

/// `POST /sync/v1/keys`: private keys, to and from issuing stations only.
async fn keys<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    headers: HeaderMap,
    Json(sent): Json<KeyExchange>,
) -> Result<Json<KeyExchange>, HttpError> {
    let (_, role) =
        authenticate(&hub.store, crate::http::bearer(&headers), Timestamp::now()).await?;
    Ok(Json(super::keys::serve(&hub.store, role, &sent).await?))
}

pub fn router<R: HubStore>(hub: Arc<Hub<R>>) -> Router {
    Router::new()
        .route("/sync/v1/join", post(join::<R>))
        .route("/sync/v1/round", post(round::<R>))
        .route("/sync/v1/keys", post(keys::<R>))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(hub)
}

/// Runs the hub over HTTPS on `listener` until the process stops. `url` is
/// the address stations reach it at (what `pair` hands out); `ready` is
/// called with the certificate's fingerprint once `pair` can hand it out.
pub async fn serve(
    store: Store,
    listener: std::net::TcpListener,
    url: &str,
    ready: impl FnOnce(&str),
) -> Result<()> {
    let identity = super::tls::load_or_create(store.path())?;
    let tls =
        axum_server::tls_rustls::RustlsConfig::from_config(super::tls::server_config(&identity)?);
    set_address(&store, url, &identity.fingerprint(), Timestamp::now()).await?;
    ready(&identity.fingerprint());
    let replica = SqliteReplica::open(&store).await?;
    let hub = Hub::new(store, replica);
    let background = hub.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = background.capture(Timestamp::now()).await {
                tracing::error!("hub: cannot log local facts: {e}");
            }
            tokio::time::sleep(CAPTURE_EVERY).await;
        }
    });
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("cannot set up the listening socket", e))?;
    axum_server::from_tcp_rustls(listener, tls)
        .map_err(|e| Error::io("cannot serve on the listening socket", e))?
        .serve(router(hub).into_make_service())
        .await
        .map_err(|e| Error::io("hub stopped", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_blocks_are_disjoint_six_digit_ranges_above_the_hubs() {
        assert_eq!(serial_block(1), Some(900_001));
        assert_eq!(serial_block(2), Some(902_001));
        assert_eq!(serial_block(49), Some(996_001));
        assert_eq!(serial_block(50), None, "999,999 is the last badge number");
        assert_eq!(serial_block(0), None);
    }
}
