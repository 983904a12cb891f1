//! Joining a hub from a screen (the console's Stations tab), on a station that
//! already runs a database of its own: the desktop app installs the demo event
//! on first start, and `join` refuses a database with its own event (it would
//! spread to the venue). So the join happens in a fresh database beside the
//! current one, which the shell then swaps in when nothing holds it open; the
//! old database is kept under a dated name, never deleted.
//!
//! Two steps because only the shell can close its store: [`prepare`] while the
//! station runs, [`swap`] once its store is closed (the window restarts,
//! `serve` reopens its database).

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::messages::Msg;
use crate::staff::Role;
use crate::store::Store;
use crate::{Error, Result};

/// What the station was given: the hub's address and the one-time code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingText {
    pub url: String,
    pub code: String,
}

impl PairingText {
    /// Reads what a scanner or a person enters: the pairing QR's JSON
    /// (`{"url", "code"}`), or the address and the code separated by spaces,
    /// as `gatehouse pair` prints them (`--code` before the code is accepted).
    pub fn parse(text: &str) -> Result<PairingText> {
        let text = text.trim();
        if text.starts_with('{') {
            return serde_json::from_str::<PairingText>(text).map_err(|e| {
                Error::from(Msg::PairingQr {
                    detail: e.to_string(),
                })
            });
        }
        let words: Vec<&str> = text.split_whitespace().filter(|w| *w != "--code").collect();
        match words.as_slice() {
            [url, code] if url.starts_with("http") => Ok(PairingText {
                url: (*url).to_string(),
                code: (*code).to_string(),
            }),
            [] => Err(Msg::PairingEmpty {}.into()),
            _ => Err(Msg::PairingText {
                text: format!("{text:?}"),
            }
            .into()),
        }
    }
}

/// A join done in the fresh database, waiting for the shell to swap it in.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub joining: PathBuf,
    pub outcome: JoinOutcome,
}

/// What the screen shows once the station has joined.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct JoinOutcome {
    /// The hub's station id, as the hub names itself.
    pub hub: String,
    pub url: String,
    /// The role the hub granted this station.
    pub role: Role,
    /// The name the hub gave this station at pairing ("Porte Hall").
    pub name: Option<String>,
    /// The station id the hub gave it.
    pub station: String,
    /// The hub's event, if the first sync brought it already.
    pub event: Option<String>,
}

/// Where the fresh database is made: beside the current one.
pub fn joining_path(current: &Path) -> PathBuf {
    let mut name = current.file_name().unwrap_or_default().to_os_string();
    name.push(".joining");
    current.with_file_name(name)
}

/// A database file and what belongs to it: SQLite's journal files and the
/// folder of private signing keys ([`crate::db_files::key_dir`]).
fn with_companions(path: &Path) -> [PathBuf; 4] {
    let suffixed = |suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [
        path.to_path_buf(),
        suffixed("-wal"),
        suffixed("-shm"),
        crate::db_files::key_dir(path),
    ]
}

fn remove_all(path: &Path) -> Result<()> {
    for file in with_companions(path) {
        let removed = if file.is_dir() {
            std::fs::remove_dir_all(&file)
        } else {
            std::fs::remove_file(&file)
        };
        match removed {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("cannot remove {}", file.display()), e)),
        }
    }
    Ok(())
}

/// How long the first sync may take before the station restarts anyway (it
/// then waits for the event itself).
const FIRST_SYNC: Duration = Duration::from_secs(20);

/// Joins the hub in a fresh database beside `current`'s and runs a first sync
/// to bring the event. A station already paired is refused: it is re-paired
/// on the hub (un-pair, then a new code), never by replacing its data.
pub async fn prepare(current: &Store, text: &PairingText, now: Timestamp) -> Result<Prepared> {
    if let Some(link) = super::client::link_status(current).await? {
        return Err(Msg::AlreadyPaired { hub: link.url }.into());
    }
    let joining = joining_path(current.path());
    remove_all(&joining)?;
    let fresh = Store::open(&joining).await?;
    let joined = match super::client::join(&fresh, &text.url, &text.code, now).await {
        Ok(joined) => joined,
        Err(e) => {
            fresh.close().await;
            remove_all(&joining)?;
            return Err(e);
        }
    };
    // The event usually arrives at once; if not, the restarted station waits for it.
    if let Ok(Err(e)) = tokio::time::timeout(FIRST_SYNC, super::client::sync_now(&fresh)).await {
        tracing::warn!("first sync after joining: {e}");
    }
    let event = crate::event_store::load(fresh.read())
        .await
        .ok()
        .map(|e| e.name);
    fresh.close().await;
    Ok(Prepared {
        joining,
        outcome: JoinOutcome {
            hub: joined.hub,
            url: text.url.trim_end_matches('/').to_string(),
            role: joined.role,
            name: joined.name,
            station: joined.station,
            event,
        },
    })
}

