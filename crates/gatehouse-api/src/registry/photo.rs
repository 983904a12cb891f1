//! Badge photos, stored normalised: EXIF orientation applied, every piece of
//! metadata dropped (the JPEG is re-encoded from pixels), cropped to 3:4,
//! resized to [`WIDTH`]×[`HEIGHT`], at most [`MAX_BYTES`]. The SHA-256 of the
//! stored bytes identifies the photo (badge tokens carry it).
//!
//! The stored JPEG is what every badge PDF embeds, so its size is most of a
//! badge's bytes: it is encoded with 4:2:0 chroma subsampling (colour detail
//! finer than 2 px cannot print on a 30 mm photo anyway) at [`QUALITY`].
//! About 11.5 KB for a portrait.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const WIDTH: u32 = 300;
pub const HEIGHT: u32 = 400;
/// The stored JPEG's size limit ("about 60 KB").
pub const MAX_BYTES: usize = 60 * 1024;
/// The stored JPEG's quality: a face stays sharp on an A6 badge at print
/// size (checked by eye at 150 dpi) while a badge stays well under 17 KB.
pub const QUALITY: u8 = 75;
/// Uploads larger than this are refused before decoding.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;
/// Smaller pictures would print as a blur.
pub const MIN_SIDE: u32 = 120;
const MAX_SIDE: u32 = 12_000;

/// A normalised photo and its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub sha256: [u8; 32],
}

impl Photo {
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

/// Normalises an uploaded picture (JPEG or PNG).
pub fn normalise(bytes: &[u8]) -> Result<Photo> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(crate::messages::Msg::PhotoTooHeavy {
            mb: (bytes.len() / (1024 * 1024)) as u64,
            max_mb: (MAX_INPUT_BYTES / (1024 * 1024)) as u64,
        }
        .into());
    }
    let not_image = || Error::from(crate::messages::Msg::PhotoNotImage {});
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_image())?;
    if reader.format().is_none() {
        return Err(not_image());
    }
    let mut decoder = reader.into_decoder().map_err(|_| not_image())?;
    let (w, h) = decoder.dimensions();
    if w.max(h) > MAX_SIDE {
        return Err(crate::messages::Msg::PhotoTooLarge {
            w: u64::from(w),
            h: u64::from(h),
            max: u64::from(MAX_SIDE),
        }
        .into());
    }
    let orientation = decoder.orientation().map_err(|_| not_image())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| {
        Error::from(crate::messages::Msg::PhotoCannotRead {
            detail: e.to_string(),
        })
    })?;
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(crate::messages::Msg::PhotoTooSmall {
            w: u64::from(w),
            h: u64::from(h),
            min: u64::from(MIN_SIDE),
        }
        .into());
    }
    // The largest 3:4 window, centred across and a little high (faces are in
    // the upper part of a portrait).
    let (cw, ch) = if w * 4 > h * 3 {
        (h * 3 / 4, h)
    } else {
        (w, w * 4 / 3)
    };
    let x = (w - cw) / 2;
    let y = (h - ch) / 3;
    let cropped = img.crop_imm(x, y, cw, ch);
    let resized = cropped
        .resize_exact(WIDTH, HEIGHT, FilterType::Triangle)
        .to_rgb8();
    encode(&resized)
}

/// Encodes pixels as the stored JPEG, lowering the quality until it fits.
pub fn encode(rgb: &RgbImage) -> Result<Photo> {
    let (Ok(width), Ok(height)) = (u16::try_from(rgb.width()), u16::try_from(rgb.height())) else {
        return Err(crate::messages::Msg::PhotoTooLargeForJpeg {
            w: u64::from(rgb.width()),
            h: u64::from(rgb.height()),
        }
        .into());
    };
    let mut quality = QUALITY;
    loop {
        let mut jpeg = Vec::with_capacity(16 * 1024);
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, quality);
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        // Not the optimised Huffman tables: with 4:2:0 they come out in a
        // form the `image` crate's decoder (zune-jpeg, used by the badge
        // preview) reads as stripes, for 2 % fewer bytes.
        encoder
            .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| Error::Internal(format!("photo: JPEG encoding failed: {e}")))?;
        if jpeg.len() <= MAX_BYTES || quality <= 30 {
            let sha256 = Sha256::digest(&jpeg).into();
            return Ok(Photo { jpeg, sha256 });
        }
        quality -= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb};

    fn png(w: u32, h: u32) -> Result<Vec<u8>> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(out.into_inner())
    }

    #[test]
    fn photos_become_small_3_by_4_jpegs() -> Result<()> {
        let p = normalise(&png(1600, 900)?)?;
        assert!(p.jpeg.len() <= MAX_BYTES);
        let back = image::load_from_memory(&p.jpeg).map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!((back.width(), back.height()), (WIDTH, HEIGHT));
        assert_eq!(p.sha256_hex().len(), 64);
        // Normalising is deterministic: the same input, the same hash.
        assert_eq!(normalise(&png(1600, 900)?)?.sha256, p.sha256);
        Ok(())
    }

    #[test]
    fn a_portrait_is_stored_small_enough_for_a_17_kb_badge() -> Result<()> {
        // A grainy synthetic portrait, as the badge benchmark uses: the
        // stored JPEG is most of a badge PDF's bytes.
        let jpeg = crate::badge::sample::portrait_jpeg(3)?;
        assert!(jpeg.len() < 14 * 1024, "portrait is {} bytes", jpeg.len());
        let back = image::load_from_memory(&jpeg).map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!((back.width(), back.height()), (WIDTH, HEIGHT));
        Ok(())
    }

    #[test]
    fn stored_photos_decode_to_what_was_stored() -> Result<()> {
        // The preview, the gate screen and browsers all decode the stored
        // JPEG: a portrait-like picture must come back close to its pixels.
        let img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
            let face = (x as i32 - 150).pow(2) + (y as i32 - 170).pow(2) < 80 * 80;
            if face {
                Rgb([180, 120, 90])
            } else {
                Rgb([(x / 2) as u8, 140, (y / 2) as u8])
            }
        });
        let p = encode(&img)?;
        let back = image::load_from_memory(&p.jpeg)
            .map_err(|e| Error::Internal(e.to_string()))?
            .to_rgb8();
        let diff: u64 = back
            .as_raw()
            .iter()
            .zip(img.as_raw())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        let mean = diff as f64 / img.as_raw().len() as f64;
        assert!(mean < 4.0, "decoded photo differs by {mean:.1} per channel");
        Ok(())
    }

    #[test]
    fn non_images_and_tiny_images_are_refused() -> Result<()> {
        let e = normalise(b"hello, not a picture")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("photo: the file is not a JPEG or PNG image")
        );
        let e = normalise(&png(50, 60)?).err().map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("too small")));
        Ok(())
    }
}
