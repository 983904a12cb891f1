//! The files a station keeps beside its database: the folder of its private
//! keys, the marker of a paired station, owner-only copies (`VACUUM INTO`,
//! the copy taken before a migration) and a handle that reads the database
//! file without dropping SQLite's locks.
//!
//! A leaf: the store opens the database with these, keys, backups, pairing
//! and recovery find their files with them, and it imports none of them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use crate::error::{Error, Result};

/// Where this database's private keys live.
pub fn key_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".keys");
    db.with_file_name(name)
}

/// Creates the key folder of `db` for its owner only (0700), and narrows
/// one made before with wider rights (by a hub started before any key).
pub fn create_key_dir(db: &Path) -> Result<PathBuf> {
    let dir = key_dir(db);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io(format!("cannot restrict {}", dir.display()), e))?;
    }
    Ok(dir)
}

/// In a paired station's key folder ([`key_dir`]): which hub it
/// was paired with, so that its database, lost or emptied, is never made
/// anew in place.
pub const PAIRED_MARKER: &str = "paired.json";

pub fn paired_marker(db: &Path) -> PathBuf {
    key_dir(db).join(PAIRED_MARKER)
}

/// Notes beside `db` that it belongs to a paired station (`what`: the hub,
/// the station id, its role). Readable by its owner only.
pub fn mark_paired(db: &Path, what: &serde_json::Value) -> Result<()> {
    create_key_dir(db)?;
    let path = paired_marker(db);
    let text = serde_json::to_string_pretty(what).map_err(|e| Error::Internal(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// `path` with `suffix` added to its name (`x.db` → `x.db-wal`).
pub fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates `path` empty and readable by its owner only; refuses one that
/// exists.
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))
}

/// A read handle on the database file at `path`, opened once per file and
/// never closed while this process runs. Closing **any** descriptor of a
/// file drops every POSIX lock this process holds on it, SQLite's
/// included: another process closing the database would then take itself
/// for the last one and delete the WAL under the running station. So what
/// reads the file beside SQLite (its header, a copy of it) reads through
/// this handle.
pub fn held_file(path: &Path) -> std::io::Result<Arc<std::fs::File>> {
    use std::collections::HashMap;
    static HELD: Mutex<Option<HashMap<PathBuf, Arc<std::fs::File>>>> = Mutex::new(None);
    // Each path is resolved once: every write checks the header through
    // here, and resolving walks the path a system call per folder.
    static RESOLVED: Mutex<Option<HashMap<PathBuf, PathBuf>>> = Mutex::new(None);
    let key = {
        let mut resolved = RESOLVED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let resolved = resolved.get_or_insert_with(HashMap::new);
        match resolved.get(path) {
            Some(key) => key.clone(),
            None => {
                let key = std::fs::canonicalize(path)?;
                resolved.insert(path.to_owned(), key.clone());
                key
            }
        }
    };
    let now = std::fs::metadata(&key)?;
    let mut held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let files = held.get_or_insert_with(HashMap::new);
    if let Some(f) = files.get(&key) {
        #[cfg(unix)]
        let same = {
            use std::os::unix::fs::MetadataExt;
            f.metadata()
                .is_ok_and(|m| m.ino() == now.ino() && m.dev() == now.dev())
        };
        #[cfg(not(unix))]
        let same = f.metadata().is_ok_and(|m| m.len() == now.len());
        if same {
            return Ok(f.clone());
        }
    }
    // New, or a new file in its place (the old handle is then of a file
    // no longer there, whose locks no longer matter).
    let f = Arc::new(std::fs::File::open(&key)?);
    files.insert(key, f.clone());
    Ok(f)
}

/// Reads from `f` at `offset` without moving or closing anything.
pub fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(f, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(f, buf, offset);
}

/// `VACUUM INTO` `dest` (created first, owner-only, so the copy never
/// exists with wider rights): one read transaction of `pool`, a consistent
/// snapshot of every committed write, while other connections and
/// processes go on writing.
pub async fn vacuum_into(pool: &sqlx::SqlitePool, dest: &Path) -> Result<()> {
    create_private(dest)?;
    let target = dest.to_str().ok_or_else(|| {
        Error::from(crate::messages::Msg::PathNotUtf8 {
            path: dest.display().to_string(),
        })
    })?;
    if let Err(e) = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(pool)
        .await
    {
        let _ = std::fs::remove_file(dest);
        return Err(e.into());
    }
    // SQLite writes the copy without syncing it: make it durable.
    std::fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))
}

/// The copy taken beside `db` before migrations change it:
/// `NAME.before-<version>-<UTC time>.db`, `version` the first migration
/// about to run.
pub fn pre_migration_path(db: &Path, version: i64, now: Timestamp) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".db").unwrap_or(&name);
    let when = now.strftime("%Y%m%dT%H%M%SZ");
    db.with_file_name(format!("{stem}.before-{version:04}-{when}.db"))
}

/// Takes the pre-migration copy of `db` through `pool` and returns where.
pub async fn pre_migration_copy(
    pool: &sqlx::SqlitePool,
    db: &Path,
    version: i64,
    now: Timestamp,
) -> Result<PathBuf> {
    let dest = pre_migration_path(db, version, now);
    if !dest.exists() {
        vacuum_into(pool, &dest).await?;
        return Ok(dest);
    }
    // Two processes upgrading the same database in the same second each
    // keep their copy.
    let dest = suffixed(
        &dest.with_extension(""),
        &format!("-{}.db", std::process::id()),
    );
    vacuum_into(pool, &dest).await?;
    Ok(dest)
}
