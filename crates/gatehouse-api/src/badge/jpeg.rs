//! Just enough of JPEG to embed a photo as it is: the PDF carries the JPEG
//! bytes untouched (`DCTDecode`), so the writer needs only the frame header
//! (size and colour components), never a decode. That is what keeps a batch
//! of a thousand photo badges fast and small.

use crate::error::{Error, Result};

/// The frame header of a baseline or progressive JPEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    /// 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK).
    pub components: u8,
}

/// Reads the frame header; errors if `bytes` is not a JPEG.
pub fn info(bytes: &[u8]) -> Result<JpegInfo> {
    let bad = |why: &str| {
        Error::from(crate::messages::Msg::PhotoNotJpeg {
            why: why.to_string(),
        })
    };
    if bytes.get(..2) != Some(&[0xFF, 0xD8][..]) {
        return Err(bad("no JPEG start marker"));
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err(bad("corrupt marker sequence"));
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes
                .get(i + 4..i + 2 + len)
                .ok_or_else(|| bad("truncated frame header"))?;
            if seg.len() < 6 {
                return Err(bad("short frame header"));
            }
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            let components = seg[5];
            if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
                return Err(bad("unsupported frame (size 0 or odd colour components)"));
            }
            return Ok(JpegInfo {
                width,
                height,
                components,
            });
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        i += 2 + len;
    }
    Err(bad("no frame header before the image data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_size_and_components_without_decoding() -> Result<()> {
        let img = image::RgbImage::from_pixel(30, 40, image::Rgb([200, 150, 100]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(
            info(&out)?,
            JpegInfo {
                width: 30,
                height: 40,
                components: 3
            }
        );
        assert!(info(b"\x89PNG\r\n").is_err());
        assert!(info(&out[..10]).is_err());
        Ok(())
    }
}
