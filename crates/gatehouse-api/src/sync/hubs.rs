//! The hubs of one event (`docs/SCALE.md`, "Failover"): when several hub
//! processes share one PostgreSQL database, a station receives the list of
//! them, each with its certificate's fingerprint, and moves to the next one
//! when its hub stops answering.
//!
//! The list is written by hub processes only (PostgreSQL's `sync_hub`) and
//! reaches a station only from a hub: in the answer to its pairing and on
//! `POST /sync/v1/hubs`, over the connection pinned to that hub's
//! certificate. It never travels in the replicated log, which stations
//! write too, so no desk or gate can hand other stations a hub address.
//! The hubs sign it with an Ed25519 key only they hold (PostgreSQL's
//! `sync_hub_key`); a station is given the public half when it pairs and
//! keeps the list with its signature, checking it each time it reads it:
//! an address written into the station's database by other means than a
//! hub's answer is not used.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
// The list and a station's order of preference are the protocol's (pure).
pub use gatehouse_sync::hubs::{preference, HubAddress, HubList, Target};

/// What the signature covers, before the list's bytes.
const CONTEXT: &[u8] = b"gatehouse hub list v1\n";

/// The list as it travels and as a station keeps it: its JSON text, byte
/// for byte as signed, the signature and the public key, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHubs {
    pub list: String,
    pub signature: String,
    pub key: String,
}

fn message(list: &str) -> Vec<u8> {
    let mut m = CONTEXT.to_vec();
    m.extend_from_slice(list.as_bytes());
    m
}

/// Signs `list` with the hubs' key (a hub's side).
pub fn sign(secret: &[u8; 32], list: &HubList) -> Result<SignedHubs> {
    let key = SigningKey::from_bytes(secret);
    let text = serde_json::to_string(list).map_err(|e| Error::Internal(e.to_string()))?;
    let signature = key.sign(&message(&text));
    Ok(SignedHubs {
        signature: hex::encode(signature.to_bytes()),
        key: hex::encode(key.verifying_key().to_bytes()),
        list: text,
    })
}

/// A fresh secret for the hubs' key.
pub fn new_secret() -> [u8; 32] {
    SigningKey::generate(&mut rand::rngs::OsRng).to_bytes()
}

/// Why a kept or received list is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Untrusted {
    /// Signed by another key than the one this station was given.
    OtherKey,
    /// The signature does not match the list (it was altered).
    BadSignature,
    /// Not a list at all, or an entry is not a hub address.
    Malformed(String),
}

impl std::fmt::Display for Untrusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Untrusted::OtherKey => write!(f, "signed by another key than the event's hubs'"),
            Untrusted::BadSignature => write!(f, "its signature does not match it"),
            Untrusted::Malformed(why) => write!(f, "not a hub list: {why}"),
        }
    }
}

/// The list `signed` holds, if it is signed by `trusted` (the public key,
/// hex) and every entry is a hub address (`https://`, a fingerprint).
pub fn verify(trusted: &str, signed: &SignedHubs) -> std::result::Result<HubList, Untrusted> {
    if !signed.key.eq_ignore_ascii_case(trusted) {
        return Err(Untrusted::OtherKey);
    }
    let key: [u8; 32] = hex::decode(trusted)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Untrusted::Malformed("the key is not 32 bytes of hex".into()))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|e| Untrusted::Malformed(e.to_string()))?;
    let sig: [u8; 64] = hex::decode(&signed.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(Untrusted::BadSignature)?;
    key.verify(&message(&signed.list), &Signature::from_bytes(&sig))
        .map_err(|_| Untrusted::BadSignature)?;
    let list: HubList =
        serde_json::from_str(&signed.list).map_err(|e| Untrusted::Malformed(e.to_string()))?;
    for h in &list.hubs {
        if !h.url.starts_with("https://") {
            return Err(Untrusted::Malformed(format!("{} is not https", h.url)));
        }
        if super::tls::parse_fingerprint(&h.fingerprint).is_err() {
            return Err(Untrusted::Malformed(format!(
                "{} is not a fingerprint",
                h.fingerprint
            )));
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> HubList {
        HubList {
            hubs: vec![
                HubAddress {
                    hub: "a".into(),
                    url: "https://10.0.0.1:8443".into(),
                    fingerprint: "aa".repeat(32),
                },
                HubAddress {
                    hub: "b".into(),
                    url: "https://10.0.0.2:8443".into(),
                    fingerprint: "bb".repeat(32),
                },
            ],
            at_ms: 1,
        }
    }

    #[test]
    fn a_list_is_used_only_as_the_hubs_signed_it() -> Result<()> {
        let secret = new_secret();
        let signed = sign(&secret, &list())?;
        assert_eq!(verify(&signed.key, &signed), Ok(list()));
        // An address slipped into the kept list: the signature no longer holds.
        let forged = SignedHubs {
            list: signed.list.replace("10.0.0.2", "203.0.113.9"),
            ..signed.clone()
        };
        assert_eq!(verify(&signed.key, &forged), Err(Untrusted::BadSignature));
        // A list signed by a key of one's own, kept with that key: not the
        // key the station was given at pairing.
        let own = sign(&new_secret(), &list())?;
        assert_eq!(verify(&signed.key, &own), Err(Untrusted::OtherKey));
        // Plain HTTP is never a hub's address.
        let mut http = list();
        http.hubs[1].url = "http://10.0.0.2".into();
        let http = sign(&secret, &http)?;
        assert!(matches!(
            verify(&signed.key, &http),
            Err(Untrusted::Malformed(_))
        ));
        Ok(())
    }
}
