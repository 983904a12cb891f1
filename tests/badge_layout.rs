//! Badge layout properties, on the boxes alone (no PDF): both formats, short
//! and long names, every box inside the badge, every text inside its box,
//! nothing on the QR or its quiet zone, photo 3:4, modules ≥ 0.4 mm; names
//! at a readable size, given names shortened to initials only when needed.

mod badge_support;

use badge_support::{badge, TestResult};
use gatehouse::badge::fit::{self, block_height_mm, name_in_form, NameForm, MM_PER_PT};
use gatehouse::badge::fonts;
use gatehouse::badge::layout::{layout, name_min_pt, BadgeLayout, Content, Rect, Role};
use gatehouse::badge::qr::{MIN_MODULE_MM, QUIET_ZONE};
use gatehouse::badge::{Format, Template};

const NAMES: [(&str, &str); 6] = [
    ("Ali", "Maïga"),
    ("Aminata", "Goïta"),
    ("Ayşe", "Şahin"),
    ("Marie-Élodie Aïssata", "Ouédraogo-Kéïta"),
    ("Mohamed El Moctar", "Ould Sidi Ahmed Ould Abdallahi"),
    (
        "X",
        "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft",
    ),
];

fn check(l: &BadgeLayout, what: &str) -> TestResult {
    let page = Rect::new(0.0, 0.0, l.width_mm, l.height_mm);
    for item in &l.items {
        assert!(
            item.rect.inside(&page),
            "{what}: {:?} leaves the badge: {:?}",
            item.role,
            item.rect
        );
        if let Content::Text(t) = &item.content {
            for i in 0..t.lines.len() {
                let w = t.line_width_mm(i)?;
                assert!(
                    w <= item.rect.w + 0.01,
                    "{what}: {:?} line {:?} is {w:.1} mm wide in a {:.1} mm box",
                    item.role,
                    t.lines[i],
                    item.rect.w
                );
            }
            let h = block_height_mm(t.lines.len(), t.size_pt);
            assert!(
                h <= item.rect.h + 0.01,
                "{what}: {:?} is {h:.1} mm tall in {:.1}",
                item.role,
                item.rect.h
            );
            // The card's name may take a third line rather than go small.
            let most = if item.role == Role::Name { 3 } else { 2 };
            assert!(
                t.lines.len() <= most,
                "{what}: {:?} {:?}",
                item.role,
                t.lines
            );
            // Ascenders of accented capitals and descenders stay in the box.
            let top = t.baseline_mm(item.rect.h, 0) - 0.93 * t.size_pt * MM_PER_PT;
            let bottom = t.baseline_mm(item.rect.h, t.lines.len().saturating_sub(1))
                + 0.24 * t.size_pt * MM_PER_PT;
            assert!(
                top >= -0.01 && bottom <= item.rect.h + 0.01,
                "{what}: {:?} glyphs spill",
                item.role
            );
        }
    }
    // Nothing overlaps anything else, except the category name on its band.
    for (i, a) in l.items.iter().enumerate() {
        for b in &l.items[i + 1..] {
            let on_band = matches!(
                (a.role, b.role),
                (Role::Band, Role::Category)
                    | (Role::Category, Role::Band)
                    | (Role::HeldBand, Role::Held)
                    | (Role::Held, Role::HeldBand)
            );
            assert!(
                on_band || !a.rect.overlaps(&b.rect),
                "{what}: {:?} {:?} overlaps {:?} {:?}",
                a.role,
                a.rect,
                b.role,
                b.rect
            );
        }
    }
    let qr = l.get(Role::Qr).ok_or("no QR")?;
    let Content::Qr { matrix, module_mm } = &qr.content else {
        return Err("QR box without a QR".into());
    };
    assert!(
        *module_mm >= MIN_MODULE_MM,
        "{what}: modules of {module_mm} mm"
    );
    let side = module_mm * (matrix.width + 2 * QUIET_ZONE) as f32;
    assert!((side - qr.rect.w).abs() < 0.01 && (side - qr.rect.h).abs() < 0.01);
    let photo = l.get(Role::Photo).ok_or("no photo box")?;
    assert!(
        (photo.rect.w / photo.rect.h - 0.75).abs() < 0.001,
        "{what}: photo not 3:4"
    );
    let band = l.get(Role::Band).ok_or("no band")?;
    assert!(
        (band.rect.w - l.width_mm).abs() < 0.01,
        "{what}: the band spans the badge"
    );
    let category = l.text(Role::Category).ok_or("no category name")?;
    assert_eq!(category.lines.concat(), "Délégation officielle");
    Ok(())
}

