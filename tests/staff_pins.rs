//! Going live with real PINs, as an organiser meets it with real processes:
//! `hub` and `pair` refuse while the demo's published PINs are active and
//! say how to change them; `gatehouse staff pin` refuses a PIN below its
//! role's rule, in French and in English; once every PIN is real, a paired
//! gate's database holds its officers' and supervisors' PIN hashes and no
//! one else's, and signs in only them, by name; each station's API does
//! only the work of the role it was paired as.

mod http_support;

use http_support::{gatehouse, json, ok, real_pin, set_real_pins, start_hub, TestResult};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// `gatehouse staff pin NAME --lang LANG`, the PIN on standard input.
fn staff_pin(db: &Path, name: &str, pin: &str, lang: &str) -> TestResult<std::process::Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["staff", "pin", name, "--lang", lang, "--db"])
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("stdin")?
        .write_all(format!("{pin}\n").as_bytes())?;
    Ok(child.wait_with_output()?)
}

/// The PIN hashes a database holds, by role, through sqlite3 as a thief would read them.
fn hashes(db: &Path) -> TestResult<Vec<(String, String)>> {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg("SELECT role, pin_hash FROM staff WHERE pin_hash != ''")
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(r, h)| (r.to_string(), h.to_string()))
        .collect())
}

#[test]
fn hub_and_pair_refuse_demo_pins_and_say_how_to_change_them() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "0", "--starting", "today"],
    )?;
    for args in [
        vec!["hub", "--listen", "127.0.0.1:0"],
        vec!["pair", "--role", "gate"],
    ] {
        let refused = gatehouse(&hub_db, &args);
        assert_eq!(refused.status.code(), Some(1), "{args:?}");
        let why = String::from_utf8_lossy(&refused.stderr);
        for said in [
            "Admin démo (PIN de démonstration)",
            "Superviseur démo (PIN de démonstration)",
            "gatehouse staff pin NOM",
            "Configuration, Comptes du personnel",
        ] {
            assert!(why.contains(said), "{args:?}: {why}");
        }
    }
    let english = gatehouse(&hub_db, &["pair", "--role", "gate", "--lang", "en"]);
    let why = String::from_utf8_lossy(&english.stderr);
    assert!(why.contains("gatehouse staff pin NAME"), "{why}");

    // A PIN below the role's rule is refused, naming the rule.
    let short = staff_pin(&hub_db, "Admin démo", "904172", "fr")?;
    assert_eq!(short.status.code(), Some(1));
    let why = String::from_utf8_lossy(&short.stderr);
    assert!(why.contains("de 8 à 12 chiffres"), "{why}");
    let short = staff_pin(&hub_db, "Contrôle démo", "90417", "en")?;
    let why = String::from_utf8_lossy(&short.stderr);
    assert!(why.contains("6 to 12 digits"), "{why}");
    assert!(staff_pin(&hub_db, "Contrôle démo", "904172", "fr")?
        .status
        .success());

    // One account left with its demo PIN: still refused, naming it alone.
    for (name, role) in [("Admin démo", "admin"), ("Accueil démo", "desk")] {
        assert!(staff_pin(&hub_db, name, real_pin(role), "fr")?
            .status
            .success());
    }
    let refused = gatehouse(&hub_db, &["pair", "--role", "gate"]);
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("Superviseur démo") && !why.contains("Admin démo"),
        "{why}"
    );
    let list = ok(&hub_db, &["staff", "list"])?;
    assert!(list.contains("PIN de démonstration"), "{list}");
    set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "gate"])?;
    assert_eq!(pair["url"].as_str(), Some(url.as_str()), "{pair}");
    Ok(())
}

