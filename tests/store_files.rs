//! A station's files at rest are its owner's only: the database (personal
//! data, PIN hashes, the sync credential), its WAL and shared-memory files,
//! and the key folder, whoever made it first. Every write is durable.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use gatehouse::store::Store;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn mode(path: &Path) -> TestResult<u32> {
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

fn beside(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    p.into()
}

#[tokio::test]
async fn the_database_and_its_wal_are_owner_only_and_writes_are_durable() -> TestResult {
    let dir = tempfile::tempdir()?;
    // A folder Store::open makes is the station's own too.
    let db = dir.path().join("station").join("g.db");
    let store = Store::open(&db).await?;
    assert_eq!(mode(&db)?, 0o600);
    assert_eq!(mode(db.parent().ok_or("parent")?)?, 0o700);
    gatehouse::demo::install(
        &store,
        gatehouse::demo::BAMEX25_FIRST_DAY,
        jiff::Timestamp::now(),
    )
    .await?;
    for file in [db.clone(), beside(&db, "-wal"), beside(&db, "-shm")] {
        assert_eq!(mode(&file)?, 0o600, "{}", file.display());
    }
    // synchronous = FULL (2) on the writer and on the readers.
    let mut tx = store.write().await?;
    let writer: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *tx)
        .await?;
    tx.rollback().await?;
    let reader: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(store.read())
        .await?;
    assert_eq!((writer, reader), (2, 2));
    store.close().await;

    // A database made before, world-readable, is narrowed when opened.
    for file in [db.clone(), beside(&db, "-wal"), beside(&db, "-shm")] {
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;
        }
    }
    let store = Store::open(&db).await?;
    assert_eq!(mode(&db)?, 0o600);
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn the_key_folder_is_owner_only_whoever_makes_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("hub.db");
    let store = Store::open(&db).await?;
    // The hub's TLS identity, made before any signing key.
    gatehouse::sync::tls::load_or_create(&db)?;
    let keys = gatehouse::keys::key_dir(&db);
    assert_eq!(mode(&keys)?, 0o700);
    assert_eq!(mode(&keys.join("hub-tls.key.der"))?, 0o600);
    // A folder someone widened is narrowed again with the next key.
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755))?;
    let kid = gatehouse::keys::rotate(&store, jiff::Timestamp::now(), "test").await?;
    assert_eq!(mode(&keys)?, 0o700);
    let key_files: Vec<_> = std::fs::read_dir(&keys)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "key"))
        .collect();
    assert_eq!(key_files.len(), 1, "{kid:?}");
    assert_eq!(mode(&key_files[0].path())?, 0o600);
    Ok(())
}

/// The WAL grows to hold a large transaction (an import of portraits, a
/// table made again by a migration), and is cut back once it is
/// checkpointed: a station keeps no hundreds of MB of spent log.
#[tokio::test]
async fn a_large_write_leaves_no_large_wal_behind() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    let store = Store::open(&db).await?;
    let large = gatehouse::store::WAL_KEPT_BYTES as i64 + 16 * 1024 * 1024;
    let mut tx = store.write().await?;
    sqlx::query("CREATE TABLE bulk (b BLOB) STRICT")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO bulk SELECT zeroblob(1048576) FROM n",
    )
    .bind(large / 1048576)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let wal = beside(&db, "-wal");
    let grown = std::fs::metadata(&wal)?.len();
    assert!(
        grown > large as u64,
        "the WAL held the transaction: {grown} bytes"
    );

    // The background checkpoint copies it into the file; the next commit
    // starts the WAL again and cuts it back.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        tokio::time::sleep(gatehouse::store::CHECKPOINT_EVERY * 2).await;
        let mut tx = store.write().await?;
        sqlx::query("DELETE FROM bulk WHERE rowid = (SELECT max(rowid) FROM bulk)")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let now = std::fs::metadata(&wal)?.len();
        if now <= gatehouse::store::WAL_KEPT_BYTES {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the WAL is still {now} bytes a minute after a checkpoint"
        );
    }
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn a_closed_store_holds_everything_in_its_database_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    let store = Store::open(&db).await?;
    // Reads happened too: the readers' connections are open.
    sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(store.read())
        .await?;
    let mut tx = store.write().await?;
    sqlx::query("CREATE TABLE kept (n INTEGER NOT NULL) STRICT")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO kept SELECT i FROM n",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    assert!(std::fs::metadata(beside(&db, "-wal"))?.len() > 0);
    store.close().await;
    // No WAL left for the next start to read through, and the file alone (a
    // copy made without its WAL) holds every row.
    let wal = std::fs::metadata(beside(&db, "-wal")).map(|m| m.len());
    assert!(
        wal.as_ref().map_or(true, |len| *len == 0),
        "WAL left behind: {wal:?}"
    );
    let alone = dir.path().join("copy").join("g.db");
    std::fs::create_dir(dir.path().join("copy"))?;
    std::fs::copy(&db, &alone)?;
    let copy = Store::open(&alone).await?;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM kept")
        .fetch_one(copy.read())
        .await?;
    assert_eq!(rows, 100_000);
    copy.close().await;
    Ok(())
}
