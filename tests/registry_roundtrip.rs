//! Export → import round-trips every field: names in any script with
//! quotes, apostrophes and delimiters, multi-line notes, overrides; in CSV
//! (French `;` and English `,`) and XLSX. Re-importing an export onto the
//! same attendees changes nothing; into an empty registry it recreates them.

mod registry_common;

use gatehouse::demo::{bamex25, BAMEX25_FIRST_DAY};
use gatehouse::event::EventInfo;
use gatehouse::lang::Lang;
use gatehouse::registry::attendee::{check, Attendee, NewAttendee, Status};
use gatehouse::registry::{country, export, import};
use gatehouse::serial::BadgeSerial;
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

/// Text as people type it: letters of any script, spaces, apostrophes,
/// quotes, the three delimiters' cousins (`;` `,`) and hyphens.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[\\p{{L}}\\p{{M}}'\" ;,.-]{{0,{max}}}"))
        .expect("valid regex")
        .prop_map(|s| s.trim().to_string())
}

fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(s).prop_map(|o| o.filter(|s| !s.is_empty()))
}

fn fields(event: EventInfo) -> impl Strategy<Value = NewAttendee> {
    let codes: Vec<&'static str> = country::all().iter().map(|c| c.code).collect();
    let categories: Vec<String> = event
        .categories
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    let zones: Vec<String> = event.zones.iter().map(|z| z.code.to_string()).collect();
    let days: Vec<jiff::civil::Date> = event.days.iter().map(|d| d.date).collect();
    let n_zones = zones.len();
    let n_days = days.len();
    (
        (text(30), text(30), text(40), text(40)),
        (
            proptest::option::of(select(codes)),
            select(categories),
            optional(text(30)),
        ),
        (
            "([a-z]{1,8}@[a-z]{1,8}\\.ml)?",
            "(\\+[0-9]{2,3}( [0-9]{2}){4})?",
            "(Passeport|CNI)?",
            "([A-Z]{2}[0-9]{7})?",
        ),
        (
            proptest::option::of(subsequence(zones, 1..=n_zones)),
            proptest::option::of(subsequence(days, 1..=n_days)),
            proptest::string::string_regex("[\\p{L} ;,'\"\n]{0,60}").expect("valid regex"),
        ),
        proptest::option::of(0i32..36_000),
    )
        .prop_map(
            |(
                (given, family, organisation, job_title),
                (country, category, delegation),
                (email, phone, doc_type, doc_number),
                (zones, days, notes),
                born,
            )| {
                let mut n = NewAttendee::new(
                    &given,
                    if family.is_empty() {
                        "Traoré"
                    } else {
                        &family
                    },
                    category.parse().expect("category from the event"),
                );
                n.organisation = organisation;
                n.job_title = job_title;
                n.country = country.map(String::from);
                n.delegation = delegation;
                n.email = email;
                n.phone = phone;
                n.doc_type = doc_type;
                n.doc_number = doc_number;
                n.zones_override = zones.map(|z| {
                    z.iter()
                        .map(|z| z.parse().expect("zone from the event"))
                        .collect()
                });
                n.days_override = days;
                n.notes = notes.trim().to_string();
                n.birth_date = born.and_then(|d| {
                    jiff::civil::date(2000, 1, 1)
                        .checked_sub(jiff::Span::new().days(d))
                        .ok()
                });
                n
            },
        )
}

fn attendee(i: usize, f: NewAttendee, event: &EventInfo) -> Attendee {
    let mut f = check(f, event).expect("generated fields pass the checks");
    // A reference per row keeps two identical generated names apart.
    f.external_ref = Some(format!("R-{i}"));
    let at = Timestamp::UNIX_EPOCH;
    Attendee {
        id: uuid::Uuid::now_v7(),
        serial: BadgeSerial::new("BMX", i as u32 + 1).expect("serial"),
        external_ref: f.external_ref,
        given_names: f.given_names,
        family_name: f.family_name,
        organisation: f.organisation,
        job_title: f.job_title,
        country: f.country,
        category: f.category,
        delegation: f.delegation,
        email: f.email,
        phone: f.phone,
        doc_type: f.doc_type,
        doc_number: f.doc_number,
        birth_date: f.birth_date,
        zones_override: f.zones_override,
        days_override: f.days_override,
        has_photo: false,
        photo_sha256: None,
        status: Status::Preregistered,
        notes: f.notes,
        created_at: at,
        created_by: "test".into(),
        updated_at: at,
        updated_by: "test".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn export_then_import_round_trips_every_field(
        list in proptest::collection::vec(fields(bamex25(BAMEX25_FIRST_DAY).expect("event")), 1..6),
    ) {
        let event = bamex25(BAMEX25_FIRST_DAY).expect("event");
        let attendees: Vec<Attendee> =
            list.into_iter().enumerate().map(|(i, f)| attendee(i, f, &event)).collect();
        let files = [
            ("x.csv", export::to_csv(&attendees, Lang::Fr).expect("csv fr")),
            ("x.csv", export::to_csv(&attendees, Lang::En).expect("csv en")),
            ("x.xlsx", export::to_xlsx(&attendees, Lang::Fr).expect("xlsx")),
        ];
        for (name, bytes) in files {
            let table = import::read_table(&bytes, name).expect("the export reads back");
            let same = import::plan(&table, &event, &import::Existing::new(attendees.clone()))
                .expect("plan");
            prop_assert!(same.errors.is_empty(), "{name}: {:?}", same.errors);
            prop_assert_eq!(same.unchanged, attendees.len(), "{}: {:?}", name, same.updates);

            let fresh = import::plan(&table, &event, &import::Existing::new(Vec::new()))
                .expect("plan");
            prop_assert!(fresh.errors.is_empty(), "{name}: {:?}", fresh.errors);
            let want: Vec<NewAttendee> = attendees.iter().map(Attendee::fields).collect();
            prop_assert_eq!(fresh.creates, want, "{}", name);
        }
    }
}
