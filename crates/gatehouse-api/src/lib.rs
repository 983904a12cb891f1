//! The station: storage (SQLite, the migrations), sync over SQLite and
//! HTTPS, rendering, and `Api`, the one set of operations the shells call.
//! The shells sit on top and nothing here names them: the command line and
//! `serve` (the `gatehouse` crate), the window (`src-tauri`). No clap, axum
//! or Tauri in here.

pub use gatehouse_core::{
    config_change, error, event, gate, kiosk, lang, messages, permission, scan, serial, staff,
    time_words, token, vetting,
};

pub mod api;
pub mod audit;
pub mod auth;
pub mod autostart;
pub mod backup;
pub mod backup_schedule;
pub mod badge;
pub mod badge_issue;
pub mod console;
pub mod csv_safe;
pub mod db_files;
pub mod demo;
pub mod desk;
pub mod event_store;
pub mod first_start;
pub mod gate_station;
pub mod keys;
pub mod logging;
pub mod pin_throttle;
pub mod print;
pub mod registry;
pub mod scan_log;
pub mod station_kiosk;
pub mod store;
pub mod sync;
pub mod vetting_store;

pub use api::{ops, Api};
pub use error::{ApiError, Error, ErrorCode, Result};
