//! `gatehouse bench`: the performance figures of this build on this machine.
//!
//! Each area adds a function that measures inside the process and pushes
//! [`Figure`]s; the CLI prints them (or `--json`). Run on a release build for
//! figures worth quoting: `cargo run --release -- bench`, or `make bench`,
//! which also compares them with the committed baseline
//! (`bench/baseline.json`, `bench/compare.py`) and the targets.
//!
//! The scratch databases go in a folder beside `--db`: durable figures are
//! those of the disk the station writes to, and its filesystem is printed.

mod badge;
mod gate;
mod privacy;
mod registry;
mod reports;
mod sync;
mod watchlist;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// One measured figure, with the target it is held to (if any).
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub area: &'static str,
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// e.g. "≥ 20000" or "≤ 5".
    pub target: Option<&'static str>,
    /// Which way is better: "higher" (rates) or "lower" (times, sizes), for
    /// the regression guard (`bench/compare.py`).
    pub better: &'static str,
}

/// Collects the figures of one run.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Where the scratch databases were (a folder beside `--db`).
    pub scratch: String,
    /// That folder's filesystem type (`ext4`, `tmpfs`…): on tmpfs an fsync
    /// costs nothing and durable figures mean little.
    pub filesystem: String,
    pub figures: Vec<Figure>,
}

impl Report {
    pub fn push(
        &mut self,
        area: &'static str,
        name: impl Into<String>,
        value: f64,
        unit: &'static str,
        target: Option<&'static str>,
    ) {
        self.figures.push(Figure {
            area,
            name: name.into(),
            value,
            unit,
            target,
            better: if unit.ends_with("/s") {
                "higher"
            } else {
                "lower"
            },
        });
    }
}

/// A scratch folder beside the station's database, on the filesystem the
/// station writes to (a temp folder may be tmpfs, where fsync costs
/// nothing), removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    /// A new folder `gatehouse-bench-<uuid>` in the folder of `db`.
    pub fn beside(db: &Path) -> Result<Scratch> {
        let parent = match db.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = parent.join(format!("gatehouse-bench-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        Ok(Scratch { dir })
    }

    /// A new sub-folder for one area.
    fn area(&self, name: &str) -> Result<PathBuf> {
        let dir = self.dir.join(name);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        Ok(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The type of the filesystem holding `path` (Linux: the longest mount
/// point above it in /proc/self/mountinfo), or "unknown".
pub fn filesystem_type(path: &Path) -> String {
    let Ok(path) = path.canonicalize() else {
        return "unknown".into();
    };
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return "unknown".into();
    };
    let mut best: Option<(usize, String)> = None;
    for line in info.lines() {
        // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE …
        let mut halves = line.splitn(2, " - ");
        let (Some(head), Some(tail)) = (halves.next(), halves.next()) else {
            continue;
        };
        let (Some(mount), Some(fstype)) = (head.split(' ').nth(4), tail.split(' ').next()) else {
            continue;
        };
        let mount = mount.replace("\\040", " ");
        let len = Path::new(&mount).components().count();
        if path.starts_with(&mount) && best.as_ref().is_none_or(|(l, _)| len >= *l) {
            best = Some((len, fstype.to_string()));
        }
    }
    best.map_or_else(|| "unknown".into(), |(_, t)| t)
}

/// Runs every benchmark whose area name contains `only` (all when `None`),
/// with its scratch databases in a new folder beside `db` (the station's
/// database, which is not opened).
pub async fn run(only: Option<&str>, db: &Path) -> Result<Report> {
    let scratch = Scratch::beside(db)?;
    let mut report = Report {
        scratch: scratch.dir.display().to_string(),
        filesystem: filesystem_type(&scratch.dir),
        figures: Vec::new(),
    };
    let wanted = |area: &str| only.is_none_or(|o| area.contains(o));
    if wanted("badge") {
        badge::run(&mut report, &scratch.area("badge")?).await?;
    }
    if wanted("gate") {
        gate::run(&mut report, &scratch.area("gate")?).await?;
    }
    if wanted("registry") {
        registry::run(&mut report, &scratch.area("registry")?).await?;
    }
    if wanted("privacy") {
        privacy::run(&mut report, &scratch.area("privacy")?).await?;
    }
    if wanted("sync-memory") || wanted("sync-hub") || wanted("sync-lan") || wanted("sync-first") {
        sync::run(&mut report, &scratch.area("sync")?, wanted).await?;
    }
    if wanted("reports") {
        reports::run(&mut report, &scratch.area("reports")?).await?;
    }
    if wanted("watchlist") {
        watchlist::run(&mut report, &scratch.area("watchlist")?).await?;
    }
    Ok(report)
}
