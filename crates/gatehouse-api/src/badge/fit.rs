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
/// Three-line splits are tried only for texts with at most this many break
/// points (a name, not a paragraph).
const MAX_BREAKS_FOR_3_LINES: usize = 24;

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
/// fits in a `width_mm` × `height_mm` box on at most `max_lines` lines,
/// breaking only at spaces and after hyphens. A long word alone only shrinks: it is never cut,
/// so the result always fits.
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
    let breaks = break_points(&text);
    for lines in 2..=max_lines.min(breaks.len() + 1) {
        if lines > 2 && breaks.len() > MAX_BREAKS_FOR_3_LINES {
            break; // the splits grow as the square of the words
        }
        // Among the splits giving the largest size, the most balanced one
        // (a short first line looks like a mistake).
        let mut best_split: Option<(f32, f32, Vec<String>)> = None;
        for cuts in combinations(breaks.len(), lines - 1) {
            let mut parts = Vec::with_capacity(lines);
            let mut from = 0;
            for &c in &cuts {
                let (end, next) = breaks[c];
                parts.push(&text[from..end]);
                from = next;
            }
            parts.push(&text[from..]);
            let mut widest = 0.0_f32;
            for part in &parts {
                widest = widest.max(fonts::width_em(weight, part)?);
            }
            let size = size_for(widest, lines);
            let better = match &best_split {
                None => true,
                Some((s, w, _)) => size > *s || (size == *s && widest < *w),
            };
            if better {
                best_split = Some((size, widest, parts.iter().map(|p| p.to_string()).collect()));
            }
        }
        // More lines only when they make the text strictly larger.
        if let Some((size, _, parts)) = best_split.filter(|(s, _, _)| *s > best.size_pt) {
            best = Fitted {
                lines: parts,
                size_pt: size,
            };
        }
    }
    Ok(best)
}

/// Where a line may end, as (end of this line, start of the next) byte
/// offsets: at a space (dropped) or after a hyphen inside a word (kept, as
/// in "Ouédraogo-" / "Kéïta"). Not at a space after a hyphen, so a line
/// ending in a hyphen always means the word goes on ([`unbreak`]).
fn break_points(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == ' ' && prev != Some('-') {
            out.push((i, i + 1));
        } else if c != ' ' && prev == Some('-') && i >= 2 && !text[..i - 1].ends_with(' ') {
            out.push((i, i));
        }
        prev = Some(c);
    }
    out
}

/// The text that `lines` were broken from.
pub fn unbreak(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Every increasing choice of `k` indices out of `0..n`, in order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    if k > n {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.clone());
        // The rightmost index that can still move right.
        let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else {
            return out;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// How far a name was shortened to stay readable, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameForm {
    /// "Aïssata Bintou Maïmouna Traoré-Diallo"
    Full,
    /// "Aïssata B. M. Traoré-Diallo": the first given name and the family
    /// name stay whole, the gate officer compares them with the ID.
    MiddleInitials,
    /// "A. B. M. Traoré-Diallo"
    GivenInitials,
}

/// A holder's name fitted into its box.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedName {
    pub fitted: Fitted,
    pub form: NameForm,
}

/// `"Bintou"` → `"B."`, `"Marie-Élodie"` → `"M.-É."`; an initial stays as it is.
fn initial(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(_) if chars.as_str().chars().all(|c| c == '.') => part.to_string(),
                Some(first) => format!("{}.", first.to_uppercase()),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The name as printed in `form`; `None` when that form would not shorten
/// it (a single given name has no middle names). The family name is never
/// shortened.
pub fn name_in_form(given: &str, family: &str, form: NameForm) -> Option<String> {
    let given = clean(given);
    let family = clean(family);
    let words: Vec<&str> = given.split(' ').filter(|w| !w.is_empty()).collect();
    let shown: Vec<String> = match form {
        NameForm::Full => words.iter().map(|w| w.to_string()).collect(),
        NameForm::MiddleInitials if words.len() >= 2 => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.to_string() } else { initial(w) })
            .collect(),
        NameForm::GivenInitials if !words.is_empty() => words.iter().map(|w| initial(w)).collect(),
        _ => return None,
    };
    let text = clean(&format!("{} {family}", shown.join(" ")));
    let full = clean(&format!("{given} {family}"));
    (form == NameForm::Full || text != full).then_some(text)
}

