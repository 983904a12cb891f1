//! Importing pre-registrations as organisers have them, on a real SQLite
//! file: every encoding and delimiter, French and English headers, every
//! kind of row error with its line and column, all or nothing, idempotent
//! re-import, dry run.

mod registry_common;

use gatehouse::registry::attendee;
use gatehouse::registry::import::ImportOptions;
use gatehouse::Result;
use registry_common::{count, event_store, import_bytes, import_fixture};

const ALL: ImportOptions = ImportOptions {
    dry_run: false,
    skip_invalid: false,
};

/// (given, family, country, category, delegation) of everyone, sorted.
async fn people(store: &gatehouse::store::Store) -> Result<Vec<[String; 5]>> {
    let mut out: Vec<[String; 5]> = attendee::all(store.read())
        .await?
        .into_iter()
        .map(|a| {
            [
                a.given_names,
                a.family_name,
                a.country.unwrap_or_default(),
                a.category.to_string(),
                a.delegation.unwrap_or_default(),
            ]
        })
        .collect();
    out.sort();
    Ok(out)
}

#[tokio::test]
async fn every_encoding_and_delimiter_reads_the_same_people() -> Result<()> {
    let mut seen = Vec::new();
    for name in [
        "fr_semicolon_cp1252_crlf.csv",
        "en_comma_utf8_bom.csv",
        "fr_tab_utf8.csv",
        "en_tab_utf16.txt",
    ] {
        let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
        let store = event_store(dir.path()).await?;
        let report = import_fixture(&store, name, ALL).await?;
        assert_eq!(
            (report.created, report.invalid, report.errors.len()),
            (5, 0, 0),
            "{name}: {report:?}"
        );
        assert!(report.ignored_columns.is_empty(), "{name}: {report:?}");
        let got = people(&store).await?;
        let s = |v: &str| v.to_string();
        assert!(
            got.contains(&[s("Assimi"), s("Goïta"), s("ML"), s("VIP"), s("")]),
            "{name}: {got:?}"
        );
        assert!(got.contains(&[s("Harun"), s("Saraç"), s("TR"), s("ORG"), s("")]));
        assert!(got.contains(&[
            s("Salif"),
            s("Ouédraogo"),
            s("BF"),
            s("DEL"),
            s("Délégation du Burkina Faso")
        ]));
        // Quoted fields keep their delimiters and quotes.
        let ndiaye = attendee::all(store.read())
            .await?
            .into_iter()
            .find(|a| a.family_name == "N'Diaye")
            .ok_or_else(|| gatehouse::Error::NotFound(format!("N'Diaye in {name}")))?;
        assert_eq!(ndiaye.organisation, "Ministère \"Défense\" du Sénégal");
        assert_eq!(ndiaye.job_title, "Colonel; attachée de défense");
        assert_eq!(ndiaye.doc_number, "A01234567");
        seen.push(got);
        store.close().await;
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:#?}");
    Ok(())
}

#[tokio::test]
async fn every_row_error_is_reported_and_nothing_is_written() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let report = import_fixture(&store, "errors.csv", ALL).await?;
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "line 4, Nom: the family name is missing",
            "line 5, Pays: unknown country \"Atlantide\"",
            "line 6, Email: \"pas-une-adresse\" is not an e-mail address",
            "line 7, Zones: unknown zone \"MOON\"",
            "line 8, Catégorie: unknown category \"XYZ\". Accepted categories (name or code): Organiser (ORG), Staff (STF), Security (SEC), Exhibitor (EXH), Official delegation (DEL), VIP (VIP), Press (PRS), Visitor (VIS), Contractor (CTR)",
            "line 9, Jours: \"32/11/2025\" is not a date (YYYY-MM-DD or DD/MM/YYYY)",
            "line 10: the same person as line 2",
            "line 12, Jours: 2025-12-25 is not a day of the event",
        ]
    );
    assert_eq!(
        (report.created, report.invalid, report.written),
        (3, 8, false)
    );
    assert_eq!(count(&store).await?, 0, "all or nothing");

    let skip = ImportOptions {
        dry_run: false,
        skip_invalid: true,
    };
    let report = import_fixture(&store, "errors.csv", skip).await?;
    assert_eq!(
        (report.created, report.invalid, report.written),
        (3, 8, true)
    );
    assert_eq!(count(&store).await?, 3);
    let agaoglu = attendee::all(store.read())
        .await?
        .into_iter()
        .find(|a| a.family_name == "Ağaoğlu")
        .ok_or_else(|| gatehouse::Error::NotFound("Ağaoğlu".into()))?;
    let zones: Vec<String> = agaoglu
        .zones_override
        .unwrap_or_default()
        .iter()
        .map(|z| z.to_string())
        .collect();
    assert_eq!(zones, ["HALL", "BIZ"]);
    assert_eq!(agaoglu.days_override.map(|d| d.len()), Some(2));
    Ok(())
}

