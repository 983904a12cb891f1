//! Watchlist storage and screening on a real SQLite file (issue 16): the
//! list imported (CSV with French headers, Windows-1252, XLSX with English
//! headers; line errors, all or nothing), every attendee screened at
//! import, desk registration and edit, the whole registry again when the
//! list changes; each hit with its score and reasons in words, and "held
//! for review" set and lifted.

use gatehouse::api::StationConfig;
use gatehouse::lang::Lang;
use gatehouse::registry::attendee::{self, NewAttendee};
use gatehouse::registry::import::{self, ImportOptions};
use gatehouse::registry::screening;
use gatehouse::serial::BadgeSerial;
use gatehouse::{Api, Error, Result};
use jiff::Timestamp;

async fn demo(dir: &std::path::Path) -> Result<(Api, Timestamp)> {
    let now = Timestamp::now();
    let api = Api::open(&dir.join("hub.db"), StationConfig::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;
    Ok((api, now))
}

/// Three pre-registered people; the first is the listed person written
/// another way (given and family names swapped, another transliteration).
const ATTENDEES: &str = "Prénom;Nom;Catégorie;Pays;Date de naissance\n\
Abdallahi;Muhammad Ould;EXH;MR;12/03/1975\n\
Jean;Dupont;EXH;FR;1980-01-02\n\
Mohamed;Abdallahi;EXH;MR;1990-07-07\n";

/// The services' list: French headers, `;`, aliases and documents.
const LIST_FR: &str = "Référence;Nom;Alias;Date de naissance;Nationalité;N° document;Note\n\
UN-QDi.001;Mohammed Ould Abdallahi;Abou Fatima|Hamma Abdallahi;12/03/1975;Mauritanie;P1234567;Financement\n\
UN-QDi.002;Ousmane Diallo;;1969-05-04;ML;;\n";

async fn import_attendees(api: &Api, now: Timestamp) -> Result<()> {
    let report = import::import(
        api.store(),
        ATTENDEES.as_bytes(),
        "inscrits.csv",
        ImportOptions::default(),
        "test",
        now,
        &mut |_, _| (),
    )
    .await?;
    assert_eq!(report.created, 3, "{report:?}");
    Ok(())
}

async fn serial_of(api: &Api, family: &str, given: &str) -> Result<BadgeSerial> {
    attendee::all(api.store().read())
        .await?
        .into_iter()
        .find(|a| a.family_name == family && a.given_names == given)
        .map(|a| a.serial)
        .ok_or_else(|| Error::NotFound(format!("{given} {family}")))
}

#[tokio::test]
async fn a_list_import_screens_the_registry_and_a_new_list_screens_it_again() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo(dir.path()).await?;
    import_attendees(&api, now).await?;

    let outcome =
        screening::import(api.store(), LIST_FR.as_bytes(), "liste.csv", "test", now).await?;
    assert!(outcome.written && outcome.errors.is_empty(), "{outcome:?}");
    assert_eq!(outcome.entries, 2);
    let summary = outcome
        .screening
        .ok_or_else(|| Error::Internal("no screening".into()))?;
    assert_eq!(summary.screened, 3);
    assert_eq!(summary.held, 1, "{summary:?}");

    let listed = serial_of(&api, "Muhammad Ould", "Abdallahi").await?;
    let s = screening::of(api.store(), &listed).await?;
    assert!(s.held, "{s:?}");
    let hit = s
        .hits
        .first()
        .ok_or_else(|| Error::Internal("no hit".into()))?;
    assert_eq!(hit.reference, "UN-QDi.001");
    assert!(hit.score >= 90, "{hit:?}");
    let fr = hit.reasons_text(Lang::Fr).join("; ");
    let en = hit.reasons_text(Lang::En).join("; ");
    for said in [
        "même date de naissance",
        "même nationalité",
        "autre graphie",
    ] {
        assert!(fr.contains(said), "{fr}");
    }
    for said in ["same date of birth", "same nationality", "another spelling"] {
        assert!(en.contains(said), "{en}");
    }
    // The same name born on another day is not held; nor is a stranger.
    for (family, given) in [("Abdallahi", "Mohamed"), ("Dupont", "Jean")] {
        let other = screening::of(api.store(), &serial_of(&api, family, given).await?).await?;
        assert!(!other.held && other.hits.is_empty(), "{other:?}");
    }
    assert_eq!(screening::hits(api.store()).await?.len(), 1);
    let entries = screening::entries(api.store()).await?;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].entry.names.len(), 3, "name and two aliases");
    assert_eq!(entries[0].entry.nationality.as_deref(), Some("MR"));
    assert_eq!(entries[0].entry.doc_numbers, ["P1234567"]);

    // A new list without that person: the registry is screened again and
    // the hold is lifted.
    let other_list = "Reference,Name,Date of birth\nX-1,Ousmane Diallo,1969-05-04\n";
    let outcome =
        screening::import(api.store(), other_list.as_bytes(), "list.csv", "test", now).await?;
    let summary = outcome
        .screening
        .ok_or_else(|| Error::Internal("no screening".into()))?;
    assert_eq!(summary.held, 0);
    assert_eq!(summary.released, [listed.as_str()]);
    let s = screening::of(api.store(), &listed).await?;
    assert!(!s.held && s.hits.is_empty(), "{s:?}");
    assert!(!screening::is_held(api.store().read(), listed.as_str()).await?);
    Ok(())
}

