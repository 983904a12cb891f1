//! Wrong PINs slow down. A try names an account and types its PIN; it is
//! counted twice, before the PIN is compared: against the account (anyone,
//! from anywhere, guessing that account's PIN) and against the source (a
//! client address, or the desktop window: one place guessing several
//! accounts' PINs).
//!
//! - **An account**: after [`FREE_TRIES`] wrong PINs in a row, every try
//!   at it waits 30 s, doubling with each further wrong PIN up to 15 min; a
//!   right PIN for that account clears its count, and only its count.
//! - **A source**: after [`SOURCE_FREE_TRIES`] wrong PINs the same waits;
//!   a right PIN does not clear it (someone who knows one gate PIN cannot
//!   interleave it with guesses at others), time does: one wrong PIN is
//!   forgiven every [`FORGIVE_EVERY_S`] seconds.
//!
//! A fumbling officer loses half a minute; walking a six-digit PIN space
//! takes years. Other accounts and sources are not held up by a source
//! guessing, so one attacker cannot lock the whole staff out.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};

/// Wrong PINs for one account allowed in a row before the first wait.
pub const FREE_TRIES: u32 = 5;
/// Wrong PINs from one source (several officers may share a station)
/// before the first wait.
pub const SOURCE_FREE_TRIES: u32 = 10;
/// A source's wrong PINs are forgiven one per this many seconds.
pub const FORGIVE_EVERY_S: i64 = 10 * 60;
const FIRST_WAIT_S: i64 = 30;
const LONGEST_WAIT_S: i64 = 15 * 60;

/// The wait imposed after `wrong` wrong PINs when `free` are free (pure policy).
pub fn wait_after(wrong: u32, free: u32) -> Option<SignedDuration> {
    let beyond = wrong.checked_sub(free)?;
    let factor = 1_i64.checked_shl(beyond.min(20)).unwrap_or(i64::MAX);
    Some(SignedDuration::from_secs(
        FIRST_WAIT_S.saturating_mul(factor).min(LONGEST_WAIT_S),
    ))
}

/// PIN checks one source, or one account, may have running at once.
/// Each check hashes the PIN once (Argon2id, 64 MiB), so a burst must not
/// take every core.
pub const IN_FLIGHT_PER_SOURCE: u32 = 2;

/// PIN checks all sources together may have running at once
/// ([`crate::api::Api`] holds the semaphore); further ones wait their turn.
pub const IN_FLIGHT_TOTAL: usize = 4;

/// What a count is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Account,
    Source,
}

impl Kind {
    fn free(self) -> u32 {
        match self {
            Kind::Account => FREE_TRIES,
            Kind::Source => SOURCE_FREE_TRIES,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Strikes {
    /// Wrong PINs counted, settled.
    wrong: u32,
    /// Tries reserved and not settled yet.
    pending: u32,
    until: Option<Timestamp>,
    /// Since when the oldest unforgiven wrong PIN of a source runs.
    forgiving_since: Option<Timestamp>,
}

impl Strikes {
    /// A source forgives one wrong PIN per [`FORGIVE_EVERY_S`].
    fn forgive(&mut self, kind: Kind, now: Timestamp) {
        let (Kind::Source, Some(since)) = (kind, self.forgiving_since) else {
            return;
        };
        let spans = since.duration_until(now).as_secs() / FORGIVE_EVERY_S;
        if spans <= 0 {
            return;
        }
        let n = u32::try_from(spans).unwrap_or(u32::MAX);
        self.wrong = self.wrong.saturating_sub(n);
        self.forgiving_since = (self.wrong > 0)
            .then(|| since + SignedDuration::from_secs(spans.saturating_mul(FORGIVE_EVERY_S)));
    }
}

/// Wrong-PIN counts per account and per source, in memory: a restart
/// forgives, which costs an attacker a restart of the station they cannot
/// reach.
///
/// A try is reserved ([`PinThrottle::reserve`]) before its PIN is hashed and
/// counts as wrong unless it is settled otherwise, so concurrent tries
/// cannot all slip through before the first wrong one is counted: while
/// `wrong + pending` would pass the free tries of its account or its
/// source, a further try waits.
#[derive(Debug, Default)]
pub struct PinThrottle {
    counts: Mutex<HashMap<(Kind, String), Strikes>>,
}

/// How a reserved try ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A right PIN: the account's count is cleared (not the source's).
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
    keys: [(Kind, String); 2],
    now: Timestamp,
    settled: bool,
}

impl Attempt<'_> {
    pub fn settle(mut self, outcome: Outcome) {
        self.settled = true;
        self.throttle.settle(&self.keys, outcome, self.now);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.throttle.settle(&self.keys, Outcome::Wrong, self.now);
        }
    }
}

