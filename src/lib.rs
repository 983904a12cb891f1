//! Gatehouse core: the event model, storage, the gate's decisions and the one
//! API that the CLI, the HTTP server and the desktop shell all call.
//! No Tauri in here.

pub use gatehouse_core::{
    config_change, error, event, gate, kiosk, lang, messages, permission, scan, serial, staff,
    time_words, token, vetting,
};

pub mod api;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod backup_cli;
pub mod backup_schedule;
pub mod badge;
pub mod badge_issue;
pub mod bench;
pub mod cli;
pub mod cli_support;
pub mod console;
pub mod csv_safe;
pub mod db_files;
pub mod demo;
pub mod desk;
pub mod event_store;
pub mod first_start;
pub mod gate_cli;
pub mod gate_station;
pub mod http;
pub mod http_support;
pub mod keys;
pub mod kiosk_cli;
pub mod logging;
pub mod pin_throttle;
pub mod print;
pub mod registry;
pub mod scan_log;
pub mod station_kiosk;
pub mod store;
pub mod sync;
pub mod vetting_cli;
pub mod vetting_store;

#[cfg(test)]
mod bindings;

pub use api::{ops, Api};
pub use error::{ApiError, Error, ErrorCode, Result};
