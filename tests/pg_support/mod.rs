//! A real PostgreSQL server for the tests: Debian's `postgresql` package
//! (`make test` installs it), a cluster made in a temporary folder, started
//! on loopback on a free port (its unix socket in that folder too), stopped
//! and removed when the [`Postgres`] is dropped, a failing test included.
//!
//! PostgreSQL refuses to run as root: as root, `initdb` and `pg_ctl` run as
//! the `postgres` user (`runuser -u postgres --`), in a folder under /tmp it
//! owns. Nothing is skipped silently: without PostgreSQL a test says it was
//! skipped, and fails instead when `CI` is set.
#![allow(dead_code)]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A running cluster; stopped and removed on drop.
pub struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    pub port: u16,
    databases: u32,
}

/// Where Debian puts the server's programs (`PG_BIN` overrides): the newest
/// version installed.
fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        let bin = PathBuf::from(dir);
        return bin.join("initdb").exists().then_some(bin);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The server for a test, or `None` (said on stderr) when PostgreSQL is not
/// installed and `CI` is not set; with `CI` set, its absence is an error.
pub fn start(test: &str) -> TestResult<Option<Postgres>> {
    let Some(bin) = bin_dir() else {
        let why =
            "PostgreSQL is not installed (no initdb in $PG_BIN or /usr/lib/postgresql/*/bin; \
                   `apt-get install postgresql`, or `make test`, installs it)";
        if std::env::var_os("CI").is_some() {
            return Err(
                format!("{test}: {why}; CI is set, so this fails instead of skipping").into(),
            );
        }
        eprintln!("SKIPPED {test}: {why}");
        return Ok(None);
    };
    let as_postgres = is_root();
    // As root the server runs as `postgres`, which must reach the folder:
    // /tmp is open to it whatever TMPDIR says.
    let dir = if as_postgres {
        tempfile::Builder::new()
            .prefix("gatehouse-pg-")
            .tempdir_in("/tmp")?
    } else {
        tempfile::Builder::new().prefix("gatehouse-pg-").tempdir()?
    };
    if as_postgres {
        let chown = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .output()?;
        if !chown.status.success() {
            return Err(format!(
                "{test}: cannot give {} to the postgres user (does it exist?): {}",
                dir.path().display(),
                String::from_utf8_lossy(&chown.stderr)
            )
            .into());
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let pg = Postgres {
        dir,
        bin,
        as_postgres,
        port,
        databases: 0,
    };
    let data = pg.data();
    pg.run(
        "initdb",
        &[
            "-D",
            path_str(&data)?,
            "-U",
            "gatehouse",
            "--auth=trust",
            "--locale=C",
            "-E",
            "UTF8",
            "--no-sync",
        ],
    )?;
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200",
        path_str(pg.dir.path())?
    );
    let log = pg.dir.path().join("server.log");
    pg.run(
        "pg_ctl",
        &[
            "-D",
            path_str(&data)?,
            "-l",
            path_str(&log)?,
            "-w",
            "-t",
            "120",
            "-o",
            &options,
            "start",
        ],
    )?;
    Ok(Some(pg))
}

fn path_str(p: &Path) -> TestResult<&str> {
    p.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", p.display()).into())
}

impl Postgres {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> TestResult<Output> {
        let out = self.command(program).args(args).output()?;
        if !out.status.success() {
            let log =
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
            return Err(format!(
                "{program} {args:?} failed: {}{}\n{log}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(out)
    }

    /// The address of the database `name` (made by [`Postgres::create_db`]).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://gatehouse@127.0.0.1:{}/{name}", self.port)
    }

    /// A new empty database; its address.
    pub fn create_db(&mut self) -> TestResult<String> {
        self.databases += 1;
        let name = format!("gatehouse_{}", self.databases);
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "gatehouse", &name],
        )?;
        Ok(self.url(&name))
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Immediate: nothing to keep; the folder goes with `dir`.
        if let Ok(data) = path_str(&self.data()) {
            let _ = self
                .command("pg_ctl")
                .args(["-D", data, "-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}
