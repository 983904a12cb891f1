//! The time the stations agree on: the hub's clock, as each station last
//! read it.
//!
//! Every answer of the hub carries its wall clock (the `x-gatehouse-time`
//! header, refusals included). A station keeps its last reading of it
//! ([`HubReading`], persisted in `sync_time`) and from then on decides on
//! the **agreed time** ([`agreed`]): within the same boot of the machine,
//! the hub's reading run on by the time elapsed since boot (so a wall clock
//! changed while the hub is out of reach changes nothing); after a reboot,
//! its wall clock corrected by the last offset. A station that never read
//! the hub's clock (standalone, or the hub itself) uses its wall clock.
//! Past [`SKEW_WARN_MS`] between the two, the station says in plain words
//! how to set its clock ([`skew_words`]).
//!
//! After a reboot the wall clock is all there is, and a guess is not a
//! time: the station **does not know the time** ([`Agreed::unknown`]) when
//! its corrected wall clock is before the last time it read from the hub
//! (time does not run backwards: the clock was set back, or lost by a flat
//! battery), or more than [`DARK_MAX_MS`] after it (a clock set a day
//! forward cannot be told from a night switched off beyond that). Then
//! gates refuse to decide and ask for the clock to be set, until a hub
//! answer (or the clock confirmed at the station, [`confirm`]) gives a
//! reading of this boot again. Pure but for [`Reading::now`] and the
//! functions that load and save the reading.

use jiff::Timestamp;
use sqlx::Row;

use crate::error::Result;
use crate::lang::Lang;
use crate::store::Store;

/// Past this gap between a station's clock and the hub's, the station shows
/// a warning and how to set its clock (its decisions use the hub's anyway).
pub const SKEW_WARN_MS: i64 = 2 * 60 * 1000;

/// After a reboot, the longest a station may have gone since its last
/// reading of the hub's clock for its own clock to be believed: a night
/// switched off (about 12 h) passes, a clock a day off does not.
pub const DARK_MAX_MS: i64 = 20 * 3_600_000;

/// The HTTP header in which the hub gives its wall clock (Unix ms) on every
/// answer.
pub const HEADER: &str = "x-gatehouse-time";

/// This machine's boot and the time since it, when the system tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boot {
    pub id: String,
    pub uptime_ms: i64,
}

/// What this machine's clocks say at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The wall clock (Unix ms), as set by whoever set it.
    pub wall_ms: i64,
    /// The time since boot, which nobody sets (Linux: `/proc/uptime`, which
    /// runs on during suspend).
    pub boot: Option<Boot>,
}

impl Reading {
    /// Reads the wall clock and the time since boot.
    pub fn now() -> Reading {
        Reading::at(Timestamp::now())
    }

    /// The wall clock read as `wall` by the caller, and the time since boot.
    pub fn at(wall: Timestamp) -> Reading {
        Reading {
            wall_ms: wall.as_millisecond(),
            boot: boot(),
        }
    }
}

fn boot() -> Option<Boot> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let seconds: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    Some(Boot {
        id: id.trim().to_string(),
        // At most 10 ms of resolution; an hour is 3.6e6 ms, far within f64.
        #[allow(clippy::cast_possible_truncation)]
        uptime_ms: (seconds * 1000.0).round() as i64,
    })
}

/// The hub's wall clock as read in one of its answers, and our clocks then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubReading {
    pub hub_ms: i64,
    pub at: Reading,
}

/// The time a station decides on, and how far its own clock is from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agreed {
    /// Unix ms.
    pub now_ms: i64,
    /// Agreed time minus this station's wall clock: positive when its clock
    /// is behind the hub's. `None` when it never read the hub's clock.
    pub offset_ms: Option<i64>,
    /// The station cannot know the time (after a reboot, its clock went
    /// back before its last reading of the hub's, or too far past it):
    /// the last time it knew for sure (Unix ms). `now_ms` is then only a
    /// guess, which no gate decides on.
    pub unknown: Option<i64>,
}

impl Agreed {
    /// Whether the station's own clock is off by more than [`SKEW_WARN_MS`].
    pub fn skewed(&self) -> bool {
        self.offset_ms.is_some_and(|o| o.abs() > SKEW_WARN_MS)
    }

