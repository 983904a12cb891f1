//! Wrong PINs at a served station: after five in a row from one address the
//! sixth try waits (HTTP 429 with the seconds to wait), even with a right
//! PIN, so the 10,000 four-digit PINs cannot be walked from the LAN.

mod http_support;

use http_support::{request, serve, TestResult};

#[test]
fn five_wrong_pins_then_this_address_waits_even_with_the_right_pin() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["demo", "--attendees", "0", "--db"])
        .arg(&db)
        .output()?;
    assert!(made.status.success(), "{made:?}");
    let served = serve(&db)?;
    let sign_in = |pin: &str| {
        request(
            &served.addr,
            "POST",
            "/api/session",
            &format!(r#"{{"pin":"{pin}"}}"#),
        )
    };

    for wrong in ["0000", "0001", "0002", "0003", "0004"] {
        let r = sign_in(wrong)?;
        assert!(r.starts_with("HTTP/1.1 401"), "{r}");
    }
    let held = sign_in("1111")?;
    assert!(held.starts_with("HTTP/1.1 429"), "{held}");
    assert!(held.contains(r#""code":"too_many_attempts""#), "{held}");
    assert!(
        held.contains(r#""retry_after_s":30"#) || held.contains(r#""retry_after_s":29"#),
        "{held}"
    );
    Ok(())
}
