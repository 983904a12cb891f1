//! Why the registry refuses a field: [`FieldProblem`], machine-readable so
//! each shell can say it in its user's language, and [`FieldError`], the
//! problem tied to the field it concerns, with an English message for logs.
//!
//! The UI has its own translations of the same problems (its i18n keys
//! `problem.*`); [`FieldProblem::text`] is the CLI's.

use serde::Serialize;
use ts_rs::TS;

use crate::lang::Lang;

/// What is wrong with one field (or, for [`FieldProblem::SamePersonAs`],
/// one imported row). `value` is the refused value as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldProblem {
    /// A required value (the family name, an imported row's category) is empty.
    Missing,
    TooLong {
        max: u32,
    },
    /// A tab, a line break (outside the notes) or another invisible character.
    ControlCharacter,
    UnknownCategory {
        value: String,
        /// The event's categories, which a value may name by code or by
        /// name in either language.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        #[ts(as = "Option<Vec<CategoryChoice>>", optional)]
        accepted: Vec<CategoryChoice>,
        /// The accepted spelling nearest to `value`, when one is near
        /// ("Exposants" → "Exposant").
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        suggestion: Option<String>,
    },
    UnknownCountry {
        value: String,
    },
    NotAnEmail {
        value: String,
    },
    UnknownZone {
        value: String,
    },
    /// An imported day that reads as no date.
    NotADate {
        value: String,
    },
    /// A date (`YYYY-MM-DD`) that is not one of the event's days.
    DayOutsideEvent {
        value: String,
    },
    /// An imported badge number that is not one (`BMX-000042`).
    NotABadgeNumber {
        value: String,
    },
    /// An imported row that repeats the person of an earlier line.
    SamePersonAs {
        #[ts(type = "number")]
        line: u64,
    },
    /// A new PIN outside its account's rule: `min` to `max` digits for a
    /// `role` account (admins and supervisors 8, others 6).
    PinPolicy {
        role: crate::role::Role,
        min: u32,
        max: u32,
    },
}

/// A category a value may name: by its code or its name in either language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CategoryChoice {
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
}

