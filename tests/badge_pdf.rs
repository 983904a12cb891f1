//! Badge PDFs read back with real tools: poppler extracts the names with
//! their diacritics, rasterises at 203 dpi (thermal card printers) and zbar
//! decodes every QR, whose token must then verify.

mod badge_support;

use std::path::Path;

use badge_support::{badge, decode_qrs, rasterise, run, verifying_key, TestResult};
use gatehouse::badge::preview::preview_png;
use gatehouse::badge::{render_pdf, BadgeData, Format, Sheet, Template};
use gatehouse::token;

const PEOPLE: [(&str, &str); 7] = [
    ("Aminata", "Goïta"),
    ("Boubacar", "Maïga"),
    ("Mehmet", "Saraç"),
    ("Ayşe", "Şahin"),
    ("Emre", "Ağaoğlu"),
    ("Işık", "Yılmaz"),
    ("Élodie", "Cissé"),
];

fn people() -> TestResult<Vec<BadgeData>> {
    Ok(PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (g, f))| badge(i as u32 + 1, g, f, true))
        .collect::<gatehouse::Result<_>>()?)
}

/// The decoded QR texts, in page order, are exactly the badges' tokens, and
/// each verifies with the event key.
fn assert_scans(found: &[String], badges: &[BadgeData]) -> TestResult {
    let mut want: Vec<&str> = badges.iter().map(|b| b.qr_text.as_str()).collect();
    let mut got: Vec<&str> = found.iter().map(String::as_str).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "every badge scans, once, to its exact token");
    for text in found {
        let claims = token::parse(text)?.verify(&verifying_key())?;
        assert!(badges.iter().any(|b| b.serial == claims.serial));
    }
    Ok(())
}

fn pages(pdf: &Path) -> TestResult<(usize, String)> {
    let info = run("pdfinfo", &[&pdf.to_string_lossy()])?;
    let count = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or("pdfinfo gave no page count")?;
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap_or_default()
        .trim()
        .to_string();
    Ok((count, size))
}

#[test]
fn both_formats_carry_exact_names_and_scan_at_203_dpi() -> TestResult {
    let template = Template::bamex25()?;
    let badges = people()?;
    for (format, size) in [
        (Format::A6, "297.638 x 419.528 pts"),
        (Format::Cr80, "242.646 x 153.071 pts"),
    ] {
        let dir = tempfile::tempdir()?;
        let pdf = dir.path().join("badges.pdf");
        std::fs::write(&pdf, render_pdf(&badges, &template, format, Sheet::Single)?)?;

        assert_eq!(
            pages(&pdf)?,
            (badges.len(), size.to_string()),
            "one page per badge"
        );
        let text = run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"])?;
        for (given, family) in PEOPLE {
            assert!(
                text.contains(given) && text.contains(family),
                "{format:?}: {given} {family} not in:\n{text}"
            );
        }
        for needed in ["BMX-000001", "Délégation officielle", "Mali", "BAMEX'25"] {
            assert!(text.contains(needed), "{format:?}: {needed} missing");
        }
        // Fonts embedded and subset.
        let fonts = run("pdffonts", &[&pdf.to_string_lossy()])?;
        assert!(
            fonts.lines().skip(2).all(|l| l.contains(" yes yes ")),
            "{fonts}"
        );
        assert!(
            fonts.contains("NotoSans-Bold") && fonts.contains("NotoSans-Regular"),
            "{fonts}"
        );

        rasterise(&pdf, 203, dir.path())?;
        assert_scans(&decode_qrs(dir.path())?, &badges)?;
    }
    Ok(())
}

