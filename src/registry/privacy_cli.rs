//! The personal-data commands: `erase SERIAL`, `purge --confirm EVENTNAME`,
//! `export-person SERIAL --out FILE` (see [`crate::registry::privacy`]).
//! [`crate::cli`] dispatches; this parses the arguments and formats.

use std::path::PathBuf;

use clap::Subcommand;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::serial::BadgeSerial;

const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// Erase one attendee's personal data: an anonymised tombstone stays,
    /// counted in scans and reports; the badge is revoked ("erased").
    Erase { serial: BadgeSerial },
    /// After the event: erase every attendee's personal data.
    Purge {
        /// The event's name, typed out, to confirm.
        #[arg(long, value_name = "EVENTNAME")]
        confirm: String,
    },
    /// Everything held on one attendee, as a JSON document.
    ExportPerson {
        serial: BadgeSerial,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

pub async fn run(api: &Api, command: PrivacyCommand, json: bool, lang: Lang) -> Result<()> {
    let now = api.now().await?;
    match command {
        PrivacyCommand::Erase { serial } => {
            let e = api.erase_person(&serial, now, ACTOR).await?;
            if json {
                return print_json(&e);
            }
            out!(
                "{} {}{}",
                e.serial,
                lang.pick("effacé", "erased"),
                if e.revoked {
                    lang.pick(" ; badge révoqué", "; badge revoked")
                } else {
                    ""
                }
            );
            if e.audit_still_naming > 0 {
                out!(
                    "{} {}",
                    e.audit_still_naming,
                    lang.pick(
                        "entrée(s) d'audit antérieure(s) le nomment encore (chaîne non réécrite)",
                        "earlier audit entr(y/ies) still name them (the chain is not rewritten)"
                    )
                );
            }
        }
        PrivacyCommand::Purge { confirm } => {
            let p = api.purge_people(&confirm, now, ACTOR).await?;
            if json {
                return print_json(&p);
            }
            out!(
                "{} {} · {} {} · {} {}",
                p.erased,
                lang.pick("participants effacés", "attendees erased"),
                p.revoked,
                lang.pick("badges révoqués", "badges revoked"),
                p.already_erased,
                lang.pick("déjà effacés", "already erased")
            );
        }
        PrivacyCommand::ExportPerson { serial, out } => {
            let file = api.export_person(&serial, now, ACTOR).await?;
            tokio::fs::write(&out, &file.bytes)
                .await
                .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
            if json {
                return print_json(&serde_json::json!({
                    "serial": serial,
                    "file": out.display().to_string(),
                    "bytes": file.bytes.len(),
                }));
            }
            out!(
                "{serial} {} {}",
                lang.pick("exporté vers", "exported to"),
                out.display()
            );
        }
    }
    Ok(())
}
