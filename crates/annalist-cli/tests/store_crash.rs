//! Issue 8: `annalist ingest` killed with SIGKILL mid-run, then run again,
//! stores every document exactly once.

use annalist_store::Store;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DOCS: usize = 3000;

/// A fresh scratch folder, removed when dropped (the CLI crate has no
/// tempfile dependency, and this is all the tests need of one).
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("annalist-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A corpus of small made-up articles, each different, as JSON Lines.
fn write_corpus(path: &Path) {
    let places = [
        "Dushanbe", "Tehran", "Kabul", "Baku", "Ankara", "Muscat", "Doha",
    ];
    let verbs = [
        "met",
        "criticised",
        "praised",
        "visited",
        "called",
        "thanked",
    ];
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..DOCS {
        let p = places[i % places.len()];
        let q = places[(i / 7) % places.len()];
        let v = verbs[i % verbs.len()];
        let mut text = format!("{p} – Officials from {p} {v} a delegation from {q} on day {i}.");
        for k in 0..12 {
            text.push_str(&format!(
                " Paragraph {k} of report {i} says the talks in {p} covered trade, water and roads."
            ));
        }
        let line = serde_json::json!({
            "id": format!("gen-{i:05}"),
            "text": text,
            "published": format!("2022-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        });
        writeln!(f, "{line}").unwrap();
    }
}

fn documents(db: &Path) -> Option<u64> {
    Store::open_read_only(db)
        .ok()?
        .stats()
        .ok()
        .map(|s| s.documents)
}

fn ingest(db: &Path, corpus: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.arg("ingest")
        .arg("--db")
        .arg(db)
        .args(["--batch", "25", "--quiet"])
        .arg(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn issue8_killed_ingest_resumes_with_every_document_once() {
    let dir = Scratch::new("crash");
    let corpus = dir.path().join("corpus.jsonl");
    let db = dir.path().join("store.db");
    write_corpus(&corpus);

    // Kill the first run as soon as some batches are committed.
    let mut child = ingest(&db, &corpus).spawn().unwrap();
    let start = Instant::now();
    let mut seen = 0;
    while start.elapsed() < Duration::from_secs(120) {
        seen = documents(&db).unwrap_or(0);
        if seen > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on Unix: no chance to clean up.
    child.wait().unwrap();
    assert!(seen > 0, "the first run stored nothing within two minutes");
    let after_kill = documents(&db).unwrap();
    assert!(
        still_running,
        "the first run ended before it could be killed"
    );
    assert!(
        after_kill < DOCS as u64,
        "killed too late: {after_kill} documents"
    );
    assert!(
        after_kill.is_multiple_of(25),
        "a partial batch was committed: {after_kill}"
    );

    // Run again: it completes the store and codes only what is missing.
    let out = ingest(&db, &corpus).output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains(&format!("{after_kill} already stored")),
        "{log}"
    );
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.stats().unwrap().documents, DOCS as u64);
    assert!(store.check_integrity().unwrap().is_empty());
    for i in [0, 1, DOCS / 2, DOCS - 1] {
        let rec = store.record(&format!("gen-{i:05}")).unwrap().unwrap();
        assert!(rec.text.contains(&format!("day {i}.")));
    }

    // And once more: nothing new.
    let out = ingest(&db, &corpus).output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains(&format!("ingested 0 new documents ({DOCS} already stored")),
        "{log}"
    );
    assert_eq!(store.stats().unwrap().documents, DOCS as u64);
}

#[test]
fn query_and_export_read_an_ingested_store() {
    let dir = Scratch::new("query");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\": \"a\", \"text\": \"Tajik and Iranian officials met in Dushanbe about drones.\"}\n\
         {\"id\": \"b\", \"text\": \"A quiet day in Baku.\"}\n",
    )
    .unwrap();
    let db = dir.path().join("s.db");
    let bin = env!("CARGO_BIN_EXE_annalist");
    let ok = Command::new(bin)
        .args(["ingest", "--quiet", "--db"])
        .arg(&db)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for args in [
        vec!["query", "--count-by", "month", "--format", "csv"],
        vec!["query", "--type", "CONSULT", "--format", "jsonl"],
        vec!["export", "--format", "gdelt-events"],
        vec!["export", "--format", "plover", "--reports"],
    ] {
        let out = Command::new(bin)
            .args(&args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A bad date is a usage error with a hint, not a crash.
    let out = Command::new(bin)
        .args(["query", "--from", "soon", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hint:"));
    // A missing database says how to make one.
    let out = Command::new(bin)
        .args(["query", "--db"])
        .arg(dir.path().join("none.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("annalist ingest"));
}

/// Runs `annalist ARGS --db DB` and returns its exit code and standard error.
fn annalist_on(db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn ingest_stops_with_the_cause_when_a_store_write_fails_mid_run() {
    let dir = Scratch::new("write-fails");
    let corpus = dir.path().join("corpus.jsonl");
    let db = dir.path().join("store.db");
    write_corpus(&corpus);
    // A store whose writes start failing after two batches, the way a full
    // disk or a lost lock fails a write in the middle of a run.
    Store::open(&db)
        .unwrap()
        .raw_connection()
        .execute_batch(
            "CREATE TRIGGER fail_after_fifty BEFORE INSERT ON documents
             WHEN (SELECT COUNT(*) FROM documents) >= 50
             BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;",
        )
        .unwrap();
    let mut child = ingest(&db, &corpus).spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(180) {
            child.kill().unwrap();
            panic!("ingest hung after a failed store write");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert_eq!(status.code(), Some(2), "{log}");
    assert!(log.contains("disk is full"), "the cause is named: {log}");
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.stats().unwrap().documents, 50, "{log}");
    assert!(store.check_integrity().unwrap().is_empty());
    for i in [0, 49] {
        assert!(store.record(&format!("gen-{i:05}")).unwrap().is_some());
    }
}

#[test]
fn two_ingests_racing_to_create_a_database_both_succeed() {
    let dir = Scratch::new("race");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\": \"a\", \"text\": \"Tajik and Iranian officials met in Dushanbe.\", \"published\": \"2022-05-17\"}\n",
    )
    .unwrap();
    for round in 0..3 {
        let db = dir.path().join(format!("new-{round}.db"));
        let children: Vec<_> = (0..2)
            .map(|_| ingest(&db, &corpus).spawn().unwrap())
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(documents(&db), Some(1));
    }
}

/// Articles in our own words: one with no date anywhere, one dated only by
/// its URL path; each states a meeting so that it codes an event.
const UNDATED: &str = r#"{"id": "nodate", "text": "Iranian Foreign Minister Hossein Amir-Abdollahian met Tajik President Emomali Rahmon in Dushanbe to discuss border security."}
{"id": "urldate", "url": "https://news.example/world/2021/03/09/talks", "text": "Kenyan Foreign Minister Daniel Otieno met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa to discuss trade."}
"#;

fn event_dates(db: &Path, doc_id: &str) -> Vec<(Option<String>, Option<String>)> {
    let store = Store::open_read_only(db).unwrap();
    let rec = store.record(doc_id).unwrap().unwrap();
    assert!(!rec.events.is_empty(), "{doc_id} codes no event");
    rec.events
        .iter()
        .map(|e| (e.date.clone(), e.date_source.clone()))
        .collect()
}

#[test]
fn undated_documents_keep_no_date_through_ingest_and_export() {
    let dir = Scratch::new("undated");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, UNDATED).unwrap();
    let db = dir.path().join("s.db");
    let (code, _, log) = annalist_on(&db, &["ingest", "--quiet", corpus.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{log}");
    // One warning, with the count and the ways to give a date.
    assert_eq!(log.matches("no publication date").count(), 1, "{log}");
    assert!(
        log.contains("1 new document has no publication date"),
        "{log}"
    );
    for way in ["`published`", "url path", "--published", "WARC"] {
        assert!(log.contains(way), "{way}: {log}");
    }
    for (date, source) in event_dates(&db, "nodate") {
        assert_eq!((date, source), (None, None));
    }
    for (date, source) in event_dates(&db, "urldate") {
        assert_eq!(date.as_deref(), Some("2021-03-09"));
        assert_eq!(source.as_deref(), Some("url"));
    }

    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = annalist_store::dates::iso(secs.div_euclid(86_400));
    let today8 = today.replace('-', "");

    // GDELT leaves the undated story event out and says so.
    let (code, tsv, log) = annalist_on(&db, &["export", "--format", "gdelt-events"]);
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("left out") && log.contains("no known date"),
        "{log}"
    );
    for line in tsv.lines() {
        let day = line.split('\t').nth(1).unwrap();
        assert_eq!(day, "20210309", "{line}");
    }
    let (_, tsv, _) = annalist_on(
        &db,
        &["export", "--format", "gdelt-events", "--undated", "include"],
    );
    assert!(
        tsv.lines().any(|l| l.split('\t').nth(1) == Some("")),
        "{tsv}"
    );
    for line in tsv.lines() {
        assert_ne!(line.split('\t').nth(1), Some(today8.as_str()), "{line}");
    }
    for args in [
        vec!["export", "--format", "plover"],
        vec!["export", "--format", "plover", "--reports"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "csv", "--reports"],
        vec!["query", "--format", "jsonl"],
        vec!["query", "--format", "csv", "--reports"],
    ] {
        let (code, out, log) = annalist_on(&db, &args);
        assert_eq!(code, Some(0), "{args:?}: {log}");
        assert!(!out.contains(&today), "{args:?} shows today: {out}");
        assert!(out.lines().count() >= 2, "{args:?}: {out}");
    }
}

#[test]
fn published_flag_dates_a_batch_and_is_marked_as_a_default() {
    let dir = Scratch::new("published-flag");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, UNDATED).unwrap();
    let db = dir.path().join("s.db");
    let (code, _, log) = annalist_on(
        &db,
        &[
            "ingest",
            "--quiet",
            "--published",
            "2020-02-29",
            corpus.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains("no publication date"), "{log}");
    for (date, source) in event_dates(&db, "nodate") {
        assert_eq!(date.as_deref(), Some("2020-02-29"));
        assert_eq!(source.as_deref(), Some("default"));
    }
    // The URL's own date wins over the batch default.
    for (date, source) in event_dates(&db, "urldate") {
        assert_eq!(date.as_deref(), Some("2021-03-09"));
        assert_eq!(source.as_deref(), Some("url"));
    }
    let (code, _, log) = annalist_on(&db, &["ingest", "--published", "last week", "-"]);
    assert_eq!(code, Some(2), "{log}");
    assert!(log.contains("--published") && log.contains("hint"), "{log}");
}

#[test]
fn actor_country_takes_names_and_refuses_unknown_values() {
    let dir = Scratch::new("country");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, UNDATED).unwrap();
    let db = dir.path().join("s.db");
    let (code, _, log) = annalist_on(&db, &["ingest", "--quiet", corpus.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{log}");
    let rows = |c: &str| {
        let (code, out, log) = annalist_on(
            &db,
            &[
                "query",
                "--format",
                "jsonl",
                "--either-order",
                "--actor-country",
                c,
            ],
        );
        assert_eq!(code, Some(0), "{c}: {log}");
        out.lines().count()
    };
    let by_code = rows("IRN");
    assert!(by_code > 0);
    assert_eq!(rows("iran"), by_code);
    assert_eq!(rows("Iranian"), by_code);
    let (code, _, log) = annalist_on(&db, &["query", "--actor-country", "Narnia"]);
    assert_eq!(code, Some(2), "{log}");
    assert!(log.contains("Narnia") && log.contains("hint"), "{log}");
}
