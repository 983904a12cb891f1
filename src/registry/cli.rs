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
    out!("{text}");
    Ok(())
}

pub fn print_demo(s: &DemoPeopleSummary, lang: Lang) {
    out!(
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
    out!(
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
        out!(
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
        let first_in = |lang| {
            report
                .errors
                .first()
                .map(|e| e.text(lang))
                .unwrap_or_default()
        };
        let refusal = Error::from(crate::messages::Msg::ImportInvalidRows {
            file: file.display().to_string(),
            invalid: report.invalid as u64,
            first_en: first_in(Lang::En),
            first_fr: first_in(Lang::Fr),
        });
        let message = refusal.text(lang);
        if as_json {
            // The report above is the JSON answer; the shell's own `{code,
            // message}` would be a second document on stdout.
            eprintln!("gatehouse: {message}");
            std::process::exit(1);
        }
        return Err(refusal);
    }
    Ok(())
}

pub async fn export(api: &Api, file: &Path, as_json: bool, lang: Lang) -> Result<()> {
    let n =
        crate::registry::export::export(api.store(), file, lang, ACTOR, api.now().await?).await?;
    if as_json {
        json(&serde_json::json!({ "file": file.display().to_string(), "attendees": n }))
    } else {
        out!(
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
        out!(
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

/// `gatehouse mrz`: the document's fields, then its problems; exit 1 when
/// it has one (the first line on stderr names the field). `--json`: the
/// fields, `checks_ok` and the problems, each with its message in `lang`.
pub fn mrz(
    text: Option<&str>,
    today: Option<jiff::civil::Date>,
    as_json: bool,
    lang: Lang,
) -> Result<std::process::ExitCode> {
    use crate::registry::mrz::{self, DocumentKind, MrzFormat, Sex};
    let text = match text {
        Some(t) => t.to_string(),
        None => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                .map_err(|e| Error::io("cannot read standard input", e))?;
            s
        }
    };
    let today = today.unwrap_or_else(|| jiff::Zoned::now().date());
    let m = mrz::read(&text, today)?;
    if as_json {
        let mut value = serde_json::to_value(&m).map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(problems) = value.get_mut("problems").and_then(|p| p.as_array_mut()) {
            for (p, problem) in problems.iter_mut().zip(&m.problems) {
                if let Some(p) = p.as_object_mut() {
                    p.insert("key".into(), problem.msg().key().into());
                    p.insert("message".into(), problem.text(lang).into());
                }
            }
        }
        json(&value)?;
    } else {
        let kind = match m.document_kind {
            DocumentKind::Passport => lang.pick("Passeport", "Passport"),
            DocumentKind::IdCard => lang.pick("Carte d'identité", "Identity card"),
            DocumentKind::Visa => lang.pick("Visa", "Visa"),
            DocumentKind::Other => lang.pick("Document", "Document"),
        };
        let format = match m.format {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        };
        let state = |code: &str, country: &Option<String>| match country
            .as_deref()
            .and_then(|c| crate::registry::country_name(c, lang))
        {
            Some(name) => format!("{code} ({name})"),
            None => code.to_string(),
        };
        let date = |d: Option<jiff::civil::Date>| {
            d.map(|d| d.to_string())
                .unwrap_or_else(|| lang.pick("inconnue", "unknown").into())
        };
        let sex = match m.sex {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unspecified => "X",
        };
        let sep = lang.pick(" :", ":");
        let rows = [
            (
                lang.pick("Document", "Document"),
                format!("{kind} ({format}, {})", m.document_code),
            ),
            (
                lang.pick("État émetteur", "Issuing state"),
                state(&m.issuing_state, &m.issuing_country),
            ),
            (lang.pick("Nom", "Family name"), m.family_name.clone()),
            (lang.pick("Prénoms", "Given names"), m.given_names.clone()),
            (
                lang.pick("Nationalité", "Nationality"),
                state(&m.nationality, &m.nationality_country),
            ),
            (lang.pick("Sexe", "Sex"), sex.to_string()),
            (
                lang.pick("Date de naissance", "Date of birth"),
                date(m.birth_date),
            ),
            (
                lang.pick("Numéro du document", "Document number"),
                m.document_number.clone(),
            ),
            (
                lang.pick("Date d'expiration", "Expiry date"),
                date(m.expiry_date),
            ),
            (
                lang.pick("Données facultatives", "Optional data"),
                m.optional_data.clone(),
            ),
            (
                lang.pick("Chiffres de contrôle", "Check digits"),
                match m.checks_ok {
                    true => lang.pick("tous justes", "all right"),
                    false => lang.pick("faux (voir ci-dessous)", "wrong (see below)"),
                }
                .to_string(),
            ),
        ];
        let mut out = std::io::stdout().lock();
        for (label, value) in rows {
            let _ = writeln!(out, "{label}{sep} {value}");
        }
    }
    for p in &m.problems {
        eprintln!("gatehouse: {}", p.text(lang));
    }
    Ok(match m.problems.is_empty() {
        true => std::process::ExitCode::SUCCESS,
        false => std::process::ExitCode::from(1),
    })
}
