//! The gate's vetting rule (issue 16): under a hold policy, a badge of a
//! vetted category is refused on entry with `not_cleared` until its holder's
//! clearance is known at the gate, whatever else holds; exits let them out;
//! a category that is not vetted, or an event that enforces nothing, passes
//! as before.

use ed25519_dalek::SigningKey;
use gatehouse::event::{EventInfo, HoldPolicy};
use gatehouse::gate::{decide, Decision, Direction, GateConfig, Knowledge, Reason};
use gatehouse::token::{self, Claims, Kid};
use jiff::civil::date;
use jiff::Timestamp;
use proptest::prelude::*;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn token(category: &str, serial: u32) -> String {
    let claims = Claims {
        event: "BAMEX25".into(),
        serial: format!("BMX-{serial:06}").parse().expect("valid serial"),
        version: 1,
        issued_at: Timestamp::from_second(1_762_000_000).expect("in range"),
        not_before: Timestamp::from_second(1_762_819_200).expect("in range"),
        expires: Timestamp::from_second(1_763_164_799).expect("in range"),
        category: category.parse().expect("valid code"),
        zones: 0b11111,
        days: 0b1111,
        name: token::display_name("Awa Traoré"),
        photo: None,
    };
    token::encode(&claims, &key()).expect("encodes")
}

fn event(policy: HoldPolicy) -> EventInfo {
    let mut event = gatehouse::demo::bamex25(date(2025, 11, 11)).expect("demo event");
    event.vetting = policy;
    event
}

fn knowledge() -> Knowledge {
    let mut known = Knowledge::default();
    let vk = key().verifying_key();
    known.keys.insert(Kid::of(&vk), vk);
    known
}

fn now() -> Timestamp {
    "2025-11-12T10:00:00Z".parse().expect("instant")
}

const CATEGORIES: [&str; 4] = ["EXH", "DEL", "PRESS", "VIS"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn held_until_cleared_whatever_else_holds(
        cat in 0usize..CATEGORIES.len(),
        serial in 1u32..999_999,
        policy in prop_oneof![Just(HoldPolicy::Off), Just(HoldPolicy::NoPrint), Just(HoldPolicy::PrintHeld)],
        cleared in any::<bool>(),
        other_cleared in proptest::collection::vec(1u32..999_999, 0..5),
        out in any::<bool>(),
    ) {
        let category = CATEGORIES[cat];
        let event = event(policy);
        let direction = if out { Direction::Out } else { Direction::In };
        let gate = GateConfig::new(&event, &"HALL".parse().expect("zone"), direction).expect("gate");
        let text = token(category, serial);
        let mut known = knowledge();
        for o in other_cleared.iter().filter(|o| **o != serial) {
            known.cleared.insert(format!("BMX-{o:06}").parse().expect("serial"));
        }
        if cleared {
            known.cleared.insert(format!("BMX-{serial:06}").parse().expect("serial"));
        }
        let vetted = event.categories.iter().any(|c| c.code.as_str() == category && c.vetting);
        let v = decide(&text, &gate, &known, now());
        let held = policy != HoldPolicy::Off && vetted && !cleared && !out;
        if held {
            prop_assert_eq!((v.decision, v.reason), (Decision::Deny, Reason::NotCleared));
        } else {
            prop_assert_eq!((v.decision, v.reason), (Decision::Admit, Reason::Ok));
        }
        // A revocation says so first: a refused person reads "revoked".
        known.revoked.insert(format!("BMX-{serial:06}").parse().expect("serial"));
        prop_assert_eq!(decide(&text, &gate, &known, now()).reason, Reason::Revoked);
    }
}

#[test]
fn the_demo_vets_every_category_but_visitors() {
    let event = event(HoldPolicy::PrintHeld);
    for c in &event.categories {
        assert_eq!(c.vetting, c.code.as_str() != "VIS", "{}", c.code);
    }
    let gate =
        GateConfig::new(&event, &"HALL".parse().expect("zone"), Direction::In).expect("gate");
    let v = decide(&token("EXH", 42), &gate, &knowledge(), now());
    assert_eq!(v.reason, Reason::NotCleared);
    assert_eq!(
        serde_json::to_value(v.reason).ok(),
        Some("not_cleared".into())
    );
}
