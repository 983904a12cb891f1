//! The roll-call on A4 paper: a title naming the zone, the count and the
//! time it was drawn up, then a table (badge, name, organisation, category,
//! entry time, a box to tick) repeated with its header on every page.
//!
//! Drawn with printpdf in the badges' own fonts (Noto Sans, subset by
//! [`crate::badge::pdf::subset`]), so names keep their diacritics and can
//! be searched in the file.

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::rollcall::Rollcall;
use super::{local_minute, venue_tz, FileLang};
use crate::badge::fit::MM_PER_PT;
use crate::badge::fonts::{width_em, Weight};
use crate::error::Result;
use crate::event::EventInfo;

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 14.0;
const ROW_H: f32 = 6.6;
const TEXT_PT: f32 = 9.0;
/// Top of the table on the first page (below the title block) and on the others.
const TABLE_TOP_FIRST: f32 = 44.0;
const TABLE_TOP: f32 = 24.0;
const TABLE_BOTTOM: f32 = PAGE_H - 16.0;

/// One thing to draw, in mm from the page's top-left corner.
enum Draw {
    Text {
        weight: Weight,
        size: f32,
        x: f32,
        baseline: f32,
        text: String,
        grey: bool,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    HLine {
        x1: f32,
        x2: f32,
        y: f32,
    },
}

/// `text` shortened with "…" to fit `width_mm` at `size` points; characters
/// the font lacks become "?" rather than an empty box.
fn fit(weight: Weight, size: f32, width_mm: f32, text: &str) -> Result<String> {
    let face = weight.face()?;
    use ab_glyph::Font;
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() || face.glyph_id(c).0 != 0 {
                c
            } else {
                '?'
            }
        })
        .collect();
    let fits =
        |s: &str| -> Result<bool> { Ok(width_em(weight, s)? * size * MM_PER_PT <= width_mm) };
    if fits(&clean)? {
        return Ok(clean);
    }
    let mut chars: Vec<char> = clean.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if fits(&s)? {
            return Ok(s);
        }
    }
    Ok(String::new())
}

/// The table's columns: header, x and width in mm.
fn columns(lang: FileLang) -> [(&'static str, f32, f32); 7] {
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
    let mut x = MARGIN;
    let mut out = [("", 0.0, 0.0); 7];
    for (i, (h, w)) in heads.iter().zip(w).enumerate() {
        out[i] = (h, x, w);
        x += w;
    }
    out
}

/// The PDF bytes of `r`.
pub fn write(r: &Rollcall, event: &EventInfo, lang: FileLang) -> Result<Vec<u8>> {
    let tz = venue_tz(event)?;
    let cols = columns(lang);
    let zone_name = match lang {
        FileLang::Fr => &r.zone_name_fr,
        FileLang::En => &r.zone_name_en,
    };
    let drawn_up = local_minute(&r.at, &tz);
    let count = r.entries.len();

    // Lay out every page as a list of drawings.
    let first_rows = ((TABLE_BOTTOM - TABLE_TOP_FIRST) / ROW_H) as usize - 1;
    let other_rows = ((TABLE_BOTTOM - TABLE_TOP) / ROW_H) as usize - 1;
    let mut chunks: Vec<&[super::rollcall::RollcallEntry]> = Vec::new();
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
                (FileLang::Fr, 0) => "personne à l'intérieur".to_string(),
                (FileLang::Fr, 1) => "1 personne à l'intérieur".to_string(),
                (FileLang::Fr, c) => format!("{c} personnes à l'intérieur"),
                (FileLang::En, 0) => "nobody inside".to_string(),
                (FileLang::En, 1) => "1 person inside".to_string(),
                (FileLang::En, c) => format!("{c} people inside"),
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
        // Header row.
        d.push(Draw::Fill {
            x: MARGIN,
            y: top,
            w: PAGE_W - 2.0 * MARGIN,
            h: ROW_H,
            grey: 0.85,
        });
        for (h, x, w) in cols {
            d.push(Draw::Text {
                weight: Weight::Bold,
                size: TEXT_PT,
                x: x + 1.0,
                baseline: top + ROW_H * 0.7,
                text: fit(Weight::Bold, TEXT_PT, w - 2.0, h)?,
                grey: false,
            });
        }
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
            if i % 2 == 1 {
                d.push(Draw::Fill {
                    x: MARGIN,
                    y,
                    w: PAGE_W - 2.0 * MARGIN,
                    h: ROW_H,
                    grey: 0.95,
                });
            }
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
            for ((_, x, w), text) in cols.iter().zip(cells) {
                if !text.is_empty() {
                    let weight = Weight::Regular;
                    d.push(Draw::Text {
                        weight,
                        size: TEXT_PT,
                        x: x + 1.0,
                        baseline: y + ROW_H * 0.7,
                        text: fit(weight, TEXT_PT, w - 2.0, &text)?,
                        grey: false,
                    });
                }
            }
            let (_, bx, _) = cols[6];
            d.push(Draw::Box {
                x: bx + 3.5,
                y: y + 1.3,
                w: 4.0,
                h: 4.0,
            });
            d.push(Draw::HLine {
                x1: MARGIN,
                x2: PAGE_W - MARGIN,
                y: y + ROW_H,
            });
        }
        d.push(Draw::Text {
            weight: Weight::Regular,
            size: 8.0,
            x: MARGIN,
            baseline: PAGE_H - 8.0,
            text: format!(
                "Gatehouse — {} {}/{pages}",
                lang.pick("page", "page"),
                p + 1
            ),
            grey: true,
        });
        layouts.push(d);
    }

    // Fonts: only the glyphs drawn.
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    for d in layouts.iter().flatten() {
        if let Draw::Text { weight, text, .. } = d {
            match weight {
                Weight::Regular => regular.extend(text.chars()),
                Weight::Bold => bold.extend(text.chars()),
            }
        }
    }
    let title = format!(
        "{} — {} — {drawn_up}",
        lang.pick("Appel d'évacuation", "Evacuation roll-call"),
        r.zone
    );
    let mut doc = PdfDocument::new(&title);
    let fonts: (FontId, FontId) = (
        doc.add_font(&crate::badge::pdf::subset(Weight::Regular, &regular)?),
        doc.add_font(&crate::badge::pdf::subset(Weight::Bold, &bold)?),
    );
    let pdf_pages = layouts
        .iter()
        .map(|d| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops(d, &fonts)))
        .collect();
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let bytes = doc.with_pages(pdf_pages).save(&opts, &mut warnings);
    for w in &warnings {
        tracing::debug!("printpdf: {w:?}");
    }
    Ok(bytes)
}

