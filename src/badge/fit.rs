//! Fitting a text into a box: the largest size at which it fits on one or
//! two lines, never clipped and never overflowing. Used for the name (the
//! one thing a gate officer reads from afar), the organisation and the band.
//!
//! Pure arithmetic over the font's advance widths; the writer places each
//! line at `top + BASELINE × size + i × LINE_HEIGHT × size`.

use unicode_normalization::UnicodeNormalization;

use super::fonts::{self, Weight};
use crate::error::Result;

/// Line pitch in ems. Noto Sans reaches 0.93 em above the baseline (accented
/// capitals such as É, İ) and 0.24 em below it, so 1.22 em keeps every glyph
/// of every line inside its box.
pub const LINE_HEIGHT: f32 = 1.22;
/// Baseline of a line, in ems below the top of that line.
pub const BASELINE: f32 = 0.96;
/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// A text fitted into a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub lines: Vec<String>,
    pub size_pt: f32,
}

/// Normalises text as it will be printed: NFC (so a decomposed "é" is one
/// glyph, not a letter and a floating accent), whitespace collapsed.
pub fn clean(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The largest size (at most `max_pt`, in steps of 0.1 pt) at which `text`
/// fits in a `width_mm` × `height_mm` box on at most `max_lines` lines
/// (1 or 2), breaking only at spaces. A long word alone only shrinks: it is
/// never cut, so the result always fits.
pub fn fit(
    text: &str,
    weight: Weight,
    width_mm: f32,
    height_mm: f32,
    max_pt: f32,
    max_lines: usize,
) -> Result<Fitted> {
    let text = clean(text);
    if text.is_empty() {
        return Ok(Fitted {
            lines: Vec::new(),
            size_pt: max_pt,
        });
    }
    let w_pt = width_mm / MM_PER_PT;
    let h_pt = height_mm / MM_PER_PT;
    let size_for = |widest_em: f32, lines: usize| {
        let by_width = if widest_em > 0.0 {
            w_pt / widest_em
        } else {
            max_pt
        };
        let by_height = h_pt / (lines as f32 * LINE_HEIGHT);
        // Floor to 0.1 pt so the rounding never pushes a line over the edge.
        (max_pt.min(by_width).min(by_height) * 10.0).floor() / 10.0
    };
    let mut best = Fitted {
        lines: vec![text.clone()],
        size_pt: size_for(fonts::width_em(weight, &text)?, 1),
    };
    if max_lines >= 2 {
        // Among the splits giving the largest size, the most balanced one
        // (a short first line looks like a mistake).
        let mut best_split: Option<(f32, f32, usize)> = None;
        for (i, _) in text.match_indices(' ') {
            let widest =
                fonts::width_em(weight, &text[..i])?.max(fonts::width_em(weight, &text[i + 1..])?);
            let size = size_for(widest, 2);
            let better = match best_split {
                None => true,
                Some((s, w, _)) => size > s || (size == s && widest < w),
            };
            if better {
                best_split = Some((size, widest, i));
            }
        }
        // Two lines only when they make the text strictly larger.
        if let Some((size, _, i)) = best_split.filter(|(s, _, _)| *s > best.size_pt) {
            best = Fitted {
                lines: vec![text[..i].to_string(), text[i + 1..].to_string()],
                size_pt: size,
            };
        }
    }
    Ok(best)
}

/// The height of `lines` lines at `size_pt`, in millimetres.
pub fn block_height_mm(lines: usize, size_pt: f32) -> f32 {
    lines as f32 * LINE_HEIGHT * size_pt * MM_PER_PT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(f: &Fitted, weight: Weight, w: f32, h: f32) -> Result<bool> {
        let widest = f
            .lines
            .iter()
            .map(|l| fonts::width_em(weight, l))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .fold(0.0_f32, f32::max);
        Ok(widest * f.size_pt * MM_PER_PT <= w + 1e-3
            && block_height_mm(f.lines.len(), f.size_pt) <= h + 1e-3)
    }

    #[test]
    fn short_names_stay_on_one_line_at_full_size() -> Result<()> {
        let f = fit("Ali Maïga", Weight::Bold, 90.0, 25.0, 28.0, 2)?;
        assert_eq!(f.lines, vec!["Ali Maïga"]);
        assert_eq!(f.size_pt, 28.0);
        Ok(())
    }

    #[test]
    fn long_names_take_two_balanced_lines() -> Result<()> {
        let name = "Marie-Élodie Aïssata Ouédraogo-Kéïta";
        let f = fit(name, Weight::Bold, 90.0, 25.0, 28.0, 2)?;
        assert_eq!(f.lines.len(), 2, "{f:?}");
        assert_eq!(f.lines.join(" "), name);
        assert!(fits(&f, Weight::Bold, 90.0, 25.0)?);
        Ok(())
    }

    #[test]
    fn two_lines_are_balanced_when_the_height_limits_the_size() -> Result<()> {
        let org = "Ministère de la Défense et des Anciens Combattants";
        let f = fit(org, Weight::Regular, 93.0, 11.0, 13.0, 2)?;
        let w0 = fonts::width_em(Weight::Regular, &f.lines[0])?;
        let w1 = fonts::width_em(Weight::Regular, &f.lines[1])?;
        assert!(w0.max(w1) / w0.min(w1) < 1.2, "{:?}", f.lines);
        Ok(())
    }

    #[test]
    fn a_single_long_word_shrinks_and_is_never_cut() -> Result<()> {
        let word = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft";
        let f = fit(word, Weight::Bold, 25.0, 12.0, 14.0, 2)?;
        assert_eq!(f.lines, vec![word]);
        assert!(fits(&f, Weight::Bold, 25.0, 12.0)?);
        Ok(())
    }

    #[test]
    fn decomposed_accents_are_composed() {
        assert_eq!(clean("Goi\u{0308}ta  \t Cisse\u{0301} "), "Goïta Cissé");
    }
}
