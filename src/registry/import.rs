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

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiff::civil::Date;
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

/// A sheet: its header cells and its rows, each with its line number in
/// the file (1 is the header line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// What an import file may hold: far more than any real registry (100,000
/// pre-registrations are tens of MB), little enough that a hostile file is
/// refused before it costs the station its memory.
pub mod limits {
    /// The largest file read, CSV or XLSX.
    pub const FILE_BYTES: usize = 128 * 1024 * 1024;
    /// Rows of people below the header line.
    pub const ROWS: usize = 200_000;
    /// Columns holding something (empty ones past the last are dropped).
    pub const COLUMNS: usize = 64;
    /// One CSV line (one record, quoted line breaks included).
    pub const LINE_BYTES: usize = 64 * 1024;
    /// What the parts of an XLSX file (a ZIP archive) unpack to, together.
    pub const XLSX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
    /// How many times its size an XLSX file may unpack to, past
    /// [`XLSX_RATIO_FLOOR`]: spreadsheets pack 5 to 20 times, a zip bomb
    /// a thousand.
    pub const XLSX_RATIO: u64 = 100;
    /// Small files may pack tighter: up to this much is never a bomb.
    pub const XLSX_RATIO_FLOOR: u64 = 16 * 1024 * 1024;
    /// Parts in an XLSX archive (a workbook has a dozen).
    pub const XLSX_PARTS: usize = 10_000;
}

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Reads a CSV or XLSX file (by extension, or by content: XLSX is a ZIP).
/// A file past one of the [`limits`] is refused (`bad_input`, naming the
/// limit) before it is unpacked or parsed.
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table> {
    if bytes.len() > limits::FILE_BYTES {
        return Err(Msg::ImportTooLarge {
            mb: mib(bytes.len() as u64),
            max_mb: mib(limits::FILE_BYTES as u64),
        }
        .into());
    }
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(&decode_text(bytes))
    }
}

/// The error of a table with a value past the last column read.
fn too_many_columns(line: u64, column: usize) -> Error {
    Msg::ImportTooManyColumns {
        line,
        column: column as u64,
        max: limits::COLUMNS as u64,
    }
    .into()
}

fn too_many_rows(line: u64) -> Error {
    Msg::ImportTooManyRows {
        line,
        max: limits::ROWS as u64,
    }
    .into()
}

/// Drops the empty cells past [`limits::COLUMNS`], refusing a value there.
fn within_columns(mut cells: Vec<String>, line: u64) -> Result<Vec<String>> {
    if cells.len() > limits::COLUMNS {
        if let Some(extra) = cells[limits::COLUMNS..].iter().position(|c| !c.is_empty()) {
            return Err(too_many_columns(line, limits::COLUMNS + extra + 1));
        }
        cells.truncate(limits::COLUMNS);
    }
    Ok(cells)
}

/// Text from bytes: a BOM decides (UTF-8, UTF-16); else UTF-8 if it is
/// valid, else Windows-1252, what French Excel writes.
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The delimiter of the header line: the most frequent of `;` `,` tab
/// outside quotes (`,` when none).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 1)).unwrap_or(1);
    if counts[best] == 0 {
        return b',';
    }
    [b';', b',', b'\t'][best]
}

/// Line numbers from byte offsets. The csv reader's own `line()` is one
/// short after a CRLF line end (the default of Excel's CSV on Windows): it
/// places a record's start on the `\n` of the previous line's `\r\n`.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            byte: 0,
            line: 1,
        }
    }

    /// The line a record starting at `byte` (or just before its line's
    /// first character) is on; offsets must not decrease.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > self.byte {
            self.line += self.text[self.byte..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = at;
        }
        self.line
    }
}

