//! Event setup from the console, without editing files: the whole event
//! (days, zones with capacity, open days and anti-passback, categories with
//! colours and their default access matrix) saved in one audited
//! transaction, and the staff accounts (roles, PINs, active or not).
//!
//! Each save appends one audit entry listing what changed, field by field
//! (never a PIN). The event code and badge prefix cannot change: every
//! issued badge carries them.

pub use crate::config_change::{ChangeKind, ConfigChange, ConfigSection};
pub use crate::staff::PinToChange;
use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::EventInfo;
use crate::messages::{ListKind, Msg, Retired};
use crate::staff::{Pin, Role};
use crate::store::Store;

/// What differs between two events, one line per field, for the audit log.
pub fn changes(old: &EventInfo, new: &EventInfo) -> Vec<String> {
    let mut out = Vec::new();
    for (field, a, b) in [
        ("name", &old.name, &new.name),
        ("venue", &old.venue, &new.venue),
        ("city", &old.city, &new.city),
        ("country", &old.country, &new.country),
        ("time_zone", &old.time_zone, &new.time_zone),
    ] {
        if a != b {
            out.push(format!("event {field}: {a:?} → {b:?}"));
        }
    }
    if old.vetting != new.vetting {
        out.push(format!(
            "event vetting: {} → {}",
            old.vetting.as_str(),
            new.vetting.as_str()
        ));
    }
    fn keyed<T: Serialize>(
        items: &[T],
        key: impl Fn(&T) -> String,
    ) -> BTreeMap<String, serde_json::Map<String, serde_json::Value>> {
        items
            .iter()
            .filter_map(|i| match serde_json::to_value(i) {
                Ok(serde_json::Value::Object(m)) => Some((key(i), m)),
                _ => None,
            })
            .collect()
    }
    let mut compare =
        |what: &str,
         a: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
         b: BTreeMap<String, serde_json::Map<String, serde_json::Value>>| {
            for (k, old_fields) in &a {
                match b.get(k) {
                    None => out.push(format!("{what} {k} removed")),
                    Some(new_fields) => {
                        for (f, ov) in old_fields {
                            let nv = new_fields
                                .get(f)
                                .cloned()
                                .unwrap_or(serde_json::Value::Null);
                            if &nv != ov {
                                out.push(format!("{what} {k} {f}: {} → {}", words(ov), words(&nv)));
                            }
                        }
                        // A field absent from the old one's JSON (a zone's
                        // `site`, skipped while unset).
                        for (f, nv) in new_fields {
                            if !old_fields.contains_key(f) && !nv.is_null() {
                                out.push(format!(
                                    "{what} {k} {f}: {} → {}",
                                    words(&serde_json::Value::Null),
                                    words(nv)
                                ));
                            }
                        }
                    }
                }
            }
            for (k, fields) in &b {
                if !a.contains_key(k) {
                    let fields: Vec<String> = fields
                        .iter()
                        .filter(|(f, _)| f.as_str() != "code" && f.as_str() != "date")
                        .map(|(f, v)| format!("{f}: {}", words(v)))
                        .collect();
                    out.push(format!("{what} {k} added ({})", fields.join("; ")));
                }
            }
        };
    compare(
        "day",
        keyed(&old.days, |d| d.date.to_string()),
        keyed(&new.days, |d| d.date.to_string()),
    );
    compare(
        "zone",
        keyed(&old.zones, |z| z.code.to_string()),
        keyed(&new.zones, |z| z.code.to_string()),
    );
    compare(
        "category",
        keyed(&old.categories, |c| c.code.to_string()),
        keyed(&new.categories, |c| c.code.to_string()),
    );
    for line in &mut out {
        let retired = new
            .retired_zones
            .iter()
            .find(|r| *line == format!("zone {} removed", r.code));
        if let Some(r) = retired {
            *line = format!("zone {} retired (bit {}, never given again)", r.code, r.bit);
        }
    }
    let order = |e: &EventInfo| {
        (
            e.zones
                .iter()
                .map(|z| z.code.to_string())
                .collect::<Vec<_>>(),
            e.categories
                .iter()
                .map(|c| c.code.to_string())
                .collect::<Vec<_>>(),
        )
    };
    if order(old) != order(new) && out.is_empty() {
        out.push(format!("order: {:?} → {:?}", order(old), order(new)));
    }
    out
}

/// A value as the audit log's lines say it: [`plain`], "—" for none.
fn words(v: &serde_json::Value) -> String {
    plain(v).unwrap_or_else(|| "—".into())
}

/// A JSON value as plain words: a string as itself, a list joined by
/// ", ", nothing for null.
fn plain(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => Some(
            items
                .iter()
                .filter_map(plain)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        other => Some(other.to_string()),
    }
}

