//! Attendees: the [`Attendee`] type, the checks every new or edited attendee
//! passes ([`check`]), the access it opens ([`effective_access`]), and its
//! store functions. Every write goes through the single writer and appends
//! an audit entry in the same transaction.
//!
//! Rows are written in bulk through `json_each` (one statement per thousand
//! attendees), so a 100,000-row import stays one short transaction.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result};
use crate::event::{CategoryCode, EventInfo, ZoneCode};
use crate::registry::photo::{self};
use crate::registry::{country, fold};
use crate::serial::BadgeSerial;
use crate::store::Store;

/// Where an attendee stands, from pre-registration to revocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Preregistered,
    Registered,
    Printed,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preregistered => "preregistered",
            Status::Registered => "registered",
            Status::Printed => "printed",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Result<Status> {
        match s {
            "preregistered" => Ok(Status::Preregistered),
            "registered" => Ok(Status::Registered),
            "printed" => Ok(Status::Printed),
            "revoked" => Ok(Status::Revoked),
            other => Err(crate::messages::Msg::StatusInvalid {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

/// A person the event knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Attendee {
    #[ts(type = "string")]
    pub id: Uuid,
    pub serial: BadgeSerial,
    /// The organiser's own reference, from imports.
    pub external_ref: Option<String>,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    pub job_title: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub category: CategoryCode,
    /// The delegation's name.
    pub delegation: Option<String>,
    pub email: String,
    pub phone: String,
    pub doc_type: String,
    /// Sensitive.
    pub doc_number: String,
    /// Sensitive (migration 0026): from an identity document or an import.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub birth_date: Option<Date>,
    /// `None`: the category's zones.
    pub zones_override: Option<Vec<ZoneCode>>,
    /// `None`: the category's days.
    #[ts(type = "Array<string> | null")]
    pub days_override: Option<Vec<Date>>,
    pub has_photo: bool,
    /// SHA-256 of the stored JPEG, hex.
    pub photo_sha256: Option<String>,
    pub status: Status,
    pub notes: String,
    #[ts(type = "string")]
    pub created_at: Timestamp,
    pub created_by: String,
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    pub updated_by: String,
}

/// What a desk or an import says about a person: every field that can be
/// typed in. Used to create an attendee and, whole, to edit one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewAttendee {
    #[serde(default)]
    pub external_ref: Option<String>,
    #[serde(default)]
    pub given_names: String,
    pub family_name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub job_title: String,
    /// A code or a name in French or English; stored as the alpha-2 code.
    #[serde(default)]
    pub country: Option<String>,
    pub category: CategoryCode,
    #[serde(default)]
    pub delegation: Option<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub doc_type: String,
    #[serde(default)]
    pub doc_number: String,
    /// Sensitive.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub birth_date: Option<Date>,
    #[serde(default)]
    pub zones_override: Option<Vec<ZoneCode>>,
    #[serde(default)]
    #[ts(type = "Array<string> | null")]
    pub days_override: Option<Vec<Date>>,
    #[serde(default)]
    pub notes: String,
}

impl NewAttendee {
    /// A minimal attendee: names and category.
    pub fn new(given_names: &str, family_name: &str, category: CategoryCode) -> NewAttendee {
        NewAttendee {
            external_ref: None,
            given_names: given_names.into(),
            family_name: family_name.into(),
            organisation: String::new(),
            job_title: String::new(),
            country: None,
            category,
            delegation: None,
            email: String::new(),
            phone: String::new(),
            doc_type: String::new(),
            doc_number: String::new(),
            birth_date: None,
            zones_override: None,
            days_override: None,
            notes: String::new(),
        }
    }
}

impl Attendee {
    /// The editable fields, as an edit would send them back.
    pub fn fields(&self) -> NewAttendee {
        NewAttendee {
            external_ref: self.external_ref.clone(),
            given_names: self.given_names.clone(),
            family_name: self.family_name.clone(),
            organisation: self.organisation.clone(),
            job_title: self.job_title.clone(),
            country: self.country.clone(),
            category: self.category.clone(),
            delegation: self.delegation.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            doc_type: self.doc_type.clone(),
            doc_number: self.doc_number.clone(),
            birth_date: self.birth_date,
            zones_override: self.zones_override.clone(),
            days_override: self.days_override.clone(),
            notes: self.notes.clone(),
        }
    }

    /// "Given Family", as a badge and a gate show it.
    pub fn display_name(&self) -> String {
        match (self.given_names.is_empty(), self.family_name.is_empty()) {
            (true, _) => self.family_name.clone(),
            (_, true) => self.given_names.clone(),
            _ => format!("{} {}", self.given_names, self.family_name),
        }
    }

    fn apply(&mut self, f: NewAttendee) {
        self.external_ref = f.external_ref;
        self.given_names = f.given_names;
        self.family_name = f.family_name;
        self.organisation = f.organisation;
        self.job_title = f.job_title;
        self.country = f.country;
        self.category = f.category;
        self.delegation = f.delegation;
        self.email = f.email;
        self.phone = f.phone;
        self.doc_type = f.doc_type;
        self.doc_number = f.doc_number;
        self.birth_date = f.birth_date;
        self.zones_override = f.zones_override;
        self.days_override = f.days_override;
        self.notes = f.notes;
    }
}

/// The names of the fields that differ between two versions.
pub fn changed_fields(old: &NewAttendee, new: &NewAttendee) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |name, differs: bool| {
        if differs {
            out.push(name);
        }
    };
    cmp("external_ref", old.external_ref != new.external_ref);
    cmp("given_names", old.given_names != new.given_names);
    cmp("family_name", old.family_name != new.family_name);
    cmp("organisation", old.organisation != new.organisation);
    cmp("job_title", old.job_title != new.job_title);
    cmp("country", old.country != new.country);
    cmp("category", old.category != new.category);
    cmp("delegation", old.delegation != new.delegation);
    cmp("email", old.email != new.email);
    cmp("phone", old.phone != new.phone);
    cmp("doc_type", old.doc_type != new.doc_type);
    cmp("doc_number", old.doc_number != new.doc_number);
    cmp("birth_date", old.birth_date != new.birth_date);
    cmp("zones_override", old.zones_override != new.zones_override);
    cmp("days_override", old.days_override != new.days_override);
    cmp("notes", old.notes != new.notes);
    out
}

pub use crate::registry::problem::{FieldError, FieldProblem};

/// Normalises `new` (trimmed text, country as its code, empty optional text
/// as `None`) and checks it against the event. Every problem is reported,
/// not just the first.
pub fn check(mut new: NewAttendee, event: &EventInfo) -> Result<NewAttendee, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |e: FieldError| errors.push(e);
    let mut text = |field: &'static str, value: &mut String, max: u32| {
        let t = value.trim();
        if t.len() != value.len() {
            *value = t.to_string();
        }
        if value.chars().count() > max as usize {
            err(FieldError::new(field, FieldProblem::TooLong { max }));
        } else if value
            .chars()
            .any(|c| c.is_control() && (field != "notes" || c != '\n'))
        {
            err(FieldError::with_message(
                field,
                FieldProblem::ControlCharacter,
                format!("{value:?} contains a control character"),
            ));
        }
    };
    text("given_names", &mut new.given_names, 100);
    text("family_name", &mut new.family_name, 100);
    text("organisation", &mut new.organisation, 200);
    text("job_title", &mut new.job_title, 200);
    text("email", &mut new.email, 254);
    text("phone", &mut new.phone, 40);
    text("doc_type", &mut new.doc_type, 40);
    text("doc_number", &mut new.doc_number, 40);
    text("notes", &mut new.notes, 2000);
    let mut optional = |field: &'static str, value: &mut Option<String>, max: u32| {
        if let Some(v) = value.as_mut() {
            text(field, v, max);
        }
        if value.as_deref().is_some_and(str::is_empty) {
            *value = None;
        }
    };
    optional("external_ref", &mut new.external_ref, 100);
    optional("delegation", &mut new.delegation, 200);
    optional("country", &mut new.country, 100);

    if new.family_name.is_empty() {
        err(FieldError::with_message(
            "family_name",
            FieldProblem::Missing,
            "the family name is missing".into(),
        ));
    }
    if let Some(c) = &new.country {
        match country::resolve(c) {
            Some(code) => new.country = Some(code.to_string()),
            None => err(FieldError::new(
                "country",
                FieldProblem::UnknownCountry { value: c.clone() },
            )),
        }
    }
    if event.category(&new.category).is_none() {
        err(FieldError::new(
            "category",
            event.unknown_category(new.category.as_str()),
        ));
    }
    if !new.email.is_empty() {
        let ok = new.email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
        }) && !new.email.contains(char::is_whitespace);
        if !ok {
            let value = new.email.clone();
            err(FieldError::new("email", FieldProblem::NotAnEmail { value }));
        }
    }
    if let Some(zones) = &mut new.zones_override {
        let mut seen = BTreeSet::new();
        zones.retain(|z| seen.insert(z.clone()));
        for z in zones.iter() {
            // A retired zone an earlier override named may stay: closed
            // every day, it opens nothing.
            if event.zone(z).is_none() && event.retired_zone(z).is_none() {
                let value = z.as_str().to_string();
                err(FieldError::new(
                    "zones_override",
                    FieldProblem::UnknownZone { value },
                ));
            }
        }
    }
    if let Some(days) = &mut new.days_override {
        days.sort();
        days.dedup();
        for d in days.iter() {
            if !event.days.iter().any(|day| &day.date == d) {
                let value = d.to_string();
                err(FieldError::new(
                    "days_override",
                    FieldProblem::DayOutsideEvent { value },
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(new)
    } else {
        Err(errors)
    }
}

fn to_bad_input(errors: Vec<FieldError>) -> Error {
    Error::Fields(errors)
}

/// The zones and days the attendee's badge opens: the category's defaults
/// unless overridden for this person.
pub fn effective_access(a: &Attendee, event: &EventInfo) -> (Vec<ZoneCode>, Vec<Date>) {
    let cat = event.category(&a.category);
    let zones = match (&a.zones_override, cat) {
        (Some(z), _) => z.clone(),
        (None, Some(c)) => c.zones.clone(),
        (None, None) => Vec::new(),
    };
    let days = match (&a.days_override, cat) {
        (Some(d), _) => d.clone(),
        (None, Some(c)) => c.days.clone(),
        (None, None) => Vec::new(),
    };
    (zones, days)
}

// ---------------------------------------------------------------- reading

const SELECT: &str = "SELECT a.id, a.serial, a.external_ref, a.given_names, a.family_name, \
    a.organisation, a.job_title, a.country, a.category, d.name, a.email, a.phone, a.doc_type, \
    a.doc_number, a.zones_override, a.days_override, a.photo_sha256, a.status, a.notes, \
    a.created_at, a.created_by, a.updated_at, a.updated_by, a.birth_date \
    FROM attendee a LEFT JOIN delegation d ON d.id = a.delegation_id";

fn stored<T>(
    what: &str,
    value: &str,
    r: std::result::Result<T, impl std::fmt::Display>,
) -> Result<T> {
    r.map_err(|e| Error::Internal(format!("stored {what} {value:?} is invalid: {e}")))
}

fn from_row(r: &SqliteRow) -> Result<Attendee> {
    let id: String = r.get(0);
    let zones: Option<String> = r.get(14);
    let days: Option<String> = r.get(15);
    let sha: Option<Vec<u8>> = r.get(16);
    let created: String = r.get(19);
    let updated: String = r.get(21);
    Ok(Attendee {
        id: stored("id", &id, Uuid::parse_str(&id))?,
        serial: BadgeSerial::try_from(r.get::<String, _>(1))?,
        external_ref: r.get(2),
        given_names: r.get(3),
        family_name: r.get(4),
        organisation: r.get(5),
        job_title: r.get(6),
        country: r.get(7),
        category: CategoryCode::try_from(r.get::<String, _>(8))?,
        delegation: r.get(9),
        email: r.get(10),
        phone: r.get(11),
        doc_type: r.get(12),
        doc_number: r.get(13),
        birth_date: match r.get::<Option<String>, _>(23) {
            Some(d) => Some(stored("birth date", &d, d.parse())?),
            None => None,
        },
        zones_override: match zones {
            Some(z) => Some(stored("zones", &z, serde_json::from_str(&z))?),
            None => None,
        },
        days_override: match days {
            Some(d) => Some(stored("days", &d, serde_json::from_str(&d))?),
            None => None,
        },
        has_photo: sha.is_some(),
        photo_sha256: sha.map(hex::encode),
        status: Status::parse(r.get(17))?,
        notes: r.get(18),
        created_at: stored("time", &created, created.parse())?,
        created_by: r.get(20),
        updated_at: stored("time", &updated, updated.parse())?,
        updated_by: r.get(22),
    })
}

fn not_found(serial: &BadgeSerial) -> Error {
    crate::messages::Msg::NoAttendee {
        serial: serial.to_string(),
    }
    .into()
}

/// The attendee with this badge number.
pub async fn get(pool: &SqlitePool, serial: &BadgeSerial) -> Result<Attendee> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.serial = ?"))
        .bind(serial.as_str())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| not_found(serial))?;
    from_row(&row)
}

async fn get_in(conn: &mut SqliteConnection, serial: &BadgeSerial) -> Result<Attendee> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.serial = ?"))
        .bind(serial.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| not_found(serial))?;
    from_row(&row)
}

