//! Every route of `gatehouse serve` against every kind of caller: nobody
//! signed in, a gate officer, a desk officer, an organiser. The table is the
//! policy as a reader can check it; the router must answer it exactly:
//! `401` without a session, `403` for a role that may not, and anything else
//! (the operation ran, or refused its input) for a role that may. A route
//! added without its line here fails the last test.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gatehouse::auth::Permission;
use gatehouse::http::{router, Hosts};
use tower::ServiceExt;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Who may call a route: `P` anyone, else the roles listed (`g`ate, `d`esk,
/// `a`dmin, `v`etting: the security officer); with a body that parses, so a role's refusal is its permission's.
const ROUTES: &[(&str, &str, &str, &str)] = &[
    ("GET", "/api/event", "", "P"),
    ("GET", "/api/station", "", "P"),
    ("GET", "/api/live", "", "P"),
    ("GET", "/api/session", "", "gdav"),
    ("GET", "/api/session/staff", "", "P"),
    (
        "POST",
        "/api/attendees/BMX-000002/badge.pdf",
        r#"{"format":"a6"}"#,
        "da",
    ),
    (
        "POST",
        "/api/badges.pdf",
        r#"{"serials":["BMX-000003"],"format":"a6"}"#,
        "da",
    ),
    ("POST", "/api/watchlist/import?name=liste.csv", "", "a"),
    // The first start answers anyone, and refuses (409) once the station holds anything.
    ("GET", "/api/first-start", "", "P"),
    ("POST", "/api/first-start/demo", "", "P"),
    ("POST", "/api/first-start/create", "{}", "P"),
    ("POST", "/api/first-start/join", "{}", "P"),
    ("POST", "/api/sync/join", r#"{"text":"x"}"#, "a"),
    ("GET", "/api/rollcall/file?zone=HALL&format=csv", "", "a"),
    (
        "GET",
        "/api/reports/file?kind=attendance&format=csv",
        "",
        "a",
    ),
    ("GET", "/api/import/x", "", "a"),
    ("POST", "/api/import/preview?name=x.csv", "a,b", "a"),
    ("POST", "/api/import?name=x.csv", "a,b", "a"),
    ("GET", "/api/privacy/BMX-000001/export", "", "a"),
    // The table's operations (`crates/gatehouse-api/src/api/ops.rs`) are all `POST /api/op/{name}`:
    // each is checked below against its permission's line in PERMISSIONS.
    ("POST", "/api/op/list_delegations", "", "da"),
    ("PUT", "/api/attendees/BMX-000001/photo", "", "da"),
    ("DELETE", "/api/session", "", "P"),
];

/// Who holds each permission (the letters as in [`ROUTES`]): the policy of
/// the operations of `gatehouse::ops`, whose only statement of what each
/// needs is its table.
const PERMISSIONS: &[(Permission, &str)] = &[
    (Permission::ViewRegistry, "da"),
    (Permission::ViewHolder, "gdav"),
    (Permission::StationStatus, "gdav"),
    (Permission::EditRegistry, "da"),
    (Permission::PrintBadges, "da"),
    (Permission::Scan, "ga"),
    (Permission::Revoke, "a"),
    (Permission::Override, "a"),
    (Permission::ManageEvent, "a"),
    (Permission::Vet, "av"),
];

/// The roles that may run an operation, from [`PERMISSIONS`].
fn who_may(op: &gatehouse::ops::Operation) -> &'static str {
    PERMISSIONS
        .iter()
        .find(|(p, _)| *p == op.permission)
        .map(|(_, who)| *who)
        .unwrap_or_else(|| panic!("{:?} has no line in PERMISSIONS", op.permission))
}

async fn send(
    api: &Arc<gatehouse::Api>,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> TestResult<(StatusCode, String)> {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = router(api.clone(), Hosts::loopback())
        .oneshot(req.body(Body::from(body.to_string()))?)
        .await?;
    let status = resp.status();
    // A stream of server-sent events never ends: its status is the answer.
    if resp
        .headers()
        .get("content-type")
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"))
    {
        return Ok((status, String::new()));
    }
    let bytes = axum::body::to_bytes(resp.into_body(), 16 * 1024 * 1024).await?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// Signs the demo account of `role` in through the router: its id from the
/// sign-in list, then its PIN.
async fn sign_in(api: &Arc<gatehouse::Api>, role: &str, pin: &str) -> TestResult<String> {
    let (_, names) = send(api, "GET", "/api/session/staff", None, "").await?;
    let names: serde_json::Value = serde_json::from_str(&names)?;
    let id = names
        .as_array()
        .and_then(|all| all.iter().find(|n| n["role"] == role))
        .and_then(|n| n["id"].as_str())
        .ok_or("no such account")?
        .to_string();
    let (status, body) = send(
        api,
        "POST",
        "/api/session",
        None,
        &serde_json::json!({ "staff_id": id, "pin": pin }).to_string(),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body)?;
    Ok(v["token"].as_str().ok_or("token")?.to_string())
}

/// A demo station with a session for each kind of caller (`-`: none).
async fn station() -> TestResult<(tempfile::TempDir, Arc<gatehouse::Api>, Callers)> {
    let dir = tempfile::tempdir()?;
    let api = gatehouse::Api::open(&dir.path().join("g.db"), Default::default()).await?;
    let now = jiff::Timestamp::now();
    gatehouse::demo::install(api.store(), gatehouse::demo::today_at_venue(now)?, now).await?;
    gatehouse::registry::demo::install(api.store(), 3, 1, now).await?;
    let api = Arc::new(api);
    let admin = sign_in(&api, "admin", "1111").await?;
    // The demo has no security officer: the organiser adds one.
    let (status, body) = send(
        &api,
        "POST",
        "/api/op/create_staff",
        Some(&admin),
        r#"{"change":{"name":"Officier sécurité","role":"vetting","pin":"73915284"}}"#,
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    let callers = [
        ('-', None),
        ('g', Some(sign_in(&api, "gate", "3333").await?)),
        ('d', Some(sign_in(&api, "desk", "2222").await?)),
        ('a', Some(admin)),
        ('v', Some(sign_in(&api, "vetting", "73915284").await?)),
    ];
    Ok((dir, api, callers))
}

type Callers = [(char, Option<String>); 5];

#[tokio::test]
async fn every_route_answers_each_role_as_the_table_says() -> TestResult {
    let (_dir, api, callers) = station().await?;
    let mut wrong = Vec::new();
    // Every operation of the table, with arguments that do not parse: the
    // permission is checked before them, so a refusal is the permission's.
    let ops: Vec<(&str, String, &str, &str)> = gatehouse::ops::OPERATIONS
        .iter()
        .map(|op| ("POST", format!("/api/op/{}", op.name), "{}", who_may(op)))
        .collect();
    let routes = ops.into_iter().chain(
        ROUTES
            .iter()
            .map(|(m, p, b, w)| (*m, p.to_string(), *b, *w)),
    );
    for (method, path, body, who) in routes {
        let (method, path, body, who) = (&method, &path, &body, &who);
        for (role, token) in &callers {
            // Signing out last: the sessions serve every other line first.
            let (status, answer) = send(&api, method, path, token.as_deref(), body).await?;
            let expected = if *who == "P" {
                "ran"
            } else if *role == '-' {
                "401"
            } else if who.contains(*role) {
                "ran"
            } else {
                "403"
            };
            let got = match status {
                StatusCode::UNAUTHORIZED => "401",
                StatusCode::FORBIDDEN => "403",
                _ => "ran",
            };
            if got != expected {
                wrong.push(format!(
                    "{method} {path} as {role}: expected {expected}, got {status} {}",
                    answer.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    Ok(())
}

/// The window's one `call` command is `Api::call` with the session it is
/// given (`src-tauri/src/main.rs`; `tests/tauri_commands.rs` checks it stays
/// so): every operation of the table answers each caller alike there and
/// over `POST /api/op/{name}`, as its permission says, and its permission
/// is stated nowhere but in the table.
#[tokio::test]
async fn every_operation_answers_alike_over_http_and_the_window() -> TestResult {
    let (_dir, api, callers) = station().await?;
    let mut wrong = Vec::new();
    for op in gatehouse::ops::OPERATIONS {
        for (role, token) in &callers {
            let path = format!("/api/op/{}", op.name);
            let (status, _) = send(&api, "POST", &path, token.as_deref(), "{}").await?;
            let over_http = match status {
                StatusCode::UNAUTHORIZED => "401",
                StatusCode::FORBIDDEN => "403",
                _ => "ran",
            };
            let in_window = match api
                .call(
                    token.as_deref(),
                    op.name,
                    gatehouse::ops::Args::Value(serde_json::json!({})),
                    jiff::Timestamp::now(),
                )
                .await
            {
                Err(e) if e.code() == gatehouse::ErrorCode::Unauthenticated => "401",
                Err(e) if e.code() == gatehouse::ErrorCode::Forbidden => "403",
                _ => "ran",
            };
            let expected = match *role {
                '-' => "401",
                r if who_may(op).contains(r) => "ran",
                _ => "403",
            };
            if (over_http, in_window) != (expected, expected) {
                wrong.push(format!(
                    "{} as {role}: {expected} expected, HTTP {over_http}, window {in_window}",
                    op.name
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // An operation that is not in the table is nobody's.
    let admin = callers[3].1.as_deref();
    let (status, body) = send(&api, "POST", "/api/op/no_such_thing", admin, "{}").await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("no_such_thing"), "{body}");
    Ok(())
}

#[test]
fn every_route_of_the_router_is_in_the_table() {
    // The routes as the source declares them (`.route("/…"`): each must
    // appear in the table, with its parameters filled in.
    let mut missing = Vec::new();
    for entry in walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for part in text.split(".route(\"").skip(1) {
            let Some(route) = part.split('"').next() else {
                continue;
            };
            if route.starts_with("/sync/v1") {
                continue; // the hub's own routes, tested in sync_trust
            }
            let pattern: Vec<&str> = route.split('/').collect();
            let found = ROUTES.iter().any(|(_, path, _, _)| {
                let path = path.split('?').next().unwrap_or_default();
                let path = path.strip_prefix("/api").unwrap_or(path);
                let parts: Vec<&str> = path.split('/').collect();
                parts.len() == pattern.len()
                    && parts
                        .iter()
                        .zip(&pattern)
                        .all(|(p, q)| q.starts_with('{') || p == q)
            });
            if !found {
                missing.push(format!("{route} ({})", entry.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without a line in ROUTES: {missing:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
