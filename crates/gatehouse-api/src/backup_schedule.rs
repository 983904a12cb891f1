//! Automatic backups set from the console (issue 17): every N minutes into a
//! folder (a USB stick), keeping this station's last K there. One
//! implementation for both shells: `serve` and the window each start
//! [`run`] beside their store ([`crate::api::Api::start_backup_schedule`]);
//! `serve --backup-every` sets the same schedule from its flags.
//!
//! The setting (folder, N, K, on/off) and how the last attempt went are in
//! the station's database (`backup_schedule`, migration 0035). **The
//! passphrase is never written anywhere**: it is held in this process's
//! memory ([`Schedule`]) and asked again after a restart, until when the
//! console says "automatic backups paused: enter the passphrase". A
//! passphrase on the station's disk would open every backup of a stolen
//! laptop (they carry the private signing keys); an age recipient key would
//! need a second secret kept elsewhere to restore, and restore asks for a
//! passphrase today.
//!
//! [`tick`] does one step at a given `now` (tests need no clock): a backup
//! when one is due, its outcome kept. A failure (the stick pulled out) is
//! said in plain words and tried again after [`RETRY`], not a whole period.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::backup::{Passphrase, Rotation};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::Msg;
use crate::store::Store;

/// A failed attempt is tried again after this long (or the period, if
/// shorter).
pub const RETRY: Duration = Duration::from_secs(60);

/// How often [`run`] looks whether a backup is due.
const LOOK_EVERY: Duration = Duration::from_secs(15);

/// The most minutes between two backups, and the most kept.
pub const MAX_EVERY_MIN: u32 = 24 * 60;
pub const MAX_KEEP: u32 = 1000;

/// This process's passphrase for automatic backups, in memory only; and a
/// wake-up for [`run`] when the setting changes.
#[derive(Debug, Default)]
pub struct Schedule {
    passphrase: std::sync::Mutex<Option<Arc<Passphrase>>>,
    changed: tokio::sync::Notify,
}

