//! The badge template's commands for the organiser console: read, save
//! (audited) and a PNG preview of a sample badge with unsaved settings; each
//! authorizes the session for `ManageEvent` first.

use gatehouse::auth::{Caller, Permission};
use gatehouse::badge::template::TemplateSettings;
use gatehouse::badge::Format;
use gatehouse::{Api, ApiError};
use jiff::Timestamp;
use tauri::ipc::Response;
use tauri::State;

fn allow(api: &Api, session: &str) -> Result<Caller, ApiError> {
    Ok(api.authorize(Some(session), Permission::ManageEvent, Timestamp::now())?)
}

#[tauri::command(async)]
pub async fn get_badge_template(
    api: State<'_, Api>,
    session: String,
) -> Result<TemplateSettings, ApiError> {
    allow(&api, &session)?;
    Ok(api.badge_template().await?)
}

#[tauri::command(async)]
pub async fn set_badge_template(
    api: State<'_, Api>,
    session: String,
    settings: TemplateSettings,
) -> Result<TemplateSettings, ApiError> {
    let caller = allow(&api, &session)?;
    Ok(api
        .set_badge_template(&settings, api.now().await?, &caller.actor())
        .await?)
}

#[tauri::command(async)]
pub async fn badge_template_preview(
    api: State<'_, Api>,
    session: String,
    settings: TemplateSettings,
    format: Format,
) -> Result<Response, ApiError> {
    allow(&api, &session)?;
    Ok(Response::new(
        api.badge_template_preview(settings, format).await?,
    ))
}
