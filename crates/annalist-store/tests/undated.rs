//! Issue 20: dates are never invented. A document with no publication date
//! and no date in its text stays undated in the store and in every export;
//! the day it was ingested never stands in for the day of its events.

mod common;

use annalist_doc::Record;
use annalist_store::export::{
    validate_plover, validate_tsv_line, ExportFormat, Undated, GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
};
use annalist_store::{Filter, Store, Unit};
use common::{article, Ev};

/// A record with no publication date and no date in its text.
fn undated(doc_id: &str, sentence: &'static str, trigger: &'static str) -> Record {
    let mut r = article(
        doc_id,
        "Undated Wire",
        "2000-01-01",
        &[sentence],
        vec![Ev::new("CONSULT", "040", trigger)],
    );
    r.meta.published = None;
    for e in &mut r.events {
        e.date = None;
        e.date_source = None;
    }
    r
}

fn dated(doc_id: &str) -> Record {
    article(
        doc_id,
        "Dated Wire",
        "2022-05-17",
        &["Iran met Tajikistan in Dushanbe."],
        vec![Ev::new("CONSULT", "040", "met")],
    )
}

/// Today's date as the exports would have written it.
fn today() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let day = secs.div_euclid(86_400);
    (
        annalist_store::dates::iso(day),
        annalist_store::dates::yyyymmdd(day).to_string(),
    )
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    // Ingested now, so that a fallback to the ingest day would show today.
    s.ingest(&[
        undated("u1", "Iran met Tajikistan.", "met"),
        undated("u2", "Kenya thanked Ethiopia.", "thanked"),
        dated("d1"),
    ])
    .unwrap();
    s
}

fn export(s: &Store, unit: Unit, f: ExportFormat, undated: Undated) -> (String, u64) {
    let mut out = Vec::new();
    let stats = s
        .export_with(&Filter::default(), unit, f, undated, &mut out)
        .unwrap();
    (String::from_utf8(out).unwrap(), stats.undated_skipped)
}

#[test]
fn undated_documents_get_no_date_in_gdelt_events() {
    let s = store();
    let (tsv, skipped) = export(&s, Unit::Stories, ExportFormat::GdeltEvents, Undated::Skip);
    assert_eq!(skipped, 2, "both undated story events are left out");
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 1, "{tsv}");
    validate_tsv_line(&GDELT_EVENT_COLUMNS, lines[0]).unwrap();
    assert_eq!(lines[0].split('\t').nth(1), Some("20220517"));
    // The default of `export` is the same.
    let mut out = Vec::new();
    let n = s
        .export(
            &Filter::default(),
            Unit::Stories,
            ExportFormat::GdeltEvents,
            &mut out,
        )
        .unwrap();
    assert_eq!(n, 1);

    // Kept on request, with empty date columns rather than a made-up day.
    let (tsv, skipped) = export(
        &s,
        Unit::Stories,
        ExportFormat::GdeltEvents,
        Undated::Include,
    );
    assert_eq!(skipped, 0);
    let (_, today8) = today();
    let mut empty_dates = 0;
    for line in tsv.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 61);
        if f[1].is_empty() {
            assert!(f[2..5].iter().all(|c| c.is_empty()), "{line}");
            empty_dates += 1;
        }
        assert_ne!(f[1], today8, "the ingest day was written as SQLDATE");
    }
    assert_eq!(empty_dates, 2);
}

#[test]
fn undated_documents_get_no_date_in_gdelt_mentions() {
    let s = store();
    let (tsv, skipped) = export(
        &s,
        Unit::Stories,
        ExportFormat::GdeltMentions,
        Undated::Skip,
    );
    assert_eq!(skipped, 2);
    for line in tsv.lines() {
        validate_tsv_line(&GDELT_MENTION_COLUMNS, line).unwrap();
        assert!(line.split('\t').nth(1).unwrap().starts_with("20220517"));
    }
    let (tsv, _) = export(
        &s,
        Unit::Stories,
        ExportFormat::GdeltMentions,
        Undated::Include,
    );
    let empty = tsv
        .lines()
        .filter(|l| l.split('\t').nth(1) == Some(""))
        .count();
    assert_eq!(empty, 2, "{tsv}");
}

#[test]
fn undated_documents_get_a_null_date_in_plover() {
    let s = store();
    let (today10, _) = today();
    for unit in [Unit::Stories, Unit::Reports] {
        let (jsonl, skipped) = export(&s, unit, ExportFormat::Plover, Undated::Include);
        assert_eq!(skipped, 0);
        let mut nulls = 0;
        for line in jsonl.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            validate_plover(&v).unwrap();
            assert_ne!(v["date"], today10.as_str(), "{line}");
            nulls += usize::from(v["date"].is_null());
        }
        assert_eq!(nulls, 2, "{unit:?}: {jsonl}");
        assert!(!jsonl.contains(&today10), "{jsonl}");
        let (jsonl, skipped) = export(&s, unit, ExportFormat::Plover, Undated::Skip);
        assert_eq!(skipped, 2);
        assert_eq!(jsonl.lines().count(), 1);
    }
}

#[test]
fn undated_documents_get_an_empty_date_in_csv_and_queries() {
    let s = store();
    let (today10, _) = today();
    for unit in [Unit::Stories, Unit::Reports] {
        let (csv, _) = export(&s, unit, ExportFormat::Csv, Undated::Include);
        assert!(!csv.contains(&today10), "{csv}");
        assert_eq!(csv.lines().count(), 4, "a header and three rows: {csv}");
    }
    let stories = s.stories(&Filter::default(), None).unwrap();
    assert_eq!(stories.iter().filter(|r| r.date.is_none()).count(), 2);
    let reports = s.reports(&Filter::default(), None).unwrap();
    assert_eq!(reports.iter().filter(|r| r.date.is_none()).count(), 2);
    // Stored records keep their missing dates.
    let r = s.record("u1").unwrap().unwrap();
    assert_eq!(r.meta.published, None);
    assert_eq!(r.events[0].date, None);
}
