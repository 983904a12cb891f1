//! Shared set-up of the registry tests: a real SQLite file holding the
//! BAMEX'25 demo event (no attendees yet).

#![allow(dead_code)] // each test crate uses a part

use std::path::{Path, PathBuf};

use gatehouse::demo::{self, BAMEX25_FIRST_DAY};
use gatehouse::registry::import::{self, ImportOptions, ImportReport};
use gatehouse::store::Store;
use gatehouse::Result;
use jiff::Timestamp;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

pub async fn event_store(dir: &Path) -> Result<Store> {
    let store = Store::open(&dir.join("gatehouse.db")).await?;
    demo::install(&store, BAMEX25_FIRST_DAY, Timestamp::now()).await?;
    Ok(store)
}

pub async fn import_bytes(
    store: &Store,
    bytes: &[u8],
    name: &str,
    options: ImportOptions,
) -> Result<ImportReport> {
    import::import(
        store,
        bytes,
        name,
        options,
        "test",
        Timestamp::now(),
        &mut |_, _| (),
    )
    .await
}

pub async fn import_fixture(
    store: &Store,
    name: &str,
    options: ImportOptions,
) -> Result<ImportReport> {
    let bytes = std::fs::read(fixture(name)).map_err(|e| gatehouse::Error::io(name, e))?;
    import_bytes(store, &bytes, name, options).await
}

pub async fn count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM attendee")
        .fetch_one(store.read())
        .await?)
}
