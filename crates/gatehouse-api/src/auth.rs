//! Staff sign-in with a personal PIN, sessions with an idle lock, and the
//! role policy that every operation is checked against.
//!
//! The policy ([`allows`]) is a pure function; sessions live in memory on the
//! station (a restart signs everyone out, which is what a shared kiosk wants).

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::messages::{Msg, RoleWord};
use crate::staff::{Pin, Role};

// The permissions and the role policy are pure: the core holds them (the
// sync policy checks records with them too); here at their old paths.
pub use gatehouse_core::permission::{allows, station_allows, Permission};

/// Who is asking: a signed-in staff member, or the operator of this machine
/// through the command line (who holds the database file anyway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Staff {
        id: String,
        name: String,
        role: Role,
    },
    Local,
}

impl Caller {
    /// The name written into the audit log.
    pub fn actor(&self) -> String {
        match self {
            Caller::Staff { name, id, .. } => format!("{name} ({id})"),
            Caller::Local => "cli".into(),
        }
    }

    pub fn require(&self, need: Permission) -> Result<()> {
        match self {
            Caller::Local => Ok(()),
            Caller::Staff { role, .. } if allows(*role, need) => Ok(()),
            Caller::Staff { role, .. } => {
                tracing::debug!("the {} role may not: {need:?}", role.as_str());
                Err(Msg::RoleMayNot {
                    role: RoleWord(*role),
                }
                .into())
            }
        }
    }
}

/// What the UI keeps after signing in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SessionInfo {
    /// Sent back with every request (`Authorization: Bearer …`, or the
    /// `session` argument of a Tauri command).
    pub token: String,
    pub name: String,
    pub role: Role,
    /// The station locks after this many seconds without activity.
    pub idle_timeout_s: u32,
}

struct Entry {
    caller: Caller,
    /// The role this station was paired as when the session opened.
    station: Option<Role>,
    last_seen: Timestamp,
}

/// The station's open sessions.
pub struct Sessions {
    idle: SignedDuration,
    open: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("idle", &self.idle)
            .finish_non_exhaustive()
    }
}

impl Sessions {
    pub fn new(idle_timeout_s: u32) -> Sessions {
        Sessions {
            idle: SignedDuration::from_secs(i64::from(idle_timeout_s.max(10))),
            open: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new session for `caller` at a station paired as `station` (`None`:
    /// the hub or a standalone station).
    pub fn open(&self, caller: Caller, station: Option<Role>, now: Timestamp) -> SessionInfo {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let (name, role) = match &caller {
            Caller::Staff { name, role, .. } => (name.clone(), *role),
            Caller::Local => ("cli".into(), Role::Admin),
        };
        let mut open = self.lock();
        open.retain(|_, e| now.duration_since(e.last_seen) < self.idle);
        open.insert(
            token.clone(),
            Entry {
                caller,
                station,
                last_seen: now,
            },
        );
        SessionInfo {
            token,
            name,
            role,
            idle_timeout_s: u32::try_from(self.idle.as_secs()).unwrap_or(u32::MAX),
        }
    }

    /// The caller behind `token`, if the session is open and not idle; each
    /// use keeps it alive.
    pub fn check(&self, token: Option<&str>, now: Timestamp) -> Result<Caller> {
        self.check_at(token, now).map(|(caller, _)| caller)
    }

    /// The caller behind `token`, with the role its station was paired as.
    pub fn check_at(&self, token: Option<&str>, now: Timestamp) -> Result<(Caller, Option<Role>)> {
        let token = token.ok_or_else(|| Error::from(Msg::SignIn {}))?;
        let mut open = self.lock();
        match open.get_mut(token) {
            Some(e) if now.duration_since(e.last_seen) < self.idle => {
                e.last_seen = now;
                Ok((e.caller.clone(), e.station))
            }
            Some(_) => {
                open.remove(token);
                Err(Msg::Locked {}.into())
            }
            None => Err(Error::from(Msg::SignIn {})),
        }
    }

    /// The session behind `token` again (a page reloaded), if it is open
    /// and not idle; it stays the same session.
    pub fn resume(&self, token: Option<&str>, now: Timestamp) -> Result<SessionInfo> {
        match self.check(token, now)? {
            Caller::Staff { name, role, .. } => Ok(SessionInfo {
                token: token.unwrap_or_default().to_string(),
                name,
                role,
                idle_timeout_s: u32::try_from(self.idle.as_secs()).unwrap_or(u32::MAX),
            }),
            Caller::Local => Err(Msg::SignIn {}.into()),
        }
    }

    pub fn close(&self, token: &str) {
        self.lock().remove(token);
    }
}

/// An account as a station's sign-in screen lists it: who, never a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignInName {
    pub id: String,
    pub name: String,
    pub role: Role,
}

/// The active accounts that sign in at a station paired as `station`
/// (`None`: standalone or the hub, everyone), by name.
pub async fn sign_in_names(pool: &SqlitePool, station: Option<Role>) -> Result<Vec<SignInName>> {
    let rows = sqlx::query("SELECT id, name, role FROM staff WHERE active = 1 ORDER BY name, id")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let role = Role::from_stored(r.get(2))?;
            role.signs_in_at(station).then(|| SignInName {
                id: r.get(0),
                name: r.get(1),
                role,
            })
        })
        .collect())
}

