//! What the console's A4 documents (the roll-call, the reports) draw with:
//! pages laid out as plain lists of [`Draw`]s in mm from the top-left corner,
//! table rows with a grey header and zebra stripes, a page footer, and the
//! printpdf document in the badges' own fonts (Noto Sans, subset by
//! [`crate::badge::pdf::subset`] to the glyphs drawn), so names keep their
//! diacritics and can be searched in the file. Each document decides its
//! own columns and title block.

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use crate::badge::fit::MM_PER_PT;
use crate::badge::fonts::{width_em, Weight};
use crate::error::Result;
use crate::lang::Lang;

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 14.0;
pub const ROW_H: f32 = 6.6;
pub const TEXT_PT: f32 = 9.0;
/// Where the table stops, above the footer.
pub const TABLE_BOTTOM: f32 = PAGE_H - 16.0;

/// One thing to draw, in mm from the page's top-left corner.
pub enum Draw {
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
pub fn fit(weight: Weight, size: f32, width_mm: f32, text: &str) -> Result<String> {
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

/// A table column: its header, left edge and width in mm, and whether its
/// cells are numbers (set flush right).
#[derive(Debug, Clone)]
pub struct Column {
    pub head: String,
    pub x: f32,
    pub w: f32,
    pub right: bool,
}

/// Columns side by side from the left margin: `(header, width, right)`.
pub fn columns(specs: impl IntoIterator<Item = (String, f32, bool)>) -> Vec<Column> {
    let mut x = MARGIN;
    specs
        .into_iter()
        .map(|(head, w, right)| {
            let c = Column { head, x, w, right };
            x += w;
            c
        })
        .collect()
}

/// The text of one cell, fitted into its column (1 mm padding each side).
fn cell(d: &mut Vec<Draw>, col: &Column, weight: Weight, baseline: f32, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let text = fit(weight, TEXT_PT, col.w - 2.0, text)?;
    let x = if col.right {
        col.x + col.w - 1.0 - width_em(weight, &text)? * TEXT_PT * MM_PER_PT
    } else {
        col.x + 1.0
    };
    d.push(Draw::Text {
        weight,
        size: TEXT_PT,
        x,
        baseline,
        text,
        grey: false,
    });
    Ok(())
}

/// The grey header row of a table whose top is at `top`.
pub fn header_row(d: &mut Vec<Draw>, cols: &[Column], top: f32) -> Result<()> {
    d.push(Draw::Fill {
        x: MARGIN,
        y: top,
        w: PAGE_W - 2.0 * MARGIN,
        h: ROW_H,
        grey: 0.85,
    });
    for c in cols {
        cell(d, c, Weight::Bold, top + ROW_H * 0.7, &c.head)?;
    }
    Ok(())
}

/// One body row at `y` (the `index`-th of its table: every other one is
/// shaded), with a rule under it.
pub fn body_row(
    d: &mut Vec<Draw>,
    cols: &[Column],
    y: f32,
    index: usize,
    cells: &[String],
) -> Result<()> {
    if index % 2 == 1 {
        d.push(Draw::Fill {
            x: MARGIN,
            y,
            w: PAGE_W - 2.0 * MARGIN,
            h: ROW_H,
            grey: 0.95,
        });
    }
    for (c, text) in cols.iter().zip(cells) {
        cell(d, c, Weight::Regular, y + ROW_H * 0.7, text)?;
    }
    d.push(Draw::HLine {
        x1: MARGIN,
        x2: PAGE_W - MARGIN,
        y: y + ROW_H,
    });
    Ok(())
}

/// "Gatehouse — page 2/3" at the foot of page `page` (from 0) of `pages`.
pub fn footer(d: &mut Vec<Draw>, lang: Lang, page: usize, pages: usize) {
    d.push(Draw::Text {
        weight: Weight::Regular,
        size: 8.0,
        x: MARGIN,
        baseline: PAGE_H - 8.0,
        text: format!(
            "Gatehouse — {} {}/{pages}",
            lang.pick("page", "page"),
            page + 1
        ),
        grey: true,
    });
}

/// The PDF bytes of A4 pages laid out as `layouts`, titled `title`.
pub fn document(title: &str, layouts: &[Vec<Draw>]) -> Result<Vec<u8>> {
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
    let mut doc = PdfDocument::new(title);
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

/// How many pages a PDF has (for tests: counts `/Type /Page` objects).
#[cfg(test)]
pub fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}
