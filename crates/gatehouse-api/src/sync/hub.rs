//! `gatehouse hub`: the hub's side of sync around [`protocol::serve`], plus
//! pairing (one-time codes, per-station credentials) on the hub's
//! database. Its HTTPS routes and serving loop are [`super::hub_server`]'s:
//! nothing here names the server.
//!
//! The hub serves any [`HubStore`] (today the station's own SQLite replica;
//! a PostgreSQL store can serve large venues later). Other processes write
//! to the same database (`gatehouse revoke` on the hub machine): a
//! background task logs such facts every [`CAPTURE_EVERY`] and wakes the
//! stations waiting in a long poll, so a revocation reaches watching gates
//! well within 2 s.
//!
//! Transport: HTTPS with the hub's self-signed certificate ([`super::tls`]),
//! which stations pin at pairing: the hub proves it knows the short code over
//! that certificate's fingerprint ([`super::pairing`], `docs/SYNC.md`).

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{watch, Mutex};

use super::policy::Roster;
use super::protocol::{self, Replica, Request, Response, SyncRecord};
use super::store::{Resolution, Resolved, SqliteReplica};
use crate::error::{Error, Result};
use crate::messages::{Msg, RoleWord};
use crate::staff::Role;
use crate::store::Store;

/// How often the hub looks for facts written by other processes.
pub const CAPTURE_EVERY: Duration = Duration::from_millis(200);
/// The longest a station may wait in one long poll.
pub const MAX_WAIT_MS: u64 = 30_000;
/// A pairing code works this long unless `pair --valid-for` says otherwise.
pub const CODE_VALID_FOR: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);
/// The longest a pairing code may be made to last.
pub const CODE_VALID_AT_MOST: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// What a hub serves from: a replica that can also log local facts.
pub trait HubStore: Replica + Send + 'static {
    fn capture(&mut self, now: Timestamp) -> impl Future<Output = Result<usize>> + Send;
    /// The stations other hub processes sharing this store paired, with
    /// their roles (none for a hub alone on its database).
    fn shared_roster(&mut self) -> impl Future<Output = Result<Roster>> + Send {
        async { Ok(Roster::new()) }
    }
    /// The event's hubs, signed, when several hub processes serve it
    /// (none for a hub alone on its database).
    fn hub_list(
        &mut self,
        _now: Timestamp,
    ) -> impl Future<Output = Result<Option<super::hubs::SignedHubs>>> + Send {
        async { Ok(None) }
    }
    /// The block of badge numbers (its `k`, see [`serial_block`]) for a
    /// registering station this hub is pairing, given the one its own
    /// database would give (`local`): shared by every hub of the event.
    fn desk_block(&mut self, local: u32) -> impl Future<Output = Result<u32>> + Send {
        async move { Ok(local) }
    }
}

impl HubStore for SqliteReplica {
    async fn capture(&mut self, now: Timestamp) -> Result<usize> {
        SqliteReplica::capture(self, now).await
    }
}

impl HubStore for super::postgres::PgHub {
    /// This machine's facts into PostgreSQL, and what other hubs and
    /// stations put there into this machine's database.
    async fn capture(&mut self, now: Timestamp) -> Result<usize> {
        self.exchange(now).await
    }

    async fn shared_roster(&mut self) -> Result<Roster> {
        super::postgres::PgHub::shared_roster(self).await
    }

    async fn hub_list(&mut self, now: Timestamp) -> Result<Option<super::hubs::SignedHubs>> {
        Ok(Some(super::postgres::PgHub::hub_list(self, now).await?))
    }

    async fn desk_block(&mut self, local: u32) -> Result<u32> {
        super::postgres::PgHub::desk_block(self, local).await
    }
}

/// Where a hub keeps the log it serves: its own SQLite database (the
/// default), or a PostgreSQL database several hub processes may share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubBackend {
    Sqlite,
    /// A `postgres://` URL.
    Postgres(String),
}

