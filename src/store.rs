//! The station's SQLite database: one writer connection, a pool of readers.
//!
//! All writes go through [`Store::write`] (one connection, `BEGIN IMMEDIATE`)
//! so they are serialised and each is durable (`synchronous=FULL`) when it
//! returns. Readers never block the writer (WAL).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    writer: SqlitePool,
    reader: SqlitePool,
}

/// Where a station keeps its database when `--db` is not given.
pub fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "gatehouse")
        .ok_or_else(|| Error::Internal("no home directory to keep the database in".into()))?;
    Ok(dirs.data_dir().join("gatehouse.db"))
}

impl Store {
    /// Opens the database at `path`, creating it (and its folder) if needed,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store {
            path: path.to_owned(),
            writer,
            reader,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pool for queries that change nothing.
    pub fn read(&self) -> &SqlitePool {
        &self.reader
    }

    /// A write transaction on the single writer connection, taken with
    /// `BEGIN IMMEDIATE` so it never fails half-way on a lock upgrade.
    pub async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}