fn px(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

fn py(mm: f32) -> Pt {
    Pt((PAGE_H - mm) / MM_PER_PT)
}

fn grey(g: f32) -> Color {
    Color::Rgb(printpdf::Rgb::new(g, g, g, None))
}

fn ops(drawings: &[Draw], fonts: &(FontId, FontId)) -> Vec<Op> {
    let mut ops = vec![Op::SetOutlineThickness { pt: Pt(0.4) }];
    for d in drawings {
        match d {
            Draw::Text {
                weight,
                size,
                x,
                baseline,
                text,
                grey: g,
            } => {
                let font = match weight {
                    Weight::Regular => fonts.0.clone(),
                    Weight::Bold => fonts.1.clone(),
                };
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(*size),
                });
                ops.push(Op::SetFillColor {
                    col: grey(if *g { 0.35 } else { 0.0 }),
                });
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(px(*x), py(*baseline)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                ops.push(Op::EndTextSection);
            }
            Draw::Fill {
                x,
                y,
                w,
                h,
                grey: g,
            } => {
                ops.push(Op::SetFillColor { col: grey(*g) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: px(*x),
                        y: py(y + h),
                        width: Pt(w / MM_PER_PT),
                        height: Pt(h / MM_PER_PT),
                        mode: Some(PaintMode::Fill),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Draw::Box { x, y, w, h } => {
                ops.push(Op::SetOutlineColor { col: grey(0.0) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: px(*x),
                        y: py(y + h),
                        width: Pt(w / MM_PER_PT),
                        height: Pt(h / MM_PER_PT),
                        mode: Some(PaintMode::Stroke),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Draw::HLine { x1, x2, y } => {
                ops.push(Op::SetOutlineColor { col: grey(0.7) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: Point {
                                    x: px(*x1),
                                    y: py(*y),
                                },
                                bezier: false,
                            },
                            LinePoint {
                                p: Point {
                                    x: px(*x2),
                                    y: py(*y),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::rollcall::RollcallEntry;

    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.match_indices("/Type")
            .filter(|(i, _)| {
                let rest = text[i + 5..].trim_start();
                rest.starts_with("/Page") && !rest.starts_with("/Pages")
            })
            .count()
    }

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
        let pdf = write(&r, &event, FileLang::Fr)?;
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages(&pdf), 3, "34 rows on the first page, 37 on the next");
        r.entries.clear();
        assert_eq!(pages(&write(&r, &event, FileLang::En)?), 1);
        Ok(())
    }
}
