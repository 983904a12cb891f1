//! Sites as real processes (issue 18, `docs/SCALE.md` "Sites"): a central
//! `gatehouse hub` and two site hubs, each paired with it as a site
//! (`pair --role site`) and itself the hub of a gate on its own LAN. The
//! WAN link is cut (the central hub is stopped) and restored (started again
//! at its address): each site works alone meanwhile, a gate at each site
//! admits the same badge into the same zone, and the central hub's
//! revocation made during the cut reaches both sites' gates once the link
//! is up; every hub converges, and the double admission across the two
//! sites is flagged at the central hub and at both sites.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod http_support;

use http_support::{gatehouse, json, ok, refused_in, set_real_pins, start_hub_in, Running};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// How long the test waits for what happens by itself (the hubs' capture
/// and relay loops, the gates' watch loops, a relay loop's backoff after
/// the cut): generous, for a busy machine.
const ARRIVAL: Duration = Duration::from_secs(120);

fn wait_for(
    what: &str,
    mut check: impl FnMut() -> Result<(bool, String), Box<dyn std::error::Error>>,
) -> TestResult {
    let started = Instant::now();
    loop {
        let (done, seen) = check()?;
        if done {
            return Ok(());
        }
        assert!(
            started.elapsed() < ARRIVAL,
            "{what} after {ARRIVAL:?}: {seen}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// `sqlite3` on a database.
fn sql(db: &Path, statement: &str) -> Result<String, Box<dyn std::error::Error>> {
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

/// `sync --watch` on `db`, its log in `log`.
fn watch(db: &Path, log: &Path) -> Result<Running, Box<dyn std::error::Error>> {
    Ok(Running(
        Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(["sync", "--watch", "--db"])
            .arg(db)
            .env_remove("GATEHOUSE_DB")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(log)?))
            .spawn()?,
    ))
}

/// Pairs `db` at the hub of `hub_db` (listening at `url`) as `role`.
fn pair(hub_db: &Path, url: &str, db: &Path, role: &str) -> TestResult {
    let code = json(hub_db, &["pair", "--role", role])?;
    assert_eq!(code["role"], role, "{code}");
    let code = code["code"].as_str().ok_or("code")?.to_string();
    ok(db, &["join", url, "--code", &code])?;
    Ok(())
}

/// What the gate of `db` decides for `token` at `zone` (without scanning);
/// its refusal as it printed it before the event has arrived.
fn verify(
    db: &Path,
    zone: &str,
    token: &str,
) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let out = gatehouse(db, &["verify", "--zone", zone, token, "--json"]);
    Ok(serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        serde_json::Value::String(String::from_utf8_lossy(&out.stderr).into_owned())
    }))
}

/// A double admission: serial, zone, the stations that admitted.
type Flagged = (String, String, Vec<String>);

