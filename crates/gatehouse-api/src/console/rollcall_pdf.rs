//! The roll-call on A4 paper: a title naming the zone, the count and the
//! time it was drawn up, then a table (badge, name, organisation, category,
//! entry time, a box to tick) repeated with its header on every page.
//!
//! Drawn with the console's shared table drawing ([`super::pdf_table`]), in
//! the badges' own fonts, so names keep their diacritics and can be searched.

use super::pdf_table::{
    body_row, columns, document, fit, footer, header_row, Column, Draw, MARGIN, PAGE_W, ROW_H,
    TABLE_BOTTOM,
};
use super::rollcall_list::Rollcall;
use super::{local_minute, venue_tz};
use crate::badge::fonts::Weight;
use crate::error::Result;
use crate::event::EventInfo;
use crate::lang::Lang;

/// Top of the table on the first page (below the title block) and on the others.
const TABLE_TOP_FIRST: f32 = 44.0;
const TABLE_TOP: f32 = 24.0;

/// The table's columns; the last one is the box to tick.
fn rollcall_columns(lang: Lang) -> Vec<Column> {
    let w = [8.0, 24.0, 52.0, 46.0, 14.0, 26.0, 12.0];
    let heads = [
        "#",
        lang.pick("Badge", "Badge"),
        lang.pick("Nom", "Name"),
        lang.pick("Organisation", "Organisation"),
        lang.pick("Cat.", "Cat."),
        lang.pick("Entrée", "Entered"),
        lang.pick("Vu", "Seen"),
    ];
    columns(heads.iter().zip(w).map(|(h, w)| (h.to_string(), w, false)))
}

