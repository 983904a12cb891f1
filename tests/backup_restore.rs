//! Backups of a live station and their restore, with the real binary: a
//! backup taken while a gate keeps scanning (each scan its own `gatehouse
//! scan` process) holds every scan acknowledged before it started; a
//! paired gate restored onto a fresh laptop is still paired; a wrong
//! passphrase, a damaged file, a short passphrase and a restore over an
//! existing database are refused in plain words.

#![cfg(unix)]

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

mod http_support;

use http_support::{gatehouse, json, ok, start_hub, TestResult};

const PASSPHRASE: &str = "la clé est sous le paillasson";

/// `gatehouse ARGS --db DB` with `passphrase` on standard input
/// (`--passphrase-file -`).
fn with_passphrase(db: &Path, args: &[&str], passphrase: &str) -> TestResult<std::process::Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .args(["--passphrase-file", "-", "--db"])
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .env_remove("GATEHOUSE_LANG")
        .env_remove("GATEHOUSE_BACKUP_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("stdin")?
        .write_all(format!("{passphrase}\n").as_bytes())?;
    Ok(child.wait_with_output()?)
}

fn succeeded(out: std::process::Output) -> TestResult<String> {
    if !out.status.success() {
        return Err(format!(
            "failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ids of the scans `db` holds.
fn scan_ids(db: &Path) -> TestResult<Vec<String>> {
    let scans = json(db, &["scans"])?;
    Ok(scans
        .as_array()
        .ok_or("scans is a list")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect())
}

/// A gate scanning `token` again and again, each scan a `gatehouse scan`
/// process; the id of every scan it was told was recorded, in order.
struct Burst {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    thread: std::thread::JoinHandle<Result<(), String>>,
}

impl Burst {
    fn start(db: &Path, zone: &str, token: &str) -> Burst {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let (db, zone, token) = (db.to_owned(), zone.to_string(), token.to_string());
        let (halt, acks) = (stop.clone(), acknowledged.clone());
        let scan = move || -> TestResult<()> {
            let mut direction = ["in", "out"].iter().cycle();
            while !halt.load(Ordering::SeqCst) {
                let out = gatehouse(
                    &db,
                    &[
                        "scan",
                        "--json",
                        "--zone",
                        &zone,
                        "--direction",
                        direction.next().ok_or("direction")?,
                        &token,
                    ],
                );
                // 0 admitted, 3 denied: recorded either way.
                if !matches!(out.status.code(), Some(0 | 3)) {
                    return Err(format!("scan failed: {}", stderr(&out)).into());
                }
                let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
                let id = v["id"].as_str().ok_or("scan id")?.to_string();
                acks.lock().map_err(|_| "poisoned")?.push(id);
            }
            Ok(())
        };
        let thread = std::thread::spawn(move || scan().map_err(|e| e.to_string()));
        Burst {
            stop,
            acknowledged,
            thread,
        }
    }

    fn acknowledged(&self) -> TestResult<Vec<String>> {
        Ok(self.acknowledged.lock().map_err(|_| "poisoned")?.clone())
    }

    /// Waits until at least `n` scans were acknowledged.
    fn wait_for(&self, n: usize) -> TestResult<Vec<String>> {
        loop {
            let acks = self.acknowledged()?;
            if acks.len() >= n || self.thread.is_finished() {
                return Ok(acks);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    fn finish(self) -> TestResult<Vec<String>> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().map_err(|_| "burst thread panicked")??;
        Ok(self.acknowledged.lock().map_err(|_| "poisoned")?.clone())
    }
}

#[test]
fn a_backup_taken_while_a_paired_gate_scans_restores_every_acknowledged_scan_still_paired(
) -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let hub_db = p("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "3", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "gate", "--name", "Porte Hall"])?;
    let code = pair["short"].as_str().ok_or("short code")?.to_string();
    let gate = p("gate").join("gate.db");
    json(&gate, &["join", &url, &code])?;
    ok(&gate, &["sync"])?;
    let status_before = ok(&gate, &["sync", "--status", "--lang", "en"])?;

    let burst = Burst::start(&gate, "HALL", &token);
    let before = burst.wait_for(5)?;
    assert!(before.len() >= 5, "the gate scans: {before:?}");
    // Every scan acknowledged before the backup starts must be in it.
    let acknowledged = burst.acknowledged()?;
    let stick = p("stick");
    std::fs::create_dir(&stick)?;
    let file = stick.join("gate.gatehouse-backup");
    let made = succeeded(with_passphrase(
        &gate,
        &[
            "backup",
            "--out",
            file.to_str().ok_or("path")?,
            "--lang",
            "en",
        ],
        PASSPHRASE,
    )?)?;
    assert!(made.contains("Encrypted backup"), "{made}");
    let during = burst.acknowledged()?;
    let all = burst.finish()?;
    assert!(
        during.len() > acknowledged.len(),
        "the gate kept scanning while the backup was taken ({} then {})",
        acknowledged.len(),
        during.len()
    );
    assert_eq!(
        std::fs::metadata(&file)?.permissions().mode() & 0o777,
        0o600
    );
    // Nothing in clear: not a SQLite file, no badge number or credential.
    let bytes = std::fs::read(&file)?;
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    for clear in [&b"SQLite format 3"[..], b"BMX-000001", b"PRIVATE KEY"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear),
            "{} in clear in the backup",
            String::from_utf8_lossy(clear)
        );
    }
    // No plain copy left beside the database or on the stick.
    let left: Vec<_> = std::fs::read_dir(gate.parent().ok_or("dir")?)?
        .chain(std::fs::read_dir(&stick)?)
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.contains(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Onto a fresh laptop: the whole station, still paired.
    let fresh = p("fresh").join("gate.db");
    let restored = succeeded(with_passphrase(
        &fresh,
        &["restore", file.to_str().ok_or("path")?, "--lang", "en"],
        PASSPHRASE,
    )?)?;
    assert!(restored.contains("still paired with the hub"), "{restored}");
    let kept = scan_ids(&fresh)?;
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|id| !kept.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing from it: {missing:?}"
    );
    // Nothing that was not scanned, and no scan twice.
    assert!(kept.iter().all(|id| all.contains(id)));
    let mut unique = kept.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), kept.len());

    assert_eq!(
        ok(&fresh, &["sync", "--status", "--lang", "en"])?,
        status_before
    );
    let keys = p("fresh").join("gate.db.keys");
    assert!(keys.join("paired.json").is_file());
    assert_eq!(
        std::fs::metadata(&keys)?.permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(&fresh)?.permissions().mode() & 0o777,
        0o600
    );
    ok(&fresh, &["audit", "verify"])?;
    Ok(())
}

#[test]
fn wrong_passphrases_damaged_files_and_existing_databases_are_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let db = p("desk.db");
    ok(&db, &["demo", "--attendees", "2", "--starting", "today"])?;
    let file = p("desk.backup");
    let out = file.to_str().ok_or("path")?;

    // Empty or short passphrases, in French by default and in English.
    let empty = with_passphrase(&db, &["backup", "--out", out], "")?;
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        stderr(&empty).contains("phrase secrète : elle est vide"),
        "{}",
        stderr(&empty)
    );
    let short = with_passphrase(&db, &["backup", "--out", out, "--lang", "en"], "sesame")?;
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("6 characters is too short; a backup's passphrase has at least 12"),
        "{}",
        stderr(&short)
    );
    // None given, no terminal: said how to give one.
    let none = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["backup", "--out", out, "--db"])
        .arg(&db)
        .env_remove("GATEHOUSE_BACKUP_PASSPHRASE")
        .stdin(Stdio::null())
        .output()?;
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr(&none).contains("--passphrase-file"),
        "{}",
        stderr(&none)
    );
    assert!(!file.exists());

    // From the environment, for a script.
    let made = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["backup", "--out", out, "--db"])
        .arg(&db)
        .env("GATEHOUSE_BACKUP_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()?;
    succeeded(made)?;
    // A backup never replaces a file.
    let again = with_passphrase(&db, &["backup", "--out", out, "--lang", "en"], PASSPHRASE)?;
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    // A wrong passphrase.
    let target = p("restored.db");
    let wrong = with_passphrase(&target, &["restore", out], "pas la bonne phrase du tout")?;
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("cette phrase secrète n'ouvre pas cette sauvegarde"),
        "{}",
        stderr(&wrong)
    );
    assert!(!target.exists(), "nothing restored");

    // A damaged file (one byte changed far in) and a file cut short.
    let mut bytes = std::fs::read(&file)?;
    let damaged = p("damaged.backup");
    let at = bytes.len() * 2 / 3;
    bytes[at] ^= 0x40;
    std::fs::write(&damaged, &bytes)?;
    let cut = p("cut.backup");
    std::fs::write(&cut, &std::fs::read(&file)?[..bytes.len() / 2])?;
    for broken in [&damaged, &cut] {
        let said = with_passphrase(
            &target,
            &["restore", broken.to_str().ok_or("path")?, "--lang", "en"],
            PASSPHRASE,
        )?;
        assert_eq!(said.status.code(), Some(1));
        assert!(
            stderr(&said).contains("the file is damaged, cut short (copied in part?) or was altered; nothing was restored"),
            "{}",
            stderr(&said)
        );
        assert!(!target.exists(), "nothing restored");
    }
    // Not a backup at all: the database itself.
    let foreign = with_passphrase(
        &target,
        &["restore", db.to_str().ok_or("path")?, "--lang", "en"],
        PASSPHRASE,
    )?;
    assert!(
        stderr(&foreign).contains("not a Gatehouse backup"),
        "{}",
        stderr(&foreign)
    );

    // Never over an existing database: the station's own is left alone.
    let before = std::fs::read(&db)?;
    let over = with_passphrase(&db, &["restore", out], PASSPHRASE)?;
    assert_eq!(over.status.code(), Some(1));
    assert!(
        stderr(&over).contains("existe déjà : une restauration crée une nouvelle base"),
        "{}",
        stderr(&over)
    );
    assert_eq!(std::fs::read(&db)?, before);

    // The right one, at last.
    let restored = succeeded(with_passphrase(
        &target,
        &["restore", out, "--lang", "en"],
        PASSPHRASE,
    )?)?;
    assert!(restored.contains("2 attendees"), "{restored}");
    let people = json(&target, &["search", "BMX-000001"])?;
    assert!(people.to_string().contains("BMX-000001"), "{people}");
    Ok(())
}

