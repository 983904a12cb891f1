//! The sync commands of the window: one-line delegates to the core, each
//! authorizing the session first (any station reads its own sync status;
//! the organiser's `ManageEvent` for stations, pairing and revocation reach).

use gatehouse::auth::Permission;
use gatehouse::sync::hub::{PairingCode, PairingRequest, PeerInfo};
use gatehouse::sync::visibility::{RevocationReach, SyncStatus};
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::State;

fn allow(api: &Api, session: &str, need: Permission) -> Result<gatehouse::auth::Caller, ApiError> {
    Ok(api.authorize(Some(session), need, Timestamp::now())?)
}

#[tauri::command(async)]
pub async fn sync_status(api: State<'_, Api>, session: String) -> Result<SyncStatus, ApiError> {
    allow(&api, &session, Permission::ViewRegistry)?;
    Ok(api.sync_status(Timestamp::now()).await?)
}

#[tauri::command(async)]
pub async fn sync_stations(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<PeerInfo>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.sync_stations().await?)
}

#[tauri::command(async)]
pub async fn sync_pair(
    api: State<'_, Api>,
    session: String,
    req: PairingRequest,
) -> Result<PairingCode, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .sync_pair(&req, &caller.actor(), Timestamp::now())
        .await?)
}

#[tauri::command(async)]
pub async fn sync_unpair(
    api: State<'_, Api>,
    session: String,
    station: String,
) -> Result<(), ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .sync_unpair(&station, &caller.actor(), Timestamp::now())
        .await?)
}

#[tauri::command(async)]
pub async fn revocation_reach(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<RevocationReach>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.revocation_reach().await?)
}
