//! A replica held in memory: the simulation's stations and hub, and the
//! benchmark's. Same contract as the SQLite one, minus the disk.

use std::collections::BTreeMap;

use super::hlc::Clock;
use super::protocol::{Entry, Replica, SyncRecord, VersionVector};
use crate::error::Result;
use crate::scan::Scan;

#[derive(Debug, Clone)]
pub struct MemReplica {
    station: String,
    clock: Clock,
    log: BTreeMap<String, BTreeMap<u64, SyncRecord>>,
    /// Entries held aside (see [`Replica::hold`]), with why.
    held: BTreeMap<String, BTreeMap<u64, (SyncRecord, String)>>,
    /// Per origin, the contiguous prefix held (kept up to date on insert).
    marks: VersionVector,
}

impl MemReplica {
    pub fn new(station: &str) -> MemReplica {
        MemReplica {
            station: station.to_string(),
            clock: Clock::default(),
            log: BTreeMap::new(),
            held: BTreeMap::new(),
            marks: VersionVector::default(),
        }
    }

    fn has(&self, origin: &str, seq: u64) -> bool {
        self.log.get(origin).is_some_and(|m| m.contains_key(&seq))
            || self.held.get(origin).is_some_and(|m| m.contains_key(&seq))
    }

    /// Moves `origin`'s mark over the entries now held, applied or aside.
    fn advance(&mut self, origin: &str) {
        let mut mark = self.marks.get(origin);
        while self.has(origin, mark + 1) {
            mark += 1;
        }
        match self.marks.0.get_mut(origin) {
            Some(m) => *m = mark,
            None => {
                self.marks.0.insert(origin.to_string(), mark);
            }
        }
    }

    fn insert(&mut self, origin: &str, seq: u64, record: SyncRecord) -> bool {
        if self.has(origin, seq) {
            return false;
        }
        match self.log.get_mut(origin) {
            Some(m) => {
                m.insert(seq, record);
            }
            None => {
                self.log
                    .entry(origin.to_string())
                    .or_default()
                    .insert(seq, record);
            }
        }
        self.advance(origin);
        true
    }

    /// The entries held aside, with why.
    pub fn held(&self) -> Vec<(Entry, String)> {
        self.held
            .iter()
            .flat_map(|(origin, m)| {
                m.iter().map(|(&seq, (record, why))| {
                    (
                        Entry {
                            origin: origin.clone(),
                            seq,
                            record: record.clone(),
                        },
                        why.clone(),
                    )
                })
            })
            .collect()
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
            for (&seq, record) in m.range(peer.get(origin).saturating_add(1)..) {
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

    async fn hold(&mut self, entries: &[Entry], why: &str, _now_ms: u64) -> Result<usize> {
        let mut fresh = 0;
        for e in entries {
            if self.has(&e.origin, e.seq) {
                continue;
            }
            self.held
                .entry(e.origin.clone())
                .or_default()
                .insert(e.seq, (e.record.clone(), why.to_string()));
            self.advance(&e.origin);
            fresh += 1;
        }
        Ok(fresh)
    }

    async fn holding(&mut self, origin: &str) -> Result<bool> {
        Ok(self.held.get(origin).is_some_and(|m| !m.is_empty()))
    }
}
