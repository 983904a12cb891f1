//! The registry's JSON routes under `/api` (merged by [`crate::http::router`]):
//! search, read, register, edit, photo. Handlers parse, call [`Api`], format.
//! Every handler authorizes the caller's session first (`ViewRegistry` to
//! read, `EditRegistry` to write) and records the staff member as the actor.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use crate::api::Api;
use crate::auth::Permission;
use crate::http::{bearer, HttpError};
use crate::registry::photo::MAX_INPUT_BYTES;
use crate::registry::{Attendee, NewAttendee, SearchHit};
use crate::serial::BadgeSerial;

#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<u32>,
}

fn serial(s: &str) -> Result<BadgeSerial, HttpError> {
    Ok(s.parse::<BadgeSerial>()?)
}

async fn search(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<SearchHit>>, HttpError> {
    api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    Ok(Json(api.search(&p.q, p.limit.unwrap_or(20)).await?))
}

async fn attendee(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
) -> Result<Json<Attendee>, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(
        api.attendee(&serial(&s)?, &caller.actor(), now).await?,
    ))
}

async fn create(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(new): Json<NewAttendee>,
) -> Result<Json<Attendee>, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::EditRegistry, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(api.create_attendee(new, now, &caller.actor()).await?))
}

async fn update(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    Json(fields): Json<NewAttendee>,
) -> Result<Json<Attendee>, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::EditRegistry, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(
        api.update_attendee(&serial(&s)?, fields, now, &caller.actor())
            .await?,
    ))
}

async fn photo(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
) -> Result<Response, HttpError> {
    api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    let jpeg = api.attendee_photo(&serial(&s)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        jpeg,
    )
        .into_response())
}

/// The body is the picture itself (JPEG or PNG).
async fn set_photo(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    body: Bytes,
) -> Result<Json<Attendee>, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::EditRegistry, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(
        api.set_photo(&serial(&s)?, &body, now, &caller.actor())
            .await?,
    ))
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/attendees", get(search).post(create))
        .route("/attendees/{serial}", get(attendee).put(update))
        .route(
            "/attendees/{serial}/photo",
            get(photo)
                .put(set_photo)
                .layer(DefaultBodyLimit::max(MAX_INPUT_BYTES)),
        )
}
