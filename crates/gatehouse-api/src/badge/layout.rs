//! Badge layout: badge data + template + format → positioned boxes.
//!
//! A pure function. Every box is in millimetres from the badge's top-left
//! corner; text boxes already carry their fitted lines and size, the QR box
//! its matrix and module size (quiet zone included in the box). The PDF
//! writer and the PNG preview only draw what is here, so everything a desk
//! officer or a gate officer would notice — the name never clipped, the QR
//! never crowded — is decided, and tested, here.

use jiff::civil::Date;

use super::fit::{self, MM_PER_PT};
use super::fonts::{self, Weight};
use super::qr::{self, QrMatrix, MIN_MODULE_MM};
use super::template::{Field, Template};
use super::{BadgeData, Format, Rgb};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// One dot of a 203-dpi thermal card printer, in millimetres. QR modules
/// are a whole number of these when that keeps them ≥ 0.4 mm, so every
/// module prints the same width.
pub const DOT_203_MM: f32 = 25.4 / 203.0;

/// A box in millimetres, `y` growing downwards from the badge's top edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// Does `self` lie within `outer` (to a hundredth of a millimetre)?
    pub fn inside(&self, outer: &Rect) -> bool {
        const EPS: f32 = 0.01;
        self.x >= outer.x - EPS
            && self.y >= outer.y - EPS
            && self.right() <= outer.right() + EPS
            && self.bottom() <= outer.bottom() + EPS
    }
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f32 = 0.01;
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }
}

/// What a box is for (tests and the preview look boxes up by role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Logo,
    Event,
    Subtitle,
    Photo,
    Name,
    Organisation,
    Country,
    Zones,
    Days,
    Serial,
    Qr,
    Band,
    Category,
    /// The red banner of a badge printed before clearance, and its words.
    HeldBand,
    Held,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// Fitted text: the lines are centred vertically in the box.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub lines: Vec<String>,
    pub size_pt: f32,
    pub weight: Weight,
    pub color: Rgb,
    pub align: Align,
}

impl TextBox {
    /// Baseline of line `i`, in mm from the top of a box of height `box_h`.
    pub fn baseline_mm(&self, box_h: f32, i: usize) -> f32 {
        let block = fit::block_height_mm(self.lines.len(), self.size_pt);
        (box_h - block) / 2.0
            + (fit::BASELINE + i as f32 * fit::LINE_HEIGHT) * self.size_pt * MM_PER_PT
    }

    /// Width of line `i` in mm.
    pub fn line_width_mm(&self, i: usize) -> Result<f32> {
        let line = self.lines.get(i).map(String::as_str).unwrap_or("");
        Ok(fonts::width_em(self.weight, line)? * self.size_pt * MM_PER_PT)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Fill(Rgb),
    Text(TextBox),
    /// The holder's JPEG, scaled to cover the 3:4 box (centre-cropped).
    Photo,
    /// No photo on file: a framed empty box, so a missing photo is obvious.
    PhotoMissing,
    Logo,
    /// The box includes the quiet zone; `module_mm` × total modules = side.
    Qr {
        matrix: QrMatrix,
        module_mm: f32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub role: Role,
    pub rect: Rect,
    pub content: Content,
}

/// One badge, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct BadgeLayout {
    pub format: Format,
    pub width_mm: f32,
    pub height_mm: f32,
    pub items: Vec<Placed>,
}

impl BadgeLayout {
    pub fn get(&self, role: Role) -> Option<&Placed> {
        self.items.iter().find(|p| p.role == role)
    }

