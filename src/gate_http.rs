//! The gate screen's HTTP routes: thin handlers that authorize, call
//! [`Api`] and format; what they answer is built in [`crate::gate_station`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;

use crate::api::Api;
use crate::auth::Permission;
use crate::event::ZoneCode;
use crate::gate_station::{GateStatus, Holder, HolderPhoto, OverrideOutcome, OverrideRequest};
use crate::http_support::{bearer, HttpError};
use crate::serial::BadgeSerial;

async fn status_handler(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(zone): Path<String>,
) -> std::result::Result<Json<GateStatus>, HttpError> {
    api.authorize(bearer(&headers), Permission::Scan, Timestamp::now())?;
    let zone: ZoneCode = zone.parse()?;
    let now = api.agreed_time().await?.timestamp();
    Ok(Json(api.gate_status(&zone, now).await?))
}

async fn photo_handler(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> std::result::Result<Json<HolderPhoto>, HttpError> {
    api.authorize(bearer(&headers), Permission::ViewHolder, Timestamp::now())?;
    let serial: BadgeSerial = serial.parse()?;
    Ok(Json(api.holder_photo(&serial).await?))
}

async fn holder_handler(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> std::result::Result<Json<Holder>, HttpError> {
    api.authorize(bearer(&headers), Permission::ViewHolder, Timestamp::now())?;
    let serial: BadgeSerial = serial.parse()?;
    Ok(Json(api.holder(&serial).await?))
}

async fn override_handler(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<OverrideRequest>,
) -> std::result::Result<Json<OverrideOutcome>, HttpError> {
    let now = Timestamp::now();
    let officer = api.authorize(bearer(&headers), Permission::Scan, now)?;
    let at = api.decision_time().await?;
    Ok(Json(api.override_denial(&req, &officer, at).await?))
}

/// `GET /api/gate/{zone}/status`, `GET /api/gate/photo/{serial}`,
/// `GET /api/gate/holder/{serial}`, `POST /api/gate/override`.
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/gate/{zone}/status", get(status_handler))
        .route("/gate/photo/{serial}", get(photo_handler))
        .route("/gate/holder/{serial}", get(holder_handler))
        .route("/gate/override", post(override_handler))
}
