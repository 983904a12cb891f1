//! What sync looks like from a screen: this station's link (online or not,
//! last sync, last error), and on the hub which stations have received each
//! revocation, from the marks each station acknowledged
//! ([`super::hub::record_marks`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::Result;
use crate::store::Store;

/// A station that has not synced for this long shows as offline (a watching
/// station completes a round at least every few seconds).
pub const ONLINE_WITHIN_S: i64 = 30;

/// How this database takes part in sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    /// Works alone: never paired, never a hub.
    Standalone,
    /// Paired with a hub.
    Station,
    /// Serves other stations (`gatehouse hub` ran on this database).
    Hub,
}

/// A station's sync status, as its header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatus {
    pub mode: SyncMode,
    /// The hub's address: the one paired with, or this hub's own.
    pub hub_url: Option<String>,
    /// The role the hub granted this station (`desk`, `gate`, `admin`).
    pub role: Option<String>,
    /// A paired station: the name the hub gave it at pairing ("Porte Hall").
    pub name: Option<String>,
    /// A station: its last completed round. A hub: its last contact with
    /// any station. RFC 3339.
    pub last_sync: Option<String>,
    /// Why the last attempt failed, if it did (a station only).
    pub last_error: Option<String>,
    /// Synced within [`ONLINE_WITHIN_S`] and the last attempt succeeded.
    pub online: bool,
    /// A hub: how many stations are paired.
    pub stations: u32,
    /// A paired station: how far its own clock is from the hub's, in ms
    /// (positive: it is behind). `None` until it read the hub's clock.
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
    /// Off by more than two minutes: the station decides on the hub's time
    /// and its screens ask for the clock to be set.
    pub clock_skewed: bool,
    /// A paired station: the hub's time now as it agrees it (RFC 3339),
    /// what to set its clock to.
    pub hub_time: Option<String>,
    /// A paired station: seconds since its last completed sync (the
    /// revocations it holds are that old); `None` if it never synced.
    #[ts(type = "number | null")]
    pub sync_age_s: Option<i64>,
    /// A paired station: after this many seconds without a sync its
    /// screens say how old its revocations are (`sync --warn-after`).
    pub warn_after_s: Option<u32>,
    /// Paired, and no completed sync for `warn_after_s` (or never).
    pub stale: bool,
    /// Set when this station cannot know the time (see `sync::time`): the
    /// last time it knew for sure (RFC 3339). Its gates decide nothing
    /// until its clock is set and it syncs.
    pub time_unknown: Option<String>,
    /// A paired station: the hub it last synced with (`hub_url`, or another
    /// hub of the event after that one stopped answering).
    pub on_hub: Option<String>,
}

fn recent(at: Option<&str>, now: Timestamp) -> bool {
    at.and_then(|t| t.parse::<Timestamp>().ok())
        .is_some_and(|t| now.as_second() - t.as_second() <= ONLINE_WITHIN_S)
}

/// Seconds from `at` (RFC 3339) to `now`.
fn age_s(at: Option<&str>, now: Timestamp) -> Option<i64> {
    at.and_then(|t| t.parse::<Timestamp>().ok())
        .map(|t| now.as_second() - t.as_second())
}

/// This station's sync status at `now` (its wall clock: a paired station
/// judges on the time agreed with its hub, [`super::time`]).
pub async fn status(store: &Store, now: Timestamp) -> Result<SyncStatus> {
    if let Some(link) = super::link::link_status(store).await? {
        let agreed = super::time::agreed(
            super::time::load(store).await?.as_ref(),
            &super::time::Reading::at(now),
        );
        let now = agreed.timestamp();
        let online = link.last_error.is_none() && recent(link.last_sync.as_deref(), now);
        let sync_age_s = age_s(link.last_sync.as_deref(), now);
        let warn_after_s = super::client::warn_after_s(store).await?;
        return Ok(SyncStatus {
            mode: SyncMode::Station,
            hub_url: Some(link.url),
            on_hub: link.on_hub,
            role: Some(link.role),
            name: link.name,
            last_sync: link.last_sync,
            last_error: link.last_error,
            online,
            stations: 0,
            clock_offset_ms: agreed.offset_ms,
            clock_skewed: agreed.skewed(),
            hub_time: agreed.offset_ms.map(|_| now.to_string()),
            stale: sync_age_s.is_none_or(|a| a > i64::from(warn_after_s)),
            sync_age_s,
            warn_after_s: Some(warn_after_s),
            time_unknown: agreed
                .unknown
                .and_then(|ms| Timestamp::from_millisecond(ms).ok())
                .map(|t| t.to_string()),
        });
    }
    let hub: Option<String> = sqlx::query_scalar("SELECT url FROM sync_hub_config WHERE id = 1")
        .fetch_optional(store.read())
        .await?;
    let Some(url) = hub else {
        return Ok(SyncStatus {
            mode: SyncMode::Standalone,
            hub_url: None,
            on_hub: None,
            role: None,
            name: None,
            last_sync: None,
            last_error: None,
            online: false,
            stations: 0,
            clock_offset_ms: None,
            clock_skewed: false,
            hub_time: None,
            sync_age_s: None,
            warn_after_s: None,
            stale: false,
            time_unknown: None,
        });
    };
    let row =
        sqlx::query("SELECT COUNT(*), MAX(last_contact) FROM sync_peer WHERE unpaired_at IS NULL")
            .fetch_one(store.read())
            .await?;
    let last: Option<String> = row.get(1);
    Ok(SyncStatus {
        mode: SyncMode::Hub,
        hub_url: Some(url),
        on_hub: None,
        role: None,
        name: None,
        online: recent(last.as_deref(), now),
        last_sync: last,
        last_error: None,
        stations: u32::try_from(row.get::<i64, _>(0)).unwrap_or(0),
        clock_offset_ms: None,
        clock_skewed: false,
        hub_time: None,
        sync_age_s: None,
        warn_after_s: None,
        stale: false,
        time_unknown: None,
    })
}

