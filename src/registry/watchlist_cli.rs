//! `gatehouse watchlist import FILE | list | screen` (see
//! [`crate::registry::screening`]). [`crate::cli`] dispatches; this reads
//! the file, calls the core and formats.

use std::path::PathBuf;

use clap::Subcommand;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::registry::import;
use crate::registry::screening::{self, AttendeeScreening, ScreenSummary};

const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum WatchlistCommand {
    /// Replace the watchlist with a CSV or XLSX file (names and aliases,
    /// date of birth, nationality, document numbers, reference, note; French
    /// or English headers): all or nothing, each refused line named. The
    /// whole registry is screened again.
    Import { file: PathBuf },
    /// The watchlist as stored.
    List,
    /// Screen the whole registry again and list the hits, each with its
    /// score and reasons.
    Screen,
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

pub async fn run(api: &Api, command: WatchlistCommand, as_json: bool, lang: Lang) -> Result<()> {
    match command {
        WatchlistCommand::Import { file } => import_file(api, &file, as_json, lang).await,
        WatchlistCommand::List => {
            let entries = screening::entries(api.store()).await?;
            if as_json {
                return print_json(&entries);
            }
            for s in &entries {
                let e = &s.entry;
                let mut line = format!("{:<14} {}", e.reference, e.names.join(" | "));
                if let Some(d) = e.birth_date {
                    line.push_str(&format!("  {} {d}", lang.pick("né(e) le", "born")));
                }
                if let Some(n) = &e.nationality {
                    line.push_str(&format!("  {n}"));
                }
                if !e.doc_numbers.is_empty() {
                    line.push_str(&format!("  {}", e.doc_numbers.join(", ")));
                }
                if !e.note.is_empty() {
                    line.push_str(&format!("  — {}", e.note));
                }
                out!("{line}");
            }
            out!(
                "{} {}",
                entries.len(),
                lang.pick("entrée(s) sur la liste", "entries on the list")
            );
            Ok(())
        }
        WatchlistCommand::Screen => {
            let summary = screening::screen_all(api.store(), ACTOR, api.now().await?).await?;
            let hits = screening::hits(api.store()).await?;
            if as_json {
                return print_json(&serde_json::json!({
                    "summary": summary,
                    "attendees": hits.iter().map(|a| hit_json(a, lang)).collect::<Vec<_>>(),
                }));
            }
            print_hits(&hits, lang);
            print_summary(&summary, lang);
            Ok(())
        }
    }
}

/// One attendee's hits as `--json` gives them: the reasons in words in the
/// CLI's language beside the typed reasons.
fn hit_json(a: &AttendeeScreening, lang: Lang) -> serde_json::Value {
    let mut v = serde_json::to_value(a).unwrap_or_default();
    if let Some(list) = v.get_mut("hits").and_then(|h| h.as_array_mut()) {
        for (h, stored) in list.iter_mut().zip(&a.hits) {
            if let Some(map) = h.as_object_mut() {
                map.insert("reasons_text".into(), stored.reasons_text(lang).into());
            }
        }
    }
    v
}

fn print_hits(hits: &[AttendeeScreening], lang: Lang) {
    for a in hits {
        let state = if a.held {
            lang.pick("en attente d'examen", "held for review")
        } else {
            lang.pick("non retenu", "not held")
        };
        out!("{} {} {} — {state}", a.serial, a.given_names, a.family_name);
        for h in &a.hits {
            out!(
                "  {} {} ({}) : {}/100",
                lang.pick("liste", "list"),
                h.reference,
                h.names.join(" | "),
                h.score
            );
            for r in h.reasons_text(lang) {
                out!("    - {r}");
            }
        }
    }
}

fn print_summary(s: &ScreenSummary, lang: Lang) {
    out!(
        "{} {}, {} {}, {} {}{}{}",
        s.screened,
        lang.pick("personne(s) contrôlée(s)", "attendee(s) screened"),
        s.hits,
        lang.pick("correspondance(s)", "hit(s)"),
        s.held,
        lang.pick("en attente d'examen", "held for review"),
        if s.released.is_empty() {
            String::new()
        } else {
            format!(
                ", {} {}",
                s.released.len(),
                lang.pick("libérée(s)", "released")
            )
        },
        if s.held_again.is_empty() {
            String::new()
        } else {
            format!(
                ", {} {}",
                s.held_again.len(),
                lang.pick(
                    "renvoyée(s) en examen (nouvelle correspondance)",
                    "sent back to review (new match)"
                )
            )
        }
    );
}

async fn import_file(api: &Api, file: &std::path::Path, as_json: bool, lang: Lang) -> Result<()> {
    let size = tokio::fs::metadata(file)
        .await
        .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?
        .len();
    if size > import::limits::FILE_BYTES as u64 {
        return Err(crate::messages::Msg::ImportFileTooLarge {
            file: file.display().to_string(),
            mb: size / (1024 * 1024),
            max_mb: (import::limits::FILE_BYTES / (1024 * 1024)) as u64,
        }
        .into());
    }
    let bytes = tokio::fs::read(file)
        .await
        .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
    let name = file.display().to_string();
    let outcome = screening::import(api.store(), &bytes, &name, ACTOR, api.now().await?).await?;
    if as_json {
        print_json(&outcome)?;
    } else if outcome.written {
        out!(
            "{} {}",
            outcome.entries,
            lang.pick(
                "entrée(s) importée(s) ; la liste précédente est remplacée",
                "entries imported; the previous list is replaced"
            )
        );
        if let Some(s) = &outcome.screening {
            print_summary(s, lang);
        }
    }
    if !outcome.ignored_columns.is_empty() && !as_json {
        eprintln!(
            "{} {}",
            lang.pick("Colonnes ignorées :", "Columns ignored:"),
            outcome.ignored_columns.join(", ")
        );
    }
    for e in &outcome.errors {
        eprintln!("{}", e.text(lang));
    }
    if !outcome.written {
        let first = outcome
            .errors
            .first()
            .map(|e| e.text(lang))
            .unwrap_or_default();
        let refusal: Error = crate::messages::Msg::WatchlistLinesRefused {
            file: file.display().to_string(),
            count: outcome.errors.len() as u64,
            first,
        }
        .into();
        let message = refusal.text(lang);
        if as_json {
            eprintln!("gatehouse: {message}");
            std::process::exit(1);
        }
        return Err(refusal);
    }
    Ok(())
}
