//! The sync route of the station API of its own under `/api` (merged by
//! [`crate::http::router`]): joining a hub from a standalone station's
//! console, after which `serve` reopens on the joined database. The
//! console's other sync operations are in [`crate::ops`]; the hub's own
//! station-to-hub protocol is [`super::hub`].

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::{Json, Router};
use jiff::Timestamp;

use super::join_fresh::JoinOutcome;
use crate::api::Api;
use crate::http_support::{bearer, HttpError};

type ApiResult<T> = Result<Json<T>, HttpError>;

/// What the console sends to join a hub: the pairing QR's text, or the
/// hub's address and code as typed.
#[derive(Debug, serde::Deserialize)]
struct JoinBody {
    text: String,
}

/// Joins a hub from this standalone station's console. `serve` then reopens
/// on the joined database (see [`Api::reopen_requested`]).
async fn join(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    Json(body): Json<JoinBody>,
) -> ApiResult<JoinOutcome> {
    let now = Timestamp::now();
    api.authorize_op(bearer(&headers), "sync_join", now)?;
    Ok(Json(api.sync_join(&body.text, now).await?))
}

/// `POST /api/sync/join` (`{"text": …}`).
pub fn routes() -> Router<Arc<Api>> {
    Router::new().route("/sync/join", axum::routing::post(join))
}