#[tokio::test]
async fn reimport_changes_nothing_and_edits_update_in_place() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let name = "fr_tab_utf8.csv";
    let first = import_fixture(&store, name, ALL).await?;
    assert_eq!(first.created, 5);
    let before = attendee::all(store.read()).await?;
    let again = import_fixture(&store, name, ALL).await?;
    assert_eq!(
        (again.created, again.updated, again.unchanged, again.written),
        (0, 0, 5, false)
    );
    assert_eq!(attendee::all(store.read()).await?, before);

    // The same file with one job title changed: one update, same badge.
    let text = std::fs::read_to_string(registry_common::fixture(name))
        .map_err(|e| gatehouse::Error::io(name, e))?
        .replace("Chairman", "Président du salon");
    let edited = import_bytes(&store, text.as_bytes(), name, ALL).await?;
    assert_eq!(
        (edited.created, edited.updated, edited.unchanged),
        (0, 1, 4)
    );
    let after = attendee::all(store.read()).await?;
    let sarac = after
        .iter()
        .find(|a| a.family_name == "Saraç")
        .ok_or_else(|| gatehouse::Error::NotFound("Saraç".into()))?;
    assert_eq!(sarac.job_title, "Président du salon");
    let old = before
        .iter()
        .find(|a| a.family_name == "Saraç")
        .ok_or_else(|| gatehouse::Error::NotFound("Saraç".into()))?;
    assert_eq!(sarac.serial, old.serial);

    // The audit log holds both imports and still verifies.
    let check = gatehouse::audit::verify(store.read()).await?;
    assert_eq!(check.first_bad, None);
    let imports: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit WHERE action = 'attendee.import'")
            .fetch_one(store.read())
            .await?;
    assert_eq!(imports, 2);
    Ok(())
}

#[tokio::test]
async fn dry_run_reports_without_writing() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let dry = ImportOptions {
        dry_run: true,
        skip_invalid: false,
    };
    let report = import_fixture(&store, "en_comma_utf8_bom.csv", dry).await?;
    assert_eq!((report.created, report.written), (5, false));
    assert_eq!(count(&store).await?, 0);
    Ok(())
}

#[tokio::test]
async fn files_without_the_needed_columns_are_refused() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let e = import_bytes(&store, b"Prenom;Societe\nAmadou;FAMa\n", "x.csv", ALL)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.starts_with("line 1: the column Nom / Last name is missing"),
        "{e}"
    );
    let e = import_bytes(&store, b"", "x.csv", ALL)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("empty"), "{e}");
    Ok(())
}

#[tokio::test]
async fn xlsx_sheets_import_like_csv() -> Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| gatehouse::Error::Internal(e.to_string());
    for (c, h) in ["Prénom", "Nom", "Société", "Pays", "Catégorie", "Téléphone"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).map_err(fail)?;
    }
    sheet.write_string(1, 0, "Gökhan").map_err(fail)?;
    sheet.write_string(1, 1, "Ağaoğlu").map_err(fail)?;
    sheet.write_string(1, 2, "Baykar").map_err(fail)?;
    sheet.write_string(1, 3, "Türkiye").map_err(fail)?;
    sheet.write_string(1, 4, "Exposant").map_err(fail)?;
    // A phone number typed as a number in Excel.
    sheet.write_number(1, 5, 22376000000.0).map_err(fail)?;
    let bytes = book.save_to_buffer().map_err(fail)?;

    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let report = import_bytes(&store, &bytes, "liste.xlsx", ALL).await?;
    assert_eq!((report.created, report.invalid), (1, 0), "{report:?}");
    let a = attendee::all(store.read()).await?;
    assert_eq!(a[0].family_name, "Ağaoğlu");
    assert_eq!(a[0].category.as_str(), "EXH");
    assert_eq!(a[0].country.as_deref(), Some("TR"));
    assert_eq!(a[0].phone, "22376000000");
    Ok(())
}

