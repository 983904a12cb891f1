//! The organiser console's commands that are not in the operation table
//! (`gatehouse_api::ops`): files handed over and uploads. One-line delegates to
//! the core, each authorizing the session first. Files are written by the
//! core into the user's Downloads folder: the window has no file system
//! access of its own.

use gatehouse_api::console::rollcall::RollcallFormat;
use gatehouse_api::console::SavedFile;
use gatehouse_api::event::ZoneCode;
use gatehouse_api::lang::Lang;
use gatehouse_api::registry::import::{ImportOptions, ImportPreview, ImportProgress, Mapping};
use gatehouse_api::serial::BadgeSerial;
use gatehouse_api::{Api, ApiError};
use jiff::Timestamp;
use tauri::State;

/// The file's columns, the mapping (detected when `None`) and its dry run.
#[tauri::command(async)]
pub async fn admin_import_preview(
    api: State<'_, Api>,
    session: String,
    bytes: Vec<u8>,
    name: String,
    mapping: Option<Mapping>,
) -> Result<ImportPreview, ApiError> {
    api.authorize_op(Some(&session), "import_preview", Timestamp::now())?;
    Ok(api.import_preview(&bytes, &name, mapping).await?)
}

/// Starts an import in the background; poll `admin_import_progress`.
#[tauri::command(async)]
pub async fn admin_import_start(
    api: State<'_, Api>,
    session: String,
    bytes: Vec<u8>,
    name: String,
    mapping: Option<Mapping>,
    skip_invalid: bool,
) -> Result<ImportProgress, ApiError> {
    let caller = api.authorize_op(Some(&session), "import_start", Timestamp::now())?;
    let options = ImportOptions {
        dry_run: false,
        skip_invalid,
    };
    Ok(api.start_import(
        bytes,
        name,
        mapping,
        options,
        api.now().await?,
        &caller.actor(),
    ))
}

#[tauri::command(async)]
pub async fn admin_import_progress(
    api: State<'_, Api>,
    session: String,
    id: String,
) -> Result<ImportProgress, ApiError> {
    api.authorize_op(Some(&session), "import_progress", Timestamp::now())?;
    Ok(api.import_progress(&id)?)
}

/// Everything held on one attendee, saved as JSON into Downloads.
#[tauri::command(async)]
pub async fn export_person(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
) -> Result<SavedFile, ApiError> {
    let caller = api.authorize_op(Some(&session), "export_person", Timestamp::now())?;
    let file = api
        .export_person(&serial, api.now().await?, &caller.actor())
        .await?;
    Ok(gatehouse_api::console::save_in_downloads(file).await?)
}

/// The roll-call as CSV or PDF, saved into Downloads (a shell operation:
/// its permission is `rollcall_file`'s in `gatehouse_api::ops`).
#[tauri::command(async)]
pub async fn rollcall_file(
    api: State<'_, Api>,
    session: String,
    zone: ZoneCode,
    format: RollcallFormat,
    lang: Lang,
) -> Result<SavedFile, ApiError> {
    api.authorize_op(Some(&session), "rollcall_file", Timestamp::now())?;
    let file = api
        .rollcall_file(&zone, format, lang, api.now().await?)
        .await?;
    Ok(gatehouse_api::console::save_in_downloads(file).await?)
}

/// A report as CSV, XLSX or PDF, saved into Downloads (a shell operation).
#[tauri::command(async)]
pub async fn report_file(
    api: State<'_, Api>,
    session: String,
    kind: gatehouse_api::console::reports::ReportKind,
    format: gatehouse_api::console::reports::ReportFormat,
    lang: Lang,
) -> Result<SavedFile, ApiError> {
    api.authorize_op(Some(&session), "report_file", Timestamp::now())?;
    let file = api
        .report_file(kind, format, lang, api.now().await?)
        .await?;
    Ok(gatehouse_api::console::save_in_downloads(file).await?)
}

/// The vetting queue (issue 16): organisers (and the vetting role).
/// Vetting decisions, all or none.
/// A person's document number on the vetting screen (audited).
/// One person's vetting, as the desk shows it (desks and organisers).
/// The watchlist section: the list's size and the attendees with hits.
/// Replaces the watchlist with a file and screens the registry again.
#[tauri::command(async)]
pub async fn watchlist_import(
    api: State<'_, Api>,
    session: String,
    bytes: Vec<u8>,
    name: String,
) -> Result<gatehouse_api::registry::screening::WatchlistImported, ApiError> {
    let caller = api.authorize_op(Some(&session), "watchlist_import", Timestamp::now())?;
    Ok(api
        .import_watchlist(&bytes, &name, api.now().await?, &caller.actor())
        .await?)
}
