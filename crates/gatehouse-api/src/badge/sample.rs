//! Made-up badges for tests, benchmarks and the preview of a template:
//! distinct synthetic portraits (300 × 400, encoded by the registry's own
//! photo encoder, so sizes measured on them are what real badges weigh) and
//! names that exercise the fonts. No real person's data.

use image::{Rgb as Px, RgbImage};
use jiff::civil::Date;

use super::BadgeData;
use crate::error::Result;
use crate::event::Color;
use crate::lang::Lang;
use crate::serial::BadgeSerial;

/// A cheap deterministic hash, for per-pixel grain that differs by seed.
fn mix(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^ (x >> 16)
}

/// A head-and-shoulders silhouette on a coloured background, different for
/// every `seed`, with a little sensor-like grain so it compresses like a
/// photo rather than a flat drawing.
pub fn portrait_jpeg(seed: u32) -> Result<Vec<u8>> {
    let (w, h) = (300_u32, 400_u32);
    let pick = |k: u32, lo: u32, span: u32| {
        (lo + mix(seed.wrapping_mul(31).wrapping_add(k)) % span) as i32
    };
    let bg = [pick(1, 120, 110), pick(2, 140, 100), pick(3, 150, 100)];
    let skin = [pick(4, 90, 140), pick(5, 60, 100), pick(6, 40, 80)];
    let cloth = [pick(7, 10, 120), pick(8, 20, 120), pick(9, 30, 140)];
    let head_rx = pick(10, 62, 18) as f32;
    let mut img = RgbImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            let head = ((fx - 150.0) / head_rx).powi(2) + ((fy - 165.0) / 85.0).powi(2) <= 1.0;
            let eye = ((fx - 125.0).powi(2) + (fy - 150.0).powi(2) < 36.0)
                || ((fx - 175.0).powi(2) + (fy - 150.0).powi(2) < 36.0);
            let shoulders = fy > 265.0 && (fx - 150.0).abs() < 60.0 + (fy - 265.0) * 1.2;
            let base = if eye {
                [30, 25, 25]
            } else if head {
                skin
            } else if shoulders {
                cloth
            } else {
                // A soft vertical gradient, like studio lighting.
                let g = (fy / h as f32 * 40.0) as i32;
                [bg[0] - g, bg[1] - g, bg[2] - g]
            };
            let grain = (mix(seed ^ (y * w + x)) % 13) as i32 - 6;
            let c = |v: i32| (v + grain).clamp(0, 255) as u8;
            img.put_pixel(x, y, Px([c(base[0]), c(base[1]), c(base[2])]));
        }
    }
    Ok(crate::registry::photo::encode(&img)?.jpeg)
}

/// Base45 text of the length a signed badge token has (~290 characters,
/// a version-10 QR), for benchmarks that must not depend on keys.
pub fn token_like_text(seed: u32) -> String {
    const B45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let body: String = (0..288_u32)
        .map(|i| char::from(B45[(mix(seed.wrapping_mul(7919) ^ i) % 45) as usize]))
        .collect();
    format!("GH1:{body}")
}

/// Names from the delegations' countries, with their diacritics.
pub const NAMES: [(&str, &str); 8] = [
    ("Aminata", "Goïta"),
    ("Boubacar", "Maïga"),
    ("Mehmet", "Saraç"),
    ("Ayşe", "Şahin"),
    ("Emre", "Ağaoğlu"),
    ("Işık", "Yılmaz"),
    ("Élodie", "Cissé"),
    ("Mohamed El Moctar", "Ould Sidi Ahmed Ould Abdallahi"),
];

/// A sample badge number `n` (1-based) for the BAMEX'25 demo days, with
/// `qr_text` already signed by the caller.
pub fn badge(n: u32, qr_text: String, photo: Option<Vec<u8>>) -> Result<BadgeData> {
    let (given, family) = NAMES[(n as usize - 1) % NAMES.len()];
    Ok(BadgeData {
        serial: BadgeSerial::new("BMX", n)?,
        version: 1,
        given_names: given.to_string(),
        family_name: family.to_string(),
        organisation: "Direction générale de l'armement et des équipements de défense".to_string(),
        country_name: "Mali".to_string(),
        category_name: "Délégation officielle".to_string(),
        category_color: Color::try_from("#0B3D91".to_string())?,
        zones: ["HALL", "BIZ", "VIP", "DEMO"].map(String::from).to_vec(),
        days: (11..=14)
            .map(|d| jiff::civil::date(2025, 11, d))
            .collect::<Vec<Date>>(),
        photo_jpeg: photo,
        qr_text,
        held: false,
    })
}

/// A PNG of a made-up badge (photo, long organisation, four zones) with
/// `template`, at screen resolution: the organiser console's live preview
/// of a template before it is saved.
pub fn template_preview(template: &super::Template, format: super::Format) -> Result<Vec<u8>> {
    let badge = badge(1, token_like_text(1), Some(portrait_jpeg(1)?))?;
    super::preview::preview_png(&badge, template, format, 150.0)
}

/// [`template_preview`] for `event`: its own name in the header, its days,
/// and a category of its own (the official delegation's, else the first)
/// with its real colour, zones and days.
pub fn event_preview(
    template: &super::Template,
    format: super::Format,
    event: &crate::event::EventInfo,
) -> Result<Vec<u8>> {
    let template = template.clone().named(&event.name);
    let mut badge = badge(1, token_like_text(1), Some(portrait_jpeg(1)?))?;
    let category = event
        .categories
        .iter()
        .find(|c| c.code.as_str() == "DEL")
        .or_else(|| event.categories.first());
    if let Some(c) = category {
        badge.category_name = match template.language {
            Lang::Fr => c.name_fr.clone(),
            Lang::En => c.name_en.clone(),
        };
        badge.category_color = c.color.clone();
        badge.zones = event
            .zones
            .iter()
            .filter(|z| c.zones.contains(&z.code))
            .map(|z| z.code.to_string())
            .collect();
        let mut days: Vec<Date> = c
            .days
            .iter()
            .copied()
            .filter(|d| event.days.iter().any(|e| e.date == *d))
            .collect();
        if days.is_empty() {
            days = event.days.iter().map(|d| d.date).collect();
        }
        badge.days = days;
    }
    super::preview::preview_png(&badge, &template, format, 150.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portraits_differ_by_seed_and_are_3_by_4_jpegs() -> Result<()> {
        let a = portrait_jpeg(1)?;
        let b = portrait_jpeg(2)?;
        assert_ne!(a, b);
        let info = super::super::jpeg::info(&a)?;
        assert_eq!((info.width, info.height), (300, 400));
        Ok(())
    }
}