/// The name as shown is the full name, or a shortened form only when the
/// full name would print below the format's minimum; below the minimum
/// only when no form reaches it. The family name is always whole.
fn check_name(l: &BadgeLayout, given: &str, family: &str) -> TestResult<NameForm> {
    let what = format!("{} {given} {family}", l.format.as_str());
    let item = l.get(Role::Name).ok_or("no name")?;
    let t = l.text(Role::Name).ok_or("no name text")?;
    let shown = fit::unbreak(&t.lines);
    let forms = [
        NameForm::Full,
        NameForm::MiddleInitials,
        NameForm::GivenInitials,
    ];
    let form = forms
        .into_iter()
        .find(|f| name_in_form(given, family, *f).as_deref() == Some(shown.as_str()))
        .ok_or_else(|| format!("{what}: {shown:?} is not a form of the name"))?;
    assert!(
        shown.ends_with(&fit::clean(family)),
        "{what}: family name cut in {shown:?}"
    );
    let min = name_min_pt(l.format);
    // Each form fitted on two lines, as the badge tries them first (any
    // size cap of the format is above the minimum, so 40 pt compares the same).
    let two_lines = |f: NameForm| -> TestResult<Option<f32>> {
        name_in_form(given, family, f)
            .map(|text| {
                fit::fit(
                    &text,
                    fonts::Weight::Bold,
                    item.rect.w,
                    item.rect.h,
                    40.0,
                    2,
                )
                .map(|x| x.size_pt)
            })
            .transpose()
            .map_err(Into::into)
    };
    for earlier in forms.into_iter().filter(|f| *f < form) {
        if let Some(size) = two_lines(earlier)? {
            assert!(
                size < min,
                "{what}: shortened to {form:?} though {earlier:?} fits at {size} pt"
            );
        }
    }
    if t.size_pt < min {
        // Below the minimum only when no form, on two or three lines, does better.
        for f in forms {
            for lines in [2, 3] {
                if let Some(text) = name_in_form(given, family, f) {
                    let best = fit::fit(
                        &text,
                        fonts::Weight::Bold,
                        item.rect.w,
                        item.rect.h,
                        40.0,
                        lines,
                    )?;
                    assert!(
                        best.size_pt <= t.size_pt + 1e-3,
                        "{what}: {} pt though {f:?} on {lines} lines gives {} pt",
                        t.size_pt,
                        best.size_pt
                    );
                }
            }
        }
    }
    Ok(form)
}

#[test]
fn every_box_fits_in_both_formats_for_short_and_long_names() -> TestResult {
    let template = Template::bamex25()?;
    for format in [Format::A6, Format::Cr80] {
        for (n, (given, family)) in NAMES.iter().enumerate() {
            let b = badge(n as u32 + 1, given, family, n % 2 == 0)?;
            let l = layout(&b, &template, format)?;
            check(&l, &format!("{} {given} {family}", format.as_str()))?;
            check_name(&l, given, family)?;
        }
    }
    Ok(())
}

#[test]
fn short_names_are_big_on_one_line_long_names_take_two() -> TestResult {
    let template = Template::bamex25()?;
    let a6 = |g: &str, f: &str| -> TestResult<(usize, f32)> {
        let l = layout(&badge(1, g, f, true)?, &template, Format::A6)?;
        let t = l.text(Role::Name).ok_or("no name")?;
        Ok((t.lines.len(), t.size_pt))
    };
    let (lines, size) = a6("Ali", "Maïga")?;
    assert_eq!(lines, 1);
    assert!(size >= 28.0, "a short name fills the width: {size} pt");
    let (lines, size) = a6("Mohamed El Moctar", "Ould Sidi Ahmed Ould Abdallahi")?;
    assert_eq!(lines, 2);
    assert!(
        size >= 16.0,
        "a long name stays readable at arm's length: {size} pt"
    );
    // On the card, a two-word name breaks rather than shrinks.
    let l = layout(
        &badge(2, "Aminata", "Goïta", true)?,
        &template,
        Format::Cr80,
    )?;
    assert_eq!(
        l.text(Role::Name).ok_or("no name")?.lines,
        vec!["Aminata", "Goïta"]
    );
    Ok(())
}

