//! The doors of `gatehouse serve`, against its router: a page of another
//! site re-pointed at the station (DNS rebinding) is refused by its `Host`
//! name, a cross-site request that changes something by its `Origin`, and
//! every response carries the security headers.

mod http_support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use gatehouse::http::{router, Hosts};
use tower::ServiceExt;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

async fn api(dir: &std::path::Path) -> TestResult<Arc<gatehouse::Api>> {
    let api = gatehouse::Api::open(&dir.join("g.db"), Default::default()).await?;
    gatehouse::demo::install(
        api.store(),
        gatehouse::demo::BAMEX25_FIRST_DAY,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Arc::new(api))
}

async fn send(
    api: &Arc<gatehouse::Api>,
    hosts: Hosts,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> TestResult<Response<Body>> {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))?;
    Ok(router(api.clone(), hosts).oneshot(req).await?)
}

fn header<'a>(r: &'a Response<Body>, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn assert_security_headers(r: &Response<Body>) {
    let csp = header(r, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(header(r, "x-content-type-options"), "nosniff");
    assert_eq!(header(r, "referrer-policy"), "no-referrer");
}

#[tokio::test]
async fn a_foreign_host_name_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let api = api(dir.path()).await?;
    let get = |host: &'static str, hosts: Hosts| {
        let api = api.clone();
        async move { send(&api, hosts, "GET", "/api/event", &[("host", host)], "").await }
    };
    // Loopback by any of its names, with or without a port.
    for host in [
        "127.0.0.1:8080",
        "localhost:8080",
        "LOCALHOST",
        "[::1]:8080",
        "127.0.0.1",
    ] {
        let r = get(host, Hosts::loopback()).await?;
        assert_eq!(r.status(), StatusCode::OK, "{host}");
        assert_security_headers(&r);
    }
    // The rebinding page's name, and an address this server is not bound to.
    for host in [
        "attacker.example:8080",
        "attacker.example",
        "192.168.1.20:8080",
        "",
    ] {
        let r = get(host, Hosts::loopback()).await?;
        assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST, "{host:?}");
        assert_security_headers(&r);
        let body = axum::body::to_bytes(r.into_body(), 64 * 1024).await?;
        let body: serde_json::Value = serde_json::from_slice(&body)?;
        assert_eq!(body["code"], "forbidden");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("--host")),
            "{body}"
        );
    }
    // Named with --host; bound to a LAN address; bound to every address.
    let lan: std::net::IpAddr = "192.168.1.20".parse()?;
    let named = || Hosts::new(lan, ["Accueil.local".to_string()]);
    assert_eq!(
        get("accueil.local:8080", named()).await?.status(),
        StatusCode::OK
    );
    assert_eq!(
        get("192.168.1.20:8080", named()).await?.status(),
        StatusCode::OK
    );
    assert_eq!(
        get("192.168.1.21:8080", named()).await?.status(),
        StatusCode::MISDIRECTED_REQUEST
    );
    let every = || Hosts::new("0.0.0.0".parse().unwrap_or(lan), Vec::<String>::new());
    assert_eq!(
        get("10.4.0.7:8080", every()).await?.status(),
        StatusCode::OK
    );
    assert_eq!(
        get("attacker.example", every()).await?.status(),
        StatusCode::MISDIRECTED_REQUEST
    );
    Ok(())
}

#[tokio::test]
async fn a_cross_site_request_that_changes_something_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let api = api(dir.path()).await?;
    let admin = http_support::demo_id(&api, "admin").await?;
    let body = serde_json::json!({ "staff_id": admin, "pin": "1111" }).to_string();
    let sign_in = |origin: Option<&'static str>| {
        let (api, body) = (api.clone(), body.clone());
        async move {
            let mut headers = vec![("host", "127.0.0.1:8080")];
            if let Some(o) = origin {
                headers.push(("origin", o));
            }
            send(
                &api,
                Hosts::loopback(),
                "POST",
                "/api/session",
                &headers,
                &body,
            )
            .await
        }
    };
    for origin in ["http://attacker.example", "http://127.0.0.1:9999", "null"] {
        let r = sign_in(Some(origin)).await?;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_security_headers(&r);
    }
    // The station's own page, and a client that is not a browser.
    assert_eq!(
        sign_in(Some("http://127.0.0.1:8080")).await?.status(),
        StatusCode::OK
    );
    assert_eq!(sign_in(None).await?.status(), StatusCode::OK);
    // Reading is not refused by origin (the browser keeps the answer from the page).
    let r = send(
        &api,
        Hosts::loopback(),
        "GET",
        "/api/event",
        &[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://attacker.example"),
        ],
        "",
    )
    .await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    Ok(())
}

#[tokio::test]
async fn every_response_carries_the_security_headers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let api = api(dir.path()).await?;
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/api/nothing-here"),
        ("POST", "/api/op/list_scans"),
    ] {
        let r = send(
            &api,
            Hosts::loopback(),
            method,
            path,
            &[("host", "localhost:8080")],
            "",
        )
        .await?;
        assert_security_headers(&r);
        assert_eq!(header(&r, "x-frame-options"), "DENY");
    }
    Ok(())
}

/// An internal error tells the client what failed in plain words; the SQL
/// and the paths stay in the station's log.
#[tokio::test]
async fn an_internal_error_reaches_the_client_without_sql_or_paths() -> TestResult {
    let dir = tempfile::tempdir()?;
    let api = api(dir.path()).await?;
    let token = http_support::demo_sign_in(&api, "gate", "test", jiff::Timestamp::now())
        .await?
        .token;
    // A database that fails under the station: its scan log is gone.
    let mut tx = api.store().write().await?;
    sqlx::query("ALTER TABLE scan RENAME TO scan_lost")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let bearer = format!("Bearer {token}");
    let r = send(
        &api,
        Hosts::loopback(),
        "POST",
        "/api/op/list_scans",
        &[
            ("host", "127.0.0.1:8080"),
            ("authorization", bearer.as_str()),
            ("accept-language", "en-GB,en;q=0.9,fr;q=0.5"),
        ],
        "",
    )
    .await?;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = axum::body::to_bytes(r.into_body(), 64 * 1024).await?;
    let body: serde_json::Value = serde_json::from_slice(&body)?;
    assert_eq!(body["code"], "internal");
    let message = body["message"].as_str().ok_or("no message")?;
    assert!(message.contains("database"), "{message}");
    // Said in French too, as plainly.
    let french = body["text"]["fr"].as_str().ok_or("no French")?;
    assert!(french.contains("la base du poste"), "{french}");
    for secret in ["SELECT", "no such table", "sqlite"] {
        assert!(!body.to_string().contains(secret), "{secret:?} in {body}");
    }
    for secret in ["SELECT", "FROM", "no such table", "scan", "sqlite", "/"] {
        assert!(!message.contains(secret), "{secret:?} in {message:?}");
    }
    assert!(
        !message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    Ok(())
}
