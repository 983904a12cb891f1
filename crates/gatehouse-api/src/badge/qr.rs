//! The badge's QR code: the token text in alphanumeric mode (what Base45 was
//! designed for), error correction level M, with the quiet zone the standard
//! asks for. The matrix is plain data; the PDF writer and the PNG preview
//! draw it, the layout sizes it so a module is never smaller than 0.4 mm.
//!
//! The `qrcode` crate builds the symbol; the mask is chosen here. Its own
//! mask search scores the eight candidates module by module and takes about
//! 4 ms a badge, four times our whole budget per badge; the same ISO/IEC
//! 18004 penalty rules computed on rows and columns as bit sets take a few
//! microseconds.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{EcLevel, Version};

use crate::error::{Error, Result};

/// Light modules around the symbol, on every side (ISO/IEC 18004: 4).
pub const QUIET_ZONE: usize = 4;
/// The smallest module that desk printers and gate scanners handle well.
pub const MIN_MODULE_MM: f32 = 0.4;

/// A QR symbol: `width` × `width` modules, row-major, `true` = dark. The
/// quiet zone is not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub version: i16,
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Width in modules including the quiet zone on both sides.
    pub fn total_modules(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

/// Is `c` in the QR alphanumeric set (0-9, A-Z, space, $ % * + - . / :)?
pub fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_uppercase() || " $%*+-./:".contains(c)
}

