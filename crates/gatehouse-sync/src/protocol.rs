//! The sync protocol between a station and the hub, as a state machine with
//! no I/O of its own: requests and responses are plain data, `now` is an
//! argument, and the data lives behind the [`Replica`] trait (in memory for
//! the simulation and the benchmark, SQLite for stations, anything with the
//! same guarantees for a large hub).
//!
//! Every fact a station records is an [`Entry`] keyed by (origin station,
//! origin sequence). Replicas merge entries by union on that key, so
//! applying the same entry twice, late or out of order changes nothing.
//! Each side summarises what it holds as a [`VersionVector`]: per origin,
//! the highest sequence below which it holds every entry (its high-water
//! mark). A round is one request and one response: the station sends what
//! the hub's last vector lacks plus its own vector, the hub stores them
//! durably, then answers with what the station's vector lacks and its new
//! vector, which acknowledges the station's entries. A lost message only
//! means the next round resends; nothing a vector acknowledged is dropped,
//! since replicas never delete entries.
//!
//! Attendee edits are entries too; which value wins per field is decided
//! from the merged log by hybrid logical clock ([`super::hlc`]), so every
//! replica holding the same entries shows the same attendee.

use std::collections::BTreeMap;
use std::future::Future;

use serde::{Deserialize, Serialize};

use super::hlc::{Clock, ClockSkew, Hlc};
use super::policy::{self, Roster};
// The records and their keys, at their old paths.
pub use super::record::{print_key, Entry, SyncRecord, VersionVector};
use crate::error::{Error, Result};
use crate::messages::Msg;

/// At most this many entries travel in one message.
pub const BATCH: usize = 2_000;

/// Where a replica keeps its entries and its clock. Implementations store
/// an applied entry durably before `apply` returns. (The futures are `Send`
/// so the hub can serve from any runtime thread.)
pub trait Replica {
    /// This replica's station id.
    fn station(&self) -> &str;
    fn clock(&mut self) -> impl Future<Output = Result<Clock>> + Send;
    fn set_clock(&mut self, clock: &Clock) -> impl Future<Output = Result<()>> + Send;
    /// The high-water marks of what this replica holds.
    fn have(&mut self) -> impl Future<Output = Result<VersionVector>> + Send;
    /// Held entries above `peer`'s marks, in origin then sequence order,
    /// at most `limit` (fewer is allowed, e.g. to bound a message's size,
    /// but at least one when any is held).
    fn entries_after(
        &mut self,
        peer: &VersionVector,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Entry>>> + Send;
    /// Stores the entries not held yet; returns how many were new.
    fn apply(&mut self, entries: &[Entry]) -> impl Future<Output = Result<usize>> + Send;
    /// Keeps entries aside, neither applied nor relayed (a record its
    /// origin may not send, or anything from a quarantined station), with
    /// why; their places count as held in [`Replica::have`], so nobody
    /// resends them. Returns how many were new.
    fn hold(
        &mut self,
        entries: &[Entry],
        why: &str,
        now_ms: u64,
    ) -> impl Future<Output = Result<usize>> + Send;
    /// Whether entries of `origin` are held aside awaiting the organiser:
    /// while they are, the station is quarantined.
    fn holding(&mut self, origin: &str) -> impl Future<Output = Result<bool>> + Send;
}

/// A station's message to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub station: String,
    /// The station's own wall clock when it sent this (Unix ms), as set on
    /// that machine: the hub tells how far off each station's clock is. It
    /// moves no clock.
    pub wall_ms: u64,
    /// What the station holds: the hub sends what lies above it.
    pub have: VersionVector,
    pub entries: Vec<Entry>,
    /// A site hub's stations and their roles at the site, which it relays
    /// (`docs/SCALE.md`, "Sites"); empty from any other station.
    #[serde(default, skip_serializing_if = "Roster::is_empty")]
    pub declared: Roster,
}

/// The hub's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Response {
    Ok {
        /// What the hub holds now, the station's entries included:
        /// the acknowledgement.
        have: VersionVector,
        entries: Vec<Entry>,
        /// The hub holds more for this station than one batch.
        more: bool,
        /// The role the hub gave each origin of `entries` at pairing: the
        /// station checks each entry against it again.
        #[serde(default)]
        roles: Roster,
        /// This station's entries are held aside at the hub, unapplied,
        /// until the organiser looks at them.
        #[serde(default)]
        quarantined: bool,
        /// The station's entries from an edit stamped too far ahead of the
        /// hub's clock on were not stored (those before it were): the
        /// station's clock must be set right. It still receives what it
        /// lacks.
        #[serde(default)]
        skew: Option<ClockSkew>,
    },
}

