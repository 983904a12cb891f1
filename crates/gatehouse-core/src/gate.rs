//! The gate's decision: a pure function of the token text, the gate's
//! configuration, what the station knows, and `now`.
//!
//! [`decide`] reads no clock and does no I/O. It checks in a fixed order,
//! like the EU digital certificate verifiers, and answers with the first
//! failure: prefix → Base45 → COSE structure → kid known → signature →
//! claims → event → revoked → superseded → held until cleared (vetting) → validity instant and day
//! (event-local) → zone allowed → zone open that day → presence and capacity.
//! A revoked or replaced badge therefore says so at every gate.
//!
//! Exits (`out`) check the badge itself and that it opens the zone, not the
//! time, the day or the capacity: nobody is kept inside because midnight
//! passed.

use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::VerifyingKey;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::{Antipassback, CategoryCode, EventInfo, ZoneCode};
use crate::serial::BadgeSerial;
use crate::token::{self, Claims, Kid, TokenError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

impl std::str::FromStr for Direction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "in" => Ok(Direction::In),
            "out" => Ok(Direction::Out),
            other => Err(crate::messages::Msg::DirectionInvalid {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Admit,
    Warn,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Admit => "admit",
            Decision::Warn => "warn",
            Decision::Deny => "deny",
        }
    }
}

/// Exactly one per verdict; spelled as the CLI contract says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Ok,
    Reentry,
    Malformed,
    Forged,
    UnknownKey,
    OtherEvent,
    NotYetValid,
    Expired,
    NotValidToday,
    ZoneNotAllowed,
    ZoneClosed,
    Revoked,
    Superseded,
    AlreadyInside,
    ZoneFull,
    /// A badge of a vetted category whose holder the security services
    /// have not cleared (issue 16): held until cleared.
    NotCleared,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ok => "ok",
            Reason::Reentry => "reentry",
            Reason::Malformed => "malformed",
            Reason::Forged => "forged",
            Reason::UnknownKey => "unknown_key",
            Reason::OtherEvent => "other_event",
            Reason::NotYetValid => "not_yet_valid",
            Reason::Expired => "expired",
            Reason::NotValidToday => "not_valid_today",
            Reason::ZoneNotAllowed => "zone_not_allowed",
            Reason::ZoneClosed => "zone_closed",
            Reason::Revoked => "revoked",
            Reason::Superseded => "superseded",
            Reason::AlreadyInside => "already_inside",
            Reason::ZoneFull => "zone_full",
            Reason::NotCleared => "not_cleared",
        }
    }

    /// The decision a reason implies.
    pub fn decision(self) -> Decision {
        match self {
            Reason::Ok => Decision::Admit,
            Reason::Reentry => Decision::Warn,
            _ => Decision::Deny,
        }
    }
}

/// A gate: which event, zone and direction it guards, and the zone's rules.
#[derive(Debug, Clone)]
pub struct GateConfig {
    pub event: String,
    pub time_zone: TimeZone,
    pub zone: ZoneCode,
    /// The zone's bit in a token's zone mask: its own, stored with it, never
    /// its place in the event's list.
    pub zone_bit: u32,
    pub antipassback: Antipassback,
    pub capacity: Option<u32>,
    pub open_days: BTreeSet<Date>,
    pub direction: Direction,
    /// Category colours, for the verdict's display.
    pub colors: BTreeMap<CategoryCode, String>,
    /// The categories whose badges are held until their holder is cleared
    /// (`vetting::held_categories`; empty when the event enforces none).
    pub held: BTreeSet<CategoryCode>,
}

