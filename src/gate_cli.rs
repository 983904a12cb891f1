//! The badge and gate subcommands of `gatehouse` (`keys`, `token`, `reprint`,
//! `revoke`, `verify`, `scan`, `scans`), flattened into [`crate::cli::Command`].
//!
//! Output follows `CLI.md`: with `--json` one object (or array) on stdout;
//! `scan` exits 0 for admit or warn and 3 for deny.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use jiff::Timestamp;
use serde::Serialize;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::event::ZoneCode;
use crate::gate::{Decision, Direction, Reason, Verdict};
use crate::lang::Lang;
use crate::serial::BadgeSerial;

/// Who the CLI acts as until staff sign-in exists.
const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum GateCommand {
    /// The event's signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The QR text of the badge's current version.
    Token { serial: BadgeSerial },
    /// A new badge version; every older version is superseded.
    Reprint { serial: BadgeSerial },
    /// Revoke the badge (all versions).
    Revoke {
        serial: BadgeSerial,
        #[arg(long)]
        reason: String,
    },
    /// The gate decision, without recording it.
    Verify {
        #[command(flatten)]
        gate: GateArgs,
    },
    /// The gate decision, recorded durably before it is printed (exit 3 on deny).
    Scan {
        #[command(flatten)]
        gate: GateArgs,
    },
    /// The recorded scans this station knows.
    Scans {
        #[arg(long)]
        zone: Option<ZoneCode>,
        #[arg(long)]
        serial: Option<BadgeSerial>,
    },
}

#[derive(Debug, clap::Args)]
pub struct GateArgs {
    #[arg(long)]
    zone: ZoneCode,
    #[arg(long, value_enum, default_value_t = DirectionArg::In)]
    direction: DirectionArg,
    /// Decide as of this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// The scanned text (`GH1:…`).
    token: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    In,
    Out,
}