/// Attendees by badge number (the integer after the dash), in the order asked.
pub async fn by_numbers(pool: &SqlitePool, numbers: &[u32]) -> Result<Vec<Attendee>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(numbers).map_err(|e| Error::Internal(e.to_string()))?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.serial_no IN (SELECT value FROM json_each(?))"
    ))
    .bind(list)
    .fetch_all(pool)
    .await?;
    let mut found: HashMap<u32, Attendee> = HashMap::new();
    for r in &rows {
        let a = from_row(r)?;
        found.insert(a.serial.number(), a);
    }
    Ok(numbers.iter().filter_map(|n| found.remove(n)).collect())
}

/// Every attendee, by badge number.
pub async fn all(pool: &SqlitePool) -> Result<Vec<Attendee>> {
    sqlx::query(&format!("{SELECT} ORDER BY a.serial_no"))
        .fetch_all(pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Attendees by badge number, in the order asked (each once; those not
/// found left out): one query whatever the number.
pub async fn by_serials(pool: &SqlitePool, serials: &[BadgeSerial]) -> Result<Vec<Attendee>> {
    let mut conn = pool.acquire().await?;
    by_serials_in(&mut conn, serials).await
}

/// [`by_serials`] on a given connection (inside a transaction).
pub async fn by_serials_in(
    conn: &mut sqlx::SqliteConnection,
    serials: &[BadgeSerial],
) -> Result<Vec<Attendee>> {
    if serials.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(serials).map_err(|e| Error::Internal(e.to_string()))?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.serial IN (SELECT value FROM json_each(?))"
    ))
    .bind(list)
    .fetch_all(&mut *conn)
    .await?;
    let mut found: HashMap<BadgeSerial, Attendee> = HashMap::new();
    for r in &rows {
        let a = from_row(r)?;
        found.insert(a.serial.clone(), a);
    }
    Ok(serials.iter().filter_map(|s| found.remove(s)).collect())
}

/// Everyone in `category`, by badge number.
pub async fn in_category(pool: &SqlitePool, category: &CategoryCode) -> Result<Vec<Attendee>> {
    sqlx::query(&format!(
        "{SELECT} WHERE a.category = ? ORDER BY a.serial_no"
    ))
    .bind(category.as_str())
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Everyone in the delegation named `name` (ASCII case aside), by badge number.
pub async fn in_delegation(pool: &SqlitePool, name: &str) -> Result<Vec<Attendee>> {
    sqlx::query(&format!(
        "{SELECT} WHERE d.name = ? COLLATE NOCASE ORDER BY a.serial_no"
    ))
    .bind(name)
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The stored photos of these badges (those that have one), in one query.
pub async fn photos(
    pool: &SqlitePool,
    serials: &[BadgeSerial],
) -> Result<HashMap<BadgeSerial, Vec<u8>>> {
    let list = serde_json::to_string(serials).map_err(|e| Error::Internal(e.to_string()))?;
    sqlx::query(
        "SELECT serial, photo FROM attendee
         WHERE serial IN (SELECT value FROM json_each(?)) AND photo IS NOT NULL",
    )
    .bind(list)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((BadgeSerial::try_from(r.get::<String, _>(0))?, r.get(1))))
    .collect()
}

/// The stored (normalised JPEG) photo, if any.
pub async fn photo(pool: &SqlitePool, serial: &BadgeSerial) -> Result<Option<Vec<u8>>> {
    let row = sqlx::query("SELECT photo FROM attendee WHERE serial = ?")
        .bind(serial.as_str())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| not_found(serial))?;
    Ok(row.get(0))
}

// ---------------------------------------------------------------- writing

/// Takes the next `n` badge numbers; they are never handed out again.
pub(crate) async fn allocate_serials(
    conn: &mut SqliteConnection,
    prefix: &str,
    n: u32,
) -> Result<Vec<BadgeSerial>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let last: i64 =
        sqlx::query_scalar("UPDATE serial_counter SET last = last + ? WHERE id = 1 RETURNING last")
            .bind(i64::from(n))
            .fetch_one(&mut *conn)
            .await?;
    let first = last - i64::from(n) + 1;
    (first..=last).map(|k| serial_at(prefix, k)).collect()
}

