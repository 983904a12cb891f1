//! The event's Ed25519 signing keys.
//!
//! Public halves live in the database (`signing_key`), with their kid and
//! whether they are retired. A private half lives only on the station that
//! made it, as a PKCS#8 PEM file readable by its owner alone
//! (`<db>.keys/<kid>.key`, mode 0600), never in the database, so copying or
//! syncing a database never spreads signing power.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::error::{Error, Result};
// The key folder is one of the files beside the database (its old path).
pub use crate::db_files::{create_key_dir, key_dir};
use crate::store::Store;
use crate::token::Kid;

/// A public key as `keys export` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyInfo {
    /// 16 hex digits.
    pub kid: String,
    /// The raw 32-byte Ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// The same key as SPKI PEM.
    pub pem: String,
    pub created_at: String,
    /// Set once retired: its tokens are refused (`unknown_key`).
    pub retired_at: Option<String>,
    /// This station holds the private half.
    pub can_sign: bool,
}

fn key_file(db: &Path, kid: &Kid) -> PathBuf {
    key_dir(db).join(format!("{kid}.key"))
}

fn verifying_key(kid: &[u8], raw: &[u8]) -> Result<(Kid, VerifyingKey)> {
    let raw = <[u8; 32]>::try_from(raw)
        .map_err(|_| Error::Internal(format!("stored key {} is not 32 bytes", hex::encode(kid))))?;
    let key = VerifyingKey::from_bytes(&raw).map_err(|_| {
        Error::Internal(format!(
            "stored key {} is not an Ed25519 key",
            hex::encode(kid)
        ))
    })?;
    let k = Kid::of(&key);
    if k.0.as_slice() != kid {
        return Err(Error::Internal(format!(
            "stored key {} does not match its kid",
            hex::encode(kid)
        )));
    }
    Ok((k, key))
}

/// The keys a gate accepts: every key not retired. A stored key that is not
/// a valid Ed25519 key under its kid is left out (its badges then read as
/// `unknown_key`) rather than stopping the gate.
pub async fn verifying_keys(conn: &mut SqliteConnection) -> Result<BTreeMap<Kid, VerifyingKey>> {
    Ok(
        sqlx::query("SELECT kid, public_key FROM signing_key WHERE retired_at IS NULL")
            .fetch_all(conn)
            .await?
            .iter()
            .filter_map(|r| match verifying_key(r.get(0), r.get(1)) {
                Ok(pair) => Some(pair),
                Err(e) => {
                    tracing::warn!("{e}");
                    None
                }
            })
            .collect(),
    )
}

/// [`verifying_keys`] from `KID:KEY,KID:KEY…` in hex (what the gate's one
/// statement reads, `scan_log::knowledge`); a stored key that is not
/// sound is logged and left out, as there.
pub fn verifying_keys_from_hex(list: &str) -> BTreeMap<Kid, VerifyingKey> {
    list.split(',')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (kid, key) = pair.split_once(':')?;
            let decoded = hex::decode(kid).ok().zip(hex::decode(key).ok());
            let Some((kid, key)) = decoded else {
                tracing::warn!("stored key {pair} is not hex");
                return None;
            };
            match verifying_key(&kid, &key) {
                Ok(pair) => Some(pair),
                Err(e) => {
                    tracing::warn!("{e}");
                    None
                }
            }
        })
        .collect()
}

/// Every key, newest first.
pub async fn list(store: &Store) -> Result<Vec<KeyInfo>> {
    let rows = sqlx::query(
        "SELECT kid, public_key, created_at, retired_at FROM signing_key ORDER BY created_at DESC, rowid DESC",
    )
    .fetch_all(store.read())
    .await?;
    rows.iter()
        .map(|r| {
            let (kid, key) = verifying_key(r.get(0), r.get(1))?;
            Ok(KeyInfo {
                kid: kid.hex(),
                public_key: hex::encode(key.as_bytes()),
                pem: key
                    .to_public_key_pem(LineEnding::LF)
                    .map_err(|e| Error::Internal(format!("cannot encode key {kid} as PEM: {e}")))?,
                created_at: r.get(2),
                retired_at: r.get(3),
                can_sign: key_file(store.path(), &kid).exists(),
            })
        })
        .collect()
}

/// Writes the private key file, readable by its owner only.
fn write_private(db: &Path, key: &SigningKey) -> Result<Kid> {
    let kid = Kid::of(&key.verifying_key());
    create_key_dir(db)?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| Error::Internal(format!("cannot encode the private key: {e}")))?;
    let path = key_file(db, &kid);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(kid)
}

