//! Kiosk mode set per station from the hub's console (issue 17). A paired
//! gate has no organiser account: the organiser sets it on the hub, and the
//! setting travels to the station as a `station_kiosk` sync record
//! (migration 0035; logged by the capture, applied by
//! `sync::store::materialise`), which only an organiser's station may send
//! (`sync::policy`: a gate that forges one is quarantined and its record
//! held aside). The station it names applies it: the window opens (or, once
//! running, switches) to kiosk mode, and says so in its audit log
//! (`kiosk.applied`), which reaches the hub like its other audit entries, so
//! the console shows asked and applied side by side.
//!
//! The station's own `--kiosk` flag holds while the console has asked
//! nothing for it; a kiosk window still closes with an organiser's or a
//! supervisor's PIN (`Api::kiosk_unlock`).

use jiff::Timestamp;

use crate::error::Result;
use crate::messages::Msg;
use crate::store::Store;

/// Sets kiosk mode for the paired station `station` (on the hub). Logged at
/// the next capture, so it reaches the station at its next round.
pub async fn set(
    store: &Store,
    station: &str,
    kiosk: bool,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    let hub: Option<String> = sqlx::query_scalar("SELECT url FROM sync_hub_config WHERE id = 1")
        .fetch_optional(store.read())
        .await?;
    if hub.is_none() {
        return Err(Msg::StationKioskNotHub {}.into());
    }
    let mut tx = store.write().await?;
    let paired: Option<String> = sqlx::query_scalar(
        "SELECT station FROM sync_peer WHERE station = ? AND unpaired_at IS NULL",
    )
    .bind(station)
    .fetch_optional(&mut *tx)
    .await?;
    if paired.is_none() {
        return Err(Msg::StationKioskUnknown {
            station: station.to_string(),
        }
        .into());
    }
    sqlx::query(
        "INSERT INTO station_kiosk (station, kiosk, set_at, set_by, hlc) VALUES (?, ?, ?, ?, NULL)
         ON CONFLICT (station) DO UPDATE SET kiosk = excluded.kiosk, set_at = excluded.set_at,
           set_by = excluded.set_by, hlc = NULL",
    )
    .bind(station)
    .bind(i64::from(kiosk))
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "station.kiosk",
        &serde_json::json!({ "station": station, "kiosk": kiosk }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the organiser asked for this station, if anything.
pub async fn asked_here(store: &Store) -> Result<Option<bool>> {
    let asked: Option<i64> = sqlx::query_scalar(
        "SELECT k.kiosk FROM station_kiosk k JOIN station s ON s.uuid = k.station WHERE s.id = 1",
    )
    .fetch_optional(store.read())
    .await?;
    Ok(asked.map(|k| k != 0))
}

/// Whether this station's window is a kiosk: what the organiser asked, or
/// else the station's own `--kiosk`.
pub fn wanted(asked: Option<bool>, flag: bool) -> bool {
    asked.unwrap_or(flag)
}

/// Records in this station's audit log that its window is (or is not) in
/// kiosk mode, when that differs from what it last recorded: the hub's
/// console reads it as the station's applied state.
pub async fn record_applied(store: &Store, kiosk: bool, now: Timestamp) -> Result<()> {
    let mut tx = store.write().await?;
    let last: Option<String> = sqlx::query_scalar(
        "SELECT detail FROM audit WHERE action = 'kiosk.applied' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let same = last
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
        .and_then(|d| d["kiosk"].as_bool())
        == Some(kiosk);
    if !same {
        crate::audit::append(
            &mut tx,
            now,
            "window",
            "kiosk.applied",
            &serde_json::json!({ "kiosk": kiosk }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_wins_over_the_flag_once_it_asked() {
        assert!(!wanted(None, false));
        assert!(wanted(None, true));
        assert!(wanted(Some(true), false));
        assert!(!wanted(Some(false), true));
    }
}
