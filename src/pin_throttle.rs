//! Wrong PINs slow down. A PIN is 4 to 12 digits and sign-in is by PIN
//! alone, so without a brake anyone on the venue LAN (or at an unattended
//! desk) could walk the 10,000 four-digit PINs in minutes. After
//! [`FREE_TRIES`] wrong PINs in a row from one source (a client address, or
//! the desktop window), that source waits 30 s, doubling with each further
//! wrong PIN up to 15 min; a right PIN clears its count. A fumbling officer
//! loses half a minute; walking the PIN space takes weeks. Other sources are
//! not held up, so one attacker cannot lock the staff out of every station.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};

/// Wrong PINs allowed in a row before the first wait.
pub const FREE_TRIES: u32 = 5;
const FIRST_WAIT_S: i64 = 30;
const LONGEST_WAIT_S: i64 = 15 * 60;

/// The wait imposed after `wrong` wrong PINs in a row (pure policy).
pub fn wait_after(wrong: u32) -> Option<SignedDuration> {
    let beyond = wrong.checked_sub(FREE_TRIES)?;
    let factor = 1_i64.checked_shl(beyond.min(20)).unwrap_or(i64::MAX);
    Some(SignedDuration::from_secs(
        FIRST_WAIT_S.saturating_mul(factor).min(LONGEST_WAIT_S),
    ))
}

/// PIN checks one source may have running at once. Each check hashes the
/// PIN once per active staff account (Argon2, 19 MiB each), so a burst
/// from one source must not take every core.
pub const IN_FLIGHT_PER_SOURCE: u32 = 2;

/// PIN checks all sources together may have running at once
/// ([`crate::api::Api`] holds the semaphore); further ones wait their turn.
pub const IN_FLIGHT_TOTAL: usize = 4;

#[derive(Debug, Default, Clone, Copy)]
struct Strikes {
    /// Wrong PINs in a row, settled.
    wrong: u32,
    /// Tries reserved and not settled yet.
    pending: u32,
    until: Option<Timestamp>,
}

/// Wrong-PIN counts per source, in memory: a restart forgives, which costs
/// an attacker a restart of the station they cannot reach.
///
/// A try is reserved ([`PinThrottle::reserve`]) before its PIN is hashed and
/// counts as wrong unless it is settled otherwise, so concurrent tries
/// cannot all slip through before the first wrong one is counted: while
/// `wrong + pending` would pass [`FREE_TRIES`], a further try waits.
#[derive(Debug, Default)]
pub struct PinThrottle {
    sources: Mutex<HashMap<String, Strikes>>,
}

/// How a reserved try ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A right PIN: the source's count is cleared.
    Right,
    /// A wrong PIN: counted, with the wait it earns.
    Wrong,
    /// The PIN was never compared (the request was refused before, or the
    /// store failed): not counted.
    Unchecked,
}

/// A reserved try. Dropped without [`Attempt::settle`] (its request was
/// abandoned mid-check) it counts as a wrong PIN.
#[must_use = "settle the attempt with what the PIN check found"]
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a PinThrottle,
    source: String,
    now: Timestamp,
    settled: bool,
}

impl Attempt<'_> {
    pub fn settle(mut self, outcome: Outcome) {
        self.settled = true;
        self.throttle.settle(&self.source, outcome, self.now);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.throttle.settle(&self.source, Outcome::Wrong, self.now);
        }
    }
}

