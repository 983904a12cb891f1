//! Watchlist storage and screening (issue 16): the security services' list
//! imported on an organiser station, every attendee screened against it by
//! the pure matcher ([`super::watchlist`]), the hits kept with their score
//! and reasons, and "held for review" set on the people with a hit.
//!
//! The list and the hits (`watchlist_entry`, `watchlist_hit`, migration
//! 0028) never sync: no capture trigger, record kind or attendee field
//! carries them. The one fact that travels is the attendee's `screening`
//! field (`held`, or `clear` once no longer held), which only an organiser
//! station may send (`sync::policy`, in `crates/gatehouse-sync`): desks and gates see "held for
//! review", never why.
//!
//! Screening runs at attendee import, desk registration and edit (through
//! [`screen_serials`], called by those paths after they commit), and over
//! the whole registry when the list changes ([`import`]) or on demand
//! ([`screen_all`]). A station without a list screens nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::audit;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::{Msg, RoleWord};
use crate::registry::country;
use crate::registry::fold;
use crate::registry::problem::FieldProblem;
use crate::registry::table::{read_table, ImportError, Table};
use crate::registry::watchlist::{Entry, Index, Reason, Subject, THRESHOLD};
use crate::serial::BadgeSerial;
use crate::staff::Role;
use crate::store::Store;

/// The most names (full name and aliases) or document numbers one line
/// may give, and the longest cell kept.
const MAX_PER_LINE: usize = 32;
const MAX_CELL: u32 = 2_000;

/// What a column of a watchlist file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    /// The full name as the list writes it.
    Name,
    Given,
    Family,
    /// Other names, separated by `;` or `|`.
    Aliases,
    BirthDate,
    Nationality,
    /// Document numbers, separated by `;`, `|` or `,`.
    Documents,
    Reference,
    Note,
}

/// The column a header names, in French or English, regardless of accents,
/// case and punctuation.
fn col_for(header: &str) -> Option<Col> {
    use Col::*;
    let key: String = fold::words(&header.replace(['°', 'º'], "")).concat();
    Some(match key.as_str() {
        "nom" | "nomcomplet" | "name" | "fullname" | "nometprenom" | "nomprenom" | "identite"
        | "personne" | "person" => Name,
        "prenom" | "prenoms" | "firstname" | "firstnames" | "givenname" | "givennames"
        | "forename" | "forenames" => Given,
        "nomdefamille" | "lastname" | "surname" | "familyname" | "patronyme" => Family,
        "alias" | "aliases" | "autresnoms" | "autrenom" | "akas" | "aka" | "alsoknownas"
        | "othernames" | "ditalias" | "surnoms" => Aliases,
        "datedenaissance" | "naissance" | "nele" | "birthdate" | "dateofbirth" | "dob" | "ddn" => {
            BirthDate
        }
        "nationalite" | "nationality" | "pays" | "country" | "citizenship" => Nationality,
        "documents" | "document" | "piecesdidentite" | "piecedidentite" | "ndocument"
        | "ndocuments" | "numerosdedocument" | "numerodedocument" | "documentnumbers"
        | "documentnumber" | "passeport" | "passeports" | "npasseport" | "passport"
        | "passports" | "passportnumber" | "passportnumbers" | "idnumbers" => Documents,
        "reference" | "references" | "ref" | "nreference" | "id" | "identifiant"
        | "listreference" | "referenceliste" => Reference,
        "note" | "notes" | "remarque" | "remarques" | "commentaire" | "commentaires"
        | "comment" | "comments" | "motif" | "reason" => Note,
        _ => return None,
    })
}

/// What reading a watchlist file gave: its entries with their line, the
/// refused cells, and the headers naming nothing known.
#[derive(Debug, Default)]
pub struct Planned {
    pub entries: Vec<(u64, Entry)>,
    pub errors: Vec<ImportError>,
    pub ignored_columns: Vec<String>,
}

