//! Issue 20: CAMEO codes in CSV keep their leading zero. Spreadsheets and
//! pandas read a bare 073 as the number 73; the code is written quoted, and
//! again as `CAMEO:073` in a last `cameo_text` column that no reader turns
//! into a number.

mod common;

use annalist_store::export::ExportFormat;
use annalist_store::format::{write_rows, Format};
use annalist_store::{Filter, Store, Unit};
use common::{article, Ev};

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&[article(
        "a",
        "Wire",
        "2022-05-17",
        &["Iran sent aid to Tajikistan."],
        vec![Ev::new("AID", "073", "sent")],
    )])
    .unwrap();
    s
}

/// The cells of a CSV line without quoted commas.
fn cells(line: &str) -> Vec<&str> {
    line.split(',').collect()
}

fn check(csv: &str) {
    let mut lines = csv.lines();
    let header = cells(lines.next().unwrap());
    let row = cells(lines.next().unwrap());
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(row[at("cameo")], "\"073\"", "{csv}");
    assert_eq!(row[at("cameo_text")], "CAMEO:073", "{csv}");
    assert_eq!(header.last(), Some(&"cameo_text"), "appended, not inserted");
}

#[test]
fn cameo_codes_keep_their_leading_zero_in_csv_exports() {
    let s = store();
    for unit in [Unit::Stories, Unit::Reports] {
        let mut out = Vec::new();
        s.export(&Filter::default(), unit, ExportFormat::Csv, &mut out)
            .unwrap();
        check(&String::from_utf8(out).unwrap());
    }
}

#[test]
fn cameo_codes_keep_their_leading_zero_in_csv_query_output() {
    let s = store();
    let mut out = Vec::new();
    write_rows(
        &mut out,
        Format::Csv,
        &s.stories(&Filter::default(), None).unwrap(),
    )
    .unwrap();
    check(&String::from_utf8(out).unwrap());
    let mut out = Vec::new();
    write_rows(
        &mut out,
        Format::Csv,
        &s.reports(&Filter::default(), None).unwrap(),
    )
    .unwrap();
    check(&String::from_utf8(out).unwrap());
}

#[test]
fn ansi_escapes_in_article_text_reach_the_terminal_escaped() {
    let shown = annalist_store::format::terminal_safe("red \u{1b}[31malert\u{1b}[0m");
    assert_eq!(shown, "red \\u{1b}[31malert\\u{1b}[0m");
    assert!(!shown.chars().any(char::is_control));
    assert_eq!(annalist_store::format::terminal_safe("plain"), "plain");
}
