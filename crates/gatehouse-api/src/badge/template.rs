//! Badge templates: per-event choices the organiser may edit — event title,
//! colours, logo, which optional fields are printed, default format and the
//! language of the labels. Shipped as JSON under `assets/templates/` (the
//! demo event's BAMEX'25 template is compiled in); the organiser console's
//! edits are [`TemplateSettings`], stored with the event
//! ([`super::template_store`]).
//!
//! What a template cannot remove: the name, the category band with its name
//! spelled out, and the QR code — a gate needs all three.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{fonts, Format, Rgb};
use crate::error::{Error, Result};
use crate::event::Color;
use crate::lang::Lang;
use crate::messages::{FieldWord, Glyph, Msg};

pub const BAMEX25_JSON: &str = include_str!("../../../../assets/templates/bamex25.json");
pub const BAMEX25_LOGO_PNG: &[u8] = include_bytes!("../../../../assets/logos/bamex25.png");

/// The optional parts of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BadgeField")]
pub enum Field {
    Logo,
    Photo,
    Organisation,
    Country,
    Zones,
    Days,
    Serial,
}

/// A decoded-enough logo: the PNG and its pixel size (for its aspect ratio).
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

/// The largest logo file accepted, and its pixel bounds.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;
pub const LOGO_MIN_PX: u32 = 32;
pub const LOGO_MAX_PX: u32 = 4096;
/// A logo wider or taller than this ratio would print as a sliver in the
/// header's square.
pub const LOGO_MAX_RATIO: u32 = 6;

