//! Kiosk mode (`gatehouse-app --kiosk`): the window fills the screen without
//! decorations, and closing it (or leaving the station's screen) needs an
//! organiser's or a supervisor's PIN, checked and throttled by the core as
//! sign-in PINs are ([`gatehouse_api::Api::kiosk_unlock`]). A close the window
//! manager asks for (Alt+F4, a close button) is held back and the page is
//! told (`kiosk-close-requested`) to ask for the PIN; a right PIN closes.
//! Restarting after a crash or a reboot is the session's job (the XDG
//! autostart entry `gatehouse kiosk enable` writes, see `gatehouse_api::kiosk`).
//!
//! The organiser may also set kiosk mode for this station from the hub's
//! console (`gatehouse_api::station_kiosk`, a synced setting): the window opens
//! in kiosk mode when it was asked, and [`follow`] switches a running
//! window when a sync brings a change, telling the page
//! (`kiosk-changed`) and the hub (the `kiosk.applied` audit entry).

use std::sync::atomic::{AtomicBool, Ordering};

use gatehouse_api::{Api, ApiError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State, Window, WindowEvent};

/// Whether this window is a kiosk, and whether a PIN let it close.
#[derive(Debug, Default)]
pub struct Kiosk {
    on: AtomicBool,
    /// `--kiosk`: what holds while the console asked nothing.
    flag: bool,
    unlocked: AtomicBool,
}

impl Kiosk {
    pub fn new(on: bool, flag: bool) -> Kiosk {
        Kiosk {
            on: AtomicBool::new(on),
            flag,
            unlocked: AtomicBool::new(false),
        }
    }

    fn on(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }
}

/// How often a running window looks whether the console changed its
/// kiosk mode (a sync brings it).
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// Full screen and no decorations, or back to an ordinary window.
fn show(window: &tauri::WebviewWindow, on: bool) -> tauri::Result<()> {
    window.set_decorations(!on)?;
    window.set_fullscreen(on)
}

/// Keeps this user's autostart entry in step with what the console asked
/// of this station (on: the kiosk opens again after a reboot or a crash;
/// off: it no longer does). Nothing asked: `gatehouse kiosk enable|disable`
/// on the laptop decides, as before. A failure is logged: the window itself
/// still follows the setting.
pub fn follow_autostart(api: &Api, asked: Option<bool>) {
    let done = match asked {
        None => return,
        Some(true) => std::env::current_exe()
            .map_err(|e| gatehouse_api::Error::io("cannot find the window's own program", e))
            .and_then(|app| {
                let station = api.station();
                gatehouse_api::autostart::write_autostart(
                    &app,
                    api.store().path(),
                    station.role,
                    station.zone.as_ref(),
                )
            }),
        Some(false) => gatehouse_api::autostart::remove_autostart(),
    };
    if let Err(e) = done {
        tracing::warn!("kiosk: cannot update the autostart entry: {e}");
    }
}

/// Follows the console's kiosk setting while the window runs.
pub fn follow(app: &tauri::App) {
    let handle = app.handle().clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(FOLLOW_EVERY);
        let kiosk = handle.state::<Kiosk>();
        let api = handle.state::<Api>();
        let wanted = match tauri::async_runtime::block_on(api.kiosk_wanted(kiosk.flag)) {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!("kiosk: cannot read this station's setting: {e}");
                continue;
            }
        };
        if wanted == kiosk.on() {
            continue;
        }
        kiosk.on.store(wanted, Ordering::SeqCst);
        if let Some(window) = handle.get_webview_window("main") {
            if let Err(e) = show(&window, wanted) {
                tracing::warn!("kiosk: cannot switch the window: {e}");
            }
        }
        if let Err(e) = handle.emit("kiosk-changed", KioskState { kiosk: wanted }) {
            tracing::warn!("kiosk: cannot tell the page: {e}");
        }
        match tauri::async_runtime::block_on(api.kiosk_asked()) {
            Ok(asked) => follow_autostart(&api, asked),
            Err(e) => tracing::warn!("kiosk: cannot read this station's setting: {e}"),
        }
        if let Err(e) =
            tauri::async_runtime::block_on(api.kiosk_applied(wanted, jiff::Timestamp::now()))
        {
            tracing::warn!("kiosk: cannot record the change: {e}");
        }
    });
}

/// What the page needs to know of kiosk mode.
#[derive(Debug, Clone, Serialize)]
pub struct KioskState {
    pub kiosk: bool,
}

/// Full screen, no decorations: set once the window exists.
pub fn setup(app: &tauri::App) -> tauri::Result<()> {
    if !app.state::<Kiosk>().on() {
        return Ok(());
    }
    if let Some(window) = app.get_webview_window("main") {
        show(&window, true)?;
    }
    Ok(())
}

/// Holds a kiosk window's close back until a PIN allowed it.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let kiosk = window.state::<Kiosk>();
        if kiosk.on() && !kiosk.unlocked.load(Ordering::SeqCst) {
            api.prevent_close();
            if let Err(e) = window.emit("kiosk-close-requested", ()) {
                tracing::warn!("kiosk: cannot ask the page for a PIN: {e}");
            }
        }
    }
}

#[tauri::command(async)]
pub async fn kiosk_state(kiosk: State<'_, Kiosk>) -> Result<KioskState, ApiError> {
    Ok(KioskState { kiosk: kiosk.on() })
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
