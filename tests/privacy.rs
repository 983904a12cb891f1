//! Personal data on a real SQLite file: erasing one attendee keeps every
//! count and removes their name from search, export, roll-call and audit;
//! purging erases everyone after the event; the export of one person holds
//! everything this station knows about them.

use gatehouse::api::StationConfig;
use gatehouse::event::ZoneCode;
use gatehouse::gate::{Decision, Direction};
use gatehouse::registry::privacy::ERASED_NAME;
use gatehouse::serial::BadgeSerial;
use gatehouse::{Api, Error, Result};
use jiff::Timestamp;
use serde_json::Value;

fn missing(what: &str) -> Error {
    Error::NotFound(what.into())
}

/// A live demo event (today is its first day) with 20 demo people.
async fn demo_api(dir: &std::path::Path) -> Result<(Api, Timestamp)> {
    let now = Timestamp::now();
    let api = Api::open(&dir.join("gatehouse.db"), StationConfig::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(api.store(), 20, 7, now).await?;
    Ok((api, now))
}

async fn audit_text(api: &Api) -> Result<String> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit ORDER BY seq")
        .fetch_all(api.store().read())
        .await?;
    Ok(rows.join("\n"))
}

#[tokio::test]
async fn erasing_keeps_the_counts_and_removes_the_name_everywhere() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    let hall: ZoneCode = "HALL".parse()?;
    // A walk-in typed at the desk, with a document number, scanned in.
    let mut new = gatehouse::registry::NewAttendee::new("Fatoumata", "Ouologuem", "VIS".parse()?);
    new.doc_number = "ML-PP-998877".into();
    new.email = "f.ouologuem@example.ml".into();
    new.birth_date = Some(jiff::civil::date(1983, 7, 21));
    let person = api.create_attendee(new, now, "desk-1").await?;
    let serial = person.serial.clone();
    // The date of birth is the person's: in their export until the erase.
    let export = api.export_person(&serial, now, "admin").await?;
    let text = String::from_utf8(export.bytes).map_err(|e| Error::Internal(e.to_string()))?;
    assert!(text.contains("\"birth_date\": \"1983-07-21\""), "{text}");
    let token = api.token(&serial, now, "desk-1").await?.token;
    let other = BadgeSerial::new("BMX", 1)?;
    let other_token = api.token(&other, now, "desk-1").await?.token;
    for t in [&token, &other_token] {
        let out = api
            .scan(t, &hall, Direction::In, now, None, "gate-1")
            .await?;
        assert_eq!(out.verdict.decision, Decision::Admit);
    }
    let inside = |d: &gatehouse::console::dashboard::Dashboard| {
        d.zones.iter().find(|z| z.zone == "HALL").map(|z| z.inside)
    };
    let before = api.dashboard(now).await?;
    assert_eq!(inside(&before), Some(2));
    assert_eq!(api.search("ouologuem", 10).await?.len(), 1);

    let erased = api.erase_person(&serial, now, "admin").await?;
    assert!(erased.revoked);
    assert_eq!(
        erased.audit_still_naming, 0,
        "its creation was audited by number"
    );

    // Counts stay: the dashboard, the scan log, the roll-call.
    let after = api.dashboard(now).await?;
    assert_eq!(inside(&after), Some(2));
    assert_eq!(after.zones, before.zones);
    assert_eq!(api.scans(None, Some(&serial)).await?.len(), 1);
    let roll = api.rollcall(&hall, now).await?;
    let entry = roll
        .entries
        .iter()
        .find(|e| e.serial == serial)
        .ok_or_else(|| missing("the erased person is still counted inside"))?;
    assert_eq!(entry.family_name, ERASED_NAME);
    assert!(roll.entries.iter().all(|e| !e.name.contains("Ouologuem")));

    // The name is gone: search, the registry, the export, the audit log.
    for q in ["ouologuem", "fatoumata", "ML-PP-998877", "f.ouologuem"] {
        assert!(api.search(q, 10).await?.is_empty(), "{q} still finds them");
    }
    let hits = api.search(serial.as_str(), 10).await?;
    assert_eq!(hits.len(), 1, "the tombstone is found by its badge number");
    let stored = api.attendee(&serial, "desk-1", now).await?;
    assert_eq!(
        (
            stored.given_names.as_str(),
            stored.doc_number.as_str(),
            stored.email.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(stored.birth_date, None);
    let kept: Option<String> =
        sqlx::query_scalar("SELECT birth_date FROM attendee WHERE serial = ?")
            .bind(serial.as_str())
            .fetch_one(api.store().read())
            .await?;
    assert_eq!(kept, None);
    assert_eq!(stored.category.as_str(), "VIS");
    let export = api.export_person(&serial, now, "admin").await?;
    let text = String::from_utf8(export.bytes).map_err(|e| Error::Internal(e.to_string()))?;
    for word in [
        "Ouologuem",
        "Fatoumata",
        "998877",
        "example.ml",
        "1983-07-21",
    ] {
        assert!(!text.contains(word), "the export still holds {word}");
    }
    let audit = audit_text(&api).await?;
    for word in ["Ouologuem", "Fatoumata", "998877", "1983-07-21"] {
        assert!(!audit.contains(word), "the audit log still holds {word}");
    }
    assert!(audit.contains(&format!("\"serial\":\"{serial}\"")));
    assert_eq!(api.audit_verify().await?.first_bad, None);

    // The badge is refused at the gate, revoked as "erased".
    let rows = api.revocations().await?;
    let rev = rows
        .iter()
        .find(|r| r.serial == serial.as_str())
        .ok_or_else(|| missing("revocation"))?;
    assert_eq!(rev.reason, "erased");
    let out = api
        .scan(&token, &hall, Direction::Out, now, None, "gate-1")
        .await?;
    assert_eq!(out.verdict.decision, Decision::Deny);

    // Twice is refused, naming when.
    let again = api.erase_person(&serial, now, "admin").await;
    assert!(
        matches!(again, Err(e) if e.code() == gatehouse::error::ErrorCode::Conflict && e.to_string().contains(serial.as_str()))
    );
    Ok(())
}

#[tokio::test]
async fn purging_needs_the_event_name_and_erases_everyone() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    let first = BadgeSerial::new("BMX", 1)?;
    let name = api.attendee(&first, "desk-1", now).await?.family_name;
    let second = BadgeSerial::new("BMX", 2)?;
    let mut fields = api.attendee(&second, "desk-1", now).await?.fields();
    fields.birth_date = Some(jiff::civil::date(1970, 1, 2));
    api.update_attendee(&second, fields, now, "desk-1").await?;
    api.erase_person(&first, now, "admin").await?;

    let wrong = api.purge_people("BAMEX", now, "admin").await;
    assert!(
        matches!(&wrong, Err(e) if e.code() == gatehouse::error::ErrorCode::BadInput && e.to_string().contains("BAMEX'25")),
        "{wrong:?}"
    );
    assert_eq!(api.search(&name, 50).await?.len(), 0);
    assert!(!api.search("a", 50).await?.is_empty(), "nothing purged yet");

    let purge = api.purge_people(" bamex'25 ", now, "admin").await?;
    assert_eq!(
        (purge.erased, purge.already_erased, purge.revoked),
        (19, 1, 19)
    );
    let all = gatehouse::registry::all(api.store().read()).await?;
    assert_eq!(all.len(), 20, "tombstones stay, counted");
    assert!(all
        .iter()
        .all(|a| a.family_name == ERASED_NAME && a.given_names.is_empty() && !a.has_photo));
    let photos: i64 = sqlx::query_scalar("SELECT count(*) FROM attendee WHERE photo IS NOT NULL")
        .fetch_one(api.store().read())
        .await?;
    assert_eq!(photos, 0);
    let born: i64 =
        sqlx::query_scalar("SELECT count(*) FROM attendee WHERE birth_date IS NOT NULL")
            .fetch_one(api.store().read())
            .await?;
    assert_eq!(born, 0, "no date of birth outlives the purge");
    assert_eq!(api.revocations().await?.len(), 20);
    assert_eq!(api.audit_verify().await?.first_bad, None);
    Ok(())
}

