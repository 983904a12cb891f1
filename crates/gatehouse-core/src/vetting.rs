//! Security vetting as plain rules (issue 16): a person's accreditation
//! status beside their badge status, the moves a vetting decision may make,
//! whether a badge may print, and what a gate needs to know.
//!
//! `applied → in_review → cleared | refused | more_info`. A person is
//! `applied` until the first decision; a refusal is final (it revokes the
//! badge). The status is the latest decision (by time, then id), so the
//! decisions travel as immutable records, like revocations, and every
//! station holding the same decisions shows the same status.
//!
//! Pure: no storage, no clock (`now` comes with each decision).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::event::{CategoryCode, EventInfo};
use crate::messages::Msg;

pub use crate::accreditation::{Accreditation, StatusWord};

pub use crate::event::HoldPolicy;

/// Whether holders of `category` must be cleared before their badge is
/// valid, under the event's policy.
pub fn required(event: &EventInfo, category: &CategoryCode) -> bool {
    event.vetting != HoldPolicy::Off
        && event
            .categories
            .iter()
            .any(|c| &c.code == category && c.vetting)
}

/// The policy and requirement for one person: a watchlist hit above the
/// threshold ("held for review", set by screening on an organiser station)
/// puts anyone under vetting, and such a badge does not print until
/// cleared even when the event holds no category.
pub fn for_person(policy: HoldPolicy, required: bool, held_for_review: bool) -> (HoldPolicy, bool) {
    if held_for_review {
        let policy = if policy == HoldPolicy::Off {
            HoldPolicy::NoPrint
        } else {
            policy
        };
        (policy, true)
    } else {
        (policy, required)
    }
}

/// The categories a gate holds badges of until cleared (none when vetting
/// is off).
pub fn held_categories(event: &EventInfo) -> std::collections::BTreeSet<CategoryCode> {
    if event.vetting == HoldPolicy::Off {
        return Default::default();
    }
    event
        .categories
        .iter()
        .filter(|c| c.vetting)
        .map(|c| c.code.clone())
        .collect()
}

/// One decision as recorded and synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "VettingDecision")]
pub struct Decision {
    pub id: String,
    pub serial: String,
    pub status: Accreditation,
    pub reason: String,
    /// Unix milliseconds (orders decisions across stations).
    #[ts(type = "number")]
    pub at_ms: i64,
    pub by: String,
}

/// The status the decisions make: the latest by time, then by id;
/// `applied` when there is none.
pub fn current<'a>(decisions: impl IntoIterator<Item = &'a Decision>) -> Accreditation {
    decisions
        .into_iter()
        .max_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)))
        .map_or(Accreditation::Applied, |d| d.status)
}

/// Whether a decision may move `from` to `to`, with a reason: `Ok` or the
/// refusal to show.
pub fn transition(
    serial: &str,
    from: Accreditation,
    to: Accreditation,
    reason: &str,
) -> Result<()> {
    use Accreditation::*;
    if reason.trim().is_empty() {
        return Err(Msg::VettingReasonMissing {}.into());
    }
    let allowed = match (from, to) {
        (_, Applied) => false,
        (Refused, _) => false,
        (a, b) if a == b => false,
        (Applied | MoreInfo | Cleared, InReview) => true,
        (Applied | InReview | MoreInfo, Cleared | Refused | MoreInfo) => true,
        // A cleared person may still be refused or asked for more (a late
        // finding); either holds the badge again.
        (Cleared, Refused | MoreInfo) => true,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Msg::VettingTransition {
            serial: serial.to_string(),
            from: StatusWord(from),
            to: StatusWord(to),
        }
        .into())
    }
}

/// What the desk may do with a badge of a person in `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintRule {
    /// Print as usual.
    Print,
    /// Print, marked as held: gates refuse it until cleared.
    PrintHeld,
    /// Do not print (refused, or not cleared under `no_print`).
    Refuse,
}