fn split_list(value: &str, seps: &[char]) -> Vec<String> {
    value
        .split(seps)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a watchlist table into entries, every refused cell named by line,
/// column and value. Pure.
pub fn plan(table: &Table) -> Result<Planned> {
    let mut planned = Planned::default();
    let mut position: HashMap<Col, usize> = HashMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        match col_for(h) {
            Some(c) if !position.contains_key(&c) => {
                position.insert(c, i);
            }
            Some(_) => {}
            None if h.trim().is_empty() => {}
            None => planned.ignored_columns.push(h.clone()),
        }
    }
    // "Nom" beside "Prénom" is the family name, as in the attendee import.
    if position.contains_key(&Col::Given) && !position.contains_key(&Col::Family) {
        if let Some(i) = position.remove(&Col::Name) {
            position.insert(Col::Family, i);
        }
    }
    let has_name = position.contains_key(&Col::Name)
        || position.contains_key(&Col::Family)
        || position.contains_key(&Col::Given);
    if !has_name {
        return Err(Msg::WatchlistNoName {
            headers: table.headers.join(", "),
        }
        .into());
    }
    for (line, cells) in &table.rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = *line;
        let cell = |c: Col| -> &str {
            position
                .get(&c)
                .and_then(|&i| cells.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let mut errors = Vec::new();
        let mut err = |c: Col, problem: FieldProblem| {
            errors.push(ImportError {
                line,
                column: position.get(&c).map(|&i| table.headers[i].clone()),
                value: position.get(&c).map(|_| cell(c).to_string()),
                message: problem.text(Lang::En),
                problem,
            })
        };
        for c in [
            Col::Name,
            Col::Given,
            Col::Family,
            Col::Aliases,
            Col::Documents,
            Col::Reference,
            Col::Note,
        ] {
            let v = cell(c);
            if v.chars().count() > MAX_CELL as usize {
                err(c, FieldProblem::TooLong { max: MAX_CELL });
            } else if v.chars().any(|ch| ch.is_control() && ch != '\n') {
                err(c, FieldProblem::ControlCharacter);
            }
        }
        let mut names = Vec::new();
        let full = cell(Col::Name);
        let parts = format!("{} {}", cell(Col::Given), cell(Col::Family));
        if !full.is_empty() {
            names.push(full.to_string());
        }
        if !parts.trim().is_empty() && fold::fold(&parts) != fold::fold(full) {
            names.push(parts.trim().to_string());
        }
        names.extend(split_list(cell(Col::Aliases), &[';', '|', '\n']));
        if names.is_empty() {
            let c = if position.contains_key(&Col::Name) {
                Col::Name
            } else {
                Col::Family
            };
            err(c, FieldProblem::Missing);
        }
        if names.len() > MAX_PER_LINE {
            err(
                Col::Aliases,
                FieldProblem::TooLong {
                    max: MAX_PER_LINE as u32,
                },
            );
        }
        let birth_date = match cell(Col::BirthDate) {
            "" => None,
            d => match crate::registry::table::parse_days(d) {
                Ok(v) if v.len() == 1 => v.first().copied(),
                Ok(_) => {
                    err(Col::BirthDate, FieldProblem::NotADate { value: d.into() });
                    None
                }
                Err(p) => {
                    err(Col::BirthDate, p);
                    None
                }
            },
        };
        let nationality = match cell(Col::Nationality) {
            "" => None,
            c => match country::resolve(c) {
                Some(code) => Some(code.to_string()),
                None => {
                    err(
                        Col::Nationality,
                        FieldProblem::UnknownCountry { value: c.into() },
                    );
                    None
                }
            },
        };
        let doc_numbers = split_list(cell(Col::Documents), &[';', '|', ',', '\n']);
        if doc_numbers.len() > MAX_PER_LINE {
            err(
                Col::Documents,
                FieldProblem::TooLong {
                    max: MAX_PER_LINE as u32,
                },
            );
        }
        if errors.is_empty() {
            let reference = match cell(Col::Reference) {
                "" => format!("L{line}"),
                r => r.to_string(),
            };
            planned.entries.push((
                line,
                Entry {
                    reference,
                    names,
                    birth_date,
                    nationality,
                    doc_numbers,
                    note: cell(Col::Note).to_string(),
                },
            ));
        } else {
            planned.errors.extend(errors);
        }
    }
    Ok(planned)
}

/// Refuses, on a station paired as a desk or a gate, anything touching the
/// watchlist: it is kept on organiser stations (the hub, or one paired as
/// an organiser console) and never reaches the others.
pub async fn may_hold(store: &Store) -> Result<()> {
    let role = crate::sync::link::paired_role(store).await?;
    match role {
        None | Some(Role::Admin) => Ok(()),
        Some(role) => Err(Msg::WatchlistNotHere {
            role: RoleWord(role),
        }
        .into()),
    }
}

/// What `gatehouse watchlist import` did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    /// Lines read as entries.
    pub entries: usize,
    pub errors: Vec<ImportError>,
    pub ignored_columns: Vec<String>,
    /// Whether the list was replaced (nothing is, when a line is refused).
    pub written: bool,
    /// The screening of the whole registry that followed.
    pub screening: Option<ScreenSummary>,
}

