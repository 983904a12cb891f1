//! The SQLite replica through the protocol, in-process: a desk database
//! with the demo event, a hub and a fresh gate converge, and what reaches
//! the gate is usable there (event, keys, badges, revocations, attendees).

use gatehouse::gate::Direction;
use gatehouse::serial::BadgeSerial;
use gatehouse::staff::Role;
use gatehouse::store::Store;
use gatehouse::sync::policy::Roster;
use gatehouse::sync::protocol::{serve, Outcome, Replica, Session};
use gatehouse::sync::store::SqliteReplica;
use gatehouse::Result;

/// The hub is an admin station; `st` has the role the hub paired it with.
fn roster(st: &SqliteReplica, role: Role, hub: &SqliteReplica) -> Roster {
    [
        (st.station().to_string(), role),
        (hub.station().to_string(), Role::Admin),
    ]
    .into()
}

async fn converge(
    st: &mut SqliteReplica,
    hub: &mut SqliteReplica,
    role: Role,
    now: jiff::Timestamp,
) -> Result<usize> {
    let roster = roster(st, role, hub);
    converge_with(st, hub, role, roster, now).await
}

/// [`converge`] on a hub that has paired the stations of `roster`.
async fn converge_with(
    st: &mut SqliteReplica,
    hub: &mut SqliteReplica,
    role: Role,
    roster: Roster,
    now: jiff::Timestamp,
) -> Result<usize> {
    let ms = u64::try_from(now.as_millisecond()).unwrap_or(0);
    let mut session = Session {
        role: Some(role),
        ..Session::default()
    };
    let mut got = 0;
    for _ in 0..50 {
        st.capture(now).await?;
        hub.capture(now).await?;
        let req = session.request(st, ms).await?;
        let station = st.station().to_string();
        let resp = serve(hub, &roster, &station, &req, ms).await?.response;
        match session.receive(st, &resp, ms).await? {
            Outcome::Synced { received, more } => {
                got += received;
                if !more {
                    return Ok(got);
                }
            }
            Outcome::Refused(skew) => panic!("refused: {skew}"),
        }
    }
    panic!("did not converge in 50 rounds")
}

