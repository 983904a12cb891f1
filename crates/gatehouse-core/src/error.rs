//! The core's one error type, and its wire form `{code, message}`.
//!
//! Every shell (CLI, HTTP, Tauri) shows `message` to people and lets programs
//! branch on `code`, a closed set. Messages name the row, field or value at fault.

use serde::Serialize;
use ts_rs::TS;

use crate::config_change::ConfigChange;
use crate::lang::Lang;
use crate::messages::{Msg, PinList, SafeTime};
use crate::registry::problem::FieldError;

pub use crate::code::ErrorCode;

#[cfg(feature = "sqlx")]
mod from_sqlx;

/// An error as it crosses a boundary (IPC, HTTP, `--json`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    /// In the requester's language: `serve` follows `Accept-Language`, the
    /// CLI its `--lang`; French otherwise (the product's language).
    pub message: String,
    /// The message's own key in the core's catalogue (`last_admin`), for a
    /// program that tells refusals apart more finely than `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<&'static str>,
    /// The message in both languages, so a screen says it in its own
    /// language (and again after a language switch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<Box<Texts>>,
    /// For a refused attendee (`bad_input`): each refused field and its
    /// problem, so a form can say it in place, in its own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<Vec<FieldError>>")]
    pub fields: Option<Box<Vec<FieldError>>>,
    /// For `too_many_attempts`: seconds before the next try is heard.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after_s: Option<u64>,
    /// For a configuration save refused because it was changed elsewhere
    /// since the screen loaded it (`conflict`): what changed there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<Vec<ConfigChange>>")]
    pub changes: Option<Box<Vec<ConfigChange>>>,
    /// For `time_unknown`: the last time the station knew for sure (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<String>")]
    pub last_safe_at: Option<Box<str>>,
    /// For `disk_full` and `database_damaged` at a paired station: what it
    /// recorded that has not reached the hub.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<crate::sync::unsent::Unsent>")]
    pub unsent: Option<Box<crate::sync::unsent::Unsent>>,
}

/// A message in French and in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct Texts {
    pub fr: String,
    pub en: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal from the catalogue ([`crate::messages`]): its wire code,
    /// key and texts in both languages come from the message.
    #[error("{}", .0.text(Lang::En))]
    Said(Box<Msg>),
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
    #[error("{}", Msg::PinsToChange { accounts: PinList(.0.clone()) }.text(Lang::En))]
    PinsToChange(Vec<crate::role::PinToChange>),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{}", Msg::NoEvent {}.text(Lang::En))]
    NoEvent,
    #[error("{}", Msg::TooManyAttempts { wait_s: *.wait_s }.text(Lang::En))]
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
        unsent: Option<crate::sync::unsent::Unsent>,
    },
    /// A paired station cannot know the time: no decision on a guess.
    #[error("{}", Msg::TimeUnknown { last_safe: SafeTime(*.last_safe_ms) }.text(Lang::En))]
    TimeUnknown { last_safe_ms: i64 },
    #[error("database error: {0}")]
    Database(StorageFailure),
    #[error("database migration failed: {0}")]
    Migrate(StorageFailure),
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

/// A storage layer's own error, kept whole for the station's log: its words
/// (SQL, file paths) never reach a client (`Error::text`).
#[derive(Debug)]
pub struct StorageFailure(Box<dyn std::error::Error + Send + Sync>);

impl StorageFailure {
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StorageFailure(e.into())
    }

    /// The storage's own error, for the layer that made it.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.0.as_ref()
    }
}

