//! The PDF writer: draws laid-out badges with printpdf, one badge per page
//! or four A6 badges per A4 sheet with cut marks.
//!
//! Text is real text in embedded, subsetted Noto Sans (so names with their
//! diacritics can be searched and copied). Photos go in as their own JPEG
//! bytes (`DCTDecode`, no re-encoding) and each distinct photo once per file;
//! the logo once per file; each QR as a 1-bit image, pixel-exact with its
//! quiet zone.

use std::collections::{BTreeSet, HashMap};

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect as PdfRect,
    TextItem, TextMatrix, WindingOrder, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use super::fit::MM_PER_PT;
use super::fonts::Weight;
use super::layout::{layout, Align, BadgeLayout, Content, Rect};
use super::qr::{QrMatrix, QUIET_ZONE};
use super::{jpeg, sheet, BadgeData, Format, Rgb, Template};
use crate::error::{Error, Result};

/// How badges are put on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// Each page is one badge, at the badge's size (card printers, A6 paper).
    Single,
    /// A6 badges four to an A4 sheet (2 × 2), with cut marks.
    A4FourUp,
}

/// The font reduced to the glyphs of `chars`, tagged as a subset.
///
/// printpdf only subsets with its heavy `text_layout` feature (a whole HTML
/// layout engine); without it, it would embed all 500 KB of each face in
/// every file. So we subset here with allsorts, which printpdf already
/// uses, and hand printpdf the small font to embed as is.
pub(crate) fn subset(weight: Weight, chars: &BTreeSet<char>) -> Result<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    // The glyph ids from the font's cmap, as the layout's metrics read it
    // (ab_glyph, parsed once per process and cheap to parse): printpdf's
    // own full parse of each 500 KB face cost every `gatehouse badges`
    // process tens of milliseconds before its first page.
    let face = weight.face()?;
    let mut ids: Vec<u16> = chars
        .iter()
        .map(|c| ab_glyph::Font::glyph_id(face, *c).0)
        .filter(|g| *g != 0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    ids.insert(0, 0); // .notdef must come first
    let fail = |e: String| Error::Internal(format!("cannot subset the {weight:?} badge font: {e}"));
    let scope = ReadScope::new(weight.ttf());
    let font_file = scope
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.to_string()))?;
    let provider = font_file
        .table_provider(0)
        .map_err(|e| fail(e.to_string()))?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail(e.to_string()))?;
    let mut font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| fail("printpdf cannot read the subset".into()))?;
    // The six-letter tag (ISO 32000-1, 9.6.4) names this glyph set.
    let digest = Sha256::digest(chars.iter().collect::<String>().as_bytes());
    let tag: String = digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let name = match weight {
        Weight::Regular => "NotoSans-Regular",
        Weight::Bold => "NotoSans-Bold",
    };
    font.font_name = Some(format!("{tag}+{name}"));
    Ok(font)
}

/// The characters each weight draws in these badges.
fn used_chars(badges: &[(BadgeLayout, Option<&[u8]>)]) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    for (b, _) in badges {
        for item in &b.items {
            if let Content::Text(t) = &item.content {
                let set = match t.weight {
                    Weight::Regular => &mut regular,
                    Weight::Bold => &mut bold,
                };
                set.extend(t.lines.iter().flat_map(|l| l.chars()));
            }
        }
    }
    (regular, bold)
}

/// Lays out `badges` and writes them to one PDF.
pub fn render_pdf(
    badges: &[BadgeData],
    template: &Template,
    format: Format,
    sheet: Sheet,
) -> Result<Vec<u8>> {
    let laid = layout_all(badges, template, format)?;
    write_pdf(&laid, template, sheet)
}

/// A laid-out badge and its photo's JPEG bytes, if any.
type Laid<'a> = (BadgeLayout, Option<&'a [u8]>);

/// Badges per thread below which laying out in parallel is not worth a
/// thread.
const PARALLEL_FROM: usize = 64;

