//! The desk's search on a real SQLite file: accents, case, punctuation,
//! badge numbers, ranking; and the attendee store functions around it
//! (create, update, photo), each with its audit entry.

mod registry_common;

use gatehouse::registry::{self, NewAttendee};
use gatehouse::serial::BadgeSerial;
use gatehouse::store::Store;
use gatehouse::Result;
use jiff::Timestamp;
use registry_common::event_store;
use sha2::Digest as _;

async fn add(
    store: &Store,
    given: &str,
    family: &str,
    org: &str,
    cat: &str,
) -> Result<BadgeSerial> {
    let mut n = NewAttendee::new(given, family, cat.parse()?);
    n.organisation = org.into();
    Ok(registry::create(store, n, "test", Timestamp::now())
        .await?
        .serial)
}

async fn names(store: &Store, q: &str) -> Result<Vec<String>> {
    Ok(registry::search(store.read(), q, 20)
        .await?
        .into_iter()
        .map(|h| format!("{} {}", h.given_names, h.family_name))
        .collect())
}

#[tokio::test]
async fn search_ignores_accents_case_and_punctuation() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    add(
        &store,
        "Assimi",
        "Goïta",
        "Présidence de la Transition",
        "VIP",
    )
    .await?;
    add(&store, "Harun", "Saraç", "BAMEX'25", "ORG").await?;
    add(&store, "Gökhan", "Ağaoğlu", "Baykar", "EXH").await?;
    add(&store, "Aïssata", "N'Diaye", "APS", "PRS").await?;
    add(&store, "İbrahim", "Yılmaz", "Aselsan", "EXH").await?;
    add(&store, "Mamadou", "Sy", "", "VIS").await?;
    add(&store, "Awa", "Sylla", "", "VIS").await?;
    add(&store, "Oumar", "Keïta", "Sylvain Conseil", "VIS").await?;

    assert_eq!(names(&store, "goita").await?, ["Assimi Goïta"]);
    assert_eq!(names(&store, "GOÏTA").await?, ["Assimi Goïta"]);
    assert_eq!(names(&store, "sarac").await?, ["Harun Saraç"]);
    assert_eq!(names(&store, "agaog").await?, ["Gökhan Ağaoğlu"]);
    assert_eq!(names(&store, "ndiaye").await?, ["Aïssata N'Diaye"]);
    assert_eq!(names(&store, "n'diaye").await?, ["Aïssata N'Diaye"]);
    assert_eq!(names(&store, "diaye").await?, ["Aïssata N'Diaye"]);
    assert_eq!(names(&store, "ibrahim yilmaz").await?, ["İbrahim Yılmaz"]);
    assert_eq!(names(&store, "yilm ibr").await?, ["İbrahim Yılmaz"]);
    assert_eq!(names(&store, "bayk").await?, ["Gökhan Ağaoğlu"]);
    assert_eq!(names(&store, "transition assimi").await?, ["Assimi Goïta"]);
    assert!(names(&store, "goita harun").await?.is_empty());
    assert!(names(&store, "  ").await?.is_empty());
    // Ranked: the exact name, then names that start so, then organisations.
    assert_eq!(
        names(&store, "sy").await?,
        ["Mamadou Sy", "Awa Sylla", "Oumar Keïta"]
    );
    // An organisation typed anew is found at once, the old one no more.
    let keita = registry::search(store.read(), "keita", 1).await?;
    let serial = &keita
        .first()
        .ok_or_else(|| gatehouse::Error::NotFound("keita".into()))?
        .serial;
    let mut fields = registry::get(store.read(), serial).await?.fields();
    fields.organisation = "Al-Fajr Sécurité".into();
    registry::update(&store, serial, fields, "test", Timestamp::now()).await?;
    assert_eq!(names(&store, "fajr").await?, ["Oumar Keïta"]);
    assert_eq!(names(&store, "securite oumar").await?, ["Oumar Keïta"]);
    assert_eq!(names(&store, "sy").await?, ["Mamadou Sy", "Awa Sylla"]);
    Ok(())
}

