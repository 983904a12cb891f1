//! `gatehouse serve`: the web UI and its JSON API under `/api`, for a browser.
//!
//! Handlers only parse, call [`Api`] and format; errors leave as
//! `{code, message}` with a matching HTTP status.

use std::sync::Arc;

use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rust_embed::RustEmbed;

use crate::api::{Api, StationConfig};
use crate::auth::SessionInfo;
use crate::error::{ApiError, ErrorCode};
use crate::event::EventInfo;

/// The built UI (`ui/dist`). Debug builds read it from disk at run time,
/// release builds carry it inside the binary.
#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/ui/dist"]
#[allow_missing = true]
struct UiAssets;

pub use crate::http_support::{bearer, request_lang, HttpError};

/// An error's message in the language the request asked for: a layer of
/// the API's routes.
async fn in_request_language(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = request_lang(req.headers());
    let mut response = next.run(req).await;
    match response.extensions_mut().remove::<ApiError>() {
        Some(e) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = serde_json::to_vec(&e.in_lang(lang)).unwrap_or_default();
            Response::from_parts(parts, axum::body::Body::from(body))
        }
        None => response,
    }
}

use crate::http_support::ApiResult;

async fn event(State(api): State<Arc<Api>>) -> ApiResult<EventInfo> {
    Ok(Json(api.event().await?))
}

async fn station(State(api): State<Arc<Api>>) -> ApiResult<StationConfig> {
    Ok(Json(api.station_info().await?))
}

#[derive(Debug, serde::Deserialize)]
struct SignIn {
    /// The account, from [`sign_in_names`].
    staff_id: String,
    pin: String,
}

/// Who may sign in at this station (names and roles, never a hash): the
/// sign-in screen's list, before any PIN.
async fn sign_in_names(State(api): State<Arc<Api>>) -> ApiResult<Vec<crate::auth::SignInName>> {
    Ok(Json(api.sign_in_names().await?))
}

/// Wrong PINs are throttled per account and per client address
/// (`pin_throttle.rs`).
async fn sign_in(
    State(api): State<Arc<Api>>,
    extensions: axum::http::Extensions,
    Json(req): Json<SignIn>,
) -> ApiResult<SessionInfo> {
    let source = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "http".into());
    Ok(Json(
        api.sign_in(&req.staff_id, &req.pin, &source, jiff::Timestamp::now())
            .await?,
    ))
}

