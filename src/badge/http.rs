//! The badge template's JSON routes under `/api` (merged by
//! [`crate::http::router`]), for the organiser console: read, save, and a
//! PNG preview of a sample badge with unsaved settings. `ManageEvent` only.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use super::template::TemplateSettings;
use super::Format;
use crate::api::Api;
use crate::auth::Permission;
use crate::http_support::{bearer, HttpError};

async fn read(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> Result<Json<TemplateSettings>, HttpError> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    Ok(Json(api.badge_template().await?))
}

async fn save(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(settings): Json<TemplateSettings>,
) -> Result<Json<TemplateSettings>, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(
        api.set_badge_template(&settings, now, &caller.actor())
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
struct PreviewParams {
    format: Option<Format>,
}

async fn preview(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(p): Query<PreviewParams>,
    Json(settings): Json<TemplateSettings>,
) -> Result<Response, HttpError> {
    api.authorize(bearer(&headers), Permission::ManageEvent, Timestamp::now())?;
    let png = api
        .badge_template_preview(settings, p.format.unwrap_or(Format::A6))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response())
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/badge-template", get(read).put(save))
        .route("/badge-template/preview", post(preview))
}