/// The PDF bytes of `r`.
pub fn write(r: &Rollcall, event: &EventInfo, lang: Lang) -> Result<Vec<u8>> {
    let tz = venue_tz(event)?;
    let cols = rollcall_columns(lang);
    let zone_name = match lang {
        Lang::Fr => &r.zone_name_fr,
        Lang::En => &r.zone_name_en,
    };
    let drawn_up = local_minute(&r.at, &tz);
    let count = r.entries.len();

    // Lay out every page as a list of drawings.
    let first_rows = ((TABLE_BOTTOM - TABLE_TOP_FIRST) / ROW_H) as usize - 1;
    let other_rows = ((TABLE_BOTTOM - TABLE_TOP) / ROW_H) as usize - 1;
    let mut chunks: Vec<&[super::rollcall_list::RollcallEntry]> = Vec::new();
    let mut rest = &r.entries[..];
    let mut first = true;
    loop {
        let take = if first { first_rows } else { other_rows }.min(rest.len());
        chunks.push(&rest[..take]);
        rest = &rest[take..];
        first = false;
        if rest.is_empty() {
            break;
        }
    }
    let pages = chunks.len();
    let mut layouts: Vec<Vec<Draw>> = Vec::new();
    let mut n = 0usize;
    for (p, chunk) in chunks.iter().enumerate() {
        let mut d = Vec::new();
        let top = if p == 0 {
            d.push(Draw::Text {
                weight: Weight::Regular,
                size: 9.0,
                x: MARGIN,
                baseline: MARGIN + 3.0,
                text: fit(Weight::Regular, 9.0, PAGE_W - 2.0 * MARGIN, &event.name)?,
                grey: true,
            });
            let title = format!(
                "{} — {} · {zone_name}",
                lang.pick("Appel d'évacuation", "Evacuation roll-call"),
                r.zone
            );
            d.push(Draw::Text {
                weight: Weight::Bold,
                size: 17.0,
                x: MARGIN,
                baseline: MARGIN + 12.0,
                text: fit(Weight::Bold, 17.0, PAGE_W - 2.0 * MARGIN, &title)?,
                grey: false,
            });
            let people = match (lang, count) {
                (Lang::Fr, 0) => "personne à l'intérieur".to_string(),
                (Lang::Fr, 1) => "1 personne à l'intérieur".to_string(),
                (Lang::Fr, c) => format!("{c} personnes à l'intérieur"),
                (Lang::En, 0) => "nobody inside".to_string(),
                (Lang::En, 1) => "1 person inside".to_string(),
                (Lang::En, c) => format!("{c} people inside"),
            };
            let capacity = r
                .capacity
                .map(|c| format!(" ({} {c})", lang.pick("capacité", "capacity")))
                .unwrap_or_default();
            d.push(Draw::Text {
                weight: Weight::Regular,
                size: 11.0,
                x: MARGIN,
                baseline: MARGIN + 20.0,
                text: format!(
                    "{people}{capacity} — {} {drawn_up} ({})",
                    lang.pick("établi le", "as of"),
                    event.time_zone
                ),
                grey: false,
            });
            TABLE_TOP_FIRST
        } else {
            d.push(Draw::Text {
                weight: Weight::Bold,
                size: 11.0,
                x: MARGIN,
                baseline: MARGIN + 4.0,
                text: fit(
                    Weight::Bold,
                    11.0,
                    PAGE_W - 2.0 * MARGIN,
                    &format!(
                        "{} — {} · {drawn_up}",
                        lang.pick("Appel d'évacuation", "Evacuation roll-call"),
                        r.zone
                    ),
                )?,
                grey: false,
            });
            TABLE_TOP
        };
        header_row(&mut d, &cols, top)?;
        if chunk.is_empty() && p == 0 {
            d.push(Draw::Text {
                weight: Weight::Regular,
                size: 11.0,
                x: MARGIN + 1.0,
                baseline: top + ROW_H * 2.0,
                text: lang
                    .pick(
                        "Personne n'est entré dans cette zone sans en être ressorti.",
                        "Nobody has entered this zone without leaving it.",
                    )
                    .to_string(),
                grey: false,
            });
        }
        for (i, e) in chunk.iter().enumerate() {
            n += 1;
            let y = top + ROW_H * (i as f32 + 1.0);
            let name = if e.family_name.is_empty() && e.given_names.is_empty() {
                lang.pick("(effacé)", "(erased)").to_string()
            } else {
                format!("{} {}", e.family_name.to_uppercase(), e.given_names)
            };
            let time = local_minute(&e.entered_at, &tz);
            let hm = time.rsplit(' ').next().unwrap_or(&time).to_string();
            let cells = [
                n.to_string(),
                e.serial.as_str().to_string(),
                name,
                e.organisation.clone(),
                e.category.clone(),
                hm,
                String::new(),
            ];
            body_row(&mut d, &cols, y, i, &cells)?;
            d.push(Draw::Box {
                x: cols[6].x + 3.5,
                y: y + 1.3,
                w: 4.0,
                h: 4.0,
            });
        }
        footer(&mut d, lang, p, pages);
        layouts.push(d);
    }

    let title = format!(
        "{} — {} — {drawn_up}",
        lang.pick("Appel d'évacuation", "Evacuation roll-call"),
        r.zone
    );
    document(&title, &layouts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::rollcall_list::RollcallEntry;

    use crate::console::pdf_table::page_count as pages;

    #[test]
    fn a_long_rollcall_runs_over_pages_and_an_empty_one_is_one_page() -> Result<()> {
        let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let entry = |n: u32| -> Result<RollcallEntry> {
            Ok(RollcallEntry {
                serial: crate::serial::BadgeSerial::new("BMX", n)?,
                name: format!("Aïssata Goïta {n}"),
                given_names: "Aïssata".into(),
                family_name: format!("Goïta {n}"),
                organisation: "Ministère de la Défense et des Anciens Combattants du Mali".into(),
                country: Some("ML".into()),
                category: "DEL".into(),
                delegation: None,
                entered_at: "2025-11-11T09:30:00Z".into(),
            })
        };
        let mut r = Rollcall {
            zone: "HALL".parse()?,
            zone_name_fr: "Hall d'exposition".into(),
            zone_name_en: "Exhibition hall".into(),
            capacity: Some(4000),
            at: "2025-11-11T10:00:00Z".into(),
            entries: (1..=85).map(entry).collect::<Result<_>>()?,
        };
        let pdf = write(&r, &event, Lang::Fr)?;
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages(&pdf), 3, "34 rows on the first page, 37 on the next");
        r.entries.clear();
        assert_eq!(pages(&write(&r, &event, Lang::En)?), 1);
        Ok(())
    }
}
