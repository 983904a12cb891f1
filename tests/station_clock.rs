//! Gates whose clocks are wrong, as real processes under `faketime`: a hub
//! whose clock reads 11 November 2025 10:00 (Bamako, UTC) and gates 10
//! minutes and a day behind and ahead of it. Each is told in plain words,
//! decides on the hub's time (a one-day contractor badge admitted on its
//! day only), keeps receiving revocations, drags no clock, notices its wall
//! clock changed while it is cut off, and stops saying so once its clock is
//! set. Needs the `faketime` command (Debian package `faketime`).

mod http_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// The hub's clock: 11 November 2025 10:00 UTC when it started, then runs.
struct HubClock {
    start_ms: i64,
    started: Instant,
}

impl HubClock {
    fn now_ms(&self) -> i64 {
        self.start_ms + i64::try_from(self.started.elapsed().as_millis()).unwrap_or(0)
    }

    /// A `faketime` setting for a clock `offset_ms` from the hub's now.
    fn spec(&self, offset_ms: i64) -> Result<String, Box<dyn std::error::Error>> {
        let t = jiff::Timestamp::from_millisecond(self.now_ms() + offset_ms)?;
        Ok(format!("@{}", t.strftime("%Y-%m-%d %H:%M:%S")))
    }
}

fn faketime_available() -> bool {
    Command::new("faketime")
        .args(["-f", "+0", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The library the `faketime` command preloads.
fn libfaketime() -> Option<std::path::PathBuf> {
    let dirs = std::fs::read_dir("/usr/lib").ok()?;
    std::iter::once(std::path::PathBuf::from("/usr/lib"))
        .chain(dirs.filter_map(|d| d.ok().map(|d| d.path())))
        .map(|d| d.join("faketime/libfaketime.so.1"))
        .find(|p| p.exists())
}

/// `gatehouse ARGS --db DB` with its clock set by `faketime` to `spec`
/// (`None`: the machine's clock). The time since boot is left alone, as
/// setting a real clock does.
fn run(db: &Path, spec: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = match spec {
        Some(spec) => {
            let mut c = Command::new("faketime");
            c.args(["-f", spec, env!("CARGO_BIN_EXE_gatehouse")]);
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_gatehouse")),
    };
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env_remove("GATEHOUSE_DB")
        .output()
        .expect("run gatehouse")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(
    db: &Path,
    spec: Option<&str>,
    args: &[&str],
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let out = run(db, spec, args);
    let (stdout, stderr) = text(&out);
    if !out.status.success() {
        return Err(format!(
            "gatehouse {args:?} failed ({}): {stderr}{stdout}",
            out.status
        )
        .into());
    }
    Ok((stdout, stderr))
}

fn json(
    db: &Path,
    spec: Option<&str>,
    args: &[&str],
) -> Result<(serde_json::Value, String), Box<dyn std::error::Error>> {
    let mut all = args.to_vec();
    all.push("--json");
    let (stdout, stderr) = ok(db, spec, &all)?;
    Ok((serde_json::from_str(&stdout)?, stderr))
}

/// A background process, ended when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Admitted, or let in again with a warning (the badge was scanned in
/// before, here or at another gate): valid that day either way.
fn valid(v: &serde_json::Value) -> bool {
    v["reason"] == "ok" || v["reason"] == "reentry"
}

/// One wrong clock to try, and the words its station must show.
struct Skew {
    name: &'static str,
    offset_ms: i64,
    fr: &'static str,
    en: &'static str,
}

#[test]
fn gates_with_wrong_clocks_are_told_decide_on_the_hubs_time_and_recover() -> TestResult {
    assert!(
        faketime_available(),
        "this test needs the `faketime` command: apt-get install faketime (make test-deps)"
    );
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let start: jiff::Timestamp = "2025-11-11T10:00:00Z".parse()?;
    let clock = HubClock {
        start_ms: start.as_millisecond(),
        started: Instant::now(),
    };
    let hub_at = |c: &HubClock| c.spec(0);

    // The event runs from 10 to 13 November; two contractors hold one-day
    // badges, for the 11th (the hub's today) and the 12th.
    ok(
        &hub_db,
        Some(&hub_at(&clock)?),
        &["demo", "--attendees", "6", "--starting", "2025-11-10"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let csv = dir.path().join("contractors.csv");
    std::fs::write(
        &csv,
        "Prénom;Nom;Société;Pays;Catégorie;Email;Zones;Jours\n\
         Awa;Onze;Traiteur;Mali;CTR;awa@traiteur.example;;2025-11-11\n\
         Bina;Douze;Traiteur;Mali;CTR;bina@traiteur.example;;2025-11-12\n",
    )?;
    ok(
        &hub_db,
        Some(&hub_at(&clock)?),
        &["import", csv.to_str().ok_or("path")?],
    )?;
    let serial_of = |name: &str| -> Result<String, Box<dyn std::error::Error>> {
        let (v, _) = json(&hub_db, Some(&hub_at(&clock)?), &["search", name])?;
        Ok(v[0]["serial"].as_str().ok_or("serial")?.to_string())
    };
    let token_of = |serial: &str| -> Result<String, Box<dyn std::error::Error>> {
        Ok(ok(&hub_db, Some(&hub_at(&clock)?), &["token", serial])?
            .0
            .trim()
            .to_string())
    };
    let today = token_of(&serial_of("Onze")?)?;
    let tomorrow = token_of(&serial_of("Douze")?)?;

    // The hub runs with libfaketime preloaded itself (the `faketime` command
    // would fork it, and stopping the command would leave the hub running).
    let hub_log = dir.path().join("hub.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["hub", "--json", "--listen", "127.0.0.1:0", "--db"])
        .arg(&hub_db)
        .env(
            "LD_PRELOAD",
            libfaketime().ok_or("libfaketime.so.1 not found")?,
        )
        .env("FAKETIME", hub_at(&clock)?)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env_remove("GATEHOUSE_DB")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&hub_log)?)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("hub stdout")?;
    let hub = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = serde_json::from_str::<serde_json::Value>(&line)?["url"]
        .as_str()
        .ok_or("hub prints its url")?
        .to_string();

    let skews = [
        Skew {
            name: "10 min behind",
            offset_ms: -10 * MIN,
            fr: "a 10 min de retard sur le hub",
            en: "is 10 min behind the hub",
        },
        Skew {
            name: "10 min ahead",
            offset_ms: 10 * MIN,
            fr: "a 10 min d'avance sur le hub",
            en: "is 10 min ahead of the hub",
        },
        Skew {
            name: "a day behind",
            offset_ms: -DAY,
            fr: "a 1 jour de retard sur le hub",
            en: "is 1 day behind the hub",
        },
        Skew {
            name: "a day ahead",
            offset_ms: DAY,
            fr: "a 1 jour d'avance sur le hub",
            en: "is 1 day ahead of the hub",
        },
    ];
    for (k, skew) in skews.iter().enumerate() {
        let name = skew.name;
        let gate = dir.path().join(format!("gate{k}.db"));
        let wrong = || clock.spec(skew.offset_ms);
        let (pair, _) = json(&hub_db, Some(&hub_at(&clock)?), &["pair", "--role", "gate"])?;
        let code = pair["code"].as_str().ok_or("code")?.to_string();

        // Joined with a wrong clock: told at once, and it receives the event.
        let (_, said) = ok(&gate, Some(&wrong()?), &["join", &url, "--code", &code])?;
        assert!(said.contains(skew.fr), "{name}: join says {said:?}");
        let (_, said) = ok(&gate, Some(&wrong()?), &["sync"])?;
        assert!(said.contains(skew.fr), "{name}: sync says {said:?}");
        assert!(said.contains("réglez-la sur 10:"), "{name}: {said:?}");
        let (_, said) = ok(&gate, Some(&wrong()?), &["--lang", "en", "sync"])?;
        assert!(said.contains(skew.en), "{name}: {said:?}");

        // It decides on the hub's day: the contractor of the 11th is admitted,
        // the one of the 12th is not, and the record bears the hub's date.
        let (v, said) = json(&gate, Some(&wrong()?), &["scan", "--zone", "HALL", &today])?;
        assert!(valid(&v), "{name}: {v}");
        assert!(
            v["at"]
                .as_str()
                .is_some_and(|at| at.starts_with("2025-11-11T10:")),
            "{name}: {v}"
        );
        assert!(said.contains(skew.fr), "{name}: scan says {said:?}");
        let out = run(
            &gate,
            Some(&wrong()?),
            &["verify", "--zone", "HALL", "--json", &tomorrow],
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(v["decision"], "deny", "{name}: {v}");
        assert_eq!(v["reason"], "not_yet_valid", "{name}: {v}");

        // A revocation made while it is off reaches it at its next sync,
        // before it decides again.
        let serial = format!("BMX-00000{}", k + 1);
        let badge = token_of(&serial)?;
        ok(
            &hub_db,
            Some(&hub_at(&clock)?),
            &["revoke", &serial, "--reason", "lost"],
        )?;
        let mut revoked = false;
        for _ in 0..20 {
            ok(&gate, Some(&wrong()?), &["sync"])?;
            let (v, _) = json(
                &gate,
                Some(&wrong()?),
                &["verify", "--zone", "HALL", &badge],
            )?;
            if v["reason"] == "revoked" {
                revoked = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        assert!(revoked, "{name}: the revocation reaches the gate");

        // The hub tells how far off this station is; no clock was dragged.
        let (peers, _) = json(&hub_db, Some(&hub_at(&clock)?), &["stations"])?;
        let offsets: Vec<i64> = peers
            .as_array()
            .ok_or("stations array")?
            .iter()
            .filter_map(|p| p["clock_offset_ms"].as_i64())
            .collect();
        assert!(
            offsets.iter().any(|o| (o + skew.offset_ms).abs() < 30_000),
            "{name}: the hub shows the station's offset: {peers}"
        );
        for db in [&hub_db, &gate] {
            let out = Command::new("sqlite3")
                .arg(db)
                .arg("SELECT wall_ms FROM sync_state WHERE id = 1")
                .output()?;
            let hlc: i64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0);
            assert!(
                hlc <= clock.now_ms() + 60_000,
                "{name}: {}'s clock was dragged to {hlc} (hub time {})",
                db.display(),
                clock.now_ms()
            );
        }

        // Its clock set right: nothing more to tell, even before it syncs.
        let (v, said) = json(
            &gate,
            Some(&clock.spec(0)?),
            &["verify", "--zone", "HALL", &today],
        )?;
        assert!(valid(&v), "{name}: {v}");
        assert!(
            !said.contains("horloge"),
            "{name}: still told after the clock was set: {said:?}"
        );
        let (_, said) = ok(&gate, Some(&clock.spec(0)?), &["sync"])?;
        assert!(!said.contains("horloge"), "{name}: {said:?}");
        let (st, _) = json(&gate, Some(&clock.spec(0)?), &["sync", "--status"])?;
        assert!(st["last_error"].is_null(), "{name}: {st}");

        // Its wall clock changed again while the hub is out of reach: noticed,
        // and the decision keeps the hub's day.
        let (v, said) = json(
            &gate,
            Some(&clock.spec(-skew.offset_ms)?),
            &["verify", "--zone", "HALL", &today],
        )?;
        assert!(valid(&v), "{name}: {v}");
        assert!(
            said.contains("horloge de ce poste"),
            "{name}: not noticed: {said:?}"
        );
    }

    // The hub logged each skewed station.
    drop(hub);
    let log: Vec<String> = std::fs::read_to_string(&hub_log)?
        .lines()
        .map(str::to_string)
        .collect();
    let told = log
        .iter()
        .filter(|l| l.contains("'s clock is") && l.contains("the hub's"))
        .count();
    assert!(
        told >= skews.len(),
        "the hub logs each skewed station: {log:#?}"
    );
    Ok(())
}

#[test]
fn a_gate_cut_off_from_sync_says_how_old_its_revocations_are() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let gate = dir.path().join("gate.db");
    ok(
        &hub_db,
        None,
        &["demo", "--attendees", "3", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let token = ok(&hub_db, None, &["token", "BMX-000001"])?
        .0
        .trim()
        .to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["hub", "--json", "--listen", "127.0.0.1:0", "--db"])
        .arg(&hub_db)
        .env_remove("GATEHOUSE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("hub stdout")?;
    let hub = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = serde_json::from_str::<serde_json::Value>(&line)?["url"]
        .as_str()
        .ok_or("hub prints its url")?
        .to_string();
    let (pair, _) = json(&hub_db, None, &["pair", "--role", "gate"])?;
    ok(
        &gate,
        None,
        &["join", &url, "--code", pair["code"].as_str().ok_or("code")?],
    )?;
    ok(&gate, None, &["sync"])?;
    let (_, said) = ok(&gate, None, &["verify", "--zone", "HALL", &token])?;
    assert!(!said.contains("révocations"), "just synced: {said:?}");

    // The hub goes away; the last round completed 14 minutes ago.
    drop(hub);
    let out = Command::new("sqlite3")
        .arg(&gate)
        .arg(
            "UPDATE sync_link SET last_sync = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-14 minutes')",
        )
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (stdout, said) = ok(&gate, None, &["scan", "--zone", "HALL", &token])?;
    assert!(stdout.starts_with("ADMIS"), "{stdout}");
    assert!(
        said.contains("révocations reçues il y a 14 min"),
        "{said:?}"
    );
    let (_, said) = ok(
        &gate,
        None,
        &["--lang", "en", "verify", "--zone", "HALL", &token],
    )?;
    assert!(
        said.contains("revocations last received 14 min ago"),
        "{said:?}"
    );

    // How long is too long is the station's to set.
    ok(&gate, None, &["sync", "--warn-after", "20m"])?;
    let (_, said) = ok(&gate, None, &["verify", "--zone", "HALL", &token])?;
    assert!(!said.contains("révocations"), "{said:?}");
    let refused = run(&gate, None, &["sync", "--warn-after", "5s"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).1.contains("from 30 seconds to 24 hours"));
    Ok(())
}
