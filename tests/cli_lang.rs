//! The command line speaks French by default (the product's language) and
//! English with `--lang en` or `GATEHOUSE_LANG=en`: its refusals included,
//! not only its reports. Each refusal here is one an organiser meets while
//! setting up stations.

mod http_support;

use std::path::Path;
use std::process::{Command, Output};

use http_support::{json, ok, serve, set_real_pins, start_hub, TestResult};

/// `gatehouse ARGS --db DB`, with `GATEHOUSE_LANG` set to `lang` (or unset).
fn run(db: &Path, args: &[&str], lang: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .env_remove("GATEHOUSE_LANG");
    if let Some(lang) = lang {
        cmd.env("GATEHOUSE_LANG", lang);
    }
    cmd.output().expect("run gatehouse")
}

/// The one-line refusal of a command that must fail with status 1.
fn refusal(db: &Path, args: &[&str], lang: Option<&str>) -> TestResult<String> {
    let out = run(db, args, lang);
    let said = String::from_utf8(out.stderr)?;
    assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
    assert_eq!(said.trim().lines().count(), 1, "one line: {said}");
    Ok(said)
}

/// English a French refusal must not carry.
fn assert_french(said: &str) {
    for english in [
        " the ",
        " this ",
        " run ",
        "error sending request",
        "unreachable",
        " not ",
        " with ",
    ] {
        assert!(!said.contains(english), "{english:?} in French: {said}");
    }
}

#[test]
fn refusals_are_french_by_default_and_english_on_request() -> TestResult<()> {
    let dir = tempfile::tempdir()?;
    let fresh = dir.path().join("fresh.db");

    // A fresh database: join a hub or make the demo, both said.
    let said = refusal(&fresh, &["event"], None)?;
    assert!(said.contains("aucun événement"), "{said}");
    assert!(said.contains("gatehouse join"), "{said}");
    assert!(said.contains("gatehouse demo"), "{said}");
    assert_french(&said);
    let said = refusal(&fresh, &["event", "--lang", "en"], None)?;
    assert!(said.contains("no event in this database"), "{said}");
    assert!(said.contains("gatehouse join"), "{said}");
    let said = refusal(&fresh, &["event"], Some("en"))?;
    assert!(said.contains("no event in this database"), "{said}");
    // The flag wins over the environment.
    let said = refusal(&fresh, &["event", "--lang", "fr"], Some("en"))?;
    assert!(said.contains("aucun événement"), "{said}");

    // A hub reached over http://: use https.
    let said = refusal(
        &fresh,
        &["join", "http://127.0.0.1:9/", "--code", "ABCD-EFGH.00ff"],
        None,
    )?;
    assert!(said.contains("ne parle qu'en https"), "{said}");
    assert_french(&said);
    let said = refusal(
        &fresh,
        &[
            "join",
            "http://127.0.0.1:9/",
            "--code",
            "ABCD-EFGH.00ff",
            "--lang",
            "en",
        ],
        None,
    )?;
    assert!(said.contains("speaks only https"), "{said}");

    // Nothing listening: plain words, not the library's.
    let said = refusal(
        &fresh,
        &[
            "join",
            "https://127.0.0.1:9",
            "--code",
            &format!("ABCD-EFGH-JKMN.{}", "0f".repeat(32)),
        ],
        None,
    )?;
    assert!(said.contains("injoignable"), "{said}");
    assert!(said.contains("rien ne répond"), "{said}");
    assert_french(&said);

    // Something answers, but not the hub: a station's `serve` page.
    let station = dir.path().join("station.db");
    ok(&station, &["demo", "--attendees", "1"])?;
    let served = serve(&station)?;
    let page = format!("https://{}", served.addr);
    let fingerprint = "0f".repeat(32);
    let code = format!("ABCD-EFGH-JKMN.{fingerprint}");
    let said = refusal(&fresh, &["join", &page, "--code", &code], None)?;
    assert!(said.contains("n'est pas le hub de ce code"), "{said}");
    assert_french(&said);
    let said = refusal(
        &fresh,
        &["join", &page, "--code", &code, "--lang", "en"],
        None,
    )?;
    assert!(said.contains("not this code's hub"), "{said}");
    assert!(!said.contains("error sending request"), "{said}");
    drop(served);

    // A code cut short: what a code looks like.
    let said = refusal(
        &fresh,
        &["join", "https://127.0.0.1:9", "--code", "ABCD-EFGH"],
        None,
    )?;
    assert!(said.contains("12 lettres et chiffres"), "{said}");
    assert_french(&said);
    let said = refusal(
        &fresh,
        &["join", "https://127.0.0.1:9", "--code", "ABCD-EFGH"],
        Some("en"),
    )?;
    assert!(said.contains("12 letters and digits"), "{said}");

    // Sync on a station that was never paired.
    let said = refusal(&fresh, &["sync"], None)?;
    assert!(said.contains("n'est appairé à aucun hub"), "{said}");
    let said = refusal(&fresh, &["sync"], Some("en"))?;
    assert!(said.contains("is not paired with a hub"), "{said}");
    Ok(())
}

