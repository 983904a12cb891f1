//! Pre-registrations from CSV and XLSX files as organisers really have them:
//! UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1252
//! (French Excel); `,` `;` or tab, detected; quoted fields; headers in
//! French or English with the usual synonyms; categories, countries and
//! zones by code or by name.
//!
//! [`read_table`] and [`plan`] are pure: bytes in, rows out; rows and what
//! the store holds in, a plan and every error (line, column, reason) out.
//! [`import`] applies a plan in one transaction: all or nothing unless
//! `skip_invalid`. Re-importing the same file changes nothing: rows match
//! an attendee by badge number (when this database issued it), else by
//! external reference, else by name + organisation + e-mail. Badge numbers
//! are never taken from a file: new rows get the next ones.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::audit;
use crate::error::{Error, Result};
use crate::event::{EventInfo, ZoneCode};
use crate::lang::Lang;
use crate::messages::{ColumnRef, Msg};
use crate::registry::attendee::{
    self, changed_fields, check, Attendee, NewAttendee, Status, Write,
};
use crate::registry::problem::FieldProblem;
use crate::registry::{country, fold};
use crate::serial::BadgeSerial;
use crate::store::Store;
// The decoded sheet and a refused cell, at their old paths.
pub(crate) use super::table::parse_days;
pub use super::table::{decode_text, detect_delimiter, limits, read_table, ImportError, Table};

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Serial,
    ExternalRef,
    GivenNames,
    FamilyName,
    Organisation,
    JobTitle,
    Country,
    Category,
    Delegation,
    Email,
    Phone,
    DocType,
    DocNumber,
    /// The date of birth (sensitive).
    BirthDate,
    Zones,
    Days,
    Notes,
    /// Known, but not imported (status, photo, timestamps of an export).
    Ignored,
}

/// The column a header names, in French or English, regardless of accents,
/// case, spaces and punctuation ("N° passeport", "E-mail", "Last name").
pub fn column_for(header: &str) -> Option<Column> {
    use Column::*;
    // "N°" is "number": the degree sign would transliterate to "deg".
    let key: String = fold::words(&header.replace(['°', 'º'], "")).concat();
    let col = match key.as_str() {
        "badge" | "nbadge" | "nodebadge" | "numerodebadge" | "numerobadge" | "badgenumber"
        | "badgeno" | "serial" => Serial,
        "reference" | "ref" | "nreference" | "externalref" | "externalreference" | "externalid"
        | "id" | "identifiant" | "registrationid" | "inscription" | "ninscription" => ExternalRef,
        "prenom" | "prenoms" | "firstname" | "firstnames" | "givenname" | "givennames"
        | "forename" | "forenames" => GivenNames,
        "nom" | "nomdefamille" | "lastname" | "surname" | "familyname" => FamilyName,
        "societe" | "organisation" | "organization" | "entreprise" | "company" | "structure"
        | "organisme" | "employer" | "institution" => Organisation,
        "fonction" | "poste" | "titre" | "jobtitle" | "title" | "position" | "job" => JobTitle,
        "pays" | "country" | "nationalite" | "nationality" => Country,
        "categorie" | "category" | "typedebadge" | "badgetype" | "type" => Category,
        "delegation" => Delegation,
        "email" | "mail" | "courriel" | "adresseemail" | "adressemail" | "emailaddress" => Email,
        "telephone" | "tel" | "phone" | "phonenumber" | "mobile" | "portable" | "gsm" => Phone,
        "typedepiece" | "typepiece" | "typedocument" | "typededocument" | "documenttype"
        | "doctype" | "piece" => DocType,
        "npasseport" | "nopasseport" | "numerodepasseport" | "numeropasseport" | "passeport"
        | "passport" | "passportnumber" | "passportno" | "documentnumber" | "docnumber"
        | "npiece" | "numerodepiece" | "numeropiece" | "ndocument" | "numerodocument"
        | "numerodudocument" | "idnumber" => DocNumber,
        "datedenaissance" | "naissance" | "nele" | "birthdate" | "dateofbirth" | "dob"
        | "birthday" => BirthDate,
        "zones" | "zone" | "acces" | "access" => Zones,
        "jours" | "days" | "dates" => Days,
        "notes" | "note" | "remarques" | "remarque" | "commentaire" | "commentaires"
        | "comments" | "comment" => Notes,
        "statut" | "status" | "photo" | "photosha256" | "creele" | "createdat" | "modifiele"
        | "updatedat" => Ignored,
        _ => return None,
    };
    Some(col)
}

/// Which field each column of the file fills, by position (`None`: not
/// imported). Detected from the headers by [`Mapping::detect`]; the console
/// lets the organiser change it before [`plan_with`] uses it, so a file
/// whose headers say "Nom complet" or "Entité" still imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct Mapping(pub Vec<Option<Column>>);