#[tokio::test]
async fn a_registration_and_an_edit_are_screened() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo(dir.path()).await?;
    screening::import(api.store(), LIST_FR.as_bytes(), "liste.csv", "test", now).await?;

    // A walk-in at the desk: "Abd Allahi" merged, particles, another spelling.
    let mut walk_in = NewAttendee::new("Muhammad", "Ould Abd Allahi", "EXH".parse()?);
    walk_in.birth_date = Some(
        "1975-03-12"
            .parse()
            .map_err(|_| Error::Internal("date".into()))?,
    );
    let a = attendee::create(api.store(), walk_in.clone(), "desk", now).await?;
    assert!(screening::of(api.store(), &a.serial).await?.held);

    // Corrected: born on another day — no longer held.
    walk_in.birth_date = Some(
        "1988-11-30"
            .parse()
            .map_err(|_| Error::Internal("date".into()))?,
    );
    attendee::update(api.store(), &a.serial, walk_in.clone(), "desk", now).await?;
    let s = screening::of(api.store(), &a.serial).await?;
    assert!(!s.held && s.hits.is_empty(), "{s:?}");

    // One name in common: not held, until the listed document number is
    // typed in (spaced differently).
    let mut other = NewAttendee::new("Fatou", "Abdallahi", "EXH".parse()?);
    let b = attendee::create(api.store(), other.clone(), "desk", now).await?;
    assert!(!screening::of(api.store(), &b.serial).await?.held);
    other.doc_number = "p 123 4567".into();
    attendee::update(api.store(), &b.serial, other, "desk", now).await?;
    let s = screening::of(api.store(), &b.serial).await?;
    assert!(s.held, "{s:?}");
    let en = s.hits[0].reasons_text(Lang::En).join("; ");
    assert!(en.contains("same document number"), "{en}");
    Ok(())
}

#[tokio::test]
async fn a_refused_line_imports_nothing_and_keeps_the_list() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo(dir.path()).await?;
    screening::import(api.store(), LIST_FR.as_bytes(), "liste.csv", "test", now).await?;

    let bad = "Référence;Nom;Date de naissance;Nationalité\n\
R1;Ali Traoré;1970-01-01;ML\n\
R2;Issa Koné;31/02/1970;ML\n\
R3;Moussa Keita;1970-01-01;Atlantide\n\
R4;;1970-01-01;ML\n";
    let outcome = screening::import(api.store(), bad.as_bytes(), "bad.csv", "test", now).await?;
    assert!(!outcome.written);
    let said: Vec<String> = outcome.errors.iter().map(|e| e.text(Lang::En)).collect();
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said[0].starts_with("line 3, Date de naissance"), "{said:?}");
    assert!(
        said[1].starts_with("line 4, Nationalité") && said[1].contains("Atlantide"),
        "{said:?}"
    );
    assert!(said[2].starts_with("line 5, Nom"), "{said:?}");
    let fr = outcome.errors[0].text(Lang::Fr);
    assert!(fr.starts_with("ligne 3, Date de naissance"), "{fr}");
    let kept = screening::entries(api.store()).await?;
    assert_eq!(kept.len(), 2, "the list in place stays");
    assert_eq!(kept[0].entry.reference, "UN-QDi.001");

    // No name column at all: refused, naming the headers.
    let err = screening::import(api.store(), b"Ref;Pays\nR1;ML\n", "x.csv", "test", now)
        .await
        .err()
        .ok_or_else(|| Error::Internal("accepted".into()))?;
    assert!(err.text(Lang::En).contains("name column"), "{err}");
    assert!(err.text(Lang::Fr).contains("colonne de nom"), "{err}");
    Ok(())
}

