//! The registry's command-line output (`import`, `export`, `search`, the
//! attendee part of `demo`): human text in French or English, or `--json`
//! as `CLI.md` says. [`crate::cli`] parses; this formats.

use std::io::Write as _;
use std::path::Path;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::registry::demo::DemoPeopleSummary;
use crate::registry::import::{self, ImportOptions, ImportReport};

const ACTOR: &str = "cli";

fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}

pub fn print_demo(s: &DemoPeopleSummary, lang: Lang) {
    println!(
        "{} {} ({} {}), {} {}, {} {} — {} {}",
        s.attendees,
        lang.pick("participants", "attendees"),
        s.with_photo,
        lang.pick("avec photo", "with a photo"),
        s.delegations,
        lang.pick("délégations", "delegations"),
        s.organisations,
        lang.pick("organisations", "organisations"),
        lang.pick("graine", "seed"),
        s.seed
    );
}

fn print_counts(r: &ImportReport, options: ImportOptions, lang: Lang) {
    // French agrees with the count: "1 créé", "2 créés" (0 and 1 singular).
    let agreed = |n: usize, one: &'static str, many: &'static str, en: &'static str| {
        let word = match lang {
            Lang::Fr if n > 1 => many,
            Lang::Fr => one,
            Lang::En => en,
        };
        format!("{n} {word}")
    };
    println!(
        "{}{} · {} · {} · {}",
        if options.dry_run {
            lang.pick("(essai, rien n'est écrit) ", "(dry run, nothing written) ")
        } else {
            ""
        },
        agreed(r.created, "créé", "créés", "created"),
        agreed(r.updated, "mis à jour", "mis à jour", "updated"),
        agreed(r.unchanged, "inchangé", "inchangés", "unchanged"),
        agreed(r.invalid, "invalide", "invalides", "invalid"),
    );
    if !r.ignored_columns.is_empty() {
        println!(
            "{} {}",
            lang.pick("Colonnes ignorées :", "Columns ignored:"),
            r.ignored_columns.join(", ")
        );
    }
}

/// `gatehouse import FILE`: exit 1 if the file is refused (any invalid row
/// without `--skip-invalid`), every error listed first.
pub async fn import(
    api: &Api,
    file: &Path,
    options: ImportOptions,
    as_json: bool,
    lang: Lang,
) -> Result<()> {
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
    let mut shown = false;
    let mut progress = |done: usize, total: usize| {
        if !as_json && total >= 10_000 {
            eprint!("\r{done}/{total}");
            let _ = std::io::stderr().flush();
            shown = true;
        }
    };
    let report = import::import(
        api.store(),
        &bytes,
        &name,
        options,
        ACTOR,
        api.now().await?,
        &mut progress,
    )
    .await?;
    if shown {
        eprintln!();
    }
    let refused = report.invalid > 0 && !options.skip_invalid;
    if as_json {
        json(&report)?;
    } else {
        print_counts(&report, options, lang);
    }
    for e in &report.errors {
        eprintln!("{}", e.text(lang));
    }
    if refused {
        let first = report
            .errors
            .first()
            .map(|e| e.text(lang))
            .unwrap_or_default();
        let message = match lang {
            Lang::Fr => format!(
                "{} : {} ligne(s) invalide(s), rien n'est importé (première : {first}) ; corrigez-les ou utilisez --skip-invalid",
                file.display(),
                report.invalid
            ),
            Lang::En => format!(
                "{}: {} invalid row(s), nothing imported (first: {first}); correct them or use --skip-invalid",
                file.display(),
                report.invalid
            ),
        };
        if as_json {
            // The report above is the JSON answer; the shell's own `{code,
            // message}` would be a second document on stdout.
            eprintln!("gatehouse: {message}");
            std::process::exit(1);
        }
        return Err(Error::bad_input(message));
    }
    Ok(())
}

pub async fn export(api: &Api, file: &Path, as_json: bool, lang: Lang) -> Result<()> {
    let n =
        crate::registry::export::export(api.store(), file, lang, ACTOR, api.now().await?).await?;
    if as_json {
        json(&serde_json::json!({ "file": file.display().to_string(), "attendees": n }))
    } else {
        println!(
            "{n} {} {}",
            lang.pick("participants exportés vers", "attendees exported to"),
            file.display()
        );
        Ok(())
    }
}

pub async fn search(api: &Api, query: &str, limit: u32, as_json: bool) -> Result<()> {
    let hits = api.search(query, limit).await?;
    if as_json {
        return json(&hits);
    }
    for h in &hits {
        println!(
            "{}  {} {}  {}  {}  {}",
            h.serial,
            h.family_name.to_uppercase(),
            h.given_names,
            h.category,
            h.country.as_deref().unwrap_or("--"),
            h.organisation
        );
    }
    Ok(())
}
