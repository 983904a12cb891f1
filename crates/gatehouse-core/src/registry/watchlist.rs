//! Watchlist screening (issue 16): does an attendee look like a person on the
//! security services' list? A pure matcher — no storage, no clock — that
//! gives each (entry, attendee) pair a score from 0 to 100 and the reasons in
//! words, and an index that lets an attendee meet only the entries sharing
//! name keys with them rather than the whole list.
//!
//! Names are compared as sets of folded tokens ([`fold`]), so case,
//! diacritics and the order of given and family names do not matter.
//! Particles (`Ould`, `Ag`, `Ben`, `Bin`, `Ibn`, `Al-`, `El`, `Abd`) are not
//! counted as names; a token of one side may be several adjacent tokens of
//! the other merged ("Abdelkader" = "Abd El Kader"); Latin transliterations of
//! one Arabic name fall in one class ([`EQUIVALENT`]); and one typo
//! (Damerau–Levenshtein distance 1, `strsim`) is forgiven on tokens of five
//! letters or more. A date of birth or a document number that agrees raises
//! the score; one that disagrees lowers it.

// Fx hashing: screening hashes name keys millions of times, and SipHash
// was a tenth of its time; the keys come from the organiser's own files.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::registry::fold;

/// At or above this score an attendee is held for review.
pub const THRESHOLD: u8 = 70;

/// Particles of Arabic and Sahelian names: kinship ("son of", "daughter
/// of"), articles and "servant of". They join names but do not identify.
const PARTICLES: &[&str] = &[
    "ould", "ag", "ben", "bin", "ibn", "bint", "al", "el", "abd", "ul", "ud", "ad", "ar", "as",
    "ech", "mint", "walad",
];

/// Latin spellings of one Arabic (or Arabic-derived) given name, the first of
/// each line its class's key. Compiled for this matcher from the spellings
/// issue 16 names and the usual French (Sahel, Maghreb) and English (Nigeria,
/// Ghana, Sudan, ICAO passports) transcriptions of each name; not an official
/// table — add lines as the services' lists show more.
pub const EQUIVALENT: &[&[&str]] = &[
    &[
        "mohamed",
        "mohammed",
        "muhammad",
        "mohamad",
        "mouhamed",
        "muhammed",
        "mohammad",
        "mahamat",
        "mouhammad",
        "mohamud",
        "mamadou",
        "mahamadou",
        "mohammedou",
    ],
    &[
        "abdoulaye",
        "abdullahi",
        "abdallah",
        "abdullah",
        "abdulahi",
        "abdallahi",
        "abdoullah",
        "abdoulahi",
    ],
    &[
        "ousmane", "usman", "othman", "osman", "outhman", "uthman", "usmane", "ousman", "osmane",
    ],
    &["moussa", "musa", "mousa", "mussa", "moosa"],
    &[
        "ibrahim",
        "ibrahima",
        "brahim",
        "ebrahim",
        "ibrahimou",
        "brahima",
    ],
    &[
        "youssouf", "yusuf", "youssef", "yousef", "yussuf", "yousouf", "youcef", "yosef",
    ],
    &[
        "souleymane",
        "sulaiman",
        "suleiman",
        "sulayman",
        "suleyman",
        "souleimane",
        "soulemane",
        "sulemana",
    ],
    &[
        "aboubacar",
        "abubakar",
        "boubacar",
        "aboubakar",
        "abubakr",
        "boubakar",
        "abou bakr",
        "aboubakr",
    ],
    &[
        "aicha", "aisha", "aissa", "aichatou", "ayesha", "aysha", "aishatu",
    ],
    &[
        "fatoumata",
        "fatima",
        "fatimata",
        "fatouma",
        "fatma",
        "fatimatou",
        "fadimata",
    ],
    &["ahmed", "ahmad", "ahmadou", "amadou", "hamadou", "ahmet"],
    &[
        "abdelkader",
        "abdulkadir",
        "abdoulkader",
        "abdelkadir",
        "abdulqadir",
    ],
    &[
        "abderrahmane",
        "abdourahmane",
        "abdulrahman",
        "abdourahamane",
        "abdurrahman",
        "abdrahmane",
    ],
    &["idrissa", "idris", "driss", "idriss"],
    &["hassan", "hasan", "hassane", "assane"],
    &[
        "hussein",
        "hussain",
        "houssein",
        "husein",
        "hossein",
        "housseini",
    ],
    &["mariam", "maryam", "mariama", "meriem", "mariem"],
    &[
        "khadija", "khadidja", "kadidia", "kadiatou", "khadijah", "hadja",
    ],
    &["oumar", "omar", "umar", "omer"],
    &["ali", "aly", "alou"],
    &["salif", "salifou", "saleh", "salih", "salah"],
    &["yacouba", "yacoub", "yakubu", "yaqub", "yakoub"],
    &["issa", "isa", "eissa"],
    &["adama", "adamou", "adam"],
];

