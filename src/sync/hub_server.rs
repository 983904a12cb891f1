//! The hub's HTTPS server: its routes (`/sync/v1/…`), each a thin shell
//! that authenticates the station and calls [`super::hub`], and the loop
//! that serves them beside the hub's capture task. The adapter above the
//! hub: the hub's logic (pairing, rounds, rosters, alerts) imports no
//! server module; this one speaks HTTP through the station's shared error
//! mapping ([`crate::http_support::HttpError`]).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use super::hub::{
    authenticate, recover, set_address, Hub, HubBackend, HubStore, JoinRequest, JoinResponse,
    CAPTURE_EVERY, MAX_WAIT_MS,
};
use super::keys::KeyExchange;
use super::protocol::{Request, Response};
use super::store::SqliteReplica;
use crate::error::{Error, Result};
use crate::http_support::HttpError;
use crate::messages::Msg;
use crate::store::Store;

/// Request bodies, per route: a join is a code; a round carries up to a
/// message of entries (photos make them large); a key exchange a few PEMs.
const JOIN_BODY: usize = 4 * 1024;
const ROUND_BODY: usize = 64 * 1024 * 1024;
const KEYS_BODY: usize = 1024 * 1024;
/// Requests served at once (the rest wait), and the longest one may take
/// beyond its long poll.
const CONCURRENT_REQUESTS: usize = 64;
const REQUEST_TIMEOUT: Duration = Duration::from_millis(MAX_WAIT_MS + 30_000);

#[derive(Debug, Deserialize)]
struct RoundQuery {
    #[serde(default)]
    wait_ms: u64,
}

/// A request body read only after its sender was authenticated (or, for a
/// join, within a small limit), then parsed.
async fn body<T: serde::de::DeserializeOwned>(body: Body, limit: usize) -> Result<T> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Error::from(Msg::BodyTooLarge {
            limit: limit as u64,
        })
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::from(Msg::BodyNotForRoute {
            detail: e.to_string(),
        })
    })
}

async fn hello<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    raw: Body,
) -> Result<Json<super::pairing::Challenge>, HttpError> {
    let req: super::pairing::Hello = body(raw, JOIN_BODY).await?;
    Ok(Json(hub.hello(&req).await?))
}

async fn join<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    raw: Body,
) -> Result<Json<JoinResponse>, HttpError> {
    let req: JoinRequest = body(raw, JOIN_BODY).await?;
    let now = Timestamp::now();
    let done = hub.join(&req, now).await?;
    let mut replica = hub.replica.lock().await;
    let hub_id = replica.station().to_string();
    // The code is spent: a list that cannot be read now comes with the
    // first sync instead.
    let hubs = match replica.hub_list(now).await {
        Ok(hubs) => hubs,
        Err(e) => {
            tracing::warn!("hub: cannot read the event's hubs for a join: {e}");
            None
        }
    };
    drop(replica);
    Ok(Json(JoinResponse {
        token: done.token,
        hub: hub_id,
        station: done.station,
        role: done.role,
        name: done.name,
        serial_block: done.serial_block,
        hubs,
        site: done.site,
    }))
}

/// `POST /sync/v1/hubs`: the event's hubs, signed (`null` for a hub alone
/// on its database), to a paired station only.
async fn hubs_route<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    headers: HeaderMap,
) -> Result<Json<Option<super::hubs::SignedHubs>>, HttpError> {
    let now = Timestamp::now();
    authenticate(&hub.store, crate::http_support::bearer(&headers), now).await?;
    Ok(Json(hub.replica.lock().await.hub_list(now).await?))
}

async fn round<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    Query(q): Query<RoundQuery>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<Response>, HttpError> {
    let arrived = Timestamp::now();
    let (station, _) =
        authenticate(&hub.store, crate::http_support::bearer(&headers), arrived).await?;
    let req: Request = body(raw, ROUND_BODY).await?;
    if station != req.station {
        return Err(Error::from(Msg::CredentialOfOther {
            station: station.clone(),
            claimed: req.station.clone(),
        })
        .into());
    }
    hub.note_marks(&station, &req.have).await?;
    let wall = i64::try_from(req.wall_ms).unwrap_or(i64::MAX);
    hub.note_clock(
        &station,
        arrived.as_millisecond().saturating_sub(wall),
        arrived,
    )
    .await?;
    Ok(Json(hub.round(&station, &req, q.wait_ms).await?))
}

