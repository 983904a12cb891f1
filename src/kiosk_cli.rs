//! `gatehouse kiosk enable|disable`: this user's autostart entry for the
//! kiosk window ([`crate::autostart`]).

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::autostart::{remove_autostart, write_autostart};
use crate::error::Result;
use crate::event::ZoneCode;
use crate::lang::Lang;
use crate::staff::Role;

#[derive(Debug, Subcommand)]
pub enum KioskAction {
    /// Open this station in kiosk mode whenever this user's session starts
    /// (after a reboot too, with automatic login), restarted if it crashes.
    Enable {
        /// The station's screen.
        #[arg(long, value_parser = crate::cli_support::choice::<Role>(&["admin", "desk", "gate"]))]
        role: Option<Role>,
        /// The gate's zone (with --role gate).
        #[arg(long)]
        zone: Option<ZoneCode>,
        /// The window's program.
        #[arg(long, default_value = "/usr/bin/gatehouse-app")]
        app: PathBuf,
    },
    /// Stop opening the kiosk when the session starts.
    Disable,
}

pub fn run(action: &KioskAction, db: &Path, lang: Lang) -> Result<()> {
    match action {
        KioskAction::Enable { role, zone, app } => {
            let file = write_autostart(app, db, *role, zone.as_ref())?;
            out!(
                "{} {}",
                lang.pick(
                    "Kiosque activé à l'ouverture de session (redémarré s'il s'arrête sur une panne) :",
                    "Kiosk on when the session starts (restarted if it stops on a failure):"
                ),
                file.display()
            );
        }
        KioskAction::Disable => {
            remove_autostart()?;
            out!(
                "{}",
                lang.pick(
                    "Kiosque désactivé à l'ouverture de session.",
                    "Kiosk off when the session starts."
                )
            );
        }
    }
    Ok(())
}
