//! The hub's door to the venue LAN (issue 14). It listens on every
//! interface, so anyone on the network can send it anything: a request
//! without a station's credential is refused from its headers, before its
//! body is read. Before that, a 60 MB request without credentials took the
//! hub from 46 to 196 MB, and a few dozen at once could take down the
//! machine that hands out revocations.

use std::io::Write;

mod http_support;

use http_support::{ok, post_round, set_real_pins, start_hub, TestResult};

/// The hub process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_kib(pid: u32) -> TestResult<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/PID/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("VmHWM without a value")?
        .parse()?)
}

/// A round without a credential, its body pushed whatever the hub answers,
/// as an attacker would send it: the HTTP status (0 when the hub closed the
/// connection before answering).
fn unauthenticated_round(url: &str, body: &std::path::Path) -> TestResult<u16> {
    Ok(post_round(url, "not-a-credential", body, false)?.0)
}

#[test]
fn sixty_megabyte_bodies_without_a_credential_leave_the_hub_flat() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "6", "--starting", "today"],
    )?;
    set_real_pins(&hub_db)?;
    let (mut hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pid = hub.0.id();

    // A round's JSON, 60 MB of it: under the hub's 64 MB limit for a round,
    // so only the missing credential stops it.
    let body = dir.path().join("round.json");
    let mut file = std::fs::File::create(&body)?;
    file.write_all(b"{\"station\":\"x\",\"pad\":\"")?;
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..60 {
        file.write_all(&chunk)?;
    }
    file.write_all(b"\"}")?;
    drop(file);

    // A small round without a credential: refused from its headers.
    let small = dir.path().join("small.json");
    std::fs::write(&small, br#"{"station":"x"}"#)?;
    assert_eq!(unauthenticated_round(&url, &small)?, 401);
    // One large one to warm the hub up, then a dozen at once.
    unauthenticated_round(&url, &body)?;
    let before = peak_kib(pid)?;
    let sent: Vec<_> = (0..12)
        .map(|_| {
            let (url, body) = (url.clone(), body.clone());
            std::thread::spawn(move || {
                unauthenticated_round(&url, &body).map_err(|e| e.to_string())
            })
        })
        .collect();
    for request in sent {
        let status = request.join().map_err(|_| "a sender panicked")??;
        assert!(
            status == 401 || status == 0,
            "a round without a credential answered {status}"
        );
    }
    let grown = peak_kib(pid)?.saturating_sub(before);
    // One body read into memory would be 60 MB.
    assert!(
        grown < 40 * 1024,
        "the hub's peak memory grew by {} MB for 12 refused 60 MB bodies",
        grown / 1024
    );
    assert!(hub.0.try_wait()?.is_none(), "the hub stopped");
    assert_eq!(
        unauthenticated_round(&url, &small)?,
        401,
        "the hub still answers"
    );
    Ok(())
}