impl PinThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Strikes>> {
        self.sources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reserves a try from `source`, or refuses it while the source must
    /// wait (saying how long), or while the tries it already has running
    /// could use up its free ones (a second's wait).
    pub fn reserve(&self, source: &str, now: Timestamp) -> Result<Attempt<'_>> {
        let mut sources = self.lock();
        let s = sources.entry(source.to_string()).or_default();
        if let Some(until) = s.until.filter(|&until| until > now) {
            let left = now.duration_until(until).as_secs().max(1);
            return Err(Error::TooManyAttempts {
                wait_s: u64::try_from(left).unwrap_or(1),
            });
        }
        // Past the free tries, one try at a time (each one doubles the wait).
        let room = FREE_TRIES
            .saturating_sub(s.wrong)
            .clamp(1, IN_FLIGHT_PER_SOURCE);
        if s.pending >= room {
            return Err(Error::TooManyAttempts { wait_s: 1 });
        }
        s.pending += 1;
        Ok(Attempt {
            throttle: self,
            source: source.to_string(),
            now,
            settled: false,
        })
    }

    fn settle(&self, source: &str, outcome: Outcome, now: Timestamp) {
        let mut sources = self.lock();
        let Some(s) = sources.get_mut(source) else {
            return;
        };
        s.pending = s.pending.saturating_sub(1);
        match outcome {
            Outcome::Right => {
                s.wrong = 0;
                s.until = None;
            }
            Outcome::Wrong => {
                s.wrong = s.wrong.saturating_add(1);
                s.until = wait_after(s.wrong).map(|w| now + w);
            }
            Outcome::Unchecked => {}
        }
        if s.wrong == 0 && s.pending == 0 {
            sources.remove(source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_free_tries_then_waits_that_double_up_to_a_quarter_hour() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(SignedDuration::from_secs(30)));
        assert_eq!(wait_after(6), Some(SignedDuration::from_secs(60)));
        assert_eq!(wait_after(9), Some(SignedDuration::from_secs(480)));
        assert_eq!(wait_after(10), Some(SignedDuration::from_secs(900)));
        assert_eq!(wait_after(u32::MAX), Some(SignedDuration::from_secs(900)));
    }

    fn at(s: &str) -> Result<Timestamp> {
        s.parse().map_err(|_| Error::Internal("time".into()))
    }

    fn wrong(t: &PinThrottle, source: &str, now: Timestamp) -> Result<()> {
        t.reserve(source, now)?.settle(Outcome::Wrong);
        Ok(())
    }

    #[test]
    fn a_source_waits_alone_and_a_right_pin_clears_it() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        for _ in 0..FREE_TRIES {
            wrong(&t, "10.0.0.9", now)?;
        }
        assert!(matches!(
            t.reserve("10.0.0.9", now + SignedDuration::from_secs(10)),
            Err(Error::TooManyAttempts { wait_s: 20 })
        ));
        t.reserve("window", now)?.settle(Outcome::Right);
        let later = now + SignedDuration::from_secs(31);
        wrong(&t, "10.0.0.9", later)?;
        assert!(matches!(
            t.reserve("10.0.0.9", later),
            Err(Error::TooManyAttempts { wait_s: 60 })
        ));
        let after = later + SignedDuration::from_secs(61);
        t.reserve("10.0.0.9", after)?.settle(Outcome::Right);
        for _ in 0..FREE_TRIES {
            wrong(&t, "10.0.0.9", after)?;
        }
        Ok(())
    }

    /// The race of the review: tries running together are counted before
    /// their PINs are checked, so none gets past the fifth wrong one.
    #[test]
    fn tries_running_together_cannot_pass_the_free_ones() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        let a = t.reserve("ip", now)?;
        let b = t.reserve("ip", now)?;
        assert!(matches!(
            t.reserve("ip", now),
            Err(Error::TooManyAttempts { wait_s: 1 })
        ));
        a.settle(Outcome::Wrong);
        b.settle(Outcome::Wrong);
        wrong(&t, "ip", now)?;
        wrong(&t, "ip", now)?;
        // Four wrong: one try left, so one at a time.
        let fifth = t.reserve("ip", now)?;
        assert!(matches!(
            t.reserve("ip", now),
            Err(Error::TooManyAttempts { wait_s: 1 })
        ));
        // Abandoned mid-check: counted as wrong.
        drop(fifth);
        assert!(matches!(
            t.reserve("ip", now),
            Err(Error::TooManyAttempts { wait_s: 30 })
        ));
        // A try never checked is not counted.
        let other = t.reserve("other", now)?;
        other.settle(Outcome::Unchecked);
        for _ in 0..FREE_TRIES {
            wrong(&t, "other", now)?;
        }
        Ok(())
    }
}
