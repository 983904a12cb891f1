//! The organiser console's commands: one-line delegates to the core, each
//! authorizing the session first (`ManageEvent`, or `Revoke` to revoke).
//! Files are written by the core into the user's Downloads folder: the
//! window has no file system access of its own.

use gatehouse::auth::Permission;
use gatehouse::badge_issue::Revocation;
use gatehouse::console::audit_log::{AuditFilter, AuditPage, AuditVerification};
use gatehouse::console::dashboard::Dashboard;
use gatehouse::console::revocations::RevocationRow;
use gatehouse::console::rollcall::{Rollcall, RollcallFormat};
use gatehouse::console::setup::{StaffChange, StaffMember};
use gatehouse::console::SavedFile;
use gatehouse::event::{EventInfo, ZoneCode};
use gatehouse::lang::Lang;
use gatehouse::registry::import::{ImportOptions, ImportPreview, ImportProgress, Mapping};
use gatehouse::registry::privacy::{Erasure, Purge};
use gatehouse::serial::BadgeSerial;
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::State;

fn allow(api: &Api, session: &str, need: Permission) -> Result<gatehouse::auth::Caller, ApiError> {
    Ok(api.authorize(Some(session), need, Timestamp::now())?)
}

/// The file's columns, the mapping (detected when `None`) and its dry run.
#[tauri::command(async)]
pub async fn admin_import_preview(
    api: State<'_, Api>,
    session: String,
    bytes: Vec<u8>,
    name: String,
    mapping: Option<Mapping>,
) -> Result<ImportPreview, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
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
    let caller = allow(&api, &session, Permission::ManageEvent)?;
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
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.import_progress(&id)?)
}

/// Everything held on one attendee, saved as JSON into Downloads.
#[tauri::command(async)]
pub async fn admin_export_person(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
) -> Result<SavedFile, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    let file = api
        .export_person(&serial, api.now().await?, &caller.actor())
        .await?;
    Ok(gatehouse::console::save_in_downloads(file).await?)
}

#[tauri::command(async)]
pub async fn admin_erase_person(
    api: State<'_, Api>,
    session: String,
    serial: BadgeSerial,
) -> Result<Erasure, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .erase_person(&serial, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_purge(
    api: State<'_, Api>,
    session: String,
    confirm: String,
) -> Result<Purge, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .purge_people(&confirm, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_rollcall(
    api: State<'_, Api>,
    session: String,
    zone: ZoneCode,
) -> Result<Rollcall, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.rollcall(&zone, api.now().await?).await?)
}

#[tauri::command(async)]
pub async fn admin_rollcall_save(
    api: State<'_, Api>,
    session: String,
    zone: ZoneCode,
    format: RollcallFormat,
    lang: Lang,
) -> Result<SavedFile, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    let file = api
        .rollcall_file(&zone, format, lang, api.now().await?)
        .await?;
    Ok(gatehouse::console::save_in_downloads(file).await?)
}

#[tauri::command(async)]
pub async fn admin_dashboard(
    api: State<'_, Api>,
    session: String,
    day: Option<jiff::civil::Date>,
) -> Result<Dashboard, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.dashboard_on(api.now().await?, day).await?)
}

#[tauri::command(async)]
pub async fn admin_audit(
    api: State<'_, Api>,
    session: String,
    filter: AuditFilter,
) -> Result<AuditPage, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.audit_entries(&filter).await?)
}

#[tauri::command(async)]
pub async fn admin_audit_verify(
    api: State<'_, Api>,
    session: String,
) -> Result<AuditVerification, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.audit_verify().await?)
}

#[tauri::command(async)]
pub async fn admin_revocations(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<RevocationRow>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.revocations().await?)
}

#[tauri::command(async)]
pub async fn admin_revoke(
    api: State<'_, Api>,
    session: String,
    serial: String,
    reason: String,
) -> Result<Revocation, ApiError> {
    let caller = allow(&api, &session, Permission::Revoke)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(api
        .revoke(&serial, &reason, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_save_event(
    api: State<'_, Api>,
    session: String,
    save: gatehouse::console::setup::EventSave,
) -> Result<EventInfo, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .save_event_based_on(save, api.now().await?, &caller.actor())
        .await?)
}

/// How many printed badges saving `event` would leave with their old access.
#[tauri::command(async)]
pub async fn admin_event_impact(
    api: State<'_, Api>,
    session: String,
    event: EventInfo,
) -> Result<gatehouse::badge_issue::AccessImpact, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.event_access_impact(event, Timestamp::now()).await?)
}

#[tauri::command(async)]
pub async fn admin_staff(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<StaffMember>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.staff().await?)
}