#[tokio::test]
async fn a_fresh_gate_receives_the_event_keys_badges_and_revocations_and_sends_its_scans(
) -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let desk = Store::open(&dir.path().join("hub.db")).await?;
    let first = gatehouse::demo::today_at_venue(now)?;
    gatehouse::demo::install(&desk, first, now).await?;
    gatehouse::registry::demo::install(&desk, 5, 1, now).await?;
    let serial: BadgeSerial = "BMX-000001".parse()?;
    let other: BadgeSerial = "BMX-000002".parse()?;
    let token = gatehouse::badge_issue::token(&desk, &serial, now, "desk")
        .await?
        .token;
    let token2 = gatehouse::badge_issue::token(&desk, &other, now, "desk")
        .await?
        .token;
    gatehouse::badge_issue::revoke(&desk, &other, "lost", now, "chief").await?;
    // A badge sent to the desk's printer (print::send writes this row).
    let mut tx = desk.write().await?;
    sqlx::query(
        "INSERT INTO print_log (serial, version, format, printer, job, printed_by, printed_at)
         VALUES ('BMX-000001', 1, 'a6', 'Accueil', 'Accueil-12', 'desk', ?)",
    )
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    let gate = Store::open(&dir.path().join("gate.db")).await?;
    let mut hub = SqliteReplica::open(&desk).await?;
    let mut st = SqliteReplica::open(&gate).await?;
    let received = converge(&mut st, &mut hub, Role::Admin, now).await?;
    assert!(received > 5, "the gate received only {received} entries");

    let event = gatehouse::event_store::load(gate.read()).await?;
    let zone: gatehouse::event::ZoneCode = "HALL".parse()?;
    let out = gatehouse::scan_log::scan(
        &gate,
        &event,
        &token,
        &zone,
        Direction::In,
        now,
        None,
        "gate",
    )
    .await?;
    assert_eq!(out.verdict.decision.as_str(), "admit", "{:?}", out.verdict);
    let revoked = gatehouse::scan_log::scan(
        &gate,
        &event,
        &token2,
        &zone,
        Direction::In,
        now,
        None,
        "gate",
    )
    .await?;
    assert_eq!(revoked.verdict.reason.as_str(), "revoked");
    let people = gatehouse::registry::get(gate.read(), &serial).await?;
    assert!(!people.family_name.is_empty());

    let printed = || async {
        sqlx::query_as::<_, (String, String, String)>(
            "SELECT serial, job, outcome FROM print_log ORDER BY id",
        )
        .fetch_all(gate.read())
        .await
    };
    assert_eq!(
        printed().await?,
        vec![("BMX-000001".into(), "Accueil-12".into(), "sent".into())],
        "the desk's print log reaches the gate"
    );
    let mut tx = desk.write().await?;
    sqlx::query(
        "UPDATE print_log SET outcome = 'completed', finished_at = ? WHERE job = 'Accueil-12'",
    )
    .bind(now.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    converge(&mut st, &mut hub, Role::Admin, now).await?;
    assert_eq!(
        printed().await?[0].2,
        "completed",
        "and then how the job ended"
    );
    let on_hub = gatehouse::scan_log::list(&desk, None, None).await?;
    assert_eq!(on_hub.len(), 2, "the gate's scans reach the hub");
    // A second pass moves nothing: the event and the attendees are not
    // re-logged after being applied.
    let again = st.capture(now).await?;
    if again > 0 {
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM sync_entry ORDER BY rowid DESC LIMIT ?")
                .bind(again as i64)
                .fetch_all(gate.read())
                .await?;
        panic!("re-logged after applying: {bodies:?}");
    }
    assert_eq!(converge(&mut st, &mut hub, Role::Admin, now).await?, 0);
    Ok(())
}

/// Scans, badge versions and revocations in each database's log, and
/// whether each was logged once, under the station that made it.
async fn logged_once(store: &Store) -> Result<(i64, i64, i64)> {
    let scans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scan")
        .fetch_one(store.read())
        .await?;
    let entries: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sync_entry e JOIN scan s ON s.id = e.key
         WHERE e.kind = 'scan' AND e.origin = s.station",
    )
    .fetch_one(store.read())
    .await?;
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_outbox")
        .fetch_one(store.read())
        .await?;
    Ok((scans, entries, waiting))
}

#[tokio::test]
async fn each_fact_is_logged_once_by_the_station_that_made_it_even_across_a_restart() -> Result<()>
{
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let desk = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&desk, gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(&desk, 6, 1, now).await?;
    let mut tokens = Vec::new();
    for n in 1..=6 {
        let serial = BadgeSerial::new("BMX", n)?;
        tokens.push(
            gatehouse::badge_issue::token(&desk, &serial, now, "desk")
                .await?
                .token,
        );
    }
    let gate_db = dir.path().join("gate.db");
    let gate = Store::open(&gate_db).await?;
    let mut hub = SqliteReplica::open(&desk).await?;
    let mut st = SqliteReplica::open(&gate).await?;
    converge(&mut st, &mut hub, Role::Admin, now).await?;
    let event = gatehouse::event_store::load(gate.read()).await?;
    let zone: gatehouse::event::ZoneCode = "HALL".parse()?;
    let scan = |store: Store, token: String| {
        let event = event.clone();
        let zone = zone.clone();
        async move {
            gatehouse::scan_log::scan(
                &store,
                &event,
                &token,
                &zone,
                Direction::In,
                now,
                None,
                "op",
            )
            .await
        }
    };
    // Three scans at the gate, then it stops before any capture (as a
    // killed process would): what it recorded is still waiting to be logged.
    for t in &tokens[..3] {
        scan(gate.clone(), t.clone()).await?;
    }
    drop(st);
    gate.close().await;
    let gate = Store::open(&gate_db).await?;
    let mut st = SqliteReplica::open(&gate).await?;
    assert_eq!(logged_once(&gate).await?, (3, 0, 3));
    // Meanwhile the hub scans too, and revokes a badge.
    for t in &tokens[3..5] {
        scan(desk.clone(), t.clone()).await?;
    }
    let revoked = BadgeSerial::new("BMX", 6)?;
    gatehouse::badge_issue::revoke(&desk, &revoked, "lost", now, "chief").await?;
    converge(&mut st, &mut hub, Role::Admin, now).await?;
    // Every scan is everywhere, logged once under the station that made it:
    // what a station received is never logged again as its own.
    assert_eq!(logged_once(&gate).await?, (5, 5, 0));
    assert_eq!(logged_once(&desk).await?, (5, 5, 0));
    for store in [&gate, &desk] {
        let revocations: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sync_entry WHERE kind = 'revocation'")
                .fetch_one(store.read())
                .await?;
        assert_eq!(revocations, 1);
    }
    assert_eq!(st.capture(now).await?, 0, "nothing new to log");
    assert_eq!(hub.capture(now).await?, 0, "nothing new to log");
    // A scan after that: only it is logged.
    scan(gate.clone(), tokens[5].clone()).await?;
    assert_eq!(st.capture(now).await?, 1);
    Ok(())
}

