//! Runs of registrations received, stored and materialised a batch to a
//! statement: a new station's first sync takes a whole registry this way (a
//! million people must not cost forty statements each), a desk's morning
//! rush a few hundred at a time.
//!
//! The result is the one the entry-by-entry path gives (`store::apply_edit`
//! and the badge issue's materialisation; `tests/sync_store.rs` compares the
//! two tables by table): an attendee edit of a person this station has never
//! held wins every field (`merge::winning_fields` with nothing held) and
//! inserts the row once its required fields are there, with its photo when
//! the photo's entry is held. Any other edit (a person already held, twice
//! in the run, an erase) is handed back to the replica for `apply_edit`, in
//! the order received.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sqlx::SqliteConnection;

use super::entry_rows::{fill_photo, json, placeholder, store_entries, ATTENDEE_REQUIRED};
use super::merge;
use super::protocol::{Entry, SyncRecord};
use crate::error::Result;

/// Rows of a multi-row statement: under SQLite's 32,766 bound parameters
/// with the widest row (the attendee's 27 columns).
const ROWS: usize = 1000;

/// Whether a record goes into a registry run.
pub(super) fn belongs(record: &SyncRecord) -> bool {
    matches!(
        record,
        SyncRecord::AttendeeEdit { .. } | SyncRecord::BadgeIssue { .. }
    )
}

/// Stores and materialises a run of attendee edits and badge issues;
/// returns how many entries were new, and the new edits it left for
/// `store::apply_edit` to apply one by one, in the order received (people
/// held already, twice in the run, or erased). The origins of new entries
/// join `origins` (their marks advance), and the attendees they edited
/// `edited` (screened after the transaction).
pub(super) async fn apply<'a>(
    conn: &mut SqliteConnection,
    run: &[&'a Entry],
    origins: &mut BTreeSet<&'a str>,
    edited: &mut Vec<&'a str>,
    now: jiff::Timestamp,
) -> Result<(usize, Vec<Edit<'a>>)> {
    if run.is_empty() {
        return Ok((0, Vec::new()));
    }
    let fresh = store_entries(conn, run).await?;
    for e in &fresh {
        origins.insert(e.origin.as_str());
    }
    issue_badges(conn, &fresh).await?;

    let edits: Vec<Edit<'a>> = fresh
        .iter()
        .filter_map(|e| match &e.record {
            SyncRecord::AttendeeEdit {
                attendee,
                hlc,
                fields,
            } => Some((attendee.as_str(), hlc, fields)),
            _ => None,
        })
        .collect();
    if edits.is_empty() {
        return Ok((fresh.len(), Vec::new()));
    }
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (a, _, _) in &edits {
        *times.entry(a).or_default() += 1;
    }
    let ids: Vec<&str> = times.keys().copied().collect();
    let held = held_here(conn, &ids).await?;
    let (new, others): (Vec<_>, Vec<_>) = edits.iter().partition(|(a, _, fields)| {
        times.get(a) == Some(&1)
            && !held.contains(*a)
            && fields.get("erased_at").is_none_or(Option::is_none)
    });
    register(conn, &new, now).await?;
    let others: Vec<Edit<'a>> = others.into_iter().copied().collect();
    edited.extend(edits.iter().map(|(a, _, _)| *a));
    Ok((fresh.len(), others))
}