#[tokio::test]
async fn windows_1252_and_xlsx_lists_import() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo(dir.path()).await?;
    import_attendees(&api, now).await?;

    // French Excel's CSV: Windows-1252, "é" as one byte.
    let mut cp1252 = Vec::new();
    for part in [
        &b"R\xe9f\xe9rence;Nom;Pr\xe9nom;Nationalit\xe9\n"[..],
        &b"W1;Ould Abdallahi;Mohamed;Mauritanie\n"[..],
    ] {
        cp1252.extend_from_slice(part);
    }
    let outcome = screening::import(api.store(), &cp1252, "liste.csv", "test", now).await?;
    assert!(outcome.written, "{outcome:?}");
    let entries = screening::entries(api.store()).await?;
    assert_eq!(entries[0].entry.names, ["Mohamed Ould Abdallahi"]);
    // Both Abdallahis match by name; the one born on another day is not
    // told apart without a date on the list.
    assert!(outcome.screening.is_some_and(|s| s.held >= 1));

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "Reference",
            "Given names",
            "Family name",
            "Date of birth",
            "Passport numbers",
            "Notes",
        ],
        [
            "X-9",
            "Usman",
            "Diallo",
            "1969-05-04",
            "A1; B2",
            "seen 2024",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *v)
                .map_err(|e| Error::Internal(e.to_string()))?;
        }
    }
    let bytes = book
        .save_to_buffer()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let outcome = screening::import(api.store(), &bytes, "list.xlsx", "test", now).await?;
    assert!(outcome.written, "{outcome:?}");
    let entries = screening::entries(api.store()).await?;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entry.names, ["Usman Diallo"]);
    assert_eq!(entries[0].entry.doc_numbers, ["A1", "B2"]);
    assert_eq!(entries[0].entry.note, "seen 2024");
    // The new list holds nobody here: the earlier holds are lifted.
    assert!(screening::hits(api.store()).await?.is_empty());
    Ok(())
}

/// A person cleared after a hit goes back to review when a new list brings
/// a line they were not hit by before; the same list again leaves the
/// clearance standing.
#[tokio::test]
async fn a_new_line_sends_a_cleared_person_back_to_review() -> Result<()> {
    use gatehouse::vetting::Accreditation;
    use gatehouse::vetting_store::DecisionRequest;
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo(dir.path()).await?;
    import_attendees(&api, now).await?;
    screening::import(api.store(), LIST_FR.as_bytes(), "liste.csv", "test", now).await?;
    let listed = serial_of(&api, "Muhammad Ould", "Abdallahi").await?;
    assert_eq!(
        api.accreditation(&listed).await?.status,
        Accreditation::InReview
    );
    api.vetting_decide(
        &[DecisionRequest {
            serial: listed.clone(),
            status: Accreditation::Cleared,
            reason: "homonyme vérifié".into(),
        }],
        now,
        "test",
    )
    .await?;
    assert_eq!(
        api.accreditation(&listed).await?.status,
        Accreditation::Cleared
    );

    // The same list again (its lines renumbered): the clearance stands.
    let outcome =
        screening::import(api.store(), LIST_FR.as_bytes(), "liste.csv", "test", now).await?;
    let summary = outcome
        .screening
        .ok_or_else(|| Error::Internal("no screening".into()))?;
    assert!(summary.held_again.is_empty(), "{summary:?}");
    assert_eq!(
        api.accreditation(&listed).await?.status,
        Accreditation::Cleared
    );
    // An edit screened again changes nothing either.
    screening::screen_serials(api.store(), &[listed.as_str()], "test", now).await?;
    assert_eq!(
        api.accreditation(&listed).await?.status,
        Accreditation::Cleared
    );

    // A new line that hits them too: back to review, with the reason.
    let longer = format!(
        "{LIST_FR}UN-QDi.077;Abdallahi Mohamed Ould;;12/03/1975;MR;;Nouvelle inscription\n"
    );
    let outcome =
        screening::import(api.store(), longer.as_bytes(), "liste-2.csv", "test", now).await?;
    let summary = outcome
        .screening
        .ok_or_else(|| Error::Internal("no screening".into()))?;
    assert_eq!(summary.held_again, [listed.as_str()], "{summary:?}");
    assert!(summary.newly_held.is_empty(), "{summary:?}");
    assert_eq!(
        api.accreditation(&listed).await?.status,
        Accreditation::InReview
    );
    let row = api
        .vetting_queue(&Default::default())
        .await?
        .into_iter()
        .find(|r| r.serial == listed)
        .ok_or_else(|| Error::Internal("not in the queue".into()))?;
    assert!(
        row.reason
            .as_deref()
            .is_some_and(|r| r.contains("nouvelle correspondance")),
        "{row:?}"
    );
    assert_eq!(row.watchlist_hits, 2, "{row:?}");
    Ok(())
}