/// The clock of an edit (the records merged by clock), if the entry is one.
fn edit_clock(e: &Entry) -> Option<&Hlc> {
    match &e.record {
        SyncRecord::AttendeeEdit { hlc, .. }
        | SyncRecord::EventConfig { hlc, .. }
        | SyncRecord::BadgeTemplate { hlc, .. }
        | SyncRecord::StaffAccount { hlc, .. }
        | SyncRecord::StationKiosk { hlc, .. } => Some(hlc),
        _ => None,
    }
}

/// Where the first edit stamped too far ahead of `now_ms` lies, and how far.
fn first_skew(entries: &[Entry], now_ms: u64) -> Option<(usize, ClockSkew)> {
    entries.iter().enumerate().find_map(|(i, e)| {
        edit_clock(e)
            .and_then(|c| Clock::check(c, now_ms).err())
            .map(|s| (i, s))
    })
}

/// Moves `clock` past every edit taken in, and says whether it moved. Only
/// edits move a clock: a station's or the hub's own reading never does, so
/// one station's wrong clock drags no other (see `docs/SYNC.md`, "Time").
pub fn observe_edits(clock: &mut Clock, entries: &[Entry], now_ms: u64) -> bool {
    let before = clock.clone();
    for c in entries.iter().filter_map(edit_clock) {
        // Already checked by `first_skew`: observing cannot fail here.
        let _ = clock.observe(c, now_ms);
    }
    *clock != before
}

/// A station's attempt to say more than its role allows, as the hub found
/// it: the hub quarantines the station (its entries are held aside) and
/// alerts the organiser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The kinds of record refused (empty when only a quarantine held them).
    pub kinds: Vec<&'static str>,
    pub why: String,
    /// Entries held aside by this round.
    pub held: usize,
    /// The first of this station's: it was not quarantined before.
    pub new: bool,
}

/// The hub's answer, and what it found wrong in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub response: Response,
    pub violation: Option<Violation>,
}

/// The hub's side of a round from `station` (the station its credential
/// names): store what the station sent, answer with what it lacks.
///
/// Refused whole, nothing stored: a request in another station's name or
/// carrying another origin's entries ([`Error::Forbidden`]); entries that do
/// not continue the station's sequence where the hub holds it
/// ([`Error::Conflict`]: the next round resends from the hub's marks). An
/// edit stamped more than [`super::hlc::MAX_DRIFT_MS`] ahead of the hub's
/// clock is not stored, nor anything after it (the answer says so in
/// `skew`); what came before it is. Records the station's role may not
/// send, and everything after them while the station stays quarantined, are
/// held aside ([`Replica::hold`]) and reported in [`Served::violation`];
/// the station still receives what it lacks (revocations above all).
pub async fn serve<R: Replica>(
    hub: &mut R,
    roster: &Roster,
    station: &str,
    req: &Request,
    now_ms: u64,
) -> Result<Served> {
    serve_relaying(hub, roster, station, &Roster::new(), req, now_ms).await
}

/// [`serve`] for a site hub (`docs/SCALE.md`, "Sites"): besides its own
/// entries, `station` may relay those of the origins in `relays`, the
/// stations paired at that site, each with the role the central hub accepts
/// for it ([`policy::relay_roster`]). Each relayed entry keeps its origin and
/// sequence and is checked against its own origin's role; a refused one,
/// and every later one of that origin, is held aside and reported like the
/// station's own. An entry of any other origin refuses the whole request.
pub async fn serve_relaying<R: Replica>(
    hub: &mut R,
    roster: &Roster,
    station: &str,
    relays: &Roster,
    req: &Request,
    now_ms: u64,
) -> Result<Served> {
    let role = roster.get(station).copied();
    serve_checked(
        hub,
        roster,
        station,
        relays,
        req,
        now_ms,
        |origin, record| match role {
            Some(role) => policy::check(role, origin, record),
            None => policy::check_in(roster, origin, record),
        },
    )
    .await
}

