//! The station's badges (`gatehouse_api::badge`) and their commands.

pub use gatehouse_api::badge::*;

pub mod cli;
