//! The A4 sheet of four A6 badges: where each badge goes and where the cut
//! marks may go. Pure geometry in millimetres from the sheet's top-left.
//!
//! Two A6 side by side are exactly A4's width, so the only paper outside the
//! badges is a 1 mm gutter between the rows. The marks therefore sit on the
//! cut lines wherever those run over blank paper (the badges' white margins
//! and the gutter) and stop short of anything printed: a colour band runs to
//! the badge's edge, and a mark across it would show on every badge cut.

use super::layout::{BadgeLayout, Rect};

pub const A4_MM: (f32, f32) = (210.0, 297.0);
/// Length of a cut mark, in mm.
pub const CUT_MARK_MM: f32 = 5.0;
/// Blank paper kept between a mark and anything printed.
pub const CLEARANCE_MM: f32 = 0.5;
/// Shorter pieces are not drawn: they would read as specks, not marks.
const MIN_MARK_MM: f32 = 1.0;

/// Top-left corner of badge `k` (0–3, row by row) of `w` × `h` mm on the
/// sheet: the rows at the top and bottom edges, the spare height between
/// them as the gutter the horizontal cut goes through.
pub fn origin(k: usize, w: f32, h: f32) -> (f32, f32) {
    let row = (k / 2) as f32;
    let gutter = A4_MM.1 - 2.0 * h;
    ((k % 2) as f32 * w, row * (h + gutter))
}

/// The cut lines of a sheet of `w` × `h` badges: x of the vertical cut and
/// y of the horizontal one (the middle of the gutter).
pub fn cut_lines(w: f32, h: f32) -> (f32, f32) {
    (w, h + (A4_MM.1 - 2.0 * h) / 2.0)
}

/// A straight mark from `(x1, y1)` to `(x2, y2)`, in sheet millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

impl Mark {
    pub fn length(&self) -> f32 {
        (self.x2 - self.x1).abs() + (self.y2 - self.y1).abs()
    }
}

/// Everything printed on a sheet holding `badges` (at most four): each
/// badge's boxes moved to the badge's place.
pub fn printed_rects(badges: &[&BadgeLayout]) -> Vec<Rect> {
    badges
        .iter()
        .enumerate()
        .flat_map(|(k, b)| {
            let (ox, oy) = origin(k, b.width_mm, b.height_mm);
            b.items
                .iter()
                .map(move |p| Rect::new(p.rect.x + ox, p.rect.y + oy, p.rect.w, p.rect.h))
        })
        .collect()
}

/// Cut marks for a sheet of `w` × `h` badges: ticks where the cuts meet the
/// paper's edges and a cross where they meet each other, each cut back so
/// it keeps [`CLEARANCE_MM`] from every rectangle in `printed`.
pub fn cut_marks(w: f32, h: f32, printed: &[Rect]) -> Vec<Mark> {
    let (sw, sh) = A4_MM;
    let (cx, cy) = cut_lines(w, h);
    let l = CUT_MARK_MM;
    let vertical = [(0.0, l), (sh - l, sh), (cy - l, cy + l)];
    let horizontal = [(0.0, l), (sw - l, sw), (cx - l, cx + l)];
    let mut marks = Vec::new();
    for (from, to) in vertical {
        // Printed spans crossing the line x = cx, as y intervals.
        let blocked: Vec<(f32, f32)> = printed
            .iter()
            .filter(|r| r.x - CLEARANCE_MM < cx && cx < r.right() + CLEARANCE_MM)
            .map(|r| (r.y - CLEARANCE_MM, r.bottom() + CLEARANCE_MM))
            .collect();
        for (a, b) in free_pieces(from, to, &blocked) {
            marks.push(Mark {
                x1: cx,
                y1: a,
                x2: cx,
                y2: b,
            });
        }
    }
    for (from, to) in horizontal {
        let blocked: Vec<(f32, f32)> = printed
            .iter()
            .filter(|r| r.y - CLEARANCE_MM < cy && cy < r.bottom() + CLEARANCE_MM)
            .map(|r| (r.x - CLEARANCE_MM, r.right() + CLEARANCE_MM))
            .collect();
        for (a, b) in free_pieces(from, to, &blocked) {
            marks.push(Mark {
                x1: a,
                y1: cy,
                x2: b,
                y2: cy,
            });
        }
    }
    marks
}