impl Mapping {
    /// What the headers name ([`column_for`]); known but not imported
    /// columns (status, photo, timestamps of an export) map to nothing.
    pub fn detect(headers: &[String]) -> Mapping {
        Mapping(
            headers
                .iter()
                .map(|h| column_for(h).filter(|&c| c != Column::Ignored))
                .collect(),
        )
    }

    /// The position of each field, refusing two columns for one field and a
    /// mapping without the family name or the category.
    fn positions(&self, headers: &[String]) -> Result<HashMap<Column, usize>> {
        if self.0.len() > headers.len() {
            return Err(Msg::MappingWidth {
                named: self.0.len() as u64,
                has: headers.len() as u64,
            }
            .into());
        }
        let name = |i: usize| ColumnRef {
            header: headers.get(i).cloned().unwrap_or_default(),
            number: i as u64 + 1,
        };
        let mut position: HashMap<Column, usize> = HashMap::new();
        for (i, col) in self.0.iter().enumerate() {
            match col {
                None | Some(Column::Ignored) => {}
                Some(c) => {
                    if let Some(&j) = position.get(c) {
                        return Err(Msg::ColumnsTwice {
                            first: name(j),
                            second: name(i),
                        }
                        .into());
                    }
                    position.insert(*c, i);
                }
            }
        }
        for (col, fr, en) in [
            (Column::FamilyName, "Nom", "Last name"),
            (Column::Category, "Catégorie", "Category"),
        ] {
            if !position.contains_key(&col) {
                return Err(Msg::ColumnMissing {
                    fr: fr.to_string(),
                    en: en.to_string(),
                    headers: headers.join(", "),
                }
                .into());
            }
        }
        Ok(position)
    }
}

/// What an import did, or would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: usize,
    pub errors: Vec<ImportError>,
    /// Header cells that name no known column (their data is not imported).
    pub ignored_columns: Vec<String>,
    /// Whether anything was written (not for a dry run, nor a refused file).
    pub written: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub skip_invalid: bool,
}

/// What the store already holds, for matching rows.
#[derive(Default)]
pub struct Existing {
    attendees: Vec<Attendee>,
    by_serial: HashMap<u32, usize>,
    by_ref: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

fn person_key(given: &str, family: &str, organisation: &str, email: &str) -> String {
    format!(
        "{}|{}|{}|{}",
        fold::fold(family),
        fold::fold(given),
        fold::fold(organisation),
        email.trim().to_lowercase()
    )
}

impl Existing {
    pub fn new(attendees: Vec<Attendee>) -> Existing {
        let mut e = Existing::default();
        for (i, a) in attendees.iter().enumerate() {
            e.by_serial.insert(a.serial.number(), i);
            if let Some(r) = &a.external_ref {
                e.by_ref.insert(r.clone(), i);
            }
            e.by_key.insert(
                person_key(&a.given_names, &a.family_name, &a.organisation, &a.email),
                i,
            );
        }
        e.attendees = attendees;
        e
    }
}

/// An attendee an import changes: as stored, its new fields, the names of
/// what changed.
pub type Update = (Attendee, NewAttendee, Vec<&'static str>);

/// The changes an import makes.
#[derive(Debug, Default)]
pub struct Plan {
    pub creates: Vec<NewAttendee>,
    pub updates: Vec<Update>,
    pub unchanged: usize,
    pub invalid: usize,
    pub errors: Vec<ImportError>,
    pub ignored_columns: Vec<String>,
}

fn field_column(field: &str) -> Column {
    use Column::*;
    match field {
        "external_ref" => ExternalRef,
        "given_names" => GivenNames,
        "family_name" => FamilyName,
        "organisation" => Organisation,
        "job_title" => JobTitle,
        "country" => Country,
        "category" => Category,
        "delegation" => Delegation,
        "email" => Email,
        "phone" => Phone,
        "doc_type" => DocType,
        "doc_number" => DocNumber,
        "birth_date" => BirthDate,
        "zones_override" => Zones,
        "days_override" => Days,
        _ => Notes,
    }
}

fn parse_category(value: &str, event: &EventInfo) -> Option<crate::event::CategoryCode> {
    let by_code = event
        .categories
        .iter()
        .find(|c| c.code.as_str().eq_ignore_ascii_case(value));
    by_code
        .or_else(|| {
            let key = fold::fold(value);
            event
                .categories
                .iter()
                .find(|c| fold::fold(&c.name_fr) == key || fold::fold(&c.name_en) == key)
        })
        .map(|c| c.code.clone())
}

fn parse_zones(value: &str, event: &EventInfo) -> std::result::Result<Vec<ZoneCode>, FieldProblem> {
    value
        .split([' ', ',', ';', '|', '/', '+'])
        .filter(|s| !s.is_empty())
        .map(|z| {
            let by_code = event
                .zones
                .iter()
                .find(|zone| zone.code.as_str().eq_ignore_ascii_case(z));
            by_code
                .or_else(|| {
                    let key = fold::fold(z);
                    event.zones.iter().find(|zone| {
                        fold::fold(&zone.name_fr) == key || fold::fold(&zone.name_en) == key
                    })
                })
                .map(|zone| zone.code.clone())
                .ok_or_else(|| FieldProblem::UnknownZone { value: z.into() })
        })
        .collect()
}

/// Works out, without writing anything, what importing `table` does, with
/// the columns its headers name.
pub fn plan(table: &Table, event: &EventInfo, existing: &Existing) -> Result<Plan> {
    plan_with(table, &Mapping::detect(&table.headers), event, existing)
}

/// [`plan`] with the columns `mapping` says.
pub fn plan_with(
    table: &Table,
    mapping: &Mapping,
    event: &EventInfo,
    existing: &Existing,
) -> Result<Plan> {
    let mut planner = Planner::new(table, mapping, event, existing)?;
    for (line, cells) in &table.rows {
        planner.row(*line, cells);
    }
    Ok(planner.plan)
}

/// Plans rows one at a time, in file order, so that an import can write
/// the rows planned so far while it plans the next ones.
struct Planner<'a> {
    headers: &'a [String],
    position: HashMap<Column, usize>,
    event: &'a EventInfo,
    existing: &'a Existing,
    seen: HashMap<String, u64>,
    seen_existing: HashMap<usize, u64>,
    plan: Plan,
}

impl<'a> Planner<'a> {
    fn new(
        table: &'a Table,
        mapping: &Mapping,
        event: &'a EventInfo,
        existing: &'a Existing,
    ) -> Result<Planner<'a>> {
        let mut plan = Plan::default();
        let position = mapping.positions(&table.headers)?;
        for (i, h) in table.headers.iter().enumerate() {
            let mapped = mapping.0.get(i).copied().flatten();
            if mapped.is_none() && !h.is_empty() && column_for(h) != Some(Column::Ignored) {
                plan.ignored_columns.push(h.clone());
            }
        }
        Ok(Planner {
            headers: &table.headers,
            position,
            event,
            existing,
            seen: HashMap::new(),
            seen_existing: HashMap::new(),
            plan,
        })
    }

