//! The console's import and personal-data figures, on a scratch database of
//! 10,000 imported attendees: the dry run redone on every change of the
//! column mapping (the organiser waits for it; target ≤ 1 s), erasing one
//! attendee (≤ 100 ms), and purging all 10,000 after the event (≤ 10 s).

use std::time::Instant;

use jiff::Timestamp;

use super::Report;
use crate::error::{Error, Result};
use crate::registry::import::{self, Column, ImportOptions, Mapping};
use crate::registry::{demo as people, privacy};
use crate::serial::BadgeSerial;
use crate::store::Store;

const ROWS: u32 = 10_000;

/// A pre-registration file whose family-name header is not recognised, as
/// the console meets it before the organiser maps that column.
fn csv_file(event: &crate::event::EventInfo) -> Result<Vec<u8>> {
    let mut out = String::from("Patronyme;Prénom;Société;Pays;Catégorie;Email;Référence\r\n");
    for (i, p) in people::people(ROWS, 5, event)?.iter().enumerate() {
        let f = &p.fields;
        out.push_str(&format!(
            "{};{};{};{};{};{};REF-{i:06}\r\n",
            f.family_name.replace(';', " "),
            f.given_names.replace(';', " "),
            f.organisation.replace(';', " "),
            f.country.as_deref().unwrap_or(""),
            f.category.as_str(),
            f.email
        ));
    }
    Ok(out.into_bytes())
}

pub async fn run(report: &mut Report, dir: &std::path::Path) -> Result<()> {
    measure(dir, report).await
}

async fn measure(dir: &std::path::Path, report: &mut Report) -> Result<()> {
    let now = Timestamp::now();
    let store = Store::open(&dir.join("privacy.db")).await?;
    crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
    let event = crate::event_store::load(store.read()).await?;
    let file = csv_file(&event)?;
    let mapping = Mapping(vec![
        Some(Column::FamilyName),
        Some(Column::GivenNames),
        Some(Column::Organisation),
        Some(Column::Country),
        Some(Column::Category),
        Some(Column::Email),
        Some(Column::ExternalRef),
    ]);

    let t = Instant::now();
    let preview = import::preview(&store, &file, "bench.csv", Some(mapping.clone())).await?;
    let secs = t.elapsed().as_secs_f64();
    let planned = preview.report.as_ref().map_or(0, |r| r.created);
    if planned != ROWS as usize {
        return Err(Error::Internal(format!(
            "bench preview plans {planned} of {ROWS}: {:?} {:?}",
            preview.problem,
            preview
                .report
                .map(|r| r.errors.into_iter().take(3).collect::<Vec<_>>())
        )));
    }
    report.push(
        "privacy",
        "console dry run of 10,000 rows with a changed mapping",
        secs,
        "s",
        Some("≤ 1"),
    );

    let done = import::import_mapped(
        &store,
        &file,
        "bench.csv",
        Some(&mapping),
        ImportOptions::default(),
        "bench",
        now,
        &mut |_, _| (),
    )
    .await?;
    if done.created != ROWS as usize {
        return Err(Error::Internal(format!(
            "bench import created {}",
            done.created
        )));
    }

    let serial = BadgeSerial::new(&event.serial_prefix, ROWS / 2)?;
    let t = Instant::now();
    privacy::erase(&store, &serial, now, "bench").await?;
    report.push(
        "privacy",
        "erase one attendee among 10,000",
        t.elapsed().as_secs_f64() * 1000.0,
        "ms",
        Some("≤ 100"),
    );

    let t = Instant::now();
    let purge = privacy::purge(&store, &event.name, now, "bench").await?;
    let secs = t.elapsed().as_secs_f64();
    if purge.erased + purge.already_erased != ROWS as usize {
        return Err(Error::Internal(format!("bench purge erased {purge:?}")));
    }
    report.push(
        "privacy",
        "purge the personal data of 10,000 attendees",
        secs,
        "s",
        Some("≤ 10"),
    );
    Ok(())
}