/// The session of the bearer token again: a reloaded page stays signed in.
async fn resume(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<SessionInfo> {
    Ok(Json(api.resume_session(
        bearer(&headers),
        jiff::Timestamp::now(),
    )?))
}

/// Server-sent events: `config` with the configuration's stamp
/// ([`Api::config_stamp`]) when the stream opens and whenever the event,
/// the badge template or the staff accounts change (here, on another
/// console, or through sync); open screens reload what they show from it,
/// signed in as they were. Looked at once a second.
async fn live(
    State(api): State<Arc<Api>>,
) -> axum::response::sse::Sse<
    impl futures_util::Stream<
        Item = std::result::Result<axum::response::sse::Event, std::convert::Infallible>,
    >,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let stream = futures_util::stream::unfold((api, None::<String>), |(api, last)| async move {
        loop {
            if last.is_some() {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            let stamp = match api.config_stamp().await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("live configuration: {e}");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            if last.as_deref() != Some(stamp.as_str()) {
                let event = Event::default().event("config").data(stamp.clone());
                return Some((Ok(event), (api, Some(stamp))));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// `POST /api/op/{name}`: any operation of [`crate::ops`], its arguments as
/// the JSON body; [`Api::call`] checks the permission. JSON answers as JSON,
/// pictures as themselves.
async fn operation(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    axum::extract::Path(name): axum::extract::Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, HttpError> {
    let reply = api
        .call(
            bearer(&headers),
            &name,
            crate::ops::Args::Body(&body),
            jiff::Timestamp::now(),
        )
        .await?;
    let (mime, bytes) = match reply {
        crate::ops::Reply::Json(text) => ("application/json", text.into_bytes()),
        crate::ops::Reply::Bytes { mime, bytes } => (mime, bytes),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

async fn sign_out(State(api): State<Arc<Api>>, headers: HeaderMap) -> StatusCode {
    if let Some(token) = bearer(&headers) {
        api.sign_out(token);
    }
    StatusCode::NO_CONTENT
}

async fn api_not_found(OriginalUri(uri): OriginalUri) -> HttpError {
    HttpError(Box::new(ApiError {
        code: ErrorCode::NotFound,
        message: format!("no API endpoint {}", uri.path()),
        key: None,
        text: None,
        fields: None,
        retry_after_s: None,
        changes: None,
        last_safe_at: None,
        unsent: None,
    }))
}

/// Serves a file of the UI; any other path gets `index.html` (the UI routes
/// by hash, but a bookmarked path must still open the app).
async fn ui(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (file, name) = match UiAssets::get(path) {
        Some(f) if !path.is_empty() => (f, path),
        _ => match UiAssets::get("index.html") {
            Some(f) => (f, "index.html"),
            None => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The UI is not built: run `npm run build` in ui/.",
                )
                    .into_response()
            }
        },
    };
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let cache = if name == "index.html" {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    (
        [
            (header::CONTENT_TYPE, mime.as_ref().to_owned()),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        file.data,
    )
        .into_response()
}

/// The window's policy (`tauri.conf.json`, less its IPC), and no framing:
/// sent with every response.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The names a browser may reach `serve` by (its `Host` header). A page of
/// another site whose name an attacker re-points at this machine (DNS
/// rebinding) arrives with that site's name, so it is refused: only
/// loopback (`localhost`, `127.0.0.1`, `::1`), the address `serve` is bound
/// to, and the names given with `--host` are heard. Bound to every address
/// (`0.0.0.0`), any address literal is: the station's own are not known,
/// and a rebinding page always comes by a name.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: std::net::IpAddr,
    names: Vec<String>,
}

impl Hosts {
    pub fn new(bound: std::net::IpAddr, names: impl IntoIterator<Item = String>) -> Hosts {
        Hosts {
            bound,
            names: names
                .into_iter()
                .map(|n| n.trim_end_matches('.').to_ascii_lowercase())
                .collect(),
        }
    }

    /// Loopback only (what the tests and a local browser use).
    pub fn loopback() -> Hosts {
        Hosts::new(std::net::Ipv4Addr::LOCALHOST.into(), [])
    }

    /// Whether a `Host` header (a name or address, with or without a port)
    /// names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
            return false;
        };
        let name = authority.host();
        let address = name.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = address.parse::<std::net::IpAddr>() {
            return ip.is_loopback() || ip == self.bound || self.bound.is_unspecified();
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name == "localhost" || self.names.contains(&name)
    }
}

/// A refusal of the door itself, as the API's `{code, message}`.
fn refused(status: StatusCode, message: String) -> Response {
    let body = ApiError {
        code: ErrorCode::Forbidden,
        message,
        key: None,
        text: None,
        fields: None,
        retry_after_s: None,
        changes: None,
        last_safe_at: None,
        unsent: None,
    };
    (status, Json(body)).into_response()
}

/// The `Host` check, and for every request that changes something (not
/// GET, HEAD, OPTIONS) the `Origin` check: absent (not a browser's
/// cross-site request) or this very server. A layer of [`router`].
#[derive(Debug, Clone)]
struct Doors(Arc<Hosts>);

impl tower_http::validate_request::ValidateRequest<axum::body::Body> for Doors {
    type ResponseBody = axum::body::Body;

    fn validate(&mut self, req: &mut axum::extract::Request) -> Result<(), Response> {
        check_request(&self.0, req).map_err(|refusal| *refusal)
    }
}

fn check_request(hosts: &Hosts, req: &axum::extract::Request) -> Result<(), Box<Response>> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    let Some(host) = host.filter(|h| hosts.allows(h)) else {
        return Err(Box::new(refused(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this station does not answer to the name {:?}: open it by its address, or start `gatehouse serve` with `--host NAME`",
                host.unwrap_or("")
            ),
        )));
    };
    if req.method().is_safe() {
        return Ok(());
    }
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(());
    };
    let same = origin.to_str().ok().is_some_and(|o| {
        ["http://", "https://"].iter().any(|scheme| {
            o.strip_prefix(scheme)
                .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
        })
    });
    if same {
        Ok(())
    } else {
        Err(Box::new(refused(
            StatusCode::FORBIDDEN,
            format!(
                "a page of another site ({}) may not change anything here",
                origin.to_str().unwrap_or("?")
            ),
        )))
    }
}

/// The whole server: the API, the UI, the door checks of [`Hosts`] and the
/// security headers on every response.
pub fn router(api: Arc<Api>, hosts: Hosts) -> Router {
    use axum::http::HeaderValue;
    use tower_http::set_header::SetResponseHeaderLayer;
    use tower_http::validate_request::ValidateRequestHeaderLayer;
    app(api)
        .layer(ValidateRequestHeaderLayer::custom(Doors(Arc::new(hosts))))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// Every route but these needs a session, checked from the headers before
/// a handler reads its body (an import may be 128 MB): a caller who is not
/// signed in gets 401 without the server parsing anything.
async fn signed_in(
    State(api): State<Arc<Api>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match api.session(bearer(req.headers()), jiff::Timestamp::now()) {
        Ok(_) => next.run(req).await,
        Err(e) => HttpError::from(e).into_response(),
    }
}

fn app(api: Arc<Api>) -> Router {
    let public = Router::new()
        .route("/event", get(event))
        .route("/station", get(station))
        .route(
            "/session",
            axum::routing::post(sign_in).delete(sign_out).get(resume),
        )
        .route("/session/staff", get(sign_in_names))
        .route("/live", get(live))
        .merge(first_start_routes());
    let private = Router::new()
        .route("/op/{name}", axum::routing::post(operation))
        .merge(crate::registry::http::routes())
        .merge(crate::desk::http::routes())
        .merge(crate::console::http::routes())
        .merge(crate::sync::http::routes())
        .route_layer(axum::middleware::from_fn_with_state(api.clone(), signed_in));
    let api_routes = public
        .merge(private)
        .fallback(api_not_found)
        .layer(axum::middleware::from_fn(in_request_language))
        .with_state(api);
    Router::new().nest("/api", api_routes).fallback(ui)
}

/// Why [`serve`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Ctrl-C: the process ends.
    Signal,
    /// A hub was joined from the console: the caller closes the store, swaps
    /// the joined database in and serves again ([`Api::reopen_requested`]).
    Reopen,
}

/// How long the console shows a join's outcome before `serve` reopens on
/// the joined database (the window waits as long before it restarts).
const SHOW_JOINED: std::time::Duration = std::time::Duration::from_millis(1500);

/// How long requests still running may finish once the server stops.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves until Ctrl-C or a hub joined from the console, to the names of
/// `hosts`; over HTTPS with `tls` (the station's certificate), else plain HTTP.
pub async fn serve(
    api: Arc<Api>,
    listener: tokio::net::TcpListener,
    hosts: Hosts,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<Stopped> {
    let stopped = Arc::new(std::sync::Mutex::new(Stopped::Signal));
    let drain = Arc::new(tokio::sync::Notify::new());
    let signal = {
        let (api, stopped, drain) = (api.clone(), stopped.clone(), drain.clone());
        async move {
            let why = tokio::select! {
                _ = tokio::signal::ctrl_c() => Stopped::Signal,
                // As the window does: the console shows "joined, restarting"
                // for a moment before the station goes (its polls would
                // otherwise find the session gone at once).
                () = async {
                    api.reopen_requested().await;
                    tokio::time::sleep(SHOW_JOINED).await;
                } => Stopped::Reopen,
            };
            *stopped
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = why;
            drain.notify_one();
        }
    };
    let app = router(api, hosts).into_make_service_with_connect_info::<std::net::SocketAddr>();
    match tls {
        None => {
            let server = axum::serve(listener, app).with_graceful_shutdown(signal);
            // A page's open connection must not hold the reopen back for long.
            tokio::select! {
                outcome = server => outcome?,
                () = async { drain.notified().await; tokio::time::sleep(DRAIN).await } => {}
            }
        }
        Some(config) => {
            let handle = axum_server::Handle::new();
            let stop = handle.clone();
            tokio::spawn(async move {
                signal.await;
                // Open connections get as long as plain HTTP gives them.
                stop.graceful_shutdown(Some(DRAIN));
            });
            axum_server::from_tcp_rustls(
                listener.into_std()?,
                axum_server::tls_rustls::RustlsConfig::from_config(config),
            )?
            .handle(handle)
            .serve(app)
            .await?;
        }
    }
    let why = *stopped
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(why)
}

/// The first start of an empty station (see [`crate::first_start`]): public,
/// since nobody can sign in yet; each refuses once the station holds an
/// event, a staff account or a hub link. `GET /api/first-start`,
/// `POST /api/first-start/demo`, `/create`, `/join`.
fn first_start_routes() -> Router<Arc<Api>> {
    async fn state(State(api): State<Arc<Api>>) -> ApiResult<crate::first_start::FirstStart> {
        Ok(Json(api.first_start().await?))
    }
    async fn demo(State(api): State<Arc<Api>>) -> ApiResult<EventInfo> {
        Ok(Json(api.first_start_demo(jiff::Timestamp::now()).await?))
    }
    async fn create(
        State(api): State<Arc<Api>>,
        Json(req): Json<crate::first_start::NewEvent>,
    ) -> ApiResult<EventInfo> {
        Ok(Json(
            api.first_start_create(&req, jiff::Timestamp::now()).await?,
        ))
    }
    #[derive(Debug, serde::Deserialize)]
    struct JoinBody {
        text: String,
    }
    async fn join(
        State(api): State<Arc<Api>>,
        Json(body): Json<JoinBody>,
    ) -> ApiResult<crate::sync::join_fresh::JoinOutcome> {
        Ok(Json(
            api.first_start_join(&body.text, jiff::Timestamp::now())
                .await?,
        ))
    }
    Router::new()
        .route("/first-start", get(state))
        .route("/first-start/demo", axum::routing::post(demo))
        .route("/first-start/create", axum::routing::post(create))
        .route("/first-start/join", axum::routing::post(join))
}