/// A file whose headers name nothing we know: the detected mapping is
/// refused for want of a family name and category; the organiser's mapping
/// imports it, and the dry run and the import say the same thing.
#[tokio::test]
async fn a_changed_mapping_is_what_the_dry_run_and_the_import_use() -> Result<()> {
    use gatehouse::registry::import::{self, Column, Mapping};
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let file = "Patronyme;Prénom;Entité;Badge type;Pointure\n\
                Goïta;Assimi;Présidence;VIP;42\n\
                Maïga;Aminata;ORTM;Presse;38\n\
                ;Sans;Nom;VIS;40\n\
                Saraç;Mehmet;Aselsan;Martien;44\n";
    let detected = import::preview(&store, file.as_bytes(), "liste.csv", None).await?;
    assert_eq!(
        detected.mapping,
        Mapping(vec![
            None,
            Some(Column::GivenNames),
            None,
            Some(Column::Category),
            None
        ])
    );
    assert!(detected.report.is_none());
    assert_eq!(
        detected.problem.as_ref().map(|t| t.en.as_str()),
        Some("line 1: the column Nom / Last name is missing (headers: Patronyme, Prénom, Entité, Badge type, Pointure)")
    );
    assert_eq!(detected.samples[0], ["Goïta", "Maïga", "Saraç"]);
    assert_eq!(detected.rows, 4);

    let mapping = Mapping(vec![
        Some(Column::FamilyName),
        Some(Column::GivenNames),
        Some(Column::Organisation),
        Some(Column::Category),
        None,
    ]);
    let preview =
        import::preview(&store, file.as_bytes(), "liste.csv", Some(mapping.clone())).await?;
    let report = preview
        .report
        .ok_or_else(|| gatehouse::Error::NotFound("the mapping is accepted".into()))?;
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "line 4, Patronyme: the family name is missing",
            "line 5, Badge type: unknown category \"Martien\". Accepted categories (name or code): Organiser (ORG), Staff (STF), Security (SEC), Exhibitor (EXH), Official delegation (DEL), VIP (VIP), Press (PRS), Visitor (VIS), Contractor (CTR)",
        ]
    );
    assert_eq!((report.created, report.invalid), (2, 2));
    assert_eq!(report.ignored_columns, ["Pointure"]);
    assert_eq!(count(&store).await?, 0, "a preview writes nothing");

    let skip = ImportOptions {
        dry_run: false,
        skip_invalid: true,
    };
    let done = import::import_mapped(
        &store,
        file.as_bytes(),
        "liste.csv",
        Some(&mapping),
        skip,
        "test",
        jiff::Timestamp::now(),
        &mut |_, _| (),
    )
    .await?;
    assert_eq!((done.created, done.invalid, done.written), (2, 2, true));
    let got = people(&store).await?;
    let maiga = got
        .iter()
        .find(|p| p[1] == "Maïga")
        .ok_or_else(|| gatehouse::Error::NotFound("Maïga was imported".into()))?;
    assert_eq!(maiga[3], "PRS", "the category by its French name");
    let goita = attendee::all(store.read())
        .await?
        .into_iter()
        .find(|a| a.family_name == "Goïta")
        .ok_or_else(|| gatehouse::Error::NotFound("Goïta was imported".into()))?;
    assert_eq!(goita.organisation, "Présidence");

    // Two columns for one field, and the CLI's detected mapping, are refused by line 1.
    let twice = Mapping(vec![
        Some(Column::FamilyName),
        Some(Column::FamilyName),
        None,
        Some(Column::Category),
        None,
    ]);
    let refused = import::preview(&store, file.as_bytes(), "liste.csv", Some(twice)).await?;
    assert_eq!(
        refused.problem.as_ref().map(|t| t.en.as_str()),
        Some("line 1: columns \"Patronyme\" and \"Prénom\" say the same thing")
    );
    assert_eq!(
        refused.problem.as_ref().map(|t| t.fr.as_str()),
        Some("ligne 1 : les colonnes « Patronyme » et « Prénom » disent la même chose")
    );
    let cli = import_bytes(&store, file.as_bytes(), "liste.csv", ALL).await;
    assert!(
        cli.is_err_and(|e| e.to_string().contains("Nom / Last name is missing")),
        "the CLI keeps the headers' mapping"
    );
    Ok(())
}

/// The dry run of the console lists every error of the file by line.
#[tokio::test]
async fn the_preview_lists_every_row_error_by_line() -> Result<()> {
    use gatehouse::registry::import;
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let bytes = std::fs::read(registry_common::fixture("errors.csv"))
        .map_err(|e| gatehouse::Error::io("errors.csv", e))?;
    let preview = import::preview(&store, &bytes, "errors.csv", None).await?;
    let report = preview
        .report
        .ok_or_else(|| gatehouse::Error::NotFound("the detected mapping is fine".into()))?;
    let lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 5, 6, 7, 8, 9, 10, 12]);
    assert_eq!(
        (report.created, report.invalid, report.written),
        (3, 8, false)
    );
    assert_eq!(count(&store).await?, 0);
    Ok(())
}

