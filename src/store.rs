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

/// Creates the database file readable by its owner only (0600), or narrows
/// an existing one and its WAL and shared-memory files: it holds personal
/// data, PIN hashes and the sync credential. SQLite gives the WAL and
/// shared-memory files it creates the database file's rights.
fn owner_only(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(Error::io(format!("cannot create {}", path.display()), e))
            }
            _ => {}
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let file = PathBuf::from(file);
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            if meta.permissions().mode() & 0o077 != 0 {
                // Someone else's file may stay as it is: say so, and go on.
                if let Err(e) =
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                {
                    tracing::warn!("cannot make {} owner-only: {e}", file.display());
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Store {
    /// Opens the database at `path`, creating it (and its folder) if needed,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            // Folders made here hold nothing else: owner only.
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        owner_only(path)?;
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