    /// Adds the row `cells`, line `line` of the file, to the plan.
    fn row(&mut self, line: u64, cells: &[String]) {
        let Planner {
            headers,
            position,
            event,
            existing,
            seen,
            seen_existing,
            plan,
        } = self;
        let (event, existing) = (*event, *existing);
        let header = |c: Column| position.get(&c).map(|&i| headers[i].clone());
        if cells.iter().all(|c| c.is_empty()) {
            return;
        }
        let cell = |c: Column| -> Option<&str> {
            position
                .get(&c)
                .map(|&i| cells.get(i).map(String::as_str).unwrap_or(""))
        };
        let mut errors: Vec<ImportError> = Vec::new();
        macro_rules! err {
            ($c:expr, $p:expr) => {{
                let problem: FieldProblem = $p;
                err!($c, problem.text(Lang::En), problem)
            }};
            ($c:expr, $m:expr, $p:expr) => {
                errors.push(ImportError {
                    line,
                    column: $c.and_then(header),
                    value: $c.and_then(|c: Column| cell(c)).map(String::from),
                    message: $m,
                    problem: $p,
                })
            };
        }

        // Which attendee this row is, if it is one already known.
        let mut matched: Option<usize> = None;
        // A badge number this database does not know (a file exported by
        // another station) is not an error: the row matches like any other.
        if let Some(s) = cell(Column::Serial).filter(|s| !s.is_empty()) {
            match s.parse::<BadgeSerial>() {
                Ok(serial) => {
                    matched = existing
                        .by_serial
                        .get(&serial.number())
                        .copied()
                        .filter(|&i| existing.attendees[i].serial == serial);
                }
                Err(e) => err!(
                    Some(Column::Serial),
                    e.to_string(),
                    FieldProblem::NotABadgeNumber { value: s.into() }
                ),
            }
        }
        let external_ref = cell(Column::ExternalRef).filter(|s| !s.is_empty());
        if matched.is_none() {
            matched = match external_ref {
                Some(r) => existing.by_ref.get(r).copied(),
                None => existing
                    .by_key
                    .get(&person_key(
                        cell(Column::GivenNames).unwrap_or(""),
                        cell(Column::FamilyName).unwrap_or(""),
                        cell(Column::Organisation).unwrap_or(""),
                        cell(Column::Email).unwrap_or(""),
                    ))
                    .copied(),
            };
        }
        let base = matched.map(|i| existing.attendees[i].fields());

        let category = match cell(Column::Category).unwrap_or("") {
            "" => {
                if base.is_none() {
                    err!(
                        Some(Column::Category),
                        "the category is missing".into(),
                        FieldProblem::Missing
                    );
                }
                None
            }
            c => {
                let found = parse_category(c, event);
                if found.is_none() {
                    err!(Some(Column::Category), event.unknown_category(c));
                }
                found
            }
        };
        // A row whose category is missing or unknown is refused, but its
        // other fields are still checked (against a stand-in category), so
        // that every error of the row is said at once.
        let Some(category) = category
            .or_else(|| base.as_ref().map(|b| b.category.clone()))
            .or_else(|| event.categories.first().map(|c| c.code.clone()))
        else {
            plan.invalid += 1;
            plan.errors.extend(errors);
            return;
        };
        let mut f = base
            .clone()
            .unwrap_or_else(|| NewAttendee::new("", "", category.clone()));
        f.category = category;
        let text = |c: Column, target: &mut String| {
            if let Some(v) = cell(c) {
                *target = v.to_string();
            }
        };
        text(Column::GivenNames, &mut f.given_names);
        text(Column::FamilyName, &mut f.family_name);
        text(Column::Organisation, &mut f.organisation);
        text(Column::JobTitle, &mut f.job_title);
        text(Column::Email, &mut f.email);
        text(Column::Phone, &mut f.phone);
        text(Column::DocType, &mut f.doc_type);
        text(Column::DocNumber, &mut f.doc_number);
        text(Column::Notes, &mut f.notes);
        let optional = |c: Column, target: &mut Option<String>| {
            if let Some(v) = cell(c) {
                *target = (!v.is_empty()).then(|| v.to_string());
            }
        };
        optional(Column::ExternalRef, &mut f.external_ref);
        optional(Column::Delegation, &mut f.delegation);
        if let Some(c) = cell(Column::Country) {
            f.country = if c.is_empty() {
                None
            } else if let Some(code) = country::resolve(c) {
                Some(code.to_string())
            } else {
                err!(
                    Some(Column::Country),
                    FieldProblem::UnknownCountry { value: c.into() }
                );
                None
            };
        }
        if let Some(z) = cell(Column::Zones) {
            f.zones_override = match parse_zones(z, event) {
                Ok(v) if v.is_empty() => None,
                Ok(v) => Some(v),
                Err(p) => {
                    err!(Some(Column::Zones), p);
                    None
                }
            };
        }
        if let Some(d) = cell(Column::BirthDate) {
            f.birth_date = match parse_days(d) {
                Ok(v) if v.is_empty() => None,
                Ok(v) if v.len() == 1 => v.first().copied(),
                Ok(_) => {
                    err!(
                        Some(Column::BirthDate),
                        FieldProblem::NotADate { value: d.into() }
                    );
                    None
                }
                Err(p) => {
                    err!(Some(Column::BirthDate), p);
                    None
                }
            };
        }
        if let Some(d) = cell(Column::Days) {
            f.days_override = match parse_days(d) {
                Ok(v) if v.is_empty() => None,
                Ok(v) => Some(v),
                Err(p) => {
                    err!(Some(Column::Days), p);
                    None
                }
            };
        }
        let checked = match check(f, event) {
            Ok(c) => Some(c),
            Err(field_errors) => {
                for fe in field_errors {
                    // The category and country were already reported above.
                    let col = field_column(fe.field);
                    if !errors.iter().any(|e| e.column == header(col)) {
                        err!(Some(col), fe.message, fe.problem);
                    }
                }
                None
            }
        };
        // The same person twice in the file.
        if let Some(c) = &checked {
            let key = match &c.external_ref {
                Some(r) => format!("ref:{r}"),
                None => person_key(&c.given_names, &c.family_name, &c.organisation, &c.email),
            };
            let first = match matched {
                Some(i) => seen_existing.insert(i, line),
                None => seen.insert(key, line),
            };
            if let Some(first) = first {
                err!(None, FieldProblem::SamePersonAs { line: first });
            }
        }
        if !errors.is_empty() {
            plan.invalid += 1;
            plan.errors.extend(errors);
            return;
        }
        let Some(checked) = checked else { return };
        match (matched, base) {
            (Some(i), Some(base)) => {
                let changed = changed_fields(&base, &checked);
                if changed.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.updates
                        .push((existing.attendees[i].clone(), checked, changed));
                }
            }
            _ => plan.creates.push(checked),
        }
    }
}