/// `POST /sync/v1/recover`: what a damaged station had not sent, handed over
/// by the station paired in its place.
async fn recover_route<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<super::recover::Recovered>, HttpError> {
    let (station, _) = authenticate(
        &hub.store,
        crate::http_support::bearer(&headers),
        Timestamp::now(),
    )
    .await?;
    let req: super::recover::RecoverRequest = body(raw, ROUND_BODY).await?;
    Ok(Json(recover(&hub, &station, &req).await?))
}

/// `POST /sync/v1/keys`: private keys, to and from issuing stations only.
async fn keys<R: HubStore>(
    State(hub): State<Arc<Hub<R>>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<KeyExchange>, HttpError> {
    let (_, role) = authenticate(
        &hub.store,
        crate::http_support::bearer(&headers),
        Timestamp::now(),
    )
    .await?;
    let sent: KeyExchange = body(raw, KEYS_BODY).await?;
    Ok(Json(super::keys::serve(&hub.store, role, &sent).await?))
}

/// The hub's routes. Bodies are read by the handlers themselves, after
/// authentication and within each route's limit; at most
/// [`CONCURRENT_REQUESTS`] are served at once, none longer than
/// [`REQUEST_TIMEOUT`].
pub fn router<R: HubStore>(hub: Arc<Hub<R>>) -> Router {
    Router::new()
        .route("/sync/v1/join/hello", post(hello::<R>))
        .route("/sync/v1/join", post(join::<R>))
        .route("/sync/v1/round", post(round::<R>))
        .route("/sync/v1/keys", post(keys::<R>))
        .route("/sync/v1/recover", post(recover_route::<R>))
        .route("/sync/v1/hubs", post(hubs_route::<R>))
        .layer(axum::extract::DefaultBodyLimit::max(ROUND_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            CONCURRENT_REQUESTS,
        ))
        .layer(axum::middleware::map_response(stamp_time))
        .with_state(hub)
}

/// Every answer of the hub, refusals included, carries its wall clock: the
/// time the stations agree on (`super::time`).
async fn stamp_time(mut resp: axum::response::Response) -> axum::response::Response {
    let now = Timestamp::now().as_millisecond().to_string();
    if let Ok(value) = axum::http::HeaderValue::from_str(&now) {
        resp.headers_mut().insert(super::time::HEADER, value);
    }
    resp
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
    // The hub hands every account to its stations: not with a published
    // or short PIN among them.
    crate::console::setup::go_live_check(store.read()).await?;
    serve_until(store, listener, url, ready, std::future::pending()).await
}

/// [`serve`] on the log `backend` names (`gatehouse hub --store`).
pub async fn serve_on(
    store: Store,
    backend: &HubBackend,
    listener: std::net::TcpListener,
    url: &str,
    ready: impl FnOnce(&str),
) -> Result<()> {
    crate::console::setup::go_live_check(store.read()).await?;
    serve_until_on(store, backend, listener, url, ready, std::future::pending()).await
}

/// [`serve`] until `stop` completes. The hub owns the task that logs its
/// local facts: it is stopped (and waited for) before this returns, so the
/// caller may close the store at once; if this future is dropped instead,
/// the task is aborted with it.
pub async fn serve_until(
    store: Store,
    listener: std::net::TcpListener,
    url: &str,
    ready: impl FnOnce(&str),
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    serve_until_on(store, &HubBackend::Sqlite, listener, url, ready, stop).await
}

/// [`serve_until`] on the log `backend` names. On PostgreSQL the database
/// is reached (and its schema migrated) before `ready` is called.
pub async fn serve_until_on(
    store: Store,
    backend: &HubBackend,
    listener: std::net::TcpListener,
    url: &str,
    ready: impl FnOnce(&str),
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let identity = super::tls::load_or_create(store.path())?;
    let tls =
        axum_server::tls_rustls::RustlsConfig::from_config(super::tls::server_config(&identity)?);
    let replica = SqliteReplica::open(&store).await?;
    match backend {
        HubBackend::Sqlite => {
            set_address(&store, url, &identity.fingerprint(), Timestamp::now()).await?;
            ready(&identity.fingerprint());
            let hub = Hub::new(store, replica, &identity.fingerprint());
            run(hub, listener, tls, stop).await
        }
        HubBackend::Postgres(pg) => {
            let replica = super::postgres::PgHub::open(pg, replica).await?;
            replica.register(url, &identity.fingerprint()).await?;
            set_address(&store, url, &identity.fingerprint(), Timestamp::now()).await?;
            ready(&identity.fingerprint());
            let hub = Hub::new(store, replica, &identity.fingerprint());
            run(hub, listener, tls, stop).await
        }
    }
}

/// Serves `hub` over TLS on `listener` until `stop`, its capture loop
/// beside it.
async fn run<R: HubStore>(
    hub: Arc<Hub<R>>,
    listener: std::net::TcpListener,
    tls: axum_server::tls_rustls::RustlsConfig,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let (quit, mut quitting) = tokio::sync::watch::channel(false);
    let background = hub.clone();
    let capture = CaptureTask(Some(tokio::spawn(async move {
        loop {
            if let Err(e) = background.capture(Timestamp::now()).await {
                tracing::error!("hub: cannot log local facts: {e}");
            }
            tokio::select! {
                _ = tokio::time::sleep(CAPTURE_EVERY) => {}
                _ = quitting.changed() => break,
            }
        }
    })));
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("cannot set up the listening socket", e))?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    let stopping = tokio::spawn(async move {
        stop.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(2)));
    });
    // A site hub relays to the central hub it was paired with as a site.
    let relay = if super::client::is_site(&hub.store).await? {
        let store = hub.store.clone();
        let woken = hub.clone();
        let wake: super::client::Wake = Arc::new(move || woken.wake());
        tracing::info!("site: relaying to the central hub this site is paired with");
        CaptureTask(Some(tokio::spawn(async move {
            if let Err(e) = super::client::relay_watch(&store, wake).await {
                tracing::error!("site: relaying to the central hub stopped: {e}");
            }
        })))
    } else {
        CaptureTask(None)
    };
    let served = axum_server::from_tcp_rustls(listener, tls)
        .map_err(|e| Error::io("cannot serve on the listening socket", e))?
        .handle(handle)
        .serve(router(hub).into_make_service())
        .await
        .map_err(|e| Error::io("hub stopped", e));
    stopping.abort();
    // The last capture (if one is running) ends before the store may close.
    let _ = quit.send(true);
    capture.finish().await;
    drop(relay);
    served
}