impl GateConfig {
    /// The gate of `zone`. A retired zone's gate refuses every entry
    /// (`zone_closed`, or `zone_not_allowed` for a badge that never opened
    /// it) and still lets its holders out.
    pub fn new(event: &EventInfo, zone: &ZoneCode, direction: Direction) -> Result<GateConfig> {
        let (bit, antipassback, capacity, open_days) = match event.zone(zone) {
            Some(z) => (
                z.bit,
                z.antipassback,
                z.capacity,
                z.open_days.iter().copied().collect(),
            ),
            None => match event.retired_zone(zone) {
                Some(r) => (Some(r.bit), Antipassback::Off, None, BTreeSet::new()),
                None => {
                    return Err(crate::messages::Msg::ZoneNotOfEvent {
                        zone: zone.to_string(),
                        event: event.code.to_string(),
                        zones: event
                            .zones
                            .iter()
                            .map(|z| z.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                    .into())
                }
            },
        };
        let zone_bit = bit.map(u32::from).filter(|b| *b < 64).ok_or_else(|| {
            Error::from(crate::messages::Msg::ZoneNoBitYet {
                zone: zone.to_string(),
            })
        })?;
        Ok(GateConfig {
            event: event.code.clone(),
            time_zone: TimeZone::get(&event.time_zone).map_err(|_| {
                Error::from(crate::messages::Msg::TimeZoneUnknown {
                    tz: event.time_zone.clone(),
                })
            })?,
            zone: zone.clone(),
            zone_bit,
            antipassback,
            capacity,
            open_days,
            direction,
            colors: event
                .categories
                .iter()
                .map(|c| (c.code.clone(), c.color.as_str().to_string()))
                .collect(),
            held: crate::vetting::held_categories(event),
        })
    }
}

/// What the station knows locally. May be partial: the scan path loads
/// only what concerns the badge at hand (its revocation, latest version,
/// presence in the zone) and the zone's occupancy.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Keys that verify (retired keys are absent).
    pub keys: BTreeMap<Kid, VerifyingKey>,
    pub revoked: BTreeSet<BadgeSerial>,
    /// The latest version issued per badge.
    pub latest: BTreeMap<BadgeSerial, u32>,
    /// Who is inside each zone, derived from the scan log.
    pub inside: BTreeMap<ZoneCode, BTreeSet<BadgeSerial>>,
    /// How many are inside each zone.
    pub occupancy: BTreeMap<ZoneCode, u32>,
    /// Badges whose holder's latest vetting decision is `cleared`.
    pub cleared: BTreeSet<BadgeSerial>,
    /// Badges whose holder a watchlist hit holds for review (screening on
    /// an organiser station; gates see only this flag, never the list).
    pub held_for_review: BTreeSet<BadgeSerial>,
}

/// A gate's answer, with what the officer needs to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verdict {
    pub decision: Decision,
    pub reason: Reason,
    pub serial: Option<BadgeSerial>,
    pub version: Option<u32>,
    pub name: Option<String>,
    pub category: Option<CategoryCode>,
    /// The category's colour, `#RRGGBB`.
    pub color: Option<String>,
    /// First 8 bytes of SHA-256 of the holder's photo, hex: the gate shows
    /// the stored photo only if it matches.
    pub photo: Option<String>,
    pub zone: ZoneCode,
    pub direction: Direction,
    /// The badge's first and last valid days (the event's calendar), once
    /// its token is read: "not yet valid — from 7 Dec", "expired on 9 Dec".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub valid_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub valid_until: Option<Date>,
    /// For `revoked`: the reason given when the badge was revoked, when
    /// this station knows it (filled by the station, not by [`decide`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub revoked_reason: Option<String>,
}

impl Verdict {
    fn with(mut self, reason: Reason) -> Verdict {
        self.reason = reason;
        self.decision = reason.decision();
        self
    }
}

/// Decides whether the holder of `text` passes this gate at `now`.
pub fn decide(text: &str, gate: &GateConfig, known: &Knowledge, now: Timestamp) -> Verdict {
    decide_checked(check_token(text, &known.keys), gate, known, now)
}

/// The claims of `text` once its signature is checked against `keys`, or
/// the reason it is refused. Apart from [`decide_checked`] so that a
/// station can check the signature (most of a decision's CPU) while its
/// database reads the rest.
pub fn check_token(
    text: &str,
    keys: &BTreeMap<Kid, VerifyingKey>,
) -> std::result::Result<Claims, Reason> {
    // A keyboard-wedge scanner ends with Enter; Base45 has spaces, so only
    // line ends are stripped.
    let text = text.trim_end_matches(['\r', '\n']);
    let parsed = token::parse(text).map_err(|_| Reason::Malformed)?;
    let key = keys.get(&parsed.kid).ok_or(Reason::UnknownKey)?;
    parsed.verify(key).map_err(|e| match e {
        TokenError::Forged => Reason::Forged,
        _ => Reason::Malformed,
    })
}

