//! The station's SQLite database: one writer connection, a pool of readers.
//!
//! All writes go through [`Store::write`] (one connection, `BEGIN IMMEDIATE`)
//! or, on the durable scan's path, [`Store::write_begun_by`] (the BEGIN sent
//! with the first statement, the COMMIT with the last), so they are
//! serialised and each is durable (`synchronous=FULL`) when it returns.
//! Readers never block the writer (WAL).
//!
//! The WAL is copied back into the database file by a background task on a
//! connection of its own (a passive checkpoint every [`CHECKPOINT_EVERY`]),
//! not by whichever write transaction happens to fill it: otherwise about
//! one scan in a hundred would also pay for writing back and syncing the
//! database file. [`Store::close`] stops that task before closing the pools,
//! and it stops by itself when the last clone of the store is dropped.
//!
//! Any other task that works on the store for as long as it is open (a
//! paired station's sync loop, an import job) is started by
//! [`Store::spawn`]: closing the store stops those tasks (and waits for
//! them) first, so none outlives the connections it uses.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions,
    SqliteSynchronous, SqliteTransactionManager,
};
use sqlx::{ConnectOptions, Connection, SqlitePool, TransactionManager};

use crate::db_files::suffixed;
// The files beside the database, at their old paths.
pub use crate::db_files::{held_file, mark_paired, paired_marker, read_at, PAIRED_MARKER};
use crate::error::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The size the WAL is cut back to once checkpointed, in bytes: a scan
/// writes about 50 KB, and a checkpoint runs every [`CHECKPOINT_EVERY`].
pub const WAL_KEPT_BYTES: u64 = 64 * 1024 * 1024;

/// How often the background task checkpoints the WAL.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The writer connection's page cache, in KiB (SQLite's default is 2 MB).
/// A hub taking in a venue's scans inserts into several indexes keyed by
/// badge, each larger than 2 MB by the second day: with the default cache
/// every batch re-read and spilled index pages through the OS. The cache
/// only takes the memory of the pages it holds.
pub(crate) const WRITER_CACHE_KIB: i64 = 64 * 1024;

#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    writer: Writer,
    reader: SqlitePool,
    checkpoints: Arc<Checkpoints>,
}

/// The one writer connection, kept out of a pool: sqlx's pool pings a
/// connection on its way back (a round trip to SQLite's thread, in a task
/// spawned after every write transaction, that the next one waited for),
/// and its `begin_with` asks SQLite again whether the transaction began.
/// A durable scan paid both (issue 19).
#[derive(Clone, Debug)]
struct Writer {
    conn: Arc<tokio::sync::Mutex<Option<SqliteConnection>>>,
    /// To replace a connection a failed COMMIT left counting a transaction.
    options: SqliteConnectOptions,
}

/// The writer connection, held.
type Held = tokio::sync::OwnedMappedMutexGuard<Option<SqliteConnection>, SqliteConnection>;

/// How a [`WriteTx`] began, so that it ends the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Began {
    /// Through sqlx, which counts it ([`Store::write`]).
    Sqlx,
    /// By the caller's first statement ([`Store::write_begun_by`]).
    Inline,
}

/// A write transaction on the store's writer connection: what
/// `sqlx::Transaction` is (a connection to run statements on, `commit`,
/// rolled back when dropped uncommitted), holding the connection for its
/// whole life so that writes stay serialised.
pub struct WriteTx {
    /// `None` only while it is dropped.
    conn: Option<Held>,
    open: Option<Began>,
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx").field("open", &self.open).finish()
    }
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn.as_deref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_deref_mut().expect("held until dropped")
    }
}

impl WriteTx {
    /// Commits: durable (`synchronous=FULL`) when this returns.
    pub async fn commit(mut self) -> std::result::Result<(), sqlx::Error> {
        match self.open {
            Some(Began::Sqlx) => SqliteTransactionManager::commit(&mut self).await?,
            Some(Began::Inline) => {
                sqlx::query("COMMIT").execute(&mut *self).await?;
            }
            None => {}
        }
        self.open = None;
        Ok(())
    }

