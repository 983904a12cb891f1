//! The event model: days, zones, categories and the default access matrix.
//!
//! Plain data, read from and written to the store by [`crate::event_store`].
//! Dates are civil dates in the event's own time zone.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::messages::Msg;
use crate::registry::problem::{CategoryChoice, FieldProblem};

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal, $invalid:ident) => {
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
                    Err(Msg::$invalid { code: s, max: $max }.into())
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
    ZoneCode, "zone", 12, ZoneCodeInvalid
);
code_type!(
    /// A category's short code (`DEL`, `PRS`).
    CategoryCode, "category", 8, CategoryCodeInvalid
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
            Err(Msg::ColourInvalid { value: s }.into())
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
            other => Err(Msg::AntipassbackInvalid {
                value: other.to_string(),
            }
            .into()),
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

/// How many zones an event can ever have, retired ones included: a token's
/// zone mask is 64 bits.
pub const MAX_ZONE_BITS: u8 = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Zone {
    pub code: ZoneCode,
    /// The zone's bit in a badge token's zone mask, for good: given when the
    /// zone is created (the lowest bit this event never used) and never
    /// changed or reused, whatever the zones' order. `None` only for a zone
    /// the console is adding: saving gives it its bit. An event's JSON
    /// written before bits were stored has none; see [`EventInfo::keep_identities`].
    pub bit: Option<u8>,
    pub name_fr: String,
    pub name_en: String,
    pub capacity: Option<u32>,
    pub antipassback: Antipassback,
    /// The days the zone is open at all, whatever a badge says.
    #[ts(type = "Array<string>")]
    pub open_days: Vec<Date>,
    /// The site the zone belongs to, for an event across several sites
    /// (`docs/SCALE.md`, "Sites"): the name its site hub was paired with at
    /// the central hub. Absent: an event-wide zone (a single-site event's
    /// zones all are). Anti-passback stays per zone, across sites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub site: Option<String>,
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
    /// Its holders must be cleared by the security services before their
    /// badge is valid (issue 16; enforced as the event's `vetting` says).
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub vetting: bool,
}

/// A zone taken out of the event. It stays so that its code and bit are
/// never given again: badges printed while it was open still carry its bit.
/// It is closed every day; a gate set on it refuses every entry (`zone_closed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RetiredZone {
    pub code: ZoneCode,
    pub bit: u8,
    pub name_fr: String,
    pub name_en: String,
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
    /// The open zones, in display order (the order means nothing to badges).
    pub zones: Vec<Zone>,
    pub categories: Vec<Category>,
    /// Zones removed from the event, kept for their bits (see [`RetiredZone`]).
    #[serde(default)]
    pub retired_zones: Vec<RetiredZone>,
    /// What happens to the badges of people not cleared yet in categories
    /// that require vetting (`crate::vetting`).
    #[serde(default)]
    #[ts(optional, as = "Option<HoldPolicy>")]
    pub vetting: HoldPolicy,
}

/// What the organiser does with the badges of people not cleared yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HoldPolicy {
    /// Vetting is not enforced: badges print and open gates as before
    /// (decisions are still recorded). The default for an event that never
    /// chose, so events made before vetting keep working.
    #[default]
    Off,
    /// A badge of a category that requires vetting does not print until
    /// its holder is cleared.
    NoPrint,
    /// It prints, marked as held, so cards can be ready in advance; every
    /// gate refuses it (`not_cleared`) until its holder is cleared.
    PrintHeld,
}

impl HoldPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldPolicy::Off => "off",
            HoldPolicy::NoPrint => "no_print",
            HoldPolicy::PrintHeld => "print_held",
        }
    }

    /// As stored (`off`, `no_print`, `print_held`).
    pub fn parse(s: &str) -> Result<HoldPolicy> {
        [HoldPolicy::Off, HoldPolicy::NoPrint, HoldPolicy::PrintHeld]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::from(crate::messages::Msg::HoldPolicyUnknown {
                    value: s.to_string(),
                })
            })
    }
}

impl EventInfo {
    /// `value` names none of the event's categories: the problem lists them
    /// and suggests the nearest spelling, if one is near.
    pub fn unknown_category(&self, value: &str) -> FieldProblem {
        let accepted: Vec<CategoryChoice> = self
            .categories
            .iter()
            .map(|c| CategoryChoice {
                code: c.code.to_string(),
                name_fr: c.name_fr.clone(),
                name_en: c.name_en.clone(),
            })
            .collect();
        let spellings = accepted
            .iter()
            .flat_map(|c| [c.name_fr.as_str(), c.name_en.as_str(), c.code.as_str()]);
        FieldProblem::UnknownCategory {
            value: value.to_string(),
            suggestion: crate::registry::problem::nearest(value, spellings).map(str::to_string),
            accepted,
        }
    }

