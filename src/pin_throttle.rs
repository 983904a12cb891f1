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

#[derive(Debug, Default, Clone, Copy)]
struct Strikes {
    wrong: u32,
    until: Option<Timestamp>,
}

/// Wrong-PIN counts per source, in memory: a restart forgives, which costs
/// an attacker a restart of the station they cannot reach.
#[derive(Debug, Default)]
pub struct PinThrottle {
    sources: Mutex<HashMap<String, Strikes>>,
}

impl PinThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Strikes>> {
        self.sources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Refuses a try from `source` while it must wait, saying how long.
    pub fn check(&self, source: &str, now: Timestamp) -> Result<()> {
        match self.lock().get(source).and_then(|s| s.until) {
            Some(until) if until > now => {
                let left = now.duration_until(until).as_secs().max(1);
                Err(Error::TooManyAttempts {
                    wait_s: u64::try_from(left).unwrap_or(1),
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts a wrong PIN (and sets the wait it earns) or clears the count.
    pub fn record(&self, source: &str, right: bool, now: Timestamp) {
        let mut sources = self.lock();
        if right {
            sources.remove(source);
            return;
        }
        let s = sources.entry(source.to_string()).or_default();
        s.wrong = s.wrong.saturating_add(1);
        s.until = wait_after(s.wrong).map(|w| now + w);
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

    #[test]
    fn a_source_waits_alone_and_a_right_pin_clears_it() -> Result<()> {
        let t = PinThrottle::default();
        let now: Timestamp = "2025-11-11T09:00:00Z"
            .parse()
            .map_err(|_| Error::Internal("time".into()))?;
        for _ in 0..FREE_TRIES {
            t.check("10.0.0.9", now)?;
            t.record("10.0.0.9", false, now);
        }
        assert!(matches!(
            t.check("10.0.0.9", now + SignedDuration::from_secs(10)),
            Err(Error::TooManyAttempts { wait_s: 20 })
        ));
        t.check("window", now)?;
        let later = now + SignedDuration::from_secs(31);
        t.check("10.0.0.9", later)?;
        t.record("10.0.0.9", false, later);
        assert!(matches!(
            t.check("10.0.0.9", later),
            Err(Error::TooManyAttempts { wait_s: 60 })
        ));
        t.record("10.0.0.9", true, later);
        t.check("10.0.0.9", later)?;
        Ok(())
    }
}