/// Badge number `k` of the counter, if the numbers have not run out.
fn serial_at(prefix: &str, k: i64) -> Result<BadgeSerial> {
    let exhausted = || {
        Error::from(crate::messages::Msg::BadgeNumbersExhausted {
            at: u64::try_from(k).unwrap_or_default(),
        })
    };
    let n = u32::try_from(k).map_err(|_| exhausted())?;
    BadgeSerial::new(prefix, n).map_err(|_| exhausted())
}

/// The ids of the named delegations, creating those that do not exist yet
/// (named as first written, matched regardless of accents and case).
pub(crate) async fn delegation_ids(
    conn: &mut SqliteConnection,
    wanted: &[(&str, Option<&str>)],
    now: Timestamp,
) -> Result<HashMap<String, String>> {
    let mut delegations = Delegations::read(conn).await?;
    let out = wanted
        .iter()
        .map(|(name, country)| (name.to_string(), delegations.id_for(name, *country).clone()))
        .collect();
    if let Some(mut q) = delegations.pending_statement(now) {
        q.build().execute(&mut *conn).await?;
    }
    Ok(out)
}

/// Badge numbers handed out by a write that holds the database from
/// [`SerialRun::read`] to [`SerialRun::save`] (one transaction): they are
/// taken in memory while the rows are written, and the counter moves once.
pub(crate) struct SerialRun {
    prefix: String,
    first: i64,
    last: i64,
}