/// [`serve_relaying`] for a site hub paired with the role `site`: its own
/// entries are checked against the site's ceiling ([`policy::check_site`])
/// rather than its role in `roster` (the role its entries are announced
/// with to other stations once checked here).
pub async fn serve_site<R: Replica>(
    hub: &mut R,
    roster: &Roster,
    station: &str,
    relays: &Roster,
    req: &Request,
    now_ms: u64,
) -> Result<Served> {
    serve_checked(
        hub,
        roster,
        station,
        relays,
        req,
        now_ms,
        policy::check_site,
    )
    .await
}

async fn serve_checked<R: Replica>(
    hub: &mut R,
    roster: &Roster,
    station: &str,
    relays: &Roster,
    req: &Request,
    now_ms: u64,
    own_check: impl Fn(&str, &SyncRecord) -> std::result::Result<(), policy::Refusal>,
) -> Result<Served> {
    if req.station != station {
        return Err(Msg::CredentialOfOther {
            station: station.to_string(),
            claimed: req.station.clone(),
        }
        .into());
    }
    let role = roster.get(station).copied().ok_or_else(|| {
        Error::from(Msg::StationNotPaired {
            station: station.to_string(),
        })
    })?;
    if let Some(e) = req.entries.iter().find(|e| {
        e.origin != station && (e.origin == hub.station() || !relays.contains_key(&e.origin))
    }) {
        return Err(Msg::EntryOfOther {
            station: station.to_string(),
            origin: e.origin.to_string(),
            seq: e.seq,
        }
        .into());
    }
    let marks = hub.have().await?;
    let mark = marks.get(station);
    let mut fresh: Vec<Entry> = req
        .entries
        .iter()
        .filter(|e| e.origin == station && e.seq > mark)
        .cloned()
        .collect();
    let mut relayed: Vec<Entry> = req
        .entries
        .iter()
        .filter(|e| e.origin != station && e.seq > marks.get(&e.origin))
        .cloned()
        .collect();
    for (expected, e) in (mark + 1..).zip(&fresh) {
        if e.seq != expected {
            return Err(Msg::EntryOutOfOrder {
                station: station.to_string(),
                seq: e.seq,
                expected,
            }
            .into());
        }
    }
    // Judged against the hub's own clock, never against one dragged by others.
    let skew = first_skew(&fresh, now_ms).map(|(at, skew)| {
        fresh.truncate(at);
        skew
    });
    // A relayed edit stamped too far ahead is not stored either (the site
    // hub sends it again once the clocks agree).
    let skew = match first_skew(&relayed, now_ms) {
        Some((at, s)) => {
            relayed.truncate(at);
            skew.or(Some(s))
        }
        None => skew,
    };
    let quarantined = hub.holding(station).await?;
    let refused = fresh
        .iter()
        .position(|e| own_check(station, &e.record).is_err());
    let split = if quarantined {
        0
    } else {
        refused.unwrap_or(fresh.len())
    };
    let mut aside = fresh.split_off(split);
    let mut accepted = fresh;
    let mut refusals: Vec<policy::Refusal> = aside
        .iter()
        .filter_map(|e| own_check(station, &e.record).err())
        .collect();
    // Relayed entries: each against its own origin's role; an origin that
    // overstepped (now or before) has the rest of its entries held too.
    let mut blocked: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for e in relayed {
        let origin_role = relays
            .get(&e.origin)
            .copied()
            .unwrap_or(crate::staff::Role::Gate);
        let checked = policy::check(origin_role, &e.origin, &e.record);
        let held_before = !blocked.contains(&e.origin) && hub.holding(&e.origin).await?;
        if held_before {
            blocked.insert(e.origin.clone());
        }
        match checked {
            Err(r) => {
                refusals.push(r);
                blocked.insert(e.origin.clone());
                aside.push(e);
            }
            Ok(()) if quarantined || blocked.contains(&e.origin) => aside.push(e),
            Ok(()) => accepted.push(e),
        }
    }
    // A station that oversteps moves no clock: only a trusted one's does.
    if aside.is_empty() {
        let mut clock = hub.clock().await?;
        if observe_edits(&mut clock, &accepted, now_ms) {
            hub.set_clock(&clock).await?;
        }
    }
    hub.apply(&accepted).await?;
    let violation = if aside.is_empty() {
        None
    } else {
        let mut kinds: Vec<&'static str> = refusals.iter().map(|r| r.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let why = match refusals.first() {
            Some(r) => r.why.clone(),
            None => format!("station {station} is quarantined: its entries wait for the organiser"),
        };
        let held = hub.hold(&aside, &why, now_ms).await?;
        Some(Violation {
            kinds,
            why,
            held,
            new: !quarantined,
        })
    };
    // A gate is sent only the accounts that sign in there (`policy::for_recipient`).
    let entries: Vec<Entry> = hub
        .entries_after(&req.have, BATCH)
        .await?
        .into_iter()
        .map(|e| match policy::for_recipient(role, &e.record) {
            std::borrow::Cow::Borrowed(_) => e,
            std::borrow::Cow::Owned(record) => Entry { record, ..e },
        })
        .collect();
    // A replica may send fewer than BATCH (a size cap): say whether more
    // lies beyond what this answer carries.
    let mut sent = req.have.clone();
    for e in &entries {
        let mark = sent.0.entry(e.origin.clone()).or_insert(0);
        *mark = (*mark).max(e.seq);
    }
    let more = entries.len() == BATCH || !hub.entries_after(&sent, 1).await?.is_empty();
    let roles = entries
        .iter()
        .filter_map(|e| roster.get_key_value(&e.origin))
        .map(|(o, r)| (o.clone(), *r))
        .collect();
    Ok(Served {
        response: Response::Ok {
            have: hub.have().await?,
            more,
            entries,
            roles,
            quarantined: violation.is_some() || quarantined,
            skew,
        },
        violation,
    })
}

