//! Shared by the badge and print tests: real signed tokens for sample badges,
//! the `gatehouse` binary on a database, and the poppler / zbar command-line
//! tools the tests read badges back with.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use ed25519_dalek::{SigningKey, VerifyingKey};
use gatehouse::badge::{sample, BadgeData};
use gatehouse::token::{self, Claims};
use gatehouse::Result;

pub type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn verifying_key() -> VerifyingKey {
    key().verifying_key()
}

/// A sample badge `n` with `given`/`family` names, a distinct photo (or
/// none) and a real token signed with [`key`].
pub fn badge(n: u32, given: &str, family: &str, photo: bool) -> Result<BadgeData> {
    let photo = if photo {
        Some(sample::portrait_jpeg(n)?)
    } else {
        None
    };
    let mut b = sample::badge(n, String::new(), photo)?;
    b.given_names = given.to_string();
    b.family_name = family.to_string();
    let t = |s: &str| -> Result<jiff::Timestamp> {
        s.parse()
            .map_err(|e| gatehouse::Error::Internal(format!("{s}: {e}")))
    };
    let claims = Claims {
        event: "BAMEX25".to_string(),
        serial: b.serial.clone(),
        version: b.version,
        issued_at: t("2025-11-01T08:00:00Z")?,
        not_before: t("2025-11-11T00:00:00Z")?,
        expires: t("2025-11-14T23:59:59Z")?,
        category: "DEL".parse()?,
        zones: 0b11101,
        days: 0b1111,
        name: token::display_name(&b.full_name()),
        photo: b.photo_jpeg.as_ref().map(|_| [1, 2, 3, 4, 5, 6, 7, 8]),
    };
    b.qr_text = token::encode(&claims, &key())?;
    Ok(b)
}

/// `gatehouse --db DB ARGS…` on the binary under test.
pub fn gatehouse(db: &Path, args: &[&str]) -> TestResult<Output> {
    Ok(Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()?)
}

/// Stdout of a `gatehouse` command that must succeed (its stderr otherwise).
pub fn ok(db: &Path, args: &[&str]) -> TestResult<String> {
    let out = gatehouse(db, args)?;
    if !out.status.success() {
        return Err(format!(
            "gatehouse {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Runs a tool and returns its stdout; fails the test (with stderr) if the
/// tool is missing or fails. `make test` installs them.
pub fn run(program: &str, args: &[&str]) -> TestResult<String> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        format!("{program}: {e} (install poppler-utils and zbar-tools: make apt-test)")
    })?;
    if !out.status.success() {
        return Err(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Every QR zbar finds in the PNGs under `dir` (one decoded text per line).
pub fn decode_qrs(dir: &Path) -> TestResult<Vec<String>> {
    let mut pngs: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pngs.sort();
    let mut found = Vec::new();
    for png in pngs {
        let text = run(
            "zbarimg",
            &[
                "--raw",
                "-q",
                "-Sdisable",
                "-Sqrcode.enable",
                &png.to_string_lossy(),
            ],
        )?;
        found.extend(text.lines().filter(|l| !l.is_empty()).map(String::from));
    }
    Ok(found)
}

/// Rasterises `pdf` at `dpi` into `dir` (page-N.png).
pub fn rasterise(pdf: &Path, dpi: u32, dir: &Path) -> TestResult {
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-png",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    )?;
    Ok(())
}
