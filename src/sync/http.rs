//! The sync routes of the station API under `/api` (merged by
//! [`crate::http::router`]), for the screens: any signed-in station reads
//! its own sync status; the organiser (`ManageEvent`) lists, pairs and
//! un-pairs stations on the hub and sees which stations hold each
//! revocation. The hub's own station-to-hub protocol is [`super::hub`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get};
use axum::{Json, Router};
use jiff::Timestamp;

use super::hub::{PairingCode, PairingRequest, PeerInfo};
use super::join_fresh::JoinOutcome;
use super::visibility::{RevocationReach, SyncStatus};
use crate::api::Api;
use crate::auth::Permission;
use crate::http::{bearer, HttpError};

type ApiResult<T> = Result<Json<T>, HttpError>;

async fn status(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<SyncStatus> {
    let now = Timestamp::now();
    api.authorize(bearer(&headers), Permission::StationStatus, now)?;
    Ok(Json(api.sync_status(now).await?))
}

async fn stations(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<PeerInfo>> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    Ok(Json(api.sync_stations().await?))
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

async fn unpair(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(station): Path<String>,
) -> Result<StatusCode, HttpError> {
    let now = Timestamp::now();
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, now)?;
    api.sync_unpair(&station, &caller.actor(), now).await?;
    Ok(StatusCode::NO_CONTENT)
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

/// `GET /api/sync/status`, `GET /api/sync/stations`, `POST /api/sync/pairing`,
/// `DELETE /api/sync/stations/{station}`, `GET /api/sync/revocations`,
/// `POST /api/sync/join`.
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/sync/status", get(status))
        .route("/sync/stations", get(stations))
        .route("/sync/pairing", axum::routing::post(pair))
        .route("/sync/stations/{station}", delete(unpair))
        .route("/sync/revocations", get(revocations))
        .route("/sync/join", axum::routing::post(join))
}