/// What a station knows of the hub within one run (lost on restart: the
/// first round of a run then sends nothing and learns the hub's marks).
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// What the hub is known to hold, from its last answers.
    pub hub_has: Option<VersionVector>,
    /// The role this station was paired as: what it receives is filtered
    /// for it again ([`policy::for_recipient`]). `None`: take all.
    pub role: Option<crate::staff::Role>,
}

/// What one answer brought a station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `received` new entries; `more` when another round would move more.
    Synced { received: usize, more: bool },
    /// We refused the hub's answer (an edit in it stamped too far ahead of
    /// our agreed time: nothing of it was stored), or the hub did not store
    /// our entries from such an edit on (what it sent was stored).
    Refused(ClockSkew),
}

impl Session {
    /// The station's next request: its marks and what the hub lacks.
    /// `wall_ms` is the station's own wall clock, unadjusted. Nothing is
    /// written: a request that never arrives changes nothing here.
    pub async fn request<R: Replica>(&mut self, station: &mut R, wall_ms: u64) -> Result<Request> {
        self.request_relaying(station, &std::collections::BTreeSet::new(), wall_ms)
            .await
    }

    /// [`Session::request`] for a site hub syncing with the central hub:
    /// it also sends what the central hub lacks of the origins in `relayed`
    /// (the stations paired at this site), with their own origins and
    /// sequences, never anything the central hub sent down.
    pub async fn request_relaying<R: Replica>(
        &mut self,
        station: &mut R,
        relayed: &std::collections::BTreeSet<String>,
        wall_ms: u64,
    ) -> Result<Request> {
        // Only this station's own entries (and those it relays): the hub
        // takes no other origin's from it (every other mark is set past
        // the end).
        let entries = match &self.hub_has {
            Some(hub) => {
                let mut own = VersionVector(
                    station
                        .have()
                        .await?
                        .0
                        .into_keys()
                        .map(|origin| (origin, u64::MAX))
                        .collect(),
                );
                own.0
                    .insert(station.station().to_string(), hub.get(station.station()));
                for origin in relayed {
                    if origin != station.station() {
                        own.0.insert(origin.clone(), hub.get(origin));
                    }
                }
                station.entries_after(&own, BATCH).await?
            }
            None => Vec::new(),
        };
        Ok(Request {
            station: station.station().to_string(),
            wall_ms,
            have: station.have().await?,
            entries,
            declared: Roster::new(),
        })
    }

