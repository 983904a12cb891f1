//! The Gatehouse desktop window: a thin Tauri shell. Each command is a
//! one-line delegate to the core [`Api`]; errors cross as `{code, message}`.

mod console;
mod desk;
mod first_start;
mod kiosk;
mod sync;
mod webview;

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Parser;
use gatehouse_api::api::StationConfig;
use gatehouse_api::auth::SessionInfo;
use gatehouse_api::event::{EventInfo, ZoneCode};
use gatehouse_api::staff::Role;
use gatehouse_api::{Api, ApiError};
use tauri::{Manager, State};

#[derive(Debug, Parser)]
#[command(name = "gatehouse-app", about = "The Gatehouse desktop station.")]
struct Args {
    /// The station's database [default: the platform data directory].
    #[arg(long, env = "GATEHOUSE_DB")]
    db: Option<PathBuf>,
    /// Open this station's screen directly (kiosk start-up).
    #[arg(long, value_parser = PossibleValuesParser::new(["admin", "desk", "gate"])
        .try_map(|s: String| Role::from_stored(&s).ok_or("unknown role")))]
    role: Option<Role>,
    /// The gate's zone (with --role gate).
    #[arg(long)]
    zone: Option<ZoneCode>,
    /// Kiosk mode: full screen, no window decorations; closing the window
    /// or leaving the station's screen asks for an organiser's or a
    /// supervisor's PIN.
    #[arg(long, env = "GATEHOUSE_KIOSK")]
    kiosk: bool,
}

#[tauri::command(async)]
async fn get_event(api: State<'_, Api>) -> Result<EventInfo, ApiError> {
    api.event().await.map_err(Into::into)
}

#[tauri::command(async)]
async fn station_config(api: State<'_, Api>) -> Result<StationConfig, ApiError> {
    api.station_info().await.map_err(Into::into)
}

/// Who may sign in at this station, by name: the list before the PIN.
#[tauri::command(async)]
async fn sign_in_names(
    api: State<'_, Api>,
) -> Result<Vec<gatehouse_api::auth::SignInName>, ApiError> {
    api.sign_in_names().await.map_err(Into::into)
}

#[tauri::command(async)]
async fn sign_in(
    api: State<'_, Api>,
    staff_id: String,
    pin: String,
) -> Result<SessionInfo, ApiError> {
    api.sign_in(&staff_id, &pin, "window", jiff::Timestamp::now())
        .await
        .map_err(Into::into)
}

/// The session again after the window reloaded.
#[tauri::command(async)]
async fn resume_session(api: State<'_, Api>, session: String) -> Result<SessionInfo, ApiError> {
    api.resume_session(Some(&session), jiff::Timestamp::now())
        .map_err(Into::into)
}

/// The configuration's stamp: the window looks at it as `serve`'s pages
/// listen to `/api/live`, and reloads what it shows when it changes.
#[tauri::command(async)]
async fn config_stamp(api: State<'_, Api>) -> Result<String, ApiError> {
    api.config_stamp().await.map_err(Into::into)
}

#[tauri::command(async)]
async fn sign_out(api: State<'_, Api>, session: String) -> Result<(), ApiError> {
    api.sign_out(&session);
    Ok(())
}

/// Every operation of the table (`gatehouse_api::ops`): the window has this one
/// command for them all instead of one per operation. It is no weaker than
/// one command each: the capability grants the window `call`, as it granted
/// every one of those commands, and what a caller may do was never decided
/// by which command exists but by [`Api::call`], from the session, exactly
/// as `serve` decides it for `POST /api/op/{name}`. Binary answers (photos,
/// previews) leave as raw bytes (an `ArrayBuffer`), JSON as JSON.
#[tauri::command(async)]
async fn call(
    api: State<'_, Api>,
    session: Option<String>,
    op: String,
    args: Option<serde_json::Value>,
) -> Result<tauri::ipc::Response, ApiError> {
    let args = gatehouse_api::ops::Args::Value(args.unwrap_or_default());
    let reply = api
        .call(session.as_deref(), &op, args, jiff::Timestamp::now())
        .await?;
    Ok(match reply {
        gatehouse_api::ops::Reply::Json(text) => tauri::ipc::Response::new(text),
        gatehouse_api::ops::Reply::Bytes { bytes, .. } => tauri::ipc::Response::new(bytes),
    })
}

