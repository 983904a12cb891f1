//! A spreadsheet as organisers have it, decoded: CSV (UTF-8 with or without
//! BOM, UTF-16, Windows-1252; `,` `;` or tab, detected; quoted fields) or
//! XLSX, read within [`limits`] so a hostile file is refused before it
//! costs the station its memory. Also what both imports (the registry's,
//! [`super::import`], and the watchlist's, [`super::screening`]) refuse a
//! cell with ([`ImportError`]) and the dates they both read. Pure: bytes in,
//! a [`Table`] out.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiff::civil::Date;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::Msg;
use crate::registry::problem::FieldProblem;

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

pub(super) fn read_csv(text: &str) -> Result<Table> {
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
pub(super) fn excel_date(serial: f64) -> Option<String> {
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
