//! The `gatehouse` command line: parse, call the [`Api`], format.
//!
//! Exit status: 0 success, 1 bad input or a refused operation (one line on
//! stderr naming the row, field or value), 2 usage errors (clap's own).

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand};
use jiff::civil::Date;
use jiff::Timestamp;

use crate::api::{Api, StationConfig};
use crate::error::{ApiError, Error, Result};
use crate::event::ZoneCode;
use crate::lang::Lang;
use crate::staff::Role;

#[derive(Debug, Parser)]
#[command(
    name = "gatehouse",
    version,
    about = "Offline-first accreditation: badges, gates, sync."
)]
pub struct Cli {
    /// The station's database [default: the platform data directory, gatehouse/gatehouse.db]
    #[arg(long, global = true, env = "GATEHOUSE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Machine-readable output on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of human output and of messages (French by default).
    #[arg(long, global = true, env = "GATEHOUSE_LANG", default_value_t = Lang::Fr,
          value_parser = clap::builder::PossibleValuesParser::new(["fr", "en"]).try_map(|s| s.parse::<Lang>()))]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

pub use crate::cli_support::choice;
use crate::cli_support::print_json;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (or reset) the BAMEX'25 demo event.
    Demo {
        /// `today`, or a date YYYY-MM-DD: shift the four days to start then.
        #[arg(long, value_name = "today|YYYY-MM-DD")]
        starting: Option<String>,
        /// How many synthetic attendees to generate.
        #[arg(long, default_value_t = crate::registry::demo::DEFAULT_COUNT)]
        attendees: u32,
        /// The same seed gives the same people.
        #[arg(long, default_value_t = crate::registry::demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Pre-registrations from a CSV or XLSX file (all or nothing by default).
    Import {
        file: PathBuf,
        /// Report what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows and report the others.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Attendees to CSV or XLSX, by the file's extension.
    Export { file: PathBuf },
    /// Attendees by name, organisation, badge or document number.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Show the current event.
    Event,
    /// Read a passport's or ID card's machine-readable zone (ICAO 9303) and
    /// check it: exit 1 naming the field when a check digit fails or the
    /// document expired. Needs no database.
    Mrz {
        /// The MRZ's lines (separated by line breaks, or in one run);
        /// standard input when absent.
        text: Option<String>,
        /// The day the expiry is checked against [default: today here].
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Serve the UI and its JSON API to a browser.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Open this station's screen directly.
        #[arg(long, value_parser = choice::<Role>(&["admin", "desk", "gate"]))]
        role: Option<Role>,
        /// The gate's zone (with --role gate).
        #[arg(long)]
        zone: Option<ZoneCode>,
        /// A name browsers may open this station by (repeatable), besides
        /// its address and localhost; other names are refused (DNS rebinding).
        #[arg(long = "host", value_name = "NAME", value_parser = host_name)]
        hosts: Vec<String>,
        /// Bound beyond loopback, serve plain HTTP instead of HTTPS: every
        /// PIN typed at sign-in, the session that follows and the personal
        /// data on screen (names, photos, document numbers) cross the venue
        /// network in clear, for anyone on it to read. Without it, such a
        /// station serves HTTPS with its own certificate and prints the
        /// fingerprint to compare. Loopback is always plain HTTP.
        #[arg(long)]
        plain_http: bool,
        /// Back this station up every MINUTES into --backup-into, keeping
        /// its last --backup-keep there (the passphrase as for `backup`).
        #[arg(long, value_name = "MINUTES", requires = "backup_into", value_parser = clap::value_parser!(u32).range(1..))]
        backup_every: Option<u32>,
        /// The folder automatic backups go to (a USB stick).
        #[arg(long, value_name = "DIR", requires = "backup_every")]
        backup_into: Option<PathBuf>,
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        backup_keep: u32,
        /// The automatic backups' passphrase, as `backup --passphrase-file`.
        #[arg(long, value_name = "FILE", requires = "backup_every")]
        passphrase_file: Option<PathBuf>,
    },
    /// The performance figures of this build on this machine.
    Bench {
        /// Only the areas whose name contains this.
        #[arg(long)]
        only: Option<String>,
    },
    /// Who is inside a zone now, from the scan log (evacuation roll-call).
    Rollcall {
        #[arg(long)]
        zone: ZoneCode,
        /// Also write it to this file: .csv or .pdf.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Attendance per day, category, country and delegation, or print statistics.
    Report {
        #[arg(long, default_value = "attendance",
              value_parser = choice::<crate::console::reports::ReportKind>(&["attendance", "prints"]))]
        kind: crate::console::reports::ReportKind,
        /// Write it to this file: .csv, .xlsx or .pdf.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Staff accounts: list them, give one a new PIN, add one.
    Staff {
        #[command(subcommand)]
        command: crate::console::staff_cli::StaffCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// A consistent copy of this station (records and keys), encrypted
    /// under a passphrase, taken while it keeps running.
    #[command(group = clap::ArgGroup::new("target").required(true).args(["out", "into"]))]
    Backup {
        /// The backup file to write (never replaces one).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Or into this folder (a USB stick), named after the database and
        /// the time, keeping this station's last --keep there.
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// With --into: how many of this station's backups the folder keeps.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        keep: u32,
        /// Read the passphrase from this file (`-`: one line of standard
        /// input); else GATEHOUSE_BACKUP_PASSPHRASE, else asked at the terminal.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Bring a station back from a backup, as the new database --db (never
    /// replaces one).
    Restore {
        file: PathBuf,
        /// As for `backup`.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    #[command(flatten)]
    Gate(crate::gate_cli::GateCommand),
    #[command(flatten)]
    Sync(crate::sync::cli::SyncCommand),
    #[command(flatten)]
    Badge(crate::badge::cli::BadgeCommand),
    #[command(flatten)]
    Privacy(crate::registry::privacy_cli::PrivacyCommand),
    /// Security vetting: the queue and decisions (issue 16).
    Vetting {
        #[command(subcommand)]
        command: crate::vetting_cli::VettingCommand,
    },
    /// The security services' watchlist (organiser stations only): import
    /// it, list it, screen the registry against it.
    Watchlist {
        #[command(subcommand)]
        command: crate::registry::watchlist_cli::WatchlistCommand,
    },
    /// Kiosk stations: open this laptop's station in kiosk mode whenever the
    /// user's session starts, restarted if it crashes (`enable`), or not
    /// (`disable`). The package's entry is installed off.
    Kiosk {
        #[command(subcommand)]
        action: crate::kiosk_cli::KioskAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exit 1 naming the first entry that does not verify.
    Verify,
}

/// Parses `today` or `YYYY-MM-DD`.
pub fn parse_start(s: &str, now: Timestamp) -> Result<Date> {
    if s.eq_ignore_ascii_case("today") {
        return crate::demo::today_at_venue(now);
    }
    s.parse().map_err(|_| {
        Error::from(crate::messages::Msg::StartingFormat {
            value: s.to_string(),
        })
    })
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    crate::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gatehouse: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let json = cli.json;
    let lang = cli.lang;
    let db = cli.db.clone();
    match runtime.block_on(execute(cli)) {
        Ok(code) => code,
        Err(e) => {
            let e = match e {
                Error::NoEvent => no_event_here(db),
                e => e,
            };
            if json {
                // The details follow on standard error, for the operator.
                let body = serde_json::to_string(&ApiError::quiet(&e, lang)).unwrap_or_default();
                out!("{body}");
            }
            eprintln!("gatehouse: {}", e.localized(lang));
            ExitCode::from(1)
        }
    }
}

/// No event in the database: a paired station is told to sync (its event
/// comes from the hub), an unpaired one to join a hub or make the demo.
fn no_event_here(db: Option<PathBuf>) -> Error {
    let Some(db) = db.or_else(|| crate::store::default_db_path().ok()) else {
        return Error::NoEvent;
    };
    let marker = crate::db_files::paired_marker(&db);
    let Ok(text) = std::fs::read_to_string(marker) else {
        return Error::NoEvent;
    };
    let hub = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("url")?.as_str().map(str::to_string))
        .unwrap_or_default();
    crate::messages::Msg::NoEventYet { hub }.into()
}

/// A `--host` name: letters, digits, `-` and `.` (no port, no scheme).
fn host_name(s: &str) -> std::result::Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(format!(
            "{s:?} is not a host name (letters, digits, '-' and '.', without a port)"
        ))
    }
}

/// `gatehouse serve`: serves until Ctrl-C. A paired station stays synced;
/// one just paired waits for its first round to bring the event. When a hub
/// is joined from the console, the joined database takes this one's place
/// and the same address serves it. Bound beyond loopback it serves HTTPS
/// with the station's own certificate ([`crate::sync::tls`], kept in its
/// key folder and the same across restarts) unless `plain_http`.
async fn serve(
    mut api: Api,
    mut listen: std::net::SocketAddr,
    hosts: Vec<String>,
    plain_http: bool,
    auto: Option<crate::backup_cli::Automatic>,
    lang: Lang,
) -> Result<()> {
    let tls = if listen.ip().is_loopback() || plain_http {
        None
    } else {
        let identity = crate::sync::tls::load_or_create(api.store().path())?;
        Some((
            crate::sync::tls::server_config(&identity)?,
            crate::sync::tls::fingerprint_words(&identity.fingerprint()),
        ))
    };
    api = api.with_tls_fingerprint(tls.as_ref().map(|(_, f)| f.clone()));
    if plain_http && !listen.ip().is_loopback() {
        eprintln!(
            "gatehouse: {}",
            lang.pick(
                "HTTP en clair sur le réseau (--plain-http) : les codes PIN et les données personnelles y circulent lisibles par tous",
                "plain HTTP on the network (--plain-http): PINs and personal data cross it readable by anyone on it"
            )
        );
    }
    loop {
        // A damaged database stops the station here, with what to do.
        api.store().check().await?;
        let paired = crate::sync::client::watch_in_background(api.store()).await?;
        // Automatic backups: the console's schedule (or --backup-every's).
        if let Some(auto) = &auto {
            auto.apply(&api).await?;
        }
        api.start_backup_schedule(crate::backup_cli::report(lang));
        let title = match api.event().await {
            Err(Error::NoEvent) if paired => api.wait_for_hub_event().await?.name,
            // An empty station serves its first-start choice (demo, new
            // event, join a hub) rather than refusing to start.
            Err(Error::NoEvent) => lang.pick("premier démarrage", "first start").to_string(),
            other => other?.name,
        };
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::io(format!("cannot listen on {listen}"), e))?;
        // Port 0 asked for any free port: serve again on the one given.
        listen = listener
            .local_addr()
            .map_err(|e| Error::io("cannot read the listening address", e))?;
        // Not println!: whoever started us may have stopped reading.
        let scheme = if tls.is_some() { "https" } else { "http" };
        let _ = writeln!(
            std::io::stdout(),
            "Gatehouse — {title} — {scheme}://{listen}/"
        );
        if let Some((_, fingerprint)) = &tls {
            let _ = writeln!(
                std::io::stdout(),
                "{} {fingerprint}",
                lang.pick(
                    "Empreinte SHA-256 du certificat (à comparer avec celle qu'affiche le navigateur) :",
                    "Certificate SHA-256 fingerprint (compare it with the one the browser shows):"
                )
            );
        }
        let _ = std::io::stdout().flush();
        let shared = Arc::new(api);
        let hosts = crate::http::Hosts::new(listen.ip(), hosts.clone());
        let stopped = crate::http::serve(
            shared.clone(),
            listener,
            hosts,
            tls.as_ref().map(|(config, _)| config.clone()),
        )
        .await
        .map_err(|e| Error::io("server stopped", e))?;
        // Stopping (Ctrl-C, the service stopped) or joining a hub: the
        // store is closed, what the WAL holds copied into the file.
        shared.store().close().await;
        if stopped == crate::http::Stopped::Signal {
            return Ok(());
        }
        if let Some(kept) = shared.swap_in_join(Timestamp::now())? {
            eprintln!(
                "gatehouse: joined the hub; this station's own database is kept as {}",
                kept.display()
            );
        }
        api = Api::open(shared.store().path(), shared.station()).await?;
    }
}

async fn execute(cli: Cli) -> Result<ExitCode> {
    let db = match cli.db {
        Some(p) => p,
        None => crate::store::default_db_path()?,
    };
    let lang = cli.lang;
    let station = match &cli.command {
        Command::Serve { role, zone, .. } => StationConfig {
            role: *role,
            zone: zone.clone(),
            ..StationConfig::default()
        },
        _ => StationConfig::default(),
    };
    if let (Some(role), Some(_)) = (station.role, &station.zone) {
        if role != Role::Gate {
            return Err(crate::messages::Msg::ZoneWithGateOnly {}.into());
        }
    }
    if let Command::Bench { only } = &cli.command {
        // The station's database is not opened: the scratch databases go
        // in a folder beside it, on the disk it lives on.
        let report = crate::bench::run(only.as_deref(), &db).await?;
        if cli.json {
            print_json(&report)?;
        } else {
            out!(
                "{} {} ({})",
                lang.pick("Bases de travail dans", "Scratch databases in"),
                report.scratch,
                report.filesystem
            );
            for f in &report.figures {
                let target = f
                    .target
                    .map(|t| format!("(target {t})"))
                    .unwrap_or_default();
                out!(
                    "{:<10} {:<48} {:>14.2} {:<10} {target}",
                    f.area,
                    f.name,
                    f.value,
                    f.unit
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Mrz { text, today } = &cli.command {
        return crate::registry::cli::mrz(text.as_deref(), *today, cli.json, lang);
    }
    if let Command::Restore {
        file,
        passphrase_file,
    } = &cli.command
    {
        // Into a database that must not exist yet: not opened here.
        crate::backup_cli::restore(file, &db, passphrase_file.as_ref(), cli.json, lang).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Kiosk { action } = &cli.command {
        // Writes the user's autostart entry: the database is not opened.
        crate::kiosk_cli::run(action, &db, lang)?;
        return Ok(ExitCode::SUCCESS);
    }
    let api = Api::open(&db, station).await?;
    match cli.command {
        Command::Demo {
            starting,
            attendees,
            seed,
        } => {
            let now = Timestamp::now();
            let first_day = match starting {
                Some(s) => parse_start(&s, now)?,
                None => crate::demo::BAMEX25_FIRST_DAY,
            };
            let summary = crate::demo::install(api.store(), first_day, now).await?;
            let people = crate::registry::demo::install(api.store(), attendees, seed, now).await?;
            if cli.json {
                let mut value =
                    serde_json::to_value(&summary).map_err(|e| Error::Internal(e.to_string()))?;
                if let Some(map) = value.as_object_mut() {
                    map.insert(
                        "attendees".into(),
                        serde_json::to_value(&people)
                            .map_err(|e| Error::Internal(e.to_string()))?,
                    );
                }
                print_json(&value)?;
            } else {
                out!(
                    "{} : {} → {} ({} {}, {} {}) — {}",
                    summary.event,
                    summary.first_day,
                    summary.last_day,
                    summary.zones,
                    lang.pick("zones", "zones"),
                    summary.categories,
                    lang.pick("catégories", "categories"),
                    db.display()
                );
                out!(
                    "{}",
                    lang.pick("Comptes de démonstration (PIN) :", "Demo accounts (PIN):")
                );
                for a in &summary.staff {
                    let role = crate::sync::cli::role_words(a.role.as_str(), lang);
                    out!("  {role:<16} {}  {}", a.pin, a.name);
                }
                out!(
                    "{}",
                    lang.pick(
                        "Pour essayer ici seulement : `gatehouse hub` et `gatehouse pair` refusent ces PIN (`gatehouse staff pin NOM` les change).",
                        "For trying here only: `gatehouse hub` and `gatehouse pair` refuse these PINs (`gatehouse staff pin NAME` changes them)."
                    )
                );
                crate::registry::cli::print_demo(&people, lang);
            }
        }
        Command::Import {
            file,
            dry_run,
            skip_invalid,
        } => {
            let options = crate::registry::import::ImportOptions {
                dry_run,
                skip_invalid,
            };
            crate::registry::cli::import(&api, &file, options, cli.json, lang).await?;
        }
        Command::Export { file } => {
            crate::registry::cli::export(&api, &file, cli.json, lang).await?;
        }
        Command::Search { query, limit } => {
            crate::registry::cli::search(&api, &query, limit, cli.json).await?;
        }
        Command::Event => {
            let event = api.event().await?;
            if cli.json {
                print_json(&event)?;
            } else {
                let (first, last) = match (event.days.first(), event.days.last()) {
                    (Some(f), Some(l)) => (f.date.to_string(), l.date.to_string()),
                    _ => (String::new(), String::new()),
                };
                out!(
                    "{} — {}, {} — {first} → {last} ({})",
                    event.name,
                    event.venue,
                    event.city,
                    event.time_zone
                );
            }
        }
        Command::Serve {
            listen,
            hosts,
            plain_http,
            backup_every,
            backup_into,
            backup_keep,
            passphrase_file,
            ..
        } => {
            let auto = match (backup_every, backup_into) {
                // Asked for and checked before serving, not at the first backup.
                (Some(minutes), Some(folder)) => Some(crate::backup_cli::Automatic::new(
                    folder,
                    backup_keep,
                    minutes,
                    passphrase_file.as_deref(),
                    lang,
                )?),
                _ => None,
            };
            serve(api, listen, hosts, plain_http, auto, lang).await?
        }
        // Run above, before the database is opened.
        Command::Bench { .. }
        | Command::Mrz { .. }
        | Command::Restore { .. }
        | Command::Kiosk { .. } => {}
        Command::Backup {
            out,
            into,
            keep,
            passphrase_file,
        } => {
            let target = match (out, into) {
                (Some(out), _) => crate::backup_cli::Target::File(out),
                (None, Some(folder)) => {
                    crate::backup_cli::Target::Folder(crate::backup::Rotation {
                        folder,
                        keep: keep as usize,
                    })
                }
                // clap requires one of them.
                (None, None) => return Err(crate::messages::Msg::BackupTarget {}.into()),
            };
            crate::backup_cli::backup(&api, target, passphrase_file.as_ref(), cli.json, lang)
                .await?;
        }
        Command::Gate(command) => {
            return crate::gate_cli::run(&api, command, cli.json, lang).await;
        }
        Command::Badge(command) => {
            return crate::badge::cli::run(&api, command, cli.json, lang).await;
        }
        Command::Sync(command) => crate::sync::cli::run(&api, command, cli.json, lang).await?,
        Command::Privacy(command) => {
            crate::registry::privacy_cli::run(&api, command, cli.json, lang).await?;
        }
        Command::Rollcall { zone, out } => {
            crate::console::cli::rollcall(&api, &zone, out.as_deref(), cli.json, lang).await?;
        }
        Command::Report { kind, out } => {
            crate::console::cli::report(&api, kind, out.as_deref(), cli.json, lang).await?;
        }
        Command::Staff { command } => {
            crate::console::staff_cli::run(&api, command, cli.json, lang).await?;
        }
        Command::Vetting { command } => {
            crate::vetting_cli::run(&api, command, cli.json, lang).await?;
        }
        Command::Watchlist { command } => {
            crate::registry::watchlist_cli::run(&api, command, cli.json, lang).await?;
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let check = crate::audit::verify(api.store().read()).await?;
            if cli.json {
                print_json(&check)?;
            }
            if let Some(seq) = check.first_bad {
                return Err(crate::messages::Msg::AuditAltered { seq }.into());
            }
            if !cli.json {
                out!(
                    "{} {}",
                    check.entries,
                    lang.pick("entrées, chaîne intacte", "entries, chain intact")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
