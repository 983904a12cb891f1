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
use crate::error::{ApiError, Error, ErrorCode};
use crate::event::EventInfo;

/// The built UI (`ui/dist`). Debug builds read it from disk at run time,
/// release builds carry it inside the binary.
#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/ui/dist"]
#[allow_missing = true]
struct UiAssets;

pub struct HttpError(ApiError);

impl From<Error> for HttpError {
    fn from(e: Error) -> Self {
        if e.code() == ErrorCode::Internal {
            tracing::error!("{e}");
        }
        HttpError(e.into())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ErrorCode::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotFound | ErrorCode::NoEvent => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(self.0)).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, HttpError>;

async fn event(State(api): State<Arc<Api>>) -> ApiResult<EventInfo> {
    Ok(Json(api.event().await?))
}

async fn station(State(api): State<Arc<Api>>) -> Json<StationConfig> {
    Json(api.station())
}

/// The body of `POST /api/verify` and `POST /api/scan`.
#[derive(Debug, serde::Deserialize)]
struct GateRequest {
    token: String,
    zone: crate::event::ZoneCode,
    #[serde(default = "direction_in")]
    direction: crate::gate::Direction,
}

fn direction_in() -> crate::gate::Direction {
    crate::gate::Direction::In
}

async fn verify(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<GateRequest>,
) -> ApiResult<crate::gate::Verdict> {
    let now = jiff::Timestamp::now();
    api.authorize(bearer(&headers), crate::auth::Permission::Scan, now)?;
    Ok(Json(
        api.verify(&req.token, &req.zone, req.direction, now)
            .await?,
    ))
}

async fn scan(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<GateRequest>,
) -> ApiResult<crate::scan_log::ScanOutcome> {
    let now = jiff::Timestamp::now();
    let caller = api.authorize(bearer(&headers), crate::auth::Permission::Scan, now)?;
    Ok(Json(
        api.scan(
            &req.token,
            &req.zone,
            req.direction,
            now,
            None,
            &caller.actor(),
        )
        .await?,
    ))
}

#[derive(Debug, serde::Deserialize)]
struct ScansQuery {
    zone: Option<crate::event::ZoneCode>,
    serial: Option<crate::serial::BadgeSerial>,
}

async fn scans(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ScansQuery>,
) -> ApiResult<Vec<crate::scan_log::Scan>> {
    api.authorize(
        bearer(&headers),
        crate::auth::Permission::Scan,
        jiff::Timestamp::now(),
    )?;
    Ok(Json(api.scans(q.zone.as_ref(), q.serial.as_ref()).await?))
}

/// The session token of a request: `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

#[derive(Debug, serde::Deserialize)]
struct SignIn {
    pin: String,
}

/// Wrong PINs are throttled per client address (`pin_throttle.rs`).
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
        api.sign_in(&req.pin, &source, jiff::Timestamp::now())
            .await?,
    ))
}

async fn sign_out(State(api): State<Arc<Api>>, headers: HeaderMap) -> StatusCode {
    if let Some(token) = bearer(&headers) {
        api.sign_out(token);
    }
    StatusCode::NO_CONTENT
}

async fn api_not_found(OriginalUri(uri): OriginalUri) -> HttpError {
    HttpError(ApiError {
        code: ErrorCode::NotFound,
        message: format!("no API endpoint {}", uri.path()),
        fields: None,
        retry_after_s: None,
    })
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
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"
                    .to_owned(),
            ),
        ],
        file.data,
    )
        .into_response()
}

pub fn router(api: Arc<Api>) -> Router {
    let api_routes = Router::new()
        .route("/event", get(event))
        .route("/station", get(station))
        .route("/session", axum::routing::post(sign_in).delete(sign_out))
        .route("/verify", axum::routing::post(verify))
        .route("/scan", axum::routing::post(scan))
        .route("/scans", get(scans))
        .merge(crate::gate_station::routes())
        .merge(crate::registry::http::routes())
        .merge(crate::desk::http::routes())
        .merge(crate::badge::http::routes())
        .merge(crate::console::http::routes())
        .merge(crate::sync::http::routes())
        .fallback(api_not_found)
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

/// How long requests still running may finish once the server stops.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves until Ctrl-C or a hub joined from the console.
pub async fn serve(api: Arc<Api>, listener: tokio::net::TcpListener) -> std::io::Result<Stopped> {
    let stopped = Arc::new(std::sync::Mutex::new(Stopped::Signal));
    let drain = Arc::new(tokio::sync::Notify::new());
    let signal = {
        let (api, stopped, drain) = (api.clone(), stopped.clone(), drain.clone());
        async move {
            let why = tokio::select! {
                _ = tokio::signal::ctrl_c() => Stopped::Signal,
                () = api.reopen_requested() => Stopped::Reopen,
            };
            *stopped
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = why;
            drain.notify_one();
        }
    };
    let server = axum::serve(
        listener,
        router(api).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(signal);
    // A page's open connection must not hold the reopen back for long.
    tokio::select! {
        outcome = server => outcome?,
        () = async { drain.notified().await; tokio::time::sleep(DRAIN).await } => {}
    }
    let why = *stopped
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(why)
}
