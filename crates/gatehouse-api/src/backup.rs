//! Backups of a live station and their restore onto a fresh machine.
//!
//! A backup is one file: the station's database as SQLite's `VACUUM INTO`
//! copies it (one read transaction, so a consistent snapshot while other
//! processes keep writing; never a file copy of a WAL database), with the
//! files of its key folder (`<db>.keys/`: private signing keys, the TLS
//! identity, the pairing marker) added to the copy as rows of
//! [`FILES_TABLE`], the whole copy then encrypted with `age` under a
//! passphrase (scrypt recipient).
//!
//! Why the whole copy and not only its secret columns: besides the sync
//! credential (`sync_link.token`) and the private keys, the database holds
//! what a lost USB stick must not give away either — names, photos,
//! document numbers, PIN hashes (short PINs, cheap to try offline). An
//! encrypted whole also restores in one piece: nothing to put back column
//! by column, and age's authenticated chunks say when a file was altered
//! or cut short.
//!
//! [`pre_migration_copy`] (in [`crate::db_files`]) is the plain copy
//! [`crate::store::Store::open`] takes beside a database before migrating it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Connection, Row, SqliteConnection};

use crate::db_files::{create_private, suffixed};
// The owner-only copies, at their old paths.
pub use crate::db_files::{pre_migration_copy, pre_migration_path, vacuum_into};
use crate::error::{Error, Result};
use crate::messages::{BackupFault, Msg};
use crate::store::Store;

/// A backup passphrase's least length, in characters: the backup can be
/// attacked offline by whoever finds the stick; scrypt makes each try cost
/// about a second, so the passphrase must leave too many to try.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The table of the key folder's files inside a backup's copy.
pub const FILES_TABLE: &str = "gatehouse_backup_file";
/// What the backup says of itself (program version, when, from where).
pub const INFO_TABLE: &str = "gatehouse_backup_info";

/// A passphrase that passed the rules of its use.
pub struct Passphrase(SecretString);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// The passphrase as read from a file or a line of input: its line ending
/// is not part of it.
fn without_line_end(text: &str) -> &str {
    text.strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(text)
}

impl Passphrase {
    /// A passphrase to make a backup with: not empty, at least
    /// [`MIN_PASSPHRASE_CHARS`] characters.
    pub fn for_backup(text: &str) -> Result<Passphrase> {
        let text = without_line_end(text);
        if text.trim().is_empty() {
            return Err(Msg::PassphraseEmpty {}.into());
        }
        let chars = text.chars().count();
        if chars < MIN_PASSPHRASE_CHARS {
            return Err(Msg::PassphraseShort {
                chars: chars as u64,
                min: MIN_PASSPHRASE_CHARS as u64,
            }
            .into());
        }
        Ok(Passphrase(SecretString::from(text.to_owned())))
    }

    /// A passphrase to open a backup with: not empty (a wrong one is told
    /// by the file itself).
    pub fn for_restore(text: &str) -> Result<Passphrase> {
        let text = without_line_end(text);
        if text.trim().is_empty() {
            return Err(Msg::PassphraseEmpty {}.into());
        }
        Ok(Passphrase(SecretString::from(text.to_owned())))
    }
}

/// What a backup holds, as the CLI and the console say it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BackupSummary {
    pub file: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub attendees: i64,
    #[ts(type = "number")]
    pub scans: i64,
    #[ts(type = "number")]
    pub audit_entries: i64,
    /// Files of the key folder carried (encrypted with the rest).
    #[ts(type = "number")]
    pub key_files: usize,
    pub made_at: String,
}

/// What a restore brought back.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreSummary {
    pub db: String,
    pub event: Option<String>,
    pub attendees: i64,
    pub scans: i64,
    pub audit_entries: i64,
    pub key_files: usize,
    /// The hub the restored station is paired with, if it is.
    pub paired_with: Option<String>,
    /// When the backup was made (as it says).
    pub made_at: Option<String>,
}