#[tokio::test]
async fn large_entries_travel_in_several_messages_of_bounded_size() -> Result<()> {
    use gatehouse::sync::protocol::{Entry, Replica, Response, SyncRecord};
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let ms = u64::try_from(now.as_millisecond()).unwrap_or(0);
    let hub_store = Store::open(&dir.path().join("hub.db")).await?;
    let st_store = Store::open(&dir.path().join("st.db")).await?;
    let mut hub = SqliteReplica::open(&hub_store).await?;
    let mut st = SqliteReplica::open(&st_store).await?;
    // 100 photos of 100 KB held by the hub, as if from another desk: 10 MB,
    // more than one message carries.
    let photos: Vec<Entry> = (1..=100)
        .map(|i| Entry {
            origin: "desk-x".into(),
            seq: i,
            record: SyncRecord::Photo {
                sha256: format!("{i:064x}"),
                jpeg: "A".repeat(100_000),
            },
        })
        .collect();
    assert_eq!(hub.apply(&photos).await?, 100);

    let mut session = Session::default();
    let mut answers = 0;
    loop {
        let req = session.request(&mut st, ms).await?;
        let station = st.station().to_string();
        let roster = roster(&st, Role::Gate, &hub);
        let resp = serve(&mut hub, &roster, &station, &req, ms).await?.response;
        let size = serde_json::to_vec(&resp).map(|v| v.len()).unwrap_or(0);
        assert!(size < 9 * 1024 * 1024, "an answer of {size} bytes");
        let Response::Ok { entries, .. } = &resp;
        answers += usize::from(!entries.is_empty());
        match session.receive(&mut st, &resp, ms).await? {
            Outcome::Synced { more: true, .. } => {}
            Outcome::Synced { more: false, .. } => break,
            Outcome::Refused(skew) => panic!("refused: {skew}"),
        }
    }
    assert!(answers >= 2, "{answers} answers carried the photos");
    assert_eq!(st.have().await?.get("desk-x"), 100, "every photo arrived");
    Ok(())
}

/// Every entry body in a station's log, as text.
async fn bodies(store: &Store) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT body FROM sync_entry")
        .fetch_all(store.read())
        .await?)
}

