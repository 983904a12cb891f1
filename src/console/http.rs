//! The console's routes of its own under `/api` (merged by
//! [`crate::http::router`]): files handed over as downloads (roll-call,
//! reports, a person's data) and uploads (imports, the watchlist). Every
//! handler authorizes the session first. The console's plain operations
//! are in [`crate::ops`].

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use serde::Deserialize;

use super::rollcall::RollcallFormat;
use crate::api::Api;
use crate::event::ZoneCode;
use crate::http_support::{bearer, HttpError};
use crate::lang::Lang;
use crate::registry::import::{ImportOptions, ImportPreview, ImportProgress, Mapping};
use crate::serial::BadgeSerial;

type ApiResult<T> = Result<Json<T>, HttpError>;

/// The largest import file accepted over HTTP.
const IMPORT_MAX_BYTES: usize = crate::registry::import::limits::FILE_BYTES;

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
    api.authorize_op(bearer(&headers), "import_preview", Timestamp::now())?;
    let mapping = q.mapping()?;
    Ok(Json(api.import_preview(&body, &q.name, mapping).await?))
}

async fn import_start(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<ImportProgress> {
    let caller = api.authorize_op(bearer(&headers), "import_start", Timestamp::now())?;
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
    api.authorize_op(bearer(&headers), "import_progress", Timestamp::now())?;
    Ok(Json(api.import_progress(&id)?))
}

/// The JSON document, as an attachment.
async fn export_person(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Response, HttpError> {
    let caller = api.authorize_op(bearer(&headers), "export_person", Timestamp::now())?;
    let serial: BadgeSerial = serial.trim().parse()?;
    let file = api
        .export_person(&serial, api.now().await?, &caller.actor())
        .await?;
    Ok(attachment(file))
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
    let caller = api.authorize_op(bearer(&headers), "watchlist_import", Timestamp::now())?;
    Ok(Json(
        api.import_watchlist(&body, &q.name, api.now().await?, &caller.actor())
            .await?,
    ))
}

pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/rollcall/file", get(rollcall_file))
        .route("/reports/file", get(report_file))
        .route("/import/{id}", get(import_progress))
        .route("/privacy/{serial}/export", get(export_person))
        .merge(
            Router::new()
                .route("/import/preview", axum::routing::post(import_preview))
                .route("/import", axum::routing::post(import_start))
                .route("/watchlist/import", axum::routing::post(watchlist_import))
                // Pre-registration files of 100,000 rows are tens of MB.
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_MAX_BYTES)),
        )
}
