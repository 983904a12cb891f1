//! `gatehouse bench`: the performance figures of this build on this machine.
//!
//! Each area adds a function that measures inside the process and pushes
//! [`Figure`]s; the CLI prints them (or `--json`). Run on a release build for
//! figures worth quoting: `cargo run --release -- bench`.

mod badge;
mod gate;
mod privacy;
mod registry;
mod reports;
mod sync;

use serde::Serialize;

use crate::error::Result;

/// One measured figure, with the target it is held to (if any).
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub area: &'static str,
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// e.g. "≥ 20000" or "≤ 5".
    pub target: Option<&'static str>,
}

/// Collects the figures of one run.
#[derive(Debug, Default, Serialize)]
pub struct Report {
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
        });
    }
}

/// Runs every benchmark whose area name contains `only` (all when `None`),
/// in a scratch directory.
pub async fn run(only: Option<&str>) -> Result<Report> {
    #[allow(unused_mut)] // areas push into it as they are added
    let mut report = Report::default();
    let wanted = |area: &str| only.is_none_or(|o| area.contains(o));
    if wanted("badge") {
        badge::run(&mut report).await?;
    }
    if wanted("gate") {
        gate::run(&mut report).await?;
    }
    if wanted("registry") {
        registry::run(&mut report).await?;
    }
    if wanted("privacy") {
        privacy::run(&mut report).await?;
    }
    if wanted("sync") {
        sync::run(&mut report).await?;
    }
    if wanted("reports") {
        reports::run(&mut report).await?;
    }
    Ok(report)
}
