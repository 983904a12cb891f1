//! Sites (issue 18, `docs/SCALE.md` "Sites"): two site hubs, each the hub of
//! its own gate and itself a station of a central hub, relaying its gate's
//! entries up with their own origins and sequences and the central hub's
//! down. The WAN link is cut: each site works alone (a gate at each admits
//! the same badge into the same event-wide zone; the central hub revokes
//! another badge). The link comes back: everything converges, the
//! revocation reaches both gates, and the double admission across the two
//! sites is flagged at the central hub and at each site.
//!
//! The protocol with in-memory replicas (the same `serve` and `Session` the
//! hub and the stations run); the processes (a site hub's sync loop to the
//! central hub, pairing as a site) are not built yet.

use std::collections::BTreeSet;

use gatehouse_core::error::Result;
use gatehouse_core::scan::Scan;
use gatehouse_core::staff::Role;
use gatehouse_sync::conflicts::double_admissions;
use gatehouse_sync::memory::MemReplica;
use gatehouse_sync::policy::{relay_roster, Roster};
use gatehouse_sync::protocol::{
    serve, serve_relaying, serve_site, Entry, Outcome, Replica, Request, Session, SyncRecord,
};

fn at(ms: u64) -> String {
    let ts = jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    gatehouse_core::scan::format_at(ts)
}

fn admit(gate: &mut MemReplica, serial: &str, zone: &str, now: u64) {
    let seq = gate.have_now(gate.station()) + 1;
    let station = gate.station().to_string();
    gate.record(SyncRecord::Scan(Scan {
        id: format!("{station}-{seq}"),
        station,
        seq: seq as i64,
        serial: Some(serial.into()),
        version: Some(1),
        zone: zone.into(),
        direction: "in".into(),
        decision: "admit".into(),
        reason: "ok".into(),
        at: at(now),
        operator: "gate".into(),
    }));
}

fn revocation(serial: &str) -> SyncRecord {
    SyncRecord::Revocation {
        id: format!("r-{serial}"),
        serial: serial.into(),
        reason: "lost".into(),
        revoked_at: "2026-12-06T09:00:00Z".into(),
        revoked_by: "chief".into(),
    }
}

fn knows_revoked(r: &MemReplica, serial: &str) -> bool {
    r.entries()
        .iter()
        .any(|e| matches!(&e.record, SyncRecord::Revocation { serial: s, .. } if s == serial))
}

trait HaveNow {
    fn have_now(&self, origin: &str) -> u64;
}

impl HaveNow for MemReplica {
    fn have_now(&self, origin: &str) -> u64 {
        self.entries()
            .iter()
            .filter(|e| e.origin == origin)
            .map(|e| e.seq)
            .max()
            .unwrap_or(0)
    }
}

/// One site: its hub and the gate paired there.
struct Site {
    hub: MemReplica,
    /// The site hub's roster: its own gate, and every origin the central
    /// hub told it about (the `roles` of its answers).
    roster: Roster,
    /// What the site hub knows of the central hub (as its station).
    up: Session,
    gate: MemReplica,
    gate_session: Session,
    /// The stations paired at this site (the gate), with their roles.
    paired: Roster,
    /// Relaying switched on (the test is shown to fail without it).
    relay: bool,
}

impl Site {
    fn new(name: &str, gate: &str) -> Site {
        let hub = MemReplica::new(name);
        let roster: Roster = [
            (name.to_string(), Role::Admin),
            (gate.to_string(), Role::Gate),
        ]
        .into();
        Site {
            hub,
            roster,
            up: Session::default(),
            gate: MemReplica::new(gate),
            gate_session: Session {
                role: Some(Role::Gate),
                ..Session::default()
            },
            paired: [(gate.to_string(), Role::Gate)].into(),
            relay: true,
        }
    }

    /// The stations paired at this site, as the site hub declares them.
    fn declared(&self) -> Roster {
        self.paired.clone()
    }

