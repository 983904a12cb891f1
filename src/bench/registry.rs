//! Registry figures, on scratch databases: importing 100,000 CSV rows from
//! a Windows-1252 `;` file as French Excel writes it (target ≤ 2 s, in the
//! process and as the whole `gatehouse import` command), search latency per query on those 100,000 attendees
//! (p95 target ≤ 5 ms, measured inside the process), and generating the
//! demo's 10,000 attendees with their portraits (target ≤ 5 s).

use std::path::Path;
use std::time::Instant;

use jiff::Timestamp;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Report;
use crate::error::{Error, Result};
use crate::registry::import::{self, ImportOptions};
use crate::registry::{demo as people, search};
use crate::store::Store;

const ROWS: u32 = 100_000;
const QUERIES: usize = 500;

async fn event_store(dir: &Path, name: &str) -> Result<Store> {
    let store = Store::open(&dir.join(name)).await?;
    crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, Timestamp::now()).await?;
    Ok(store)
}

/// `s` as a Windows-1252 file can hold it: what it cannot (Turkish,
/// Arabic…) is written in Latin letters, as an organiser's export would.
fn latin(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut b = [0u8; 4];
            if encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut b)).2 {
                deunicode::deunicode_char(c).unwrap_or("?").to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The generated people, their text as a Windows-1252 file holds it.
fn people_1252(n: u32, event: &crate::event::EventInfo) -> Result<Vec<people::Person>> {
    let mut list = people::people(n, 11, event)?;
    for p in &mut list {
        let f = &mut p.fields;
        for s in [
            &mut f.given_names,
            &mut f.family_name,
            &mut f.organisation,
            &mut f.job_title,
            &mut f.email,
            &mut f.phone,
            &mut f.doc_type,
            &mut f.doc_number,
        ] {
            *s = latin(s);
        }
        if let Some(d) = &mut f.delegation {
            *d = latin(d);
        }
    }
    Ok(list)
}

/// A pre-registration file of `n` generated people, as French Excel writes
/// it (Windows-1252, `;`, CRLF), each with its own reference.
fn csv_file(list: &[people::Person]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(e.to_string());
    w.write_record([
        "Référence",
        "Prénom",
        "Nom",
        "Société",
        "Fonction",
        "Pays",
        "Catégorie",
        "Délégation",
        "Email",
        "Téléphone",
        "Type de pièce",
        "N° pièce",
    ])
    .map_err(fail)?;
    for (i, p) in list.iter().enumerate() {
        let f = &p.fields;
        w.write_record([
            format!("REF-{i:06}").as_str(),
            &f.given_names,
            &f.family_name,
            &f.organisation,
            &f.job_title,
            f.country.as_deref().unwrap_or(""),
            f.category.as_str(),
            f.delegation.as_deref().unwrap_or(""),
            &f.email,
            &f.phone,
            &f.doc_type,
            &f.doc_number,
        ])
        .map_err(fail)?;
    }
    let utf8 = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("CSV: {e}")))?;
    let text = String::from_utf8(utf8).map_err(|e| Error::Internal(format!("CSV: {e}")))?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    if unmappable {
        return Err(Error::Internal(
            "bench CSV: a name has no Windows-1252 form".into(),
        ));
    }
    Ok(bytes.into_owned())
}

/// Queries as a desk types them: the start of a family name, a given name
/// and the start of a family name, a badge number, an organisation.
fn queries(list: &[people::Person]) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    (0..QUERIES)
        .map(|i| {
            let k = rng.gen_range(0..list.len());
            let f = &list[k].fields;
            let head = |s: &str, n: usize| s.chars().take(n).collect::<String>();
            match i % 4 {
                0 => head(&f.family_name, rng.gen_range(3..=6)),
                1 => format!(
                    "{} {}",
                    f.given_names.split(' ').next().unwrap_or(""),
                    head(&f.family_name, 3)
                ),
                2 => format!("BMX-{}", k + 1),
                _ if f.organisation.is_empty() => head(&f.given_names, 4),
                _ => head(&f.organisation, rng.gen_range(3..=6)),
            }
        })
        .collect()
}

