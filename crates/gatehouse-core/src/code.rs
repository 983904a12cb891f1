//! The closed set of wire codes every refusal travels under (a leaf: the
//! catalogue and the error type both name it).

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, as a shell or a UI needs to tell cases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was refused: the message names the field and why.
    BadInput,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    /// The database holds no event yet (`gatehouse demo` creates one).
    NoEvent,
    /// Too many wrong PINs from this source: `retry_after_s` says how long to wait.
    TooManyAttempts,
    /// The disk holding the station's database is full: nothing was recorded.
    DiskFull,
    /// The station's database is damaged, cut short, or missing while the
    /// station is paired: the station stops; the message says what to do.
    DatabaseDamaged,
    /// A paired station cannot know the time (its clock went back, or too
    /// far on, since its last reading of the hub's): no gate decision until
    /// its clock is set and it syncs; `last_safe_at` is the last time it knew.
    TimeUnknown,
    Internal,
}
