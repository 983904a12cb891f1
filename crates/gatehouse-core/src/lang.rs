//! The product's two languages, one type for all of them: the CLI's `--lang`,
//! an HTTP request's `Accept-Language`, the words of a printed badge and of a
//! report file. Domain code names it here, never through an adapter.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// French first: the venue's language, and every default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The one of two words that is in this language.
    pub fn pick(self, fr: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// `fr` or `en`, as written on the command line and on the wire.
    pub fn code(self) -> &'static str {
        self.pick("fr", "en")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code that is neither `fr` nor `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("langue inconnue « {0} » : fr ou en / unknown language \"{0}\": fr or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Lang, UnknownLang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_others_are_refused_in_both_languages() {
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
            assert_eq!(
                serde_json::to_string(&l).ok(),
                Some(format!("\"{}\"", l.code()))
            );
        }
        assert_eq!(" EN ".parse::<Lang>(), Ok(Lang::En));
        let e = "de"
            .parse::<Lang>()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("langue inconnue « de »") && e.contains("unknown language \"de\""),
            "{e}"
        );
    }
}
