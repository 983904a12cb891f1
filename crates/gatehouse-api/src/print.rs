//! Printing badges through CUPS, silently: no dialog, the desk picks a
//! printer once and every badge goes straight to it.
//!
//! We talk to the local CUPS server through its own clients — `lp` to send,
//! `lpstat` to list, `ipptool` (IPP Get-Printer/Get-Job-Attributes) for
//! states — run in the C locale so their output can be parsed. Nothing here
//! decides what to print; [`crate::badge`] renders, this module delivers
//! and reports in plain words. The print log (who printed which badge
//! version, when, on which printer, and how the job ended) is kept in the
//! station's database.
//!
//! Parsing and wording are plain functions, unit-tested; the functions that
//! run the tools block, so async callers use `spawn_blocking`.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::badge::Format;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::messages::Msg;
use crate::serial::BadgeSerial;
use crate::store::Store;

/// A printer as CUPS reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Printer {
    pub name: String,
    pub description: String,
    pub state: PrinterState,
    /// IPP `printer-state-reasons` (`media-empty-error`, `offline-report`…),
    /// without `none`.
    pub reasons: Vec<String>,
    /// The printer's (or the administrator's) own message, if any.
    pub message: String,
    pub accepting: bool,
    pub is_default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    Idle,
    Printing,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    Held,
    Processing,
    Stopped,
    Canceled,
    Aborted,
    Completed,
}

impl JobState {
    fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "pending" => JobState::Pending,
            "pending-held" => JobState::Held,
            "processing" => JobState::Processing,
            "processing-stopped" => JobState::Stopped,
            "canceled" => JobState::Canceled,
            "aborted" => JobState::Aborted,
            "completed" => JobState::Completed,
            _ => return None,
        })
    }

    /// No further change will come.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Canceled | JobState::Aborted | JobState::Completed
        )
    }
}

/// Where a print job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JobStatus {
    /// CUPS's job id, `PRINTER-N`.
    pub job: String,
    pub state: JobState,
    pub reasons: Vec<String>,
    pub message: String,
    /// Pages (impressions) printed so far.
    pub pages: u32,
}

// ---------------------------------------------------------------- wording

/// A printer or job state reason in plain words, or `None` for reasons a
/// desk officer need not hear about.
pub fn plain_reason(reason: &str, lang: Lang) -> Option<String> {
    let base = reason
        .trim_end_matches("-error")
        .trim_end_matches("-warning")
        .trim_end_matches("-report");
    let fr_en = |fr: &str, en: &str| {
        Some(match lang {
            Lang::Fr => fr.to_string(),
            Lang::En => en.to_string(),
        })
    };
    match base {
        "none"
        | ""
        | "processing-to-stop-point"
        | "job-printing"
        | "job-queued"
        | "job-incoming"
        | "job-completed-successfully"
        | "job-data-insufficient"
        | "cups-waiting-for-job-completed"
        | "moving-to-paused" => None,
        "media-empty" | "media-needed" | "input-tray-missing" => {
            fr_en("plus de papier ou de cartes", "out of paper or cards")
        }
        "media-jam" => fr_en("bourrage", "paper jam"),
        "media-low" => fr_en("papier presque épuisé", "paper low"),
        "offline" | "shutdown" | "connecting-to-device" | "timed-out" => fr_en(
            "imprimante hors ligne ou injoignable (câble, réseau, alimentation ?)",
            "printer offline or unreachable (cable, network, power?)",
        ),
        "toner-empty" | "marker-supply-empty" | "marker-waste-full" => {
            fr_en("encre ou ruban épuisé", "ink or ribbon empty")
        }
        "toner-low" | "marker-supply-low" => {
            fr_en("encre ou ruban presque épuisé", "ink or ribbon low")
        }
        "door-open" | "cover-open" | "interlock-open" => fr_en("capot ouvert", "cover open"),
        "paused" => fr_en(
            "en pause (désactivée par un administrateur)",
            "paused (disabled by an administrator)",
        ),
        "printer-stopped" => fr_en("l'imprimante est arrêtée", "the printer is stopped"),
        "job-canceled-by-user" | "job-canceled-by-operator" | "job-canceled-at-device" => {
            fr_en("travail annulé", "job canceled")
        }
        "aborted-by-system" | "document-format-error" | "document-unprintable-error" => fr_en(
            "le système d'impression a abandonné le travail",
            "the print system gave up the job",
        ),
        "cups-missing-filter" => fr_en(
            "pilote manquant pour ce format (installez le pilote de l'imprimante)",
            "no driver for this format (install the printer's driver)",
        ),
        "spool-area-full" => fr_en("file d'impression pleine", "print spool full"),
        other => Some(other.to_string()),
    }
}

