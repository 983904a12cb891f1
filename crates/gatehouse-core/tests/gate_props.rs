//! Property tests of the token parser and the gate: a single-byte change to
//! a valid token is refused or reads as the very same claims; arbitrary
//! input never panics and is never admitted. Also the size budget: the
//! worst-case badge still fits QR version 10 at level M.

use ed25519_dalek::SigningKey;
use gatehouse_core::gate::{decide, Decision, Direction, GateConfig, Knowledge, Reason};
use gatehouse_core::token::{self, Claims, Kid};
use jiff::civil::date;
use jiff::Timestamp;
use proptest::prelude::*;

/// QR version 10 at level M holds 311 alphanumeric characters.
const QR_10M_ALNUM: usize = 311;
const QR_ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn claims() -> Claims {
    Claims {
        event: "BAMEX25".into(),
        serial: "BMX-000007".parse().expect("valid serial"),
        version: 2,
        issued_at: Timestamp::from_second(1_762_000_000).expect("in range"),
        not_before: Timestamp::from_second(1_762_819_200).expect("in range"),
        expires: Timestamp::from_second(1_763_164_799).expect("in range"),
        category: "VIP".parse().expect("valid code"),
        zones: 0b10111,
        days: 0b1111,
        name: token::display_name("Oumar Sidibé"),
        photo: Some([9; 8]),
    }
}

fn valid() -> String {
    token::encode(&claims(), &key()).expect("encodes")
}

fn decode(text: &str) -> Result<Claims, token::TokenError> {
    let vk = key().verifying_key();
    token::decode(text, |kid| (*kid == Kid::of(&vk)).then_some(vk))
}

fn gate() -> (GateConfig, Knowledge) {
    let event = gatehouse_core::demo::bamex25(date(2025, 11, 11)).expect("demo event");
    let gate =
        GateConfig::new(&event, &"HALL".parse().expect("zone"), Direction::In).expect("gate");
    let mut known = Knowledge::default();
    let vk = key().verifying_key();
    known.keys.insert(Kid::of(&vk), vk);
    (gate, known)
}