    /// Checks what the schema alone cannot: every reference resolves, the time
    /// zone exists, days are distinct.
    pub fn validate(&self) -> Result<()> {
        jiff::tz::TimeZone::get(&self.time_zone).map_err(|_| {
            Error::from(Msg::TimeZoneUnknown {
                tz: self.time_zone.clone(),
            })
        })?;
        if self.days.is_empty() {
            return Err(Msg::EventNeedsDay {}.into());
        }
        let is_day = |d: &Date| self.days.iter().any(|day| &day.date == d);
        let mut codes = std::collections::BTreeSet::new();
        let mut bits = std::collections::BTreeMap::new();
        let all = self
            .zones
            .iter()
            .map(|z| (&z.code, z.bit))
            .chain(self.retired_zones.iter().map(|r| (&r.code, Some(r.bit))));
        for (code, bit) in all {
            if !codes.insert(code) {
                return Err(Msg::CodeTwice {
                    list: crate::messages::ListKind::Zone,
                    code: code.to_string(),
                }
                .into());
            }
            let Some(bit) = bit else { continue };
            if bit >= MAX_ZONE_BITS {
                return Err(Msg::ZoneBitPastMask {
                    code: code.to_string(),
                    bit: i64::from(bit),
                }
                .into());
            }
            if let Some(other) = bits.insert(bit, code) {
                return Err(Msg::ZonesShareBit {
                    other: other.to_string(),
                    code: code.to_string(),
                    bit: i64::from(bit),
                }
                .into());
            }
        }
        for zone in &self.zones {
            if let Some(site) = &zone.site {
                if site.trim().is_empty() || site.chars().count() > 60 {
                    return Err(Msg::ZoneSiteName {
                        code: zone.code.to_string(),
                        site: site.clone(),
                    }
                    .into());
                }
            }
            if let Some(d) = zone.open_days.iter().find(|d| !is_day(d)) {
                return Err(Msg::ZoneDayNotOfEvent {
                    code: zone.code.to_string(),
                    day: d.to_string(),
                }
                .into());
            }
        }
        for cat in &self.categories {
            if let Some(z) = cat
                .zones
                .iter()
                .find(|z| !self.zones.iter().any(|zone| &zone.code == *z))
            {
                return Err(Msg::CategoryZoneUnknown {
                    code: cat.code.to_string(),
                    zone: z.to_string(),
                }
                .into());
            }
            if let Some(d) = cat.days.iter().find(|d| !is_day(d)) {
                return Err(Msg::CategoryDayNotOfEvent {
                    code: cat.code.to_string(),
                    day: d.to_string(),
                }
                .into());
            }
        }
        Ok(())
    }

    pub fn zone(&self, code: &ZoneCode) -> Option<&Zone> {
        self.zones.iter().find(|z| &z.code == code)
    }

    pub fn retired_zone(&self, code: &ZoneCode) -> Option<&RetiredZone> {
        self.retired_zones.iter().find(|z| &z.code == code)
    }

    /// The bit of zone `code` (open or retired) in a token's zone mask.
    pub fn zone_bit(&self, code: &str) -> Option<u8> {
        self.zones
            .iter()
            .find(|z| z.code.as_str() == code)
            .and_then(|z| z.bit)
            .or_else(|| {
                self.retired_zones
                    .iter()
                    .find(|z| z.code.as_str() == code)
                    .map(|z| z.bit)
            })
    }

    /// Every zone the event holds, open or retired, with its bit (if it has
    /// one yet), as retired-zone records: what [`keep_identities`](Self::keep_identities)
    /// is given when the event is written again.
    pub fn zone_identities(&self) -> Vec<RetiredZone> {
        self.zones
            .iter()
            .filter_map(|z| {
                Some(RetiredZone {
                    code: z.code.clone(),
                    bit: z.bit?,
                    name_fr: z.name_fr.clone(),
                    name_en: z.name_en.clone(),
                })
            })
            .chain(self.retired_zones.iter().cloned())
            .collect()
    }

