//! The BAMEX'25 demo event, as the product brief describes it.
//!
//! [`bamex25`] is plain data (days shifted to start on `first_day`);
//! the station's `demo::install` writes it with the demo staff accounts.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::{Antipassback, Category, EventDay, EventInfo, Zone};
use crate::role::Role;

/// The event's real first day.
pub const BAMEX25_FIRST_DAY: Date = jiff::civil::date(2025, 11, 11);
pub const BAMEX25_CODE: &str = "BAMEX25";
pub const BAMEX25_TIME_ZONE: &str = "Africa/Bamako";

/// Demo staff accounts: name, role, PIN. Demo only; printed by `gatehouse
/// demo`. Four digits, below the policy by role: `hub` and `pair` refuse to
/// go live while one is active (`crate::console::setup::go_live_check`).
pub const DEMO_STAFF: [(&str, Role, &str); 4] = [
    ("Admin démo", Role::Admin, "1111"),
    ("Accueil démo", Role::Desk, "2222"),
    ("Contrôle démo", Role::Gate, "3333"),
    ("Superviseur démo", Role::Supervisor, "4444"),
];

/// The four days of BAMEX'25 starting on `first_day` (the last two are demo days).
pub fn bamex25(first_day: Date) -> Result<EventInfo> {
    let day = |n: i64| {
        first_day.checked_add(n.days()).map_err(|_| {
            Error::from(crate::messages::Msg::DemoStartTooLate {
                day: first_day.to_string(),
            })
        })
    };
    let days: Vec<Date> = (0..4).map(day).collect::<Result<_>>()?;
    let demo_days = days[2..].to_vec();
    let zone = |code: &str,
                fr: &str,
                en: &str,
                capacity: u32,
                antipassback,
                open_days: &[Date]|
     -> Result<Zone> {
        Ok(Zone {
            code: code.parse()?,
            bit: None,
            name_fr: fr.into(),
            name_en: en.into(),
            capacity: Some(capacity),
            antipassback,
            open_days: open_days.to_vec(),
            site: None,
        })
    };
    let mut zones = vec![
        zone(
            "HALL",
            "Hall d'exposition",
            "Exhibition hall",
            4000,
            Antipassback::Warn,
            &days,
        )?,
        zone(
            "BIZ",
            "Salon d'affaires",
            "Business lounge",
            300,
            Antipassback::Off,
            &days,
        )?,
        zone(
            "VIP",
            "Salon VIP et délégations",
            "VIP & delegations lounge",
            150,
            Antipassback::Warn,
            &days,
        )?,
        zone(
            "PRESS",
            "Centre de presse",
            "Press centre",
            80,
            Antipassback::Off,
            &days,
        )?,
        zone(
            "DEMO",
            "Zone de démonstration",
            "Demo zone",
            500,
            Antipassback::Deny,
            &demo_days,
        )?,
    ];
    // Bits in list order: HALL=0, BIZ=1, VIP=2, PRESS=3, DEMO=4, as badges
    // printed before bits were stored had them.
    for (bit, z) in (0u8..).zip(zones.iter_mut()) {
        z.bit = Some(bit);
    }
    let all_zones = ["HALL", "BIZ", "VIP", "PRESS", "DEMO"];
    let category = |code: &str,
                    fr: &str,
                    en: &str,
                    color: &str,
                    zones: &[&str],
                    days: &[Date]|
     -> Result<Category> {
        Ok(Category {
            code: code.parse()?,
            name_fr: fr.into(),
            name_en: en.into(),
            color: color.to_string().try_into()?,
            zones: zones.iter().map(|z| z.parse()).collect::<Result<_>>()?,
            days: days.to_vec(),
            // Issue 16: every category but visitors is vetted (enforced
            // once the organiser chooses a hold policy).
            vetting: code != "VIS",
        })
    };
    let categories = vec![
        category(
            "ORG",
            "Organisateur",
            "Organiser",
            "#5B2C83",
            &all_zones,
            &days,
        )?,
        category("STF", "Personnel", "Staff", "#00796B", &all_zones, &days)?,
        category("SEC", "Sécurité", "Security", "#212121", &all_zones, &days)?,
        category(
            "EXH",
            "Exposant",
            "Exhibitor",
            "#1565C0",
            &["HALL", "BIZ", "DEMO"],
            &days,
        )?,
        category(
            "DEL",
            "Délégation officielle",
            "Official delegation",
            "#1B5E20",
            &["HALL", "BIZ", "VIP", "DEMO"],
            &days,
        )?,
        category(
            "VIP",
            "VIP",
            "VIP",
            "#B8860B",
            &["HALL", "BIZ", "VIP", "DEMO"],
            &days,
        )?,
        category(
            "PRS",
            "Presse",
            "Press",
            "#E65100",
            &["HALL", "PRESS", "DEMO"],
            &days,
        )?,
        category("VIS", "Visiteur", "Visitor", "#546E7A", &["HALL"], &days)?,
        category(
            "CTR",
            "Prestataire",
            "Contractor",
            "#6D4C41",
            &["HALL"],
            &days[..1],
        )?,
    ];
    let event = EventInfo {
        code: BAMEX25_CODE.into(),
        name: "BAMEX'25".into(),
        venue: "Bamako Fair and Exhibition Center".into(),
        city: "Bamako".into(),
        country: "ML".into(),
        time_zone: BAMEX25_TIME_ZONE.into(),
        serial_prefix: "BMX".into(),
        days: days
            .iter()
            .map(|&date| EventDay {
                date,
                demo: demo_days.contains(&date),
            })
            .collect(),
        zones,
        categories,
        retired_zones: Vec::new(),
        vetting: crate::event::HoldPolicy::Off,
    };
    event.validate()?;
    Ok(event)
}

