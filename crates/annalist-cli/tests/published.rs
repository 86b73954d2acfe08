//! Issue 20, "no invented dates", for `annalist code`: a document without a
//! publication date takes one from its URL path or from `--published`, as in
//! `annalist ingest`, and the events dated by it say where it came from.

use std::process::Output;

mod common;
use common::annalist;

/// Articles in our own words, each stating a meeting so that it codes an
/// event: one with no date anywhere, one dated only by its URL path, one with
/// a date of its own.
const CORPUS: &str = r#"{"id": "nodate", "text": "Iranian Foreign Minister Hossein Amir-Abdollahian met Tajik President Emomali Rahmon in Dushanbe to discuss border security."}
{"id": "urldate", "url": "https://news.example/world/2021/03/09/talks", "text": "Kenyan Foreign Minister Daniel Otieno met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa to discuss trade."}
{"id": "own", "published": "2019-07-01", "url": "https://news.example/world/2021/03/09/other", "text": "Chilean Foreign Minister Rosa Vidal met Peruvian President Luis Castro in Lima to discuss fisheries."}
"#;

/// Each record's id, publication date and the (date, date_source) of its
/// events.
type Dated = (
    String,
    Option<String>,
    Vec<(Option<String>, Option<String>)>,
);

fn dated(out: &Output) -> Vec<Dated> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    text.lines()
        .map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |v: &serde_json::Value| v.as_str().map(String::from);
            let events: Vec<_> = r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (s(&e["date"]), s(&e["date_source"])))
                .collect();
            assert!(!events.is_empty(), "{} codes no event", r["doc_id"]);
            (
                r["doc_id"].as_str().unwrap().to_string(),
                s(&r["meta"]["published"]),
                events,
            )
        })
        .collect()
}

fn day(d: &str) -> Option<String> {
    Some(d.to_string())
}

#[test]
fn code_published_dates_undated_documents_and_marks_them_as_a_default() {
    let out = annalist(
        &[
            "code",
            "--format",
            "jsonl",
            "--published",
            "2020-02-29",
            "-",
        ],
        Some(CORPUS.as_bytes()),
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{log}");
    let records = dated(&out);
    assert_eq!(records.len(), 3, "{log}");
    let (id, published, events) = &records[0];
    assert_eq!((id.as_str(), published), ("nodate", &day("2020-02-29")));
    for e in events {
        assert_eq!(e, &(day("2020-02-29"), day("default")), "{id}");
    }
    // The URL's own date wins over the default.
    let (id, published, events) = &records[1];
    assert_eq!((id.as_str(), published), ("urldate", &day("2021-03-09")));
    for e in events {
        assert_eq!(e, &(day("2021-03-09"), day("url")), "{id}");
    }
    // A date of the document's own wins over both.
    let (id, published, events) = &records[2];
    assert_eq!((id.as_str(), published), ("own", &day("2019-07-01")));
    for e in events {
        assert_eq!(e, &(day("2019-07-01"), day("published")), "{id}");
    }
}

#[test]
fn code_without_published_leaves_an_undated_document_undated() {
    let out = annalist(&["code", "--format", "jsonl", "-"], Some(CORPUS.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let records = dated(&out);
    let (_, published, events) = &records[0];
    assert_eq!(published, &None);
    for e in events {
        assert_eq!(e, &(None, None));
    }
    for e in &records[1].2 {
        assert_eq!(e, &(day("2021-03-09"), day("url")));
    }
}

#[test]
fn code_refuses_a_published_value_that_is_not_a_day() {
    for bad in ["last week", "2022-13-01", "2022-05"] {
        let out = annalist(
            &["code", "--published", bad, "-"],
            Some(b"Iran met Tajikistan."),
        );
        let log = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {log}");
        assert!(
            log.contains("--published") && log.contains("hint"),
            "{bad}: {log}"
        );
        assert!(out.stdout.is_empty(), "{bad}: nothing is coded");
    }
}
