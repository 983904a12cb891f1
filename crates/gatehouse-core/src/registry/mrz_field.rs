//! A field of a machine-readable zone, as a problem names it (a leaf: the
//! catalogue names it).

use serde::Serialize;
use ts_rs::TS;

use crate::lang::Lang;
use crate::say::Say;

/// A field of the MRZ, as a problem names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    DocumentType,
    IssuingState,
    Names,
    #[default]
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    /// The optional data (a passport's personal number).
    OptionalData,
    /// The composite check digit over the number, dates and optional data.
    Composite,
}

impl Say for MrzField {
    fn say(&self, lang: Lang) -> String {
        match self {
            MrzField::DocumentType => lang.pick("type de document", "document type"),
            MrzField::IssuingState => lang.pick("État émetteur", "issuing state"),
            MrzField::Names => lang.pick("nom et prénoms", "names"),
            MrzField::DocumentNumber => lang.pick("numéro du document", "document number"),
            MrzField::Nationality => lang.pick("nationalité", "nationality"),
            MrzField::BirthDate => lang.pick("date de naissance", "date of birth"),
            MrzField::Sex => lang.pick("sexe", "sex"),
            MrzField::ExpiryDate => lang.pick("date d'expiration", "expiry date"),
            MrzField::OptionalData => lang.pick("données facultatives", "optional data"),
            MrzField::Composite => lang.pick(
                "contrôle d'ensemble (numéro, dates et données facultatives)",
                "composite check (number, dates and optional data)",
            ),
        }
        .into()
    }
}