/// One line of the watchlist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The services' reference for the line (e.g. "UN QDi.123").
    pub reference: String,
    /// The full name first, then the aliases, each as written.
    pub names: Vec<String>,
    pub birth_date: Option<Date>,
    /// ISO 3166-1 alpha-2, as the attendee's country.
    pub nationality: Option<String>,
    pub doc_numbers: Vec<String>,
    pub note: String,
}

/// The attendee's fields that screening reads.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub given_names: &'a str,
    pub family_name: &'a str,
    pub birth_date: Option<Date>,
    pub country: Option<&'a str>,
    pub doc_number: &'a str,
}

/// Why a pair scored what it did; each says itself in French and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The names agree token for token (the watchlist's name or alias named).
    NameSame {
        name: String,
    },
    /// Some tokens are other spellings of one name ("Mohamed" / "Muhammad").
    NameSpelling {
        ours: String,
        theirs: String,
    },
    /// One letter apart.
    NameTypo {
        ours: String,
        theirs: String,
    },
    /// Given and family names in the other order.
    NamesSwapped,
    /// One side writes as one word what the other writes as several.
    NamesMerged {
        merged: String,
    },
    /// Particles (Ould, Ben…) present on one side only, or ignored.
    ParticlesIgnored,
    /// Only some of the names agree.
    NamePartial {
        agree: usize,
        of: usize,
    },
    /// The attendee has more names than the entry (or fewer).
    ExtraNames {
        count: usize,
    },
    BirthDateSame,
    BirthDateDiffers {
        theirs: String,
    },
    /// The entry gives a year alone, or the same year with another day.
    BirthYearSame,
    DocumentSame,
    DocumentDiffers,
    NationalitySame,
    NationalityDiffers {
        theirs: String,
    },
}

impl Reason {
    /// The reason in words.
    pub fn text(&self, lang: Lang) -> String {
        use Reason::*;
        match (self, lang) {
            (NameSame { name }, Lang::Fr) => format!("même nom que « {name} »"),
            (NameSame { name }, Lang::En) => format!("same name as \"{name}\""),
            (NameSpelling { ours, theirs }, Lang::Fr) => {
                format!("« {ours} » est une autre graphie de « {theirs} »")
            }
            (NameSpelling { ours, theirs }, Lang::En) => {
                format!("\"{ours}\" is another spelling of \"{theirs}\"")
            }
            (NameTypo { ours, theirs }, Lang::Fr) => {
                format!("« {ours} » à une lettre près de « {theirs} »")
            }
            (NameTypo { ours, theirs }, Lang::En) => {
                format!("\"{ours}\" is one letter away from \"{theirs}\"")
            }
            (NamesSwapped, l) => l
                .pick("prénoms et nom inversés", "given and family names swapped")
                .into(),
            (NamesMerged { merged }, Lang::Fr) => format!("« {merged} » écrit en un seul mot"),
            (NamesMerged { merged }, Lang::En) => format!("\"{merged}\" written as one word"),
            (ParticlesIgnored, l) => l
                .pick(
                    "particules (Ould, Ben, Al…) non comptées",
                    "particles (Ould, Ben, Al…) not counted",
                )
                .into(),
            (NamePartial { agree, of }, Lang::Fr) => format!("{agree} noms sur {of} concordent"),
            (NamePartial { agree, of }, Lang::En) => format!("{agree} of {of} names agree"),
            (ExtraNames { count }, Lang::Fr) => format!("{count} nom(s) en plus d'un côté"),
            (ExtraNames { count }, Lang::En) => format!("{count} extra name(s) on one side"),
            (BirthDateSame, l) => l
                .pick("même date de naissance", "same date of birth")
                .into(),
            (BirthDateDiffers { theirs }, Lang::Fr) => {
                format!("date de naissance différente (liste : {theirs})")
            }
            (BirthDateDiffers { theirs }, Lang::En) => {
                format!("different date of birth (list: {theirs})")
            }
            (BirthYearSame, l) => l
                .pick("même année de naissance", "same year of birth")
                .into(),
            (DocumentSame, l) => l
                .pick("même numéro de document", "same document number")
                .into(),
            (DocumentDiffers, l) => l
                .pick("autre numéro de document", "another document number")
                .into(),
            (NationalitySame, l) => l.pick("même nationalité", "same nationality").into(),
            (NationalityDiffers { theirs }, Lang::Fr) => {
                format!("autre nationalité (liste : {theirs})")
            }
            (NationalityDiffers { theirs }, Lang::En) => {
                format!("another nationality (list: {theirs})")
            }
        }
    }
}

