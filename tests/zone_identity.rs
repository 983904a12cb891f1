//! Zones keep their identity (issue 13): a printed badge opens exactly what
//! it opened when printed, whatever the console later does to the zone list.
//! An exhibitor badge (HALL, BIZ, DEMO) must stay refused at VIP after BIZ is
//! removed and after the zones are reordered: on the station that edited the
//! event, and on a second station that receives the event's JSON as sync
//! carries it (applied through `event_store::replace`). Real SQLite files.

use gatehouse::api::StationConfig;
use gatehouse::error::ErrorCode;
use gatehouse::event::{EventInfo, Zone, ZoneCode};
use gatehouse::gate::{Direction, Reason};
use gatehouse::registry::NewAttendee;
use gatehouse::Api;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn zone(code: &str) -> Result<ZoneCode> {
    Ok(code.parse()?)
}

/// The verdict's reason for `token` entering each of `zones` on `api`.
async fn reasons(api: &Api, token: &str, zones: &[&str]) -> Result<Vec<(String, Reason)>> {
    let now = jiff::Timestamp::now();
    let mut out = Vec::new();
    for z in zones {
        let v = api.verify(token, &zone(z)?, Direction::In, now).await?;
        out.push((z.to_string(), v.reason));
    }
    Ok(out)
}

fn expect(pairs: &[(&str, Reason)]) -> Vec<(String, Reason)> {
    pairs.iter().map(|(z, r)| (z.to_string(), *r)).collect()
}