    /// Runs `last`, whose SQL ends with `COMMIT`, on a transaction begun by
    /// [`Store::write_begun_by`]: the last statement and the commit in one
    /// round trip to SQLite's thread. Rolled back when it fails.
    pub async fn commit_with<'q>(
        mut self,
        last: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> Result<()> {
        use sqlx::Execute;
        if self.open != Some(Began::Inline) || !last.sql().trim_end().ends_with("COMMIT") {
            return Err(Error::Internal(
                "commit_with: a transaction begun by its first statement, ended by COMMIT".into(),
            ));
        }
        match last.execute(&mut *self).await {
            Ok(_) => {
                self.open = None;
                Ok(())
            }
            Err(e) => {
                if let Err(more) = self.rollback().await {
                    tracing::debug!("rolling back after a failed commit: {more}");
                }
                Err(e.into())
            }
        }
    }

    /// Rolls back now, rather than when dropped.
    pub async fn rollback(mut self) -> std::result::Result<(), sqlx::Error> {
        match self.open.take() {
            Some(Began::Sqlx) => SqliteTransactionManager::rollback(&mut self).await,
            Some(Began::Inline) => inline_rollback(&mut self).await,
            None => Ok(()),
        }
    }
}

/// ROLLBACK of a transaction begun by the caller's own statement: none
/// left open (a COMMIT that failed on a full disk already rolled back) is
/// no error.
async fn inline_rollback(conn: &mut SqliteConnection) -> std::result::Result<(), sqlx::Error> {
    match sqlx::query("ROLLBACK").execute(&mut *conn).await {
        Err(sqlx::Error::Database(e)) if e.message().contains("no transaction is active") => Ok(()),
        other => other.map(|_| ()),
    }
}

impl Drop for WriteTx {
    /// Rolls back what was not committed, ahead of anything the next holder
    /// sends: a handler's future dropped mid-transaction (a browser that
    /// went away) leaves nothing half-written and no write lock held.
    fn drop(&mut self) {
        match self.open.take() {
            Some(Began::Sqlx) => {
                if let Some(conn) = self.conn.as_deref_mut() {
                    SqliteTransactionManager::start_rollback(conn);
                }
            }
            Some(Began::Inline) => {
                // The connection goes with the ROLLBACK: the next write
                // waits for it.
                if let (Some(mut conn), Ok(runtime)) =
                    (self.conn.take(), tokio::runtime::Handle::try_current())
                {
                    runtime.spawn(async move {
                        if let Err(e) = inline_rollback(&mut conn).await {
                            tracing::warn!("cannot roll back an unfinished write: {e}");
                        }
                    });
                }
            }
            None => {}
        }
    }
}

/// The background checkpoint task: dropping this (the last clone of the
/// store) stops it too.
#[derive(Debug)]
struct Checkpoints {
    stop: watch::Sender<bool>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Held while a checkpoint of ours runs: it writes the file's header
    /// before the pages that make the file as long as the header counts, so
    /// a file found short is judged again while none runs.
    running: Arc<tokio::sync::Mutex<()>>,
    /// The file was seen whole: from then on a file gone or emptied under
    /// the running station is damage, not a database being made.
    seen_whole: std::sync::atomic::AtomicBool,
    /// The tasks started by [`Store::spawn`], stopped by [`Store::close`].
    tasks: Mutex<tokio::task::JoinSet<()>>,
}