#[tauri::command(async)]
pub async fn admin_create_staff(
    api: State<'_, Api>,
    session: String,
    change: StaffChange,
) -> Result<StaffMember, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .create_staff(change, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_update_staff(
    api: State<'_, Api>,
    session: String,
    id: String,
    change: StaffChange,
) -> Result<StaffMember, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .update_staff(&id, change, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_keys(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<gatehouse::keys::KeyInfo>, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.keys(api.now().await?, &caller.actor()).await?)
}

#[tauri::command(async)]
pub async fn admin_rotate_key(
    api: State<'_, Api>,
    session: String,
) -> Result<gatehouse::keys::KeyInfo, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.rotate_key(api.now().await?, &caller.actor()).await?)
}

#[tauri::command(async)]
pub async fn admin_retire_key(
    api: State<'_, Api>,
    session: String,
    kid: String,
) -> Result<Vec<gatehouse::keys::KeyInfo>, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    let kid: gatehouse::token::Kid = kid.parse()?;
    api.retire_key(&kid, api.now().await?, &caller.actor())
        .await?;
    Ok(api.keys(api.now().await?, &caller.actor()).await?)
}

#[tauri::command(async)]
pub async fn admin_conflicts(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<gatehouse::console::conflicts::ConflictRow>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.conflict_rows().await?)
}

#[tauri::command(async)]
pub async fn admin_conflict_note(
    api: State<'_, Api>,
    session: String,
    scans: Vec<String>,
    text: String,
) -> Result<gatehouse::console::conflicts::ConflictNote, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .annotate_conflict(&scans, &text, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn admin_reports(
    api: State<'_, Api>,
    session: String,
) -> Result<gatehouse::console::reports::Reports, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.reports(api.now().await?).await?)
}

#[tauri::command(async)]
pub async fn admin_report_save(
    api: State<'_, Api>,
    session: String,
    kind: gatehouse::console::reports::ReportKind,
    format: gatehouse::console::reports::ReportFormat,
    lang: Lang,
) -> Result<SavedFile, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    let file = api
        .report_file(kind, format, lang, api.now().await?)
        .await?;
    Ok(gatehouse::console::save_in_downloads(file).await?)
}

/// The vetting queue (issue 16): organisers (and the vetting role).
#[tauri::command(async)]
pub async fn vetting_queue(
    api: State<'_, Api>,
    session: String,
    filter: gatehouse::vetting_store::QueueFilter,
) -> Result<Vec<gatehouse::vetting_store::QueueRow>, ApiError> {
    allow(&api, &session, Permission::Vet)?;
    Ok(api.vetting_queue(&filter).await?)
}

/// Vetting decisions, all or none.
#[tauri::command(async)]
pub async fn vetting_decide(
    api: State<'_, Api>,
    session: String,
    decisions: Vec<gatehouse::vetting_store::DecisionRequest>,
) -> Result<Vec<gatehouse::vetting::Decision>, ApiError> {
    let caller = allow(&api, &session, Permission::Vet)?;
    Ok(api
        .vetting_decide(&decisions, api.now().await?, &caller.actor())
        .await?)
}

/// A person's document number on the vetting screen (audited).
#[tauri::command(async)]
pub async fn vetting_document(
    api: State<'_, Api>,
    session: String,
    serial: String,
) -> Result<gatehouse::vetting_store::DocumentReveal, ApiError> {
    let caller = allow(&api, &session, Permission::Vet)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(api
        .vetting_reveal_document(&serial, api.now().await?, &caller.actor())
        .await?)
}

/// One person's vetting, as the desk shows it (desks and organisers).
#[tauri::command(async)]
pub async fn vetting_accreditation(
    api: State<'_, Api>,
    session: String,
    serial: String,
) -> Result<gatehouse::vetting_store::AccreditationView, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    let serial: BadgeSerial = serial.trim().parse()?;
    Ok(api.accreditation(&serial).await?)
}
/// The watchlist section: the list's size and the attendees with hits.
#[tauri::command(async)]
pub async fn admin_watchlist(
    api: State<'_, Api>,
    session: String,
) -> Result<gatehouse::registry::screening::WatchlistView, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.watchlist().await?)
}

/// Replaces the watchlist with a file and screens the registry again.
#[tauri::command(async)]
pub async fn admin_watchlist_import(
    api: State<'_, Api>,
    session: String,
    bytes: Vec<u8>,
    name: String,
) -> Result<gatehouse::registry::screening::WatchlistImported, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .import_watchlist(&bytes, &name, api.now().await?, &caller.actor())
        .await?)
}
