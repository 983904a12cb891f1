//! The console's "back up now" in the window: a one-line delegate to the
//! core, for the organiser only.

use gatehouse::auth::Permission;
use gatehouse::backup::BackupSummary;
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
