//! A PNG preview of one badge for the desk screen: the same laid-out boxes
//! as the PDF, rasterised with `image` and `ab_glyph` at a chosen
//! resolution. The QR is drawn module by module on whole pixels, so the
//! preview itself scans.

use ab_glyph::{point, Font, PxScale, ScaleFont};
use image::{imageops, Rgb as Px, RgbImage};

use super::fit::MM_PER_PT;
use super::layout::{layout, Align, BadgeLayout, Content, Rect, TextBox};
use super::qr::QUIET_ZONE;
use super::{BadgeData, Format, Rgb, Template};
use crate::error::{Error, Result};

/// Renders one badge to PNG bytes at `dpi` dots per inch.
pub fn preview_png(
    data: &BadgeData,
    template: &Template,
    format: Format,
    dpi: f32,
) -> Result<Vec<u8>> {
    let laid = layout(data, template, format)?;
    let img = rasterise(&laid, data.photo_jpeg.as_deref(), template, dpi)?;
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| Error::Internal(format!("cannot encode the badge preview: {e}")))?;
    Ok(out)
}

/// Pixel box of a millimetre rect at `px_per_mm`.
fn px_box(r: &Rect, k: f32) -> (u32, u32, u32, u32) {
    let x0 = (r.x * k).round().max(0.0) as u32;
    let y0 = (r.y * k).round().max(0.0) as u32;
    let x1 = (r.right() * k).round().max(0.0) as u32;
    let y1 = (r.bottom() * k).round().max(0.0) as u32;
    (x0, y0, x1.max(x0), y1.max(y0))
}

fn fill(img: &mut RgbImage, (x0, y0, x1, y1): (u32, u32, u32, u32), c: Rgb) {
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            img.put_pixel(x, y, Px([c.0, c.1, c.2]));
        }
    }
}

fn draw_text(img: &mut RgbImage, r: &Rect, t: &TextBox, k: f32) -> Result<()> {
    let font = t.weight.face()?;
    let upem = font.units_per_em().unwrap_or(1000.0);
    let px_per_em = t.size_pt * MM_PER_PT * k;
    let scale = PxScale::from(px_per_em * font.height_unscaled() / upem);
    let scaled = font.as_scaled(scale);
    for (i, line) in t.lines.iter().enumerate() {
        let dx = match t.align {
            Align::Left => 0.0,
            Align::Center => (r.w - t.line_width_mm(i)?) / 2.0,
        };
        let mut x = (r.x + dx) * k;
        let baseline = (r.y + t.baseline_mm(r.h, i)) * k;
        for c in line.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(scale, point(x, baseline));
            x += scaled.h_advance(id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, cov| {
                    let (px, py) = (
                        b.min.x as i64 + i64::from(gx),
                        b.min.y as i64 + i64::from(gy),
                    );
                    if px < 0
                        || py < 0
                        || px >= i64::from(img.width())
                        || py >= i64::from(img.height())
                    {
                        return;
                    }
                    let (px, py) = (px as u32, py as u32);
                    let bg = img.get_pixel(px, py).0;
                    let fg = [t.color.0, t.color.1, t.color.2];
                    let mix = |f: u8, b: u8| {
                        (f32::from(f) * cov + f32::from(b) * (1.0 - cov)).round() as u8
                    };
                    img.put_pixel(
                        px,
                        py,
                        Px([mix(fg[0], bg[0]), mix(fg[1], bg[1]), mix(fg[2], bg[2])]),
                    );
                });
            }
        }
    }
    Ok(())
}

/// Draws a laid-out badge at `dpi`.
pub fn rasterise(
    laid: &BadgeLayout,
    photo: Option<&[u8]>,
    template: &Template,
    dpi: f32,
) -> Result<RgbImage> {
    let k = dpi / 25.4;
    let mut img = RgbImage::from_pixel(
        (laid.width_mm * k).round() as u32,
        (laid.height_mm * k).round() as u32,
        Px([255, 255, 255]),
    );
    for item in &laid.items {
        let r = &item.rect;
        let (x0, y0, x1, y1) = px_box(r, k);
        match &item.content {
            Content::Fill(c) => fill(&mut img, (x0, y0, x1, y1), *c),
            Content::Text(t) => draw_text(&mut img, r, t, k)?,
            Content::Photo => {
                let Some(bytes) = photo else { continue };
                let src = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| {
                        Error::from(crate::messages::Msg::PhotoUnreadable {
                            detail: e.to_string(),
                        })
                    })?
                    .to_rgb8();
                let (w, h) = (x1 - x0, y1 - y0);
                if w == 0 || h == 0 {
                    continue;
                }
                // Cover, centre-crop: as the PDF draws it.
                let s = (w as f32 / src.width() as f32).max(h as f32 / src.height() as f32);
                let (sw, sh) = (
                    ((src.width() as f32 * s).ceil() as u32).max(w),
                    ((src.height() as f32 * s).ceil() as u32).max(h),
                );
                let scaled = imageops::resize(&src, sw, sh, imageops::FilterType::Triangle);
                let crop = imageops::crop_imm(&scaled, (sw - w) / 2, (sh - h) / 2, w, h).to_image();
                imageops::replace(&mut img, &crop, i64::from(x0), i64::from(y0));
            }
            Content::PhotoMissing => {
                fill(&mut img, (x0, y0, x1, y1), Rgb(0x99, 0x99, 0x99));
                fill(
                    &mut img,
                    (x0 + 1, y0 + 1, x1.saturating_sub(1), y1.saturating_sub(1)),
                    Rgb(0xEE, 0xEE, 0xEE),
                );
            }
            Content::Logo => {
                let Some(logo) = &template.logo else { continue };
                let src = image::load_from_memory_with_format(&logo.png, image::ImageFormat::Png)
                    .map_err(|e| {
                        Error::from(crate::messages::Msg::LogoUnreadable {
                            detail: e.to_string(),
                        })
                    })?
                    .to_rgba8();
                let scaled = imageops::resize(
                    &src,
                    (x1 - x0).max(1),
                    (y1 - y0).max(1),
                    imageops::FilterType::Triangle,
                );
                // Transparent parts show the white card, as on paper.
                let over_white =
                    image::RgbImage::from_fn(scaled.width(), scaled.height(), |x, y| {
                        let p = scaled.get_pixel(x, y).0;
                        let a = u16::from(p[3]);
                        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
                        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
                    });
                imageops::replace(&mut img, &over_white, i64::from(x0), i64::from(y0));
            }
            Content::Qr { matrix, module_mm } => {
                fill(&mut img, (x0, y0, x1, y1), Rgb::WHITE);
                let m = module_mm * k;
                let origin = |i: usize| ((i + QUIET_ZONE) as f32 * m).round() as u32;
                for y in 0..matrix.width {
                    for x in 0..matrix.width {
                        if matrix.is_dark(x, y) {
                            fill(
                                &mut img,
                                (
                                    x0 + origin(x),
                                    y0 + origin(y),
                                    x0 + origin(x + 1),
                                    y0 + origin(y + 1),
                                ),
                                Rgb::BLACK,
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(img)
}
