//! Our tokens are standard COSE: an independent implementation (Python
//! `pycose`, in `tests/interop/.venv`, made by `make setup-test`) verifies
//! ours, and ours verifies theirs.
//!
//! Without the venv the test is skipped locally but fails under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ed25519_dalek::SigningKey;
use gatehouse::gate::{decide, Decision, Direction, GateConfig, Knowledge, Reason};
use gatehouse::token::{self, Claims, Kid};
use jiff::civil::date;
use jiff::Timestamp;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let py = root.join("tests/interop/.venv/bin/python");
    if py.exists() {
        return Some(py);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing: `make setup-test` creates it (pip install pycose)",
            py.display()
        );
    }
    eprintln!("skipped: no {} (run `make setup-test`)", py.display());
    None
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/cose_interop.py")
}

fn claims() -> Result<Claims, Box<dyn std::error::Error>> {
    Ok(Claims {
        event: "BAMEX25".into(),
        serial: "BMX-000042".parse()?,
        version: 3,
        issued_at: "2025-11-01T08:00:00Z".parse()?,
        not_before: "2025-11-11T00:00:00Z".parse()?,
        expires: "2025-11-14T23:59:59Z".parse()?,
        category: "PRS".parse()?,
        zones: 0b11001,
        days: 0b1111,
        name: token::display_name("Fatoumata Diarra-Coulibaly"),
        photo: Some([1, 2, 3, 4, 5, 6, 7, 8]),
    })
}

#[test]
fn pycose_verifies_our_token_and_refuses_a_tampered_one() -> TestResult {
    let Some(py) = python() else { return Ok(()) };
    let key = SigningKey::from_bytes(&[7; 32]);
    let text = token::encode(&claims()?, &key)?;
    let out = Command::new(&py)
        .arg(script())
        .args([
            "verify",
            &hex::encode(key.verifying_key().as_bytes()),
            &text,
        ])
        .output()?;
    assert!(
        out.status.success(),
        "pycose refused our token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(seen["iss"], "BAMEX25");
    assert_eq!(seen["sub"], "BMX-000042");
    assert_eq!(seen["version"], 3);
    assert_eq!(seen["category"], "PRS");
    assert_eq!(seen["zones"], 0b11001);
    assert_eq!(seen["name"], "Fatoumata Diarra-Coulibaly");
    assert_eq!(seen["photo"], "0102030405060708");
    assert_eq!(seen["nbf"], 1_762_819_200);

    // The same token under another key must not verify there either.
    let other = SigningKey::from_bytes(&[8; 32]);
    let out = Command::new(&py)
        .arg(script())
        .args([
            "verify",
            &hex::encode(other.verifying_key().as_bytes()),
            &text,
        ])
        .output()?;
    assert!(
        !out.status.success(),
        "pycose accepted a token under the wrong key"
    );
    Ok(())
}

#[test]
fn we_verify_a_pycose_token_and_admit_its_holder() -> TestResult {
    let Some(py) = python() else { return Ok(()) };
    let seed = [9u8; 32];
    let key = SigningKey::from_bytes(&seed);
    let c = claims()?;
    let spec = serde_json::json!({
        "iss": c.event, "sub": c.serial.as_str(), "iat": c.issued_at.as_second(),
        "nbf": c.not_before.as_second(), "exp": c.expires.as_second(),
        "version": c.version, "category": c.category.as_str(), "zones": c.zones,
        "days": c.days, "name": c.name, "photo": "0102030405060708",
    });
    let out = Command::new(&py)
        .arg(script())
        .args(["sign", &hex::encode(seed), &spec.to_string()])
        .output()?;
    assert!(
        out.status.success(),
        "pycose could not sign: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?.trim_end().to_string();
    let vk = key.verifying_key();
    let decoded = token::decode(&text, |kid| (*kid == Kid::of(&vk)).then_some(vk))?;
    assert_eq!(decoded, c);

    let event = gatehouse::demo::bamex25(date(2025, 11, 11))?;
    let gate = GateConfig::new(&event, &"HALL".parse()?, Direction::In)?;
    let mut known = Knowledge::default();
    known.keys.insert(Kid::of(&vk), vk);
    let now: Timestamp = "2025-11-12T09:00:00Z".parse()?;
    let v = decide(&text, &gate, &known, now);
    assert_eq!((v.decision, v.reason), (Decision::Admit, Reason::Ok));
    assert_eq!(v.name.as_deref(), Some("Fatoumata Diarra-Coulibaly"));
    Ok(())
}