#[tokio::test]
async fn an_erase_leaves_no_personal_data_in_any_stations_sync_log() -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let desk = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&desk, gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(&desk, 5, 1, now).await?;
    let gate = Store::open(&dir.path().join("gate.db")).await?;
    let mut hub = SqliteReplica::open(&desk).await?;
    let mut st = SqliteReplica::open(&gate).await?;
    // The demo's first attendee with a photo of their own (demo portraits
    // repeat; a photo another attendee shows keeps its bytes).
    let serial: BadgeSerial = "BMX-000001".parse()?;
    let own = gatehouse::registry::photo::encode(&image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    }))?;
    let person = gatehouse::registry::set_photo(&desk, &serial, &own.jpeg, "desk", now).await?;
    let sha = person.photo_sha256.clone().expect("a photo was set");
    // A badge issued: its version's claims travel with the holder's name.
    gatehouse::badge_issue::token(&desk, &serial, now, "desk").await?;
    converge(&mut st, &mut hub, Role::Admin, now).await?;
    for store in [&desk, &gate] {
        let all = bodies(store).await?;
        assert!(all.iter().any(|b| b.contains(&person.family_name)));
        assert!(
            all.iter()
                .any(|b| b.contains("badge_issue") && b.contains(&person.family_name)),
            "the badge issue carries its claims"
        );
        assert!(all
            .iter()
            .any(|b| b.contains(&sha) && b.contains("\"jpeg\":\"/9j/")));
    }

    let later = now + jiff::SignedDuration::from_secs(1);
    gatehouse::registry::privacy::erase(&desk, &serial, later, "chief").await?;
    converge(&mut st, &mut hub, Role::Admin, later).await?;
    for (name, store) in [("desk", &desk), ("gate", &gate)] {
        for body in bodies(store).await? {
            assert!(
                !body.contains(&person.family_name) && !body.contains(&person.given_names),
                "a name is left in {name}'s log: {body}"
            );
            assert!(
                !(body.contains(&sha) && body.contains("\"jpeg\":\"/9j/")),
                "the photo is left in {name}'s log: {}",
                &body[..body.len().min(300)]
            );
        }
    }
    // Both logs still hold the same entries, and the gate shows the tombstone.
    use gatehouse::sync::protocol::Replica;
    assert_eq!(hub.have().await?, st.have().await?);
    let erased = gatehouse::registry::get(gate.read(), &serial).await?;
    assert!(!erased.has_photo);
    assert_ne!(erased.family_name, person.family_name);
    Ok(())
}

#[tokio::test]
async fn the_badge_template_saved_at_one_desk_is_the_one_every_desk_prints() -> Result<()> {
    use gatehouse::badge::template_store;
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let hub_db = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&hub_db, gatehouse::demo::today_at_venue(now)?, now).await?;
    let desk_db = Store::open(&dir.path().join("desk.db")).await?;
    let mut hub = SqliteReplica::open(&hub_db).await?;
    // The merge writes what arrives at the time the replica is given (here
    // a fixed one), not at a clock it reads itself.
    fn arrived() -> jiff::Timestamp {
        jiff::Timestamp::constant(1_762_936_200, 0)
    }
    let mut desk = SqliteReplica::open(&desk_db).await?.with_clock(arrived);
    converge(&mut desk, &mut hub, Role::Admin, now).await?;

    // The organiser saves a new title on the hub's console.
    let mut settings = template_store::settings(hub_db.read()).await?;
    settings.event = "BAMEX'25 — Jour J".into();
    template_store::save(&hub_db, &settings, "admin", now).await?;
    converge(&mut desk, &mut hub, Role::Admin, now).await?;
    assert_eq!(
        template_store::settings(desk_db.read()).await?.event,
        "BAMEX'25 — Jour J",
        "the desk prints with the hub's template"
    );
    let (updated_at, by): (String, String) =
        sqlx::query_as("SELECT updated_at, updated_by FROM badge_template WHERE id = 1")
            .fetch_one(desk_db.read())
            .await?;
    assert_eq!(updated_at, arrived().to_string(), "written by {by}");

    // A later edit at the desk wins everywhere, and nothing echoes back.
    let later = now + jiff::SignedDuration::from_secs(5);
    settings.subtitle = "Bamako, hall 2".into();
    template_store::save(&desk_db, &settings, "admin", later).await?;
    converge(&mut desk, &mut hub, Role::Admin, later).await?;
    converge(&mut desk, &mut hub, Role::Admin, later).await?;
    let at_hub = template_store::settings(hub_db.read()).await?;
    assert_eq!(at_hub.subtitle, "Bamako, hall 2");
    assert_eq!(at_hub.event, "BAMEX'25 — Jour J");
    assert_eq!(
        converge(&mut desk, &mut hub, Role::Admin, later).await?,
        0,
        "a template already held is not sent again"
    );
    Ok(())
}

