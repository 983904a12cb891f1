//! A station's side of sync over HTTP: `gatehouse join` (pairing) and
//! `gatehouse sync [--watch]`, a thin shell around [`protocol::Session`].
//! The station keeps working without the hub; sync only moves entries.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use super::hub::{JoinRequest, JoinResponse};
// Beside the pairing row (a leaf): the hub wakes a site's loop too.
use super::link::nudges;
pub use super::link::{is_site, nudge};
use super::protocol::{Outcome, Replica, Request, Response, Session};
use super::store::SqliteReplica;
use super::time::{self, HubReading, Reading};
use crate::error::{Error, Result};
use crate::messages::{HubKey, Msg, Unreachable, WireCode};
use crate::staff::Role;
use crate::store::Store;
// The station's pairing row, at its old path.
pub use super::link::{link_status, paired_role, LinkStatus};

/// What a watching station asks the hub to wait for news. The station's own
/// scans go out when a wait ends, so this bounds how late other gates learn
/// of them (presence across gates within a second); the hub's news ends the
/// wait at once.
pub const WATCH_WAIT_MS: u64 = 500;

/// An HTTP client that trusts only the hub certificate `fingerprint`.
fn client(fingerprint: Option<&str>) -> Result<reqwest::Client> {
    match fingerprint {
        Some(f) => client_with(Some(super::tls::pinned_client(f)?)),
        None => client_with(None),
    }
}

fn client_with(tls: Option<rustls::ClientConfig>) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder();
    let builder = match tls {
        Some(config) => builder.tls_backend_preconfigured(config),
        None => builder,
    };
    builder
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(40))
        .build()
        .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))
}

/// The hub did not answer: why, in words (the library's own words, such
/// as "error sending request", go to the log).
fn unreachable(url: &str, e: reqwest::Error) -> Error {
    tracing::info!("hub {url} unreachable: {e:?}");
    Msg::HubUnreachable {
        url: url.to_string(),
        why: why_unreachable(&e),
    }
    .into()
}

/// Why a request found no hub: the causes under the library's "error
/// sending request" (a TLS failure means something answered that is not
/// the hub, such as a `serve` page over plain HTTP).
fn why_unreachable(e: &reqwest::Error) -> Unreachable {
    use std::io::ErrorKind as K;
    if e.is_timeout() {
        return Unreachable::Timeout;
    }
    let mut next: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(cause) = next {
        if cause.is::<rustls::Error>() {
            return Unreachable::NotTheHub;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                K::ConnectionRefused
                | K::AddrNotAvailable
                | K::HostUnreachable
                | K::NetworkUnreachable => return Unreachable::Refused,
                K::TimedOut => return Unreachable::Timeout,
                _ => {}
            }
            // An I/O error's own source() skips the error it wraps.
            if let Some(inner) = io.get_ref() {
                next = Some(inner);
                continue;
            }
        }
        next = cause.source();
    }
    if e.is_connect() {
        Unreachable::Refused
    } else {
        Unreachable::Other
    }
}

/// The hub's wall clock in one of its answers, read at once with ours.
fn hub_time(resp: &reqwest::Response) -> Option<HubReading> {
    let hub_ms = resp
        .headers()
        .get(time::HEADER)?
        .to_str()
        .ok()?
        .parse::<i64>()
        .ok()?;
    Some(HubReading {
        hub_ms,
        at: Reading::now(),
    })
}

/// Keeps a reading of the hub's clock if it says something new; returns
/// the one now kept.
async fn keep_time(
    store: &Store,
    kept: Option<HubReading>,
    new: Option<HubReading>,
) -> Result<Option<HubReading>> {
    match new {
        Some(new) if time::worth_keeping(kept.as_ref(), &new) => {
            let mut tx = store.write().await?;
            time::save(&mut tx, &new).await?;
            tx.commit().await?;
            let was = kept.as_ref().map(|k| time::agreed(Some(k), &new.at));
            let now = time::agreed(Some(&new), &new.at);
            if now.skewed() && was.is_none_or(|w| !w.skewed()) {
                if let Some(words) = time::skew_words(&now, crate::lang::Lang::En) {
                    tracing::warn!("sync: {words}; deciding on the hub's time meanwhile");
                }
            }
            Ok(Some(new))
        }
        _ => Ok(kept),
    }
}

/// An error as the hub sends it (`crate::error::ApiError` on the wire).
#[derive(Debug, serde::Deserialize)]
struct WireError {
    code: String,
    message: String,
    /// Both languages, from a hub that says them.
    #[serde(default)]
    text: Option<crate::error::Texts>,
    /// The hub's catalogue key.
    #[serde(default)]
    key: Option<String>,
}

/// A wire code as this build knows it.
fn wire_code(code: &str) -> Option<crate::error::ErrorCode> {
    use crate::error::ErrorCode as C;
    Some(match code {
        "bad_input" => C::BadInput,
        "not_found" => C::NotFound,
        "no_event" => C::NoEvent,
        "conflict" => C::Conflict,
        "forbidden" => C::Forbidden,
        "unauthenticated" => C::Unauthenticated,
        "too_many_attempts" => C::TooManyAttempts,
        "disk_full" => C::DiskFull,
        "database_damaged" => C::DatabaseDamaged,
        _ => return None,
    })
}

