//! Finding attendees as a desk types: accent-, case- and punctuation-
//! insensitive prefix search over names, badge numbers, document numbers and
//! organisations, ranked: exact name words, then name prefixes, then
//! numbers, then organisations.
//!
//! The index is the `search_term` table (see `migrations/0003_registry.sql`):
//! folded terms in a B-tree, so a prefix is a range scan that stops as soon
//! as enough hits are found.

use std::collections::HashSet;

use serde::Serialize;
use sqlx::SqlitePool;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::CategoryCode;
use crate::registry::attendee::{self, Attendee, Status};
use crate::registry::fold;
use crate::serial::BadgeSerial;

/// What a search result shows: enough to pick the right person (no
/// document number, e-mail or phone).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub serial: BadgeSerial,
    pub given_names: String,
    pub family_name: String,
    pub organisation: String,
    pub job_title: String,
    pub country: Option<String>,
    pub category: CategoryCode,
    pub delegation: Option<String>,
    pub status: Status,
    pub has_photo: bool,
}

impl From<Attendee> for SearchHit {
    fn from(a: Attendee) -> Self {
        SearchHit {
            serial: a.serial,
            given_names: a.given_names,
            family_name: a.family_name,
            organisation: a.organisation,
            job_title: a.job_title,
            country: a.country,
            category: a.category,
            delegation: a.delegation,
            status: a.status,
            has_photo: a.has_photo,
        }
    }
}

pub const MAX_LIMIT: u32 = 500;

/// The folded words of a query. A badge number typed with its prefix
/// ("bmx-42", "BMX000042") becomes the number; leading zeros go.
pub fn query_words(query: &str, serial_prefix: &str) -> Vec<String> {
    let prefix = fold::fold(serial_prefix);
    let mut out: Vec<String> = Vec::new();
    for w in fold::words(query) {
        let digits = w
            .strip_prefix(prefix.as_str())
            .filter(|d| {
                !prefix.is_empty() && !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
            })
            .or_else(|| w.bytes().all(|b| b.is_ascii_digit()).then_some(w.as_str()));
        let word = match digits {
            Some(d) => match d.trim_start_matches('0') {
                "" => continue,
                n => n.to_string(),
            },
            None => w,
        };
        if !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// The upper bound of the terms that start with `word` ('~' sorts after
/// every letter and digit).
fn upper(word: &str) -> String {
    format!("{word}~")
}

/// Attendees matching every word of `query` as a prefix, best first.
pub async fn search(pool: &SqlitePool, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let prefix: Option<String> = sqlx::query_scalar("SELECT serial_prefix FROM event WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    let words = query_words(query, prefix.as_deref().unwrap_or(""));
    let numbers = match words.as_slice() {
        [] => return Ok(Vec::new()),
        [word] => single(pool, word, limit).await?,
        _ => several(pool, &words, limit).await?,
    };
    Ok(attendee::by_numbers(pool, &numbers)
        .await?
        .into_iter()
        .map(SearchHit::from)
        .collect())
}

/// Appends to `out` the badge numbers `sql` yields (at most enough to
/// reach `limit` new ones); true once `limit` are found.
async fn tier(
    pool: &SqlitePool,
    sql: &str,
    binds: &[&str],
    seen: &mut HashSet<u32>,
    out: &mut Vec<u32>,
    limit: usize,
) -> Result<bool> {
    // Enough rows that those already found cannot crowd out new ones.
    let want = limit - out.len() + seen.len();
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    for n in q.bind(want as i64).fetch_all(pool).await? {
        let n = u32::try_from(n).map_err(|_| Error::Internal(format!("badge number {n}")))?;
        if seen.insert(n) {
            out.push(n);
            if out.len() == limit {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// One word: exact name word, name prefix, exact number, number prefix,
/// organisation word, organisation prefix; each tier a short index scan
/// (the index leads with the kind), stopping once `limit` are found.
async fn single(pool: &SqlitePool, word: &str, limit: u32) -> Result<Vec<u32>> {
    const EXACT: &str = "SELECT serial_no FROM search_term WHERE kind = ?2 AND term = ?1 LIMIT ?3";
    const PREFIX: &str =
        "SELECT serial_no FROM search_term WHERE kind = ?3 AND term > ?1 AND term < ?2 LIMIT ?4";
    let hi = upper(word);
    let (mut seen, mut out) = (HashSet::new(), Vec::new());
    for kind in ["0", "1", "2"] {
        for (sql, binds) in [(EXACT, [word, kind, ""]), (PREFIX, [word, &hi, kind])] {
            let binds: Vec<&str> = binds.into_iter().filter(|b| !b.is_empty()).collect();
            if tier(pool, sql, &binds, &mut seen, &mut out, limit as usize).await? {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// Several words: everyone each of whose words starts one of their terms.
/// Tiers: every word exactly a name word, every word starting a name word,
/// every word starting any term. Each tier intersects the words' index
/// ranges in SQL.
async fn several(pool: &SqlitePool, words: &[String], limit: u32) -> Result<Vec<u32>> {
    let his: Vec<String> = words.iter().map(|w| upper(w)).collect();
    let part = |i: usize, exact: bool, names: bool| {
        let (w, h) = (2 * i + 1, 2 * i + 2);
        let kinds = if names {
            "kind = 0"
        } else {
            "kind IN (0, 1, 2)"
        };
        if exact {
            format!("SELECT serial_no FROM search_term WHERE {kinds} AND term = ?{w}")
        } else {
            format!(
                "SELECT serial_no FROM search_term WHERE {kinds} AND term >= ?{w} AND term < ?{h}"
            )
        }
    };
    let (mut seen, mut out) = (HashSet::new(), Vec::new());
    let last = 2 * words.len() + 1;
    for (exact, names) in [(true, true), (false, true), (false, false)] {
        let sql = format!(
            "{} LIMIT ?{last}",
            (0..words.len())
                .map(|i| part(i, exact, names))
                .collect::<Vec<_>>()
                .join(" INTERSECT ")
        );
        let mut binds: Vec<&str> = Vec::new();
        for (w, h) in words.iter().zip(&his) {
            binds.push(w);
            binds.push(h);
        }
        if tier(pool, &sql, &binds, &mut seen, &mut out, limit as usize).await? {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_numbers_lose_prefix_and_zeros() {
        assert_eq!(query_words("bmx-42", "BMX"), ["42"]);
        assert_eq!(query_words("BMX-000042", "BMX"), ["42"]);
        assert_eq!(query_words("000042", "BMX"), ["42"]);
        assert_eq!(query_words("Goïta  Assimi", "BMX"), ["goita", "assimi"]);
        assert_eq!(query_words("N'Diaye", "BMX"), ["ndiaye"]);
        assert_eq!(query_words(" -- ", "BMX"), Vec::<String>::new());
        assert_eq!(query_words("bmx", "BMX"), ["bmx"]);
    }
}
