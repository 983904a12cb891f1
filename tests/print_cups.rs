//! Printing against a real CUPS server (`make setup-test` starts it and adds
//! two queues): `GatehousePDF`, Debian's cups-pdf virtual printer, and
//! `GatehouseOffline`, a printer on a socket nobody answers. A badge sent to
//! the PDF queue must arrive as a PDF that still carries the names and
//! scans; the offline printer must be reported in plain words.

mod badge_support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use badge_support::{badge, decode_qrs, rasterise, run, verifying_key, TestResult};
use gatehouse::badge::{render_pdf, Format, Sheet, Template};
use gatehouse::lang::Lang;
use gatehouse::print::{self, JobState, PrinterState};
use gatehouse::store::Store;

const PDF_QUEUE: &str = "GatehousePDF";
const OFFLINE_QUEUE: &str = "GatehouseOffline";

fn queue_present(name: &str) -> TestResult {
    let printers = print::list_printers()?;
    if !printers.iter().any(|p| p.name == name) {
        return Err(format!(
            "CUPS has no {name} queue (found {:?}): run `make setup-test`",
            printers.iter().map(|p| &p.name).collect::<Vec<_>>()
        )
        .into());
    }
    Ok(())
}

/// Where cups-pdf writes: its `Out` setting, `${HOME}` being the home of
/// the user who printed; anonymous jobs go to its spool.
fn cups_pdf_dirs() -> Vec<PathBuf> {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let conf = std::fs::read_to_string("/etc/cups/cups-pdf.conf").unwrap_or_default();
    let out = conf
        .lines()
        .find_map(|l| l.strip_prefix("Out "))
        .unwrap_or("${HOME}/PDF")
        .trim()
        .replace("${HOME}", &home);
    vec![
        PathBuf::from(out),
        PathBuf::from("/var/spool/cups-pdf/ANONYMOUS"),
    ]
}