#[test]
fn a_gate_asked_for_a_badge_text_says_why_not_in_french() -> TestResult<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    ok(&db, &["demo", "--attendees", "2"])?;
    // A gate holds the public keys only: no private half beside its database.
    let keys = dir.path().join("gate.db.keys");
    for entry in std::fs::read_dir(&keys)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "key") {
            std::fs::remove_file(path)?;
        }
    }
    let said = refusal(&db, &["token", "BMX-000001"], None)?;
    assert!(said.contains("une porte contrôle les badges"), "{said}");
    assert_french(&said);
    let said = refusal(&db, &["token", "BMX-000001", "--lang", "en"], None)?;
    assert!(said.contains("a gate checks badges"), "{said}");
    // The machine form keeps its code, in the asked language.
    let out = run(&db, &["token", "BMX-000001", "--json"], None);
    let body: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(body["code"], "forbidden");
    assert_eq!(body["key"], "no_private_key");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("ce poste")));
    assert!(body["text"]["en"]
        .as_str()
        .is_some_and(|m| m.starts_with("this station")));
    Ok(())
}

#[test]
fn a_station_joined_but_not_synced_is_told_to_sync_and_hub_refusals_reach_it_in_french(
) -> TestResult<()> {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let gate = dir.path().join("gate.db");
    let code = json(&hub_db, &["pair", "--role", "gate"])?;
    let code = code["code"].as_str().ok_or("code")?.to_string();

    let joined = ok(&gate, &["join", &url, "--code", &code])?;
    assert!(joined.contains("gatehouse sync"), "{joined}");
    assert!(joined.contains("contrôle d'accès"), "{joined}");
    let said = refusal(&gate, &["event"], None)?;
    assert!(said.contains("lancez `gatehouse sync`"), "{said}");
    assert!(!said.contains("gatehouse demo"), "{said}");
    let said = refusal(&gate, &["event"], Some("en"))?;
    assert!(said.contains("run `gatehouse sync`"), "{said}");

    // A spent code, in the station's language (said alike for any code
    // that does not work: the hub never tells which codes exist).
    let other = dir.path().join("other.db");
    let said = refusal(&other, &["join", &url, "--code", &code], None)?;
    assert!(said.contains("déjà utilisé"), "{said}");
    assert_french(&said);
    let said = refusal(&other, &["join", &url, "--code", &code], Some("en"))?;
    assert!(said.contains("already used"), "{said}");
    Ok(())
}

/// The core's refusals that used to be built in English only (gate, badge
/// numbers, revocation, staff accounts, roll-call) come in the CLI's
/// language, French by default.
#[test]
fn core_refusals_follow_the_cli_language() -> TestResult<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("demo.db");
    ok(&db, &["demo", "--attendees", "3"])?;
    ok(&db, &["revoke", "BMX-000001", "--reason", "déclaré volé"])?;
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["scan", "--zone", "NOPE", "x"],
            "--zone NOPE : ce n'est pas une zone de BAMEX25 (zones : HALL",
            "--zone NOPE: not a zone of BAMEX25 (zones: HALL",
        ),
        (
            &["revoke", "BMX-999999", "--reason", "vol"],
            "aucun participant n'a le numéro de badge BMX-999999",
            "no attendee with badge number BMX-999999",
        ),
        (
            &["revoke", "BMX-000001", "--reason", "vol"],
            "le badge BMX-000001 est déjà révoqué",
            "badge BMX-000001 is already revoked",
        ),
        (
            &["revoke", "BMX-000002", "--reason", " "],
            "motif (--reason) : indiquez pourquoi le badge est révoqué",
            "--reason: say why the badge is revoked",
        ),
        (
            &["staff", "pin", "Personne"],
            "aucun compte nommé « Personne »",
            "no staff account named \"Personne\"",
        ),
        (
            &["rollcall", "--zone", "NOPE"],
            "aucune zone NOPE dans cet événement",
            "no zone NOPE in this event",
        ),
    ];
    for (args, fr, en) in cases {
        let said = refusal(&db, args, None)?;
        assert!(said.contains(fr), "{args:?}: {said}");
        assert_french(&said);
        let said = refusal(&db, args, Some("en"))?;
        assert!(said.contains(en), "{args:?}: {said}");
    }
    Ok(())
}