fn now() -> Timestamp {
    "2025-11-12T10:00:00Z".parse().expect("instant")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// One character of the text replaced by any other ASCII character.
    #[test]
    fn text_mutation_is_refused_or_harmless(pos in 0usize..400, ch in 0u8..128) {
        let text = valid();
        let pos = pos % text.len();
        let mut bytes = text.clone().into_bytes();
        prop_assume!(bytes[pos] != ch);
        bytes[pos] = ch;
        let mutated = String::from_utf8(bytes).expect("ASCII stays UTF-8");
        if let Ok(c) = decode(&mutated) {
            prop_assert_eq!(c, claims());
        }
        let (g, k) = gate();
        let v = decide(&mutated, &g, &k, now());
        prop_assert!(v.decision == Decision::Deny || v.serial.as_ref() == Some(&claims().serial));
    }

    /// One byte of the signed COSE structure replaced, re-encoded in Base45.
    #[test]
    fn cose_byte_mutation_is_refused_or_same_claims(pos in 0usize..300, byte in any::<u8>()) {
        let text = valid();
        let mut bytes = base45::decode(&text[token::PREFIX.len()..]).expect("our Base45");
        let pos = pos % bytes.len();
        prop_assume!(bytes[pos] != byte);
        bytes[pos] = byte;
        let mutated = format!("{}{}", token::PREFIX, base45::encode(&bytes));
        if let Ok(c) = decode(&mutated) {
            prop_assert_eq!(c, claims());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_nor_pass(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let (g, k) = gate();
        for text in [
            String::from_utf8_lossy(&bytes).into_owned(),
            format!("{}{}", token::PREFIX, base45::encode(&bytes)),
        ] {
            let v = decide(&text, &g, &k, now());
            prop_assert_eq!(v.decision, Decision::Deny);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let (g, k) = gate();
        let v = decide(&format!("GH1:{text}"), &g, &k, now());
        prop_assert_eq!(v.decision, Decision::Deny);
    }
}

#[test]
fn the_valid_token_is_admitted() {
    let (g, k) = gate();
    let v = decide(&valid(), &g, &k, now());
    assert_eq!((v.decision, v.reason), (Decision::Admit, Reason::Ok));
}

/// "Not yet valid — from 11 Nov", "expired — last day 14 Nov": the verdict
/// carries the badge's first and last days in the event's calendar, the
/// reason codes stay the contract's.
#[test]
fn too_early_and_too_late_say_the_dates() {
    let (g, k) = gate();
    let early = decide(
        &valid(),
        &g,
        &k,
        "2025-11-10T10:00:00Z".parse().expect("instant"),
    );
    assert_eq!(early.reason, Reason::NotYetValid);
    assert_eq!(early.valid_from, Some(date(2025, 11, 11)));
    let late = decide(
        &valid(),
        &g,
        &k,
        "2025-11-15T00:00:00Z".parse().expect("instant"),
    );
    assert_eq!(late.reason, Reason::Expired);
    assert_eq!(late.valid_until, Some(date(2025, 11, 14)));
    let json = serde_json::to_value(&early).expect("json");
    assert_eq!(json["reason"], "not_yet_valid");
    assert_eq!(json["valid_from"], "2025-11-11");
    // Nothing read, no dates: the verdict's JSON is the contract's alone.
    let garbage = serde_json::to_value(decide("GH1:%%", &g, &k, now())).expect("json");
    assert!(garbage.get("valid_from").is_none() && garbage.get("revoked_reason").is_none());
}

#[test]
fn worst_case_badge_fits_qr_version_10_m() {
    let event = gatehouse_core::demo::bamex25(date(2025, 11, 11)).expect("demo event");
    // A 40-character name with diacritics, every zone, every day, a late version.
    let name = token::display_name("Aïssatou Fatoumata Maïga-Traoré Saraç Cissé Goïta");
    assert_eq!(name.chars().count(), 40, "{name:?}");
    let worst = Claims {
        event: event.code.clone(),
        serial: "BMX-999999".parse().expect("serial"),
        version: 65_535,
        zones: (1 << event.zones.len()) - 1,
        days: (1 << event.days.len()) - 1,
        category: "ORG".parse().expect("code"),
        name,
        ..claims()
    };
    let text = token::encode(&worst, &key()).expect("encodes");
    eprintln!("worst-case BAMEX'25 token: {} characters", text.len());
    assert!(
        text.len() <= QR_10M_ALNUM,
        "{} > {QR_10M_ALNUM}",
        text.len()
    );
    assert!(
        text.chars().all(|c| QR_ALNUM.contains(c)),
        "not QR alphanumeric: {text}"
    );
    assert_eq!(decode(&text), Ok(worst));

    // A larger event: 16 zones, 16 days, a long event code and serial prefix.
    let big = Claims {
        event: "EXPO2026".into(),
        serial: "ABCDEFGH-999999".parse().expect("serial"),
        zones: 0xFFFF,
        days: 0xFFFF,
        name: token::display_name(&"ÉÀÇÏÖÜ".repeat(10)),
        ..claims()
    };
    let text = token::encode(&big, &key()).expect("encodes");
    assert!(
        text.len() <= QR_10M_ALNUM,
        "{} > {QR_10M_ALNUM}",
        text.len()
    );
    // Only the display name gives way.
    let read = decode(&text).expect("decodes");
    assert!(big.name.starts_with(&read.name) && read.name.len() < big.name.len());
    assert_eq!(
        Claims {
            name: big.name.clone(),
            ..read
        },
        big
    );
}

#[test]
fn a_hundred_kilobytes_of_garbage_is_refused_as_malformed() {
    // How fast is `gatehouse bench`'s figure ("refusing 100 KB of garbage"):
    // tests do not time, and the core reads no clock.
    let (g, k) = gate();
    let garbage = format!("GH1:{}", "Z".repeat(100_000));
    let v = decide(&garbage, &g, &k, now());
    assert_eq!(v.reason, Reason::Malformed);
}
