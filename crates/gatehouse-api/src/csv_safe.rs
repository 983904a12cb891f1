//! The formula-injection guard for every spreadsheet we write (CSV and XLSX):
//! a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! written with a leading `'`, so that Excel or LibreOffice shows it as text
//! instead of running it as a formula (OWASP, "CSV Injection"). A name typed
//! at the desk or imported from a partner's file must never become
//! `=HYPERLINK(…)` on the organiser's laptop.
//!
//! [`unguard`] is the inverse, for the importer: an exported file re-imports
//! onto the same values (a phone number `+223 …` is exported as `'+223 …`
//! and read back as `+223 …`). So that every text round-trips, a text that
//! already starts with `'` and one of those characters gets a `'` too.

use std::borrow::Cow;

/// The first characters a spreadsheet may read as the start of a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as it is safe to put in a spreadsheet cell.
pub fn guard(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell read back from a file we (or a careful tool) guarded: the `'` added
/// by [`guard`] is removed; anything else is returned as it is.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

/// Starts with a trigger, after any number of `'`: what [`guard`] prefixes.
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_read_back_as_typed() {
        for (typed, written) in [
            (
                "=HYPERLINK(\"http://x\",\"clic\")",
                "'=HYPERLINK(\"http://x\",\"clic\")",
            ),
            ("+223 76 12 34 56", "'+223 76 12 34 56"),
            ("-Ali", "'-Ali"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\r=1", "'\r=1"),
            ("'-", "''-"),
        ] {
            assert_eq!(guard(typed), written);
            assert_eq!(unguard(written), typed);
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "Aïssata Goïta",
            "",
            "'",
            "'quoted'",
            "O'Neill",
            "1+1",
            "a=b",
            "BMX-000042",
        ] {
            assert!(matches!(guard(text), Cow::Borrowed(_)), "{text:?}");
            assert_eq!(unguard(text), text);
        }
    }
}
