//! Offline-first LAN sync through a hub.
//!
//! Each station keeps working alone on its own database; when the LAN is up
//! it exchanges entries with the hub. The protocol ([`protocol`]) is a state
//! machine without I/O over a [`protocol::Replica`]; [`memory`] holds one in
//! memory (simulation, benchmark). [`conflicts`] finds the double admissions
//! that partitions allowed; [`time`] the time the stations agree on. See
//! `docs/SYNC.md`.

pub mod client;
mod entry_rows;
pub mod hub;
pub mod hubs;
pub mod join_fresh;
pub mod keys;
pub mod link;
pub mod pairing;
pub mod postgres;
pub mod recover;
mod registry_run;
pub mod store;
pub mod time;
pub mod tls;
pub use gatehouse_core::sync::unsent;
// The protocol is its own crate; here at its old paths.
pub use gatehouse_sync::{conflicts, hlc, memory, merge, policy, protocol, record};
pub mod visibility;
