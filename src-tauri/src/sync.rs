//! The window's one sync command outside the operation table
//! (`gatehouse_api::ops`): joining a hub from the console, after which the
//! window restarts on the joined database. The console's other sync
//! operations (status, stations, pairing codes, alerts, quarantine,
//! revocation reach, kiosk per station) are in the table.

use std::time::Duration;

use gatehouse_api::sync::join_fresh::JoinOutcome;
use gatehouse_api::{Api, ApiError};
use jiff::Timestamp;
use tauri::{AppHandle, Manager, State};

/// How long the screen shows "joined, restarting" before the window restarts.
const RESTART_AFTER: Duration = Duration::from_millis(1500);

/// Joins the hub named by `text` (the pairing QR's JSON, or its address and
/// code) from this standalone station's console, in a fresh database. Once
/// the outcome is on screen the window closes its store, swaps the joined
/// database in (its own kept beside it) and restarts on it with the same
/// arguments: it then syncs and waits for the hub's event (see `open_api`).
#[tauri::command(async)]
pub async fn sync_join(
    app: AppHandle,
    api: State<'_, Api>,
    session: String,
    text: String,
) -> Result<JoinOutcome, ApiError> {
    api.authorize_op(Some(&session), "sync_join", Timestamp::now())?;
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
