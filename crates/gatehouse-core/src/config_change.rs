//! One difference between two states of the configuration (the event, its
//! days, zones and categories, the staff accounts), as plain data a screen
//! lists in its own language. A save refused because another console changed
//! something carries them; the console's diffing in `console::setup` makes them.

use serde::Serialize;
use ts_rs::TS;

/// Which part of the configuration a [`ConfigChange`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConfigSection {
    Event,
    Day,
    Zone,
    Category,
    Staff,
}

/// What happened to the item a [`ConfigChange`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// A zone taken out: kept, closed, its bit never given again.
    Retired,
    /// One field of it: `field`, `before` → `after`.
    Changed,
    /// Only the order of the zones or categories.
    Reordered,
}

/// One difference between two states of the configuration, as a screen
/// lists it in its own language: which item (`section` and `key`: a day's
/// date, a zone's or category's code, an account's name; empty for the
/// event itself), which field, its value before and after as plain text
/// (lists joined by ", ", nothing for no value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConfigChange {
    pub section: ConfigSection,
    pub key: String,
    pub kind: ChangeKind,
    pub field: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl ConfigChange {
    /// One line in English, for logs and the CLI.
    pub fn english(&self) -> String {
        let what = match self.section {
            ConfigSection::Event => "event",
            ConfigSection::Day => "day",
            ConfigSection::Zone => "zone",
            ConfigSection::Category => "category",
            ConfigSection::Staff => "account",
        };
        let item = if self.key.is_empty() {
            what.to_string()
        } else {
            format!("{what} {}", self.key)
        };
        let val = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        match self.kind {
            ChangeKind::Added => format!("{item} added"),
            ChangeKind::Removed => format!("{item} removed"),
            ChangeKind::Retired => format!("{item} retired"),
            ChangeKind::Reordered => format!("{item}: new order"),
            ChangeKind::Changed => format!(
                "{item} {}: {} → {}",
                self.field.as_deref().unwrap_or(""),
                val(&self.before),
                val(&self.after)
            ),
        }
    }
}
