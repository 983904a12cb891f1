//! What a station tells about its records that have not reached the hub.

pub mod unsent;
