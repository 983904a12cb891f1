//! Finding attendees as a desk types: accent-, case- and punctuation-
//! insensitive prefix search over names, badge numbers, document numbers and
//! organisations, ranked: exact name words, then name prefixes, then
//! numbers, then organisations.
//!
//! The index is the `search_term` table (see `migrations/0003_registry.sql`):
//! folded terms in a B-tree, so a prefix is a range scan that stops as soon
//! as enough hits are found.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{Row, SqlitePool};
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
/// Multi-word queries rank at most this many candidates of their most
/// selective word.
const CANDIDATES: u32 = 5000;

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

/// One word: four tiers, each a short index scan, until `limit` are found.
async fn single(pool: &SqlitePool, word: &str, limit: u32) -> Result<Vec<u32>> {
    const TIERS: [&str; 4] = [
        "SELECT serial_no FROM search_term WHERE term = ?1 AND kind = 0 LIMIT ?3",
        "SELECT serial_no FROM search_term WHERE term > ?1 AND term < ?2 AND kind = 0 LIMIT ?3",
        "SELECT serial_no FROM search_term WHERE term = ?1 AND kind > 0 ORDER BY kind LIMIT ?3",
        "SELECT serial_no FROM search_term WHERE term > ?1 AND term < ?2 AND kind > 0 LIMIT ?3",
    ];
    let hi = upper(word);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for sql in TIERS {
        // Enough rows that those already found cannot crowd out new ones.
        let want = limit as usize - out.len() + seen.len();
        let rows: Vec<i64> = sqlx::query_scalar(sql)
            .bind(word)
            .bind(&hi)
            .bind(want as i64)
            .fetch_all(pool)
            .await?;
        for n in rows {
            let n = u32::try_from(n).map_err(|_| Error::Internal(format!("badge number {n}")))?;
            if seen.insert(n) {
                out.push(n);
                if out.len() == limit as usize {
                    return Ok(out);
                }
            }
        }
    }
    Ok(out)
}

/// Several words: candidates from the longest word, kept if every other word
/// matches too; ranked by the sum of each word's best match.
async fn several(pool: &SqlitePool, words: &[String], limit: u32) -> Result<Vec<u32>> {
    const SCORE: &str = "SELECT serial_no, MIN((term <> ?1) + 2 * kind) FROM search_term \
         WHERE term >= ?1 AND term < ?2";
    let mut order: Vec<&String> = words.iter().collect();
    order.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let driver = order[0];
    let mut scores: HashMap<u32, i64> = HashMap::new();
    for r in sqlx::query(&format!("{SCORE} GROUP BY serial_no LIMIT ?3"))
        .bind(driver)
        .bind(upper(driver))
        .bind(CANDIDATES)
        .fetch_all(pool)
        .await?
    {
        scores.insert(r.get::<u32, _>(0), r.get(1));
    }
    for word in &order[1..] {
        if scores.is_empty() {
            break;
        }
        let candidates: Vec<u32> = scores.keys().copied().collect();
        let list =
            serde_json::to_string(&candidates).map_err(|e| Error::Internal(e.to_string()))?;
        let mut next = HashMap::new();
        for r in sqlx::query(&format!(
            "{SCORE} AND serial_no IN (SELECT value FROM json_each(?3)) GROUP BY serial_no"
        ))
        .bind(word.as_str())
        .bind(upper(word))
        .bind(list)
        .fetch_all(pool)
        .await?
        {
            let n: u32 = r.get(0);
            if let Some(s) = scores.get(&n) {
                next.insert(n, s + r.get::<i64, _>(1));
            }
        }
        scores = next;
    }
    let mut ranked: Vec<(i64, u32)> = scores.into_iter().map(|(n, s)| (s, n)).collect();
    ranked.sort_unstable();
    Ok(ranked
        .into_iter()
        .take(limit as usize)
        .map(|(_, n)| n)
        .collect())
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
