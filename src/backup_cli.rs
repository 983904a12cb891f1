//! `gatehouse backup` and `gatehouse restore`: read the passphrase (never
//! from the command line), call [`crate::backup`], say what was done.

use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::api::Api;
use crate::backup::Passphrase;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::Msg;

/// The environment variable a script may give the passphrase in.
pub const PASSPHRASE_VAR: &str = "GATEHOUSE_BACKUP_PASSPHRASE";

/// What to check the passphrase against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Backup,
    Restore,
}

/// The passphrase from `--passphrase-file` (`-`: one line of standard
/// input), else [`PASSPHRASE_VAR`], else asked at a terminal without echo
/// (twice for a backup).
pub fn read_passphrase(file: Option<&Path>, purpose: Purpose, lang: Lang) -> Result<Passphrase> {
    let check = |text: &str| match purpose {
        Purpose::Backup => Passphrase::for_backup(text),
        Purpose::Restore => Passphrase::for_restore(text),
    };
    let io = |e| Error::io("cannot read the passphrase", e);
    if let Some(file) = file {
        let mut text = String::new();
        if file == Path::new("-") {
            std::io::stdin().lock().read_line(&mut text).map_err(io)?;
        } else {
            std::fs::File::open(file)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
        }
        return check(&text);
    }
    if let Ok(text) = std::env::var(PASSPHRASE_VAR) {
        return check(&text);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Msg::PassphraseNotGiven {}.into());
    }
    let text =
        rpassword::prompt_password(lang.pick("Phrase secrète : ", "Passphrase: ")).map_err(io)?;
    let passphrase = check(&text)?;
    if purpose == Purpose::Backup {
        let again = rpassword::prompt_password(lang.pick("La même, encore : ", "The same again: "))
            .map_err(io)?;
        if again != text {
            return Err(Msg::PassphrasesDiffer {}.into());
        }
    }
    Ok(passphrase)
}

/// Where `gatehouse backup` writes.
#[derive(Debug, Clone)]
pub enum Target {
    File(PathBuf),
    Folder(crate::backup::Rotation),
}

pub async fn backup(
    api: &Api,
    target: Target,
    passphrase_file: Option<&PathBuf>,
    json: bool,
    lang: Lang,
) -> Result<()> {
    let passphrase = read_passphrase(passphrase_file.map(PathBuf::as_path), Purpose::Backup, lang)?;
    let now = Timestamp::now();
    let (summary, removed) = match &target {
        Target::File(out) => (
            crate::backup::backup(api.store(), out, &passphrase, now).await?,
            Vec::new(),
        ),
        Target::Folder(rotation) => {
            crate::backup::backup_rotating(api.store(), rotation, &passphrase, now).await?
        }
    };
    if json {
        return crate::cli_support::print_json(&serde_json::json!({
            "backup": summary,
            "removed": removed,
        }));
    }
    for old in &removed {
        out!(
            "{} {}",
            lang.pick("Ancienne sauvegarde retirée :", "Old backup removed:"),
            old.display()
        );
    }
    out!(
        "{} {} ({} {})",
        lang.pick("Sauvegarde chiffrée :", "Encrypted backup:"),
        summary.file,
        summary.bytes,
        lang.pick("octets", "bytes")
    );
    print_counts(
        summary.attendees,
        summary.scans,
        summary.audit_entries,
        summary.key_files,
        lang,
    );
    out!(
        "{}",
        lang.pick(
            "Sans la phrase secrète, personne ne peut la restaurer : gardez-la à part du fichier.",
            "Without the passphrase nobody can restore it: keep it apart from the file."
        )
    );
    Ok(())
}

/// What a backup holds, the same line after a backup and after a restore.
fn print_counts(attendees: i64, scans: i64, audit_entries: i64, key_files: usize, lang: Lang) {
    out!(
        "  {attendees} {}, {scans} {}, {audit_entries} {}, {key_files} {}",
        lang.pick("participants", "attendees"),
        lang.pick("passages", "scans"),
        lang.pick("entrées d'audit", "audit entries"),
        lang.pick("fichiers de clés", "key files"),
    );
}