fn open_api(args: Args) -> gatehouse_api::Result<Api> {
    let db = match args.db {
        Some(db) => db,
        None => gatehouse_api::store::default_db_path()?,
    };
    let station = StationConfig {
        role: args.role,
        zone: args.zone,
        ..StationConfig::default()
    };
    tauri::async_runtime::block_on(async {
        let api = Api::open(&db, station).await?;
        // A damaged database stops the station here, with what to do.
        api.store().check().await?;
        // A paired station stays synced while the window is open (started
        // first: a station just paired waits for the hub's event).
        gatehouse_api::sync::client::watch_in_background(api.store()).await?;
        // The console's automatic backups (paused until the passphrase is
        // entered again: it is never written down).
        api.start_backup_schedule(|_| {});
        // A station paired but not yet synced waits for the hub's event; an
        // empty one opens on the first-start choice (demo, new event, join).
        if let Err(gatehouse_api::Error::NoEvent) = api.event().await {
            if gatehouse_api::sync::client::link_status(api.store())
                .await?
                .is_some()
            {
                api.wait_for_hub_event().await?;
            }
        }
        Ok(api)
    })
}

/// Whether the window opens as a kiosk; a paired station tells its hub.
async fn kiosk_at_start(api: &Api, flag: bool) -> gatehouse_api::Result<bool> {
    let on = api.kiosk_wanted(flag).await?;
    kiosk::follow_autostart(api, api.kiosk_asked().await?);
    if gatehouse_api::sync::client::link_status(api.store())
        .await?
        .is_some()
    {
        api.kiosk_applied(on, jiff::Timestamp::now()).await?;
    }
    Ok(on)
}

fn main() -> std::process::ExitCode {
    gatehouse_api::logging::init();
    let args = Args::parse();
    let flag = args.kiosk;
    let api = match open_api(args) {
        Ok(api) => api,
        Err(e) => {
            eprintln!("gatehouse-app: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    // Kiosk mode: as the organiser asked for this station, else --kiosk.
    let kiosk = match tauri::async_runtime::block_on(kiosk_at_start(&api, flag)) {
        Ok(on) => kiosk::Kiosk::new(on, flag),
        Err(e) => {
            eprintln!("gatehouse-app: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let result = tauri::Builder::default()
        .manage(api)
        .manage(kiosk)
        .setup(|app| {
            kiosk::setup(app)?;
            kiosk::follow(app);
            webview::setup(app)
        })
        .on_window_event(kiosk::on_window_event)
        .invoke_handler(tauri::generate_handler![
            get_event,
            station_config,
            sign_in_names,
            sign_in,
            sign_out,
            resume_session,
            config_stamp,
            console::admin_import_preview,
            console::admin_import_start,
            console::admin_import_progress,
            console::export_person,
            console::watchlist_import,
            console::rollcall_file,
            console::report_file,
            desk::set_photo,
            desk::badge_pdf,
            desk::badges_pdf,
            sync::sync_join,
            first_start::first_start,
            first_start::first_start_demo,
            first_start::first_start_create,
            first_start::first_start_join,
            kiosk::kiosk_state,
            kiosk::kiosk_unlock,
            call
        ])
        .build(tauri::generate_context!("../tauri.conf.json"))
        .map(|app| {
            app.run(|app, event| {
                // The window closed: the store is closed, what its WAL holds
                // copied into the database file.
                if let tauri::RunEvent::Exit = event {
                    tauri::async_runtime::block_on(app.state::<Api>().store().close());
                }
            })
        });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gatehouse-app: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
