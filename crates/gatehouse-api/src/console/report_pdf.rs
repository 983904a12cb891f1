//! A report on A4 paper: the event, the report's title and when it was drawn
//! up, then each of its [`Table`]s under its own heading, flowing over pages
//! (a table cut by a page break repeats its heading and header row).
//! Drawn with the console's shared table drawing ([`super::pdf_table`]).

use super::pdf_table::{
    body_row, columns, document, fit, footer, header_row, Column, Draw, MARGIN, PAGE_W, ROW_H,
    TABLE_BOTTOM,
};
use super::report_table::Table;
use super::{local_minute, venue_tz};
use crate::badge::fonts::Weight;
use crate::error::Result;
use crate::event::EventInfo;
use crate::lang::Lang;

const TABLE_TOP_FIRST: f32 = 38.0;
const TABLE_TOP: f32 = 24.0;
/// A table's heading above its header row.
const HEADING_H: f32 = 8.0;
/// Space after a table.
const GAP: f32 = 6.0;

/// The label column takes what the numbers leave, numbers at most 22 mm each.
fn table_columns(t: &Table) -> Vec<Column> {
    let avail = PAGE_W - 2.0 * MARGIN;
    let numbers = t.headings.iter().filter(|h| h.numeric).count().max(1) as f32;
    let num_w = ((avail - 50.0) / numbers).min(22.0);
    let label_w = avail - num_w * (t.headings.len().saturating_sub(1)) as f32;
    columns(t.headings.iter().enumerate().map(|(i, h)| {
        let w = if i == 0 { label_w } else { num_w };
        (h.short.clone(), w, h.numeric)
    }))
}

/// The PDF bytes of a report titled `title`, drawn up at `at` (RFC 3339).
pub fn write(
    title: &str,
    tables: &[Table],
    event: &EventInfo,
    at: &str,
    lang: Lang,
) -> Result<Vec<u8>> {
    let tz = venue_tz(event)?;
    let drawn_up = local_minute(at, &tz);
    let mut pages: Vec<Vec<Draw>> = Vec::new();

    let mut d = vec![
        Draw::Text {
            weight: Weight::Regular,
            size: 9.0,
            x: MARGIN,
            baseline: MARGIN + 3.0,
            text: fit(Weight::Regular, 9.0, PAGE_W - 2.0 * MARGIN, &event.name)?,
            grey: true,
        },
        Draw::Text {
            weight: Weight::Bold,
            size: 17.0,
            x: MARGIN,
            baseline: MARGIN + 12.0,
            text: fit(Weight::Bold, 17.0, PAGE_W - 2.0 * MARGIN, title)?,
            grey: false,
        },
        Draw::Text {
            weight: Weight::Regular,
            size: 11.0,
            x: MARGIN,
            baseline: MARGIN + 18.5,
            text: format!(
                "{} {drawn_up} ({})",
                lang.pick("établi le", "as of"),
                event.time_zone
            ),
            grey: false,
        },
    ];
    let mut y = TABLE_TOP_FIRST;
    let new_page = |d: &mut Vec<Draw>, pages: &mut Vec<Vec<Draw>>| -> Result<f32> {
        pages.push(std::mem::take(d));
        d.push(Draw::Text {
            weight: Weight::Bold,
            size: 11.0,
            x: MARGIN,
            baseline: MARGIN + 4.0,
            text: fit(
                Weight::Bold,
                11.0,
                PAGE_W - 2.0 * MARGIN,
                &format!("{title} · {drawn_up}"),
            )?,
            grey: false,
        });
        Ok(TABLE_TOP)
    };
    let heading = |d: &mut Vec<Draw>, y: f32, text: &str| -> Result<()> {
        d.push(Draw::Text {
            weight: Weight::Bold,
            size: 12.0,
            x: MARGIN,
            baseline: y + 5.5,
            text: fit(Weight::Bold, 12.0, PAGE_W - 2.0 * MARGIN, text)?,
            grey: false,
        });
        Ok(())
    };

    for t in tables {
        let cols = table_columns(t);
        // A heading never stands alone at the foot of a page.
        if y + HEADING_H + 2.0 * ROW_H > TABLE_BOTTOM {
            y = new_page(&mut d, &mut pages)?;
        }
        heading(&mut d, y, &t.title)?;
        y += HEADING_H;
        header_row(&mut d, &cols, y)?;
        y += ROW_H;
        if t.rows.is_empty() {
            body_row(
                &mut d,
                &cols,
                y,
                0,
                &[lang.pick("(aucune donnée)", "(no data)").to_string()],
            )?;
            y += ROW_H;
        }
        for (i, row) in t.rows.iter().enumerate() {
            if y + ROW_H > TABLE_BOTTOM {
                y = new_page(&mut d, &mut pages)?;
                heading(
                    &mut d,
                    y,
                    &format!("{} ({})", t.title, lang.pick("suite", "continued")),
                )?;
                y += HEADING_H;
                header_row(&mut d, &cols, y)?;
                y += ROW_H;
            }
            let cells: Vec<String> = row.iter().map(|c| c.text()).collect();
            body_row(&mut d, &cols, y, i, &cells)?;
            y += ROW_H;
        }
        y += GAP;
    }
    pages.push(d);
    let count = pages.len();
    for (p, d) in pages.iter_mut().enumerate() {
        footer(d, lang, p, count);
    }
    document(&format!("{title} — {drawn_up}"), &pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::pdf_table::page_count;
    use crate::console::report_table::{Cell, Heading};

    #[test]
    fn a_long_table_flows_onto_more_pages() -> Result<()> {
        let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let heading = |t: &str, numeric| Heading {
            text: t.into(),
            short: t.into(),
            numeric,
        };
        let table = |rows: u32| Table {
            title: "Par délégation".into(),
            headings: vec![heading("Délégation", false), heading("Inscrits", true)],
            rows: (0..rows)
                .map(|n| vec![Cell::Text(format!("Délégation {n}")), Cell::Number(n)])
                .collect(),
        };
        let one = write(
            "Rapport",
            &[table(3)],
            &event,
            "2025-11-11T18:00:00Z",
            Lang::Fr,
        )?;
        assert_eq!(page_count(&one), 1);
        let many = write(
            "Rapport",
            &[table(90)],
            &event,
            "2025-11-11T18:00:00Z",
            Lang::Fr,
        )?;
        assert_eq!(
            page_count(&many),
            3,
            "34 rows on the first page, 36 on the next"
        );
        Ok(())
    }
}