/// Puts the joined database in `current`'s place and keeps the old one as
/// `<name>-before-join-<time>.db` beside it; returns where. Call it only
/// once every connection to `current` is closed.
pub fn swap(current: &Path, prepared: &Prepared, now: Timestamp) -> Result<PathBuf> {
    let stem = current
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gatehouse".into());
    let stamp = now.strftime("%Y%m%dT%H%M%SZ");
    let kept = current.with_file_name(format!("{stem}-before-join-{stamp}.db"));
    let moves = with_companions(current)
        .into_iter()
        .zip(with_companions(&kept))
        .chain(
            with_companions(&prepared.joining)
                .into_iter()
                .zip(with_companions(current)),
        );
    for (from, to) in moves {
        match std::fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::io(
                    format!("cannot move {} to {}", from.display(), to.display()),
                    e,
                ))
            }
        }
    }
    // The station's TLS certificate stays the station's.
    crate::sync::tls::carry(&kept, current)?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_qr_json_and_the_typed_forms() {
        let want = PairingText {
            url: "https://10.0.0.2:8443".into(),
            code: "ABCD-EFGH.f00d".into(),
        };
        for text in [
            r#"{"url":"https://10.0.0.2:8443","code":"ABCD-EFGH.f00d"}"#,
            "https://10.0.0.2:8443 ABCD-EFGH.f00d",
            "  https://10.0.0.2:8443 --code ABCD-EFGH.f00d\n",
        ] {
            assert_eq!(PairingText::parse(text).ok(), Some(want.clone()), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_pairing_code_with_a_reason() {
        for (text, says) in [
            ("", "empty"),
            ("ABCD-EFGH", "expected the hub's address then the code"),
            (r#"{"url":"https://x"}"#, "pairing QR code"),
        ] {
            let err = PairingText::parse(text).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains(says)),
                "{text}: {err:?}"
            );
        }
    }

    #[tokio::test]
    async fn the_swap_moves_the_keys_with_their_database_and_keeps_the_old_pair() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
        let current = dir.path().join("station.db");
        let write = |path: PathBuf, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .and_then(|()| std::fs::write(&path, text))
                .map_err(|e| Error::io("write", e))
        };
        write(current.clone(), "demo")?;
        write(
            crate::db_files::key_dir(&current).join("old.key"),
            "demo key",
        )?;
        let joining = joining_path(&current);
        write(joining.clone(), "venue")?;
        write(
            crate::db_files::key_dir(&joining).join("new.key"),
            "venue key",
        )?;
        let prepared = Prepared {
            joining,
            outcome: JoinOutcome {
                hub: "hub".into(),
                url: "https://10.0.0.2:8443".into(),
                role: Role::Desk,
                name: Some("Accueil 1".into()),
                station: "0190a4c2-0000-7000-8000-000000000001".into(),
                event: None,
            },
        };
        let now: Timestamp = "2026-11-28T08:30:00Z"
            .parse()
            .map_err(|_| Error::bad_input("now"))?;
        let kept = swap(&current, &prepared, now)?;
        assert_eq!(
            kept,
            dir.path().join("station-before-join-20261128T083000Z.db")
        );
        let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(read(current.clone()), "venue");
        assert_eq!(
            read(crate::db_files::key_dir(&current).join("new.key")),
            "venue key"
        );
        assert!(!crate::db_files::key_dir(&current).join("old.key").exists());
        assert_eq!(read(kept.clone()), "demo");
        assert_eq!(
            read(crate::db_files::key_dir(&kept).join("old.key")),
            "demo key"
        );
        assert!(!joining_path(&current).exists());
        Ok(())
    }

    #[test]
    fn the_joining_file_sits_beside_the_database() {
        assert_eq!(
            joining_path(Path::new("/data/gatehouse.db")),
            PathBuf::from("/data/gatehouse.db.joining")
        );
    }
}
