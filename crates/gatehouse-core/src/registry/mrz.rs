//! Identity documents: the machine-readable zone (MRZ) of ICAO 9303
//! passports, ID cards and visas, as a document reader in keyboard mode
//! types it. Pure: no clock (`today` comes in), no I/O.
//!
//! Three formats: TD1 (ID cards, 3 lines of 30), TD2 (2 of 36) and TD3
//! (passports, 2 of 44). [`read`] accepts the lines split by line breaks
//! (LF, CR or both, with whitespace around them), or one run of characters
//! of a format's whole length; it refuses text that has no MRZ's shape or
//! holds a character an MRZ never has, naming the line and column. Once the
//! shape is right every field is decoded and every check digit checked: a
//! wrong one, an unreadable value or an expired document is a typed
//! [`MrzProblem`] naming its field, said in French and English by the
//! catalogue ([`MrzProblem::msg`]).
//!
//! Undoing a keyboard layout (a US-layout reader on an AZERTY system types
//! `.` for `<` and `&é"'(` for digits) is the UI's, where the gate's badge
//! scanner does the same from the physical keys (`ui/src/lib/gate/keymap.ts`).

use jiff::civil::Date;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::lang::Lang;
use crate::messages::Msg;
use crate::registry::country;

/// The three sizes of ICAO 9303 documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MrzFormat {
    /// ID cards: 3 lines of 30.
    Td1,
    /// 2 lines of 36 (older ID cards, some visas).
    Td2,
    /// Passports: 2 lines of 44.
    Td3,
}

impl MrzFormat {
    /// Line count and line length.
    pub fn shape(self) -> (usize, usize) {
        match self {
            MrzFormat::Td1 => (3, 30),
            MrzFormat::Td2 => (2, 36),
            MrzFormat::Td3 => (2, 44),
        }
    }

    const ALL: [MrzFormat; 3] = [MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3];
}

/// What the document is, from the first letter of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// `P…`
    Passport,
    /// `I…`, `A…`, `C…`
    IdCard,
    /// `V…`
    Visa,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    /// `<` or `X`.
    Unspecified,
}

pub use super::mrz_field::MrzField;

/// Why a field is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MrzWhy {
    /// Its check digit does not match: misread, or altered.
    CheckDigit,
    /// The expiry date is before `today`.
    Expired {
        #[ts(type = "string")]
        on: Date,
    },
    /// A value that means nothing there (a date that is no date, a sex
    /// that is not F, M or X), as read.
    Unreadable { value: String },
}

/// One problem of a document: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MrzProblem {
    pub field: MrzField,
    #[serde(flatten)]
    pub why: MrzWhy,
}

impl MrzProblem {
    /// The problem as the catalogue says it.
    pub fn msg(&self) -> Msg {
        let field = self.field;
        match &self.why {
            MrzWhy::CheckDigit => Msg::MrzCheckDigit { field },
            MrzWhy::Expired { on } => Msg::MrzExpired { on: on.to_string() },
            MrzWhy::Unreadable { value } => Msg::MrzUnreadable {
                field,
                value: value.clone(),
            },
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        self.msg().text(lang)
    }
}

/// A document as its MRZ says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Mrz {
    pub format: MrzFormat,
    /// The document code without fillers: `P`, `I`, `ID`, `AC`, `V`…
    pub document_code: String,
    pub document_kind: DocumentKind,
    /// Three letters (`D` for Germany), fillers removed.
    pub issuing_state: String,
    /// The issuing state as the product's ISO 3166-1 alpha-2 code, when it is a country.
    pub issuing_country: Option<String>,
    /// Fillers removed; a TD1 or TD2 number longer than 9 characters whole.
    pub document_number: String,
    /// In capitals, as printed in the MRZ (`<` between words read as spaces).
    pub family_name: String,
    pub given_names: String,
    pub nationality: String,
    pub nationality_country: Option<String>,
    /// `None` when unreadable or partly unknown (`<<` for an unknown day).
    #[ts(type = "string | null")]
    pub birth_date: Option<Date>,
    pub sex: Sex,
    #[ts(type = "string | null")]
    pub expiry_date: Option<Date>,
    /// The optional data without fillers (a TD1's two parts joined by a space).
    pub optional_data: String,
    /// Every check digit matches.
    pub checks_ok: bool,
    pub problems: Vec<MrzProblem>,
}

