//! The station's own row of its pairing (`sync_link`): which hub, as what
//! role, how fresh. Read by whatever must behave by the role the station
//! was paired as (the watchlist is kept on organiser stations only); the
//! sync client ([`super::client`]) writes it. Beside it, what wakes the
//! station's sync loop ([`nudge`]), which the hub calls too (a site hub's
//! relay loop).

use serde::Serialize;

use crate::error::Result;
use crate::staff::Role;
use crate::store::Store;

/// A station's view of its link to the hub (`gatehouse sync --status`).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LinkStatus {
    pub url: String,
    pub role: String,
    /// The name the hub gave this station at pairing ("Porte Hall"), if any.
    pub name: Option<String>,
    pub paired_at: String,
    /// When a round last completed: how fresh this station's view is.
    pub last_sync: Option<String>,
    /// When a round was last tried, and its error if it failed.
    pub last_attempt: Option<String>,
    pub last_error: Option<String>,
    /// The hub it last synced with: `url`, or another hub of the event
    /// after its own stopped answering.
    pub on_hub: Option<String>,
    /// The event's hubs it may sync with, in its order of preference (the
    /// hub it paired with first); only its own when one hub serves it.
    #[sqlx(skip)]
    pub hubs: Vec<String>,
}

/// The link, if this station is paired.
pub async fn link_status(store: &Store) -> Result<Option<LinkStatus>> {
    Ok(sqlx::query_as::<_, LinkStatus>(
        "SELECT url, role, name, paired_at, last_sync, last_attempt, last_error,
                COALESCE(on_url, url) AS on_hub
         FROM sync_link WHERE id = 1",
    )
    .fetch_optional(store.read())
    .await?)
}

/// The role this station was paired as, if it was.
pub async fn paired_role(store: &Store) -> Result<Option<Role>> {
    Ok(link_status(store)
        .await?
        .and_then(|link| Role::from_stored(&link.role)))
}

/// Whether this database is a site hub's, paired with a central hub as a
/// site (`pair --role site`).
pub async fn is_site(store: &Store) -> Result<bool> {
    let site: Option<i64> = sqlx::query_scalar("SELECT site FROM sync_link WHERE id = 1")
        .fetch_optional(store.read())
        .await?;
    Ok(site.unwrap_or(0) != 0)
}

/// Per database, what wakes its watch loop when this process records a
/// fact other stations should learn at once (a scan, a revocation).
pub(super) fn nudges(store: &Store) -> std::sync::Arc<tokio::sync::Notify> {
    static ALL: std::sync::LazyLock<
        std::sync::Mutex<
            std::collections::HashMap<std::path::PathBuf, std::sync::Arc<tokio::sync::Notify>>,
        >,
    > = std::sync::LazyLock::new(Default::default);
    let mut all = ALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    all.entry(store.path().to_path_buf()).or_default().clone()
}

/// Sends this station's new facts now rather than when the watch loop's long
/// poll ends (up to the sync client's `WATCH_WAIT_MS` later): `serve` and the desktop app
/// call it after a scan or a revocation. Without a watch loop it does nothing.
pub fn nudge(store: &Store) {
    nudges(store).notify_one();
}