/// The hub's capture loop, aborted if the hub is dropped while serving.
struct CaptureTask(Option<tokio::task::JoinHandle<()>>);

impl CaptureTask {
    async fn finish(mut self) {
        if let Some(task) = self.0.take() {
            let _ = task.await;
        }
    }
}

impl Drop for CaptureTask {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the ERROR events logged while it is the default subscriber.
    struct Errors(Arc<std::sync::atomic::AtomicUsize>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Errors {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            if *event.metadata().level() == tracing::Level::ERROR {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }

    /// `gatehouse bench` logged "hub: cannot log local facts: … closed pool"
    /// every 200 ms after its sync section: the hub's capture loop outlived
    /// its store. A hub that has stopped has stopped its loop: closing the
    /// store at once leaves nothing to fail on it.
    #[tokio::test]
    async fn a_stopped_hub_leaves_no_task_on_its_closed_store() {
        use tracing_subscriber::layer::SubscriberExt;
        let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let _logged = tracing::subscriber::set_default(
            tracing_subscriber::registry().with(Errors(errors.clone())),
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("hub.db")).await.expect("open");
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::today_at_venue(now).expect("day"), now)
            .await
            .expect("demo");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let url = format!("https://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, readied) = tokio::sync::oneshot::channel::<()>();
        let served = serve_until(
            store.clone(),
            listener,
            &url,
            move |_| {
                let _ = ready.send(());
            },
            async move {
                let _ = stopped.await;
            },
        );
        let stopper = async move {
            let _ = readied.await;
            // A few capture rounds, then stop.
            tokio::time::sleep(CAPTURE_EVERY * 3).await;
            let _ = stop.send(());
        };
        let (served, ()) = tokio::join!(served, stopper);
        served.expect("the hub served and stopped");
        store.close().await;
        // Long enough for a loop left behind to try a few more rounds.
        tokio::time::sleep(CAPTURE_EVERY * 4).await;
        assert_eq!(
            errors.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "nothing failed on the closed store"
        );
    }
}
