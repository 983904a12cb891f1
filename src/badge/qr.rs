//! The badge's QR code: the token text in alphanumeric mode (what Base45 was
//! designed for), error correction level M, with the quiet zone the standard
//! asks for. The matrix is plain data; the PDF writer and the PNG preview
//! draw it, the layout sizes it so a module is never smaller than 0.4 mm.

use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};

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
        return Err(Error::bad_input("the QR text is empty"));
    }
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| !is_alphanumeric(c)) {
        return Err(Error::bad_input(format!(
            "the QR text has {c:?} at position {i}: only 0-9, A-Z, space and $%*+-./: fit QR alphanumeric mode"
        )));
    }
    let ec = EcLevel::M;
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        if bits.push_alphanumeric_data(text.as_bytes()).is_err()
            || bits.push_terminator(ec).is_err()
        {
            continue;
        }
        let code = QrCode::with_bits(bits, ec)
            .map_err(|e| Error::Internal(format!("QR encoding failed: {e}")))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        return Ok(QrMatrix {
            version: v,
            width,
            dark,
        });
    }
    Err(Error::bad_input(format!(
        "the QR text is too long ({} characters) for any QR version",
        text.len()
    )))
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
    fn lowercase_and_other_bytes_are_refused_by_name() {
        let err = encode("GH1:abc").err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("'a'") && m.contains("position 4")));
    }
}