    /// Takes the hub's answer in. Answers may come late, twice or out of
    /// order: entries merge by union and the hub's marks only grow.
    /// `now_ms` is the station's agreed time (`super::time`): an edit
    /// stamped too far ahead of it refuses the whole answer, and a refused
    /// answer changes nothing here.
    pub async fn receive<R: Replica>(
        &mut self,
        station: &mut R,
        resp: &Response,
        now_ms: u64,
    ) -> Result<Outcome> {
        let Response::Ok {
            have,
            entries,
            more,
            roles,
            skew: hub_refused,
            ..
        } = resp;
        if let Some((_, skew)) = first_skew(entries, now_ms) {
            return Ok(Outcome::Refused(skew));
        }
        // Checked again here, with the roles the hub assigned: a hub that
        // let a forbidden record through does not get it applied. Our own
        // entries never come back from outside.
        let own = station.station().to_string();
        let verdicts: Vec<std::result::Result<(), policy::Refusal>> = entries
            .iter()
            .map(|e| {
                if e.origin == own {
                    Ok(())
                } else {
                    policy::check_in(roles, &e.origin, &e.record)
                }
            })
            .collect();
        // The usual answer: every entry someone else's and allowed, applied
        // as it came (no copy of it).
        // A station told its role filters what it keeps (a gate keeps no
        // PIN hash of an account that may not sign in there), so it copies.
        let whole = self.role.is_none()
            && entries.iter().all(|e| e.origin != own)
            && verdicts.iter().all(|v| v.is_ok());
        let picked: Vec<Entry>;
        let accepted: &[Entry] = if whole {
            entries
        } else {
            let mut kept = Vec::with_capacity(entries.len());
            for (e, verdict) in entries.iter().zip(verdicts) {
                if e.origin == own {
                    continue;
                }
                match verdict {
                    Ok(()) => kept.push(match self.role {
                        Some(role) => Entry {
                            record: policy::for_recipient(role, &e.record).into_owned(),
                            ..e.clone()
                        },
                        None => e.clone(),
                    }),
                    Err(r) => {
                        tracing::warn!("sync: entry {}#{} held aside: {}", e.origin, e.seq, r.why);
                        station
                            .hold(std::slice::from_ref(e), &r.why, now_ms)
                            .await?;
                    }
                }
            }
            picked = kept;
            &picked
        };
        let mut mine = station.clock().await?;
        if observe_edits(&mut mine, accepted, now_ms) {
            station.set_clock(&mine).await?;
        }
        let received = station.apply(accepted).await?;
        let hub_has = self.hub_has.get_or_insert_with(VersionVector::default);
        hub_has.join(have);
        if let Some(skew) = hub_refused {
            return Ok(Outcome::Refused(skew.clone()));
        }
        let ours = station.have().await?;
        Ok(Outcome::Synced {
            received,
            more: *more || hub_has.behind(&ours) > 0,
        })
    }
}