/// The double admissions `db` knows of, as `(serial, zone, stations)`.
fn conflicts(db: &Path) -> Result<Vec<Flagged>, Box<dyn std::error::Error>> {
    Ok(json(db, &["conflicts"])?
        .as_array()
        .ok_or("conflicts array")?
        .iter()
        .map(|c| {
            (
                c["serial"].as_str().unwrap_or_default().to_string(),
                c["zone"].as_str().unwrap_or_default().to_string(),
                c["stations"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect())
}

/// The scan ids `db` holds.
fn scan_ids(db: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut ids: Vec<String> = json(db, &["scans"])?
        .as_array()
        .ok_or("scans array")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    Ok(ids)
}

/// One scan at the gate of `db`: its id and station.
fn scan(
    db: &Path,
    zone: &str,
    token: &str,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let v = json(db, &["scan", "--zone", zone, token])?;
    assert_eq!(v["decision"], "admit", "{v}");
    Ok((
        v["id"].as_str().ok_or("scan id")?.to_string(),
        v["station"].as_str().ok_or("scan station")?.to_string(),
    ))
}

#[test]
fn two_site_hubs_cut_from_the_central_hub_converge_and_a_double_admission_across_them_is_flagged(
) -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = |name: &str| dir.path().join(name);
    let central = path("central.db");
    ok(
        &central,
        &["demo", "--attendees", "5", "--starting", "today"],
    )?;
    set_real_pins(&central)?;
    let tokens: Vec<String> = (1..=5)
        .map(|n| {
            Ok(ok(&central, &["token", &format!("BMX-00000{n}")])?
                .trim()
                .to_string())
        })
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    // Zones belong to sites: HALL to site 1 (the organiser's setting, in
    // the event's configuration), the others event-wide.
    tokio::runtime::Runtime::new()?.block_on(async {
        let api = gatehouse::Api::open(&central, gatehouse::api::StationConfig::default()).await?;
        let mut event = api.event().await?;
        for z in &mut event.zones {
            if z.code.as_str() == "HALL" {
                z.site = Some("Site 1".into());
            }
        }
        api.save_event(event, jiff::Timestamp::now(), "admin")
            .await?;
        api.store().close().await;
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let (c, url_c) = start_hub_in(&[], &central, "127.0.0.1:0", Some(&path("central.log")))?;
    let mut c = Some(c);

    // Each site's hub is paired with the central hub as a site, takes the
    // event from it, then serves its own LAN, where its gate is paired.
    let mut sites = Vec::new();
    for n in 1..=2 {
        let site = path(&format!("site{n}.db"));
        let gate = path(&format!("gate{n}.db"));
        pair(&central, &url_c, &site, "site")?;
        ok(&site, &["sync"])?;
        let (hub, url) = start_hub_in(
            &[],
            &site,
            "127.0.0.1:0",
            Some(&path(&format!("site{n}.log"))),
        )?;
        pair(&site, &url, &gate, "gate")?;
        let watching = watch(&gate, &path(&format!("gate{n}.log")))?;
        sites.push((site, gate, hub, watching));
    }
    for (_, gate, _, _) in &sites {
        wait_for("a site's gate cannot admit the central hub's badge", || {
            let v = verify(gate, "HALL", &tokens[0])?;
            Ok((v["decision"] == "admit", v.to_string()))
        })?;
    }
    // The zone's site travels with the event to every site's gate.
    for (_, gate, _, _) in &sites {
        let event = json(gate, &["event"])?;
        let hall = event["zones"]
            .as_array()
            .and_then(|z| z.iter().find(|z| z["code"] == "HALL"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(hall["site"], "Site 1", "{event}");
    }
    // The central hub lists both sites, each relaying its gate, link up.
    wait_for("the central hub does not show both sites' links", || {
        let peers = json(&central, &["stations"])?;
        let up = peers
            .as_array()
            .ok_or("stations array")?
            .iter()
            .filter(|p| p["site"] == true && p["link_up"] == true && p["relays"] == 1)
            .count();
        Ok((up == 2, peers.to_string()))
    })?;

    // The WAN is cut.
    drop(c.take());
    // Each gate admits the same badge into the same zone (site 1's HALL,
    // which site 2's entrance also guards: anti-passback is per zone,
    // across sites): neither site knows of the other's admission.
    let (scan1, gate1_id) = scan(&sites[0].1, "HALL", &tokens[0])?;
    let (scan2, gate2_id) = scan(&sites[1].1, "HALL", &tokens[0])?;
    // The central hub revokes a badge (its console, while its hub process
    // is down: logged when it comes back), and site 1's own console
    // revokes another.
    ok(&central, &["revoke", "BMX-000002", "--reason", "lost"])?;
    ok(&sites[0].0, &["revoke", "BMX-000003", "--reason", "stolen"])?;
    wait_for("site 1's revocation does not reach its own gate", || {
        let v = verify(&sites[0].1, "HALL", &tokens[2])?;
        Ok((v["reason"] == "revoked", v.to_string()))
    })?;
    for (site, gate, _, _) in &sites {
        assert_eq!(
            verify(gate, "HALL", &tokens[1])?["decision"],
            "admit",
            "a revocation crossed the cut link"
        );
        assert_eq!(conflicts(site)?, vec![], "a site alone sees one admission");
    }
    assert_eq!(
        verify(&sites[1].1, "HALL", &tokens[2])?["decision"],
        "admit",
        "site 1's revocation crossed the cut link"
    );

    // The WAN comes back: the central hub again at its address.
    let listen = url_c.trim_start_matches("https://");
    let (_c_again, again) = start_hub_in(&[], &central, listen, Some(&path("central2.log")))?;
    assert_eq!(again, url_c);
    let revoked = Instant::now();
    for (_, gate, _, _) in &sites {
        wait_for(
            "the central hub's revocation does not reach a site's gate",
            || {
                let v = verify(gate, "HALL", &tokens[1])?;
                Ok((v["reason"] == "revoked", v.to_string()))
            },
        )?;
    }
    eprintln!(
        "FIGURE sites: the central hub's revocation reached both sites' gates {} ms after the central hub came back",
        revoked.elapsed().as_millis()
    );
    wait_for("site 1's revocation does not reach site 2's gate", || {
        let v = verify(&sites[1].1, "HALL", &tokens[2])?;
        Ok((v["reason"] == "revoked", v.to_string()))
    })?;

    // Every hub holds both gates' scans (each once, under its gate's id),
    // and flags the double admission across the sites.
    let mut both = [scan1.clone(), scan2.clone()];
    both.sort();
    let mut stations = vec![gate1_id.clone(), gate2_id.clone()];
    stations.sort();
    for db in [&central, &sites[0].0, &sites[1].0] {
        wait_for(
            &format!("{} does not hold both gates' scans", db.display()),
            || {
                let ids = scan_ids(db)?;
                Ok((both.iter().all(|id| ids.contains(id)), format!("{ids:?}")))
            },
        )?;
        let ids = scan_ids(db)?;
        let mut once = ids.clone();
        once.dedup();
        assert_eq!(once, ids, "a scan stored twice at {}", db.display());
        let found = conflicts(db)?;
        assert_eq!(found.len(), 1, "{}: {found:?}", db.display());
        let (serial, zone, mut who) = found[0].clone();
        who.sort();
        assert_eq!(
            (serial.as_str(), zone.as_str()),
            ("BMX-000001", "HALL"),
            "{found:?}"
        );
        assert_eq!(who, stations, "{found:?}");
    }
    // And each gate has the other site's scan: both sites converged.
    for (_, gate, _, _) in &sites {
        wait_for("a gate lacks the other site's scan", || {
            let ids = scan_ids(gate)?;
            Ok((both.iter().all(|id| ids.contains(id)), format!("{ids:?}")))
        })?;
    }

    // A site hub's own status says where its central hub is and that the
    // link works (its relay loop notes each round as `sync --watch` does).
    let st = json(&sites[0].0, &["sync", "--status"])?;
    assert_eq!(st["url"], url_c.as_str(), "{st}");
    assert!(
        st["last_error"].is_null() && !st["last_sync"].is_null(),
        "{st}"
    );

    // A site's credential is un-paired like any station's: the central hub
    // refuses it from then on, and what it relayed before stays.
    let peers = json(&central, &["stations"])?;
    let site2 = peers
        .as_array()
        .ok_or("stations array")?
        .iter()
        .filter(|p| p["site"] == true)
        .find_map(|p| {
            let id = p["station"].as_str()?;
            let own = sql(&sites[1].0, "SELECT uuid FROM station").ok()?;
            (own == id).then(|| id.to_string())
        })
        .ok_or_else(|| format!("site 2 is not among the central hub's sites: {peers}"))?;
    ok(&central, &["unpair", &site2])?;
    let (code, said) = refused_in(&[], &sites[1].0, &["sync"])?;
    assert_eq!(code, "unauthenticated", "{said}");
    assert!(scan_ids(&central)?.contains(&scan2));
    Ok(())
}
