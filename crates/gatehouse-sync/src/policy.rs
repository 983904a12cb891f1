//! Which station may say what: the role policy applied to sync records.
//!
//! A station may send only what its role may do, by the same rule that
//! decides what a signed-in person may do there ([`crate::permission::allows`]).
//! A gate laptop can be stolen and its database edited with `sqlite3`:
//! whatever it holds, the hub accepts from it only its own scans (and
//! overrides, which are scans) and its own audit entries. The hub checks on
//! arrival ([`super::protocol::serve`]) and every station checks again what
//! the hub relays ([`super::protocol::Session::receive`]), with the roles the
//! hub assigned at pairing, so one missed check is not enough. Pure: no I/O.
//! `docs/SECURITY.md` states the model.

use std::collections::BTreeMap;

use crate::permission::{allows, Permission};
use crate::staff::Role;

use super::record::{StaffAccount, SyncRecord};

/// The role of every station whose entries travel, as the hub assigned it at
/// pairing (the hub itself is an admin station).
pub type Roster = BTreeMap<String, Role>;

/// Why a record was not accepted from its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The record's kind (`event_config`, `staff`, …).
    pub kind: &'static str,
    /// In plain words, for the log, the audit and the console.
    pub why: String,
}

/// What a role needs to originate a record, or `None` when any paired
/// station may (its own audit entries; a placeholder the hub left).
fn needs(record: &SyncRecord) -> Option<Permission> {
    use Permission::*;
    Some(match record {
        SyncRecord::Scan(_) => Scan,
        SyncRecord::Audit { .. } | SyncRecord::Withheld { .. } => return None,
        SyncRecord::BadgeIssue { .. }
        | SyncRecord::PrintJob { .. }
        | SyncRecord::PrintOutcome { .. } => PrintBadges,
        SyncRecord::Photo { .. } => EditRegistry,
        // Erasing a person is the organiser's decision, not the desk's.
        SyncRecord::AttendeeEdit { fields, .. }
            if fields.get("erased_at").is_some_and(Option::is_some) =>
        {
            ManageEvent
        }
        // "Held for review" comes from the watchlist, which only admin
        // stations hold: a desk may neither hold nor release a person.
        SyncRecord::AttendeeEdit { fields, .. } if fields.contains_key("screening") => ManageEvent,
        SyncRecord::AttendeeEdit { .. } => EditRegistry,
        SyncRecord::Revocation { .. } => Revoke,
        SyncRecord::EventConfig { .. }
        | SyncRecord::StaffAccount { .. }
        | SyncRecord::BadgeTemplate { .. }
        | SyncRecord::SigningKey { .. }
        | SyncRecord::KeyRetired { .. }
        | SyncRecord::StationKiosk { .. } => ManageEvent,
        SyncRecord::VettingDecision { .. } => Vet,
    })
}

/// Whether `origin`, a station of `role`, may have made `record`.
pub fn check(role: Role, origin: &str, record: &SyncRecord) -> Result<(), Refusal> {
    let kind = record.kind_key().0;
    if let Some(need) = needs(record) {
        if !allows(role, need) {
            return Err(Refusal {
                kind,
                why: format!(
                    "station {origin} is paired as {}: it may not send {kind} records",
                    role.as_str()
                ),
            });
        }
    }
    // A decision must be one a station could have made: a known status,
    // never back to `applied`, with its reason.
    if let SyncRecord::VettingDecision { status, reason, .. } = record {
        let known = crate::vetting::Accreditation::parse(status)
            .filter(|s| *s != crate::vetting::Accreditation::Applied);
        if known.is_none() || reason.trim().is_empty() {
            return Err(Refusal {
                kind,
                why: format!(
                    "station {origin} sent a vetting decision {status:?} that no station makes"
                ),
            });
        }
    }
    // A scan names the gate that made it: a gate speaks for itself only.
    if let SyncRecord::Scan(s) = record {
        if s.station != origin {
            return Err(Refusal {
                kind,
                why: format!(
                    "station {origin} sent a scan recorded under station {}",
                    s.station
                ),
            });
        }
    }
    Ok(())
}