/// The attendee fields as the merged log sets them, by the stations' own
/// rule ([`super::merge::apply_edit`]): per field, the value of the edit with
/// the highest clock.
pub fn attendee_fields<'a>(
    entries: impl IntoIterator<Item = &'a SyncRecord>,
) -> BTreeMap<String, BTreeMap<String, (Hlc, Option<String>)>> {
    let mut out: BTreeMap<String, super::merge::Fields> = BTreeMap::new();
    for r in entries {
        let SyncRecord::AttendeeEdit {
            attendee,
            hlc,
            fields,
        } = r
        else {
            continue;
        };
        super::merge::apply_edit(out.entry(attendee.clone()).or_default(), hlc, fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::hlc::MAX_DRIFT_MS;
    use super::super::memory::MemReplica;
    use super::*;

    fn revoke(serial: &str) -> SyncRecord {
        SyncRecord::Revocation {
            id: format!("r-{serial}"),
            serial: serial.into(),
            reason: "lost".into(),
            revoked_at: "2025-11-11T09:00:00Z".into(),
            revoked_by: "chief".into(),
        }
    }

    fn roster() -> Roster {
        [
            ("hub".to_string(), crate::staff::Role::Admin),
            ("a".to_string(), crate::staff::Role::Admin),
        ]
        .into()
    }

    async fn round(
        s: &mut Session,
        st: &mut MemReplica,
        hub: &mut MemReplica,
        now: u64,
    ) -> Result<Outcome> {
        let req = s.request(st, now).await?;
        let resp = serve(hub, &roster(), st.station(), &req, now)
            .await?
            .response;
        s.receive(st, &resp, now).await
    }

    #[tokio::test]
    async fn entries_travel_both_ways_and_are_acknowledged() -> Result<()> {
        let mut hub = MemReplica::new("hub");
        let mut a = MemReplica::new("a");
        hub.record(revoke("BMX-000001"));
        a.record(revoke("BMX-000002"));
        let mut s = Session::default();
        let first = round(&mut s, &mut a, &mut hub, 1_000).await?;
        assert_eq!(
            first,
            Outcome::Synced {
                received: 1,
                more: true
            }
        );
        let second = round(&mut s, &mut a, &mut hub, 1_001).await?;
        assert_eq!(
            second,
            Outcome::Synced {
                received: 0,
                more: false
            }
        );
        assert_eq!(a.entries(), hub.entries());
        assert_eq!(hub.have().await?.get("a"), 1);
        Ok(())
    }

    #[tokio::test]
    async fn a_replayed_request_changes_nothing() -> Result<()> {
        let mut hub = MemReplica::new("hub");
        let mut a = MemReplica::new("a");
        let mut s = Session {
            hub_has: Some(VersionVector::default()),
            role: None,
        };
        a.record(revoke("BMX-000002"));
        let req = s.request(&mut a, 5).await?;
        serve(&mut hub, &roster(), "a", &req, 5).await?;
        let before = hub.entries();
        serve(&mut hub, &roster(), "a", &req, 6).await?;
        assert_eq!(hub.entries(), before);
        assert_eq!(before.len(), 1);
        Ok(())
    }

    #[tokio::test]
    async fn an_edit_stamped_far_ahead_waits_but_the_station_still_receives() -> Result<()> {
        let mut hub = MemReplica::new("hub");
        let mut a = MemReplica::new("a");
        let mut s = Session {
            hub_has: Some(VersionVector::default()),
            role: None,
        };
        let now = 10_000_000;
        let far = now + MAX_DRIFT_MS + 60_000;
        hub.record(revoke("BMX-000001"));
        a.record(revoke("BMX-000002"));
        a.edit("att-1", &[("given_names", Some("Awa"))], far);
        a.record(revoke("BMX-000003"));
        let hub_clock = hub.clock().await?;
        let req = s.request(&mut a, far).await?;
        let resp = serve(&mut hub, &roster(), "a", &req, now).await?.response;
        let Response::Ok {
            skew: Some(skew), ..
        } = &resp
        else {
            panic!("expected the edit refused, got {resp:?}");
        };
        assert_eq!(skew.station, "a");
        // What came before the edit is stored; the edit and what follows wait.
        assert_eq!(hub.have().await?.get("a"), 1);
        assert_eq!(hub.clock().await?, hub_clock, "no clock moved on the hub");
        let a_clock = a.clock().await?;
        assert!(matches!(
            s.receive(&mut a, &resp, now).await?,
            Outcome::Refused(_)
        ));
        // The hub's revocation arrived all the same.
        assert_eq!(a.have().await?.get("hub"), 1);
        assert_eq!(a.clock().await?, a_clock);
        Ok(())
    }

    #[tokio::test]
    async fn a_wrong_wall_clock_moves_no_clock_anywhere() -> Result<()> {
        let mut hub = MemReplica::new("hub");
        let mut a = MemReplica::new("a");
        let mut s = Session::default();
        hub.edit("att-1", &[("given_names", Some("Awa"))], 1_000);
        let hub_clock = hub.clock().await?;
        // A day ahead, then a day behind: the hub takes its rounds and its
        // own clock stays where its edit put it.
        for wall in [1_000 + 86_400_000, 1] {
            let req = s.request(&mut a, wall).await?;
            let resp = serve(&mut hub, &roster(), "a", &req, 2_000).await?.response;
            s.receive(&mut a, &resp, 2_000).await?;
        }
        assert_eq!(hub.clock().await?, hub_clock);
        // The station's clock moved past the edit it took in, no further.
        let mine = a.clock().await?;
        assert!(mine.wall_ms <= 2_000, "{mine:?}");
        Ok(())
    }

    #[test]
    fn the_latest_edit_wins_per_field_whatever_the_order() {
        let h = |ms, st: &str| Hlc {
            wall_ms: ms,
            counter: 0,
            station: st.into(),
        };
        let edit = |hlc, f: &str, v: &str| SyncRecord::AttendeeEdit {
            attendee: "x".into(),
            hlc,
            fields: [(f.to_string(), Some(v.to_string()))].into(),
        };
        let a = edit(h(10, "a"), "phone", "1");
        let b = edit(h(10, "b"), "phone", "2");
        let c = edit(h(9, "c"), "email", "e");
        let one = attendee_fields([&a, &b, &c]);
        let two = attendee_fields([&c, &b, &a]);
        assert_eq!(one, two);
        assert_eq!(one["x"]["phone"].1.as_deref(), Some("2"));
        assert_eq!(one["x"]["email"].1.as_deref(), Some("e"));
    }
}