    /// Keeps every zone's identity when the event is written over `earlier`
    /// (every zone the stored event held, open or retired, with its bit):
    ///
    /// - a zone without a bit takes the one its code had, else the lowest
    ///   bit neither `earlier` nor this event uses (for an event's JSON from
    ///   before bits were stored, over nothing: its list positions, which is
    ///   what its badges meant);
    /// - an earlier zone this event no longer lists stays, retired, unless
    ///   its bit now belongs to another zone (only conflicting edits made on
    ///   two stations at once can do that: the last one wins).
    pub fn keep_identities(&mut self, earlier: &[RetiredZone]) -> Result<()> {
        let mut taken: std::collections::BTreeSet<u8> = self
            .zones
            .iter()
            .filter_map(|z| z.bit)
            .chain(self.retired_zones.iter().map(|r| r.bit))
            .collect();
        for z in self.zones.iter_mut().filter(|z| z.bit.is_none()) {
            if let Some(e) = earlier.iter().find(|e| e.code == z.code) {
                if taken.insert(e.bit) {
                    z.bit = Some(e.bit);
                }
            }
        }
        for e in earlier {
            let listed = self.zones.iter().any(|z| z.code == e.code)
                || self.retired_zones.iter().any(|r| r.code == e.code);
            if !listed && taken.insert(e.bit) {
                self.retired_zones.push(e.clone());
            }
        }
        taken.extend(earlier.iter().map(|e| e.bit));
        for z in self.zones.iter_mut().filter(|z| z.bit.is_none()) {
            let bit = (0..MAX_ZONE_BITS)
                .find(|b| !taken.contains(b))
                .ok_or_else(|| {
                    Error::from(Msg::ZoneBitsFull {
                        code: z.code.to_string(),
                    })
                })?;
            taken.insert(bit);
            z.bit = Some(bit);
        }
        self.retired_zones.sort_by_key(|r| r.bit);
        Ok(())
    }

    pub fn category(&self, code: &CategoryCode) -> Option<&Category> {
        self.categories.iter().find(|c| &c.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_belongs_to_a_site_or_to_the_whole_event() -> Result<()> {
        let mut event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        // A single-site event's JSON says nothing of sites.
        let json = serde_json::to_string(&event).map_err(|e| Error::Internal(e.to_string()))?;
        assert!(!json.contains("\"site\""), "{json}");
        event.zones[0].site = Some("LYON".into());
        event.validate()?;
        let json = serde_json::to_string(&event).map_err(|e| Error::Internal(e.to_string()))?;
        let back: EventInfo =
            serde_json::from_str(&json).map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(back.zones[0].site.as_deref(), Some("LYON"));
        assert_eq!(back.zones[1].site, None);
        event.zones[0].site = Some("  ".into());
        let refused = event.validate().expect_err("a blank site");
        assert!(refused.to_string().contains("HALL"), "{refused}");
        Ok(())
    }

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
    fn keep_identities_reads_old_json_by_position_and_keeps_earlier_bits() -> Result<()> {
        // An event's JSON from before bits were stored: no bit, no retired zones.
        let mut legacy: serde_json::Value =
            serde_json::to_value(crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?)
                .map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(zones) = legacy["zones"].as_array_mut() {
            for z in zones {
                z.as_object_mut().map(|z| z.remove("bit"));
            }
        }
        legacy.as_object_mut().map(|e| e.remove("retired_zones"));
        let parse = |v: &serde_json::Value| -> Result<EventInfo> {
            serde_json::from_value(v.clone()).map_err(|e| Error::Internal(e.to_string()))
        };
        let mut fresh = parse(&legacy)?;
        assert!(fresh.zones.iter().all(|z| z.bit.is_none()));
        fresh.keep_identities(&[])?;
        assert_eq!(fresh, crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?);

        // The same JSON without BIZ, over a database that held all five:
        // each code keeps its bit and BIZ stays, retired.
        let earlier = fresh.zone_identities();
        if let Some(zones) = legacy["zones"].as_array_mut() {
            zones.retain(|z| z["code"] != "BIZ");
        }
        if let Some(cats) = legacy["categories"].as_array_mut() {
            for c in cats {
                if let Some(zones) = c["zones"].as_array_mut() {
                    zones.retain(|z| z != "BIZ");
                }
            }
        }
        let mut event = parse(&legacy)?;
        event.keep_identities(&earlier)?;
        event.validate()?;
        let got: Vec<_> = event
            .zones
            .iter()
            .map(|z| (z.code.as_str(), z.bit))
            .collect();
        assert_eq!(
            got,
            [
                ("HALL", Some(0)),
                ("VIP", Some(2)),
                ("PRESS", Some(3)),
                ("DEMO", Some(4))
            ]
        );
        assert_eq!(event.zone_bit("BIZ"), Some(1));
        assert!(event.zone(&"BIZ".parse()?).is_none());
        Ok(())
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