    /// A round between the gate and its site hub (the LAN, always up).
    async fn lan_round(&mut self, now: u64) -> Result<Outcome> {
        let req = self.gate_session.request(&mut self.gate, now).await?;
        let station = req.station.clone();
        let served = serve(&mut self.hub, &self.roster, &station, &req, now).await?;
        self.gate_session
            .receive(&mut self.gate, &served.response, now)
            .await
    }
}

struct Central {
    hub: MemReplica,
    /// The central hub's roster: itself and the site hubs (paired with
    /// their ceiling), plus every origin a site relays.
    roster: Roster,
}

impl Central {
    /// A round between a site hub and the central hub (the WAN).
    async fn wan_round(&mut self, site: &mut Site, now: u64) -> Result<Outcome> {
        let name = site.hub.station().to_string();
        let ceiling = self.roster.get(&name).copied().unwrap_or(Role::Gate);
        // Origins already known elsewhere (the central hub's own roster,
        // minus what this very site declared before).
        let taken: Roster = self
            .roster
            .iter()
            .filter(|(o, _)| !site.declared().contains_key(*o))
            .map(|(o, r)| (o.clone(), *r))
            .collect();
        let relays = relay_roster(ceiling, &site.declared(), &taken);
        for (o, r) in &relays {
            self.roster.insert(o.clone(), *r);
        }
        let relayed: BTreeSet<String> = if site.relay {
            relays.keys().cloned().collect()
        } else {
            BTreeSet::new()
        };
        let req = site
            .up
            .request_relaying(&mut site.hub, &relayed, now)
            .await?;
        let served = serve_relaying(&mut self.hub, &self.roster, &name, &relays, &req, now).await?;
        let gatehouse_sync::protocol::Response::Ok { roles, .. } = &served.response;
        // The site hub learns the roles of what came down, so that its own
        // stations accept those entries from it.
        for (o, r) in roles {
            site.roster.entry(o.clone()).or_insert(*r);
        }
        site.up.receive(&mut site.hub, &served.response, now).await
    }
}

/// Rounds on every link until nothing moves any more (bounded).
async fn settle(
    central: &mut Central,
    sites: &mut [Site],
    wan_up: bool,
    now: &mut u64,
) -> Result<()> {
    for _ in 0..20 {
        let mut moved = false;
        for site in sites.iter_mut() {
            *now += 10;
            if let Outcome::Synced { received, more } = site.lan_round(*now).await? {
                moved |= received > 0 || more;
            }
            if wan_up {
                *now += 10;
                if let Outcome::Synced { received, more } = central.wan_round(site, *now).await? {
                    moved |= received > 0 || more;
                }
            }
        }
        if !moved {
            return Ok(());
        }
    }
    Ok(())
}

fn setup() -> (Central, Vec<Site>) {
    let central = Central {
        hub: MemReplica::new("central"),
        roster: [
            ("central".to_string(), Role::Admin),
            // Each site hub may revoke on its own while the WAN is down, so
            // it is paired as an admin station; see `a_site_relays_…`
            // for a narrower one.
            ("site1".to_string(), Role::Admin),
            ("site2".to_string(), Role::Admin),
        ]
        .into(),
    };
    (
        central,
        vec![Site::new("site1", "g1-gate"), Site::new("site2", "g2-gate")],
    )
}

