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
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
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
