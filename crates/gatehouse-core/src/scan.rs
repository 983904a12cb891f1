//! A recorded scan as plain data: what the scan log stores, `gatehouse scans`
//! and `GET /api/scans` show, and sync carries ([`crate::sync::protocol::SyncRecord::Scan`]).
//! The log itself (deciding and recording in one transaction) is `scan_log`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::gate::Verdict;

/// One recorded scan, as `gatehouse scans` and `GET /api/scans` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Scan {
    pub id: String,
    pub station: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub serial: Option<String>,
    pub version: Option<u32>,
    pub zone: String,
    pub direction: String,
    pub decision: String,
    pub reason: String,
    pub at: String,
    pub operator: String,
}

/// A scan's verdict with the record that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScanOutcome {
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The scan record's id.
    pub id: String,
    pub station: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
}

/// Fixed-width UTC time, so that text order is time order.
pub fn format_at(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