/// A pair's score and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0 to 100; at or above [`THRESHOLD`], a hit.
    pub score: u8,
    pub reasons: Vec<Reason>,
}

impl Score {
    pub fn is_hit(&self) -> bool {
        self.score >= THRESHOLD
    }
}

/// A name cut into folded tokens, particles apart.
#[derive(Debug, Clone)]
struct Tokens {
    /// Every folded token in order, particles included.
    raw: Vec<String>,
    /// Index into `raw` of the tokens that are names (not particles).
    names: Vec<usize>,
    had_particles: bool,
    /// The spelling class of each raw token, looked up once.
    class: Vec<Option<&'static [&'static str]>>,
}

fn tokens(s: &str) -> Tokens {
    // "Al-Hassan" and "N'Diaye" split at punctuation here (fold joins them),
    // so that a particle glued by a hyphen is seen.
    let mut raw = Vec::new();
    for w in fold::words(&s.replace(['-', '\'', '’', '.'], " ")) {
        raw.push(w);
    }
    let names: Vec<usize> = (0..raw.len())
        .filter(|&i| !PARTICLES.contains(&raw[i].as_str()))
        .collect();
    let had_particles = names.len() < raw.len();
    let class = raw.iter().map(|t| class_of(t)).collect();
    Tokens {
        raw,
        names,
        had_particles,
        class,
    }
}

/// Each spelling of [`EQUIVALENT`] → its class.
fn class_table() -> &'static HashMap<&'static str, &'static [&'static str]> {
    static TABLE: std::sync::OnceLock<HashMap<&'static str, &'static [&'static str]>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::default();
        for class in EQUIVALENT {
            for v in *class {
                m.insert(*v, *class);
            }
        }
        m
    })
}

/// A token's class key: its equivalence class's first spelling, or itself.
pub fn canonical(token: &str) -> &str {
    class_table()
        .get(token)
        .and_then(|c| c.first())
        .copied()
        .unwrap_or(token)
}

/// How two tokens agree, if they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agree {
    Same,
    Spelling,
    Typo,
}

/// Damerau–Levenshtein distance at most 1 (the optimal-alignment distance
/// equals it at that distance; it needs no table of the alphabet).
fn one_typo(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return one_edit_ascii(a.as_bytes(), b.as_bytes());
    }
    strsim::osa_distance(a, b) <= 1
}

/// The optimal-alignment distance of two ASCII strings is at most 1: equal,
/// or one substitution, insertion, deletion or transposition of adjacent
/// letters. Linear and without allocation: screening asks this millions
/// of times (folded names are ASCII); [`strsim::osa_distance`] agrees
/// (`tests::one_edit_agrees_with_strsim`).
fn one_edit_ascii(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        // Equal, or the longer has one more letter at the end.
        return true;
    };
    if short.len() == long.len() {
        // One substitution, or two adjacent letters swapped.
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        // One letter more in the longer one, at `i`.
        short[i..] == long[i + 1..]
    }
}

/// Class key pairs (both orders) one of whose spellings of five letters or
/// more is one typo from one of the other's: [`agree`] for two names that
/// are both in [`EQUIVALENT`], worked out once.
fn class_typos() -> &'static HashSet<(&'static str, &'static str)> {
    static TABLE: std::sync::OnceLock<HashSet<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut set = HashSet::default();
        for a in EQUIVALENT {
            for b in EQUIVALENT {
                let near = a.iter().any(|x| {
                    b.iter()
                        .any(|y| x.len() >= 5 && y.len() >= 5 && one_typo(x, y))
                });
                if a[0] != b[0] && near {
                    set.insert((a[0], b[0]));
                }
            }
        }
        set
    })
}

fn agree(a: &str, b: &str) -> Option<Agree> {
    agree_classed(a, class_of(a), b, class_of(b))
}

