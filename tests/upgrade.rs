//! Upgrades keep everything: databases made by the previous release (commit
//! ba9569a, migrations up to 0012; `tests/fixtures/prev-release/make.sh`
//! says how) open in this one with every record, their audit chain intact,
//! a paired station still paired, and a copy as they were taken beside
//! them before any migration ran.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, SqliteConnection};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const GATEHOUSE: &str = env!("CARGO_BIN_EXE_gatehouse");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prev-release")
        .join(name)
}

fn gatehouse(db: &Path, args: &[&str]) -> TestResult<String> {
    let out = Command::new(GATEHOUSE)
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"])
        .args(args)
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    if !out.status.success() {
        return Err(format!(
            "gatehouse {args:?} failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(stdout)
}

async fn connect(db: &Path) -> TestResult<SqliteConnection> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// Tables of `db` and their columns.
async fn tables(conn: &mut SqliteConnection) -> TestResult<Vec<(String, Vec<String>)>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for name in names {
        let cols: Vec<String> = sqlx::query(&format!("PRAGMA table_info({name})"))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(1))
            .collect();
        out.push((name, cols));
    }
    Ok(out)
}

/// Every row the previous release stored is still there, column for column
/// (the upgraded database's tables may have gained columns and rows).
async fn every_row_kept(old: &Path, new: &Path) -> TestResult<usize> {
    let before = tables(&mut connect(old).await?).await?;
    let mut conn = connect(new).await?;
    sqlx::query("ATTACH DATABASE ? AS old")
        .bind(old.to_str().ok_or("path")?)
        .execute(&mut conn)
        .await?;
    let upgraded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM main.sqlite_master WHERE name = 'organisation_term'",
    )
    .fetch_one(&mut conn)
    .await?;
    let mut rows = 0;
    for (table, cols) in &before {
        if table == "_sqlx_migrations" {
            continue;
        }
        let cols = cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let kept: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM old.{table}"))
            .fetch_one(&mut conn)
            .await?;
        // Since 0041 an organisation's terms are kept once per name, and a
        // badge number is found through attendee.serial_no.
        let moved = if table == "search_term" && upgraded == 1 {
            " EXCEPT SELECT 2, o.term, a.serial_no FROM main.organisation_term o \
              JOIN main.attendee a ON a.organisation = o.name \
              EXCEPT SELECT 1, CAST(serial_no AS TEXT), serial_no FROM main.attendee"
        } else {
            ""
        };
        let lost: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM (SELECT {cols} FROM old.{table} EXCEPT SELECT {cols} FROM main.{table}{moved})"
        ))
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("table {table}: {e}"))?;
        assert_eq!(
            lost, 0,
            "{table}: {lost} of its {kept} rows changed or lost"
        );
        rows += kept as usize;
    }
    Ok(rows)
}

fn copies_before(dir: &Path, stem: &str) -> TestResult<Vec<PathBuf>> {
    let prefix = format!("{stem}.before-0013-");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(&prefix) && name.ends_with(".db") {
            found.push(path);
        }
    }
    Ok(found)
}

async fn count(db: &Path, sql: &str) -> TestResult<i64> {
    Ok(sqlx::query_scalar(sql)
        .fetch_one(&mut connect(db).await?)
        .await?)
}