/// Replaces the watchlist with the file's lines (all or nothing: one
/// refused line and the list in place stays), then screens the whole
/// registry again.
pub async fn import(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    actor: &str,
    now: Timestamp,
) -> Result<ImportOutcome> {
    may_hold(store).await?;
    let table = read_table(bytes, file_name)?;
    let planned = plan(&table)?;
    let mut outcome = ImportOutcome {
        entries: planned.entries.len(),
        errors: planned.errors,
        ignored_columns: planned.ignored_columns,
        written: false,
        screening: None,
    };
    if !outcome.errors.is_empty() {
        return Ok(outcome);
    }
    if planned.entries.is_empty() {
        return Err(Msg::WatchlistEmpty {
            file: file_name.to_string(),
        }
        .into());
    }
    let mut tx = store.write().await?;
    // What each person was already held for: a line of the new list that
    // the old one lacked sends a cleared person back to review.
    let before = hit_keys(&mut tx, None).await?;
    sqlx::query("DELETE FROM watchlist_hit")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM watchlist_entry")
        .execute(&mut *tx)
        .await?;
    let at = now.to_string();
    for (line, e) in &planned.entries {
        sqlx::query(
            "INSERT INTO watchlist_entry
             (reference, names, birth_date, nationality, doc_numbers, note, line, imported_at, imported_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&e.reference)
        .bind(json!(e.names).to_string())
        .bind(e.birth_date.map(|d| d.to_string()))
        .bind(&e.nationality)
        .bind(json!(e.doc_numbers).to_string())
        .bind(&e.note)
        .bind(i64::try_from(*line).unwrap_or(i64::MAX))
        .bind(&at)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    }
    // The file's name and the count, never a listed name: the audit chain
    // keeps what it is given forever.
    audit::append(
        &mut tx,
        now,
        actor,
        "watchlist.import",
        &json!({ "file": file_name, "entries": planned.entries.len() }),
    )
    .await?;
    tx.commit().await?;
    outcome.written = true;
    outcome.screening = Some(screen_all_after(store, Some(before), actor, now).await?);
    Ok(outcome)
}

/// One stored watchlist line.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEntry {
    pub id: i64,
    /// Its line in the imported file.
    pub line: u64,
    #[serde(flatten)]
    pub entry: Entry,
    pub imported_at: String,
}

fn parse_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

async fn load_entries(conn: &mut SqliteConnection) -> Result<Vec<StoredEntry>> {
    let rows = sqlx::query(
        "SELECT id, line, reference, names, birth_date, nationality, doc_numbers, note, imported_at
         FROM watchlist_entry ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| StoredEntry {
            id: r.get(0),
            line: u64::try_from(r.get::<i64, _>(1)).unwrap_or(0),
            entry: Entry {
                reference: r.get(2),
                names: parse_list(r.get(3)),
                birth_date: r
                    .get::<Option<String>, _>(4)
                    .and_then(|d| d.parse::<Date>().ok()),
                nationality: r.get(5),
                doc_numbers: parse_list(r.get(6)),
                note: r.get(7),
            },
            imported_at: r.get(8),
        })
        .collect())
}

/// The watchlist as stored, in file order.
pub async fn entries(store: &Store) -> Result<Vec<StoredEntry>> {
    may_hold(store).await?;
    let mut conn = store.read().acquire().await?;
    load_entries(&mut conn).await
}

/// The list's index, built once per list and station: a registration is
/// screened against the cached index, not a rebuilt one.
struct Cached {
    version: String,
    index: Arc<Index>,
    ids: Arc<Vec<i64>>,
}