#[tokio::test]
async fn badge_and_document_numbers_are_found() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let mut serial42 = None;
    for i in 1..=45 {
        let s = add(&store, "Moussa", &format!("Traoré{i}"), "FAMa", "VIS").await?;
        if i == 42 {
            serial42 = Some(s);
        }
    }
    let serial42 = serial42.ok_or_else(|| gatehouse::Error::NotFound("42".into()))?;
    assert_eq!(serial42.as_str(), "BMX-000042");
    for q in ["bmx-42", "BMX-000042", "42", "bmx000042", "000042"] {
        let hits = registry::search(store.read(), q, 5).await?;
        assert_eq!(
            hits.first().map(|h| h.serial.as_str()),
            Some("BMX-000042"),
            "{q}"
        );
    }
    // A number as its start: the badge itself, then the longer numbers.
    let serials = |hits: Vec<registry::SearchHit>| {
        hits.into_iter()
            .map(|h| h.serial.as_str().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        serials(registry::search(store.read(), "4", 10).await?),
        [
            "BMX-000004",
            "BMX-000040",
            "BMX-000041",
            "BMX-000042",
            "BMX-000043",
            "BMX-000044",
            "BMX-000045"
        ]
    );
    // With a name: only those both find.
    assert_eq!(
        serials(registry::search(store.read(), "42 moussa", 10).await?),
        ["BMX-000042"]
    );
    assert!(registry::search(store.read(), "46", 10).await?.is_empty());
    let mut fields = registry::get(store.read(), &serial42).await?.fields();
    fields.doc_type = "Passeport".into();
    fields.doc_number = "AB 123-456".into();
    registry::update(&store, &serial42, fields, "test", Timestamp::now()).await?;
    for q in ["ab123", "AB 123-456", "ab123456"] {
        let hits = registry::search(store.read(), q, 5).await?;
        assert_eq!(
            hits.iter().map(|h| h.serial.as_str()).collect::<Vec<_>>(),
            ["BMX-000042"],
            "{q}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn edits_and_photos_are_audited_and_searchable() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let serial = add(&store, "Mariam", "Cissé", "ORTM", "PRS").await?;
    let a = registry::get(store.read(), &serial).await?;
    assert_eq!(a.status, registry::Status::Registered);
    assert!(!a.has_photo);

    let mut f = a.fields();
    f.family_name = "Cissé-Traoré".into();
    f.zones_override = Some(vec!["HALL".parse()?]);
    let edited = registry::update(&store, &serial, f.clone(), "desk", Timestamp::now()).await?;
    assert_eq!(edited.updated_by, "desk");
    assert_eq!(names(&store, "traore").await?, ["Mariam Cissé-Traoré"]);
    assert!(names(&store, "ortm").await?.len() == 1);
    // Saving the same fields again changes nothing, and audits nothing.
    registry::update(&store, &serial, f, "desk", Timestamp::now()).await?;

    // A landscape picture whose EXIF says "rotate 90° clockwise": left half
    // red, right half blue. Upright, red is on top.
    let img = image::RgbImage::from_fn(400, 300, |x, _| {
        if x < 200 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
    image::ImageEncoder::set_exif_metadata(
        &mut enc,
        vec![
            0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0,
            0, 0,
        ],
    )
    .map_err(|e| gatehouse::Error::Internal(e.to_string()))?;
    enc.encode_image(&img)
        .map_err(|e| gatehouse::Error::Internal(e.to_string()))?;
    assert!(jpeg.windows(4).any(|w| w == b"Exif"));

    let with_photo = registry::set_photo(&store, &serial, &jpeg, "desk", Timestamp::now()).await?;
    assert!(with_photo.has_photo);
    let stored = registry::photo(store.read(), &serial)
        .await?
        .ok_or_else(|| gatehouse::Error::NotFound("photo".into()))?;
    assert!(stored.len() <= registry::photo::MAX_BYTES);
    assert!(
        !stored.windows(4).any(|w| w == b"Exif"),
        "metadata stripped"
    );
    let sha = sha2::Sha256::digest(&stored);
    assert_eq!(with_photo.photo_sha256, Some(hex::encode(sha)));
    let back = image::load_from_memory(&stored)
        .map_err(|e| gatehouse::Error::Internal(e.to_string()))?
        .to_rgb8();
    assert_eq!(back.dimensions(), (300, 400));
    let top = back.get_pixel(150, 20);
    let bottom = back.get_pixel(150, 380);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );

    let e = registry::set_photo(
        &store,
        &serial,
        b"%PDF-1.4 not a photo",
        "desk",
        Timestamp::now(),
    )
    .await
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("photo: the file is not a JPEG or PNG image")
    );

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit WHERE action LIKE 'attendee.%' ORDER BY seq")
            .fetch_all(store.read())
            .await?;
    assert_eq!(
        actions,
        ["attendee.create", "attendee.update", "attendee.photo"]
    );
    Ok(())
}
