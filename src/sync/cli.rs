//! The sync subcommands of `gatehouse` (`hub`, `pair`, `join`, `sync`,
//! `conflicts`), flattened into [`crate::cli::Command`]. Output follows
//! `CLI.md`: `pair --json` prints `{"url", "code"}`, `conflicts --json` an
//! array with `serial` and the `scans` involved.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Subcommand;
use jiff::Timestamp;
use serde::Serialize;

use crate::api::Api;
use crate::cli::Lang;
use crate::error::{Error, Result};
use crate::staff::Role;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Run this station as the sync hub.
    Hub {
        #[arg(long, default_value = "0.0.0.0:7443")]
        listen: SocketAddr,
    },
    /// On the hub's database: a fresh one-time pairing code.
    Pair {
        /// The station's role: only desk and admin stations receive the
        /// private signing keys; a gate never does.
        #[arg(long, value_enum, default_value = "desk")]
        role: Role,
        /// The name the station goes by in `gatehouse stations`.
        #[arg(long)]
        name: Option<String>,
    },
    /// Pair this station with a hub.
    Join {
        /// The hub's address, as `gatehouse pair` prints it.
        url: String,
        #[arg(long)]
        code: String,
    },
    /// Sync with the hub now (or continuously with --watch).
    Sync {
        #[arg(long)]
        watch: bool,
        /// Only show the hub this station is paired with and its last sync.
        #[arg(long, conflicts_with = "watch")]
        status: bool,
    },
    /// Double admissions and other conflicts found by sync.
    Conflicts,
    /// On the hub: the paired stations, their last contact and backlog.
    Stations,
    /// On the hub: un-pair a station (a lost laptop); its credential stops working.
    Unpair { station: String },
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
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
        SyncCommand::Hub { listen } => {
            let listener = std::net::TcpListener::bind(listen)
                .map_err(|e| Error::io(format!("cannot listen on {listen}"), e))?;
            let addr = listener
                .local_addr()
                .map_err(|e| Error::io("cannot read the listening address", e))?;
            let url = format!("https://{}", advertised(addr));
            super::hub::serve(store.clone(), listener, &url, |fingerprint| {
                if json {
                    println!(
                        "{}",
                        serde_json::json!({ "url": url, "fingerprint": fingerprint })
                    );
                } else {
                    println!(
                        "{} {url}\n{} {fingerprint}",
                        lang.pick("Hub de synchronisation :", "Sync hub:"),
                        lang.pick("Empreinte du certificat :", "Certificate fingerprint:")
                    );
                }
            })
            .await?;
        }
        SyncCommand::Pair { role, name } => {
            let code =
                super::hub::new_code(store, role, name.as_deref(), "cli", Timestamp::now()).await?;
            if json {
                print_json(&serde_json::json!({
                    "url": code.url,
                    "code": code.code,
                    "role": code.role,
                    "name": code.name,
                }))?;
            } else {
                println!(
                    "{} {} — {}\n  gatehouse join {} --code {}",
                    lang.pick(
                        "Code d'appairage (usage unique), rôle :",
                        "One-time pairing code, role:"
                    ),
                    code.role.as_str(),
                    lang.pick("sur le poste à appairer :", "on the station to pair:"),
                    code.url,
                    code.code
                );
            }
        }
        SyncCommand::Join { url, code } => {
            let joined = super::client::join(store, &url, &code, Timestamp::now()).await?;
            if json {
                print_json(
                    &serde_json::json!({ "hub": joined.hub, "url": url, "role": joined.role }),
                )?;
            } else {
                println!(
                    "{} {url} ({}) — {} {}",
                    lang.pick("Poste appairé avec", "Paired with"),
                    joined.hub,
                    lang.pick("rôle :", "role:"),
                    joined.role.as_str()
                );
            }
        }
        SyncCommand::Sync { status: true, .. } => {
            let st = super::client::status(store).await?;
            if json {
                print_json(&st)?;
            } else {
                println!(
                    "{} {} ({} {}) — {} {}",
                    lang.pick("Hub :", "Hub:"),
                    st.url,
                    lang.pick("rôle :", "role:"),
                    st.role,
                    lang.pick("dernière synchronisation :", "last sync:"),
                    st.last_sync
                        .as_deref()
                        .unwrap_or(lang.pick("jamais", "never"))
                );
                if let Some(e) = &st.last_error {
                    println!("{} {e}", lang.pick("Dernière erreur :", "Last error:"));
                }
            }
        }
        SyncCommand::Sync { watch: false, .. } => {
            let report = super::client::sync_now(store).await?;
            if json {
                print_json(&report)?;
            } else {
                println!(
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
            super::client::watch(store, |r| match r {
                Ok(report) if json => {
                    println!("{}", serde_json::to_string(report).unwrap_or_default())
                }
                Ok(report) => println!(
                    "{} {} {}, {} {}",
                    Timestamp::now().strftime("%H:%M:%S"),
                    report.sent,
                    lang.pick("envoyés", "sent"),
                    report.received,
                    lang.pick("reçus", "received"),
                ),
                Err(e) => eprintln!("{} — {e}", lang.pick("hors ligne", "offline")),
            })
            .await?;
        }
        SyncCommand::Stations => {
            let peers = super::hub::peers(store).await?;
            if json {
                print_json(&peers)?;
            } else {
                for p in &peers {
                    let state = match &p.unpaired_at {
                        Some(_) => lang.pick("désappairé", "unpaired"),
                        None => lang.pick("appairé", "paired"),
                    };
                    println!(
                        "{} {:<20} {:<5} {:<10} {} {} {}, {} {}",
                        p.station,
                        p.name,
                        p.role,
                        state,
                        p.last_contact.as_deref().unwrap_or("-"),
                        p.entries,
                        lang.pick("entrées", "entries"),
                        p.backlog,
                        lang.pick("en attente", "waiting")
                    );
                }
            }
        }
        SyncCommand::Unpair { station } => {
            super::hub::unpair(store, &station, "cli", Timestamp::now()).await?;
            if json {
                print_json(&serde_json::json!({ "station": station, "unpaired": true }))?;
            } else {
                println!(
                    "{} {station}",
                    lang.pick("Poste désappairé :", "Station unpaired:")
                );
            }
        }
        SyncCommand::Conflicts => {
            let scans = crate::scan_log::list(store, None, None).await?;
            let conflicts = super::conflicts::double_admissions(&scans);
            if json {
                print_json(&conflicts)?;
            } else if conflicts.is_empty() {
                println!("{}", lang.pick("Aucun conflit.", "No conflicts."));
            } else {
                for c in &conflicts {
                    println!(
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
