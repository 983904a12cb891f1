//! Badge templates: per-event choices the organiser may edit — event title,
//! colours, logo, which optional fields are printed, default format and the
//! language of the labels. Stored as JSON under `assets/templates/`; the demo
//! event's BAMEX'25 template is compiled in.
//!
//! What a template cannot remove: the name, the category band with its name
//! spelled out, and the QR code — a gate needs all three.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::{Format, Rgb};
use crate::error::{Error, Result};
use crate::event::Color;

pub const BAMEX25_JSON: &str = include_str!("../../assets/templates/bamex25.json");
pub const BAMEX25_LOGO_PNG: &[u8] = include_bytes!("../../assets/logos/bamex25.png");

/// The optional parts of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Logo,
    Photo,
    Organisation,
    Country,
    Zones,
    Days,
    Serial,
}

/// The language of the printed labels ("Zones", "Jours", month names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
}

/// A decoded-enough logo: the PNG and its pixel size (for its aspect ratio).
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

impl Logo {
    pub fn from_png(png: Vec<u8>) -> Result<Logo> {
        let (width_px, height_px) =
            image::ImageReader::with_format(std::io::Cursor::new(&png), image::ImageFormat::Png)
                .into_dimensions()
                .map_err(|e| {
                    Error::bad_input(format!("the template's logo is not a readable PNG: {e}"))
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
    pub language: Language,
    pub default_format: Format,
    pub ink: Rgb,
    pub accent: Rgb,
    pub muted: Rgb,
    pub fields: BTreeSet<Field>,
    pub logo: Option<Logo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    event: String,
    #[serde(default)]
    subtitle: String,
    language: Language,
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
        let file: TemplateFile = serde_json::from_str(json)
            .map_err(|e| Error::bad_input(format!("template {name}: {e}")))?;
        if file.event.trim().is_empty() {
            return Err(Error::bad_input(format!(
                "template {name}: field \"event\" is empty"
            )));
        }
        let logo = match &file.logo {
            Some(path) if file.fields.contains(&Field::Logo) => {
                Some(Logo::from_png(read_logo(path)?).map_err(|e| {
                    Error::bad_input(format!("template {name}: logo {path:?}: {e}"))
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
