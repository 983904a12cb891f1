//! Badges for a selection of attendees (`gatehouse badges` / `gatehouse
//! print`): by badge number, category, delegation or everyone. Each badge
//! carries its current token (version 1 is issued on first print); revoked
//! badges are left out of a group selection and refused by number.

use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;

use super::{render_pdf, BadgeData, Format, Sheet};
use crate::error::{Error, Result};
use crate::event::CategoryCode;
use crate::registry::{Attendee, Status};
use crate::serial::BadgeSerial;
use crate::store::Store;

/// Which attendees' badges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Serials(Vec<BadgeSerial>),
    Category(CategoryCode),
    Delegation(String),
    All,
}

/// A rendered selection.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Rendered {
    /// The badges in the file, in page order, with the version each carries.
    pub badges: Vec<RenderedBadge>,
    /// Revoked badges a group selection left out.
    pub skipped_revoked: Vec<BadgeSerial>,
    /// Badges a group selection left out because vetting holds them back
    /// (not cleared under the event's hold policy, or held by screening).
    pub skipped_not_cleared: Vec<BadgeSerial>,
    pub format: Format,
    pub bytes: usize,
    #[serde(skip)]
    #[ts(skip)]
    pub pdf: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RenderedBadge {
    pub serial: BadgeSerial,
    pub version: u32,
    pub name: String,
}

/// The attendees a selection names, in badge-number order (numbers given:
/// in the order given), and the revoked ones a group selection left out.
/// One query whatever the size of the selection.
pub async fn attendees(
    store: &Store,
    selection: &Selection,
) -> Result<(Vec<Attendee>, Vec<BadgeSerial>)> {
    use crate::registry::attendee;
    let pool = store.read();
    let chosen = match selection {
        Selection::Serials(serials) => {
            let found: std::collections::HashMap<BadgeSerial, Attendee> =
                attendee::by_serials(pool, serials)
                    .await?
                    .into_iter()
                    .map(|a| (a.serial.clone(), a))
                    .collect();
            // Each number as many times as it was given, in that order.
            let out = serials
                .iter()
                .map(|s| {
                    found.get(s).cloned().ok_or_else(|| {
                        Error::from(crate::messages::Msg::NoAttendee {
                            serial: s.to_string(),
                        })
                    })
                })
                .collect::<Result<_>>()?;
            return Ok((out, Vec::new()));
        }
        Selection::All => attendee::all(pool).await?,
        Selection::Category(c) => attendee::in_category(pool, c).await?,
        Selection::Delegation(d) => attendee::in_delegation(pool, d.trim()).await?,
    };
    let (revoked, kept): (Vec<_>, Vec<_>) = chosen
        .into_iter()
        .partition(|a| a.status == Status::Revoked);
    if kept.is_empty() {
        return Err(match selection {
            Selection::Category(c) => crate::messages::Msg::NoPrintableInCategory {
                category: c.to_string(),
            },
            Selection::Delegation(d) => crate::messages::Msg::NoPrintableInDelegation {
                delegation: d.to_string(),
            },
            _ => crate::messages::Msg::NoPrintableInEvent {},
        }
        .into());
    }
    Ok((kept, revoked.into_iter().map(|a| a.serial).collect()))
}

/// Lays out and renders the selection's badges into one PDF. The selection,
/// its tokens (issuing version 1 where needed, in one transaction) and its
/// photos are read in a few set-based queries, not per badge.
pub async fn render(
    store: &Store,
    selection: &Selection,
    format: Format,
    sheet: Sheet,
    now: Timestamp,
    actor: &str,
) -> Result<Rendered> {
    let event = crate::event_store::load(store.read()).await?;
    let template = crate::badge::template_store::current(store.read()).await?;
    let (chosen, skipped_revoked) = attendees(store, selection).await?;
    // Vetting: a badge that may not print yet is left out of a group (and
    // listed), and refuses a batch that names it; under `print_held` it
    // prints with the held banner. One query for the whole selection.
    let standing = crate::vetting_store::standing_all(store.read()).await?;
    let mut skipped_not_cleared = Vec::new();
    let mut held = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(chosen.len());
    for a in chosen {
        let (status, screened) = standing
            .get(a.serial.as_str())
            .copied()
            .unwrap_or((crate::vetting::Accreditation::Applied, false));
        match crate::vetting::print_rule_for(&event, &a.category, screened, status) {
            crate::vetting::PrintRule::Refuse => {
                if matches!(selection, Selection::Serials(_)) {
                    return Err(crate::vetting::print_refusal(a.serial.as_str(), status));
                }
                skipped_not_cleared.push(a.serial.clone());
            }
            crate::vetting::PrintRule::PrintHeld => {
                held.insert(a.serial.clone());
                kept.push(a);
            }
            crate::vetting::PrintRule::Print => kept.push(a),
        }
    }
    if kept.is_empty() {
        return Err(crate::messages::Msg::NoPrintableInEvent {}.into());
    }
    let chosen = kept;
    let issued = crate::badge_issue::tokens(store, &event, &chosen, now, actor).await?;
    let serials: Vec<BadgeSerial> = chosen.iter().map(|a| a.serial.clone()).collect();
    let photos = crate::registry::attendee::photos(store.read(), &serials).await?;
    let data = chosen
        .iter()
        .zip(&issued)
        .map(|(a, issued)| {
            let photo = photos.get(&a.serial).cloned();
            let mut one = crate::desk::badge_data_with(&event, a, issued, &template, photo)?;
            one.held = held.contains(&a.serial);
            Ok(one)
        })
        .collect::<Result<Vec<BadgeData>>>()?;
    let badges = data
        .iter()
        .map(|d| RenderedBadge {
            serial: d.serial.clone(),
            version: d.version,
            name: d.full_name(),
        })
        .collect();
    let pdf = tokio::task::spawn_blocking(move || render_pdf(&data, &template, format, sheet))
        .await
        .map_err(|e| Error::Internal(format!("badge rendering failed: {e}")))??;
    Ok(Rendered {
        badges,
        skipped_revoked,
        skipped_not_cleared,
        format,
        bytes: pdf.len(),
        pdf,
    })
}