/// What differs from `old` to `new`, item by item and field by field, for a
/// screen (see [`changes`] for the audit log's lines).
pub fn config_changes(old: &EventInfo, new: &EventInfo) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    for (field, a, b) in [
        ("name", &old.name, &new.name),
        ("venue", &old.venue, &new.venue),
        ("city", &old.city, &new.city),
        ("country", &old.country, &new.country),
        ("time_zone", &old.time_zone, &new.time_zone),
    ] {
        if a != b {
            out.push(ConfigChange {
                section: ConfigSection::Event,
                key: String::new(),
                kind: ChangeKind::Changed,
                field: Some(field.into()),
                before: Some(a.clone()),
                after: Some(b.clone()),
            });
        }
    }
    type Fields = serde_json::Map<String, serde_json::Value>;
    fn keyed<T: Serialize>(items: &[T], key: impl Fn(&T) -> String) -> Vec<(String, Fields)> {
        items
            .iter()
            .filter_map(|i| match serde_json::to_value(i) {
                Ok(serde_json::Value::Object(m)) => Some((key(i), m)),
                _ => None,
            })
            .collect()
    }
    let mut compare =
        |section: ConfigSection, a: Vec<(String, Fields)>, b: Vec<(String, Fields)>| {
            let change = |key: &str, kind, field: Option<&str>, before, after| ConfigChange {
                section,
                key: key.to_string(),
                kind,
                field: field.map(str::to_string),
                before,
                after,
            };
            for (k, old_fields) in &a {
                match b.iter().find(|(key, _)| key == k) {
                    None => {
                        let retired = section == ConfigSection::Zone
                            && new.retired_zones.iter().any(|r| r.code.as_str() == k)
                            && !old.retired_zones.iter().any(|r| r.code.as_str() == k);
                        let kind = if retired {
                            ChangeKind::Retired
                        } else {
                            ChangeKind::Removed
                        };
                        out.push(change(k, kind, None, None, None));
                    }
                    Some((_, new_fields)) => {
                        for (f, ov) in old_fields {
                            // A zone's bit is its identity: it never changes.
                            if f == "code" || f == "bit" || f == "date" {
                                continue;
                            }
                            let nv = new_fields.get(f).unwrap_or(&serde_json::Value::Null);
                            if nv != ov {
                                out.push(change(
                                    k,
                                    ChangeKind::Changed,
                                    Some(f),
                                    plain(ov),
                                    plain(nv),
                                ));
                            }
                        }
                    }
                }
            }
            for (k, _) in &b {
                if !a.iter().any(|(key, _)| key == k) {
                    out.push(change(k, ChangeKind::Added, None, None, None));
                }
            }
            let order = |items: &[(String, Fields)], other: &[(String, Fields)]| {
                items
                    .iter()
                    .filter(|(k, _)| other.iter().any(|(o, _)| o == k))
                    .map(|(k, _)| k.clone())
                    .collect::<Vec<_>>()
            };
            if section != ConfigSection::Day && order(&a, &b) != order(&b, &a) {
                out.push(ConfigChange {
                    section,
                    key: String::new(),
                    kind: ChangeKind::Reordered,
                    field: None,
                    before: Some(order(&a, &b).join(", ")),
                    after: Some(order(&b, &a).join(", ")),
                });
            }
        };
    compare(
        ConfigSection::Day,
        keyed(&old.days, |d| d.date.to_string()),
        keyed(&new.days, |d| d.date.to_string()),
    );
    compare(
        ConfigSection::Zone,
        keyed(&old.zones, |z| z.code.to_string()),
        keyed(&new.zones, |z| z.code.to_string()),
    );
    compare(
        ConfigSection::Category,
        keyed(&old.categories, |c| c.code.to_string()),
        keyed(&new.categories, |c| c.code.to_string()),
    );
    out
}

/// A save of the event: the event as edited and the event as the screen
/// loaded it, before any edit. When the stored event is no longer that one
/// (another console, or a sync from the hub, changed it meanwhile) the save
/// is refused ([`Error::Stale`]) rather than silently undoing that change.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EventSave {
    pub based_on: EventInfo,
    pub event: EventInfo,
    /// Reissue the printed badges whose access the change alters (a new
    /// version each, the attendee back to `preregistered`); without it
    /// their paper keeps its old access ([`access_impact`] counts them).
    #[serde(default)]
    #[ts(optional)]
    pub reissue: Option<bool>,
}

/// How many printed badges saving `new` would leave with their old access
/// (nothing is written).
pub async fn access_impact(
    store: &Store,
    new: EventInfo,
    now: Timestamp,
) -> Result<crate::badge_issue::AccessImpact> {
    let old = crate::event_store::load(store.read()).await?;
    let new = settle_zones(&old, new)?;
    let mut conn = store.read().acquire().await?;
    crate::badge_issue::access_impact(&mut conn, &old, &new, now).await
}

/// Saves `save.event` as the event, audited, unless the stored event is no
/// longer `save.based_on`. Returns the event as stored.
pub async fn save_event_based_on(
    store: &Store,
    save: EventSave,
    now: Timestamp,
    actor: &str,
) -> Result<EventInfo> {
    let reissue = save.reissue.unwrap_or(false);
    save_checked(store, Some(save.based_on), save.event, reissue, now, actor).await
}

/// Saves `new` as the event, audited, whatever the stored event is (the
/// CLI and tests; a screen uses [`save_event_based_on`]). Returns the event
/// as stored.
pub async fn save_event(
    store: &Store,
    new: EventInfo,
    now: Timestamp,
    actor: &str,
) -> Result<EventInfo> {
    save_checked(store, None, new, false, now, actor).await
}

