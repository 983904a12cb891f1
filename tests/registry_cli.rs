//! The registry commands as scripts use them: `demo --attendees --seed`,
//! `import` (exit status, errors on stderr, `--json`), `export`, `search`.

mod registry_common;

use std::path::Path;
use std::process::{Command, Output};

use registry_common::fixture;

fn gatehouse(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run gatehouse")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The exported rows without the time columns.
fn exported(db: &Path, file: &Path) -> Vec<String> {
    let out = gatehouse(db, &["export", file.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{out:?}");
    std::fs::read_to_string(file)
        .expect("export written")
        .lines()
        .map(|l| l.rsplitn(3, ';').nth(2).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn demo_attendees_are_deterministic_and_cover_every_category() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let out = gatehouse(&a, &["demo", "--attendees", "40", "--seed", "7", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let summary = json(&out);
    assert_eq!(summary["attendees"]["attendees"], 40);
    assert!(summary["attendees"]["with_photo"].as_u64().unwrap_or(0) >= 20);
    assert!(summary["attendees"]["delegations"].as_u64().unwrap_or(0) >= 1);
    assert!(gatehouse(&b, &["demo", "--attendees", "40", "--seed", "7"])
        .status
        .success());

    let rows_a = exported(&a, &dir.path().join("a.csv"));
    assert_eq!(rows_a.len(), 41);
    assert_eq!(rows_a, exported(&b, &dir.path().join("b.csv")));
    for cat in [
        "ORG", "STF", "SEC", "EXH", "DEL", "VIP", "PRS", "VIS", "CTR",
    ] {
        assert!(
            rows_a.iter().any(|r| r.split(';').nth(7) == Some(cat)),
            "no {cat}"
        );
    }
    // The exhibitors of the seed article are the exhibitors' organisations.
    let exhibitors: Vec<&str> = rows_a
        .iter()
        .filter(|r| r.split(';').nth(7) == Some("EXH"))
        .filter_map(|r| r.split(';').nth(4))
        .collect();
    assert!(!exhibitors.is_empty());
    for o in exhibitors {
        assert!(gatehouse::registry::demo::EXHIBITORS.contains(&o), "{o}");
    }

    // Another seed, other people.
    assert!(gatehouse(&b, &["demo", "--attendees", "40", "--seed", "8"])
        .status
        .success());
    let rows_b = exported(&b, &dir.path().join("b.csv"));
    assert_ne!(rows_a[1..], rows_b[1..]);
    // A reset replaces the attendees; badge numbers are not reused.
    assert_eq!(rows_b.len(), 41);
    assert!(rows_b[1].starts_with("BMX-000041;"), "{}", rows_b[1]);
}

#[test]
fn import_refuses_a_file_with_errors_naming_line_column_and_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.db");
    assert!(gatehouse(&db, &["demo", "--attendees", "0"])
        .status
        .success());
    let errors = fixture("errors.csv");
    let file = errors.to_str().expect("utf-8 path");

    // French by default, English with --lang en: each refused cell, then
    // one line saying nothing was imported.
    let out = gatehouse(&db, &["import", file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "ligne 4, Nom : valeur obligatoire manquante",
        "ligne 5, Pays : pays inconnu « Atlantide »",
        "ligne 6, Email : « pas-une-adresse » n'est pas une adresse e-mail",
        "ligne 7, Zones : zone inconnue « MOON »",
        "ligne 8, Catégorie : catégorie inconnue « XYZ ». Catégories acceptées (nom ou code) : Organisateur (ORG), Personnel (STF), Sécurité (SEC), Exposant (EXH), Délégation officielle (DEL), VIP (VIP), Presse (PRS), Visiteur (VIS), Prestataire (CTR)",
        "ligne 9, Jours : « 32/11/2025 » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)",
        "ligne 10 : la même personne qu'à la ligne 2",
        "ligne 12, Jours : le 2025-12-25 n'est pas une journée de l'événement",
    ] {
        assert!(stderr.lines().any(|l| l == line), "{line} in {stderr}");
    }
    assert!(
        stderr
            .lines()
            .last()
            .unwrap_or("")
            .contains("8 ligne(s) invalide(s), rien n'est importé"),
        "{stderr}"
    );
    let out = gatehouse(&db, &["import", file, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "line 4, Nom: a required value is missing",
        "line 8, Catégorie: unknown category \"XYZ\". Accepted categories (name or code): Organiser (ORG), Staff (STF), Security (SEC), Exhibitor (EXH), Official delegation (DEL), VIP (VIP), Press (PRS), Visitor (VIS), Contractor (CTR)",
        "line 10: the same person as line 2",
    ] {
        assert!(stderr.lines().any(|l| l == line), "{line} in {stderr}");
    }
    assert!(
        stderr
            .lines()
            .last()
            .unwrap_or("")
            .contains("8 invalid row(s), nothing imported"),
        "{stderr}"
    );

    let out = gatehouse(&db, &["import", file, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["invalid"], 8);
    assert_eq!(report["errors"][4]["line"], 8);
    assert_eq!(report["errors"][4]["column"], "Catégorie");
    assert_eq!(
        report["errors"][4]["message"],
        "unknown category \"XYZ\". Accepted categories (name or code): Organiser (ORG), Staff (STF), Security (SEC), Exhibitor (EXH), Official delegation (DEL), VIP (VIP), Press (PRS), Visitor (VIS), Contractor (CTR)"
    );
    // The contract's fields, and the accepted categories beside them.
    let problem = &report["errors"][4]["problem"];
    assert_eq!(problem["kind"], "unknown_category");
    assert_eq!(problem["value"], "XYZ");
    assert_eq!(
        problem["accepted"][3],
        serde_json::json!({"code": "EXH", "name_fr": "Exposant", "name_en": "Exhibitor"})
    );
    assert_eq!(
        report["errors"][6]["problem"],
        serde_json::json!({"kind": "same_person_as", "line": 2})
    );

    let out = gatehouse(&db, &["import", file, "--skip-invalid", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let report = json(&out);
    assert_eq!(
        (report["created"].as_u64(), report["invalid"].as_u64()),
        (Some(3), Some(8))
    );

    let out = gatehouse(&db, &["search", "agaog", "--json"]);
    assert!(out.status.success());
    let hits = json(&out);
    assert_eq!(hits[0]["family_name"], "Ağaoğlu");
    assert_eq!(hits[0]["serial"], "BMX-000002");
    for key in [
        "given_names",
        "organisation",
        "category",
        "country",
        "status",
    ] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    let out = gatehouse(&db, &["search", "bmx-1", "--limit", "1", "--json"]);
    assert_eq!(json(&out)[0]["serial"], "BMX-000001");
}

#[test]
fn export_reimports_as_unchanged_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.db");
    assert!(
        gatehouse(&db, &["demo", "--attendees", "25", "--seed", "3"])
            .status
            .success()
    );
    for name in ["all.csv", "all.xlsx"] {
        let path = dir.path().join(name);
        let p = path.to_str().expect("utf-8 path");
        assert!(gatehouse(&db, &["export", p]).status.success());
        let bytes = std::fs::read(&path).expect("written");
        if name.ends_with(".csv") {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
            // The status in words, not the internal code.
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains(";Pré-inscrit;"), "{text}");
            assert!(!text.contains("preregistered"), "{text}");
        }
        let out = gatehouse(&db, &["import", p, "--json"]);
        assert!(out.status.success(), "{out:?}");
        let r = json(&out);
        assert_eq!(
            (
                r["unchanged"].as_u64(),
                r["created"].as_u64(),
                r["updated"].as_u64()
            ),
            (Some(25), Some(0), Some(0)),
            "{name}"
        );
    }
    let out = gatehouse(
        &db,
        &["export", dir.path().join("x.pdf").to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(1));
}
