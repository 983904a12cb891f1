//! `gatehouse serve` bound beyond loopback, as a browser on the venue network
//! meets it: HTTPS with the station's own certificate, whose fingerprint the
//! process prints and `/api/station` carries (the same across restarts, its
//! key owner-only); no plain HTTP on that port; the `Host` and `Origin` doors
//! still hold over HTTPS; plain HTTP only with `--plain-http`, whose help
//! says what it exposes.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod http_support;

use http_support::{ok, Running, TestResult};

/// `gatehouse serve --listen 0.0.0.0:0 [EXTRA…]`: the process, its port and
/// the lines it printed once listening (the fingerprint line if HTTPS).
fn serve_on_all(db: &Path, extra: &[&str]) -> TestResult<(Running, u16, Vec<String>)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["serve", "--listen", "0.0.0.0:0", "--lang", "en"])
        .args(extra)
        .arg("--db")
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let out = child.stdout.take().ok_or("serve stdout")?;
    let running = Running(child);
    let mut reader = BufReader::new(out);
    let mut banner = String::new();
    reader.read_line(&mut banner)?;
    let mut lines = vec![banner.trim().to_string()];
    if banner.contains("https://") {
        let mut fingerprint = String::new();
        reader.read_line(&mut fingerprint)?;
        lines.push(fingerprint.trim().to_string());
    }
    let port = banner
        .rsplit(':')
        .next()
        .and_then(|p| p.trim().trim_end_matches('/').parse::<u16>().ok())
        .ok_or_else(|| format!("serve printed {banner:?}"))?;
    // Keep reading its stdout so it never blocks on a full pipe.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    Ok((running, port, lines))
}

/// The fingerprint as printed: the last word of the second line, `AB:CD:…`.
fn printed_fingerprint(lines: &[String]) -> TestResult<String> {
    let line = lines.get(1).ok_or("no fingerprint line")?;
    let f = line.rsplit(' ').next().ok_or("empty line")?.to_string();
    assert_eq!(f.len(), 95, "32 byte pairs and colons: {line}");
    Ok(f)
}

/// A client that accepts whatever certificate the station shows and tells
/// which it was (as a person comparing fingerprints would look).
fn seeing() -> TestResult<(reqwest::Client, gatehouse::sync::tls::Seen)> {
    let seen = gatehouse::sync::tls::Seen::default();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(gatehouse::sync::tls::seeing_client(seen.clone())?)
        .timeout(Duration::from_secs(30))
        .build()?;
    Ok((client, seen))
}

/// One plain-HTTP request on a raw socket: what comes back, if anything.
fn plain_get(port: u16) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(120)));
    let _ = write!(
        s,
        "GET /api/event HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_beyond_loopback_speaks_https_with_the_fingerprint_it_prints() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    ok(&db, &["demo", "--attendees", "2"])?;

    let (served, port, lines) = serve_on_all(&db, &[])?;
    assert!(lines[0].contains("https://0.0.0.0:"), "{lines:?}");
    let printed = printed_fingerprint(&lines)?;

    // A browser's TLS connection: the certificate shown is the one printed.
    let (client, seen) = seeing()?;
    let base = format!("https://127.0.0.1:{port}");
    let station: serde_json::Value = client
        .get(format!("{base}/api/station"))
        .send()
        .await?
        .json()
        .await?;
    let shown = seen.only().ok_or("one certificate shown")?;
    assert_eq!(
        gatehouse::sync::tls::fingerprint_words(&shown),
        printed,
        "the certificate served is the one whose fingerprint was printed"
    );
    // The console carries it, for the organiser to compare.
    assert_eq!(station["tls_fingerprint"].as_str(), Some(printed.as_str()));

    // Plain HTTP on that port gets no answer a browser could use.
    let plain = plain_get(port);
    assert!(
        !plain.starts_with("HTTP/1.1 200"),
        "plain HTTP must not be served beyond loopback: {plain:?}"
    );
    assert!(
        !plain.contains("BAMEX"),
        "no event data in clear: {plain:?}"
    );

    // The doors still hold over HTTPS: a foreign name, a cross-site change.
    let foreign = client
        .get(format!("{base}/api/event"))
        .header("Host", "rebound.example")
        .send()
        .await?;
    assert_eq!(foreign.status().as_u16(), 421);
    let cross = client
        .post(format!("{base}/api/session"))
        .header("Origin", "https://evil.example")
        .json(&serde_json::json!({ "pin": "0000" }))
        .send()
        .await?;
    assert_eq!(cross.status().as_u16(), 403);
    let same = client
        .get(format!("{base}/api/event"))
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    assert!(same["name"].is_string(), "{same}");

    // The key is the station's own, owner-only, and kept across restarts.
    let key = gatehouse::keys::key_dir(&db).join("hub-tls.key.der");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key)?.permissions().mode() & 0o777, 0o600);
    }
    drop(served);
    let (_again, _, lines) = serve_on_all(&db, &[])?;
    assert_eq!(
        printed_fingerprint(&lines)?,
        printed,
        "a restart serves the same certificate"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_beyond_loopback_only_when_asked_and_the_help_says_what_it_exposes() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    ok(&db, &["demo", "--attendees", "2"])?;

    let (_served, port, lines) = serve_on_all(&db, &["--plain-http"])?;
    assert!(lines[0].contains("http://0.0.0.0:"), "{lines:?}");
    let plain = plain_get(port);
    assert!(plain.starts_with("HTTP/1.1 200"), "{plain:?}");

    let help = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["serve", "--help"])
        .output()?;
    let help = String::from_utf8(help.stdout)?;
    let flag = help
        .split("--plain-http")
        .nth(1)
        .ok_or("--plain-http in serve --help")?;
    assert!(flag.contains("PIN"), "{help}");
    assert!(flag.contains("personal data"), "{help}");
    assert!(flag.contains("in clear"), "{help}");
    Ok(())
}

#[test]
fn loopback_stays_plain_http() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    ok(&db, &["demo", "--attendees", "2"])?;
    let served = http_support::serve(&db)?;
    assert!(
        served.banner.contains("http://127.0.0.1:"),
        "{}",
        served.banner
    );
    let event = http_support::request(&served.addr, "GET", "/api/station", "")?;
    assert!(event.starts_with("HTTP/1.1 200"), "{event}");
    assert_eq!(
        http_support::body(&event)?["tls_fingerprint"],
        serde_json::Value::Null
    );
    Ok(())
}
