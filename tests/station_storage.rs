//! A station's database damaged or its disk full, as an operator meets
//! them, with real processes: a database cut short (with and without a WAL
//! holding its latest pages) and a paired station's database emptied or
//! lost refuse to run with what to do, and nothing is deleted or made anew;
//! a full disk (a 3 MB tmpfs) says so in plain words, gives no verdict it
//! cannot record, lets `sync` fail with that cause, and recovers once space
//! is freed.

mod http_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use http_support::{gatehouse, json, ok, refused_in, start_hub, TestResult};

/// A refusal: exit 1, the `--json` error's code, and the French message.
fn refused(db: &Path, args: &[&str]) -> TestResult<(String, String)> {
    refused_in(&[], db, args)
}

/// A gate paired with `hub_db`'s hub, synced once.
fn paired_gate(hub_db: &Path, url: &str, gate: &Path) -> TestResult<String> {
    let pair = json(hub_db, &["pair", "--role", "gate"])?;
    ok(
        gate,
        &["join", url, "--code", pair["code"].as_str().ok_or("code")?],
    )?;
    ok(gate, &["sync"])?;
    let id = Command::new("sqlite3")
        .arg(gate)
        .arg("SELECT uuid FROM station")
        .output()?;
    Ok(String::from_utf8_lossy(&id.stdout).trim().to_string())
}