/// The candidate nearest to `value` once both are folded (case and accents
/// aside), if it is near: an edit or two away (one for short words), or
/// beginning with `value` (at least four letters): "Exposants" → "Exposant",
/// "presse" → "Presse", "Délég" → "Délégation officielle".
pub fn nearest<'a>(value: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = super::fold::fold(value);
    let len = key.chars().count();
    if len < 2 {
        return None;
    }
    let most = if len >= 6 { 2 } else { 1 };
    candidates
        .filter_map(|c| {
            let folded = super::fold::fold(c);
            let distance = strsim::levenshtein(&key, &folded);
            if distance <= most {
                Some((distance, c))
            } else if len >= 4 && folded.starts_with(&key) {
                Some((most + 1, c))
            } else {
                None
            }
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The accepted categories as a list in `lang`: "Exposant (EXH), VIP (VIP)".
fn choices(accepted: &[CategoryChoice], lang: Lang) -> String {
    accepted
        .iter()
        .map(|c| {
            let name = match lang {
                Lang::Fr => &c.name_fr,
                Lang::En => &c.name_en,
            };
            format!("{name} ({})", c.code)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `value` quoted as the language writes it, invisible characters escaped
/// so the text stays on one line.
/// A role as the French CLI and screens name it.
pub fn role_fr(role: crate::role::Role) -> &'static str {
    use crate::role::Role;
    match role {
        Role::Admin => "organisateur",
        Role::Desk => "accueil",
        Role::Gate => "contrôle d'accès",
        Role::Supervisor => "superviseur",
        Role::Vetting => "accréditation (sécurité)",
    }
}

fn quoted(value: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("« {} »", value.escape_debug()),
        Lang::En => format!("{value:?}"),
    }
}

impl FieldProblem {
    /// The problem in `lang`, naming the value; the field itself is named
    /// by whoever shows it (a form's label, an import's column).
    pub fn text(&self, lang: Lang) -> String {
        use FieldProblem::*;
        let q = |v: &str| quoted(v, lang);
        match (self, lang) {
            (Missing, _) => lang
                .pick("valeur obligatoire manquante", "a required value is missing")
                .into(),
            (TooLong { max }, Lang::Fr) => format!("plus de {max} caractères"),
            (TooLong { max }, Lang::En) => format!("longer than {max} characters"),
            (ControlCharacter, _) => lang
                .pick(
                    "contient un caractère de contrôle (tabulation, saut de ligne…)",
                    "contains a control character (tab, line break…)",
                )
                .into(),
            (
                UnknownCategory {
                    value,
                    accepted,
                    suggestion,
                },
                _,
            ) => {
                let mut text = match lang {
                    Lang::Fr => format!("catégorie inconnue {}", q(value)),
                    Lang::En => format!("unknown category {}", q(value)),
                };
                if let Some(s) = suggestion {
                    text += &match lang {
                        Lang::Fr => format!(" : vouliez-vous dire {} ?", q(s)),
                        Lang::En => format!(": did you mean {}?", q(s)),
                    };
                }
                if !accepted.is_empty() {
                    if suggestion.is_none() {
                        text.push('.');
                    }
                    text += &match lang {
                        Lang::Fr => format!(
                            " Catégories acceptées (nom ou code) : {}",
                            choices(accepted, lang)
                        ),
                        Lang::En => format!(
                            " Accepted categories (name or code): {}",
                            choices(accepted, lang)
                        ),
                    };
                }
                text
            }
            (UnknownCountry { value }, Lang::Fr) => format!("pays inconnu {}", q(value)),
            (UnknownCountry { value }, Lang::En) => format!("unknown country {}", q(value)),
            (NotAnEmail { value }, Lang::Fr) => {
                format!("{} n'est pas une adresse e-mail", q(value))
            }
            (NotAnEmail { value }, Lang::En) => format!("{} is not an e-mail address", q(value)),
            (UnknownZone { value }, Lang::Fr) => format!("zone inconnue {}", q(value)),
            (UnknownZone { value }, Lang::En) => format!("unknown zone {}", q(value)),
            (NotADate { value }, Lang::Fr) => format!(
                "{} n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)",
                q(value)
            ),
            (NotADate { value }, Lang::En) => format!(
                "{} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
                q(value)
            ),
            (DayOutsideEvent { value }, Lang::Fr) => {
                format!("le {value} n'est pas une journée de l'événement")
            }
            (DayOutsideEvent { value }, Lang::En) => format!("{value} is not a day of the event"),
            (NotABadgeNumber { value }, Lang::Fr) => format!(
                "{} n'est pas un numéro de badge (un préfixe, un tiret et six chiffres, comme BMX-000042)",
                q(value)
            ),
            (NotABadgeNumber { value }, Lang::En) => format!(
                "invalid badge number {}: expected a prefix, a dash and six digits, like BMX-000042",
                q(value)
            ),
            (SamePersonAs { line }, Lang::Fr) => format!("la même personne qu'à la ligne {line}"),
            (SamePersonAs { line }, Lang::En) => format!("the same person as line {line}"),
            (PinPolicy { role, min, max }, Lang::Fr) => format!(
                "un PIN du rôle {} a de {min} à {max} chiffres (organisateurs et superviseurs : 8 au moins, les autres : 6)",
                role_fr(*role)
            ),
            (PinPolicy { role, min, max }, Lang::En) => format!(
                "a PIN for the {} role is {min} to {max} digits (admins and supervisors at least 8, others at least 6)",
                role.as_str()
            ),
        }
    }
}

/// One refused field: which, why, and the why in English (for logs and the
/// error's `message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: FieldProblem,
    pub message: String,
}

impl FieldError {
    /// The English message is the problem's English text.
    pub fn new(field: &'static str, problem: FieldProblem) -> FieldError {
        let message = problem.text(Lang::En);
        FieldError {
            field,
            problem,
            message,
        }
    }

    /// With a message more specific than the problem's text.
    pub fn with_message(field: &'static str, problem: FieldProblem, message: String) -> FieldError {
        FieldError {
            field,
            problem,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_reads_in_french_and_english_naming_its_value() {
        use FieldProblem::*;
        let v = || "Atlan\ttide".to_string();
        let cases = [
            (
                Missing,
                "valeur obligatoire manquante",
                "a required value is missing",
            ),
            (
                TooLong { max: 100 },
                "plus de 100 caractères",
                "longer than 100 characters",
            ),
            (
                ControlCharacter,
                "caractère de contrôle",
                "control character",
            ),
            (
                UnknownCategory {
                    value: v(),
                    accepted: Vec::new(),
                    suggestion: None,
                },
                "catégorie inconnue « Atlan\\ttide »",
                "unknown category \"Atlan\\ttide\"",
            ),
            (
                UnknownCountry { value: v() },
                "pays inconnu « Atlan\\ttide »",
                "unknown country \"Atlan\\ttide\"",
            ),
            (
                NotAnEmail { value: v() },
                "« Atlan\\ttide » n'est pas une adresse e-mail",
                "\"Atlan\\ttide\" is not an e-mail address",
            ),
            (
                UnknownZone { value: v() },
                "zone inconnue « Atlan\\ttide »",
                "unknown zone \"Atlan\\ttide\"",
            ),
            (
                NotADate { value: v() },
                "n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)",
                "is not a date (YYYY-MM-DD or DD/MM/YYYY)",
            ),
            (
                DayOutsideEvent {
                    value: "2025-12-25".into(),
                },
                "le 2025-12-25 n'est pas une journée de l'événement",
                "2025-12-25 is not a day of the event",
            ),
            (
                NotABadgeNumber { value: v() },
                "« Atlan\\ttide » n'est pas un numéro de badge",
                "invalid badge number \"Atlan\\ttide\"",
            ),
            (
                SamePersonAs { line: 2 },
                "la même personne qu'à la ligne 2",
                "the same person as line 2",
            ),
        ];
        for (problem, fr, en) in cases {
            let (f, e) = (problem.text(Lang::Fr), problem.text(Lang::En));
            assert!(f.contains(fr), "{problem:?} in French: {f}");
            assert!(e.contains(en), "{problem:?} in English: {e}");
            assert!(!f.contains('\t') && !e.contains('\t'), "{f} / {e}");
        }
    }

    #[test]
    fn an_unknown_category_lists_the_accepted_ones_and_suggests_a_near_miss() -> crate::Result<()> {
        let event = crate::demo::bamex25(crate::demo::BAMEX25_FIRST_DAY)?;
        let p = event.unknown_category("Exposants");
        let FieldProblem::UnknownCategory {
            suggestion,
            accepted,
            ..
        } = &p
        else {
            panic!("{p:?}");
        };
        assert_eq!(suggestion.as_deref(), Some("Exposant"));
        assert_eq!(accepted.len(), event.categories.len());
        let fr = p.text(Lang::Fr);
        assert!(
            fr.starts_with("catégorie inconnue « Exposants » : vouliez-vous dire « Exposant » ? Catégories acceptées (nom ou code) : Organisateur (ORG), "),
            "{fr}"
        );
        assert!(fr.contains("Exposant (EXH)"), "{fr}");
        let en = p.text(Lang::En);
        assert!(
            en.starts_with("unknown category \"Exposants\": did you mean \"Exposant\"? Accepted categories (name or code): Organiser (ORG), "),
            "{en}"
        );
        // Near: case and accents aside, an edit away, or the start of a name.
        let names = ["Presse", "Délégation officielle", "VIP"];
        assert_eq!(nearest("presse", names.into_iter()), Some("Presse"));
        assert_eq!(nearest("VIPs", names.into_iter()), Some("VIP"));
        assert_eq!(
            nearest("Delegation", names.into_iter()),
            Some("Délégation officielle")
        );
        assert_eq!(nearest("Catering", names.into_iter()), None);
        assert_eq!(nearest("X", names.into_iter()), None);
        Ok(())
    }

    #[test]
    fn the_wire_form_is_tagged_by_kind() -> Result<(), serde_json::Error> {
        let e = FieldError::new(
            "country",
            FieldProblem::UnknownCountry {
                value: "Atlantis".into(),
            },
        );
        assert_eq!(
            serde_json::to_value(&e)?,
            serde_json::json!({
                "field": "country",
                "problem": {"kind": "unknown_country", "value": "Atlantis"},
                "message": "unknown country \"Atlantis\"",
            })
        );
        assert_eq!(
            serde_json::to_value(FieldProblem::TooLong { max: 40 })?,
            serde_json::json!({"kind": "too_long", "max": 40})
        );
        Ok(())
    }
}
