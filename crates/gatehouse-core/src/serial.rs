//! Badge numbers: the event's prefix, a dash and six digits (`BMX-000042`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct BadgeSerial(String);

impl BadgeSerial {
    /// The largest number a badge can bear (six digits).
    pub const MAX_NUMBER: u32 = 999_999;

    /// The `n`th badge number of an event whose prefix is `prefix`.
    pub fn new(prefix: &str, n: u32) -> Result<BadgeSerial> {
        if n == 0 || n > Self::MAX_NUMBER {
            return Err(crate::messages::Msg::BadgeNumberRange { n: u64::from(n) }.into());
        }
        BadgeSerial::try_from(format!("{prefix}-{n:06}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number after the dash.
    pub fn number(&self) -> u32 {
        self.0
            .rsplit_once('-')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(0)
    }
}

impl TryFrom<String> for BadgeSerial {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        let s = s.trim().to_ascii_uppercase();
        let valid = match s.split_once('-') {
            Some((prefix, digits)) => {
                (1..=8).contains(&prefix.len())
                    && prefix.bytes().all(|b| b.is_ascii_uppercase())
                    && digits.len() == 6
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && digits != "000000"
            }
            None => false,
        };
        if valid {
            Ok(BadgeSerial(s))
        } else {
            Err(crate::messages::Msg::BadgeNumberFormat { value: s }.into())
        }
    }
}

impl std::str::FromStr for BadgeSerial {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        BadgeSerial::try_from(s.to_string())
    }
}

impl From<BadgeSerial> for String {
    fn from(s: BadgeSerial) -> String {
        s.0
    }
}

impl std::fmt::Display for BadgeSerial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Badge numbers from here up are desks' own walk-in blocks; the hub's own
/// (imports, its console) stay below.
pub const DESK_BLOCKS_FROM: u32 = 900_000;
/// Each pairing of a desk or admin station gets this many numbers of its
/// own, so two desks never hand out the same badge number, even while cut
/// off from each other.
pub const DESK_BLOCK: u32 = 2_000;

/// The first number of the `k`-th block (k from 1), if it fits in six digits.
pub fn serial_block(k: u32) -> Option<u32> {
    let start = DESK_BLOCKS_FROM.checked_add(k.checked_sub(1)?.checked_mul(DESK_BLOCK)?)? + 1;
    (start.checked_add(DESK_BLOCK - 1)? <= 999_999).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_prefix_dash_six_digits() -> Result<()> {
        assert_eq!(BadgeSerial::new("BMX", 42)?.as_str(), "BMX-000042");
        assert_eq!("bmx-000042".parse::<BadgeSerial>()?.number(), 42);
        assert!("BMX-42".parse::<BadgeSerial>().is_err());
        assert!("BMX-000000".parse::<BadgeSerial>().is_err());
        assert!("BMX000042".parse::<BadgeSerial>().is_err());
        assert!(BadgeSerial::new("BMX", 1_000_000).is_err());
        Ok(())
    }
}
