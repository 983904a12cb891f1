use tauri_build::{AppManifest, Attributes};

/// Every command the window may call; each gets its own permission, and the
/// capability files grant exactly these.
const COMMANDS: &[&str] = &[
    "get_event",
    "station_config",
    "sign_in_names",
    "sign_in",
    "sign_out",
    "resume_session",
    "config_stamp",
    "admin_import_preview",
    "admin_import_start",
    "admin_import_progress",
    "export_person",
    "rollcall_file",
    "report_file",
    "set_photo",
    "badge_pdf",
    "badges_pdf",
    "sync_join",
    "watchlist_import",
    "first_start",
    "first_start_demo",
    "first_start_create",
    "first_start_join",
    "kiosk_state",
    "kiosk_unlock",
    "call",
];

fn main() {
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    let attributes = Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri build failed: {e:#}");
        std::process::exit(1);
    }
}