/// The MRZ's lines from what a reader typed: LF, CR or CR LF between lines,
/// whitespace around them, lower case read as capitals; or one run of a
/// format's whole length (the line breaks lost). Refuses what has no MRZ's
/// shape or holds a character other than `A`–`Z`, `0`–`9` and `<`.
pub fn lines(text: &str) -> Result<(MrzFormat, Vec<String>)> {
    let split: Vec<String> = text
        .split(['\n', '\r'])
        .map(|l| l.trim().to_ascii_uppercase())
        .filter(|l| !l.is_empty())
        .collect();
    let shaped = |ls: &[String]| {
        MrzFormat::ALL.into_iter().find(|f| {
            let (n, len) = f.shape();
            ls.len() == n && ls.iter().all(|l| l.chars().count() == len)
        })
    };
    let (format, lines) = match shaped(&split) {
        Some(f) => (f, split),
        None => {
            let run: String = split
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let total = run.chars().count();
            let Some(f) = MrzFormat::ALL.into_iter().find(|f| {
                let (n, len) = f.shape();
                n * len == total
            }) else {
                let read = split
                    .iter()
                    .map(|l| l.chars().count().to_string())
                    .collect::<Vec<_>>()
                    .join(" + ");
                return Err(Msg::MrzShape {
                    read: if read.is_empty() { "0".into() } else { read },
                }
                .into());
            };
            let chars: Vec<char> = run.chars().collect();
            let (_, len) = f.shape();
            (f, chars.chunks(len).map(|c| c.iter().collect()).collect())
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if let Some((j, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<'))
        {
            return Err(Msg::MrzCharacter {
                line: i as u64 + 1,
                column: j as u64 + 1,
                value: c.to_string(),
            }
            .into());
        }
    }
    Ok((format, lines))
}

/// Reads an MRZ typed by a document reader (see [`lines`]) and checks it on
/// `today`'s date: every check digit, the dates, the expiry.
pub fn read(text: &str, today: Date) -> Result<Mrz> {
    let (format, lines) = lines(text)?;
    Ok(decode(format, &lines, today))
}

/// ICAO 9303's check digit: weights 7, 3, 1; digits their value, letters
/// A=10…Z=35, the filler 0.
pub fn check_digit(s: &str) -> char {
    let sum: u32 = s
        .bytes()
        .zip([7u32, 3, 1].into_iter().cycle())
        .map(|(b, w)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

fn at(line: &str, i: usize) -> char {
    line.as_bytes().get(i).map_or('<', |&b| char::from(b))
}

fn part(line: &str, from: usize, to: usize) -> &str {
    line.get(from..to).unwrap_or("")
}

fn unfill(s: &str) -> String {
    s.trim_end_matches('<').to_string()
}

struct Checker<'a> {
    problems: &'a mut Vec<MrzProblem>,
}

impl Checker<'_> {
    /// Checks `data` against `digit`; `<` passes when `blank_ok` and the
    /// data is all fillers (an empty optional field).
    fn check(&mut self, field: MrzField, data: &str, digit: char, blank_ok: bool) {
        if blank_ok && digit == '<' && data.bytes().all(|b| b == b'<') {
            return;
        }
        if check_digit(data) != digit {
            self.problems.push(MrzProblem {
                field,
                why: MrzWhy::CheckDigit,
            });
        }
    }
}

fn decode(format: MrzFormat, lines: &[String], today: Date) -> Mrz {
    let mut problems = Vec::new();
    let l1 = lines[0].as_str();
    let l2 = lines[1].as_str();
    let document_code = unfill(part(l1, 0, 2));
    let document_kind = match document_code.chars().next() {
        Some('P') => DocumentKind::Passport,
        Some('I' | 'A' | 'C') => DocumentKind::IdCard,
        Some('V') => DocumentKind::Visa,
        _ => DocumentKind::Other,
    };
    if !document_code.chars().all(|c| c.is_ascii_uppercase()) || document_code.is_empty() {
        problems.push(MrzProblem {
            field: MrzField::DocumentType,
            why: MrzWhy::Unreadable {
                value: part(l1, 0, 2).into(),
            },
        });
    }
    let visa = document_kind == DocumentKind::Visa;
    let issuing_state = state(part(l1, 2, 5), MrzField::IssuingState, &mut problems);
    // Where each part is: (number, its check digit, nationality, birth,
    // sex, expiry, optional data) and the names.
    let (names, id_line, number_at, nat_at, dates_line, birth_at, optional, composite) =
        match format {
            MrzFormat::Td1 => {
                let l3 = lines[2].as_str();
                (
                    l3,
                    l1,
                    5,
                    (l2, 15),
                    l2,
                    0,
                    vec![part(l1, 15, 30), part(l2, 18, 29)],
                    Some((
                        format!(
                            "{}{}{}{}",
                            part(l1, 5, 30),
                            part(l2, 0, 7),
                            part(l2, 8, 15),
                            part(l2, 18, 29)
                        ),
                        at(l2, 29),
                    )),
                )
            }
            MrzFormat::Td2 | MrzFormat::Td3 => {
                let end = if format == MrzFormat::Td2 { 35 } else { 43 };
                let opt_end = if format == MrzFormat::Td3 && !visa {
                    42
                } else {
                    end
                };
                (
                    part(l1, 5, l1.len()),
                    l2,
                    0,
                    (l2, 10),
                    l2,
                    13,
                    vec![part(l2, 28, opt_end)],
                    (!visa).then(|| {
                        (
                            format!(
                                "{}{}{}",
                                part(l2, 0, 10),
                                part(l2, 13, 20),
                                part(l2, 21, end)
                            ),
                            at(l2, end),
                        )
                    }),
                )
            }
        };
    let mut checker = Checker {
        problems: &mut problems,
    };

    // The document number, and the long-number rule of TD1 and TD2: a
    // filler in place of its check digit says the number goes on in the
    // optional data, ended by its check digit.
    let number9 = part(id_line, number_at, number_at + 9);
    let number_check = at(id_line, number_at + 9);
    let mut optional: Vec<String> = optional.into_iter().map(str::to_string).collect();
    let document_number = if number_check == '<' && format != MrzFormat::Td3 {
        let rest = optional[0].clone();
        let ext_len = rest.find('<').unwrap_or(rest.len());
        let ext = &rest[..ext_len];
        if ext.is_empty() {
            checker.check(MrzField::DocumentNumber, number9, '<', false);
            unfill(number9)
        } else {
            let (digits, digit) = ext.split_at(ext.len() - 1);
            let whole = format!("{number9}{digits}");
            let digit = digit.chars().next().unwrap_or('<');
            checker.check(MrzField::DocumentNumber, &whole, digit, false);
            optional[0] = rest[ext_len..].to_string();
            whole
        }
    } else {
        checker.check(MrzField::DocumentNumber, number9, number_check, false);
        unfill(number9)
    };

    let birth_raw = part(dates_line, birth_at, birth_at + 6);
    checker.check(
        MrzField::BirthDate,
        birth_raw,
        at(dates_line, birth_at + 6),
        false,
    );
    let sex_char = at(dates_line, birth_at + 7);
    let expiry_raw = part(dates_line, birth_at + 8, birth_at + 14);
    checker.check(
        MrzField::ExpiryDate,
        expiry_raw,
        at(dates_line, birth_at + 14),
        false,
    );
    if format == MrzFormat::Td3 && !visa {
        checker.check(MrzField::OptionalData, part(l2, 28, 42), at(l2, 42), true);
    }
    if let Some((data, digit)) = &composite {
        checker.check(MrzField::Composite, data, *digit, false);
    }
    let checks_ok = problems.is_empty();

    let nationality = state(
        part(nat_at.0, nat_at.1, nat_at.1 + 3),
        MrzField::Nationality,
        &mut problems,
    );
    let birth_date = date(birth_raw, MrzField::BirthDate, &mut problems).map(|(y, m, d)| {
        // Two-digit years: the century that puts the birth in the past.
        Date::new(2000 + y, m, d)
            .ok()
            .filter(|b| *b <= today)
            .or_else(|| Date::new(1900 + y, m, d).ok())
    });
    let expiry_date = date(expiry_raw, MrzField::ExpiryDate, &mut problems).map(|(y, m, d)| {
        // Documents last ten years or so: 20YY unless that is far ahead.
        Date::new(2000 + y, m, d)
            .ok()
            .filter(|e| e.year() <= today.year() + 50)
            .or_else(|| Date::new(1900 + y, m, d).ok())
    });
    let (birth_date, expiry_date) = (birth_date.flatten(), expiry_date.flatten());
    let sex = match sex_char {
        'F' => Sex::Female,
        'M' => Sex::Male,
        '<' | 'X' => Sex::Unspecified,
        other => {
            problems.push(MrzProblem {
                field: MrzField::Sex,
                why: MrzWhy::Unreadable {
                    value: other.to_string(),
                },
            });
            Sex::Unspecified
        }
    };
    if let Some(on) = expiry_date.filter(|e| *e < today) {
        problems.push(MrzProblem {
            field: MrzField::ExpiryDate,
            why: MrzWhy::Expired { on },
        });
    }
    let (family_name, given_names) = split_names(names);
    let optional_data = optional
        .iter()
        .map(|o| o.trim_matches('<').replace('<', " "))
        .filter(|o| !o.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Mrz {
        format,
        document_code,
        document_kind,
        issuing_country: country::from_icao(&issuing_state).map(str::to_string),
        issuing_state,
        document_number,
        family_name,
        given_names,
        nationality_country: country::from_icao(&nationality).map(str::to_string),
        nationality,
        birth_date,
        sex,
        expiry_date,
        optional_data,
        checks_ok,
        problems,
    }
}

/// A three-letter state (fillers removed), or a problem.
fn state(raw: &str, field: MrzField, problems: &mut Vec<MrzProblem>) -> String {
    let code = unfill(raw);
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase()) {
        problems.push(MrzProblem {
            field,
            why: MrzWhy::Unreadable { value: raw.into() },
        });
    }
    code
}

/// `YYMMDD` as numbers; an unknown day or month (`<<`) is no date and no
/// problem, anything else that is not a date is one.
fn date(raw: &str, field: MrzField, problems: &mut Vec<MrzProblem>) -> Option<(i16, i8, i8)> {
    let num = |s: &str| s.parse::<i16>().ok().filter(|_| s.len() == 2);
    let (y, m, d) = (
        num(part(raw, 0, 2)),
        num(part(raw, 2, 4)),
        num(part(raw, 4, 6)),
    );
    let unknown = raw.contains('<') && raw.bytes().all(|b| b == b'<' || b.is_ascii_digit());
    match (y, m, d) {
        (Some(y), Some(m), Some(d))
            if Date::new(2000 + y, m as i8, d as i8).is_ok()
                || Date::new(1900 + y, m as i8, d as i8).is_ok() =>
        {
            Some((y, m as i8, d as i8))
        }
        _ if unknown => None,
        _ => {
            problems.push(MrzProblem {
                field,
                why: MrzWhy::Unreadable { value: raw.into() },
            });
            None
        }
    }
}

/// `ERIKSSON<<ANNA<MARIA<<<` → ("ERIKSSON", "ANNA MARIA").
fn split_names(field: &str) -> (String, String) {
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match field.split_once("<<") {
        Some((family, given)) => (words(family), words(given)),
        None => (words(field), String::new()),
    }
}

/// A document to write as an MRZ (the inverse of [`read`], for tests and
/// specimens): names and values in MRZ characters, dates as `YYMMDD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzDocument {
    pub format: MrzFormat,
    pub document_code: String,
    pub issuing_state: String,
    pub document_number: String,
    pub family_name: String,
    pub given_names: String,
    pub nationality: String,
    pub birth: String,
    /// `F`, `M` or `<`.
    pub sex: char,
    pub expiry: String,
    /// TD3: the personal number (14 at most); TD1: the first optional part
    /// (after a long number's end); TD2: the optional data.
    pub optional_data: String,
}

fn padded(s: &str, len: usize) -> String {
    let mut out: String = s.chars().take(len).collect();
    while out.chars().count() < len {
        out.push('<');
    }
    out
}

fn name_field(family: &str, given: &str, len: usize) -> String {
    let family = family.replace(' ', "<");
    let given = given.replace(' ', "<");
    let joined = if given.is_empty() {
        family
    } else {
        format!("{family}<<{given}")
    };
    padded(&joined, len)
}

/// The MRZ lines of `doc`, with every check digit computed.
pub fn format(doc: &MrzDocument) -> Vec<String> {
    let code = padded(&doc.document_code, 2);
    let state = padded(&doc.issuing_state, 3);
    let nat = padded(&doc.nationality, 3);
    let number = &doc.document_number;
    let (number9, number_check, ext) = if number.chars().count() > 9 {
        let head: String = number.chars().take(9).collect();
        let tail: String = number.chars().skip(9).collect();
        let sep = if doc.optional_data.is_empty() {
            ""
        } else {
            "<"
        };
        (head, '<', format!("{tail}{}{sep}", check_digit(number)))
    } else {
        let n = padded(number, 9);
        let c = check_digit(&n);
        (n, c, String::new())
    };
    let birth = format!("{}{}", doc.birth, check_digit(&doc.birth));
    let expiry = format!("{}{}", doc.expiry, check_digit(&doc.expiry));
    match doc.format {
        MrzFormat::Td3 => {
            let opt = padded(&doc.optional_data, 14);
            let opt_check = if opt.bytes().all(|b| b == b'<') {
                '<'
            } else {
                check_digit(&opt)
            };
            let body = format!(
                "{number9}{number_check}{nat}{birth}{}{expiry}{opt}{opt_check}",
                doc.sex
            );
            let composite = check_digit(&format!(
                "{}{}{}",
                &body[0..10],
                &body[13..20],
                &body[21..43]
            ));
            vec![
                format!(
                    "{code}{state}{}",
                    name_field(&doc.family_name, &doc.given_names, 39)
                ),
                format!("{body}{composite}"),
            ]
        }
        MrzFormat::Td2 => {
            let opt = padded(&format!("{ext}{}", doc.optional_data), 7);
            let body = format!(
                "{number9}{number_check}{nat}{birth}{}{expiry}{opt}",
                doc.sex
            );
            let composite = check_digit(&format!(
                "{}{}{}",
                &body[0..10],
                &body[13..20],
                &body[21..35]
            ));
            vec![
                format!(
                    "{code}{state}{}",
                    name_field(&doc.family_name, &doc.given_names, 31)
                ),
                format!("{body}{composite}"),
            ]
        }
        MrzFormat::Td1 => {
            let opt1 = padded(&format!("{ext}{}", doc.optional_data), 15);
            let line1 = format!("{code}{state}{number9}{number_check}{opt1}");
            let line2 = format!("{birth}{}{expiry}{nat}{}", doc.sex, padded("", 11));
            let composite = check_digit(&format!(
                "{}{}{}{}",
                &line1[5..30],
                &line2[0..7],
                &line2[8..15],
                &line2[18..29]
            ));
            vec![
                line1,
                format!("{line2}{composite}"),
                name_field(&doc.family_name, &doc.given_names, 30),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    type R = std::result::Result<(), Box<dyn std::error::Error>>;

    const TODAY: Date = date(2026, 12, 6);

    const TD1: [&str; 3] = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ];
    const TD3: [&str; 2] = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];
    /// ICAO 9303 Part 6, Appendix A.
    const TD2: [&str; 2] = [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ];

    fn problems(m: &Mrz) -> Vec<(MrzField, MrzWhy)> {
        m.problems
            .iter()
            .map(|p| (p.field, p.why.clone()))
            .collect()
    }

    #[test]
    fn icao_specimens_read_with_every_check_digit_right() -> R {
        for (format, text) in [
            (MrzFormat::Td1, TD1.join("\n")),
            (MrzFormat::Td2, TD2.join("\r\n")),
            (MrzFormat::Td3, TD3.join("\r")),
        ] {
            let m = read(&text, date(2010, 1, 1))?;
            assert_eq!(m.format, format);
            assert!(m.checks_ok, "{format:?}: {:?}", m.problems);
            assert!(m.problems.is_empty(), "{format:?}: {:?}", m.problems);
            assert_eq!(m.family_name, "ERIKSSON");
            assert_eq!(m.given_names, "ANNA MARIA");
            assert_eq!(m.issuing_state, "UTO");
            assert_eq!(m.nationality, "UTO");
            assert_eq!(m.issuing_country, None, "Utopia is no country");
            assert_eq!(m.birth_date, Some(date(1974, 8, 12)));
            assert_eq!(m.expiry_date, Some(date(2012, 4, 15)));
            assert_eq!(m.sex, Sex::Female);
        }
        let td3 = read(&TD3.join("\n"), TODAY)?;
        assert_eq!(td3.document_kind, DocumentKind::Passport);
        assert_eq!(td3.document_code, "P");
        assert_eq!(td3.document_number, "L898902C3");
        assert_eq!(td3.optional_data, "ZE184226B");
        let td1 = read(&TD1.join("\n"), TODAY)?;
        assert_eq!(td1.document_kind, DocumentKind::IdCard);
        assert_eq!(td1.document_number, "D23145890");
        assert_eq!(td1.optional_data, "");
        Ok(())
    }

    #[test]
    fn an_expired_document_is_said_with_its_date_and_checks_stay_ok() -> R {
        let m = read(&TD3.join("\n"), TODAY)?;
        assert!(m.checks_ok);
        assert_eq!(
            problems(&m),
            [(
                MrzField::ExpiryDate,
                MrzWhy::Expired {
                    on: date(2012, 4, 15)
                }
            )]
        );
        assert_eq!(
            m.problems[0].text(Lang::Fr),
            "date d'expiration : le document a expiré le 2012-04-15"
        );
        assert_eq!(
            m.problems[0].text(Lang::En),
            "expiry date: the document expired on 2012-04-15"
        );
        // Valid on its last day.
        assert!(read(&TD3.join("\n"), date(2012, 4, 15))?
            .problems
            .is_empty());
        Ok(())
    }

    /// Positions (line, column) of each check digit and the field it guards.
    fn check_positions(format: MrzFormat) -> Vec<(usize, usize, MrzField)> {
        match format {
            MrzFormat::Td1 => vec![
                (0, 14, MrzField::DocumentNumber),
                (1, 6, MrzField::BirthDate),
                (1, 14, MrzField::ExpiryDate),
                (1, 29, MrzField::Composite),
            ],
            MrzFormat::Td2 => vec![
                (1, 9, MrzField::DocumentNumber),
                (1, 19, MrzField::BirthDate),
                (1, 27, MrzField::ExpiryDate),
                (1, 35, MrzField::Composite),
            ],
            MrzFormat::Td3 => vec![
                (1, 9, MrzField::DocumentNumber),
                (1, 19, MrzField::BirthDate),
                (1, 27, MrzField::ExpiryDate),
                (1, 42, MrzField::OptionalData),
                (1, 43, MrzField::Composite),
            ],
        }
    }

    #[test]
    fn every_check_digit_broken_in_turn_names_its_field() -> R {
        for (format, lines) in [
            (MrzFormat::Td1, TD1.to_vec()),
            (MrzFormat::Td2, TD2.to_vec()),
            (MrzFormat::Td3, TD3.to_vec()),
        ] {
            for (line, col, field) in check_positions(format) {
                let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                let mut bytes = broken[line].clone().into_bytes();
                bytes[col] = if bytes[col] == b'3' { b'4' } else { b'3' };
                broken[line] = String::from_utf8(bytes)?;
                let m = read(&broken.join("\n"), date(2010, 1, 1))?;
                assert!(!m.checks_ok, "{format:?} {field:?}");
                // The composite covers the other check digits too.
                let mut expected = vec![(field, MrzWhy::CheckDigit)];
                if field != MrzField::Composite {
                    expected.push((MrzField::Composite, MrzWhy::CheckDigit));
                }
                assert_eq!(
                    problems(&m),
                    expected,
                    "{format:?} line {line} column {col}"
                );
                let fr = m.problems[0].text(Lang::Fr);
                assert!(fr.starts_with("chiffre de contrôle faux"), "{fr}");
            }
            // A data character misread: its own check and the composite fail.
            let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let (line, col) = match format {
                MrzFormat::Td1 => (1, 0),
                _ => (1, 13),
            };
            let mut bytes = broken[line].clone().into_bytes();
            bytes[col] = b'8';
            broken[line] = String::from_utf8(bytes)?;
            let m = read(&broken.join("\n"), date(2010, 1, 1))?;
            assert_eq!(
                problems(&m),
                [
                    (MrzField::BirthDate, MrzWhy::CheckDigit),
                    (MrzField::Composite, MrzWhy::CheckDigit)
                ],
                "{format:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn keyboard_input_is_tolerated() -> R {
        let spaced = format!("  {}  \r\n\r\n {} \n", TD3[0], TD3[1].to_lowercase());
        assert!(read(&spaced, TODAY)?.checks_ok);
        let run = TD1.concat();
        assert_eq!(read(&run, TODAY)?.format, MrzFormat::Td1);
        let spaces = TD2.join(" ");
        assert_eq!(read(&spaces, TODAY)?.format, MrzFormat::Td2);
        Ok(())
    }

    #[test]
    fn text_that_is_no_mrz_is_refused_naming_what_was_read() -> R {
        let e = read("P<UTOERIKSSON\nL898", TODAY).err().ok_or("accepted")?;
        assert_eq!(e.key(), Some("mrz_shape"));
        assert!(e.text(Lang::En).contains("13 + 4"), "{}", e.text(Lang::En));
        // An AZERTY system's reading of a US reader: `.` for `<`, `&` for 1.
        let garbled = TD3.join("\n").replace('<', ".");
        let e = read(&garbled, TODAY).err().ok_or("accepted")?;
        assert_eq!(e.key(), Some("mrz_character"));
        assert_eq!(
            e.text(Lang::Fr),
            "ligne 1, caractère 2 : « . » n'a pas sa place dans une zone de lecture automatique (lettres A à Z, chiffres et <)"
        );
        Ok(())
    }

    #[test]
    fn two_digit_birth_years_are_in_the_past() -> R {
        let doc = |birth: &str| MrzDocument {
            format: MrzFormat::Td3,
            document_code: "P".into(),
            issuing_state: "FRA".into(),
            document_number: "12AB34567".into(),
            family_name: "MARTIN".into(),
            given_names: "ZOE".into(),
            nationality: "FRA".into(),
            birth: birth.into(),
            sex: 'F',
            expiry: "300101".into(),
            optional_data: String::new(),
        };
        let m = read(&format(&doc("101231")).join("\n"), TODAY)?;
        assert_eq!(m.birth_date, Some(date(2010, 12, 31)));
        assert_eq!(m.nationality_country.as_deref(), Some("FR"));
        let m = read(&format(&doc("261207")).join("\n"), TODAY)?;
        assert_eq!(m.birth_date, Some(date(1926, 12, 7)));
        let m = read(&format(&doc("261206")).join("\n"), TODAY)?;
        assert_eq!(m.birth_date, Some(date(2026, 12, 6)));
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        // An unknown day is no date and no problem; a month 13 is one.
        let m = read(&format(&doc("7001<<")).join("\n"), TODAY)?;
        assert_eq!(m.birth_date, None);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let m = read(&format(&doc("701301")).join("\n"), TODAY)?;
        assert_eq!(
            problems(&m),
            [(
                MrzField::BirthDate,
                MrzWhy::Unreadable {
                    value: "701301".into()
                }
            )]
        );
        assert!(m.checks_ok);
        Ok(())
    }

    #[test]
    fn a_long_document_number_goes_on_in_the_optional_data() -> R {
        // ICAO 9303 Part 5's example: D23145890734, check digit 9.
        let l1 = "I<UTOD23145890<7349<<<<<<<<<<<";
        let mut line2 = "3407127M9507122UTO<<<<<<<<<<<".to_string();
        let composite = check_digit(&format!(
            "{}{}{}{}",
            &l1[5..30],
            &line2[0..7],
            &line2[8..15],
            &line2[18..29]
        ));
        line2.push(composite);
        let text = format!("{l1}\n{line2}\nSTEVENSON<<PETER<JOHN<<<<<<<<<");
        let m = read(&text, date(1990, 1, 1))?;
        assert_eq!(m.document_number, "D23145890734");
        assert!(m.checks_ok, "{:?}", m.problems);
        assert_eq!(m.optional_data, "");
        assert_eq!(m.sex, Sex::Male);
        assert_eq!(m.given_names, "PETER JOHN");
        let wrong = text.replacen("7349", "7348", 1);
        let m = read(&wrong, date(1990, 1, 1))?;
        assert_eq!(
            problems(&m)[0],
            (MrzField::DocumentNumber, MrzWhy::CheckDigit)
        );
        Ok(())
    }

    #[test]
    fn icao_codes_become_the_products_countries() -> R {
        let m = read(
            &format(&MrzDocument {
                format: MrzFormat::Td1,
                document_code: "ID".into(),
                issuing_state: "D".into(),
                document_number: "T22000129".into(),
                family_name: "MUSTERMANN".into(),
                given_names: "ERIKA".into(),
                nationality: "D".into(),
                birth: "640812".into(),
                sex: 'F',
                expiry: "310731".into(),
                optional_data: String::new(),
            })
            .join("\n"),
            TODAY,
        )?;
        assert_eq!(m.issuing_state, "D");
        assert_eq!(m.issuing_country.as_deref(), Some("DE"));
        assert_eq!(m.nationality_country.as_deref(), Some("DE"));
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        Ok(())
    }

    mod roundtrip {
        use super::*;
        use proptest::prelude::*;

        const STATES: [&str; 6] = ["FRA", "D", "UTO", "MLI", "GBD", "TUR"];

        fn alnum(max: usize) -> impl Strategy<Value = String> {
            proptest::string::string_regex(&format!("[A-Z0-9]{{0,{max}}}"))
                .expect("a valid pattern")
        }

        fn words(max: usize) -> impl Strategy<Value = String> {
            proptest::collection::vec("[A-Z]{1,8}", 0..=max).prop_map(|w| w.join(" "))
        }

        fn yymmdd(d: Date) -> String {
            format!("{:02}{:02}{:02}", d.year() % 100, d.month(), d.day())
        }

        prop_compose! {
            fn document()(
                format in prop::sample::select(MrzFormat::ALL.to_vec()),
                code in prop::sample::select(vec!["P", "PO", "I", "ID", "AC", "C"]),
                state in prop::sample::select(STATES.to_vec()),
                nationality in prop::sample::select(STATES.to_vec()),
                number in "[A-Z0-9]{1,9}",
                more in alnum(5),
                family in "[A-Z]{1,10}( [A-Z]{1,8})?",
                given in words(2),
                birth_days in 0i32..36_000,
                expiry_days in -2_000i32..4_000,
                sex in prop::sample::select(vec!['F', 'M', '<']),
                optional in alnum(14),
            ) -> (MrzDocument, Date, Date) {
                let today = date(2026, 12, 6);
                let birth = today.checked_sub(jiff::Span::new().days(birth_days)).unwrap_or(today);
                let expiry = today.checked_add(jiff::Span::new().days(expiry_days)).unwrap_or(today);
                // TD1 and TD2 numbers may run past 9 characters; their
                // end and check digit then take the optional data's room.
                let number = if format == MrzFormat::Td3 || number.len() < 9 { number } else { format!("{number}{more}") };
                let ext = number.len().saturating_sub(9).min(1) + number.len().saturating_sub(9);
                let room = match format { MrzFormat::Td1 => 15, MrzFormat::Td2 => 7, MrzFormat::Td3 => 14 };
                let room = room - ext - usize::from(ext > 0);
                let optional: String = optional.chars().take(room).collect();
                let doc = MrzDocument {
                    format,
                    document_code: code.into(),
                    issuing_state: state.into(),
                    document_number: number,
                    family_name: family,
                    given_names: given,
                    nationality: nationality.into(),
                    birth: yymmdd(birth),
                    sex,
                    expiry: yymmdd(expiry),
                    optional_data: optional,
                };
                (doc, birth, expiry)
            }
        }

        proptest! {
            #[test]
            fn a_formatted_document_reads_back(
                (doc, birth, expiry) in document(),
                one_run in any::<bool>(),
            ) {
                let today = date(2026, 12, 6);
                let names = doc.family_name.len() + 2 + doc.given_names.len();
                let room = match doc.format { MrzFormat::Td1 => 30, MrzFormat::Td2 => 31, MrzFormat::Td3 => 39 };
                prop_assume!(names <= room);
                let lines = format(&doc);
                let (n, len) = doc.format.shape();
                prop_assert_eq!(lines.len(), n);
                for l in &lines {
                    prop_assert_eq!(l.len(), len, "{:?}", lines);
                }
                let text = if one_run { lines.concat() } else { lines.join("\r\n") };
                let m = read(&text, today).map_err(|e| TestCaseError::fail(format!("{e:?} {lines:?}")))?;
                prop_assert!(m.checks_ok, "{:?} {:?}", m.problems, lines);
                let expected: Vec<MrzProblem> = (expiry < today)
                    .then_some(MrzProblem { field: MrzField::ExpiryDate, why: MrzWhy::Expired { on: expiry } })
                    .into_iter()
                    .collect();
                prop_assert_eq!(&m.problems, &expected, "{:?}", lines);
                prop_assert_eq!(m.format, doc.format);
                prop_assert_eq!(&m.document_code, &doc.document_code);
                prop_assert_eq!(&m.issuing_state, &doc.issuing_state);
                prop_assert_eq!(&m.nationality, &doc.nationality);
                prop_assert_eq!(&m.document_number, &doc.document_number, "{:?}", lines);
                prop_assert_eq!(&m.family_name, &doc.family_name);
                prop_assert_eq!(&m.given_names, &doc.given_names);
                prop_assert_eq!(m.birth_date, Some(birth));
                prop_assert_eq!(m.expiry_date, Some(expiry));
                prop_assert_eq!(&m.optional_data, &doc.optional_data, "{:?}", lines);
                let sex = match doc.sex { 'F' => Sex::Female, 'M' => Sex::Male, _ => Sex::Unspecified };
                prop_assert_eq!(m.sex, sex);
            }
        }
    }
}