fn cache() -> &'static Mutex<HashMap<std::path::PathBuf, Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<std::path::PathBuf, Cached>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The list's index and the row id of each of its entries (by position),
/// or `None` when the list is empty.
async fn index_of(
    store: &Store,
    conn: &mut SqliteConnection,
) -> Result<Option<(Arc<Index>, Arc<Vec<i64>>)>> {
    let row = sqlx::query(
        "SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM watchlist_entry",
    )
    .fetch_one(&mut *conn)
    .await?;
    let count: i64 = row.get(0);
    if count == 0 {
        return Ok(None);
    }
    // Lines are numbered by AUTOINCREMENT and only ever replaced whole:
    // the first and last numbers name the list.
    let version = format!("{count}/{}/{}", row.get::<i64, _>(1), row.get::<i64, _>(2));
    let key = store.path().to_path_buf();
    if let Ok(c) = cache().lock() {
        if let Some(hit) = c.get(&key).filter(|c| c.version == version) {
            return Ok(Some((hit.index.clone(), hit.ids.clone())));
        }
    }
    let stored = load_entries(conn).await?;
    let ids: Arc<Vec<i64>> = Arc::new(stored.iter().map(|s| s.id).collect());
    let index = Arc::new(Index::new(stored.into_iter().map(|s| s.entry).collect()));
    if let Ok(mut c) = cache().lock() {
        c.insert(
            key,
            Cached {
                version,
                index: index.clone(),
                ids: ids.clone(),
            },
        );
    }
    Ok(Some((index, ids)))
}

/// What a screening run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScreenSummary {
    /// Attendees screened.
    pub screened: usize,
    /// Hits at or above the threshold.
    pub hits: usize,
    /// Attendees held for review now.
    pub held: usize,
    /// Of them, held by this run.
    pub newly_held: Vec<String>,
    /// No longer held after this run.
    pub released: Vec<String>,
    /// Held already, hit by a list line they were not hit by before: sent
    /// back to review (a clearance no longer stands).
    pub held_again: Vec<String>,
}

/// What names one list line across imports (each import numbers its lines
/// anew): the services' reference, else the names.
const HIT_KEY: &str =
    "CASE WHEN trim(e.reference) <> '' THEN 'r:' || e.reference ELSE 'n:' || e.names END";

/// The list lines each attendee (by id) is hit by now; `attendee`: only theirs.
async fn hit_keys(
    conn: &mut SqliteConnection,
    attendee: Option<&str>,
) -> Result<HashMap<String, std::collections::HashSet<String>>> {
    let sql = format!(
        "SELECT h.attendee, {HIT_KEY} FROM watchlist_hit h JOIN watchlist_entry e ON e.id = h.entry
         WHERE ?1 IS NULL OR h.attendee = ?1"
    );
    let mut out: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    for r in sqlx::query(&sql)
        .bind(attendee)
        .fetch_all(&mut *conn)
        .await?
    {
        out.entry(r.get(0)).or_default().insert(r.get(1));
    }
    Ok(out)
}

struct Person {
    id: String,
    serial: String,
    given: String,
    family: String,
    birth_date: Option<Date>,
    country: Option<String>,
    doc_number: String,
    screening: Option<String>,
}

const PERSON_COLUMNS: &str = "id, serial, given_names, family_name, birth_date, country, doc_number, screening FROM attendee WHERE erased_at IS NULL";

fn person(r: &sqlx::sqlite::SqliteRow) -> Person {
    Person {
        id: r.get(0),
        serial: r.get(1),
        given: r.get(2),
        family: r.get(3),
        birth_date: r
            .get::<Option<String>, _>(4)
            .and_then(|d| d.parse::<Date>().ok()),
        country: r.get(5),
        doc_number: r.get(6),
        screening: r.get(7),
    }
}