/// Refuses a CSV line (a record, quoted line breaks included) longer than
/// [`limits::LINE_BYTES`] or more lines than [`limits::ROWS`], before the
/// csv reader holds any: it keeps a whole record in memory, with a word
/// per field. The same parser as the csv reader's, so the same records.
fn check_csv_shape(text: &[u8], delimiter: u8) -> Result<()> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = [0u8; 4096];
    let mut lines = LineCounter::new(text);
    let (mut at, mut start, mut records) = (0usize, 0usize, 0usize);
    loop {
        let (result, read, _) = reader.read_field(&text[at..], &mut out);
        at += read;
        if at - start > limits::LINE_BYTES {
            return Err(Msg::ImportLineTooLong {
                line: lines.line_at(start as u64),
                max_kb: (limits::LINE_BYTES / 1024) as u64,
            }
            .into());
        }
        match result {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end: false } => {}
            csv_core::ReadFieldResult::Field { record_end: true } => {
                records += 1;
                if records > limits::ROWS + 1 {
                    return Err(too_many_rows(lines.line_at(start as u64)));
                }
                start = at;
            }
            csv_core::ReadFieldResult::End => return Ok(()),
        }
    }
}

fn read_csv(text: &str) -> Result<Table> {
    let delimiter = detect_delimiter(text);
    check_csv_shape(text.as_bytes(), delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::from(Msg::CsvUnreadable {
                line,
                detail: e.to_string(),
            })
        })?;
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte()))
            .unwrap_or(0);
        // Our own exports guard formula-like cells with a `'`: read them back as typed.
        let cells: Vec<String> = record
            .iter()
            .map(|c| crate::csv_safe::unguard(c.trim()).trim().to_string())
            .collect();
        let cells = within_columns(cells, line)?;
        if headers.is_none() {
            headers = Some(cells);
        } else if rows.len() == limits::ROWS {
            return Err(too_many_rows(line));
        } else {
            rows.push((line, cells));
        }
    }
    let headers = headers.ok_or_else(|| Error::from(Msg::ImportEmpty {}))?;
    Ok(Table { headers, rows })
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> Option<String> {
    let base = jiff::civil::date(1899, 12, 30);
    let days = serial.floor() as i64;
    base.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
        .map(|d| d.to_string())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            crate::csv_safe::unguard(s.trim()).trim().to_string()
        }
        Data::Int(i) => i.to_string(),
        // Phone and document numbers typed into Excel become numbers.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Refuses an XLSX file (a ZIP archive) whose parts unpack to more than
/// [`limits::XLSX_UNPACKED_BYTES`], or to more than [`limits::XLSX_RATIO`]
/// times its size (a zip bomb), by unpacking them into nothing: the sizes
/// an archive declares may lie.
fn check_zip(bytes: &[u8]) -> Result<()> {
    let unreadable = |e: zip::result::ZipError| {
        Error::from(Msg::XlsxUnreadable {
            detail: e.to_string(),
        })
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if zip.len() > limits::XLSX_PARTS {
        return Err(Msg::XlsxParts {
            parts: zip.len() as u64,
            max: limits::XLSX_PARTS as u64,
        }
        .into());
    }
    let allowed = (bytes.len() as u64)
        .saturating_mul(limits::XLSX_RATIO)
        .clamp(limits::XLSX_RATIO_FLOOR, limits::XLSX_UNPACKED_BYTES);
    let refused = || {
        Error::from(Msg::XlsxUnpacked {
            mb: mib(allowed),
            ratio: limits::XLSX_RATIO,
            max_mb: mib(limits::XLSX_UNPACKED_BYTES),
        })
    };
    if zip
        .decompressed_size()
        .is_some_and(|n| n > u128::from(allowed))
    {
        return Err(refused());
    }
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(unreadable)?;
        let left = allowed - unpacked;
        let n = std::io::copy(
            &mut std::io::Read::take(part, left + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| {
            Error::from(Msg::XlsxUnreadable {
                detail: e.to_string(),
            })
        })?;
        if n > left {
            return Err(refused());
        }
        unpacked += n;
    }
    Ok(())
}

/// The first sheet, streamed cell by cell: a sheet's declared size (or its
/// farthest cell) may be the whole 1,048,576 × 16,384 grid, which a dense
/// range would allocate. Values past [`limits::ROWS`] rows or
/// [`limits::COLUMNS`] columns are refused as soon as they are met.
fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    check_zip(bytes)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| {
            Error::from(Msg::XlsxUnreadable {
                detail: e.to_string(),
            })
        })?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| Error::from(Msg::XlsxNoSheet {}))?;
    let unreadable = |e: calamine::XlsxError| {
        Error::from(Msg::XlsxSheetUnreadable {
            detail: e.to_string(),
        })
    };
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    // (row, column) → text, of the cells holding something.
    let mut values: std::collections::BTreeMap<(u32, u32), String> = Default::default();
    let (mut top, mut left) = (u32::MAX, u32::MAX);
    let (mut bottom, mut right) = (0u32, 0u32);
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        (top, left) = (top.min(row), left.min(col));
        (bottom, right) = (bottom.max(row), right.max(col));
        if (right - left) as usize >= limits::COLUMNS {
            return Err(too_many_columns(
                u64::from(row) + 1,
                (right - left) as usize + 1,
            ));
        }
        if (bottom - top) as usize > limits::ROWS {
            return Err(too_many_rows(u64::from(bottom) + 1));
        }
        values.insert((row, col), text);
    }
    if values.is_empty() {
        return Err(Msg::XlsxSheetEmpty {}.into());
    }
    let width = (right - left) as usize + 1;
    let mut headers = vec![String::new(); width];
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for ((row, col), text) in values {
        let i = (col - left) as usize;
        if row == top {
            headers[i] = text;
            continue;
        }
        let line = u64::from(row) + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            rows.push((line, Vec::new()));
        }
        if let Some((_, cells)) = rows.last_mut() {
            if cells.len() <= i {
                cells.resize(i + 1, String::new());
            }
            cells[i] = text;
        }
    }
    Ok(Table { headers, rows })
}

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

