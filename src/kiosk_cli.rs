//! `gatehouse kiosk enable|disable`: this user's autostart entry for the
//! kiosk window ([`crate::kiosk`]), in `$XDG_CONFIG_HOME/autostart` (by
//! default `~/.config/autostart`).

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::error::{Error, Result};
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

fn autostart_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .map(|home| Path::new(&home).join(".config"))
            .ok_or_else(|| Error::from(crate::messages::Msg::HomeNotSet {}))?,
    };
    Ok(base.join("autostart"))
}

/// This user's autostart entry for the kiosk window.
fn autostart_file() -> Result<PathBuf> {
    Ok(autostart_dir()?.join(crate::kiosk::AUTOSTART_FILE))
}

/// Writes this user's autostart entry: `app --kiosk --db DB [--role R] [--zone Z]`
/// opens when the session starts and again when it fails. The window
/// writes it too when the console makes its station a kiosk.
pub fn write_autostart(
    app: &Path,
    db: &Path,
    role: Option<Role>,
    zone: Option<&ZoneCode>,
) -> Result<PathBuf> {
    let file = autostart_file()?;
    let db = std::path::absolute(db)
        .map_err(|e| Error::io(format!("cannot resolve {}", db.display()), e))?;
    let mut args = vec!["--db".to_string(), db.display().to_string()];
    if let Some(role) = role {
        args.extend(["--role".to_string(), role.as_str().to_string()]);
    }
    if let Some(zone) = zone {
        args.extend(["--zone".to_string(), zone.to_string()]);
    }
    let text = crate::kiosk::autostart_entry(&app.display().to_string(), &args, false);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    }
    std::fs::write(&file, text)
        .map_err(|e| Error::io(format!("cannot write {}", file.display()), e))?;
    Ok(file)
}

/// Removes this user's autostart entry, if there is one.
pub fn remove_autostart() -> Result<PathBuf> {
    let file = autostart_file()?;
    match std::fs::remove_file(&file) {
        Ok(()) => Ok(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(file),
        Err(e) => Err(Error::io(format!("cannot remove {}", file.display()), e)),
    }
}

pub fn run(action: &KioskAction, db: &Path, lang: Lang) -> Result<()> {
    match action {
        KioskAction::Enable { role, zone, app } => {
            let file = write_autostart(app, db, *role, zone.as_ref())?;
            println!(
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
            println!(
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
