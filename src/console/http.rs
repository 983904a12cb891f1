//! The console's routes of its own under `/api` (merged by
//! [`crate::http::router`]): files handed over as downloads (roll-call,
//! reports, a person's data) and uploads (imports, the watchlist). Every
//! handler authorizes the session first. The console's plain operations
//! are in [`crate::ops`].

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use super::rollcall::RollcallFormat;
use crate::api::Api;
use crate::auth::{Caller, Permission};
use crate::event::ZoneCode;
use crate::http_support::{bearer, HttpError};
use crate::lang::Lang;
use crate::registry::import::{ImportOptions, ImportPreview, ImportProgress, Mapping};
use crate::serial::BadgeSerial;

type ApiResult<T> = Result<Json<T>, HttpError>;

/// The largest import file accepted over HTTP.
const IMPORT_MAX_BYTES: usize = crate::registry::import::limits::FILE_BYTES;

fn allow(api: &Api, headers: &HeaderMap, need: Permission) -> Result<Caller, HttpError> {
    Ok(api.authorize(bearer(headers), need, Timestamp::now())?)
}

#[derive(Debug, Deserialize)]
struct FileQuery {
    zone: ZoneCode,
    format: RollcallFormat,
    #[serde(default)]
    lang: Lang,
}

/// The file itself, as an attachment with its suggested name.
async fn rollcall_file(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<FileQuery>,
) -> Result<Response, HttpError> {
    api.authorize_op(bearer(&headers), "rollcall_file", Timestamp::now())?;
    let file = api
        .rollcall_file(&q.zone, q.format, q.lang, api.now().await?)
        .await?;
    Ok(attachment(file))
}

#[derive(Debug, Deserialize)]
struct ReportFileQuery {
    kind: super::reports::ReportKind,
    format: super::reports::ReportFormat,
    #[serde(default)]
    lang: Lang,
}

/// A report file, as an attachment with its suggested name.
async fn report_file(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<ReportFileQuery>,
) -> Result<Response, HttpError> {
    api.authorize_op(bearer(&headers), "report_file", Timestamp::now())?;
    let file = api
        .report_file(q.kind, q.format, q.lang, api.now().await?)
        .await?;
    Ok(attachment(file))
}

/// A file as an attachment with its suggested name, never cached.
fn attachment(file: super::ExportFile) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(file.mime)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        file.bytes,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct ImportQuery {
    /// The file's name (its extension tells CSV from XLSX).
    name: String,
    /// The mapping as JSON (`["family_name", null, …]`); detected when absent.
    #[serde(default)]
    mapping: Option<String>,
    #[serde(default)]
    skip_invalid: bool,
}

impl ImportQuery {
    fn mapping(&self) -> Result<Option<Mapping>, HttpError> {
        self.mapping
            .as_deref()
            .filter(|m| !m.is_empty())
            .map(|m| {
                serde_json::from_str(m).map_err(|e| {
                    crate::Error::from(crate::messages::Msg::MappingInvalid {
                        detail: e.to_string(),
                        mapping: m.to_string(),
                    })
                    .into()
                })
            })
            .transpose()
    }
}

