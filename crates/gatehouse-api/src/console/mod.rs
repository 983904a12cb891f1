//! The organiser console: what the office and the security chief read from a
//! station's own database — the evacuation roll-call (and its CSV and PDF),
//! the live dashboard, the audit log with its chain check, the revocations.
//!
//! Everything here is derived from the immutable logs (scans, audit,
//! revocations) at the moment it is asked for; nothing is cached beside them,
//! so a roll-call can never disagree with the scan log. Sync with other
//! stations and the event setup screens are not here.

pub mod audit_log;
pub mod conflicts;
pub mod dashboard;
pub mod pdf_table;
pub mod report_pdf;
pub mod report_table;
pub mod reports;
pub mod revocations;
pub mod rollcall;
pub mod rollcall_list;
pub mod rollcall_pdf;
pub mod setup;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::event::EventInfo;

/// The event's time zone (the days, the hours of the dashboard, the times
/// printed on a roll-call are the venue's).
pub fn venue_tz(event: &EventInfo) -> Result<TimeZone> {
    TimeZone::get(&event.time_zone)
        .map_err(|e| Error::Internal(format!("time zone {:?}: {e}", event.time_zone)))
}

/// The venue day that contains `at`: the one rule for "which day" that the
/// dashboard and the reports share (a scan at 00:30 venue time belongs to
/// the day that begins then, whatever the UTC date).
pub fn venue_day(at: Timestamp, tz: &TimeZone) -> jiff::civil::Date {
    tz.to_datetime(at).date()
}

/// A stored UTC instant as venue wall-clock time, `YYYY-MM-DD HH:MM`; the
/// text as stored if it does not parse (never hide a row for its time).
pub fn local_minute(at: &str, tz: &TimeZone) -> String {
    at.parse::<Timestamp>()
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

/// A file made for someone to keep: its suggested name and its bytes.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Writes `file` into the user's Downloads folder (the desktop window has no
/// file system access of its own), never overwriting: `name (2).pdf`…
/// Returns where it went.
pub fn save_to_downloads(file: &ExportFile) -> Result<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()
        .ok_or_else(|| Error::Internal("no home directory to save into".into()))?;
    let dir = match dirs.download_dir() {
        Some(d) => d.to_path_buf(),
        None => dirs.home_dir().join("Downloads"),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let (stem, ext) = match file.name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (file.name.clone(), String::new()),
    };
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}{ext}")
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(&file.bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot write {}", path.display()), e)),
        }
    }
    Err(crate::messages::Msg::TooManyFiles {
        name: file.name.to_string(),
        dir: dir.display().to_string(),
    }
    .into())
}

/// Where a file was saved for the user (the desktop window's downloads).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SavedFile {
    pub name: String,
    /// The full path, to tell the user where to find it.
    pub path: String,
}

/// Saves `file` into the Downloads folder off the async threads.
pub async fn save_in_downloads(file: ExportFile) -> Result<SavedFile> {
    let name = file.name.clone();
    let path = tokio::task::spawn_blocking(move || save_to_downloads(&file))
        .await
        .map_err(|e| Error::Internal(format!("saving {name}: {e}")))??;
    Ok(SavedFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name),
        path: path.display().to_string(),
    })
}