#[test]
fn each_photo_is_embedded_once() -> TestResult {
    let template = Template::bamex25()?;
    let a = badge(1, "Aminata", "Goïta", true)?;
    let mut b = badge(2, "Aminata", "Goïta", true)?;
    b.photo_jpeg = a.photo_jpeg.clone();
    let c = badge(3, "Élodie", "Cissé", true)?;
    let dir = tempfile::tempdir()?;
    let pdf = dir.path().join("b.pdf");
    std::fs::write(
        &pdf,
        render_pdf(&[a, b, c], &template, Format::A6, Sheet::Single)?,
    )?;
    let list = run("pdfimages", &["-list", &pdf.to_string_lossy()])?;
    // page num type width height color comp bpc enc interp object ...
    let jpegs: Vec<(String, String)> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.get(8) == Some(&"jpeg"))
        .map(|f| (f[0].to_string(), f[10].to_string()))
        .collect();
    assert_eq!(jpegs.len(), 3, "a photo on every page:\n{list}");
    let objects: std::collections::BTreeSet<_> = jpegs.iter().map(|(_, o)| o.clone()).collect();
    assert_eq!(
        objects.len(),
        2,
        "two distinct photos, two image objects:\n{list}"
    );
    Ok(())
}

#[test]
fn a6_four_up_on_a4_scans_and_keeps_every_badge() -> TestResult {
    let template = Template::bamex25()?;
    let badges: Vec<BadgeData> = people()?.into_iter().take(5).collect();
    let dir = tempfile::tempdir()?;
    let pdf = dir.path().join("sheet.pdf");
    std::fs::write(
        &pdf,
        render_pdf(&badges, &template, Format::A6, Sheet::A4FourUp)?,
    )?;
    let (count, size) = pages(&pdf)?;
    assert_eq!(count, 2, "five A6 badges take two A4 sheets");
    assert!(size.starts_with("595.276 x 841.89"), "{size}");
    rasterise(&pdf, 203, dir.path())?;
    assert_scans(&decode_qrs(dir.path())?, &badges)?;
    let cr80 = render_pdf(&badges, &template, Format::Cr80, Sheet::A4FourUp);
    assert!(cr80.is_err(), "cards are not cut from A4");
    Ok(())
}

#[test]
fn the_png_preview_scans_in_both_formats() -> TestResult {
    let template = Template::bamex25()?;
    let b = badge(4, "Ayşe", "Şahin", true)?;
    for format in [Format::A6, Format::Cr80] {
        let dir = tempfile::tempdir()?;
        let png = preview_png(&b, &template, format, 203.0)?;
        let img = image::load_from_memory(&png)?;
        let (w, _) = format.size_mm();
        assert_eq!(img.width(), (w / 25.4 * 203.0).round() as u32);
        std::fs::write(dir.path().join("preview.png"), &png)?;
        assert_scans(&decode_qrs(dir.path())?, std::slice::from_ref(&b))?;
    }
    Ok(())
}

/// Writes sample PDFs and previews for a person to look at:
/// `cargo test -p gatehouse --test badge_pdf samples -- --ignored`, then
/// open `target/badge-samples/`.
#[test]
#[ignore]
fn samples() -> TestResult {
    let template = Template::bamex25()?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/badge-samples");
    std::fs::create_dir_all(&dir)?;
    let mut badges = vec![
        badge(1, "Ali", "Maïga", true)?,
        badge(
            2,
            "Mohamed El Moctar",
            "Ould Sidi Ahmed Ould Abdallahi",
            true,
        )?,
        badge(3, "Işık", "Ağaoğlu", false)?,
        badge(4, "Élodie", "Cissé", true)?,
        badge(5, "Aïssata Bintou Maïmouna", "Traoré-Diallo", true)?,
        badge(6, "Jean-Baptiste", "Ouédraogo-Kéïta", true)?,
    ];
    badges[1].organisation = "Ministère de la Défense et des Anciens Combattants".into();
    badges[1].country_name = "Mauritanie".into();
    badges[2].category_name = "Presse".into();
    badges[2].category_color = "#FFD100".to_string().try_into()?;
    badges[2].zones = vec!["HALL".into(), "PRESS".into(), "DEMO".into()];
    badges[3].category_name = "Exposant".into();
    badges[3].category_color = "#C8102E".to_string().try_into()?;
    badges[3].organisation = "Aselsan".into();
    badges[3].country_name = "Türkiye".into();
    for format in [Format::A6, Format::Cr80] {
        let pdf = render_pdf(&badges, &template, format, Sheet::Single)?;
        std::fs::write(dir.join(format!("{}.pdf", format.as_str())), pdf)?;
        let png = preview_png(&badges[1], &template, format, 150.0)?;
        std::fs::write(dir.join(format!("{}-preview.png", format.as_str())), png)?;
    }
    let sheet = render_pdf(&badges, &template, Format::A6, Sheet::A4FourUp)?;
    std::fs::write(dir.join("a6-on-a4.pdf"), sheet)?;
    Ok(())
}

