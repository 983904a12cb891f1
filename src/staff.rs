//! Staff accounts and roles. PINs are kept only as Argon2 hashes.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Desk,
    Gate,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Desk => "desk",
            Role::Gate => "gate",
        }
    }

    /// A role as stored (`admin`, `desk`, `gate`).
    pub fn from_stored(s: &str) -> Option<Role> {
        [Role::Admin, Role::Desk, Role::Gate]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// A PIN as staff type it: 4 to 12 digits.
pub struct Pin(String);

impl Pin {
    pub fn parse(s: &str) -> Result<Pin> {
        if (4..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Pin(s.to_owned()))
        } else {
            Err(crate::messages::Msg::PinFormat {}.into())
        }
    }

    pub fn hash(&self) -> Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("cannot hash PIN: {e}")))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_hash_and_verify() -> Result<()> {
        let pin = Pin::parse("2222")?;
        let stored = pin.hash()?;
        assert!(!stored.contains("2222"));
        assert!(pin.matches(&stored));
        assert!(!Pin::parse("2223")?.matches(&stored));
        assert!(Pin::parse("12a4").is_err());
        assert!(Pin::parse("123").is_err());
        Ok(())
    }
}
