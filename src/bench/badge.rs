//! Badge rendering figures: badges per second for a 1,000-badge batch with
//! distinct photos (per CPU second too: layout runs on every core), bytes per badge,
//! and the time to get one badge ready to print; then 1,000 badges from a
//! registry of demo people as `gatehouse badges --all` makes them (reading
//! the selection, issuing the tokens, reading the photos), in this process
//! and as the whole command in another.
//!
//! Reference on this machine: ReportLab renders the same badge at about
//! 21 badges/s and 17 KB per badge; hence the targets (50× ReportLab, files
//! no larger). The photos are distinct synthetic portraits encoded by the
//! registry's own photo encoder (300 × 400, 4:2:0, q75), so the bytes per
//! badge are what stored photos make.

use std::path::Path;
use std::time::Instant;

use jiff::Timestamp;

use super::Report;
use crate::badge::batch::Selection;
use crate::badge::{render_pdf, sample, BadgeData, Format, Sheet, Template};
use crate::error::{Error, Result};
use crate::store::Store;

const BATCH: u32 = 1000;

/// CPU seconds this process has used (Linux: /proc/self/stat, in USER_HZ
/// = 1/100 s), every thread counted: rendering lays badges out on as many
/// threads as there are cores. On a shared machine the wall clock counts
/// other people's work; CPU time is what the work itself costs. `None`
/// elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn batch(n: u32) -> Result<Vec<BadgeData>> {
    (1..=n)
        .map(|i| {
            sample::badge(
                i,
                sample::token_like_text(i),
                Some(sample::portrait_jpeg(i)?),
            )
        })
        .collect()
}

pub async fn run(report: &mut Report, dir: &Path) -> Result<()> {
    // Rendering is CPU work: keep it off the async workers, on one thread.
    let figures = tokio::task::spawn_blocking(measure)
        .await
        .map_err(|e| crate::Error::Internal(format!("badge benchmark panicked: {e}")))??;
    for (name, value, unit, target) in figures {
        report.push("badge", name, value, unit, target);
    }
    from_registry(report, dir).await
}

/// A registry of [`BATCH`] demo people (portraits for most), none issued yet.
async fn registry(db: &Path, now: Timestamp) -> Result<Store> {
    let store = Store::open(db).await?;
    crate::demo::install(&store, crate::demo::today_at_venue(now)?, now).await?;
    crate::registry::demo::install(&store, BATCH, crate::registry::demo::DEFAULT_SEED, now).await?;
    Ok(store)
}

/// `gatehouse badges --all --format a6` for [`BATCH`] people: in this
/// process (selection read, tokens issued, photos read, rendered), and the
/// whole command in another process as a user runs it, each on its own
/// fresh registry.
async fn from_registry(report: &mut Report, dir: &Path) -> Result<()> {
    let now = Timestamp::now();
    let store = registry(&dir.join("in-process.db"), now).await?;
    let start = Instant::now();
    let r = crate::badge::batch::render(
        &store,
        &Selection::All,
        Format::A6,
        Sheet::Single,
        now,
        "bench",
    )
    .await?;
    let secs = start.elapsed().as_secs_f64();
    store.close().await;
    if r.badges.len() != BATCH as usize {
        return Err(Error::Internal(format!(
            "badge benchmark: {} badges rendered of {BATCH}",
            r.badges.len()
        )));
    }
    report.push(
        "badge",
        "A6 badges per second from the registry, 1,000 (read, issued, rendered)",
        f64::from(BATCH) / secs,
        "badges/s",
        Some("≥ 1000"),
    );

    // The command itself, when this is the gatehouse binary.
    let exe = std::env::current_exe().map_err(|e| Error::io("the running program", e))?;
    if exe
        .file_stem()
        .is_none_or(|n| n.to_string_lossy() != "gatehouse")
    {
        return Ok(());
    }
    let db = dir.join("command.db");
    registry(&db, now).await?.close().await;
    let out = dir.join("badges.pdf");
    let start = Instant::now();
    let mut command = std::process::Command::new(&exe);
    command
        .arg("--db")
        .arg(&db)
        .args(["badges", "--all", "--format", "a6", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null());
    let status = tokio::task::spawn_blocking(move || command.status())
        .await
        .map_err(|e| Error::Internal(format!("badge benchmark: {e}")))?
        .map_err(|e| Error::io(format!("cannot run {}", exe.display()), e))?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(Error::Internal(format!(
            "badge benchmark: `gatehouse badges --all` failed ({status})"
        )));
    }
    report.push(
        "badge",
        "`gatehouse badges --all --format a6`, 1,000 people, whole command",
        f64::from(BATCH) / secs,
        "badges/s",
        Some("≥ 1000"),
    );
    Ok(())
}

type Figures = Vec<(&'static str, f64, &'static str, Option<&'static str>)>;

fn measure() -> Result<Figures> {
    let template = Template::bamex25()?;
    let badges = batch(BATCH)?;
    let photo_bytes: usize = badges
        .iter()
        .filter_map(|b| b.photo_jpeg.as_ref().map(Vec::len))
        .sum();

    // Warm up (font parsing happens once per process).
    render_pdf(&badges[..1], &template, Format::A6, Sheet::Single)?;

    let mut out = Vec::new();
    for (format, name_rate, name_cpu, name_size) in [
        (
            Format::A6,
            "A6 badges per second, wall clock (1,000, distinct photos)",
            "A6 badges per CPU second (every thread)",
            "A6 bytes per badge",
        ),
        (
            Format::Cr80,
            "CR80 badges per second, wall clock (1,000, distinct photos)",
            "CR80 badges per CPU second (every thread)",
            "CR80 bytes per badge",
        ),
    ] {
        let cpu = cpu_seconds();
        let start = Instant::now();
        let pdf = render_pdf(&badges, &template, format, Sheet::Single)?;
        let secs = start.elapsed().as_secs_f64();
        out.push((name_rate, f64::from(BATCH) / secs, "badges/s", None));
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            let used = (after - before).max(0.01);
            out.push((
                name_cpu,
                f64::from(BATCH) / used,
                "badges/s",
                Some("≥ 1000"),
            ));
        }
        out.push((
            name_size,
            pdf.len() as f64 / f64::from(BATCH),
            "bytes",
            Some("≤ 17000"),
        ));
        if format == Format::A6 {
            out.push((
                "A6 bytes per badge besides its photo",
                (pdf.len() - photo_bytes) as f64 / f64::from(BATCH),
                "bytes",
                None,
            ));
        }
    }

    // One badge, ready to print: layout, QR, PDF bytes. Median of 21.
    let mut times: Vec<f64> = (0..21)
        .map(|i| {
            let start = Instant::now();
            render_pdf(&badges[i..=i], &template, Format::A6, Sheet::Single)?;
            Ok(start.elapsed().as_secs_f64() * 1000.0)
        })
        .collect::<Result<_>>()?;
    times.sort_by(f64::total_cmp);
    out.push((
        "one badge ready to print (median)",
        times[times.len() / 2],
        "ms",
        Some("< 50"),
    ));
    out.push((
        "average photo (300×400 JPEG) in the batch",
        photo_bytes as f64 / f64::from(BATCH),
        "bytes",
        None,
    ));
    Ok(out)
}