/// Today's date in the demo event's time zone.
pub fn today_at_venue(now: Timestamp) -> Result<Date> {
    let tz = jiff::tz::TimeZone::get(BAMEX25_TIME_ZONE)
        .map_err(|e| Error::Internal(format!("time zone database: {e}")))?;
    Ok(now.to_zoned(tz).date())
}

/// What `gatehouse demo` reports.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoSummary {
    pub event: String,
    #[ts(type = "string")]
    pub first_day: Date,
    #[ts(type = "string")]
    pub last_day: Date,
    pub zones: usize,
    pub categories: usize,
    pub staff: Vec<DemoAccount>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoAccount {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bamex25_matches_the_brief() -> Result<()> {
        let e = bamex25(BAMEX25_FIRST_DAY)?;
        let days: Vec<String> = e.days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(
            days,
            ["2025-11-11", "2025-11-12", "2025-11-13", "2025-11-14"]
        );
        assert_eq!(e.days.iter().filter(|d| d.demo).count(), 2);
        let zones: Vec<&str> = e.zones.iter().map(|z| z.code.as_str()).collect();
        assert_eq!(zones, ["HALL", "BIZ", "VIP", "PRESS", "DEMO"]);
        let demo = e.zone(&"DEMO".parse()?).ok_or(Error::NoEvent)?;
        let open: Vec<String> = demo.open_days.iter().map(|d| d.to_string()).collect();
        assert_eq!(open, ["2025-11-13", "2025-11-14"]);
        let matrix = |code: &str| -> Result<(Vec<String>, usize)> {
            let c = e.category(&code.parse()?).ok_or(Error::NoEvent)?;
            Ok((
                c.zones.iter().map(|z| z.to_string()).collect(),
                c.days.len(),
            ))
        };
        for code in ["ORG", "STF", "SEC"] {
            assert_eq!(
                matrix(code)?,
                (zones.iter().map(|z| z.to_string()).collect(), 4)
            );
        }
        assert_eq!(matrix("EXH")?.0, ["HALL", "BIZ", "DEMO"]);
        assert_eq!(matrix("DEL")?.0, ["HALL", "BIZ", "VIP", "DEMO"]);
        assert_eq!(matrix("VIP")?.0, ["HALL", "BIZ", "VIP", "DEMO"]);
        assert_eq!(matrix("PRS")?.0, ["HALL", "PRESS", "DEMO"]);
        assert_eq!(matrix("VIS")?, (vec!["HALL".to_string()], 4));
        assert_eq!(matrix("CTR")?, (vec!["HALL".to_string()], 1));
        Ok(())
    }

    #[test]
    fn starting_shifts_all_four_days() -> Result<()> {
        let e = bamex25(jiff::civil::date(2026, 12, 30))?;
        let days: Vec<String> = e.days.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(
            days,
            ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]
        );
        Ok(())
    }
}
