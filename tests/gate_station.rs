//! The gate station's core additions on a real SQLite file: counters derived
//! from the scan log, the holder's photo hash against the token's, and the
//! supervisor override (a new scan record plus an audit entry, both durable).

mod http_support;

use gatehouse::api::StationConfig;
use gatehouse::gate::{Decision, Direction, Reason};
use gatehouse::gate_station::OverrideRequest;
use gatehouse::{Api, Error};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::test]
async fn counters_photo_and_override() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    // The demo event with its attendees (and their photos), starting today.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args([
            "--db",
            &db.display().to_string(),
            "demo",
            "--starting",
            "today",
        ])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let api = Api::open(&db, StationConfig::default()).await?;
    let now = jiff::Timestamp::now();
    let hall: gatehouse::event::ZoneCode = "HALL".parse()?;
    let officer = http_support::demo_sign_in(&api, "gate", "test", now).await?;
    let officer = api.authorize(Some(&officer.token), gatehouse::auth::Permission::Scan, now)?;
    let sup = http_support::demo_id(&api, "supervisor").await?;
    let gate = http_support::demo_id(&api, "gate").await?;
    let desk = http_support::demo_id(&api, "desk").await?;
    let admin = http_support::demo_id(&api, "admin").await?;

    let a: gatehouse::serial::BadgeSerial = "BMX-000001".parse()?;
    let b: gatehouse::serial::BadgeSerial = "BMX-000002".parse()?;
    let ta = api.token(&a, now, "test").await?.token;
    let tb = api.token(&b, now, "test").await?.token;

    let first = api.scan(&ta, &hall, Direction::In, now, None, "t").await?;
    assert_eq!(first.verdict.decision, Decision::Admit);
    // The stored photo's short hash is the one the token carries.
    let photo = api.holder_photo(&a).await?;
    assert_eq!(Some(photo.hash.clone()), first.verdict.photo);
    assert!(photo.data_url.starts_with("data:image/jpeg;base64,/9j/"));

    api.revoke(&b, "lost", now, "test").await?;
    let denied = api.scan(&tb, &hall, Direction::In, now, None, "t").await?;
    assert_eq!(denied.verdict.reason, Reason::Revoked);
    // The gate says why, as the console gave it.
    assert_eq!(denied.verdict.revoked_reason.as_deref(), Some("lost"));
    api.scan("nonsense", &hall, Direction::In, now, None, "t")
        .await?;

    let status = api.gate_status(&hall, now).await?;
    assert_eq!((status.admitted, status.denied, status.inside), (1, 2, 1));
    assert_eq!(status.revocations, 1);
    assert!(!status.paired && status.last_sync.is_none());

    // A revoked badge is never let through, whatever the PIN.
    let revoked = OverrideRequest {
        scan_id: denied.id.clone(),
        supervisor: sup.clone(),
        pin: "4444".into(),
        reason: "identity checked".into(),
    };
    assert!(matches!(
        api.override_denial(&revoked, &officer, now).await,
        Err(e) if e.code() == gatehouse::error::ErrorCode::Conflict && e.to_string().contains("revoked")
    ));

    // Another denial: the demonstration area, closed on the first day.
    let demo: gatehouse::event::ZoneCode = "DEMO".parse()?;
    let closed = api.scan(&ta, &demo, Direction::In, now, None, "t").await?;
    assert_eq!(closed.verdict.decision, Decision::Deny);
    let closed_for = closed.verdict.reason.as_str();

    // Overrides: the supervisor is picked, then types their PIN. A gate
    // officer's account and PIN are not a supervisor's, and say so like a
    // wrong PIN (bad input, not the officer's session ending); a reason is
    // required.
    let req = |who: &str, pin: &str, reason: &str| OverrideRequest {
        scan_id: closed.id.clone(),
        supervisor: who.into(),
        pin: pin.into(),
        reason: reason.into(),
    };
    let not_supervisor = |r: gatehouse::Result<_>| matches!(r, Err(e) if gatehouse::gate_station::is_wrong_supervisor_pin(&e));
    assert!(not_supervisor(
        api.override_denial(&req(&gate, "3333", "ok"), &officer, now)
            .await
    ));
    assert!(not_supervisor(
        api.override_denial(&req(&sup, "9999", "ok"), &officer, now)
            .await
    ));
    // The supervisor's PIN with another account is wrong too.
    assert!(not_supervisor(
        api.override_denial(&req(&desk, "4444", "ok"), &officer, now)
            .await
    ));
    assert!(matches!(
        api.override_denial(&req(&sup, "4444", "  "), &officer, now)
            .await,
        Err(e) if e.code() == gatehouse::error::ErrorCode::BadInput
    ));
    let done = api
        .override_denial(&req(&sup, "4444", "identity checked"), &officer, now)
        .await?;
    assert_eq!(done.scan.verdict.decision, Decision::Admit);
    assert_eq!(done.supervisor, "Superviseur démo");
    // Only a denial can be overridden.
    let again = OverrideRequest {
        scan_id: first.id.clone(),
        ..req(&admin, "1111", "x")
    };
    assert!(matches!(
        api.override_denial(&again, &officer, now).await,
        Err(e) if e.code() == gatehouse::error::ErrorCode::Conflict
    ));
    // Supervisor PINs are throttled like sign-in: five wrong for the
    // account, then even the right one waits.
    for _ in 0..5 {
        assert!(matches!(
            api.override_denial(&req(&sup, "9999", "ok"), &officer, now)
                .await,
            Err(e) if e.code() == gatehouse::error::ErrorCode::BadInput
        ));
    }
    assert!(matches!(
        api.override_denial(&req(&sup, "4444", "ok"), &officer, now)
            .await,
        Err(Error::TooManyAttempts { wait_s: 30 })
    ));

    let scans = api.scans(Some(&hall), Some(&b)).await?;
    let reasons: Vec<&str> = scans.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["revoked"]);
    let scans = api.scans(Some(&demo), Some(&a)).await?;
    let reasons: Vec<&str> = scans.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, [closed_for, "override"]);
    assert!(scans[1].operator.contains("Superviseur démo"));
    let status = api.gate_status(&demo, now).await?;
    assert_eq!((status.admitted, status.inside), (1, 1));
    let audit = gatehouse::audit::verify(api.store().read()).await?;
    assert_eq!(audit.first_bad, None);
    Ok(())
}

