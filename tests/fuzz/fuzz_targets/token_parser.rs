//! Fuzzes the token parser and the gate decision: any input, taken as text
//! and as the bytes behind our prefix, must be decided without panicking,
//! and never admitted unless it is a validly signed token.

#![no_main]

use std::sync::OnceLock;

use gatehouse::gate::{decide, Decision, Direction, GateConfig, Knowledge};
use gatehouse::token::{self, Kid};
use libfuzzer_sys::fuzz_target;

fn gate() -> &'static (GateConfig, Knowledge) {
    static GATE: OnceLock<(GateConfig, Knowledge)> = OnceLock::new();
    GATE.get_or_init(|| {
        let event =
            gatehouse::demo::bamex25(gatehouse::demo::BAMEX25_FIRST_DAY).expect("demo event");
        let zone = "HALL".parse().expect("zone");
        let gate = GateConfig::new(&event, &zone, Direction::In).expect("gate");
        let key = ed25519_dalek_key();
        let mut known = Knowledge::default();
        known.keys.insert(Kid::of(&key), key);
        (gate, known)
    })
}

fn ed25519_dalek_key() -> ed25519_dalek::VerifyingKey {
    ed25519_dalek::SigningKey::from_bytes(&[42; 32]).verifying_key()
}

fuzz_target!(|data: &[u8]| {
    let (gate, known) = gate();
    let now = jiff_now();
    let as_text = String::from_utf8_lossy(data);
    let behind_prefix = format!("{}{}", token::PREFIX, base45::encode(data));
    for text in [as_text.as_ref(), behind_prefix.as_str()] {
        let verdict = decide(text, gate, known, now);
        if verdict.decision != Decision::Deny {
            // Only a genuine signature can get past the crypto layers.
            let vk = ed25519_dalek_key();
            assert!(token::decode(text, |_| Some(vk)).is_ok());
        }
    }
});

fn jiff_now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_762_939_200).expect("in range")
}