/// Turns the hub's `{code, message}` back into our error.
async fn refusal(resp: reqwest::Response) -> Error {
    let status = resp.status();
    match resp.json::<WireError>().await {
        // Said as the hub said it, in both languages, under its code.
        Ok(WireError {
            code,
            text: Some(text),
            key,
            ..
        }) if wire_code(&code).is_some_and(|c| c != crate::error::ErrorCode::Internal) => {
            Msg::FromHub {
                wire: WireCode(wire_code(&code)),
                key: HubKey::known(key.as_deref()),
                en: text.en,
                fr: text.fr,
            }
            .into()
        }
        Ok(e) => match e.code.as_str() {
            "bad_input" => Error::BadInput(e.message),
            "not_found" | "no_event" => Error::NotFound(e.message),
            "conflict" => Error::Conflict(e.message),
            "forbidden" => Error::Forbidden(e.message),
            "unauthenticated" => Error::Unauthenticated(e.message),
            _ => Error::Internal(format!("hub: {}", e.message)),
        },
        Err(_) => Error::Internal(format!("hub answered HTTP {status}")),
    }
}

/// Pairs this station with the hub at `url` using a one-time `code`, and
/// keeps the credential it receives and the role the code grants.
/// A station joins with a fresh database, or one that was paired before (a
/// new code after an un-pairing). A database with an event of its own (the
/// demo, a rehearsal) would spread it to the venue: its people by union, its
/// event configuration over the hub's if edited later. Checked before the
/// code is spent.
async fn refuse_own_event(store: &Store) -> Result<()> {
    if link_status(store).await?.is_some() {
        return Ok(());
    }
    let event = match crate::event_store::load(store.read()).await {
        Ok(event) => event,
        Err(Error::NoEvent) => return Ok(()),
        Err(e) => return Err(e),
    };
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendee")
        .fetch_one(store.read())
        .await?;
    Err(Msg::OwnEvent {
        db: store.path().display().to_string(),
        event: event.code.to_string(),
        people,
    }
    .into())
}

/// What `join --recover` did: the station joined, and what the hub took of
/// the damaged station's records.
#[derive(Debug, Clone, Serialize)]
pub struct Joined {
    #[serde(flatten)]
    pub joined: JoinResponse,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered: Option<super::recover::Recovered>,
}

