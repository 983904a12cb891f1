//! A `gatehouse serve` process on loopback and plain HTTP/1.1 requests to it,
//! for the tests that need the real server (client addresses, start-up).

#![allow(dead_code)] // each test file uses part of it

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A served station, ended when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The line `serve` printed once listening.
    pub banner: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `gatehouse serve --listen 127.0.0.1:0 --db DB`, once it listens.
pub fn serve(db: &Path) -> TestResult<Served> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let out = child.stdout.take().ok_or("serve stdout")?;
    let mut banner = String::new();
    BufReader::new(out).read_line(&mut banner)?;
    let addr = banner
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(str::to_string);
    let served = Served {
        child,
        addr: addr.unwrap_or_default(),
        banner,
    };
    if served.addr.is_empty() {
        return Err(format!("serve printed {:?}", served.banner).into());
    }
    Ok(served)
}

/// One request with a JSON body; the whole response (status line, headers, body).
pub fn request(addr: &str, method: &str, path: &str, body: &str) -> TestResult<String> {
    send(addr, method, path, "", body)
}

/// The same, signed in: `token` is a session's bearer token.
pub fn request_as(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> TestResult<String> {
    send(
        addr,
        method,
        path,
        &format!("Authorization: Bearer {token}\r\n"),
        body,
    )
}

fn send(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> TestResult<String> {
    send_bytes(
        addr,
        method,
        path,
        &format!("Content-Type: application/json\r\n{headers}"),
        body.as_bytes(),
    )
}

/// One request with a raw body; `headers` are whole lines (`Name: value\r\n`).
pub fn send_bytes(
    addr: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &[u8],
) -> TestResult<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    // A guard against a hung server, not a speed check: a busy CI machine
    // once took more than 30 s over a sign-in's Argon2 hashes.
    s.set_read_timeout(Some(Duration::from_secs(180)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)
        .map_err(|e| format!("{method} {path}: no whole answer: {e}"))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The JSON body of a whole response.
pub fn body(response: &str) -> TestResult<serde_json::Value> {
    let (_, json) = response.split_once("\r\n\r\n").ok_or("no body")?;
    Ok(serde_json::from_str(json)?)
}

/// The environment a process runs with besides ours: `(name, value)`
/// pairs (a clock faked by libfaketime, a language).
pub type Env = [(&'static str, String)];

/// Runs `gatehouse ARGS --db DB` to the end.
pub fn gatehouse(db: &Path, args: &[&str]) -> std::process::Output {
    gatehouse_in(&[], db, args)
}

/// [`gatehouse`] with `env` set.
pub fn gatehouse_in(env: &Env, db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .env_remove("GATEHOUSE_LANG")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run gatehouse")
}

/// [`gatehouse`], which must succeed: its stdout.
pub fn ok(db: &Path, args: &[&str]) -> TestResult<String> {
    Ok(ok_in(&[], db, args)?.0)
}

/// [`gatehouse_in`], which must succeed: its stdout and what it said on stderr.
pub fn ok_in(env: &Env, db: &Path, args: &[&str]) -> TestResult<(String, String)> {
    let out = gatehouse_in(env, db, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!(
            "gatehouse {args:?} failed ({}): {stderr}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout)
        )
        .into());
    }
    Ok((String::from_utf8(out.stdout)?, stderr))
}

/// [`ok`] with `--json`, parsed.
pub fn json(db: &Path, args: &[&str]) -> TestResult<serde_json::Value> {
    Ok(json_in(&[], db, args)?.0)
}

/// [`ok_in`] with `--json`, parsed, and what it said on stderr.
pub fn json_in(env: &Env, db: &Path, args: &[&str]) -> TestResult<(serde_json::Value, String)> {
    let mut all = args.to_vec();
    all.push("--json");
    let (stdout, stderr) = ok_in(env, db, &all)?;
    Ok((serde_json::from_str(&stdout)?, stderr))
}

/// A refusal: exit 1, the `--json` error's code, and what it said on
/// stderr (the message in the CLI's language).
pub fn refused_in(env: &Env, db: &Path, args: &[&str]) -> TestResult<(String, String)> {
    let mut all = args.to_vec();
    all.push("--json");
    let out = gatehouse_in(env, db, &all);
    if out.status.code() != Some(1) {
        return Err(format!("gatehouse {args:?} must refuse: {out:?}").into());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let code = v["code"].as_str().ok_or("error code")?.to_string();
    Ok((code, String::from_utf8_lossy(&out.stderr).into_owned()))
}

/// A background `gatehouse` process, ended when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gatehouse hub` on `listen` and returns it with the URL it prints.
pub fn start_hub(db: &Path, listen: &str) -> TestResult<(Running, String)> {
    start_hub_in(&[], db, listen, None)
}

/// [`start_hub`] with `env` set, its stderr (its log) written to `log`.
pub fn start_hub_in(
    env: &Env,
    db: &Path,
    listen: &str,
    log: Option<&Path>,
) -> TestResult<(Running, String)> {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path)?),
        None => Stdio::null(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["hub", "--json", "--listen", listen, "--db"])
        .arg(db)
        .env_remove("GATEHOUSE_DB")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("hub stdout")?;
    let hub = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let v: serde_json::Value = serde_json::from_str(&line)?;
    let url = v["url"].as_str().ok_or("hub prints its url")?.to_string();
    Ok((hub, url))
}

/// The demo accounts and the PINs the tests give them before going live
/// (`hub` and `pair` refuse the demo's published four-digit PINs): name,
/// role, demo PIN, real PIN.
pub const STAFF: [(&str, &str, &str, &str); 4] = [
    ("Admin démo", "admin", "1111", "41502963"),
    ("Accueil démo", "desk", "2222", "715204"),
    ("Contrôle démo", "gate", "3333", "803317"),
    ("Superviseur démo", "supervisor", "4444", "62079148"),
];

/// The real PIN [`set_real_pins`] gives the demo account of `role`.
pub fn real_pin(role: &str) -> &'static str {
    STAFF
        .iter()
        .find(|s| s.1 == role)
        .map(|s| s.3)
        .unwrap_or("")
}

/// Gives every demo account of `db` its real PIN, as an organiser would
/// before going live: `gatehouse staff pin NAME`, the PIN on standard input.
pub fn set_real_pins(db: &Path) -> TestResult {
    for (name, _, _, pin) in STAFF {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(["staff", "pin", name, "--db"])
            .arg(db)
            .env_remove("GATEHOUSE_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .ok_or("staff pin stdin")?
            .write_all(format!("{pin}\n").as_bytes())?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(format!(
                "gatehouse staff pin {name:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
    }
    Ok(())
}

/// The id of the account named `name` at a served station (its sign-in list).
pub fn staff_id(addr: &str, name: &str) -> TestResult<String> {
    let list = body(&request(addr, "GET", "/api/session/staff", "")?)?;
    list.as_array()
        .and_then(|all| all.iter().find(|a| a["name"] == name))
        .and_then(|a| a["id"].as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{name:?} is not in the station's sign-in list: {list}").into())
}

/// Signs `name` in at a served station with `pin`: the whole response.
pub fn sign_in_as(addr: &str, name: &str, pin: &str) -> TestResult<String> {
    let id = staff_id(addr, name)?;
    request(
        addr,
        "POST",
        "/api/session",
        &serde_json::json!({ "staff_id": id, "pin": pin }).to_string(),
    )
}

/// The demo account of `role` on `api`'s station: its id.
pub async fn demo_id(api: &gatehouse::Api, role: &str) -> TestResult<String> {
    let names = api.sign_in_names().await?;
    names
        .iter()
        .find(|n| n.role.as_str() == role)
        .map(|n| n.id.clone())
        .ok_or_else(|| format!("no {role} account among {names:?}").into())
}

/// Signs the demo account of `role` in on `api` with its demo PIN.
pub async fn demo_sign_in(
    api: &gatehouse::Api,
    role: &str,
    source: &str,
    now: jiff::Timestamp,
) -> TestResult<gatehouse::auth::SessionInfo> {
    let id = demo_id(api, role).await?;
    let pin = STAFF
        .iter()
        .find(|s| s.1 == role)
        .map(|s| s.2)
        .unwrap_or("");
    Ok(api.sign_in(&id, pin, source, now).await?)
}

/// A raw round to the hub at `url`, as `curl` sends it: the JSON in `body`
/// (a file), `token` as the credential. Returns the HTTP status (`0` when
/// the hub closed the connection before answering) and the answer's body.
///
/// `go_ahead`: the body waits for the hub's go-ahead (`Expect:
/// 100-continue`), as HTTP/1.1 allows: a hub that refuses from the headers
/// answers without ever asking for it, and a busy machine cannot turn the
/// refusal into a connection reset while curl is still sending. Without it
/// the body is pushed whatever the hub answers, as an attacker sends it.
pub fn post_round(
    url: &str,
    token: &str,
    body: &Path,
    go_ahead: bool,
) -> TestResult<(u16, String)> {
    // Pushed, the body may be refused half-sent: curl gives up after 120 s.
    let expect: &[&str] = if go_ahead {
        &["-H", "Expect: 100-continue", "--expect100-timeout", "120"]
    } else {
        &["-H", "Expect:", "--max-time", "120"]
    };
    let out = Command::new("curl")
        .args(["-sk", "-o", "-", "-w", "\n%{http_code}", "-X", "POST"])
        .arg(format!("{url}/sync/v1/round"))
        .args(["-H", "Content-Type: application/json"])
        .args(expect)
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .arg("--data-binary")
        .arg(format!("@{}", body.display()))
        .output()?;
    let text = String::from_utf8(out.stdout)?;
    let (answer, code) = text.rsplit_once('\n').ok_or("curl output")?;
    Ok((code.trim().parse()?, answer.to_string()))
}
