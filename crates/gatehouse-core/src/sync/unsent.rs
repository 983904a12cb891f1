//! What a damaged station holds that the hub does not, counted: the figure a
//! refusal to replace or re-pair it carries (plain data, no storage).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lang::Lang;

/// What a damaged station holds that the hub does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Unsent {
    /// Scans recorded here that have not reached the hub.
    #[ts(type = "number")]
    pub scans: u64,
    /// Other entries (badge issues, audit entries, edits…) not sent.
    #[ts(type = "number")]
    pub other: u64,
    /// Part of the database could not be read: there may be more.
    pub partial: bool,
}

impl Unsent {
    /// "12 contrôles enregistrés ici et 3 autres entrées n'ont pas atteint le hub".
    pub fn words(&self, lang: Lang) -> String {
        let (s, o) = (self.scans, self.other);
        match lang {
            Lang::Fr => format!(
                "{s} contrôle{} enregistré{} ici et {o} autre{} entrée{} n'ont pas atteint le hub{}",
                pluriel(s),
                pluriel(s),
                pluriel(o),
                pluriel(o),
                if self.partial {
                    " (au moins : une partie de la base est illisible)"
                } else {
                    ""
                }
            ),
            Lang::En => format!(
                "{s} scan{} recorded here and {o} other entr{} have not reached the hub{}",
                plural(s),
                if o == 1 { "y" } else { "ies" },
                if self.partial {
                    " (at least: part of the database cannot be read)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// French: 0 and 1 take the singular.
fn pluriel(n: u64) -> &'static str {
    if n >= 2 {
        "s"
    } else {
        ""
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