impl SerialRun {
    pub(crate) async fn read(conn: &mut SqliteConnection, prefix: &str) -> Result<SerialRun> {
        let last: i64 = sqlx::query_scalar("SELECT last FROM serial_counter WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
        Ok(SerialRun {
            prefix: prefix.to_string(),
            first: last,
            last,
        })
    }

    /// The next badge number.
    pub(crate) fn take(&mut self) -> Result<BadgeSerial> {
        let serial = serial_at(&self.prefix, self.last + 1)?;
        self.last += 1;
        Ok(serial)
    }

    /// Moves the counter past every number taken.
    pub(crate) async fn save(&self, conn: &mut SqliteConnection) -> Result<()> {
        if self.last > self.first {
            sqlx::query("UPDATE serial_counter SET last = ? WHERE id = 1")
                .bind(self.last)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// The delegations a bulk write names, read once and created as they are
/// first met (named as first written, matched regardless of accents and
/// case, as [`delegation_ids`] does).
pub(crate) struct Delegations {
    by_fold: HashMap<String, String>,
    /// Created, not yet written: (id, name, country).
    pending: Vec<(String, String, Option<String>)>,
}

impl Delegations {
    pub(crate) async fn read(conn: &mut SqliteConnection) -> Result<Delegations> {
        let mut by_fold = HashMap::new();
        for r in sqlx::query("SELECT id, name FROM delegation")
            .fetch_all(&mut *conn)
            .await?
        {
            by_fold.insert(fold::fold(r.get(1)), r.get(0));
        }
        Ok(Delegations {
            by_fold,
            pending: Vec::new(),
        })
    }

    /// The id of the delegation `name`, created if new.
    pub(crate) fn id_for(&mut self, name: &str, country: Option<&str>) -> &String {
        let pending = &mut self.pending;
        self.by_fold.entry(fold::fold(name)).or_insert_with(|| {
            let id = Uuid::now_v7().to_string();
            pending.push((id.clone(), name.to_string(), country.map(String::from)));
            id
        })
    }

    /// The statement that writes the delegations created since the last
    /// one, if any.
    pub(crate) fn pending_statement(
        &mut self,
        now: Timestamp,
    ) -> Option<sqlx::QueryBuilder<'static, sqlx::Sqlite>> {
        if self.pending.is_empty() {
            return None;
        }
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO delegation (id, name, country, created_at) ",
        );
        // 4 parameters a row: far under SQLite's limit for any real event.
        q.push_values(self.pending.drain(..), |mut b, (id, name, country)| {
            b.push_bind(id)
                .push_bind(name)
                .push_bind(country)
                .push_bind(now.to_string());
        });
        Some(q)
    }
}

/// The search terms of one attendee: (term, kind) with kind 0 names,
/// 1 document numbers. The badge number is found through
/// `attendee.serial_no`, the organisation through its own terms
/// ([`organisation_terms`]), kept once per organisation.
pub(crate) fn search_terms(a: &Attendee) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    fold::index_terms(&a.given_names, &mut buf);
    fold::index_terms(&a.family_name, &mut buf);
    out.extend(buf.drain(..).map(|t| (t, 0)));
    if !a.doc_number.is_empty() {
        fold::index_terms(&a.doc_number, &mut buf);
        buf.push(fold::words(&a.doc_number).concat());
        out.extend(buf.drain(..).map(|t| (t, 1)));
    }
    out.sort();
    out.dedup();
    out
}

/// The search terms of an organisation's name, as attendees type it.
pub(crate) fn organisation_terms(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    fold::index_terms(name, &mut out);
    out.sort();
    out.dedup();
    out
}

fn attendee_json(
    a: &Attendee,
    delegation_id: Option<&String>,
    photo: Option<&[u8]>,
) -> Result<Value> {
    Ok(json!({
        "id": a.id.to_string(),
        "serial": a.serial.as_str(),
        "serial_no": a.serial.number(),
        "external_ref": a.external_ref,
        "given_names": a.given_names,
        "family_name": a.family_name,
        "folded_name": fold::fold(&format!("{} {}", a.family_name, a.given_names)),
        "organisation": a.organisation,
        "job_title": a.job_title,
        "country": a.country,
        "category": a.category.as_str(),
        "delegation_id": delegation_id,
        "email": a.email,
        "phone": a.phone,
        "doc_type": a.doc_type,
        "doc_number": a.doc_number,
        "birth_date": a.birth_date.map(|d| d.to_string()),
        "zones_override": a.zones_override.as_ref().map(json_text).transpose()?,
        "days_override": a.days_override.as_ref().map(json_text).transpose()?,
        "photo": photo.map(hex::encode),
        "photo_sha256": a.photo_sha256,
        "status": a.status.as_str(),
        "notes": a.notes,
        "created_at": a.created_at.to_string(),
        "created_by": a.created_by,
        "updated_at": a.updated_at.to_string(),
        "updated_by": a.updated_by,
    }))
}

fn unhex(text: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|e| Error::Internal(format!("invalid hex {text:?}: {e}")))
}