fn sizes(paths: &[PathBuf]) -> Vec<Option<u64>> {
    paths
        .iter()
        .map(|p| std::fs::metadata(p).ok().map(|m| m.len()))
        .collect()
}

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes what the WAL holds into the database file (as SQLite does when
/// the last process closes it).
fn checkpoint(db: &Path) -> TestResult {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg("PRAGMA wal_checkpoint(TRUNCATE)")
        .output()?;
    if !out.status.success() {
        return Err(format!("sqlite3: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
}

fn cut_to(path: &Path, len: u64) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_len(len)
}

#[test]
fn a_database_cut_short_refuses_to_run_and_nothing_is_deleted() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("gate.db");
    ok(&db, &["demo", "--attendees", "200", "--starting", "today"])?;
    let token = ok(&db, &["token", "BMX-000001"])?.trim().to_string();
    ok(&db, &["scan", "--zone", "HALL", &token])?;

    // Cut to half between two runs (what the WAL held written into the file
    // first), once at a page boundary and once not.
    checkpoint(&db)?;
    let len = std::fs::metadata(&db)?.len();
    for cut in [len / 2 / 4096 * 4096, len / 2 + 100] {
        let copy = dir.path().join(format!("cut-{cut}.db"));
        std::fs::copy(&db, &copy)?;
        cut_to(&copy, cut)?;
        for args in [
            &["scan", "--zone", "HALL", &token][..],
            &["verify", "--zone", "HALL", &token][..],
            &["serve", "--listen", "127.0.0.1:0"][..],
        ] {
            let (code, said) = refused(&copy, args)?;
            assert_eq!(code, "database_damaged", "{args:?}: {said}");
            assert!(
                said.contains("la base de ce poste est endommagée"),
                "{said}"
            );
            assert!(said.contains("tronqué"), "{said}");
            assert!(said.contains("Rien n'a été effacé"), "{said}");
            assert!(!said.contains("ADMIS"), "{said}");
        }
        assert_eq!(
            std::fs::metadata(&copy)?.len(),
            cut,
            "the file is left as it was"
        );
        let out = gatehouse(&copy, &["--lang", "en", "scans"]);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("this station's database is damaged"),
            "{out:?}"
        );
    }

    // Cut to half while a station runs on it, its latest pages in the WAL.
    let live = dir.path().join("live.db");
    std::fs::copy(&db, &live)?;
    let serve = http_support::serve(&live)?;
    assert!(serve.banner.contains("http://"), "{}", serve.banner);
    let ck = Command::new("sqlite3")
        .arg(&live)
        .arg("PRAGMA wal_checkpoint(PASSIVE)")
        .output()?;
    assert!(ck.status.success());
    for _ in 0..3 {
        ok(&live, &["scan", "--zone", "HALL", &token])?;
    }
    let wal = with_suffix(&live, "-wal");
    assert!(
        std::fs::metadata(&wal)?.len() > 0,
        "the running station keeps a WAL"
    );
    let len = std::fs::metadata(&live)?.len();
    cut_to(&live, len / 2 / 4096 * 4096)?;
    let before = sizes(&[live.clone(), wal.clone()]);
    let (code, said) = refused(&live, &["scan", "--zone", "HALL", &token])?;
    assert_eq!(code, "database_damaged", "{said}");
    assert!(said.contains("vérification rapide de SQLite"), "{said}");
    assert_eq!(sizes(&[live, wal]), before, "nothing deleted");
    drop(serve);
    Ok(())
}

#[test]
fn a_paired_stations_empty_or_missing_database_is_not_made_anew() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let gate = dir.path().join("gate.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "5", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let station = paired_gate(&hub_db, &url, &gate)?;
    ok(&gate, &["scan", "--zone", "HALL", &token])?;
    let keys = dir.path().join("gate.db.keys");
    assert!(
        keys.join("paired.json").exists(),
        "joining marks the key folder"
    );

    // Emptied (a battery that died mid-write, a bad copy): refused.
    cut_to(&gate, 0)?;
    let wal = with_suffix(&gate, "-wal");
    std::fs::write(&wal, vec![7u8; 4096])?; // what a WAL would still hold
    for args in [
        &["scan", "--zone", "HALL", &token][..],
        &["sync"][..],
        &["serve", "--listen", "127.0.0.1:0"][..],
    ] {
        let (code, said) = refused(&gate, args)?;
        assert_eq!(code, "database_damaged", "{args:?}: {said}");
        assert!(said.contains("est vide (0 octet)"), "{said}");
        assert!(
            said.contains(&format!("appairé au hub {url} comme poste {station}")),
            "{said}"
        );
        assert!(
            said.contains(&format!("gatehouse unpair {station}")),
            "{said}"
        );
        assert!(said.contains("garde encore 4096 octets"), "{said}");
    }
    assert_eq!(std::fs::metadata(&gate)?.len(), 0, "not made anew");
    assert_eq!(std::fs::metadata(&wal)?.len(), 4096, "its WAL is kept");
    assert!(keys.join("paired.json").exists());

    // Lost altogether: refused too, and not created.
    std::fs::remove_file(&gate)?;
    let out = gatehouse(&gate, &["--lang", "en", "scan", "--zone", "HALL", &token]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("is missing, but this laptop is paired with the hub"),
        "{said}"
    );
    assert!(!gate.exists(), "no database made in its place");

    // A new database beside it joins again (the organiser un-pairs the old one).
    ok(&hub_db, &["unpair", &station])?;
    let fresh = dir.path().join("gate-2.db");
    paired_gate(&hub_db, &url, &fresh)?;
    ok(&fresh, &["scan", "--zone", "HALL", &token])?;
    Ok(())
}

/// A tmpfs of `size`, mounted while this lives (needs the right to mount).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let done = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        done.success().then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Writes zeros to `path` until the disk is full.
fn fill(path: &Path) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    let chunk = vec![0u8; 16 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let small = [0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    Ok(())
}

#[test]
fn a_full_disk_says_so_gives_no_verdict_without_a_record_and_recovers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), "3m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return Ok(());
    };
    let hub_db = dir.path().join("hub.db");
    let gate = disk.0.join("gate.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "5", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    paired_gate(&hub_db, &url, &gate)?;

    let mut verdicts = 0;
    for direction in ["in", "out", "in"] {
        let out = ok(
            &gate,
            &["scan", "--zone", "HALL", "--direction", direction, &token],
        )?;
        assert!(out.starts_with("ADMIS"), "{out}");
        verdicts += 1;
    }
    // The disk fills up between two runs (the WAL written into the file).
    checkpoint(&gate)?;
    fill(&disk.0.join("filler"))?;

    // No room left: no verdict, a plain message, the same from verify and sync.
    for args in [
        &["scan", "--zone", "HALL", "--direction", "out", &token][..],
        &["scan", "--zone", "HALL", "--direction", "out", &token][..],
        &["verify", "--zone", "HALL", &token][..],
        &["sync"][..],
    ] {
        let (code, said) = refused(&gate, args)?;
        assert_eq!(code, "disk_full", "{args:?}: {said}");
        assert!(
            said.contains("le disque qui porte la base de ce poste est plein"),
            "{said}"
        );
        assert!(said.contains("Libérez de la place"), "{said}");
        assert!(!said.contains("begin_with"), "{said}");
        // What it recorded since its last sync is counted, and waits.
        assert!(
            said.contains("3 contrôles enregistrés ici et 0 autre entrée n'ont pas atteint le hub"),
            "{said}"
        );
        assert!(
            said.contains("ils partiront à la prochaine synchronisation"),
            "{said}"
        );
    }
    let out = gatehouse(
        &gate,
        &["scan", "--zone", "HALL", "--direction", "out", &token],
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("ADMIS"),
        "{out:?}"
    );
    let out = gatehouse(&gate, &["--lang", "en", "verify", "--zone", "HALL", &token]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("the disk holding this station's database is full"),
        "{said}"
    );
    assert!(out.stdout.is_empty(), "no verdict: {out:?}");

    // Space freed: it records again, every verdict shown has its record, and
    // its scans reach the hub.
    std::fs::remove_file(disk.0.join("filler"))?;
    let out = ok(
        &gate,
        &["scan", "--zone", "HALL", "--direction", "out", &token],
    )?;
    assert!(out.starts_with("ADMIS"), "{out}");
    verdicts += 1;
    let scans = json(&gate, &["scans"])?;
    assert_eq!(scans.as_array().map(Vec::len), Some(verdicts));
    ok(&gate, &["sync"])?;
    let on_hub = json(&hub_db, &["scans"])?;
    assert_eq!(on_hub.as_array().map(Vec::len), Some(verdicts));
    Ok(())
}