/// [`decide`] given what [`check_token`] found with `known.keys`.
pub fn decide_checked(
    checked: std::result::Result<Claims, Reason>,
    gate: &GateConfig,
    known: &Knowledge,
    now: Timestamp,
) -> Verdict {
    let verdict = Verdict {
        decision: Decision::Deny,
        reason: Reason::Malformed,
        serial: None,
        version: None,
        name: None,
        category: None,
        color: None,
        photo: None,
        zone: gate.zone.clone(),
        direction: gate.direction,
        valid_from: None,
        valid_until: None,
        revoked_reason: None,
    };
    let claims = match checked {
        Ok(c) => c,
        Err(reason) => return verdict.with(reason),
    };
    let verdict = Verdict {
        serial: Some(claims.serial.clone()),
        version: Some(claims.version),
        name: Some(claims.name.clone()),
        color: gate.colors.get(&claims.category).cloned(),
        category: Some(claims.category.clone()),
        photo: claims.photo.map(hex::encode),
        valid_from: Some(claims.not_before.to_zoned(gate.time_zone.clone()).date()),
        valid_until: Some(claims.expires.to_zoned(gate.time_zone.clone()).date()),
        ..verdict
    };
    if claims.event != gate.event {
        return verdict.with(Reason::OtherEvent);
    }
    if known.revoked.contains(&claims.serial) {
        return verdict.with(Reason::Revoked);
    }
    if known
        .latest
        .get(&claims.serial)
        .is_some_and(|latest| *latest > claims.version)
    {
        return verdict.with(Reason::Superseded);
    }
    // Held until cleared: an entry is refused, an exit is not (nobody is
    // kept inside; one cleared and then held again may leave).
    if gate.direction == Direction::In
        && (gate.held.contains(&claims.category) || known.held_for_review.contains(&claims.serial))
        && !known.cleared.contains(&claims.serial)
    {
        return verdict.with(Reason::NotCleared);
    }
    let today = now.to_zoned(gate.time_zone.clone()).date();
    if gate.direction == Direction::In {
        if now < claims.not_before {
            return verdict.with(Reason::NotYetValid);
        }
        if now > claims.expires {
            return verdict.with(Reason::Expired);
        }
        let first = claims.not_before.to_zoned(gate.time_zone.clone()).date();
        let valid_today = (today - first)
            .get_days()
            .try_into()
            .ok()
            .filter(|offset: &u32| *offset < 64)
            .is_some_and(|offset| claims.days & (1 << offset) != 0);
        if !valid_today {
            return verdict.with(Reason::NotValidToday);
        }
    }
    if claims.zones & (1 << gate.zone_bit) == 0 {
        return verdict.with(Reason::ZoneNotAllowed);
    }
    if gate.direction == Direction::Out {
        return verdict.with(Reason::Ok);
    }
    if !gate.open_days.contains(&today) {
        return verdict.with(Reason::ZoneClosed);
    }
    let inside = known
        .inside
        .get(&gate.zone)
        .is_some_and(|s| s.contains(&claims.serial));
    if inside {
        // Already counted in the occupancy: capacity does not apply.
        return verdict.with(match gate.antipassback {
            Antipassback::Off => Reason::Ok,
            Antipassback::Warn => Reason::Reentry,
            Antipassback::Deny => Reason::AlreadyInside,
        });
    }
    let occupancy = known.occupancy.get(&gate.zone).copied().unwrap_or(0);
    if gate.capacity.is_some_and(|cap| occupancy >= cap) {
        return verdict.with(Reason::ZoneFull);
    }
    verdict.with(Reason::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_spelled_as_the_contract_says() -> Result<()> {
        let json =
            serde_json::to_string(&[Reason::UnknownKey, Reason::NotValidToday, Reason::ZoneFull])
                .map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(json, r#"["unknown_key","not_valid_today","zone_full"]"#);
        for r in [Reason::Reentry, Reason::AlreadyInside, Reason::OtherEvent] {
            assert_eq!(serde_json::to_value(r).ok(), Some(r.as_str().into()));
        }
        assert_eq!(Reason::Reentry.decision(), Decision::Warn);
        Ok(())
    }

    #[test]
    fn garbage_of_any_size_is_malformed() {
        let gate = GateConfig {
            event: "X".into(),
            time_zone: TimeZone::UTC,
            zone: ZoneCode::try_from("HALL".to_string()).expect("valid code"),
            zone_bit: 0,
            antipassback: Antipassback::Off,
            capacity: None,
            open_days: BTreeSet::new(),
            direction: Direction::In,
            colors: BTreeMap::new(),
            held: BTreeSet::new(),
        };
        for text in [
            "",
            "GH1:",
            "GH1:%%%",
            &"x".repeat(100_000),
            &format!("GH1:{}", "A".repeat(100_000)),
        ] {
            let v = decide(text, &gate, &Knowledge::default(), Timestamp::UNIX_EPOCH);
            assert_eq!((v.decision, v.reason), (Decision::Deny, Reason::Malformed));
        }
    }
}