async fn save_checked(
    store: &Store,
    based_on: Option<EventInfo>,
    new: EventInfo,
    reissue: bool,
    now: Timestamp,
    actor: &str,
) -> Result<EventInfo> {
    // The writer first: nothing changes the event between the check and the write.
    let mut tx = store.write().await?;
    let old = crate::event_store::load(store.read()).await?;
    if let Some(base) = based_on {
        let elsewhere = config_changes(&base, &old);
        if !elsewhere.is_empty() || !changes(&base, &old).is_empty() {
            return Err(Error::Stale(elsewhere));
        }
    }
    if new.code != old.code || new.serial_prefix != old.serial_prefix {
        return Err(Msg::EventCodeFixed {
            code: old.code.to_string(),
            prefix: old.serial_prefix.to_string(),
        }
        .into());
    }
    // A new zone with no day ticked would be closed every day: say so
    // rather than save a zone nobody can enter.
    if let Some(z) = new
        .zones
        .iter()
        .find(|z| z.open_days.is_empty() && old.zone(&z.code).is_none())
    {
        return Err(Msg::ZoneWithoutDay {
            code: z.code.to_string(),
        }
        .into());
    }
    let new = settle_zones(&old, new)?;
    new.validate()?;
    if new.zones.is_empty() || new.categories.is_empty() {
        return Err(Msg::EventNeedsZoneAndCategory {}.into());
    }
    for (list, dup) in [
        (
            ListKind::Zone,
            first_duplicate(new.zones.iter().map(|z| z.code.to_string())),
        ),
        (
            ListKind::Category,
            first_duplicate(new.categories.iter().map(|c| c.code.to_string())),
        ),
        (
            ListKind::Day,
            first_duplicate(new.days.iter().map(|d| d.date.to_string())),
        ),
    ] {
        if let Some(code) = dup {
            return Err(Msg::CodeTwice { list, code }.into());
        }
    }
    if let Some(z) = new
        .zones
        .iter()
        .find(|z| z.name_fr.trim().is_empty() || z.name_en.trim().is_empty())
    {
        return Err(Msg::ZoneNames {
            code: z.code.to_string(),
        }
        .into());
    }
    if let Some(c) = new
        .categories
        .iter()
        .find(|c| c.name_fr.trim().is_empty() || c.name_en.trim().is_empty())
    {
        return Err(Msg::CategoryNames {
            code: c.code.to_string(),
        }
        .into());
    }
    let diff = changes(&old, &new);
    if diff.is_empty() {
        return Ok(old);
    }
    // A category still held by attendees cannot go.
    for c in &old.categories {
        if new.category(&c.code).is_none() {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendee WHERE category = ?")
                .bind(c.code.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(Msg::CategoryHeld {
                    code: c.code.to_string(),
                    n,
                }
                .into());
            }
        }
    }
    // `replace` deletes then re-inserts the categories attendees refer to:
    // check the references when the transaction commits, not row by row.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    crate::event_store::replace(&mut tx, &new, now).await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "event.update",
        // `changes` in English for the record's readers; `config` the same
        // changes as data, which the console says in its own language.
        &serde_json::json!({ "changes": diff, "config": config_changes(&old, &new) }),
    )
    .await?;
    if reissue {
        crate::badge_issue::reissue_changed(&mut tx, &old, &new, now, actor).await?;
    }
    tx.commit().await?;
    crate::event_store::load(store.read()).await
}

/// The zones of `new` as saving over `old` makes them: every zone keeps its
/// bit in a token's zone mask, a zone no longer listed is retired (kept,
/// closed every day, its bit never given again), and a new zone takes the
/// lowest bit the event never used. Refuses what would change what a
/// printed badge opens: another bit for an existing zone, a retired zone's
/// code or bit for a new one. The retired zones are `old`'s plus those
/// removed now, whatever `new` lists.
pub fn settle_zones(old: &EventInfo, mut new: EventInfo) -> Result<EventInfo> {
    let earlier = old.zone_identities();
    for z in &new.zones {
        let was = earlier.iter().find(|e| e.code == z.code);
        if let Some(r) = old.retired_zone(&z.code) {
            return Err(Msg::ZoneCodeRetired {
                code: z.code.to_string(),
                bit: r.bit.into(),
            }
            .into());
        }
        match (was, z.bit) {
            (Some(e), Some(bit)) if bit != e.bit => {
                return Err(Msg::ZoneBitFixed {
                    code: z.code.to_string(),
                    bit: e.bit.into(),
                    new: bit.into(),
                }
                .into());
            }
            (None, Some(bit)) => {
                if let Some(holder) = earlier.iter().find(|e| e.bit == bit) {
                    return Err(Msg::ZoneBitTaken {
                        code: z.code.to_string(),
                        bit: bit.into(),
                        holder: holder.code.to_string(),
                        retired: Retired(old.retired_zone(&holder.code).is_some()),
                    }
                    .into());
                }
            }
            _ => {}
        }
    }
    new.retired_zones = old.retired_zones.clone();
    new.keep_identities(&earlier)?;
    // A retired zone is no longer in any category's default access.
    let retired: Vec<_> = new.retired_zones.iter().map(|r| r.code.clone()).collect();
    for c in &mut new.categories {
        c.zones.retain(|z| !retired.contains(z));
    }
    Ok(new)
}

