//! `gatehouse rollcall --zone Z [--out FILE.csv|FILE.pdf]`.
//! With `--json`, the array of people inside (each with at least `serial`
//! and `name`), whether or not a file is written too.

use std::path::Path;

use jiff::Timestamp;

use super::rollcall::{export, RollcallFormat};
use super::{local_minute, venue_tz, FileLang};
use crate::api::Api;
use crate::cli::Lang;
use crate::error::{Error, Result};
use crate::event::ZoneCode;

pub async fn rollcall(
    api: &Api,
    zone: &ZoneCode,
    out: Option<&Path>,
    json: bool,
    lang: Lang,
) -> Result<()> {
    let now = Timestamp::now();
    let event = api.event().await?;
    let r = api.rollcall(zone, now).await?;
    if let Some(path) = out {
        let format = RollcallFormat::of_path(path)?;
        let file = export(&r, &event, format, FileLang::from(lang))?;
        std::fs::write(path, &file.bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        if !json {
            println!(
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
        println!("{text}");
    } else if out.is_none() {
        let tz = venue_tz(&event)?;
        println!(
            "{} — {} : {} {}",
            zone,
            local_minute(&r.at, &tz),
            r.entries.len(),
            lang.pick("personne(s) à l'intérieur", "person(s) inside")
        );
        for e in &r.entries {
            println!(
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