/// The private halves this station holds, as PKCS#8 PEM. Sync hands them
/// only to issuing stations, over TLS to a paired credential
/// (`crate::sync::keys`).
pub fn private_pems(db: &Path) -> Result<Vec<String>> {
    let dir = key_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot list {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))?
            .path();
        let is_key = path.extension().is_some_and(|x| x == "key")
            && path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.parse::<Kid>().is_ok());
        if is_key {
            out.push(
                std::fs::read_to_string(&path)
                    .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?,
            );
        }
    }
    out.sort();
    Ok(out)
}

/// Keeps a private half received by sync: only for a public key this
/// database already holds, and only if its file is not there yet. Returns
/// the kid written, if any.
pub async fn import_private(
    conn: &mut SqliteConnection,
    db: &Path,
    pem: &str,
) -> Result<Option<Kid>> {
    let key = SigningKey::from_pkcs8_pem(pem).map_err(|e| {
        Error::from(crate::messages::Msg::ReceivedKeyInvalid {
            detail: e.to_string(),
        })
    })?;
    let kid = Kid::of(&key.verifying_key());
    let known: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT public_key FROM signing_key WHERE kid = ?")
            .bind(kid.0.as_slice())
            .fetch_optional(&mut *conn)
            .await?;
    match known {
        Some(public) if public.as_slice() == key.verifying_key().as_bytes() => {}
        _ => return Ok(None),
    }
    if key_file(db, &kid).exists() {
        return Ok(None);
    }
    write_private(db, &key).map(Some)
}

/// Adds a new signing key (inside the caller's transaction): the private half
/// to its file first, then the public half to the database.
pub async fn add(
    conn: &mut SqliteConnection,
    db: &Path,
    now: Timestamp,
    actor: &str,
) -> Result<Kid> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let kid = write_private(db, &key)?;
    sqlx::query(
        "INSERT INTO signing_key (kid, public_key, created_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(kid.0.as_slice())
    .bind(key.verifying_key().as_bytes().as_slice())
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    crate::audit::append(
        conn,
        now,
        actor,
        "key.add",
        &serde_json::json!({ "kid": kid.hex() }),
    )
    .await?;
    Ok(kid)
}

/// `keys rotate`: a new signing key; earlier kids keep verifying.
pub async fn rotate(store: &Store, now: Timestamp, actor: &str) -> Result<Kid> {
    let mut tx = store.write().await?;
    let kid = add(&mut tx, store.path(), now, actor).await?;
    tx.commit().await?;
    Ok(kid)
}

/// Retires a key: gates refuse its tokens from now on (`unknown_key`).
pub async fn retire(store: &Store, kid: &Kid, now: Timestamp, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE signing_key SET retired_at = ?, retired_by = ? WHERE kid = ? AND retired_at IS NULL",
    )
    .bind(now.to_string())
    .bind(actor)
    .bind(kid.0.as_slice())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::messages::Msg::NoActiveKey {
            kid: kid.to_string(),
        }
        .into());
    }
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "key.retire",
        &serde_json::json!({ "kid": kid.hex() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The key new badges are signed with: the newest active key whose private
/// half this station holds. A fresh event gets its first key here.
pub async fn signing_key(
    conn: &mut SqliteConnection,
    db: &Path,
    now: Timestamp,
    actor: &str,
) -> Result<SigningKey> {
    let rows = sqlx::query(
        "SELECT kid, public_key FROM signing_key WHERE retired_at IS NULL ORDER BY created_at DESC, rowid DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    let active = rows.len();
    for r in &rows {
        let (kid, public) = verifying_key(r.get(0), r.get(1))?;
        let path = key_file(db, &kid);
        if !path.exists() {
            continue;
        }
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let key = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
            Error::Internal(format!(
                "{} is not a PKCS#8 Ed25519 key: {e}",
                path.display()
            ))
        })?;
        if key.verifying_key() != public {
            return Err(Error::Internal(format!(
                "{} does not hold the private half of key {kid}",
                path.display()
            )));
        }
        return Ok(key);
    }
    if active > 0 {
        return Err(crate::messages::Msg::NoPrivateKey {
            active: active as i64,
            dir: key_dir(db).display().to_string(),
        }
        .into());
    }
    let kid = add(conn, db, now, actor).await?;
    let path = key_file(db, &kid);
    let pem = std::fs::read_to_string(&path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    SigningKey::from_pkcs8_pem(&pem)
        .map_err(|e| Error::Internal(format!("{} is unreadable: {e}", path.display())))
}
