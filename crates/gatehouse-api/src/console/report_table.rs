//! A report as tables, as data: headings and cells, what the reports
//! ([`super::reports`]) draw up and the CSV, XLSX and PDF
//! ([`super::report_pdf`]) writers take.

/// A column of a [`Table`]: its heading in full (spreadsheets) and short
/// (the PDF's narrow columns), and whether it holds numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub short: String,
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(u32),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// One table of a report file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub headings: Vec<Heading>,
    pub rows: Vec<Vec<Cell>>,
}