/// [`agree`] with each token's class already looked up.
fn agree_classed(
    a: &str,
    class_a: Option<&'static [&'static str]>,
    b: &str,
    class_b: Option<&'static [&'static str]>,
) -> Option<Agree> {
    if a == b {
        return Some(Agree::Same);
    }
    let ca = class_a.and_then(|c| c.first()).copied().unwrap_or(a);
    let cb = class_b.and_then(|c| c.first()).copied().unwrap_or(b);
    if ca == cb {
        return Some(Agree::Spelling);
    }
    if class_a.is_some() && class_b.is_some() {
        return class_typos().contains(&(ca, cb)).then_some(Agree::Typo);
    }
    // One typo between two spellings of five letters or more, the tokens
    // themselves or other spellings of their names ("Mohamedd").
    let (one_a, one_b) = ([a], [b]);
    let xa: &[&str] = class_a.unwrap_or(&one_a);
    let xb: &[&str] = class_b.unwrap_or(&one_b);
    for va in xa {
        for vb in xb {
            if va.len() >= 5 && vb.len() >= 5 && one_typo(va, vb) {
                return Some(Agree::Typo);
            }
        }
    }
    None
}

/// The spellings of `t`'s class, if it is in one.
fn class_of(t: &str) -> Option<&'static [&'static str]> {
    class_table().get(t).copied()
}

/// The best agreement of one name of the entry with the subject's name.
struct NameMatch {
    agreed: usize,
    /// Names on the shorter side (at least 2 for a full match).
    shorter: usize,
    longer: usize,
    typos: usize,
    reasons: Vec<Reason>,
}

fn match_names(entry: &Tokens, subject: &Tokens, given_count: usize) -> NameMatch {
    let mut reasons = Vec::new();
    let mut used_e = vec![false; entry.raw.len()];
    let mut used_s = vec![false; subject.raw.len()];
    let mut agreed = 0;
    let mut typos = 0;
    // Pairs (entry raw index, subject raw index) in agreement.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // How each name of the entry agrees with each of the subject's, asked
    // once rather than once per pass.
    let width = subject.raw.len();
    let mut how = vec![None; entry.raw.len() * width];
    for &ei in &entry.names {
        for &si in &subject.names {
            how[ei * width + si] = agree_classed(
                &entry.raw[ei],
                entry.class[ei],
                &subject.raw[si],
                subject.class[si],
            );
        }
    }
    for pass in [Agree::Same, Agree::Spelling, Agree::Typo] {
        for &ei in &entry.names {
            if used_e[ei] {
                continue;
            }
            for &si in &subject.names {
                if used_s[si] {
                    continue;
                }
                if how[ei * width + si] == Some(pass) {
                    used_e[ei] = true;
                    used_s[si] = true;
                    agreed += 1;
                    pairs.push((ei, si));
                    match pass {
                        Agree::Same => {}
                        Agree::Spelling => reasons.push(Reason::NameSpelling {
                            ours: subject.raw[si].clone(),
                            theirs: entry.raw[ei].clone(),
                        }),
                        Agree::Typo => {
                            typos += 1;
                            reasons.push(Reason::NameTypo {
                                ours: subject.raw[si].clone(),
                                theirs: entry.raw[ei].clone(),
                            })
                        }
                    }
                    break;
                }
            }
        }
    }
    // Merged: an unused token of one side is a run of 2–3 adjacent tokens
    // (particles included) of the other.
    let (a1, merged_in_subject) =
        merge_pass(entry, subject, &mut used_e, &mut used_s, &mut reasons);
    let (a2, merged_in_entry) = merge_pass(subject, entry, &mut used_s, &mut used_e, &mut reasons);
    agreed += a1 + a2;
    let ne = entry.names.len().saturating_sub(merged_in_entry).max(1);
    let ns = subject.names.len().saturating_sub(merged_in_subject);
    let shorter = ne.min(ns).max(1);
    let longer = ne.max(ns);
    // Swapped: the subject's family name met the entry's first name(s).
    if given_count > 0 && pairs.len() >= 2 {
        let mut by_entry = pairs.clone();
        by_entry.sort();
        let first_subject = by_entry[0].1;
        if first_subject >= given_count {
            reasons.push(Reason::NamesSwapped);
        }
    }
    if entry.had_particles != subject.had_particles {
        reasons.push(Reason::ParticlesIgnored);
    }
    NameMatch {
        agreed,
        shorter,
        longer,
        typos,
        reasons,
    }
}

