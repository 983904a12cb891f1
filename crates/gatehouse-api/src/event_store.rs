//! Reading and replacing the event in the store.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::error::{Error, Result};
use crate::event::{Antipassback, Category, EventDay, EventInfo, RetiredZone, Zone, ZoneCode};

fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|_| Error::Internal(format!("stored date {s:?} is not YYYY-MM-DD")))
}

/// The database's event, or [`Error::NoEvent`].
pub async fn load(pool: &SqlitePool) -> Result<EventInfo> {
    // Its eight reads on one connection: each taken from the pool apart
    // costs a round trip to SQLite's thread of its own, and every scan
    // reads the event.
    let mut conn = pool.acquire().await?;
    let conn = &mut *conn;
    let Some(row) = sqlx::query(
        "SELECT code, name, venue, city, country, time_zone, serial_prefix, vetting FROM event WHERE id = 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Err(Error::NoEvent);
    };

    let days = sqlx::query("SELECT date, demo FROM event_day ORDER BY date")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(EventDay {
                date: date(r.get(0))?,
                demo: r.get::<i64, _>(1) != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut zone_days: BTreeMap<String, Vec<Date>> = BTreeMap::new();
    for r in sqlx::query("SELECT zone_code, date FROM zone_day ORDER BY date")
        .fetch_all(&mut *conn)
        .await?
    {
        zone_days.entry(r.get(0)).or_default().push(date(r.get(1))?);
    }
    let zones = sqlx::query(
        "SELECT code, name_fr, name_en, capacity, antipassback, bit, site FROM zone
         WHERE retired = 0 ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.get(0);
        Ok(Zone {
            open_days: zone_days.remove(&code).unwrap_or_default(),
            code: code.try_into()?,
            bit: r.get::<Option<i64>, _>(5).map(bit).transpose()?,
            name_fr: r.get(1),
            name_en: r.get(2),
            capacity: r
                .get::<Option<i64>, _>(3)
                .and_then(|c| u32::try_from(c).ok()),
            antipassback: Antipassback::parse(r.get(4))?,
            site: r.get(6),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let retired_zones = retired(conn).await?;

    let mut cat_zones: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT cz.category_code, cz.zone_code FROM category_zone cz JOIN zone z ON z.code = cz.zone_code ORDER BY z.position",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        cat_zones.entry(r.get(0)).or_default().push(r.get(1));
    }
    let mut cat_days: BTreeMap<String, Vec<Date>> = BTreeMap::new();
    for r in sqlx::query("SELECT category_code, date FROM category_day ORDER BY date")
        .fetch_all(&mut *conn)
        .await?
    {
        cat_days.entry(r.get(0)).or_default().push(date(r.get(1))?);
    }
    let categories = sqlx::query(
        "SELECT code, name_fr, name_en, color, vetting FROM category ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.get(0);
        Ok(Category {
            zones: cat_zones
                .remove(&code)
                .unwrap_or_default()
                .into_iter()
                .map(TryInto::try_into)
                .collect::<Result<_>>()?,
            days: cat_days.remove(&code).unwrap_or_default(),
            code: code.try_into()?,
            name_fr: r.get(1),
            name_en: r.get(2),
            color: r.get::<String, _>(3).try_into()?,
            vetting: r.get::<i64, _>(4) != 0,
        })
    })
    .collect::<Result<Vec<_>>>()?;

    Ok(EventInfo {
        code: row.get(0),
        name: row.get(1),
        venue: row.get(2),
        city: row.get(3),
        country: row.get(4),
        time_zone: row.get(5),
        serial_prefix: row.get(6),
        days,
        zones,
        categories,
        retired_zones,
        vetting: crate::event::HoldPolicy::parse(row.get(7))?,
    })
}

fn bit(b: i64) -> Result<u8> {
    u8::try_from(b).map_err(|_| Error::Internal(format!("stored zone bit {b} is out of range")))
}

async fn retired(conn: &mut SqliteConnection) -> Result<Vec<RetiredZone>> {
    sqlx::query("SELECT code, bit, name_fr, name_en FROM zone WHERE retired = 1 ORDER BY bit")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            let code: String = r.get(0);
            let stored: Option<i64> = r.get(1);
            Ok(RetiredZone {
                bit: bit(stored
                    .ok_or_else(|| Error::Internal(format!("retired zone {code} has no bit")))?)?,
                code: code.try_into()?,
                name_fr: r.get(2),
                name_en: r.get(3),
            })
        })
        .collect()
}

/// Every zone the stored event holds, open or retired, with its bit.
async fn identities(conn: &mut SqliteConnection) -> Result<Vec<RetiredZone>> {
    sqlx::query("SELECT code, bit, name_fr, name_en FROM zone WHERE bit IS NOT NULL ORDER BY bit")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(RetiredZone {
                code: ZoneCode::try_from(r.get::<String, _>(0))?,
                bit: bit(r.get(1))?,
                name_fr: r.get(2),
                name_en: r.get(3),
            })
        })
        .collect()
}

