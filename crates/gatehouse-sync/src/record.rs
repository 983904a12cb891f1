//! What the stations exchange: every fact a station records is a
//! [`SyncRecord`], kept as an [`Entry`] under (origin station, sequence);
//! a [`VersionVector`] says, per origin, up to where a replica holds them.
//! Plain data: the protocol ([`super::protocol`]) moves them, the policy
//! ([`super::policy`]) says who may send which, and both import them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::hlc::Hlc;
use crate::scan::Scan;

/// One replicated fact. Everything but attendee edits is immutable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncRecord {
    /// A gate's scan, as decided and shown.
    Scan(Scan),
    /// A badge version (a first print or a reprint).
    BadgeIssue {
        serial: String,
        version: u32,
        issued_at: String,
        issued_by: String,
        /// What the version grants (`badge_issue::Granted` as JSON), fixed
        /// where it was issued; absent from stations before migration 0022.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        claims: Option<String>,
    },
    /// A badge revoked, all versions.
    Revocation {
        id: String,
        serial: String,
        reason: String,
        revoked_at: String,
        revoked_by: String,
    },
    /// Some fields of an attendee set at one instant; per field, the edit
    /// with the highest clock wins. `None` clears a field.
    AttendeeEdit {
        attendee: String,
        hlc: Hlc,
        fields: BTreeMap<String, Option<String>>,
    },
    /// The event's configuration (days, zones, categories, access matrix)
    /// as JSON; the one with the highest clock wins.
    EventConfig { hlc: Hlc, event: String },
    /// A staff account (name, role, PIN hash, active; JSON), so every
    /// station signs in the staff the console set up; per account, the one
    /// with the highest clock wins.
    StaffAccount {
        id: String,
        hlc: Hlc,
        account: String,
    },
    /// The event's badge template (the console's saved settings, JSON); the
    /// one with the highest clock wins, so every desk prints the same badge.
    BadgeTemplate { hlc: Hlc, settings: String },
    /// An attendee's photo (normalised JPEG, base64), named by its SHA-256:
    /// sent once however many attendees or edits name it.
    Photo { sha256: String, jpeg: String },
    /// A badge sent to a printer (a print log row as made at its desk).
    PrintJob {
        serial: String,
        version: u32,
        format: String,
        printer: String,
        job: String,
        printed_by: String,
        printed_at: String,
    },
    /// How that print job ended, from the desk that sent it; `key` is the
    /// job's (see [`SyncRecord::kind_key`]).
    PrintOutcome {
        key: String,
        outcome: String,
        detail: String,
        finished_at: Option<String>,
    },
    /// A public signing key (private halves never enter the log).
    SigningKey {
        kid: String,
        public_key: String,
        created_at: String,
        created_by: String,
    },
    /// A signing key retired: its tokens are refused from then on.
    KeyRetired {
        kid: String,
        retired_at: String,
        retired_by: String,
    },
    /// An entry of the origin station's own audit log (kept apart from ours,
    /// whose hash chain covers only what happened here).
    Audit {
        seq: i64,
        at: String,
        actor: String,
        action: String,
        detail: String,
    },
    /// What stands in the log where the hub held a station's entry aside
    /// and the organiser discarded it (or it was never allowed from its
    /// station): the place is kept, so every station's marks move past
    /// it, and nothing of it is applied anywhere.
    Withheld {
        /// The kind of the record withheld.
        of: String,
        key: String,
        why: String,
    },
    /// A vetting decision on one person (issue 16): immutable, like a
    /// revocation; the latest by (`at_ms`, `id`) is their accreditation
    /// status. Only an organiser's station may make one
    /// ([`super::policy`]); a refusal travels with its revocation.
    VettingDecision {
        id: String,
        serial: String,
        /// `in_review`, `cleared`, `refused` or `more_info`.
        status: String,
        reason: String,
        at_ms: i64,
        by: String,
    },
    /// Kiosk mode asked by the organiser for one station (issue 17): the
    /// station `station` names opens its window in kiosk mode (or leaves
    /// it). Per station, the one with the highest clock wins. Only an
    /// organiser's station may send one ([`super::policy`]): a gate can
    /// neither switch kiosk off for itself nor for another.
    StationKiosk {
        station: String,
        hlc: Hlc,
        kiosk: bool,
        set_by: String,
    },
}

