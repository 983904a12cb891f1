//! The badge token: the text in a badge's QR code, verifiable offline.
//!
//! `GH1:` + Base45 (RFC 9285) of a COSE_Sign1 (RFC 9052, tag 18) signed with
//! EdDSA over Ed25519. The protected header holds exactly `{1: -8, 4: kid}`
//! (the kid is the first 8 bytes of SHA-256 of the raw public key); the
//! unprotected header is empty. The payload is a CWT claims set (RFC 8392):
//! `iss` event code, `sub` badge serial, `iat`, `nbf`/`exp` (first and last
//! valid second), and one private-use claim [`GH_CLAIM`] holding the array
//! `[version, category, zones, days, name, photo]` (see `docs/TOKEN.md`).
//!
//! Pure: no clock, no I/O. Parsing is layered (prefix, Base45, COSE, key,
//! signature, claims) so the gate can name the first layer that fails. Input
//! of any size or content never panics; anything longer than [`MAX_TOKEN_LEN`]
//! is refused before decoding.

use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, ClaimsSetBuilder, Timestamp as CwtTime};
use coset::iana;
use coset::{CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::event::CategoryCode;
use crate::serial::BadgeSerial;

/// What every token text starts with: our format, version 1.
pub const PREFIX: &str = "GH1:";
/// The private-use CWT claim (RFC 8392 §9.1: below -65536) holding our claims.
pub const GH_CLAIM: i64 = -65537;
/// Longer texts are refused unread: the worst real token is about 300 characters.
pub const MAX_TOKEN_LEN: usize = 1024;
/// The display name is cut to this many characters…
pub const NAME_MAX_CHARS: usize = 40;
/// …and to this many UTF-8 bytes, so the worst case still fits QR version 10-M.
pub const NAME_MAX_BYTES: usize = 48;

/// A key id: the first 8 bytes of SHA-256 of the raw 32-byte public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kid(pub [u8; 8]);

impl Kid {
    pub fn of(key: &VerifyingKey) -> Kid {
        let digest = Sha256::digest(key.as_bytes());
        let mut kid = [0; 8];
        kid.copy_from_slice(&digest[..8]);
        Kid(kid)
    }

    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl std::fmt::Display for Kid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

impl std::str::FromStr for Kid {
    type Err = Error;
    fn from_str(s: &str) -> Result<Kid> {
        let bytes = hex::decode(s.trim())
            .ok()
            .filter(|b| b.len() == 8)
            .ok_or_else(|| {
                Error::from(crate::messages::Msg::KidFormat {
                    value: s.to_string(),
                })
            })?;
        let mut kid = [0; 8];
        kid.copy_from_slice(&bytes);
        Ok(Kid(kid))
    }
}

/// What a badge says about its holder, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The event's code (`iss`).
    pub event: String,
    /// `sub`.
    pub serial: BadgeSerial,
    /// Reprints bump it; an older version is superseded.
    pub version: u32,
    pub issued_at: Timestamp,
    /// The first valid second (start of the first valid day, event-local).
    pub not_before: Timestamp,
    /// The last valid second (end of the last valid day, event-local).
    pub expires: Timestamp,
    pub category: CategoryCode,
    /// Bit `i` set: the badge opens the event's `i`th zone (event order).
    pub zones: u64,
    /// Bit `i` set: valid on the `i`th day after the event-local date of `not_before`.
    pub days: u64,
    /// The holder's display name, cut to [`NAME_MAX_CHARS`] / [`NAME_MAX_BYTES`].
    pub name: String,
    /// First 8 bytes of SHA-256 of the stored photo.
    pub photo: Option<[u8; 8]>,
}

/// Why a text is not a valid token, by the layer that refused it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a Gatehouse token (no {PREFIX} prefix, or too long)")]
    Prefix,
    #[error("not valid Base45")]
    Base45,
    #[error("not a COSE_Sign1 badge token: {0}")]
    Structure(String),
    #[error("unknown or retired signing key {0}")]
    UnknownKey(Kid),
    #[error("the signature does not verify")]
    Forged,
    #[error("signed claims are malformed: {0}")]
    Claims(String),
}

/// A token whose structure is sound but whose signature is not checked yet.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub kid: Kid,
    sign1: CoseSign1,
}

