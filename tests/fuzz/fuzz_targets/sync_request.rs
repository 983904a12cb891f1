//! Fuzzes what a hub takes from a paired station: any bytes as a sync
//! request, served by the protocol to an in-memory hub for a gate. It never
//! panics, and nothing a gate may not send is ever applied.

#![no_main]

use gatehouse::staff::Role;
use gatehouse::sync::memory::MemReplica;
use gatehouse::sync::policy::{self, Roster};
use gatehouse::sync::protocol::{serve, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(req) = serde_json::from_slice::<Request>(data) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut hub = MemReplica::new("hub");
        let roster: Roster = [
            ("hub".to_string(), Role::Admin),
            (req.station.clone(), Role::Gate),
        ]
        .into();
        let _ = serve(&mut hub, &roster, &req.station, &req, 1_762_851_600_000).await;
        for e in hub.entries() {
            assert!(policy::check_in(&roster, &e.origin, &e.record).is_ok());
        }
    });
});