/// CUPS backends explain themselves in English messages; the common ones
/// are said in plain words, the rest passed on as they are.
pub fn plain_message(message: &str, lang: Lang) -> Option<String> {
    let m = message.trim();
    let lower = m.to_lowercase();
    let offline = [
        "may not exist or is unavailable",
        "unable to connect",
        "not responding",
        "waiting for printer to become available",
        "connection refused",
        "network host",
        "unable to locate printer",
    ];
    if m.is_empty() {
        None
    } else if offline.iter().any(|o| lower.contains(o)) {
        plain_reason("offline-report", lang)
    } else if lower.contains("out of paper")
        || lower.contains("media empty")
        || lower.contains("no media")
    {
        plain_reason("media-empty-error", lang)
    } else {
        Some(m.to_string())
    }
}

fn plain_reasons(reasons: &[String], message: &str, lang: Lang) -> Vec<String> {
    let mut words: Vec<String> = reasons
        .iter()
        .filter_map(|r| plain_reason(r, lang))
        .collect();
    if let Some(m) = plain_message(message, lang) {
        words.push(m);
    }
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    words
}

/// One line for the desk: "GatehousePDF : prête", "Carte-1 : arrêtée — plus de papier".
pub fn describe_printer(p: &Printer, lang: Lang) -> String {
    let state = match (p.state, lang) {
        (PrinterState::Idle, Lang::Fr) => "prête",
        (PrinterState::Idle, Lang::En) => "ready",
        (PrinterState::Printing, Lang::Fr) => "en cours d'impression",
        (PrinterState::Printing, Lang::En) => "printing",
        (PrinterState::Stopped, Lang::Fr) => "arrêtée",
        (PrinterState::Stopped, Lang::En) => "stopped",
    };
    let mut words = plain_reasons(&p.reasons, &p.message, lang);
    if !p.accepting {
        words.push(
            match lang {
                Lang::Fr => "refuse les travaux",
                Lang::En => "not accepting jobs",
            }
            .to_string(),
        );
    }
    if words.is_empty() {
        format!("{} : {state}", p.name)
    } else {
        format!("{} : {state} — {}", p.name, words.join(" ; "))
    }
}

/// One line on a job: "GatehousePDF-4 : imprimé (2 pages)".
pub fn describe_job(j: &JobStatus, lang: Lang) -> String {
    let state = match (j.state, lang) {
        (JobState::Pending, Lang::Fr) => "en attente",
        (JobState::Pending, Lang::En) => "waiting",
        (JobState::Held, Lang::Fr) => "retenu",
        (JobState::Held, Lang::En) => "held",
        (JobState::Processing, Lang::Fr) => "en cours d'impression",
        (JobState::Processing, Lang::En) => "printing",
        (JobState::Stopped, Lang::Fr) => "bloqué",
        (JobState::Stopped, Lang::En) => "stuck",
        (JobState::Canceled, Lang::Fr) => "annulé",
        (JobState::Canceled, Lang::En) => "canceled",
        (JobState::Aborted, Lang::Fr) => "échoué",
        (JobState::Aborted, Lang::En) => "failed",
        (JobState::Completed, Lang::Fr) => "imprimé",
        (JobState::Completed, Lang::En) => "printed",
    };
    let pages = if j.pages > 0 {
        format!(" ({} pages)", j.pages)
    } else {
        String::new()
    };
    let words = plain_reasons(&j.reasons, &j.message, lang);
    if words.is_empty() {
        format!("{} : {state}{pages}", j.job)
    } else {
        format!("{} : {state}{pages} — {}", j.job, words.join(" ; "))
    }
}

