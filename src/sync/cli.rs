//! The sync subcommands of `gatehouse` (`hub`, `pair`, `join`, `sync`,
//! `conflicts`), flattened into [`crate::cli::Command`]. Output follows
//! `CLI.md`: `pair --json` prints `{"url", "code"}`, `conflicts --json` an
//! array with `serial` and the `scans` involved.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Subcommand;
use jiff::Timestamp;
use serde::Serialize;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::Msg;
use crate::staff::Role;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Run this station as the sync hub. On a database paired with a
    /// central hub as a site (`join` with a `pair --role site` code), it
    /// also relays its stations to the central hub, retrying while the
    /// link is down (docs/SCALE.md, "Sites").
    Hub {
        #[arg(long, default_value = "0.0.0.0:7443")]
        listen: SocketAddr,
        /// Where the replicated log lives: `sqlite` (this database, the
        /// default) or `postgres://user@host/database`, which several hub
        /// processes may share (see docs/SCALE.md). This database still
        /// holds the pairing and the console's copy.
        #[arg(
            long,
            env = "GATEHOUSE_HUB_STORE",
            hide_env_values = true,
            value_name = "STORE"
        )]
        store: Option<String>,
    },
    /// On the hub's database: a fresh one-time pairing code.
    Pair {
        /// The station's role: only desk and admin stations receive the
        /// private signing keys; a gate never does. `site`: another site's
        /// hub, which then relays its own stations' entries here (see
        /// docs/SCALE.md, "Sites").
        #[arg(long, default_value = "desk",
              value_parser = crate::cli_support::choice::<PairAs>(&["admin", "desk", "gate", "site"]))]
        role: PairAs,
        /// The name the station goes by in `gatehouse stations`.
        #[arg(long)]
        name: Option<String>,
        /// How long the code works if nobody uses it (`15m`, `2h`; at most 24h).
        #[arg(long, default_value = "15m", value_parser = parse_duration)]
        valid_for: jiff::SignedDuration,
        /// List the codes that still work (by label; never their secret).
        #[arg(long, conflicts_with_all = ["cancel", "name"])]
        list: bool,
        /// Cancel the open code with this label: it stops working at once.
        #[arg(long, value_name = "LABEL", conflicts_with = "name")]
        cancel: Option<String>,
        /// Re-pair a damaged station: the station that spends the code
        /// takes its place (the old one is un-paired, its records kept) and
        /// may hand over what it had not sent (`join --recover`).
        #[arg(long, value_name = "STATION", conflicts_with_all = ["list", "cancel"])]
        replaces: Option<String>,
    },
    /// Pair this station with a hub: its address and the code it shows
    /// (`gatehouse join https://192.168.1.10:7443 5S65-W8TP-YWHJ`).
    Join {
        /// The hub's address, as `gatehouse pair` prints it.
        url: String,
        /// The pairing code: the short one the hub shows in large type, or
        /// the long one (`….FINGERPRINT`) from its QR code.
        #[arg(value_name = "CODE", required_unless_present = "code_flag")]
        code: Option<String>,
        /// The same code, as older scripts give it.
        #[arg(long = "code", value_name = "CODE", conflicts_with = "code")]
        code_flag: Option<String>,
        /// The damaged database of the station this one replaces (the code
        /// was made with `pair --replaces`): what is still readable of its
        /// records that never reached the hub is handed over (read from a
        /// copy; the file is left as it is).
        #[arg(long, value_name = "OLD.db")]
        recover: Option<std::path::PathBuf>,
    },
    /// Sync with the hub now (or continuously with --watch).
    Sync {
        #[arg(long)]
        watch: bool,
        /// Only show the hub this station is paired with and its last sync.
        #[arg(long, conflicts_with = "watch")]
        status: bool,
        /// Set how long this station may go without a sync before its gate
        /// and desk screens say how old their revocations are (`10m`; 5 min
        /// by default).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with_all = ["watch", "status"])]
        warn_after: Option<jiff::SignedDuration>,
    },
    /// A paired station's time: the hub's as last read, run on, and whether
    /// this station can know it. `--set` confirms the right time at the
    /// station when it cannot and the hub is out of reach.
    Clock {
        /// The right time now, read from a sure source: `now` (this
        /// laptop's clock, once set right) or `YYYY-MM-DD HH:MM` in this
        /// machine's time zone (or an RFC 3339 instant).
        #[arg(long, value_name = "now|YYYY-MM-DD HH:MM")]
        set: Option<String>,
    },
    /// Double admissions and other conflicts found by sync.
    Conflicts,
    /// On the hub: the paired stations, their last contact and backlog
    /// (and with `kiosk`, a station's kiosk mode).
    Stations {
        #[command(subcommand)]
        action: Option<StationsAction>,
    },
    /// On the hub: un-pair a station (a lost laptop); its credential stops working.
    Unpair { station: String },
    /// On the hub: stations that sent what their role may not (quarantined),
    /// and what to do with the entries held aside.
    Quarantine {
        #[command(subcommand)]
        action: Option<QuarantineAction>,
    },
}