/// An import started in the background reports its rows as it writes them,
/// then its summary.
#[tokio::test]
async fn a_background_import_shows_its_progress_then_its_summary() -> Result<()> {
    use gatehouse::registry::import::{ImportJobs, ImportPhase};
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let mut file = String::from("Nom,Prénom,Catégorie\n");
    for i in 0..3000 {
        file.push_str(&format!("Diarra{i},Awa,VIS\n"));
    }
    let jobs = ImportJobs::default();
    let started = jobs.start(
        store.clone(),
        file.into_bytes(),
        "big.csv".into(),
        None,
        ImportOptions::default(),
        "test".into(),
        jiff::Timestamp::now(),
    );
    assert_eq!(started.phase, ImportPhase::Checking);
    let mut seen = Vec::new();
    let last = loop {
        let p = jobs.progress(&started.id)?;
        if matches!(p.phase, ImportPhase::Done | ImportPhase::Failed) {
            break p;
        }
        if p.phase == ImportPhase::Writing {
            seen.push(p.done);
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    };
    assert_eq!(last.phase, ImportPhase::Done, "{:?}", last.error);
    let report = last
        .report
        .ok_or_else(|| gatehouse::Error::NotFound("a finished import has its report".into()))?;
    assert_eq!((report.created, report.written), (3000, true));
    assert_eq!(count(&store).await?, 3000);
    assert!(
        seen.iter().any(|&d| d > 0 && d < 3000),
        "progress moved while writing: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(jobs.progress("nope").is_err());
    Ok(())
}

/// A large import into an empty registry (written before its indexes are
/// built): every row is found by name and badge number afterwards, the
/// registry keeps its indexes and the database checks whole.
#[tokio::test]
async fn a_large_import_is_searchable_and_keeps_the_indexes() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let indexes = |store: gatehouse::store::Store| async move {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'attendee'
             ORDER BY name",
        )
        .fetch_all(store.read())
        .await?;
        Ok::<_, gatehouse::Error>(names)
    };
    let before = indexes(store.clone()).await?;
    let mut file = String::from("Référence;Nom;Prénom;Catégorie\n");
    for i in 0..6000 {
        file.push_str(&format!("R{i};Kouyaté{i};Awa;VIS\n"));
    }
    let report = import_bytes(&store, file.as_bytes(), "big.csv", ImportOptions::default()).await?;
    assert_eq!((report.created, report.written), (6000, true));
    assert_eq!(count(&store).await?, 6000);
    assert_eq!(indexes(store.clone()).await?, before);
    let hits = gatehouse::registry::search::search(store.read(), "kouyate5999", 5).await?;
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hits = gatehouse::registry::search::search(store.read(), "BMX-3000", 5).await?;
    assert_eq!(hits.len(), 1, "{hits:?}");
    let quick: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(store.read())
        .await?;
    assert_eq!(quick, vec!["ok".to_string()]);
    Ok(())
}

/// The attendee table's indexes, by name.
async fn attendee_indexes(store: &gatehouse::store::Store) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'attendee'
         ORDER BY name",
    )
    .fetch_all(store.read())
    .await?)
}

