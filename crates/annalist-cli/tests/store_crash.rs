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