fn json_text<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// Sets the page cache of this (writer) connection for a large write:
/// random inserts into the indexes of 100,000 rows would otherwise spill
/// pages to the WAL again and again. `false` restores the writer's own
/// ([`crate::store::WRITER_CACHE_KIB`]).
pub(crate) async fn large_write_cache(conn: &mut SqliteConnection, large: bool) -> Result<()> {
    let kib = if large {
        256 * 1024
    } else {
        crate::store::WRITER_CACHE_KIB
    };
    sqlx::query(&format!("PRAGMA cache_size = -{kib}"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The attendee table's own secondary indexes (those a `CREATE INDEX`
/// made: name and statement), dropped for a bulk write and built again by
/// [`build_indexes`] in the same transaction.
pub(crate) struct Indexes(Vec<(String, String)>);

/// The attendee table's declared indexes.
pub(crate) async fn declared_indexes(conn: &mut SqliteConnection) -> Result<Indexes> {
    let list: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND tbl_name = 'attendee' AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Indexes(list))
}

impl Indexes {
    /// The statements that drop these indexes (for [`pipelined`]), to build
    /// them once after a bulk insert: sorting 100,000 keys then writing each
    /// B-tree in order is several times cheaper than 100,000 random inserts
    /// into each. The indexes a constraint makes (`UNIQUE`, the primary key)
    /// stay, so every constraint is still checked row by row; a unique one
    /// among the dropped is checked again when it is built, and a violation
    /// then fails the transaction. Call [`build_indexes`] before committing.
    pub(crate) fn drop_statements(&self) -> Vec<sqlx::QueryBuilder<'static, sqlx::Sqlite>> {
        self.0
            .iter()
            .map(|(name, _)| {
                sqlx::QueryBuilder::new(format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            })
            .collect()
    }
}

/// Builds again the indexes [`Indexes::drop_statements`] dropped, as declared.
pub(crate) async fn build_indexes(conn: &mut SqliteConnection, indexes: Indexes) -> Result<()> {
    for (_, sql) in indexes.0 {
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Runs `statements` in turn on `conn`, each built while the one before
/// runs on SQLite's thread: a bulk write's values are encoded on this
/// thread while SQLite writes the previous chunk on its own, two cores
/// busy instead of one. `done` is told how many have run.
pub(crate) async fn pipelined<'q>(
    conn: &mut SqliteConnection,
    mut statements: impl Iterator<Item = Result<sqlx::QueryBuilder<'q, sqlx::Sqlite>>>,
    mut done: impl FnMut(usize),
) -> Result<()> {
    let Some(first) = statements.next() else {
        return Ok(());
    };
    let mut current = first?;
    for i in 1.. {
        // `join!` polls the statement first: it is on SQLite's thread
        // before the next one is built.
        let (ran, next) = tokio::join!(current.build().execute(&mut *conn), async {
            statements.next().transpose()
        });
        ran?;
        done(i);
        match next? {
            Some(q) => current = q,
            None => break,
        }
    }
    Ok(())
}

/// Rows per bulk statement.
const CHUNK: usize = 1000;

/// An attendee as it is written, with what the row needs besides.
pub(crate) struct Write<'a> {
    pub attendee: &'a Attendee,
    pub delegation_id: Option<&'a String>,
    pub photo: Option<&'a [u8]>,
}

/// The statement that inserts `chunk` (at most [`INSERT_ROWS`] rows); their
/// search terms are added to `terms`. Every value is bound owned, so that
/// sqlx has nothing to copy when the statement starts: it is built while
/// SQLite runs the one before ([`pipelined`]), and only its start waits.
pub(crate) fn insert_statement(
    chunk: &[Write<'_>],
    terms: &mut Vec<(u8, String, u32)>,
) -> Result<sqlx::QueryBuilder<'static, sqlx::Sqlite>> {
    for w in chunk {
        term_rows(w.attendee, terms);
    }
    let mut extra = Vec::with_capacity(chunk.len());
    for w in chunk {
        let a = w.attendee;
        extra.push((
            a.zones_override.as_ref().map(json_text).transpose()?,
            a.days_override.as_ref().map(json_text).transpose()?,
            a.photo_sha256.as_deref().map(unhex).transpose()?,
        ));
    }
    // What every row of an import shares (its status, author and times) is
    // bound once for the statement, not once per row.
    fn shared(a: &Attendee) -> (Status, Timestamp, &str, Timestamp, &str) {
        (
            a.status,
            a.created_at,
            &a.created_by,
            a.updated_at,
            &a.updated_by,
        )
    }
    let first = chunk.first().map(|w| shared(w.attendee));
    let one = chunk.iter().all(|w| Some(shared(w.attendee)) == first);
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO attendee (id, serial, serial_no, external_ref, given_names, family_name, \
         folded_name, organisation, job_title, country, category, delegation_id, email, \
         phone, doc_type, doc_number, zones_override, days_override, photo, photo_sha256, \
         notes, birth_date, status, created_at, created_by, updated_at, updated_by) ",
    );
    if one {
        if let Some(w) = chunk.first() {
            let a = w.attendee;
            q.push("SELECT v.*, ");
            push_shared(&mut q.separated(", "), a);
            q.push(" FROM (");
        }
    }
    q.push_values(chunk.iter().zip(extra), |mut b, (w, x)| {
        let a = w.attendee;
        b.push_bind(a.id.to_string())
            .push_bind(a.serial.as_str().to_owned())
            .push_bind(i64::from(a.serial.number()))
            .push_bind(a.external_ref.clone())
            .push_bind(a.given_names.clone())
            .push_bind(a.family_name.clone())
            .push_bind(fold::fold(&format!("{} {}", a.family_name, a.given_names)))
            .push_bind(a.organisation.clone())
            .push_bind(a.job_title.clone())
            .push_bind(a.country.clone())
            .push_bind(a.category.as_str().to_owned())
            .push_bind(w.delegation_id.cloned())
            .push_bind(a.email.clone())
            .push_bind(a.phone.clone())
            .push_bind(a.doc_type.clone())
            .push_bind(a.doc_number.clone())
            .push_bind(x.0)
            .push_bind(x.1)
            .push_bind(w.photo.map(<[u8]>::to_vec))
            .push_bind(x.2)
            .push_bind(a.notes.clone())
            .push_bind(a.birth_date.map(|d| d.to_string()));
        if !one {
            push_shared(&mut b, a);
        }
    });
    if one {
        q.push(") AS v");
    }
    Ok(q)
}

/// The values of `a` an import's rows share, in the order
/// [`insert_statement`] names their columns.
fn push_shared(
    b: &mut sqlx::query_builder::Separated<'_, 'static, sqlx::Sqlite, &str>,
    a: &Attendee,
) {
    b.push_bind(a.status.as_str())
        .push_bind(a.created_at.to_string())
        .push_bind(a.created_by.clone())
        .push_bind(a.updated_at.to_string())
        .push_bind(a.updated_by.clone());
}

/// Rows per bulk insert of attendees: 27 parameters each, under SQLite's
/// 32,766. Multi-row VALUES with bound parameters: SQLite reads each value
/// once (extracting 27 fields from JSON text re-parses it per field).
pub(crate) const INSERT_ROWS: usize = 500;

/// Inserts new attendees, their search terms and their organisations.
pub(crate) async fn insert_many<'w>(
    conn: &mut SqliteConnection,
    rows: &'w [Write<'w>],
    now: Timestamp,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<()> {
    // The search terms are found while SQLite writes the rows.
    let mut terms = Vec::with_capacity(rows.len() * 6);
    let statements = rows
        .chunks(INSERT_ROWS)
        .map(|chunk| insert_statement(chunk, &mut terms));
    pipelined(conn, statements, |i| {
        progress((i * INSERT_ROWS).min(rows.len()) / 2)
    })
    .await?;
    let attendees: Vec<&Attendee> = rows.iter().map(|w| w.attendee).collect();
    insert_terms(conn, terms).await?;
    progress(rows.len() * 3 / 4);
    write_organisations(conn, &attendees, now).await?;
    progress(rows.len());
    Ok(())
}

/// What follows a run of [`insert_statement`]s: the search terms they
/// gathered, and the organisations the new attendees name.
pub(crate) async fn index_inserted(
    conn: &mut SqliteConnection,
    terms: Vec<(u8, String, u32)>,
    attendees: &[&Attendee],
    now: Timestamp,
) -> Result<()> {
    insert_terms(conn, terms).await?;
    write_organisations(conn, attendees, now).await
}