/// What a station paired as `recipient` receives of `record`. A gate is
/// sent only the accounts that sign in or override there (gate officers
/// and supervisors): any other account reaches it without its PIN hash,
/// inactive, so a stolen gate holds no admin's or desk's hash, and an
/// account promoted away from the gate stops signing in there. Every
/// other record, and every record to other roles, travels as it is.
/// Applied by the hub to what it sends, and again by the gate to what it
/// receives.
pub fn for_recipient(recipient: Role, record: &SyncRecord) -> std::borrow::Cow<'_, SyncRecord> {
    use std::borrow::Cow;
    let SyncRecord::StaffAccount { id, hlc, account } = record else {
        return Cow::Borrowed(record);
    };
    if recipient != Role::Gate {
        return Cow::Borrowed(record);
    }
    let parsed: Option<StaffAccount> = serde_json::from_str(account).ok();
    let keeps = parsed
        .as_ref()
        .and_then(|a| Role::from_stored(&a.role))
        .is_some_and(|role| role.signs_in_at(Some(Role::Gate)));
    if keeps {
        return Cow::Borrowed(record);
    }
    let redacted = parsed.map(|a| StaffAccount {
        pin_hash: String::new(),
        active: 0,
        pin_digits: None,
        ..a
    });
    let account = redacted
        .and_then(|a| serde_json::to_string(&a).ok())
        .unwrap_or_default();
    Cow::Owned(SyncRecord::StaffAccount {
        id: id.clone(),
        hlc: hlc.clone(),
        account,
    })
}

/// [`check`] with the role looked up in `roster`: an origin the hub never
/// paired may send nothing.
pub fn check_in(roster: &Roster, origin: &str, record: &SyncRecord) -> Result<(), Refusal> {
    match roster.get(origin) {
        Some(role) => check(*role, origin, record),
        None => Err(Refusal {
            kind: record.kind_key().0,
            why: format!("station {origin} is not paired with this hub"),
        }),
    }
}

/// Whether every permission of `role` is one `ceiling` allows.
pub fn within(role: Role, ceiling: Role) -> bool {
    Permission::ALL
        .into_iter()
        .all(|p| !allows(role, p) || allows(ceiling, p))
}

/// The origins a site hub may relay to the central hub, each with its role
/// (`docs/SCALE.md`, "Sites"): the stations the site hub says it paired
/// (`declared`), kept only when their role lies within the site's
/// `ceiling` (the role the organiser paired the site hub with) and when no
/// other site, nor the central hub's own roster, already has that origin
/// (`taken`). A site hub's laptop in the wrong hands can therefore invent
/// stations, but never one that says more than the site itself may, nor
/// speak for another site's stations.
pub fn relay_roster(ceiling: Role, declared: &Roster, taken: &Roster) -> Roster {
    declared
        .iter()
        .filter(|(origin, role)| within(**role, ceiling) && !taken.contains_key(*origin))
        .map(|(o, r)| (o.clone(), *r))
        .collect()
}

/// What a site hub may originate itself (its console, its own desk
/// work), and what the stations it relays may do at most: a site's
/// **ceiling** (`gatehouse pair --role site`, `docs/SCALE.md` "Sites"). A
/// site registers, prints, scans, lets a supervisor override and revokes on
/// its own while its link to the central hub is down; the event's settings,
/// staff accounts, signing keys, kiosk settings and vetting decisions come
/// from the central hub only.
pub fn site_may(need: Permission) -> bool {
    allows(Role::Desk, need) || allows(Role::Supervisor, need) || need == Permission::Revoke
}

/// Whether a station of `role` paired at a site lies within the site's
/// ceiling (desks and gates do; an organiser's station does not).
pub fn within_site(role: Role) -> bool {
    Permission::ALL
        .into_iter()
        .all(|p| !allows(role, p) || site_may(p))
}

/// [`check`] for a site hub's own entries: against the site's ceiling.
pub fn check_site(origin: &str, record: &SyncRecord) -> Result<(), Refusal> {
    let kind = record.kind_key().0;
    if let Some(need) = needs(record) {
        if !site_may(need) {
            return Err(Refusal {
                kind,
                why: format!(
                    "station {origin} is paired as a site: it may not send {kind} records"
                ),
            });
        }
    }
    // The rest of the rule (a scan in its own name, a real vetting
    // decision) is the ordinary one.
    check(Role::Admin, origin, record)
}

