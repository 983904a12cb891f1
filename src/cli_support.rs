//! What every subcommand's parser and output share (a leaf under the
//! command line: the feature CLIs use it without importing `cli.rs`, which
//! gathers them).

/// `println!` for a command's output, through [`write_out`]: a closed pipe
/// ends nothing.
macro_rules! out {
    () => {
        $crate::cli_support::write_out(format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::cli_support::write_out(format_args!($($arg)*), true)
    };
}

/// `print!` for a command's output, through [`write_out`].
macro_rules! out_text {
    ($($arg:tt)*) => {
        $crate::cli_support::write_out(format_args!($($arg)*), false)
    };
}

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::builder::TypedValueParser;
use serde::Serialize;

use crate::error::{Error, Result};

/// A clap parser for a domain enum, read by its serde name and listing `names`
/// in `--help`: the domain types stay free of clap.
pub fn choice<T>(names: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    clap::builder::PossibleValuesParser::new(names.iter().copied()).try_map(|s: String| {
        serde_json::from_value::<T>(serde_json::Value::String(s)).map_err(|e| e.to_string())
    })
}

/// A command's `--json` answer on standard output.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

/// Set once standard output's reader has gone away.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes a command's output to standard output. A reader that stops
/// reading (`gatehouse scans --json | head`) is no error: the rest of the
/// output goes nowhere and the command ends as it would have, with its own
/// exit status (a scan is recorded and a denied one still exits 3), where
/// `println!` would panic with a backtrace. Any other failure to write is
/// said on standard error, once.
pub fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    if let Err(e) = written {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("gatehouse: cannot write to standard output: {e}");
        }
    }
}