/// Rewrites existing attendees' editable fields (matched by id) and their
/// search terms; `old` are the same attendees as stored, whose terms go.
pub(crate) async fn update_many(
    conn: &mut SqliteConnection,
    rows: &[Write<'_>],
    old: &[&Attendee],
    now: Timestamp,
) -> Result<()> {
    delete_terms(conn, old).await?;
    for chunk in rows.chunks(CHUNK) {
        let list = chunk
            .iter()
            .map(|w| attendee_json(w.attendee, w.delegation_id, None))
            .collect::<Result<Vec<_>>>()?;
        sqlx::query(
            "UPDATE attendee SET external_ref = n.value->>'external_ref',
                given_names = n.value->>'given_names', family_name = n.value->>'family_name',
                folded_name = n.value->>'folded_name', organisation = n.value->>'organisation',
                job_title = n.value->>'job_title', country = n.value->>'country',
                category = n.value->>'category', delegation_id = n.value->>'delegation_id',
                email = n.value->>'email', phone = n.value->>'phone',
                doc_type = n.value->>'doc_type', doc_number = n.value->>'doc_number',
                birth_date = n.value->>'birth_date',
                zones_override = n.value->>'zones_override',
                days_override = n.value->>'days_override', status = n.value->>'status',
                notes = n.value->>'notes', updated_at = n.value->>'updated_at',
                updated_by = n.value->>'updated_by'
             FROM json_each(?) AS n WHERE attendee.id = n.value->>'id'",
        )
        .bind(Value::Array(list).to_string())
        .execute(&mut *conn)
        .await?;
    }
    let attendees: Vec<&Attendee> = rows.iter().map(|w| w.attendee).collect();
    write_terms(conn, &attendees).await?;
    write_organisations(conn, &attendees, now).await
}

async fn delete_terms(conn: &mut SqliteConnection, old: &[&Attendee]) -> Result<()> {
    let mut gone: Vec<(u8, String, u32)> = Vec::new();
    for a in old {
        let n = a.serial.number();
        gone.extend(search_terms(a).into_iter().map(|(t, k)| (k, t, n)));
    }
    for chunk in gone.chunks(CHUNK * 8) {
        sqlx::query(
            "DELETE FROM search_term WHERE (kind, term, serial_no) IN
             (SELECT value->>0, value->>1, value->>2 FROM json_each(?))",
        )
        .bind(json_text(&chunk)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The attendee with this id as stored, if any (sync writes rows by id).
pub(crate) async fn by_id_in(conn: &mut SqliteConnection, id: &str) -> Result<Option<Attendee>> {
    match sqlx::query(&format!("{SELECT} WHERE a.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    {
        Some(row) => Ok(Some(from_row(&row)?)),
        None => Ok(None),
    }
}

/// The attendees with these ids as stored (sync writes rows by id), each
/// with its id as stored, in no particular order; ids not held, and rows that do not read back, are left
/// out (the latter logged, as `by_id_in`'s callers do).
pub(crate) async fn by_ids_in(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> Result<Vec<(String, Attendee)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE a.id IN (SELECT value FROM json_each(?))"
        ))
        .bind(serde_json::to_string(chunk).map_err(|e| Error::Internal(e.to_string()))?)
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            match from_row(row) {
                Ok(a) => out.push((row.get(0), a)),
                Err(e) => tracing::warn!("an attendee from sync is unreadable: {e}"),
            }
        }
    }
    Ok(out)
}

/// Indexes attendees whose rows were first written outside the registry
/// (a run of registrations received by sync), given in the order they
/// arrived: their search terms, and their organisations join the list the
/// desk suggests, each with the country of the first person who named it
/// (as when they arrive one by one).
pub(crate) async fn index_new(
    conn: &mut SqliteConnection,
    new: &[&Attendee],
    now: Timestamp,
) -> Result<()> {
    write_terms(conn, new).await?;
    let mut named = BTreeSet::new();
    let first: Vec<&Attendee> = new
        .iter()
        .copied()
        .filter(|a| named.insert(a.organisation.as_str()))
        .collect();
    write_organisations(conn, &first, now).await
}

/// Re-indexes one attendee whose row was written outside the registry
/// (received by sync): `old`'s search terms go, `new`'s are written, and
/// its organisation joins the list the desk suggests.
pub(crate) async fn reindex(
    conn: &mut SqliteConnection,
    old: Option<&Attendee>,
    new: &Attendee,
    now: Timestamp,
) -> Result<()> {
    delete_terms(conn, old.as_slice()).await?;
    write_terms(conn, &[new]).await?;
    write_organisations(conn, &[new], now).await
}

/// Appends `a`'s rows of `search_term`: (kind, term, badge number).
fn term_rows(a: &Attendee, out: &mut Vec<(u8, String, u32)>) {
    let n = a.serial.number();
    out.extend(search_terms(a).into_iter().map(|(t, k)| (k, t, n)));
}

async fn write_terms(conn: &mut SqliteConnection, attendees: &[&Attendee]) -> Result<()> {
    let mut terms = Vec::with_capacity(attendees.len() * 6);
    for a in attendees {
        term_rows(a, &mut terms);
    }
    insert_terms(conn, terms).await
}

/// Writes rows of `search_term`, given in any order.
async fn insert_terms(
    conn: &mut SqliteConnection,
    mut terms: Vec<(u8, String, u32)>,
) -> Result<()> {
    // Inserting in index order keeps the B-tree writes sequential.
    terms.sort_unstable();
    // Each term is moved into its statement: nothing for sqlx to copy.
    let mut rest = terms.into_iter().peekable();
    let statements = std::iter::from_fn(move || {
        rest.peek()?;
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR IGNORE INTO search_term (kind, term, serial_no) ",
        );
        q.push_values(rest.by_ref().take(5000), |mut b, (k, t, n)| {
            b.push_bind(i64::from(k))
                .push_bind(t)
                .push_bind(i64::from(n));
        });
        Some(Ok(q))
    });
    pipelined(conn, statements, |_| ()).await
}