#[tokio::test]
async fn staff_set_up_on_the_hub_sign_in_at_a_fresh_gate_and_a_disabled_account_stops_everywhere(
) -> Result<()> {
    use gatehouse::console::setup::{create_staff, update_staff, StaffChange};
    use gatehouse::staff::Role;
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let hub_db = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&hub_db, gatehouse::demo::today_at_venue(now)?, now).await?;
    let officer = create_staff(
        &hub_db,
        StaffChange {
            name: Some("Moussa Keïta".into()),
            role: Some(Role::Gate),
            active: None,
            pin: Some("482913".into()),
            based_on: None,
        },
        now,
        "admin",
    )
    .await?;
    let gate_db = Store::open(&dir.path().join("gate.db")).await?;
    let mut hub = SqliteReplica::open(&hub_db).await?;
    let mut gate = SqliteReplica::open(&gate_db).await?;
    converge(&mut gate, &mut hub, Role::Gate, now).await?;

    let (caller, _) =
        gatehouse::auth::staff_by_pin(gate_db.read(), &officer.id, "482913", Some(Role::Gate))
            .await?;
    assert!(
        matches!(&caller, gatehouse::auth::Caller::Staff { name, role: Role::Gate, .. } if name == "Moussa Keïta"),
        "signed in as {caller:?}"
    );
    // The gate holds the gate's and supervisors' hashes only; the others'
    // accounts arrive inactive, without one, and the gate sends none back.
    let held: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT role, pin_hash, active FROM staff ORDER BY role")
            .fetch_all(gate_db.read())
            .await?;
    for (role, hash, active) in &held {
        let gate_side = role == "gate" || role == "supervisor";
        assert_eq!(
            (hash.is_empty(), *active == 0),
            (!gate_side, !gate_side),
            "{role}: {held:?}"
        );
    }
    assert_eq!(held.len(), 5, "{held:?}");
    assert_eq!(
        converge(&mut gate, &mut hub, Role::Gate, now).await?,
        0,
        "nothing moves again"
    );
    let aside: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_held")
        .fetch_one(hub_db.read())
        .await?;
    assert_eq!(aside, 0, "the gate sent no account of its own");

    // The console disables the account: the gate refuses the PIN after sync.
    let later = now + jiff::SignedDuration::from_secs(5);
    update_staff(
        &hub_db,
        &officer.id,
        StaffChange {
            active: Some(false),
            ..StaffChange::default()
        },
        later,
        "admin",
    )
    .await?;
    converge(&mut gate, &mut hub, Role::Gate, later).await?;
    assert!(
        gatehouse::auth::staff_by_pin(gate_db.read(), &officer.id, "482913", Some(Role::Gate))
            .await
            .is_err(),
        "a disabled account still signs in at the gate"
    );
    assert_eq!(
        converge(&mut gate, &mut hub, Role::Gate, later).await?,
        0,
        "an account already held is not sent again"
    );
    Ok(())
}