impl SyncRecord {
    /// The fact's own name, so a local fact is logged once and a remote one
    /// is recognised: (kind, key).
    pub fn kind_key(&self) -> (&'static str, String) {
        match self {
            SyncRecord::Scan(s) => ("scan", s.id.clone()),
            SyncRecord::BadgeIssue {
                serial, version, ..
            } => ("badge_issue", format!("{serial}/{version}")),
            SyncRecord::Revocation { id, .. } => ("revocation", id.clone()),
            SyncRecord::AttendeeEdit { attendee, hlc, .. } => (
                "attendee_edit",
                format!("{attendee}@{}.{}.{}", hlc.wall_ms, hlc.counter, hlc.station),
            ),
            SyncRecord::EventConfig { hlc, .. } => (
                "event_config",
                format!("{}.{}.{}", hlc.wall_ms, hlc.counter, hlc.station),
            ),
            SyncRecord::StaffAccount { id, hlc, .. } => (
                "staff",
                format!("{id}@{}.{}.{}", hlc.wall_ms, hlc.counter, hlc.station),
            ),
            SyncRecord::BadgeTemplate { hlc, .. } => (
                "badge_template",
                format!("{}.{}.{}", hlc.wall_ms, hlc.counter, hlc.station),
            ),
            SyncRecord::Photo { sha256, .. } => ("photo", sha256.clone()),
            SyncRecord::PrintJob {
                serial,
                version,
                printed_at,
                job,
                ..
            } => ("print_job", print_key(serial, *version, printed_at, job)),
            SyncRecord::PrintOutcome { key, .. } => ("print_outcome", key.clone()),
            SyncRecord::SigningKey { kid, .. } => ("signing_key", kid.clone()),
            SyncRecord::KeyRetired { kid, .. } => ("key_retired", kid.clone()),
            SyncRecord::Audit { seq, .. } => ("audit", seq.to_string()),
            SyncRecord::Withheld { of, key, .. } => ("withheld", format!("{of}/{key}")),
            SyncRecord::VettingDecision { id, .. } => ("vetting_decision", id.clone()),
            SyncRecord::StationKiosk { station, hlc, .. } => (
                "station_kiosk",
                format!("{station}@{}.{}.{}", hlc.wall_ms, hlc.counter, hlc.station),
            ),
        }
    }
}

/// A print job's name across stations (a print log row has only a local id):
/// its badge version, when it was sent and the printer's job id.
pub fn print_key(serial: &str, version: u32, printed_at: &str, job: &str) -> String {
    format!("{serial}/{version}/{printed_at}/{job}")
}

/// A record with its key: the station that made it and its place there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub origin: String,
    pub seq: u64,
    pub record: SyncRecord,
}

/// Per origin station, the sequence up to which every entry is held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(pub BTreeMap<String, u64>);

impl VersionVector {
    pub fn get(&self, origin: &str) -> u64 {
        self.0.get(origin).copied().unwrap_or(0)
    }

    pub fn covers(&self, origin: &str, seq: u64) -> bool {
        seq <= self.get(origin)
    }

    /// The per-origin maximum: what either side is known to hold.
    pub fn join(&mut self, other: &VersionVector) {
        for (origin, &seq) in &other.0 {
            let mine = self.0.entry(origin.clone()).or_insert(0);
            *mine = (*mine).max(seq);
        }
    }

    /// Entries `other` holds that we do not, summed over origins.
    pub fn behind(&self, other: &VersionVector) -> u64 {
        other
            .0
            .iter()
            .map(|(o, &s)| s.saturating_sub(self.get(o)))
            .sum()
    }
}

/// A staff account as it travels: everything but its id. Its JSON is
/// compared with the one last logged to notice edits, so its form must not
/// change for an unchanged account (`pin_digits` is left out when unknown).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffAccount {
    pub name: String,
    pub role: String,
    pub pin_hash: String,
    pub active: i64,
    pub created_at: String,
    /// How many digits the PIN has (unknown for PINs set before the
    /// policy by role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_digits: Option<i64>,
}
