//! What every subcommand's parser and output share (a leaf under the
//! command line: the feature CLIs use it without importing `cli.rs`, which
//! gathers them).

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
    println!("{text}");
    Ok(())
}
