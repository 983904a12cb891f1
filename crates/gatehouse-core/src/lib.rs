//! Gatehouse's core: the language, the event model, serials, tokens, the
//! gate's decision, staff roles and PINs, vetting and the watchlist's
//! matching, the refusals and their words — plain functions over plain data.
//!
//! Nothing here names storage, a server, the command line, the desktop
//! shell, the network, files, processes or the clock (`now` is always an
//! argument): Cargo enforces the first ones (none are dependencies), and
//! `clippy.toml` beside this file the last ones.

pub mod accreditation;
pub mod code;
pub mod config_change;
pub mod demo;
pub mod error;
pub mod event;
pub mod gate;
pub mod kiosk;
pub mod lang;
pub mod messages;
pub mod permission;
pub mod registry;
pub mod role;
pub mod say;
pub mod scan;
pub mod serial;
pub mod staff;
pub mod sync;
pub mod time_words;
pub mod token;
pub mod vetting;

pub use error::{ApiError, Error, ErrorCode, Result};
