//! The first start of an installed station: `serve` on a database with no
//! event serves the first-start choice instead of refusing or opening on
//! the demo; each choice works only while the station is empty.

mod http_support;

use http_support::{body, request, serve, sign_in_as, TestResult};

fn status(response: &str) -> &str {
    response.split(' ').nth(1).unwrap_or("")
}

#[test]
fn an_empty_station_offers_the_demo_once() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("fresh.db");
    let served = serve(&db)?;
    assert!(
        served.banner.contains("premier démarrage"),
        "{}",
        served.banner
    );
    let addr = &served.addr;

    let state = body(&request(addr, "GET", "/api/first-start", "")?)?;
    assert_eq!(state["empty"], true, "{state}");
    // No event yet: the screens read `no_event` and show the choice.
    let event = request(addr, "GET", "/api/event", "")?;
    assert_eq!(body(&event)?["code"], "no_event", "{event}");

    let demo = request(addr, "POST", "/api/first-start/demo", "")?;
    assert_eq!(status(&demo), "200", "{demo}");
    assert_eq!(body(&demo)?["name"], "BAMEX'25");
    assert_eq!(
        body(&request(addr, "GET", "/api/first-start", "")?)?["empty"],
        false
    );
    // The demo's accounts sign in with their published PINs.
    assert_eq!(status(&sign_in_as(addr, "Admin démo", "1111")?), "200");

    // Nothing more without a PIN: a second choice is refused, in words.
    let again = request(addr, "POST", "/api/first-start/demo", "")?;
    assert_eq!(status(&again), "409", "{again}");
    assert_eq!(body(&again)?["key"], "first_start_done", "{again}");
    assert!(again.contains("déjà configuré"), "{again}");
    let join = request(
        addr,
        "POST",
        "/api/first-start/join",
        r#"{"text":"https://127.0.0.1:9 ABCD-EFGH"}"#,
    )?;
    assert_eq!(body(&join)?["key"], "first_start_done", "{join}");
    Ok(())
}

#[test]
fn creating_an_event_makes_its_organiser_and_nothing_else() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("fresh.db");
    let served = serve(&db)?;
    let addr = &served.addr;
    let new = |name: &str, last: &str, pin: &str| {
        serde_json::json!({
            "name": name, "first_day": "2026-03-01", "last_day": last,
            "time_zone": "Africa/Bamako", "admin_name": "Awa Traoré", "admin_pin": pin,
        })
        .to_string()
    };

    // Refusals name the field, and leave the station empty.
    let r = request(
        addr,
        "POST",
        "/api/first-start/create",
        &new(" ", "2026-03-02", "41502963"),
    )?;
    assert_eq!(body(&r)?["key"], "first_start_name_missing", "{r}");
    let r = request(
        addr,
        "POST",
        "/api/first-start/create",
        &new("Foire", "2026-02-01", "41502963"),
    )?;
    assert!(
        body(&r)?["message"]
            .as_str()
            .unwrap_or("")
            .contains("2026-02-01"),
        "{r}"
    );
    // An organiser's PIN follows the policy (8 to 12 digits).
    let r = request(
        addr,
        "POST",
        "/api/first-start/create",
        &new("Foire", "2026-03-02", "1234"),
    )?;
    assert_eq!(body(&r)?["code"], "bad_input", "{r}");
    assert!(r.contains("8 à 12 chiffres"), "{r}");
    assert_eq!(
        body(&request(addr, "GET", "/api/first-start", "")?)?["empty"],
        true
    );

    let r = request(
        addr,
        "POST",
        "/api/first-start/create",
        &new("Foire de Kayes", "2026-03-03", "41502963"),
    )?;
    assert_eq!(status(&r), "200", "{r}");
    let event = body(&r)?;
    assert_eq!(event["code"], "FOIREDEKAYES");
    assert_eq!(event["serial_prefix"], "FOI");
    assert_eq!(event["days"].as_array().map(Vec::len), Some(3));
    // One account: the organiser, who signs in with the PIN given.
    let names = body(&request(addr, "GET", "/api/session/staff", "")?)?;
    assert_eq!(names.as_array().map(Vec::len), Some(1), "{names}");
    assert_eq!(status(&sign_in_as(addr, "Awa Traoré", "41502963")?), "200");
    // No demo PIN on a created station.
    let station = body(&request(addr, "GET", "/api/station", "")?)?;
    assert_eq!(station["demo_pins"], 0, "{station}");
    Ok(())
}