// ---------------------------------------------------------------- parsing

/// Splits one CSV line (ipptool -c): commas, double-quoted fields.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = fields.last_mut() {
                    f.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

/// The attributes of `ipptool -c` output: a header line and one value line.
/// `None` when the server returned no such object.
fn parse_ipptool(out: &str) -> Option<HashMap<String, String>> {
    let mut lines = out.lines().filter(|l| !l.trim().is_empty());
    let header = csv_fields(lines.next()?);
    let values = csv_fields(lines.next()?);
    Some(header.into_iter().zip(values).collect())
}

fn list_of(v: Option<&String>) -> Vec<String> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty() && *r != "none")
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

/// The job id in `lp`'s answer: "request id is GatehousePDF-12 (1 file(s))".
pub fn parse_job_id(lp_stdout: &str) -> Result<String> {
    lp_stdout
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .filter(|id| {
            id.rsplit_once('-')
                .is_some_and(|(_, n)| n.parse::<u32>().is_ok())
        })
        .map(String::from)
        .ok_or_else(|| Error::Internal(format!("lp gave no job id: {lp_stdout:?}")))
}

// ---------------------------------------------------------------- CUPS I/O

fn tool(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("LC_ALL", "C").env("LANG", "C");
    c
}

/// Runs a CUPS tool; `what` says what for, in English (the log's) and
/// French.
fn run(mut cmd: Command, [what, what_fr]: [&str; 2], input: Option<&[u8]>) -> Result<String> {
    let program = format!("{:?}", cmd.get_program());
    let mut child = cmd
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::io(
                format!("{what}: cannot run {program} (is CUPS installed? Debian: cups-client, cups-ipp-utils)"),
                e,
            )
        })?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(bytes)
            .map_err(|e| Error::io(format!("{what}: cannot send the document to {program}"), e))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::io(format!("{what}: {program} did not finish"), e))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err
            .trim()
            .trim_start_matches("lp: ")
            .trim_start_matches("lpstat: ");
        return Err(Msg::CupsFailed {
            what_en: what.to_string(),
            what_fr: what_fr.to_string(),
            detail: err.to_string(),
        }
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The CUPS server `ipptool` should ask (lp and lpstat read CUPS_SERVER
/// themselves).
fn server() -> String {
    std::env::var("CUPS_SERVER")
        .ok()
        .filter(|s| !s.is_empty() && !s.starts_with('/'))
        .unwrap_or_else(|| "localhost".to_string())
}

/// Runs an IPP request through ipptool and returns the attributes.
fn ipp(
    uri: &str,
    operation: &str,
    target: &str,
    attrs: &[&str],
) -> Result<Option<HashMap<String, String>>> {
    let test =
        format!(
        "{{\n OPERATION {operation}\n GROUP operation\n ATTR charset attributes-charset utf-8\n \
         ATTR language attributes-natural-language en\n ATTR uri {target} $uri\n \
         ATTR keyword requested-attributes {}\n{}}}\n",
        attrs.join(","),
        attrs.iter().map(|a| format!(" DISPLAY {a}\n")).collect::<String>()
    );
    let path = std::env::temp_dir().join(format!(
        "gatehouse-ipp-{}-{}.test",
        std::process::id(),
        uuid::Uuid::now_v7()
    ));
    std::fs::write(&path, test)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    let mut cmd = tool("ipptool");
    cmd.arg("-c").arg(uri).arg(&path);
    let out = run(
        cmd,
        [
            &format!("asking CUPS about {uri}"),
            &format!("question à CUPS sur {uri}"),
        ],
        None,
    );
    let _ = std::fs::remove_file(&path);
    Ok(parse_ipptool(&out?))
}

fn default_printer() -> Option<String> {
    let mut cmd = tool("lpstat");
    cmd.arg("-d");
    let out = run(cmd, ["default printer", "imprimante par défaut"], None).ok()?;
    out.split_once(": ")
        .map(|(_, name)| name.trim().to_string())
}

/// One printer's state.
pub fn printer(name: &str) -> Result<Printer> {
    if name.is_empty() || name.contains(['/', ' ', '#']) {
        return Err(Msg::PrinterNameInvalid {
            name: name.to_string(),
        }
        .into());
    }
    let uri = format!("ipp://{}/printers/{name}", server());
    let attrs = ipp(
        &uri,
        "get-printer-attributes",
        "printer-uri",
        &[
            "printer-state",
            "printer-state-reasons",
            "printer-state-message",
            "printer-is-accepting-jobs",
            "printer-info",
        ],
    )?
    .filter(|a| a.get("printer-state").is_some_and(|s| !s.is_empty()))
    .ok_or_else(|| {
        Error::from(Msg::NoSuchPrinter {
            name: name.to_string(),
        })
    })?;
    let state = match attrs.get("printer-state").map(String::as_str) {
        Some("processing") => PrinterState::Printing,
        Some("stopped") => PrinterState::Stopped,
        _ => PrinterState::Idle,
    };
    Ok(Printer {
        name: name.to_string(),
        description: attrs.get("printer-info").cloned().unwrap_or_default(),
        state,
        reasons: list_of(attrs.get("printer-state-reasons")),
        message: attrs
            .get("printer-state-message")
            .cloned()
            .unwrap_or_default(),
        accepting: attrs.get("printer-is-accepting-jobs").map(String::as_str) == Some("true"),
        is_default: default_printer().as_deref() == Some(name),
    })
}

/// Every printer CUPS knows, the default first.
pub fn list_printers() -> Result<Vec<Printer>> {
    let mut cmd = tool("lpstat");
    cmd.arg("-e");
    let names = match run(cmd, ["listing printers", "liste des imprimantes"], None) {
        Ok(out) => out,
        // lpstat fails when there is no printer at all: that is an empty list.
        Err(e) if matches!(e.msg(), Some(Msg::CupsFailed { detail, .. }) if detail.contains("No destinations")) => {
            String::new()
        }
        Err(e) => return Err(e),
    };
    let mut printers = names
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(printer)
        .collect::<Result<Vec<_>>>()?;
    printers.sort_by_key(|p| !p.is_default);
    Ok(printers)
}

/// Sends a PDF to `printer` at 100 % (never scaled: the QR's module size is
/// part of the design) and returns the CUPS job id. No dialog.
pub fn submit(printer_name: &str, pdf: &[u8], title: &str) -> Result<String> {
    let p = printer(printer_name)?;
    if !p.accepting || p.state == PrinterState::Stopped {
        return Err(Msg::CannotPrint {
            en: describe_printer(&p, Lang::En),
            fr: describe_printer(&p, Lang::Fr),
        }
        .into());
    }
    let mut cmd = tool("lp");
    cmd.args([
        "-d",
        printer_name,
        "-t",
        title,
        "-o",
        "print-scaling=none",
        "--",
        "-",
    ]);
    let out = run(
        cmd,
        [
            &format!("printing on {printer_name}"),
            &format!("impression sur {printer_name}"),
        ],
        Some(pdf),
    )?;
    parse_job_id(&out)
}

/// Cancels job `job` (the desk changed its mind, or the printer is gone).
pub fn cancel(job: &str) -> Result<()> {
    job_number(job)?;
    let mut cmd = tool("cancel");
    cmd.arg(job);
    run(
        cmd,
        [
            &format!("canceling print job {job}"),
            &format!("annulation du travail d'impression {job}"),
        ],
        None,
    )?;
    Ok(())
}

fn job_number(job: &str) -> Result<u32> {
    job.rsplit_once('-')
        .and_then(|(_, n)| n.parse::<u32>().ok())
        .ok_or_else(|| {
            Error::from(Msg::PrintJobFormat {
                job: job.to_string(),
            })
        })
}

fn gone(job: &str) -> Error {
    Msg::PrintJobGone {
        job: job.to_string(),
    }
    .into()
}

/// Where job `job` (`PRINTER-N`) is.
pub fn job_status(job: &str) -> Result<JobStatus> {
    let n = job
        .rsplit_once('-')
        .and_then(|(_, n)| n.parse::<u32>().ok())
        .ok_or_else(|| {
            Error::from(Msg::PrintJobFormat {
                job: job.to_string(),
            })
        })?;
    let uri = format!("ipp://{}/jobs/{n}", server());
    let attrs = ipp(
        &uri,
        "get-job-attributes",
        "job-uri",
        &[
            "job-state",
            "job-state-reasons",
            "job-printer-state-message",
            "job-impressions-completed",
        ],
    )?
    .ok_or_else(|| gone(job))?;
    let state = attrs
        .get("job-state")
        .and_then(|s| JobState::parse(s))
        .ok_or_else(|| gone(job))?;
    Ok(JobStatus {
        job: job.to_string(),
        state,
        reasons: list_of(attrs.get("job-state-reasons")),
        message: attrs
            .get("job-printer-state-message")
            .cloned()
            .unwrap_or_default(),
        pages: attrs
            .get("job-impressions-completed")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
    })
}

// ---------------------------------------------------------------- async

fn blocking_failed(e: tokio::task::JoinError) -> Error {
    Error::Internal(format!("printing failed: {e}"))
}

/// Sends a rendered PDF of `badges` (serial, version) to `printer` and
/// records each badge in the print log. Returns the CUPS job id.
#[allow(clippy::too_many_arguments)]
pub async fn send(
    store: &Store,
    printer_name: &str,
    pdf: Vec<u8>,
    title: &str,
    badges: &[(BadgeSerial, u32)],
    format: Format,
    actor: &str,
    now: Timestamp,
) -> Result<String> {
    let (p, t) = (printer_name.to_string(), title.to_string());
    let job = tokio::task::spawn_blocking(move || submit(&p, &pdf, &t))
        .await
        .map_err(blocking_failed)??;
    log_sent(store, badges, format, printer_name, &job, actor, now).await?;
    Ok(job)
}

/// Where a print job is, for the desk's screen to follow it: one look at
/// CUPS ([`poll`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JobProgress {
    /// CUPS's job id, `PRINTER-N`.
    pub job: String,
    pub state: JobState,
    /// No further change will come (completed, canceled or failed).
    pub done: bool,
    /// Pages printed so far.
    pub pages: u32,
    /// What holds the job or made it fail, in plain words: the job's own
    /// reasons, then its printer's trouble ("the printer is offline", "out
    /// of paper", "stopped"). Empty when all is well.
    pub problems: Vec<String>,
    /// All of it on one line, as `gatehouse print` reports it.
    pub line: String,
}

/// Looks once at `job` and its printer. A job that has ended gets its
/// outcome recorded in the print log (once).
pub async fn poll(store: &Store, job: &str, lang: Lang) -> Result<JobProgress> {
    let j = job.to_string();
    let status = tokio::task::spawn_blocking(move || job_status(&j))
        .await
        .map_err(blocking_failed)??;
    let mut line = describe_job(&status, lang);
    let mut problems = plain_reasons(&status.reasons, &status.message, lang);
    let done = status.state.is_final();
    if !done {
        let name = job
            .rsplit_once('-')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        if let Ok(Ok(p)) = tokio::task::spawn_blocking(move || printer(&name)).await {
            // The printer's own trouble, unless the job already says it.
            let trouble: Vec<String> = plain_reasons(&p.reasons, &p.message, lang)
                .into_iter()
                .filter(|w| !problems.contains(w))
                .collect();
            if !trouble.is_empty() {
                line = format!("{line} — {} : {}", p.name, trouble.join(" ; "));
                problems.extend(trouble);
            } else if p.state == PrinterState::Stopped {
                if !line.contains(" — ") {
                    line = format!("{line} — {}", describe_printer(&p, lang));
                }
                problems.push(
                    match lang {
                        Lang::Fr => "l'imprimante est arrêtée",
                        Lang::En => "the printer is stopped",
                    }
                    .to_string(),
                );
            }
        }
    } else {
        log_outcome(store, job, &status, Timestamp::now()).await?;
    }
    Ok(JobProgress {
        job: status.job,
        state: status.state,
        done,
        pages: status.pages,
        problems,
        line,
    })
}

/// Follows `job` until it ends or `timeout` passes, calling `progress` with
/// a plain-words line each time what the desk should know changes (job
/// state, or the printer's trouble while the job waits). Records the
/// outcome in the print log and returns the last status.
pub async fn follow(
    store: &Store,
    job: &str,
    timeout: std::time::Duration,
    lang: Lang,
    mut progress: impl FnMut(&str),
) -> Result<JobProgress> {
    let start = std::time::Instant::now();
    let mut last_line = String::new();
    loop {
        let now = poll(store, job, lang).await?;
        if now.line != last_line {
            progress(&now.line);
            last_line.clone_from(&now.line);
        }
        if now.done || start.elapsed() >= timeout {
            return Ok(now);
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

// ---------------------------------------------------------------- print log

/// One badge sent to a printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintLogEntry {
    pub id: i64,
    pub serial: BadgeSerial,
    pub version: u32,
    pub format: Format,
    pub printer: String,
    pub job: String,
    pub printed_by: String,
    pub printed_at: String,
    /// `sent`, `completed`, `failed` or `canceled`.
    pub outcome: String,
    pub detail: String,
    pub finished_at: Option<String>,
}

/// Records that `badges` (serial, version) went to `printer` as `job`, with
/// an audit entry, in one transaction.
pub async fn log_sent(
    store: &Store,
    badges: &[(BadgeSerial, u32)],
    format: Format,
    printer: &str,
    job: &str,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = store.write().await?;
    for (serial, version) in badges {
        sqlx::query(
            "INSERT INTO print_log (serial, version, format, printer, job, printed_by, printed_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(serial.as_str())
        .bind(i64::from(*version))
        .bind(format.as_str())
        .bind(printer)
        .bind(job)
        .bind(actor)
        .bind(now.to_string())
        .execute(&mut *tx)
        .await?;
    }
    let serials: Vec<String> = badges.iter().map(|(s, v)| format!("{s} v{v}")).collect();
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "badge.print",
        &serde_json::json!({"printer": printer, "job": job, "format": format.as_str(), "badges": serials}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the print log calls a badge made as a PDF instead of sent to CUPS.
pub const PDF_PRINTER: &str = "PDF";

/// Records that `badges` (serial, version) were handed over as a PDF to be
/// printed outside Gatehouse (the desk without a printer, `badges
/// --record`): rows like a CUPS print's, printer [`PDF_PRINTER`], job
/// `pdf:` + `what`, already `completed` (there is no job to follow), with
/// an audit entry, in one transaction.
pub async fn log_pdf(
    store: &Store,
    badges: &[(BadgeSerial, u32)],
    format: Format,
    what: &str,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    let job = format!("pdf:{what}");
    let mut tx = store.write().await?;
    for (serial, version) in badges {
        sqlx::query(
            "INSERT INTO print_log (serial, version, format, printer, job, printed_by, printed_at, \
             outcome, detail, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'completed', ?, ?)",
        )
        .bind(serial.as_str())
        .bind(i64::from(*version))
        .bind(format.as_str())
        .bind(PDF_PRINTER)
        .bind(&job)
        .bind(actor)
        .bind(now.to_string())
        .bind("PDF handed over to be printed outside Gatehouse")
        .bind(now.to_string())
        .execute(&mut *tx)
        .await?;
    }
    let serials: Vec<String> = badges.iter().map(|(s, v)| format!("{s} v{v}")).collect();
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "badge.print",
        &serde_json::json!({"printer": PDF_PRINTER, "job": job, "format": format.as_str(), "badges": serials}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records how `job` ended (once; later calls change nothing).
pub async fn log_outcome(
    store: &Store,
    job: &str,
    status: &JobStatus,
    now: Timestamp,
) -> Result<()> {
    let outcome = match status.state {
        JobState::Completed => "completed",
        JobState::Canceled => "canceled",
        JobState::Aborted => "failed",
        _ => return Ok(()),
    };
    let mut tx = store.write().await?;
    sqlx::query(
        "UPDATE print_log SET outcome = ?, detail = ?, finished_at = ? WHERE job = ? AND outcome = 'sent'",
    )
    .bind(outcome)
    .bind(describe_job(status, Lang::En))
    .bind(now.to_string())
    .bind(job)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The print log, newest first, for one badge or all.
pub async fn log(pool: &SqlitePool, serial: Option<&BadgeSerial>) -> Result<Vec<PrintLogEntry>> {
    let rows = sqlx::query(
        "SELECT id, serial, version, format, printer, job, printed_by, printed_at, outcome, detail, finished_at \
         FROM print_log WHERE ?1 IS NULL OR serial = ?1 ORDER BY id DESC",
    )
    .bind(serial.map(BadgeSerial::as_str))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PrintLogEntry {
                id: r.get(0),
                serial: r.get::<String, _>(1).parse()?,
                version: u32::try_from(r.get::<i64, _>(2)).unwrap_or(0),
                format: r.get::<String, _>(3).parse()?,
                printer: r.get(4),
                job: r.get(5),
                printed_by: r.get(6),
                printed_at: r.get(7),
                outcome: r.get(8),
                detail: r.get(9),
                finished_at: r.get(10),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipptool_csv_is_read_with_quoted_lists() {
        let out =
            "printer-state,printer-state-reasons,printer-state-message,printer-is-accepting-jobs\n\
                   stopped,\"media-empty-error,offline-report\",\"Out of cards, tray 1\",true\n";
        let a = parse_ipptool(out).unwrap_or_default();
        assert_eq!(a.get("printer-state").map(String::as_str), Some("stopped"));
        assert_eq!(
            list_of(a.get("printer-state-reasons")),
            vec!["media-empty-error", "offline-report"]
        );
        assert_eq!(
            a.get("printer-state-message").map(String::as_str),
            Some("Out of cards, tray 1")
        );
        assert!(parse_ipptool("job-state,job-state-reasons\n").is_none());
    }

    #[test]
    fn printer_troubles_are_said_in_plain_words() {
        let p = Printer {
            name: "Carte-1".into(),
            description: String::new(),
            state: PrinterState::Stopped,
            reasons: vec!["media-empty-error".into(), "offline-report".into()],
            message: String::new(),
            accepting: true,
            is_default: false,
        };
        assert_eq!(
            describe_printer(&p, Lang::Fr),
            "Carte-1 : arrêtée — plus de papier ou de cartes ; imprimante hors ligne ou injoignable (câble, réseau, alimentation ?)"
        );
        assert!(describe_printer(&p, Lang::En).contains("out of paper"));
        let job = JobStatus {
            job: "Carte-1-7".into(),
            state: JobState::Completed,
            reasons: vec!["job-completed-successfully".into()],
            message: String::new(),
            pages: 2,
        };
        assert_eq!(
            describe_job(&job, Lang::Fr),
            "Carte-1-7 : imprimé (2 pages)"
        );
        assert_eq!(
            plain_reason("marker-supply-low-warning", Lang::En).as_deref(),
            Some("ink or ribbon low")
        );
        assert_eq!(plain_reason("none", Lang::Fr), None);
        let offline = "The printer may not exist or is unavailable at this time.";
        assert!(plain_message(offline, Lang::Fr).is_some_and(|m| m.contains("hors ligne")));
        assert_eq!(
            plain_message("Ribbon is twisted", Lang::En).as_deref(),
            Some("Ribbon is twisted")
        );
    }

    #[test]
    fn lp_answers_give_the_job_id() -> Result<()> {
        assert_eq!(
            parse_job_id("request id is GatehousePDF-12 (1 file(s))\n")?,
            "GatehousePDF-12"
        );
        assert_eq!(
            parse_job_id("request id is Card-Printer-3 (1 file(s))")?,
            "Card-Printer-3"
        );
        assert!(parse_job_id("lp: error").is_err());
        Ok(())
    }
}