/// The badge versions issued, and the claims each carries (claims that do
/// not parse are left out, as one by one).
async fn issue_badges(conn: &mut SqliteConnection, fresh: &[&Entry]) -> Result<()> {
    let mut badges = Vec::new();
    let mut claims = Vec::new();
    for e in fresh {
        if let SyncRecord::BadgeIssue {
            serial,
            version,
            issued_at,
            issued_by,
            claims: c,
        } = &e.record
        {
            badges.push((serial.as_str(), i64::from(*version), issued_at, issued_by));
            if let Some(g) = c
                .as_deref()
                .and_then(|c| serde_json::from_str::<crate::badge_issue::Granted>(c).ok())
            {
                claims.push((serial.as_str(), i64::from(*version), g.json()?));
            }
        }
    }
    for chunk in badges.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR IGNORE INTO badge (serial, version, issued_at, issued_by) ",
        );
        q.push_values(chunk, |mut b, (serial, version, at, by)| {
            b.push_bind(*serial)
                .push_bind(*version)
                .push_bind(at.as_str())
                .push_bind(by.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    for chunk in claims.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR IGNORE INTO badge_claims (serial, version, claims) ",
        );
        q.push_values(chunk, |mut b, (serial, version, claims)| {
            b.push_bind(*serial)
                .push_bind(*version)
                .push_bind(claims.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Those of `ids` this station holds anything of: a field's clock or a row.
async fn held_here(conn: &mut SqliteConnection, ids: &[&str]) -> Result<HashSet<String>> {
    let mut held = HashSet::new();
    for chunk in ids.chunks(ROWS) {
        let list = json(&chunk)?;
        let found: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT attendee FROM sync_field WHERE attendee IN (SELECT value FROM json_each(?1))
             UNION SELECT id FROM attendee WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(list)
        .fetch_all(&mut *conn)
        .await?;
        held.extend(found);
    }
    Ok(held)
}

pub(super) type Edit<'a> = (
    &'a str,
    &'a super::hlc::Hlc,
    &'a BTreeMap<String, Option<String>>,
);

/// An attendee's id and the values of its columns, in the order named.
type Person<'a> = (&'a str, Vec<Option<&'a str>>);

/// People never held here: every field wins; the rows whose required fields
/// are all there are inserted, told as seen, raise the badge-number counter
/// and are indexed for search.
async fn register(
    conn: &mut SqliteConnection,
    new: &[&Edit<'_>],
    now: jiff::Timestamp,
) -> Result<()> {
    let mut fields = Vec::new();
    // Rows by their set of columns (a registration's edits share one).
    let mut rows: BTreeMap<Vec<&str>, Vec<Person<'_>>> = BTreeMap::new();
    for (attendee, hlc, edit) in new {
        let won = merge::winning_fields(hlc, edit, |_| None);
        let clock = json(hlc)?;
        for (field, value) in &won {
            fields.push((*attendee, *field, *value, clock.clone()));
        }
        let complete = ATTENDEE_REQUIRED
            .iter()
            .all(|f| won.iter().any(|(g, v)| g == f && v.is_some()));
        if complete {
            let cols: Vec<&str> = won.iter().map(|(f, _)| *f).collect();
            let values = won.iter().map(|(_, v)| *v).collect();
            rows.entry(cols).or_default().push((*attendee, values));
        }
    }
    for chunk in fields.chunks(ROWS) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO sync_field (attendee, field, value, hlc) ",
        );
        q.push_values(chunk, |mut b, (attendee, field, value, hlc)| {
            b.push_bind(*attendee)
                .push_bind(*field)
                .push_bind(*value)
                .push_bind(hlc.as_str());
        });
        q.push(
            " ON CONFLICT (attendee, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
        );
        q.build().execute(&mut *conn).await?;
    }
    let mut inserted: Vec<String> = Vec::new();
    for (cols, people) in &rows {
        for chunk in people.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                "INSERT OR IGNORE INTO attendee (id, {}) ",
                cols.join(", ")
            ));
            q.push_values(chunk, |mut b, (id, values)| {
                b.push_bind(*id);
                // Bound as one by one binds them (`placeholder`: the
                // photo's hash is stored as bytes).
                for (col, v) in cols.iter().zip(values) {
                    if placeholder(col) == "unhex(?)" {
                        b.push("unhex(")
                            .push_bind_unseparated(*v)
                            .push_unseparated(")");
                    } else {
                        b.push_bind(*v);
                    }
                }
            });
            // None of them was held here (`held_here`): when every row went
            // in, they are all new; otherwise those now present are. (No
            // `RETURNING`: the driver hands each returned row across
            // threads on its own.)
            let stored = q.build().execute(&mut *conn).await?.rows_affected();
            let done: Vec<String> = if stored == chunk.len() as u64 {
                chunk.iter().map(|(id, _)| id.to_string()).collect()
            } else {
                let ids: Vec<&str> = chunk.iter().map(|(id, _)| *id).collect();
                sqlx::query_scalar(
                    "SELECT id FROM attendee WHERE id IN (SELECT value FROM json_each(?))",
                )
                .bind(json(&ids)?)
                .fetch_all(&mut *conn)
                .await?
            };
            // A row the schema refuses (a badge number taken here by
            // another person) stays in the log and is reported, as one by
            // one.
            if done.len() < chunk.len() {
                let took: HashSet<&str> = done.iter().map(String::as_str).collect();
                for (id, _) in chunk.iter().filter(|(id, _)| !took.contains(id)) {
                    tracing::warn!(
                        "attendee {id} from sync not applied here: the database refused the row"
                    );
                }
            }
            inserted.extend(done);
        }
    }
    if inserted.is_empty() {
        return Ok(());
    }
    let pictured: HashSet<&str> = new
        .iter()
        .filter(|(_, _, edit)| edit.contains_key("photo_sha256"))
        .map(|(a, _, _)| *a)
        .collect();
    for id in inserted.iter().filter(|id| pictured.contains(id.as_str())) {
        fill_photo(conn, id).await?;
    }
    let ids: Vec<&str> = inserted.iter().map(String::as_str).collect();
    for chunk in ids.chunks(ROWS) {
        let list = json(&chunk)?;
        sqlx::query(
            "INSERT INTO sync_attendee_seen (attendee, updated_at)
             SELECT id, updated_at FROM attendee WHERE id IN (SELECT value FROM json_each(?)) AND true
             ON CONFLICT (attendee) DO UPDATE SET updated_at = excluded.updated_at",
        )
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        // Badge numbers received are never handed out here again (the
        // hub's range: each desk's own block is its alone).
        sqlx::query(
            "UPDATE serial_counter SET last = MAX(last, COALESCE(
                 (SELECT MAX(serial_no) FROM attendee
                  WHERE id IN (SELECT value FROM json_each(?)) AND serial_no < ?), 0))
             WHERE id = 1",
        )
        .bind(&list)
        .bind(i64::from(crate::serial::DESK_BLOCKS_FROM))
        .execute(&mut *conn)
        .await?;
    }
    // The desk finds them by search at once.
    let people = crate::registry::attendee::by_ids_in(conn, &ids).await?;
    let by_id: HashMap<&str, &crate::registry::Attendee> =
        people.iter().map(|(id, a)| (id.as_str(), a)).collect();
    let refs: Vec<&crate::registry::Attendee> = new
        .iter()
        .filter_map(|(id, _, _)| by_id.get(*id).copied())
        .collect();
    crate::registry::attendee::index_new(conn, &refs, now).await
}
