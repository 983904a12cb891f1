//! The event model: days, zones, categories and the default access matrix.
//!
//! Plain data, read from and written to the store by [`crate::event_store`].
//! Dates are civil dates in the event's own time zone.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        #[serde(try_from = "String", into = "String")]
        #[ts(type = "string")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self> {
                let ok = (1..=$max).contains(&s.len())
                    && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
                if ok {
                    Ok($name(s))
                } else {
                    Err(Error::bad_input(format!(
                        concat!("invalid ", $what, " code {:?}: use 1 to {} capital letters or digits"),
                        s, $max
                    )))
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                $name::try_from(s.trim().to_uppercase())
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(
    /// A zone's short code, as scripts and gates use it (`HALL`, `VIP`).
    ZoneCode, "zone", 12
);
code_type!(
    /// A category's short code (`DEL`, `PRS`).
    CategoryCode, "category", 8
);

/// A category colour as `#RRGGBB`, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct Color(String);

impl TryFrom<String> for Color {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        let upper = s.trim().to_ascii_uppercase();
        let ok = upper.len() == 7
            && upper.starts_with('#')
            && upper[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(Color(upper))
        } else {
            Err(Error::bad_input(format!(
                "invalid colour {s:?}: expected #RRGGBB"
            )))
        }
    }
}

impl From<Color> for String {
    fn from(c: Color) -> String {
        c.0
    }
}

impl Color {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a gate does when a badge enters a zone it is already inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Antipassback {
    Off,
    Warn,
    Deny,
}

impl Antipassback {
    pub fn as_str(self) -> &'static str {
        match self {
            Antipassback::Off => "off",
            Antipassback::Warn => "warn",
            Antipassback::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "off" => Ok(Antipassback::Off),
            "warn" => Ok(Antipassback::Warn),
            "deny" => Ok(Antipassback::Deny),
            other => Err(Error::bad_input(format!(
                "invalid anti-passback policy {other:?}: expected off, warn or deny"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EventDay {
    #[ts(type = "string")]
    pub date: Date,
    /// A demo day opens the secured demo zone.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Zone {
    pub code: ZoneCode,
    pub name_fr: String,
    pub name_en: String,
    pub capacity: Option<u32>,
    pub antipassback: Antipassback,
    /// The days the zone is open at all, whatever a badge says.
    #[ts(type = "Array<string>")]
    pub open_days: Vec<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Category {
    pub code: CategoryCode,
    pub name_fr: String,
    pub name_en: String,
    pub color: Color,
    /// The zones and days this category opens by default (the access matrix).
    pub zones: Vec<ZoneCode>,
    #[ts(type = "Array<string>")]
    pub days: Vec<Date>,
}

/// An event as every station sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EventInfo {
    pub code: String,
    pub name: String,
    pub venue: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// IANA time zone the days are counted in.
    pub time_zone: String,
    /// Badge numbers are this prefix, a dash and six digits (`BMX-000001`).
    pub serial_prefix: String,
    pub days: Vec<EventDay>,
    pub zones: Vec<Zone>,
    pub categories: Vec<Category>,
}

impl EventInfo {
    /// Checks what the schema alone cannot: every reference resolves, the time
    /// zone exists, days are distinct.
    pub fn validate(&self) -> Result<()> {
        jiff::tz::TimeZone::get(&self.time_zone)
            .map_err(|_| Error::bad_input(format!("unknown time zone {:?}", self.time_zone)))?;
        if self.days.is_empty() {
            return Err(Error::bad_input("an event needs at least one day"));
        }
        let is_day = |d: &Date| self.days.iter().any(|day| &day.date == d);
        for zone in &self.zones {
            if let Some(d) = zone.open_days.iter().find(|d| !is_day(d)) {
                return Err(Error::bad_input(format!(
                    "zone {}: {d} is not a day of the event",
                    zone.code
                )));
            }
        }
        for cat in &self.categories {
            if let Some(z) = cat
                .zones
                .iter()
                .find(|z| !self.zones.iter().any(|zone| &zone.code == *z))
            {
                return Err(Error::bad_input(format!(
                    "category {}: unknown zone {z}",
                    cat.code
                )));
            }
            if let Some(d) = cat.days.iter().find(|d| !is_day(d)) {
                return Err(Error::bad_input(format!(
                    "category {}: {d} is not a day of the event",
                    cat.code
                )));
            }
        }
        Ok(())
    }

    pub fn zone(&self, code: &ZoneCode) -> Option<&Zone> {
        self.zones.iter().find(|z| &z.code == code)
    }

    pub fn category(&self, code: &CategoryCode) -> Option<&Category> {
        self.categories.iter().find(|c| &c.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_checked() {
        assert_eq!(
            "hall".parse::<ZoneCode>().ok().map(String::from),
            Some("HALL".into())
        );
        assert!("".parse::<ZoneCode>().is_err());
        assert!("HA LL".parse::<ZoneCode>().is_err());
        assert!(ZoneCode::try_from("hall".to_string()).is_err());
        assert!("VERYLONGCODE1".parse::<ZoneCode>().is_err());
    }

    #[test]
    fn colours_must_be_rgb_hex() {
        assert_eq!(
            Color::try_from("#a1b2c3".to_string())
                .ok()
                .map(String::from),
            Some("#A1B2C3".into())
        );
        assert!(Color::try_from("red".to_string()).is_err());
        assert!(Color::try_from("#12345G".to_string()).is_err());
    }
}