impl std::fmt::Display for StorageFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Msg> for Error {
    fn from(m: Msg) -> Self {
        match m {
            Msg::NoEvent {} => Error::NoEvent,
            Msg::TooManyAttempts { wait_s } => Error::TooManyAttempts { wait_s },
            Msg::PinsToChange { accounts } => Error::PinsToChange(accounts.0),
            Msg::TimeUnknown { last_safe } => Error::TimeUnknown {
                last_safe_ms: last_safe.0,
            },
            m => Error::Said(Box::new(m)),
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

    /// The database is damaged (`detail`: what SQLite found, in its words,
    /// for the log: screens get plain words in their own language).
    pub fn damaged(detail: &str) -> Self {
        tracing::error!("database damaged: {detail}");
        Error::damaged_because(
            "SQLite finds pages it cannot read",
            "SQLite y trouve des pages illisibles",
        )
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
    pub fn with_unsent(self, counted: crate::sync::unsent::Unsent, db: &std::path::Path) -> Self {
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
                capital(&counted.words(crate::lang::Lang::En))
            ),
            fr: format!(
                "{fr}. {} : {how_fr}",
                capital(&counted.words(crate::lang::Lang::Fr))
            ),
            unsent: Some(counted),
        }
    }

    /// The message in `lang`, as the CLI says it on standard error: an
    /// internal error keeps its details there, for the operator.
    pub fn localized(&self, lang: Lang) -> String {
        match (self.code(), lang) {
            (ErrorCode::Internal, Lang::Fr) => {
                format!("{} ({self})", self.text(lang))
            }
            (ErrorCode::Internal, Lang::En) => self.to_string(),
            _ => self.text(lang),
        }
    }

    /// The message in `lang`, as a client is told it: an internal error's
    /// details (SQL text, file paths) stay in the station's log.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Error::Said(m) => m.text(lang),
            Error::NoEvent => Msg::NoEvent {}.text(lang),
            Error::TooManyAttempts { wait_s } => {
                Msg::TooManyAttempts { wait_s: *wait_s }.text(lang)
            }
            Error::Fields(fields) => fields_in(fields, lang),
            Error::Stale(changes) => match lang {
                Lang::En => stale_text(changes),
                Lang::Fr => Msg::ConfigChanged {}.text(lang),
            },
            Error::PinsToChange(accounts) => Msg::PinsToChange {
                accounts: PinList(accounts.clone()),
            }
            .text(lang),
            Error::TimeUnknown { last_safe_ms } => Msg::TimeUnknown {
                last_safe: SafeTime(*last_safe_ms),
            }
            .text(lang),
            Error::Storage { fr, en, .. } => match lang {
                Lang::Fr => fr.clone(),
                Lang::En => en.clone(),
            },
            Error::Database(_) => Msg::DatabaseFailed {}.text(lang),
            Error::Migrate(_) => Msg::MigrationFailed {}.text(lang),
            Error::Io { .. } => Msg::FileFailed {}.text(lang),
            Error::Internal(_) => Msg::InternalFailed {}.text(lang),
            // Not yet in the catalogue: the words the core gave.
            Error::BadInput(m)
            | Error::NotFound(m)
            | Error::Conflict(m)
            | Error::Forbidden(m)
            | Error::Unauthenticated(m) => m.clone(),
        }
    }

    /// The message in both languages.
    pub fn texts(&self) -> Texts {
        Texts {
            fr: self.text(Lang::Fr),
            en: self.text(Lang::En),
        }
    }

    /// The catalogue's key for this message, where it has one.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Error::Said(m) => Some(m.wire_key()),
            Error::NoEvent => Some(Msg::NoEvent {}.key()),
            Error::TooManyAttempts { wait_s } => {
                Some(Msg::TooManyAttempts { wait_s: *wait_s }.key())
            }
            Error::Stale(_) => Some(Msg::ConfigChanged {}.key()),
            Error::PinsToChange(_) => Some("pins_to_change"),
            Error::TimeUnknown { .. } => Some("time_unknown"),
            Error::Database(_) => Some(Msg::DatabaseFailed {}.key()),
            Error::Migrate(_) => Some(Msg::MigrationFailed {}.key()),
            Error::Io { .. } => Some(Msg::FileFailed {}.key()),
            Error::Internal(_) => Some(Msg::InternalFailed {}.key()),
            _ => None,
        }
    }

    /// The message itself, if it is one of the catalogue's.
    pub fn msg(&self) -> Option<&Msg> {
        match self {
            Error::Said(m) => Some(m),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Said(m) => m.wire_code(),
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

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A refused attendee's fields in `lang` ("nom de famille : …").
fn fields_in(fields: &[FieldError], lang: Lang) -> String {
    if lang == Lang::En {
        return fields_text(fields);
    }
    let text: Vec<String> = fields
        .iter()
        .map(|e| format!("{} : {}", field_fr(e.field), e.problem.text(lang)))
        .collect();
    text.join(" ; ")
}

/// An attendee's field as a French form labels it.
fn field_fr(field: &str) -> &str {
    match field {
        "family_name" => "nom de famille",
        "given_names" => "prénoms",
        "email" => "e-mail",
        "phone" => "téléphone",
        "organisation" => "organisation",
        "job_title" => "fonction",
        "category" => "catégorie",
        "country" => "pays",
        "delegation" => "délégation",
        "doc_type" => "type de pièce",
        "doc_number" => "numéro de pièce",
        "birth_date" => "date de naissance",
        "external_ref" => "référence externe",
        "notes" => "notes",
        "pin" => "code PIN",
        "days" | "days_override" => "jours",
        "zones" | "zones_override" => "zones",
        other => other,
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

impl ApiError {
    /// The wire form of `e` without logging it, its message in `lang`: the
    /// CLI's `--json`, whose operator sees the details on standard error
    /// anyway. An internal error tells what failed in plain words; its
    /// details (SQL text, file paths, library messages) are for the
    /// station's log only: they help whoever probes a station, not the
    /// person at it.
    pub fn quiet(e: &Error, lang: Lang) -> ApiError {
        let code = e.code();
        let text = Texts {
            fr: e.text(Lang::Fr),
            en: e.text(Lang::En),
        };
        ApiError {
            code,
            message: match lang {
                Lang::Fr => text.fr.clone(),
                Lang::En => text.en.clone(),
            },
            key: e.key(),
            text: Some(Box::new(text)),
            fields: match e {
                Error::Fields(f) => Some(Box::new(f.clone())),
                _ => None,
            },
            retry_after_s: match e {
                Error::TooManyAttempts { wait_s } => Some(*wait_s),
                _ => None,
            },
            changes: match e {
                Error::Stale(c) => Some(Box::new(c.clone())),
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
        ApiError::quiet(e, Lang::Fr)
    }
}

impl ApiError {
    /// The same error with its message in `lang` (a request's language).
    pub fn in_lang(mut self, lang: Lang) -> ApiError {
        if let Some(t) = &self.text {
            self.message = match lang {
                Lang::Fr => t.fr.clone(),
                Lang::En => t.en.clone(),
            };
        }
        self
    }
}

#[cfg(test)]
mod wire_tests {
    // The refusal check reads the workspace's sources.
    #![allow(clippy::disallowed_methods)]

    use super::*;

    #[test]
    fn internal_errors_reach_clients_without_sql_or_paths() {
        let sql = Error::Database(StorageFailure::new(
            "no such table: scan in SELECT id, serial FROM scan WHERE zone = ?",
        ));
        let io = Error::io(
            "cannot write /var/lib/gatehouse/station.db.keys/k1.key",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        let internal =
            Error::Internal("PIN check failed: task 12 panicked at src/auth.rs:190".into());
        for e in [sql, io, internal] {
            let wire = ApiError::quiet(&e, Lang::En);
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
        let bad = ApiError::quiet(
            &Error::bad_input("line 3: column 65 holds a value"),
            Lang::En,
        );
        assert_eq!(bad.message, "line 3: column 65 holds a value");
    }

    /// Errors of each wire code, as the core gives them.
    fn of_code(code: ErrorCode) -> Vec<Error> {
        match code {
            ErrorCode::BadInput => vec![Msg::PinFormat {}.into()],
            ErrorCode::NotFound => vec![Msg::NoStaffAccount { id: "x".into() }.into()],
            ErrorCode::Conflict => vec![
                Msg::LastAdmin {}.into(),
                Error::Stale(vec![]),
                Error::PinsToChange(vec![crate::role::PinToChange {
                    name: "Chef".into(),
                    role: crate::role::Role::Admin,
                    demo_pin: true,
                }]),
            ],
            ErrorCode::Forbidden => vec![Msg::RoleMayNot {
                role: crate::messages::RoleWord(crate::role::Role::Gate),
            }
            .into()],
            ErrorCode::Unauthenticated => vec![Msg::WrongPin {}.into(), Msg::Locked {}.into()],
            ErrorCode::NoEvent => vec![Error::NoEvent],
            ErrorCode::TooManyAttempts => vec![Error::TooManyAttempts { wait_s: 30 }],
            ErrorCode::DiskFull => vec![Error::disk_full("SQLITE_FULL")],
            ErrorCode::DatabaseDamaged => vec![Error::damaged("SQLITE_CORRUPT")],
            ErrorCode::TimeUnknown => vec![Error::TimeUnknown {
                last_safe_ms: 1_765_000_000_000,
            }],
            ErrorCode::Internal => vec![
                Error::Database(StorageFailure::new("x")),
                Error::io("cannot write x", std::io::Error::other("x")),
                Error::Internal("x".into()),
            ],
        }
    }

    /// Error constructors given words directly, in `src/` outside the
    /// catalogue and outside test modules: each would reach a French screen
    /// or the French CLI in one language only. (A refusal relayed from an
    /// older hub, passed as a variable, is not words written here.)
    fn bare_refusals(root: &std::path::Path) -> Vec<String> {
        const CONSTRUCTORS: &[&str] = &[
            "Error::bad_input(",
            "Error::BadInput(",
            "Error::NotFound(",
            "Error::Conflict(",
            "Error::Forbidden(",
            "Error::Unauthenticated(",
        ];
        const WORDS: &[&str] = &[
            "\"",
            "format!",
            "concat!",
            "lang.pick",
            "pick(",
            "match lang",
        ];
        let mut found = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("error.rs") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                // Test modules come last in a file; their refusals are not shown.
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for c in CONSTRUCTORS {
                    for (at, _) in code.match_indices(c) {
                        let arg = code[at + c.len()..].trim_start();
                        if WORDS.iter().any(|w| arg.starts_with(w)) {
                            let line = code[..at].lines().count();
                            found.push(format!("{}:{line}", path.display()));
                        }
                    }
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn every_refusal_in_src_comes_from_the_catalogue() {
        // The workspace's root, two folders above this crate.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        // The check itself catches a bare refusal.
        let dir = std::env::temp_dir().join(format!("gatehouse-bare-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let sample = dir.join("sample.rs");
        let _ = std::fs::write(
            &sample,
            "fn f() -> Error { Error::bad_input(format!(\"no zone {z}\")) }\n",
        );
        assert_eq!(bare_refusals(&dir).len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
        let mut bare = bare_refusals(&root.join("src"));
        bare.extend(bare_refusals(&root.join("src-tauri/src")));
        bare.extend(bare_refusals(&root.join("crates")));
        assert!(
            bare.is_empty(),
            "refusals in one language only; give each a catalogue entry in crates/gatehouse-core/src/messages.rs: {bare:#?}"
        );
    }

    #[test]
    fn every_wire_code_is_said_in_french_and_in_english() {
        let all = [
            ErrorCode::BadInput,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::Forbidden,
            ErrorCode::Unauthenticated,
            ErrorCode::NoEvent,
            ErrorCode::TooManyAttempts,
            ErrorCode::DiskFull,
            ErrorCode::DatabaseDamaged,
            ErrorCode::TimeUnknown,
            ErrorCode::Internal,
        ];
        for code in all {
            for e in of_code(code) {
                assert_eq!(e.code(), code, "{e}");
                let wire = ApiError::quiet(&e, Lang::Fr);
                let text = wire.text.clone().unwrap_or_else(|| panic!("{e}: no texts"));
                let text = *text;
                assert_eq!(wire.message, text.fr);
                assert_ne!(text.fr, text.en, "{code:?}: {}", text.fr);
                let leaked = crate::messages::english_in_french(&text.fr);
                assert!(leaked.is_empty(), "{code:?}: {leaked:?} in {}", text.fr);
                assert_eq!(ApiError::quiet(&e, Lang::En).message, text.en);
                assert_eq!(wire.in_lang(Lang::En).message, text.en);
            }
        }
    }
}