/// A held badge's PDF says "RETENU" in its text, and its QR still scans at
/// 203 dpi to the exact token (`GATEHOUSE_KEEP_HELD_PNG=DIR` keeps the
/// rasterised pages, to look at).
#[test]
fn a_held_badge_pdf_says_retenu_and_still_scans() -> TestResult {
    let template = Template::bamex25()?;
    let mut badges = people()?;
    for b in &mut badges {
        b.held = true;
    }
    for format in [Format::A6, Format::Cr80] {
        let dir = tempfile::tempdir()?;
        let pdf = dir.path().join("held.pdf");
        std::fs::write(&pdf, render_pdf(&badges, &template, format, Sheet::Single)?)?;
        let text = run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"])?;
        assert_eq!(
            text.matches("RETENU").count(),
            badges.len(),
            "{format:?}:\n{text}"
        );
        assert!(
            !text.contains("BAMEX'25"),
            "{format:?}: the header is under the banner"
        );
        rasterise(&pdf, 203, dir.path())?;
        assert_scans(&decode_qrs(dir.path())?, &badges)?;
        if let Some(keep) = std::env::var_os("GATEHOUSE_KEEP_HELD_PNG") {
            for e in std::fs::read_dir(dir.path())?.flatten() {
                if e.path().extension().is_some_and(|x| x == "png") {
                    let name = format!("{format:?}-{}", e.file_name().to_string_lossy());
                    std::fs::copy(e.path(), Path::new(&keep).join(name))?;
                }
            }
        }
    }
    Ok(())
}

/// Through the desk (policy `print_held`): the badge of someone not yet
/// cleared prints with the banner; once cleared, a reprint prints without.
#[tokio::test]
async fn the_desk_prints_a_held_badge_with_its_banner_until_cleared() -> TestResult {
    use gatehouse::event::HoldPolicy;
    use gatehouse::vetting::Accreditation;
    use gatehouse::vetting_store::DecisionRequest;
    let dir = tempfile::tempdir()?;
    let now = jiff::Timestamp::now();
    let api = gatehouse::Api::open(&dir.path().join("g.db"), Default::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(api.store(), 12, 1, now).await?;
    let mut event = api.event().await?;
    event.vetting = HoldPolicy::PrintHeld;
    api.save_event(event, now, "test").await?;
    let person = gatehouse::registry::attendee::all(api.store().read())
        .await?
        .into_iter()
        .find(|a| a.category.as_str() != "VIS")
        .ok_or("no vetted person")?;
    let text_of = |pdf: &[u8]| -> TestResult<String> {
        let file = dir.path().join("desk.pdf");
        std::fs::write(&file, pdf)?;
        run("pdftotext", &["-layout", &file.to_string_lossy(), "-"])
    };
    let req = gatehouse::desk::PdfRequest {
        format: Format::A6,
        reprint: false,
    };
    let held = api.badge_pdf(&person.serial, &req, now, "desk").await?;
    assert!(text_of(&held.pdf)?.contains("RETENU"), "not marked held");
    api.vetting_decide(
        &[DecisionRequest {
            serial: person.serial.clone(),
            status: Accreditation::Cleared,
            reason: "accordée".into(),
        }],
        now,
        "officier",
    )
    .await?;
    let req = gatehouse::desk::PdfRequest {
        format: Format::A6,
        reprint: true,
    };
    let cleared = api.badge_pdf(&person.serial, &req, now, "desk").await?;
    let text = text_of(&cleared.pdf)?;
    assert!(
        !text.contains("RETENU") && text.contains("BAMEX'25"),
        "{text}"
    );
    Ok(())
}
