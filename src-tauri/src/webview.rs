//! What the window's webview needs beyond Tauri's defaults, set once at start-up.

use tauri::Manager;

/// Prepares the main window's webview: the desk's camera, and a page that comes
/// back by itself if its web process dies.
pub fn setup(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(window) = app.get_webview_window("main") {
        enable_camera(&window)?;
        reload_on_crash(&window)?;
    }
    Ok(())
}

/// The desk photographs walk-ins with the station's webcam. WebKitGTK (the
/// Linux webview) keeps `getUserMedia` off and refuses a permission request
/// that nobody answers: turn media streams on for the window and grant
/// camera and microphone requests (the page only ever asks for video).
/// Other platforms' webviews ask the user themselves.
#[cfg(target_os = "linux")]
fn enable_camera(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|wv| {
        use webkit2gtk::glib::prelude::Cast;
        use webkit2gtk::{
            PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, WebViewExt,
        };
        let view = wv.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
        }
        view.connect_permission_request(|_, req| {
            if req.downcast_ref::<UserMediaPermissionRequest>().is_some() {
                req.allow();
                true
            } else {
                false
            }
        });
    })
}

#[cfg(not(target_os = "linux"))]
fn enable_camera(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

/// WebKitGTK renders the page in a separate web process. When that process
/// crashes or is killed for memory, the window is left blank and stays so: a
/// gate nobody can use until someone restarts the app. Reload instead; the
/// station comes back on its sign-in screen (sessions live in the page's memory
/// only) with its role, zone and the database untouched.
#[cfg(target_os = "linux")]
fn reload_on_crash(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|wv| {
        use webkit2gtk::WebViewExt;
        wv.inner().connect_web_process_terminated(|view, reason| {
            tracing::warn!(
                ?reason,
                "the window's web process ended; reloading the page"
            );
            view.reload();
        });
    })
}

#[cfg(not(target_os = "linux"))]
fn reload_on_crash(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}
