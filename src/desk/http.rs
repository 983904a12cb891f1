//! The desk's JSON routes under `/api` (merged by [`crate::http::router`]):
//! badge preview, print and reprint, a print job's progress, printers,
//! delegations, an identity document read. Each handler
//! authorizes the session first, then calls [`Api`].

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use crate::api::Api;
use crate::auth::Permission;
use crate::badge::Format;
use crate::desk::{DocumentRead, PdfRequest, PrintOutcome, PrintRequest, PrinterInfo};
use crate::http::{bearer, HttpError};
use crate::lang::Lang;
use crate::print::JobProgress;
use crate::registry::SearchHit;
use crate::serial::BadgeSerial;

type ApiResult<T> = Result<Json<T>, HttpError>;

fn serial(s: &str) -> Result<BadgeSerial, HttpError> {
    Ok(s.parse::<BadgeSerial>()?)
}

#[derive(Debug, Deserialize)]
struct PreviewParams {
    format: Option<Format>,
}

async fn badge_png(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    Query(p): Query<PreviewParams>,
) -> Result<Response, HttpError> {
    let caller = api.authorize(bearer(&headers), Permission::PrintBadges, Timestamp::now())?;
    let now = api.now().await?;
    let png = api
        .badge_preview(
            &serial(&s)?,
            p.format.unwrap_or(Format::A6),
            now,
            &caller.actor(),
        )
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

async fn print(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(s): Path<String>,
    Json(req): Json<PrintRequest>,
) -> ApiResult<PrintOutcome> {
    let caller = api.authorize(bearer(&headers), Permission::PrintBadges, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(
        api.print_badge(&serial(&s)?, &req, now, &caller.actor())
            .await?,
    ))
}

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
    let caller = api.authorize(bearer(&headers), Permission::PrintBadges, now)?;
    let made = api
        .badge_pdf(&serial(&s)?, &req, now, &caller.actor())
        .await?;
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
    let caller = api.authorize(bearer(&headers), Permission::PrintBadges, now)?;
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

#[derive(Debug, Deserialize)]
struct JobParams {
    lang: Option<Lang>,
}

async fn print_job(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(job): Path<String>,
    Query(p): Query<JobParams>,
) -> ApiResult<JobProgress> {
    api.authorize(bearer(&headers), Permission::PrintBadges, Timestamp::now())?;
    Ok(Json(api.print_job(&job, p.lang.unwrap_or(Lang::Fr)).await?))
}

async fn printers(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<PrinterInfo>> {
    api.authorize(bearer(&headers), Permission::PrintBadges, Timestamp::now())?;
    Ok(Json(api.printers().await?))
}

async fn delegations(State(api): State<Arc<Api>>, headers: HeaderMap) -> ApiResult<Vec<String>> {
    api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    Ok(Json(api.delegations().await?))
}

#[derive(Debug, Deserialize)]
struct MembersParams {
    name: String,
}

async fn members(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(p): Query<MembersParams>,
) -> ApiResult<Vec<SearchHit>> {
    api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    Ok(Json(api.delegation_members(&p.name).await?))
}

#[derive(Debug, Deserialize)]
struct DocumentText {
    text: String,
}

/// An identity document's MRZ as the desk's reader typed it: its fields,
/// problems and the records it may be.
async fn read_document(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(body): Json<DocumentText>,
) -> ApiResult<DocumentRead> {
    api.authorize(bearer(&headers), Permission::ViewRegistry, Timestamp::now())?;
    let now = api.now().await?;
    Ok(Json(api.read_document(&body.text, now).await?))
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/documents/read", post(read_document))
        .route("/attendees/{serial}/badge.png", get(badge_png))
        .route("/attendees/{serial}/print", post(print))
        .route("/attendees/{serial}/badge.pdf", post(badge_pdf))
        .route("/print-jobs/{job}", get(print_job))
        .route("/printers", get(printers))
        .route("/delegations", get(delegations))
        .route("/delegations/members", get(members))
        .route("/badges.pdf", post(badges_pdf))
}