/// The file is the raw request body.
async fn import_preview(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<ImportPreview> {
    allow(&api, &headers, Permission::ManageEvent)?;
    let mapping = q.mapping()?;
    Ok(Json(api.import_preview(&body, &q.name, mapping).await?))
}

async fn import_start(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<ImportProgress> {
    let caller = allow(&api, &headers, Permission::ManageEvent)?;
    let options = ImportOptions {
        dry_run: false,
        skip_invalid: q.skip_invalid,
    };
    let mapping = q.mapping()?;
    Ok(Json(api.start_import(
        body.to_vec(),
        q.name,
        mapping,
        options,
        api.now().await?,
        &caller.actor(),
    )))
}

async fn import_progress(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<ImportProgress> {
    allow(&api, &headers, Permission::ManageEvent)?;
    Ok(Json(api.import_progress(&id)?))
}

/// The JSON document, as an attachment.
async fn export_person(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Response, HttpError> {
    let caller = allow(&api, &headers, Permission::ManageEvent)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    let file = api
        .export_person(&serial, api.now().await?, &caller.actor())
        .await?;
    Ok(attachment(file))
}

async fn erase_person(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> ApiResult<crate::registry::privacy::Erasure> {
    let caller = allow(&api, &headers, Permission::ManageEvent)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(Json(
        api.erase_person(&serial, api.now().await?, &caller.actor())
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
struct PurgeRequest {
    confirm: String,
}

async fn purge_people(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<PurgeRequest>,
) -> ApiResult<crate::registry::privacy::Purge> {
    let caller = allow(&api, &headers, Permission::ManageEvent)?;
    Ok(Json(
        api.purge_people(&req.confirm, api.now().await?, &caller.actor())
            .await?,
    ))
}

async fn vetting_queue(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(filter): Query<crate::vetting_store::QueueFilter>,
) -> ApiResult<Vec<crate::vetting_store::QueueRow>> {
    allow(&api, &headers, Permission::Vet)?;
    Ok(Json(api.vetting_queue(&filter).await?))
}

#[derive(Debug, Deserialize)]
struct VettingDecideRequest {
    decisions: Vec<crate::vetting_store::DecisionRequest>,
}

async fn vetting_decide(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(req): Json<VettingDecideRequest>,
) -> ApiResult<Vec<crate::vetting::Decision>> {
    let caller = allow(&api, &headers, Permission::Vet)?;
    Ok(Json(
        api.vetting_decide(&req.decisions, api.now().await?, &caller.actor())
            .await?,
    ))
}

async fn watchlist(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> ApiResult<crate::registry::screening::WatchlistView> {
    allow(&api, &headers, Permission::ManageEvent)?;
    Ok(Json(api.watchlist().await?))
}

#[derive(Debug, Deserialize)]
struct WatchlistImportQuery {
    /// The file's name (its extension tells CSV from XLSX).
    name: String,
}

/// The file is the raw request body.
async fn watchlist_import(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<WatchlistImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<crate::registry::screening::WatchlistImported> {
    let caller = allow(&api, &headers, Permission::ManageEvent)?;
    Ok(Json(
        api.import_watchlist(&body, &q.name, api.now().await?, &caller.actor())
            .await?,
    ))
}

/// One person's vetting, as the desk shows it (desks and organisers).
async fn accreditation(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> ApiResult<crate::vetting_store::AccreditationView> {
    allow(&api, &headers, Permission::ViewRegistry)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(Json(api.accreditation(&serial).await?))
}

/// A person's document number on the vetting screen: security officers
/// and organisers, one row at a time, each reveal audited.
async fn vetting_document(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> ApiResult<crate::vetting_store::DocumentReveal> {
    let caller = allow(&api, &headers, Permission::Vet)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(Json(
        api.vetting_reveal_document(&serial, api.now().await?, &caller.actor())
            .await?,
    ))
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/vetting", get(vetting_queue).post(vetting_decide))
        .route("/vetting/{serial}/document", post(vetting_document))
        .route("/vetting/{serial}", get(accreditation))
        .route("/rollcall/file", get(rollcall_file))
        .route("/reports/file", get(report_file))
        .route("/import/{id}", get(import_progress))
        .route("/privacy/{serial}/export", get(export_person))
        .route("/privacy/{serial}/erase", axum::routing::post(erase_person))
        .route("/privacy/purge", axum::routing::post(purge_people))
        .route("/watchlist", get(watchlist))
        .merge(
            Router::new()
                .route("/import/preview", axum::routing::post(import_preview))
                .route("/import", axum::routing::post(import_start))
                .route("/watchlist/import", axum::routing::post(watchlist_import))
                // Pre-registration files of 100,000 rows are tens of MB.
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_MAX_BYTES)),
        )
}
