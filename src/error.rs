//! The core's one error type, and its wire form `{code, message}`.
//!
//! Every shell (CLI, HTTP, Tauri) shows `message` to people and lets programs
//! branch on `code`, a closed set. Messages name the row, field or value at fault.

use serde::Serialize;
use ts_rs::TS;

use crate::console::setup::ConfigChange;
use crate::registry::problem::FieldError;

/// What went wrong, as a shell or a UI needs to tell cases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was refused: the message names the field and why.
    BadInput,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    /// The database holds no event yet (`gatehouse demo` creates one).
    NoEvent,
    /// Too many wrong PINs from this source: `retry_after_s` says how long to wait.
    TooManyAttempts,
    /// The disk holding the station's database is full: nothing was recorded.
    DiskFull,
    /// The station's database is damaged, cut short, or missing while the
    /// station is paired: the station stops; the message says what to do.
    DatabaseDamaged,
    /// A paired station cannot know the time (its clock went back, or too
    /// far on, since its last reading of the hub's): no gate decision until
    /// its clock is set and it syncs; `last_safe_at` is the last time it knew.
    TimeUnknown,
    Internal,
}

/// An error as it crosses a boundary (IPC, HTTP, `--json`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For a refused attendee (`bad_input`): each refused field and its
    /// problem, so a form can say it in place, in its own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<FieldError>>,
    /// For `too_many_attempts`: seconds before the next try is heard.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after_s: Option<u64>,
    /// For a configuration save refused because it was changed elsewhere
    /// since the screen loaded it (`conflict`): what changed there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub changes: Option<Vec<ConfigChange>>,
    /// For `time_unknown`: the last time the station knew for sure (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<String>")]
    pub last_safe_at: Option<Box<str>>,
    /// For `disk_full` and `database_damaged` at a paired station: what it
    /// recorded that has not reached the hub.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<crate::sync::recover::Unsent>")]
    pub unsent: Option<Box<crate::sync::recover::Unsent>>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadInput(String),
    /// An attendee refused field by field (`bad_input` on the wire).
    #[error("{}", fields_text(.0))]
    Fields(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A configuration save based on a state that is no longer the stored
    /// one (`conflict` on the wire, with `changes`).
    #[error("{}", stale_text(.0))]
    Stale(Vec<ConfigChange>),
    #[error("{0}")]
    Forbidden(String),
    /// `hub` and `pair` refuse to go live while these active accounts keep
    /// a published demo PIN or one below their role's policy (`conflict`).
    #[error("{}", pins_to_change_text(.0, crate::cli::Lang::En))]
    PinsToChange(Vec<crate::console::setup::PinToChange>),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("no event in this database: run `gatehouse demo` to create the demo event")]
    NoEvent,
    #[error("too many wrong PINs: try again in {wait_s} s")]
    TooManyAttempts { wait_s: u64 },
    /// The database's disk is full or the database is damaged: what
    /// happened and what to do, in English and French.
    #[error("{en}")]
    Storage {
        problem: StorageProblem,
        en: String,
        fr: String,
        /// A paired station's records that have not reached the hub, as
        /// far as what is still readable tells.
        unsent: Option<crate::sync::recover::Unsent>,
    },
    /// A paired station cannot know the time: no decision on a guess.
    #[error("{}", time_unknown_text(*.last_safe_ms, crate::cli::Lang::En))]
    TimeUnknown { last_safe_ms: i64 },
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with a station's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageProblem {
    Full,
    Damaged,
}