/// Lays out every badge (text fitting and the QR symbol, the larger part of
/// the work), on as many threads as the machine has cores for a large
/// batch. The result, and the first error, are those of laying them out
/// one after another, in order.
fn layout_all<'a>(
    badges: &'a [BadgeData],
    template: &Template,
    format: Format,
) -> Result<Vec<Laid<'a>>> {
    let one = |b: &'a BadgeData| Ok((layout(b, template, format)?, b.photo_jpeg.as_deref()));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(badges.len() / PARALLEL_FROM)
        .max(1);
    if threads == 1 {
        return badges.iter().map(one).collect();
    }
    let per = badges.len().div_ceil(threads);
    let parts: Vec<Result<Vec<_>>> = std::thread::scope(|s| {
        let running: Vec<_> = badges
            .chunks(per)
            .map(|chunk| s.spawn(move || chunk.iter().map(one).collect::<Result<Vec<_>>>()))
            .collect();
        running
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err(Error::Internal("badge layout panicked".into())))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(badges.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Document-wide resources: fonts, logo, photos (deduplicated).
struct Resources<'a> {
    regular: FontId,
    bold: FontId,
    logo: Option<XObjectId>,
    /// Photos embedded so far, by byte length: equal photos are found by
    /// comparing bytes, which is cheaper than hashing every photo.
    photos: HashMap<usize, Vec<(&'a [u8], XObjectId)>>,
    photo_count: usize,
}

fn image_dict(
    width: u32,
    height: u32,
    color_space: &str,
    bits: i64,
) -> Vec<(&'static str, DictItem)> {
    vec![
        ("Type", DictItem::Name(b"XObject".to_vec())),
        ("Subtype", DictItem::Name(b"Image".to_vec())),
        ("Width", DictItem::Int(i64::from(width))),
        ("Height", DictItem::Int(i64::from(height))),
        (
            "ColorSpace",
            DictItem::Name(color_space.as_bytes().to_vec()),
        ),
        ("BitsPerComponent", DictItem::Int(bits)),
    ]
}

fn xobject(
    dict: Vec<(&'static str, DictItem)>,
    content: Vec<u8>,
    compress: bool,
) -> ExternalXObject {
    ExternalXObject {
        stream: ExternalStream {
            dict: dict.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            content,
            compress,
        },
        width: None,
        height: None,
        dpi: None,
    }
}

/// The photo as it is: JPEG bytes behind `DCTDecode`.
fn photo_xobject(bytes: &[u8]) -> Result<ExternalXObject> {
    let info = jpeg::info(bytes)?;
    let cs = match info.components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = image_dict(info.width, info.height, cs, 8);
    dict.push(("Filter", DictItem::Name(b"DCTDecode".to_vec())));
    Ok(xobject(dict, bytes.to_vec(), false))
}

/// An opaque 8-bit grey or RGB, non-interlaced PNG goes into the PDF as it
/// is: PDF's FlateDecode with PNG predictors reads the PNG's own compressed
/// data, so nothing is decoded or recompressed. `None` for other PNGs.
fn png_passthrough(png: &[u8]) -> Option<ExternalXObject> {
    let mut i = 8;
    let (mut width, mut height, mut colors) = (0_u32, 0_u32, 0_i64);
    let mut idat = Vec::new();
    while i + 8 <= png.len() {
        let len = u32::from_be_bytes(png.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = png.get(i + 4..i + 8)?;
        let body = png.get(i + 8..i + 8 + len)?;
        match kind {
            b"IHDR" => {
                let (depth, color_type, interlace) = (body[8], body[9], body[12]);
                if depth != 8 || interlace != 0 {
                    return None;
                }
                colors = match color_type {
                    0 => 1,
                    2 => 3,
                    _ => return None, // palette or alpha: decode instead
                };
                width = u32::from_be_bytes(body.get(0..4)?.try_into().ok()?);
                height = u32::from_be_bytes(body.get(4..8)?.try_into().ok()?);
            }
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        i += 12 + len;
    }
    if colors == 0 || idat.is_empty() {
        return None;
    }
    let cs = if colors == 1 {
        "DeviceGray"
    } else {
        "DeviceRGB"
    };
    let mut dict = image_dict(width, height, cs, 8);
    dict.push(("Filter", DictItem::Name(b"FlateDecode".to_vec())));
    let parms = [
        ("Predictor", DictItem::Int(15)),
        ("Colors", DictItem::Int(colors)),
        ("BitsPerComponent", DictItem::Int(8)),
        ("Columns", DictItem::Int(i64::from(width))),
    ];
    dict.push((
        "DecodeParms",
        DictItem::Dict {
            map: parms.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        },
    ));
    Some(xobject(dict, idat, false))
}

/// The logo: as it is when the PNG allows, else decoded to RGB over white
/// (PDF images have no alpha without a soft mask; the header is white).
fn logo_xobject(png: &[u8]) -> Result<ExternalXObject> {
    if let Some(x) = png_passthrough(png) {
        return Ok(x);
    }
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| {
            Error::from(crate::messages::Msg::LogoUnreadable {
                detail: e.to_string(),
            })
        })?
        .to_rgba8();
    let (w, h) = img.dimensions();
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for p in img.pixels() {
        let a = u16::from(p[3]);
        for c in &p.0[..3] {
            rgb.push(((u16::from(*c) * a + 255 * (255 - a)) / 255) as u8);
        }
    }
    Ok(xobject(image_dict(w, h, "DeviceRGB", 8), rgb, true))
}

/// The QR with its quiet zone as a 1-bit grey image, one pixel per module
/// (drawn without interpolation, so modules stay square and sharp).
fn qr_xobject(m: &QrMatrix) -> ExternalXObject {
    let n = m.total_modules();
    let row_bytes = n.div_ceil(8);
    let mut bits = vec![0xFF_u8; row_bytes * n];
    for y in 0..m.width {
        for x in 0..m.width {
            if m.is_dark(x, y) {
                let (px, py) = (x + QUIET_ZONE, y + QUIET_ZONE);
                bits[py * row_bytes + px / 8] &= !(0x80 >> (px % 8));
            }
        }
    }
    let side = u32::try_from(n).unwrap_or(u32::MAX);
    let mut dict = image_dict(side, side, "DeviceGray", 1);
    dict.push(("Interpolate", DictItem::Bool(false)));
    xobject(dict, bits, true)
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
        None,
    ))
}

/// Converts badge millimetres (top-left origin, badge at `origin` on a page
/// `page_h` high) to PDF points (bottom-left origin).
#[derive(Clone, Copy)]
struct Place {
    ox: f32,
    oy: f32,
    page_h: f32,
}

impl Place {
    fn x(&self, mm: f32) -> Pt {
        Pt((self.ox + mm) / MM_PER_PT)
    }
    fn y(&self, mm: f32) -> Pt {
        Pt((self.page_h - self.oy - mm) / MM_PER_PT)
    }
    fn pdf_rect(&self, r: &Rect, mode: PaintMode) -> PdfRect {
        PdfRect {
            x: self.x(r.x),
            y: self.y(r.bottom()),
            width: Pt(r.w / MM_PER_PT),
            height: Pt(r.h / MM_PER_PT),
            mode: Some(mode),
            winding_order: Some(WindingOrder::NonZero),
        }
    }
    /// Draws XObject `id` (a unit square) stretched over `r`.
    fn image(&self, ops: &mut Vec<Op>, id: XObjectId, r: &Rect) {
        ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(self.x(r.x)),
                translate_y: Some(self.y(r.bottom())),
                scale_x: Some(r.w / MM_PER_PT),
                scale_y: Some(r.h / MM_PER_PT),
                no_auto_scale: true,
                ..Default::default()
            },
        });
    }
}

