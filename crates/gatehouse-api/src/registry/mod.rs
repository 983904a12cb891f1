//! The attendee registry: who the event knows, their badge numbers, photos
//! and access; bulk import and export; the desk's instant search.

pub use gatehouse_core::registry::{country, fold, mrz, problem, watchlist};

pub mod attendee;
pub mod demo;
pub mod export;
pub mod import;
pub mod photo;
pub mod privacy;
pub mod screening;
pub mod search;
pub mod table;

pub use attendee::{
    all, check, create, effective_access, get, photo, set_photo, set_status, update, Attendee,
    FieldError, FieldProblem, NewAttendee, Status,
};
pub use country::country_name;
pub use search::{search, SearchHit};
