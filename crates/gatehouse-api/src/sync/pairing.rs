//! Pairing by the short code alone (`5S65-W8TP-YWHJ`), with the hub's
//! certificate still pinned. Pure functions and wire types; the hub
//! (`hub.rs`) and the station (`client.rs`) do the I/O. The design and why
//! it holds against a man in the middle, a replay and offline guessing are in
//! `docs/SYNC.md` ("Pairing").
//!
//! Both sides derive a key from the code, `K = Argon2id(code)` (the hub keeps
//! only `K`, made when the code is). Then, over TLS:
//! 1. the station sends a fresh nonce `n_s` on a connection that accepts any
//!    certificate and notes its fingerprint `F_seen`;
//! 2. the hub answers a fresh nonce `n_h`, its own fingerprint `F_hub` and,
//!    for each open code, `HMAC(K, "hub" | F_hub | n_s | n_h)`;
//! 3. the station finds its code among the proofs (none: the code is unknown
//!    or expired) and requires `F_hub = F_seen` (else a hub proved the code
//!    over another certificate than this connection's: interception);
//! 4. on a connection pinned to `F_seen`, it sends
//!    `HMAC(K, "station" | F_seen | n_s | n_h)`; the hub checks it against
//!    its own fingerprint and the challenge it made (once), spends the code
//!    and answers the credential. The station keeps `F_seen` as its pin.

use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// The secret part of a pairing code as people type it: before an optional
/// `.` and the certificate fingerprint (the long form), letters and digits
/// only, upper-case. Dashes, spaces and case do not matter; Crockford's
/// look-alikes (`O`→`0`, `I`/`L`→`1`) are read as the digits they stand for.
pub fn normalise(code: &str) -> String {
    let secret = code.split_once('.').map_or(code, |(s, _)| s);
    secret
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The certificate fingerprint a long code carries after its `.`, if any.
pub fn pinned_fingerprint(code: &str) -> Result<Option<String>> {
    match code.split_once('.') {
        Some((_, f)) => super::tls::parse_fingerprint(f).map(Some),
        None => Ok(None),
    }
}

/// Argon2id's cost for the code's key: 19 MiB and two passes (OWASP's
/// minimum for passwords), about 20–40 ms here. Each guess an attacker
/// checks offline against a proof costs as much.
fn argon2() -> Result<argon2::Argon2<'static>> {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32))
        .map_err(|e| Error::Internal(format!("pairing key parameters: {e}")))?;
    Ok(argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    ))
}

/// The key both sides derive from a code (its [`normalise`]d form).
pub fn code_key(code: &str) -> Result<Vec<u8>> {
    let mut key = vec![0u8; 32];
    argon2()?
        .hash_password_into(
            normalise(code).as_bytes(),
            b"gatehouse pairing code v1",
            &mut key,
        )
        .map_err(|e| Error::Internal(format!("pairing key: {e}")))?;
    Ok(key)
}

/// 32 random bytes, hex.
pub fn nonce() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Who proves: the two proofs differ, so one is never taken for the other.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    Hub,
    Station,
}

/// `HMAC-SHA256(key, side | fingerprint | station nonce | hub nonce)`, hex.
pub fn proof(
    key: &[u8],
    side: Side,
    fingerprint: &str,
    station_nonce: &str,
    hub_nonce: &str,
) -> Result<String> {
    let mut mac = HmacSha256::new_from_slice(key)
        .map_err(|e| Error::Internal(format!("pairing proof: {e}")))?;
    let label: &[u8] = match side {
        Side::Hub => b"gatehouse join v1 hub",
        Side::Station => b"gatehouse join v1 station",
    };
    for part in [
        label,
        fingerprint.as_bytes(),
        station_nonce.as_bytes(),
        hub_nonce.as_bytes(),
    ] {
        // Each part with its length: no two inputs read alike.
        mac.update(&u64::try_from(part.len()).unwrap_or(0).to_be_bytes());
        mac.update(part);
    }
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Whether `claimed` is `expected`, compared in constant time.
pub fn same(claimed: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    claimed.len() == expected.len() && bool::from(claimed.as_bytes().ct_eq(expected.as_bytes()))
}

/// `POST /sync/v1/join/hello`: the station's nonce.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hello {
    pub nonce: String,
}