fn draw_badge<'a>(
    ops: &mut Vec<Op>,
    doc: &mut PdfDocument,
    res: &mut Resources<'a>,
    badge: &BadgeLayout,
    photo: Option<&'a [u8]>,
    at: Place,
    n: usize,
) -> Result<()> {
    for item in &badge.items {
        let r = &item.rect;
        match &item.content {
            Content::Fill(c) => {
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: at.pdf_rect(r, PaintMode::Fill),
                });
            }
            Content::Text(t) => {
                let font = match t.weight {
                    Weight::Regular => res.regular.clone(),
                    Weight::Bold => res.bold.clone(),
                };
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(t.size_pt),
                });
                ops.push(Op::SetFillColor {
                    col: color(t.color),
                });
                for (i, line) in t.lines.iter().enumerate() {
                    let dx = match t.align {
                        Align::Left => 0.0,
                        Align::Center => (r.w - t.line_width_mm(i)?) / 2.0,
                    };
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(
                            at.x(r.x + dx),
                            at.y(r.y + t.baseline_mm(r.h, i)),
                        ),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(line.clone())],
                    });
                }
                ops.push(Op::EndTextSection);
            }
            Content::Photo => {
                let Some(bytes) = photo else { continue };
                let info = jpeg::info(bytes)?;
                let same = res
                    .photos
                    .get(&bytes.len())
                    .and_then(|seen| seen.iter().find(|(b, _)| *b == bytes))
                    .map(|(_, id)| id.clone());
                let id = match same {
                    Some(id) => id,
                    None => {
                        res.photo_count += 1;
                        let id = XObjectId(format!("P{}", res.photo_count));
                        let xobj = photo_xobject(bytes)?;
                        doc.resources
                            .xobjects
                            .map
                            .insert(id.clone(), printpdf::XObject::External(xobj));
                        res.photos
                            .entry(bytes.len())
                            .or_default()
                            .push((bytes, id.clone()));
                        id
                    }
                };
                // Cover the 3:4 box, centred, clipped to it: never distorted.
                let (iw, ih) = (info.width as f32, info.height as f32);
                let scale = (r.w / iw).max(r.h / ih);
                let (w, h) = (iw * scale, ih * scale);
                let cover = Rect::new(r.x + (r.w - w) / 2.0, r.y + (r.h - h) / 2.0, w, h);
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::DrawRectangle {
                    rectangle: at.pdf_rect(r, PaintMode::Clip),
                });
                at.image(ops, id, &cover);
                ops.push(Op::RestoreGraphicsState);
            }
            Content::PhotoMissing => {
                ops.push(Op::SetFillColor {
                    col: color(Rgb(0xEE, 0xEE, 0xEE)),
                });
                ops.push(Op::SetOutlineColor {
                    col: color(Rgb(0x99, 0x99, 0x99)),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(0.75) });
                ops.push(Op::DrawRectangle {
                    rectangle: at.pdf_rect(r, PaintMode::FillStroke),
                });
            }
            Content::Logo => {
                if let Some(id) = &res.logo {
                    at.image(ops, id.clone(), r);
                }
            }
            Content::Qr { matrix, .. } => {
                let id = XObjectId(format!("Q{n}"));
                doc.resources
                    .xobjects
                    .map
                    .insert(id.clone(), printpdf::XObject::External(qr_xobject(matrix)));
                at.image(ops, id, r);
            }
        }
    }
    Ok(())
}