/// New rows from which an import builds the attendee table's indexes after
/// writing its rows rather than row by row (when the registry holds no more).
const BULK_ROWS: usize = 5_000;

/// Imports `bytes` (the file `file_name`). `progress(done, total)` is called
/// as rows are written.
pub async fn import(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    options: ImportOptions,
    actor: &str,
    now: Timestamp,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ImportReport> {
    import_mapped(store, bytes, file_name, None, options, actor, now, progress).await
}

/// [`import`] with the columns `mapping` says (`None`: as the headers name them).
///
/// The rows are written as they are planned, in one transaction: SQLite
/// writes a statement's worth of new attendees on its thread while the
/// next ones are checked on this one. A refused import (an invalid row, not
/// skipped) or one with nothing to change is rolled back whole.
#[allow(clippy::too_many_arguments)]
pub async fn import_mapped(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    mapping: Option<&Mapping>,
    options: ImportOptions,
    actor: &str,
    now: Timestamp,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ImportReport> {
    let event = crate::event_store::load(store.read()).await?;
    let table = read_table(bytes, file_name)?;
    let existing = Existing::new(attendee::all(store.read()).await?);
    let detected;
    let mapping = match mapping {
        Some(m) => m,
        None => {
            detected = Mapping::detect(&table.headers);
            &detected
        }
    };
    if options.dry_run {
        let (report, _) = report_of(plan_with(&table, mapping, &event, &existing)?, 0);
        return Ok(report);
    }

    let mut tx = store.write().await?;
    let written = write_planned(
        &mut tx,
        &table,
        mapping,
        options,
        Writing {
            event: &event,
            existing: &existing,
            file_name,
            actor,
            now,
        },
        progress,
    )
    .await;
    let done = match written {
        Ok(w) if w.report.written => {
            // The parsed file is freed while SQLite commits.
            let (committed, ()) = tokio::join!(tx.commit(), async { drop(table) });
            committed.map_err(Error::from).map(|()| w)
        }
        Ok(w) => tx.rollback().await.map_err(Error::from).map(|()| w),
        Err(e) => {
            drop(tx);
            Err(e)
        }
    };
    // Back to the writer's own page cache whatever happened.
    if let Ok(mut conn) = store.write().await {
        let _ = attendee::large_write_cache(&mut conn, false).await;
        let _ = conn.commit().await;
    }
    let Written {
        report,
        created,
        updated,
    } = done?;
    if report.written {
        let screened: Vec<&str> = created
            .iter()
            .chain(&updated)
            .map(|a| a.serial.as_str())
            .collect();
        crate::registry::screening::after_write(store, &screened, actor, now).await;
    }
    Ok(report)
}

/// What a write of an import needs besides its rows.
struct Writing<'a> {
    event: &'a EventInfo,
    existing: &'a Existing,
    file_name: &'a str,
    actor: &'a str,
    now: Timestamp,
}

/// What [`write_planned`] did: `report.written` says whether to commit.
struct Written {
    report: ImportReport,
    created: Vec<Attendee>,
    updated: Vec<Attendee>,
}

/// The report of `plan`, with `created` attendees already taken from it.
fn report_of(plan: Plan, created: usize) -> (ImportReport, Vec<Update>) {
    let report = ImportReport {
        created: created + plan.creates.len(),
        updated: plan.updates.len(),
        unchanged: plan.unchanged,
        invalid: plan.invalid,
        errors: plan.errors,
        ignored_columns: plan.ignored_columns,
        written: false,
    };
    (report, plan.updates)
}

/// Plans `table` with `mapping` and writes it on `tx`, new
/// attendees as they are planned; the caller commits or rolls back.
async fn write_planned(
    tx: &mut crate::store::WriteTx,
    table: &Table,
    mapping: &Mapping,
    options: ImportOptions,
    w: Writing<'_>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Written> {
    let mut planner = Planner::new(table, mapping, w.event, w.existing)?;
    // A file with an invalid row, not skipped, is refused: nothing written.
    let refused = |invalid: usize| invalid > 0 && !options.skip_invalid;
    attendee::large_write_cache(tx, true).await?;
    // This transaction holds the database until it ends: what the rows
    // need is read once, and the counters move once at the end.
    let mut serials = attendee::SerialRun::read(tx, &w.event.serial_prefix).await?;
    let mut delegations = attendee::Delegations::read(tx).await?;
    let indexes = attendee::declared_indexes(tx).await?;
    let total = table.rows.len();
    let mut rows = table.rows.iter();
    let mut planned = 0usize;
    let mut dropped = false;
    let mut created: Vec<Attendee> = Vec::new();
    let mut terms = Vec::new();
    {
        let mut queue = std::collections::VecDeque::new();
        let statements = std::iter::from_fn(|| loop {
            if let Some(q) = queue.pop_front() {
                return Some(q);
            }
            // Plan rows until a statement's worth of new attendees.
            while planner.plan.creates.len() < attendee::INSERT_ROWS
                && !refused(planner.plan.invalid)
            {
                let Some((line, cells)) = rows.next() else {
                    break;
                };
                planner.row(*line, cells);
                planned += 1;
            }
            if planner.plan.creates.is_empty() || refused(planner.plan.invalid) {
                return None;
            }
            let start = created.len();
            for f in planner.plan.creates.drain(..) {
                match serials.take() {
                    Ok(serial) => created.push(attendee::fresh(
                        f,
                        serial,
                        Status::Preregistered,
                        w.actor,
                        w.now,
                    )),
                    Err(e) => return Some(Err(e)),
                }
            }
            let new = &created[start..];
            let ids = delegation_ids(&mut delegations, new);
            queue.extend(delegations.pending_statement(w.now).map(Ok));
            // A large import into a smaller registry builds the attendee
            // indexes once, after its rows (the same transaction: all or
            // nothing still). A file whose first rows are mostly new people
            // is taken for one before its first row is written (the rows
            // then lie in the file as a bulk write leaves them); any other
            // once it has written that many new people.
            let could_create = created.len() + (total - planned);
            if !dropped
                && could_create >= BULK_ROWS
                && could_create >= w.existing.attendees.len()
                && (created.len() >= BULK_ROWS || created.len() * 2 >= planned)
            {
                dropped = true;
                queue.extend(indexes.drop_statements().into_iter().map(Ok));
            }
            queue.push_back(attendee::insert_statement(&writes(new, &ids), &mut terms));
            progress(planned / 2, total);
        });
        attendee::pipelined(tx, statements, |_| ()).await?;
    }
    // A refused import: the rest is planned for its report only.
    for (line, cells) in rows {
        planner.row(*line, cells);
    }
    let (mut report, updates) = report_of(planner.plan, created.len());
    if refused(report.invalid) || report.created + report.updated == 0 {
        return Ok(Written {
            report,
            created,
            updated: Vec::new(),
        });
    }
    serials.save(tx).await?;
    let new: Vec<&Attendee> = created.iter().collect();
    attendee::index_inserted(tx, terms, &new, w.now).await?;
    progress(total * 3 / 4, total);
    if dropped {
        attendee::build_indexes(tx, indexes).await?;
    }
    let updated: Vec<Attendee> = updates
        .iter()
        .map(|(old, f, _)| {
            let mut a = old.clone();
            a.external_ref = f.external_ref.clone();
            a.given_names = f.given_names.clone();
            a.family_name = f.family_name.clone();
            a.organisation = f.organisation.clone();
            a.job_title = f.job_title.clone();
            a.country = f.country.clone();
            a.category = f.category.clone();
            a.delegation = f.delegation.clone();
            a.email = f.email.clone();
            a.phone = f.phone.clone();
            a.doc_type = f.doc_type.clone();
            a.doc_number = f.doc_number.clone();
            a.birth_date = f.birth_date;
            a.zones_override = f.zones_override.clone();
            a.days_override = f.days_override.clone();
            a.notes = f.notes.clone();
            a.updated_at = w.now;
            a.updated_by = w.actor.into();
            a
        })
        .collect();
    if !updated.is_empty() {
        let ids = delegation_ids(&mut delegations, &updated);
        if let Some(mut q) = delegations.pending_statement(w.now) {
            q.build().execute(&mut **tx).await?;
        }
        let old: Vec<&Attendee> = updates.iter().map(|(a, _, _)| a).collect();
        attendee::update_many(tx, &writes(&updated, &ids), &old, w.now).await?;
    }
    progress(total, total);
    audit::append(
        tx,
        w.now,
        w.actor,
        "attendee.import",
        &json!({
            "file": w.file_name,
            "created": created.iter().map(|a| a.serial.as_str()).collect::<Vec<_>>(),
            "updated": updates.iter().map(|(a, _, changed)| json!({
                "serial": a.serial, "changed": changed
            })).collect::<Vec<_>>(),
            "unchanged": report.unchanged,
            "invalid": report.invalid,
        }),
    )
    .await?;
    report.written = true;
    Ok(Written {
        report,
        created,
        updated,
    })
}

/// The delegation id of each of `list` (created in `delegations` if new).
fn delegation_ids(
    delegations: &mut attendee::Delegations,
    list: &[Attendee],
) -> Vec<Option<String>> {
    list.iter()
        .map(|a| {
            a.delegation
                .as_deref()
                .map(|d| delegations.id_for(d, a.country.as_deref()).clone())
        })
        .collect()
}

/// `list` as written, each with its delegation id from `ids`.
fn writes<'a>(list: &'a [Attendee], ids: &'a [Option<String>]) -> Vec<Write<'a>> {
    list.iter()
        .zip(ids)
        .map(|(a, id)| Write {
            attendee: a,
            delegation_id: id.as_ref(),
            photo: None,
        })
        .collect()
}

/// Values shown beside each column in the mapping table.
const SAMPLES: usize = 3;

/// What the console shows before importing: the file's columns, the mapping
/// used, a few values of each column, and the dry run with that mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    pub file_name: String,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// Per column, its first few distinct non-empty values.
    pub samples: Vec<Vec<String>>,
    /// Data rows in the file (blank lines included).
    pub rows: usize,
    /// The dry run; `None` when the mapping itself is refused.
    pub report: Option<ImportReport>,
    /// Why the mapping is refused (a missing or doubled column), in
    /// French and in English.
    pub problem: Option<crate::error::Texts>,
}