/// Cuts a display name to what the token carries.
pub fn display_name(full: &str) -> String {
    let mut out = String::new();
    for c in full.split_whitespace().flat_map(|w| w.chars().chain([' '])) {
        if out.chars().count() >= NAME_MAX_CHARS || out.len() + c.len_utf8() > NAME_MAX_BYTES {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// QR version 10 at level M holds this many alphanumeric characters.
pub const MAX_QR_TEXT: usize = 311;

/// Signs `claims` into token text. Should the text exceed [`MAX_QR_TEXT`]
/// (long event code, many zones), the display name is shortened until it
/// fits, so every badge prints as a QR code of version 10 or less.
pub fn encode(claims: &Claims, key: &SigningKey) -> Result<String> {
    let mut claims = claims.clone();
    loop {
        let text = encode_exact(&claims, key)?;
        if text.len() <= MAX_QR_TEXT || claims.name.pop().is_none() {
            return Ok(text);
        }
        claims.name = claims.name.trim_end().to_string();
    }
}

fn encode_exact(claims: &Claims, key: &SigningKey) -> Result<String> {
    let kid = Kid::of(&key.verifying_key());
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(kid.0.to_vec())
        .build();
    let payload = claims_set(claims)
        .to_vec()
        .map_err(|e| Error::Internal(format!("cannot encode the claims: {e}")))?;
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).to_bytes().to_vec())
        .build();
    let bytes = sign1
        .to_tagged_vec()
        .map_err(|e| Error::Internal(format!("cannot encode the token: {e}")))?;
    Ok(format!("{PREFIX}{}", base45::encode(bytes)))
}

fn claims_set(c: &Claims) -> ClaimsSet {
    let photo = match c.photo {
        Some(p) => Value::Bytes(p.to_vec()),
        None => Value::Null,
    };
    ClaimsSetBuilder::new()
        .issuer(c.event.clone())
        .subject(c.serial.to_string())
        .issued_at(CwtTime::WholeSeconds(c.issued_at.as_second()))
        .not_before(CwtTime::WholeSeconds(c.not_before.as_second()))
        .expiration_time(CwtTime::WholeSeconds(c.expires.as_second()))
        .private_claim(
            GH_CLAIM,
            Value::Array(vec![
                Value::Integer(c.version.into()),
                Value::Text(c.category.to_string()),
                Value::Integer(c.zones.into()),
                Value::Integer(c.days.into()),
                Value::Text(c.name.clone()),
                photo,
            ]),
        )
        .build()
}

/// Layers 1–3: prefix, Base45 (canonical only) and COSE structure.
pub fn parse(text: &str) -> Result<Parsed, TokenError> {
    let body = text
        .strip_prefix(PREFIX)
        .filter(|_| text.len() <= MAX_TOKEN_LEN)
        .ok_or(TokenError::Prefix)?;
    let bytes = base45::decode(body).map_err(|_| TokenError::Base45)?;
    // The decoder accepts a final pair above 255 (it truncates): insist on the
    // one canonical spelling so no two texts carry the same bytes.
    if base45::encode(&bytes) != body {
        return Err(TokenError::Base45);
    }
    let sign1 =
        CoseSign1::from_tagged_slice(&bytes).map_err(|e| TokenError::Structure(e.to_string()))?;
    if !sign1.unprotected.is_empty() {
        return Err(TokenError::Structure(
            "the unprotected header must be empty".into(),
        ));
    }
    let header = &sign1.protected.header;
    let kid = <[u8; 8]>::try_from(header.key_id.as_slice())
        .map(Kid)
        .map_err(|_| TokenError::Structure("no 8-byte kid in the protected header".into()))?;
    let expected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(kid.0.to_vec())
        .build();
    if *header != expected {
        return Err(TokenError::Structure(
            "the protected header must be exactly {alg: EdDSA, kid}".into(),
        ));
    }
    if sign1.payload.is_none() {
        return Err(TokenError::Structure("no payload".into()));
    }
    Ok(Parsed { kid, sign1 })
}

impl Parsed {
    /// Layers 5–6: the signature with `key`, then the claims.
    pub fn verify(&self, key: &VerifyingKey) -> Result<Claims, TokenError> {
        self.sign1.verify_signature(b"", |sig, tbs| {
            let sig = Signature::from_slice(sig).map_err(|_| TokenError::Forged)?;
            // RFC 8032 verification: S must be canonical and R is compared
            // by its encoding, so a token has one valid signature. The
            // "strict" variant's extra weak-key checks guard against
            // attacker-chosen keys; ours are our own, and it costs twice
            // as much on every scan.
            key.verify(tbs, &sig).map_err(|_| TokenError::Forged)
        })?;
        let payload = self.sign1.payload.as_deref().unwrap_or_default();
        decode_claims(payload).map_err(TokenError::Claims)
    }

    /// The claims without checking the signature: only to know which badge
    /// a scan is about before the knowledge is loaded.
    pub fn claims_unverified(&self) -> Option<Claims> {
        decode_claims(self.sign1.payload.as_deref().unwrap_or_default()).ok()
    }
}

/// Parses and verifies with the one key whose kid matches.
pub fn decode(
    text: &str,
    key_for: impl Fn(&Kid) -> Option<VerifyingKey>,
) -> Result<Claims, TokenError> {
    let parsed = parse(text)?;
    let key = key_for(&parsed.kid).ok_or(TokenError::UnknownKey(parsed.kid))?;
    parsed.verify(&key)
}

fn decode_claims(payload: &[u8]) -> Result<Claims, String> {
    let set = ClaimsSet::from_slice(payload).map_err(|e| e.to_string())?;
    let time = |t: Option<CwtTime>, name: &str| match t {
        Some(CwtTime::WholeSeconds(s)) => {
            Timestamp::from_second(s).map_err(|_| format!("{name} {s} is out of range"))
        }
        _ => Err(format!("{name} is missing or not whole seconds")),
    };
    let event = set.issuer.clone().ok_or("iss is missing")?;
    let serial: BadgeSerial = set
        .subject
        .clone()
        .ok_or("sub is missing")?
        .parse()
        .map_err(|e: Error| e.to_string())?;
    let issued_at = time(set.issued_at.clone(), "iat")?;
    let not_before = time(set.not_before.clone(), "nbf")?;
    let expires = time(set.expiration_time.clone(), "exp")?;
    if set.audience.is_some() || set.cwt_id.is_some() || set.rest.len() != 1 {
        return Err("unexpected claims".into());
    }
    let fields = match &set.rest[..] {
        [(ClaimName::PrivateUse(GH_CLAIM), Value::Array(fields))] => fields,
        _ => return Err(format!("claim {GH_CLAIM} is missing or not an array")),
    };
    let [version, category, zones, days, name, photo] = &fields[..] else {
        return Err(format!("claim {GH_CLAIM} must have 6 fields"));
    };
    let int = |v: &Value, what: &str| -> Result<u64, String> {
        v.as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| format!("{what} is not an unsigned integer"))
    };
    let version = u32::try_from(int(version, "version")?)
        .ok()
        .filter(|v| *v >= 1)
        .ok_or("version out of range")?;
    let category: CategoryCode = category
        .as_text()
        .ok_or("category is not text")?
        .parse()
        .map_err(|e: Error| e.to_string())?;
    let name = name.as_text().ok_or("name is not text")?.to_string();
    let photo = match photo {
        Value::Null => None,
        Value::Bytes(b) => {
            Some(<[u8; 8]>::try_from(b.as_slice()).map_err(|_| "photo hash is not 8 bytes")?)
        }
        _ => return Err("photo is neither bytes nor null".into()),
    };
    Ok(Claims {
        event,
        serial,
        version,
        issued_at,
        not_before,
        expires,
        category,
        zones: int(zones, "zones")?,
        days: int(days, "days")?,
        name,
        photo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn claims() -> Result<Claims> {
        Ok(Claims {
            event: "BAMEX25".into(),
            serial: "BMX-000042".parse()?,
            version: 1,
            issued_at: Timestamp::from_second(1_762_800_000)
                .map_err(|e| Error::Internal(e.to_string()))?,
            not_before: Timestamp::from_second(1_762_819_200)
                .map_err(|e| Error::Internal(e.to_string()))?,
            expires: Timestamp::from_second(1_763_164_799)
                .map_err(|e| Error::Internal(e.to_string()))?,
            category: "DEL".parse()?,
            zones: 0b1111,
            days: 0b1111,
            name: display_name("Aïssata Maïga"),
            photo: Some([7; 8]),
        })
    }

    #[test]
    fn round_trips_and_refuses_other_keys() -> Result<()> {
        let c = claims()?;
        let text = encode(&c, &key(1))?;
        assert!(text.starts_with("GH1:"));
        let good = key(1).verifying_key();
        assert_eq!(decode(&text, |_| Some(good)), Ok(c));
        let other = key(2).verifying_key();
        assert_eq!(decode(&text, |_| Some(other)), Err(TokenError::Forged));
        assert_eq!(
            decode(&text, |_| None),
            Err(TokenError::UnknownKey(Kid::of(&good)))
        );
        Ok(())
    }

    #[test]
    fn names_are_cut_to_forty_characters_and_whitespace_folded() {
        assert_eq!(display_name("  Modibo   Keïta "), "Modibo Keïta");
        let long = "Abdoulaye ".repeat(10);
        assert_eq!(display_name(&long).chars().count(), 39); // trailing space trimmed
        assert!(display_name(&"é".repeat(50)).len() <= NAME_MAX_BYTES);
    }

    #[test]
    fn non_canonical_base45_is_refused() -> Result<()> {
        let text = encode(&claims()?, &key(1))?;
        assert_eq!(parse(&format!("{text}ZZ")).err(), Some(TokenError::Base45));
        assert_eq!(parse(&text.to_lowercase()).err(), Some(TokenError::Prefix));
        assert_eq!(
            parse(&"GH1:".repeat(30_000)).err(),
            Some(TokenError::Prefix)
        );
        Ok(())
    }
}