/// Merged names: each unused name token of `one` that is a run of 2–3
/// adjacent tokens (particles included) of `many` joined. Returns how many
/// agreed and how many names of `many` the runs absorbed beyond one each.
fn merge_pass(
    one: &Tokens,
    many: &Tokens,
    used_one: &mut [bool],
    used_many: &mut [bool],
    reasons: &mut Vec<Reason>,
) -> (usize, usize) {
    let (mut agreed, mut absorbed) = (0, 0);
    for &oi in &one.names {
        if used_one[oi] {
            continue;
        }
        let target = &one.raw[oi];
        'runs: for start in 0..many.raw.len() {
            for len in 2..=3 {
                let end = start + len;
                if end > many.raw.len() || (start..end).any(|k| used_many[k]) {
                    continue;
                }
                let joined: String = many.raw[start..end].concat();
                if agree(&joined, target).is_some() {
                    used_one[oi] = true;
                    let names_in_run = (start..end)
                        .filter(|k| many.names.contains(k))
                        .count()
                        .max(1);
                    for used in &mut used_many[start..end] {
                        *used = true;
                    }
                    agreed += 1;
                    absorbed += names_in_run - 1;
                    reasons.push(Reason::NamesMerged {
                        merged: target.clone(),
                    });
                    break 'runs;
                }
            }
        }
    }
    (agreed, absorbed)
}

fn doc_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A prepared entry: its names cut once.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub entry: Entry,
    names: Vec<Tokens>,
    docs: Vec<String>,
}

impl Prepared {
    pub fn new(entry: Entry) -> Prepared {
        let names = entry.names.iter().map(|n| tokens(n)).collect();
        let docs = entry
            .doc_numbers
            .iter()
            .map(|d| doc_key(d))
            .filter(|d| !d.is_empty())
            .collect();
        Prepared { entry, names, docs }
    }
}

/// The score of `subject` against `entry`.
pub fn score(entry: &Entry, subject: &Subject) -> Score {
    score_prepared(&Prepared::new(entry.clone()), subject)
}

/// As [`score`], with the entry's names already cut.
pub fn score_prepared(p: &Prepared, subject: &Subject) -> Score {
    let given = tokens(subject.given_names);
    let mut whole = given.clone();
    let family = tokens(subject.family_name);
    let offset = whole.raw.len();
    whole.class.extend(family.class);
    whole.raw.extend(family.raw);
    whole.names.extend(family.names.iter().map(|i| i + offset));
    whole.had_particles |= family.had_particles;
    score_tokens(p, &whole, given.raw.len(), subject)
}

fn score_tokens(p: &Prepared, whole: &Tokens, given_count: usize, subject: &Subject) -> Score {
    // The best of the entry's names and aliases.
    let mut best: Option<(i32, Vec<Reason>)> = None;
    for (n, toks) in p.names.iter().enumerate() {
        let m = match_names(toks, whole, given_count);
        let mut reasons = m.reasons;
        let points: i32 = if m.agreed >= 2 && m.agreed >= m.shorter {
            let extra = m.longer - m.shorter;
            if extra > 0 {
                reasons.push(Reason::ExtraNames { count: extra });
            }
            if m.typos == 0
                && extra == 0
                && !reasons.iter().any(|r| !matches!(r, Reason::NamesSwapped))
            {
                reasons.insert(
                    0,
                    Reason::NameSame {
                        name: p.entry.names[n].clone(),
                    },
                );
            }
            75 - 4 * m.typos as i32 - 3 * extra.min(3) as i32
        } else if m.agreed >= 2 {
            reasons.push(Reason::NamePartial {
                agree: m.agreed,
                of: m.longer,
            });
            50
        } else if m.agreed == 1 && m.shorter == 1 {
            // A one-word name on one side.
            reasons.push(Reason::NamePartial {
                agree: 1,
                of: m.longer,
            });
            45
        } else if m.agreed == 1 {
            reasons.push(Reason::NamePartial {
                agree: 1,
                of: m.longer,
            });
            25
        } else {
            0
        };
        if best.as_ref().is_none_or(|(b, _)| points > *b) {
            best = Some((points, reasons));
        }
    }
    let (mut points, mut reasons) = best.unwrap_or((0, Vec::new()));
    if let (Some(theirs), Some(ours)) = (p.entry.birth_date, subject.birth_date) {
        if theirs == ours {
            points += 20;
            reasons.push(Reason::BirthDateSame);
        } else if theirs.year() == ours.year()
            && (theirs.month() == 1 && theirs.day() == 1 || ours.month() == 1 && ours.day() == 1)
        {
            // Lists and passports write 1 January when only the year is known.
            points += 5;
            reasons.push(Reason::BirthYearSame);
        } else {
            points -= 40;
            reasons.push(Reason::BirthDateDiffers {
                theirs: theirs.to_string(),
            });
        }
    }
    let ours = doc_key(subject.doc_number);
    if !ours.is_empty() && !p.docs.is_empty() {
        if p.docs.contains(&ours) {
            // One name and the document: held for review.
            points += 45;
            reasons.push(Reason::DocumentSame);
        } else {
            // People hold several documents: weak evidence.
            points -= 10;
            reasons.push(Reason::DocumentDiffers);
        }
    }
    if let (Some(theirs), Some(ours)) = (p.entry.nationality.as_deref(), subject.country) {
        if !theirs.is_empty() && !ours.is_empty() {
            if theirs.eq_ignore_ascii_case(ours) {
                points += 5;
                reasons.push(Reason::NationalitySame);
            } else {
                points -= 5;
                reasons.push(Reason::NationalityDiffers {
                    theirs: theirs.to_string(),
                });
            }
        }
    }
    Score {
        score: points.clamp(0, 100) as u8,
        reasons,
    }
}