#[test]
fn a_paired_station_restored_from_a_backup_older_than_the_hub_says_so_when_it_syncs() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let hub_db = p("hub.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "2", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "gate", "--name", "Porte Hall"])?;
    let code = pair["short"].as_str().ok_or("short code")?.to_string();
    let gate = p("gate.db");
    json(&gate, &["join", &url, &code])?;
    ok(&gate, &["sync"])?;
    ok(&gate, &["scan", "--zone", "HALL", &token])?;
    ok(&gate, &["sync"])?;
    let file = p("gate.backup");
    let file = file.to_str().ok_or("path")?;
    succeeded(with_passphrase(
        &gate,
        &["backup", "--out", file],
        PASSPHRASE,
    )?)?;
    // The laptop goes on scanning and syncing, then dies.
    ok(
        &gate,
        &["scan", "--zone", "HALL", "--direction", "out", &token],
    )?;
    ok(&gate, &["sync"])?;

    let fresh = p("fresh.db");
    let restored = succeeded(with_passphrase(
        &fresh,
        &["restore", file, "--lang", "en"],
        PASSPHRASE,
    )?)?;
    assert!(
        restored.contains("Sync it (`gatehouse sync`) before it records anything"),
        "{restored}"
    );
    let behind = gatehouse(&fresh, &["sync", "--lang", "en"]);
    assert_eq!(behind.status.code(), Some(1));
    let said = stderr(&behind);
    assert!(
        said.contains(
            "it was restored from an older backup, so the hub already holds everything in it"
        ) && said.contains("gatehouse pair --replaces"),
        "{said}"
    );
    // The sync status says it too, until the station is paired anew.
    let status = ok(&fresh, &["sync", "--status", "--lang", "en"])?;
    assert!(status.contains("restored from an older backup"), "{status}");

    // Paired anew as it says, with a new database: the hub holds every scan
    // the backup held, and the one made after it.
    let stations = json(&hub_db, &["stations"])?;
    let old = stations
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == "Porte Hall"))
        .and_then(|s| s["station"].as_str())
        .ok_or("the gate's station id")?
        .to_string();
    let again = json(
        &hub_db,
        &[
            "pair",
            "--role",
            "gate",
            "--name",
            "Porte Hall 2",
            "--replaces",
            &old,
        ],
    )?;
    let code = again["short"].as_str().ok_or("short code")?.to_string();
    let new = p("new.db");
    json(&new, &["join", &url, &code])?;
    ok(&new, &["sync"])?;
    ok(&new, &["scan", "--zone", "HALL", &token])?;
    ok(&new, &["sync"])?;
    let in_backup = scan_ids(&fresh)?;
    let at_hub = scan_ids(&hub_db)?;
    assert!(
        in_backup.iter().all(|id| at_hub.contains(id)),
        "{in_backup:?} {at_hub:?}"
    );
    assert_eq!(at_hub.len(), 3, "{at_hub:?}");
    Ok(())
}