/// A file removed when dropped unless kept: the plain copy a backup
/// encrypts, a half-written output.
struct Scratch(Option<PathBuf>);

impl Scratch {
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(suffixed(&path, suffix));
            }
        }
    }
}

/// One connection to a scratch copy, outside any WAL.
async fn open_copy(path: &Path) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// The regular files of `db`'s key folder, by name.
fn key_files(db: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = crate::db_files::key_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot list {}", dir.display()), e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))?;
        let path = entry.path();
        if !path.is_file() {
            tracing::warn!("{} is not a file: not in the backup", path.display());
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        files.push((name, bytes));
    }
    files.sort();
    Ok(files)
}

async fn count(conn: &mut SqliteConnection, table: &str) -> Result<i64> {
    let exists: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
            .fetch_one(&mut *conn)
            .await?;
    if exists == 0 {
        return Ok(0);
    }
    Ok(sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&mut *conn)
        .await?)
}

/// Backs the station up into `out` (refused if it exists), encrypted
/// under `passphrase`. The plain copy is made beside the database (as
/// protected as the database itself) and removed once encrypted; `out` is
/// written under a temporary name and renamed when complete.
pub async fn backup(
    store: &Store,
    out: &Path,
    passphrase: &Passphrase,
    now: Timestamp,
) -> Result<BackupSummary> {
    if out.exists() {
        return Err(Msg::BackupExists {
            file: out.display().to_string(),
        }
        .into());
    }
    let plain = suffixed(
        store.path(),
        &format!(".backup-{}-{}.tmp", std::process::id(), now.as_nanosecond()),
    );
    // Create the scratch guard before the file so a failed VACUUM leaves
    // nothing behind.
    let scratch = Scratch(Some(plain.clone()));
    vacuum_into(store.read(), &plain).await?;
    let files = key_files(store.path())?;
    let mut conn = open_copy(&plain).await?;
    let made_at = now.to_string();
    sqlx::query(&format!(
        "CREATE TABLE {FILES_TABLE} (name TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT"
    ))
    .execute(&mut conn)
    .await?;
    sqlx::query(&format!(
        "CREATE TABLE {INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"
    ))
    .execute(&mut conn)
    .await?;
    for (name, bytes) in &files {
        sqlx::query(&format!(
            "INSERT INTO {FILES_TABLE} (name, bytes) VALUES (?, ?)"
        ))
        .bind(name)
        .bind(bytes)
        .execute(&mut conn)
        .await?;
    }
    for (key, value) in [
        ("made_at", made_at.as_str()),
        ("gatehouse", env!("CARGO_PKG_VERSION")),
    ] {
        sqlx::query(&format!(
            "INSERT INTO {INFO_TABLE} (key, value) VALUES (?, ?)"
        ))
        .bind(key)
        .bind(value)
        .execute(&mut conn)
        .await?;
    }
    let attendees = count(&mut conn, "attendee").await?;
    let scans = count(&mut conn, "scan").await?;
    let audit_entries = count(&mut conn, "audit").await?;
    conn.close().await?;

    let partial = suffixed(out, ".partial");
    let written = Scratch(Some(partial.clone()));
    let secret = passphrase.0.clone();
    let (from, to) = (plain.clone(), partial.clone());
    let bytes = tokio::task::spawn_blocking(move || encrypt(&from, &to, secret))
        .await
        .map_err(|e| Error::Internal(format!("backup task: {e}")))??;
    std::fs::rename(&partial, out)
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
    written.keep();
    drop(scratch);
    Ok(BackupSummary {
        file: out.display().to_string(),
        bytes,
        attendees,
        scans,
        audit_entries,
        key_files: files.len(),
        made_at,
    })
}

