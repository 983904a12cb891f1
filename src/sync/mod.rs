//! Sync (`gatehouse_api::sync`), its commands, routes and the hub's HTTPS server.

pub use gatehouse_api::sync::*;

pub mod cli;
pub mod http;
pub mod hub_server;