impl PinThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Kind, String), Strikes>> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reserves a try at `account` from `source`, or refuses it while
    /// either must wait (saying how long), or while the tries either
    /// already has running could use up its free ones (a second's wait).
    pub fn reserve(&self, source: &str, account: &str, now: Timestamp) -> Result<Attempt<'_>> {
        let keys = [
            (Kind::Account, account.to_string()),
            (Kind::Source, source.to_string()),
        ];
        let mut counts = self.lock();
        let mut wait_s = 0;
        for key in &keys {
            let Some(s) = counts.get_mut(key) else {
                continue;
            };
            s.forgive(key.0, now);
            if let Some(until) = s.until.filter(|&until| until > now) {
                let left = now.duration_until(until).as_secs().max(1);
                wait_s = wait_s.max(u64::try_from(left).unwrap_or(1));
                continue;
            }
            // Past the free tries, one try at a time (each one doubles the wait).
            let room = key
                .0
                .free()
                .saturating_sub(s.wrong)
                .clamp(1, IN_FLIGHT_PER_SOURCE);
            if s.pending >= room {
                wait_s = wait_s.max(1);
            }
        }
        if wait_s > 0 {
            return Err(Error::TooManyAttempts { wait_s });
        }
        for key in &keys {
            counts.entry(key.clone()).or_default().pending += 1;
        }
        Ok(Attempt {
            throttle: self,
            keys,
            now,
            settled: false,
        })
    }

    fn settle(&self, keys: &[(Kind, String)], outcome: Outcome, now: Timestamp) {
        let mut counts = self.lock();
        for key in keys {
            let Some(s) = counts.get_mut(key) else {
                continue;
            };
            s.pending = s.pending.saturating_sub(1);
            match (outcome, key.0) {
                (Outcome::Right, Kind::Account) => {
                    s.wrong = 0;
                    s.until = None;
                }
                (Outcome::Wrong, kind) => {
                    s.forgive(kind, now);
                    s.wrong = s.wrong.saturating_add(1);
                    s.until = wait_after(s.wrong, kind.free()).map(|w| now + w);
                    if kind == Kind::Source && s.forgiving_since.is_none() {
                        s.forgiving_since = Some(now);
                    }
                }
                (Outcome::Right, Kind::Source) | (Outcome::Unchecked, _) => {}
            }
            if s.wrong == 0 && s.pending == 0 {
                counts.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tries_then_waits_that_double_up_to_a_quarter_hour() {
        assert_eq!(wait_after(4, FREE_TRIES), None);
        assert_eq!(
            wait_after(5, FREE_TRIES),
            Some(SignedDuration::from_secs(30))
        );
        assert_eq!(
            wait_after(6, FREE_TRIES),
            Some(SignedDuration::from_secs(60))
        );
        assert_eq!(
            wait_after(9, FREE_TRIES),
            Some(SignedDuration::from_secs(480))
        );
        assert_eq!(
            wait_after(10, FREE_TRIES),
            Some(SignedDuration::from_secs(900))
        );
        assert_eq!(
            wait_after(u32::MAX, FREE_TRIES),
            Some(SignedDuration::from_secs(900))
        );
        assert_eq!(wait_after(9, SOURCE_FREE_TRIES), None);
        assert_eq!(
            wait_after(10, SOURCE_FREE_TRIES),
            Some(SignedDuration::from_secs(30))
        );
    }

    fn at(s: &str) -> Result<Timestamp> {
        s.parse().map_err(|_| Error::Internal("time".into()))
    }

    fn wrong(t: &PinThrottle, source: &str, account: &str, now: Timestamp) -> Result<()> {
        t.reserve(source, account, now)?.settle(Outcome::Wrong);
        Ok(())
    }

    fn secs(s: i64) -> SignedDuration {
        SignedDuration::from_secs(s)
    }

    #[test]
    fn an_account_waits_alone_and_its_right_pin_clears_it() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        for i in 0..FREE_TRIES {
            wrong(&t, &format!("10.0.0.{i}"), "admin", now)?;
        }
        // From anywhere: the account waits.
        assert!(matches!(
            t.reserve("10.0.0.99", "admin", now + secs(10)),
            Err(Error::TooManyAttempts { wait_s: 20 })
        ));
        // Another account from the same sources does not.
        t.reserve("10.0.0.1", "gate", now)?.settle(Outcome::Right);
        let later = now + secs(31);
        wrong(&t, "10.0.0.7", "admin", later)?;
        assert!(matches!(
            t.reserve("10.0.0.7", "admin", later),
            Err(Error::TooManyAttempts { wait_s: 60 })
        ));
        let after = later + secs(61);
        t.reserve("10.0.0.7", "admin", after)?
            .settle(Outcome::Right);
        for _ in 0..FREE_TRIES {
            wrong(&t, "10.0.0.8", "admin", after)?;
        }
        Ok(())
    }

    /// Knowing one PIN does not buy guesses at the others: a right PIN
    /// clears its own account's count, not the source's.
    #[test]
    fn a_right_pin_does_not_clear_the_source_nor_another_account() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        let mut guesses = 0;
        'outer: for round in 0..20 {
            // Three guesses a round, each at an account of its own.
            for k in 0..3 {
                match t.reserve("10.0.0.9", &format!("account{round}.{k}"), now) {
                    Ok(a) => {
                        a.settle(Outcome::Wrong);
                        guesses += 1;
                    }
                    Err(_) => break 'outer,
                }
            }
            // The attacker's own gate PIN, right every round.
            if let Ok(a) = t.reserve("10.0.0.9", &format!("gate{round}"), now) {
                a.settle(Outcome::Right);
            }
        }
        assert_eq!(guesses, SOURCE_FREE_TRIES);
        assert!(matches!(
            t.reserve("10.0.0.9", "gate0", now),
            Err(Error::TooManyAttempts { wait_s: 30 })
        ));
        // Another station is not held up.
        t.reserve("10.0.0.10", "gate0", now)?.settle(Outcome::Right);
        Ok(())
    }

    #[test]
    fn a_source_is_forgiven_with_time() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        for i in 0..SOURCE_FREE_TRIES - 1 {
            wrong(&t, "window", &format!("officer{i}"), now)?;
        }
        // An hour later six are forgiven: seven more before the wait.
        let later = now + secs(6 * FORGIVE_EVERY_S + 1);
        for i in 0..7 {
            wrong(&t, "window", &format!("late{i}"), later)?;
        }
        assert!(matches!(
            t.reserve("window", "late9", later),
            Err(Error::TooManyAttempts { .. })
        ));
        Ok(())
    }

    /// The race of the review: tries running together are counted before
    /// their PINs are checked, so none gets past the fifth wrong one.
    #[test]
    fn tries_running_together_cannot_pass_the_free_ones() -> Result<()> {
        let t = PinThrottle::default();
        let now = at("2025-11-11T09:00:00Z")?;
        let a = t.reserve("ip", "admin", now)?;
        let b = t.reserve("ip2", "admin", now)?;
        assert!(matches!(
            t.reserve("ip3", "admin", now),
            Err(Error::TooManyAttempts { wait_s: 1 })
        ));
        a.settle(Outcome::Wrong);
        b.settle(Outcome::Wrong);
        wrong(&t, "ip", "admin", now)?;
        wrong(&t, "ip", "admin", now)?;
        // Four wrong: one try left, so one at a time.
        let fifth = t.reserve("ip", "admin", now)?;
        assert!(matches!(
            t.reserve("ip4", "admin", now),
            Err(Error::TooManyAttempts { wait_s: 1 })
        ));
        // Abandoned mid-check: counted as wrong.
        drop(fifth);
        assert!(matches!(
            t.reserve("ip5", "admin", now),
            Err(Error::TooManyAttempts { wait_s: 30 })
        ));
        // A try never checked is not counted.
        let other = t.reserve("other", "desk", now)?;
        other.settle(Outcome::Unchecked);
        for _ in 0..FREE_TRIES {
            wrong(&t, "other", "desk", now)?;
        }
        Ok(())
    }
}