/// The attendee as a desk's form would send it back, unchanged.
fn as_form(a: &gatehouse::registry::Attendee) -> gatehouse::registry::NewAttendee {
    gatehouse::registry::NewAttendee {
        external_ref: a.external_ref.clone(),
        given_names: a.given_names.clone(),
        family_name: a.family_name.clone(),
        organisation: a.organisation.clone(),
        job_title: a.job_title.clone(),
        country: a.country.clone(),
        category: a.category.clone(),
        delegation: a.delegation.clone(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        doc_type: a.doc_type.clone(),
        doc_number: a.doc_number.clone(),
        birth_date: a.birth_date,
        zones_override: a.zones_override.clone(),
        days_override: a.days_override.clone(),
        notes: a.notes.clone(),
    }
}

#[tokio::test]
async fn two_desks_editing_one_person_offline_end_with_what_the_merge_rule_says() -> Result<()> {
    use gatehouse::sync::protocol::{attendee_fields, Replica, VersionVector};
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let hub_store = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&hub_store, gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(&hub_store, 3, 1, now).await?;
    let a_store = Store::open(&dir.path().join("a.db")).await?;
    let b_store = Store::open(&dir.path().join("b.db")).await?;
    let mut hub = SqliteReplica::open(&hub_store).await?;
    let mut a = SqliteReplica::open(&a_store).await?;
    let mut b = SqliteReplica::open(&b_store).await?;
    converge(&mut a, &mut hub, Role::Desk, now).await?;
    converge(&mut b, &mut hub, Role::Desk, now).await?;

    // Both desks, cut off, edit the same person: the phone on both, the
    // email on one, the organisation on the other; B's edit comes later.
    let serial: BadgeSerial = "BMX-000001".parse()?;
    let t1 = now + jiff::SignedDuration::from_secs(5);
    let t2 = now + jiff::SignedDuration::from_secs(9);
    let mut on_a = as_form(&gatehouse::registry::get(a_store.read(), &serial).await?);
    on_a.phone = "+223 70 00 00 01".into();
    on_a.email = "a@desk.ml".into();
    gatehouse::registry::update(&a_store, &serial, on_a, "desk-a", t1).await?;
    // Each desk logs its edits as it makes them (`sync --watch` does, offline too).
    a.capture(t1).await?;
    let mut on_b = as_form(&gatehouse::registry::get(b_store.read(), &serial).await?);
    on_b.phone = "+223 70 00 00 02".into();
    on_b.organisation = "Douanes".into();
    gatehouse::registry::update(&b_store, &serial, on_b, "desk-b", t2).await?;
    b.capture(t2).await?;

    // B syncs first, then A, then B again: every order must end alike.
    // The hub has paired both desks.
    let paired: Roster = [
        (a.station().to_string(), Role::Desk),
        (b.station().to_string(), Role::Desk),
        (hub.station().to_string(), Role::Admin),
    ]
    .into();
    converge_with(&mut b, &mut hub, Role::Desk, paired.clone(), t2).await?;
    converge_with(&mut a, &mut hub, Role::Desk, paired.clone(), t2).await?;
    converge_with(&mut b, &mut hub, Role::Desk, paired, t2).await?;
    let log: Vec<_> = hub
        .entries_after(&VersionVector::default(), 100_000)
        .await?;
    let want = attendee_fields(log.iter().map(|e| &e.record));
    let id = gatehouse::registry::get(hub_store.read(), &serial)
        .await?
        .id
        .to_string();
    let field = |f: &str| want[&id][f].1.clone().unwrap_or_default();
    assert_eq!(field("phone"), "+223 70 00 00 02", "the later edit's phone");
    assert_eq!(field("email"), "a@desk.ml");
    assert_eq!(field("organisation"), "Douanes");
    for (name, store) in [
        ("hub", &hub_store),
        ("desk A", &a_store),
        ("desk B", &b_store),
    ] {
        let held = gatehouse::registry::get(store.read(), &serial).await?;
        assert_eq!(
            (
                held.phone.as_str(),
                held.email.as_str(),
                held.organisation.as_str()
            ),
            (
                field("phone").as_str(),
                field("email").as_str(),
                field("organisation").as_str()
            ),
            "{name} holds what the merge rule says"
        );
    }
    Ok(())
}

/// Every row of `table` in one text, ordered, rowids left out where they are
/// only the order rows came in.
async fn table(store: &Store, table: &str) -> Result<String> {
    let cols: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM pragma_table_info('{table}') WHERE name NOT IN ('rowid', 'seen_id')"
    ))
    .fetch_all(store.read())
    .await?;
    let quoted: Vec<String> = cols.iter().map(|c| format!("quote({c})")).collect();
    let rows: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT {} AS row FROM {table} ORDER BY row",
        quoted.join(" || '|' || ")
    ))
    .fetch_all(store.read())
    .await?;
    Ok(rows.join("\n"))
}

