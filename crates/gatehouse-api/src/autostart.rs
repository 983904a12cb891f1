//! This user's autostart entry for the kiosk window ([`crate::kiosk`]), in
//! `$XDG_CONFIG_HOME/autostart` (by default `~/.config/autostart`): written by
//! `gatehouse kiosk enable` and by the window when the console makes its
//! station a kiosk.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::event::ZoneCode;
use crate::staff::Role;

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