#[tokio::test]
async fn the_export_of_one_person_holds_all_this_station_knows() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    let hall: ZoneCode = "HALL".parse()?;
    let serial = BadgeSerial::new("BMX", 2)?;
    let person = api.attendee(&serial, "desk-1", now).await?;
    let token = api.token(&serial, now, "desk-1").await?.token;
    api.reprint(&serial, now, "desk-1").await?;
    api.scan(&token, &hall, Direction::In, now, None, "gate-1")
        .await?;

    let file = api.export_person(&serial, now, "admin").await?;
    assert_eq!(file.name, format!("person-{serial}.json"));
    let doc: Value =
        serde_json::from_slice(&file.bytes).map_err(|e| Error::Internal(e.to_string()))?;
    assert_eq!(doc["format"], "gatehouse.person/1");
    assert_eq!(doc["attendee"]["family_name"], person.family_name.as_str());
    assert_eq!(doc["attendee"]["serial"], serial.as_str());
    assert_eq!(doc["badges"].as_array().map(Vec::len), Some(2));
    let scans = doc["scans"].as_array().ok_or_else(|| missing("scans"))?;
    assert_eq!(scans.len(), 1);
    assert_eq!(
        scans[0]["reason"], "superseded",
        "the first version was reprinted"
    );
    assert_eq!(doc["erased_at"], Value::Null);
    let actions: Vec<&str> = doc["audit"]
        .as_array()
        .ok_or_else(|| missing("audit"))?
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"badge.issue"), "{actions:?}");
    if person.has_photo {
        let photo = doc["photo_jpeg_base64"]
            .as_str()
            .ok_or_else(|| missing("photo"))?;
        assert!(photo.starts_with("/9j/"), "a JPEG in base64");
    }
    let nobody = api
        .export_person(&BadgeSerial::new("BMX", 999)?, now, "admin")
        .await;
    assert!(matches!(nobody, Err(e) if e.code() == gatehouse::error::ErrorCode::NotFound));
    Ok(())
}

