//! `gatehouse mrz`: a passport's or ID card's machine-readable zone read
//! and checked by the real binary, from an argument or standard input, in
//! French by default and as JSON; exit 1 names the field that fails.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

fn gatehouse(args: &[&str], stdin: Option<&str>) -> TestResult<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .env_remove("GATEHOUSE_LANG")
        // No database is needed: one that cannot exist proves it.
        .env("GATEHOUSE_DB", "/nonexistent/gatehouse.db")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .ok_or("stdin")?
            .write_all(text.as_bytes())?;
    }
    drop(child.stdin.take());
    Ok(child.wait_with_output()?)
}

#[test]
fn a_valid_passport_reads_in_french_with_its_fields() -> TestResult<()> {
    let out = gatehouse(&["mrz", TD3, "--today", "2010-01-01"], None)?;
    let said = String::from_utf8(out.stdout)?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("Document : Passeport (TD3, P)"), "{said}");
    assert!(said.contains("Nom : ERIKSSON"), "{said}");
    assert!(said.contains("Prénoms : ANNA MARIA"), "{said}");
    assert!(said.contains("Date de naissance : 1974-08-12"), "{said}");
    assert!(said.contains("Numéro du document : L898902C3"), "{said}");
    assert!(
        said.contains("Chiffres de contrôle : tous justes"),
        "{said}"
    );
    assert!(out.stderr.is_empty());
    Ok(())
}

#[test]
fn standard_input_and_json_give_the_fields_checks_and_problems() -> TestResult<()> {
    // Typed by a reader: CR line ends, the specimen long expired.
    let typed = format!("{}\r", TD1.replace('\n', "\r"));
    let out = gatehouse(&["mrz", "--json", "--today", "2026-12-06"], Some(&typed))?;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["format"], "td1");
    assert_eq!(v["document_number"], "D23145890");
    assert_eq!(v["family_name"], "ERIKSSON");
    assert_eq!(v["given_names"], "ANNA MARIA");
    assert_eq!(v["birth_date"], "1974-08-12");
    assert_eq!(v["checks_ok"], true);
    assert_eq!(v["problems"][0]["field"], "expiry_date");
    assert_eq!(v["problems"][0]["kind"], "expired");
    assert_eq!(v["problems"][0]["key"], "mrz_expired");
    let said = String::from_utf8(out.stderr)?;
    assert_eq!(
        said.trim(),
        "gatehouse: date d'expiration : le document a expiré le 2012-04-15"
    );
    Ok(())
}

#[test]
fn a_wrong_check_digit_exits_1_naming_its_field_in_either_language() -> TestResult<()> {
    // The date of birth's check digit 2 misread as 3.
    let broken = TD3.replace("7408122F", "7408123F");
    let out = gatehouse(&["mrz", &broken, "--today", "2010-01-01"], None)?;
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr)?;
    let first = said.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("gatehouse: chiffre de contrôle faux : date de naissance"),
        "{said}"
    );
    let out = gatehouse(
        &[
            "mrz",
            &broken,
            "--today",
            "2010-01-01",
            "--lang",
            "en",
            "--json",
        ],
        None,
    )?;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["checks_ok"], false);
    assert_eq!(v["problems"][0]["field"], "birth_date");
    assert_eq!(v["problems"][0]["kind"], "check_digit");
    assert!(v["problems"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("check digit wrong: date of birth"));
    let said = String::from_utf8(out.stderr)?;
    assert!(
        said.starts_with("gatehouse: check digit wrong: date of birth"),
        "{said}"
    );
    Ok(())
}

#[test]
fn text_that_is_no_mrz_is_refused_in_one_line() -> TestResult<()> {
    let out = gatehouse(&["mrz", "ERIKSSON ANNA"], None)?;
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr)?;
    assert!(
        said.contains("ce n'est pas une zone de lecture automatique"),
        "{said}"
    );
    assert!(said.contains("lu : 13"), "{said}");
    Ok(())
}