fn encrypt(plain: &Path, out: &Path, secret: SecretString) -> Result<u64> {
    let shown = out.display().to_string();
    let write_err = |e| Error::io(format!("cannot write {shown}"), e);
    let mut input = std::fs::File::open(plain)
        .map_err(|e| Error::io(format!("cannot read {}", plain.display()), e))?;
    let file = create_private(out)?;
    let encryptor = age::Encryptor::with_user_passphrase(secret);
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::new(file))
        .map_err(write_err)?;
    std::io::copy(&mut input, &mut writer).map_err(write_err)?;
    let file = writer
        .finish()
        .map_err(write_err)?
        .into_inner()
        .map_err(|e| write_err(e.into_error()))?;
    file.sync_all().map_err(write_err)?;
    Ok(file.metadata().map_err(write_err)?.len())
}

/// Decrypts `file` into `dest` (created owner-only).
fn decrypt(file: &Path, dest: &Path, secret: SecretString) -> Result<()> {
    let shown = file.display().to_string();
    let damaged = |fault| -> Error {
        Msg::BackupDamaged {
            file: shown.clone(),
            fault,
        }
        .into()
    };
    let input = std::fs::File::open(file)
        .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
    let decryptor = match age::Decryptor::new_buffered(std::io::BufReader::new(input)) {
        Ok(d) => d,
        Err(age::DecryptError::Io(e)) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
            return Err(Error::io(format!("cannot read {}", file.display()), e))
        }
        Err(_) => return Err(damaged(BackupFault::NotABackup)),
    };
    if !decryptor.is_scrypt() {
        return Err(damaged(BackupFault::NotABackup));
    }
    let identity = age::scrypt::Identity::new(secret);
    let mut reader = match decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed) => {
            return Err(Msg::BackupWrongPassphrase {
                file: shown.clone(),
            }
            .into())
        }
        Err(age::DecryptError::ExcessiveWork { .. }) => {
            return Err(damaged(BackupFault::TooCostly))
        }
        Err(_) => return Err(damaged(BackupFault::Altered)),
    };
    let out = create_private(dest)?;
    let mut out = std::io::BufWriter::new(out);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => return Err(damaged(BackupFault::Altered)),
        };
        out.write_all(&buf[..n])
            .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))?;
    }
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))
}

