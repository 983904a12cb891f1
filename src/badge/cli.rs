//! The badge subcommands of `gatehouse` (`badges`, `print`, `printers`,
//! `print-log`), flattened into [`crate::cli::Command`].
//!
//! `badges` renders a selection to a PDF; `print` renders the same
//! selection and sends it to a CUPS printer without any dialog, then follows
//! the job and says in plain words what happens (queued, printing, out of
//! paper, printed). With `--json`, one object on stdout.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use serde::Serialize;

use super::batch::{self, Rendered, Selection};
use super::{Format, Sheet};
use crate::api::Api;
use crate::error::{Error, Result};
use crate::event::CategoryCode;
use crate::lang::Lang;
use crate::print::{self, JobState};
use crate::registry::Status;
use crate::serial::BadgeSerial;

/// Who the CLI acts as until staff sign-in exists.
const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum BadgeCommand {
    /// Render badges to a PDF, one per page (or four A6 per A4 sheet).
    Badges {
        #[command(flatten)]
        select: SelectArgs,
        #[command(flatten)]
        paper: PaperArgs,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// The PDF will be printed elsewhere: record each badge in the print
        /// log (printer `PDF`) and mark its holder printed, as `print` does.
        #[arg(long)]
        record: bool,
    },
    /// Render badges and send them to a CUPS/IPP printer (no dialog).
    Print {
        #[command(flatten)]
        select: SelectArgs,
        #[command(flatten)]
        paper: PaperArgs,
        /// The CUPS queue (see `gatehouse printers`).
        #[arg(long)]
        printer: String,
        /// Seconds to follow the job before giving up waiting (0: just queue it).
        #[arg(long, default_value_t = 120)]
        wait: u64,
    },
    /// The printers CUPS knows, and what state each is in.
    Printers,
    /// Who printed which badge version, when, on which printer.
    PrintLog {
        #[arg(long)]
        serial: Option<BadgeSerial>,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SelectArgs {
    /// These badge numbers.
    #[arg(long, num_args = 1.., value_name = "SERIAL")]
    serial: Vec<BadgeSerial>,
    /// Everyone in this category.
    #[arg(long)]
    category: Option<CategoryCode>,
    /// Everyone in this delegation.
    #[arg(long)]
    delegation: Option<String>,
    /// Everyone.
    #[arg(long)]
    all: bool,
}

impl SelectArgs {
    fn selection(&self) -> Selection {
        if let Some(c) = &self.category {
            Selection::Category(c.clone())
        } else if let Some(d) = &self.delegation {
            Selection::Delegation(d.clone())
        } else if self.all {
            Selection::All
        } else {
            Selection::Serials(self.serial.clone())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetArg {
    /// One badge per page, at the badge's size.
    Single,
    /// Four A6 badges per A4 sheet, with cut marks.
    A4,
}

#[derive(Debug, Args)]
pub struct PaperArgs {
    /// Badge format [default: the event's template's, a6 for BAMEX'25].
    #[arg(long, value_parser = crate::cli_support::choice::<Format>(&["a6", "cr80"]))]
    format: Option<Format>,
    #[arg(long, value_enum, default_value_t = SheetArg::Single)]
    sheet: SheetArg,
}

impl PaperArgs {
    async fn resolve(&self, api: &Api) -> Result<(Format, Sheet)> {
        let format = match self.format {
            Some(f) => f,
            None => api.badge_template().await?.default_format,
        };
        let sheet = match self.sheet {
            SheetArg::Single => Sheet::Single,
            SheetArg::A4 => Sheet::A4FourUp,
        };
        Ok((format, sheet))
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

fn summary(r: &Rendered, lang: Lang) -> String {
    let mut s = format!(
        "{} {} {}",
        r.badges.len(),
        lang.pick("badge(s)", "badge(s)"),
        r.format.as_str().to_uppercase()
    );
    if !r.skipped_revoked.is_empty() {
        let list: Vec<&str> = r.skipped_revoked.iter().map(BadgeSerial::as_str).collect();
        s.push_str(&format!(
            " — {} {}",
            lang.pick("révoqués, non imprimés :", "revoked, left out:"),
            list.join(", ")
        ));
    }
    if !r.skipped_not_cleared.is_empty() {
        let list: Vec<&str> = r
            .skipped_not_cleared
            .iter()
            .map(BadgeSerial::as_str)
            .collect();
        s.push_str(&format!(
            " — {} {}",
            lang.pick(
                "retenus par l'accréditation, non imprimés :",
                "held back by vetting, left out:"
            ),
            list.join(", ")
        ));
    }
    s
}

#[derive(Serialize)]
struct BadgesOut<'a> {
    out: String,
    format: Format,
    bytes: usize,
    badges: &'a [batch::RenderedBadge],
    skipped_revoked: &'a [BadgeSerial],
    skipped_not_cleared: &'a [BadgeSerial],
    /// Recorded as printed (`--record`).
    recorded: bool,
}

#[derive(Serialize)]
struct PrintOut<'a> {
    printer: String,
    job: String,
    state: JobState,
    message: String,
    format: Format,
    badges: &'a [batch::RenderedBadge],
    skipped_revoked: &'a [BadgeSerial],
    skipped_not_cleared: &'a [BadgeSerial],
}

pub async fn run(api: &Api, command: BadgeCommand, json: bool, lang: Lang) -> Result<ExitCode> {
    match command {
        BadgeCommand::Badges {
            select,
            paper,
            out,
            record,
        } => {
            let (format, sheet) = paper.resolve(api).await?;
            let now = Timestamp::now();
            let r = api
                .render_badges(&select.selection(), format, sheet, api.now().await?, ACTOR)
                .await?;
            std::fs::write(&out, &r.pdf)
                .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
            if record {
                let made: Vec<(BadgeSerial, u32)> = r
                    .badges
                    .iter()
                    .map(|b| (b.serial.clone(), b.version))
                    .collect();
                let name = out
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| out.display().to_string());
                print::log_pdf(api.store(), &made, format, &name, ACTOR, now).await?;
                let serials: Vec<BadgeSerial> = made.into_iter().map(|(s, _)| s).collect();
                crate::registry::attendee::set_status_all(
                    api.store(),
                    &serials,
                    Status::Printed,
                    ACTOR,
                    now,
                )
                .await?;
            }
            if json {
                print_json(&BadgesOut {
                    out: out.display().to_string(),
                    format,
                    bytes: r.bytes,
                    badges: &r.badges,
                    skipped_revoked: &r.skipped_revoked,
                    skipped_not_cleared: &r.skipped_not_cleared,
                    recorded: record,
                })?;
            } else {
                out!(
                    "{} → {} ({} Ko)",
                    summary(&r, lang),
                    out.display(),
                    r.bytes.div_ceil(1024)
                );
                if record {
                    out!(
                        "{}",
                        lang.pick("Inscrits au journal d'impression (imprimante PDF) : ces personnes passent « Imprimé ».",
                            "Recorded in the print log (printer PDF): these people are now printed."
                        )
                    );
                }
            }
        }
        BadgeCommand::Print {
            select,
            paper,
            printer,
            wait,
        } => {
            let (format, sheet) = paper.resolve(api).await?;
            let now = api.now().await?;
            let r = api
                .render_badges(&select.selection(), format, sheet, now, ACTOR)
                .await?;
            let printed: Vec<(BadgeSerial, u32)> = r
                .badges
                .iter()
                .map(|b| (b.serial.clone(), b.version))
                .collect();
            let title = match &r.badges[..] {
                [one] => format!("{} v{}", one.serial, one.version),
                many => format!("{} badges", many.len()),
            };
            let job = print::send(
                api.store(),
                &printer,
                r.pdf.clone(),
                &title,
                &printed,
                format,
                ACTOR,
                now,
            )
            .await?;
            if !json {
                out!(
                    "{} {} {printer} ({job})",
                    summary(&r, lang),
                    lang.pick("envoyés à", "sent to")
                );
            }
            let status = if wait == 0 {
                None
            } else {
                Some(
                    print::follow(api.store(), &job, Duration::from_secs(wait), lang, |line| {
                        if !json {
                            out!("  {line}");
                        }
                    })
                    .await?,
                )
            };
            let done = status
                .as_ref()
                .is_none_or(|s| s.state == JobState::Completed);
            if done {
                let serials: Vec<BadgeSerial> = printed.iter().map(|(s, _)| s.clone()).collect();
                crate::registry::attendee::set_status_all(
                    api.store(),
                    &serials,
                    Status::Printed,
                    ACTOR,
                    api.now().await?,
                )
                .await?;
            }
            if json {
                print_json(&PrintOut {
                    printer: printer.clone(),
                    job: job.clone(),
                    state: status.as_ref().map_or(JobState::Pending, |s| s.state),
                    message: status.as_ref().map(|s| s.line.clone()).unwrap_or_default(),
                    format,
                    badges: &r.badges,
                    skipped_revoked: &r.skipped_revoked,
                    skipped_not_cleared: &r.skipped_not_cleared,
                })?;
            }
            if let Some(s) = status.filter(|s| s.state != JobState::Completed) {
                let line = &s.line;
                return Err(if s.done {
                    crate::messages::Msg::PrintFailed { line: line.clone() }
                } else {
                    crate::messages::Msg::PrintStillQueued {
                        wait,
                        line: line.clone(),
                    }
                }
                .into());
            }
        }
        BadgeCommand::Printers => {
            let printers = tokio::task::spawn_blocking(print::list_printers)
                .await
                .map_err(|e| Error::Internal(format!("listing printers failed: {e}")))??;
            if json {
                print_json(&printers)?;
            } else if printers.is_empty() {
                out!(
                    "{}",
                    lang.pick("Aucune imprimante dans CUPS.", "No printer in CUPS.")
                );
            } else {
                for p in &printers {
                    let default = if p.is_default { " *" } else { "" };
                    out!("{}{default}", print::describe_printer(p, lang));
                }
            }
        }
        BadgeCommand::PrintLog { serial } => {
            let log = print::log(api.store().read(), serial.as_ref()).await?;
            if json {
                print_json(&log)?;
            } else {
                for e in &log {
                    out!(
                        "{}  {} v{}  {}  {} ({})  {}  {}",
                        e.printed_at,
                        e.serial,
                        e.version,
                        e.format.as_str(),
                        e.printer,
                        e.job,
                        e.printed_by,
                        e.outcome
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