/// Each of `tables` holds the same rows in `batch` as in `single`.
async fn same_tables(batch: &Store, single: &Store, tables: &[&str]) -> Result<()> {
    for t in tables {
        assert_eq!(
            table(batch, t).await?,
            table(single, t).await?,
            "{t}: the batch and entry by entry differ"
        );
    }
    Ok(())
}

/// A registry received as one batch (a new station's first sync takes it
/// so, a statement per thousand rows) leaves exactly what it leaves taken
/// one entry at a time (the path every other edit takes): rows, field
/// clocks, search terms, organisations, badges and their claims, what the
/// station has seen, the badge-number counter. Among the entries: people
/// with and without photos, a run of second edits of people already held,
/// badges issued.
#[tokio::test]
async fn a_registry_received_as_one_batch_is_the_registry_received_entry_by_entry() -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = jiff::Timestamp::now();
    let desk = Store::open(&dir.path().join("desk.db")).await?;
    let first = gatehouse::demo::today_at_venue(now)?;
    gatehouse::demo::install(&desk, first, now).await?;
    gatehouse::registry::demo::install(&desk, 40, 7, now).await?;
    for n in [1, 2, 3, 40] {
        let serial: BadgeSerial = format!("BMX-{n:06}").parse()?;
        gatehouse::badge_issue::token(&desk, &serial, now, "desk").await?;
    }
    let mut log = SqliteReplica::open(&desk).await?;
    log.capture(now).await?;
    // Second edits of three people, logged after the first (a run of edits
    // of people the receiver already holds).
    let later = now + jiff::SignedDuration::from_secs(5);
    for n in [5, 6, 7] {
        let serial: BadgeSerial = format!("BMX-{n:06}").parse()?;
        gatehouse::registry::attendee::set_status(
            &desk,
            &serial,
            gatehouse::registry::attendee::Status::Printed,
            "desk",
            later,
        )
        .await?;
    }
    log.capture(later).await?;
    let entries = log.entries_after(&Default::default(), 100_000).await?;
    let edits = entries
        .iter()
        .filter(|e| {
            matches!(
                e.record,
                gatehouse::sync::protocol::SyncRecord::AttendeeEdit { .. }
            )
        })
        .count();
    assert!(edits > 40, "the desk's log holds {edits} attendee edits");

    fn fixed() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_800_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
    let batch = Store::open(&dir.path().join("batch.db")).await?;
    let fresh = SqliteReplica::open(&batch)
        .await?
        .with_clock(fixed)
        .apply(&entries)
        .await?;
    assert_eq!(fresh, entries.len());
    let single = Store::open(&dir.path().join("single.db")).await?;
    let mut one = SqliteReplica::open(&single).await?.with_clock(fixed);
    for e in &entries {
        one.apply(std::slice::from_ref(e)).await?;
    }
    let people: i64 = sqlx::query_scalar("SELECT count(*) FROM attendee")
        .fetch_one(batch.read())
        .await?;
    assert_eq!(people, 40, "the batch materialised every person");
    same_tables(
        &batch,
        &single,
        &[
            "attendee",
            "sync_field",
            "search_term",
            "organisation_term",
            "organisation",
            "badge",
            "badge_claims",
            "sync_attendee_seen",
            "serial_counter",
            "sync_entry",
        ],
    )
    .await?;
    Ok(())
}

