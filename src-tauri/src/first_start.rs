//! The first start of an empty station (see `gatehouse_api::first_start`): the
//! choice's commands, without a session (nobody can sign in yet); the core
//! refuses each once the station holds an event, an account or a hub link.

use gatehouse_api::event::EventInfo;
use gatehouse_api::first_start::{FirstStart, NewEvent};
use gatehouse_api::sync::join_fresh::JoinOutcome;
use gatehouse_api::{Api, ApiError};
use jiff::Timestamp;
use tauri::{AppHandle, State};

#[tauri::command(async)]
pub async fn first_start(api: State<'_, Api>) -> Result<FirstStart, ApiError> {
    Ok(api.first_start().await?)
}

#[tauri::command(async)]
pub async fn first_start_demo(api: State<'_, Api>) -> Result<EventInfo, ApiError> {
    Ok(api.first_start_demo(Timestamp::now()).await?)
}

#[tauri::command(async)]
pub async fn first_start_create(api: State<'_, Api>, req: NewEvent) -> Result<EventInfo, ApiError> {
    Ok(api.first_start_create(&req, Timestamp::now()).await?)
}

/// Joins a hub as the console's join does, then restarts on the joined
/// database (see `sync::sync_join`).
#[tauri::command(async)]
pub async fn first_start_join(
    app: AppHandle,
    api: State<'_, Api>,
    text: String,
) -> Result<JoinOutcome, ApiError> {
    let outcome = api.first_start_join(&text, Timestamp::now()).await?;
    std::thread::spawn(move || crate::sync::restart_on_joined(&app));
    Ok(outcome)
}