/// A paired station, as a revocation's reach names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StationRef {
    pub station: String,
    pub name: String,
}

/// Which paired stations hold the revocation of one badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevocationReach {
    pub serial: String,
    pub received: Vec<StationRef>,
    pub missing: Vec<StationRef>,
}

/// A revocation entry in the hub's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationEntry {
    pub serial: String,
    pub origin: String,
    pub seq: u64,
}

/// Per badge, which stations hold (one of) its revocation(s): station S
/// holds the entry (origin, seq) when S made it or acknowledged every entry
/// of `origin` up to `seq` or beyond. `marks` maps (station, origin) to the
/// acknowledged sequence. Badges in the order first met.
pub fn reach(
    revocations: &[RevocationEntry],
    stations: &[StationRef],
    marks: &BTreeMap<(String, String), u64>,
) -> Vec<RevocationReach> {
    let holds = |s: &StationRef, e: &RevocationEntry| {
        s.station == e.origin
            || marks
                .get(&(s.station.clone(), e.origin.clone()))
                .is_some_and(|&m| m >= e.seq)
    };
    let mut order: Vec<&str> = Vec::new();
    let mut by_serial: BTreeMap<&str, Vec<&RevocationEntry>> = BTreeMap::new();
    for e in revocations {
        let list = by_serial.entry(e.serial.as_str()).or_default();
        if list.is_empty() {
            order.push(e.serial.as_str());
        }
        list.push(e);
    }
    order
        .into_iter()
        .map(|serial| {
            let entries = by_serial.get(serial).map(Vec::as_slice).unwrap_or_default();
            let (received, missing): (Vec<StationRef>, Vec<StationRef>) = stations
                .iter()
                .cloned()
                .partition(|s| entries.iter().any(|e| holds(s, e)));
            RevocationReach {
                serial: serial.to_string(),
                received,
                missing,
            }
        })
        .collect()
}

/// On the hub: which paired stations hold each revocation in its log
/// (empty on a station that is not a hub).
pub async fn revocation_reach(store: &Store) -> Result<Vec<RevocationReach>> {
    let pool = store.read();
    let revocations: Vec<RevocationEntry> = sqlx::query(
        "SELECT body ->> '$.serial', origin, seq FROM sync_entry
         WHERE kind = 'revocation' ORDER BY origin, seq",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| RevocationEntry {
        serial: r.get::<Option<String>, _>(0).unwrap_or_default(),
        origin: r.get(1),
        seq: u64::try_from(r.get::<i64, _>(2)).unwrap_or(0),
    })
    .collect();
    let stations: Vec<StationRef> = sqlx::query(
        "SELECT station, COALESCE(name, role || ' ' || substr(station, 1, 8)) FROM sync_peer
         WHERE unpaired_at IS NULL ORDER BY name, station",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| StationRef {
        station: r.get(0),
        name: r.get(1),
    })
    .collect();
    let marks: BTreeMap<(String, String), u64> =
        sqlx::query("SELECT station, origin, seq FROM sync_peer_mark")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                (
                    (r.get(0), r.get(1)),
                    u64::try_from(r.get::<i64, _>(2)).unwrap_or(0),
                )
            })
            .collect();
    Ok(reach(&revocations, &stations, &marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(id: &str) -> StationRef {
        StationRef {
            station: id.into(),
            name: format!("Station {id}"),
        }
    }

    #[test]
    fn a_revocation_has_reached_the_stations_that_acknowledged_its_sequence() {
        let rev = |serial: &str, origin: &str, seq| RevocationEntry {
            serial: serial.into(),
            origin: origin.into(),
            seq,
        };
        let stations = [st("a"), st("b"), st("c")];
        let marks: BTreeMap<(String, String), u64> = [
            (("a".to_string(), "hub".to_string()), 7),
            (("b".to_string(), "hub".to_string()), 6),
            (("b".to_string(), "c".to_string()), 3),
        ]
        .into();
        let out = reach(
            &[rev("BMX-1", "hub", 7), rev("BMX-2", "c", 3)],
            &stations,
            &marks,
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].serial, "BMX-1");
        assert_eq!(out[0].received, vec![st("a")]);
        assert_eq!(out[0].missing, vec![st("b"), st("c")]);
        // Made at c, acknowledged by b; a has not seen c's entries.
        assert_eq!(out[1].received, vec![st("b"), st("c")]);
        assert_eq!(out[1].missing, vec![st("a")]);
    }

    #[test]
    fn a_station_is_online_only_if_it_synced_recently() -> crate::Result<()> {
        let now: Timestamp = "2025-11-11T10:00:00Z"
            .parse()
            .map_err(|_| crate::Error::Internal("test time".into()))?;
        assert!(recent(Some("2025-11-11T09:59:45Z"), now));
        assert!(!recent(Some("2025-11-11T09:58:00Z"), now));
        assert!(!recent(None, now));
        Ok(())
    }
}