/// Encodes `text` in alphanumeric mode in the smallest version that holds it.
pub fn encode(text: &str) -> Result<QrMatrix> {
    if text.is_empty() {
        return Err(crate::messages::Msg::QrEmpty {}.into());
    }
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| !is_alphanumeric(c)) {
        return Err(crate::messages::Msg::QrCharacter {
            glyph: crate::messages::Glyph(c),
            at: i as u64,
        }
        .into());
    }
    let ec = EcLevel::M;
    for v in 1..=40 {
        let version = Version::Normal(v);
        let mut bits = Bits::new(version);
        if bits.push_alphanumeric_data(text.as_bytes()).is_err()
            || bits.push_terminator(ec).is_err()
        {
            continue;
        }
        let fail = |e: qrcode::types::QrError| Error::Internal(format!("QR encoding failed: {e}"));
        let (data, ec_data) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).map_err(fail)?;
        let mut canvas = Canvas::new(version, ec);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec_data);
        let width = usize::try_from(version.width()).unwrap_or(0);
        let canvas = match best_mask(&canvas, width) {
            Some(pattern) => {
                let mut c = canvas;
                c.apply_mask(pattern);
                c
            }
            // Wider than our bit sets: the crate's own (slow) search.
            None => canvas.apply_best_mask(),
        };
        let dark = canvas
            .into_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        return Ok(QrMatrix {
            version: v,
            width,
            dark,
        });
    }
    Err(crate::messages::Msg::QrTooLong {
        n: text.len() as u64,
    }
    .into())
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// ISO/IEC 18004 mask condition: is module (x, y) inverted by `mask`?
fn inverts(mask: MaskPattern, x: usize, y: usize) -> bool {
    match mask {
        MaskPattern::Checkerboard => (x + y) % 2 == 0,
        MaskPattern::HorizontalLines => y % 2 == 0,
        MaskPattern::VerticalLines => x % 3 == 0,
        MaskPattern::DiagonalLines => (x + y) % 3 == 0,
        MaskPattern::LargeCheckerboard => (y / 2 + x / 3) % 2 == 0,
        MaskPattern::Fields => (x * y) % 2 + (x * y) % 3 == 0,
        MaskPattern::Diamonds => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        MaskPattern::Meadow => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// The mask with the lowest penalty, or `None` if the symbol is wider than
/// the bit sets (121 modules, version 26): no badge token comes near.
///
/// Every mask condition repeats every 6 modules across and 12 down, so each
/// mask's rows and columns are made from 12 and 6 precomputed bit patterns,
/// and the columns are transposed once for the symbol, not once per mask.
fn best_mask(canvas: &Canvas, w: usize) -> Option<MaskPattern> {
    if w == 0 || w > 120 {
        return None;
    }
    let (mut base, mut data) = (vec![0_u128; w], vec![0_u128; w]);
    let (mut base_cols, mut data_cols) = (vec![0_u128; w], vec![0_u128; w]);
    for y in 0..w {
        for x in 0..w {
            let m = canvas.get(x as i16, y as i16);
            if m.is_dark() {
                base[y] |= 1 << x;
                base_cols[x] |= 1 << y;
            }
            // Data modules (and the still-empty format areas) are masked.
            if matches!(m, Module::Unmasked(_) | Module::Empty) {
                data[y] |= 1 << x;
                data_cols[x] |= 1 << y;
            }
        }
    }
    let (mut rows, mut cols) = (vec![0_u128; w], vec![0_u128; w]);
    MASKS
        .into_iter()
        .map(|mask| {
            // Row y's inverted modules depend on y mod 12 only; column x's
            // on x mod 6 only.
            let row_pattern: [u128; 12] = std::array::from_fn(|k| {
                (0..w)
                    .filter(|&x| inverts(mask, x, k))
                    .fold(0_u128, |p, x| p | 1 << x)
            });
            let col_pattern: [u128; 6] = std::array::from_fn(|k| {
                (0..w)
                    .filter(|&y| inverts(mask, k, y))
                    .fold(0_u128, |p, y| p | 1 << y)
            });
            for y in 0..w {
                rows[y] = base[y] ^ (data[y] & row_pattern[y % 12]);
            }
            for x in 0..w {
                cols[x] = base_cols[x] ^ (data_cols[x] & col_pattern[x % 6]);
            }
            (penalty_of(&rows, &cols, w), mask)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, mask)| mask)
}

/// How many times 1011101 with four light modules before or after it
/// appears in a line of `w` modules (outside the symbol is light).
fn finder_like(line: u128, w: usize) -> u32 {
    const FINDER_A: u32 = 0b000_0101_1101;
    const FINDER_B: u32 = 0b101_1101_0000;
    let padded = line << 4;
    let (mut a, mut b) = (u128::MAX, u128::MAX);
    for j in 0..11 {
        let shifted = padded >> j;
        a &= if FINDER_A >> j & 1 == 1 {
            shifted
        } else {
            !shifted
        };
        b &= if FINDER_B >> j & 1 == 1 {
            shifted
        } else {
            !shifted
        };
    }
    let valid = (1_u128 << (w + 8 - 11 + 1)) - 1;
    (a & valid).count_ones() + (b & valid).count_ones()
}

/// The ISO/IEC 18004 penalty (N1 runs, N2 blocks, N3 finder-like patterns,
/// N4 balance) of a symbol given as rows of bits (bit x = module x dark).
#[cfg(test)]
fn penalty(rows: &[u128], w: usize) -> u32 {
    let mut cols = vec![0_u128; w];
    for (y, row) in rows.iter().enumerate() {
        for (x, col) in cols.iter_mut().enumerate() {
            *col |= ((row >> x) & 1) << y;
        }
    }
    penalty_of(rows, &cols, w)
}

/// [`penalty`] given the symbol's rows and its columns (bit y of column x
/// = module (x, y) dark).
fn penalty_of(rows: &[u128], cols: &[u128], w: usize) -> u32 {
    let full = (1_u128 << w) - 1;
    let mut score = 0;
    for line in rows.iter().chain(cols.iter()) {
        // N1: each run of five or more same-colour modules: 3 + (length - 5).
        let mut same = !(line ^ (line >> 1)) & (full >> 1);
        while same != 0 {
            let skip = same.trailing_zeros();
            same >>= skip;
            let run = (!same).trailing_zeros();
            if run >= 4 {
                score += run - 1;
            }
            same = if run >= 128 { 0 } else { same >> run };
        }
        // N3: finder-like patterns, 40 each.
        score += 40 * finder_like(*line, w);
    }
    // N2: each 2×2 block of one colour, 3.
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let dark = a & b & (a >> 1) & (b >> 1);
        let light = !a & !b & !(a >> 1) & !(b >> 1);
        score += 3 * ((dark | light) & (full >> 1)).count_ones();
    }
    // N4: 10 for every 5 % the dark share strays from 50 %.
    let total = (w * w) as u32;
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    score + 10 * ((dark * 20).abs_diff(total * 10) / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_sized_text_makes_a_version_10_or_smaller() -> Result<()> {
        // A COSE_Sign1 token of ~170 bytes is ~260 Base45 characters.
        let text = format!("GH1:{}", "6BFOXN*TS0BI$ZD.P9".repeat(14));
        let qr = encode(&text)?;
        assert!(qr.version <= 10, "version {}", qr.version);
        assert_eq!(qr.width, 17 + 4 * qr.version as usize);
        assert_eq!(qr.dark.len(), qr.width * qr.width);
        // Finder pattern corner is dark, the module inside its ring is light.
        assert!(qr.is_dark(0, 0) && !qr.is_dark(1, 1) && qr.is_dark(2, 2));
        Ok(())
    }

    #[test]
    fn the_penalty_counts_runs_blocks_finders_and_balance() {
        // 8×8 all light: rows and columns are runs of 8 (16 × 6 = 96),
        // 49 light 2×2 blocks (147), all-light balance (10 × 10 = 100), and
        // no finder-like pattern.
        assert_eq!(penalty(&[0; 8], 8), 96 + 147 + 100);
        // 1011101 (bit x = module x) has light on both sides here: it
        // matches once with the light after it, once with the light before.
        assert_eq!(finder_like(0b101_1101, 11), 2);
        assert_eq!(finder_like(0b101_1101 << 4, 15), 2);
        assert_eq!(finder_like(0b111_1101, 11), 0);
        assert_eq!(finder_like(0b1111_0101_1101, 12), 1, "dark right after it");
    }

    /// The mask search as first written: every module of every mask.
    fn best_mask_plain(canvas: &Canvas, w: usize) -> Option<MaskPattern> {
        let mut base = vec![0_u128; w];
        let mut data = vec![0_u128; w];
        for y in 0..w {
            for x in 0..w {
                let m = canvas.get(x as i16, y as i16);
                if m.is_dark() {
                    base[y] |= 1 << x;
                }
                if matches!(m, Module::Unmasked(_) | Module::Empty) {
                    data[y] |= 1 << x;
                }
            }
        }
        MASKS
            .into_iter()
            .map(|mask| {
                let rows: Vec<u128> = (0..w)
                    .map(|y| {
                        let pattern = (0..w)
                            .filter(|&x| inverts(mask, x, y))
                            .fold(0_u128, |p, x| p | 1 << x);
                        base[y] ^ (data[y] & pattern)
                    })
                    .collect();
                (penalty(&rows, w), mask)
            })
            .min_by_key(|(score, _)| *score)
            .map(|(_, mask)| mask)
    }

    #[test]
    fn the_periodic_mask_search_picks_what_the_plain_one_picks() -> Result<()> {
        for n in 1..60_usize {
            let text = format!(
                "GH1:{}",
                "6BFOXN*TS0BI$ZD.P9:%".repeat(n).get(..n * 7).unwrap_or("")
            );
            for v in 1..=26 {
                let version = Version::Normal(v);
                let mut bits = Bits::new(version);
                if bits.push_alphanumeric_data(text.as_bytes()).is_err()
                    || bits.push_terminator(EcLevel::M).is_err()
                {
                    continue;
                }
                let (data, ec_data) =
                    qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)
                        .map_err(|e| Error::Internal(e.to_string()))?;
                let mut canvas = Canvas::new(version, EcLevel::M);
                canvas.draw_all_functional_patterns();
                canvas.draw_data(&data, &ec_data);
                let w = usize::try_from(version.width()).unwrap_or(0);
                assert_eq!(
                    best_mask(&canvas, w).map(|m| std::mem::discriminant(&m)),
                    best_mask_plain(&canvas, w).map(|m| std::mem::discriminant(&m)),
                    "{n} v{v}"
                );
                break;
            }
        }
        Ok(())
    }

    #[test]
    fn lowercase_and_other_bytes_are_refused_by_name() {
        let err = encode("GH1:abc").err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("'a'") && m.contains("position 4")));
    }
}
