//! What an operation needs ([`Permission`]) and which role may do it
//! ([`allows`]): the role policy every operation is checked against, and
//! the one the sync policy applies to the records a station sends. Pure.

use crate::staff::Role;

/// What an operation needs from the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Look up attendees: their whole record, contact details and
    /// identity document included (desks, the console).
    ViewRegistry,
    /// See who holds a badge, as a gate officer needs to: name, photo,
    /// category, organisation, badge status; never contact details or the
    /// identity document.
    ViewHolder,
    /// See this station's own state (its sync status): every role.
    StationStatus,
    /// Create or edit attendees, take photos.
    EditRegistry,
    /// Print and reprint badges.
    PrintBadges,
    /// Verify and record scans at a gate.
    Scan,
    /// Revoke badges.
    Revoke,
    /// Let a denied holder through at a gate (the supervisor override).
    Override,
    /// Event setup, imports, exports, keys, staff, reports.
    ManageEvent,
    /// Security vetting (issue 16): the queue, each person's identity and
    /// documents, decisions, the services' round trip.
    Vet,
}

impl Permission {
    /// Every permission, for checks over all of them (a site's ceiling).
    /// The match below fails to compile when a permission is added and not
    /// listed here.
    pub const ALL: [Permission; 10] = [
        Permission::ViewRegistry,
        Permission::ViewHolder,
        Permission::StationStatus,
        Permission::EditRegistry,
        Permission::PrintBadges,
        Permission::Scan,
        Permission::Revoke,
        Permission::Override,
        Permission::ManageEvent,
        Permission::Vet,
    ];

    #[allow(dead_code)]
    const fn listed(self) {
        use Permission::*;
        match self {
            ViewRegistry | ViewHolder | StationStatus | EditRegistry | PrintBadges | Scan
            | Revoke | Override | ManageEvent | Vet => {}
        }
    }
}

/// The role policy. Admins may do everything; desks register and print;
/// gates scan and see the holder of a badge, nothing more of the registry;
/// supervisors do a gate's work and may override a denial.
pub fn allows(role: Role, need: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Desk => matches!(
            need,
            ViewRegistry | ViewHolder | StationStatus | EditRegistry | PrintBadges
        ),
        Role::Gate => matches!(need, ViewHolder | StationStatus | Scan),
        Role::Supervisor => matches!(need, ViewHolder | StationStatus | Scan | Override),
        // The security officer: the vetting queue and decisions, and the
        // holder's photo the queue shows beside the document.
        Role::Vetting => matches!(need, ViewHolder | StationStatus | Vet),
    }
}

/// What a station lets its sessions do, by the role it was paired as
/// (issue 21, item 3: a station's screens follow its paired role, and so
/// does its API). A paired gate does a gate's work (a supervisor's, so the
/// override too); a paired desk a desk's; the hub, an organiser station or
/// a standalone one (`None`) everything. The caller's own role is checked
/// too ([`allows`]): both must allow.
pub fn station_allows(station: Option<Role>, need: Permission) -> bool {
    match station {
        None | Some(Role::Admin) => true,
        Some(Role::Desk) => allows(Role::Desk, need),
        Some(Role::Gate | Role::Supervisor) => allows(Role::Supervisor, need),
        Some(Role::Vetting) => allows(Role::Vetting, need),
    }
}