/// Screens `people` against the list (in `tx`), replacing their hits and
/// setting or lifting "held for review" where it changes (the change
/// bumps the attendee's `updated_at`, so it syncs).
async fn screen_people(
    conn: &mut SqliteConnection,
    listed: Option<(Arc<Index>, Arc<Vec<i64>>)>,
    people: &[Person],
    all: bool,
    before: Option<HashMap<String, std::collections::HashSet<String>>>,
    actor: &str,
    now: Timestamp,
) -> Result<ScreenSummary> {
    let mut summary = ScreenSummary::default();
    let at = now.to_string();
    // The lines each was hit by before this run (an import passes them: it
    // has already replaced the list).
    let before = match before {
        Some(b) => b,
        None if all => hit_keys(conn, None).await?,
        None => {
            let mut b = HashMap::new();
            for p in people {
                b.extend(hit_keys(conn, Some(&p.id)).await?);
            }
            b
        }
    };
    if all {
        sqlx::query("DELETE FROM watchlist_hit")
            .execute(&mut *conn)
            .await?;
    }
    for p in people {
        let hits = match &listed {
            Some((index, _)) => index.screen(
                &Subject {
                    given_names: &p.given,
                    family_name: &p.family,
                    birth_date: p.birth_date,
                    country: p.country.as_deref(),
                    doc_number: &p.doc_number,
                },
                THRESHOLD,
            ),
            None => Vec::new(),
        };
        summary.screened += 1;
        if !all {
            sqlx::query("DELETE FROM watchlist_hit WHERE attendee = ?")
                .bind(&p.id)
                .execute(&mut *conn)
                .await?;
        }
        for h in &hits {
            let Some(entry_id) = listed.as_ref().and_then(|(_, ids)| ids.get(h.entry)) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO watchlist_hit (attendee, entry, score, reasons, screened_at)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&p.id)
            .bind(entry_id)
            .bind(i64::from(h.score.score))
            .bind(json!(h.score.reasons).to_string())
            .bind(&at)
            .execute(&mut *conn)
            .await?;
        }
        summary.hits += hits.len();
        let held = !hits.is_empty();
        let was_held = p.screening.as_deref() == Some("held");
        if held {
            summary.held += 1;
        }
        if held != was_held {
            sqlx::query(
                "UPDATE attendee SET screening = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            )
            .bind(if held { "held" } else { "clear" })
            .bind(&at)
            .bind(actor)
            .bind(&p.id)
            .execute(&mut *conn)
            .await?;
            if held {
                let best = hits.iter().map(|h| h.score.score).max().unwrap_or(0);
                let why = format!(
                    "liste de surveillance : correspondance, score {best}/100 / watchlist match, score {best}/100"
                );
                crate::vetting_store::hold_for_review(&mut *conn, &p.serial, &why, now, actor)
                    .await?;
                summary.newly_held.push(p.serial.clone());
            } else {
                summary.released.push(p.serial.clone());
            }
        } else if held {
            // Held already: a line they were not hit by before sends them
            // back to review, whatever was decided since.
            let now_hit = hit_keys(conn, Some(&p.id)).await?;
            let known = before.get(&p.id);
            let new_hit = now_hit
                .get(&p.id)
                .is_some_and(|keys| keys.iter().any(|k| !known.is_some_and(|b| b.contains(k))));
            if new_hit {
                let best = hits.iter().map(|h| h.score.score).max().unwrap_or(0);
                let why = format!(
                    "liste de surveillance : nouvelle correspondance, score {best}/100 / watchlist: new match, score {best}/100"
                );
                if crate::vetting_store::hold_for_review(&mut *conn, &p.serial, &why, now, actor)
                    .await?
                {
                    summary.held_again.push(p.serial.clone());
                }
            }
        }
    }
    if !summary.newly_held.is_empty()
        || !summary.released.is_empty()
        || !summary.held_again.is_empty()
    {
        audit::append(
            conn,
            now,
            actor,
            "watchlist.screen",
            &json!({
                "screened": summary.screened,
                "held": summary.newly_held,
                "released": summary.released,
                "held_again": summary.held_again,
            }),
        )
        .await?;
    }
    Ok(summary)
}

/// Screens the whole registry again (the list changed, or on demand).
pub async fn screen_all(store: &Store, actor: &str, now: Timestamp) -> Result<ScreenSummary> {
    screen_all_after(store, None, actor, now).await
}

/// [`screen_all`], with the list lines each was hit by before (`None`: as
/// the stored hits say).
async fn screen_all_after(
    store: &Store,
    before: Option<HashMap<String, std::collections::HashSet<String>>>,
    actor: &str,
    now: Timestamp,
) -> Result<ScreenSummary> {
    may_hold(store).await?;
    let mut tx = store.write().await?;
    let listed = index_of(store, &mut tx).await?;
    let people: Vec<Person> = sqlx::query(&format!("SELECT {PERSON_COLUMNS} ORDER BY serial_no"))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(person)
        .collect();
    let summary = screen_people(&mut tx, listed, &people, true, before, actor, now).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Screens the attendees `serials` (just imported, registered or edited).
/// Nothing happens on a station without a list, nor on a desk or a gate
/// (their registrations are screened when they reach the hub).
pub async fn screen_serials(
    store: &Store,
    serials: &[&str],
    actor: &str,
    now: Timestamp,
) -> Result<ScreenSummary> {
    if serials.is_empty() || may_hold(store).await.is_err() {
        return Ok(ScreenSummary::default());
    }
    let mut tx = store.write().await?;
    let listed = index_of(store, &mut tx).await?;
    let any_held: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM attendee WHERE screening = 'held' LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    if listed.is_none() && any_held.is_none() {
        return Ok(ScreenSummary::default());
    }
    let mut people = Vec::new();
    for chunk in serials.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("SELECT {PERSON_COLUMNS} AND serial IN ({marks})");
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(*s);
        }
        people.extend(q.fetch_all(&mut *tx).await?.iter().map(person));
    }
    let summary = screen_people(&mut tx, listed, &people, false, None, actor, now).await?;
    tx.commit().await?;
    Ok(summary)
}

