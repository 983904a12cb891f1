//! `gatehouse rollcall --zone Z [--out FILE.csv|FILE.pdf]`.
//! With `--json`, the array of people inside (each with at least `serial`
//! and `name`), whether or not a file is written too.

use std::path::Path;

use super::rollcall::{export, RollcallFormat};
use super::{local_minute, venue_tz};
use crate::api::Api;
use crate::error::{Error, Result};
use crate::event::ZoneCode;
use crate::lang::Lang;

pub async fn rollcall(
    api: &Api,
    zone: &ZoneCode,
    out: Option<&Path>,
    json: bool,
    lang: Lang,
) -> Result<()> {
    let now = api.now().await?;
    let event = api.event().await?;
    let r = api.rollcall(zone, now).await?;
    if let Some(path) = out {
        let format = RollcallFormat::of_path(path)?;
        let file = export(&r, &event, format, lang)?;
        std::fs::write(path, &file.bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        if !json {
            out!(
                "{} {} → {}",
                r.entries.len(),
                lang.pick("personne(s) à l'intérieur", "person(s) inside"),
                path.display()
            );
        }
    }
    if json {
        let text =
            serde_json::to_string_pretty(&r.entries).map_err(|e| Error::Internal(e.to_string()))?;
        out!("{text}");
    } else if out.is_none() {
        let tz = venue_tz(&event)?;
        out!(
            "{} — {} : {} {}",
            zone,
            local_minute(&r.at, &tz),
            r.entries.len(),
            lang.pick("personne(s) à l'intérieur", "person(s) inside")
        );
        for e in &r.entries {
            out!(
                "{:<10} {:<32} {:<28} {:<4} {}",
                e.serial.as_str(),
                e.name,
                e.organisation,
                e.category,
                local_minute(&e.entered_at, &tz)
            );
        }
    }
    Ok(())
}

/// `gatehouse report [--kind attendance|prints] [--out FILE.csv|.xlsx|.pdf]`.
/// With `--json`, the report's data (whether or not a file is written too);
/// otherwise its tables as text, or one line saying where the file went.
pub async fn report(
    api: &Api,
    kind: super::reports::ReportKind,
    out: Option<&Path>,
    json: bool,
    lang: Lang,
) -> Result<()> {
    use super::reports::{export, tables, title, ReportFormat, ReportKind};
    let now = api.now().await?;
    let event = api.event().await?;
    let r = api.reports(now).await?;
    let file_lang = lang;
    if let Some(path) = out {
        let format = ReportFormat::of_path(path)?;
        let file = export(&r, kind, &event, format, file_lang)?;
        std::fs::write(path, &file.bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        if !json {
            out!("{} → {}", title(kind, file_lang), path.display());
        }
    }
    if json {
        let text = match kind {
            ReportKind::Attendance => serde_json::to_string_pretty(&r.attendance),
            ReportKind::Prints => serde_json::to_string_pretty(&r.prints),
        }
        .map_err(|e| Error::Internal(e.to_string()))?;
        out!("{text}");
    } else if out.is_none() {
        let tz = venue_tz(&event)?;
        out!("{} — {}", title(kind, file_lang), local_minute(&r.at, &tz));
        for t in tables(&r, kind, file_lang) {
            out!();
            out!("{}", t.title);
            let head: Vec<String> = t.headings.iter().map(|h| h.short.clone()).collect();
            let mut lines = vec![head];
            lines.extend(
                t.rows
                    .iter()
                    .map(|row| row.iter().map(|c| c.text()).collect()),
            );
            let widths: Vec<usize> = (0..t.headings.len())
                .map(|i| {
                    lines
                        .iter()
                        .map(|l| l.get(i).map_or(0, |c| c.chars().count()))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for l in &lines {
                let cells: Vec<String> = l
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        if i == 0 {
                            format!("{c:<w$}")
                        } else {
                            format!("{c:>w$}")
                        }
                    })
                    .collect();
                out!("  {}", cells.join("  "));
            }
        }
    }
    Ok(())
}
