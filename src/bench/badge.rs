//! Badge rendering figures: badges per second for a 1,000-badge batch with
//! distinct photos (one core: rendering is single-threaded), bytes per badge,
//! and the time to get one badge ready to print.
//!
//! Reference on this machine: ReportLab renders the same badge at about
//! 21 badges/s and 17 KB per badge; hence the targets (50× ReportLab, files
//! no larger). The photos are distinct synthetic portraits encoded by the
//! registry's own photo encoder (300 × 400, 4:2:0, q75), so the bytes per
//! badge are what stored photos make.

use std::time::Instant;

use super::Report;
use crate::badge::{render_pdf, sample, BadgeData, Format, Sheet, Template};
use crate::error::Result;

const BATCH: u32 = 1000;

/// CPU seconds this thread has used (Linux: /proc/thread-self/stat, in
/// USER_HZ = 1/100 s). On a shared machine the wall clock counts other
/// people's work; CPU time is what "on one core" means. `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
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

pub async fn run(report: &mut Report) -> Result<()> {
    // Rendering is CPU work: keep it off the async workers, on one thread.
    let figures = tokio::task::spawn_blocking(measure)
        .await
        .map_err(|e| crate::Error::Internal(format!("badge benchmark panicked: {e}")))??;
    for (name, value, unit, target) in figures {
        report.push("badge", name, value, unit, target);
    }
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
            "A6 badges per CPU second, one core",
            "A6 bytes per badge",
        ),
        (
            Format::Cr80,
            "CR80 badges per second, wall clock (1,000, distinct photos)",
            "CR80 badges per CPU second, one core",
            "CR80 bytes per badge",
        ),
    ] {
        let cpu = thread_cpu_seconds();
        let start = Instant::now();
        let pdf = render_pdf(&badges, &template, format, Sheet::Single)?;
        let secs = start.elapsed().as_secs_f64();
        out.push((name_rate, f64::from(BATCH) / secs, "badges/s", None));
        if let (Some(before), Some(after)) = (cpu, thread_cpu_seconds()) {
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
