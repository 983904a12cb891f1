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

/// `sqlite3 DB "SQL"`: its output lines, each a row with `|` between values.
fn rows(db: &Path, sql: &str) -> TestResult<Vec<String>> {
    let out = Command::new("sqlite3").arg(db).arg(sql).output()?;
    if !out.status.success() {
        return Err(format!("sqlite3 {sql}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// Another process holding the database open, as a running desk would, so
/// that the WAL outlives the commands run meanwhile; killed (as a battery
/// dies: nothing checkpointed) when dropped.
struct Holder(std::process::Child);

impl Holder {
    fn open(db: &Path) -> TestResult<Holder> {
        let mut child = Command::new("sqlite3")
            .arg(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut stdin = child.stdin.take().ok_or("sqlite3 stdin")?;
        stdin.write_all(b"SELECT count(*) FROM station;\n")?;
        stdin.flush()?;
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().ok_or("sqlite3 stdout")?),
            &mut line,
        )?;
        // The pipe stays open (sqlite3 waits for more), kept in the child.
        std::mem::forget(stdin);
        Ok(Holder(child))
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_damaged_desk_hands_over_its_unlogged_prints_and_audit_entries_once() -> TestResult {
    let dir = tempfile::tempdir()?;
    let hub_db = dir.path().join("hub.db");
    let desk = dir.path().join("desk.db");
    ok(
        &hub_db,
        &["demo", "--attendees", "200", "--starting", "today"],
    )?;
    http_support::set_real_pins(&hub_db)?;
    let (hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "desk"])?;
    ok(
        &desk,
        &["join", &url, "--code", pair["code"].as_str().ok_or("code")?],
    )?;
    ok(&desk, &["sync"])?;
    let old = rows(&desk, "SELECT uuid FROM station")?.join("");

    // The hub goes away; the desk, open all along, prints two badges (to a
    // PDF printed elsewhere) that no sync has logged yet.
    drop(hub);
    checkpoint(&desk)?;
    let holder = Holder::open(&desk)?;
    let pdf = dir.path().join("badges.pdf");
    ok(
        &desk,
        &[
            "badges",
            "--serial",
            "BMX-000002",
            "BMX-000003",
            "--record",
            "--out",
            pdf.to_str().ok_or("path")?,
        ],
    )?;
    // What a sync would have sent: badge issues, print jobs (and outcomes)
    // still in the outbox, and audit entries past the last one logged.
    let badges = rows(
        &desk,
        "SELECT serial || '/' || version || '|' || issued_at FROM badge
         WHERE serial IN ('BMX-000002', 'BMX-000003') ORDER BY serial",
    )?;
    assert_eq!(badges.len(), 2, "{badges:?}");
    let prints = rows(
        &desk,
        "SELECT serial || '|' || printed_at || '|' || outcome FROM print_log ORDER BY serial",
    )?;
    assert_eq!(prints.len(), 2, "{prints:?}");
    let audits = rows(
        &desk,
        "SELECT at || '|' || action || '|' || detail FROM audit
         WHERE seq > (SELECT audit_seq FROM sync_state) ORDER BY seq",
    )?;
    assert!(!audits.is_empty(), "printing is audited");
    let outbox = rows(
        &desk,
        // Changed attendees are listed too (migration 0039) but are not
        // facts a damaged station hands over.
        "SELECT count(*) FROM sync_outbox WHERE kind NOT IN ('scan', 'attendee')",
    )?
    .join("");
    let logged = rows(
        &desk,
        "SELECT count(*) FROM sync_entry WHERE kind IN ('badge_issue', 'print_job', 'print_outcome')
         AND key LIKE 'BMX-00000_/%' AND key NOT LIKE 'BMX-000001%'",
    )?
    .join("");
    assert_eq!(logged, "0", "never logged as entries");
    let other: usize = outbox.parse::<usize>()? + audits.len();
    assert!(other >= 4 + audits.len(), "{outbox} in the outbox");
    let wal = with_suffix(&desk, "-wal");
    assert!(std::fs::metadata(&wal)?.len() > 0, "they are in the WAL");

    // The battery dies: the file is cut to half, the WAL kept.
    let len = std::fs::metadata(&desk)?.len();
    cut_to(&desk, len / 2 / 4096 * 4096)?;
    drop(holder);
    let before = sizes(&[desk.clone(), wal.clone()]);
    let (code, said) = refused(&desk, &["scans"])?;
    assert_eq!(code, "database_damaged", "{said}");
    let counted =
        format!("0 contrôle enregistré ici et {other} autres entrées n'ont pas atteint le hub");
    assert!(said.contains(&counted), "{counted}: {said}");
    let out = gatehouse(&desk, &["--lang", "en", "scans"]);
    let said = String::from_utf8_lossy(&out.stderr);
    let counted =
        format!("0 scans recorded here and {other} other entries have not reached the hub");
    assert!(said.contains(&counted), "{counted}: {said}");

    // Re-paired in place; the new desk hands over what the old one held.
    let (_hub, url) = start_hub(&hub_db, "127.0.0.1:0")?;
    let pair = json(&hub_db, &["pair", "--role", "desk", "--replaces", &old])?;
    let fresh = dir.path().join("desk-2.db");
    let joined = json(
        &fresh,
        &[
            "join",
            &url,
            "--code",
            pair["code"].as_str().ok_or("code")?,
            "--recover",
            desk.to_str().ok_or("path")?,
        ],
    )?;
    assert_eq!(joined["recovered"]["station"], old.as_str(), "{joined}");
    assert_eq!(joined["recovered"]["scans"], 0, "{joined}");
    assert_eq!(joined["recovered"]["other"], other, "{joined}");
    assert_eq!(sizes(&[desk.clone(), wal]), before, "nothing touched");
    ok(&fresh, &["sync"])?;

    // On the hub, each once, at its own time, under the old desk's name.
    for b in &badges {
        let (key, at) = b.split_once('|').ok_or("badge row")?;
        let (serial, version) = key.split_once('/').ok_or("badge key")?;
        let held = rows(
            &hub_db,
            &format!(
                "SELECT issued_at FROM badge WHERE serial = '{serial}' AND version = {version}"
            ),
        )?;
        assert_eq!(held, vec![at.to_string()], "{key}");
        let entries = rows(
            &hub_db,
            &format!("SELECT origin FROM sync_entry WHERE kind = 'badge_issue' AND key = '{key}'"),
        )?;
        assert_eq!(
            entries,
            vec![old.clone()],
            "{key} logged once, as the old desk's"
        );
    }
    let on_hub = rows(
        &hub_db,
        "SELECT serial || '|' || printed_at || '|' || outcome FROM print_log ORDER BY serial",
    )?;
    assert_eq!(on_hub, prints, "each print once, with its time and outcome");
    let on_hub = rows(
        &hub_db,
        &format!(
            "SELECT at || '|' || action || '|' || detail FROM sync_audit WHERE origin = '{old}'"
        ),
    )?;
    for a in &audits {
        let times = on_hub.iter().filter(|h| *h == a).count();
        assert_eq!(times, 1, "its audit entry {a}, once, at its time");
    }
    // The new desk received them from the hub too.
    let on_fresh = rows(
        &fresh,
        "SELECT serial || '|' || printed_at || '|' || outcome FROM print_log ORDER BY serial",
    )?;
    assert_eq!(on_fresh, prints);
    Ok(())
}
