//! Pairing by the short code alone, against a real hub process: the code the
//! hub shows in large type and its address are enough; the station is named
//! as the hub named it. A man in the middle (a TLS proxy with its own
//! certificate, relaying to the real hub) cannot pass: the join is refused,
//! in French and English, and nothing is stored on either side. A station's
//! proof cannot be replayed, and an unknown code is said as such.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

mod http_support;

use http_support::{gatehouse, json, ok, start_hub, TestResult};

/// A TLS proxy with a certificate of its own: it decrypts what a station
/// sends and relays it to the hub over a second TLS connection, as an
/// attacker on the venue network would. Runs until the test ends.
async fn man_in_the_middle(dir: &Path, hub_url: &str) -> TestResult<String> {
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{StatusCode, Uri};

    let identity = gatehouse::sync::tls::load_or_create(&dir.join("attacker.db"))?;
    let config = axum_server::tls_rustls::RustlsConfig::from_config(
        gatehouse::sync::tls::server_config(&identity)?,
    );
    let upstream = reqwest::Client::builder()
        .tls_backend_preconfigured(gatehouse::sync::tls::seeing_client(
            gatehouse::sync::tls::Seen::default(),
        )?)
        .build()?;
    async fn relay(
        State((upstream, hub)): State<(reqwest::Client, Arc<String>)>,
        uri: Uri,
        body: Bytes,
    ) -> (StatusCode, Vec<u8>) {
        let sent = upstream
            .post(format!("{hub}{uri}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(r) => {
                let status =
                    StatusCode::from_u16(r.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
                (
                    status,
                    r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
                )
            }
            Err(_) => (StatusCode::BAD_GATEWAY, Vec::new()),
        }
    }
    let app = axum::Router::new()
        .fallback(relay)
        .with_state((upstream, Arc::new(hub_url.to_string())));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr: SocketAddr = listener.local_addr()?;
    let server = axum_server::from_tcp_rustls(listener, config)?;
    tokio::spawn(async move {
        let _ = server.serve(app.into_make_service()).await;
    });
    Ok(format!("https://{addr}"))
}

/// Whether a station database holds a link to a hub (`sync_link`).
fn linked(db: &Path) -> bool {
    db.exists() && gatehouse(db, &["sync", "--status"]).status.success()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_short_code_is_enough_and_a_man_in_the_middle_cannot_pass() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let hub_db = p("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "gate", "--name", "Porte Hall"])?;
    let short = pair["short"].as_str().ok_or("short code")?.to_string();
    assert_eq!(short.len(), 14, "three groups of four: {short}");
    assert!(
        pair["code"].as_str().is_some_and(|c| c.starts_with(&short)),
        "{pair}"
    );

    // Through a man in the middle, in French (the default) and English.
    let mitm = man_in_the_middle(dir.path(), &url).await?;
    let station = p("gate.db");
    let refused = gatehouse(&station, &["join", &mitm, &short]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("le hub n'a pas prouvé qu'il connaît ce code"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("interception"),
        "{}",
        stderr(&refused)
    );
    let refused = gatehouse(&station, &["join", &mitm, &short, "--lang", "en"]);
    assert!(
        stderr(&refused).contains("the hub did not prove it knows this code"),
        "{}",
        stderr(&refused)
    );
    // Nothing stored: no link on the station, the code still open on the hub.
    assert!(!linked(&station), "the station must not be paired");
    let open = json(&hub_db, &["pair", "--list"])?;
    assert!(
        open.to_string()
            .contains(pair["label"].as_str().ok_or("label")?),
        "the man in the middle could not spend the code: {open}"
    );
    let stations = json(&hub_db, &["stations"])?;
    assert_eq!(stations.as_array().map(Vec::len), Some(0), "{stations}");

    // A code the hub never gave.
    let unknown = gatehouse(&station, &["join", &url, "ZZZZ-ZZZZ-ZZZZ"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("code d'appairage inconnu ou expiré"),
        "{}",
        stderr(&unknown)
    );
    assert!(!linked(&station));

    // The real hub, the short code typed as people type it: joined, named.
    let typed = short.to_ascii_lowercase().replace('-', " ");
    let joined = json(&station, &["join", &url, &typed])?;
    assert_eq!(joined["name"], "Porte Hall", "{joined}");
    let id = joined["station"].as_str().ok_or("station id")?;
    assert_eq!(id.len(), 36, "{joined}");
    let status = json(&station, &["sync", "--status"])?;
    assert_eq!(status["name"], "Porte Hall", "{status}");
    ok(&station, &["sync"])?;
    let stations = json(&hub_db, &["stations"])?;
    assert_eq!(stations[0]["station"].as_str(), Some(id), "{stations}");
    assert_eq!(stations[0]["name"], "Porte Hall", "{stations}");

    // The code is spent: no longer listed, refused a second time.
    let open = json(&hub_db, &["pair", "--list"])?;
    assert_eq!(open.as_array().map(Vec::len), Some(0), "{open}");
    let again = gatehouse(&p("other.db"), &["join", &url, &short, "--lang", "en"]);
    assert!(
        stderr(&again).contains("unknown or expired pairing code"),
        "{}",
        stderr(&again)
    );

    // The long code (from the QR) still works, and still pins.
    let pair = json(&hub_db, &["pair", "--role", "desk", "--name", "Accueil 1"])?;
    let long = pair["code"].as_str().ok_or("code")?;
    let through = gatehouse(&p("desk-mitm.db"), &["join", &mitm, "--code", long]);
    assert_eq!(through.status.code(), Some(1), "{}", stderr(&through));
    let desk = json(&p("desk.db"), &["join", &url, "--code", long])?;
    assert_eq!(desk["name"], "Accueil 1", "{desk}");
    Ok(())
}

/// The station's side done by hand (as `gatehouse join` does it), to replay
/// its proof: the hub answers each challenge once.
#[tokio::test(flavor = "multi_thread")]
async fn a_stations_proof_cannot_be_replayed() -> TestResult {
    use gatehouse::sync::pairing::{self, Challenge, Hello, Side};
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let first = json(&hub_db, &["pair", "--role", "gate"])?;
    json(&hub_db, &["pair", "--role", "gate"])?;
    let short = first["short"].as_str().ok_or("short")?;

    let seen = gatehouse::sync::tls::Seen::default();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(gatehouse::sync::tls::seeing_client(seen.clone())?)
        .build()?;
    let nonce = pairing::nonce();
    let challenge: Challenge = client
        .post(format!("{url}/sync/v1/join/hello"))
        .json(&Hello {
            nonce: nonce.clone(),
        })
        .send()
        .await?
        .json()
        .await?;
    let fingerprint = seen.only().ok_or("one certificate")?;
    let key = pairing::code_key(short)?;
    assert_eq!(
        pairing::judge(&key, &nonce, &fingerprint, &challenge)?,
        pairing::Verdict::Proven
    );
    let body = gatehouse::sync::hub::JoinRequest {
        proof: pairing::proof(
            &key,
            Side::Station,
            &fingerprint,
            &nonce,
            &challenge.hub_nonce,
        )?,
        nonce,
        hub_nonce: challenge.hub_nonce,
    };
    let once = client
        .post(format!("{url}/sync/v1/join"))
        .json(&body)
        .send()
        .await?;
    assert_eq!(once.status().as_u16(), 200);
    let replayed = client
        .post(format!("{url}/sync/v1/join"))
        .json(&body)
        .send()
        .await?;
    assert_eq!(replayed.status().as_u16(), 403);
    let stations = json(&hub_db, &["stations"])?;
    assert_eq!(
        stations.as_array().map(Vec::len),
        Some(1),
        "one join, not two: {stations}"
    );
    // The other code is still open: a replay spends nothing.
    let open = json(&hub_db, &["pair", "--list"])?;
    assert_eq!(open.as_array().map(Vec::len), Some(1), "{open}");
    Ok(())
}