/// The review's oracle: what a gate hears back from an override must not
/// tell a staff PIN from a wrong one. A right non-admin PIN answers like a
/// wrong one and counts as one; a bogus scan answers the same whatever the
/// PIN, before any PIN is compared.
#[tokio::test]
async fn an_override_answers_the_same_for_every_pin_that_may_not() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args([
            "--db",
            &db.display().to_string(),
            "demo",
            "--starting",
            "today",
        ])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let api = Api::open(&db, StationConfig::default()).await?;
    let now = jiff::Timestamp::now();
    let officer = http_support::demo_sign_in(&api, "gate", "test", now).await?;
    let officer = api.authorize(Some(&officer.token), gatehouse::auth::Permission::Scan, now)?;
    let sup = http_support::demo_id(&api, "supervisor").await?;
    let gate = http_support::demo_id(&api, "gate").await?;
    let desk = http_support::demo_id(&api, "desk").await?;
    let admin = http_support::demo_id(&api, "admin").await?;
    let b: gatehouse::serial::BadgeSerial = "BMX-000002".parse()?;
    let tb = api.token(&b, now, "test").await?.token;
    // The demonstration area is closed on the first day.
    let demo: gatehouse::event::ZoneCode = "DEMO".parse()?;
    let denied = api.scan(&tb, &demo, Direction::In, now, None, "t").await?;
    assert_eq!(denied.verdict.decision, Decision::Deny);

    let answer = |r: gatehouse::Result<gatehouse::gate_station::OverrideOutcome>| match r {
        Ok(_) => "admitted".to_string(),
        Err(e) => format!("{:?}: {e}", e.code()),
    };
    let bogus = |who: &str, pin: &str| OverrideRequest {
        scan_id: "0190b2a4-0000-7000-8000-000000000000".into(),
        supervisor: who.into(),
        pin: pin.into(),
        reason: "ok".into(),
    };
    // Supervisor, admin, desk, gate, wrong, no such account: one answer
    // for a scan that does not exist.
    let first = answer(
        api.override_denial(&bogus(&sup, "4444"), &officer, now)
            .await,
    );
    for (who, pin) in [
        (admin.as_str(), "1111"),
        (desk.as_str(), "2222"),
        (gate.as_str(), "3333"),
        (sup.as_str(), "9999"),
        ("nobody", "4444"),
    ] {
        assert_eq!(
            answer(api.override_denial(&bogus(who, pin), &officer, now).await),
            first
        );
    }
    // Desk, gate, unknown accounts and wrong PINs on a real denial: one
    // answer, each a strike for this officer.
    let real = |who: &str, pin: &str| OverrideRequest {
        scan_id: denied.id.clone(),
        supervisor: who.into(),
        pin: pin.into(),
        reason: "ok".into(),
    };
    let wrong = answer(
        api.override_denial(&real(&sup, "9999"), &officer, now)
            .await,
    );
    assert!(wrong.starts_with("BadInput"), "{wrong}");
    let others = [
        (desk.as_str(), "2222"),
        (gate.as_str(), "3333"),
        ("nobody", "4444"),
        (admin.as_str(), "9999"),
        (sup.as_str(), "8888"),
        (desk.as_str(), "2222"),
        (gate.as_str(), "3333"),
        ("nobody", "4444"),
        (admin.as_str(), "9999"),
    ];
    for (who, pin) in others {
        assert_eq!(
            answer(api.override_denial(&real(who, pin), &officer, now).await),
            wrong
        );
    }
    // Ten strikes from this officer, at most two per account: even the
    // supervisor's right PIN now waits.
    assert!(matches!(
        api.override_denial(&real(&sup, "4444"), &officer, now)
            .await,
        Err(Error::TooManyAttempts { wait_s: 30 })
    ));
    Ok(())
}
