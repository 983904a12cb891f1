//! The registry's pure parts: field problems, name folding, countries, the
//! passport's machine-readable zone and the watchlist's matching.

pub mod country;
pub mod fold;
pub mod mrz;
pub mod mrz_field;
pub mod problem;
pub mod watchlist;