/// `gatehouse import FILE` on a fresh event database, timed from start to
/// exit, when this is the gatehouse binary.
async fn whole_command(report: &mut Report, dir: &Path, file: &[u8]) -> Result<()> {
    let exe = std::env::current_exe().map_err(|e| Error::io("the running program", e))?;
    if exe
        .file_stem()
        .is_none_or(|n| n.to_string_lossy() != "gatehouse")
    {
        return Ok(());
    }
    let db = dir.join("import-command.db");
    event_store(dir, "import-command.db").await?.close().await;
    let path = dir.join("inscriptions.csv");
    std::fs::write(&path, file).map_err(|e| Error::io("bench: cannot write the CSV", e))?;
    let mut command = std::process::Command::new(&exe);
    command
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&path)
        .stdout(std::process::Stdio::null());
    let start = Instant::now();
    let status = tokio::task::spawn_blocking(move || command.status())
        .await
        .map_err(|e| Error::Internal(format!("import benchmark: {e}")))?
        .map_err(|e| Error::io(format!("cannot run {}", exe.display()), e))?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(Error::Internal(format!(
            "import benchmark: `gatehouse import` failed ({status})"
        )));
    }
    let store = Store::open(&db).await?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendee")
        .fetch_one(store.read())
        .await?;
    store.close().await;
    if n != i64::from(ROWS) {
        return Err(Error::Internal(format!(
            "import benchmark: the command imported {n} of {ROWS}"
        )));
    }
    report.push(
        "registry",
        "`gatehouse import` of 100,000 rows (Windows-1252 CSV), whole command",
        secs,
        "s",
        Some("≤ 2"),
    );
    Ok(())
}

pub async fn run(report: &mut Report, dir: &Path) -> Result<()> {
    let store = event_store(dir, "import.db").await?;
    let event = crate::event_store::load(store.read()).await?;
    let list = people_1252(ROWS, &event)?;
    let file = csv_file(&list)?;

    let t = Instant::now();
    let cpu_start = super::sync::cpu_seconds();
    let r = import::import(
        &store,
        &file,
        "bench.csv",
        ImportOptions::default(),
        "bench",
        Timestamp::now(),
        &mut |_, _| (),
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let cpu = super::sync::cpu_seconds()
        .zip(cpu_start)
        .map(|(end, begin)| end - begin);
    if r.created != ROWS as usize {
        return Err(Error::Internal(format!(
            "bench import created {} of {ROWS}: {:?}",
            r.created,
            r.errors.first()
        )));
    }
    report.push(
        "registry",
        "import 100,000 CSV rows",
        secs,
        "s",
        Some("≤ 2"),
    );
    // The machine may be shared: the CPU this process spent on it.
    if let Some(cpu) = cpu {
        report.push(
            "registry",
            "  the same, CPU time of this process",
            cpu,
            "s",
            None,
        );
    }
    whole_command(report, dir, &file).await?;

    let qs = queries(&list);
    let mut times = Vec::with_capacity(qs.len());
    let mut empty = 0;
    for q in &qs {
        let t = Instant::now();
        let hits = search::search(store.read(), q, 20).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        empty += usize::from(hits.is_empty());
    }
    if empty > 0 {
        return Err(Error::Internal(format!(
            "bench search: {empty} of {QUERIES} queries found nothing"
        )));
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    report.push(
        "registry",
        "search p50 (100,000 attendees)",
        pct(0.5),
        "ms",
        None,
    );
    report.push(
        "registry",
        "search p95 (100,000 attendees)",
        pct(0.95),
        "ms",
        Some("≤ 5"),
    );
    report.push(
        "registry",
        "search max (100,000 attendees)",
        pct(1.0),
        "ms",
        None,
    );
    store.close().await;

    let store = event_store(dir, "demo.db").await?;
    let t = Instant::now();
    people::install(&store, 10_000, people::DEFAULT_SEED, Timestamp::now()).await?;
    report.push(
        "registry",
        "demo --attendees 10000 (people, portraits, write)",
        t.elapsed().as_secs_f64(),
        "s",
        Some("≤ 5"),
    );
    store.close().await;
    Ok(())
}