/// [`relay_roster`] for a site paired with the role `site`: the declared
/// stations within the site's ceiling ([`within_site`]) that no other site
/// nor the central hub already has.
pub fn site_relays(declared: &Roster, taken: &Roster) -> Roster {
    declared
        .iter()
        .filter(|(origin, role)| within_site(**role) && !taken.contains_key(*origin))
        .map(|(o, r)| (o.clone(), *r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::scan::Scan;

    fn scan(station: &str) -> SyncRecord {
        SyncRecord::Scan(Scan {
            id: "s1".into(),
            station: station.into(),
            seq: 1,
            serial: Some("BMX-000001".into()),
            version: Some(1),
            zone: "HALL".into(),
            direction: "in".into(),
            decision: "admit".into(),
            reason: "ok".into(),
            at: "2025-11-11T09:00:00.000Z".into(),
            operator: "gate".into(),
        })
    }

    fn hlc() -> Hlc {
        Hlc {
            wall_ms: 1,
            counter: 0,
            station: "g1".into(),
        }
    }

    #[test]
    fn a_gate_sends_its_own_scans_and_audit_only() {
        assert!(check(Role::Gate, "g1", &scan("g1")).is_ok());
        let other = check(Role::Gate, "g1", &scan("g2")).expect_err("a scan in another name");
        assert!(other.why.contains("under station g2"), "{}", other.why);
        let audit = SyncRecord::Audit {
            seq: 1,
            at: "t".into(),
            actor: "a".into(),
            action: "x".into(),
            detail: "{}".into(),
        };
        assert!(check(Role::Gate, "g1", &audit).is_ok());
        for forbidden in [
            SyncRecord::EventConfig {
                hlc: hlc(),
                event: "{}".into(),
            },
            SyncRecord::StaffAccount {
                id: "s".into(),
                hlc: hlc(),
                account: "{}".into(),
            },
            SyncRecord::SigningKey {
                kid: "00".into(),
                public_key: "00".into(),
                created_at: "t".into(),
                created_by: "x".into(),
            },
            SyncRecord::KeyRetired {
                kid: "00".into(),
                retired_at: "t".into(),
                retired_by: "x".into(),
            },
            SyncRecord::Revocation {
                id: "r".into(),
                serial: "BMX-000001".into(),
                reason: "x".into(),
                revoked_at: "t".into(),
                revoked_by: "x".into(),
            },
            SyncRecord::BadgeIssue {
                serial: "BMX-000001".into(),
                version: 9,
                issued_at: "t".into(),
                issued_by: "x".into(),
                claims: None,
            },
            SyncRecord::AttendeeEdit {
                attendee: "a".into(),
                hlc: hlc(),
                fields: [("zones_override".to_string(), Some("VIP".to_string()))].into(),
            },
        ] {
            let r = check(Role::Gate, "g1", &forbidden).expect_err("forbidden to a gate");
            assert!(r.why.contains("paired as gate"), "{}", r.why);
        }
    }

    #[test]
    fn a_desk_registers_and_prints_but_never_configures_or_erases() {
        let edit = |field: &str| SyncRecord::AttendeeEdit {
            attendee: "a".into(),
            hlc: hlc(),
            fields: [(field.to_string(), Some("x".to_string()))].into(),
        };
        assert!(check(Role::Desk, "d1", &edit("phone")).is_ok());
        assert!(check(Role::Desk, "d1", &edit("erased_at")).is_err());
        let key = SyncRecord::SigningKey {
            kid: "00".into(),
            public_key: "00".into(),
            created_at: "t".into(),
            created_by: "x".into(),
        };
        assert_eq!(
            check(Role::Desk, "d1", &key).expect_err("a desk key").kind,
            "signing_key"
        );
        assert!(check(Role::Admin, "a1", &key).is_ok());
        assert!(check(Role::Admin, "a1", &edit("erased_at")).is_ok());
    }

    #[test]
    fn a_gate_receives_no_hash_but_its_officers_and_supervisors() {
        let account = |role: &str| SyncRecord::StaffAccount {
            id: format!("id-{role}"),
            hlc: hlc(),
            account: format!(
                r#"{{"name":"N","role":"{role}","pin_hash":"$argon2id$x","active":1,"created_at":"t","pin_digits":8}}"#
            ),
        };
        for role in ["gate", "supervisor"] {
            let r = account(role);
            assert_eq!(*for_recipient(Role::Gate, &r), r);
        }
        for role in ["admin", "desk"] {
            let r = account(role);
            assert_eq!(*for_recipient(Role::Desk, &r), r, "a desk gets all");
            let SyncRecord::StaffAccount { account, id, .. } = &*for_recipient(Role::Gate, &r)
            else {
                panic!("not an account");
            };
            assert_eq!(id, &format!("id-{role}"));
            assert_eq!(
                account,
                &format!(
                    r#"{{"name":"N","role":"{role}","pin_hash":"","active":0,"created_at":"t"}}"#
                )
            );
        }
        let s = scan("g1");
        assert_eq!(*for_recipient(Role::Gate, &s), s);
    }

    #[test]
    fn only_an_organisers_station_sends_vetting_decisions_and_only_real_ones() {
        let decision = |status: &str, reason: &str| SyncRecord::VettingDecision {
            id: "v1".into(),
            serial: "BMX-000001".into(),
            status: status.into(),
            reason: reason.into(),
            at_ms: 1,
            by: "x".into(),
        };
        let cleared = decision("cleared", "services: favourable");
        assert!(check(Role::Admin, "a1", &cleared).is_ok());
        for role in [Role::Gate, Role::Desk, Role::Supervisor] {
            let r = check(role, "s1", &cleared).expect_err("not an organiser");
            assert_eq!(r.kind, "vetting_decision");
        }
        for forged in [
            decision("applied", "x"),
            decision("ok", "x"),
            decision("cleared", " "),
        ] {
            assert!(check(Role::Admin, "a1", &forged).is_err(), "{forged:?}");
        }
    }

    #[test]
    fn only_an_organisers_station_sets_a_stations_kiosk_mode() {
        let kiosk = SyncRecord::StationKiosk {
            station: "g2".into(),
            hlc: hlc(),
            kiosk: false,
            set_by: "x".into(),
        };
        assert!(check(Role::Admin, "hub", &kiosk).is_ok());
        for role in [Role::Gate, Role::Desk, Role::Supervisor] {
            let r = check(role, "g1", &kiosk).expect_err("not an organiser");
            assert_eq!(r.kind, "station_kiosk");
        }
        // Relayed by the hub, a gate's record is refused again on arrival.
        let roster: Roster = [("g1".to_string(), Role::Gate)].into();
        assert!(check_in(&roster, "g1", &kiosk).is_err());
    }

    #[test]
    fn an_origin_the_hub_never_paired_sends_nothing() {
        let roster: Roster = [("g1".to_string(), Role::Gate)].into();
        assert!(check_in(&roster, "g1", &scan("g1")).is_ok());
        assert!(check_in(&roster, "zz", &scan("zz")).is_err());
    }

    #[test]
    fn a_site_relays_desks_and_gates_and_revokes_but_never_configures() {
        assert!(within_site(Role::Desk));
        assert!(within_site(Role::Gate));
        assert!(!within_site(Role::Admin));
        let declared: Roster = [
            ("d".to_string(), Role::Desk),
            ("g".to_string(), Role::Gate),
            ("boss".to_string(), Role::Admin),
            ("theirs".to_string(), Role::Gate),
        ]
        .into();
        let taken: Roster = [("theirs".to_string(), Role::Gate)].into();
        assert_eq!(
            site_relays(&declared, &taken).keys().collect::<Vec<_>>(),
            vec!["d", "g"]
        );
        let revocation = SyncRecord::Revocation {
            id: "r".into(),
            serial: "BMX-000001".into(),
            reason: "x".into(),
            revoked_at: "t".into(),
            revoked_by: "x".into(),
        };
        assert!(check_site("site1", &revocation).is_ok());
        assert!(check_site("site1", &scan("site1")).is_ok());
        assert!(
            check_site("site1", &scan("g9")).is_err(),
            "a scan in another name"
        );
        let config = SyncRecord::EventConfig {
            hlc: hlc(),
            event: "{}".into(),
        };
        let r = check_site("site1", &config).expect_err("a site configures nothing");
        assert!(r.why.contains("paired as a site"), "{}", r.why);
    }
}