impl Schedule {
    fn passphrase(&self) -> Option<Arc<Passphrase>> {
        self.passphrase
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn hold(&self, passphrase: Option<Arc<Passphrase>>) {
        *self
            .passphrase
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = passphrase;
        self.changed.notify_one();
    }
}

/// The automatic backups as the console shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "BackupSchedule")]
pub struct ScheduleState {
    /// Switched on (it may still be paused, waiting for the passphrase).
    pub enabled: bool,
    pub folder: Option<String>,
    pub every_min: Option<u32>,
    pub keep: Option<u32>,
    /// On, but this process holds no passphrase (it was restarted): no
    /// backup is made until someone enters it.
    pub paused: bool,
    /// The last attempt, and the last backup made (RFC 3339).
    pub last_at: Option<String>,
    pub last_ok_at: Option<String>,
    pub last_file: Option<String>,
    /// Why the last attempt failed, in both languages; none when it worked.
    pub last_error: Option<Said>,
    /// Attempts failed in a row.
    pub failures: u32,
    /// When the next attempt is due (when on and not paused).
    pub next_at: Option<String>,
}

/// A text in French and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "BackupSaid")]
pub struct Said {
    pub fr: String,
    pub en: String,
}

/// What [`tick`] did.
#[derive(Debug)]
pub enum Outcome {
    Made(crate::backup::BackupSummary),
    Failed(Error),
}

struct Stored {
    folder: String,
    every_min: u32,
    keep: u32,
    enabled: bool,
    last_at: Option<String>,
    last_ok_at: Option<String>,
    last_file: Option<String>,
    last_error_fr: Option<String>,
    last_error_en: Option<String>,
    failures: u32,
}

async fn load(store: &Store) -> Result<Option<Stored>> {
    let row = sqlx::query(
        "SELECT folder, every_min, keep, enabled, last_at, last_ok_at, last_file,
                last_error_fr, last_error_en, failures
         FROM backup_schedule WHERE id = 1",
    )
    .fetch_optional(store.read())
    .await?;
    Ok(row.map(|r| Stored {
        folder: r.get(0),
        every_min: u32::try_from(r.get::<i64, _>(1)).unwrap_or(1),
        keep: u32::try_from(r.get::<i64, _>(2)).unwrap_or(1),
        enabled: r.get::<i64, _>(3) != 0,
        last_at: r.get(4),
        last_ok_at: r.get(5),
        last_file: r.get(6),
        last_error_fr: r.get(7),
        last_error_en: r.get(8),
        failures: u32::try_from(r.get::<i64, _>(9)).unwrap_or(0),
    }))
}

/// When the next attempt is due after one at `last_at` (none yet, or not a
/// time: now).
fn next_due(last_at: Option<&str>, failures: u32, every_min: u32) -> Option<Timestamp> {
    let last: Timestamp = last_at?.parse().ok()?;
    let every = Duration::from_secs(u64::from(every_min) * 60);
    let wait = if failures > 0 {
        every.min(RETRY)
    } else {
        every
    };
    last.checked_add(jiff::SignedDuration::try_from(wait).ok()?)
        .ok()
}

/// Whether an attempt is due at `now`: none made yet, the period passed
/// (or [`RETRY`] after a failure), or the clock set back before the last.
pub fn is_due(last_at: Option<&str>, failures: u32, every_min: u32, now: Timestamp) -> bool {
    match (
        last_at.and_then(|t| t.parse::<Timestamp>().ok()),
        next_due(last_at, failures, every_min),
    ) {
        (Some(last), Some(next)) => now >= next || now < last,
        _ => true,
    }
}

/// The automatic backups as they stand at `now`.
pub async fn state(store: &Store, schedule: &Schedule, now: Timestamp) -> Result<ScheduleState> {
    let Some(row) = load(store).await? else {
        return Ok(ScheduleState {
            enabled: false,
            folder: None,
            every_min: None,
            keep: None,
            paused: false,
            last_at: None,
            last_ok_at: None,
            last_file: None,
            last_error: None,
            failures: 0,
            next_at: None,
        });
    };
    let paused = row.enabled && schedule.passphrase().is_none();
    let next_at = (row.enabled && !paused).then(|| {
        next_due(row.last_at.as_deref(), row.failures, row.every_min)
            .map(|t| t.max(now))
            .unwrap_or(now)
            .to_string()
    });
    Ok(ScheduleState {
        enabled: row.enabled,
        paused,
        next_at,
        last_error: match (row.last_error_fr.clone(), row.last_error_en.clone()) {
            (Some(fr), Some(en)) => Some(Said { fr, en }),
            _ => None,
        },
        folder: Some(row.folder),
        every_min: Some(row.every_min),
        keep: Some(row.keep),
        last_at: row.last_at,
        last_ok_at: row.last_ok_at,
        last_file: row.last_file,
        failures: row.failures,
    })
}

/// What the organiser sets.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[ts(rename = "BackupScheduleSetting")]
pub struct Setting {
    pub folder: String,
    pub every_min: u32,
    pub keep: u32,
    /// Needed when this process holds none yet; may be left empty to keep
    /// the one held.
    #[serde(default)]
    #[ts(optional)]
    pub passphrase: Option<String>,
}

/// Switches automatic backups on (or changes them) from the console: the
/// folder must exist now, the passphrase (when given) is checked and held
/// in memory. The first backup is due at once.
pub async fn set(
    store: &Store,
    schedule: &Schedule,
    setting: &Setting,
    actor: &str,
    now: Timestamp,
) -> Result<ScheduleState> {
    let passphrase = match setting.passphrase.as_deref().filter(|p| !p.is_empty()) {
        Some(text) => Some(Arc::new(Passphrase::for_backup(text)?)),
        None => None,
    };
    let folder = setting.folder.trim();
    if !Path::new(folder).is_dir() && Path::new(folder).is_absolute() {
        return Err(Msg::BackupFolderMissing {
            folder: folder.to_string(),
        }
        .into());
    }
    apply(
        store,
        schedule,
        Path::new(folder),
        setting.every_min,
        setting.keep,
        passphrase,
        actor,
        now,
    )
    .await
}

/// Sets the schedule (the console's [`set`], `serve --backup-every`):
/// `passphrase` none keeps the one held, and is refused when none is.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    store: &Store,
    schedule: &Schedule,
    folder: &Path,
    every_min: u32,
    keep: u32,
    passphrase: Option<Arc<Passphrase>>,
    actor: &str,
    now: Timestamp,
) -> Result<ScheduleState> {
    let shown = folder.display().to_string();
    let folder = shown.trim();
    if folder.is_empty() || !Path::new(folder).is_absolute() {
        return Err(Msg::BackupFolderNotAbsolute {
            folder: folder.to_string(),
        }
        .into());
    }
    if !(1..=MAX_EVERY_MIN).contains(&every_min) {
        return Err(Msg::BackupEveryRange {
            minutes: u64::from(every_min),
            max: u64::from(MAX_EVERY_MIN),
        }
        .into());
    }
    if !(1..=MAX_KEEP).contains(&keep) {
        return Err(Msg::BackupKeepRange {
            keep: u64::from(keep),
            max: u64::from(MAX_KEEP),
        }
        .into());
    }
    if passphrase.is_none() && schedule.passphrase().is_none() {
        return Err(Msg::PassphraseEmpty {}.into());
    }
    let mut tx = store.write().await?;
    // A new folder or period starts afresh: the first backup at once.
    sqlx::query(
        "INSERT INTO backup_schedule (id, folder, every_min, keep, enabled, updated_at, updated_by)
         VALUES (1, ?1, ?2, ?3, 1, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, every_min = excluded.every_min,
           keep = excluded.keep, enabled = 1, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by, last_at = NULL, failures = 0,
           last_error_fr = NULL, last_error_en = NULL",
    )
    .bind(folder)
    .bind(i64::from(every_min))
    .bind(i64::from(keep))
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "backup.schedule",
        &serde_json::json!({
            "enabled": true, "folder": folder, "every_min": every_min, "keep": keep,
        }),
    )
    .await?;
    tx.commit().await?;
    match passphrase {
        Some(p) => schedule.hold(Some(p)),
        None => schedule.changed.notify_one(),
    }
    state(store, schedule, now).await
}

