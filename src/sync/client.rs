//! A station's side of sync over HTTP: `gatehouse join` (pairing) and
//! `gatehouse sync [--watch]`, a thin shell around [`protocol::Session`].
//! The station keeps working without the hub; sync only moves entries.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use super::hub::{JoinRequest, JoinResponse};
use super::protocol::{Outcome, Replica, Request, Response, Session};
use super::store::SqliteReplica;
use crate::error::{Error, Result};
use crate::store::Store;

/// What a watching station asks the hub to wait for news. The station's own
/// scans go out when a wait ends, so this bounds how late other gates learn
/// of them (presence across gates within a second); the hub's news ends the
/// wait at once.
pub const WATCH_WAIT_MS: u64 = 500;

fn ms(now: Timestamp) -> u64 {
    u64::try_from(now.as_millisecond()).unwrap_or(0)
}

/// An HTTP client that trusts only the hub certificate `fingerprint`.
fn client(fingerprint: Option<&str>) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder();
    let builder = match fingerprint {
        Some(f) => builder.tls_backend_preconfigured(super::tls::pinned_client(f)?),
        None => builder,
    };
    builder
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(40))
        .build()
        .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))
}

fn unreachable(url: &str, e: reqwest::Error) -> Error {
    Error::Conflict(format!("hub {url} unreachable: {e}"))
}

/// An error as the hub sends it (`crate::error::ApiError` on the wire).
#[derive(Debug, serde::Deserialize)]
struct WireError {
    code: String,
    message: String,
}

/// Turns the hub's `{code, message}` back into our error.
async fn refusal(resp: reqwest::Response) -> Error {
    let status = resp.status();
    match resp.json::<WireError>().await {
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
/// keeps the credential it receives.
pub async fn join(store: &Store, url: &str, code: &str, now: Timestamp) -> Result<String> {
    let url = url.trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::bad_input(format!(
            "URL {url:?}: expected https://HOST:PORT as `gatehouse pair` prints it"
        )));
    }
    let fingerprint = code.split_once('.').map(|(_, f)| f.to_string());
    if url.starts_with("https://") && fingerprint.is_none() {
        return Err(Error::bad_input(format!(
            "--code {code:?}: the code lacks the hub's certificate fingerprint (after the dot): copy it whole"
        )));
    }
    let replica = SqliteReplica::open(store).await?;
    let resp = client(fingerprint.as_deref())?
        .post(format!("{url}/sync/v1/join"))
        .json(&JoinRequest {
            code: code.to_string(),
            station: replica.station().to_string(),
        })
        .send()
        .await
        .map_err(|e| unreachable(url, e))?;
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    let joined: JoinResponse = resp
        .json()
        .await
        .map_err(|e| Error::Internal(format!("hub's answer to join: {e}")))?;
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO sync_link (id, url, token, fingerprint, paired_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, token = excluded.token,
             fingerprint = excluded.fingerprint, paired_at = excluded.paired_at, last_sync = NULL",
    )
    .bind(url)
    .bind(&joined.token)
    .bind(&fingerprint)
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        "cli",
        "sync.join",
        &serde_json::json!({ "hub": joined.hub, "url": url }),
    )
    .await?;
    tx.commit().await?;
    Ok(joined.hub)
}

/// The hub this station is paired with.
struct Link {
    url: String,
    token: String,
    fingerprint: Option<String>,
}

async fn link(store: &Store) -> Result<Link> {
    let row = sqlx::query("SELECT url, token, fingerprint FROM sync_link WHERE id = 1")
        .fetch_optional(store.read())
        .await?
        .ok_or_else(|| {
            Error::Conflict(
                "this station is not paired with a hub: run `gatehouse join URL --code CODE`"
                    .into(),
            )
        })?;
    Ok(Link {
        url: row.get(0),
        token: row.get(1),
        fingerprint: row.get(2),
    })
}

/// A station's view of its link to the hub (`gatehouse sync --status`).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LinkStatus {
    pub url: String,
    pub paired_at: String,
    /// When a round last completed: how fresh this station's view is.
    pub last_sync: Option<String>,
}

/// The hub this station is paired with and when it last synced.
pub async fn status(store: &Store) -> Result<LinkStatus> {
    sqlx::query_as::<_, LinkStatus>("SELECT url, paired_at, last_sync FROM sync_link WHERE id = 1")
        .fetch_optional(store.read())
        .await?
        .ok_or_else(|| {
            Error::Conflict(
                "this station is not paired with a hub: run `gatehouse join URL --code CODE`"
                    .into(),
            )
        })
}

/// What one sync (or one watch cycle) did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub rounds: u32,
    pub sent: usize,
    pub received: usize,
    /// Request and response bodies, in bytes.
    pub bytes: usize,
}

/// A station syncing with its hub, one round at a time.
pub struct Syncer {
    replica: SqliteReplica,
    session: Session,
    link: Link,
    http: reqwest::Client,
}

impl Syncer {
    pub async fn new(store: &Store) -> Result<Syncer> {
        let link = link(store).await?;
        Ok(Syncer {
            replica: SqliteReplica::open(store).await?,
            session: Session::default(),
            http: client(link.fingerprint.as_deref())?,
            link,
        })
    }

    async fn post(&self, req: &Request, wait_ms: u64) -> Result<(Response, usize)> {
        let body = serde_json::to_vec(req).map_err(|e| Error::Internal(format!("request: {e}")))?;
        let sent = body.len();
        let resp = self
            .http
            .post(format!("{}/sync/v1/round?wait_ms={wait_ms}", self.link.url))
            .bearer_auth(&self.link.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| unreachable(&self.link.url, e))?;
        if !resp.status().is_success() {
            return Err(refusal(resp).await);
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| unreachable(&self.link.url, e))?;
        let parsed = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Internal(format!("hub's answer: {e}")))?;
        Ok((parsed, sent + bytes.len()))
    }

    /// One round: log local facts, send what the hub lacks, take what it
    /// sends. Returns whether another round would move more.
    pub async fn round(&mut self, wait_ms: u64, report: &mut SyncReport) -> Result<bool> {
        let now = Timestamp::now();
        self.replica.capture(now).await?;
        let req = self.session.request(&mut self.replica, ms(now)).await?;
        let (resp, bytes) = self.post(&req, wait_ms).await?;
        report.rounds += 1;
        report.sent += req.entries.len();
        report.bytes += bytes;
        match self
            .session
            .receive(&mut self.replica, &resp, ms(Timestamp::now()))
            .await?
        {
            Outcome::Synced { received, more } => {
                report.received += received;
                let mut tx = self.replica.store().write().await?;
                sqlx::query("UPDATE sync_link SET last_sync = ? WHERE id = 1")
                    .bind(Timestamp::now().to_string())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(more)
            }
            Outcome::Refused(skew) => Err(Error::Conflict(skew.to_string())),
        }
    }

    /// Rounds until neither side has anything more for the other.
    pub async fn until_done(&mut self, report: &mut SyncReport) -> Result<()> {
        while self.round(0, report).await? {}
        Ok(())
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
/// each cycle that moved something, or the error of a failed one.
pub async fn watch(store: &Store, mut tell: impl FnMut(Result<&SyncReport, &Error>)) -> Result<()> {
    let mut syncer = Syncer::new(store).await?;
    let mut online = true;
    let mut more = true;
    loop {
        let mut report = SyncReport::default();
        match syncer
            .round(if more { 0 } else { WATCH_WAIT_MS }, &mut report)
            .await
        {
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
                syncer.session = Session::default();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