/// SQLite's primary result code of a database error, if it is one.
fn sqlite_code(e: &sqlx::Error) -> Option<i32> {
    match e {
        sqlx::Error::Database(d) => d.code()?.parse::<i32>().ok(),
        _ => None,
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match sqlite_code(&e) {
            // SQLITE_FULL, and SQLITE_IOERR_SHMSIZE (no room for the WAL index)
            Some(13 | 4874) => Error::disk_full(&e.to_string()),
            // SQLITE_IOERR (any other), SQLITE_CORRUPT, SQLITE_NOTADB
            Some(c) if matches!(c & 0xff, 10 | 11 | 26) => Error::damaged(&e.to_string()),
            _ => Error::Database(e),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        use sqlx::migrate::MigrateError as M;
        match e {
            M::Execute(inner) | M::ExecuteMigration(inner, _) if sqlite_code(&inner).is_some() => {
                match Error::from(inner) {
                    Error::Database(inner) => Error::Migrate(M::Execute(inner)),
                    storage => storage,
                }
            }
            e => Error::Migrate(e),
        }
    }
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::BadInput(message.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The disk under the database is full (`detail`: SQLite's words).
    pub fn disk_full(detail: &str) -> Self {
        Error::Storage {
            problem: StorageProblem::Full,
            en: format!(
                "the disk holding this station's database is full ({detail}): nothing was recorded and no verdict was given. \
                 Free space on that disk (or move the database to a larger one), then go on; what was recorded before is safe"
            ),
            fr: format!(
                "le disque qui porte la base de ce poste est plein ({detail}) : rien n'a été enregistré et aucun verdict n'a été rendu. \
                 Libérez de la place sur ce disque (ou déplacez la base sur un disque plus grand), puis reprenez ; ce qui était enregistré est intact"
            ),
            unsent: None,
        }
    }

    /// The database is damaged (`detail`: what SQLite found, in its words).
    pub fn damaged(detail: &str) -> Self {
        Error::damaged_because(detail, detail)
    }

    /// The database is damaged: what was found, in English and French.
    pub fn damaged_because(detail: &str, detail_fr: &str) -> Self {
        Error::Storage {
            problem: StorageProblem::Damaged,
            en: format!(
                "this station's database is damaged ({detail}): stop using this station and scan at another one. \
                 Nothing was deleted: keep the database file, its -wal file and its .keys folder; on the hub, un-pair this station \
                 (`gatehouse unpair STATION`) and pair this laptop again with a new database (`gatehouse join URL --code CODE --db NEW.db`)"
            ),
            fr: format!(
                "la base de ce poste est endommagée ({detail_fr}) : n'utilisez plus ce poste, contrôlez à un autre. \
                 Rien n'a été effacé : gardez le fichier de la base, son fichier -wal et son dossier .keys ; sur le hub, désappairez ce poste \
                 (`gatehouse unpair POSTE`) puis appairez à nouveau ce portable avec une nouvelle base (`gatehouse join URL --code CODE --db NOUVELLE.db`)"
            ),
            unsent: None,
        }
    }

    /// A storage error told with how many records of the station at `db`
    /// have not reached the hub, and how they are recovered.
    pub fn with_unsent(self, counted: crate::sync::recover::Unsent, db: &std::path::Path) -> Self {
        let Error::Storage {
            problem, en, fr, ..
        } = self
        else {
            return self;
        };
        let shown = db.display();
        let (how_en, how_fr) = match problem {
            StorageProblem::Full => (
                "they leave at the next sync once space is freed".to_string(),
                "ils partiront à la prochaine synchronisation, une fois de la place libérée".to_string(),
            ),
            StorageProblem::Damaged => (
                format!("pairing this laptop again recovers what is intact of them: on the hub `gatehouse pair --role ROLE --replaces STATION`, then `gatehouse join URL --code CODE --db NEW.db --recover {shown}`"),
                format!("appairer à nouveau ce portable en récupère ce qui est intact : sur le hub `gatehouse pair --role RÔLE --replaces POSTE`, puis `gatehouse join URL --code CODE --db NOUVELLE.db --recover {shown}`"),
            ),
        };
        Error::Storage {
            problem,
            en: format!(
                "{en}. {}: {how_en}",
                capital(&counted.words(crate::cli::Lang::En))
            ),
            fr: format!(
                "{fr}. {} : {how_fr}",
                capital(&counted.words(crate::cli::Lang::Fr))
            ),
            unsent: Some(counted),
        }
    }

    /// The message in `lang`, where the core has it in both languages
    /// (storage problems); the English one otherwise.
    pub fn localized(&self, lang: crate::cli::Lang) -> String {
        match (self, lang) {
            (Error::Storage { fr, .. }, crate::cli::Lang::Fr) => fr.clone(),
            (Error::PinsToChange(accounts), lang) => pins_to_change_text(accounts, lang),
            (Error::Fields(fields), crate::cli::Lang::Fr) => fields
                .iter()
                .map(|f| format!("{} : {}", f.field, f.problem.text(lang)))
                .collect::<Vec<_>>()
                .join(" ; "),
            (Error::TimeUnknown { last_safe_ms }, lang) => time_unknown_text(*last_safe_ms, lang),
            _ => self.to_string(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::BadInput(_) | Error::Fields(_) => ErrorCode::BadInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) | Error::Stale(_) | Error::PinsToChange(_) => ErrorCode::Conflict,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Error::NoEvent => ErrorCode::NoEvent,
            Error::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Error::Storage {
                problem: StorageProblem::Full,
                ..
            } => ErrorCode::DiskFull,
            Error::Storage {
                problem: StorageProblem::Damaged,
                ..
            } => ErrorCode::DatabaseDamaged,
            Error::TimeUnknown { .. } => ErrorCode::TimeUnknown,
            Error::Database(_) | Error::Migrate(_) | Error::Io { .. } | Error::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }
}

/// `"family_name: the family name is missing; email: …"`: the one-line
/// English form scripts and logs have always read.
fn fields_text(fields: &[FieldError]) -> String {
    let text: Vec<String> = fields
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    text.join("; ")
}

/// Which accounts keep a station from going live, and how to change their PINs.
fn pins_to_change_text(
    accounts: &[crate::console::setup::PinToChange],
    lang: crate::cli::Lang,
) -> String {
    use crate::cli::Lang;
    let names: Vec<String> = accounts
        .iter()
        .map(|a| {
            let why = match (lang, a.demo_pin) {
                (Lang::Fr, true) => "PIN de démonstration",
                (Lang::Fr, false) => "PIN trop court",
                (Lang::En, true) => "demo PIN",
                (Lang::En, false) => "PIN too short",
            };
            format!("{} ({why})", a.name)
        })
        .collect();
    match lang {
        Lang::Fr => format!(
            "pas de mise en service tant que ces comptes actifs gardent un PIN publié ou plus court que la règle \
             (organisateurs et superviseurs : 8 chiffres au moins, les autres : 6) : {}. \
             Donnez à chacun un nouveau PIN dans la console (Configuration, Comptes du personnel) \
             ou avec `gatehouse staff pin NOM` (le PIN est demandé, ou lu sur l'entrée standard), puis recommencez",
            names.join(", ")
        ),
        Lang::En => format!(
            "not going live while these active accounts keep a published PIN or one shorter than the policy \
             (admins and supervisors at least 8 digits, others 6): {}. \
             Give each a new PIN on the console (Setup, Staff accounts) \
             or with `gatehouse staff pin NAME` (it asks for the PIN, or reads it from standard input), then start again",
            names.join(", ")
        ),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "Heure inconnue : réglez l'horloge de ce poste (dernière heure sûre : …)".
fn time_unknown_text(last_safe_ms: i64, lang: crate::cli::Lang) -> String {
    let when = crate::sync::time::when_words(last_safe_ms, lang);
    match lang {
        crate::cli::Lang::Fr => format!(
            "Heure inconnue : réglez l'horloge de ce poste (dernière heure sûre : {when}). \
             Depuis son redémarrage, son horloge est antérieure à la dernière heure reçue du hub, ou trop loin après : \
             aucun badge n'est contrôlé sur une heure devinée. Réglez l'horloge puis synchronisez avec le hub \
             (`gatehouse sync`), ou, sans hub, confirmez l'heure juste (`gatehouse clock --set \"AAAA-MM-JJ HH:MM\"`)"
        ),
        crate::cli::Lang::En => format!(
            "Time unknown: set this station's clock (last safe time: {when}). \
             Since it restarted, its clock reads before the last time received from the hub, or too long after: \
             no badge is checked on a guessed time. Set the clock, then sync with the hub (`gatehouse sync`), \
             or, without a hub, confirm the right time (`gatehouse clock --set \"YYYY-MM-DD HH:MM\"`)"
        ),
    }
}

fn stale_text(changes: &[ConfigChange]) -> String {
    let text: Vec<String> = changes.iter().map(ConfigChange::english).collect();
    if text.is_empty() {
        "the configuration was changed elsewhere since it was loaded: reload it".into()
    } else {
        format!(
            "the configuration was changed elsewhere since it was loaded: reload it ({})",
            text.join("; ")
        )
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::from(&e)
    }
}

/// What an internal error tells a client: what failed, in plain words. Its
/// details (SQL text, file paths, library messages) are for the station's
/// log only: they help whoever probes a station, not the person at it.
fn internal_message(e: &Error) -> &'static str {
    match e {
        Error::Database(_) => {
            "the station's database could not complete this operation (the details are in the station's log)"
        }
        Error::Migrate(_) => {
            "the station's database could not be brought up to this version (the details are in the station's log)"
        }
        Error::Io { .. } => {
            "the station could not read or write one of its files (the details are in the station's log)"
        }
        _ => "the station failed to complete this operation (the details are in the station's log)",
    }
}

impl ApiError {
    /// The wire form of `e` without logging it: the CLI's `--json`, whose
    /// operator sees the details on standard error anyway.
    pub fn quiet(e: &Error) -> ApiError {
        let code = e.code();
        ApiError {
            code,
            message: if code == ErrorCode::Internal {
                internal_message(e).to_string()
            } else {
                e.to_string()
            },
            fields: match e {
                Error::Fields(f) => Some(f.clone()),
                _ => None,
            },
            retry_after_s: match e {
                Error::TooManyAttempts { wait_s } => Some(*wait_s),
                _ => None,
            },
            changes: match e {
                Error::Stale(c) => Some(c.clone()),
                _ => None,
            },
            last_safe_at: match e {
                Error::TimeUnknown { last_safe_ms } => {
                    jiff::Timestamp::from_millisecond(*last_safe_ms)
                        .ok()
                        .map(|t| t.to_string().into_boxed_str())
                }
                _ => None,
            },
            unsent: match e {
                Error::Storage { unsent, .. } => unsent.map(Box::new),
                _ => None,
            },
        }
    }
}

/// The wire form every shell sends (HTTP, the window's commands, a
/// background job's failure): an internal error's details go to the log.
impl From<&Error> for ApiError {
    fn from(e: &Error) -> Self {
        if e.code() == ErrorCode::Internal {
            tracing::error!("{e}");
        }
        ApiError::quiet(e)
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn internal_errors_reach_clients_without_sql_or_paths() {
        let sql = Error::Database(sqlx::Error::Protocol(
            "no such table: scan in SELECT id, serial FROM scan WHERE zone = ?".into(),
        ));
        let io = Error::io(
            "cannot write /var/lib/gatehouse/station.db.keys/k1.key",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        let internal =
            Error::Internal("PIN check failed: task 12 panicked at src/auth.rs:190".into());
        for e in [sql, io, internal] {
            let wire = ApiError::quiet(&e);
            assert_eq!(wire.code, ErrorCode::Internal);
            for secret in ["SELECT", "scan", "/var/lib", ".key", "src/", "panicked"] {
                assert!(
                    !wire.message.contains(secret),
                    "{secret} in {:?}",
                    wire.message
                );
            }
            assert!(wire.message.contains("station's log"), "{}", wire.message);
            // The log (and the CLI's standard error) keep the details.
            assert!(e.to_string().len() > 20);
        }
        // Refusals a person can act on keep their words.
        let bad = ApiError::quiet(&Error::bad_input("line 3: column 65 holds a value"));
        assert_eq!(bad.message, "line 3: column 65 holds a value");
    }
}