#[test]
fn kiosk_enable_writes_the_users_autostart_entry_and_disable_removes_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("config");
    let db = dir.path().join("gate.db");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("XDG_CONFIG_HOME", &config)
            .env_remove("GATEHOUSE_DB")
            .output()
    };
    let out = run(&["kiosk", "enable", "--role", "gate", "--zone", "HALL"])?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entry = std::fs::read_to_string(config.join("autostart/gatehouse-kiosk.desktop"))?;
    assert!(entry.contains("--property=Restart=on-failure"), "{entry}");
    assert!(
        entry.contains(&format!(
            "/usr/bin/gatehouse-app --kiosk --db {} --role gate --zone HALL",
            db.display()
        )),
        "{entry}"
    );
    assert!(entry.contains("Hidden=false"), "{entry}");
    // Not opened: writing the entry makes no database.
    assert!(!db.exists());
    let out = run(&["kiosk", "disable"])?;
    assert!(out.status.success());
    assert!(!config.join("autostart/gatehouse-kiosk.desktop").exists());
    Ok(())
}

/// The package's autostart entry is the one `kiosk enable` writes, hidden:
/// installed for every user, off until one enables it.
#[test]
fn the_packaged_autostart_entry_is_the_hidden_kiosk_entry() -> TestResult {
    let packaged = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/gatehouse-kiosk.desktop"
    ))?;
    assert_eq!(
        packaged,
        gatehouse::kiosk::autostart_entry("/usr/bin/gatehouse-app", &[], true)
    );
    Ok(())
}

/// The console's "back up now" (`POST /api/op/backup_now`): the organiser
/// only, a passphrase of 12 characters or more, an encrypted file in the
/// folder that `gatehouse restore` brings back.
#[test]
fn the_console_backs_the_station_up_into_a_folder() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("station.db");
    http_support::ok(&db, &["demo", "--attendees", "3"])?;
    let served = serve(&db)?;
    let addr = &served.addr;
    let folder = dir.path().join("usb");
    std::fs::create_dir(&folder)?;
    let body = |pass: &str| {
        serde_json::json!({ "folder": folder.display().to_string(), "passphrase": pass, "keep": 2 })
            .to_string()
    };
    // Not signed in: refused.
    let r = request(
        addr,
        "POST",
        "/api/op/backup_now",
        &body("une phrase assez longue"),
    )?;
    assert_eq!(status(&r), "401", "{r}");
    let gate = http_support::body(&sign_in_as(addr, "Contrôle démo", "3333")?)?;
    let gate = gate["token"].as_str().unwrap_or_default().to_string();
    let r = http_support::request_as(
        addr,
        "POST",
        "/api/op/backup_now",
        &gate,
        &body("une phrase assez longue"),
    )?;
    assert_eq!(status(&r), "403", "{r}");

    let admin = http_support::body(&sign_in_as(addr, "Admin démo", "1111")?)?;
    let admin = admin["token"].as_str().unwrap_or_default().to_string();
    let r = http_support::request_as(addr, "POST", "/api/op/backup_now", &admin, &body("court"))?;
    assert!(r.contains("12"), "{r}");
    let r = http_support::request_as(
        addr,
        "POST",
        "/api/op/backup_now",
        &admin,
        &body("une phrase assez longue"),
    )?;
    assert_eq!(status(&r), "200", "{r}");
    let made = http_support::body(&r)?;
    assert_eq!(made["attendees"], 3, "{made}");
    let file = made["file"].as_str().unwrap_or_default().to_string();
    assert!(file.ends_with(".gatehouse.age"), "{file}");
    drop(served);

    // It restores.
    let restored = dir.path().join("restored.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["restore", &file, "--passphrase-file", "-", "--db"])
        .arg(&restored)
        .env_remove("GATEHOUSE_DB")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            if let Some(mut input) = child.stdin.take() {
                input.write_all(b"une phrase assez longue\n")?;
            }
            child.wait_with_output()
        })?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