/// [`screen_serials`] for the screening hooks: a failure is logged, never
/// undoes the registration that was just committed (the next screening of
/// the whole registry catches up).
pub async fn after_write(store: &Store, serials: &[&str], actor: &str, now: Timestamp) {
    if let Err(e) = screen_serials(store, serials, actor, now).await {
        tracing::warn!("watchlist screening after a registry write failed: {e}");
    }
}

/// The screening hook of sync: the attendees (by id) whose edits just
/// arrived from other stations, screened here if this station holds the
/// list. The flag it sets travels back on the next round.
pub async fn after_sync(store: &Store, ids: &[&str], now: Timestamp) {
    if ids.is_empty() || may_hold(store).await.is_err() {
        return;
    }
    let mut serials: Vec<String> = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("SELECT serial FROM attendee WHERE id IN ({marks})");
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        match q.fetch_all(store.read()).await {
            Ok(found) => serials.extend(found),
            Err(e) => {
                tracing::warn!("watchlist screening after sync failed: {e}");
                return;
            }
        }
    }
    let serials: Vec<&str> = serials.iter().map(String::as_str).collect();
    after_write(store, &serials, "watchlist", now).await;
}

/// One hit as stored, with the entry it is against.
#[derive(Debug, Clone, Serialize)]
pub struct StoredHit {
    pub entry_id: i64,
    pub reference: String,
    /// The entry's names (full name first, then aliases).
    pub names: Vec<String>,
    pub note: String,
    pub score: u8,
    pub reasons: Vec<Reason>,
    pub screened_at: String,
}

impl StoredHit {
    /// The reasons in words, in `lang`.
    pub fn reasons_text(&self, lang: Lang) -> Vec<String> {
        self.reasons.iter().map(|r| r.text(lang)).collect()
    }
}

/// One attendee's screening: the current hits, and whether they are held
/// for review (a hit at or above the threshold). What the vetting queue
/// shows beside a person.
#[derive(Debug, Clone, Serialize)]
pub struct AttendeeScreening {
    pub serial: String,
    pub given_names: String,
    pub family_name: String,
    /// Held for review: the attendee's synced `screening` field says so.
    pub held: bool,
    /// Best first.
    pub hits: Vec<StoredHit>,
}