/// A gate's scan, as its log sends it.
fn scan_entry(origin: &str, seq: u64) -> gatehouse::sync::protocol::Entry {
    let n = seq % 97 + 1;
    gatehouse::sync::protocol::Entry {
        origin: origin.to_string(),
        seq,
        record: gatehouse::sync::protocol::SyncRecord::Scan(gatehouse::scan::Scan {
            id: format!("0193a1b2-0000-7000-8000-{seq:012}"),
            station: origin.to_string(),
            seq: i64::try_from(seq).unwrap_or(i64::MAX),
            serial: (seq % 50 != 0).then(|| format!("BMX-{n:06}")),
            version: Some(1),
            zone: if seq % 3 == 0 { "VIP" } else { "HALL" }.into(),
            direction: if seq % 4 == 0 { "out" } else { "in" }.into(),
            decision: if seq % 11 == 0 { "deny" } else { "admit" }.into(),
            reason: "ok".into(),
            at: format!(
                "2026-12-07T{:02}:{:02}:{:02}Z",
                8 + seq / 3600,
                seq / 60 % 60,
                seq % 60
            ),
            operator: "gate".into(),
        }),
    }
}

/// A long run of scans received as one batch (stored and materialised a
/// few hundred to a statement, each statement built while SQLite runs the
/// one before) leaves exactly what it leaves taken one entry at a time:
/// the log, the scans, presence, occupancy, the tallies, the marks. The
/// receiver already holds some of the run, the run names one place twice
/// (the first is kept) and a revocation cuts it in two.
#[tokio::test]
async fn a_long_run_of_scans_received_as_one_batch_is_the_run_received_entry_by_entry() -> Result<()>
{
    let dir = tempfile::tempdir().expect("temp dir");
    let gate = "0193a1b2-0000-7000-8000-00000000aaaa";
    let mut entries: Vec<_> = (1..=1234).map(|s| scan_entry(gate, s)).collect();
    let mut twin = scan_entry(gate, 700);
    if let gatehouse::sync::protocol::SyncRecord::Scan(s) = &mut twin.record {
        s.id = "0193a1b2-0000-7000-8000-0000000twin0".into();
    }
    entries.insert(900, twin);
    entries.insert(
        600,
        gatehouse::sync::protocol::Entry {
            origin: "0193a1b2-0000-7000-8000-00000000bbbb".into(),
            seq: 1,
            record: gatehouse::sync::protocol::SyncRecord::Revocation {
                id: "r-1".into(),
                serial: "BMX-000007".into(),
                reason: "lost".into(),
                revoked_at: "2026-12-07T09:00:00Z".into(),
                revoked_by: "chief".into(),
            },
        },
    );
    let held_before: Vec<_> = entries[300..321].to_vec();

    let batch = Store::open(&dir.path().join("batch.db")).await?;
    let mut many = SqliteReplica::open(&batch).await?;
    assert_eq!(many.apply(&held_before).await?, 21);
    let fresh = many.apply(&entries).await?;
    assert_eq!(fresh, 1234 + 1 - 21, "every place once, the twin not");
    assert_eq!(
        many.apply(&entries).await?,
        0,
        "nothing new the second time"
    );

    let single = Store::open(&dir.path().join("single.db")).await?;
    let mut one = SqliteReplica::open(&single).await?;
    for e in held_before.iter().chain(&entries) {
        one.apply(std::slice::from_ref(e)).await?;
    }
    let scans: i64 = sqlx::query_scalar("SELECT count(*) FROM scan")
        .fetch_one(batch.read())
        .await?;
    assert_eq!(scans, 1234);
    let twin: i64 = sqlx::query_scalar("SELECT count(*) FROM scan WHERE id LIKE '%twin%'")
        .fetch_one(batch.read())
        .await?;
    assert_eq!(twin, 0, "the place was the first entry's");
    same_tables(
        &batch,
        &single,
        &[
            "sync_entry",
            "scan",
            "presence",
            "zone_occupancy",
            "scan_tally",
            "sync_mark",
            "revocation",
        ],
    )
    .await?;
    let inside: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(inside), 0) FROM zone_occupancy")
        .fetch_one(batch.read())
        .await?;
    assert!(inside > 0, "the scans were materialised into presence");
    Ok(())
}
