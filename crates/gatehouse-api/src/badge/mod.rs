//! Badges: what a desk prints and a gate officer reads.
//!
//! The input is plain [`BadgeData`] (no database, no keys: the token text is
//! already signed). [`layout::layout`] turns it and a [`Template`] into
//! positioned boxes — a pure function, tested without a PDF. [`pdf`] only
//! draws those boxes; [`preview`] rasterises the same boxes to a PNG.
//! Printing lives in [`crate::print`].

pub mod batch;
pub mod fit;
pub mod fonts;
pub mod jpeg;
pub mod layout;
pub mod pdf;
pub mod preview;
pub mod qr;
pub mod sample;
pub mod sheet;
pub mod template;
pub mod template_store;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::Color;
use crate::serial::BadgeSerial;

pub use layout::{layout, BadgeLayout};
pub use pdf::{render_pdf, Sheet};
pub use template::Template;

/// The two physical badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A6 portrait paper (105 × 148 mm) for lanyard holders.
    A6,
    /// CR80 PVC card (85.6 × 54 mm, landscape) for card printers.
    Cr80,
}

impl Format {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Format::A6 => (105.0, 148.0),
            Format::Cr80 => (85.6, 54.0),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::A6 => "a6",
            Format::Cr80 => "cr80",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a6" => Ok(Format::A6),
            "cr80" => Ok(Format::Cr80),
            other => Err(crate::messages::Msg::BadgeFormatUnknown {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

/// Everything printed on one badge, already resolved: names as typed, the
/// category's name and colour, the zones and days it opens, the photo as the
/// registry stores it (a normalised JPEG) and the signed QR text.
#[derive(Debug, Clone, PartialEq)]
pub struct BadgeData {
    pub serial: BadgeSerial,
    /// The badge version the QR token carries (a reprint increments it).
    pub version: u32,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    /// The country's name as it should be printed (not the ISO code).
    pub country_name: String,
    /// Spelled out on the colour band: colour alone is never enough.
    pub category_name: String,
    pub category_color: Color,
    /// Zone codes or display names, in the event's order.
    pub zones: Vec<String>,
    pub days: Vec<Date>,
    pub photo_jpeg: Option<Vec<u8>>,
    /// The signed token, Base45 behind a short prefix (QR alphanumeric set).
    pub qr_text: String,
    /// Printed before security cleared the holder (policy `print_held`):
    /// the badge carries a red "RETENU / HELD" banner over its header, and
    /// every gate refuses it until cleared (issue 16).
    pub held: bool,
}

impl BadgeData {
    /// The full name as printed: given names then family name, as typed.
    pub fn full_name(&self) -> String {
        let given = self.given_names.trim();
        let family = self.family_name.trim();
        match (given.is_empty(), family.is_empty()) {
            (true, _) => family.to_string(),
            (_, true) => given.to_string(),
            _ => format!("{given} {family}"),
        }
    }
}

/// An sRGB colour with 8-bit channels, parsed from a validated [`Color`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    pub fn from_color(c: &Color) -> Rgb {
        // `Color` guarantees `#RRGGBB`; a malformed one could not be built.
        let hex = c.as_str().trim_start_matches('#');
        let channel = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0)
        };
        Rgb(channel(0), channel(2), channel(4))
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn text_on(self) -> Rgb {
        // Contrast ratio against white vs against black (WCAG).
        let l = self.luminance();
        if (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 {
            Rgb::WHITE
        } else {
            Rgb::BLACK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_text_is_readable_on_every_colour() -> Result<()> {
        let on = |hex: &str| -> Result<Rgb> {
            Ok(Rgb::from_color(&Color::try_from(hex.to_string())?).text_on())
        };
        assert_eq!(on("#FFD700")?, Rgb::BLACK, "yellow band, black text");
        assert_eq!(on("#0B3D91")?, Rgb::WHITE, "dark blue band, white text");
        assert_eq!(on("#C8102E")?, Rgb::WHITE, "red band, white text");
        assert_eq!(on("#FFFFFF")?, Rgb::BLACK);
        Ok(())
    }

    #[test]
    fn formats_parse() -> Result<()> {
        assert_eq!("A6".parse::<Format>()?, Format::A6);
        assert_eq!("cr80".parse::<Format>()?, Format::Cr80);
        assert!("a4".parse::<Format>().is_err());
        Ok(())
    }
}