/// The organisations `attendees` name join the list the desk suggests,
/// and their words the search index.
async fn write_organisations(
    conn: &mut SqliteConnection,
    attendees: &[&Attendee],
    now: Timestamp,
) -> Result<()> {
    let mut names: BTreeSet<(&str, Option<&str>)> = BTreeSet::new();
    for a in attendees.iter().filter(|a| !a.organisation.is_empty()) {
        names.insert((a.organisation.as_str(), a.country.as_deref()));
    }
    let list: Vec<Value> = names
        .iter()
        .map(|(n, c)| json!([n, fold::fold(n), c]))
        .collect();
    for chunk in list.chunks(CHUNK) {
        sqlx::query(
            "INSERT OR IGNORE INTO organisation (name, folded, country, created_at)
             SELECT value->>0, value->>1, value->>2, ? FROM json_each(?)",
        )
        .bind(now.to_string())
        .bind(Value::Array(chunk.to_vec()).to_string())
        .execute(&mut *conn)
        .await?;
    }
    // The words search finds their people by, once per name.
    let distinct: BTreeSet<&str> = names.iter().map(|(name, _)| *name).collect();
    let words: Vec<(String, &str)> = distinct
        .into_iter()
        .flat_map(|name| organisation_terms(name).into_iter().map(move |t| (t, name)))
        .collect();
    for chunk in words.chunks(CHUNK) {
        sqlx::query(
            "INSERT OR IGNORE INTO organisation_term (term, name)
             SELECT value->>0, value->>1 FROM json_each(?)",
        )
        .bind(json_text(&chunk)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A fresh attendee record (not yet written) from checked fields.
pub(crate) fn fresh(
    fields: NewAttendee,
    serial: BadgeSerial,
    status: Status,
    actor: &str,
    now: Timestamp,
) -> Attendee {
    let mut a = Attendee {
        id: Uuid::now_v7(),
        serial,
        external_ref: None,
        given_names: String::new(),
        family_name: String::new(),
        organisation: String::new(),
        job_title: String::new(),
        country: None,
        category: fields.category.clone(),
        delegation: None,
        email: String::new(),
        phone: String::new(),
        doc_type: String::new(),
        doc_number: String::new(),
        birth_date: None,
        zones_override: None,
        days_override: None,
        has_photo: false,
        photo_sha256: None,
        status,
        notes: String::new(),
        created_at: now,
        created_by: actor.into(),
        updated_at: now,
        updated_by: actor.into(),
    };
    a.apply(fields);
    a
}

/// Registers a person at a desk: a new badge number, status `registered`.
pub async fn create(
    store: &Store,
    new: NewAttendee,
    actor: &str,
    now: Timestamp,
) -> Result<Attendee> {
    let event = crate::event_store::load(store.read()).await?;
    let fields = check(new, &event).map_err(to_bad_input)?;
    let mut tx = store.write().await?;
    let serial = allocate_serials(&mut tx, &event.serial_prefix, 1)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Internal("no badge number allocated".into()))?;
    let a = fresh(fields, serial, Status::Registered, actor, now);
    let ids = match &a.delegation {
        Some(d) => delegation_ids(&mut tx, &[(d.as_str(), a.country.as_deref())], now).await?,
        None => HashMap::new(),
    };
    let w = Write {
        attendee: &a,
        delegation_id: a.delegation.as_ref().and_then(|d| ids.get(d)),
        photo: None,
    };
    insert_many(&mut tx, &[w], now, &mut |_| ()).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.create",
        // The badge number, never the name: the hash chain keeps every detail
        // forever, and an erased attendee's name must go (`privacy.rs`).
        &json!({ "serial": a.serial, "category": a.category }),
    )
    .await?;
    let stored = get_in(&mut tx, &a.serial).await?;
    tx.commit().await?;
    crate::registry::screening::after_write(store, &[stored.serial.as_str()], actor, now).await;
    Ok(stored)
}

/// Replaces the editable fields of the attendee `serial`; the audit entry
/// names the fields that changed. Nothing changes, nothing is written.
pub async fn update(
    store: &Store,
    serial: &BadgeSerial,
    new: NewAttendee,
    actor: &str,
    now: Timestamp,
) -> Result<Attendee> {
    let event = crate::event_store::load(store.read()).await?;
    let fields = check(new, &event).map_err(to_bad_input)?;
    let mut tx = store.write().await?;
    let mut a = get_in(&mut tx, serial).await?;
    let changed = changed_fields(&a.fields(), &fields);
    if changed.is_empty() {
        return Ok(a);
    }
    let old = a.clone();
    a.apply(fields);
    a.updated_at = now;
    a.updated_by = actor.into();
    let ids = match &a.delegation {
        Some(d) => delegation_ids(&mut tx, &[(d.as_str(), a.country.as_deref())], now).await?,
        None => HashMap::new(),
    };
    let w = Write {
        attendee: &a,
        delegation_id: a.delegation.as_ref().and_then(|d| ids.get(d)),
        photo: None,
    };
    update_many(&mut tx, &[w], &[&old], now).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.update",
        &json!({ "serial": a.serial, "changed": changed }),
    )
    .await?;
    let stored = get_in(&mut tx, serial).await?;
    tx.commit().await?;
    crate::registry::screening::after_write(store, &[stored.serial.as_str()], actor, now).await;
    Ok(stored)
}

/// Stores a new photo for the attendee, normalised (see [`photo::normalise`]).
pub async fn set_photo(
    store: &Store,
    serial: &BadgeSerial,
    bytes: &[u8],
    actor: &str,
    now: Timestamp,
) -> Result<Attendee> {
    let bytes = bytes.to_vec();
    let p = tokio::task::spawn_blocking(move || photo::normalise(&bytes))
        .await
        .map_err(|e| Error::Internal(format!("photo worker: {e}")))??;
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE attendee SET photo = ?, photo_sha256 = ?, updated_at = ?, updated_by = ? WHERE serial = ?",
    )
    .bind(&p.jpeg)
    .bind(p.sha256.as_slice())
    .bind(now.to_string())
    .bind(actor)
    .bind(serial.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found(serial));
    }
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.photo",
        &json!({ "serial": serial, "photo_sha256": p.sha256_hex() }),
    )
    .await?;
    let stored = get_in(&mut tx, serial).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Moves the attendee to `status` (badge printed, revoked…).
pub async fn set_status(
    store: &Store,
    serial: &BadgeSerial,
    status: Status,
    actor: &str,
    now: Timestamp,
) -> Result<Attendee> {
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE attendee SET status = ?, updated_at = ?, updated_by = ? WHERE serial = ?",
    )
    .bind(status.as_str())
    .bind(now.to_string())
    .bind(actor)
    .bind(serial.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found(serial));
    }
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.status",
        &json!({ "serial": serial, "status": status }),
    )
    .await?;
    let stored = get_in(&mut tx, serial).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Moves every one of these attendees to `status` (a batch printed), in