impl HubBackend {
    /// `--store` (or `GATEHOUSE_HUB_STORE`): `sqlite` or nothing for the
    /// hub's own database, a `postgres://` URL for PostgreSQL.
    pub fn parse(store: Option<&str>) -> Result<HubBackend> {
        match store.map(str::trim) {
            None | Some("") | Some("sqlite") => Ok(HubBackend::Sqlite),
            Some(url) if super::postgres::is_postgres_url(url) => {
                Ok(HubBackend::Postgres(url.to_string()))
            }
            Some(other) => Err(Msg::HubStoreUnknown {
                store: super::postgres::without_password(other),
            }
            .into()),
        }
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
    /// The long form: the short code, a dot, and the fingerprint of the
    /// hub's certificate (what the QR code carries).
    pub code: String,
    /// What people read and type: `5S65-W8TP-YWHJ`. With the hub's address
    /// it is enough to join.
    pub short: String,
    pub role: Role,
    /// The name the station will go by in the hub's list, if one was given.
    pub name: Option<String>,
    /// A QR code of `{"url", "code"}` (what `pair --json` prints), as SVG.
    pub qr_svg: String,
    /// The short name the code is listed and cancelled by (not its secret).
    pub label: String,
    /// When the code stops working if nobody used it.
    pub expires_at: String,
}

/// A pairing code not used yet, as the hub lists it (never its secret).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS, sqlx::FromRow)]
pub struct OpenCode {
    pub label: String,
    pub role: String,
    pub name: Option<String>,
    pub created_at: String,
    pub expires_at: String,
}

/// What the console asks for a new pairing code.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PairingRequest {
    pub role: Role,
    #[serde(default)]
    pub name: Option<String>,
    /// Minutes the code stays valid (default 15, at most a day).
    #[serde(default)]
    #[ts(optional)]
    pub valid_for_min: Option<u32>,
    /// The station (by id) the code re-pairs in place of, its database
    /// damaged: the station that spends it takes its identity's place and
    /// may hand over what the old one had not sent (`join --recover`).
    #[serde(default)]
    #[ts(optional)]
    pub replaces: Option<String>,
    /// A code for another site's hub (`pair --role site`, with `role`
    /// admin): it relays its own stations here (`docs/SCALE.md`, "Sites").
    #[serde(default)]
    #[ts(optional)]
    pub site: Option<bool>,
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

/// A new one-time pairing code: a secret of 60 bits (only its Argon2id key,
/// [`super::pairing::code_key`], is kept), a dot, and the SHA-256
/// fingerprint of the hub's certificate. The station that
/// spends it gets `role` and goes by `name`; unused, it stops working after
/// `valid_for` (at most [`CODE_VALID_AT_MOST`]).
pub async fn new_code(
    store: &Store,
    role: Role,
    name: Option<&str>,
    valid_for: jiff::SignedDuration,
    actor: &str,
    now: Timestamp,
) -> Result<PairingCode> {
    if role == Role::Supervisor {
        return Err(Msg::StationRoleSupervisor {}.into());
    }
    if role == Role::Vetting {
        return Err(Msg::StationRoleVetting {}.into());
    }
    // No station joins while a published or short PIN would travel to it.
    crate::console::setup::go_live_check(store.read()).await?;
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = name {
        if n.chars().count() > 60 || n.chars().any(char::is_control) {
            return Err(Msg::StationNameFormat {
                name: format!("{n:?}"),
            }
            .into());
        }
    }
    if valid_for < jiff::SignedDuration::from_mins(1) || valid_for > CODE_VALID_AT_MOST {
        return Err(Msg::CodeValidity {
            valid_for: format!("{valid_for:#}"),
        }
        .into());
    }
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT url, fingerprint FROM sync_hub_config WHERE id = 1")
            .fetch_optional(store.read())
            .await?;
    let (url, fingerprint) = row.ok_or_else(|| Error::from(Msg::HubNeverRun {}))?;
    let secret = random_code(3);
    let code = match fingerprint {
        Some(f) => format!("{secret}.{f}"),
        None => secret.clone(),
    };
    let label = random_code(1);
    let expires_at = now.checked_add(valid_for).map_err(|_| {
        Error::from(crate::messages::Msg::CodeValidity {
            valid_for: format!("{valid_for:#}"),
        })
    })?;
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO sync_pairing_code (code_hash, created_at, role, name, expires_at, label)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(super::pairing::code_key(&secret)?)
    .bind(now.to_string())
    .bind(role.as_str())
    .bind(name)
    .bind(expires_at.to_string())
    .bind(&label)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.pair_code",
        &serde_json::json!({ "role": role, "name": name, "label": label, "expires_at": expires_at.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(PairingCode {
        qr_svg: qr_svg(&url, &code)?,
        url,
        code,
        short: secret,
        role,
        name: name.map(str::to_string),
        label,
        expires_at: expires_at.to_string(),
    })
}

/// Makes the open code `label` re-pair `old`, a station paired as `role`
/// whose database is damaged: the station that spends it takes its place.
pub async fn set_replaces(store: &Store, label: &str, old: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE sync_pairing_code SET replaces = ? WHERE label = ? AND used_at IS NULL")
        .bind(old)
        .bind(label)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes the open code `label` pair a **site hub** (`pair --role site`,
/// `docs/SCALE.md` "Sites"): the hub that spends it relays its own
/// stations' entries here, within a site's ceiling
/// ([`super::policy::site_may`]). The code's role is `admin` (the role the
/// site's checked entries are announced with).
pub async fn set_site(store: &Store, label: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "UPDATE sync_pairing_code SET site = 1, role = 'admin' WHERE label = ? AND used_at IS NULL",
    )
    .bind(label)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses to re-pair `old` with a code of `role` unless it is a station
/// paired here as that role and not already replaced.
pub async fn check_replaceable(store: &Store, old: &str, role: Role) -> Result<()> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT role, replaced_by FROM sync_peer WHERE station = ?")
            .bind(old)
            .fetch_optional(store.read())
            .await?;
    match row {
        None => Err(Msg::ReplacesUnknown {
            old: old.to_string(),
        }
        .into()),
        Some((_, Some(by))) => Err(Msg::ReplacesAlready {
            old: old.to_string(),
            by,
        }
        .into()),
        Some((was, None)) if was != role.as_str() => Err(Msg::ReplacesOtherRole {
            old: old.to_string(),
            was: RoleWord(Role::from_stored(&was).unwrap_or(role)),
            role: RoleWord(role),
            flag: was,
        }
        .into()),
        Some(_) => Ok(()),
    }
}

/// What a re-paired station hands over of its damaged predecessor's
/// records (`POST /sync/v1/recover`): stored under the old station's name,
/// continuing its sequence, nothing the hub holds twice
/// ([`super::recover::plan`]).
pub async fn recover<R: HubStore>(
    hub: &Hub<R>,
    station: &str,
    req: &super::recover::RecoverRequest,
) -> Result<super::recover::Recovered> {
    let replaces: Option<String> =
        sqlx::query_scalar("SELECT replaces FROM sync_peer WHERE station = ?")
            .bind(station)
            .fetch_optional(hub.store.read())
            .await?
            .flatten();
    if replaces.as_deref() != Some(req.station.as_str()) {
        return Err(Msg::RecoverNotReplacing {
            station: station.to_string(),
            old: req.station.clone(),
        }
        .into());
    }
    let mut replica = hub.replica.lock().await;
    let roster = hub_roster(&hub.store, &mut *replica).await?;
    let mark = replica.have().await?.get(&req.station);
    let held: HashSet<String> = sqlx::query_scalar("SELECT id FROM scan WHERE station = ?")
        .bind(&req.station)
        .fetch_all(hub.store.read())
        .await?
        .into_iter()
        .collect();
    // Its other facts the hub holds already (an audit entry's number is its
    // station's own), and those its role never allowed, are not taken.
    let mut held_facts: HashSet<(&'static str, String)> = HashSet::new();
    let mut allowed = req.clone();
    allowed.records.clear();
    let mut skipped = 0;
    for r in &req.records {
        let (kind, key) = r.kind_key();
        if super::policy::check_in(&roster, &req.station, r).is_err() {
            skipped += 1;
            continue;
        }
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM sync_entry WHERE kind = ? AND key = ? AND (kind <> 'audit' OR origin = ?) LIMIT 1",
        )
        .bind(kind)
        .bind(&key)
        .bind(&req.station)
        .fetch_optional(hub.store.read())
        .await?;
        if found.is_some() {
            held_facts.insert((kind, key));
        }
        allowed.records.push(r.clone());
    }
    let (entries, planned_skips) =
        super::recover::plan(&allowed, mark, &|id| held.contains(id), &|kind, key| {
            held_facts.iter().any(|(k, v)| *k == kind && v == key)
        });
    skipped += planned_skips;
    // Each as the old station's role allows (it was checked when paired).
    let planned = entries.len();
    let mut taken = Vec::new();
    for e in entries {
        if super::policy::check_in(&roster, &e.origin, &e.record).is_err() {
            break;
        }
        taken.push(e);
    }
    skipped += (planned - taken.len()) as u64;
    let stored = replica.apply(&taken).await?;
    drop(replica);
    let scans = taken
        .iter()
        .filter(|e| matches!(e.record, SyncRecord::Scan(_)))
        .count() as u64;
    if stored > 0 {
        hub.bump();
    }
    tracing::warn!(
        "sync: station {station} recovered {} entries of the damaged station {} it replaces",
        taken.len(),
        req.station
    );
    Ok(super::recover::Recovered {
        station: req.station.clone(),
        scans,
        other: taken.len() as u64 - scans,
        skipped,
    })
}

/// The pairing codes that still work (not used, cancelled or expired).
pub async fn open_codes(store: &Store, now: Timestamp) -> Result<Vec<OpenCode>> {
    Ok(sqlx::query_as::<_, OpenCode>(
        "SELECT COALESCE(label, '') AS label, CASE WHEN site = 1 THEN 'site' ELSE role END AS role,
                name, created_at, expires_at
         FROM sync_pairing_code
         WHERE used_at IS NULL AND cancelled_at IS NULL AND expires_at > ?
         ORDER BY created_at",
    )
    .bind(now.to_string())
    .fetch_all(store.read())
    .await?)
}

/// Cancels an open pairing code by its label: it stops working at once.
pub async fn cancel_code(store: &Store, label: &str, actor: &str, now: Timestamp) -> Result<()> {
    let label = label.trim().to_ascii_uppercase();
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE sync_pairing_code SET cancelled_at = ?
         WHERE label = ? AND used_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(now.to_string())
    .bind(&label)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Msg::NoOpenCode {
            label: label.to_string(),
        }
        .into());
    }
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.pair_code_cancel",
        &serde_json::json!({ "label": label }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The keys of the pairing codes that still work, newest first (at most
/// [`OPEN_CODES_AT_MOST`]).
async fn open_keys(store: &Store, now: Timestamp) -> Result<Vec<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "SELECT code_hash FROM sync_pairing_code
         WHERE used_at IS NULL AND cancelled_at IS NULL AND expires_at > ?
         ORDER BY created_at DESC LIMIT ?",
    )
    .bind(now.to_string())
    .bind(OPEN_CODES_AT_MOST)
    .fetch_all(store.read())
    .await?)
}

/// The open codes a hub proves at once (a venue has a few at a time).
const OPEN_CODES_AT_MOST: i64 = 200;

/// The body of `POST /sync/v1/join`: the station's proof of the code over
/// the hub's certificate, for the challenge the hub made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinRequest {
    pub nonce: String,
    pub hub_nonce: String,
    pub proof: String,
}

/// The credential a station receives for its code, and the role it grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinResponse {
    pub token: String,
    pub hub: String,
    /// The station id the hub gave this station: a join never takes over
    /// another station's identity.
    pub station: String,
    #[serde(default = "default_role")]
    pub role: Role,
    /// The name given at pairing (`pair --name "Porte Hall"`), if any.
    #[serde(default)]
    pub name: Option<String>,
    /// A registering station's own badge numbers start here (see
    /// [`serial_block`]); `None` once the blocks are all given out.
    #[serde(default)]
    pub serial_block: Option<u32>,
    /// The event's hubs, signed by the hubs' key, when several hub
    /// processes serve it ([`super::hubs`]): the station moves to another
    /// one when this one stops answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hubs: Option<super::hubs::SignedHubs>,
    /// Paired as a site hub (`pair --role site`): it relays its own
    /// stations' entries to this hub (`docs/SCALE.md`, "Sites").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub site: bool,
}