fn find_output(title: &str, timeout: Duration) -> TestResult<PathBuf> {
    let start = Instant::now();
    loop {
        for dir in cups_pdf_dirs() {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    if e.file_name().to_string_lossy().contains(title) {
                        return Ok(e.path());
                    }
                }
            }
        }
        if start.elapsed() > timeout {
            return Err(format!(
                "cups-pdf wrote no file named after {title} in {:?}",
                cups_pdf_dirs()
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn wait_final(job: &str, timeout: Duration) -> TestResult<print::JobStatus> {
    let start = Instant::now();
    loop {
        let status = print::job_status(job)?;
        if status.state.is_final() {
            return Ok(status);
        }
        if start.elapsed() > timeout {
            return Err(format!("job still {}", print::describe_job(&status, Lang::En)).into());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[tokio::test]
async fn badges_print_silently_to_the_pdf_printer_and_still_scan() -> TestResult {
    queue_present(PDF_QUEUE)?;
    let p = print::printer(PDF_QUEUE)?;
    assert!(p.accepting && p.state != PrinterState::Stopped, "{p:?}");
    assert!(print::describe_printer(&p, Lang::Fr).starts_with("GatehousePDF : "));

    let template = Template::bamex25()?;
    let badges = vec![
        badge(1, "Aminata", "Goïta", true)?,
        badge(2, "Işık", "Ağaoğlu", true)?,
    ];
    let pdf = render_pdf(&badges, &template, Format::Cr80, Sheet::Single)?;
    let title = format!("gatehouse-test-{}", uuid::Uuid::now_v7().simple());
    let job = print::submit(PDF_QUEUE, &pdf, &title)?;
    assert!(job.starts_with("GatehousePDF-"), "{job}");

    // The print log, as the desk keeps it.
    let db = tempfile::tempdir()?;
    let store = Store::open(&db.path().join("g.db")).await?;
    let now = jiff::Timestamp::now();
    let printed: Vec<_> = badges
        .iter()
        .map(|b| (b.serial.clone(), b.version))
        .collect();
    print::log_sent(
        &store,
        &printed,
        Format::Cr80,
        PDF_QUEUE,
        &job,
        "desk-1",
        now,
    )
    .await?;

    let status = wait_final(&job, Duration::from_secs(60))?;
    assert_eq!(
        status.state,
        JobState::Completed,
        "{}",
        print::describe_job(&status, Lang::En)
    );
    assert!(print::describe_job(&status, Lang::Fr).contains("imprimé"));
    print::log_outcome(&store, &job, &status, now).await?;
    let log = print::log(store.read(), None).await?;
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|e| e.outcome == "completed" && e.printer == PDF_QUEUE && e.job == job));
    assert!(log
        .iter()
        .all(|e| e.printed_by == "desk-1" && e.version == 1));
    let one = print::log(store.read(), Some(&badges[0].serial)).await?;
    assert_eq!(one.len(), 1);

    // What came out of the printer: both pages, with QRs that scan. (Not
    // the text: CUPS goes through PostScript, so the fonts come out as
    // Type 3 glyphs, as on paper.)
    let out = find_output(&title, Duration::from_secs(20))?;
    let info = run("pdfinfo", &[&out.to_string_lossy()])?;
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 2")),
        "{info}"
    );
    let dir = tempfile::tempdir()?;
    rasterise(&out, 203, dir.path())?;
    let mut found = decode_qrs(dir.path())?;
    found.sort();
    let mut want: Vec<String> = badges.iter().map(|b| b.qr_text.clone()).collect();
    want.sort();
    assert_eq!(found, want);
    for t in &found {
        gatehouse::token::parse(t)?.verify(&verifying_key())?;
    }
    let _ = std::fs::remove_file(out);
    Ok(())
}

#[test]
fn an_unreachable_printer_is_reported_in_plain_words() -> TestResult {
    queue_present(OFFLINE_QUEUE)?;
    let template = Template::bamex25()?;
    let pdf = render_pdf(
        &[badge(3, "Élodie", "Cissé", false)?],
        &template,
        Format::A6,
        Sheet::Single,
    )?;
    let job = print::submit(OFFLINE_QUEUE, &pdf, "gatehouse-offline-test")?;
    let start = Instant::now();
    let words = loop {
        let p = print::printer(OFFLINE_QUEUE)?;
        let line = print::describe_printer(&p, Lang::Fr);
        if line.contains("hors ligne") {
            break line;
        }
        if start.elapsed() > Duration::from_secs(30) {
            print::cancel(&job)?;
            return Err(format!("the offline printer was never reported: {line}").into());
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(words.starts_with("GatehouseOffline : "), "{words}");
    let status = print::job_status(&job)?;
    assert!(
        !status.state.is_final(),
        "the job waits for the printer: {status:?}"
    );
    print::cancel(&job)?;
    assert_eq!(
        wait_final(&job, Duration::from_secs(20))?.state,
        JobState::Canceled
    );
    assert!(print::printer("NoSuchPrinter").is_err_and(|e| e.to_string().contains("NoSuchPrinter")));
    Ok(())
}

/// Polls `job` through [`print::poll`] (what the desk screen calls) until it
/// ends or `timeout` passes; returns every progress seen.
async fn poll_until_done(
    store: &Store,
    job: &str,
    lang: Lang,
    timeout: Duration,
    stop_when: impl Fn(&print::JobProgress) -> bool,
) -> TestResult<Vec<print::JobProgress>> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let p = print::poll(store, job, lang).await?;
        let stop = p.done || stop_when(&p);
        seen.push(p);
        if stop {
            return Ok(seen);
        }
        if start.elapsed() > timeout {
            return Err(format!("job never ended: {seen:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn the_desk_follows_a_job_to_printed_and_logs_it() -> TestResult {
    queue_present(PDF_QUEUE)?;
    let template = Template::bamex25()?;
    let b = badge(4, "Oumou", "Sangaré", true)?;
    let pdf = render_pdf(
        std::slice::from_ref(&b),
        &template,
        Format::A6,
        Sheet::Single,
    )?;
    let title = format!("gatehouse-follow-{}", uuid::Uuid::now_v7().simple());
    let db = tempfile::tempdir()?;
    let store = Store::open(&db.path().join("g.db")).await?;
    let job = print::send(
        &store,
        PDF_QUEUE,
        pdf,
        &title,
        &[(b.serial.clone(), b.version)],
        Format::A6,
        "desk-2",
        jiff::Timestamp::now(),
    )
    .await?;
    let seen = poll_until_done(&store, &job, Lang::Fr, Duration::from_secs(60), |_| false).await?;
    let last = seen.last().ok_or("no progress")?;
    assert_eq!(last.state, JobState::Completed, "{seen:?}");
    assert!(last.done && last.problems.is_empty(), "{last:?}");
    assert!(last.line.contains("imprimé"), "{}", last.line);
    assert_eq!(last.job, job);
    // The outcome is in the print log once the desk has seen it end.
    let log = print::log(store.read(), Some(&b.serial)).await?;
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].outcome.as_str(), log[0].printed_by.as_str()),
        ("completed", "desk-2")
    );
    if let Ok(out) = find_output(&title, Duration::from_secs(20)) {
        let _ = std::fs::remove_file(out);
    }
    Ok(())
}

#[tokio::test]
async fn the_desk_hears_why_a_job_waits_on_an_offline_printer() -> TestResult {
    queue_present(OFFLINE_QUEUE)?;
    let template = Template::bamex25()?;
    let pdf = render_pdf(
        &[badge(5, "Awa", "Coulibaly", false)?],
        &template,
        Format::A6,
        Sheet::Single,
    )?;
    let job = print::submit(OFFLINE_QUEUE, &pdf, "gatehouse-offline-follow")?;
    let db = tempfile::tempdir()?;
    let store = Store::open(&db.path().join("g.db")).await?;
    let offline = |p: &print::JobProgress| p.problems.iter().any(|w| w.contains("offline"));
    let seen = poll_until_done(&store, &job, Lang::En, Duration::from_secs(30), offline).await;
    print::cancel(&job)?;
    let seen = seen?;
    let last = seen.last().ok_or("no progress")?;
    assert!(!last.done, "the job waits for the printer: {last:?}");
    assert!(offline(last), "{last:?}");
    assert!(last.line.contains("GatehouseOffline"), "{}", last.line);
    // Canceled: the desk hears it ended, without printing.
    let end = poll_until_done(&store, &job, Lang::Fr, Duration::from_secs(20), |_| false).await?;
    assert_eq!(end.last().map(|p| p.state), Some(JobState::Canceled));
    Ok(())
}