/// [`join`], then, with `recover` (the damaged station's database, which
/// the code re-pairs: `gatehouse pair --replaces`), hands the hub what is
/// still readable of its records that never reached it. The old database
/// is read before the code is spent, and only read (a copy of it).
pub async fn join_recovering(
    store: &Store,
    url: &str,
    code: &str,
    recover: Option<&std::path::Path>,
    now: Timestamp,
) -> Result<Joined> {
    let salvage = match recover {
        Some(old) => {
            if old == store.path() {
                return Err(Msg::RecoverSameDb {
                    db: old.display().to_string(),
                }
                .into());
            }
            Some(super::recover::salvage(old).await?)
        }
        None => None,
    };
    let joined = join(store, url, code, now).await?;
    let Some(salvage) = salvage else {
        return Ok(Joined {
            joined,
            recovered: None,
        });
    };
    let link = link(store).await?;
    let req = super::recover::RecoverRequest {
        station: salvage.station.clone(),
        entries: salvage.entries,
        scans: salvage.loose_scans,
        records: salvage.loose,
    };
    let resp = client(link.fingerprint.as_deref())?
        .post(format!("{}/sync/v1/recover", link.url))
        .bearer_auth(&link.token)
        .json(&req)
        .send()
        .await
        .map_err(|e| unreachable(&link.url, e))?;
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    let recovered: super::recover::Recovered = resp
        .json()
        .await
        .map_err(|e| Error::Internal(format!("hub's answer to recover: {e}")))?;
    let mut tx = store.write().await?;
    crate::audit::append(
        &mut tx,
        now,
        "cli",
        "sync.recover",
        &serde_json::json!({
            "replaces": recovered.station, "scans": recovered.scans,
            "other": recovered.other, "skipped": recovered.skipped,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Joined {
        joined,
        recovered: Some(recovered),
    })
}

/// Pairs this station with the hub at `url` using a one-time `code`: the
/// short code alone (`5S65-W8TP-YWHJ`) or its long form (`…​.FINGERPRINT`,
/// which pins the certificate from the first connection). The hub must
/// prove the code over the certificate this station is shown, then the
/// station proves it too ([`super::pairing`]); the station keeps that
/// certificate's fingerprint as its pin, and the credential, role, station
/// id and name the hub gives.
pub async fn join(store: &Store, url: &str, code: &str, now: Timestamp) -> Result<JoinResponse> {
    use super::pairing::{self, Challenge, Hello, Side, Verdict};
    let url = url.trim_end_matches('/');
    if url.starts_with("http://") {
        return Err(Msg::HubNeedsHttps {
            url: url.to_string(),
        }
        .into());
    }
    if !url.starts_with("https://") {
        return Err(Msg::HubUrl {
            url: url.to_string(),
        }
        .into());
    }
    let pinned = pairing::pinned_fingerprint(code)?;
    if pairing::normalise(code).len() != 12 {
        return Err(Msg::CodeFormat {
            code: code.to_string(),
        }
        .into());
    }
    refuse_own_event(store).await?;
    let key = pairing::code_key(code)?;
    // First connection: whatever certificate answers is noted (or, with the
    // long form, only the one it names is accepted).
    let seen = super::tls::Seen::default();
    let first = match &pinned {
        Some(f) => client(Some(f))?,
        None => client_with(Some(super::tls::seeing_client(seen.clone())?))?,
    };
    let nonce = pairing::nonce();
    let resp = first
        .post(format!("{url}/sync/v1/join/hello"))
        .json(&Hello {
            nonce: nonce.clone(),
        })
        .send()
        .await
        .map_err(|e| unreachable(url, e))?;
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    let challenge: Challenge = resp
        .json()
        .await
        .map_err(|e| Error::Internal(format!("hub's answer to join: {e}")))?;
    let shown = match pinned.clone().or_else(|| seen.only()) {
        Some(f) => f,
        None => return Err(Msg::HubUnproven {}.into()),
    };
    match pairing::judge(&key, &nonce, &shown, &challenge)? {
        Verdict::Proven => {}
        Verdict::UnknownCode => return Err(Msg::CodeUnknown {}.into()),
        Verdict::OtherCertificate => return Err(Msg::HubUnproven {}.into()),
    }
    // Second connection: pinned to the certificate the hub proved the code over.
    let proof = pairing::proof(&key, Side::Station, &shown, &nonce, &challenge.hub_nonce)?;
    let resp = client(Some(&shown))?
        .post(format!("{url}/sync/v1/join"))
        .json(&JoinRequest {
            nonce,
            hub_nonce: challenge.hub_nonce,
            proof,
        })
        .send()
        .await
        .map_err(|e| unreachable(url, e))?;
    let fingerprint = Some(shown);
    let reading = hub_time(&resp);
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    let joined: JoinResponse = resp
        .json()
        .await
        .map_err(|e| Error::Internal(format!("hub's answer to join: {e}")))?;
    let mut tx = store.write().await?;
    // From now on this station decides on the hub's time, even if its own
    // clock is a day off.
    if let Some(r) = &reading {
        time::save(&mut tx, r).await?;
    }
    adopt_station_id(&mut tx, &joined.station).await?;
    // The event's hubs, if several serve it: the key they sign the list
    // with comes from the hub this station just proved, over the pinned
    // connection; from now on only lists signed by it are used.
    let hubs =
        joined
            .hubs
            .as_ref()
            .and_then(|signed| match super::hubs::verify(&signed.key, signed) {
                Ok(_) => Some(signed),
                Err(e) => {
                    tracing::warn!("join: the hub's list of hubs is not used: {e}");
                    None
                }
            });
    sqlx::query(
        "INSERT INTO sync_link (id, url, token, fingerprint, paired_at, role, name,
                               hubs_key, hubs_list, hubs_sig, on_url, site)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, token = excluded.token,
             fingerprint = excluded.fingerprint, paired_at = excluded.paired_at,
             role = excluded.role, name = excluded.name,
             hubs_key = excluded.hubs_key, hubs_list = excluded.hubs_list,
             hubs_sig = excluded.hubs_sig, on_url = excluded.on_url, site = excluded.site,
             last_sync = NULL, last_attempt = NULL, last_error = NULL",
    )
    .bind(url)
    .bind(&joined.token)
    .bind(&fingerprint)
    .bind(now.to_string())
    .bind(joined.role.as_str())
    .bind(&joined.name)
    .bind(hubs.map(|h| h.key.clone()))
    .bind(hubs.map(|h| h.list.clone()))
    .bind(hubs.map(|h| h.signature.clone()))
    .bind(url)
    .bind(joined.site)
    .execute(&mut *tx)
    .await?;
    if let Some(start) = joined.serial_block {
        // Walk-ins registered here take numbers no other desk hands out.
        sqlx::query("UPDATE serial_counter SET last = MAX(last, ?) WHERE id = 1")
            .bind(i64::from(start) - 1)
            .execute(&mut *tx)
            .await?;
    }
    crate::audit::append(
        &mut tx,
        now,
        "cli",
        "sync.join",
        &serde_json::json!({
            "hub": joined.hub, "url": url, "role": joined.role, "serial_block": joined.serial_block,
            "station": joined.station, "name": joined.name, "site": joined.site,
        }),
    )
    .await?;
    tx.commit().await?;
    mark_paired(store, url, &joined.station, joined.role.as_str())?;
    Ok(joined)
}

/// Notes in the key folder that this database is a paired station's, so a
/// lost or emptied database is never made anew in its place
/// ([`crate::db_files::PAIRED_MARKER`]).
fn mark_paired(store: &Store, url: &str, station: &str, role: &str) -> Result<()> {
    crate::db_files::mark_paired(
        store.path(),
        &serde_json::json!({ "url": url, "station": station, "role": role }),
    )
}

/// Takes the station id the hub gave: from now on this station's entries
/// go out under it (numbered from 1), and what it logged under an earlier
/// id stays in its log as that station's.
async fn adopt_station_id(conn: &mut sqlx::SqliteConnection, station: &str) -> Result<()> {
    if uuid::Uuid::parse_str(station).is_err() {
        return Err(Error::Internal(format!(
            "hub's answer to join: station id {station:?} is not one"
        )));
    }
    crate::scan_log::station_id(&mut *conn).await?;
    sqlx::query("UPDATE station SET uuid = ?, last_seq = 0 WHERE id = 1")
        .bind(station)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE sync_state SET own_seq = 0 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The hub this station is paired with.
struct Link {
    url: String,
    token: String,
    fingerprint: Option<String>,
    role: Role,
    /// The key the event's hubs sign their list with, given at pairing.
    hubs_key: Option<String>,
    /// The event's hubs, from the kept list if its signature holds.
    hubs: Option<super::hubs::HubList>,
    /// Paired as a site hub: relays its own stations' entries.
    site: bool,
}

async fn link(store: &Store) -> Result<Link> {
    let row = sqlx::query(
        "SELECT url, token, fingerprint, role, hubs_key, hubs_list, hubs_sig, site FROM sync_link WHERE id = 1",
    )
    .fetch_optional(store.read())
    .await?
    .ok_or_else(|| Error::from(Msg::NotPaired {}))?;
    let hubs_key: Option<String> = row.get(4);
    let list: Option<String> = row.get(5);
    let signature: Option<String> = row.get(6);
    Ok(Link {
        url: row.get(0),
        token: row.get(1),
        fingerprint: row.get(2),
        role: super::keys::parse_role(row.get(3))?,
        hubs: kept_hubs(hubs_key.as_deref(), list, signature),
        hubs_key,
        site: row.get::<i64, _>(7) != 0,
    })
}

/// The kept list of the event's hubs, if it is signed by the key given at
/// pairing: an address written into this database by other means than a
/// hub's answer is not used (nor, then, the rest of the list, until a hub
/// sends it again).
fn kept_hubs(
    key: Option<&str>,
    list: Option<String>,
    signature: Option<String>,
) -> Option<super::hubs::HubList> {
    let (key, list, signature) = (key?, list?, signature?);
    let signed = super::hubs::SignedHubs {
        list,
        signature,
        key: key.to_string(),
    };
    match super::hubs::verify(key, &signed) {
        Ok(list) => Some(list),
        Err(e) => {
            tracing::warn!("sync: the kept list of hubs is not used: {e}");
            None
        }
    }
}

/// The hub this station is paired with and when it last synced.
pub async fn status(store: &Store) -> Result<LinkStatus> {
    let mut status = link_status(store)
        .await?
        .ok_or_else(|| Error::from(Msg::NotPaired {}))?;
    status.hubs = link(store)
        .await?
        .targets()
        .into_iter()
        .map(|t| t.url)
        .collect();
    Ok(status)
}

impl Link {
    /// Where this station may sync, in its order of preference.
    fn targets(&self) -> Vec<super::hubs::Target> {
        // A site relays only to the central hub that paired it: that hub
        // bound the site's stations to it (`hub::site_relays`).
        let hubs = if self.site { None } else { self.hubs.as_ref() };
        super::hubs::preference(
            &super::hubs::Target {
                url: self.url.clone(),
                fingerprint: self.fingerprint.clone(),
            },
            hubs,
        )
    }
}

/// After this many seconds without a completed sync, a paired station's
/// screens say how old its revocations are (`sync_link.warn_after_s`).
pub async fn warn_after_s(store: &Store) -> Result<u32> {
    let s: Option<i64> = sqlx::query_scalar("SELECT warn_after_s FROM sync_link WHERE id = 1")
        .fetch_optional(store.read())
        .await?;
    Ok(s.and_then(|s| u32::try_from(s).ok()).unwrap_or(300))
}

/// Sets [`warn_after_s`] on a paired station.
pub async fn set_warn_after(store: &Store, after: jiff::SignedDuration) -> Result<()> {
    let secs = after.as_secs();
    if !(30..=86_400).contains(&secs) {
        return Err(Msg::WarnAfterRange {
            after: format!("{after:#}"),
        }
        .into());
    }
    status(store).await?;
    let mut tx = store.write().await?;
    sqlx::query("UPDATE sync_link SET warn_after_s = ? WHERE id = 1")
        .bind(secs)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Notes how a round went, for the station's sync status: a success
/// clears the last error. `now` is the agreed time.
async fn record_attempt(
    store: &Store,
    error: Option<&Error>,
    now: Timestamp,
    on: &str,
) -> Result<()> {
    let now = now.to_string();
    let mut tx = store.write().await?;
    match error {
        None => sqlx::query(
            "UPDATE sync_link SET last_sync = ?1, last_attempt = ?1, last_error = NULL, on_url = ?2
             WHERE id = 1",
        )
        .bind(&now)
        .bind(on),
        Some(e) => {
            sqlx::query("UPDATE sync_link SET last_attempt = ?1, last_error = ?2 WHERE id = 1")
                .bind(&now)
                .bind(e.to_string())
        }
    }
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What one sync (or one watch cycle) did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub rounds: u32,
    pub sent: usize,
    pub received: usize,
    /// Request and response bodies, in bytes.
    pub bytes: usize,
    /// Private signing keys received (issuing stations only).
    pub keys: usize,
    /// The hub the last round went to (another hub of the event than the
    /// one paired with, after that one stopped answering).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
}

/// A station syncing with its hub, one round at a time.
pub struct Syncer {
    replica: SqliteReplica,
    session: Session,
    link: Link,
    http: reqwest::Client,
    /// The public kids held at the last key exchange, and when it was.
    keys_at: Option<(Vec<String>, std::time::Instant)>,
    /// The outcome last written to `sync_link` (its error, if any) and when.
    noted: Option<(Option<String>, std::time::Instant)>,
    /// The last reading of the hub's clock kept (`sync_time`).
    time: Option<HubReading>,
    /// Whether an answer of the hub gave its clock during this run.
    heard: bool,
    /// The hub's mark for this station's own entries, as last kept.
    acked: u64,
    /// The hubs this station may sync with, in its order of preference,
    /// and the one it syncs with now, since when.
    targets: Vec<super::hubs::Target>,
    at: usize,
    since: std::time::Instant,
    /// When the list of the event's hubs was last asked for.
    hubs_at: Option<std::time::Instant>,
    /// A site hub's relay loop: what wakes its own stations' long polls
    /// when the central hub sent something (`None`: an ordinary station).
    relay: Option<Wake>,
}

/// Wakes a site hub's stations (`super::hub::Hub::wake`).
pub type Wake = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A station on another hub than its first tries its first again after
/// this long (its preferred hub may be back).
const RETURN_AFTER: Duration = Duration::from_secs(30);
/// A station asks its hub for the list of the event's hubs this often.
const HUBS_EVERY: Duration = Duration::from_secs(30);

/// Whether `e` says the hub did not answer (connection refused, timed out,
/// cut mid-answer, not the hub's certificate): another hub may.
fn is_unreachable(e: &Error) -> bool {
    matches!(e, Error::Said(m) if matches!(**m, Msg::HubUnreachable { .. }))
}

/// A watching station rounds twice a second: its status is written when
/// the outcome changes, or this often (well within
/// [`super::visibility::ONLINE_WITHIN_S`]), not on every round.
const NOTE_EVERY: Duration = Duration::from_secs(5);

/// An issuing station that lacks a private key asks again this often (the
/// desk that made it may not have handed it to the hub yet).
const KEYS_RETRY: Duration = Duration::from_secs(30);

impl Syncer {
    pub async fn new(store: &Store) -> Result<Syncer> {
        let link = link(store).await?;
        // Stations paired before the marker existed get it now.
        if !crate::db_files::paired_marker(store.path()).exists() {
            let station: Option<String> =
                sqlx::query_scalar("SELECT uuid FROM station WHERE id = 1")
                    .fetch_optional(store.read())
                    .await?;
            let station = station.unwrap_or_default();
            mark_paired(store, &link.url, &station, link.role.as_str())?;
        }
        Ok(Syncer {
            replica: SqliteReplica::open(store).await?,
            session: Session {
                role: Some(link.role),
                ..Session::default()
            },
            http: client(link.fingerprint.as_deref())?,
            targets: link.targets(),
            at: 0,
            since: std::time::Instant::now(),
            hubs_at: None,
            relay: None,
            link,
            keys_at: None,
            noted: None,
            time: time::load(store).await?,
            heard: false,
            acked: {
                let kept: Option<i64> =
                    sqlx::query_scalar("SELECT hub_has_own FROM sync_link WHERE id = 1")
                        .fetch_optional(store.read())
                        .await?;
                u64::try_from(kept.unwrap_or(0)).unwrap_or(0)
            },
        })
    }

    /// Keeps the hub's mark for this station's own entries when it moved:
    /// what lies above it has not reached the hub (a damaged station counts
    /// it, [`super::recover`]).
    async fn note_acked(&mut self, resp: &Response) -> Result<()> {
        let Response::Ok { have, .. } = resp;
        let mark = have.get(self.replica.station());
        if mark <= self.acked {
            return Ok(());
        }
        let store = self.replica.store().clone();
        // The hub holds more of this station's entries than it ever made:
        // it was restored from an older copy (`gatehouse restore`). What it
        // numbers now would collide with what the hub holds and never reach
        // it: say so, rather than sync on and lose it.
        let here: i64 = sqlx::query_scalar(
            "SELECT MAX(own_seq,
                 COALESCE((SELECT MAX(seq) FROM sync_entry WHERE origin = ?1), 0),
                 COALESCE((SELECT MAX(seq) FROM sync_held WHERE origin = ?1), 0))
             FROM sync_state WHERE id = 1",
        )
        .bind(self.replica.station())
        .fetch_one(store.read())
        .await?;
        let here = u64::try_from(here).unwrap_or(0);
        if mark > here {
            return Err(crate::messages::Msg::RestoredBehindHub {
                hub: mark,
                here,
                station: self.replica.station().to_string(),
                db: store.path().display().to_string(),
            }
            .into());
        }
        let mut tx = store.write().await?;
        let mark_i = i64::try_from(mark).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE sync_link SET hub_has_own = MAX(hub_has_own, ?1),
                 hub_has_scan_seq = MAX(hub_has_scan_seq, COALESCE((
                     SELECT MAX(s.station_seq) FROM sync_entry e JOIN scan s ON s.id = e.key
                     WHERE e.kind = 'scan' AND e.origin = ?2 AND e.seq <= ?1 AND s.station = ?2), 0))
             WHERE id = 1",
        )
        .bind(mark_i)
        .bind(self.replica.station())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.acked = mark;
        Ok(())
    }

    /// The hub this station syncs with now.
    fn url(&self) -> &str {
        &self.targets[self.at].url
    }

    /// Moves to the `to`-th hub of the list: its certificate is pinned, and
    /// the round starts afresh (the protocol resends whatever the last hub
    /// may not have stored; the marks are the event's, shared by its hubs).
    fn switch(&mut self, to: usize) {
        let target = &self.targets[to];
        match client(target.fingerprint.as_deref()) {
            Ok(http) => self.http = http,
            Err(e) => {
                tracing::warn!("sync: cannot reach {}: {e}", target.url);
                return;
            }
        }
        self.at = to;
        self.since = std::time::Instant::now();
        self.session = Session {
            role: self.session.role,
            ..Session::default()
        };
        self.keys_at = None;
    }

    /// Every [`HUBS_EVERY`], asks the hub for the event's hubs and keeps
    /// the list if it is signed by the key given at pairing (a station
    /// paired before lists existed takes the key from its pinned hub).
    async fn ask_hubs(&mut self) -> Result<()> {
        if self.hubs_at.is_some_and(|at| at.elapsed() < HUBS_EVERY) {
            return Ok(());
        }
        let resp = self
            .http
            .post(format!("{}/sync/v1/hubs", self.url()))
            .bearer_auth(&self.link.token)
            .send()
            .await
            .map_err(|e| unreachable(self.url(), e))?;
        self.hubs_at = Some(std::time::Instant::now());
        // A hub from before lists existed: nothing to learn.
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(());
        }
        if !resp.status().is_success() {
            return Err(refusal(resp).await);
        }
        let signed: Option<super::hubs::SignedHubs> = resp
            .json()
            .await
            .map_err(|e| Error::Internal(format!("hub's list of hubs: {e}")))?;
        let Some(signed) = signed else {
            return Ok(());
        };
        let key = self.link.hubs_key.clone().unwrap_or(signed.key.clone());
        let list = match super::hubs::verify(&key, &signed) {
            Ok(list) => list,
            Err(e) => {
                tracing::warn!("sync: {}'s list of hubs is not used: {e}", self.url());
                return Ok(());
            }
        };
        if self.link.hubs.as_ref().is_some_and(|l| l.hubs == list.hubs) {
            return Ok(());
        }
        let store = self.replica.store().clone();
        let mut tx = store.write().await?;
        sqlx::query("UPDATE sync_link SET hubs_key = ?, hubs_list = ?, hubs_sig = ? WHERE id = 1")
            .bind(&key)
            .bind(&signed.list)
            .bind(&signed.signature)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let here = self.targets[self.at].clone();
        self.link.hubs_key = Some(key);
        self.link.hubs = Some(list);
        self.targets = self.link.targets();
        match self.targets.iter().position(|t| *t == here) {
            Some(at) => self.at = at,
            None => {
                self.at = 0;
                self.switch(0);
            }
        }
        Ok(())
    }

    /// The agreed time now, from the last reading of the hub's clock.
    fn agreed(&self) -> time::Agreed {
        time::agreed(self.time.as_ref(), &Reading::now())
    }

    /// Every answer of the hub carries its clock, refusals included: the
    /// station compares it with its own each time.
    async fn note_time(&mut self, resp: &reqwest::Response) -> Result<()> {
        let store = self.replica.store().clone();
        let reading = hub_time(resp);
        self.heard |= reading.is_some();
        self.time = keep_time(&store, self.time.take(), reading).await?;
        Ok(())
    }

    /// Issuing stations only: hands the hub the private keys made here and
    /// takes those it holds, when the set of public keys changed since the
    /// last exchange (or, while one's private half is missing, every
    /// [`KEYS_RETRY`]). Returns how many keys were received.
    async fn exchange_keys(&mut self) -> Result<usize> {
        if !super::keys::issues_badges(self.link.role) {
            return Ok(0);
        }
        let store = self.replica.store().clone();
        let kids = super::keys::public_kids(&store).await?;
        let due = match &self.keys_at {
            None => true,
            Some((seen, at)) => {
                *seen != kids
                    || (at.elapsed() >= KEYS_RETRY
                        && crate::keys::list(&store).await?.iter().any(|k| !k.can_sign))
            }
        };
        if !due {
            return Ok(0);
        }
        let sent = super::keys::KeyExchange {
            keys: crate::keys::private_pems(store.path())?,
        };
        let resp = self
            .http
            .post(format!("{}/sync/v1/keys", self.url()))
            .bearer_auth(&self.link.token)
            .json(&sent)
            .send()
            .await
            .map_err(|e| unreachable(self.url(), e))?;
        self.note_time(&resp).await?;
        if !resp.status().is_success() {
            return Err(refusal(resp).await);
        }
        let received: super::keys::KeyExchange = resp
            .json()
            .await
            .map_err(|e| Error::Internal(format!("hub's answer with keys: {e}")))?;
        let kept = super::keys::keep(&store, &received).await?;
        self.keys_at = Some((kids, std::time::Instant::now()));
        Ok(kept)
    }

    async fn post(&mut self, req: &Request, wait_ms: u64) -> Result<(Response, usize)> {
        let body = serde_json::to_vec(req).map_err(|e| Error::Internal(format!("request: {e}")))?;
        let sent = body.len();
        let resp = self
            .http
            .post(format!("{}/sync/v1/round?wait_ms={wait_ms}", self.url()))
            .bearer_auth(&self.link.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| unreachable(self.url(), e))?;
        self.note_time(&resp).await?;
        if !resp.status().is_success() {
            return Err(refusal(resp).await);
        }
        let bytes = resp.bytes().await.map_err(|e| unreachable(self.url(), e))?;
        let parsed = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Internal(format!("hub's answer: {e}")))?;
        Ok((parsed, sent + bytes.len()))
    }

    /// One round (see [`Syncer::try_round`]), its outcome noted for the
    /// station's sync status.
    pub async fn round(&mut self, wait_ms: u64, report: &mut SyncReport) -> Result<bool> {
        // Back to the preferred hub now and then: it may answer again.
        if self.at != 0 && self.since.elapsed() >= RETURN_AFTER {
            self.switch(0);
        }
        // A hub that does not answer: the next one in the list, pinned to
        // its own certificate, each tried once per round.
        let first = self.at;
        let outcome = loop {
            let outcome = self.try_round(wait_ms, report).await;
            match &outcome {
                Err(e) if is_unreachable(e) && (self.at + 1) % self.targets.len() != first => {
                    let next = (self.at + 1) % self.targets.len();
                    tracing::warn!("sync: {e}; trying {}", self.targets[next].url);
                    self.switch(next);
                }
                _ => break outcome,
            }
        };
        report.hub = Some(self.url().to_string());
        let error = outcome.as_ref().err().map(ToString::to_string);
        let due = match &self.noted {
            None => true,
            Some((noted, at)) => *noted != error || at.elapsed() >= NOTE_EVERY,
        };
        if due {
            let store = self.replica.store().clone();
            let noted = record_attempt(
                &store,
                outcome.as_ref().err(),
                self.agreed().timestamp(),
                &self.targets[self.at].url,
            )
            .await;
            match (noted, &outcome) {
                (Ok(()), _) => self.noted = Some((error, std::time::Instant::now())),
                // The round's own failure says more (a full disk fails both).
                (Err(e), Err(_)) => tracing::warn!("sync: cannot note the failed round: {e}"),
                (Err(e), Ok(_)) => return Err(e),
            }
        }
        outcome
    }

    /// One round: log local facts, send what the hub lacks, take what it
    /// sends; then private keys, if this station issues badges. Returns
    /// whether another round would move more.
    async fn try_round(&mut self, wait_ms: u64, report: &mut SyncReport) -> Result<bool> {
        let local = Reading::now();
        // Local edits are stamped in the agreed time, and only on a time
        // read from the hub since this machine booted (or during this run):
        // after a reboot the wall clock is a guess, so the first round only
        // reads the hub's clock and sends what was logged before; the next
        // one stamps. The request carries the wall clock as it is, for the
        // hub to tell how far off it is.
        let now = time::agreed(self.time.as_ref(), &local);
        let sure = self.heard
            || self
                .time
                .as_ref()
                .is_some_and(|r| time::this_boot(r, &local));
        // A site hub's own capture loop logs its local facts.
        if sure && self.relay.is_none() {
            self.replica.capture(now.timestamp()).await?;
        }
        let wall = u64::try_from(local.wall_ms).unwrap_or(0);
        let req = match self.link.site {
            false => self.session.request(&mut self.replica, wall).await?,
            true => {
                // The stations paired at this site, with their roles here:
                // their entries go up with their own origins.
                let store = self.replica.store().clone();
                let declared = super::hub::roster(&store, self.replica.station())
                    .await?
                    .into_iter()
                    .filter(|(o, _)| o != self.replica.station())
                    .collect::<super::policy::Roster>();
                let relayed = declared.keys().cloned().collect();
                let mut req = self
                    .session
                    .request_relaying(&mut self.replica, &relayed, wall)
                    .await?;
                req.declared = declared;
                req
            }
        };
        let (resp, bytes) = self.post(&req, wait_ms).await?;
        report.rounds += 1;
        report.sent += req.entries.len();
        report.bytes += bytes;
        // Judged against the agreed time just read from this answer.
        let now = self.agreed();
        if self.link.site {
            let Response::Ok { roles, .. } = &resp;
            super::hub::keep_upstream_roles(self.replica.store(), roles).await?;
        }
        let outcome = self
            .session
            .receive(&mut self.replica, &resp, now.ms())
            .await?;
        self.note_acked(&resp).await?;
        if let (Some(wake), Outcome::Synced { received, .. }) = (&self.relay, &outcome) {
            if *received > 0 {
                wake();
            }
        }
        match outcome {
            Outcome::Synced { received, more } => {
                report.received += received;
                report.keys += self.exchange_keys().await?;
                // The list can wait for another round: the round itself
                // went through.
                if let Err(e) = self.ask_hubs().await {
                    tracing::warn!("sync: cannot take the list of the event's hubs: {e}");
                }
                // Not captured this round: another one logs and sends it.
                Ok(more || !sure)
            }
            Outcome::Refused(skew) if skew.station == self.replica.station() => {
                Err(crate::messages::Msg::ClockSkewHeld {
                    secs: skew.remote_ms.saturating_sub(skew.local_ms) / 1000,
                }
                .into())
            }
            Outcome::Refused(skew) => Err(crate::messages::Msg::EditAheadRefused {
                station: skew.station.clone(),
                secs: skew.remote_ms.saturating_sub(skew.local_ms) / 1000,
                max: crate::sync::hlc::MAX_DRIFT_MS / 1000,
            }
            .into()),
        }
    }

    /// Rounds until neither side has anything more for the other; then,
    /// if the last answer brought entries, one more to acknowledge them (the
    /// hub's backlog and revocation reach count what stations acknowledged).
    pub async fn until_done(&mut self, report: &mut SyncReport) -> Result<()> {
        loop {
            let before = report.received;
            let more = self.round(0, report).await?;
            if !more && report.received == before {
                return Ok(());
            }
        }
    }
}