/// Writes `event` as the database's event, replacing its configuration,
/// inside the caller's transaction. Zones keep their identities
/// ([`EventInfo::keep_identities`]): a zone keeps its bit, and a zone the
/// new event no longer lists stays, retired, so that its bit is never
/// given again.
pub async fn replace(conn: &mut SqliteConnection, event: &EventInfo, now: Timestamp) -> Result<()> {
    let mut event = event.clone();
    event.keep_identities(&identities(conn).await?)?;
    event.validate()?;
    for table in [
        "category_day",
        "category_zone",
        "category",
        "zone_day",
        "zone",
        "event_day",
        "event",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO event (id, code, name, venue, city, country, time_zone, serial_prefix, created_at, vetting)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&event.code)
    .bind(&event.name)
    .bind(&event.venue)
    .bind(&event.city)
    .bind(&event.country)
    .bind(&event.time_zone)
    .bind(&event.serial_prefix)
    .bind(now.to_string())
    .bind(event.vetting.as_str())
    .execute(&mut *conn)
    .await?;
    for day in &event.days {
        sqlx::query("INSERT INTO event_day (date, demo) VALUES (?, ?)")
            .bind(day.date.to_string())
            .bind(day.demo)
            .execute(&mut *conn)
            .await?;
    }
    for (position, zone) in event.zones.iter().enumerate() {
        let bit = zone
            .bit
            .ok_or_else(|| Error::Internal(format!("zone {} was given no bit", zone.code)))?;
        sqlx::query(
            "INSERT INTO zone (code, position, bit, name_fr, name_en, capacity, antipassback, site)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(zone.code.as_str())
        .bind(position as i64)
        .bind(i64::from(bit))
        .bind(&zone.name_fr)
        .bind(&zone.name_en)
        .bind(zone.capacity.map(i64::from))
        .bind(zone.antipassback.as_str())
        .bind(&zone.site)
        .execute(&mut *conn)
        .await?;
        for d in &zone.open_days {
            sqlx::query("INSERT INTO zone_day (zone_code, date) VALUES (?, ?)")
                .bind(zone.code.as_str())
                .bind(d.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    // Retired zones come after the open ones, open on no day.
    for (position, zone) in event.retired_zones.iter().enumerate() {
        sqlx::query(
            "INSERT INTO zone (code, position, bit, name_fr, name_en, capacity, antipassback, retired)
             VALUES (?, ?, ?, ?, ?, NULL, 'off', 1)",
        )
        .bind(zone.code.as_str())
        .bind((event.zones.len() + position) as i64)
        .bind(i64::from(zone.bit))
        .bind(&zone.name_fr)
        .bind(&zone.name_en)
        .execute(&mut *conn)
        .await?;
    }
    for (position, cat) in event.categories.iter().enumerate() {
        sqlx::query(
            "INSERT INTO category (code, position, name_fr, name_en, color, vetting) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(cat.code.as_str())
        .bind(position as i64)
        .bind(&cat.name_fr)
        .bind(&cat.name_en)
        .bind(cat.color.as_str())
        .bind(cat.vetting)
        .execute(&mut *conn)
        .await?;
        for z in &cat.zones {
            sqlx::query("INSERT INTO category_zone (category_code, zone_code) VALUES (?, ?)")
                .bind(cat.code.as_str())
                .bind(z.as_str())
                .execute(&mut *conn)
                .await?;
        }
        for d in &cat.days {
            sqlx::query("INSERT INTO category_day (category_code, date) VALUES (?, ?)")
                .bind(cat.code.as_str())
                .bind(d.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
