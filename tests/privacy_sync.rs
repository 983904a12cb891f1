//! An erase reaches the other stations through sync: on a gate that held
//! the attendee, the name, document number and photo are gone and the badge
//! is refused as revoked, while the gate's own scans stay counted.

use gatehouse::gate::Direction;
use gatehouse::serial::BadgeSerial;
use gatehouse::staff::Role;
use gatehouse::store::Store;
use gatehouse::sync::protocol::{serve, Outcome, Replica, Session};
use gatehouse::sync::store::SqliteReplica;
use gatehouse::{Error, Result};

async fn converge(
    st: &mut SqliteReplica,
    hub: &mut SqliteReplica,
    now: jiff::Timestamp,
) -> Result<()> {
    let ms = u64::try_from(now.as_millisecond()).unwrap_or(0);
    let mut session = Session::default();
    // The station is the gate; the hub, where the erase is made, an admin.
    let station = st.station().to_string();
    let roster = [
        (station.clone(), Role::Gate),
        (hub.station().to_string(), Role::Admin),
    ]
    .into();
    for _ in 0..50 {
        st.capture(now).await?;
        hub.capture(now).await?;
        let req = session.request(st, ms).await?;
        let resp = serve(hub, &roster, &station, &req, ms).await?.response;
        match session.receive(st, &resp, ms).await? {
            Outcome::Synced { more: false, .. } => return Ok(()),
            Outcome::Synced { .. } => {}
            Outcome::Refused(skew) => return Err(Error::Internal(format!("refused: {skew}"))),
        }
    }
    Err(Error::Internal("did not converge in 50 rounds".into()))
}

#[tokio::test]
async fn an_erase_on_the_hub_reaches_a_gate() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
    let now = jiff::Timestamp::now();
    let desk = Store::open(&dir.path().join("hub.db")).await?;
    gatehouse::demo::install(&desk, gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(&desk, 5, 1, now).await?;
    let serial: BadgeSerial = "BMX-000001".parse()?;
    let token = gatehouse::badge_issue::token(&desk, &serial, now, "desk")
        .await?
        .token;
    let before = gatehouse::registry::get(desk.read(), &serial).await?;
    assert!(before.has_photo, "demo person 1 has a photo");
    // A date of birth read from their passport: it travels like the document number.
    let mut fields = before.fields();
    fields.birth_date = Some(jiff::civil::date(1975, 3, 9));
    gatehouse::registry::update(&desk, &serial, fields, "desk", now).await?;

    let gate = Store::open(&dir.path().join("gate.db")).await?;
    let mut hub = SqliteReplica::open(&desk).await?;
    let mut st = SqliteReplica::open(&gate).await?;
    converge(&mut st, &mut hub, now).await?;
    let event = gatehouse::event_store::load(gate.read()).await?;
    let hall: gatehouse::event::ZoneCode = "HALL".parse()?;
    let scan = |t: jiff::Timestamp, d: Direction| {
        let (gate, event, token, hall) = (&gate, &event, &token, &hall);
        async move { gatehouse::scan_log::scan(gate, event, token, hall, d, t, None, "gate").await }
    };
    assert_eq!(
        scan(now, Direction::In).await?.verdict.decision.as_str(),
        "admit"
    );
    let synced = gatehouse::registry::get(gate.read(), &serial).await?;
    assert_eq!(synced.family_name, before.family_name);
    assert_eq!(synced.birth_date, Some(jiff::civil::date(1975, 3, 9)));

    let later = now + jiff::SignedDuration::from_secs(5);
    gatehouse::registry::privacy::erase(&desk, &serial, later, "admin").await?;
    converge(&mut st, &mut hub, later).await?;

    let there = gatehouse::registry::get(gate.read(), &serial).await?;
    assert_eq!(there.family_name, gatehouse::registry::privacy::ERASED_NAME);
    assert_eq!(
        (
            there.given_names.as_str(),
            there.doc_number.as_str(),
            there.has_photo
        ),
        ("", "", false)
    );
    assert_eq!(there.birth_date, None);
    for store in [&desk, &gate] {
        let logged: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sync_entry WHERE body LIKE '%1975-03-09%'")
                .fetch_one(store.read())
                .await?;
        assert_eq!(logged, 0, "the sync log keeps no date of birth once erased");
    }
    assert!(
        gatehouse::registry::search(gate.read(), &before.family_name, 50)
            .await?
            .iter()
            .all(|h| h.serial != serial)
    );
    let out = scan(later, Direction::Out).await?;
    assert_eq!(out.verdict.reason.as_str(), "revoked");
    let scans = gatehouse::scan_log::list(&gate, None, Some(&serial)).await?;
    assert_eq!(scans.len(), 2, "the gate's scans stay");
    Ok(())
}