/// `gatehouse sync`: sync now, until nothing is left to move.
pub async fn sync_now(store: &Store) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    Syncer::new(store).await?.until_done(&mut report).await?;
    Ok(report)
}

/// `gatehouse sync --watch`: sync continuously, long-polling the hub so that
/// its news (a revocation) arrives within about a second; a lost hub is
/// retried every second while the station keeps working alone. `tell` gets
/// each cycle that moved something, or the error of a failed one. A
/// [`nudge`] ends a long poll at once (the protocol resends whatever an
/// abandoned round carried), so the new fact leaves in a fresh round.
pub async fn watch(store: &Store, mut tell: impl FnMut(Result<&SyncReport, &Error>)) -> Result<()> {
    let mut syncer = Syncer::new(store).await?;
    let nudged = nudges(store);
    let mut online = true;
    let mut more = true;
    loop {
        let mut report = SyncReport::default();
        let outcome = if more {
            syncer.round(0, &mut report).await
        } else {
            tokio::select! {
                r = syncer.round(WATCH_WAIT_MS, &mut report) => r,
                () = nudged.notified() => Ok(true),
            }
        };
        match outcome {
            Ok(m) => {
                more = m;
                online = true;
                if report.sent + report.received > 0 {
                    tell(Ok(&report));
                }
            }
            Err(e) => {
                if online {
                    tell(Err(&e));
                }
                online = false;
                more = true;
                syncer.session = Session {
                    role: syncer.session.role,
                    ..Session::default()
                };
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// A site hub's relay loop to the central hub it was paired with as a site
/// (`docs/SCALE.md`, "Sites"), for as long as the hub runs: the same
/// rounds as `sync --watch`, long-polling the central hub, sending its own
/// and its stations' entries up with their origins and taking the central
/// hub's (and the other sites') down; `wake` tells the site's stations. A
/// link that is down is retried with a backoff (1 s, doubling, at most
/// 30 s) while the site keeps working alone; nothing is lost: the next
/// round resends what the central hub's marks lack.
pub async fn relay_watch(store: &Store, wake: Wake) -> Result<()> {
    let mut syncer = Syncer::new(store).await?;
    syncer.relay = Some(wake);
    let nudged = nudges(store);
    let mut backoff = Duration::from_secs(1);
    let mut online = true;
    let mut more = true;
    loop {
        let mut report = SyncReport::default();
        // The long poll ends at once when the site's own stations or
        // console add something ([`nudge`], from the site hub).
        let outcome = if more {
            syncer.round(0, &mut report).await
        } else {
            tokio::select! {
                r = syncer.round(super::hub::MAX_WAIT_MS / 2, &mut report) => r,
                () = nudged.notified() => Ok(true),
            }
        };
        match outcome {
            Ok(m) => {
                more = m;
                backoff = Duration::from_secs(1);
                if !online {
                    tracing::info!("site: the central hub answers again");
                }
                online = true;
                if report.sent + report.received > 0 {
                    tracing::info!(
                        "site: {} relayed up, {} received from the central hub",
                        report.sent,
                        report.received
                    );
                }
            }
            Err(e) => {
                if online {
                    tracing::warn!("site: the central hub does not answer: {e}");
                }
                online = false;
                more = true;
                syncer.session = Session {
                    role: syncer.session.role,
                    ..Session::default()
                };
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// For `gatehouse serve` and the desktop app: when this station is paired,
/// keeps it synced in the background (as `sync --watch`) for as long as the
/// process runs. Returns whether it started.
pub async fn watch_in_background(store: &Store) -> Result<bool> {
    if link_status(store).await?.is_none() {
        return Ok(false);
    }
    // Beside the store: closing it (serve's reopen after a join, the
    // window's restart) stops this loop first.
    let watched = store.clone();
    store.spawn(async move {
        let outcome = watch(&watched, |r| match r {
            Ok(report) => {
                tracing::info!("sync: {} sent, {} received", report.sent, report.received)
            }
            Err(e) => tracing::warn!("sync: {e}"),
        })
        .await;
        if let Err(e) = outcome {
            tracing::error!("sync stopped: {e}");
        }
    });
    Ok(true)
}