/// Whether `name` may be a file of the key folder (no folder, no `..`).
fn plain_file_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Brings a station back from `file` as the database `db`, which must not
/// exist yet (nor its WAL or key folder): the records, the key folder's
/// files (so a paired station stays paired), then the schema brought up to
/// this version.
pub async fn restore(file: &Path, db: &Path, passphrase: &Passphrase) -> Result<RestoreSummary> {
    let keys = crate::db_files::key_dir(db);
    for path in [db.to_owned(), suffixed(db, "-wal"), keys.clone()] {
        if path.exists() {
            return Err(Msg::RestoreWouldOverwrite {
                path: path.display().to_string(),
            }
            .into());
        }
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    }
    let restoring = suffixed(db, ".restoring");
    // Left by a restore that stopped half-way: ours, by its name.
    let _ = std::fs::remove_file(&restoring);
    let scratch = Scratch(Some(restoring.clone()));
    let secret = passphrase.0.clone();
    let (from, to) = (file.to_owned(), restoring.clone());
    tokio::task::spawn_blocking(move || decrypt(&from, &to, secret))
        .await
        .map_err(|e| Error::Internal(format!("restore task: {e}")))??;

    let shown = file.display().to_string();
    let damaged = |fault| -> Error {
        Msg::BackupDamaged {
            file: shown.clone(),
            fault,
        }
        .into()
    };
    let mut head = [0u8; 16];
    let sqlite = std::fs::File::open(&restoring)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0";
    if !sqlite {
        return Err(damaged(BackupFault::NotABackup));
    }
    let mut conn = open_copy(&restoring)
        .await
        .map_err(|_| damaged(BackupFault::NotABackup))?;
    let check: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(5)")
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
    if check != ["ok"] {
        return Err(damaged(BackupFault::Altered));
    }
    let files: Vec<(String, Vec<u8>)> = match sqlx::query(&format!(
        "SELECT name, bytes FROM {FILES_TABLE} ORDER BY name"
    ))
    .fetch_all(&mut conn)
    .await
    {
        Ok(rows) => rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
        Err(_) => return Err(damaged(BackupFault::NotABackup)),
    };
    let made_at: Option<String> = sqlx::query_scalar(&format!(
        "SELECT value FROM {INFO_TABLE} WHERE key = 'made_at'"
    ))
    .fetch_optional(&mut conn)
    .await
    .ok()
    .flatten();
    if files.iter().any(|(name, _)| !plain_file_name(name)) {
        return Err(damaged(BackupFault::NotABackup));
    }
    sqlx::query(&format!("DROP TABLE {FILES_TABLE}"))
        .execute(&mut conn)
        .await?;
    sqlx::query(&format!("DROP TABLE IF EXISTS {INFO_TABLE}"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;

    if !files.is_empty() {
        crate::db_files::create_key_dir(db)?;
        for (name, bytes) in &files {
            let path = keys.join(name);
            let mut f = create_private(&path)?;
            f.write_all(bytes)
                .and_then(|()| f.sync_all())
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        }
    }
    std::fs::rename(&restoring, db)
        .map_err(|e| Error::io(format!("cannot create {}", db.display()), e))?;
    scratch.keep();

    // Brings the schema up to this version (a backup of an older release).
    let store = Store::open(db).await?;
    let summary = summarize(&store, files.len(), made_at).await;
    store.close().await;
    summary
}

async fn summarize(
    store: &Store,
    key_files: usize,
    made_at: Option<String>,
) -> Result<RestoreSummary> {
    let mut conn = store.read().acquire().await?;
    let event: Option<String> = sqlx::query_scalar("SELECT name FROM event WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    let paired_with: Option<String> = sqlx::query_scalar("SELECT url FROM sync_link WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(RestoreSummary {
        db: store.path().display().to_string(),
        event,
        attendees: count(&mut conn, "attendee").await?,
        scans: count(&mut conn, "scan").await?,
        audit_entries: count(&mut conn, "audit").await?,
        key_files,
        paired_with,
        made_at,
    })
}

/// What the files of a rotating backup folder end with.
pub const ROTATED_SUFFIX: &str = ".gatehouse.age";

/// Backups into a folder (a USB stick), keeping the last few: each named
/// after the database and the time, `<name>-<UTC time>.gatehouse.age`, so
/// several stations share one stick and the names sort by time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub folder: PathBuf,
    /// How many of this station's backups the folder keeps (at least 1).
    pub keep: usize,
}

/// The file name prefix of `db`'s backups in a rotating folder.
pub fn rotated_prefix(db: &Path) -> String {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".db").unwrap_or(&name);
    format!("{stem}-")
}

/// The name of `db`'s backup made at `now` in a rotating folder.
pub fn rotated_name(db: &Path, now: Timestamp) -> String {
    format!(
        "{}{}{ROTATED_SUFFIX}",
        rotated_prefix(db),
        now.strftime("%Y%m%dT%H%M%SZ")
    )
}

/// Of the file names in a folder, `db`'s backups beyond the newest `keep`:
/// the ones to remove, oldest first. Other files are never among them.
pub fn to_prune(db: &Path, names: &[String], keep: usize) -> Vec<String> {
    let prefix = rotated_prefix(db);
    let mut ours: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(ROTATED_SUFFIX))
                // The time, and nothing else: `gate-2-…` is another station's.
                .is_some_and(|t| t.len() == 16 && t.ends_with('Z') && t.as_bytes()[8] == b'T')
        })
        .collect();
    ours.sort();
    let extra = ours.len().saturating_sub(keep.max(1));
    ours.into_iter().take(extra).cloned().collect()
}

