//! Staff accounts and roles. PINs are kept only as Argon2id hashes, at the
//! cost [`ARGON2_PARAMS`] argues for; a PIN's length follows its role
//! ([`Pin::for_role`]).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

pub use crate::role::{PinToChange, Role};

/// The longest PIN.
pub const MAX_PIN_DIGITS: u32 = 12;

/// Argon2id at 64 MiB, 3 passes, one lane: about 0.1 s for one check on
/// the machines Gatehouse runs on (figures in `docs/SECURITY.md`). Sign-in
/// names the account first, so each try costs one check; four run at once
/// at most (`pin_throttle`), 256 MiB in all. Offline, a stolen database
/// costs its thief that much per guess per core.
pub const ARGON2_PARAMS: (u32, u32, u32) = (64 * 1024, 3, 1);

fn argon2() -> Result<Argon2<'static>> {
    let (m, t, p) = ARGON2_PARAMS;
    let params = Params::new(m, t, p, None)
        .map_err(|e| Error::Internal(format!("Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PIN as staff type it: digits only, 4 to 12 of them (four-digit PINs
/// still sign in: the demo's, and those set before the policy by role).
pub struct Pin(String);

impl Pin {
    pub fn parse(s: &str) -> Result<Pin> {
        if (4..=MAX_PIN_DIGITS as usize).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(Pin(s.to_owned()))
        } else {
            Err(crate::messages::Msg::PinFormat {}.into())
        }
    }

    /// A new PIN for an account of `role`: refused outside the role's
    /// length ([`Role::min_pin_digits`] to [`MAX_PIN_DIGITS`]), with the
    /// rule in French and English (`pin` field). The published demo PINs
    /// (four digits) are all below it.
    pub fn for_role(s: &str, role: Role) -> Result<Pin> {
        use crate::registry::problem::{FieldError, FieldProblem};
        let min = role.min_pin_digits();
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        if digits && (min as usize..=MAX_PIN_DIGITS as usize).contains(&s.len()) {
            return Ok(Pin(s.to_owned()));
        }
        let problem = FieldProblem::PinPolicy {
            role,
            min,
            max: MAX_PIN_DIGITS,
        };
        Err(Error::Fields(vec![FieldError::new("pin", problem)]))
    }

    pub fn digits(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// Hashes at the current cost ([`ARGON2_PARAMS`]).
    pub fn hash(&self) -> Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("cannot hash PIN: {e}")))
    }

    /// Hashes at the argon2 crate's default cost (19 MiB, 2 passes): for
    /// the published demo PINs only, which no cost protects.
    pub fn hash_cheap(&self) -> Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("cannot hash PIN: {e}")))
    }

    /// Whether `stored` is this PIN's hash, whatever cost it was made at
    /// (a PHC string carries its parameters).
    pub fn matches(&self, stored: &str) -> bool {
        PasswordHash::new(stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(self.0.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    }
}

/// Whether `stored` was hashed below the current cost (the next successful
/// sign-in on a standalone station hashes the PIN again).
pub fn hashed_below_cost(stored: &str) -> bool {
    let (m, t, p) = ARGON2_PARAMS;
    let Ok(h) = PasswordHash::new(stored) else {
        return false;
    };
    let Ok(params) = Params::try_from(&h) else {
        return false;
    };
    h.algorithm.as_str() != "argon2id"
        || params.m_cost() < m
        || params.t_cost() < t
        || params.p_cost() < p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_hash_and_verify() -> Result<()> {
        let pin = Pin::parse("2222")?;
        let stored = pin.hash()?;
        assert!(!stored.contains("2222"));
        assert!(
            stored.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
            "{stored}"
        );
        assert!(pin.matches(&stored));
        assert!(!hashed_below_cost(&stored));
        assert!(!Pin::parse("2223")?.matches(&stored));
        assert!(Pin::parse("12a4").is_err());
        assert!(Pin::parse("123").is_err());
        Ok(())
    }

    #[test]
    fn hashes_made_at_the_old_cost_still_verify() -> Result<()> {
        let pin = Pin::parse("48213907")?;
        let old = pin.hash_cheap()?;
        assert!(old.contains("m=19456,t=2,p=1"), "{old}");
        assert!(pin.matches(&old));
        assert!(hashed_below_cost(&old));
        Ok(())
    }

    #[test]
    fn a_new_pin_follows_its_role() {
        use crate::registry::problem::FieldProblem;
        let refused = |pin: &str, role: Role| match Pin::for_role(pin, role) {
            Err(Error::Fields(f)) => Some(f[0].problem.clone()),
            _ => None,
        };
        assert!(Pin::for_role("482139", Role::Gate).is_ok());
        assert!(Pin::for_role("482139", Role::Desk).is_ok());
        assert!(matches!(
            refused("482139", Role::Supervisor),
            Some(FieldProblem::PinPolicy { min: 8, .. })
        ));
        assert!(matches!(
            refused("4821390", Role::Admin),
            Some(FieldProblem::PinPolicy { min: 8, .. })
        ));
        assert!(Pin::for_role("48213907", Role::Admin).is_ok());
        assert!(matches!(
            refused("48213", Role::Gate),
            Some(FieldProblem::PinPolicy { min: 6, .. })
        ));
        assert!(refused("4821390a", Role::Admin).is_some());
        assert!(refused("4821390123456", Role::Admin).is_some());
        assert!(refused("2222", Role::Gate).is_some());
    }

    /// The figures in `docs/SECURITY.md`: one hash per parameter set on
    /// this machine (`cargo test --lib argon2_costs -- --ignored --nocapture`).
    #[test]
    #[ignore = "a measurement, not a check"]
    #[allow(clippy::disallowed_methods)] // it times the hash
    fn argon2_costs() -> Result<()> {
        for (m, t) in [
            (19 * 1024, 2),
            (46 * 1024, 1),
            (64 * 1024, 3),
            (128 * 1024, 3),
            (256 * 1024, 2),
        ] {
            let a = Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(m, t, 1, None).map_err(|e| Error::Internal(e.to_string()))?,
            );
            let mut times = Vec::new();
            for _ in 0..5 {
                let salt = SaltString::generate(&mut OsRng);
                let start = std::time::Instant::now();
                a.hash_password(b"48213907", &salt)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "m={} MiB t={t} p=1: median {:.0} ms (min {:.0}, max {:.0})",
                m / 1024,
                times[2],
                times[0],
                times[4]
            );
        }
        Ok(())
    }
}
