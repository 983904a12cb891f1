//! The core's one error type, and its wire form `{code, message}`.
//!
//! Every shell (CLI, HTTP, Tauri) shows `message` to people and lets programs
//! branch on `code`, a closed set. Messages name the row, field or value at fault.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, as a shell or a UI needs to tell cases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was refused: the message names the field and why.
    BadInput,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    /// The database holds no event yet (`gatehouse demo` creates one).
    NoEvent,
    Internal,
}

/// An error as it crosses a boundary (IPC, HTTP, `--json`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("no event in this database: run `gatehouse demo` to create the demo event")]
    NoEvent,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::BadInput(message.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::BadInput(_) => ErrorCode::BadInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Error::NoEvent => ErrorCode::NoEvent,
            Error::Database(_) | Error::Migrate(_) | Error::Io { .. } | Error::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<&Error> for ApiError {
    fn from(e: &Error) -> Self {
        ApiError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}