impl Logo {
    /// An uploaded logo (`settings.logo`: a PNG as base64, with or without
    /// its `data:image/png;base64,` prefix), checked: a PNG (an SVG is drawn
    /// to PNG by the console before it is sent), at most 512 KB, 32 to 4096
    /// pixels a side, no more than six times wider than tall or the reverse.
    pub fn from_upload(text: &str) -> Result<Logo> {
        use base64::Engine as _;
        let data = text
            .trim()
            .strip_prefix("data:image/png;base64,")
            .unwrap_or(text.trim());
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| Error::from(Msg::LogoNotBase64 {}))?;
        if png.len() > LOGO_MAX_BYTES {
            return Err(Msg::LogoTooHeavy {
                kb: png.len().div_ceil(1024) as u64,
                max_kb: (LOGO_MAX_BYTES / 1024) as u64,
            }
            .into());
        }
        if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(Msg::LogoNotPng {}.into());
        }
        let logo = Logo::from_png(png)?;
        let (w, h) = (logo.width_px, logo.height_px);
        if w.min(h) < LOGO_MIN_PX || w.max(h) > LOGO_MAX_PX {
            return Err(Msg::LogoSize {
                w: u64::from(w),
                h: u64::from(h),
                min: u64::from(LOGO_MIN_PX),
                max: u64::from(LOGO_MAX_PX),
            }
            .into());
        }
        if w.max(h) > LOGO_MAX_RATIO * w.min(h) {
            return Err(Msg::LogoShape {
                w: u64::from(w),
                h: u64::from(h),
                ratio: u64::from(LOGO_MAX_RATIO),
            }
            .into());
        }
        Ok(logo)
    }

    pub fn from_png(png: Vec<u8>) -> Result<Logo> {
        let (width_px, height_px) =
            image::ImageReader::with_format(std::io::Cursor::new(&png), image::ImageFormat::Png)
                .into_dimensions()
                .map_err(|e| {
                    Error::from(Msg::LogoUnreadable {
                        detail: e.to_string(),
                    })
                })?;
        Ok(Logo {
            png,
            width_px,
            height_px,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The event's name as printed in the header.
    pub event: String,
    /// A second header line (A6 only: the card has no room for it).
    pub subtitle: String,
    pub language: Lang,
    pub default_format: Format,
    pub ink: Rgb,
    pub accent: Rgb,
    pub muted: Rgb,
    pub fields: BTreeSet<Field>,
    pub logo: Option<Logo>,
}

/// A template as the organiser console edits it: plain data, every colour a
/// validated `#RRGGBB`. The logo is the event's shipped logo, printed when
/// `fields` has `logo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "BadgeTemplate")]
pub struct TemplateSettings {
    /// The event's name in the badge header.
    pub event: String,
    /// The second header line (A6 only).
    pub subtitle: String,
    pub language: Lang,
    pub default_format: Format,
    /// Names and details.
    pub ink: Color,
    /// The event's name.
    pub accent: Color,
    /// Country and subtitle.
    pub muted: Color,
    /// The optional parts printed; the name, the category band and the QR
    /// code are always printed.
    pub fields: Vec<Field>,
    /// The event's own logo (a PNG as base64), printed in place of the
    /// built-in BAMEX'25 one when `fields` has `logo`; it travels to the
    /// stations with the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub logo: Option<String>,
}

/// Longest event name and subtitle accepted (they shrink to fit; beyond
/// this they would be unreadable anyway).
const MAX_EVENT_CHARS: usize = 40;
const MAX_SUBTITLE_CHARS: usize = 120;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    event: String,
    #[serde(default)]
    subtitle: String,
    language: Lang,
    default_format: Format,
    /// Path of a PNG, relative to the template file.
    #[serde(default)]
    logo: Option<String>,
    colors: Colors,
    fields: Vec<Field>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Colors {
    ink: Color,
    accent: Color,
    muted: Color,
}

impl Template {
    /// The BAMEX'25 template shipped with the demo event.
    pub fn bamex25() -> Result<Template> {
        Template::parse(BAMEX25_JSON, "assets/templates/bamex25.json", |_| {
            Ok(BAMEX25_LOGO_PNG.to_vec())
        })
    }

    /// Reads a template file; its logo path is relative to the file.
    pub fn load(path: &Path) -> Result<Template> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("cannot read template {}", path.display()), e))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Template::parse(&text, &path.display().to_string(), |logo| {
            let p = dir.join(logo);
            std::fs::read(&p).map_err(|e| {
                Error::io(
                    format!("cannot read the template's logo {}", p.display()),
                    e,
                )
            })
        })
    }

    /// Parses template JSON; `name` is used in error messages, `read_logo`
    /// fetches the logo file the template names.
    pub fn parse(
        json: &str,
        name: &str,
        read_logo: impl FnOnce(&str) -> Result<Vec<u8>>,
    ) -> Result<Template> {
        let file: TemplateFile = serde_json::from_str(json).map_err(|e| {
            Error::from(Msg::TemplateFileInvalid {
                name: name.to_string(),
                detail: e.to_string(),
            })
        })?;
        if file.event.trim().is_empty() {
            return Err(Msg::TemplateEventEmpty {
                name: name.to_string(),
            }
            .into());
        }
        let logo = match &file.logo {
            Some(path) if file.fields.contains(&Field::Logo) => {
                Some(Logo::from_png(read_logo(path)?).map_err(|e| {
                    Error::from(Msg::TemplateLogoFile {
                        name: name.to_string(),
                        path: path.clone(),
                        en: e.text(Lang::En),
                        fr: e.text(Lang::Fr),
                    })
                })?)
            }
            _ => None,
        };
        Ok(Template {
            event: file.event,
            subtitle: file.subtitle,
            language: file.language,
            default_format: file.default_format,
            ink: Rgb::from_color(&file.colors.ink),
            accent: Rgb::from_color(&file.colors.accent),
            muted: Rgb::from_color(&file.colors.muted),
            fields: file.fields.into_iter().collect(),
            logo,
        })
    }

    pub fn shows(&self, field: Field) -> bool {
        self.fields.contains(&field)
    }

    /// The template from the console's settings, refused with the field and
    /// value named when it could not print.
    pub fn from_settings(s: &TemplateSettings) -> Result<Template> {
        let event = super::fit::clean(&s.event);
        let subtitle = super::fit::clean(&s.subtitle);
        if event.is_empty() {
            return Err(Msg::TemplateEventNameEmpty {}.into());
        }
        for (field, value, max) in [
            ("event name", &event, MAX_EVENT_CHARS),
            ("subtitle", &subtitle, MAX_SUBTITLE_CHARS),
        ] {
            let n = value.chars().count();
            if n > max {
                return Err(Msg::TemplateTextTooLong {
                    field: FieldWord::of(field),
                    value: value.clone(),
                    n: n as u64,
                    max: max as u64,
                }
                .into());
            }
            if let Some(c) = fonts::missing_glyph(fonts::Weight::Bold, value)? {
                return Err(Msg::TemplateGlyph {
                    field: FieldWord::of(field),
                    value: value.clone(),
                    glyph: Glyph(c),
                }
                .into());
            }
        }
        let fields: BTreeSet<Field> = s.fields.iter().copied().collect();
        let logo = match (&s.logo, fields.contains(&Field::Logo)) {
            (_, false) => None,
            (Some(uploaded), true) => Some(Logo::from_upload(uploaded)?),
            (None, true) => Some(Logo::from_png(BAMEX25_LOGO_PNG.to_vec())?),
        };
        Ok(Template {
            event,
            subtitle,
            language: s.language,
            default_format: s.default_format,
            ink: Rgb::from_color(&s.ink),
            accent: Rgb::from_color(&s.accent),
            muted: Rgb::from_color(&s.muted),
            fields,
            logo,
        })
    }

    /// This template as the console edits it.
    pub fn settings(&self) -> Result<TemplateSettings> {
        let color = |c: Rgb| Color::try_from(format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2));
        Ok(TemplateSettings {
            event: self.event.clone(),
            subtitle: self.subtitle.clone(),
            language: self.language,
            default_format: self.default_format,
            ink: color(self.ink)?,
            accent: color(self.accent)?,
            muted: color(self.muted)?,
            fields: self.fields.iter().copied().collect(),
            logo: self
                .logo
                .as_ref()
                .filter(|l| l.png != BAMEX25_LOGO_PNG)
                .map(|l| {
                    use base64::Engine as _;
                    base64::engine::general_purpose::STANDARD.encode(&l.png)
                }),
        })
    }

    /// This template printing `name`: the event's own name, whatever the
    /// settings once said (the console edits the name in one place, the
    /// event's setup).
    pub fn named(mut self, name: &str) -> Template {
        let name = super::fit::clean(name);
        if !name.is_empty() {
            self.event = name;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bamex25_template_loads_with_its_logo() -> Result<()> {
        let t = Template::bamex25()?;
        assert_eq!(t.event, "BAMEX'25");
        assert_eq!(t.default_format, Format::A6);
        assert!(t.logo.is_some() && t.shows(Field::Photo));
        Ok(())
    }

    #[test]
    fn settings_round_trip_and_bad_settings_name_the_field() -> Result<()> {
        let t = Template::bamex25()?;
        let s = t.settings()?;
        assert_eq!(s.accent.as_str(), "#14532D");
        assert_eq!(Template::from_settings(&s)?, t);
        let mut bad = s.clone();
        bad.event = "  ".into();
        let e = Template::from_settings(&bad).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("badge template: the event name is empty")
        );
        bad.event = "BAMEX ب".into();
        let e = Template::from_settings(&bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("event name") && e.contains("U+0628"), "{e}");
        bad.event = "X".repeat(41);
        let e = Template::from_settings(&bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("41 characters"), "{e}");
        // Without the logo field, no logo.
        let mut plain = s;
        plain.fields.retain(|f| *f != Field::Logo);
        assert!(Template::from_settings(&plain)?.logo.is_none());
        Ok(())
    }

    fn png(w: u32, h: u32) -> String {
        use base64::Engine as _;
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 30, 30, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        let _ = img.write_to(&mut out, image::ImageFormat::Png);
        base64::engine::general_purpose::STANDARD.encode(out.into_inner())
    }

    #[test]
    fn an_uploaded_logo_replaces_the_built_in_one_and_is_checked() -> Result<()> {
        let mut s = Template::bamex25()?.settings()?;
        assert_eq!(
            s.logo, None,
            "the built-in logo is not sent back as an upload"
        );
        s.logo = Some(format!("data:image/png;base64,{}", png(300, 100)));
        let t = Template::from_settings(&s)?;
        let logo = t.logo.as_ref().ok_or(Error::Internal("no logo".into()))?;
        assert_eq!((logo.width_px, logo.height_px), (300, 100));
        // It travels with the settings.
        assert_eq!(Template::from_settings(&t.settings()?)?, t);

        let refused = |text: String| {
            let mut bad = s.clone();
            bad.logo = Some(text);
            Template::from_settings(&bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(
            refused(png(10, 10)).contains("10×10 pixels"),
            "{}",
            refused(png(10, 10))
        );
        assert!(refused(png(700, 100)).contains("more than 6 times"));
        {
            use base64::Engine as _;
            let svg = base64::engine::general_purpose::STANDARD
                .encode("<svg xmlns='http://www.w3.org/2000/svg'/>");
            assert!(refused(svg).contains("not a PNG image"));
            let big = base64::engine::general_purpose::STANDARD.encode(vec![0u8; 600 * 1024]);
            assert!(refused(big).contains("600 KB"));
        }
        assert!(refused("not base64!".into()).contains("base64"));
        Ok(())
    }

    #[test]
    fn a_wide_logo_keeps_its_proportions_in_the_header() -> Result<()> {
        let mut s = Template::bamex25()?.settings()?;
        s.logo = Some(png(400, 100));
        let t = Template::from_settings(&s)?;
        let badge = super::super::sample::badge(1, "GH1:TEST".into(), None)?;
        let boxes = super::super::layout::layout(&badge, &t, Format::A6)?;
        let logo = boxes
            .get(super::super::layout::Role::Logo)
            .ok_or(Error::Internal("no logo placed".into()))?;
        assert!(
            (logo.rect.w / logo.rect.h - 4.0).abs() < 0.01,
            "{:?}",
            logo.rect
        );
        Ok(())
    }

    #[test]
    fn bad_templates_name_the_field() {
        let err = |json: &str| {
            Template::parse(json, "t.json", |_| Ok(Vec::new()))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let base = r##"{"event":"X","language":"fr","default_format":"a6","colors":{"ink":"#000000","accent":"#000000","muted":"#000000"},"fields":[]}"##;
        assert!(Template::parse(base, "t.json", |_| Ok(Vec::new())).is_ok());
        let m = err(&base.replace("\"a6\"", "\"a5\""));
        assert!(m.contains("t.json") && m.contains("a5"), "{m}");
        let m = err(&base.replace("#000000\",\"muted", "black\",\"muted"));
        assert!(m.contains("black"), "{m}");
        let m = err(&base.replace("\"fields\":[]", "\"fields\":[\"shoe_size\"]"));
        assert!(m.contains("shoe_size"), "{m}");
    }
}
