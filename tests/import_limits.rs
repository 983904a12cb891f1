//! Hostile import files are refused with a clear error naming the limit,
//! and the station keeps running: a 6 KB XLSX whose two cells are A1 and
//! XFD1048576 (a dense sheet of 17 billion cells), a zip bomb, CSV lines
//! too long, too many columns or rows.

mod http_support;

use gatehouse::registry::import::{limits, read_table};
use http_support::{body, request, send_bytes, serve, TestResult};

fn xlsx(cells: &[(u32, u16, &str)]) -> TestResult<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for &(row, col, text) in cells {
        sheet.write_string(row, col, text)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Cells only at A1 and XFD1048576: a dense range would be 550 GB.
fn far_apart_cells() -> TestResult<Vec<u8>> {
    xlsx(&[(0, 0, "Nom"), (1_048_575, 16_383, "x")])
}

fn refusal(r: gatehouse::Result<gatehouse::registry::import::Table>) -> String {
    match r {
        Err(e) if e.code() == gatehouse::error::ErrorCode::BadInput => e.to_string(),
        other => panic!("expected a bad_input refusal, got {other:?}"),
    }
}

#[test]
fn a_sheet_with_two_cells_far_apart_is_refused_not_allocated() -> TestResult {
    let bytes = far_apart_cells()?;
    assert!(bytes.len() < 10_000, "{} bytes", bytes.len());
    let m = refusal(read_table(&bytes, "partenaires.xlsx"));
    assert!(
        m.contains("at most 64 columns") || m.contains("at most 200000 rows"),
        "{m}"
    );
    // Far down one column only: the row limit names itself.
    let tall = xlsx(&[(0, 0, "Nom"), (1_048_575, 0, "x")])?;
    let m = refusal(read_table(&tall, "t.xlsx"));
    assert!(
        m.contains("line 1048576") && m.contains("at most 200000 rows"),
        "{m}"
    );
    Ok(())
}

#[test]
fn an_ordinary_sheet_still_reads_with_its_line_numbers() -> TestResult {
    let bytes = xlsx(&[
        (0, 0, "Nom"),
        (0, 1, "Catégorie"),
        (1, 0, "Traoré"),
        (1, 1, "VIP"),
        (3, 1, "PRESS"),
    ])?;
    let table = read_table(&bytes, "liste.xlsx")?;
    assert_eq!(table.headers, ["Nom", "Catégorie"]);
    assert_eq!(
        table.rows,
        [
            (2, vec!["Traoré".to_string(), "VIP".to_string()]),
            (4, vec![String::new(), "PRESS".to_string()]),
        ]
    );
    Ok(())
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() -> TestResult {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", deflated)?;
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..24 {
        zip.write_all(&zeros)?;
    }
    let bytes = zip.finish()?.into_inner();
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let m = refusal(read_table(&bytes, "bombe.xlsx"));
    assert!(m.contains("unpacks to more than 16 MB"), "{m}");
    Ok(())
}

#[test]
fn csv_lines_columns_and_rows_have_limits() -> TestResult {
    let long = format!("Nom;Notes\nTraoré;{}\n", "x".repeat(limits::LINE_BYTES));
    let m = refusal(read_table(long.as_bytes(), "l.csv"));
    assert!(m.contains("line 2") && m.contains("at most 64 KB"), "{m}");

    // One quoted field spanning many lines is one long line too.
    let quoted = format!("Nom;Notes\nTraoré;\"{}\"\n", "x\n".repeat(40_000));
    let m = refusal(read_table(quoted.as_bytes(), "q.csv"));
    assert!(m.contains("line 2") && m.contains("at most 64 KB"), "{m}");

    let wide = format!("Nom{}\n", ";x".repeat(64));
    let m = refusal(read_table(wide.as_bytes(), "w.csv"));
    assert!(
        m.contains("line 1") && m.contains("column 65") && m.contains("at most 64 columns"),
        "{m}"
    );

    // What Excel writes for a sheet formatted far to the right: empty columns.
    let trailing = format!(
        "Nom;Catégorie{}\nTraoré;VIP{}\n",
        ";".repeat(200),
        ";".repeat(200)
    );
    let table = read_table(trailing.as_bytes(), "t.csv")?;
    assert_eq!(table.headers.len(), 64);
    assert_eq!(table.rows[0].1[..2], ["Traoré", "VIP"]);

    let mut tall = String::from("Nom;Catégorie\n");
    for i in 0..limits::ROWS {
        tall.push_str(&format!("P{i};VIP\n"));
    }
    assert_eq!(
        read_table(tall.as_bytes(), "t.csv")?.rows.len(),
        limits::ROWS
    );
    tall.push_str("Dernier;VIP\n");
    let m = refusal(read_table(tall.as_bytes(), "t.csv"));
    assert!(
        m.contains("line 200002") && m.contains("at most 200000 rows"),
        "{m}"
    );
    Ok(())
}

#[test]
fn a_file_too_large_is_refused_by_its_size() -> TestResult {
    let big = vec![b'a'; limits::FILE_BYTES + 1];
    let m = refusal(read_table(&big, "big.csv"));
    assert!(m.contains("at most 128 MB"), "{m}");
    Ok(())
}

/// The review's attack: the preview of the served console, then the station
/// still answers.
#[test]
fn the_served_console_refuses_the_file_and_keeps_running() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("g.db");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["demo", "--attendees", "0", "--db"])
        .arg(&db)
        .output()?;
    assert!(made.status.success(), "{made:?}");
    let served = serve(&db)?;
    let session = body(&http_support::sign_in_as(
        &served.addr,
        "Admin démo",
        "1111",
    )?)?;
    let token = session["token"].as_str().ok_or("no token")?;
    let r = send_bytes(
        &served.addr,
        "POST",
        "/api/import/preview?name=partenaires.xlsx",
        &format!("Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n"),
        &far_apart_cells()?,
    )?;
    assert!(r.starts_with("HTTP/1.1 422"), "{r}");
    let refused = body(&r)?;
    assert_eq!(refused["code"], "bad_input", "{r}");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("au plus")),
        "{r}"
    );
    let alive = request(&served.addr, "GET", "/api/event", "")?;
    assert!(alive.starts_with("HTTP/1.1 200"), "{alive}");
    Ok(())
}