/// One refused cell or row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportError {
    #[ts(type = "number")]
    pub line: u64,
    /// The column's header as written in the file; `None` for the row.
    pub column: Option<String>,
    /// The cell as written in the file; `None` for the row.
    pub value: Option<String>,
    /// Why, for a UI to say in its language.
    pub problem: FieldProblem,
    /// Why, in English (logs, scripts).
    pub message: String,
}

impl ImportError {
    /// The line, the column and the problem in `lang`, as the CLI prints it.
    pub fn text(&self, lang: Lang) -> String {
        let problem = self.problem.text(lang);
        match (&self.column, lang) {
            (Some(c), Lang::Fr) => format!("ligne {}, {c} : {problem}", self.line),
            (Some(c), Lang::En) => format!("line {}, {c}: {problem}", self.line),
            (None, Lang::Fr) => format!("ligne {} : {problem}", self.line),
            (None, Lang::En) => format!("line {}: {problem}", self.line),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
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

/// The changes an import makes.
#[derive(Debug, Default)]
pub struct Plan {
    pub creates: Vec<NewAttendee>,
    /// The existing attendee, its new fields, the names of what changed.
    pub updates: Vec<(Attendee, NewAttendee, Vec<&'static str>)>,
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

pub(crate) fn parse_days(value: &str) -> std::result::Result<Vec<Date>, FieldProblem> {
    value
        .split([' ', ',', ';', '|'])
        .filter(|s| !s.is_empty())
        .map(|d| {
            if let Ok(date) = d.parse::<Date>() {
                return Ok(date);
            }
            // French writing: 11/11/2025.
            let parts: Vec<&str> = d.split(['/', '.']).collect();
            if let [dd, mm, yyyy] = parts.as_slice() {
                if let (Ok(dd), Ok(mm), Ok(yyyy)) = (dd.parse(), mm.parse(), yyyy.parse()) {
                    if let Ok(date) = Date::new(yyyy, mm, dd) {
                        return Ok(date);
                    }
                }
            }
            Err(FieldProblem::NotADate { value: d.into() })
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
    let mut plan = Plan::default();
    let position = mapping.positions(&table.headers)?;
    for (i, h) in table.headers.iter().enumerate() {
        let mapped = mapping.0.get(i).copied().flatten();
        if mapped.is_none() && !h.is_empty() && column_for(h) != Some(Column::Ignored) {
            plan.ignored_columns.push(h.clone());
        }
    }
    let header = |c: Column| position.get(&c).map(|&i| table.headers[i].clone());
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut seen_existing: HashMap<usize, u64> = HashMap::new();

    for (line, cells) in &table.rows {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let line = *line;
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
            continue;
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
            continue;
        }
        let Some(checked) = checked else { continue };
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
    Ok(plan)
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
    let plan = plan_with(&table, mapping, &event, &existing)?;
    let mut report = ImportReport {
        created: plan.creates.len(),
        updated: plan.updates.len(),
        unchanged: plan.unchanged,
        invalid: plan.invalid,
        errors: plan.errors,
        ignored_columns: plan.ignored_columns,
        written: false,
    };
    let refused = report.invalid > 0 && !options.skip_invalid;
    if options.dry_run || refused || report.created + report.updated == 0 {
        return Ok(report);
    }

    let mut tx = store.write().await?;
    attendee::large_write_cache(&mut tx, true).await?;
    let serials = attendee::allocate_serials(
        &mut tx,
        &event.serial_prefix,
        u32::try_from(plan.creates.len()).map_err(|_| Error::from(Msg::ImportTooManyAtOnce {}))?,
    )
    .await?;
    let created: Vec<Attendee> = plan
        .creates
        .into_iter()
        .zip(serials)
        .map(|(f, s)| attendee::fresh(f, s, Status::Preregistered, actor, now))
        .collect();
    let updated: Vec<Attendee> = plan
        .updates
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
            a.updated_at = now;
            a.updated_by = actor.into();
            a
        })
        .collect();
    let mut wanted: Vec<(&str, Option<&str>)> = created
        .iter()
        .chain(&updated)
        .filter_map(|a| a.delegation.as_deref().map(|d| (d, a.country.as_deref())))
        .collect();
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    let ids = attendee::delegation_ids(&mut tx, &wanted, now).await?;
    fn writes<'a>(list: &'a [Attendee], ids: &'a HashMap<String, String>) -> Vec<Write<'a>> {
        list.iter()
            .map(|a| Write {
                attendee: a,
                delegation_id: a.delegation.as_ref().and_then(|d| ids.get(d)),
                photo: None,
            })
            .collect()
    }
    let total = created.len() + updated.len();
    // A large import into a smaller registry builds the attendee indexes
    // once, after its rows (the same transaction: all or nothing still).
    let indexes = if created.len() >= BULK_ROWS && created.len() >= existing.attendees.len() {
        Some(attendee::drop_indexes(&mut tx).await?)
    } else {
        None
    };
    attendee::insert_many(&mut tx, &writes(&created, &ids), now, &mut |n| {
        progress(n, total)
    })
    .await?;
    if let Some(indexes) = indexes {
        attendee::build_indexes(&mut tx, indexes).await?;
    }
    let old: Vec<&Attendee> = plan.updates.iter().map(|(a, _, _)| a).collect();
    attendee::update_many(&mut tx, &writes(&updated, &ids), &old, now).await?;
    progress(total, total);
    audit::append(
        &mut tx,
        now,
        actor,
        "attendee.import",
        &json!({
            "file": file_name,
            "created": created.iter().map(|a| a.serial.as_str()).collect::<Vec<_>>(),
            "updated": plan.updates.iter().map(|(a, _, changed)| json!({
                "serial": a.serial, "changed": changed
            })).collect::<Vec<_>>(),
            "unchanged": report.unchanged,
            "invalid": report.invalid,
        }),
    )
    .await?;
    let done = tx.commit().await;
    // Back to the default whether or not the commit worked.
    if let Ok(mut conn) = store.write().await {
        let _ = attendee::large_write_cache(&mut conn, false).await;
        let _ = conn.commit().await;
    }
    done?;
    report.written = true;
    let screened: Vec<&str> = created
        .iter()
        .chain(&updated)
        .map(|a| a.serial.as_str())
        .collect();
    crate::registry::screening::after_write(store, &screened, actor, now).await;
    Ok(report)
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
