//! Kiosk mode (`gatehouse-app --kiosk`): the window fills the screen without
//! decorations, and closing it (or leaving the station's screen) needs an
//! organiser's or a supervisor's PIN, checked and throttled by the core as
//! sign-in PINs are ([`gatehouse::Api::kiosk_unlock`]). A close the window
//! manager asks for (Alt+F4, a close button) is held back and the page is
//! told (`kiosk-close-requested`) to ask for the PIN; a right PIN closes.
//! Restarting after a crash or a reboot is the session's job (the XDG
//! autostart entry `gatehouse kiosk enable` writes, see `gatehouse::kiosk`).

use std::sync::atomic::{AtomicBool, Ordering};

use gatehouse::{Api, ApiError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State, Window, WindowEvent};

/// Whether this window is a kiosk, and whether a PIN let it close.
#[derive(Debug, Default)]
pub struct Kiosk {
    on: bool,
    unlocked: AtomicBool,
}

impl Kiosk {
    pub fn new(on: bool) -> Kiosk {
        Kiosk {
            on,
            unlocked: AtomicBool::new(false),
        }
    }
}

/// What the page needs to know of kiosk mode.
#[derive(Debug, Serialize)]
pub struct KioskState {
    pub kiosk: bool,
}

/// Full screen, no decorations: set once the window exists.
pub fn setup(app: &tauri::App) -> tauri::Result<()> {
    if !app.state::<Kiosk>().on {
        return Ok(());
    }
    if let Some(window) = app.get_webview_window("main") {
        window.set_decorations(false)?;
        window.set_fullscreen(true)?;
    }
    Ok(())
}

/// Holds a kiosk window's close back until a PIN allowed it.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let kiosk = window.state::<Kiosk>();
        if kiosk.on && !kiosk.unlocked.load(Ordering::SeqCst) {
            api.prevent_close();
            if let Err(e) = window.emit("kiosk-close-requested", ()) {
                tracing::warn!("kiosk: cannot ask the page for a PIN: {e}");
            }
        }
    }
}

#[tauri::command(async)]
pub async fn kiosk_state(kiosk: State<'_, Kiosk>) -> Result<KioskState, ApiError> {
    Ok(KioskState { kiosk: kiosk.on })
}

/// An organiser's or supervisor's PIN to `close` the kiosk window or
/// `leave` the station's screen. A right PIN for `close` ends the app
/// (exit status 0: a supervisor restarting on failure leaves it closed).
#[tauri::command(async)]
pub async fn kiosk_unlock(
    app: AppHandle,
    api: State<'_, Api>,
    kiosk: State<'_, Kiosk>,
    staff_id: String,
    pin: String,
    action: String,
) -> Result<(), ApiError> {
    let action = if action == "close" { "close" } else { "leave" };
    api.kiosk_unlock(&staff_id, &pin, action, "window", jiff::Timestamp::now())
        .await?;
    if action == "close" {
        kiosk.unlocked.store(true, Ordering::SeqCst);
        app.exit(0);
    }
    Ok(())
}
