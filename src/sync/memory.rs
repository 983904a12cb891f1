//! A replica held in memory: the simulation's stations and hub, and the
//! benchmark's. Same contract as the SQLite one, minus the disk.

use std::collections::BTreeMap;

use super::hlc::Clock;
use super::protocol::{Entry, Replica, SyncRecord, VersionVector};
use crate::error::Result;
use crate::scan_log::Scan;

#[derive(Debug, Clone)]
pub struct MemReplica {
    station: String,
    clock: Clock,
    log: BTreeMap<String, BTreeMap<u64, SyncRecord>>,
    /// Per origin, the contiguous prefix held (kept up to date on insert).
    marks: VersionVector,
}

impl MemReplica {
    pub fn new(station: &str) -> MemReplica {
        MemReplica {
            station: station.to_string(),
            clock: Clock::default(),
            log: BTreeMap::new(),
            marks: VersionVector::default(),
        }
    }

    fn insert(&mut self, origin: &str, seq: u64, record: SyncRecord) -> bool {
        let entries = self.log.entry(origin.to_string()).or_default();
        if entries.contains_key(&seq) {
            return false;
        }
        entries.insert(seq, record);
        let mark = self.marks.0.entry(origin.to_string()).or_insert(0);
        while entries.contains_key(&(*mark + 1)) {
            *mark += 1;
        }
        true
    }

    /// Records a local fact under the next sequence of this station.
    pub fn record(&mut self, record: SyncRecord) -> u64 {
        let station = self.station.clone();
        let seq = self
            .log
            .get(&station)
            .and_then(|m| m.keys().next_back())
            .map_or(1, |s| s + 1);
        self.insert(&station, seq, record);
        seq
    }

    /// A local edit of an attendee's fields at `now_ms`.
    pub fn edit(&mut self, attendee: &str, fields: &[(&str, Option<&str>)], now_ms: u64) -> u64 {
        let hlc = self.clock.tick(&self.station, now_ms);
        self.record(SyncRecord::AttendeeEdit {
            attendee: attendee.to_string(),
            hlc,
            fields: fields
                .iter()
                .map(|(f, v)| (f.to_string(), v.map(str::to_string)))
                .collect(),
        })
    }

    /// Every entry held, in key order.
    pub fn entries(&self) -> Vec<Entry> {
        self.log
            .iter()
            .flat_map(|(origin, m)| {
                m.iter().map(|(&seq, record)| Entry {
                    origin: origin.clone(),
                    seq,
                    record: record.clone(),
                })
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.log.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every scan held, in no particular order.
    pub fn scans(&self) -> Vec<Scan> {
        self.log
            .values()
            .flat_map(BTreeMap::values)
            .filter_map(|r| match r {
                SyncRecord::Scan(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn records(&self) -> impl Iterator<Item = &SyncRecord> {
        self.log.values().flat_map(BTreeMap::values)
    }
}

impl Replica for MemReplica {
    fn station(&self) -> &str {
        &self.station
    }

    async fn clock(&mut self) -> Result<Clock> {
        Ok(self.clock.clone())
    }

    async fn set_clock(&mut self, clock: &Clock) -> Result<()> {
        self.clock = clock.clone();
        Ok(())
    }

    async fn have(&mut self) -> Result<VersionVector> {
        Ok(self.marks.clone())
    }

    async fn entries_after(&mut self, peer: &VersionVector, limit: usize) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        for (origin, m) in &self.log {
            for (&seq, record) in m.range(peer.get(origin) + 1..) {
                if out.len() == limit {
                    return Ok(out);
                }
                out.push(Entry {
                    origin: origin.clone(),
                    seq,
                    record: record.clone(),
                });
            }
        }
        Ok(out)
    }

    async fn apply(&mut self, entries: &[Entry]) -> Result<usize> {
        Ok(entries
            .iter()
            .filter(|e| self.insert(&e.origin, e.seq, e.record.clone()))
            .count())
    }
}
