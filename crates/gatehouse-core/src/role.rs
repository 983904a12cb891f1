//! Staff and station roles (a leaf: the catalogue, field problems and
//! errors name them; `staff` holds the PINs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Desk,
    Gate,
    /// A gate officer who may also let a denied holder through (the
    /// supervisor override). Signs in at gates; never a station's role.
    Supervisor,
    /// A security officer (issue 16): the vetting screen and its decisions,
    /// nothing else of the console. Signs in at organiser stations only.
    Vetting,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Desk => "desk",
            Role::Gate => "gate",
            Role::Supervisor => "supervisor",
            Role::Vetting => "vetting",
        }
    }

    /// A role as stored (`admin`, `desk`, `gate`, `supervisor`, `vetting`).
    pub fn from_stored(s: &str) -> Option<Role> {
        [
            Role::Admin,
            Role::Desk,
            Role::Gate,
            Role::Supervisor,
            Role::Vetting,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// The fewest digits a PIN of this role may have: eight for the
    /// accounts that open more than one gate's work (admins, supervisors)
    /// or identity documents and watchlist hits (vetting), six for the others.
    pub fn min_pin_digits(self) -> u32 {
        match self {
            Role::Admin | Role::Supervisor | Role::Vetting => 8,
            Role::Desk | Role::Gate => 6,
        }
    }

    /// Whether an account of this role signs in at a station paired as
    /// `station` (`None`: standalone, or the hub — every account).
    pub fn signs_in_at(self, station: Option<Role>) -> bool {
        match station {
            None | Some(Role::Admin) => true,
            Some(Role::Gate | Role::Supervisor) => matches!(self, Role::Gate | Role::Supervisor),
            Some(Role::Desk) => matches!(self, Role::Desk | Role::Admin),
            // Never a station's role (pairing refuses it).
            Some(Role::Vetting) => false,
        }
    }
}

/// An active account that keeps a station from going live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PinToChange {
    pub name: String,
    pub role: Role,
    /// One of the published demo PINs (else: shorter than the policy, or
    /// set before it).
    pub demo_pin: bool,
}
