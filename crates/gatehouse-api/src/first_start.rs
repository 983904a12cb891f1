//! The first start of an installed station: a database with no event, no
//! staff account and no hub offers a short choice instead of opening on the
//! demo ([`state`]): try the demo ([`demo`]), create an event and its first
//! organiser account ([`create`], then the console's setup), or join a hub
//! (`Api::first_start_join`, the console's join). Each works only while the
//! station is empty ([`ensure_empty`]): nobody is signed in yet, so these
//! are the only things that may be done without a PIN, and only once.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::{Antipassback, Category, EventDay, EventInfo, Zone};
use crate::messages::Msg;
use crate::staff::Role;
use crate::store::Store;

/// Whether this station still offers the first-start choice.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FirstStart {
    /// No event, no staff account, not paired with a hub.
    pub empty: bool,
}

/// "Create an event" on the first-start screen: the event's name and days,
/// and the organiser who will set it up (their PIN, 8 to 12 digits).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewEvent {
    pub name: String,
    #[ts(type = "string")]
    pub first_day: Date,
    #[ts(type = "string")]
    pub last_day: Date,
    /// IANA time zone (the browser's own by default).
    pub time_zone: String,
    pub admin_name: String,
    pub admin_pin: String,
}

/// The longest event a first start creates (more days: the console's setup).
const MAX_DAYS: i64 = 31;

/// Whether the station is empty: no event, no staff account, no hub link.
pub async fn state(store: &Store) -> Result<FirstStart> {
    let has_event = match crate::event_store::load(store.read()).await {
        Ok(_) => true,
        Err(Error::NoEvent) => false,
        Err(e) => return Err(e),
    };
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff")
        .fetch_one(store.read())
        .await?;
    let paired = crate::sync::link::link_status(store).await?.is_some();
    Ok(FirstStart {
        empty: !has_event && staff == 0 && !paired,
    })
}

/// Refuses anything done without a PIN on a station that is no longer empty.
pub async fn ensure_empty(store: &Store) -> Result<()> {
    if state(store).await?.empty {
        Ok(())
    } else {
        Err(Msg::FirstStartDone {}.into())
    }
}

/// "Try the demo": the demo event starting today, with its attendees and
/// its demo accounts (published PINs, as `gatehouse demo` makes).
pub async fn demo(store: &Store, now: Timestamp) -> Result<EventInfo> {
    ensure_empty(store).await?;
    crate::demo::install(store, crate::demo::today_at_venue(now)?, now).await?;
    crate::registry::demo::install(
        store,
        crate::registry::demo::DEFAULT_COUNT,
        crate::registry::demo::DEFAULT_SEED,
        now,
    )
    .await?;
    crate::event_store::load(store.read()).await
}

/// The event a first start creates from `req`: its days, one entrance open
/// every day and one category for it; the console's setup adds the rest.
pub fn event_of(req: &NewEvent) -> Result<EventInfo> {
    let name = req.name.trim();
    if name.is_empty() {
        return Err(Msg::FirstStartNameMissing {}.into());
    }
    let span = (req.last_day - req.first_day).get_days();
    if span < 0 {
        return Err(Msg::FirstStartDaysBackwards {
            first: req.first_day.to_string(),
            last: req.last_day.to_string(),
        }
        .into());
    }
    if i64::from(span) >= MAX_DAYS {
        return Err(Msg::FirstStartTooManyDays {
            days: u64::try_from(span + 1).unwrap_or_default(),
        }
        .into());
    }
    if jiff::tz::TimeZone::get(&req.time_zone).is_err() {
        return Err(Msg::FirstStartTimeZone {
            zone: req.time_zone.clone(),
        }
        .into());
    }
    let days: Vec<Date> = (0..=i64::from(span))
        .map(|n| req.first_day.checked_add(n.days()))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| {
            Error::from(crate::messages::Msg::DateTooLate {
                date: req.last_day.to_string(),
            })
        })?;
    let (code, prefix) = codes_of(name);
    let event = EventInfo {
        code,
        name: name.to_string(),
        venue: String::new(),
        city: String::new(),
        country: String::new(),
        time_zone: req.time_zone.clone(),
        serial_prefix: prefix,
        days: days
            .iter()
            .map(|&date| EventDay { date, demo: false })
            .collect(),
        zones: vec![Zone {
            code: "ENTREE".parse()?,
            bit: Some(0),
            name_fr: "Entrée".into(),
            name_en: "Entrance".into(),
            capacity: None,
            antipassback: Antipassback::Off,
            open_days: days.clone(),
            site: None,
        }],
        categories: vec![Category {
            code: "PART".parse()?,
            name_fr: "Participant".into(),
            name_en: "Participant".into(),
            color: "#1F4E99".to_string().try_into()?,
            zones: vec!["ENTREE".parse()?],
            days,
            vetting: false,
        }],
        retired_zones: Vec::new(),
        vetting: crate::event::HoldPolicy::Off,
    };
    event.validate()?;
    Ok(event)
}

