//! The desk's commands that need the window itself: a photo sent as raw
//! bytes, badges saved as PDF files into Downloads. Every other desk and
//! registry operation goes through the one `call` command
//! (`gatehouse_api::ops`); these check their permission from the same place
//! ([`Api::authorize_op`]).

use gatehouse_api::registry::Attendee;
use gatehouse_api::serial::BadgeSerial;
use gatehouse_api::{Api, ApiError};
use jiff::Timestamp;
use tauri::State;

#[tauri::command(async)]
pub async fn set_photo(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    bytes: Vec<u8>,
) -> Result<Attendee, ApiError> {
    let caller = api.authorize_op(Some(&session), "set_photo", Timestamp::now())?;
    Ok(api
        .set_photo(&serial, &bytes, api.now().await?, &caller.actor())
        .await?)
}

/// One badge as a PDF (no printer at this station), saved into Downloads
/// and recorded in the print log like a CUPS print.
#[tauri::command(async)]
pub async fn badge_pdf(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
    req: gatehouse_api::desk::PdfRequest,
) -> Result<gatehouse_api::desk::PdfSaved, ApiError> {
    let caller = api.authorize_op(Some(&session), "badge_pdf", Timestamp::now())?;
    let made = api
        .badge_pdf(&serial, &req, Timestamp::now(), &caller.actor())
        .await?;
    let saved = gatehouse_api::console::save_in_downloads(gatehouse_api::console::ExportFile {
        name: made.file_name,
        mime: "application/pdf",
        bytes: made.pdf,
    })
    .await?;
    Ok(gatehouse_api::desk::PdfSaved {
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
    req: gatehouse_api::desk::BatchPdfRequest,
) -> Result<gatehouse_api::desk::PdfBatchSaved, ApiError> {
    let caller = api.authorize_op(Some(&session), "badges_pdf", Timestamp::now())?;
    let made = api
        .badges_pdf(&req, Timestamp::now(), &caller.actor())
        .await?;
    let count = u32::try_from(made.badges.len()).unwrap_or(u32::MAX);
    let saved = gatehouse_api::console::save_in_downloads(gatehouse_api::console::ExportFile {
        name: made.file_name,
        mime: "application/pdf",
        bytes: made.pdf,
    })
    .await?;
    Ok(gatehouse_api::desk::PdfBatchSaved {
        name: saved.name,
        path: saved.path,
        count,
        skipped_revoked: made.skipped_revoked,
    })
}
