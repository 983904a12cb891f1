//! Station trust, as an attacker with a paired gate laptop would try it:
//! the shipped CLI, `sqlite3` on the gate's own database and raw requests
//! with the gate's credential. A hub, honest gates and a desk run as separate
//! processes on loopback. Every attack is refused or held aside, flagged and
//! audited on the hub, while honest traffic keeps flowing: a revocation made
//! on the hub reaches a watching honest gate, which still admits genuine
//! badges.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod http_support;

use http_support::{gatehouse, json, ok, start_hub, Running, TestResult};

/// Far beyond the 2 s a revocation takes to reach a watching gate (the sync
/// benchmark measures it): only a hang fails here.
const ARRIVAL: Duration = Duration::from_secs(15);

/// `sqlite3` on a station's database, as the attacker uses it.
fn sql(db: &Path, statement: &str) -> TestResult<String> {
    // The hub writes too (its capture loop): wait for the lock as it would.
    let out = Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(db)
        .arg(statement)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "sqlite3 {statement:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

/// Pairs a fresh station with the hub under `role` and syncs it once.
fn join(hub_db: &Path, url: &str, db: &Path, role: &str, name: &str) -> TestResult {
    let pair = json(hub_db, &["pair", "--role", role, "--name", name])?;
    let code = pair["code"].as_str().ok_or("code")?;
    ok(db, &["join", url, "--code", code])?;
    ok(db, &["sync"])?;
    Ok(())
}

fn verify(db: &Path, token: &str) -> TestResult<(String, String)> {
    let v = json(db, &["verify", "--zone", "HALL", token])?;
    Ok((
        v["decision"].as_str().unwrap_or_default().to_string(),
        v["reason"].as_str().unwrap_or_default().to_string(),
    ))
}

/// The hub's open alerts for `station`: the record kinds they name.
fn alerts_for(hub_db: &Path, station: &str) -> TestResult<Vec<String>> {
    let q = json(hub_db, &["quarantine"])?;
    Ok(q["alerts"]
        .as_array()
        .ok_or("alerts")?
        .iter()
        .filter(|a| a["station"].as_str() == Some(station))
        .flat_map(|a| {
            a["kinds"]
                .as_str()
                .unwrap_or_default()
                .split(',')
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect())
}

fn station_id(db: &Path) -> TestResult<String> {
    sql(db, "SELECT uuid FROM station")
}

/// A raw round to the hub with a station's credential, as `curl` sends it
/// (waiting for the hub's go-ahead before the body).
fn raw_round(url: &str, token: &str, body: &serde_json::Value) -> TestResult<(u16, String)> {
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), body.to_string())?;
    http_support::post_round(url, token, file.path(), true)
}

fn audit_actions(hub_db: &Path, action: &str) -> TestResult<usize> {
    Ok(sql(
        hub_db,
        &format!("SELECT COUNT(*) FROM audit WHERE action = '{action}'"),
    )?
    .parse()?)
}

#[test]
fn a_tampered_gate_tells_the_others_nothing_beyond_its_role() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let hub_db = p("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "6", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let genuine = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let hub_id = station_id(&hub_db)?;

    let honest = p("gate-honest.db");
    join(&hub_db, &url, &honest, "gate", "Porte Hall")?;
    assert_eq!(
        verify(&honest, &genuine)?.0,
        "admit",
        "a genuine badge, before"
    );

    // The hub gives each station its own id: two joins never share one.
    let thief = p("gate-thief.db");
    join(&hub_db, &url, &thief, "gate", "Porte VIP")?;
    let thief_id = station_id(&thief)?;
    assert_ne!(thief_id, station_id(&honest)?);

    // 1. Forged badges: the gate's local role set to admin so that `keys
    //    rotate` runs, a badge signed with the new key, then a sync. The key
    //    never reaches the hub's or another gate's trusted set.
    let refused = gatehouse(&thief, &["keys", "rotate"]);
    assert_eq!(refused.status.code(), Some(1), "a gate may not rotate keys");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("poste organisateur"));
    sql(&thief, "UPDATE sync_link SET role = 'admin'")?;
    ok(&thief, &["keys", "rotate"])?;
    let forged = ok(&thief, &["token", "BMX-000002"])?.trim().to_string();
    sql(&thief, "UPDATE sync_link SET role = 'gate'")?;
    assert_eq!(
        verify(&thief, &forged)?.0,
        "admit",
        "the thief's own copy believes it"
    );
    ok(&thief, &["sync"])?;
    ok(&honest, &["sync"])?;
    for db in [&hub_db, &honest] {
        assert_eq!(
            verify(db, &forged)?,
            ("deny".to_string(), "unknown_key".to_string()),
            "{}: a key made on a gate is not trusted",
            db.display()
        );
    }
    let kinds = alerts_for(&hub_db, &thief_id)?;
    assert!(kinds.contains(&"signing_key".to_string()), "{kinds:?}");
    let stations = json(&hub_db, &["stations"])?;
    let thief_row = stations
        .as_array()
        .ok_or("stations")?
        .iter()
        .find(|s| s["station"].as_str() == Some(thief_id.as_str()))
        .ok_or("the thief in the list")?;
    assert!(thief_row["held"].as_i64().unwrap_or(0) > 0, "{thief_row}");

    // 2. Admin takeover: gate accounts made admin in the gate's database.
    let takeover = p("gate-takeover.db");
    join(&hub_db, &url, &takeover, "gate", "Porte Sud")?;
    let admins_before = sql(&hub_db, "SELECT COUNT(*) FROM staff WHERE role = 'admin'")?;
    sql(
        &takeover,
        "UPDATE staff SET role = 'admin' WHERE role = 'gate'",
    )?;
    ok(&takeover, &["sync"])?;
    assert_eq!(
        sql(&hub_db, "SELECT COUNT(*) FROM staff WHERE role = 'admin'")?,
        admins_before,
        "no gate account became admin on the hub"
    );
    let takeover_id = station_id(&takeover)?;
    assert!(alerts_for(&hub_db, &takeover_id)?.contains(&"staff".to_string()));

    // 3. Configuration, key retirement and erasure from a gate.
    let config = p("gate-config.db");
    join(&hub_db, &url, &config, "gate", "Porte Presse")?;
    sql(&config, "UPDATE event SET name = 'FORGED'")?;
    sql(
        &config,
        "UPDATE signing_key SET retired_at = '2025-01-01T00:00:00Z', retired_by = 'x'",
    )?;
    sql(
        &config,
        "UPDATE attendee SET erased_at = '2025-01-01T00:00:00Z', updated_at = 'tampered' WHERE serial = 'BMX-000003'",
    )?;
    ok(&config, &["sync"])?;
    let config_id = station_id(&config)?;
    let kinds = alerts_for(&hub_db, &config_id)?;
    for kind in ["event_config", "key_retired", "attendee_edit"] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }
    assert_ne!(sql(&hub_db, "SELECT name FROM event")?, "FORGED");
    assert_eq!(
        sql(
            &hub_db,
            "SELECT COUNT(*) FROM attendee WHERE erased_at IS NOT NULL"
        )?,
        "0"
    );
    assert_eq!(
        verify(&hub_db, &genuine)?.0,
        "admit",
        "no key retired on the hub"
    );

    // 4. A desk sends a staff account: held too (staff come from admins).
    let desk = p("desk.db");
    join(&hub_db, &url, &desk, "desk", "Accueil 1")?;
    sql(&desk, "UPDATE staff SET role = 'admin' WHERE role = 'desk'")?;
    ok(&desk, &["sync"])?;
    assert!(alerts_for(&hub_db, &station_id(&desk)?)?.contains(&"staff".to_string()));

    // 5. Raw requests with a gate's credential: entries in the hub's own name
    //    (which once wedged the hub's capture), and out of sequence.
    let raw = p("gate-raw.db");
    join(&hub_db, &url, &raw, "gate", "Porte Démo")?;
    let raw_id = station_id(&raw)?;
    let token = sql(&raw, "SELECT token FROM sync_link")?;
    let hub_seq: u64 = sql(
        &hub_db,
        &format!("SELECT COALESCE(MAX(seq), 0) FROM sync_entry WHERE origin = '{hub_id}'"),
    )?
    .parse()?;
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let forged_revocation = |origin: &str, seq: u64| {
        serde_json::json!({
            "origin": origin, "seq": seq,
            "record": {
                "kind": "revocation", "id": format!("forged-{seq}"), "serial": "BMX-000001",
                "reason": "x", "revoked_at": "2025-01-01T00:00:00Z", "revoked_by": "x",
            },
        })
    };
    let (status, body) = raw_round(
        &url,
        &token,
        &serde_json::json!({
            "station": raw_id, "wall_ms": now_ms, "have": {},
            "entries": [forged_revocation(&hub_id, hub_seq + 1), forged_revocation(&hub_id, hub_seq + 2)],
        }),
    )?;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("only its own"), "{body}");
    let (status, body) = raw_round(
        &url,
        &token,
        &serde_json::json!({
            "station": raw_id, "wall_ms": now_ms, "have": {},
            "entries": [forged_revocation(&raw_id, 7)],
        }),
    )?;
    assert_eq!(status, 409, "a gap in the sequence: {body}");
    // In another station's name altogether.
    let (status, body) = raw_round(
        &url,
        &token,
        &serde_json::json!({ "station": hub_id, "wall_ms": now_ms, "have": {}, "entries": [] }),
    )?;
    assert_eq!(status, 403, "{body}");
    assert!(
        alerts_for(&hub_db, &raw_id)?.contains(&"revocation".to_string()),
        "entries in the hub's name are flagged"
    );
    // Without a credential, a large body is refused before it is read.
    let (status, _) = raw_round(
        &url,
        "not-a-credential",
        &serde_json::json!({ "pad": "x".repeat(200_000) }),
    )?;
    assert_eq!(status, 401);

    // Honest traffic keeps flowing: the hub's own revocation (its capture
    // not wedged by the forged entries) reaches the watching honest gate.
    let mut watch = Running(
        Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(["sync", "--watch", "--db"])
            .arg(&honest)
            .env_remove("GATEHOUSE_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let victim = ok(&hub_db, &["token", "BMX-000004"])?.trim().to_string();
    let other = ok(&hub_db, &["token", "BMX-000005"])?.trim().to_string();
    ok(&honest, &["sync"])?;
    assert_eq!(verify(&honest, &victim)?.0, "admit");
    let revoked_at = Instant::now();
    ok(
        &hub_db,
        &["revoke", "BMX-000004", "--reason", "déclaré volé"],
    )?;
    loop {
        if verify(&honest, &victim)?.1 == "revoked" {
            break;
        }
        assert!(
            revoked_at.elapsed() < ARRIVAL,
            "the revocation never reached the gate"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "hub revocation seen at the honest gate after {:?}",
        revoked_at.elapsed()
    );
    assert_eq!(
        verify(&honest, &other)?.0,
        "admit",
        "genuine badges still admitted"
    );
    assert_eq!(verify(&honest, &forged)?.1, "unknown_key");
    let _ = watch.0.kill();

    // Every overstep was audited on the hub.
    assert!(audit_actions(&hub_db, "sync.quarantine")? >= 4);

    // A back-dated scan on a paired gate is refused (it would sync).
    let at = gatehouse(
        &honest,
        &[
            "scan",
            "--zone",
            "HALL",
            "--at",
            "2025-11-11T09:00:00Z",
            &genuine,
        ],
    );
    assert_eq!(at.status.code(), Some(1));

    // The organiser resolves the quarantine: the thief's scans would be
    // applied, its key and badge issue stay withheld; the alert closes.
    let released = json(&hub_db, &["quarantine", "release", &thief_id])?;
    assert!(
        released["withheld"].as_u64().unwrap_or(0) >= 2,
        "{released}"
    );
    assert!(alerts_for(&hub_db, &thief_id)?.is_empty());
    ok(&honest, &["sync"])?;
    assert_eq!(
        verify(&honest, &forged)?.1,
        "unknown_key",
        "released, still not trusted"
    );
    assert_eq!(verify(&hub_db, &forged)?.1, "unknown_key");
    Ok(())
}

#[test]
fn pairing_codes_expire_can_be_cancelled_and_never_take_over_a_station() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;

    let gate = dir.path().join("gate.db");
    join(&hub_db, &url, &gate, "gate", "Porte Hall")?;

    // A cancelled code.
    let code = json(&hub_db, &["pair", "--role", "desk", "--name", "Accueil"])?;
    let label = code["label"].as_str().ok_or("label")?.to_string();
    let open = json(&hub_db, &["pair", "--list"])?;
    assert!(open.to_string().contains(&label), "{open}");
    assert!(
        !open
            .to_string()
            .contains(code["code"].as_str().ok_or("code")?),
        "no secret listed"
    );
    ok(&hub_db, &["pair", "--cancel", &label])?;
    let late = gatehouse(
        &dir.path().join("d1.db"),
        &["join", &url, "--code", code["code"].as_str().ok_or("code")?],
    );
    assert_eq!(late.status.code(), Some(1));
    // Said alike for any code that does not work (never which ones exist).
    assert!(
        String::from_utf8_lossy(&late.stderr).contains("inconnu ou expiré"),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );

    // An expired code (its expiry moved into the past, as 15 minutes would).
    let code = json(&hub_db, &["pair", "--role", "gate", "--valid-for", "2m"])?;
    sql(
        &hub_db,
        &format!(
            "UPDATE sync_pairing_code SET expires_at = '2000-01-01T00:00:00Z' WHERE label = '{}'",
            code["label"].as_str().ok_or("label")?
        ),
    )?;
    let late = gatehouse(
        &dir.path().join("d2.db"),
        &["join", &url, "--code", code["code"].as_str().ok_or("code")?],
    );
    assert_eq!(late.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&late.stderr).contains("inconnu ou expiré"));
    assert!(
        gatehouse(&hub_db, &["pair", "--valid-for", "48h"])
            .status
            .code()
            == Some(1)
    );

    // http:// is refused: the pinned certificate is the whole point.
    let plain = url.replacen("https://", "http://", 1);
    let code = json(&hub_db, &["pair", "--role", "gate"])?;
    let refused = gatehouse(
        &dir.path().join("d3.db"),
        &[
            "join",
            &plain,
            "--code",
            code["code"].as_str().ok_or("code")?,
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("https"));

    // A new join gets a new id; the first gate keeps its credential.
    let other = dir.path().join("gate2.db");
    ok(
        &other,
        &["join", &url, "--code", code["code"].as_str().ok_or("code")?],
    )?;
    assert_ne!(station_id(&other)?, station_id(&gate)?);
    ok(&gate, &["sync"])?;

    // Un-pairing a desk says which keys to rotate and which badges it issued.
    let desk = dir.path().join("desk.db");
    join(&hub_db, &url, &desk, "desk", "Accueil 2")?;
    ok(&desk, &["reprint", "BMX-000001"])?;
    ok(&desk, &["sync"])?;
    let gone = json(&hub_db, &["unpair", &station_id(&desk)?])?;
    assert_eq!(gone["held_signing_keys"], true, "{gone}");
    assert!(!gone["keys_to_rotate"].as_array().ok_or("keys")?.is_empty());
    assert!(
        gone["badges_issued"].to_string().contains("BMX-000001/"),
        "{gone}"
    );
    Ok(())
}