    pub fn text(&self, role: Role) -> Option<&TextBox> {
        match self.get(role).map(|p| &p.content) {
            Some(Content::Text(t)) => Some(t),
            _ => None,
        }
    }
}

/// Where each part goes on one format (millimetres).
struct Grid {
    margin: f32,
    logo: Rect,
    event: Rect,
    event_pt: f32,
    subtitle: Option<(Rect, f32)>,
    photo: Rect,
    /// The area the QR (with its quiet zone) is centred in.
    qr_area: Rect,
    serial_h: f32,
    serial_pt: f32,
    name: (Rect, f32),
    /// The smallest name a gate officer reads at arm's length; below it the
    /// given names become initials ([`fit::fit_name`]).
    name_min_pt: f32,
    organisation: (Rect, f32),
    country: (Rect, f32),
    zones: (Rect, f32),
    days: (Rect, f32),
    band: Rect,
    category_pt: f32,
    align: Align,
    /// Prefix zones and days with a label ("Zones :")? Only where there is room.
    labels: bool,
}

fn grid(format: Format) -> Grid {
    match format {
        // Portrait, 6 mm safe margin (desk printers do not print to the edge;
        // on A4 sheets the outer edges are the paper's edges).
        Format::A6 => Grid {
            margin: 6.0,
            logo: Rect::new(6.0, 6.0, 16.0, 16.0),
            event: Rect::new(25.0, 5.5, 74.0, 10.0),
            event_pt: 22.0,
            subtitle: Some((Rect::new(25.0, 15.5, 74.0, 7.0), 7.5)),
            photo: Rect::new(6.0, 26.0, 36.0, 48.0),
            qr_area: Rect::new(46.0, 25.0, 53.0, 51.0),
            serial_h: 5.0,
            serial_pt: 11.0,
            name: (Rect::new(6.0, 77.0, 93.0, 24.0), 30.0),
            name_min_pt: 16.0,
            organisation: (Rect::new(6.0, 101.5, 93.0, 11.0), 13.0),
            country: (Rect::new(6.0, 112.5, 93.0, 6.5), 12.0),
            zones: (Rect::new(6.0, 119.5, 93.0, 7.0), 13.0),
            days: (Rect::new(6.0, 126.5, 93.0, 6.0), 11.0),
            band: Rect::new(0.0, 134.0, 105.0, 14.0),
            category_pt: 30.0,
            align: Align::Center,
            labels: true,
        },
        // Landscape card: photo and details on the left, the QR on the right.
        Format::Cr80 => Grid {
            margin: 2.5,
            logo: Rect::new(2.5, 2.5, 7.0, 7.0),
            event: Rect::new(10.5, 2.5, 38.0, 7.0),
            event_pt: 14.0,
            subtitle: None,
            photo: Rect::new(2.5, 11.0, 21.0, 28.0),
            qr_area: Rect::new(50.5, 1.5, 33.6, 39.0),
            serial_h: 4.0,
            serial_pt: 8.5,
            name: (Rect::new(25.5, 10.5, 24.3, 14.0), 14.0),
            name_min_pt: 8.5,
            organisation: (Rect::new(25.5, 24.8, 24.3, 6.4), 7.0),
            country: (Rect::new(25.5, 31.2, 24.3, 3.5), 7.0),
            zones: (Rect::new(25.5, 34.7, 24.3, 3.6), 7.5),
            days: (Rect::new(25.5, 38.3, 24.3, 3.4), 6.5),
            band: Rect::new(0.0, 43.0, 85.6, 11.0),
            category_pt: 20.0,
            align: Align::Left,
            labels: false,
        },
    }
}

/// The smallest size a name is printed at on `format` unless even its
/// initials do not fit (see [`fit::fit_name`]).
pub fn name_min_pt(format: Format) -> f32 {
    grid(format).name_min_pt
}

/// Lays out one badge.
pub fn layout(data: &BadgeData, template: &Template, format: Format) -> Result<BadgeLayout> {
    let (width_mm, height_mm) = format.size_mm();
    let g = grid(format);
    let serial = data.serial.as_str();
    let mut items = Vec::new();

    let text = |role: Role,
                field: &str,
                value: &str,
                (rect, max_pt): (Rect, f32),
                weight: Weight,
                lines: usize,
                color: Rgb,
                align: Align|
     -> Result<Placed> {
        let value = fit::clean(value);
        if let Some(c) = fonts::missing_glyph(weight, &value)? {
            return Err(crate::messages::Msg::BadgeGlyph {
                serial: serial.to_string(),
                field: crate::messages::FieldWord::of(field),
                value: value.clone(),
                glyph: crate::messages::Glyph(c),
            }
            .into());
        }
        let f = fit::fit(&value, weight, rect.w, rect.h, max_pt, lines)?;
        Ok(Placed {
            role,
            rect,
            content: Content::Text(TextBox {
                lines: f.lines,
                size_pt: f.size_pt,
                weight,
                color,
                align,
            }),
        })
    };

    // Header: logo and event name.
    let has_logo = template.logo.is_some() && template.shows(Field::Logo);
    let mut event_rect = g.event;
    if has_logo {
        // Sized to the header's square, its proportions kept, centred.
        let rect = match &template.logo {
            Some(l) if l.width_px > 0 && l.height_px > 0 => {
                let (w, h) = (l.width_px as f32, l.height_px as f32);
                let scale = (g.logo.w / w).min(g.logo.h / h);
                let (fw, fh) = (w * scale, h * scale);
                Rect::new(
                    g.logo.x + (g.logo.w - fw) / 2.0,
                    g.logo.y + (g.logo.h - fh) / 2.0,
                    fw,
                    fh,
                )
            }
            _ => g.logo,
        };
        items.push(Placed {
            role: Role::Logo,
            rect,
            content: Content::Logo,
        });
    } else {
        event_rect.w = event_rect.right() - g.margin;
        event_rect.x = g.margin;
    }
    items.push(text(
        Role::Event,
        "event name",
        &template.event,
        (event_rect, g.event_pt),
        Weight::Bold,
        1,
        template.accent,
        Align::Left,
    )?);
    if let Some((mut rect, pt)) = g.subtitle.filter(|_| !template.subtitle.trim().is_empty()) {
        if !has_logo {
            rect.w = rect.right() - g.margin;
            rect.x = g.margin;
        }
        items.push(text(
            Role::Subtitle,
            "subtitle",
            &template.subtitle,
            (rect, pt),
            Weight::Regular,
            2,
            template.muted,
            Align::Left,
        )?);
    }

    // A badge printed before clearance: a red banner over the header says
    // so, in the template's language, before anything else is read. The
    // QR, photo and name stay where they are.
    if data.held {
        items.retain(|p| !matches!(p.role, Role::Logo | Role::Event | Role::Subtitle));
        let band = match format {
            Format::A6 => Rect::new(0.0, 0.0, width_mm, 24.0),
            Format::Cr80 => Rect::new(0.0, 0.0, g.qr_area.x - 1.0, 10.0),
        };
        let words = match (template.language, format) {
            (Lang::Fr, Format::A6) => "RETENU · accréditation non accordée",
            (Lang::En, Format::A6) => "HELD · not cleared by security",
            (Lang::Fr, Format::Cr80) => "RETENU · non accrédité",
            (Lang::En, Format::Cr80) => "HELD · not cleared",
        };
        let red = Rgb(0xB0, 0x00, 0x20);
        items.push(Placed {
            role: Role::HeldBand,
            rect: band,
            content: Content::Fill(red),
        });
        let inner = Rect::new(
            g.margin,
            band.y + 1.0,
            band.w - 2.0 * g.margin,
            band.h - 2.0,
        );
        let pt = match format {
            Format::A6 => 20.0,
            Format::Cr80 => 11.0,
        };
        items.push(text(
            Role::Held,
            "held",
            words,
            (inner, pt),
            Weight::Bold,
            2,
            red.text_on(),
            Align::Center,
        )?);
    }

    // Photo.
    if template.shows(Field::Photo) {
        items.push(Placed {
            role: Role::Photo,
            rect: g.photo,
            content: if data.photo_jpeg.is_some() {
                Content::Photo
            } else {
                Content::PhotoMissing
            },
        });
    }

    // QR, as large as its area allows, modules on the 203-dpi dot grid.
    let matrix = qr::encode(&data.qr_text).map_err(|e| {
        Error::from(crate::messages::Msg::BadgeQr {
            serial: serial.to_string(),
            en: e.text(crate::lang::Lang::En),
            fr: e.text(crate::lang::Lang::Fr),
        })
    })?;
    let total = matrix.total_modules() as f32;
    let serial_h = if template.shows(Field::Serial) {
        g.serial_h
    } else {
        0.0
    };
    let max_side = g.qr_area.w.min(g.qr_area.h - serial_h);
    let raw = max_side / total;
    let dots = (raw / DOT_203_MM).floor();
    let (module_mm, snap) = if dots * DOT_203_MM >= MIN_MODULE_MM {
        (dots * DOT_203_MM, true)
    } else {
        (raw, false)
    };
    if module_mm < MIN_MODULE_MM {
        return Err(crate::messages::Msg::BadgeQrTooBig {
            serial: serial.to_string(),
            version: matrix.version.unsigned_abs().into(),
            modules: matrix.total_modules() as u64,
            need: format!("{:.1}", total * MIN_MODULE_MM),
            format: format.as_str().to_string(),
            room: format!("{max_side:.1}"),
        }
        .into());
    }
    let side = module_mm * total;
    let on_grid = |v: f32| {
        if snap {
            (v / DOT_203_MM).round() * DOT_203_MM
        } else {
            v
        }
    };
    let qr_rect = Rect::new(
        on_grid(g.qr_area.x + (g.qr_area.w - side) / 2.0),
        on_grid(g.qr_area.y),
        side,
        side,
    );
    if template.shows(Field::Serial) {
        items.push(text(
            Role::Serial,
            "badge number",
            serial,
            (
                Rect::new(g.qr_area.x, qr_rect.bottom(), g.qr_area.w, g.serial_h),
                g.serial_pt,
            ),
            Weight::Bold,
            1,
            template.ink,
            Align::Center,
        )?);
    }
    items.push(Placed {
        role: Role::Qr,
        rect: qr_rect,
        content: Content::Qr { matrix, module_mm },
    });

    // Who: name, organisation, country.
    let name = fit::clean(&data.full_name());
    if name.is_empty() {
        return Err(crate::messages::Msg::BadgeNameEmpty {
            serial: serial.to_string(),
        }
        .into());
    }
    if let Some(c) = fonts::missing_glyph(Weight::Bold, &name)? {
        return Err(crate::messages::Msg::BadgeGlyph {
            serial: serial.to_string(),
            field: crate::messages::FieldWord::of("name"),
            value: name.clone(),
            glyph: crate::messages::Glyph(c),
        }
        .into());
    }
    let (mut name_rect, name_max_pt) = g.name;
    let shows_organisation =
        template.shows(Field::Organisation) && !data.organisation.trim().is_empty();
    if !shows_organisation {
        // No organisation line: the name takes its room instead of leaving a gap.
        name_rect.h = g.organisation.0.bottom() - name_rect.y;
    }
    let fitted = fit::fit_name(
        &data.given_names,
        &data.family_name,
        Weight::Bold,
        name_rect.w,
        name_rect.h,
        name_max_pt,
        g.name_min_pt,
    )?
    .fitted;
    items.push(Placed {
        role: Role::Name,
        rect: name_rect,
        content: Content::Text(TextBox {
            lines: fitted.lines,
            size_pt: fitted.size_pt,
            weight: Weight::Bold,
            color: template.ink,
            align: g.align,
        }),
    });
    if shows_organisation {
        items.push(text(
            Role::Organisation,
            "organisation",
            &data.organisation,
            g.organisation,
            Weight::Regular,
            2,
            template.ink,
            g.align,
        )?);
    }
    if template.shows(Field::Country) && !data.country_name.trim().is_empty() {
        items.push(text(
            Role::Country,
            "country",
            &data.country_name,
            g.country,
            Weight::Regular,
            1,
            template.muted,
            g.align,
        )?);
    }

    // Where and when.
    let (zones_label, days_label) = match template.language {
        Lang::Fr => ("Zones\u{a0}: ", "Jours\u{a0}: "),
        Lang::En => ("Zones: ", "Days: "),
    };
    if template.shows(Field::Zones) {
        let zones = if data.zones.is_empty() {
            "—".to_string()
        } else {
            data.zones.join(" · ")
        };
        let label = if g.labels { zones_label } else { "" };
        items.push(text(
            Role::Zones,
            "zones",
            &format!("{label}{zones}"),
            g.zones,
            Weight::Bold,
            1,
            template.ink,
            g.align,
        )?);
    }
    if template.shows(Field::Days) {
        let label = if g.labels { days_label } else { "" };
        items.push(text(
            Role::Days,
            "days",
            &format!("{label}{}", format_days(&data.days, template.language)),
            g.days,
            Weight::Regular,
            1,
            template.ink,
            g.align,
        )?);
    }

    // The category band, name spelled out: colour alone is never enough.
    let band_color = Rgb::from_color(&data.category_color);
    items.push(Placed {
        role: Role::Band,
        rect: g.band,
        content: Content::Fill(band_color),
    });
    let category_rect = Rect::new(g.margin, g.band.y, g.band.w - 2.0 * g.margin, g.band.h);
    items.push(text(
        Role::Category,
        "category",
        &data.category_name,
        (category_rect, g.category_pt),
        Weight::Bold,
        1,
        band_color.text_on(),
        Align::Center,
    )?);

    Ok(BadgeLayout {
        format,
        width_mm,
        height_mm,
        items,
    })
}

/// The validity days, compact: "11–14 nov. 2025", "11, 13–14 nov. 2025",
/// "30 nov.–1 déc. 2025".
pub fn format_days(days: &[Date], lang: Lang) -> String {
    let mut days = days.to_vec();
    days.sort();
    days.dedup();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return "—".to_string();
    };
    let month = |d: &Date| {
        let i = usize::try_from(d.month() - 1).unwrap_or(0);
        match lang {
            Lang::Fr => [
                "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                "nov.", "déc.",
            ][i],
            Lang::En => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][i],
        }
    };
    // Runs of consecutive days.
    let mut runs: Vec<(Date, Date)> = Vec::new();
    for d in &days {
        match runs.last_mut() {
            Some((_, end)) if end.tomorrow().ok() == Some(*d) => *end = *d,
            _ => runs.push((*d, *d)),
        }
    }
    let same_month = first.year() == last.year() && first.month() == last.month();
    let run_text = |(a, b): &(Date, Date)| {
        let day = |d: &Date| {
            if same_month {
                d.day().to_string()
            } else {
                format!("{} {}", d.day(), month(d))
            }
        };
        if a == b {
            day(a)
        } else {
            format!("{}–{}", day(a), day(b))
        }
    };
    let body = runs.iter().map(run_text).collect::<Vec<_>>().join(", ");
    if same_month {
        format!("{body} {} {}", month(first), first.year())
    } else {
        format!("{body} {}", last.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_read_like_a_person_would_write_them() {
        let d = |n| date(2025, 11, n);
        assert_eq!(
            format_days(&[d(11), d(12), d(13), d(14)], Lang::Fr),
            "11–14 nov. 2025"
        );
        assert_eq!(format_days(&[d(11)], Lang::En), "11 Nov 2025");
        assert_eq!(
            format_days(&[d(14), d(11), d(13)], Lang::Fr),
            "11, 13–14 nov. 2025"
        );
        assert_eq!(
            format_days(&[d(30), date(2025, 12, 1)], Lang::Fr),
            "30 nov.–1 déc. 2025"
        );
        assert_eq!(format_days(&[], Lang::Fr), "—");
    }
}