// The desks' blocks of badge numbers are the serials' rule (the core's).
pub use crate::serial::{serial_block, DESK_BLOCK, DESK_BLOCKS_FROM};

fn default_role() -> Role {
    Role::Desk
}

/// What spending a pairing code gives a station.
#[derive(Debug, Clone)]
pub struct Redeemed {
    /// Its station id, made here.
    pub station: String,
    pub token: String,
    pub role: Role,
    pub name: Option<String>,
    pub serial_block: Option<u32>,
    /// Paired as a site hub (`pair --role site`).
    pub site: bool,
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    used_at: Option<String>,
    role: String,
    name: Option<String>,
    expires_at: Option<String>,
    cancelled_at: Option<String>,
    replaces: Option<String>,
    site: i64,
}

/// Spends a pairing code (by its key): the station gets a new station id and
/// its own credential. A code works once, before it expires and unless
/// cancelled.
pub async fn redeem(store: &Store, hash: &[u8], now: Timestamp) -> Result<Redeemed> {
    let mut tx = store.write().await?;
    let row: Option<CodeRow> = sqlx::query_as(
        "SELECT used_at, role, name, expires_at, cancelled_at, replaces, site FROM sync_pairing_code WHERE code_hash = ?",
    )
    .bind(hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(CodeRow {
        used_at,
        role,
        name,
        expires_at,
        cancelled_at,
        replaces,
        site,
    }) = row
    else {
        return Err(Msg::CodeUnknown {}.into());
    };
    if let Some(at) = used_at {
        return Err(Msg::CodeUsed { at }.into());
    }
    if let Some(at) = cancelled_at {
        return Err(Msg::CodeCancelled { at }.into());
    }
    // Codes made before codes expired count as expired 15 minutes after.
    let expired = match expires_at {
        Some(at) => at.parse::<Timestamp>().map_or(true, |at| at <= now),
        None => true,
    };
    if expired {
        return Err(Msg::CodeExpired {}.into());
    }
    let role = super::keys::parse_role(&role)?;
    let station = uuid::Uuid::now_v7().to_string();
    sqlx::query("UPDATE sync_pairing_code SET used_at = ?, used_by = ? WHERE code_hash = ?")
        .bind(now.to_string())
        .bind(&station)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    let token = random_code(8);
    // A fresh id: the insert fails rather than replace another station.
    sqlx::query(
        "INSERT INTO sync_peer (station, token_hash, paired_at, role, name, site)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&station)
    .bind(digest(&token))
    .bind(now.to_string())
    .bind(role.as_str())
    .bind(&name)
    .bind(site)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        "sync",
        "sync.pair",
        &serde_json::json!({ "station": station, "role": role, "name": name, "site": site != 0 }),
    )
    .await?;
    // A code made to re-pair a damaged station: the old identity is
    // retired (its credential stops; its marks and entries stay) and the
    // new station may hand over what the old one had not sent.
    if let Some(old) = &replaces {
        sqlx::query(
            "UPDATE sync_peer SET unpaired_at = COALESCE(unpaired_at, ?), replaced_by = ? WHERE station = ?",
        )
        .bind(now.to_string())
        .bind(&station)
        .bind(old)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sync_peer SET replaces = ? WHERE station = ?")
            .bind(old)
            .bind(&station)
            .execute(&mut *tx)
            .await?;
        crate::audit::append(
            &mut tx,
            now,
            "sync",
            "sync.replace",
            &serde_json::json!({ "station": station, "replaces": old, "role": role }),
        )
        .await?;
    }
    // Registering stations get the next block of badge numbers: one per
    // code spent, so a re-paired desk moves on to a fresh block.
    let serial_block = if super::keys::issues_badges(role) {
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
    Ok(Redeemed {
        station,
        token,
        role,
        name,
        serial_block,
        site: site != 0,
    })
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
    /// Entries of this station held aside, unapplied: while there are any,
    /// the station is quarantined.
    #[ts(type = "number")]
    pub held: i64,
    /// How far the station's own clock was from the hub's at its last
    /// request, in ms (positive: it is behind). Its decisions use the hub's
    /// time; past two minutes its screen asks for the clock to be set.
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
    /// When that was measured (RFC 3339, the hub's clock).
    pub clock_seen_at: Option<String>,
    /// Paired, and not in contact for longer than [`OUT_OF_CONTACT_AFTER_S`]
    /// (or never): its revocations may be old, its scans not here yet.
    #[sqlx(skip)]
    pub out_of_contact: bool,
    /// Kiosk mode as the organiser asked it for this station (none: never
    /// asked; the station's own `--kiosk` holds).
    pub kiosk_asked: Option<bool>,
    /// Kiosk mode as the station last said its window applied it (its
    /// `kiosk.applied` audit entry), and when.
    pub kiosk_applied: Option<bool>,
    pub kiosk_applied_at: Option<String>,
    /// A site's hub (`pair --role site`): it relays its own stations.
    pub site: bool,
    /// A site: the stations it relays here.
    #[ts(type = "number")]
    pub relays: i64,
    /// Entries the station (a site: it and its stations) held at its last
    /// contact that this hub has not received yet.
    #[ts(type = "number")]
    pub unsent: i64,
    /// A site: its link is up (in contact within [`SITE_LINK_UP_S`]; its
    /// relay loop comes back at least every 15 s).
    #[sqlx(skip)]
    pub link_up: bool,
}

/// A site whose relay loop has not been heard from for this long is shown
/// with its link down.
pub const SITE_LINK_UP_S: i64 = 60;

/// A paired station not heard from for this long is out of contact: the
/// same 5 minutes after which a station's own screens say how old its
/// revocations are (`sync --warn-after`'s default).
pub const OUT_OF_CONTACT_AFTER_S: i64 = 300;

/// Whether a paired station last in contact at `last_contact` (RFC 3339)
/// is out of contact at `now`.
pub fn out_of_contact(unpaired: bool, last_contact: Option<&str>, now: Timestamp) -> bool {
    !unpaired
        && last_contact
            .and_then(|t| t.parse::<Timestamp>().ok())
            .is_none_or(|t| now.as_second() - t.as_second() > OUT_OF_CONTACT_AFTER_S)
}

/// The stations paired with this hub, most recently seen first, each told
/// out of contact or not at `now`.
pub async fn peers(store: &Store, now: Timestamp) -> Result<Vec<PeerInfo>> {
    let mut peers = sqlx::query_as::<_, PeerInfo>(
        "SELECT p.station,
                COALESCE(p.name, p.role || ' ' || substr(p.station, 1, 8)) AS name,
                p.role, p.paired_at, p.last_contact, p.unpaired_at,
                (SELECT COUNT(*) FROM sync_entry e WHERE e.origin = p.station) AS entries,
                (SELECT COALESCE(SUM(MAX(h.seq - COALESCE(m.seq, 0), 0)), 0) FROM sync_mark h
                   LEFT JOIN sync_peer_mark m ON m.station = p.station AND m.origin = h.origin
                 ) AS backlog,
                (SELECT COUNT(*) FROM sync_held x WHERE x.origin = p.station) AS held,
                p.clock_offset_ms, p.clock_seen_at,
                (SELECT k.kiosk FROM station_kiosk k WHERE k.station = p.station) AS kiosk_asked,
                (SELECT json_extract(a.detail, '$.kiosk') FROM sync_audit a
                   WHERE a.origin = p.station AND a.action = 'kiosk.applied'
                   ORDER BY a.seq DESC LIMIT 1) AS kiosk_applied,
                (SELECT a.at FROM sync_audit a
                   WHERE a.origin = p.station AND a.action = 'kiosk.applied'
                   ORDER BY a.seq DESC LIMIT 1) AS kiosk_applied_at,
                p.site != 0 AS site,
                (SELECT COUNT(*) FROM sync_site_origin o WHERE o.site = p.station) AS relays,
                (SELECT COALESCE(SUM(MAX(m.seq - COALESCE(h.seq, 0), 0)), 0) FROM sync_peer_mark m
                   LEFT JOIN sync_mark h ON h.origin = m.origin
                   WHERE m.station = p.station) AS unsent
         FROM sync_peer p ORDER BY p.last_contact IS NULL, p.last_contact DESC, p.station",
    )
    .fetch_all(store.read())
    .await?;
    for p in &mut peers {
        p.out_of_contact = out_of_contact(p.unpaired_at.is_some(), p.last_contact.as_deref(), now);
        p.link_up = p.unpaired_at.is_none()
            && p.last_contact
                .as_deref()
                .and_then(|t| t.parse::<Timestamp>().ok())
                .is_some_and(|t| now.as_second() - t.as_second() <= SITE_LINK_UP_S);
    }
    Ok(peers)
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

/// What un-pairing a station leaves the organiser to do.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct Unpaired {
    pub station: String,
    pub role: Role,
    /// A desk or admin station held every private signing key: whoever has
    /// the laptop can sign badges until the keys are rotated and retired.
    pub held_signing_keys: bool,
    /// The signing keys it could have held (not retired yet), by key id.
    pub keys_to_rotate: Vec<String>,
    /// The badge versions issued there (`BMX-000042/2`), at most 1,000.
    pub badges_issued: Vec<String>,
}

/// Un-pairs a station (a lost laptop): its credential stops working at once.
/// What it sent before stays. Says which keys it held and which badges were
/// issued there, so the organiser can rotate the keys (`keys rotate`, then
/// retire the old ones) and reissue what they doubt.
pub async fn unpair(store: &Store, station: &str, actor: &str, now: Timestamp) -> Result<Unpaired> {
    let mut tx = store.write().await?;
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM sync_peer WHERE station = ? AND unpaired_at IS NULL")
            .bind(station)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(role) = role else {
        return Err(Msg::NoPairedStation {
            station: station.to_string(),
        }
        .into());
    };
    let role = super::keys::parse_role(&role)?;
    sqlx::query("UPDATE sync_peer SET unpaired_at = ? WHERE station = ?")
        .bind(now.to_string())
        .bind(station)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE sync_alert SET resolved_at = ?, resolved_by = ?, resolution = 'unpaired'
         WHERE station = ? AND resolved_at IS NULL",
    )
    .bind(now.to_string())
    .bind(actor)
    .bind(station)
    .execute(&mut *tx)
    .await?;
    let held_signing_keys = super::keys::issues_badges(role);
    let keys_to_rotate: Vec<String> = if held_signing_keys {
        sqlx::query_scalar(
            "SELECT lower(hex(kid)) FROM signing_key WHERE retired_at IS NULL ORDER BY created_at",
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        Vec::new()
    };
    let badges_issued: Vec<String> = sqlx::query_scalar(
        "SELECT key FROM sync_entry WHERE origin = ? AND kind = 'badge_issue' ORDER BY seq LIMIT 1000",
    )
    .bind(station)
    .fetch_all(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.unpair",
        &serde_json::json!({ "station": station, "badges_issued": badges_issued.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Unpaired {
        station: station.to_string(),
        role,
        held_signing_keys,
        keys_to_rotate,
        badges_issued,
    })
}

/// Every station whose entries the hub relays, with the role it gave it at
/// pairing (un-paired stations keep theirs for what they sent before); the
/// hub itself is an admin station.
pub async fn roster(store: &Store, hub_station: &str) -> Result<Roster> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT station, role FROM sync_peer")
        .fetch_all(store.read())
        .await?;
    let mut roster = Roster::new();
    for (station, role) in rows {
        roster.insert(station, super::keys::parse_role(&role)?);
    }
    roster.insert(hub_station.to_string(), Role::Admin);
    Ok(roster)
}

/// The roster a hub serves with: the stations other hubs sharing its store
/// paired, then its own (which decide for the stations it paired).
async fn hub_roster<R: HubStore>(store: &Store, replica: &mut R) -> Result<Roster> {
    let mut all = replica.shared_roster().await?;
    // On a site hub: the roles the central hub gave what it sent down. On
    // the central hub: the stations each site relays.
    all.extend(roles_in(store, "SELECT origin, role FROM sync_upstream_role").await?);
    all.extend(roles_in(store, "SELECT origin, role FROM sync_site_origin").await?);
    all.extend(roster(store, replica.station()).await?);
    Ok(all)
}

async fn roles_in(store: &Store, query: &str) -> Result<Roster> {
    let rows: Vec<(String, String)> = sqlx::query_as(query).fetch_all(store.read()).await?;
    let mut roster = Roster::new();
    for (origin, role) in rows {
        roster.insert(origin, super::keys::parse_role(&role)?);
    }
    Ok(roster)
}

/// Whether `station` is a site hub paired here (`pair --role site`).
pub async fn is_site(store: &Store, station: &str) -> Result<bool> {
    let site: Option<i64> = sqlx::query_scalar("SELECT site FROM sync_peer WHERE station = ?")
        .bind(station)
        .fetch_optional(store.read())
        .await?;
    Ok(site.unwrap_or(0) != 0)
}

/// The stations the site hub `site` may relay here, from those it declares
/// (`docs/SCALE.md`, "Sites"): within a site's ceiling, and none that the
/// central hub paired itself or that another site declared first. A
/// station is bound to the first site that declares it, for good.
pub async fn site_relays(
    store: &Store,
    site: &str,
    declared: &Roster,
    all: &Roster,
    now: Timestamp,
) -> Result<Roster> {
    let mine = roles_in_site(store, site).await?;
    let taken: Roster = all
        .iter()
        .filter(|(o, _)| !mine.contains_key(*o))
        .map(|(o, r)| (o.clone(), *r))
        .collect();
    let fresh: Roster = super::policy::site_relays(declared, &taken)
        .into_iter()
        .filter(|(o, _)| !mine.contains_key(o))
        .collect();
    if !fresh.is_empty() {
        let mut tx = store.write().await?;
        for (origin, role) in &fresh {
            sqlx::query(
                "INSERT INTO sync_site_origin (origin, site, role, first_seen) VALUES (?, ?, ?, ?)
                 ON CONFLICT (origin) DO NOTHING",
            )
            .bind(origin)
            .bind(site)
            .bind(role.as_str())
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    roles_in_site(store, site).await
}

async fn roles_in_site(store: &Store, site: &str) -> Result<Roster> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT origin, role FROM sync_site_origin WHERE site = ?")
            .bind(site)
            .fetch_all(store.read())
            .await?;
    let mut roster = Roster::new();
    for (origin, role) in rows {
        roster.insert(origin, super::keys::parse_role(&role)?);
    }
    Ok(roster)
}

/// On a site hub: keeps the roles the central hub gave the origins it sent
/// down, so the site's own stations accept those entries from it (its own
/// pairings always decide for the stations it paired).
pub async fn keep_upstream_roles(store: &Store, roles: &Roster) -> Result<()> {
    if roles.is_empty() {
        return Ok(());
    }
    let mut tx = store.write().await?;
    for (origin, role) in roles {
        if !matches!(role, Role::Admin | Role::Desk | Role::Gate) {
            continue;
        }
        sqlx::query(
            "INSERT INTO sync_upstream_role (origin, role) VALUES (?, ?)
             ON CONFLICT (origin) DO UPDATE SET role = excluded.role",
        )
        .bind(origin)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A station that said more than its role allows, as the console shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS, sqlx::FromRow)]
pub struct SecurityAlert {
    #[ts(type = "number")]
    pub id: i64,
    pub station: String,
    /// The name given at pairing, if any.
    pub name: Option<String>,
    pub role: Option<String>,
    pub at: String,
    /// The record kinds it tried to send (comma-separated).
    pub kinds: String,
    pub why: String,
    /// Its entries held aside now.
    #[ts(type = "number")]
    pub held: i64,
}

/// Records an alert (and audits it) for a station that overstepped.
pub async fn alert(
    store: &Store,
    station: &str,
    kinds: &[&str],
    why: &str,
    now: Timestamp,
) -> Result<()> {
    tracing::warn!("sync: station {station} quarantined: {why}");
    let mut tx = store.write().await?;
    sqlx::query("INSERT INTO sync_alert (station, at, kinds, why) VALUES (?, ?, ?, ?)")
        .bind(station)
        .bind(now.to_string())
        .bind(kinds.join(","))
        .bind(why)
        .execute(&mut *tx)
        .await?;
    crate::audit::append(
        &mut tx,
        now,
        "sync",
        "sync.quarantine",
        &serde_json::json!({ "station": station, "kinds": kinds, "why": why }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The alerts no admin has resolved yet, newest first.
pub async fn open_alerts(store: &Store) -> Result<Vec<SecurityAlert>> {
    Ok(sqlx::query_as::<_, SecurityAlert>(
        "SELECT a.id, a.station, p.name, p.role, a.at, a.kinds, a.why,
                (SELECT COUNT(*) FROM sync_held h WHERE h.origin = a.station) AS held
         FROM sync_alert a LEFT JOIN sync_peer p ON p.station = a.station
         WHERE a.resolved_at IS NULL ORDER BY a.at DESC, a.id DESC LIMIT 200",
    )
    .fetch_all(store.read())
    .await?)
}

/// An admin's decision on a quarantined station: its held entries are
/// released (what its role allows applied) or discarded, its alerts
/// resolved; audited.
pub async fn resolve(
    store: &Store,
    station: &str,
    resolution: Resolution,
    actor: &str,
    now: Timestamp,
) -> Result<Resolved> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM sync_peer WHERE station = ?")
        .bind(station)
        .fetch_optional(store.read())
        .await?;
    let role = super::keys::parse_role(&role.ok_or_else(|| {
        Error::from(Msg::NoPairedStation {
            station: station.to_string(),
        })
    })?)?;
    let mut tx = store.write().await?;
    let done = super::store::resolve(&mut tx, station, role, resolution, now).await?;
    let word = match resolution {
        Resolution::Release => "released",
        Resolution::Discard => "discarded",
    };
    sqlx::query(
        "UPDATE sync_alert SET resolved_at = ?, resolved_by = ?, resolution = ?
         WHERE station = ? AND resolved_at IS NULL",
    )
    .bind(now.to_string())
    .bind(actor)
    .bind(word)
    .bind(station)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "sync.quarantine_resolved",
        &serde_json::json!({
            "station": station, "resolution": word,
            "applied": done.applied, "withheld": done.withheld,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// The paired station a credential belongs to, and its role.
pub async fn authenticate(
    store: &Store,
    token: Option<&str>,
    now: Timestamp,
) -> Result<(String, Role)> {
    let token = token.ok_or_else(|| Error::from(Msg::NoCredential {}))?;
    let station: Option<(String, String)> = sqlx::query_as(
        "SELECT station, role FROM sync_peer WHERE token_hash = ? AND unpaired_at IS NULL",
    )
    .bind(digest(token))
    .fetch_optional(store.read())
    .await?;
    let (station, role) = station.ok_or_else(|| Error::from(Msg::CredentialRevoked {}))?;
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
    /// The hub's own database (credentials, pairing, alerts, its event).
    pub store: Store,
    /// What it serves rounds from (SQLite or PostgreSQL).
    pub replica: Mutex<R>,
    /// Bumped whenever the hub holds something new.
    changed: watch::Sender<u64>,
    /// Per station, the marks last recorded (a watching station's rounds
    /// mostly repeat them: nothing to write).
    marks: Mutex<std::collections::HashMap<String, protocol::VersionVector>>,
    /// Per station, its clock's offset last recorded (ms, positive: behind).
    offsets: Mutex<std::collections::HashMap<String, i64>>,
    /// The SHA-256 fingerprint of the hub's TLS certificate: what it proves
    /// pairing codes over.
    fingerprint: String,
    /// Pairing challenges made and not answered yet: the hub's nonce → the
    /// station's, and when. Each is answered once, within [`CHALLENGE_FOR`].
    challenges: std::sync::Mutex<std::collections::HashMap<String, (String, std::time::Instant)>>,
}

/// How long a pairing challenge may wait for the station's proof.
const CHALLENGE_FOR: Duration = Duration::from_secs(60);
/// Challenges kept at once: past it, the oldest go.
const CHALLENGES_AT_MOST: usize = 1024;

impl<R: HubStore> Hub<R> {
    /// A hub serving `replica`, behind the TLS certificate `fingerprint`.
    pub fn new(store: Store, replica: R, fingerprint: &str) -> Arc<Hub<R>> {
        Arc::new(Hub {
            store,
            replica: Mutex::new(replica),
            changed: watch::channel(0).0,
            marks: Mutex::default(),
            offsets: Mutex::default(),
            fingerprint: fingerprint.to_string(),
            challenges: std::sync::Mutex::default(),
        })
    }

    fn challenges(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (String, std::time::Instant)>>
    {
        self.challenges
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Pairing, step 2: a fresh challenge for the station's nonce, and this
    /// hub's proof of each open code over its certificate's fingerprint.
    pub async fn hello(&self, hello: &super::pairing::Hello) -> Result<super::pairing::Challenge> {
        use super::pairing::{check_nonce, nonce, proof, Side};
        check_nonce(&hello.nonce)?;
        let hub_nonce = nonce();
        {
            let mut pending = self.challenges();
            pending.retain(|_, (_, at)| at.elapsed() < CHALLENGE_FOR);
            while pending.len() >= CHALLENGES_AT_MOST {
                let oldest = pending
                    .iter()
                    .min_by_key(|(_, (_, at))| *at)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => pending.remove(&k),
                    None => break,
                };
            }
            pending.insert(
                hub_nonce.clone(),
                (hello.nonce.clone(), std::time::Instant::now()),
            );
        }
        let proofs = open_keys(&self.store, Timestamp::now())
            .await?
            .iter()
            .map(|key| proof(key, Side::Hub, &self.fingerprint, &hello.nonce, &hub_nonce))
            .collect::<Result<Vec<_>>>()?;
        Ok(super::pairing::Challenge {
            hub_nonce,
            fingerprint: self.fingerprint.clone(),
            proofs,
        })
    }

    /// Pairing, step 4: the station's proof of a code over this hub's
    /// certificate, for a challenge made here and not answered before;
    /// spends the code it proves.
    pub async fn join(&self, req: &JoinRequest, now: Timestamp) -> Result<Redeemed> {
        use super::pairing::{proof, same, Side};
        let challenge = self.challenges().remove(&req.hub_nonce);
        let Some((station_nonce, at)) = challenge else {
            return Err(Msg::ChallengeUnknown {}.into());
        };
        if at.elapsed() >= CHALLENGE_FOR || !same(&req.nonce, &station_nonce) {
            return Err(Msg::ChallengeUnknown {}.into());
        }
        for key in open_keys(&self.store, now).await? {
            let expected = proof(
                &key,
                Side::Station,
                &self.fingerprint,
                &req.nonce,
                &req.hub_nonce,
            )?;
            if same(&req.proof, &expected) {
                let mut done = redeem(&self.store, &key, now).await?;
                // Several hubs of one event: the block comes from the
                // count they share, not from this hub's alone.
                if let Some(start) = done.serial_block {
                    let local = (start - DESK_BLOCKS_FROM - 1) / DESK_BLOCK + 1;
                    let k = self.replica.lock().await.desk_block(local).await?;
                    done.serial_block = serial_block(k);
                }
                return Ok(done);
            }
        }
        // Said alike whatever the reason (never which codes exist).
        Err(Msg::CodeUnknown {}.into())
    }

    /// Records the marks a station's round carried (what it holds), unless
    /// they repeat its last ones: a watching station's rounds mostly do.
    pub async fn note_marks(&self, station: &str, have: &protocol::VersionVector) -> Result<()> {
        let mut marks = self.marks.lock().await;
        if marks.get(station) != Some(have) {
            record_marks(&self.store, station, have).await?;
            marks.insert(station.to_string(), have.clone());
        }
        Ok(())
    }

    /// Notes how far `station`'s clock is from ours (`offset_ms`, positive:
    /// behind), from the wall clock its request carried: written when it
    /// moved by more than a second, logged when it goes past
    /// [`super::time::SKEW_WARN_MS`] or back.
    pub async fn note_clock(&self, station: &str, offset_ms: i64, now: Timestamp) -> Result<()> {
        use super::time::{span_words, SKEW_WARN_MS};
        let mut offsets = self.offsets.lock().await;
        let last = offsets.get(station).copied();
        if last.is_some_and(|l| (l - offset_ms).abs() <= 1_000) {
            return Ok(());
        }
        let was = last.is_some_and(|l| l.abs() > SKEW_WARN_MS);
        let skewed = offset_ms.abs() > SKEW_WARN_MS;
        let span = span_words(offset_ms, crate::lang::Lang::En);
        let side = if offset_ms > 0 { "behind" } else { "ahead of" };
        if skewed && (!was || last.is_some_and(|l| (l - offset_ms).abs() > 60_000)) {
            tracing::warn!(
                "hub: station {station}'s clock is {span} {side} the hub's: it decides on the hub's time and asks for its clock to be set"
            );
        } else if was && !skewed {
            tracing::warn!("hub: station {station}'s clock is right again ({offset_ms} ms)");
        }
        let mut tx = self.store.write().await?;
        sqlx::query(
            "UPDATE sync_peer SET clock_offset_ms = ?, clock_seen_at = ? WHERE station = ?",
        )
        .bind(offset_ms)
        .bind(now.to_string())
        .bind(station)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        offsets.insert(station.to_string(), offset_ms);
        Ok(())
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
        // A site hub's relay loop (if any) sends it up at once.
        super::link::nudge(&self.store);
    }

    /// Wakes the stations' long polls: something arrived by another way
    /// than a round here (a site hub's relay loop, from the central hub).
    pub fn wake(&self) {
        self.bump();
    }

    /// Logs local facts; wakes the long polls if there were any.
    pub async fn capture(&self, now: Timestamp) -> Result<usize> {
        let n = self.replica.lock().await.capture(now).await?;
        if n > 0 {
            self.bump();
        }
        Ok(n)
    }

    /// One round from `station` (authenticated), waiting up to `wait_ms`
    /// for news when the station sent nothing and the hub has nothing for
    /// it. A station that oversteps its role is quarantined and alerted on.
    pub async fn round(&self, station: &str, req: &Request, wait_ms: u64) -> Result<Response> {
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
        let now = Timestamp::now();
        let site = is_site(&self.store, station).await?;
        let mut replica = self.replica.lock().await;
        let mut roster = hub_roster(&self.store, &mut *replica).await?;
        let served = if site {
            let relays = site_relays(&self.store, station, &req.declared, &roster, now).await?;
            roster.extend(relays.clone());
            protocol::serve_site(&mut *replica, &roster, station, &relays, req, ms(now)).await
        } else {
            protocol::serve(&mut *replica, &roster, station, req, ms(now)).await
        };
        drop(replica);
        let served = match served {
            Ok(served) => served,
            Err(e) if e.code() == crate::error::ErrorCode::Forbidden => {
                let mut kinds: Vec<&str> =
                    req.entries.iter().map(|e| e.record.kind_key().0).collect();
                kinds.sort_unstable();
                kinds.dedup();
                alert(&self.store, station, &kinds, &e.to_string(), now).await?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        if let Some(v) = &served.violation {
            if v.new || !v.kinds.is_empty() {
                alert(&self.store, station, &v.kinds, &v.why, now).await?;
            }
        }
        if !req.entries.is_empty() {
            self.bump();
        }
        Ok(served.response)
    }
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