    pub fn timestamp(&self) -> Timestamp {
        Timestamp::from_millisecond(self.now_ms).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// For the sync protocol, which counts in unsigned ms.
    pub fn ms(&self) -> u64 {
        u64::try_from(self.now_ms).unwrap_or(0)
    }

    /// The time to decide on, or the refusal that asks for the clock to be
    /// set when the station cannot know it.
    pub fn decide(&self) -> crate::error::Result<Timestamp> {
        match self.unknown {
            Some(last_safe_ms) => Err(crate::error::Error::TimeUnknown { last_safe_ms }),
            None => Ok(self.timestamp()),
        }
    }
}

/// Whether `r` was read during the boot `local` is in (then the time since
/// boot runs it on, whatever the wall clock does).
pub fn this_boot(r: &HubReading, local: &Reading) -> bool {
    matches!((&r.at.boot, &local.boot),
        (Some(then), Some(now)) if then.id == now.id && now.uptime_ms >= then.uptime_ms)
}

/// The agreed time at `local`, from the last reading of the hub's clock.
pub fn agreed(last: Option<&HubReading>, local: &Reading) -> Agreed {
    let Some(r) = last else {
        return Agreed {
            now_ms: local.wall_ms,
            offset_ms: None,
            unknown: None,
        };
    };
    let (now_ms, unknown) = match (&r.at.boot, &local.boot) {
        (Some(then), Some(now)) if this_boot(r, local) => (
            r.hub_ms.saturating_add(now.uptime_ms - then.uptime_ms),
            None,
        ),
        _ => {
            let guess = local
                .wall_ms
                .saturating_add(r.hub_ms.saturating_sub(r.at.wall_ms));
            let dark = guess.saturating_sub(r.hub_ms);
            (
                guess,
                (!(0..=DARK_MAX_MS).contains(&dark)).then_some(r.hub_ms),
            )
        }
    };
    Agreed {
        now_ms,
        offset_ms: Some(now_ms.saturating_sub(local.wall_ms)),
        unknown,
    }
}

/// Whether a new reading of the hub's clock says something the kept one
/// does not (more than a second apart, another boot, or a minute old by the
/// boot clock): then it is worth writing down.
pub fn worth_keeping(kept: Option<&HubReading>, new: &HubReading) -> bool {
    let Some(k) = kept else { return true };
    let predicted = agreed(Some(k), &new.at).now_ms;
    let stale = match (&k.at.boot, &new.at.boot) {
        (Some(a), Some(b)) => a.id != b.id || b.uptime_ms - a.uptime_ms > 60_000,
        _ => (new.at.wall_ms - k.at.wall_ms).abs() > 60_000,
    };
    stale || (predicted - new.hub_ms).abs() > 1_000
}

/// The last reading of the hub's clock kept in this database, if any.
pub async fn load(store: &Store) -> Result<Option<HubReading>> {
    let row = sqlx::query("SELECT hub_ms, wall_ms, boot_id, uptime_ms FROM sync_time WHERE id = 1")
        .fetch_optional(store.read())
        .await?;
    Ok(row.map(|r| HubReading {
        hub_ms: r.get(0),
        at: Reading {
            wall_ms: r.get(1),
            boot: match (r.get::<Option<String>, _>(2), r.get::<Option<i64>, _>(3)) {
                (Some(id), Some(uptime_ms)) => Some(Boot { id, uptime_ms }),
                _ => None,
            },
        },
    }))
}

/// Keeps a reading of the hub's clock (in the caller's transaction).
pub async fn save(conn: &mut sqlx::SqliteConnection, r: &HubReading) -> Result<()> {
    let measured = Timestamp::from_millisecond(r.hub_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    sqlx::query(
        "INSERT INTO sync_time (id, hub_ms, wall_ms, boot_id, uptime_ms, measured_at)
         VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hub_ms = excluded.hub_ms, wall_ms = excluded.wall_ms,
             boot_id = excluded.boot_id, uptime_ms = excluded.uptime_ms,
             measured_at = excluded.measured_at",
    )
    .bind(r.hub_ms)
    .bind(r.at.wall_ms)
    .bind(r.at.boot.as_ref().map(|b| b.id.as_str()))
    .bind(r.at.boot.as_ref().map(|b| b.uptime_ms))
    .bind(measured.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// This station's agreed time now (its wall clock if it never read the
/// hub's): what gate decisions, scan records and sync stamps use.
pub async fn now(store: &Store) -> Result<Agreed> {
    Ok(agreed(load(store).await?.as_ref(), &Reading::now()))
}

/// The clock confirmed at the station (`gatehouse clock --set`): `at` is
/// the right time now, said by someone who read it from a sure source.
/// Kept as a reading of this boot, as a hub's answer would be, so a station
/// that could not know the time decides again. Only a paired station keeps
/// readings (a standalone one decides on its wall clock).
pub async fn confirm(store: &Store, at: Timestamp) -> Result<Agreed> {
    let reading = HubReading {
        hub_ms: at.as_millisecond(),
        at: Reading::now(),
    };
    let mut tx = store.write().await?;
    save(&mut tx, &reading).await?;
    tx.commit().await?;
    Ok(agreed(Some(&reading), &reading.at))
}

pub use crate::time_words::{span_words, when_words};

/// The plain-words warning for a station whose clock is off by more than
/// [`SKEW_WARN_MS`], with the time to set it to (in this machine's time
/// zone): "L'horloge de ce poste a 1 jour de retard sur le hub : réglez-la
/// sur 10:42". `None` when the clock is right or was never compared.
pub fn skew_words(agreed: &Agreed, lang: Lang) -> Option<String> {
    if !agreed.skewed() {
        return None;
    }
    let offset = agreed.offset_ms?;
    let span = span_words(offset, lang);
    let set_to = agreed
        .timestamp()
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string();
    Some(match (lang, offset > 0) {
        (Lang::Fr, true) => {
            format!("L'horloge de ce poste a {span} de retard sur le hub : réglez-la sur {set_to}")
        }
        (Lang::Fr, false) => {
            format!("L'horloge de ce poste a {span} d'avance sur le hub : réglez-la sur {set_to}")
        }
        (Lang::En, true) => {
            format!("This station's clock is {span} behind the hub: set it to {set_to}")
        }
        (Lang::En, false) => {
            format!("This station's clock is {span} ahead of the hub: set it to {set_to}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn at(wall_ms: i64, boot: &str, uptime_ms: i64) -> Reading {
        Reading {
            wall_ms,
            boot: Some(Boot {
                id: boot.into(),
                uptime_ms,
            }),
        }
    }

    #[test]
    fn a_station_that_never_read_the_hub_uses_its_own_clock() {
        let a = agreed(None, &at(5_000, "b", 10));
        assert_eq!(a.now_ms, 5_000);
        assert_eq!(a.offset_ms, None);
        assert!(!a.skewed());
    }

    #[test]
    fn within_a_boot_the_hub_time_runs_on_whatever_the_wall_clock_does() {
        let hub = 1_000 * DAY;
        // Read one day behind the hub.
        let last = HubReading {
            hub_ms: hub,
            at: at(hub - DAY, "b", 60_000),
        };
        // Ten minutes later, still a day behind: told, decides on the hub's time.
        let later = agreed(Some(&last), &at(hub - DAY + 600_000, "b", 660_000));
        assert_eq!(later.now_ms, hub + 600_000);
        assert_eq!(later.offset_ms, Some(DAY));
        assert!(later.skewed());
        // Its clock is set right while the hub is out of reach: nothing to tell.
        let set = agreed(Some(&last), &at(hub + 700_000, "b", 760_000));
        assert_eq!(set.now_ms, hub + 700_000);
        assert_eq!(set.offset_ms, Some(0));
        assert!(!set.skewed());
        // Or changed to a wrong day: noticed, the decisions keep the hub's time.
        let wrong = agreed(Some(&last), &at(hub + 2 * DAY, "b", 820_000));
        assert_eq!(wrong.now_ms, hub + 760_000);
        assert!(wrong.skewed());
    }

    #[test]
    fn after_a_reboot_the_last_offset_corrects_the_wall_clock() {
        let last = HubReading {
            hub_ms: 10 * DAY,
            at: at(10 * DAY - 600_000, "b1", 5_000),
        };
        let a = agreed(Some(&last), &at(11 * DAY, "b2", 1_000));
        assert_eq!(a.now_ms, 11 * DAY + 600_000);
        assert_eq!(a.offset_ms, Some(600_000));
    }

    #[test]
    fn after_a_reboot_a_clock_gone_back_or_too_far_on_is_not_believed() {
        let last = HubReading {
            hub_ms: 10 * DAY,
            at: at(10 * DAY, "b1", 5_000),
        };
        // Rebooted the next morning, its clock right: believed.
        let morning = agreed(Some(&last), &at(10 * DAY + 12 * 3_600_000, "b2", 1_000));
        assert_eq!(morning.unknown, None);
        assert!(morning.decide().is_ok());
        // Its clock a day back (a flat battery, a wrong setting): before the
        // last time it read from the hub.
        let back = agreed(Some(&last), &at(9 * DAY + 600_000, "b2", 1_000));
        assert_eq!(back.unknown, Some(10 * DAY));
        assert!(back.decide().is_err());
        // A day and a night forward: past what a night switched off explains.
        let on = agreed(Some(&last), &at(11 * DAY + 12 * 3_600_000, "b2", 1_000));
        assert_eq!(on.unknown, Some(10 * DAY));
        // No time since boot to tell (another system): the same rules.
        let no_boot = Reading {
            wall_ms: 9 * DAY,
            boot: None,
        };
        assert_eq!(agreed(Some(&last), &no_boot).unknown, Some(10 * DAY));
        // Within the boot of the reading it always knows, however long.
        let same = agreed(Some(&last), &at(30 * DAY, "b1", 5_000 + 3 * DAY));
        assert_eq!(same.unknown, None);
        assert_eq!(same.now_ms, 13 * DAY);
        // A station that never read the hub's clock decides on its own.
        assert_eq!(agreed(None, &at(0, "b2", 1)).unknown, None);
    }

    #[test]
    fn a_reading_is_kept_when_it_says_something_new() {
        let last = HubReading {
            hub_ms: DAY,
            at: at(DAY, "b", 1_000),
        };
        let same = HubReading {
            hub_ms: DAY + 5_000,
            at: at(DAY + 5_000, "b", 6_000),
        };
        assert!(!worth_keeping(Some(&last), &same));
        let jumped = HubReading {
            hub_ms: DAY + 5_000,
            at: at(DAY - 3_600_000, "b", 6_000),
        };
        // The wall clock moved, but the hub's time ran on as predicted.
        assert!(!worth_keeping(Some(&last), &jumped));
        let hub_moved = HubReading {
            hub_ms: DAY + 65_000,
            at: at(DAY + 5_000, "b", 6_000),
        };
        assert!(worth_keeping(Some(&last), &hub_moved));
        assert!(worth_keeping(None, &same));
    }

    #[test]
    fn spans_and_warnings_are_said_in_plain_words() {
        assert_eq!(span_words(DAY - 8_000, Lang::Fr), "1 jour");
        assert_eq!(span_words(-600_000, Lang::En), "10 min");
        assert_eq!(
            span_words(3 * 3_600_000 + 12 * 60_000, Lang::Fr),
            "3 h 12 min"
        );
        assert_eq!(span_words(2 * DAY + 3_600_000, Lang::En), "2 days 1 h");
        let behind = Agreed {
            now_ms: 1_000 * DAY,
            offset_ms: Some(DAY),
            unknown: None,
        };
        let fr = skew_words(&behind, Lang::Fr).unwrap_or_default();
        assert!(
            fr.starts_with("L'horloge de ce poste a 1 jour de retard sur le hub : réglez-la sur "),
            "{fr}"
        );
        let ahead = Agreed {
            now_ms: 1_000 * DAY,
            offset_ms: Some(-600_000),
            unknown: None,
        };
        let en = skew_words(&ahead, Lang::En).unwrap_or_default();
        assert!(
            en.starts_with("This station's clock is 10 min ahead of the hub: set it to "),
            "{en}"
        );
        let fine = Agreed {
            now_ms: 0,
            offset_ms: Some(SKEW_WARN_MS),
            unknown: None,
        };
        assert_eq!(skew_words(&fine, Lang::En), None);
    }
}
