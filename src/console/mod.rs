//! The organiser console (`gatehouse_api::console`), its commands and routes.

pub use gatehouse_api::console::*;

pub mod cli;
pub mod http;
pub mod staff_cli;
