//! The one merge rule of the replicated registry: last writer wins by hybrid
//! logical clock, per attendee field, and per whole record for the event, the
//! badge template and a staff account. Pure: the SQLite store
//! (the station's `sync::store`) and the log-level view the seeded simulation compares
//! ([`super::protocol::attendee_fields`]) both decide through it, so the
//! simulation checks the rule the stations run.

use std::collections::BTreeMap;

use super::hlc::Hlc;

/// The attendee columns that sync, all read and written as text (the photo's
/// SHA-256 as hex: the photo itself travels once as a [`SyncRecord::Photo`]).
pub const ATTENDEE_FIELDS: [&str; 26] = [
    "serial",
    "serial_no",
    "external_ref",
    "given_names",
    "family_name",
    "folded_name",
    "organisation",
    "job_title",
    "country",
    "category",
    "email",
    "phone",
    "doc_type",
    "doc_number",
    "birth_date",
    "zones_override",
    "days_override",
    "status",
    "notes",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "photo_sha256",
    "erased_at",
    // "Held for review" by watchlist screening (only an admin station sends
    // it: `policy.rs`); the watchlist itself never syncs.
    "screening",
];

/// Whether a received clock beats the one held (nothing held: it does).
/// Clocks are unique per station and tick, so two edits never tie.
pub fn wins(received: &Hlc, held: Option<&Hlc>) -> bool {
    held.is_none_or(|h| received > h)
}

/// The fields of an attendee edit stamped `hlc` that beat the clocks held
/// for them (`held`); fields that do not sync are ignored.
pub fn winning_fields<'f, 'h>(
    hlc: &Hlc,
    fields: &'f BTreeMap<String, Option<String>>,
    held: impl Fn(&str) -> Option<&'h Hlc>,
) -> Vec<(&'f str, Option<&'f str>)> {
    fields
        .iter()
        .filter(|(f, _)| ATTENDEE_FIELDS.contains(&f.as_str()))
        .filter(|(f, _)| wins(hlc, held(f)))
        .map(|(f, v)| (f.as_str(), v.as_deref()))
        .collect()
}

/// One attendee's fields as held: each field's value and the clock it was set at.
pub type Fields = BTreeMap<String, (Hlc, Option<String>)>;

/// Applies an attendee edit to the fields held in memory, by [`winning_fields`].
pub fn apply_edit(state: &mut Fields, hlc: &Hlc, fields: &BTreeMap<String, Option<String>>) {
    let won: Vec<(String, Option<String>)> =
        winning_fields(hlc, fields, |f| state.get(f).map(|(h, _)| h))
            .into_iter()
            .map(|(f, v)| (f.to_string(), v.map(str::to_string)))
            .collect();
    for (f, v) in won {
        state.insert(f, (hlc.clone(), v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs
            .iter()
            .map(|(f, v)| (f.to_string(), v.map(str::to_string)))
            .collect()
    }

    #[test]
    fn the_later_clock_wins_each_field_in_any_order_and_unknown_fields_are_ignored() {
        let early = Hlc {
            wall_ms: 1,
            counter: 0,
            station: "a".into(),
        };
        let late = Hlc {
            wall_ms: 2,
            counter: 0,
            station: "b".into(),
        };
        let one = edit(&[
            ("phone", Some("111")),
            ("email", Some("a@x.ml")),
            ("pin_hash", Some("x")),
        ]);
        let two = edit(&[("phone", Some("222"))]);
        let mut ab = Fields::new();
        apply_edit(&mut ab, &early, &one);
        apply_edit(&mut ab, &late, &two);
        let mut ba = Fields::new();
        apply_edit(&mut ba, &late, &two);
        apply_edit(&mut ba, &early, &one);
        assert_eq!(ab, ba);
        assert_eq!(ab["phone"].1.as_deref(), Some("222"));
        assert_eq!(ab["email"].1.as_deref(), Some("a@x.ml"));
        assert!(
            !ab.contains_key("pin_hash"),
            "a field that does not sync is never set"
        );
        assert!(wins(&late, Some(&early)) && !wins(&early, Some(&late)) && wins(&early, None));
    }
}
