//! The registry (`gatehouse_api::registry`), its commands and routes.

pub use gatehouse_api::registry::*;

pub mod cli;
pub mod http;
pub mod privacy_cli;
pub mod watchlist_cli;
