//! The sync commands of the window: one-line delegates to the core, each
//! authorizing the session first (any station reads its own sync status;
//! the organiser's `ManageEvent` for stations, pairing codes, security
//! alerts and quarantine, joining a hub and revocation reach).

use gatehouse::auth::Permission;
use std::time::Duration;

use gatehouse::sync::hub::{
    OpenCode, PairingCode, PairingRequest, PeerInfo, SecurityAlert, Unpaired,
};
use gatehouse::sync::join_fresh::JoinOutcome;
use gatehouse::sync::store::{HeldEntry, Resolution, Resolved};
use gatehouse::sync::visibility::{RevocationReach, SyncStatus};
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::{AppHandle, Manager, State};

fn allow(api: &Api, session: &str, need: Permission) -> Result<gatehouse::auth::Caller, ApiError> {
    Ok(api.authorize(Some(session), need, Timestamp::now())?)
}

#[tauri::command(async)]
pub async fn sync_status(api: State<'_, Api>, session: String) -> Result<SyncStatus, ApiError> {
    allow(&api, &session, Permission::StationStatus)?;
    Ok(api.sync_status(Timestamp::now()).await?)
}

#[tauri::command(async)]
pub async fn sync_stations(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<PeerInfo>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.sync_stations(Timestamp::now()).await?)
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
) -> Result<Unpaired, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .sync_unpair(&station, &caller.actor(), Timestamp::now())
        .await?)
}

#[tauri::command(async)]
pub async fn sync_open_codes(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<OpenCode>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.sync_open_codes(Timestamp::now()).await?)
}

#[tauri::command(async)]
pub async fn sync_cancel_code(
    api: State<'_, Api>,
    session: String,
    label: String,
) -> Result<(), ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .sync_cancel_code(&label, &caller.actor(), Timestamp::now())
        .await?)
}

#[tauri::command(async)]
pub async fn sync_alerts(
    api: State<'_, Api>,
    session: String,
) -> Result<Vec<SecurityAlert>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.sync_alerts().await?)
}

#[tauri::command(async)]
pub async fn sync_held(
    api: State<'_, Api>,
    session: String,
    station: Option<String>,
) -> Result<Vec<HeldEntry>, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    Ok(api.sync_held(station.as_deref()).await?)
}

#[tauri::command(async)]
pub async fn sync_resolve(
    api: State<'_, Api>,
    session: String,
    station: String,
    resolution: Resolution,
) -> Result<Resolved, ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .sync_resolve(&station, resolution, &caller.actor(), Timestamp::now())
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

/// How long the screen shows "joined, restarting" before the window restarts.
const RESTART_AFTER: Duration = Duration::from_millis(1500);

/// Joins the hub named by `text` (the pairing QR's JSON, or its address and
/// code) from this standalone station's console, in a fresh database. Once
/// the outcome is on screen the window closes its store, swaps the joined
/// database in (its own kept beside it) and restarts on it with the same
/// arguments: it then syncs and waits for the hub's event (see `open_api`).
#[tauri::command(async)]
pub async fn admin_sync_join(
    app: AppHandle,
    api: State<'_, Api>,
    session: String,
    text: String,
) -> Result<JoinOutcome, ApiError> {
    allow(&api, &session, Permission::ManageEvent)?;
    let outcome = api.sync_join(&text, Timestamp::now()).await?;
    std::thread::spawn(move || restart_on_joined(&app));
    Ok(outcome)
}

pub(crate) fn restart_on_joined(app: &AppHandle) {
    std::thread::sleep(RESTART_AFTER);
    let api = app.state::<Api>();
    tauri::async_runtime::block_on(api.store().close());
    match api.swap_in_join(Timestamp::now()) {
        Ok(Some(kept)) => tracing::warn!(
            "joined the hub: this station's own database is kept as {}",
            kept.display()
        ),
        Ok(None) => tracing::warn!("no joined database to swap in; restarting as before"),
        Err(e) => tracing::error!("swapping in the joined database: {e}"),
    }
    app.restart()
}

/// On the hub: kiosk mode on or off for a paired station (issue 17).
#[tauri::command(async)]
pub async fn sync_station_kiosk(
    api: State<'_, Api>,
    session: String,
    station: String,
    kiosk: bool,
) -> Result<(), ApiError> {
    let caller = allow(&api, &session, Permission::ManageEvent)?;
    Ok(api
        .set_station_kiosk(&station, kiosk, &caller.actor(), Timestamp::now())
        .await?)
}
