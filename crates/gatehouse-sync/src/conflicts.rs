//! Conflicts that sync reveals, found by a pure function over the merged
//! scan log: while partitioned each gate decided alone, so two gates may
//! both have admitted the same badge into a zone. Such admissions are
//! flagged for the security chief, never deleted: the scan log stays as it
//! was decided and shown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::scan::Scan;

/// A badge admitted into a zone by one station while another station had
/// already admitted it there and no exit lay between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Conflict {
    /// Always `double_admission` for now.
    pub kind: String,
    pub serial: String,
    pub zone: String,
    /// The scan ids involved: the earlier admission, then the later one.
    pub scans: Vec<String>,
    /// The stations that recorded them, in the same order.
    pub stations: Vec<String>,
    /// When the later admission happened.
    pub at: String,
}

/// Every double admission in `scans` (any order, from every station),
/// sorted by badge, zone and time.
pub fn double_admissions(scans: &[Scan]) -> Vec<Conflict> {
    let mut by_badge: BTreeMap<(&str, &str), Vec<&Scan>> = BTreeMap::new();
    for s in scans.iter().filter(|s| s.decision != "deny") {
        if let Some(serial) = &s.serial {
            by_badge.entry((serial, &s.zone)).or_default().push(s);
        }
    }
    let mut out = Vec::new();
    for ((serial, zone), mut list) in by_badge {
        list.sort_by(|a, b| (&a.at, &a.station, a.seq).cmp(&(&b.at, &b.station, b.seq)));
        let mut inside: Option<&Scan> = None;
        for s in list {
            if s.direction == "out" {
                inside = None;
                continue;
            }
            // A gate that knew the badge was inside warns (re-entry) or
            // denies; an outright admission means it did not know.
            if let Some(prev) = inside.filter(|p| s.decision == "admit" && p.station != s.station) {
                out.push(Conflict {
                    kind: "double_admission".into(),
                    serial: serial.to_string(),
                    zone: zone.to_string(),
                    scans: vec![prev.id.clone(), s.id.clone()],
                    stations: vec![prev.station.clone(), s.station.clone()],
                    at: s.at.clone(),
                });
            }
            inside = Some(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(id: &str, station: &str, dir: &str, decision: &str, at: &str) -> Scan {
        Scan {
            id: id.into(),
            station: station.into(),
            seq: 1,
            serial: Some("BMX-000007".into()),
            version: Some(1),
            zone: "HALL".into(),
            direction: dir.into(),
            decision: decision.into(),
            reason: "ok".into(),
            at: at.into(),
            operator: "gate".into(),
        }
    }

    #[test]
    fn two_gates_admitting_the_same_badge_are_flagged_in_any_order() {
        let a = scan("a", "g1", "in", "admit", "2025-11-11T09:00:00.000000Z");
        let b = scan("b", "g2", "in", "admit", "2025-11-11T09:05:00.000000Z");
        let one = double_admissions(&[a.clone(), b.clone()]);
        let two = double_admissions(&[b, a]);
        assert_eq!(one, two);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].scans, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(one[0].serial, "BMX-000007");
    }

    #[test]
    fn an_exit_between_or_a_warned_reentry_is_no_conflict() {
        let scans = [
            scan("a", "g1", "in", "admit", "2025-11-11T09:00:00.000000Z"),
            scan("b", "g1", "out", "admit", "2025-11-11T09:01:00.000000Z"),
            scan("c", "g2", "in", "admit", "2025-11-11T09:02:00.000000Z"),
            scan("d", "g1", "in", "warn", "2025-11-11T09:03:00.000000Z"),
            scan("e", "g1", "in", "deny", "2025-11-11T09:04:00.000000Z"),
        ];
        assert_eq!(double_admissions(&scans), vec![]);
    }
}