/// Strings one deletion away from `token` and from each other spelling of
/// its class, and those spellings themselves (tokens of five letters or
/// more): two tokens one typo apart share one (symmetric deletion).
fn deletions(token: &str, out: &mut Vec<String>) {
    let one = [token];
    for &variant in class_of(token).unwrap_or(&one) {
        if variant.len() < 5 {
            continue;
        }
        out.push(variant.to_string());
        for (i, c) in variant.char_indices() {
            let mut d = String::with_capacity(variant.len());
            d.push_str(&variant[..i]);
            d.push_str(&variant[i + c.len_utf8()..]);
            out.push(d);
        }
    }
}

/// Deletion strings of every spelling of [`EQUIVALENT`] → class keys.
fn class_deletions() -> &'static HashMap<String, Vec<&'static str>> {
    static TABLE: std::sync::OnceLock<HashMap<String, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: HashMap<String, Vec<&'static str>> = HashMap::default();
        for class in EQUIVALENT {
            let mut dels = Vec::new();
            deletions(class[0], &mut dels);
            for d in dels {
                let list = m.entry(d).or_default();
                if !list.contains(&class[0]) {
                    list.push(class[0]);
                }
            }
        }
        m
    })
}

/// Class key → the keys of the other classes one of whose spellings is one
/// typo from one of its own (candidates: [`agree`] decides).
fn near_classes(key: &str) -> &'static [&'static str] {
    static TABLE: std::sync::OnceLock<HashMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static str>> = HashMap::default();
        for a in EQUIVALENT {
            for b in EQUIVALENT {
                let near = a.iter().any(|x| b.iter().any(|y| one_typo(x, y)));
                if a[0] != b[0] && near {
                    m.entry(a[0]).or_default().push(b[0]);
                }
            }
        }
        m
    });
    table.get(key).map(Vec::as_slice).unwrap_or(&[])
}

/// The units of one name that can agree with a unit of another: each name
/// token, and each run of 2–3 adjacent tokens joined (merged names).
fn units(t: &Tokens) -> Vec<String> {
    let mut out: Vec<String> = t.names.iter().map(|&i| t.raw[i].clone()).collect();
    for start in 0..t.raw.len() {
        for len in 2..=3 {
            if start + len <= t.raw.len() {
                out.push(t.raw[start..start + len].concat());
            }
        }
    }
    out
}

/// The watchlist indexed by pairs of name terms (a hit needs two names that
/// agree), by single terms for one-word names, and by document number.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Prepared>,
    /// Class keys of the list's name units, numbered.
    terms: HashMap<String, u32>,
    term_text: Vec<String>,
    /// Deletion strings → terms (typo candidates).
    by_deletion: HashMap<String, Vec<u32>>,
    /// A spelling class's term → the list's terms one typo from one of its
    /// spellings ("Mohanad" for Mohamed), found when the term is added so
    /// that a name of the class looks them up rather than every deletion of
    /// every spelling.
    typo_of_class: HashMap<u32, Vec<u32>>,
    /// Two terms of one name (smaller id first) → entries.
    by_pair: HashMap<(u32, u32), Vec<u32>>,
    /// One term → entries having it (for one-word names on either side).
    by_term: HashMap<u32, Vec<u32>>,
    /// Entries with a one-word name or alias.
    one_word: Vec<u32>,
    by_doc: HashMap<String, Vec<u32>>,
    /// What [`Index::terms_of`] answered for each unit met so far: a
    /// registry repeats its family and given names, and this is most of a
    /// screening's work. Bounded by [`MEMO_UNITS`].
    memo: std::sync::Mutex<HashMap<String, Vec<u32>>>,
}

/// The most units [`Index::memo`] remembers.
const MEMO_UNITS: usize = 500_000;

/// One hit: the entry's position in the list given to [`Index::new`] and
/// the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub entry: usize,
    pub reference: String,
    #[serde(flatten)]
    pub score: Score,
}

