//! Who is inside a zone, as data: what the roll-call ([`super::rollcall`])
//! draws up and its CSV and PDF ([`super::rollcall_pdf`]) writers take.

use serde::Serialize;
use ts_rs::TS;

use crate::event::ZoneCode;
use crate::serial::BadgeSerial;

/// One person inside the zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RollcallEntry {
    pub serial: BadgeSerial,
    /// "Given Family", as the badge shows it ("" if the attendee was erased).
    pub name: String,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub category: String,
    pub delegation: Option<String>,
    /// The entry that put them inside (RFC 3339, UTC).
    pub entered_at: String,
}

/// Who is inside `zone` at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rollcall {
    pub zone: ZoneCode,
    pub zone_name_fr: String,
    pub zone_name_en: String,
    pub capacity: Option<u32>,
    /// When the list was drawn up (RFC 3339, UTC).
    pub at: String,
    /// Sorted by family name, then given names.
    pub entries: Vec<RollcallEntry>,
}
