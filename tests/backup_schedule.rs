//! Automatic backups set from the console (issue 17), stepped with `now`
//! given (no waiting for minutes): a backup at once, then every period,
//! the folder keeping the last K; a USB stick pulled out is said plainly
//! and tried again a minute later; after a restart the schedule is paused
//! until the passphrase is entered again (it is never written down); off
//! means off. The backups restore.

use std::path::Path;

use gatehouse::backup_schedule::{Outcome, Setting};
use gatehouse::Api;
use jiff::{SignedDuration, Timestamp};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "correct horse battery";

fn backups_in(folder: &Path) -> TestResult<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

fn made(outcome: Option<Outcome>) -> TestResult<String> {
    match outcome {
        Some(Outcome::Made(summary)) => Ok(summary.file),
        Some(Outcome::Failed(e)) => Err(format!("failed: {e}").into()),
        None => Err("nothing was due".into()),
    }
}

#[tokio::test]
async fn backups_come_every_period_keep_k_say_a_pulled_stick_and_pause_after_a_restart(
) -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("desk.db");
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick)?;
    let t0: Timestamp = "2026-12-06T09:00:00Z".parse()?;
    let at = |min: i64, s: i64| t0 + SignedDuration::from_secs(min * 60 + s);
    let api = Api::open(&db, Default::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(t0)?, t0).await?;
    gatehouse::registry::demo::install(api.store(), 5, 1, t0).await?;

    let off = api.backup_schedule(t0).await?;
    assert!(!off.enabled && off.folder.is_none());
    assert!(api.backup_schedule_tick(t0).await?.is_none());

    // Refused, naming what is wrong.
    let setting = |folder: &Path, every_min, keep, passphrase: &str| Setting {
        folder: folder.display().to_string(),
        every_min,
        keep,
        passphrase: Some(passphrase.to_string()),
    };
    let no_stick = api
        .backup_schedule_set(
            &setting(&dir.path().join("nowhere"), 5, 2, PASSPHRASE),
            "t",
            t0,
        )
        .await
        .err()
        .ok_or("a missing folder was taken")?;
    assert!(no_stick
        .text(gatehouse::lang::Lang::En)
        .contains("USB stick plugged in"));
    assert!(no_stick
        .text(gatehouse::lang::Lang::Fr)
        .contains("clé USB est-elle branchée"));
    let relative = api
        .backup_schedule_set(&setting(Path::new("usb"), 5, 2, PASSPHRASE), "t", t0)
        .await
        .err()
        .ok_or("a relative folder was taken")?;
    assert!(relative
        .text(gatehouse::lang::Lang::En)
        .contains("full path"));
    assert!(api
        .backup_schedule_set(&setting(&stick, 5, 2, "short"), "t", t0)
        .await
        .is_err());
    assert!(api
        .backup_schedule_set(&setting(&stick, 0, 2, PASSPHRASE), "t", t0)
        .await
        .is_err());

    // On: the first at once, then every 5 minutes, the last 2 kept.
    let on = api
        .backup_schedule_set(&setting(&stick, 5, 2, PASSPHRASE), "admin", t0)
        .await?;
    assert!(on.enabled && !on.paused);
    assert_eq!(on.next_at.as_deref(), Some(t0.to_string().as_str()));
    let first = made(api.backup_schedule_tick(t0).await?)?;
    assert!(Path::new(&first).starts_with(&stick), "{first}");
    assert!(api.backup_schedule_tick(at(4, 59)).await?.is_none());
    made(api.backup_schedule_tick(at(5, 0)).await?)?;
    let third = made(api.backup_schedule_tick(at(10, 0)).await?)?;
    let names = backups_in(&stick)?;
    assert_eq!(
        names,
        [
            "desk-20261206T090500Z.gatehouse.age",
            "desk-20261206T091000Z.gatehouse.age"
        ],
        "the oldest removed"
    );
    let state = api.backup_schedule(at(10, 0)).await?;
    assert_eq!(state.last_file.as_deref(), Some(third.as_str()));
    assert_eq!(state.last_ok_at, Some(at(10, 0).to_string()));
    assert!(state.last_error.is_none());

    // The stick pulled out: said plainly, tried again a minute later.
    let away = dir.path().join("usb-away");
    std::fs::rename(&stick, &away)?;
    match api.backup_schedule_tick(at(15, 0)).await? {
        Some(Outcome::Failed(_)) => {}
        other => return Err(format!("expected a failure: {other:?}").into()),
    }
    let failed = api.backup_schedule(at(15, 0)).await?;
    let said = failed.last_error.ok_or("no error shown")?;
    assert!(said.en.contains("USB stick pulled out"), "{}", said.en);
    assert!(said.fr.contains("clé USB retirée"), "{}", said.fr);
    assert_eq!(failed.failures, 1);
    assert_eq!(
        failed.last_ok_at,
        Some(at(10, 0).to_string()),
        "the last good one stays shown"
    );
    assert!(api.backup_schedule_tick(at(15, 30)).await?.is_none());
    match api.backup_schedule_tick(at(16, 0)).await? {
        Some(Outcome::Failed(_)) => {}
        other => return Err(format!("expected a second failure: {other:?}").into()),
    }
    assert_eq!(api.backup_schedule(at(16, 0)).await?.failures, 2);
    std::fs::rename(&away, &stick)?;
    made(api.backup_schedule_tick(at(17, 0)).await?)?;
    let back = api.backup_schedule(at(17, 0)).await?;
    assert!(back.last_error.is_none() && back.failures == 0);
    assert_eq!(backups_in(&stick)?.len(), 2);
    api.store().close().await;

    // A restart: the setting is kept, the passphrase is not.
    let api = Api::open(&db, Default::default()).await?;
    let paused = api.backup_schedule(at(30, 0)).await?;
    assert!(paused.enabled && paused.paused, "{paused:?}");
    assert!(paused.next_at.is_none());
    assert!(api.backup_schedule_tick(at(30, 0)).await?.is_none());
    let schedule_row = std::fs::read(&db)?;
    assert!(
        !schedule_row
            .windows(PASSPHRASE.len())
            .any(|w| w == PASSPHRASE.as_bytes()),
        "the passphrase is not in the database"
    );
    let resumed = api.backup_schedule_resume(PASSPHRASE, at(30, 0)).await?;
    assert!(!resumed.paused);
    let newest = made(api.backup_schedule_tick(at(30, 0)).await?)?;

    // Off means off.
    let stopped = api.backup_schedule_off("admin", at(31, 0)).await?;
    assert!(!stopped.enabled && !stopped.paused);
    assert!(api.backup_schedule_tick(at(60, 0)).await?.is_none());
    api.store().close().await;

    // The newest restores, with every attendee.
    let restored = dir.path().join("restored.db");
    let summary = gatehouse::backup::restore(
        Path::new(&newest),
        &restored,
        &gatehouse::backup::Passphrase::for_restore(PASSPHRASE)?,
    )
    .await?;
    assert_eq!(summary.attendees, 5);
    Ok(())
}
