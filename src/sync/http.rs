//! The sync routes of the station API under `/api` (merged by
//! [`crate::http::router`]), for the screens: any signed-in station reads
//! its own sync status; the organiser (`ManageEvent`) lists, pairs and
//! un-pairs stations on the hub, lists and cancels open pairing codes, sees
//! the security alerts and the entries held aside for a quarantined station
//! and releases or discards them, and sees which stations hold each
//! revocation. The hub's own station-to-hub protocol is [`super::hub`].

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get};
use axum::{Json, Router};
use jiff::Timestamp;

use super::hub::{OpenCode, PairingCode, PairingRequest, PeerInfo, SecurityAlert, Unpaired};
use super::join_fresh::JoinOutcome;
use super::store::{HeldEntry, Resolution, Resolved};
use super::visibility::{RevocationReach, SyncStatus};
use crate::api::Api;
use crate::auth::Permission;
use crate::http_support::{bearer, HttpError};

type ApiResult<T> = Result<Json<T>, HttpError>;

async fn status(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<SyncStatus> {
    let now = Timestamp::now();
    api.authorize(bearer(&headers), Permission::StationStatus, now)?;
    Ok(Json(api.sync_status(now).await?))
}

async fn stations(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<PeerInfo>> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    Ok(Json(api.sync_stations(Timestamp::now()).await?))
}

async fn pair(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<PairingRequest>,
) -> ApiResult<PairingCode> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    Ok(Json(api.sync_pair(&req, &caller.actor(), now).await?))
}

async fn open_codes(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<OpenCode>> {
    let now = Timestamp::now();
    api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    Ok(Json(api.sync_open_codes(now).await?))
}

async fn cancel_code(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(label): Path<String>,
) -> Result<StatusCode, HttpError> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    api.sync_cancel_code(&label, &caller.actor(), now).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unpair(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(station): Path<String>,
) -> ApiResult<Unpaired> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    Ok(Json(api.sync_unpair(&station, &caller.actor(), now).await?))
}

async fn alerts(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<SecurityAlert>> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    Ok(Json(api.sync_alerts().await?))
}

/// `?station=`: one station's held entries; without it, every station's.
#[derive(Debug, serde::Deserialize)]
struct HeldQuery {
    #[serde(default)]
    station: Option<String>,
}

async fn held(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<HeldQuery>,
) -> ApiResult<Vec<HeldEntry>> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    let station = q.station.as_deref().filter(|s| !s.is_empty());
    Ok(Json(api.sync_held(station).await?))
}

/// What the console sends to end a station's quarantine.
#[derive(Debug, serde::Deserialize)]
struct ResolveBody {
    resolution: Resolution,
}

async fn resolve(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(station): Path<String>,
    Json(body): Json<ResolveBody>,
) -> ApiResult<Resolved> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    Ok(Json(
        api.sync_resolve(&station, body.resolution, &caller.actor(), now)
            .await?,
    ))
}

/// What the console sends to join a hub: the pairing QR's text, or the
/// hub's address and code as typed.
#[derive(Debug, serde::Deserialize)]
struct JoinBody {
    text: String,
}

/// Joins a hub from this standalone station's console. `serve` then reopens
/// on the joined database (see [`Api::reopen_requested`]).
async fn join(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(body): Json<JoinBody>,
) -> ApiResult<JoinOutcome> {
    let now = Timestamp::now();
    api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    Ok(Json(api.sync_join(&body.text, now).await?))
}

async fn revocations(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> ApiResult<Vec<RevocationReach>> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    Ok(Json(api.revocation_reach().await?))
}

/// `GET /api/sync/status`, `GET /api/sync/stations`, `POST /api/sync/pairing`
/// (a new code), `GET /api/sync/pairing` (the open codes),
/// `DELETE /api/sync/pairing/{label}` (cancels one),
/// `DELETE /api/sync/stations/{station}` (says what un-pairing leaves to do),
/// `GET /api/sync/alerts`, `GET /api/sync/held?station=`,
/// `POST /api/sync/quarantine/{station}` (`{"resolution": "release"|"discard"}`),
/// `GET /api/sync/revocations`, `POST /api/sync/join`.
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/sync/status", get(status))
        .route("/sync/stations", get(stations))
        .route("/sync/pairing", get(open_codes).post(pair))
        .route("/sync/pairing/{label}", delete(cancel_code))
        .route("/sync/stations/{station}", delete(unpair))
        .route("/sync/alerts", get(alerts))
        .route("/sync/held", get(held))
        .route("/sync/quarantine/{station}", axum::routing::post(resolve))
        .route("/sync/revocations", get(revocations))
        .route("/sync/join", axum::routing::post(join))
        .route(
            "/sync/stations/{station}/kiosk",
            axum::routing::put(station_kiosk),
        )
}

/// The body of `PUT /api/sync/stations/{station}/kiosk`.
#[derive(Debug, serde::Deserialize)]
struct KioskBody {
    kiosk: bool,
}

/// On the hub: kiosk mode on or off for a paired station (issue 17).
async fn station_kiosk(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(station): Path<String>,
    Json(body): Json<KioskBody>,
) -> Result<StatusCode, HttpError> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    api.set_station_kiosk(&station, body.kiosk, &caller.actor(), now)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