#[tokio::test]
async fn the_previous_releases_hub_opens_with_every_record_and_its_audit_chain() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("hub.db");
    std::fs::copy(fixture("hub.db"), &db)?;
    let pristine = dir.path().join("pristine.db");
    std::fs::copy(fixture("hub.db"), &pristine)?;
    // What the organiser sees before and after: the previous release's
    // audit chain verifies in this one.
    let verified = gatehouse(&db, &["audit", "verify"])?;
    assert!(verified.contains("23 entries, chain intact"), "{verified}");

    // A copy as it was, beside it, owner-only, before any migration.
    let copies = copies_before(dir.path(), "hub")?;
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = &copies[0];
    assert_eq!(std::fs::metadata(copy)?.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        count(copy, "SELECT max(version) FROM _sqlx_migrations").await?,
        12
    );
    every_row_kept(&pristine, copy).await?;

    // Upgraded, with every record of the previous release.
    assert!(count(&db, "SELECT max(version) FROM _sqlx_migrations").await? > 12);
    let rows = every_row_kept(&pristine, &db).await?;
    assert!(rows > 200, "{rows} rows");
    assert_eq!(count(&db, "SELECT count(*) FROM attendee").await?, 16);
    assert_eq!(
        count(&db, "SELECT count(*) FROM attendee WHERE photo IS NOT NULL").await?,
        14
    );
    // 12 at the hub, 5 at the gate (one refused: a revoked badge).
    assert_eq!(count(&db, "SELECT count(*) FROM scan").await?, 17);
    let scans = gatehouse(&db, &["scans", "--json"])?;
    let scans: serde_json::Value = serde_json::from_str(&scans)?;
    assert_eq!(scans.as_array().map(Vec::len), Some(17), "{scans}");
    // The badge numbers and the revoked badge as the desk finds them.
    let found = gatehouse(&db, &["search", "BMX-000004", "--json"])?;
    assert!(found.contains("BMX-000004"), "{found}");
    let paired = gatehouse(&db, &["stations", "--json"])?;
    assert!(paired.contains("Porte nord"), "{paired}");

    // Opened again: nothing left to migrate, no second copy.
    gatehouse(&db, &["audit", "verify"])?;
    assert_eq!(copies_before(dir.path(), "hub")?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn the_previous_releases_gate_stays_paired_with_its_scans() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    std::fs::copy(fixture("gate.db"), &db)?;
    // Compared with a copy: the fixture itself is never opened (SQLite would
    // leave its WAL files beside it, in the source tree).
    let pristine = dir.path().join("pristine.db");
    std::fs::copy(fixture("gate.db"), &pristine)?;
    let status = gatehouse(&db, &["sync", "--status"])?;
    assert!(status.contains("https://127.0.0.1:17643"), "{status}");
    assert!(status.contains("gate"), "{status}");
    assert_eq!(copies_before(dir.path(), "gate")?.len(), 1);
    every_row_kept(&pristine, &db).await?;
    assert_eq!(count(&db, "SELECT count(*) FROM scan").await?, 17);
    assert_eq!(count(&db, "SELECT count(*) FROM sync_link").await?, 1);
    gatehouse(&db, &["audit", "verify"])?;
    Ok(())
}

/// Migration 0040 makes the attendee table again with the photo last: the
/// two tables that refer to it (a delegation's head, a watchlist hit) keep
/// their references though dropping the old table fires their foreign-key
/// actions, and every row is kept, column for column.
#[tokio::test]
async fn the_attendee_table_made_again_keeps_delegation_heads_and_watchlist_hits() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("desk.db");
    gatehouse(&db, &["demo", "--starting", "today", "--attendees", "40"])?;
    {
        let options = SqliteConnectOptions::new().filename(&db);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        sqlx::query(
            "INSERT INTO watchlist_entry (reference, names, line, imported_at, imported_by)
             VALUES ('SVC-1', '[\"Aïssata Maïga\"]', 2, '2026-12-01T08:00:00Z', 'test')",
        )
        .execute(&mut conn)
        .await?;
        sqlx::query(
            "INSERT INTO watchlist_hit (attendee, entry, score, reasons, screened_at)
             SELECT id, (SELECT max(id) FROM watchlist_entry), 91, '[\"name\"]', '2026-12-01T08:00:01Z'
             FROM attendee ORDER BY serial_no LIMIT 3",
        )
        .execute(&mut conn)
        .await?;
        // As a database of the release before 0040 is: that migration not run.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 40")
            .execute(&mut conn)
            .await?;
        conn.close().await?;
    }
    let before = dir.path().join("before.db");
    std::fs::copy(&db, &before)?;
    let heads = count(&before, "SELECT count(head_id) FROM delegation").await?;
    assert!(heads > 0, "the demo's delegations have heads");
    let photos = count(
        &before,
        "SELECT count(*) FROM attendee WHERE photo IS NOT NULL",
    )
    .await?;
    assert!(photos > 0, "the demo's people have portraits");

    gatehouse(&db, &["audit", "verify"])?;

    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM _sqlx_migrations WHERE version = 40"
        )
        .await?,
        1
    );
    every_row_kept(&before, &db).await?;
    assert_eq!(
        count(&db, "SELECT count(head_id) FROM delegation").await?,
        heads
    );
    assert_eq!(count(&db, "SELECT count(*) FROM watchlist_hit").await?, 3);
    assert_eq!(
        count(&db, "SELECT count(*) FROM attendee WHERE photo IS NOT NULL").await?,
        photos
    );
    let last: String = sqlx::query_scalar(
        "SELECT name FROM pragma_table_info('attendee') ORDER BY cid DESC LIMIT 1",
    )
    .fetch_one(&mut connect(&db).await?)
    .await?;
    assert_eq!(last, "photo");
    assert_eq!(
        count(&db, "SELECT count(*) FROM pragma_foreign_key_check").await?,
        0
    );
    // The desk still finds a head of delegation with their photo.
    let head: String = sqlx::query_scalar(
        "SELECT a.serial FROM delegation d JOIN attendee a ON a.id = d.head_id LIMIT 1",
    )
    .fetch_one(&mut connect(&db).await?)
    .await?;
    let found = gatehouse(&db, &["search", &head, "--json"])?;
    assert!(found.contains(&head), "{found}");
    Ok(())
}