/// The parts of `[from, to]` outside every `blocked` interval, each at
/// least [`MIN_MARK_MM`] long.
fn free_pieces(from: f32, to: f32, blocked: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut pieces = vec![(from, to)];
    for &(ba, bb) in blocked {
        pieces = pieces
            .into_iter()
            .flat_map(|(a, b)| {
                if bb <= a || ba >= b {
                    vec![(a, b)]
                } else {
                    [(a, ba.min(b)), (bb.max(a), b)]
                        .into_iter()
                        .filter(|(x, y)| y > x)
                        .collect()
                }
            })
            .collect();
    }
    pieces.retain(|(a, b)| b - a >= MIN_MARK_MM);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::layout::Role;
    use crate::badge::{layout, sample, Format, Template};
    use crate::error::{Error, Result};

    #[test]
    fn free_pieces_skip_blocked_spans() {
        assert_eq!(free_pieces(0.0, 10.0, &[]), vec![(0.0, 10.0)]);
        assert_eq!(
            free_pieces(0.0, 10.0, &[(2.0, 3.0), (9.5, 12.0)]),
            vec![(0.0, 2.0), (3.0, 9.5)]
        );
        // A leftover shorter than a millimetre is dropped.
        assert_eq!(free_pieces(0.0, 10.0, &[(0.5, 10.0)]), vec![]);
    }

    #[test]
    fn four_a6_marks_touch_nothing_printed_yet_mark_both_cuts() -> Result<()> {
        let template = Template::bamex25()?;
        let layouts = (1..=4)
            .map(|n| {
                let b = sample::badge(n, sample::token_like_text(n), None)?;
                layout(&b, &template, Format::A6)
            })
            .collect::<Result<Vec<_>>>()?;
        let (w, h) = Format::A6.size_mm();
        let printed = printed_rects(&layouts.iter().collect::<Vec<_>>());
        let marks = cut_marks(w, h, &printed);
        for m in &marks {
            for r in &printed {
                let near = Rect::new(r.x - 0.4, r.y - 0.4, r.w + 0.8, r.h + 0.8);
                assert!(!crosses(&seg_rect(m), &near), "{m:?} crosses {r:?}");
            }
        }
        let (cx, cy) = cut_lines(w, h);
        assert!((cx - 105.0).abs() < 1e-3 && (cy - 148.5).abs() < 1e-3);
        // The vertical cut is marked at the top edge and at the crossing,
        // the horizontal one at both edges and the crossing: enough to lay
        // a guillotine on each.
        let vertical = marks.iter().filter(|m| m.x1 == cx && m.x2 == cx).count();
        let horizontal = marks.iter().filter(|m| m.y1 == cy && m.y2 == cy).count();
        assert!(vertical >= 2 && horizontal >= 3, "{marks:?}");
        assert!(marks.iter().all(|m| m.length() >= MIN_MARK_MM));
        // The category band spans each badge: no mark may cross it.
        for (k, l) in layouts.iter().enumerate() {
            let (ox, oy) = origin(k, w, h);
            let band = l
                .get(Role::Band)
                .map(|p| p.rect)
                .ok_or(Error::Internal("no band".into()))?;
            let band = Rect::new(band.x + ox, band.y + oy, band.w, band.h);
            assert!((band.w - w).abs() < 0.01, "the band spans the badge");
            assert!(marks.iter().all(|m| !crosses(&seg_rect(m), &band)));
        }
        Ok(())
    }

    fn seg_rect(m: &Mark) -> Rect {
        Rect::new(
            m.x1.min(m.x2),
            m.y1.min(m.y2),
            (m.x2 - m.x1).abs(),
            (m.y2 - m.y1).abs(),
        )
    }

    /// Does a zero-width or zero-height segment pass through `r`'s inside?
    fn crosses(seg: &Rect, r: &Rect) -> bool {
        seg.x <= r.right() && r.x <= seg.right() && seg.y <= r.bottom() && r.y <= seg.bottom()
    }
}