/// A database from before audit details held numbers only: its creation
/// entry names the person, cannot be rewritten, and the erase says so.
#[tokio::test]
async fn an_older_audit_entry_naming_the_person_is_counted_not_hidden() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    let serial = BadgeSerial::new("BMX", 3)?;
    let name = api.attendee(&serial, "desk-1", now).await?.display_name();
    let mut tx = api.store().write().await?;
    gatehouse::audit::append(
        &mut tx,
        now,
        "desk-1",
        "attendee.create",
        &serde_json::json!({ "serial": serial, "name": name, "category": "VIS" }),
    )
    .await?;
    tx.commit().await?;
    let erased = api.erase_person(&serial, now, "admin").await?;
    assert_eq!(erased.audit_still_naming, 1);
    assert_eq!(api.audit_verify().await?.first_bad, None);
    Ok(())
}

/// Vetting decisions (issue 16): their reasons are in the person's export,
/// erased with the person, and never in the audit chain (which keeps the
/// decision's id and a digest of its reason, and still verifies).
#[tokio::test]
async fn vetting_reasons_are_exported_and_erased_with_the_person() -> Result<()> {
    use gatehouse::vetting::Accreditation;
    use gatehouse::vetting_store::DecisionRequest;
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    // Two people of vetted categories (the demo vets every one but VIS).
    let vetted: Vec<BadgeSerial> = gatehouse::registry::attendee::all(api.store().read())
        .await?
        .into_iter()
        .filter(|a| a.category.as_str() != "VIS")
        .map(|a| a.serial)
        .take(2)
        .collect();
    let [serial, other] = vetted.as_slice() else {
        return Err(missing("two vetted people"));
    };
    let (serial, other) = (serial.clone(), other.clone());
    let why = "fiche S-4411 : frère du sujet, vérifié par la DGSE";
    for (s, status, reason) in [
        (&serial, Accreditation::InReview, "transmis aux services"),
        (&serial, Accreditation::MoreInfo, why),
        (&other, Accreditation::Cleared, "rien à signaler"),
    ] {
        api.vetting_decide(
            &[DecisionRequest {
                serial: s.clone(),
                status,
                reason: reason.into(),
            }],
            now,
            "officier",
        )
        .await?;
    }
    assert!(
        !audit_text(&api).await?.contains(why),
        "a reason in the audit chain"
    );

    let export = api.export_person(&serial, now, "admin").await?;
    let doc: Value =
        serde_json::from_slice(&export.bytes).map_err(|e| Error::Internal(e.to_string()))?;
    let vetting = doc["vetting"]
        .as_array()
        .ok_or_else(|| missing("vetting"))?;
    assert_eq!(vetting.len(), 2, "{vetting:?}");
    assert_eq!(vetting[1]["status"], "more_info");
    assert_eq!(vetting[1]["reason"], why);
    assert_eq!(vetting[1]["by"], "officier");

    api.erase_person(&serial, now, "admin").await?;
    let reasons: Vec<(String, String)> =
        sqlx::query_as("SELECT serial, reason FROM vetting_decision ORDER BY at_ms, id")
            .fetch_all(api.store().read())
            .await?;
    assert_eq!(reasons.len(), 3, "the decisions stay: {reasons:?}");
    for (s, r) in &reasons {
        if s == serial.as_str() {
            assert_eq!(r, ERASED_NAME);
        } else {
            assert_eq!(r, "rien à signaler", "another person's reason stays");
        }
    }
    let export = api.export_person(&serial, now, "admin").await?;
    let text = String::from_utf8(export.bytes).map_err(|e| Error::Internal(e.to_string()))?;
    assert!(
        !text.contains(why) && !text.contains("transmis aux services"),
        "{text}"
    );
    // Still: a decision's status, time or author never changes.
    let changed = sqlx::query("UPDATE vetting_decision SET status = 'cleared' WHERE serial = ?")
        .bind(serial.as_str())
        .execute(api.store().read())
        .await;
    assert!(changed.is_err(), "a decision changed");
    assert_eq!(api.audit_verify().await?.first_bad, None);
    Ok(())
}

