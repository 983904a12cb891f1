//! `gatehouse vetting list [--status S] | decide SERIAL --clear|--refuse|
//! --more-info|--review --reason R`: the vetting queue and decisions from
//! the command line (issue 16), as the console's vetting screen makes them.

use clap::Subcommand;

use crate::api::Api;
use crate::cli_support::print_json;
use crate::error::{Error, Result};
use crate::event::HoldPolicy;
use crate::lang::Lang;
use crate::serial::BadgeSerial;
use crate::vetting::Accreditation;
use crate::vetting_store::{DecisionRequest, QueueFilter};

fn status(s: &str) -> std::result::Result<Accreditation, String> {
    Accreditation::parse(s)
        .ok_or_else(|| format!("{s:?}: expected applied, in_review, cleared, refused or more_info"))
}

#[derive(Debug, Subcommand)]
pub enum VettingCommand {
    /// The people of vetted categories and their accreditation status.
    List {
        #[arg(long, value_parser = status)]
        status: Option<Accreditation>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        delegation: Option<String>,
        /// Only those with watchlist hits (organiser stations hold the list).
        #[arg(long)]
        watchlist: bool,
    },
    /// Record a decision on one person (audited; a refusal revokes the badge).
    #[command(group = clap::ArgGroup::new("decision").required(true)
        .args(["clear", "refuse", "more_info", "review"]))]
    Decide {
        serial: BadgeSerial,
        #[arg(long)]
        clear: bool,
        #[arg(long)]
        refuse: bool,
        #[arg(long)]
        more_info: bool,
        /// Sent to the services: in review.
        #[arg(long)]
        review: bool,
        #[arg(long)]
        reason: String,
    },
    /// What happens to the badges of people not cleared yet: `off` (not
    /// enforced), `no_print`, or `print_held` (printed, refused at every
    /// gate until cleared). Saved with the event, so every station follows.
    Policy {
        #[arg(value_parser = policy)]
        policy: HoldPolicy,
    },
    /// Those awaiting vetting for the security services: one zip of an XLSX
    /// and their photos, named by badge number (audited).
    Export {
        #[arg(long, value_name = "FILE.zip")]
        out: std::path::PathBuf,
    },
    /// The services' answer (CSV or XLSX: badge number or reference,
    /// decision, reason), all or nothing: every refused line is listed.
    Import { file: std::path::PathBuf },
}

fn policy(s: &str) -> std::result::Result<HoldPolicy, String> {
    HoldPolicy::parse(&s.replace('-', "_"))
        .map_err(|_| format!("{s:?}: expected off, no_print or print_held"))
}

pub async fn run(api: &Api, command: VettingCommand, json: bool, lang: Lang) -> Result<()> {
    match command {
        VettingCommand::List {
            status,
            category,
            country,
            delegation,
            watchlist,
        } => {
            let rows = api
                .vetting_queue(&QueueFilter {
                    status,
                    category,
                    country,
                    delegation,
                    watchlist: watchlist.then_some(true),
                })
                .await?;
            if json {
                return print_json(&rows);
            }
            for r in &rows {
                out!(
                    "{}  {:<4} {:<24} {:<24} {:<3} {}{}",
                    r.serial,
                    r.category,
                    format!("{} {}", r.family_name, r.given_names),
                    r.organisation,
                    r.country.as_deref().unwrap_or("-"),
                    r.status.words(lang),
                    r.reason
                        .as_deref()
                        .map(|w| format!(" — {w}"))
                        .unwrap_or_default(),
                );
            }
            out!("{} {}", rows.len(), lang.pick("personne(s)", "person(s)"));
            Ok(())
        }
        VettingCommand::Decide {
            serial,
            clear,
            refuse,
            more_info,
            review: _,
            reason,
        } => {
            let to = if clear {
                Accreditation::Cleared
            } else if refuse {
                Accreditation::Refused
            } else if more_info {
                Accreditation::MoreInfo
            } else {
                Accreditation::InReview
            };
            let done = api
                .vetting_decide(
                    &[DecisionRequest {
                        serial,
                        status: to,
                        reason,
                    }],
                    api.now().await?,
                    "cli",
                )
                .await?;
            let d = done
                .first()
                .ok_or_else(|| Error::Internal("no decision recorded".into()))?;
            if json {
                return print_json(d);
            }
            out!(
                "{} — {}{}",
                d.serial,
                lang.pick("accréditation : ", "accreditation: "),
                d.status.words(lang)
            );
            Ok(())
        }
        VettingCommand::Export { out } => {
            if out.exists() {
                return Err(crate::messages::Msg::BackupExists {
                    file: out.display().to_string(),
                }
                .into());
            }
            let (bytes, n) = api.vetting_export(lang, api.now().await?, "cli").await?;
            tokio::fs::write(&out, bytes)
                .await
                .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
            if json {
                return print_json(&serde_json::json!({ "people": n, "file": out }));
            }
            out!(
                "{n} {} → {}",
                lang.pick("personne(s) en attente", "person(s) awaiting vetting"),
                out.display()
            );
            Ok(())
        }
        VettingCommand::Import { file } => {
            let bytes = tokio::fs::read(&file)
                .await
                .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
            let name = file.display().to_string();
            match api
                .vetting_import(&bytes, &name, api.now().await?, "cli")
                .await?
            {
                Ok(done) => {
                    if json {
                        return print_json(&done);
                    }
                    out!(
                        "{} {}",
                        done.len(),
                        lang.pick("décision(s) enregistrée(s)", "decision(s) recorded")
                    );
                    Ok(())
                }
                Err(errors) => {
                    let line = |e: &crate::vetting_store::LineError| {
                        format!(
                            "{}{}{}{}",
                            lang.pick("ligne ", "line "),
                            e.line,
                            lang.pick(" : ", ": "),
                            e.error.text(lang)
                        )
                    };
                    for e in &errors {
                        eprintln!("{}", line(e));
                    }
                    Err(crate::messages::Msg::VettingImportRefused {
                        file: name,
                        n: errors.len() as u64,
                        first: errors.first().map(line).unwrap_or_default(),
                    }
                    .into())
                }
            }
        }
        VettingCommand::Policy { policy } => {
            let mut event = api.event().await?;
            event.vetting = policy;
            let saved = api.save_event(event, api.now().await?, "cli").await?;
            if json {
                return print_json(&saved.vetting);
            }
            out!(
                "{}{}",
                lang.pick("accréditation : ", "vetting: "),
                saved.vetting.as_str()
            );
            Ok(())
        }
    }
}