/// The event's code and badge prefix from its name: its letters and digits
/// without accents, upper case (`Salon de l'Auto 2026` → `SALONDELAUTO2026`,
/// `SAL`); `EVENT` and `EVT` when it has none.
pub fn codes_of(name: &str) -> (String, String) {
    let folded = crate::registry::fold::fold(name).to_uppercase();
    let code: String = folded
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    let prefix: String = folded
        .chars()
        .filter(char::is_ascii_uppercase)
        .take(3)
        .collect();
    let code = if code.is_empty() {
        "EVENT".into()
    } else {
        code
    };
    let prefix = if prefix.len() < 2 {
        "EVT".into()
    } else {
        prefix
    };
    (code, prefix)
}

/// "Create an event": the event of [`event_of`] and its first organiser
/// account, both audited. The console's setup then opens, signed in.
pub async fn create(store: &Store, req: &NewEvent, now: Timestamp) -> Result<EventInfo> {
    let event = event_of(req)?;
    ensure_empty(store).await?;
    // Checks the name and the PIN's policy (8 to 12 digits for an organiser)
    // and hashes it before the event is written.
    crate::console::setup::create_staff(
        store,
        crate::console::setup::StaffChange {
            name: Some(req.admin_name.clone()),
            role: Some(Role::Admin),
            pin: Some(req.admin_pin.clone()),
            ..Default::default()
        },
        now,
        "first-start",
    )
    .await?;
    let mut tx = store.write().await?;
    crate::event_store::replace(&mut tx, &event, now).await?;
    crate::keys::signing_key(&mut tx, store.path(), now, "first-start").await?;
    crate::audit::append(
        &mut tx,
        now,
        "first-start",
        "event.create",
        &serde_json::json!({ "event": event.code, "name": event.name }),
    )
    .await?;
    tx.commit().await?;
    crate::event_store::load(store.read()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, first: &str, last: &str) -> NewEvent {
        NewEvent {
            name: name.into(),
            first_day: first.parse().unwrap_or_default(),
            last_day: last.parse().unwrap_or_default(),
            time_zone: "Africa/Bamako".into(),
            admin_name: "Awa".into(),
            admin_pin: "41502963".into(),
        }
    }

    #[test]
    fn codes_come_from_the_name() {
        assert_eq!(
            codes_of("Salon de l'Auto 2026"),
            ("SALONDELAUTO2026".into(), "SAL".into())
        );
        assert_eq!(
            codes_of("Fête à Ségou"),
            ("FETEASEGOU".into(), "FET".into())
        );
        assert_eq!(codes_of("2026"), ("2026".into(), "EVT".into()));
        assert_eq!(codes_of("…"), ("EVENT".into(), "EVT".into()));
    }

    #[test]
    fn an_event_has_its_days_one_entrance_and_one_category() -> Result<()> {
        let e = event_of(&req("Foire de Kayes", "2026-03-01", "2026-03-03"))?;
        assert_eq!(e.days.len(), 3);
        assert_eq!(e.zones[0].open_days.len(), 3);
        assert_eq!(e.categories[0].days.len(), 3);
        assert_eq!(e.serial_prefix, "FOI");
        Ok(())
    }

    #[test]
    fn refusals_name_the_field() {
        let said = |r: NewEvent| match event_of(&r) {
            Err(e) => e.localized(crate::lang::Lang::En),
            Ok(_) => String::new(),
        };
        assert!(said(req(" ", "2026-03-01", "2026-03-01")).starts_with("event name"));
        assert!(said(req("X", "2026-03-03", "2026-03-01")).contains("2026-03-01"));
        assert!(said(req("X", "2026-03-01", "2026-06-01")).contains("93 days"));
        let mut bad = req("X", "2026-03-01", "2026-03-01");
        bad.time_zone = "Mars/Olympus".into();
        assert!(said(bad).contains("Mars/Olympus"));
    }
}