pub async fn restore(
    file: &Path,
    db: &Path,
    passphrase_file: Option<&PathBuf>,
    json: bool,
    lang: Lang,
) -> Result<()> {
    // Refused before the passphrase is asked for.
    for path in [db.to_owned(), crate::db_files::key_dir(db)] {
        if path.exists() {
            return Err(Msg::RestoreWouldOverwrite {
                path: path.display().to_string(),
            }
            .into());
        }
    }
    if !file.is_file() {
        return Err(Error::io(
            format!("cannot read {}", file.display()),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let passphrase = read_passphrase(
        passphrase_file.map(PathBuf::as_path),
        Purpose::Restore,
        lang,
    )?;
    let summary = crate::backup::restore(file, db, &passphrase).await?;
    if json {
        return crate::cli_support::print_json(&summary);
    }
    out!(
        "{} {} — {}",
        lang.pick("Poste restauré :", "Station restored:"),
        summary.db,
        summary.event.as_deref().unwrap_or("—")
    );
    print_counts(
        summary.attendees,
        summary.scans,
        summary.audit_entries,
        summary.key_files,
        lang,
    );
    if let Some(made_at) = &summary.made_at {
        out!(
            "  {} {made_at}",
            lang.pick("sauvegarde du", "backup made at")
        );
    }
    if let Some(hub) = &summary.paired_with {
        out!(
            "  {} {hub}",
            lang.pick("toujours appairé au hub", "still paired with the hub")
        );
        out!(
            "{}",
            lang.pick(
                "Synchronisez-le (`gatehouse sync`) avant qu'il n'enregistre quoi que ce soit : si le hub détient des enregistrements faits par ce poste après la sauvegarde, il le dit, et comment l'appairer de nouveau sans rien perdre.",
                "Sync it (`gatehouse sync`) before it records anything: if the hub holds records this station made after the backup, it says so, and how to pair it again losing nothing."
            )
        );
    }
    Ok(())
}

/// `serve --backup-every`: a backup into a folder every few minutes,
/// keeping the last few, while the station serves. The same schedule the
/// console sets ([`crate::backup_schedule`]), set from the flags.
pub struct Automatic {
    folder: PathBuf,
    keep: u32,
    minutes: u32,
    passphrase: std::sync::Arc<Passphrase>,
}

impl Automatic {
    /// Checks the passphrase now, so a station does not start serving with
    /// backups that would all fail.
    pub fn new(
        folder: PathBuf,
        keep: u32,
        minutes: u32,
        passphrase_file: Option<&Path>,
        lang: Lang,
    ) -> Result<Automatic> {
        let folder = std::path::absolute(&folder)
            .map_err(|e| Error::io(format!("cannot resolve {}", folder.display()), e))?;
        Ok(Automatic {
            folder,
            keep,
            minutes,
            passphrase: std::sync::Arc::new(read_passphrase(
                passphrase_file,
                Purpose::Backup,
                lang,
            )?),
        })
    }

    /// Sets this schedule on `api`'s station (its passphrase held in
    /// memory). A folder missing now (the stick not plugged in yet) is
    /// tried again every minute, as when it is pulled out.
    pub async fn apply(&self, api: &Api) -> Result<()> {
        crate::backup_schedule::apply(
            api.store(),
            api.backups(),
            &self.folder,
            self.minutes,
            self.keep,
            Some(self.passphrase.clone()),
            "cli",
            Timestamp::now(),
        )
        .await?;
        Ok(())
    }
}

/// What `serve` prints of each automatic backup (stdout: the file; a
/// failure goes to the log).
pub fn report(lang: Lang) -> impl Fn(&crate::backup_schedule::Outcome) + Send + 'static {
    move |outcome| {
        use std::io::Write as _;
        if let crate::backup_schedule::Outcome::Made(summary) = outcome {
            let _ = writeln!(
                std::io::stdout(),
                "{} {}",
                lang.pick("Sauvegarde automatique :", "Automatic backup:"),
                summary.file
            );
        }
    }
}
