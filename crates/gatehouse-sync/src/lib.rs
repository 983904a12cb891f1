//! Gatehouse's sync protocol, pure: what stations exchange ([`record`]),
//! hybrid logical clocks ([`hlc`]), the one per-field merge rule stations
//! and the simulation run ([`merge`]), who may send what ([`policy`]), a
//! round as a state machine over a [`protocol::Replica`] ([`protocol`]), a
//! replica in memory ([`memory`]), the double admissions partitions allow
//! ([`conflicts`]) and the order a station tries an event's hubs in
//! ([`hubs`]).
//!
//! Nothing here names storage, a server, the command line, the network or
//! the clock (`now` is an argument): the station's crate implements
//! `Replica` on SQLite and PostgreSQL and moves requests over HTTPS. Its
//! tests, the seeded simulation included, build without SQLite
//! (`cargo test -p gatehouse-sync`).

// The core's modules these name, at the paths they had in the station.
use gatehouse_core::{error, messages, permission, scan, staff, vetting};

pub mod conflicts;
pub mod hlc;
pub mod hubs;
pub mod memory;
pub mod merge;
pub mod policy;
pub mod protocol;
pub mod record;
