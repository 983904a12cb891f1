//! The desk's routes of its own under `/api` (merged by
//! [`crate::http::router`]): a badge or a batch as a PDF, handed over as a
//! download. Every other desk operation is in [`crate::ops`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jiff::Timestamp;

use crate::api::Api;
use crate::desk::PdfRequest;
use crate::http_support::{bearer, HttpError};
use crate::serial::BadgeSerial;

/// The badge as a PDF (`application/pdf`, the file's name in
/// `Content-Disposition`), recorded as printed; the badge version in
/// `X-Gatehouse-Version`.
async fn badge_pdf(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    Json(req): Json<PdfRequest>,
) -> Result<Response, HttpError> {
    let now = Timestamp::now();
    let caller = api.authorize_op(bearer(&headers), "badge_pdf", now)?;
    let serial = s.parse::<BadgeSerial>()?;
    let made = api.badge_pdf(&serial, &req, now, &caller.actor()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", made.file_name),
            ),
            (
                header::HeaderName::from_static("x-gatehouse-version"),
                made.version.to_string(),
            ),
        ],
        made.pdf,
    )
        .into_response())
}

/// Several badges as one PDF (the desk's batch print without a printer),
/// each recorded as printed; how many in `X-Gatehouse-Count`.
async fn badges_pdf(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<crate::desk::BatchPdfRequest>,
) -> Result<Response, HttpError> {
    let now = Timestamp::now();
    let caller = api.authorize_op(bearer(&headers), "badges_pdf", now)?;
    let made = api.badges_pdf(&req, now, &caller.actor()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", made.file_name),
            ),
            (
                header::HeaderName::from_static("x-gatehouse-count"),
                made.badges.len().to_string(),
            ),
        ],
        made.pdf,
    )
        .into_response())
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/attendees/{serial}/badge.pdf", post(badge_pdf))
        .route("/badges.pdf", post(badges_pdf))
}
