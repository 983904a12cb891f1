//! The badge fonts: Noto Sans Regular and Bold (SIL OFL 1.1, see
//! `assets/fonts/OFL.txt`), compiled into the binary so every station prints
//! the same glyphs whatever is installed. Metrics come from the font itself;
//! no kerning, because the PDF writer does not kern either.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef};

use crate::error::{Error, Result};

pub static REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
pub static BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");

/// The two faces a badge uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

static REGULAR: LazyLock<Option<FontRef<'static>>> =
    LazyLock::new(|| FontRef::try_from_slice(REGULAR_TTF).ok());
static BOLD: LazyLock<Option<FontRef<'static>>> =
    LazyLock::new(|| FontRef::try_from_slice(BOLD_TTF).ok());

impl Weight {
    pub fn ttf(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_TTF,
            Weight::Bold => BOLD_TTF,
        }
    }

    /// The parsed face (parsed once per process).
    pub fn face(self) -> Result<&'static FontRef<'static>> {
        let face = match self {
            Weight::Regular => &*REGULAR,
            Weight::Bold => &*BOLD,
        };
        face.as_ref().ok_or_else(|| {
            Error::Internal(format!("the built-in {self:?} badge font is unreadable"))
        })
    }
}

/// Characters below this have their advance width looked up once per
/// process (Latin, Latin Extended, Greek, Cyrillic, general punctuation):
/// fitting measures every candidate line, and a table beats the font's cmap.
const CACHED: usize = 0x2100;

/// Advance widths in ems for the cached range; negative: no glyph.
static WIDTHS: LazyLock<[Vec<f32>; 2]> = LazyLock::new(|| {
    [Weight::Regular, Weight::Bold].map(|w| match w.face() {
        Ok(face) => {
            let upem = face.units_per_em().unwrap_or(1000.0);
            (0..CACHED)
                .map(
                    |cp| match char::from_u32(cp as u32).map(|c| face.glyph_id(c)) {
                        Some(id) if id.0 != 0 => face.h_advance_unscaled(id) / upem,
                        _ => -1.0,
                    },
                )
                .collect()
        }
        Err(_) => Vec::new(),
    })
});

fn cached(weight: Weight) -> &'static [f32] {
    &WIDTHS[match weight {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }]
}

/// The advance width of `text` in ems (multiply by the size in points).
pub fn width_em(weight: Weight, text: &str) -> Result<f32> {
    let face = weight.face()?;
    let table = cached(weight);
    let upem = face.units_per_em().unwrap_or(1000.0);
    Ok(text
        .chars()
        .map(|c| match table.get(c as usize) {
            Some(w) if *w >= 0.0 => *w,
            _ => face.h_advance_unscaled(face.glyph_id(c)) / upem,
        })
        .sum())
}

/// The first character of `text` that the font cannot draw, if any: it would
/// print as an empty box, so the caller refuses it instead.
pub fn missing_glyph(weight: Weight, text: &str) -> Result<Option<char>> {
    let face = weight.face()?;
    let table = cached(weight);
    Ok(text.chars().find(|&c| {
        !c.is_whitespace()
            && match table.get(c as usize) {
                Some(w) => *w < 0.0,
                None => face.glyph_id(c).0 == 0,
            }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_delegations_have_every_glyph() -> Result<()> {
        for w in [Weight::Regular, Weight::Bold] {
            let names = "Goïta Maïga Saraç Şahin Ağaoğlu Işık Élodie Cissé N'Diaye Œuvray İnce";
            assert_eq!(missing_glyph(w, names)?, None);
            assert_eq!(missing_glyph(w, "محمد")?, Some('م'));
            assert!(width_em(w, "MM")? > width_em(w, "ii")?);
        }
        Ok(())
    }
}