async fn checkpoint_loop(
    pool: SqlitePool,
    mut stop: watch::Receiver<bool>,
    running: Arc<tokio::sync::Mutex<()>>,
) {
    loop {
        tokio::select! {
            // Asked to stop, or every clone of the store is gone.
            _ = stop.changed() => break,
            _ = tokio::time::sleep(CHECKPOINT_EVERY) => {}
        }
        let _running = running.lock().await;
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

fn file_len(path: &Path) -> Result<Option<u64>> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(m.len())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

/// What a database file's first 100 bytes say of it.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    Sound,
    /// Shorter than its header counts: cut short, unless a WAL still holds
    /// the missing pages (a checkpoint cut off by a power loss).
    Short(String, String),
}

/// A database file as refusals name it: its name only (the whole path is
/// for the log, not for screens).
fn file_name(path: &Path) -> String {
    tracing::debug!("database file: {}", path.display());
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Checks the header of a database file of `len` bytes (more than 0).
fn header(path: &Path, len: u64) -> Result<Header> {
    let shown = file_name(path);
    let mut head = [0u8; 100];
    let read = held_file(path)
        .and_then(|f| match read_at(&f, &mut head, 0)? {
            100 => Ok(()),
            _ => Err(std::io::ErrorKind::UnexpectedEof.into()),
        })
        .map_err(|e| Error::io(format!("cannot read {shown}"), e));
    if len < 100 || read.is_err() {
        return Err(Error::damaged_because(
            &format!("{shown} is {len} bytes long: cut short"),
            &format!("{shown} ne fait que {len} octets : fichier tronqué"),
        ));
    }
    if &head[..16] != b"SQLite format 3\0" {
        return Err(Error::damaged_because(
            &format!("{shown} is not a SQLite database"),
            &format!("{shown} n'est pas une base SQLite"),
        ));
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    if page < 512 || len % page != 0 {
        return Err(Error::damaged_because(
            &format!("{shown} is {len} bytes long, not a whole number of {page}-byte pages: cut short"),
            &format!("{shown} fait {len} octets, pas un nombre entier de pages de {page} octets : fichier tronqué"),
        ));
    }
    let (counter, pages, valid_for) = (be32(24), u64::from(be32(28)), be32(92));
    if valid_for == counter && pages * page > len {
        return Ok(Header::Short(
            format!("{shown} is {len} bytes long where its header counts {pages} pages of {page} bytes: cut short"),
            format!("{shown} fait {len} octets alors que son en-tête compte {pages} pages de {page} octets : fichier tronqué"),
        ));
    }
    Ok(Header::Sound)
}

/// Refuses, before SQLite touches it, a database that is cut short or must
/// not be made anew: a paired station's (its key folder says so) that is
/// missing or empty, or an empty one whose WAL holds recorded data. Returns
/// whether the file looks short while a WAL may still hold its pages (then
/// `quick_check` decides).
fn guard(path: &Path) -> Result<bool> {
    let len = file_len(path)?;
    let wal = suffixed(path, "-wal");
    let wal_len = file_len(&wal)?.unwrap_or(0);
    if let Some(len) = len.filter(|&l| l > 0) {
        return match header(path, len)? {
            Header::Sound => Ok(false),
            Header::Short(..) if wal_len > 0 => Ok(true),
            Header::Short(en, fr) => Err(Error::damaged_because(&en, &fr)),
        };
    }
    let shown = file_name(path);
    let (state_en, state_fr) = match len {
        None => ("missing", "absente"),
        Some(_) => ("empty (0 bytes)", "vide (0 octet)"),
    };
    let marker = paired_marker(path);
    if let Ok(text) = std::fs::read_to_string(&marker) {
        let what: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let field = |k: &str| what[k].as_str().unwrap_or("?").to_string();
        let (url, station, role) = (field("url"), field("station"), field("role"));
        let wal_en = if wal_len > 0 {
            format!(
                "; {} still holds {wal_len} bytes of what it recorded",
                wal.display()
            )
        } else {
            String::new()
        };
        let wal_fr = if wal_len > 0 {
            format!(
                " ; {} garde encore {wal_len} octets de ce qu'il a enregistré",
                wal.display()
            )
        } else {
            String::new()
        };
        return Err(Error::Storage {
            problem: crate::error::StorageProblem::Damaged,
            en: format!(
                "the database {shown} is {state_en}, but this laptop is paired with the hub {url} as station {station} ({role}; see {}){wal_en}. \
                 It is not made anew in its place and nothing was deleted. Restore the database from a copy if there is one; \
                 otherwise keep these files, un-pair the station on the hub (`gatehouse unpair {station}`) and pair this laptop again \
                 with a new database (`gatehouse join URL --code CODE --db NEW.db`)",
                marker.display()
            ),
            fr: format!(
                "la base {shown} est {state_fr}, or ce portable est appairé au hub {url} comme poste {station} ({role} ; voir {}){wal_fr}. \
                 Elle n'est pas recréée à sa place et rien n'a été effacé. Restaurez la base depuis une copie s'il y en a une ; \
                 sinon gardez ces fichiers, désappairez le poste sur le hub (`gatehouse unpair {station}`) puis appairez à nouveau \
                 ce portable avec une nouvelle base (`gatehouse join URL --code CODE --db NOUVELLE.db`)",
                marker.display()
            ),
            unsent: None,
        });
    }
    if wal_len > 0 {
        return Err(Error::damaged_because(
            &format!(
                "{shown} is {state_en} while {} holds {wal_len} bytes of recorded data",
                wal.display()
            ),
            &format!(
                "{shown} est {state_fr} alors que {} garde {wal_len} octets de données enregistrées",
                wal.display()
            ),
        ));
    }
    Ok(false)
}

impl Store {
    /// Opens the database at `path`, creating it (and its folder) if needed,
    /// and brings its schema up to date. Refuses a database cut short, and
    /// a paired station's that is missing or empty (never made anew in
    /// place: see [`PAIRED_MARKER`]).
    pub async fn open(path: &Path) -> Result<Store> {
        match Store::open_checked(path).await {
            Ok(store) => Ok(store),
            // A damaged or full paired station says what it has not sent.
            Err(e) => Err(crate::sync::recover::explain(e, path).await),
        }
    }

    async fn open_checked(path: &Path) -> Result<Store> {
        let suspicious = guard(path)?;
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
            .pragma("temp_store", "memory")
            // The WAL grows to hold the largest transaction (an import of
            // portraits, a migration that makes a table again: hundreds of
            // MB) and SQLite keeps that size for good; past this, the
            // first commit after a checkpoint cuts it back.
            .pragma("journal_size_limit", WAL_KEPT_BYTES.to_string());
        // No write transaction checkpoints: the background task does.
        // The one writer lives as long as the store: no ping before each
        // write (a round trip to SQLite's thread on every scan), and no
        // reconnecting every half hour (which drops its page cache).
        let writer_options = options
            .clone()
            .pragma("wal_autocheckpoint", "0")
            .pragma("cache_size", format!("-{WRITER_CACHE_KIB}"));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(writer_options.clone())
            .await?;
        if suspicious {
            quick_check(&writer).await?;
        }
        if let Some(version) = first_pending_migration(&writer).await? {
            // Upgrades keep everything: a copy of the database as the
            // previous release left it, beside it, before anything changes.
            let copy =
                crate::db_files::pre_migration_copy(&writer, path, version, jiff::Timestamp::now())
                    .await?;
            tracing::warn!(
                "{} is upgraded from migration {version} on: its copy as it was is {}",
                path.display(),
                copy.display()
            );
        }
        MIGRATOR.run(&writer).await?;
        let writer_conn = writer.acquire().await?.detach();
        writer.close().await;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with(options.clone());
        // Readers are connections of this process: nothing between them
        // and SQLite can fail unseen, so no ping before each read.
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await?;
        let (stop, stopped) = watch::channel(false);
        let running = Arc::new(tokio::sync::Mutex::new(()));
        let task = tokio::spawn(checkpoint_loop(checkpointer, stopped, running.clone()));
        Ok(Store {
            path: path.to_owned(),
            writer: Writer {
                conn: Arc::new(tokio::sync::Mutex::new(Some(writer_conn))),
                options: writer_options,
            },
            reader,
            checkpoints: Arc::new(Checkpoints {
                stop,
                task: Mutex::new(Some(task)),
                running,
                seen_whole: std::sync::atomic::AtomicBool::new(false),
                tasks: Mutex::new(tokio::task::JoinSet::new()),
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
    /// Refuses, with what was found, when the file was cut short, emptied
    /// or removed under the running station: SQLite would go on from the
    /// pages it holds in memory and its WAL, recording on a file that no
    /// longer holds the rest (a battery that died mid-write, a bad copy).
    pub async fn write(&self) -> Result<WriteTx> {
        self.ensure_whole().await?;
        self.begin_write("BEGIN IMMEDIATE").await
    }

    /// Refuses, as [`Store::write`] does, when the file was cut short,
    /// emptied or removed under the running station. What reads before
    /// writing ask first (a print reads the person, then records): pages
    /// missing from a cut file read as zeros, and a damaged file must be
    /// said as such, not as the nonsense those zeros decode to.
    pub async fn ensure_whole(&self) -> Result<()> {
        if self.file_whole().is_err() {
            let _no_checkpoint = self.checkpoints.running.lock().await;
            if let Err(e) = self.file_whole() {
                // Short while the WAL holds pages: a checkpoint a full disk
                // cut off leaves the file so, and the WAL still holds what
                // it lacks. SQLite, reading afresh, decides.
                let wal = file_len(&suffixed(&self.path, "-wal"))?.unwrap_or(0);
                if wal == 0 || self.fresh_check().await.is_err() {
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The file as the running station keeps it: as long as its header
    /// counts (a stat and its first 100 bytes).
    fn file_whole(&self) -> Result<()> {
        use std::sync::atomic::Ordering;
        let seen = &self.checkpoints.seen_whole;
        let shown = file_name(&self.path);
        match file_len(&self.path)? {
            Some(len) if len >= 100 => match header(&self.path, len)? {
                Header::Sound => {
                    seen.store(true, Ordering::Relaxed);
                    Ok(())
                }
                Header::Short(en, fr) => Err(Error::damaged_because(&en, &fr)),
            },
            _ if !seen.load(Ordering::Relaxed) => Ok(()),
            Some(len) => Err(Error::damaged_because(
                &format!("{shown} is {len} bytes long while this station runs on it: cut short"),
                &format!("{shown} ne fait plus que {len} octets alors que ce poste s'en sert : fichier tronqué"),
            )),
            None => Err(Error::damaged_because(
                &format!("{shown} was removed while this station runs on it"),
                &format!("{shown} a été supprimé alors que ce poste s'en sert"),
            )),
        }
    }

    /// `quick_check` on a connection of its own (none of the pages the
    /// station's connections hold in memory), read only.
    async fn fresh_check(&self) -> Result<()> {
        use sqlx::Connection;
        let options = SqliteConnectOptions::new()
            .filename(&self.path)
            .create_if_missing(false)
            .read_only(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
        let found: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(5)")
            .fetch_all(&mut conn)
            .await?;
        let _ = conn.close().await;
        if found.len() == 1 && found[0] == "ok" {
            Ok(())
        } else {
            Err(Error::damaged(&found.join("; ")))
        }
    }

    async fn begin_write(&self, statement: &'static str) -> Result<WriteTx> {
        let mut conn = self.hold_writer().await?;
        SqliteTransactionManager::begin(&mut conn, Some(statement.into())).await?;
        Ok(WriteTx {
            conn: Some(conn),
            open: Some(Began::Sqlx),
        })
    }

    /// A write transaction begun by `first`, whose SQL starts with `BEGIN`
    /// (`BEGIN; UPDATE … RETURNING …`): the BEGIN and the first statement in
    /// one round trip to SQLite's thread, with the row the statement
    /// returns. End it with [`WriteTx::commit_with`]. A plain `BEGIN` is as
    /// good as `BEGIN IMMEDIATE` when the first statement writes: it takes
    /// the write lock (waiting for another process's writer as IMMEDIATE
    /// would) before anything is read. The durable scan's path (issue 19):
    /// two round trips in all, where sqlx's own transaction takes four.
    pub async fn write_begun_by<'q>(
        &self,
        first: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> Result<(WriteTx, Option<sqlx::sqlite::SqliteRow>)> {
        use sqlx::Execute;
        if !first.sql().starts_with("BEGIN") {
            return Err(Error::Internal(
                "write_begun_by: the first statement must begin the transaction".into(),
            ));
        }
        self.ensure_whole().await?;
        let mut tx = WriteTx {
            conn: Some(self.hold_writer().await?),
            open: Some(Began::Inline),
        };
        let row = first.fetch_optional(&mut *tx).await?;
        Ok((tx, row))
    }

    /// The writer connection, once the write before has let it go.
    async fn hold_writer(&self) -> Result<Held> {
        let held = tokio::time::timeout(
            Duration::from_secs(30),
            self.writer.conn.clone().lock_owned(),
        )
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?;
        let mut conn = tokio::sync::OwnedMutexGuard::try_map(held, Option::as_mut)
            .map_err(|_| sqlx::Error::PoolClosed)?;
        // A COMMIT that failed (a full disk) leaves the connection counting
        // a transaction SQLite already rolled back: replace it, so the next
        // write meets the real cause again, not this.
        if SqliteTransactionManager::get_transaction_depth(&conn) > 0 {
            let fresh = self.writer.options.connect().await?;
            let stuck = std::mem::replace(&mut *conn, fresh);
            if let Err(e) = stuck.close().await {
                tracing::warn!("closing the database connection: {e}");
            }
        }
        Ok(conn)
    }

    /// SQLite's `quick_check` of the whole database: what a long-running
    /// station (serve, the app, the hub, `sync --watch`) runs at start.
    pub async fn check(&self) -> Result<()> {
        quick_check(&mut *self.hold_writer().await?).await
    }

    /// Whether this station can record now: rewrites one padded row (about
    /// as many pages as a scan writes) and commits: a full disk fails here. What a verdict that records nothing
    /// (`verify`) asks first, so that it never shows one a scan could not
    /// record.
    pub async fn can_record(&self) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO store_probe (id, n, pad) VALUES (1, 1, zeroblob(32768))
             ON CONFLICT (id) DO UPDATE SET n = (n + 1) % 1000000, pad = zeroblob(32768)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Runs `task` beside the store until it ends or the store is closed:
    /// [`Store::close`] stops it (at its next await) and waits for it before
    /// closing the connections, so it never meets a closed pool.
    pub fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.tasks().spawn(task);
    }

    /// The tasks started by [`Store::spawn`], those that have ended
    /// forgotten.
    fn tasks(&self) -> std::sync::MutexGuard<'_, tokio::task::JoinSet<()>> {
        let mut tasks = self
            .checkpoints
            .tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while tasks.try_join_next().is_some() {}
        tasks
    }

    /// How many tasks started by [`Store::spawn`] are still running.
    pub fn tasks_running(&self) -> usize {
        self.tasks().len()
    }

    /// Stops the tasks started by [`Store::spawn`] and the background
    /// checkpoints (waiting for each to end), then closes the connections:
    /// the readers first, the writer last. The last connection to close
    /// copies what the WAL holds into the file and removes the WAL, unless
    /// it is read-only: a reader closed last left the WAL whole (22 MB after
    /// `demo --attendees 3000`), for the next start to read through again.
    pub async fn close(&self) {
        let mut tasks = std::mem::take(&mut *self.tasks());
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
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
        self.reader.close().await;
        if let Some(conn) = self.writer.conn.lock().await.take() {
            if let Err(e) = conn.close().await {
                tracing::warn!("closing the database connection: {e}");
            }
        }
    }
}

/// The first migration an existing database has yet to run: none for a
/// database with no migration applied yet (made now) or one up to date.
async fn first_pending_migration(pool: &SqlitePool) -> Result<Option<i64>> {
    let tracked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await?;
    if tracked == 0 {
        return Ok(None);
    }
    let applied: std::collections::HashSet<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    if applied.is_empty() {
        return Ok(None);
    }
    Ok(MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .find(|v| !applied.contains(v)))
}

async fn quick_check<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<()> {
    let found: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(5)")
        .fetch_all(db)
        .await?;
    if found.len() == 1 && found[0] == "ok" {
        return Ok(());
    }
    let found = found.join("; ").replace('\n', "; ");
    Err(Error::damaged_because(
        &format!("SQLite's quick check found: {found}"),
        &format!("la vérification rapide de SQLite a trouvé : {found}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// Set when the task's future is dropped (ended or stopped).
    struct Ended(Arc<AtomicBool>);

    impl Drop for Ended {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn closing_the_store_stops_its_tasks_before_its_connections() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("tasks.db"))
            .await
            .expect("open");
        let ended = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(AtomicUsize::new(0));
        // A task reading and writing for as long as the store is open, as a
        // sync loop or a hub's capture does.
        let (e, r, f, s) = (
            ended.clone(),
            reads.clone(),
            failures.clone(),
            store.clone(),
        );
        store.spawn(async move {
            let _ended = Ended(e);
            loop {
                let read = sqlx::query("SELECT count(*) FROM sqlite_master")
                    .execute(s.read())
                    .await;
                let wrote = match s.write().await {
                    Ok(tx) => tx.commit().await.map_err(Error::from),
                    Err(e) => Err(e),
                };
                match (read, wrote) {
                    (Ok(_), Ok(())) => r.fetch_add(1, Ordering::SeqCst),
                    _ => f.fetch_add(1, Ordering::SeqCst),
                };
                tokio::task::yield_now().await;
            }
        });
        // A task that ends by itself is forgotten.
        store.spawn(async {});
        for _ in 0..10_000 {
            if reads.load(Ordering::SeqCst) >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(reads.load(Ordering::SeqCst) >= 3, "the task ran");
        assert_eq!(store.tasks_running(), 1);
        store.close().await;
        assert!(ended.load(Ordering::SeqCst), "close stopped the task");
        assert_eq!(store.tasks_running(), 0);
        assert_eq!(
            failures.load(Ordering::SeqCst),
            0,
            "the task never met a closed pool"
        );
    }

    /// A store with a table `t (x INTEGER NOT NULL)`.
    async fn with_table(dir: &Path) -> Store {
        let store = Store::open(&dir.join("writes.db")).await.expect("open");
        let mut tx = store.write().await.expect("write");
        sqlx::query("CREATE TABLE t (x INTEGER NOT NULL) STRICT")
            .execute(&mut *tx)
            .await
            .expect("create");
        tx.commit().await.expect("commit");
        store
    }

    async fn rows_in_t(store: &Store) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(store.read())
            .await
            .expect("count")
    }

    #[tokio::test]
    async fn a_write_abandoned_mid_statement_is_rolled_back_and_holds_no_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = with_table(dir.path()).await;
        // Another process's writer holds the lock: the store's first
        // statement waits for it, in flight on SQLite's thread.
        let other = SqliteConnectOptions::new()
            .filename(dir.path().join("writes.db"))
            .busy_timeout(Duration::from_secs(10));
        let mut blocker = other.connect().await.expect("connect");
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut blocker)
            .await
            .expect("lock");
        let mut begun =
            Box::pin(store.write_begun_by(sqlx::query("BEGIN; INSERT INTO t VALUES (1)")));
        let first =
            std::future::poll_fn(|cx| std::task::Poll::Ready(begun.as_mut().poll(cx).is_pending()))
                .await;
        assert!(first, "the statement waits for the other writer");
        // Its caller goes away (a browser closed mid-scan).
        drop(begun);
        sqlx::query("COMMIT")
            .execute(&mut blocker)
            .await
            .expect("unlock");
        // The next write on the store runs once the abandoned one is rolled
        // back; without the rollback its BEGIN would meet an open transaction.
        let tx = store.write().await.expect("the next write begins");
        tx.commit().await.expect("and commits");
        assert_eq!(rows_in_t(&store).await, 0, "nothing half-written");
        // And the lock is free for the other process.
        let mut quick = other
            .clone()
            .busy_timeout(Duration::from_millis(200))
            .connect()
            .await
            .expect("connect");
        sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut quick)
            .await
            .expect("another process writes");
        assert_eq!(rows_in_t(&store).await, 1);
        store.close().await;
    }

    #[tokio::test]
    async fn a_last_statement_that_fails_rolls_back_the_whole_transaction() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = with_table(dir.path()).await;
        let (tx, _) = store
            .write_begun_by(sqlx::query("BEGIN; INSERT INTO t VALUES (1)"))
            .await
            .expect("begun");
        let failed = tx
            .commit_with(sqlx::query("INSERT INTO t VALUES (NULL); COMMIT"))
            .await;
        assert!(failed.is_err(), "NULL is refused");
        assert_eq!(rows_in_t(&store).await, 0, "the first insert went too");
        let (tx, _) = store
            .write_begun_by(sqlx::query("BEGIN; INSERT INTO t VALUES (1)"))
            .await
            .expect("the next write begins");
        tx.commit_with(sqlx::query("INSERT INTO t VALUES (2); COMMIT"))
            .await
            .expect("and commits");
        assert_eq!(rows_in_t(&store).await, 2);
        // A statement that does not begin the transaction is refused unrun.
        assert!(store
            .write_begun_by(sqlx::query("INSERT INTO t VALUES (3)"))
            .await
            .is_err());
        assert_eq!(rows_in_t(&store).await, 2);
        store.close().await;
    }
}
