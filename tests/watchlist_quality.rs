//! Watchlist matching measured on a labelled set (issue 16): precision and
//! recall at the threshold, not only examples. The set,
//! `tests/fixtures/watchlist_pairs.csv`, is built from the rules by
//! `tests/fixtures/watchlist_pairs.py` (true variants: case and diacritics,
//! swapped, particles, merged, transliterations, one typo, aliases, a shared
//! document; near misses: the same name with another date of birth, another
//! family or given name, two typos, another person).
//!
//! `cargo test --test watchlist_quality -- --nocapture` prints the figures.

use gatehouse::registry::watchlist::{score, Entry, Index, Subject, THRESHOLD};
use jiff::civil::Date;

fn date(s: &str) -> Option<Date> {
    if s.is_empty() {
        None
    } else {
        Some(s.parse().unwrap_or_else(|e| panic!("bad date {s}: {e}")))
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

#[test]
fn precision_and_recall_on_the_labelled_set() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/watchlist_pairs.csv"
    );
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    let mut index_disagrees = Vec::new();
    let mut pairs = 0;
    for (line, record) in reader.records().enumerate() {
        let r = record.unwrap_or_else(|e| panic!("line {}: {e}", line + 2));
        let field = |i: usize| r.get(i).unwrap_or("");
        let label = field(0) == "1";
        let entry = Entry {
            reference: format!("line {}", line + 2),
            names: field(2).split('|').map(str::to_string).collect(),
            birth_date: date(field(3)),
            nationality: opt(field(4)),
            doc_numbers: field(5)
                .split('|')
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            note: String::new(),
        };
        let country = field(9);
        let subject = Subject {
            given_names: field(6),
            family_name: field(7),
            birth_date: date(field(8)),
            country: (!country.is_empty()).then_some(country),
            doc_number: field(10),
        };
        pairs += 1;
        let s = score(&entry, &subject);
        // The index must find exactly what scoring the entry finds.
        let indexed = Index::new(vec![entry.clone()]).screen(&subject, THRESHOLD);
        if indexed.is_empty() == s.is_hit() {
            index_disagrees.push(format!("line {}: {} score {}", line + 2, field(1), s.score));
        }
        match (label, s.is_hit()) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if label != s.is_hit() {
            let reasons: Vec<String> = s
                .reasons
                .iter()
                .map(|r| r.text(gatehouse::lang::Lang::En))
                .collect();
            wrong.push(format!(
                "line {} ({}, label {}): {:?} vs {} / {} → {} [{}]",
                line + 2,
                field(1),
                field(0),
                entry.names,
                subject.given_names,
                subject.family_name,
                s.score,
                reasons.join("; ")
            ));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "watchlist matching, threshold {THRESHOLD}: {pairs} pairs ({} true, {} near misses): \
         precision {precision:.3}, recall {recall:.3} (tp {tp}, fp {fp}, fn {fn_}, tn {tn})",
        tp + fn_,
        fp + tn
    );
    for w in &wrong {
        println!("  misclassified: {w}");
    }
    assert!(pairs >= 200, "the labelled set has {pairs} pairs");
    assert!(
        index_disagrees.is_empty(),
        "index and score disagree: {index_disagrees:#?}"
    );
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}
