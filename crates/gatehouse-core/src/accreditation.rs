//! Where a person stands with the security services, and in words (a leaf:
//! the catalogue names it; `vetting` holds the rules).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a person stands with the security services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Accreditation {
    Applied,
    InReview,
    Cleared,
    Refused,
    MoreInfo,
}

impl Accreditation {
    pub const ALL: [Accreditation; 5] = [
        Accreditation::Applied,
        Accreditation::InReview,
        Accreditation::Cleared,
        Accreditation::Refused,
        Accreditation::MoreInfo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Accreditation::Applied => "applied",
            Accreditation::InReview => "in_review",
            Accreditation::Cleared => "cleared",
            Accreditation::Refused => "refused",
            Accreditation::MoreInfo => "more_info",
        }
    }

    /// As stored and as typed (`in_review`, also `in-review`).
    pub fn parse(s: &str) -> Option<Accreditation> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Accreditation::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// In words, for a screen, a CLI line or a spreadsheet.
    pub fn words(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Accreditation::Applied => lang.pick("demandée", "applied for"),
            Accreditation::InReview => lang.pick("en cours d'examen", "in review"),
            Accreditation::Cleared => lang.pick("accordée", "cleared"),
            Accreditation::Refused => lang.pick("refusée", "refused"),
            Accreditation::MoreInfo => {
                lang.pick("en attente d'informations", "waiting for more information")
            }
        }
    }

    /// Whether a decision may still change it (a refusal is final).
    pub fn is_final(self) -> bool {
        self == Accreditation::Refused
    }
}

/// An accreditation status in words, as a message parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusWord(pub Accreditation);

impl Default for StatusWord {
    fn default() -> Self {
        StatusWord(Accreditation::Applied)
    }
}

impl crate::say::Say for StatusWord {
    fn say(&self, lang: crate::lang::Lang) -> String {
        self.0.words(lang).to_string()
    }
}