/// Thin cut marks where the guillotine goes, only over blank paper
/// ([`sheet::cut_marks`]).
fn cut_marks(ops: &mut Vec<Op>, marks: &[sheet::Mark]) {
    let at = Place {
        ox: 0.0,
        oy: 0.0,
        page_h: sheet::A4_MM.1,
    };
    ops.push(Op::SetOutlineColor {
        col: color(Rgb::BLACK),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    for m in marks {
        let point = |x: f32, y: f32| LinePoint {
            p: Point {
                x: at.x(x),
                y: at.y(y),
            },
            bezier: false,
        };
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(m.x1, m.y1), point(m.x2, m.y2)],
                is_closed: false,
            },
        });
    }
}

/// Writes laid-out badges (with each one's photo JPEG, if any) to a PDF.
pub fn write_pdf(
    badges: &[(BadgeLayout, Option<&[u8]>)],
    template: &Template,
    sheet: Sheet,
) -> Result<Vec<u8>> {
    if badges.is_empty() {
        return Err(crate::messages::Msg::BadgesNoneSelected {}.into());
    }
    if sheet == Sheet::A4FourUp {
        if let Some((b, _)) = badges.iter().find(|(b, _)| b.format != Format::A6) {
            return Err(crate::messages::Msg::FourUpNeedsA6 {
                format: b.format.as_str().to_string(),
            }
            .into());
        }
    }
    let mut doc = PdfDocument::new(&format!("{} — badges", template.event));
    let (regular, bold) = used_chars(badges);
    let mut res = Resources {
        regular: doc.add_font(&subset(Weight::Regular, &regular)?),
        bold: doc.add_font(&subset(Weight::Bold, &bold)?),
        logo: None,
        photos: HashMap::new(),
        photo_count: 0,
    };
    if let Some(logo) = &template.logo {
        let id = XObjectId("L".to_string());
        doc.resources.xobjects.map.insert(
            id.clone(),
            printpdf::XObject::External(logo_xobject(&logo.png)?),
        );
        res.logo = Some(id);
    }

    let mut pages = Vec::new();
    match sheet {
        Sheet::Single => {
            for (n, (badge, photo)) in badges.iter().enumerate() {
                let mut ops = Vec::new();
                let at = Place {
                    ox: 0.0,
                    oy: 0.0,
                    page_h: badge.height_mm,
                };
                draw_badge(&mut ops, &mut doc, &mut res, badge, *photo, at, n)?;
                pages.push(PdfPage::new(Mm(badge.width_mm), Mm(badge.height_mm), ops));
            }
        }
        Sheet::A4FourUp => {
            let (w, h) = sheet::A4_MM;
            for (s, chunk) in badges.chunks(4).enumerate() {
                let mut ops = Vec::new();
                for (k, (badge, photo)) in chunk.iter().enumerate() {
                    // 2 × 2, the spare millimetre of height between the rows.
                    let (ox, oy) = sheet::origin(k, badge.width_mm, badge.height_mm);
                    let at = Place { ox, oy, page_h: h };
                    draw_badge(&mut ops, &mut doc, &mut res, badge, *photo, at, s * 4 + k)?;
                }
                let layouts: Vec<&BadgeLayout> = chunk.iter().map(|(b, _)| b).collect();
                let (bw, bh) = Format::A6.size_mm();
                let marks = sheet::cut_marks(bw, bh, &sheet::printed_rects(&layouts));
                cut_marks(&mut ops, &marks);
                pages.push(PdfPage::new(Mm(w), Mm(h), ops));
            }
        }
    }

    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let bytes = doc.with_pages(pages).save(&opts, &mut warnings);
    for w in &warnings {
        tracing::debug!("printpdf: {w:?}");
    }
    Ok(bytes)
}