fn first_duplicate(items: impl Iterator<Item = String>) -> Option<String> {
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().find(|i| !seen.insert(i.clone()))
}

/// A staff account as the console shows it (never the PIN or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: String,
    /// Still signs in with one of the demo PINs (1111, 2222, 3333, 4444),
    /// which are printed in the documentation: the console warns until
    /// changed, and `hub` and `pair` refuse to go live.
    pub demo_pin: bool,
    /// An active account whose PIN is shorter than its role's policy
    /// (admins and supervisors 8 digits, others 6), or was set before the
    /// policy: `hub` and `pair` refuse to go live until it is changed.
    pub pin_below_policy: bool,
}

/// A new account, or the changes to one (absent fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct StaffChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// A new PIN: 8 to 12 digits for admins and supervisors, 6 to 12 for
    /// the others.
    pub pin: Option<String>,
    /// For a change to an account: the account as the screen loaded it.
    /// When it is no longer so (changed elsewhere meanwhile), the change is
    /// refused ([`Error::Stale`]) rather than undoing the other one.
    #[ts(optional)]
    pub based_on: Option<StaffState>,
}

/// What a console may change of an account, as it loaded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffState {
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// What differs from `base` to `now` of one account, for a screen.
fn staff_changes(base: &StaffState, now: &StaffState) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, before: String, after: String| {
        out.push(ConfigChange {
            section: ConfigSection::Staff,
            key: now.name.clone(),
            kind: ChangeKind::Changed,
            field: Some(field.into()),
            before: Some(before),
            after: Some(after),
        })
    };
    if base.name != now.name {
        push("name", base.name.clone(), now.name.clone());
    }
    if base.role != now.role {
        push("role", base.role.as_str().into(), now.role.as_str().into());
    }
    if base.active != now.active {
        push("active", base.active.to_string(), now.active.to_string());
    }
    out
}

fn role_of(s: &str) -> Result<Role> {
    Role::from_stored(s).ok_or_else(|| Error::Internal(format!("unknown stored role {s:?}")))
}

/// Whether an active account's PIN of `digits` (unknown: set before the
/// policy) is below `role`'s policy.
fn below_policy(active: bool, role: Role, digits: Option<i64>) -> bool {
    active && digits.is_none_or(|d| d < i64::from(role.min_pin_digits()))
}

pub async fn staff(pool: &sqlx::SqlitePool) -> Result<Vec<StaffMember>> {
    let rows = sqlx::query(
        "SELECT id, name, role, active, created_at, pin_hash, pin_digits FROM staff ORDER BY active DESC, role, name",
    )
    .fetch_all(pool)
    .await?;
    let mut members = Vec::with_capacity(rows.len());
    let mut hashes = Vec::with_capacity(rows.len());
    for r in &rows {
        let active = r.get::<i64, _>(3) != 0;
        let role = role_of(r.get(2))?;
        members.push(StaffMember {
            id: r.get(0),
            name: r.get(1),
            role,
            active,
            created_at: r.get(4),
            demo_pin: false,
            pin_below_policy: below_policy(active, role, r.get(6)),
        });
        // Demo PINs have four digits: a PIN known to be longer is none.
        let digits: Option<i64> = r.get(6);
        let maybe_demo = active && digits.is_none_or(|d| d == 4);
        hashes.push(maybe_demo.then(|| r.get::<String, _>(5)));
    }
    // Argon2 is slow on purpose: off the async threads, active accounts only.
    let flags = tokio::task::spawn_blocking(move || {
        hashes
            .iter()
            .map(|h| h.as_deref().is_some_and(uses_demo_pin))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| Error::Internal(format!("PIN check: {e}")))?;
    for (m, demo) in members.iter_mut().zip(flags) {
        m.demo_pin = demo;
    }
    Ok(members)
}

/// The PIN hashes of the active accounts that may hold a demo PIN, in a
/// stable order. Demo PINs have four digits: a PIN known to be longer is
/// none, and checking it would cost four full Argon2 runs (seconds on a
/// busy laptop, for every screen that opens after a PIN changes).
pub async fn maybe_demo_pin_hashes(pool: &sqlx::SqlitePool) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT pin_hash FROM staff WHERE active = 1 AND (pin_digits IS NULL OR pin_digits = 4) ORDER BY id",
    )
    .fetch_all(pool)
    .await?)
}

/// How many of these hashes are of a published demo PIN (Argon2, off the
/// async threads).
pub async fn demo_pins_among(hashes: Vec<String>) -> Result<u32> {
    tokio::task::spawn_blocking(move || {
        u32::try_from(hashes.iter().filter(|h| uses_demo_pin(h)).count()).unwrap_or(u32::MAX)
    })
    .await
    .map_err(|e| Error::Internal(format!("PIN check: {e}")))
}

/// Whether a stored PIN hash is one of the published demo PINs.
fn uses_demo_pin(hash: &str) -> bool {
    crate::demo::DEMO_STAFF
        .iter()
        .any(|(_, _, pin)| Pin::parse(pin).is_ok_and(|p| p.matches(hash)))
}

