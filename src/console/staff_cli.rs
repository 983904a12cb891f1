//! `gatehouse staff list` / `staff pin NAME` / `staff add NAME --role R`:
//! staff accounts from the command line, as the console's Setup screen
//! makes them. A PIN is never an argument (it would stay in the shell's
//! history and show in `ps`): it is asked for twice at a terminal, or read
//! as one line from standard input.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;
use jiff::Timestamp;

use super::setup::{StaffChange, StaffMember};
use crate::api::Api;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::staff::Role;

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// The accounts, their roles, and which PINs must change before going live.
    List,
    /// Give an account (by name or id) a new PIN: asked for at a terminal,
    /// else one line of standard input.
    Pin { name: String },
    /// A new account; its PIN is asked for as with `staff pin`.
    Add {
        name: String,
        #[arg(long, value_parser = role)]
        role: Role,
    },
}

/// Any account role, supervisor included (`--role` of `pair` and `serve`
/// names a station's role, which is never a supervisor).
fn role(s: &str) -> std::result::Result<Role, String> {
    Role::from_stored(s)
        .ok_or_else(|| format!("{s:?}: expected admin, desk, gate, supervisor or vetting"))
}

/// The new PIN: twice at a terminal (without echo), else one line of stdin.
fn read_pin(lang: Lang) -> Result<String> {
    let io = |e| Error::io("cannot read the PIN", e);
    if std::io::stdin().is_terminal() {
        let pin =
            rpassword::prompt_password(lang.pick("Nouveau PIN : ", "New PIN: ")).map_err(io)?;
        let again = rpassword::prompt_password(lang.pick("Le même, encore : ", "The same again: "))
            .map_err(io)?;
        if pin != again {
            return Err(crate::messages::Msg::PinsDiffer {}.into());
        }
        return Ok(pin);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(io)?;
    Ok(line.trim().to_string())
}

/// The account named `name` (its name, any case, or its id).
fn find<'a>(all: &'a [StaffMember], name: &str) -> Result<&'a StaffMember> {
    if let Some(m) = all.iter().find(|m| m.id == name) {
        return Ok(m);
    }
    let named: Vec<&StaffMember> = all
        .iter()
        .filter(|m| m.name.to_lowercase() == name.trim().to_lowercase())
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(crate::messages::Msg::NoStaffNamed {
            name: name.to_string(),
        }
        .into()),
        _ => Err(crate::messages::Msg::StaffNameAmbiguous {
            n: named.len() as u64,
            name: name.to_string(),
        }
        .into()),
    }
}

fn role_words(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => crate::registry::problem::role_fr(role),
        Lang::En => role.as_str(),
    }
}

pub async fn run(api: &Api, command: StaffCommand, json: bool, lang: Lang) -> Result<()> {
    let now = Timestamp::now();
    match command {
        StaffCommand::List => {
            let all = api.staff().await?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&all)
                        .map_err(|e| Error::Internal(e.to_string()))?
                );
                return Ok(());
            }
            for m in &all {
                let mut notes = Vec::new();
                if !m.active {
                    notes.push(lang.pick("inactif", "inactive"));
                }
                if m.demo_pin {
                    notes.push(lang.pick("PIN de démonstration", "demo PIN"));
                } else if m.pin_below_policy {
                    notes.push(lang.pick("PIN trop court", "PIN too short"));
                }
                out!(
                    "{:<24} {:<18} {}",
                    m.name,
                    role_words(m.role, lang),
                    notes.join(", ")
                );
            }
        }
        StaffCommand::Pin { name } => {
            let all = api.staff().await?;
            let m = find(&all, &name)?;
            let pin = read_pin(lang)?;
            let change = StaffChange {
                pin: Some(pin),
                ..StaffChange::default()
            };
            let saved = api.update_staff(&m.id, change, now, "cli").await?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&saved)
                        .map_err(|e| Error::Internal(e.to_string()))?
                );
            } else {
                out!(
                    "{} {} ({})",
                    lang.pick("Nouveau PIN enregistré pour", "New PIN saved for"),
                    saved.name,
                    role_words(saved.role, lang)
                );
            }
        }
        StaffCommand::Add { name, role } => {
            let pin = read_pin(lang)?;
            let change = StaffChange {
                name: Some(name),
                role: Some(role),
                pin: Some(pin),
                ..StaffChange::default()
            };
            let saved = api.create_staff(change, now, "cli").await?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&saved)
                        .map_err(|e| Error::Internal(e.to_string()))?
                );
            } else {
                out!(
                    "{} {} ({})",
                    lang.pick("Compte créé :", "Account created:"),
                    saved.name,
                    role_words(saved.role, lang)
                );
            }
        }
    }
    Ok(())
}