async fn run(relay: bool) -> Result<(Central, Vec<Site>)> {
    let (mut central, mut sites) = setup();
    for s in &mut sites {
        s.relay = relay;
    }
    let mut now = 1_780_000_000_000u64;
    settle(&mut central, &mut sites, true, &mut now).await?;
    // The WAN is cut: each site works alone.
    admit(&mut sites[0].gate, "BMX-000007", "FINAL", now + 1_000);
    admit(&mut sites[1].gate, "BMX-000007", "FINAL", now + 2_000);
    central.hub.record(revocation("BMX-000009"));
    central.hub.record(SyncRecord::VettingDecision {
        id: "v-BMX-000011".into(),
        serial: "BMX-000011".into(),
        status: "refused".into(),
        reason: "identity not confirmed".into(),
        at_ms: now as i64,
        by: "security".into(),
    });
    // Site 1's own console revokes a badge while cut off.
    sites[0].hub.record(revocation("BMX-000013"));
    settle(&mut central, &mut sites, false, &mut now).await?;
    assert!(
        knows_revoked(&sites[0].gate, "BMX-000013"),
        "a site works alone"
    );
    for s in &sites {
        assert!(
            !knows_revoked(&s.gate, "BMX-000009"),
            "no revocation crosses a cut link"
        );
        assert_eq!(
            double_admissions(&s.hub.scans()),
            vec![],
            "each site alone sees one admission"
        );
    }
    // The WAN comes back.
    settle(&mut central, &mut sites, true, &mut now).await?;
    Ok((central, sites))
}

#[tokio::test]
async fn two_sites_cut_from_the_central_hub_converge_and_a_double_admission_across_them_is_flagged(
) -> Result<()> {
    let (central, sites) = run(true).await?;
    for s in &sites {
        assert!(
            knows_revoked(&s.gate, "BMX-000009"),
            "the central hub's revocation reaches {}",
            s.gate.station()
        );
    }
    // The central hub's vetting decision reaches both sites' gates, and the
    // revocation site 1 made alone reaches site 2's gate, under site 1's
    // origin.
    for s in &sites {
        assert!(
            s.gate.entries().iter().any(|e| matches!(&e.record,
                SyncRecord::VettingDecision { serial, status, .. }
                    if serial == "BMX-000011" && status == "refused")),
            "the vetting decision reaches {}",
            s.gate.station()
        );
    }
    assert!(sites[1].gate.entries().iter().any(|e| e.origin == "site1"
        && matches!(&e.record, SyncRecord::Revocation { serial, .. } if serial == "BMX-000013")));
    // One log everywhere: every origin's entries, each once, with its own
    // origin and sequence (a gate's scan relayed by its site is the gate's).
    let central_log = central.hub.entries();
    for s in &sites {
        assert_eq!(
            s.hub.entries(),
            central_log,
            "{} converged",
            s.hub.station()
        );
    }
    assert!(central_log
        .iter()
        .any(|e| e.origin == "g1-gate" && e.seq == 1));
    assert!(central_log
        .iter()
        .any(|e| e.origin == "g2-gate" && e.seq == 1));
    // The double admission across the sites is flagged at the central hub
    // and at each site's console.
    for (who, scans) in [
        ("central", central.hub.scans()),
        ("site1", sites[0].hub.scans()),
        ("site2", sites[1].hub.scans()),
    ] {
        let conflicts = double_admissions(&scans);
        assert_eq!(conflicts.len(), 1, "{who}: {conflicts:?}");
        assert_eq!(conflicts[0].serial, "BMX-000007");
        assert_eq!(conflicts[0].zone, "FINAL");
        assert_eq!(
            conflicts[0].stations,
            vec!["g1-gate".to_string(), "g2-gate".to_string()]
        );
    }
    Ok(())
}

#[tokio::test]
async fn without_relaying_the_sites_do_not_converge() -> Result<()> {
    let (central, _sites) = run(false).await?;
    assert_eq!(double_admissions(&central.hub.scans()), vec![]);
    Ok(())
}

