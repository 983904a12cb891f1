//! The station's SQLite database: one writer connection, a pool of readers.
//!
//! All writes go through [`Store::write`] (one connection, `BEGIN IMMEDIATE`)
//! so they are serialised and each is durable (`synchronous=FULL`) when it
//! returns. Readers never block the writer (WAL).
//!
//! The WAL is copied back into the database file by a background task on a
//! connection of its own (a passive checkpoint every [`CHECKPOINT_EVERY`]),
//! not by whichever write transaction happens to fill it: otherwise about
//! one scan in a hundred would also pay for writing back and syncing the
//! database file. [`Store::close`] stops that task before closing the pools,
//! and it stops by itself when the last clone of the store is dropped.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How often the background task checkpoints the WAL.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    writer: SqlitePool,
    reader: SqlitePool,
    checkpoints: Arc<Checkpoints>,
}

/// The background checkpoint task: dropping this (the last clone of the
/// store) stops it too.
#[derive(Debug)]
struct Checkpoints {
    stop: watch::Sender<bool>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

async fn checkpoint_loop(pool: SqlitePool, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            // Asked to stop, or every clone of the store is gone.
            _ = stop.changed() => break,
            _ = tokio::time::sleep(CHECKPOINT_EVERY) => {}
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!("cannot checkpoint the database: {e}");
        }
    }
    pool.close().await;
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
        // No write transaction checkpoints: the background task does.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone().pragma("wal_autocheckpoint", "0"))
            .await?;
        MIGRATOR.run(&writer).await?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with(options.clone());
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(checkpoint_loop(checkpointer, stopped));
        Ok(Store {
            path: path.to_owned(),
            writer,
            reader,
            checkpoints: Arc::new(Checkpoints {
                stop,
                task: Mutex::new(Some(task)),
            }),
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

    /// Stops the background checkpoints, then closes the connections
    /// (the last one to close checkpoints what is left and removes the WAL).
    pub async fn close(&self) {
        let _ = self.checkpoints.stop.send(true);
        let task = self
            .checkpoints
            .task
            .lock()
            .map(|mut t| t.take())
            .unwrap_or_default();
        if let Some(task) = task {
            let _ = task.await;
        }
        self.writer.close().await;
        self.reader.close().await;
    }
}
