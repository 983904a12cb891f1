//! A gate officer sees what a gate needs of a badge's holder (name, photo,
//! category, organisation, badge status), never contact details or the
//! identity document; and every read of a document number is audited,
//! naming the badge, never the person.

mod http_support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gatehouse::http::{router, Hosts};
use gatehouse::registry::attendee;
use tower::ServiceExt;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// `POST /api/op/{name}` with `args` as the signed-in `token`.
async fn op(
    api: &Arc<gatehouse::Api>,
    token: &str,
    name: &str,
    args: serde_json::Value,
) -> TestResult<(StatusCode, String)> {
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/op/{name}"))
        .header("host", "127.0.0.1:8080")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(args.to_string()))?;
    let r = router(api.clone(), Hosts::loopback()).oneshot(req).await?;
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), 4 << 20).await?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

async fn document_reads(api: &gatehouse::Api) -> TestResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT actor, detail FROM audit WHERE action = 'attendee.document_read' ORDER BY seq",
    )
    .fetch_all(api.store().read())
    .await?)
}

#[tokio::test]
async fn a_gate_sees_the_holder_not_the_record_and_document_reads_are_audited() -> TestResult {
    let dir = tempfile::tempdir()?;
    let now = jiff::Timestamp::now();
    let api = gatehouse::Api::open(&dir.path().join("g.db"), Default::default()).await?;
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(api.store(), 20, 7, now).await?;
    let people = attendee::all(api.store().read()).await?;
    let person = people
        .iter()
        .find(|a| !a.doc_number.is_empty() && !a.phone.is_empty() && a.has_photo)
        .ok_or("no demo person with a document, a phone and a photo")?;
    let api = Arc::new(api);
    let gate = http_support::demo_sign_in(&api, "gate", "gate", now)
        .await?
        .token;
    let desk = http_support::demo_sign_in(&api, "desk", "desk", now)
        .await?
        .token;
    let serial = person.serial.as_str();

    // The whole record and the search are the desk's.
    for (name, args) in [
        ("get_attendee", serde_json::json!({ "serial": serial })),
        ("search_attendees", serde_json::json!({ "query": "a" })),
    ] {
        let (status, body) = op(&api, &gate, name, args).await?;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
        assert!(!body.contains(&person.doc_number) && !body.contains(&person.phone));
    }
    // The holder: who they are, nothing to reach or identify them by.
    let (status, body) = op(
        &api,
        &gate,
        "holder",
        serde_json::json!({ "serial": serial }),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let holder: serde_json::Value = serde_json::from_str(&body)?;
    assert_eq!(holder["family_name"], person.family_name.as_str());
    assert_eq!(holder["organisation"], person.organisation.as_str());
    assert_eq!(holder["category"], person.category.as_str());
    assert_eq!(holder["status"], serde_json::to_value(person.status)?);
    for field in [
        "doc_number",
        "doc_type",
        "phone",
        "email",
        "notes",
        "external_ref",
    ] {
        assert!(holder.get(field).is_none(), "{field} in {body}");
    }
    assert!(
        !body.contains(&person.doc_number) && !body.contains(&person.phone),
        "{body}"
    );
    if !person.email.is_empty() {
        assert!(!body.contains(&person.email), "{body}");
    }
    // What the gate screen calls still answers: the photo, the sync pill.
    let (status, body) = op(
        &api,
        &gate,
        "holder_photo",
        serde_json::json!({ "serial": serial }),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "holder_photo: {body}");
    let (status, body) = op(&api, &gate, "sync_status", serde_json::json!({})).await?;
    assert_eq!(status, StatusCode::OK, "sync status: {body}");
    assert!(document_reads(&api).await?.is_empty());

    // A desk reads the record, document number included: audited, by badge.
    let (status, body) = op(
        &api,
        &desk,
        "get_attendee",
        serde_json::json!({ "serial": serial }),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&person.doc_number));
    let reads = document_reads(&api).await?;
    assert_eq!(reads.len(), 1, "{reads:?}");
    let (actor, detail) = &reads[0];
    assert!(actor.starts_with("Accueil démo"), "{actor}");
    assert!(detail.contains(serial), "{detail}");
    for secret in [&person.doc_number, &person.family_name, &person.given_names] {
        assert!(!detail.contains(secret.as_str()), "{detail}");
    }
    // A record without a document number is read without an entry.
    let plain = people
        .iter()
        .find(|a| a.doc_number.is_empty())
        .ok_or("no demo person without a document")?;
    let (status, _) = op(
        &api,
        &desk,
        "get_attendee",
        serde_json::json!({ "serial": plain.serial }),
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document_reads(&api).await?.len(), 1);
    // The audit chain still holds.
    assert_eq!(
        gatehouse::audit::verify(api.store().read())
            .await?
            .first_bad,
        None
    );
    Ok(())
}