/// The passphrase again after a restart: automatic backups resume.
pub async fn resume(
    store: &Store,
    schedule: &Schedule,
    passphrase: &str,
    now: Timestamp,
) -> Result<ScheduleState> {
    schedule.hold(Some(Arc::new(Passphrase::for_backup(passphrase)?)));
    state(store, schedule, now).await
}

/// Switches automatic backups off; the passphrase is forgotten.
pub async fn off(
    store: &Store,
    schedule: &Schedule,
    actor: &str,
    now: Timestamp,
) -> Result<ScheduleState> {
    let mut tx = store.write().await?;
    let changed = sqlx::query(
        "UPDATE backup_schedule SET enabled = 0, updated_at = ?, updated_by = ? WHERE id = 1 AND enabled = 1",
    )
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed > 0 {
        crate::audit::append(
            &mut tx,
            now,
            actor,
            "backup.schedule",
            &serde_json::json!({ "enabled": false }),
        )
        .await?;
    }
    tx.commit().await?;
    schedule.hold(None);
    state(store, schedule, now).await
}

/// One step at `now`: a backup if one is due (on, a passphrase held, the
/// period passed), its outcome kept for the console. `None`: nothing due.
pub async fn tick(store: &Store, schedule: &Schedule, now: Timestamp) -> Result<Option<Outcome>> {
    let Some(row) = load(store).await? else {
        return Ok(None);
    };
    let Some(passphrase) = schedule.passphrase() else {
        return Ok(None);
    };
    if !row.enabled || !is_due(row.last_at.as_deref(), row.failures, row.every_min, now) {
        return Ok(None);
    }
    let folder = PathBuf::from(&row.folder);
    let made = if folder.is_dir() {
        let rotation = Rotation {
            folder,
            keep: row.keep as usize,
        };
        crate::backup::backup_rotating(store, &rotation, &passphrase, now)
            .await
            .map(|(made, _)| made)
    } else {
        // The stick pulled out: said plainly, not as an I/O error.
        Err(Msg::BackupFolderGone {
            folder: row.folder.clone(),
        }
        .into())
    };
    let mut tx = store.write().await?;
    match &made {
        Ok(summary) => {
            sqlx::query(
                "UPDATE backup_schedule SET last_at = ?1, last_ok_at = ?1, last_file = ?2,
                   last_error_fr = NULL, last_error_en = NULL, failures = 0 WHERE id = 1",
            )
            .bind(now.to_string())
            .bind(&summary.file)
            .execute(&mut *tx)
            .await?;
        }
        Err(e) => {
            sqlx::query(
                "UPDATE backup_schedule SET last_at = ?, last_error_fr = ?, last_error_en = ?,
                   failures = failures + 1 WHERE id = 1",
            )
            .bind(now.to_string())
            .bind(e.text(Lang::Fr))
            .bind(e.text(Lang::En))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Some(match made {
        Ok(summary) => Outcome::Made(summary),
        Err(e) => Outcome::Failed(e),
    }))
}

/// Runs for as long as the store is open ([`Store::spawn`]): a backup
/// whenever one is due, `report` told of each attempt.
pub async fn run(
    store: Store,
    schedule: Arc<Schedule>,
    report: impl Fn(&Outcome) + Send + 'static,
) {
    loop {
        match tick(&store, &schedule, Timestamp::now()).await {
            Ok(Some(outcome)) => {
                if let Outcome::Failed(e) = &outcome {
                    tracing::warn!("automatic backup failed: {}", e.text(Lang::En));
                }
                report(&outcome);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("automatic backups: {}", e.text(Lang::En)),
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = schedule.changed.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_at_first_then_every_period_and_a_minute_after_a_failure() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap_or_default();
        let last = "2026-12-06T12:00:00Z";
        assert!(is_due(None, 0, 15, at(last)));
        assert!(!is_due(Some(last), 0, 15, at("2026-12-06T12:14:59Z")));
        assert!(is_due(Some(last), 0, 15, at("2026-12-06T12:15:00Z")));
        assert!(!is_due(Some(last), 1, 15, at("2026-12-06T12:00:59Z")));
        assert!(is_due(Some(last), 1, 15, at("2026-12-06T12:01:00Z")));
        // A clock set back does not stop backups for good.
        assert!(is_due(Some(last), 0, 15, at("2026-12-06T11:00:00Z")));
    }
}