/// What `pair --role` pairs: a station of a role, or a site's hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairAs {
    Admin,
    Desk,
    Gate,
    /// A site's hub, itself a station of this (central) hub: its entries
    /// are announced as an organiser station's, once checked against a
    /// site's ceiling (`sync::policy::site_may`).
    Site,
}

impl PairAs {
    /// The role its pairing code grants.
    pub fn role(self) -> Role {
        match self {
            PairAs::Admin | PairAs::Site => Role::Admin,
            PairAs::Desk => Role::Desk,
            PairAs::Gate => Role::Gate,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum StationsAction {
    /// Kiosk mode for a paired station (its id, or its name as listed):
    /// its window goes full screen and closes only with an organiser's or a
    /// supervisor's PIN, from its next sync on (`off`: back to a window).
    Kiosk {
        station: String,
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuarantineAction {
    /// The open security alerts and the entries held aside (the default).
    List,
    /// Apply what the station's role allows of its held entries (its scans);
    /// the rest stays withheld. Ends its quarantine.
    Release { station: String },
    /// Apply none of its held entries. Ends its quarantine.
    Discard { station: String },
}

/// A station's clock as the hub last saw it, in a few words.
fn clock_words(offset_ms: Option<i64>, lang: Lang) -> String {
    use super::time::{span_words, SKEW_WARN_MS};
    match offset_ms {
        None => lang
            .pick("horloge : pas encore vue", "clock: not seen yet")
            .into(),
        Some(o) if o.abs() <= SKEW_WARN_MS => {
            format!(
                "{} ({o:+} ms)",
                lang.pick("horloge à l'heure", "clock right")
            )
        }
        Some(o) => {
            let span = span_words(o, lang);
            match (lang, o > 0) {
                (Lang::Fr, true) => format!("HORLOGE EN RETARD de {span} ({o:+} ms)"),
                (Lang::Fr, false) => format!("HORLOGE EN AVANCE de {span} ({o:+} ms)"),
                (Lang::En, true) => format!("CLOCK {span} BEHIND ({o:+} ms)"),
                (Lang::En, false) => format!("CLOCK {span} AHEAD ({o:+} ms)"),
            }
        }
    }
}

/// `now`, an RFC 3339 instant, or `YYYY-MM-DD HH:MM[:SS]` in this
/// machine's time zone.
fn parse_clock(text: &str) -> Result<Timestamp> {
    let text = text.trim();
    if text == "now" {
        return Ok(Timestamp::now());
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let civil = text
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .map_err(|_| {
            Error::from(Msg::ClockSetFormat {
                text: text.to_string(),
            })
        })?;
    civil
        .to_zoned(jiff::tz::TimeZone::system())
        .map(|z| z.timestamp())
        .map_err(|_| {
            Error::from(crate::messages::Msg::ClockSetFormat {
                text: text.to_string(),
            })
        })
}

/// `gatehouse clock [--set TIME]`.
async fn clock(api: &Api, set: Option<&str>, json: bool, lang: Lang) -> Result<()> {
    let store = api.store();
    if super::client::link_status(store).await?.is_none() {
        return Err(Msg::ClockStandalone {}.into());
    }
    let agreed = match set {
        Some(text) => super::time::confirm(store, parse_clock(text)?).await?,
        None => super::time::now(store).await?,
    };
    let last_safe_at = agreed
        .unknown
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_string());
    if json {
        return print_json(&serde_json::json!({
            "now": agreed.timestamp().to_string(),
            "clock_offset_ms": agreed.offset_ms,
            "known": agreed.unknown.is_none(),
            "last_safe_at": last_safe_at,
        }));
    }
    match agreed.unknown {
        Some(ms) => out!(
            "{}",
            Error::TimeUnknown { last_safe_ms: ms }.localized(lang)
        ),
        None => {
            out!(
                "{} {}",
                lang.pick("Heure de ce poste :", "This station's time:"),
                super::time::when_words(agreed.now_ms, lang)
            );
            if let Some(words) = super::time::skew_words(&agreed, lang) {
                out!("{words}");
            }
        }
    }
    Ok(())
}

/// Tells on stderr when this station's clock is off from the hub's, or
/// when it cannot know the time.
pub async fn warn_clock(store: &crate::store::Store, lang: Lang) -> Result<()> {
    let agreed = super::time::now(store).await?;
    if let Some(ms) = agreed.unknown {
        eprintln!(
            "gatehouse: {}",
            Error::TimeUnknown { last_safe_ms: ms }.localized(lang)
        );
        return Ok(());
    }
    if let Some(words) = super::time::skew_words(&agreed, lang) {
        eprintln!(
            "gatehouse: {words} {}",
            lang.pick(
                "(les décisions suivent l'heure du hub en attendant)",
                "(decisions follow the hub's time meanwhile)"
            )
        );
    }
    Ok(())
}

/// `15m`, `2h`, `1h 30m`, or ISO 8601 (`PT15M`).
fn parse_duration(text: &str) -> std::result::Result<jiff::SignedDuration, String> {
    text.parse::<jiff::SignedDuration>()
        .map_err(|e| format!("{text:?}: expected a duration such as 15m or 2h ({e})"))
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    out!("{text}");
    Ok(())
}

/// The address stations should use: the listening one, or this machine's
/// LAN address when listening on all interfaces.
fn advertised(addr: SocketAddr) -> SocketAddr {
    if !addr.ip().is_unspecified() {
        return addr;
    }
    // Connecting a UDP socket sends nothing; it only picks the interface.
    let ip = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.168.1.1:9").map(|()| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    SocketAddr::new(ip, addr.port())
}

pub async fn run(api: &Api, command: SyncCommand, json: bool, lang: Lang) -> Result<()> {
    let store = api.store();
    match command {
        SyncCommand::Hub {
            listen,
            store: backend,
        } => {
            let backend = super::hub::HubBackend::parse(backend.as_deref())?;
            store.check().await?;
            let listener = std::net::TcpListener::bind(listen)
                .map_err(|e| Error::io(format!("cannot listen on {listen}"), e))?;
            let addr = listener
                .local_addr()
                .map_err(|e| Error::io("cannot read the listening address", e))?;
            let url = format!("https://{}", advertised(addr));
            super::hub_server::serve_on(store.clone(), &backend, listener, &url, |fingerprint| {
                if json {
                    out!(
                        "{}",
                        serde_json::json!({ "url": url, "fingerprint": fingerprint })
                    );
                } else {
                    out!(
                        "{} {url}\n{} {fingerprint}",
                        lang.pick("Hub de synchronisation :", "Sync hub:"),
                        lang.pick("Empreinte du certificat :", "Certificate fingerprint:")
                    );
                }
            })
            .await?;
        }
        SyncCommand::Pair { list: true, .. } => {
            let codes = super::hub::open_codes(store, Timestamp::now()).await?;
            if json {
                print_json(&codes)?;
            } else if codes.is_empty() {
                out!(
                    "{}",
                    lang.pick("Aucun code d'appairage ouvert.", "No open pairing code.")
                );
            } else {
                for c in &codes {
                    out!(
                        "{} {:<16} {:<20} {} {}",
                        c.label,
                        role_words(&c.role, lang),
                        c.name.as_deref().unwrap_or("-"),
                        lang.pick("expire le", "expires"),
                        c.expires_at
                    );
                }
            }
        }
        SyncCommand::Pair {
            cancel: Some(label),
            ..
        } => {
            super::hub::cancel_code(store, &label, "cli", Timestamp::now()).await?;
            if json {
                print_json(&serde_json::json!({ "label": label, "cancelled": true }))?;
            } else {
                out!(
                    "{} {label}",
                    lang.pick("Code d'appairage annulé :", "Pairing code cancelled:")
                );
            }
        }
        SyncCommand::Pair {
            role: pair_as,
            name,
            valid_for,
            replaces,
            ..
        } => {
            let role = pair_as.role();
            let site = pair_as == PairAs::Site;
            if let Some(old) = &replaces {
                super::hub::check_replaceable(store, old, role).await?;
            }
            let code = super::hub::new_code(
                store,
                role,
                name.as_deref(),
                valid_for,
                "cli",
                Timestamp::now(),
            )
            .await?;
            if let Some(old) = &replaces {
                super::hub::set_replaces(store, &code.label, old).await?;
            }
            if site {
                super::hub::set_site(store, &code.label).await?;
            }
            let role_name = if site { "site" } else { code.role.as_str() };
            if json {
                print_json(&serde_json::json!({
                    "url": code.url,
                    "code": code.code,
                    "short": code.short,
                    "role": role_name,
                    "name": code.name,
                    "label": code.label,
                    "expires_at": code.expires_at,
                }))?;
            } else {
                out!(
                    "{} {} ({} {}, {} {}) — {}\n  gatehouse join {} {}\n{} {}",
                    lang.pick(
                        "Code d'appairage (usage unique), rôle :",
                        "One-time pairing code, role:"
                    ),
                    role_words(role_name, lang),
                    lang.pick("étiquette", "label"),
                    code.label,
                    lang.pick("expire le", "expires"),
                    code.expires_at,
                    lang.pick("sur le poste à appairer :", "on the station to pair:"),
                    code.url,
                    code.short,
                    lang.pick(
                        "Code long (épingle le certificat dès la première connexion) :",
                        "Long code (pins the certificate from the first connection):"
                    ),
                    code.code
                );
            }
        }
        SyncCommand::Join {
            url,
            code,
            code_flag,
            recover,
        } => {
            let code = code.or(code_flag).unwrap_or_default();
            let done = super::client::join_recovering(
                store,
                &url,
                &code,
                recover.as_deref(),
                Timestamp::now(),
            )
            .await?;
            let joined = &done.joined;
            warn_clock(store, lang).await?;
            if json {
                print_json(&serde_json::json!({
                    "hub": joined.hub, "url": url, "role": joined.role,
                    "station": joined.station, "name": joined.name, "recovered": done.recovered,
                }))?;
            } else {
                out!(
                    "{} {url} ({}) — {} {} — {} {}",
                    lang.pick("Poste appairé avec", "Paired with"),
                    joined.hub,
                    lang.pick("rôle :", "role:"),
                    role_words(joined.role.as_str(), lang),
                    lang.pick("nom :", "name:"),
                    joined.name.as_deref().unwrap_or(&joined.station),
                );
                if let Some(r) = &done.recovered {
                    out!(
                        "{}",
                        match lang {
                            Lang::Fr => format!(
                                "Récupéré du poste endommagé {} : {} contrôle(s) et {} autre(s) entrée(s) remis au hub ({} déjà reçu(s) ou illisible(s) dans l'ordre, ignoré(s))",
                                r.station, r.scans, r.other, r.skipped
                            ),
                            Lang::En => format!(
                                "Recovered from the damaged station {}: {} scan(s) and {} other entr(ies) handed to the hub ({} already held or out of order, skipped)",
                                r.station, r.scans, r.other, r.skipped
                            ),
                        }
                    );
                }
                // The event comes with the first round: what to run next.
                out!(
                    "{}",
                    lang.pick(
                        "Étape suivante : `gatehouse sync` apporte l'événement du hub (ou `gatehouse serve`, qui synchronise en continu).",
                        "Next: `gatehouse sync` brings the event from the hub (or `gatehouse serve`, which syncs continuously)."
                    )
                );
            }
        }
        SyncCommand::Sync {
            warn_after: Some(after),
            ..
        } => {
            super::client::set_warn_after(store, after).await?;
            if json {
                print_json(&serde_json::json!({ "warn_after_s": after.as_secs() }))?;
            } else {
                out!(
                    "{} {after:#}",
                    lang.pick(
                        "Les écrans de ce poste signaleront l'absence de synchronisation après",
                        "This station's screens will tell when it has not synced for"
                    )
                );
            }
        }
        SyncCommand::Sync { status: true, .. } => {
            let st = super::client::status(store).await?;
            if json {
                print_json(&st)?;
            } else {
                if let Some(name) = &st.name {
                    out!("{} {name}", lang.pick("Ce poste :", "This station:"));
                }
                out!(
                    "{} {} ({} {}) — {} {}",
                    lang.pick("Hub :", "Hub:"),
                    st.url,
                    lang.pick("rôle :", "role:"),
                    role_words(&st.role, lang),
                    lang.pick("dernière synchronisation :", "last sync:"),
                    st.last_sync
                        .as_deref()
                        .unwrap_or(lang.pick("jamais", "never"))
                );
                if let Some(e) = &st.last_error {
                    out!("{} {e}", lang.pick("Dernière erreur :", "Last error:"));
                }
            }
        }
        SyncCommand::Sync { watch: false, .. } => {
            let report = super::client::sync_now(store).await;
            warn_clock(store, lang).await?;
            let report = match report {
                Ok(r) => r,
                // A full disk or a damaged database says what has not left.
                Err(e) => return Err(super::recover::explain(e, store.path()).await),
            };
            if json {
                print_json(&report)?;
            } else {
                out!(
                    "{} : {} {}, {} {}",
                    lang.pick("Synchronisé", "Synced"),
                    report.sent,
                    lang.pick("envoyés", "sent"),
                    report.received,
                    lang.pick("reçus", "received"),
                );
            }
        }
        SyncCommand::Sync { watch: true, .. } => {
            store.check().await?;
            super::client::watch(store, |r| match r {
                Ok(report) if json => {
                    out!("{}", serde_json::to_string(report).unwrap_or_default())
                }
                Ok(report) => out!(
                    "{} {} {}, {} {}",
                    Timestamp::now().strftime("%H:%M:%S"),
                    report.sent,
                    lang.pick("envoyés", "sent"),
                    report.received,
                    lang.pick("reçus", "received"),
                ),
                Err(e) => eprintln!(
                    "{} — {e}",
                    lang.pick("synchronisation en échec", "sync failed")
                ),
            })
            .await?;
        }
        SyncCommand::Clock { set } => clock(api, set.as_deref(), json, lang).await?,
        SyncCommand::Stations {
            action: Some(StationsAction::Kiosk { station, state }),
        } => {
            let peers = super::hub::peers(store, Timestamp::now()).await?;
            // Its id, or its name when one paired station has it.
            let named: Vec<&super::hub::PeerInfo> = peers
                .iter()
                .filter(|p| p.unpaired_at.is_none() && p.name == station)
                .collect();
            let found = peers
                .iter()
                .find(|p| p.station == station)
                .or(match named.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                });
            let (id, name) = match found {
                Some(p) => (p.station.clone(), p.name.clone()),
                None => (station.clone(), station.clone()),
            };
            let on = state == "on";
            api.set_station_kiosk(&id, on, "cli", Timestamp::now())
                .await?;
            if json {
                print_json(&serde_json::json!({ "station": id, "name": name, "kiosk": on }))?;
            } else {
                out!(
                    "{} {name} ({id}) — {}",
                    if on {
                        lang.pick("Mode kiosque demandé :", "Kiosk mode asked:")
                    } else {
                        lang.pick("Mode kiosque retiré :", "Kiosk mode taken off:")
                    },
                    lang.pick(
                        "appliqué par sa fenêtre à sa prochaine synchronisation",
                        "applied by its window at its next sync"
                    )
                );
            }
        }
        SyncCommand::Stations { action: None } => {
            let peers = super::hub::peers(store, Timestamp::now()).await?;
            if json {
                print_json(&peers)?;
            } else {
                for p in &peers {
                    let state = match &p.unpaired_at {
                        Some(_) => lang.pick("désappairé", "unpaired"),
                        None if p.out_of_contact => lang.pick("HORS CONTACT", "OUT OF CONTACT"),
                        None => lang.pick("appairé", "paired"),
                    };
                    out!(
                        "{} {:<20} {:<16} {:<10} {} {} {}, {} {} — {}",
                        p.station,
                        p.name,
                        role_words(if p.site { "site" } else { &p.role }, lang),
                        state,
                        p.last_contact.as_deref().unwrap_or("-"),
                        p.entries,
                        lang.pick("entrées", "entries"),
                        p.backlog,
                        lang.pick("en attente", "waiting"),
                        clock_words(p.clock_offset_ms, lang)
                    );
                    if p.site {
                        out!(
                            "    {} {} — {} {} — {} {} — {} {}",
                            lang.pick("site, lien :", "site, link:"),
                            if p.link_up {
                                lang.pick("en service", "up")
                            } else {
                                lang.pick("COUPÉ", "DOWN")
                            },
                            p.relays,
                            lang.pick("postes relayés", "stations relayed"),
                            p.unsent,
                            lang.pick("entrées pas encore remontées", "entries not relayed up yet"),
                            p.backlog,
                            lang.pick(
                                "pas encore reçues par le site",
                                "not received by the site yet"
                            ),
                        );
                    }
                    if let Some(asked) = p.kiosk_asked {
                        let word = |on: bool| match (on, lang) {
                            (true, Lang::Fr) => "oui",
                            (false, Lang::Fr) => "non",
                            (true, Lang::En) => "on",
                            (false, Lang::En) => "off",
                        };
                        out!(
                            "    {} {} — {} {}",
                            lang.pick("kiosque demandé :", "kiosk asked:"),
                            word(asked),
                            lang.pick("appliqué :", "applied:"),
                            p.kiosk_applied.map_or("—", word)
                        );
                    }
                }
            }
        }
        SyncCommand::Unpair { station } => {
            let done = super::hub::unpair(store, &station, "cli", Timestamp::now()).await?;
            if json {
                print_json(&serde_json::json!({
                    "station": station, "unpaired": true, "role": done.role,
                    "held_signing_keys": done.held_signing_keys,
                    "keys_to_rotate": done.keys_to_rotate,
                    "badges_issued": done.badges_issued,
                }))?;
            } else {
                out!(
                    "{} {station}",
                    lang.pick("Poste désappairé :", "Station unpaired:")
                );
                if done.held_signing_keys {
                    out!(
                        "{}",
                        lang.pick(
                            "Ce poste détenait les clés de signature privées : faites `gatehouse keys rotate`, puis retirez les anciennes clés une fois les badges réimprimés.",
                            "This station held the private signing keys: run `gatehouse keys rotate`, then retire the old keys once the badges are reprinted."
                        )
                    );
                    for kid in &done.keys_to_rotate {
                        out!("  {} {kid}", lang.pick("clé", "key"));
                    }
                }
                if !done.badges_issued.is_empty() {
                    out!(
                        "{} {}",
                        done.badges_issued.len(),
                        lang.pick(
                            "badge(s) émis sur ce poste :",
                            "badge(s) issued at this station:"
                        )
                    );
                    out!("  {}", done.badges_issued.join(" "));
                }
            }
        }
        SyncCommand::Quarantine { action } => {
            quarantine(store, action.unwrap_or(QuarantineAction::List), json, lang).await?
        }
        SyncCommand::Conflicts => {
            let scans = crate::scan_log::list(store, None, None).await?;
            let conflicts = super::conflicts::double_admissions(&scans);
            if json {
                print_json(&conflicts)?;
            } else if conflicts.is_empty() {
                out!("{}", lang.pick("Aucun conflit.", "No conflicts."));
            } else {
                for c in &conflicts {
                    out!(
                        "{} {} {} {} — {} ({})",
                        c.at,
                        lang.pick("double entrée", "double admission"),
                        c.serial,
                        c.zone,
                        c.stations.join(" + "),
                        c.scans.join(", ")
                    );
                }
            }
        }
    }
    Ok(())
}

async fn quarantine(
    store: &crate::store::Store,
    action: QuarantineAction,
    json: bool,
    lang: Lang,
) -> Result<()> {
    use super::store::Resolution;
    let (station, resolution) = match action {
        QuarantineAction::List => {
            let alerts = super::hub::open_alerts(store).await?;
            let held = super::store::held(store, None).await?;
            if json {
                return print_json(&serde_json::json!({ "alerts": alerts, "held": held }));
            }
            if alerts.is_empty() {
                out!(
                    "{}",
                    lang.pick("Aucune alerte de sécurité.", "No security alert.")
                );
            }
            for a in &alerts {
                out!(
                    "{} {} ({}) — {} [{}] — {} {}",
                    a.at,
                    a.name.as_deref().unwrap_or(&a.station),
                    a.station,
                    a.why,
                    a.kinds,
                    a.held,
                    lang.pick("entrée(s) retenue(s)", "entry(ies) held")
                );
            }
            return Ok(());
        }
        QuarantineAction::Release { station } => (station, Resolution::Release),
        QuarantineAction::Discard { station } => (station, Resolution::Discard),
    };
    let done = super::hub::resolve(store, &station, resolution, "cli", Timestamp::now()).await?;
    if json {
        print_json(&done)
    } else {
        out!(
            "{} {station}: {} {}, {} {}",
            lang.pick("Quarantaine levée pour", "Quarantine lifted for"),
            done.applied,
            lang.pick("appliquée(s)", "applied"),
            done.withheld,
            lang.pick("écartée(s)", "withheld")
        );
        Ok(())
    }
}

/// A station's role in words ("rôle : accueil", not "rôle : desk").
pub fn role_words(role: &str, lang: Lang) -> &str {
    match role {
        "admin" => lang.pick("organisateur", "organiser"),
        "desk" => lang.pick("accueil", "desk"),
        "gate" => lang.pick("contrôle d'accès", "gate"),
        "supervisor" => lang.pick("superviseur", "supervisor"),
        "vetting" => lang.pick("accréditation (sécurité)", "vetting (security)"),
        "site" => lang.pick("hub de site", "site hub"),
        other => other,
    }
}