/// The hash of a new PIN for an account of `role`, and its length: refused
/// outside the role's policy ([`Pin::for_role`]). Two accounts may share a
/// PIN: sign-in names the account first.
async fn new_pin_hash(pin: &str, role: Role) -> Result<(String, u32)> {
    let pin = Pin::for_role(pin, role)?;
    let digits = pin.digits();
    let hash = tokio::task::spawn_blocking(move || pin.hash())
        .await
        .map_err(|e| Error::Internal(format!("PIN hash: {e}")))??;
    Ok((hash, digits))
}

/// `hub` and `pair` (and the console's pairing) refuse while an active
/// account still has a published demo PIN or a PIN below its role's
/// policy: those PINs would travel to every station.
pub async fn go_live_check(pool: &sqlx::SqlitePool) -> Result<()> {
    let to_change: Vec<PinToChange> = staff(pool)
        .await?
        .into_iter()
        .filter(|m| m.active && (m.demo_pin || m.pin_below_policy))
        .map(|m| PinToChange {
            name: m.name,
            role: m.role,
            demo_pin: m.demo_pin,
        })
        .collect();
    if to_change.is_empty() {
        Ok(())
    } else {
        Err(Error::PinsToChange(to_change))
    }
}

pub async fn create_staff(
    store: &Store,
    change: StaffChange,
    now: Timestamp,
    actor: &str,
) -> Result<StaffMember> {
    let name = change.name.as_deref().map(str::trim).unwrap_or("");
    if name.is_empty() {
        return Err(Msg::StaffNameMissing {}.into());
    }
    let role = change
        .role
        .ok_or_else(|| Error::from(Msg::StaffRoleMissing {}))?;
    let pin = change.pin.as_deref().unwrap_or("");
    // Hashed before the write lock: Argon2 is deliberately slow.
    let (hash, digits) = new_pin_hash(pin, role).await?;
    let mut tx = store.write().await?;
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO staff (id, name, role, pin_hash, active, created_at, pin_digits) VALUES (?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(&id)
    .bind(name)
    .bind(role.as_str())
    .bind(hash)
    .bind(now.to_string())
    .bind(digits)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "staff.create",
        &serde_json::json!({ "id": id, "name": name, "role": role.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(StaffMember {
        id,
        name: name.to_string(),
        role,
        active: true,
        created_at: now.to_string(),
        demo_pin: false,
        pin_below_policy: false,
    })
}

pub async fn update_staff(
    store: &Store,
    id: &str,
    change: StaffChange,
    now: Timestamp,
    actor: &str,
) -> Result<StaffMember> {
    // A new PIN is hashed before the write lock (Argon2 is deliberately
    // slow), for the role the account will have.
    let new_pin = match change.pin.as_deref().filter(|p| !p.is_empty()) {
        Some(pin) => {
            let role = match change.role {
                Some(r) => r,
                None => role_of(
                    &sqlx::query_scalar::<_, String>("SELECT role FROM staff WHERE id = ?")
                        .bind(id)
                        .fetch_optional(store.read())
                        .await?
                        .ok_or_else(|| Error::from(Msg::NoStaffAccount { id: id.to_string() }))?,
                )?,
            };
            Some(new_pin_hash(pin, role).await?)
        }
        None => None,
    };
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "SELECT name, role, active, created_at, pin_hash, pin_digits FROM staff WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::from(Msg::NoStaffAccount { id: id.to_string() }))?;
    let mut m = StaffMember {
        id: id.to_string(),
        name: row.get(0),
        role: role_of(row.get(1))?,
        active: row.get::<i64, _>(2) != 0,
        created_at: row.get(3),
        demo_pin: false,
        pin_below_policy: false,
    };
    let old_hash: String = row.get(4);
    let old_digits: Option<i64> = row.get(5);
    if let Some(base) = &change.based_on {
        let stored = StaffState {
            name: m.name.clone(),
            role: m.role,
            active: m.active,
        };
        let elsewhere = staff_changes(base, &stored);
        if !elsewhere.is_empty() {
            return Err(Error::Stale(elsewhere));
        }
    }
    let was_admin = m.active && m.role == Role::Admin;
    let mut changed: Vec<&str> = Vec::new();
    if let Some(name) = change.name.as_deref().map(str::trim) {
        if name.is_empty() {
            return Err(Msg::StaffNameMissing {}.into());
        }
        if name != m.name {
            m.name = name.to_string();
            changed.push("name");
        }
    }
    if let Some(role) = change.role.filter(|r| *r != m.role) {
        m.role = role;
        changed.push("role");
    }
    if let Some(active) = change.active.filter(|a| *a != m.active) {
        m.active = active;
        changed.push("active");
    }
    if was_admin && !(m.active && m.role == Role::Admin) {
        let admins: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE active = 1 AND role = 'admin'")
                .fetch_one(&mut *tx)
                .await?;
        if admins <= 1 {
            return Err(Msg::LastAdmin {}.into());
        }
    }
    if let Some((_, digits)) = &new_pin {
        // The role may have changed since the PIN was checked for it.
        Pin::for_role(&"0".repeat(*digits as usize), m.role)?;
        changed.push("pin");
    } else if changed.contains(&"role")
        && below_policy(true, m.role, old_digits)
        && !below_policy(true, role_of(row.get(1))?, old_digits)
    {
        // A role with a longer PIN than the account has: a new one with it.
        return Err(Error::Fields(vec![
            crate::registry::problem::FieldError::new(
                "pin",
                crate::registry::problem::FieldProblem::PinPolicy {
                    role: m.role,
                    min: m.role.min_pin_digits(),
                    max: crate::staff::MAX_PIN_DIGITS,
                },
            ),
        ]));
    }
    let (hash, digits) = new_pin.map_or((None, None), |(h, d)| (Some(h), Some(d)));
    m.pin_below_policy = below_policy(m.active, m.role, digits.map(i64::from).or(old_digits));
    if hash.is_none() && m.active && old_digits.is_none_or(|d| d == 4) {
        m.demo_pin = tokio::task::spawn_blocking(move || uses_demo_pin(&old_hash))
            .await
            .map_err(|e| Error::Internal(format!("PIN check: {e}")))?;
    }
    if changed.is_empty() {
        return Ok(m);
    }
    sqlx::query(
        "UPDATE staff SET name = ?, role = ?, active = ?, pin_hash = COALESCE(?, pin_hash), pin_digits = COALESCE(?, pin_digits) WHERE id = ?",
    )
    .bind(&m.name)
    .bind(m.role.as_str())
    .bind(m.active)
    .bind(hash)
    .bind(digits)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "staff.update",
        &serde_json::json!({ "id": id, "name": m.name, "role": m.role.as_str(), "active": m.active, "changed": changed }),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_each_field() -> Result<()> {
        let old = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let mut new = old.clone();
        assert!(changes(&old, &new).is_empty());
        new.zones[0].capacity = Some(3500);
        new.categories.pop();
        let c = changes(&old, &new);
        assert!(
            c.iter().any(|l| l == "zone HALL capacity: 4000 → 3500"),
            "{c:?}"
        );
        assert!(
            c.iter().any(|l| l.starts_with("category CTR removed")),
            "{c:?}"
        );
        // A zone given a site (a field its JSON had not while unset).
        let mut sited = old.clone();
        sited.zones[0].site = Some("Site Lyon".into());
        assert_eq!(changes(&old, &sited), ["zone HALL site: — → Site Lyon"],);
        assert_eq!(changes(&sited, &old), ["zone HALL site: Site Lyon → —"],);
        // Plain words in the audit log, no JSON.
        let mut new = old.clone();
        let day: jiff::civil::Date = "2025-11-10".parse().map_err(|_| Error::bad_input("date"))?;
        new.days.insert(
            0,
            crate::event::EventDay {
                date: day,
                demo: false,
            },
        );
        new.zones[0].open_days = vec![day];
        let c = changes(&old, &new);
        assert_eq!(
            c,
            [
                "day 2025-11-10 added (demo: false)",
                "zone HALL open_days: 2025-11-11, 2025-11-12, 2025-11-13, 2025-11-14 → 2025-11-10",
            ],
        );
        Ok(())
    }

    fn new_zone(code: &str) -> Result<crate::event::Zone> {
        Ok(crate::event::Zone {
            code: code.parse()?,
            bit: None,
            name_fr: code.into(),
            name_en: code.into(),
            capacity: None,
            antipassback: crate::event::Antipassback::Off,
            open_days: Vec::new(),
            site: None,
        })
    }

    fn bits(e: &EventInfo) -> Vec<(String, Option<u8>)> {
        e.zones
            .iter()
            .map(|z| (z.code.to_string(), z.bit))
            .collect()
    }

    #[test]
    fn zone_bits_are_stable_and_never_reused() -> Result<()> {
        let old = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        // BIZ removed, the rest reversed, LOUNGE added.
        let mut edit = old.clone();
        edit.zones.retain(|z| z.code.as_str() != "BIZ");
        edit.zones.reverse();
        edit.zones.push(new_zone("LOUNGE")?);
        let saved = settle_zones(&old, edit)?;
        saved.validate()?;
        let some = |code: &str, bit: u8| (code.to_string(), Some(bit));
        assert_eq!(
            bits(&saved),
            [
                some("DEMO", 4),
                some("PRESS", 3),
                some("VIP", 2),
                some("HALL", 0),
                // Not 1: BIZ's bit is never given again.
                some("LOUNGE", 5),
            ]
        );
        assert_eq!(
            saved
                .retired_zones
                .iter()
                .map(|r| (r.code.as_str(), r.bit))
                .collect::<Vec<_>>(),
            [("BIZ", 1)]
        );
        assert!(saved
            .categories
            .iter()
            .all(|c| c.zones.iter().all(|z| z.as_str() != "BIZ")));
        assert!(changes(&old, &saved)
            .iter()
            .any(|l| l == "zone BIZ retired (bit 1, never given again)"));

        // A client that forgets the retired zones cannot free their bits.
        let mut edit = saved.clone();
        edit.retired_zones.clear();
        edit.zones.retain(|z| z.code.as_str() != "LOUNGE");
        edit.zones.push(new_zone("PARK")?);
        let again = settle_zones(&saved, edit)?;
        assert_eq!(again.zone_bit("PARK"), Some(6));
        assert_eq!(again.zone_bit("BIZ"), Some(1));
        assert_eq!(again.zone_bit("LOUNGE"), Some(5));
        assert_eq!(again.retired_zones.len(), 2);

        // Refused: another bit for an existing zone, a retired code or bit
        // for a new zone.
        let refused = |edit: EventInfo, needle: &str| {
            let r = settle_zones(&again, edit);
            assert!(
                matches!(&r, Err(e) if e.to_string().contains(needle)),
                "{needle}: {r:?}"
            );
        };
        let mut edit = again.clone();
        edit.zones[0].bit = Some(1);
        refused(edit, "cannot become 1");
        let mut edit = again.clone();
        edit.zones.push(new_zone("BIZ")?);
        refused(edit, "retired");
        let mut edit = again.clone();
        let mut z = new_zone("NEW")?;
        z.bit = Some(5);
        edit.zones.push(z);
        refused(edit, "bit 5 belongs to the retired zone LOUNGE");
        Ok(())
    }

    #[test]
    fn sixty_four_bits_then_no_more_zones() -> Result<()> {
        let mut old = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        for n in 5..64 {
            old.zones.push(new_zone(&format!("Z{n}"))?);
        }
        let old = settle_zones(&crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?, old)?;
        assert_eq!(old.zone_bit("Z63"), Some(63));
        // Retiring one does not make room: its bit stays taken.
        let mut edit = old.clone();
        edit.zones.retain(|z| z.code.as_str() != "Z10");
        edit.zones.push(new_zone("MORE")?);
        let r = settle_zones(&old, edit);
        assert!(
            matches!(&r, Err(e) if e.msg().is_some_and(|m| m.key() == "zone_bits_full")),
            "{r:?}"
        );
        Ok(())
    }

    #[tokio::test]
    async fn a_new_zone_with_no_day_ticked_is_refused_by_name() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let store = Store::open(&dir.path().join("g.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        let mut event = crate::event_store::load(store.read()).await?;
        event.zones.push(new_zone("ANNEX")?);
        let refused = save_event(&store, event.clone(), now, "a").await;
        assert!(
            matches!(&refused, Err(e) if e.to_string().starts_with("zone ANNEX: tick at least one day")
                && e.localized(crate::lang::Lang::Fr).starts_with("zone ANNEX : cochez au moins un jour")),
            "{refused:?}"
        );
        // With a day ticked it is saved; an existing zone may later close every day.
        let first = event.days[0].date;
        if let Some(z) = event.zones.last_mut() {
            z.open_days = vec![first];
        }
        let saved = save_event(&store, event, now, "a").await?;
        let mut closed = saved.clone();
        if let Some(z) = closed.zones.last_mut() {
            z.open_days.clear();
        }
        save_event(&store, closed, now, "a").await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_save_based_on_an_older_event_is_refused_and_says_what_changed() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let store = Store::open(&dir.path().join("g.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        // Two consoles load the same event.
        let loaded = crate::event_store::load(store.read()).await?;

        // The first opens HALL on a new day before the others and saves.
        let mut first = loaded.clone();
        let day: jiff::civil::Date = "2025-11-10".parse().map_err(|_| Error::bad_input("date"))?;
        first.days.insert(
            0,
            crate::event::EventDay {
                date: day,
                demo: false,
            },
        );
        first.zones[0].open_days.insert(0, day);
        let saved = save_event_based_on(
            &store,
            EventSave {
                based_on: loaded.clone(),
                event: first,
                reissue: None,
            },
            now,
            "a",
        )
        .await?;
        assert_eq!(saved.days.len(), loaded.days.len() + 1);

        // The second, still showing the old event, changes only the city.
        let mut second = loaded.clone();
        second.city = "Ségou".into();
        let refused = save_event_based_on(
            &store,
            EventSave {
                based_on: loaded.clone(),
                event: second.clone(),
                reissue: None,
            },
            now,
            "b",
        )
        .await;
        let Err(Error::Stale(elsewhere)) = refused else {
            panic!("a stale save went through: {refused:?}");
        };
        assert!(
            elsewhere.contains(&ConfigChange {
                section: ConfigSection::Day,
                key: "2025-11-10".into(),
                kind: ChangeKind::Added,
                field: None,
                before: None,
                after: None,
            }),
            "{elsewhere:?}"
        );
        assert!(
            elsewhere.iter().any(|c| c.section == ConfigSection::Zone
                && c.key == "HALL"
                && c.field.as_deref() == Some("open_days")
                && c.after
                    .as_deref()
                    .is_some_and(|a| a.starts_with("2025-11-10, "))),
            "{elsewhere:?}"
        );
        let api: crate::error::ApiError = Error::Stale(elsewhere).into();
        assert_eq!(api.code, crate::error::ErrorCode::Conflict);
        assert!(api.message.contains("modifiée ailleurs"), "{}", api.message);
        let en = api.in_lang(crate::lang::Lang::En).message;
        assert!(en.contains("changed elsewhere"), "{en}");
        // Nothing was undone.
        let stored = crate::event_store::load(store.read()).await?;
        assert_eq!(stored.days.len(), loaded.days.len() + 1);
        assert_eq!(stored.city, loaded.city);

        // Reloaded, the same edit goes through and keeps the new day.
        let mut again = stored.clone();
        again.city = "Ségou".into();
        let saved = save_event_based_on(
            &store,
            EventSave {
                based_on: stored,
                event: again,
                reissue: None,
            },
            now,
            "b",
        )
        .await?;
        assert_eq!(saved.city, "Ségou");
        assert_eq!(saved.days.first().map(|d| d.date), Some(day));
        Ok(())
    }

    #[tokio::test]
    async fn a_staff_change_based_on_an_older_account_is_refused() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let store = Store::open(&dir.path().join("g.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        let gate = staff(store.read())
            .await?
            .into_iter()
            .find(|m| m.role == Role::Gate)
            .ok_or_else(|| Error::Internal("no demo gate".into()))?;
        let base = StaffState {
            name: gate.name.clone(),
            role: gate.role,
            active: gate.active,
        };
        // One console makes the account a desk's.
        update_staff(
            &store,
            &gate.id,
            StaffChange {
                role: Some(Role::Desk),
                based_on: Some(base.clone()),
                ..StaffChange::default()
            },
            now,
            "a",
        )
        .await?;
        // Another, still showing the gate, renames it with the whole row.
        let refused = update_staff(
            &store,
            &gate.id,
            StaffChange {
                name: Some("Porte Hall 1".into()),
                role: Some(Role::Gate),
                active: Some(true),
                based_on: Some(base),
                ..StaffChange::default()
            },
            now,
            "b",
        )
        .await;
        let Err(Error::Stale(elsewhere)) = refused else {
            panic!("a stale change went through: {refused:?}");
        };
        assert_eq!(
            elsewhere,
            [ConfigChange {
                section: ConfigSection::Staff,
                key: gate.name.clone(),
                kind: ChangeKind::Changed,
                field: Some("role".into()),
                before: Some("gate".into()),
                after: Some("desk".into()),
            }]
        );
        let now_stored = staff(store.read()).await?;
        assert!(now_stored
            .iter()
            .any(|m| m.id == gate.id && m.role == Role::Desk && m.name == gate.name));
        Ok(())
    }

    #[tokio::test]
    async fn demo_pins_are_flagged_until_changed_and_never_given_again() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("temp dir", e))?;
        let store = Store::open(&dir.path().join("g.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        let all = staff(store.read()).await?;
        assert_eq!(all.len(), 4);
        assert!(
            all.iter().all(|m| m.demo_pin && m.pin_below_policy),
            "{all:?}"
        );
        assert!(matches!(
            go_live_check(store.read()).await,
            Err(Error::PinsToChange(p)) if p.len() == 4
        ));

        let find = |role: Role| {
            all.iter()
                .find(|m| m.role == role)
                .cloned()
                .ok_or_else(|| Error::Internal(format!("no demo {role:?}")))
        };
        let pin_change = |pin: &str| StaffChange {
            pin: Some(pin.into()),
            ..StaffChange::default()
        };
        let admin = find(Role::Admin)?;
        // A demo PIN, and six digits for an admin: the rule says why.
        for pin in ["2222", "904172"] {
            let refused = update_staff(&store, &admin.id, pin_change(pin), now, "t").await;
            let Err(e @ Error::Fields(_)) = &refused else {
                panic!("{pin} accepted: {refused:?}");
            };
            assert!(e.to_string().contains("8 to 12 digits"), "{e}");
            assert!(
                e.localized(crate::lang::Lang::Fr)
                    .contains("de 8 à 12 chiffres"),
                "{}",
                e.localized(crate::lang::Lang::Fr)
            );
        }
        let maybe = maybe_demo_pin_hashes(store.read()).await?;
        assert_eq!(demo_pins_among(maybe).await?, 4);
        let changed = update_staff(&store, &admin.id, pin_change("90417253"), now, "t").await?;
        assert!(!changed.demo_pin && !changed.pin_below_policy);
        // The station's banner counts three; the new 8-digit PIN is not even checked.
        let maybe = maybe_demo_pin_hashes(store.read()).await?;
        assert_eq!(maybe.len(), 3);
        assert_eq!(demo_pins_among(maybe).await?, 3);
        // Two accounts may share a PIN: sign-in names the account.
        let supervisor = find(Role::Supervisor)?;
        update_staff(&store, &supervisor.id, pin_change("90417253"), now, "t").await?;
        let renamed = StaffChange {
            name: Some("Chef sécurité".into()),
            ..StaffChange::default()
        };
        let desk = find(Role::Desk)?;
        assert!(
            update_staff(&store, &desk.id, renamed, now, "t")
                .await?
                .demo_pin
        );
        update_staff(&store, &desk.id, pin_change("504918"), now, "t").await?;
        // A gate's six digits do not make a supervisor.
        let gate = find(Role::Gate)?;
        update_staff(&store, &gate.id, pin_change("771204"), now, "t").await?;
        let promoted = StaffChange {
            role: Some(Role::Supervisor),
            ..StaffChange::default()
        };
        assert!(matches!(
            update_staff(&store, &gate.id, promoted, now, "t").await,
            Err(Error::Fields(_))
        ));
        go_live_check(store.read()).await?;
        assert!(staff(store.read())
            .await?
            .iter()
            .all(|m| !m.demo_pin && !m.pin_below_policy));
        Ok(())
    }
}