fn samples(table: &Table) -> Vec<Vec<String>> {
    (0..table.headers.len())
        .map(|i| {
            let mut out: Vec<String> = Vec::new();
            for (_, cells) in &table.rows {
                match cells.get(i) {
                    Some(v) if !v.is_empty() && !out.contains(v) => out.push(v.clone()),
                    _ => {}
                }
                if out.len() == SAMPLES {
                    break;
                }
            }
            out
        })
        .collect()
}

/// The preview of importing `bytes` with `mapping` (detected when `None`).
/// An unreadable file is an error; a refused mapping is a preview with its
/// `problem`, so the organiser can change it.
pub async fn preview(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    mapping: Option<Mapping>,
) -> Result<ImportPreview> {
    let event = crate::event_store::load(store.read()).await?;
    let table = read_table(bytes, file_name)?;
    let existing = Existing::new(attendee::all(store.read()).await?);
    let mut mapping = mapping.unwrap_or_else(|| Mapping::detect(&table.headers));
    if mapping.0.len() < table.headers.len() {
        mapping.0.resize(table.headers.len(), None);
    }
    let (report, problem) = match plan_with(&table, &mapping, &event, &existing) {
        Ok(plan) => (
            Some(ImportReport {
                created: plan.creates.len(),
                updated: plan.updates.len(),
                unchanged: plan.unchanged,
                invalid: plan.invalid,
                errors: plan.errors,
                ignored_columns: plan.ignored_columns,
                written: false,
            }),
            None,
        ),
        Err(e) if e.code() == crate::error::ErrorCode::BadInput => (None, Some(e.texts())),
        Err(e) => return Err(e),
    };
    Ok(ImportPreview {
        file_name: file_name.to_string(),
        samples: samples(&table),
        rows: table.rows.len(),
        headers: table.headers,
        mapping,
        report,
        problem,
    })
}