#[test]
fn a_damaged_station_counts_what_it_did_not_send_and_rejoins_with_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let gate = dir.path().join("gate.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "200", "--starting", "today"],
    )?;
    let token = ok(&hub_db, &["token", "BMX-000001"])?.trim().to_string();
    http_support::set_real_pins(&hub_db)?;
    let (hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let old = paired_gate(&hub_db, &url, &gate)?;
    ok(
        &gate,
        &["scan", "--zone", "HALL", "--direction", "in", &token],
    )?;
    ok(&gate, &["sync"])?;

    // The hub goes away; the gate keeps working (its station served, so
    // that its WAL stays) and records three scans the hub never gets.
    drop(hub);
    let serve = http_support::serve(&gate)?;
    checkpoint(&gate)?;
    let mut unsent = Vec::new();
    for direction in ["out", "in", "out"] {
        let v = json(
            &gate,
            &["scan", "--zone", "HALL", "--direction", direction, &token],
        )?;
        unsent.push((
            v["id"].as_str().ok_or("scan id")?.to_string(),
            v["at"].as_str().ok_or("scan time")?.to_string(),
        ));
    }
    let wal = with_suffix(&gate, "-wal");
    assert!(
        std::fs::metadata(&wal)?.len() > 0,
        "its latest scans are in the WAL"
    );

    // A battery dies mid-write: the file is cut to half (the registry it
    // received is most of it; its schema is in the half that stays).
    let len = std::fs::metadata(&gate)?.len();
    cut_to(&gate, len / 2 / 4096 * 4096)?;
    drop(serve);
    let before = sizes(&[gate.clone(), wal.clone()]);
    let (code, said) = refused(&gate, &["scan", "--zone", "HALL", &token])?;
    assert_eq!(code, "database_damaged", "{said}");
    assert!(
        said.contains("3 contrôles enregistrés ici et 0 autre entrée n'ont pas atteint le hub"),
        "{said}"
    );
    assert!(said.contains("--replaces POSTE"), "{said}");
    assert!(
        said.contains(&format!("--recover {}", gate.display())),
        "{said}"
    );
    let out = gatehouse(&gate, &["--lang", "en", "verify", "--zone", "HALL", &token]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("3 scans recorded here and 0 other entries have not reached the hub"),
        "{said}"
    );
    assert_eq!(
        sizes(&[gate.clone(), wal.clone()]),
        before,
        "nothing touched"
    );

    // The organiser re-pairs the laptop in place of the damaged station; it
    // joins with a new database and hands over what is intact.
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "gate", "--replaces", &old])?;
    let fresh = dir.path().join("gate-2.db");
    let joined = json(
        &fresh,
        &[
            "join",
            &url,
            "--code",
            pair["code"].as_str().ok_or("code")?,
            "--recover",
            gate.to_str().ok_or("path")?,
        ],
    )?;
    assert_eq!(joined["recovered"]["scans"], 3, "{joined}");
    assert_eq!(joined["recovered"]["station"], old.as_str(), "{joined}");
    assert_eq!(
        sizes(&[gate.clone(), wal.clone()]),
        before,
        "nothing touched"
    );

    // The hub holds each scan once, under the old station, at its own time.
    ok(&fresh, &["sync"])?;
    for db in [&hub_db, &fresh] {
        let scans = json(db, &["scans"])?;
        let scans = scans.as_array().ok_or("scans")?;
        assert_eq!(scans.len(), 4, "{}: {scans:?}", db.display());
        for (id, at) in &unsent {
            let found: Vec<_> = scans.iter().filter(|s| s["id"] == id.as_str()).collect();
            assert_eq!(found.len(), 1, "{}: {id} once", db.display());
            assert_eq!(found[0]["station"], old.as_str());
            assert_eq!(found[0]["at"], at.as_str());
        }
    }
    // The old identity is retired; its credential no longer works.
    let peers = json(&hub_db, &["stations"])?;
    let was = peers
        .as_array()
        .ok_or("stations")?
        .iter()
        .find(|p| p["station"] == old.as_str())
        .ok_or("the old station is still listed")?;
    assert!(was["unpaired_at"].is_string(), "{was}");
    // A second recovery of the same records doubles nothing.
    let again = json(&hub_db, &["pair", "--role", "gate", "--replaces", &old]);
    assert!(again.is_err(), "a station is replaced once");
    Ok(())
}