/// The hub's answer: its nonce and fingerprint, and a proof per open code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub hub_nonce: String,
    pub fingerprint: String,
    pub proofs: Vec<String>,
}

/// Checks a nonce as a side sends it: 64 hex digits.
pub fn check_nonce(nonce: &str) -> Result<()> {
    if nonce.len() == 64 && nonce.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(crate::messages::Msg::NonceFormat {}.into())
    }
}

/// What the station concludes from the hub's [`Challenge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The hub proved the code over the certificate this connection shows.
    Proven,
    /// No proof is of this code: unknown to this hub, used, cancelled or
    /// expired (or whoever answered does not know it).
    UnknownCode,
    /// A hub proved the code over another certificate than the one shown
    /// here: someone stands between the station and the hub.
    OtherCertificate,
}

/// Step 3: the station's check of the hub's answer, against the
/// fingerprint of the certificate its own connection was shown.
pub fn judge(
    key: &[u8],
    station_nonce: &str,
    seen: &str,
    challenge: &Challenge,
) -> Result<Verdict> {
    let expected = proof(
        key,
        Side::Hub,
        &challenge.fingerprint,
        station_nonce,
        &challenge.hub_nonce,
    )?;
    if !challenge.proofs.iter().any(|p| same(p, &expected)) {
        return Ok(Verdict::UnknownCode);
    }
    if same(&challenge.fingerprint, seen) {
        Ok(Verdict::Proven)
    } else {
        Ok(Verdict::OtherCertificate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "aa00000000000000000000000000000000000000000000000000000000000000";
    const F2: &str = "bb00000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalise("5s65-w8tp-ywhj"), "5S65W8TPYWHJ");
        assert_eq!(normalise(" 5S65 W8TP YWHJ "), "5S65W8TPYWHJ");
        assert_eq!(normalise("5S65-W8TP-YWHJ.abcdef"), "5S65W8TPYWHJ");
        assert_eq!(normalise("O1LI"), "0111");
    }

    #[test]
    fn the_hub_proves_the_code_over_its_own_certificate_only() -> Result<()> {
        let key = code_key("5S65-W8TP-YWHJ")?;
        let (n_s, n_h) = (nonce(), nonce());
        let answer = |fingerprint: &str, key: &[u8]| -> Result<Challenge> {
            Ok(Challenge {
                hub_nonce: n_h.clone(),
                fingerprint: fingerprint.into(),
                proofs: vec![proof(key, Side::Hub, fingerprint, &n_s, &n_h)?],
            })
        };
        // The hub itself, on the connection the station is on.
        assert_eq!(judge(&key, &n_s, F, &answer(F, &key)?)?, Verdict::Proven);
        // A man in the middle relays the real hub's answer: its own
        // certificate (F2) is the one the station's connection shows.
        assert_eq!(
            judge(&key, &n_s, F2, &answer(F, &key)?)?,
            Verdict::OtherCertificate
        );
        // Or claims its own certificate without knowing the code.
        let guess = code_key("0000-0000-0000")?;
        assert_eq!(
            judge(&key, &n_s, F2, &answer(F2, &guess)?)?,
            Verdict::UnknownCode
        );
        // An answer made for another nonce (a replay) proves nothing.
        let old = Challenge {
            proofs: vec![proof(&key, Side::Hub, F, &nonce(), &n_h)?],
            ..answer(F, &key)?
        };
        assert_eq!(judge(&key, &n_s, F, &old)?, Verdict::UnknownCode);
        Ok(())
    }

    #[test]
    fn the_two_sides_proofs_differ() -> Result<()> {
        let key = code_key("5S65-W8TP-YWHJ")?;
        let (n_s, n_h) = (nonce(), nonce());
        assert_ne!(
            proof(&key, Side::Hub, F, &n_s, &n_h)?,
            proof(&key, Side::Station, F, &n_s, &n_h)?
        );
        assert_eq!(code_key("5s65 w8tp ywhj")?, key);
        Ok(())
    }
}