#[test]
fn backups_into_a_folder_keep_the_last_few_and_serve_makes_them_by_itself() -> TestResult {
    use std::io::BufRead;
    let dir = tempfile::tempdir()?;
    let p = |name: &str| dir.path().join(name);
    let db = p("desk.db");
    ok(&db, &["demo", "--attendees", "2", "--starting", "today"])?;
    let stick = p("stick");
    std::fs::create_dir(&stick)?;
    // Another station's backup and a file of the organiser's stay.
    std::fs::write(stick.join("gate-20260101T000000Z.gatehouse.age"), b"x")?;
    std::fs::write(stick.join("notes.txt"), b"x")?;
    let folder = stick.to_str().ok_or("path")?;
    for _ in 0..3 {
        succeeded(with_passphrase(
            &db,
            &["backup", "--into", folder, "--keep", "2"],
            PASSPHRASE,
        )?)?;
        // Backups are named to the second.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let mut names: Vec<String> = std::fs::read_dir(&stick)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names[0].starts_with("desk-") && names[1].starts_with("desk-"));
    assert_eq!(
        &names[2..],
        ["gate-20260101T000000Z.gatehouse.age", "notes.txt"]
    );
    // The newest restores.
    let newest = stick.join(&names[1]);
    succeeded(with_passphrase(
        &p("again.db"),
        &["restore", newest.to_str().ok_or("path")?],
        PASSPHRASE,
    )?)?;

    // serve --backup-every: one at once, then every period.
    let auto = p("auto");
    std::fs::create_dir(&auto)?;
    let child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args([
            "serve",
            "--lang",
            "en",
            "--listen",
            "127.0.0.1:0",
            "--backup-every",
            "5",
        ])
        .arg("--backup-into")
        .arg(&auto)
        .arg("--db")
        .arg(&db)
        .env_remove("GATEHOUSE_DB")
        .env("GATEHOUSE_BACKUP_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut served = http_support::Running(child);
    let stdout = served.0.stdout.take().ok_or("stdout")?;
    let made = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Automatic backup:"))
        .ok_or("serve made no backup")?;
    drop(served);
    let file = made.trim_start_matches("Automatic backup:").trim();
    assert!(Path::new(file).starts_with(&auto), "{made}");
    succeeded(with_passphrase(
        &p("auto.db"),
        &["restore", file],
        PASSPHRASE,
    )?)?;
    // Without a passphrase, serve does not start with backups that would fail.
    let refused = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["serve", "--listen", "127.0.0.1:0", "--backup-every", "5"])
        .arg("--backup-into")
        .arg(&auto)
        .arg("--db")
        .arg(&db)
        .env_remove("GATEHOUSE_BACKUP_PASSPHRASE")
        .stdin(Stdio::null())
        .output()?;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("phrase secrète"),
        "{}",
        stderr(&refused)
    );
    Ok(())
}
