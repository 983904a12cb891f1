//! The live dashboard: who is inside each zone against its capacity, entries
//! per hour (venue time) per zone and category, and refusals by reason — for
//! the venue day that contains `now`, or an earlier day an organiser picks to
//! review. Days are [`super::venue_day`]s, as in the reports. Derived from the
//! scan log on each call.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use super::{venue_day, venue_tz};
use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::scan_log::format_at;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ZoneOccupancy {
    pub zone: String,
    pub name_fr: String,
    pub name_en: String,
    /// Badges inside now (by the scan log, whatever the day).
    pub inside: u32,
    pub capacity: Option<u32>,
}

/// Admitted entries in one venue hour, zone and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HourlyEntries {
    /// 0–23, venue time.
    pub hour: u8,
    pub zone: String,
    /// The badge holder's category ("" if unknown).
    pub category: String,
    pub entries: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DenialCount {
    /// A gate reason code (`revoked`, `zone_not_allowed`…).
    pub reason: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Dashboard {
    /// When it was computed (RFC 3339, UTC).
    pub at: String,
    /// The venue day the hourly figures and refusals cover (YYYY-MM-DD).
    pub day: String,
    /// The venue day that contains `at` (YYYY-MM-DD): `day` unless another was asked for.
    pub today: String,
    pub zones: Vec<ZoneOccupancy>,
    /// Only the hours, zones and categories with entries, ordered by hour.
    pub hourly: Vec<HourlyEntries>,
    /// Most frequent first.
    pub denials: Vec<DenialCount>,
    /// Admitted (or warned) entries that day, all zones.
    pub entries_today: u32,
    /// Refused scans that day, all zones and directions.
    pub denied_today: u32,
}

/// The dashboard at `now`, its day's figures for `day` (by default the venue
/// day of `now`). Occupancy is always now's.
pub async fn dashboard(
    pool: &SqlitePool,
    event: &EventInfo,
    now: Timestamp,
    day: Option<Date>,
) -> Result<Dashboard> {
    let tz = venue_tz(event)?;
    let today = venue_day(now, &tz);
    let day = day.unwrap_or(today);
    let start = day
        .to_zoned(tz.clone())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let end = start
        .checked_add(1.day())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let (from, to) = (format_at(start.timestamp()), format_at(end.timestamp()));

    let mut conn = pool.acquire().await?;
    let mut zones = Vec::new();
    for z in &event.zones {
        zones.push(ZoneOccupancy {
            zone: z.code.to_string(),
            name_fr: z.name_fr.clone(),
            name_en: z.name_en.clone(),
            inside: crate::scan_log::occupancy(&mut conn, &z.code).await?,
            capacity: z.capacity,
        });
    }

    let mut hourly: BTreeMap<(u8, String, String), u32> = BTreeMap::new();
    let mut entries_today = 0u32;
    for r in sqlx::query(
        "SELECT s.at, s.zone, COALESCE(a.category, '') FROM scan s
         LEFT JOIN attendee a ON a.serial = s.serial
         WHERE s.at >= ? AND s.at < ? AND s.direction = 'in' AND s.decision != 'deny'",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&mut *conn)
    .await?
    {
        let at: String = r.get(0);
        let Ok(t) = at.parse::<Timestamp>() else {
            continue;
        };
        let hour = u8::try_from(t.to_zoned(tz.clone()).hour()).unwrap_or(0);
        *hourly.entry((hour, r.get(1), r.get(2))).or_default() += 1;
        entries_today += 1;
    }

    let mut denials = Vec::new();
    let mut denied_today = 0u32;
    for r in sqlx::query(
        "SELECT reason, COUNT(*) AS n FROM scan WHERE at >= ? AND at < ? AND decision = 'deny'
         GROUP BY reason ORDER BY n DESC, reason",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&mut *conn)
    .await?
    {
        let n = u32::try_from(r.get::<i64, _>(1)).map_err(|e| Error::Internal(e.to_string()))?;
        denied_today += n;
        denials.push(DenialCount {
            reason: r.get(0),
            count: n,
        });
    }

    Ok(Dashboard {
        at: format_at(now),
        day: day.to_string(),
        today: today.to_string(),
        zones,
        hourly: hourly
            .into_iter()
            .map(|((hour, zone, category), entries)| HourlyEntries {
                hour,
                zone,
                category,
                entries,
            })
            .collect(),
        denials,
        entries_today,
        denied_today,
    })
}