/// The vetting screen reveals a document number row by row: each reveal is
/// an audit entry naming the badge and the officer, never the number; a
/// person outside the vetting queue is refused.
#[tokio::test]
async fn a_document_number_revealed_for_vetting_is_audited() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let (api, now) = demo_api(dir.path()).await?;
    let mut new = gatehouse::registry::NewAttendee::new("Awa", "Keïta", "EXH".parse()?);
    new.doc_type = "passport".into();
    new.doc_number = "ML-PP-445566".into();
    let person = api.create_attendee(new, now, "desk-1").await?;
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE action = 'attendee.document_read'")
            .fetch_one(api.store().read())
            .await?;
    let shown = api
        .vetting_reveal_document(&person.serial, now, "Officier (s-1)")
        .await?;
    assert_eq!(shown.doc_number, "ML-PP-445566");
    assert_eq!(shown.doc_type, "passport");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor, detail FROM audit WHERE action = 'attendee.document_read' ORDER BY seq",
    )
    .fetch_all(api.store().read())
    .await?;
    assert_eq!(rows.len() as i64, before + 1);
    let (actor, detail) = rows.last().ok_or_else(|| missing("audit entry"))?;
    assert_eq!(actor, "Officier (s-1)");
    assert!(
        detail.contains(person.serial.as_str()) && detail.contains("vetting"),
        "{detail}"
    );
    assert!(
        !audit_text(&api).await?.contains("445566"),
        "the number in the audit chain"
    );
    // A visitor (not vetted) is not in the queue: nothing revealed.
    let visitor = api
        .create_attendee(
            gatehouse::registry::NewAttendee::new("Jean", "Dupont", "VIS".parse()?),
            now,
            "desk-1",
        )
        .await?;
    let refused = api
        .vetting_reveal_document(&visitor.serial, now, "Officier (s-1)")
        .await;
    assert!(
        matches!(&refused, Err(e) if e.code() == gatehouse::error::ErrorCode::BadInput),
        "{refused:?}"
    );
    Ok(())
}