/// Fits a holder's name at no less than `min_pt` if at all possible: on up
/// to two lines; when the full name would be smaller, the middle names, then
/// all given names, become initials; if even that is too small, a third line
/// where the box is tall enough for three at `min_pt` (the card's is). Only
/// a name still too long then (one very long word) goes below `min_pt`, at
/// its largest size among all those tries, and even then it is never cut.
pub fn fit_name(
    given: &str,
    family: &str,
    weight: Weight,
    width_mm: f32,
    height_mm: f32,
    max_pt: f32,
    min_pt: f32,
) -> Result<FittedName> {
    let forms = [
        NameForm::Full,
        NameForm::MiddleInitials,
        NameForm::GivenInitials,
    ]
    .into_iter()
    .filter_map(|form| name_in_form(given, family, form).map(|text| (form, text)))
    .collect::<Vec<_>>();
    let three_fit = block_height_mm(3, min_pt) <= height_mm;
    let mut largest: Option<FittedName> = None;
    for lines in if three_fit { 2..=3 } else { 2..=2 } {
        for (form, text) in &forms {
            let fitted = fit(text, weight, width_mm, height_mm, max_pt, lines)?;
            if fitted.size_pt >= min_pt {
                return Ok(FittedName {
                    fitted,
                    form: *form,
                });
            }
            if largest
                .as_ref()
                .is_none_or(|l| fitted.size_pt > l.fitted.size_pt)
            {
                largest = Some(FittedName {
                    fitted,
                    form: *form,
                });
            }
        }
    }
    // `Full` always yields a text, so `largest` is set.
    largest.ok_or_else(|| crate::error::Error::Internal("a name with no printable form".into()))
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
    fn initials_keep_hyphens_and_existing_initials() {
        assert_eq!(initial("Bintou"), "B.");
        assert_eq!(initial("Marie-Élodie"), "M.-É.");
        assert_eq!(initial("işık"), "I.");
        assert_eq!(initial("B."), "B.");
        let f = |g, form| name_in_form(g, "Traoré-Diallo", form);
        let g = "Aïssata Bintou Maïmouna";
        assert_eq!(
            f(g, NameForm::MiddleInitials).as_deref(),
            Some("Aïssata B. M. Traoré-Diallo")
        );
        assert_eq!(
            f(g, NameForm::GivenInitials).as_deref(),
            Some("A. B. M. Traoré-Diallo")
        );
        // Forms that would not shorten the name are skipped.
        assert_eq!(f("Awa", NameForm::MiddleInitials), None);
        assert_eq!(f("A.", NameForm::GivenInitials), None);
    }

    /// The card's name box.
    const CARD: (f32, f32, f32, f32) = (24.3, 14.0, 14.0, 8.5);

    fn on_card(given: &str, family: &str) -> Result<FittedName> {
        let (w, h, max, min) = CARD;
        fit_name(given, family, Weight::Bold, w, h, max, min)
    }

    #[test]
    fn long_card_names_shorten_given_names_instead_of_shrinking() -> Result<()> {
        let n = on_card("Aïssata Bintou Maïmouna", "Traoré-Diallo")?;
        assert!(n.fitted.size_pt >= 8.5, "{n:?}");
        assert_eq!(n.form, NameForm::MiddleInitials, "{n:?}");
        assert_eq!(unbreak(&n.fitted.lines), "Aïssata B. M. Traoré-Diallo");
        assert!(fits(&n.fitted, Weight::Bold, CARD.0, CARD.1)?);

        let n = on_card("Mohamed El Moctar", "Ould Sidi Ahmed Ould Abdallahi")?;
        assert!(n.fitted.size_pt >= 8.5, "{n:?}");
        assert!(n
            .fitted
            .lines
            .join(" ")
            .ends_with("Ould Sidi Ahmed Ould Abdallahi"));
        assert!(fits(&n.fitted, Weight::Bold, CARD.0, CARD.1)?);

        // A name that fits stays whole.
        let n = on_card("Aminata", "Goïta")?;
        assert_eq!((n.form, n.fitted.lines.len()), (NameForm::Full, 2));
        Ok(())
    }

    #[test]
    fn lines_break_at_spaces_and_after_inner_hyphens() {
        let t = "Ouédraogo-Kéïta - x- y";
        let parts: Vec<(&str, &str)> = break_points(t)
            .into_iter()
            .map(|(end, next)| (&t[..end], &t[next..]))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("Ouédraogo-", "Kéïta - x- y"),
                ("Ouédraogo-Kéïta", "- x- y"),
            ]
        );
        let lines = ["Ouédraogo-", "Kéïta", "- x- y"].map(String::from);
        assert_eq!(unbreak(&lines), t);
    }

    #[test]
    fn combinations_are_all_increasing_choices() {
        assert_eq!(combinations(3, 0), vec![Vec::<usize>::new()]);
        assert_eq!(
            combinations(4, 2),
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert!(combinations(1, 2).is_empty());
    }

    #[test]
    fn decomposed_accents_are_composed() {
        assert_eq!(clean("Goi\u{0308}ta  \t Cisse\u{0301} "), "Goïta Cissé");
    }
}