/// Where a running import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading the file and checking every row.
    Checking,
    /// Writing rows (`done` of `total`).
    Writing,
    Done,
    Failed,
}

/// An import running in the background, as the console polls it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProgress {
    pub id: String,
    pub phase: ImportPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// Once `done`: what the import did (or, refused, why: its errors).
    pub report: Option<ImportReport>,
    /// Once `failed`.
    pub error: Option<crate::error::ApiError>,
}

/// The imports this process has started, so that a screen can show a
/// progress bar while one transaction writes thousands of rows (the write
/// stays all or nothing; only its progress is shared).
#[derive(Debug, Default)]
pub struct ImportJobs {
    /// By id: UUIDv7s, so the oldest come first.
    jobs: std::sync::Mutex<
        std::collections::BTreeMap<String, std::sync::Arc<std::sync::Mutex<ImportProgress>>>,
    >,
}

/// Finished imports whose progress stays readable (the older ones are forgotten).
const KEPT_JOBS: usize = 16;

fn locked<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data: keep using it.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl ImportJobs {
    /// Starts importing `bytes` on the runtime; returns at once.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &self,
        store: Store,
        bytes: Vec<u8>,
        file_name: String,
        mapping: Option<Mapping>,
        options: ImportOptions,
        actor: String,
        now: Timestamp,
    ) -> ImportProgress {
        let id = uuid::Uuid::now_v7().to_string();
        let state = ImportProgress {
            id: id.clone(),
            phase: ImportPhase::Checking,
            done: 0,
            total: 0,
            report: None,
            error: None,
        };
        let shared = std::sync::Arc::new(std::sync::Mutex::new(state.clone()));
        {
            let mut jobs = locked(&self.jobs);
            let finished: Vec<String> = jobs
                .iter()
                .filter(|(_, j)| matches!(locked(j).phase, ImportPhase::Done | ImportPhase::Failed))
                .map(|(id, _)| id.clone())
                .collect();
            for old in finished
                .iter()
                .take(finished.len().saturating_sub(KEPT_JOBS))
            {
                jobs.remove(old);
            }
            jobs.insert(id, shared.clone());
        }
        // Beside the store: closing it stops the job first (its transaction
        // rolled back), rather than leaving it on a closed pool.
        let beside = store.clone();
        beside.spawn(async move {
            let progress_state = shared.clone();
            let mut progress = move |done: usize, total: usize| {
                let mut p = locked(&progress_state);
                p.phase = ImportPhase::Writing;
                p.done = done as u64;
                p.total = total as u64;
            };
            let result = import_mapped(
                &store,
                &bytes,
                &file_name,
                mapping.as_ref(),
                options,
                &actor,
                now,
                &mut progress,
            )
            .await;
            let mut p = locked(&shared);
            match result {
                Ok(report) => {
                    p.phase = ImportPhase::Done;
                    p.report = Some(report);
                }
                Err(e) => {
                    p.phase = ImportPhase::Failed;
                    p.error = Some(crate::error::ApiError::from(&e));
                }
            }
        });
        state
    }

    /// Where the import `id` stands.
    pub fn progress(&self, id: &str) -> Result<ImportProgress> {
        let jobs = locked(&self.jobs);
        let job = jobs.get(id).ok_or_else(|| {
            Error::from(Msg::NoImport {
                id: format!("{id:?}"),
            })
        })?;
        let p = locked(job).clone();
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::table::{excel_date, read_csv};

    #[test]
    fn encodings_are_recognised() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFNom;Pr\xC3\xA9nom"), "Nom;Prénom");
        assert_eq!(decode_text(b"Nom;Pr\xE9nom"), "Nom;Prénom");
        assert_eq!(decode_text(b"\xFF\xFEN\0o\0m\0"), "Nom");
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("Nom;Prénom;Pays\nA;B;C"), b';');
        assert_eq!(detect_delimiter("Nom,Prénom\n"), b',');
        assert_eq!(detect_delimiter("Nom\tPrénom\tSociété, SA\n"), b'\t');
        assert_eq!(detect_delimiter("\"Nom;x\",Prénom\n"), b',');
        assert_eq!(detect_delimiter("Nom\n"), b',');
    }

    #[test]
    fn line_numbers_are_the_same_with_lf_and_crlf() -> Result<()> {
        for text in [
            "Nom;Catégorie\nA;VIS\n\"B\nb\";XX\nC;VIS\n",
            "Nom;Catégorie\r\nA;VIS\r\n\"B\r\nb\";XX\r\nC;VIS\r\n",
        ] {
            let table = read_csv(text)?;
            let lines: Vec<u64> = table.rows.iter().map(|(l, _)| *l).collect();
            assert_eq!(lines, [2, 3, 5], "{text:?}");
        }
        Ok(())
    }

    #[test]
    fn headers_in_french_and_english() {
        assert_eq!(column_for("N° passeport"), Some(Column::DocNumber));
        assert_eq!(column_for("Prénom"), Some(Column::GivenNames));
        assert_eq!(column_for("Last name"), Some(Column::FamilyName));
        assert_eq!(column_for("Société"), Some(Column::Organisation));
        assert_eq!(column_for("E-mail"), Some(Column::Email));
        assert_eq!(column_for("Téléphone"), Some(Column::Phone));
        assert_eq!(column_for("CATÉGORIE"), Some(Column::Category));
        assert_eq!(column_for("Délégation"), Some(Column::Delegation));
        assert_eq!(column_for("Shoe size"), None);
    }

    #[test]
    fn days_in_iso_and_french_form() {
        let d = jiff::civil::date(2025, 11, 11);
        assert_eq!(parse_days("2025-11-11"), Ok(vec![d]));
        assert_eq!(parse_days("11/11/2025"), Ok(vec![d]));
        assert!(parse_days("31/02/2025").is_err());
        assert_eq!(excel_date(45972.0).as_deref(), Some("2025-11-11"));
    }

    #[test]
    fn row_errors_carry_their_problem() -> Result<()> {
        let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let table = read_csv(
            "N° badge;Nom;Catégorie;Jours;Zones\n\
             BMX-42;Keita;VIS;;\n\
             ;Coulibaly;;;\n\
             ;Sy;VIS;le 11;\n\
             ;Ba;VIS;;Lune\n\
             ;Sow;VIS;;\n\
             ;Sow;VIS;;\n",
        )?;
        // Every error of a row at once: a wrong category does not hide a bad e-mail.
        let both = read_csv("Nom;Catégorie;Email\nTraoré;Exposants;awa.traore@\n")?;
        let both = plan(&both, &event, &Existing::default())?;
        let problems: Vec<(&str, &str)> = both
            .errors
            .iter()
            .map(|e| {
                let kind = match &e.problem {
                    FieldProblem::UnknownCategory { suggestion, .. } => {
                        suggestion.as_deref().unwrap_or("?")
                    }
                    FieldProblem::NotAnEmail { value } => value.as_str(),
                    _ => "other",
                };
                (e.column.as_deref().unwrap_or(""), kind)
            })
            .collect();
        assert_eq!(
            problems,
            [("Catégorie", "Exposant"), ("Email", "awa.traore@")]
        );
        assert_eq!(both.invalid, 1);
        let plan = plan(&table, &event, &Existing::default())?;
        let got: Vec<(u64, Option<&str>, &FieldProblem)> = plan
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref(), &e.problem))
            .collect();
        let value = |v: &str| v.to_string();
        assert_eq!(
            got,
            [
                (
                    2,
                    Some("N° badge"),
                    &FieldProblem::NotABadgeNumber {
                        value: value("BMX-42")
                    }
                ),
                (3, Some("Catégorie"), &FieldProblem::Missing),
                (
                    4,
                    Some("Jours"),
                    &FieldProblem::NotADate { value: value("le") }
                ),
                (
                    5,
                    Some("Zones"),
                    &FieldProblem::UnknownZone {
                        value: value("Lune")
                    }
                ),
                (7, None, &FieldProblem::SamePersonAs { line: 6 }),
            ]
        );
        assert_eq!(
            plan.errors[4].text(Lang::Fr),
            "ligne 7 : la même personne qu'à la ligne 6"
        );
        assert_eq!(
            plan.errors[1].text(Lang::En),
            "line 3, Catégorie: a required value is missing"
        );
        Ok(())
    }
}