/// Whether a badge prints: a refused person never; one not cleared in a
/// category that requires vetting as the policy says.
pub fn print_rule(policy: HoldPolicy, required: bool, status: Accreditation) -> PrintRule {
    if status == Accreditation::Refused {
        return PrintRule::Refuse;
    }
    if !required || policy == HoldPolicy::Off || status == Accreditation::Cleared {
        return PrintRule::Print;
    }
    match policy {
        HoldPolicy::NoPrint => PrintRule::Refuse,
        HoldPolicy::PrintHeld | HoldPolicy::Off => PrintRule::PrintHeld,
    }
}

/// Whether one person's badge prints: the event's policy and their
/// category's vetting, screening's hold (`held_for_review`) and their status.
/// What the desk, the batch and the CLI all ask.
pub fn print_rule_for(
    event: &EventInfo,
    category: &CategoryCode,
    held_for_review: bool,
    status: Accreditation,
) -> PrintRule {
    let (policy, required) = for_person(event.vetting, required(event, category), held_for_review);
    print_rule(policy, required, status)
}

/// The refusal a desk shows for a badge that does not print.
pub fn print_refusal(serial: &str, status: Accreditation) -> crate::error::Error {
    Msg::VettingNoPrint {
        serial: serial.to_string(),
        status: StatusWord(status),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::Accreditation::*;
    use super::*;

    fn d(id: &str, at_ms: i64, status: Accreditation) -> Decision {
        Decision {
            id: id.into(),
            serial: "BMX-000001".into(),
            status,
            reason: "r".into(),
            at_ms,
            by: "x".into(),
        }
    }

    #[test]
    fn the_latest_decision_is_the_status_wherever_they_arrive_in_any_order() {
        assert_eq!(current(&[]), Applied);
        let all = [d("a", 1, InReview), d("c", 3, Cleared), d("b", 2, MoreInfo)];
        assert_eq!(current(&all), Cleared);
        let mut rev = all.clone();
        rev.reverse();
        assert_eq!(current(&rev), Cleared);
        // Same instant: the id decides, the same everywhere.
        assert_eq!(current(&[d("b", 5, Refused), d("a", 5, Cleared)]), Refused);
    }

    #[test]
    fn decisions_follow_the_workflow_and_a_refusal_is_final() {
        assert!(transition("BMX-000001", Applied, InReview, "sent").is_ok());
        assert!(transition("BMX-000001", Applied, Cleared, "ok").is_ok());
        assert!(transition("BMX-000001", InReview, MoreInfo, "passport copy").is_ok());
        assert!(transition("BMX-000001", MoreInfo, Cleared, "ok").is_ok());
        assert!(transition("BMX-000001", Cleared, Refused, "late finding").is_ok());
        for to in Accreditation::ALL {
            assert!(
                transition("BMX-000001", Refused, to, "again").is_err(),
                "refused → {to:?}"
            );
            assert!(transition("BMX-000001", to, Applied, "back").is_err());
        }
        let e = transition("BMX-000001", Cleared, Cleared, "twice").expect_err("same status");
        assert!(e.to_string().contains("cleared"), "{e}");
        let e = transition("BMX-000001", Applied, Cleared, "  ").expect_err("no reason");
        assert_eq!(e.key(), Some("vetting_reason_missing"));
    }

    #[test]
    fn badges_print_as_the_organiser_chose() {
        use HoldPolicy::*;
        assert_eq!(print_rule(Off, true, Applied), PrintRule::Print);
        assert_eq!(print_rule(Off, true, Refused), PrintRule::Refuse);
        assert_eq!(print_rule(NoPrint, true, InReview), PrintRule::Refuse);
        assert_eq!(print_rule(NoPrint, false, InReview), PrintRule::Print);
        assert_eq!(print_rule(NoPrint, true, Cleared), PrintRule::Print);
        assert_eq!(print_rule(PrintHeld, true, MoreInfo), PrintRule::PrintHeld);
        assert_eq!(print_rule(PrintHeld, true, Refused), PrintRule::Refuse);
        assert_eq!(print_rule(PrintHeld, false, Refused), PrintRule::Refuse);
    }

    #[test]
    fn statuses_read_back_as_written() {
        for a in Accreditation::ALL {
            assert_eq!(Accreditation::parse(a.as_str()), Some(a));
        }
        assert_eq!(Accreditation::parse("In-Review"), Some(InReview));
        assert_eq!(Accreditation::parse("ok"), None);
    }
}
