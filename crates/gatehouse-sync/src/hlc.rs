//! Hybrid logical clocks: the order of attendee edits across stations.
//!
//! An [`Hlc`] is (wall milliseconds, counter, station id), compared in that
//! order, so two edits never tie and every station picks the same winner.
//! The clock follows the time it is given (a station's agreed time, the
//! hub's wall clock: `super::time`) and moves past every edit it takes in,
//! so a later local edit orders after it. An edit stamped more than
//! [`MAX_DRIFT_MS`] ahead of that time is refused rather than adopted: one
//! station with a wrong date must not make its edits win for days. So no
//! clock is ever more than [`MAX_DRIFT_MS`] ahead of the hub's time, however
//! many stations pass an edit on; a clock found further ahead (set by a
//! wall clock that was wrong when the station had not read the hub's yet)
//! is brought back at its next tick. Pure: `now` is an argument, nothing
//! here reads a clock.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// How far ahead of our wall clock a remote clock may be before we refuse it.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// One instant of a hybrid logical clock, stamped by one station.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (never less than any clock observed).
    pub wall_ms: u64,
    /// Orders events within the same millisecond.
    pub counter: u32,
    /// Breaks the last ties: the station that stamped it.
    pub station: String,
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, &self.station).cmp(&(
            other.wall_ms,
            other.counter,
            &other.station,
        ))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A remote clock we refused, with both readings for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSkew {
    pub station: String,
    pub remote_ms: u64,
    pub local_ms: u64,
}

impl std::fmt::Display for ClockSkew {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "an edit stamped by station {} is {} s ahead of the time here (more than {} s): it is not taken until that station's clock is set right",
            self.station,
            (self.remote_ms.saturating_sub(self.local_ms)) / 1000,
            MAX_DRIFT_MS / 1000
        )
    }
}

/// The latest instant a station's clock has reached (persisted by the shell).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub wall_ms: u64,
    pub counter: u32,
}

impl Clock {
    /// A new stamp for a local event at `now_ms`. A clock more than
    /// [`MAX_DRIFT_MS`] ahead of `now_ms` cannot come from an edit taken in
    /// (those are checked): it was set by a wrong wall clock, and starts
    /// again from `now_ms` rather than stamp every later edit in the future.
    pub fn tick(&mut self, station: &str, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms || self.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS) {
            self.wall_ms = now_ms;
            self.counter = 0;
        } else {
            self.counter = self.counter.saturating_add(1);
        }
        Hlc {
            wall_ms: self.wall_ms,
            counter: self.counter,
            station: station.to_string(),
        }
    }

    /// Whether a remote stamp can be accepted at `now_ms`.
    pub fn check(remote: &Hlc, now_ms: u64) -> Result<(), ClockSkew> {
        if remote.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS) {
            return Err(ClockSkew {
                station: remote.station.clone(),
                remote_ms: remote.wall_ms,
                local_ms: now_ms,
            });
        }
        Ok(())
    }

    /// Moves the clock past a remote stamp so later local stamps order after
    /// it; refuses a stamp too far ahead of `now_ms`.
    pub fn observe(&mut self, remote: &Hlc, now_ms: u64) -> Result<(), ClockSkew> {
        Self::check(remote, now_ms)?;
        let wall = self.wall_ms.max(remote.wall_ms).max(now_ms);
        self.counter = match (wall == self.wall_ms, wall == remote.wall_ms) {
            (true, true) => self.counter.max(remote.counter).saturating_add(1),
            (true, false) => self.counter.saturating_add(1),
            (false, true) => remote.counter.saturating_add(1),
            (false, false) => 0,
        };
        self.wall_ms = wall;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_never_go_backwards_even_if_the_wall_clock_does() {
        let mut c = Clock::default();
        let a = c.tick("s1", 1_000);
        let b = c.tick("s1", 900);
        let d = c.tick("s1", 1_000);
        assert!(a < b && b < d, "{a:?} {b:?} {d:?}");
    }

    #[test]
    fn a_clock_set_far_ahead_by_a_wrong_date_comes_back() {
        let mut c = Clock::default();
        let wrong = c.tick("s1", 1_000 + 86_400_000);
        let next = c.tick("s1", 1_000);
        assert_eq!(next.wall_ms, 1_000, "{wrong:?} then {next:?}");
    }

    #[test]
    fn station_id_breaks_ties() {
        let mut x = Clock::default();
        let mut y = Clock::default();
        let a = x.tick("aaa", 5);
        let b = y.tick("bbb", 5);
        assert!(a < b);
    }

    #[test]
    fn observing_orders_later_local_events_after_the_remote_one() -> Result<(), ClockSkew> {
        let mut local = Clock::default();
        let remote = Hlc {
            wall_ms: 10_000,
            counter: 7,
            station: "r".into(),
        };
        local.observe(&remote, 9_000)?;
        let next = local.tick("l", 9_500);
        assert!(next > remote, "{next:?} must follow {remote:?}");
        Ok(())
    }

    #[test]
    fn a_clock_too_far_ahead_is_refused_and_not_adopted() {
        let mut local = Clock::default();
        let now = 1_000_000;
        let remote = Hlc {
            wall_ms: now + MAX_DRIFT_MS + 1,
            counter: 0,
            station: "skewed".into(),
        };
        let err = local.observe(&remote, now).expect_err("too far ahead");
        assert_eq!(err.station, "skewed");
        assert!(err.to_string().contains("skewed"));
        assert_eq!(local, Clock::default());
    }
}
