//! Finding attendees as a desk types: accent-, case- and punctuation-
//! insensitive prefix search over names, badge numbers, document numbers and
//! organisations, ranked: exact name words, then name prefixes, then
//! numbers, then organisations.
//!
//! The index is the `search_term` table (see `migrations/0003_registry.sql`)
//! for names and document numbers, `organisation_term` for organisations
//! (`migrations/0041_search_organisation_terms.sql`) and `attendee.serial_no`
//! for badge numbers: folded terms in B-trees, so a prefix is a range scan
//! that stops as soon as enough hits are found.

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

/// The badge number a word of digits is, if a badge can bear it.
fn number(word: &str) -> Option<u32> {
    word.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| word.parse().ok())
        .flatten()
        .filter(|n| (1..=BadgeSerial::MAX_NUMBER).contains(n))
}

/// The badge numbers written with the digits of `word` and more after
/// them, as ranges of `attendee.serial_no`: "12" is 120–129, 1200–1299,
/// … up to the largest number a badge bears. None when `word` is not a
/// number.
fn longer_numbers(word: &str) -> Vec<(u32, u32)> {
    let max = u64::from(BadgeSerial::MAX_NUMBER);
    let Some(n) = number(word) else {
        return Vec::new();
    };
    let (mut lo, mut width) = (u64::from(n) * 10, 10);
    let mut out = Vec::new();
    while lo <= max {
        let hi = (lo + width - 1).min(max);
        // Both within MAX_NUMBER, a u32.
        out.extend(u32::try_from(lo).ok().zip(u32::try_from(hi).ok()));
        lo *= 10;
        width *= 10;
    }
    out
}

/// Attendees whose badge number is in one of `ranges` (integers, not user
/// text; at least one).
fn badges_in(ranges: &[(u32, u32)]) -> String {
    let within = ranges
        .iter()
        .map(|(lo, hi)| format!("serial_no BETWEEN {lo} AND {hi}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!("SELECT serial_no FROM attendee WHERE {within}")
}

/// Attendees whose organisation has a term from ?{w} (included) to ?{h}
/// (excluded), or equal to ?{w} when `h` is `None`.
fn organisation_part(w: usize, h: Option<usize>) -> String {
    let term = match h {
        Some(h) => format!("o.term >= ?{w} AND o.term < ?{h}"),
        None => format!("o.term = ?{w}"),
    };
    format!(
        "SELECT a.serial_no FROM organisation_term o \
         JOIN attendee a ON a.organisation = o.name WHERE {term}"
    )
}

/// One word: exact name word, name prefix, exact badge or document
/// number, number prefix, organisation word, organisation prefix; each
/// tier a short index scan, stopping once `limit` are found.
async fn single(pool: &SqlitePool, word: &str, limit: u32) -> Result<Vec<u32>> {
    let hi = upper(word);
    let terms = |kind: u8, exact: bool| {
        let (term, at) = if exact {
            ("term = ?1", 2)
        } else {
            ("term > ?1 AND term < ?2", 3)
        };
        format!("SELECT serial_no FROM search_term WHERE kind = {kind} AND {term} LIMIT ?{at}")
    };
    let badges = |ranges: &[(u32, u32)]| format!("{} LIMIT ?1", badges_in(ranges));
    let exact: &[&str] = &[word];
    let prefix: &[&str] = &[word, &hi];
    let mut tiers: Vec<(String, &[&str])> =
        vec![(terms(0, true), exact), (terms(0, false), prefix)];
    if let Some(n) = number(word) {
        tiers.push((badges(&[(n, n)]), &[]));
    }
    tiers.push((terms(1, true), exact));
    let longer = longer_numbers(word);
    if !longer.is_empty() {
        tiers.push((badges(&longer), &[]));
    }
    tiers.push((terms(1, false), prefix));
    tiers.push((format!("{} LIMIT ?2", organisation_part(1, None)), exact));
    tiers.push((
        format!("{} LIMIT ?3", organisation_part(1, Some(2))),
        prefix,
    ));
    let (mut seen, mut out) = (HashSet::new(), Vec::new());
    for (sql, binds) in &tiers {
        if tier(pool, sql, binds, &mut seen, &mut out, limit as usize).await? {
            break;
        }
    }
    Ok(out)
}

/// Several words: everyone each of whose words starts one of their terms.
/// Tiers: every word exactly a name word, every word starting a name word,
/// every word starting any term (a name, a badge or document number, the
/// organisation). Each tier intersects the words' index ranges in SQL.
async fn several(pool: &SqlitePool, words: &[String], limit: u32) -> Result<Vec<u32>> {
    let his: Vec<String> = words.iter().map(|w| upper(w)).collect();
    let part = |i: usize, exact: bool, names: bool| {
        let (w, h) = (2 * i + 1, 2 * i + 2);
        match (exact, names) {
            (true, _) => {
                format!("SELECT serial_no FROM search_term WHERE kind = 0 AND term = ?{w}")
            }
            (false, true) => format!(
                "SELECT serial_no FROM search_term WHERE kind = 0 AND term >= ?{w} AND term < ?{h}"
            ),
            (false, false) => {
                let word = &words[i];
                let mut numbers = longer_numbers(word);
                numbers.extend(number(word).map(|n| (n, n)));
                let badges = if numbers.is_empty() {
                    String::new()
                } else {
                    format!(" UNION ALL {}", badges_in(&numbers))
                };
                format!(
                    "SELECT serial_no FROM (\
                     SELECT serial_no FROM search_term \
                     WHERE kind IN (0, 1) AND term >= ?{w} AND term < ?{h} \
                     UNION ALL {}{badges})",
                    organisation_part(w, Some(h)),
                )
            }
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
    fn a_number_prefix_is_the_longer_numbers_that_start_with_it() {
        assert_eq!(
            longer_numbers("12"),
            [
                (120, 129),
                (1200, 1299),
                (12_000, 12_999),
                (120_000, 129_999)
            ]
        );
        assert_eq!(longer_numbers("99999"), [(999_990, 999_999)]);
        assert_eq!(longer_numbers("999999"), []);
        assert_eq!(longer_numbers("1000000"), []);
        assert_eq!(longer_numbers("12a"), []);
        assert_eq!(longer_numbers("+12"), []);
        assert_eq!(number("42"), Some(42));
        assert_eq!(number("1000000"), None);
    }

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