/// one transaction and a few statements whatever their number.
pub async fn set_status_all(
    store: &Store,
    serials: &[BadgeSerial],
    status: Status,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    let mut unique: Vec<&BadgeSerial> = Vec::with_capacity(serials.len());
    let mut seen = BTreeSet::new();
    for s in serials {
        if seen.insert(s) {
            unique.push(s);
        }
    }
    let list = serde_json::to_string(&unique).map_err(|e| Error::Internal(e.to_string()))?;
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE attendee SET status = ?, updated_at = ?, updated_by = ?
         WHERE serial IN (SELECT value FROM json_each(?))",
    )
    .bind(status.as_str())
    .bind(now.to_string())
    .bind(actor)
    .bind(&list)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != unique.len() as u64 {
        let found: BTreeSet<String> = sqlx::query_scalar(
            "SELECT serial FROM attendee WHERE serial IN (SELECT value FROM json_each(?))",
        )
        .bind(&list)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        if let Some(missing) = unique.iter().find(|s| !found.contains(s.as_str())) {
            return Err(not_found(missing));
        }
    }
    let details: Vec<Value> = unique
        .iter()
        .map(|serial| json!({ "serial": serial, "status": status }))
        .collect();
    audit::append_all(&mut tx, now, actor, "attendee.status", &details).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{bamex25, BAMEX25_FIRST_DAY};

    fn new(family: &str, cat: &str) -> Result<NewAttendee> {
        Ok(NewAttendee::new("Aminata", family, cat.parse()?))
    }

    #[test]
    fn check_normalises_and_reports_every_problem() -> Result<()> {
        let event = bamex25(BAMEX25_FIRST_DAY)?;
        let mut n = new("  Maïga ", "DEL")?;
        n.country = Some("Turquie".into());
        n.delegation = Some("  ".into());
        let ok = check(n, &event).map_err(to_bad_input)?;
        assert_eq!(ok.family_name, "Maïga");
        assert_eq!(ok.country.as_deref(), Some("TR"));
        assert_eq!(ok.delegation, None);

        let mut bad = new("", "XYZ")?;
        bad.country = Some("Atlantis".into());
        bad.email = "not-an-email".into();
        bad.zones_override = Some(vec!["MOON".parse()?]);
        bad.days_override = Some(vec![jiff::civil::date(2025, 12, 25)]);
        let errors = check(bad, &event).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "family_name",
                "country",
                "category",
                "email",
                "zones_override",
                "days_override"
            ]
        );
        assert!(
            errors[2].message.starts_with(
                "unknown category \"XYZ\". Accepted categories (name or code): Organiser (ORG), "
            ),
            "{}",
            errors[2].message
        );
        let problems: Vec<&FieldProblem> = errors.iter().map(|e| &e.problem).collect();
        assert_eq!(
            problems,
            [
                &FieldProblem::Missing,
                &FieldProblem::UnknownCountry {
                    value: "Atlantis".into()
                },
                &event.unknown_category("XYZ"),
                &FieldProblem::NotAnEmail {
                    value: "not-an-email".into()
                },
                &FieldProblem::UnknownZone {
                    value: "MOON".into()
                },
                &FieldProblem::DayOutsideEvent {
                    value: "2025-12-25".into()
                },
            ]
        );
        Ok(())
    }

    #[test]
    fn long_text_and_control_characters_are_refused_with_their_problem() -> Result<()> {
        let event = bamex25(BAMEX25_FIRST_DAY)?;
        let mut n = new("Traoré", "DEL")?;
        n.given_names = "A".repeat(101);
        n.organisation = "Tab\there".into();
        n.notes = "two\nlines are fine".into();
        n.phone = "+223 1\n2".into();
        let errors = check(n, &event).err().unwrap_or_default();
        let got: Vec<(&str, &FieldProblem)> =
            errors.iter().map(|e| (e.field, &e.problem)).collect();
        assert_eq!(
            got,
            [
                ("given_names", &FieldProblem::TooLong { max: 100 }),
                ("organisation", &FieldProblem::ControlCharacter),
                ("phone", &FieldProblem::ControlCharacter),
            ]
        );
        assert_eq!(errors[0].message, "longer than 100 characters");
        assert_eq!(
            errors[1].message,
            "\"Tab\\there\" contains a control character"
        );
        // The wire form says it in French by default, keeps the one-line
        // English message in its texts and adds the fields.
        let api = crate::error::ApiError::from(to_bad_input(errors));
        assert_eq!(api.code, crate::error::ErrorCode::BadInput);
        assert!(
            api.message
                .starts_with("prénoms : plus de 100 caractères ; organisation : "),
            "{}",
            api.message
        );
        let en = api.clone().in_lang(crate::lang::Lang::En).message;
        assert!(en.starts_with("given_names: longer than 100 characters; organisation: "));
        assert_eq!(api.fields.map(|f| f.len()), Some(3));
        Ok(())
    }

    #[test]
    fn access_is_the_category_default_unless_overridden() -> Result<()> {
        let event = bamex25(BAMEX25_FIRST_DAY)?;
        let serial = BadgeSerial::new("BMX", 1)?;
        let mut a = fresh(
            new("Diarra", "CTR")?,
            serial,
            Status::Registered,
            "t",
            Timestamp::UNIX_EPOCH,
        );
        let (zones, days) = effective_access(&a, &event);
        assert_eq!(zones, vec!["HALL".parse::<ZoneCode>()?]);
        assert_eq!(days, vec![BAMEX25_FIRST_DAY]);
        a.zones_override = Some(vec!["HALL".parse()?, "BIZ".parse()?]);
        a.days_override = Some(event.days.iter().map(|d| d.date).collect());
        let (zones, days) = effective_access(&a, &event);
        assert_eq!(zones.len(), 2);
        assert_eq!(days.len(), 4);
        Ok(())
    }

    #[test]
    fn terms_cover_names_and_document_numbers_and_organisations_their_own() -> Result<()> {
        let mut n = new("N'Diaye", "EXH")?;
        n.organisation = "Hedef Defence".into();
        n.doc_number = "AB 12-345".into();
        let a = fresh(
            n,
            BadgeSerial::new("BMX", 42)?,
            Status::Registered,
            "t",
            Timestamp::UNIX_EPOCH,
        );
        let terms = search_terms(&a);
        for (t, k) in [("ndiaye", 0), ("diaye", 0), ("aminata", 0), ("ab12345", 1)] {
            assert!(
                terms.contains(&(t.to_string(), k)),
                "{t} missing from {terms:?}"
            );
        }
        // Found through attendee.serial_no and the organisation's terms.
        assert!(!terms.iter().any(|(t, _)| t == "42" || t == "hedef"));
        assert_eq!(
            organisation_terms("Hedef Defence Al-Fajr"),
            ["al", "alfajr", "defence", "fajr", "hedef"]
        );
        Ok(())
    }
}
