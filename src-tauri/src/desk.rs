//! The registration desk's commands: one-line delegates to the core, each
//! authorizing the session first (`ViewRegistry` to read, `EditRegistry` to
//! write, `PrintBadges` to preview and print). Photos and badge previews
//! leave as raw bytes (an `ArrayBuffer` in the window), not JSON arrays.

use gatehouse::auth::{Caller, Permission};
use gatehouse::badge::Format;
use gatehouse::desk::{DocumentRead, PrintOutcome, PrintRequest, PrinterInfo};
use gatehouse::lang::Lang;
use gatehouse::print::JobProgress;
use gatehouse::registry::{Attendee, NewAttendee, SearchHit};
use gatehouse::serial::BadgeSerial;
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::ipc::Response;
use tauri::State;

fn allow(api: &Api, session: &str, need: Permission) -> Result<Caller, ApiError> {
    Ok(api.authorize(Some(session), need, Timestamp::now())?)
}

#[tauri::command(async)]
pub async fn search_attendees(
    api: State<'_, Api>,
    session: String,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api.search(&query, limit).await?)
}

/// An identity document's MRZ typed by the desk's reader.
#[tauri::command(async)]
pub async fn read_document(
    api: State<'_, Api>,
    session: String,
    text: String,
) -> Result<DocumentRead, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api.read_document(&text, api.now().await?).await?)
}

#[tauri::command(async)]
pub async fn get_attendee(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
) -> Result<Attendee, ApiError> {
    let caller = allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api
        .attendee(&serial, &caller.actor(), api.now().await?)
        .await?)
}

#[tauri::command(async)]
pub async fn create_attendee(
    api: State<'_, Api>,
    session: String,
    fields: NewAttendee,
) -> Result<Attendee, ApiError> {
    let caller = allow(&api, &session, Permission::EditRegistry)?;
    Ok(api
        .create_attendee(fields, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn update_attendee(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    fields: NewAttendee,
) -> Result<Attendee, ApiError> {
    let caller = allow(&api, &session, Permission::EditRegistry)?;
    Ok(api
        .update_attendee(&serial, fields, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn attendee_photo(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
) -> Result<Response, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(Response::new(api.attendee_photo(&serial).await?))
}

#[tauri::command(async)]
pub async fn set_photo(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    bytes: Vec<u8>,
) -> Result<Attendee, ApiError> {
    let caller = allow(&api, &session, Permission::EditRegistry)?;
    Ok(api
        .set_photo(&serial, &bytes, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn badge_preview(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    format: Format,
) -> Result<Response, ApiError> {
    let caller = allow(&api, &session, Permission::PrintBadges)?;
    let png = api
        .badge_preview(&serial, format, api.now().await?, &caller.actor())
        .await?;
    Ok(Response::new(png))
}

#[tauri::command(async)]
pub async fn print_badge(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    req: PrintRequest,
) -> Result<PrintOutcome, ApiError> {
    let caller = allow(&api, &session, Permission::PrintBadges)?;
    Ok(api
        .print_badge(&serial, &req, api.now().await?, &caller.actor())
        .await?)
}

/// One badge as a PDF (no printer at this station), saved into Downloads
/// and recorded in the print log like a CUPS print.
#[tauri::command(async)]
pub async fn badge_pdf(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    req: gatehouse::desk::PdfRequest,
) -> Result<gatehouse::desk::PdfSaved, ApiError> {
    let caller = allow(&api, &session, Permission::PrintBadges)?;
    let made = api
        .badge_pdf(&serial, &req, Timestamp::now(), &caller.actor())
        .await?;
    let saved = gatehouse::console::save_in_downloads(gatehouse::console::ExportFile {
        name: made.file_name,
        mime: "application/pdf",
        bytes: made.pdf,
    })
    .await?;
    Ok(gatehouse::desk::PdfSaved {
        name: saved.name,
        path: saved.path,
        version: made.version,
        attendee: made.attendee,
    })
}

/// Several badges as one PDF (the desk's batch print, no printer at this
/// station), saved into Downloads; each recorded in the print log.
#[tauri::command(async)]
pub async fn badges_pdf(
    api: State<'_, Api>,
    session: String,
    req: gatehouse::desk::BatchPdfRequest,
) -> Result<gatehouse::desk::PdfBatchSaved, ApiError> {
    let caller = allow(&api, &session, Permission::PrintBadges)?;
    let made = api
        .badges_pdf(&req, Timestamp::now(), &caller.actor())
        .await?;
    let count = u32::try_from(made.badges.len()).unwrap_or(u32::MAX);
    let saved = gatehouse::console::save_in_downloads(gatehouse::console::ExportFile {
        name: made.file_name,
        mime: "application/pdf",
        bytes: made.pdf,
    })
    .await?;
    Ok(gatehouse::desk::PdfBatchSaved {
        name: saved.name,
        path: saved.path,
        count,
        skipped_revoked: made.skipped_revoked,
    })
}

#[tauri::command(async)]
pub async fn print_job(
    api: State<'_, Api>,
    session: String,
    job: String,
    lang: Lang,
) -> Result<JobProgress, ApiError> {
    allow(&api, &session, Permission::PrintBadges)?;
    Ok(api.print_job(&job, lang).await?)
}

#[tauri::command(async)]
pub async fn list_printers(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<PrinterInfo>, ApiError> {
    allow(&api, &session, Permission::PrintBadges)?;
    Ok(api.printers().await?)
}

#[tauri::command(async)]
pub async fn list_delegations(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<String>, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api.delegations().await?)
}

#[tauri::command(async)]
pub async fn delegation_members(
    api: State<'_, Api>,
    session: String,
    name: String,
) -> Result<Vec<SearchHit>, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api.delegation_members(&name).await?)
}