#[test]
fn a_paired_gate_holds_no_admin_or_desk_pin_hash_and_lists_its_officers_only() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let mut stations = Vec::new();
    for role in ["gate", "desk"] {
        let db = dir.path().join(format!("{role}.db"));
        let pair = json(&hub_db, &["pair", "--role", role])?;
        ok(
            &db,
            &["join", &url, "--code", pair["code"].as_str().ok_or("code")?],
        )?;
        ok(&db, &["sync"])?;
        stations.push(db);
    }
    let roles = |db: &Path| -> TestResult<Vec<String>> {
        let mut r: Vec<String> = hashes(db)?.into_iter().map(|(r, _)| r).collect();
        r.sort();
        Ok(r)
    };
    assert_eq!(roles(&stations[0])?, ["gate", "supervisor"], "the gate");
    assert_eq!(
        roles(&stations[1])?,
        ["admin", "desk", "gate", "supervisor"],
        "the desk"
    );
    // The hash the gate holds is the hub's, at the current cost.
    for (_, hash) in hashes(&stations[0])? {
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
            "{hash}"
        );
    }

    let served = http_support::serve(&stations[0])?;
    let list = http_support::body(&http_support::request(
        &served.addr,
        "GET",
        "/api/session/staff",
        "",
    )?)?;
    let mut names: Vec<&str> = list
        .as_array()
        .ok_or("a list")?
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Contrôle démo", "Superviseur démo"], "{list}");
    assert!(
        !list.to_string().contains("argon2"),
        "names and roles only: {list}"
    );
    let signed =
        http_support::sign_in_as(&served.addr, "Superviseur démo", real_pin("supervisor"))?;
    assert!(signed.starts_with("HTTP/1.1 200"), "{signed}");

    // A station does the work of the role it was paired as, in its API too
    // (issue 21, item 3). The gate: an organiser cannot sign in there at all
    // (it holds no organiser's PIN), and what is signed in there reaches
    // neither the desk's routes nor the console's.
    let desk = http_support::serve(&stations[1])?;
    let admin_id = http_support::staff_id(&desk.addr, "Admin démo")?;
    let as_admin = http_support::request(
        &served.addr,
        "POST",
        "/api/session",
        &serde_json::json!({ "staff_id": admin_id, "pin": real_pin("admin") }).to_string(),
    )?;
    assert!(as_admin.starts_with("HTTP/1.1 401"), "{as_admin}");
    let supervisor = http_support::body(&signed)?["token"]
        .as_str()
        .ok_or("token")?
        .to_string();
    for (method, path, body) in [
        ("POST", "/api/op/search_attendees", r#"{"query":"a"}"#),
        ("POST", "/api/op/sync_stations", ""),
    ] {
        let r = http_support::request_as(&served.addr, method, path, &supervisor, body)?;
        assert!(r.starts_with("HTTP/1.1 403"), "{path}: {r}");
        let refusal = http_support::body(&r)?;
        assert_eq!(refusal["code"], "forbidden", "{refusal}");
    }
    let scans =
        http_support::request_as(&served.addr, "POST", "/api/op/list_scans", &supervisor, "")?;
    assert!(scans.starts_with("HTTP/1.1 200"), "{scans}");

    // The desk: an organiser signs in there and does a desk's work, but not
    // the console's; told so in French, and in English when asked.
    let signed = http_support::sign_in_as(&desk.addr, "Admin démo", real_pin("admin"))?;
    assert!(signed.starts_with("HTTP/1.1 200"), "{signed}");
    let admin = http_support::body(&signed)?["token"]
        .as_str()
        .ok_or("token")?
        .to_string();
    let found = http_support::request_as(
        &desk.addr,
        "POST",
        "/api/op/search_attendees",
        &admin,
        r#"{"query":"a"}"#,
    )?;
    assert!(found.starts_with("HTTP/1.1 200"), "{found}");
    for (method, path, body) in [
        ("POST", "/api/op/sync_stations", ""),
        ("POST", "/api/op/sync_open_codes", ""),
        (
            "POST",
            "/api/op/override_denial",
            r#"{"req":{"scan_id":"x","supervisor":"x","pin":"99999999","reason":"x"}}"#,
        ),
    ] {
        let r = http_support::request_as(&desk.addr, method, path, &admin, body)?;
        assert!(r.starts_with("HTTP/1.1 403"), "{path}: {r}");
        let refusal = http_support::body(&r)?;
        assert_eq!(refusal["code"], "forbidden", "{refusal}");
        assert_eq!(refusal["key"], "station_may_not", "{refusal}");
        let message = refusal["message"].as_str().ok_or("message")?;
        assert!(
            message.contains("ce poste est appairé comme poste « accueil »")
                && message.contains("sur le hub ou sur un poste organisateur"),
            "{message}"
        );
    }
    let english = http_support::send_bytes(
        &desk.addr,
        "POST",
        "/api/op/sync_stations",
        &format!("Authorization: Bearer {admin}\r\nAccept-Language: en\r\n"),
        b"",
    )?;
    let message = http_support::body(&english)?["message"]
        .as_str()
        .ok_or("message")?
        .to_string();
    assert!(
        message.contains("this station is paired as desk")
            && message.contains("on the hub or an organiser station"),
        "{message}"
    );
    Ok(())
}
