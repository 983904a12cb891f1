//! The console's "back up now" in the window: a one-line delegate to the
//! core, for the organiser only.

use gatehouse::auth::Permission;
use gatehouse::backup::BackupSummary;
use gatehouse::backup_schedule::{ScheduleState, Setting};
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::State;

#[tauri::command(async)]
pub async fn admin_backup_now(
    api: State<'_, Api>,
    session: String,
    folder: String,
    passphrase: String,
    keep: u32,
) -> Result<BackupSummary, ApiError> {
    let now = Timestamp::now();
    api.authorize(Some(&session), Permission::ManageEvent, now)?;
    Ok(api.backup_now(&folder, &passphrase, keep, now).await?)
}

/// The console's automatic backups (issue 17): the same schedule `serve`
/// runs ([`gatehouse::backup_schedule`]), the passphrase in memory only.
#[tauri::command(async)]
pub async fn admin_backup_schedule(
    api: State<'_, Api>,
    session: String,
) -> Result<ScheduleState, ApiError> {
    let now = Timestamp::now();
    api.authorize(Some(&session), Permission::ManageEvent, now)?;
    Ok(api.backup_schedule(now).await?)
}

#[tauri::command(async)]
pub async fn admin_backup_schedule_set(
    api: State<'_, Api>,
    session: String,
    setting: Setting,
) -> Result<ScheduleState, ApiError> {
    let now = Timestamp::now();
    let caller = api.authorize(Some(&session), Permission::ManageEvent, now)?;
    Ok(api
        .backup_schedule_set(&setting, &caller.actor(), now)
        .await?)
}

#[tauri::command(async)]
pub async fn admin_backup_schedule_resume(
    api: State<'_, Api>,
    session: String,
    passphrase: String,
) -> Result<ScheduleState, ApiError> {
    let now = Timestamp::now();
    api.authorize(Some(&session), Permission::ManageEvent, now)?;
    Ok(api.backup_schedule_resume(&passphrase, now).await?)
}

#[tauri::command(async)]
pub async fn admin_backup_schedule_off(
    api: State<'_, Api>,
    session: String,
) -> Result<ScheduleState, ApiError> {
    let now = Timestamp::now();
    let caller = api.authorize(Some(&session), Permission::ManageEvent, now)?;
    Ok(api.backup_schedule_off(&caller.actor(), now).await?)
}