#[test]
fn long_names_on_the_card_stay_readable_with_initials() -> TestResult {
    let template = Template::bamex25()?;
    let card = |g: &str, f: &str| -> TestResult<(Vec<String>, f32)> {
        let l = layout(&badge(5, g, f, false)?, &template, Format::Cr80)?;
        check(&l, &format!("CR80 {g} {f}"))?;
        check_name(&l, g, f)?;
        let t = l.text(Role::Name).ok_or("no name")?;
        Ok((t.lines.clone(), t.size_pt))
    };
    let min = name_min_pt(Format::Cr80);
    assert!((8.0..=9.0).contains(&min), "{min} pt on the card");
    let (lines, size) = card("Aïssata Bintou Maïmouna", "Traoré-Diallo")?;
    assert_eq!(fit::unbreak(&lines), "Aïssata B. M. Traoré-Diallo");
    assert!(size >= min, "{size} pt");
    // 48 characters, of which a 30-character family name: it keeps every
    // word of the family name, on three lines if need be, at ≥ the minimum.
    let (lines, size) = card("Mohamed El Moctar", "Ould Sidi Ahmed Ould Abdallahi")?;
    assert!(size >= min, "{lines:?} at {size} pt");
    assert!(fit::unbreak(&lines).ends_with("Ould Sidi Ahmed Ould Abdallahi"));
    Ok(())
}

#[test]
fn without_an_organisation_the_name_takes_its_room() -> TestResult {
    let mut template = Template::bamex25()?;
    for format in [Format::A6, Format::Cr80] {
        let mut b = badge(
            6,
            "Mohamed El Moctar",
            "Ould Sidi Ahmed Ould Abdallahi",
            false,
        )?;
        let with = layout(&b, &template, format)?;
        let org = with.get(Role::Organisation).ok_or("no organisation")?.rect;
        b.organisation = String::new();
        let without = layout(&b, &template, format)?;
        check(
            &without,
            &format!("{} without organisation", format.as_str()),
        )?;
        let name = without.get(Role::Name).ok_or("no name")?.rect;
        assert!(
            (name.bottom() - org.bottom()).abs() < 0.01,
            "{format:?}: {name:?}"
        );
        let (big, small) = (
            without.text(Role::Name).map_or(0.0, |t| t.size_pt),
            with.text(Role::Name).map_or(0.0, |t| t.size_pt),
        );
        assert!(big >= small, "{format:?}: {big} < {small} pt");
    }
    // Hidden by the template: the same.
    template
        .fields
        .remove(&gatehouse::badge::template::Field::Organisation);
    let l = layout(&badge(7, "Awa", "Keïta", false)?, &template, Format::A6)?;
    assert!(l.get(Role::Organisation).is_none());
    check(&l, "A6 organisation hidden")?;
    Ok(())
}

#[test]
fn missing_glyphs_and_oversized_tokens_are_refused_by_name() -> TestResult {
    let template = Template::bamex25()?;
    let mut b = badge(3, "محمد", "Diallo", true)?;
    let err = layout(&b, &template, Format::A6)
        .err()
        .ok_or("Arabic script accepted")?;
    assert!(
        err.to_string().contains("BMX-000003") && err.to_string().contains("name"),
        "{err}"
    );
    b.given_names = "Mamadou".into();
    b.qr_text = format!("GH1:{}", "A".repeat(1500));
    let err = layout(&b, &template, Format::Cr80)
        .err()
        .ok_or("huge QR accepted")?;
    assert!(err.to_string().contains("0.4 mm"), "{err}");
    assert!(fonts::missing_glyph(fonts::Weight::Bold, "Işık Ağaoğlu")?.is_none());
    Ok(())
}

#[test]
fn a_badge_without_photo_shows_an_empty_frame() -> TestResult {
    let template = Template::bamex25()?;
    let l = layout(&badge(4, "Élodie", "Cissé", false)?, &template, Format::A6)?;
    assert_eq!(
        l.get(Role::Photo).map(|p| &p.content),
        Some(&Content::PhotoMissing)
    );
    Ok(())
}

mod random_names {
    use super::*;
    use proptest::prelude::*;

    /// Words of Latin letters with the delegations' diacritics, hyphens and
    /// apostrophes, 1 to 40 letters each.
    fn word() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[A-Za-zÀÉÈÏÎÖÜÇŞĞİıçşğéèëïîôöüâ'-]{1,40}")
            .expect("a valid regex")
    }

