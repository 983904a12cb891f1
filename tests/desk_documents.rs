//! A passport read at the desk finds its holder on a real SQLite file
//! ("collect my badge"): by document number however the record spells it,
//! else by name — and a date of birth on record that is not the passport's
//! is another person.

use gatehouse::api::StationConfig;
use gatehouse::desk::MatchedBy;
use gatehouse::registry::mrz::{format, MrzDocument, MrzFormat};
use gatehouse::registry::NewAttendee;
use gatehouse::{Api, Result};
use jiff::civil::date;
use jiff::Timestamp;

fn passport(family: &str, given: &str, number: &str, birth: &str) -> String {
    format(&MrzDocument {
        format: MrzFormat::Td3,
        document_code: "P".into(),
        issuing_state: "MLI".into(),
        document_number: number.into(),
        family_name: family.into(),
        given_names: given.into(),
        nationality: "MLI".into(),
        birth: birth.into(),
        sex: 'M',
        expiry: "330101".into(),
        optional_data: String::new(),
    })
    .join("\r\n")
}

#[tokio::test]
async fn a_passport_finds_its_record_by_number_else_by_name_and_date_of_birth() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| gatehouse::Error::io("tempdir", e))?;
    let now = Timestamp::now();
    let api = Api::open(&dir.path().join("gatehouse.db"), StationConfig::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;

    let mut by_number = NewAttendee::new("Oumar", "Zerbo-Lindqvist", "DEL".parse()?);
    by_number.doc_number = "b 1234-5678".into();
    let by_number = api.create_attendee(by_number, now, "desk").await?;
    let mut twin_a = NewAttendee::new("Awa", "Coulibaly-Berg", "EXH".parse()?);
    twin_a.birth_date = Some(date(1990, 2, 3));
    let twin_a = api.create_attendee(twin_a, now, "desk").await?;
    let mut twin_b = NewAttendee::new("Awa", "Coulibaly-Berg", "EXH".parse()?);
    twin_b.birth_date = Some(date(1961, 11, 30));
    let twin_b = api.create_attendee(twin_b, now, "desk").await?;
    let unknown = api
        .create_attendee(
            NewAttendee::new("Awa", "Coulibaly-Berg", "VIS".parse()?),
            now,
            "desk",
        )
        .await?;

    let read = api
        .read_document(
            &passport("ZERBO LINDQVIST", "OUMAR", "B12345678", "790301"),
            now,
        )
        .await?;
    assert!(read.mrz.checks_ok);
    assert_eq!(read.matched_by, Some(MatchedBy::DocumentNumber));
    let serials: Vec<&str> = read.matches.iter().map(|h| h.serial.as_str()).collect();
    assert_eq!(serials, [by_number.serial.as_str()]);

    // Same names: the one born on the passport's date, not the other.
    let read = api
        .read_document(&passport("COULIBALY BERG", "AWA", "X9", "900203"), now)
        .await?;
    assert_eq!(read.matched_by, Some(MatchedBy::Name));
    let serials: Vec<&str> = read.matches.iter().map(|h| h.serial.as_str()).collect();
    assert_eq!(serials, [twin_a.serial.as_str()]);

    // Born on neither date: only the record without one may be them.
    let read = api
        .read_document(&passport("COULIBALY BERG", "AWA", "X9", "850505"), now)
        .await?;
    let serials: Vec<&str> = read.matches.iter().map(|h| h.serial.as_str()).collect();
    assert_eq!(serials, [unknown.serial.as_str()]);
    assert_ne!(twin_b.serial, unknown.serial);

    // Nobody: a walk-in.
    let read = api
        .read_document(&passport("TRAORE", "MOUSSA", "ZZ0000001", "700101"), now)
        .await?;
    assert_eq!((read.matched_by, read.matches.len()), (None, 0));
    Ok(())
}
