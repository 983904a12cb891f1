//! The registry's one route of its own under `/api` (merged by
//! [`crate::http::router`]): a photo upload, whose body is the picture
//! itself. Every other registry operation is in [`crate::ops`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::{Json, Router};
use jiff::Timestamp;

use crate::api::Api;
use crate::http_support::{bearer, HttpError};
use crate::registry::photo::MAX_INPUT_BYTES;
use crate::registry::Attendee;
use crate::serial::BadgeSerial;

/// The body is the picture itself (JPEG or PNG).
async fn set_photo(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    body: Bytes,
) -> Result<Json<Attendee>, HttpError> {
    let caller = api.authorize_op(bearer(&headers), "set_photo", Timestamp::now())?;
    let serial = s.parse::<BadgeSerial>()?;
    let now = api.now().await?;
    Ok(Json(
        api.set_photo(&serial, &body, now, &caller.actor()).await?,
    ))
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new().route(
        "/attendees/{serial}/photo",
        axum::routing::put(set_photo).layer(DefaultBodyLimit::max(MAX_INPUT_BYTES)),
    )
}
