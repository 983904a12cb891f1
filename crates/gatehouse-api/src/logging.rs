//! Where the `tracing` events of the core go: standard error, filtered by the
//! `GATEHOUSE_LOG` variable (`tracing` directives, e.g. `info` or
//! `gatehouse::sync=debug`). Without it only warnings and errors show, so an
//! unreachable hub or an unreadable key is seen by whoever runs the station, and
//! the commands' own output stays clean.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The variable that sets what is logged.
pub const ENV: &str = "GATEHOUSE_LOG";

/// Installs the standard-error logger once per process; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env(ENV).unwrap_or_else(|_| EnvFilter::new("warn,sqlx=error"));
    // An error here only means a logger is already installed (tests, an embedding app).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours for a person at a terminal, plain text for a log file or journald.
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