#[tokio::test]
async fn a_site_relays_only_its_own_stations_each_within_its_role() -> Result<()> {
    let (mut central, mut sites) = setup();
    // A site paired with a gate's reach may not declare a desk or an admin.
    let declared: Roster = [
        ("g1-gate".to_string(), Role::Gate),
        ("g1-desk".to_string(), Role::Desk),
        ("g1-boss".to_string(), Role::Admin),
    ]
    .into();
    let kept = relay_roster(Role::Supervisor, &declared, &Roster::new());
    assert_eq!(kept.keys().collect::<Vec<_>>(), vec!["g1-gate"]);
    // Nor another site's station, nor the central hub.
    let taken: Roster = [("g2-gate".to_string(), Role::Gate)].into();
    let theirs: Roster = [("g2-gate".to_string(), Role::Gate)].into();
    assert_eq!(relay_roster(Role::Admin, &theirs, &taken), Roster::new());

    let mut now = 1_780_000_000_000u64;
    settle(&mut central, &mut sites, true, &mut now).await?;
    // Site 1's laptop, in the wrong hands, sends a scan in the name of
    // site 2's gate: refused whole, nothing stored.
    let forged = |origin: &str, seq: u64, record: SyncRecord| Request {
        station: "site1".into(),
        wall_ms: now,
        have: Default::default(),
        entries: vec![Entry {
            origin: origin.into(),
            seq,
            record,
        }],
        declared: Default::default(),
    };
    let relays: Roster = [("g1-gate".to_string(), Role::Gate)].into();
    let before = central.hub.entries();
    let req = forged("g2-gate", 50, revocation("BMX-000001"));
    assert!(serve_relaying(
        &mut central.hub,
        &central.roster,
        "site1",
        &relays,
        &req,
        now
    )
    .await
    .is_err());
    let req = forged("central", 50, revocation("BMX-000001"));
    assert!(serve_relaying(
        &mut central.hub,
        &central.roster,
        "site1",
        &relays,
        &req,
        now
    )
    .await
    .is_err());
    assert_eq!(central.hub.entries(), before);
    // A revocation in the name of its own gate: held aside, never applied.
    let req = forged("g1-gate", 1, revocation("BMX-000001"));
    let served = serve_relaying(
        &mut central.hub,
        &central.roster,
        "site1",
        &relays,
        &req,
        now,
    )
    .await?;
    let Some(violation) = served.violation else {
        panic!("a gate's revocation relayed by its site was accepted");
    };
    assert_eq!(violation.kinds, vec!["revocation"]);
    assert!(!knows_revoked(&central.hub, "BMX-000001"));
    assert!(central.hub.holding("g1-gate").await?);
    Ok(())
}

#[tokio::test]
async fn a_site_paired_as_a_site_revokes_on_its_own_but_never_sets_the_event() -> Result<()> {
    let mut central = MemReplica::new("central");
    let roster: Roster = [
        ("central".to_string(), Role::Admin),
        ("site1".to_string(), Role::Admin),
    ]
    .into();
    let relays: Roster = [("g1-gate".to_string(), Role::Gate)].into();
    let entry = |seq: u64, record: SyncRecord| Entry {
        origin: "site1".into(),
        seq,
        record,
    };
    let req = |entries: Vec<Entry>| Request {
        station: "site1".into(),
        wall_ms: 1_000,
        have: Default::default(),
        entries,
        declared: relays.clone(),
    };
    // Its console's revocation: within a site's ceiling, stored.
    let served = serve_site(
        &mut central,
        &roster,
        "site1",
        &relays,
        &req(vec![entry(1, revocation("BMX-000004"))]),
        1_000,
    )
    .await?;
    assert!(served.violation.is_none());
    assert!(knows_revoked(&central, "BMX-000004"));
    // The event's settings: held aside, the organiser alerted, although
    // the site is announced to other stations as an organiser's station.
    let config = SyncRecord::EventConfig {
        hlc: gatehouse_sync::hlc::Hlc {
            wall_ms: 1_000,
            counter: 0,
            station: "site1".into(),
        },
        event: "{}".into(),
    };
    let served = serve_site(
        &mut central,
        &roster,
        "site1",
        &relays,
        &req(vec![entry(2, config)]),
        1_000,
    )
    .await?;
    let Some(violation) = served.violation else {
        panic!("a site set the event's configuration");
    };
    assert_eq!(violation.kinds, vec!["event_config"]);
    assert!(
        violation.why.contains("paired as a site"),
        "{}",
        violation.why
    );
    assert!(central.holding("site1").await?);
    Ok(())
}
