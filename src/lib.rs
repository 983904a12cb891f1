//! The `gatehouse` command: the command line (clap), `serve` (axum: the UI to
//! a browser), the hub's HTTPS server and `gatehouse bench`. Adapters only:
//! they parse, call the station's `Api` (`gatehouse_api`) and format, and
//! nothing imports them. The station's modules are re-exported at their
//! usual paths, and the folders holding a command or routes (`badge`,
//! `console`, `desk`, `registry`, `sync`) add them beside the station's.

pub use gatehouse_api::*;

// First: its `out!` macros are used by the modules after it.
#[macro_use]
pub mod cli_support;
pub mod backup_cli;
pub mod badge;
pub mod bench;
pub mod cli;
pub mod console;
pub mod desk;
pub mod gate_cli;
pub mod http;
pub mod http_support;
pub mod kiosk_cli;
pub mod registry;
pub mod sync;
pub mod vetting_cli;

#[cfg(test)]
mod bindings;
