//! From the storage's errors to the core's: a full disk and a damaged file
//! become the refusals a user reads; anything else an internal error whose
//! SQL stays in the log. The one place of the core that names sqlx (the
//! `sqlx` feature, which the station's crates turn on).

use super::{Error, StorageFailure};

/// SQLite's primary result code of a database error, if it is one.
fn sqlite_code(e: &sqlx::Error) -> Option<i32> {
    match e {
        // Only SQLite's numeric codes (PostgreSQL's SQLSTATEs are numbers too).
        sqlx::Error::Database(d) => {
            d.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
            d.code()?.parse::<i32>().ok()
        }
        _ => None,
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match sqlite_code(&e) {
            // SQLITE_FULL, and SQLITE_IOERR_SHMSIZE (no room for the WAL index)
            Some(13 | 4874) => Error::disk_full(&e.to_string()),
            // SQLITE_IOERR (any other), SQLITE_CORRUPT, SQLITE_NOTADB
            Some(c) if matches!(c & 0xff, 10 | 11 | 26) => Error::damaged(&e.to_string()),
            _ => Error::Database(StorageFailure::new(e)),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        use sqlx::migrate::MigrateError as M;
        match e {
            M::Execute(inner) | M::ExecuteMigration(inner, _) if sqlite_code(&inner).is_some() => {
                match Error::from(inner) {
                    Error::Database(inner) => Error::Migrate(inner),
                    storage => storage,
                }
            }
            e => Error::Migrate(StorageFailure::new(e)),
        }
    }
}
