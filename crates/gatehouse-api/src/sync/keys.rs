//! Private signing keys between the hub and issuing stations.
//!
//! Private halves never enter the sync log, which every station receives.
//! They move only through `POST /sync/v1/keys`, over the pinned TLS link, to
//! a paired credential whose role (granted by the hub's pairing code) is
//! `desk` or `admin`: a gate never receives one, and a gate's credential is
//! refused. The exchange is symmetric, so a key made at a desk (`keys
//! rotate`) reaches the hub and, through it, the other desks. A received
//! key is kept only when its public half is already in the database
//! ([`crate::keys::import_private`]), as a 0600 file beside it.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::staff::Role;
use crate::store::Store;

/// Both directions: the PKCS#8 PEM private keys one side holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyExchange {
    pub keys: Vec<String>,
}

/// Whether a station of this role issues badges and so holds private keys.
pub fn issues_badges(role: Role) -> bool {
    matches!(role, Role::Desk | Role::Admin)
}

/// A station role as stored (`desk`, `gate`, `admin`).
pub fn parse_role(text: &str) -> Result<Role> {
    match text {
        "desk" => Ok(Role::Desk),
        "gate" => Ok(Role::Gate),
        "admin" => Ok(Role::Admin),
        other => Err(crate::messages::Msg::StationRoleText {
            value: other.to_string(),
        }
        .into()),
    }
}

/// Keeps the keys received that this database lacks; returns how many.
pub async fn keep(store: &Store, received: &KeyExchange) -> Result<usize> {
    let mut tx = store.write().await?;
    let mut kept = 0;
    for pem in &received.keys {
        match crate::keys::import_private(&mut tx, store.path(), pem).await {
            Ok(Some(kid)) => {
                kept += 1;
                crate::audit::append(
                    &mut tx,
                    jiff::Timestamp::now(),
                    "sync",
                    "key.received",
                    &serde_json::json!({ "kid": kid.hex() }),
                )
                .await?;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("{e}"),
        }
    }
    tx.commit().await?;
    Ok(kept)
}

/// The hub's side: the station's keys are kept, and it receives every
/// private key the hub holds — if its role issues badges.
pub async fn serve(store: &Store, role: Role, sent: &KeyExchange) -> Result<KeyExchange> {
    if !issues_badges(role) {
        return Err(crate::messages::Msg::NoKeysForRole {
            role: crate::messages::RoleWord(role),
        }
        .into());
    }
    keep(store, sent).await?;
    Ok(KeyExchange {
        keys: crate::keys::private_pems(store.path())?,
    })
}

/// The public kids held (retired or not): when this set changes, an
/// issuing station exchanges keys again.
pub async fn public_kids(store: &Store) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT lower(hex(kid)) FROM signing_key ORDER BY kid")
            .fetch_all(store.read())
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_gate_gets_no_key_and_a_desk_gets_every_key_the_hub_holds() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| crate::Error::io("temp dir", e))?;
        let store = Store::open(&dir.path().join("hub.db")).await?;
        let now = jiff::Timestamp::now();
        let mut tx = store.write().await?;
        let kid = crate::keys::add(&mut tx, store.path(), now, "test").await?;
        tx.commit().await?;

        let refused = serve(&store, Role::Gate, &KeyExchange::default()).await;
        assert!(
            matches!(&refused, Err(e) if e.code() == crate::error::ErrorCode::Forbidden),
            "{refused:?}"
        );
        let given = serve(&store, Role::Desk, &KeyExchange::default()).await?;
        assert_eq!(given.keys.len(), 1);
        assert!(given.keys[0].contains("PRIVATE KEY"));

        // A key whose public half this database does not hold is not kept.
        let other = Store::open(&dir.path().join("other.db")).await?;
        assert_eq!(keep(&other, &given).await?, 0);
        assert!(crate::keys::private_pems(other.path())?.is_empty());
        assert_eq!(crate::keys::list(&store).await?[0].kid, kid.hex());
        Ok(())
    }
}