    fn name() -> impl Strategy<Value = (String, String)> {
        (
            proptest::collection::vec(word(), 1..4).prop_map(|w| w.join(" ")),
            proptest::collection::vec(word(), 1..4).prop_map(|w| w.join(" ")),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn any_name_fits_uncut_in_both_formats((given, family) in name(), org in "[A-Za-zéè' ]{0,120}") {
            let template = Template::bamex25().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut b = badge(7, &given, &family, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
            b.organisation = org;
            for format in [Format::A6, Format::Cr80] {
                let l = layout(&b, &template, format).map_err(|e| TestCaseError::fail(e.to_string()))?;
                check(&l, &format!("{format:?} {given} {family}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
                check_name(&l, &given, &family).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
    }

    const GIVEN: [&str; 16] = [
        "Aïssata",
        "Bintou",
        "Maïmouna",
        "Mohamed",
        "El",
        "Moctar",
        "Marie-Élodie",
        "Işık",
        "Ayşe",
        "Boubacar",
        "Oumou",
        "Jean-Baptiste",
        "Fatoumata",
        "Abdoulaye",
        "Ğülşen",
        "Mamadou",
    ];
    const FAMILY: [&str; 14] = [
        "Traoré-Diallo",
        "Maïga",
        "Goïta",
        "Ould",
        "Sidi",
        "Ahmed",
        "Abdallahi",
        "Ağaoğlu",
        "Şahin",
        "Ouédraogo-Kéïta",
        "Coulibaly",
        "Keïta",
        "dos",
        "Santos",
    ];

    fn realistic_name() -> impl Strategy<Value = (String, String)> {
        (
            proptest::collection::vec(proptest::sample::select(&GIVEN[..]), 1..5)
                .prop_map(|w| w.join(" ")),
            proptest::collection::vec(proptest::sample::select(&FAMILY[..]), 1..4)
                .prop_map(|w| w.join(" ")),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        /// Names of the delegations' countries, up to about 60 characters:
        /// on both formats every one fits its box at the minimum size or
        /// above unless no form of it can (then as large as any form
        /// allows), shortened only when needed, never over the QR's quiet zone.
        #[test]
        fn real_looking_names_are_readable_on_both_formats((given, family) in realistic_name()) {
            let template = Template::bamex25().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = badge(9, &given, &family, false).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for format in [Format::A6, Format::Cr80] {
                let l = layout(&b, &template, format).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let what = format!("{format:?} {given} {family}");
                check(&l, &what).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let form = check_name(&l, &given, &family).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let size = l.text(Role::Name).map_or(0.0, |t| t.size_pt);
                let rect = l.get(Role::Name).map_or(Rect::new(0.0, 0.0, 0.0, 0.0), |p| p.rect);
                // Below the minimum only when no form of the name, on up to
                // three lines, reaches it (the family name is never shortened).
                let mut best = 0.0_f32;
                for f in [NameForm::Full, NameForm::MiddleInitials, NameForm::GivenInitials] {
                    if let Some(text) = name_in_form(&given, &family, f) {
                        let fitted = fit::fit(&text, fonts::Weight::Bold, rect.w, rect.h, 40.0, 3)
                            .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        best = best.max(fitted.size_pt);
                    }
                }
                prop_assert!(
                    size >= name_min_pt(format) || best < name_min_pt(format),
                    "{}: {} pt ({:?}) though a form reaches {} pt", what, size, form, best
                );
            }
        }
    }
}

/// A badge printed before clearance (policy `print_held`, issue 16): a red
/// banner with "RETENU" / "HELD" in the template's language replaces the
/// header, inside the badge, off the QR, photo and name, on both formats.
#[test]
fn a_held_badge_says_so_on_a_red_banner() -> TestResult {
    for lang in [gatehouse::lang::Lang::Fr, gatehouse::lang::Lang::En] {
        let mut template = Template::bamex25()?;
        template.language = lang;
        for format in [Format::A6, Format::Cr80] {
            for (given, family) in NAMES {
                let mut data = badge(1, given, family, true)?;
                data.held = true;
                let l = layout(&data, &template, format)?;
                let what = format!("held {lang:?} {format:?} {given} {family}");
                check(&l, &what)?;
                let words = l.text(Role::Held).ok_or("no held words")?.lines.join(" ");
                let want = lang.pick("RETENU", "HELD");
                assert!(words.starts_with(want), "{what}: {words}");
                let Some(band) = l.get(Role::HeldBand) else {
                    return Err(format!("{what}: no banner").into());
                };
                assert!(
                    matches!(band.content, Content::Fill(c) if c.0 > 150 && c.1 < 40),
                    "{what}: not red"
                );
                assert!(
                    l.get(Role::Event).is_none(),
                    "{what}: the header stays under the banner"
                );
                for role in [Role::Qr, Role::Photo, Role::Name] {
                    assert!(l.get(role).is_some(), "{what}: {role:?} gone");
                }
            }
            // Not held: no banner.
            let l = layout(&badge(1, "Ali", "Maïga", true)?, &template, format)?;
            assert!(l.get(Role::Held).is_none() && l.get(Role::Event).is_some());
        }
    }
    Ok(())
}
