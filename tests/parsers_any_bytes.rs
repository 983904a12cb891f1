//! Every parser that takes outside input, given arbitrary bytes (the stable
//! counterpart of the fuzz targets in `tests/fuzz/`): the badge token, an
//! import file as CSV and as XLSX, a sync request served to a hub. Each reads
//! or refuses, never panics, and the hub applies nothing a gate may not send.

use gatehouse::staff::Role;
use gatehouse::sync::memory::MemReplica;
use gatehouse::sync::policy::{self, Roster};
use gatehouse::sync::protocol::{serve, Request};
use proptest::prelude::*;

/// A sync request as JSON, mostly well-formed, with records of every kind
/// and any origins, sequences and stations.
fn request_json() -> impl Strategy<Value = String> {
    let kind = prop_oneof![
        Just("scan"),
        Just("revocation"),
        Just("event_config"),
        Just("staff_account"),
        Just("signing_key"),
        Just("key_retired"),
        Just("attendee_edit"),
        Just("audit"),
        Just("withheld"),
        Just("nonsense"),
    ];
    let entry = (prop_oneof![Just("g1"), Just("hub"), Just("g2")], 0u64..6, kind, ".{0,20}")
        .prop_map(|(origin, seq, kind, text)| {
            serde_json::json!({
                "origin": origin, "seq": seq,
                "record": {
                    "kind": kind, "id": text, "station": origin, "seq": 1, "serial": "BMX-000001",
                    "version": 1, "zone": "VIP", "direction": "in", "decision": "admit",
                    "reason": "ok", "at": "t", "operator": "x", "revoked_at": "t", "revoked_by": "x",
                    "hlc": {"wall_ms": 1, "counter": 0, "station": origin},
                    "event": text, "account": text, "kid": "00", "public_key": "00",
                    "created_at": "t", "created_by": "x", "retired_at": "t", "retired_by": "x",
                    "attendee": "a", "fields": {"erased_at": "t"}, "action": "x", "actor": "x", "detail": "{}",
                    "of": "scan", "key": "k", "why": "x",
                },
            })
        });
    (
        prop_oneof![Just("g1"), Just("hub")],
        proptest::collection::vec(entry, 0..6),
    )
        .prop_map(|(station, entries)| {
            serde_json::json!({
                "station": station,
                "wall_ms": 1_762_851_600_000u64,
                "have": {},
                "entries": entries,
            })
            .to_string()
        })
}

/// Serves the bytes as a gate's request; returns whether they parsed.
fn serve_gate(bytes: &[u8]) -> bool {
    let Ok(req) = serde_json::from_slice::<Request>(bytes) else {
        return false;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut hub = MemReplica::new("hub");
        let roster: Roster = [
            ("hub".to_string(), Role::Admin),
            ("g1".to_string(), Role::Gate),
        ]
        .into();
        let _ = serve(&mut hub, &roster, "g1", &req, 1_762_851_600_000).await;
        for e in hub.entries() {
            assert!(
                policy::check_in(&roster, &e.origin, &e.record).is_ok(),
                "applied a forbidden {:?}",
                e.record.kind_key()
            );
            assert_eq!(e.origin, "g1", "applied an entry in another's name");
        }
    });
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn import_files_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        for name in ["inscrits.csv", "inscrits.xlsx"] {
            let _ = gatehouse::registry::import::read_table(&bytes, name);
        }
        // A ZIP's first bytes send any name to the XLSX reader.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = gatehouse::registry::import::read_table(&zip, "inscrits.csv");
    }

    #[test]
    fn tokens_are_parsed_or_refused(text in ".{0,300}", bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = gatehouse::token::parse(&text);
        let _ = gatehouse::token::parse(&format!("GH1:{}", base45::encode(&bytes)));
    }

    #[test]
    fn sync_requests_from_a_gate_apply_only_what_a_gate_may_send(json in request_json()) {
        // Every record kind but the made-up one parses: the hub really serves them.
        prop_assert!(serve_gate(json.as_bytes()) || json.contains("nonsense"), "{json}");
    }

    #[test]
    fn sync_requests_of_any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        serve_gate(&bytes);
    }
}
