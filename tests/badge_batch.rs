//! A batch of badges (`badges`/`print`, the desk's delegation list) is read
//! and issued set by set, and gives exactly what issuing badge by badge
//! gives: the same tokens, one first version per badge, an intact audit
//! chain, the same selections.

use gatehouse::badge::batch::{self, Selection};
use gatehouse::badge::{Format, Sheet};
use gatehouse::registry::Status;
use gatehouse::serial::BadgeSerial;
use gatehouse::store::Store;
use gatehouse::Result;
use jiff::Timestamp;

const PEOPLE: u32 = 40;

async fn demo(dir: &std::path::Path) -> Result<Store> {
    let store = Store::open(&dir.join("desk.db")).await?;
    let now = Timestamp::now();
    let first = gatehouse::demo::today_at_venue(now)?;
    gatehouse::demo::install(&store, first, now).await?;
    gatehouse::registry::demo::install(&store, PEOPLE, 7, now).await?;
    Ok(store)
}

#[tokio::test]
async fn a_batch_issues_what_single_badges_would() -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path()).await?;
    let now = Timestamp::now();
    // Some badges issued before, one reprinted (version 2), one revoked.
    for n in [3, 4, 5] {
        gatehouse::badge_issue::token(&store, &BadgeSerial::new("BMX", n)?, now, "desk").await?;
    }
    gatehouse::badge_issue::reprint(&store, &BadgeSerial::new("BMX", 4)?, now, "desk").await?;
    gatehouse::badge_issue::revoke(&store, &BadgeSerial::new("BMX", 6)?, "lost", now, "desk")
        .await?;
    let audit_before = gatehouse::audit::verify(store.read()).await?.entries;

    let r = batch::render(
        &store,
        &Selection::All,
        Format::A6,
        Sheet::Single,
        now,
        "desk",
    )
    .await?;
    assert_eq!(r.badges.len() as u32, PEOPLE - 1);
    assert_eq!(r.skipped_revoked, [BadgeSerial::new("BMX", 6)?]);
    assert!(r.pdf.starts_with(b"%PDF"));
    let (chosen, _) = batch::attendees(&store, &Selection::All).await?;
    let event = gatehouse::event_store::load(store.read()).await?;
    let batch_tokens = gatehouse::badge_issue::tokens(&store, &event, &chosen, now, "desk").await?;
    for (b, t) in r.badges.iter().zip(&batch_tokens) {
        let single = gatehouse::badge_issue::token(&store, &b.serial, now, "desk").await?;
        assert_eq!(
            single, *t,
            "{}: the batch token is the badge's own",
            b.serial
        );
        assert_eq!(b.version, single.version);
        let expected = if b.serial.number() == 4 { 2 } else { 1 };
        assert_eq!(b.version, expected, "{}", b.serial);
    }
    // One first version per badge never issued before, each audited once.
    let (versions, issues): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM badge),
                (SELECT COUNT(*) FROM audit WHERE action = 'badge.issue')",
    )
    .fetch_one(store.read())
    .await?;
    assert_eq!(
        versions,
        i64::from(PEOPLE - 1) + 1,
        "v1 of all but the revoked, and a v2"
    );
    assert_eq!(issues, versions);
    let check = gatehouse::audit::verify(store.read()).await?;
    assert_eq!(check.first_bad, None);
    assert_eq!(check.entries, audit_before + u64::from(PEOPLE - 1) - 3);

    // A revoked badge named by number refuses the batch, saying which.
    let refused = batch::render(
        &store,
        &Selection::Serials(vec![
            BadgeSerial::new("BMX", 1)?,
            BadgeSerial::new("BMX", 6)?,
        ]),
        Format::A6,
        Sheet::Single,
        now,
        "desk",
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        refused.contains("BMX-000006") && refused.contains("revoked"),
        "{refused}"
    );
    Ok(())
}

#[tokio::test]
async fn selections_name_the_same_people_as_the_registry() -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path()).await?;
    let everyone = gatehouse::registry::all(store.read()).await?;
    let serials = |list: &[gatehouse::registry::Attendee]| -> Vec<BadgeSerial> {
        list.iter().map(|a| a.serial.clone()).collect()
    };
    let category = everyone[0].category.clone();
    let (in_category, _) = batch::attendees(&store, &Selection::Category(category.clone())).await?;
    let expected: Vec<_> = everyone
        .iter()
        .filter(|a| a.category == category)
        .cloned()
        .collect();
    assert_eq!(serials(&in_category), serials(&expected));

    let delegation = everyone
        .iter()
        .find_map(|a| a.delegation.clone())
        .expect("the demo has delegations");
    // Typed in another case, with spaces around.
    let typed = format!("  {}  ", delegation.to_ascii_uppercase());
    let (members, _) = batch::attendees(&store, &Selection::Delegation(typed)).await?;
    let expected: Vec<_> = everyone
        .iter()
        .filter(|a| a.delegation.as_deref() == Some(delegation.as_str()))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(serials(&members), serials(&expected));
    let desk = gatehouse::desk::delegation_members(&store, &delegation).await?;
    let mut desk_serials: Vec<String> = desk.iter().map(|h| h.serial.to_string()).collect();
    desk_serials.sort();
    let mut expected_serials: Vec<String> = expected.iter().map(|a| a.serial.to_string()).collect();
    expected_serials.sort();
    assert_eq!(desk_serials, expected_serials);

    // Numbers given: in that order, repeats kept; an unknown number is named.
    let asked = vec![
        BadgeSerial::new("BMX", 9)?,
        BadgeSerial::new("BMX", 2)?,
        BadgeSerial::new("BMX", 9)?,
    ];
    let (chosen, _) = batch::attendees(&store, &Selection::Serials(asked.clone())).await?;
    assert_eq!(serials(&chosen), asked);
    let unknown = batch::attendees(
        &store,
        &Selection::Serials(vec![
            BadgeSerial::new("BMX", 2)?,
            BadgeSerial::new("BMX", 999)?,
        ]),
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(unknown.contains("BMX-000999"), "{unknown}");
    Ok(())
}

#[tokio::test]
async fn a_printed_batch_is_marked_printed_at_once() -> Result<()> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path()).await?;
    let now = Timestamp::now();
    let printed = vec![BadgeSerial::new("BMX", 1)?, BadgeSerial::new("BMX", 2)?];
    gatehouse::registry::attendee::set_status_all(&store, &printed, Status::Printed, "desk", now)
        .await?;
    for s in &printed {
        assert_eq!(
            gatehouse::registry::get(store.read(), s).await?.status,
            Status::Printed
        );
    }
    // An unknown number changes nothing and is named.
    let with_unknown = vec![BadgeSerial::new("BMX", 3)?, BadgeSerial::new("BMX", 999)?];
    let e = gatehouse::registry::attendee::set_status_all(
        &store,
        &with_unknown,
        Status::Printed,
        "desk",
        now,
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("BMX-000999"), "{e}");
    assert_ne!(
        gatehouse::registry::get(store.read(), &with_unknown[0])
            .await?
            .status,
        Status::Printed
    );
    let check = gatehouse::audit::verify(store.read()).await?;
    assert_eq!(check.first_bad, None);
    Ok(())
}
