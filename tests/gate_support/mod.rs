//! Shared set-up of the gate integration tests: a demo database on the real
//! binary, with attendees inserted by plain SQL.

#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub const BIN: &str = env!("CARGO_BIN_EXE_gatehouse");

/// `gatehouse --db DB ARGS…`.
pub fn run(db: &Path, args: &[&str]) -> TestResult<Output> {
    Ok(Command::new(BIN).arg("--db").arg(db).args(args).output()?)
}

/// Stdout of a command that must succeed.
pub fn ok(db: &Path, args: &[&str]) -> TestResult<String> {
    let out = run(db, args)?;
    if !out.status.success() {
        return Err(format!(
            "gatehouse {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// serial, given names, family name, category, zones override, days override.
pub type Person<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

/// A demo database (BAMEX'25 on its real dates) in `dir` with the given
/// attendees: (serial, given, family, category, zones override, days override).
pub fn demo_db(dir: &Path, people: &[Person]) -> TestResult<PathBuf> {
    let db = dir.join("gate.db");
    ok(&db, &["demo", "--starting", "2025-11-11"])?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = gatehouse::store::Store::open(&db).await?;
        let mut tx = store.write().await?;
        sqlx::query("DELETE FROM attendee").execute(&mut *tx).await?;
        for (n, (serial, given, family, category, zones, days)) in people.iter().enumerate() {
            sqlx::query(
                "INSERT INTO attendee (id, serial, serial_no, given_names, family_name, folded_name, category,
                   zones_override, days_override, photo_sha256, created_at, created_by, updated_at, updated_by)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2025-11-01T00:00:00Z', 'test', '2025-11-01T00:00:00Z', 'test')",
            )
            .bind(format!("test-{n}"))
            .bind(serial)
            .bind(i64::from(serial.parse::<gatehouse::serial::BadgeSerial>()?.number()))
            .bind(given)
            .bind(family)
            .bind(format!("{family} {given}").to_lowercase())
            .bind(category)
            .bind(zones)
            .bind(days)
            .bind(vec![n as u8; 32])
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        store.close().await;
        Ok::<_, gatehouse::Error>(())
    })?;
    Ok(db)
}