/// The active account `id`, if it signs in at a station paired as
/// `station` and `pin` is its PIN: one Argon2 check. Its stored hash comes
/// back too (to be made again at the current cost).
pub async fn staff_by_pin(
    pool: &SqlitePool,
    id: &str,
    pin: &str,
    station: Option<Role>,
) -> Result<(Caller, String)> {
    // Every sign-in that does not open a session is refused alike: a wrong
    // PIN, an account not (or no longer) active here, or none by that id.
    let wrong = || Error::from(Msg::WrongPin {});
    let row = sqlx::query("SELECT name, role, pin_hash FROM staff WHERE id = ? AND active = 1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Err(wrong());
    };
    let (name, role, hash): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    let role = Role::from_stored(&role)
        .ok_or_else(|| Error::Internal(format!("staff {id} has an unknown role {role:?}")))?;
    if !role.signs_in_at(station) {
        return Err(wrong());
    }
    let Ok(pin) = Pin::parse(pin) else {
        return Err(wrong());
    };
    // Argon2 is slow on purpose; run the check off the async threads.
    let checked = hash.clone();
    let right = tokio::task::spawn_blocking(move || pin.matches(&checked))
        .await
        .map_err(|e| Error::Internal(format!("PIN check failed: {e}")))?;
    if !right {
        return Err(wrong());
    }
    Ok((
        Caller::Staff {
            id: id.to_string(),
            name,
            role,
        },
        hash,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_keeps_each_role_to_its_job() {
        assert!(allows(Role::Admin, Permission::Revoke));
        assert!(allows(Role::Desk, Permission::PrintBadges));
        assert!(!allows(Role::Desk, Permission::Scan));
        assert!(!allows(Role::Desk, Permission::Revoke));
        assert!(allows(Role::Gate, Permission::Scan));
        assert!(allows(Role::Gate, Permission::ViewHolder));
        assert!(!allows(Role::Gate, Permission::ViewRegistry));
        assert!(!allows(Role::Gate, Permission::EditRegistry));
        assert!(!allows(Role::Gate, Permission::ManageEvent));
        assert!(!allows(Role::Gate, Permission::Override));
        assert!(allows(Role::Supervisor, Permission::Override));
        assert!(allows(Role::Supervisor, Permission::Scan));
        assert!(!allows(Role::Supervisor, Permission::Revoke));
        assert!(!allows(Role::Supervisor, Permission::ViewRegistry));
        // The security officer: vetting, and the holder's photo; nothing
        // else of the console, the desk or the gate.
        assert!(allows(Role::Vetting, Permission::Vet));
        assert!(allows(Role::Vetting, Permission::ViewHolder));
        for need in [
            Permission::ViewRegistry,
            Permission::EditRegistry,
            Permission::PrintBadges,
            Permission::Scan,
            Permission::Revoke,
            Permission::Override,
            Permission::ManageEvent,
        ] {
            assert!(!allows(Role::Vetting, need), "{need:?}");
        }
        assert!(!allows(Role::Desk, Permission::Vet));
        assert!(!allows(Role::Gate, Permission::Vet));
        assert!(!allows(Role::Supervisor, Permission::Vet));
        // Signs in at the hub or an organiser station only.
        assert!(Role::Vetting.signs_in_at(None));
        assert!(Role::Vetting.signs_in_at(Some(Role::Admin)));
        assert!(!Role::Vetting.signs_in_at(Some(Role::Desk)));
        assert!(!Role::Vetting.signs_in_at(Some(Role::Gate)));
        assert_eq!(Role::Vetting.min_pin_digits(), 8);
    }

    #[test]
    fn a_station_does_only_the_work_of_the_role_it_was_paired_as() {
        use Permission::*;
        let every = [
            ViewRegistry,
            ViewHolder,
            StationStatus,
            EditRegistry,
            PrintBadges,
            Scan,
            Revoke,
            Override,
            ManageEvent,
        ];
        // The hub, an organiser station and a standalone one: everything.
        for need in every {
            assert!(station_allows(None, need), "{need:?}");
            assert!(station_allows(Some(Role::Admin), need), "{need:?}");
        }
        // A gate: scans, the holder, the override, its own state.
        let gate: Vec<Permission> = every
            .into_iter()
            .filter(|n| station_allows(Some(Role::Gate), *n))
            .collect();
        assert_eq!(gate, [ViewHolder, StationStatus, Scan, Override]);
        // A desk: the registry and printing, never the console or a gate.
        let desk: Vec<Permission> = every
            .into_iter()
            .filter(|n| station_allows(Some(Role::Desk), *n))
            .collect();
        assert_eq!(
            desk,
            [
                ViewRegistry,
                ViewHolder,
                StationStatus,
                EditRegistry,
                PrintBadges
            ]
        );
        // An organiser signed in at a desk still has a desk's reach there.
        assert!(allows(Role::Admin, ManageEvent));
        assert!(!station_allows(Some(Role::Desk), ManageEvent));
        assert!(!station_allows(Some(Role::Gate), ManageEvent));
    }

    #[test]
    fn sessions_lock_when_idle_and_stay_alive_when_used() -> Result<()> {
        let sessions = Sessions::new(60);
        let t0: Timestamp = "2025-11-11T08:00:00Z".parse().map_err(|_| Error::NoEvent)?;
        let caller = Caller::Staff {
            id: "x".into(),
            name: "Awa".into(),
            role: Role::Gate,
        };
        let info = sessions.open(caller.clone(), None, t0);
        let at = |s: i64| t0 + SignedDuration::from_secs(s);
        assert_eq!(sessions.check(Some(&info.token), at(50))?, caller);
        assert_eq!(
            sessions.check(Some(&info.token), at(100))?,
            caller,
            "use keeps it alive"
        );
        assert!(matches!(
            sessions.check(Some(&info.token), at(161)),
            Err(e) if e.msg() == Some(&Msg::Locked {})
        ));
        assert!(sessions.check(Some("forged"), at(0)).is_err());
        assert!(sessions.check(None, at(0)).is_err());
        Ok(())
    }
}