fn push_once(list: &mut Vec<u32>, id: u32) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        let mut index = Index::default();
        for (n, e) in entries.into_iter().enumerate() {
            let p = Prepared::new(e);
            let id = n as u32;
            for t in &p.names {
                let ids: Vec<u32> = units(t).iter().map(|u| index.term(u)).collect();
                for (a, &x) in ids.iter().enumerate() {
                    push_once(index.by_term.entry(x).or_default(), id);
                    for &y in &ids[a + 1..] {
                        push_once(index.by_pair.entry((x.min(y), x.max(y))).or_default(), id);
                    }
                }
                if t.names.len() <= 1 {
                    push_once(&mut index.one_word, id);
                }
            }
            for d in &p.docs {
                push_once(index.by_doc.entry(d.clone()).or_default(), id);
            }
            index.entries.push(p);
        }
        index
    }

    /// The number of `unit`'s class key, added if new.
    fn term(&mut self, unit: &str) -> u32 {
        let key = canonical(unit);
        if let Some(&id) = self.terms.get(key) {
            return id;
        }
        let id = self.term_text.len() as u32;
        self.terms.insert(key.to_string(), id);
        self.term_text.push(key.to_string());
        let mut dels = Vec::new();
        deletions(key, &mut dels);
        if class_of(key).is_none() && key.len() >= 5 {
            let mut classes: Vec<&'static str> = Vec::new();
            for d in &dels {
                for &class_key in class_deletions()
                    .get(d.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    if !classes.contains(&class_key) && agree(key, class_key).is_some() {
                        classes.push(class_key);
                    }
                }
            }
            for class_key in classes {
                let class_id = self.term(class_key);
                push_once(self.typo_of_class.entry(class_id).or_default(), id);
            }
        }
        for d in dels {
            push_once(self.by_deletion.entry(d).or_default(), id);
        }
        id
    }

    /// [`Index::terms_of`], remembered.
    fn terms_remembered(&self, unit: &str) -> Vec<u32> {
        if let Some(known) = self.memo.lock().ok().and_then(|m| m.get(unit).cloned()) {
            return known;
        }
        let terms = self.terms_of(unit);
        if let Ok(mut m) = self.memo.lock() {
            if m.len() < MEMO_UNITS {
                m.insert(unit.to_string(), terms.clone());
            }
        }
        terms
    }

    /// The list's terms that `unit` agrees with.
    fn terms_of(&self, unit: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if let Some(&id) = self.terms.get(canonical(unit)) {
            out.push(id);
        }
        if class_of(unit).is_some() {
            // Typos of the class, and other classes one typo away.
            if let Some(&id) = self.terms.get(canonical(unit)) {
                out.extend(
                    self.typo_of_class
                        .get(&id)
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                );
            }
            for other in near_classes(canonical(unit)) {
                if let Some(&id) = self.terms.get(*other) {
                    if !out.contains(&id) && agree(unit, other).is_some() {
                        out.push(id);
                    }
                }
            }
        } else if unit.len() >= 5 {
            let mut dels = Vec::new();
            deletions(unit, &mut dels);
            for d in &dels {
                for &id in self.by_deletion.get(d).map(Vec::as_slice).unwrap_or(&[]) {
                    if !out.contains(&id)
                        && self
                            .term_text
                            .get(id as usize)
                            .is_some_and(|t| agree(unit, t).is_some())
                    {
                        out.push(id);
                    }
                }
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, n: usize) -> Option<&Entry> {
        self.entries.get(n).map(|p| &p.entry)
    }

    /// The entries scoring at or above `threshold` against `subject`, best
    /// first. Only the entries sharing two agreeing names with the subject
    /// (one when either side has a one-word name), or a document number,
    /// are scored: the same hits as scoring every entry, for any threshold
    /// above a lone shared name's score.
    pub fn screen(&self, subject: &Subject, threshold: u8) -> Vec<Hit> {
        let given = tokens(subject.given_names);
        let family = tokens(subject.family_name);
        let mut whole = given.clone();
        let offset = whole.raw.len();
        whole.class.extend(family.class);
        whole.raw.extend(family.raw);
        whole.names.extend(family.names.iter().map(|i| i + offset));
        whole.had_particles |= family.had_particles;

        let groups: Vec<Vec<u32>> = units(&whole)
            .iter()
            .map(|u| self.terms_remembered(u))
            .collect();
        let mut candidates: Vec<u32> = Vec::new();
        for (a, xs) in groups.iter().enumerate() {
            for ys in &groups[a + 1..] {
                for &x in xs {
                    for &y in ys {
                        if let Some(list) = self.by_pair.get(&(x.min(y), x.max(y))) {
                            candidates.extend_from_slice(list);
                        }
                    }
                }
            }
        }
        if whole.names.len() <= 1 {
            for &x in groups.iter().flatten() {
                if let Some(list) = self.by_term.get(&x) {
                    candidates.extend_from_slice(list);
                }
            }
        } else if !self.one_word.is_empty() {
            for &x in groups.iter().flatten() {
                if let Some(list) = self.by_term.get(&x) {
                    candidates.extend(list.iter().filter(|id| self.one_word.contains(id)));
                }
            }
        }
        let doc = doc_key(subject.doc_number);
        if !doc.is_empty() {
            if let Some(list) = self.by_doc.get(&doc) {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits = Vec::new();
        for id in candidates {
            let Some(p) = self.entries.get(id as usize) else {
                continue;
            };
            let s = score_tokens(p, &whole, given.raw.len(), subject);
            if s.score >= threshold {
                hits.push(Hit {
                    entry: id as usize,
                    reference: p.entry.reference.clone(),
                    score: s,
                });
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .score
                .cmp(&a.score.score)
                .then(a.entry.cmp(&b.entry))
        });
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn entry(names: &[&str], dob: Option<Date>) -> Entry {
        Entry {
            reference: "T1".into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            birth_date: dob,
            nationality: None,
            doc_numbers: vec![],
            note: String::new(),
        }
    }

    fn subject<'a>(g: &'a str, f: &'a str, dob: Option<Date>) -> Subject<'a> {
        Subject {
            given_names: g,
            family_name: f,
            birth_date: dob,
            country: None,
            doc_number: "",
        }
    }

    #[test]
    fn one_edit_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bac",
            "abd",
            "abcd",
            "abdc",
            "acbd",
            "mohamed",
            "mohammed",
            "mohamde",
            "omhamed",
            "mohame",
            "ohamed",
            "mohamedd",
            "muhamed",
            "mhoamed",
            "mohamd",
            "xohamed",
            "mohamex",
            "abdallahi",
            "abdallah",
            "abdalahi",
            "abdlalahi",
        ];
        for a in words {
            for b in words {
                let want = a.len().abs_diff(b.len()) <= 1 && strsim::osa_distance(a, b) <= 1;
                assert_eq!(one_typo(a, b), want, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn variants_match() {
        let e = entry(&["Mohamed Ould Ahmed"], Some(date(1970, 3, 4)));
        for (g, f) in [
            ("Muhammad", "OULD AHMED"),
            ("Ahmed", "Mohammed"),
            ("Mohamed", "Ahmed"),
            ("Mohamad", "Ould Ahmedd"),
        ] {
            let s = score(&e, &subject(g, f, Some(date(1970, 3, 4))));
            assert!(s.is_hit(), "{g} {f}: {s:?}");
        }
        let e = entry(&["Abd El Kader Diallo"], None);
        assert!(score(&e, &subject("Abdelkader", "Diallo", None)).is_hit());
    }

    #[test]
    fn near_misses_do_not() {
        let e = entry(&["Mohamed Diallo"], Some(date(1970, 3, 4)));
        let s = score(&e, &subject("Mohamed", "Diallo", Some(date(1985, 6, 1))));
        assert!(!s.is_hit(), "{s:?}");
        assert!(!score(&e, &subject("Mohamed", "Traoré", None)).is_hit());
        assert!(s
            .reasons
            .iter()
            .any(|r| r.text(Lang::Fr).contains("date de naissance")));
    }

    #[test]
    fn index_finds_a_misspelt_listed_name_from_another_spelling() {
        let index = Index::new(vec![entry(&["Mohanad Coulibaly"], None)]);
        let s = subject("Muhammad", "Coulibaly", None);
        assert!(score(&entry(&["Mohanad Coulibaly"], None), &s).is_hit());
        assert_eq!(index.screen(&s, THRESHOLD).len(), 1);
    }

    #[test]
    fn index_finds_what_score_finds() {
        let list = vec![
            entry(&["Ousmane Ag Ibrahim"], None),
            entry(&["Fatoumata Traoré"], None),
        ];
        let index = Index::new(list);
        let hits = index.screen(&subject("Usman", "Ibrahima", None), THRESHOLD);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entry, 0);
        let hits = index.screen(&subject("Fatimah", "Traore", None), THRESHOLD);
        assert_eq!(hits.len(), 1, "{hits:?}");
    }
}