/// Applies `json` (an event as sync carries it) to the database behind `api`
/// the way a received `EventConfig` record is applied.
async fn apply_synced(api: &Api, json: &str) -> Result<()> {
    let info: EventInfo = serde_json::from_str(json)?;
    let mut tx = api.store().write().await?;
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    gatehouse::event_store::replace(&mut tx, &info, jiff::Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

#[tokio::test]
async fn printed_badges_keep_their_zones_through_removal_and_reordering() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let a_db = dir.path().join("console.db");
    let b_db = dir.path().join("gate.db");
    // The demo event, live today, with no synthetic attendees.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["--db", &a_db.display().to_string()])
        .args(["demo", "--starting", "today", "--attendees", "0"])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second station that already had the event and the public key, as a
    // paired gate has: a copy of the database as it was then.
    // The process has ended: the file and its write-ahead log are the database.
    std::fs::copy(&a_db, &b_db)?;
    let wal = dir.path().join("console.db-wal");
    if wal.exists() {
        std::fs::copy(&wal, dir.path().join("gate.db-wal"))?;
    }

    let a = Api::open(&a_db, StationConfig::default()).await?;
    let b = Api::open(&b_db, StationConfig::default()).await?;
    let now = jiff::Timestamp::now();
    let exhibitor = a
        .create_attendee(NewAttendee::new("Awa", "Diallo", "EXH".parse()?), now, "t")
        .await?;
    // Someone whose own access names BIZ (an override, not the category's).
    let mut custom = NewAttendee::new("Moussa", "Keita", "VIS".parse()?);
    custom.zones_override = Some(vec![zone("HALL")?, zone("BIZ")?]);
    let custom = a.create_attendee(custom, now, "t").await?;
    let printed = a.token(&exhibitor.serial, now, "t").await?.token;

    let all = ["HALL", "BIZ", "VIP", "PRESS"];
    let before = expect(&[
        ("HALL", Reason::Ok),
        ("BIZ", Reason::Ok),
        ("VIP", Reason::ZoneNotAllowed),
        ("PRESS", Reason::ZoneNotAllowed),
    ]);
    assert_eq!(reasons(&a, &printed, &all).await?, before);
    assert_eq!(reasons(&b, &printed, &all).await?, before);

    // The console removes BIZ (as the Setup tab does: from the list and the
    // access matrix).
    let mut edit = a.event().await?;
    edit.zones.retain(|z| z.code.as_str() != "BIZ");
    for c in &mut edit.categories {
        c.zones.retain(|z| z.as_str() != "BIZ");
    }
    let saved = a.save_event(edit, now, "admin").await?;
    assert_eq!(
        saved
            .retired_zones
            .iter()
            .map(|r| (r.code.as_str(), r.bit))
            .collect::<Vec<_>>(),
        [("BIZ", 1)],
        "BIZ stays, retired, with its bit"
    );
    let after_removal = expect(&[
        ("HALL", Reason::Ok),
        // Retired: closed every day, even for badges that opened it.
        ("BIZ", Reason::ZoneClosed),
        ("VIP", Reason::ZoneNotAllowed),
        ("PRESS", Reason::ZoneNotAllowed),
    ]);
    assert_eq!(reasons(&a, &printed, &all).await?, after_removal);
    // Nobody is kept inside a retired zone.
    let out = a
        .verify(&printed, &zone("BIZ")?, Direction::Out, now)
        .await?;
    assert_eq!(out.reason, Reason::Ok);

    // The event as sync carries it, applied on the second station.
    let travelled = serde_json::to_string(&a.event().await?)?;
    assert!(travelled.contains(r#""retired_zones":[{"code":"BIZ","bit":1"#));
    apply_synced(&b, &travelled).await?;
    assert_eq!(b.event().await?, a.event().await?);
    assert_eq!(reasons(&b, &printed, &all).await?, after_removal);

    // Reordering changes the display order only.
    let mut edit = a.event().await?;
    edit.zones.reverse();
    let saved = a.save_event(edit, now, "admin").await?;
    let order: Vec<_> = saved.zones.iter().map(|z| z.code.as_str()).collect();
    assert_eq!(order, ["DEMO", "PRESS", "VIP", "HALL"]);
    assert_eq!(reasons(&a, &printed, &all).await?, after_removal);
    apply_synced(&b, &serde_json::to_string(&a.event().await?)?).await?;
    assert_eq!(b.event().await?.zones, saved.zones);
    assert_eq!(reasons(&b, &printed, &all).await?, after_removal);

    // A zone added now takes a bit no zone ever had: the printed badge does
    // not open it.
    let mut edit = a.event().await?;
    edit.zones.push(Zone {
        code: zone("LOUNGE")?,
        bit: None,
        name_fr: "Salon".into(),
        name_en: "Lounge".into(),
        capacity: None,
        antipassback: gatehouse::event::Antipassback::Off,
        open_days: edit.days.iter().map(|d| d.date).collect(),
        site: None,
    });
    let saved = a.save_event(edit, now, "admin").await?;
    assert_eq!(saved.zone_bit("LOUNGE"), Some(5));
    assert_eq!(
        reasons(&a, &printed, &["LOUNGE", "VIP"]).await?,
        expect(&[
            ("LOUNGE", Reason::ZoneNotAllowed),
            ("VIP", Reason::ZoneNotAllowed)
        ])
    );

    // Badges printed after the change mean the same.
    let reprinted = a.reprint(&exhibitor.serial, now, "t").await?.token;
    assert_eq!(
        reasons(&a, &reprinted, &["HALL", "VIP", "LOUNGE"]).await?,
        expect(&[
            ("HALL", Reason::Ok),
            ("VIP", Reason::ZoneNotAllowed),
            ("LOUNGE", Reason::ZoneNotAllowed),
        ])
    );
    // The person whose own access named BIZ can still be edited and printed.
    let mut fields = NewAttendee::new("Moussa", "Keïta", "VIS".parse()?);
    fields.zones_override = custom.zones_override.clone();
    a.update_attendee(&custom.serial, fields, now, "t").await?;
    let theirs = a.token(&custom.serial, now, "t").await?.token;
    assert_eq!(
        reasons(&a, &theirs, &["HALL", "BIZ", "VIP"]).await?,
        expect(&[
            ("HALL", Reason::Ok),
            ("BIZ", Reason::ZoneClosed),
            ("VIP", Reason::ZoneNotAllowed),
        ])
    );

    // Refused, with the reason: another bit for a zone, a retired code again.
    let mut edit = a.event().await?;
    for z in &mut edit.zones {
        if z.code.as_str() == "VIP" {
            z.bit = Some(1);
        }
    }
    let refused = a.save_event(edit, now, "admin").await;
    assert!(
        matches!(&refused, Err(e) if e.code() == ErrorCode::BadInput && e.to_string().contains("zone VIP") && e.to_string().contains("cannot become 1")),
        "{refused:?}"
    );
    let mut edit = a.event().await?;
    let mut biz = edit.zones[0].clone();
    biz.code = zone("BIZ")?;
    biz.bit = None;
    edit.zones.push(biz);
    let refused = a.save_event(edit, now, "admin").await;
    assert!(
        matches!(&refused, Err(e) if e.code() == ErrorCode::BadInput && e.to_string().contains("zone BIZ") && e.to_string().contains("retired")),
        "{refused:?}"
    );
    Ok(())
}

/// A database made before zones stored their bits keeps the bits its badges
/// were printed with: each zone's place in the list.
#[tokio::test]
async fn an_existing_database_keeps_its_positional_bits() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("old.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    // The schema as it was before migration 0014.
    let mut before = sqlx::migrate::Migrator::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"),
    )
    .await?;
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 14)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&pool).await?;
    sqlx::query(
        "INSERT INTO event (id, code, name, venue, city, country, time_zone, serial_prefix, created_at)
         VALUES (1, 'OLD', 'Old', 'Hall', 'Bamako', 'ML', 'Africa/Bamako', 'OLD', '2025-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await?;
    sqlx::query("INSERT INTO event_day (date) VALUES ('2025-11-11')")
        .execute(&pool)
        .await?;
    // Rows written in another order than their places.
    for (code, position) in [
        ("VIP", 2),
        ("HALL", 0),
        ("DEMO", 4),
        ("BIZ", 1),
        ("PRESS", 3),
    ] {
        sqlx::query("INSERT INTO zone (code, position, name_fr, name_en) VALUES (?, ?, ?, ?)")
            .bind(code)
            .bind(position)
            .bind(code)
            .bind(code)
            .execute(&pool)
            .await?;
    }
    pool.close().await;

    let api = Api::open(&db, StationConfig::default()).await?;
    let event = api.event().await?;
    let bits: Vec<_> = event
        .zones
        .iter()
        .map(|z| (z.code.as_str(), z.bit))
        .collect();
    assert_eq!(
        bits,
        [
            ("HALL", Some(0)),
            ("BIZ", Some(1)),
            ("VIP", Some(2)),
            ("PRESS", Some(3)),
            ("DEMO", Some(4)),
        ]
    );
    assert!(event.retired_zones.is_empty());
    Ok(())
}
