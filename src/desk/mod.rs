//! The desk's operations (`gatehouse_api::desk`) and their routes.

pub use gatehouse_api::desk::*;

pub mod http;