impl From<DirectionArg> for Direction {
    fn from(d: DirectionArg) -> Direction {
        match d {
            DirectionArg::In => Direction::In,
            DirectionArg::Out => Direction::Out,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// The public verification keys with their key ids.
    Export {
        #[arg(long, value_enum, default_value_t = KeyFormat::Hex)]
        format: KeyFormat,
    },
    /// A new signing key; earlier keys keep verifying unless retired.
    Rotate,
    /// Retire a key: its tokens are refused from now on (`unknown_key`).
    Retire { kid: crate::token::Kid },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    Hex,
    Pem,
}

fn pick(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

/// The instant a gate decides at: `--at`, or the time agreed with the hub
/// (`sync::time`). Says on stderr when this station's clock is off or its
/// revocations are old, as its screen does.
async fn instant(api: &Api, at: Option<&str>, lang: Lang) -> Result<Timestamp> {
    if let Some(s) = at {
        return s.parse().map_err(|_| {
            Error::from(crate::messages::Msg::AtFormat {
                value: s.to_string(),
            })
        });
    }
    let agreed = api.agreed_time().await?;
    // A station that cannot know the time decides nothing.
    let now = agreed.decide()?;
    if let Some(words) = crate::sync::time::skew_words(&agreed, lang) {
        eprintln!(
            "gatehouse: {words} {}",
            pick(
                lang,
                "(décision prise à l'heure du hub)",
                "(decided on the hub's time)"
            )
        );
    }
    let status = crate::sync::visibility::status(api.store(), Timestamp::now()).await?;
    if status.stale {
        eprintln!("gatehouse: {}", stale_words(status.sync_age_s, lang));
    }
    Ok(now)
}

/// "révocations reçues il y a 14 min", for a paired station that has not
/// synced for longer than it should.
pub fn stale_words(age_s: Option<i64>, lang: Lang) -> String {
    match age_s {
        Some(age) => {
            let span = crate::sync::time::span_words(age.saturating_mul(1000), lang);
            match lang {
                Lang::Fr => format!(
                    "révocations reçues il y a {span} : ce poste ne se synchronise plus avec le hub, un badge révoqué depuis peut passer"
                ),
                Lang::En => format!(
                    "revocations last received {span} ago: this station is not syncing with the hub, a badge revoked since may pass"
                ),
            }
        }
        None => pick(
            lang,
            "aucune révocation reçue du hub : ce poste ne s'est jamais synchronisé",
            "no revocation received from the hub: this station never synced",
        )
        .to_string(),
    }
}

/// The officer's words for a reason.
pub fn reason_text(reason: Reason, lang: Lang) -> &'static str {
    match reason {
        Reason::Ok => pick(lang, "accès autorisé", "access granted"),
        Reason::Reentry => pick(
            lang,
            "déjà entré : nouvelle entrée",
            "already inside: re-entry",
        ),
        Reason::Malformed => pick(lang, "code illisible ou étranger", "not one of our badges"),
        Reason::Forged => pick(
            lang,
            "signature invalide : badge falsifié",
            "signature fails: forged badge",
        ),
        Reason::UnknownKey => pick(
            lang,
            "clé de signature inconnue ou retirée",
            "unknown or retired signing key",
        ),
        Reason::OtherEvent => pick(lang, "badge d'un autre événement", "badge of another event"),
        Reason::NotYetValid => pick(lang, "pas encore valide", "not valid yet"),
        Reason::Expired => pick(lang, "expiré", "expired"),
        Reason::NotValidToday => pick(lang, "non valable aujourd'hui", "not valid today"),
        Reason::ZoneNotAllowed => pick(lang, "zone non autorisée", "zone not allowed"),
        Reason::ZoneClosed => pick(lang, "zone fermée aujourd'hui", "zone closed today"),
        Reason::Revoked => pick(lang, "badge révoqué", "badge revoked"),
        Reason::Superseded => pick(
            lang,
            "badge remplacé par une réimpression",
            "replaced by a reprint",
        ),
        Reason::AlreadyInside => pick(lang, "déjà à l'intérieur", "already inside"),
        Reason::ZoneFull => pick(lang, "zone pleine", "zone full"),
        Reason::NotCleared => pick(
            lang,
            "accréditation non accordée (badge retenu)",
            "not cleared by security (badge held)",
        ),
    }
}

fn print_verdict(v: &Verdict, lang: Lang) {
    let word = match v.decision {
        Decision::Admit => pick(lang, "ADMIS", "ADMIT"),
        Decision::Warn => pick(lang, "ATTENTION", "WARN"),
        Decision::Deny => pick(lang, "REFUSÉ", "DENY"),
    };
    let who = match (&v.serial, &v.name) {
        (Some(s), Some(n)) => format!(
            " — {s} v{} {n} ({})",
            v.version.unwrap_or(0),
            v.category.as_ref().map(|c| c.as_str()).unwrap_or("")
        ),
        _ => String::new(),
    };
    // What the reason alone does not say: the dates, why it was revoked.
    let detail = match v.reason {
        Reason::NotYetValid => v
            .valid_from
            .map(|d| format!(" ({} {d})", pick(lang, "à partir du", "from"))),
        Reason::Expired => v
            .valid_until
            .map(|d| format!(" ({} {d})", pick(lang, "dernier jour :", "last day:"))),
        Reason::Revoked => v.revoked_reason.as_ref().map(|r| format!(" ({r})")),
        _ => None,
    }
    .unwrap_or_default();
    out!(
        "{word} — {}{detail}{who} — {} {}",
        reason_text(v.reason, lang),
        v.zone,
        match v.direction {
            crate::gate::Direction::In => pick(lang, "entrée", "in"),
            crate::gate::Direction::Out => pick(lang, "sortie", "out"),
        }
    );
}

pub async fn run(api: &Api, command: GateCommand, json: bool, lang: Lang) -> Result<ExitCode> {
    match command {
        GateCommand::Keys { command } => match command {
            KeysCommand::Export { format } => {
                let keys = api.keys(api.now().await?, ACTOR).await?;
                if json {
                    print_json(&keys)?;
                }
                for k in keys.iter().filter(|_| !json) {
                    let retired = if k.retired_at.is_some() {
                        pick(lang, " (retirée)", " (retired)")
                    } else {
                        ""
                    };
                    match format {
                        KeyFormat::Hex => out!("{} {}{retired}", k.kid, k.public_key),
                        KeyFormat::Pem => out_text!("# kid {}{retired}\n{}", k.kid, k.pem),
                    }
                }
            }
            KeysCommand::Rotate => {
                let key = api.rotate_key(api.now().await?, ACTOR).await?;
                if json {
                    print_json(&key)?;
                } else {
                    out!(
                        "{} {} {}",
                        pick(lang, "Nouvelle clé", "New key"),
                        key.kid,
                        key.public_key
                    );
                }
            }
            KeysCommand::Retire { kid } => {
                api.retire_key(&kid, api.now().await?, ACTOR).await?;
                if json {
                    print_json(&serde_json::json!({ "kid": kid.hex(), "retired": true }))?;
                } else {
                    out!("{} {kid}", pick(lang, "Clé retirée :", "Key retired:"));
                }
            }
        },
        GateCommand::Token { serial } => {
            let t = api.token(&serial, api.now().await?, ACTOR).await?;
            if json {
                print_json(&t)?;
            } else {
                out!("{}", t.token);
            }
        }
        GateCommand::Reprint { serial } => {
            let t = api.reprint(&serial, api.now().await?, ACTOR).await?;
            if json {
                print_json(&t)?;
            } else {
                out!("{} v{} — {}", t.serial, t.version, t.token);
            }
        }
        GateCommand::Revoke { serial, reason } => {
            let r = api
                .revoke(&serial, &reason, api.now().await?, ACTOR)
                .await?;
            if json {
                print_json(&r)?;
            } else {
                out!(
                    "{} {} — {}",
                    pick(lang, "Badge révoqué :", "Badge revoked:"),
                    r.serial,
                    r.reason
                );
            }
        }
        GateCommand::Verify { gate } => {
            let now = instant(api, gate.at.as_deref(), lang).await?;
            let v = api
                .verify(&gate.token, &gate.zone, gate.direction.into(), now)
                .await?;
            if json {
                print_json(&v)?;
            } else {
                print_verdict(&v, lang);
            }
        }
        GateCommand::Scan { gate } => {
            // A back-dated scan on a paired station would sync as if made then.
            if gate.at.is_some() && crate::sync::link::link_status(api.store()).await?.is_some() {
                return Err(crate::messages::Msg::AtOnPaired {}.into());
            }
            let now = instant(api, gate.at.as_deref(), lang).await?;
            let outcome = api
                .scan(
                    &gate.token,
                    &gate.zone,
                    gate.direction.into(),
                    now,
                    None,
                    ACTOR,
                )
                .await?;
            if json {
                print_json(&outcome)?;
            } else {
                print_verdict(&outcome.verdict, lang);
            }
            if outcome.verdict.decision == Decision::Deny {
                return Ok(ExitCode::from(3));
            }
        }
        GateCommand::Scans { zone, serial } => {
            let scans = api.scans(zone.as_ref(), serial.as_ref()).await?;
            if json {
                print_json(&scans)?;
            } else {
                for s in &scans {
                    out!(
                        "{} {:<10} {:<6} {:<3} {:<5} {:<16} {}",
                        s.at,
                        s.serial.as_deref().unwrap_or("-"),
                        s.zone,
                        s.direction,
                        s.decision,
                        s.reason,
                        s.station
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