async fn screenings(store: &Store, serial: Option<&BadgeSerial>) -> Result<Vec<AttendeeScreening>> {
    let mut conn = store.read().acquire().await?;
    let sql = format!(
        "SELECT a.serial, a.given_names, a.family_name, a.screening,
                h.entry, e.reference, e.names, e.note, h.score, h.reasons, h.screened_at
         FROM attendee a
         LEFT JOIN watchlist_hit h ON h.attendee = a.id
         LEFT JOIN watchlist_entry e ON e.id = h.entry
         WHERE {}
         ORDER BY a.serial_no, h.score DESC, h.entry",
        if serial.is_some() {
            "a.serial = ?"
        } else {
            "(h.attendee IS NOT NULL OR a.screening = 'held')"
        }
    );
    let mut q = sqlx::query(&sql);
    if let Some(s) = serial {
        q = q.bind(s.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out: Vec<AttendeeScreening> = Vec::new();
    for r in rows {
        let serial: String = r.get(0);
        if out.last().is_none_or(|a| a.serial != serial) {
            out.push(AttendeeScreening {
                serial,
                given_names: r.get(1),
                family_name: r.get(2),
                held: r.get::<Option<String>, _>(3).as_deref() == Some("held"),
                hits: Vec::new(),
            });
        }
        let Some(entry_id) = r.get::<Option<i64>, _>(4) else {
            continue;
        };
        let hit = StoredHit {
            entry_id,
            reference: r.get::<Option<String>, _>(5).unwrap_or_default(),
            names: parse_list(&r.get::<Option<String>, _>(6).unwrap_or_default()),
            note: r.get::<Option<String>, _>(7).unwrap_or_default(),
            score: u8::try_from(r.get::<i64, _>(8)).unwrap_or(100),
            reasons: serde_json::from_str(&r.get::<String, _>(9)).unwrap_or_default(),
            screened_at: r.get(10),
        };
        if let Some(last) = out.last_mut() {
            last.hits.push(hit);
        }
    }
    Ok(out)
}

/// Every attendee with a hit or held for review, by badge number.
pub async fn hits(store: &Store) -> Result<Vec<AttendeeScreening>> {
    may_hold(store).await?;
    screenings(store, None).await
}

/// The screening of attendee `serial`: on an organiser station its hits;
/// on a desk or a gate only whether they are held (no hits there).
pub async fn of(store: &Store, serial: &BadgeSerial) -> Result<AttendeeScreening> {
    screenings(store, Some(serial))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::from(crate::messages::Msg::NoAttendee {
                serial: serial.to_string(),
            })
        })
}

/// Whether attendee `serial` is held for review (any station: the flag
/// syncs). What a gate or a desk reads.
pub async fn is_held(pool: &SqlitePool, serial: &str) -> Result<bool> {
    let v: Option<Option<String>> =
        sqlx::query_scalar("SELECT screening FROM attendee WHERE serial = ?")
            .bind(serial)
            .fetch_optional(pool)
            .await?;
    Ok(v.flatten().as_deref() == Some("held"))
}

/// One hit as the console shows it: the list's line and the reasons in
/// words in both languages (the screen picks its own).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WatchlistHitView {
    pub reference: String,
    /// The listed name, then its aliases.
    pub names: Vec<String>,
    pub note: String,
    pub score: u8,
    pub reasons_fr: Vec<String>,
    pub reasons_en: Vec<String>,
}

/// An attendee with hits or held for review, as the console shows them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScreenedAttendee {
    pub serial: String,
    pub given_names: String,
    pub family_name: String,
    pub held: bool,
    pub hits: Vec<WatchlistHitView>,
}

/// The console's watchlist section: how long the list is, and who is held.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WatchlistView {
    pub entries: u32,
    /// When the list in place was imported (RFC 3339), if there is one.
    pub imported_at: Option<String>,
    pub attendees: Vec<ScreenedAttendee>,
}

/// What importing a list from the console did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WatchlistImported {
    pub entries: u32,
    /// Nothing is written when a line is refused.
    pub written: bool,
    pub errors: Vec<ImportError>,
    pub ignored_columns: Vec<String>,
    pub held: u32,
    pub released: u32,
}

impl From<ImportOutcome> for WatchlistImported {
    fn from(o: ImportOutcome) -> Self {
        let s = o.screening.unwrap_or_default();
        WatchlistImported {
            entries: o.entries as u32,
            written: o.written,
            errors: o.errors,
            ignored_columns: o.ignored_columns,
            held: s.held as u32,
            released: s.released.len() as u32,
        }
    }
}

/// The console's view of the watchlist (organiser stations only).
pub async fn view(store: &Store) -> Result<WatchlistView> {
    may_hold(store).await?;
    let row = sqlx::query("SELECT count(*), max(imported_at) FROM watchlist_entry")
        .fetch_one(store.read())
        .await?;
    let attendees = screenings(store, None)
        .await?
        .into_iter()
        .map(|a| ScreenedAttendee {
            hits: a
                .hits
                .iter()
                .map(|h| WatchlistHitView {
                    reference: h.reference.clone(),
                    names: h.names.clone(),
                    note: h.note.clone(),
                    score: h.score,
                    reasons_fr: h.reasons_text(Lang::Fr),
                    reasons_en: h.reasons_text(Lang::En),
                })
                .collect(),
            serial: a.serial,
            given_names: a.given_names,
            family_name: a.family_name,
            held: a.held,
        })
        .collect();
    Ok(WatchlistView {
        entries: u32::try_from(row.get::<i64, _>(0)).unwrap_or(0),
        imported_at: row.get(1),
        attendees,
    })
}
