//! What every HTTP handler of `gatehouse serve` shares: the error as a
//! response (`{code, message}` with a matching status), the session token
//! of a request and the language it asks for. A leaf: the features' routes
//! import it, and [`crate::http`] imports them, without a cycle.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::{ApiError, Error, ErrorCode};

/// A handler's answer: JSON, or the error as `{code, message}`.
pub type ApiResult<T> = Result<Json<T>, HttpError>;

pub struct HttpError(pub(crate) Box<ApiError>);

/// An internal error's details go to the log, its plain words to the client.
impl From<Error> for HttpError {
    fn from(e: Error) -> Self {
        if matches!(e.code(), ErrorCode::DiskFull | ErrorCode::DatabaseDamaged) {
            tracing::error!("{e}");
        }
        HttpError(Box::new(e.into()))
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ErrorCode::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotFound | ErrorCode::NoEvent => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            ErrorCode::DatabaseDamaged | ErrorCode::TimeUnknown => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        // [`in_request_language`] says it again in the request's language.
        let mut response = (status, Json(self.0.clone())).into_response();
        response.extensions_mut().insert(*self.0);
        response
    }
}

/// The language a request asks for (`Accept-Language`: the first of `fr`
/// and `en` it names), French when it names neither.
pub fn request_lang(headers: &HeaderMap) -> crate::lang::Lang {
    let asked = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for tag in asked.split(',') {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("fr") {
            return crate::lang::Lang::Fr;
        }
        if tag.starts_with("en") {
            return crate::lang::Lang::En;
        }
    }
    crate::lang::Lang::Fr
}

/// The session token of a request: `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}