/// A large file is written while it is still being checked: when its last
/// row turns out invalid, the thousands of rows already written, the
/// delegations they named and the indexes dropped for them are rolled back
/// whole, and no badge number is used up. Skipping that row then imports
/// the rest, numbered from the first.
#[tokio::test]
async fn a_large_file_refused_by_its_last_row_leaves_nothing_behind() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let indexes = attendee_indexes(&store).await?;
    let delegations = |store: gatehouse::store::Store| async move {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM delegation")
            .fetch_one(store.read())
            .await?;
        Ok::<_, gatehouse::Error>(n)
    };
    let mut file = String::from("Référence;Nom;Prénom;Catégorie;Délégation\n");
    for i in 0..7000 {
        file.push_str(&format!(
            "R{i};Sangaré{i};Oumou;VIS;Délégation {}\n",
            i / 1000
        ));
    }
    file.push_str("R7000;Sangaré7000;Oumou;Lune;\n");

    let refused = import_bytes(&store, file.as_bytes(), "big.csv", ALL).await?;
    assert_eq!(
        (refused.created, refused.invalid, refused.written),
        (7000, 1, false)
    );
    let lines: Vec<u64> = refused.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [7002]);
    assert_eq!(count(&store).await?, 0);
    assert_eq!(delegations(store.clone()).await?, 0);
    assert_eq!(attendee_indexes(&store).await?, indexes);

    let skip = ImportOptions {
        dry_run: false,
        skip_invalid: true,
    };
    let report = import_bytes(&store, file.as_bytes(), "big.csv", skip).await?;
    assert_eq!(
        (report.created, report.invalid, report.written),
        (7000, 1, true)
    );
    assert_eq!(count(&store).await?, 7000);
    assert_eq!(delegations(store.clone()).await?, 7);
    assert_eq!(attendee_indexes(&store).await?, indexes);
    let mut serials: Vec<String> = attendee::all(store.read())
        .await?
        .into_iter()
        .map(|a| a.serial.to_string())
        .collect();
    serials.sort();
    assert_eq!(
        (
            serials.first().map(String::as_str),
            serials.last().map(String::as_str)
        ),
        (Some("BMX-000001"), Some("BMX-007000"))
    );
    let hits = gatehouse::registry::search::search(store.read(), "sangare6999", 5).await?;
    assert_eq!(hits.len(), 1, "{hits:?}");
    Ok(())
}

/// A large file that both adds people to a registry and changes people
/// already in it: the new ones and the changed ones are written in one
/// go, a delegation first named by a changed row is created, and
/// re-importing the same file then changes nothing.
#[tokio::test]
async fn a_large_file_of_new_and_changed_people_imports_once() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let indexes = attendee_indexes(&store).await?;
    let mut first = String::from("Référence;Nom;Prénom;Catégorie\n");
    for i in 0..2000 {
        first.push_str(&format!("R{i};Keïta{i};Salif;VIS\n"));
    }
    let report = import_bytes(&store, first.as_bytes(), "first.csv", ALL).await?;
    assert_eq!((report.created, report.written), (2000, true));

    let mut second = String::from("Référence;Nom;Prénom;Catégorie;Délégation\n");
    for i in 0..8000 {
        let delegation = if i == 10 { "Sénégal" } else { "" };
        second.push_str(&format!("R{i};Keïta{i};Salif;PRS;{delegation}\n"));
    }
    let report = import_bytes(&store, second.as_bytes(), "second.csv", ALL).await?;
    assert_eq!(
        (
            report.created,
            report.updated,
            report.unchanged,
            report.written
        ),
        (6000, 2000, 0, true)
    );
    assert_eq!(count(&store).await?, 8000);
    assert_eq!(attendee_indexes(&store).await?, indexes);
    let everyone = attendee::all(store.read()).await?;
    assert!(everyone.iter().all(|a| a.category.as_str() == "PRS"));
    let named: Vec<(&str, Option<&str>)> = everyone
        .iter()
        .filter(|a| a.delegation.is_some())
        .map(|a| (a.family_name.as_str(), a.delegation.as_deref()))
        .collect();
    assert_eq!(named, [("Keïta10", Some("Sénégal"))]);

    let again = import_bytes(&store, second.as_bytes(), "second.csv", ALL).await?;
    assert_eq!(
        (again.created, again.updated, again.unchanged, again.written),
        (0, 0, 8000, false)
    );
    assert_eq!(count(&store).await?, 8000);
    Ok(())
}

/// Badge numbers that run out in the middle of a large file: the import
/// fails with its reason, and what it had written is rolled back whole.
#[tokio::test]
async fn badge_numbers_running_out_mid_file_leave_nothing_behind() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let store = event_store(dir.path()).await?;
    let indexes = attendee_indexes(&store).await?;
    let mut tx = store.write().await?;
    sqlx::query("UPDATE serial_counter SET last = 993000 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut file = String::from("Nom;Prénom;Catégorie\n");
    for i in 0..7000 {
        file.push_str(&format!("Traoré{i};Awa;VIS\n"));
    }
    let failed = import_bytes(&store, file.as_bytes(), "big.csv", ALL).await;
    let message = failed.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("999999") || message.contains("1000000"),
        "{message}"
    );
    assert_eq!(count(&store).await?, 0);
    assert_eq!(attendee_indexes(&store).await?, indexes);
    let last: i64 = sqlx::query_scalar("SELECT last FROM serial_counter")
        .fetch_one(store.read())
        .await?;
    assert_eq!(last, 993000);
    Ok(())
}