/// A backup into the rotation's folder, then the station's older backups
/// there beyond the last `keep` removed. Returns what was made and removed.
pub async fn backup_rotating(
    store: &Store,
    rotation: &Rotation,
    passphrase: &Passphrase,
    now: Timestamp,
) -> Result<(BackupSummary, Vec<PathBuf>)> {
    let out = rotation.folder.join(rotated_name(store.path(), now));
    let made = backup(store, &out, passphrase, now).await?;
    let shown = rotation.folder.display();
    let names: Vec<String> = std::fs::read_dir(&rotation.folder)
        .map_err(|e| Error::io(format!("cannot list {shown}"), e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    let mut removed = Vec::new();
    for name in to_prune(store.path(), &names, rotation.keep) {
        let path = rotation.folder.join(&name);
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) => tracing::warn!("cannot remove the old backup {}: {e}", path.display()),
        }
    }
    Ok((made, removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_is_long_enough_and_loses_its_line_end() {
        assert!(Passphrase::for_backup("").is_err());
        assert!(Passphrase::for_backup("   \n").is_err());
        let Err(short) = Passphrase::for_backup("court\n") else {
            panic!("a 5-character passphrase was taken");
        };
        let said = short.text(crate::lang::Lang::En);
        assert!(said.contains("12") && said.contains('5'), "{said}");
        assert!(Passphrase::for_backup("twelve chars").is_ok());
        // The line end does not count towards the length.
        assert!(Passphrase::for_backup("eleven char\r\n").is_err());
        assert!(Passphrase::for_restore("x").is_ok());
        assert!(Passphrase::for_restore("\n").is_err());
    }

    #[test]
    fn the_pre_migration_copy_is_named_after_the_database() -> std::result::Result<(), jiff::Error>
    {
        let now: Timestamp = "2026-12-06T12:30:05Z".parse()?;
        assert_eq!(
            pre_migration_path(Path::new("/d/station.db"), 13, now),
            Path::new("/d/station.before-0013-20261206T123005Z.db")
        );
        assert_eq!(
            pre_migration_path(Path::new("hub"), 25, now),
            Path::new("hub.before-0025-20261206T123005Z.db")
        );
        Ok(())
    }

    #[test]
    fn a_rotating_folder_keeps_the_newest_backups_of_this_station_only() {
        let db = Path::new("/data/gate.db");
        let names: Vec<String> = [
            "gate-20261206T090000Z.gatehouse.age",
            "gate-20261206T100000Z.gatehouse.age",
            "gate-20261205T230000Z.gatehouse.age",
            "gate-20261206T110000Z.gatehouse.age",
            "gate-2-20261201T000000Z.gatehouse.age",
            "desk-20261201T000000Z.gatehouse.age",
            "gate-20261201T000000Z.gatehouse.age.partial",
            "notes.txt",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            to_prune(db, &names, 2),
            [
                "gate-20261205T230000Z.gatehouse.age",
                "gate-20261206T090000Z.gatehouse.age"
            ]
        );
        assert!(to_prune(db, &names, 10).is_empty());
        // Keeping none would leave no backup: at least the newest stays.
        assert_eq!(to_prune(db, &names, 0).len(), 3);
    }

    #[test]
    fn a_rotated_backup_is_named_for_its_station_and_time() -> std::result::Result<(), jiff::Error>
    {
        let t0: Timestamp = "2026-12-06T12:00:00Z".parse()?;
        assert_eq!(
            rotated_name(Path::new("/d/gate.db"), t0),
            "gate-20261206T120000Z.gatehouse.age"
        );
        Ok(())
    }

    #[test]
    fn key_file_names_stay_in_their_folder() {
        assert!(plain_file_name("paired.json"));
        assert!(!plain_file_name("../x"));
        assert!(!plain_file_name(".."));
        assert!(!plain_file_name("a/b"));
    }
}
