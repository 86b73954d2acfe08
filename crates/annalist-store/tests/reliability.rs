//! Issue 20: reliability of the store under the conditions researchers hit:
//! processes racing to create a database, files that are not ours, folders
//! they cannot write to, and filter values that look like SQL or FTS syntax.

mod common;

use annalist_store::{Filter, Store, StoreError, Unit};
use common::{article, Ev};

#[test]
fn two_ingests_creating_one_new_database_both_succeed() {
    // Each round starts from a database that does not exist yet; every
    // opener must wait its turn for the locks instead of failing.
    for round in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|k| {
                let db = db.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut s = Store::open(&db)?;
                    let rec = article(
                        &format!("r{round}-{k}"),
                        "Wire",
                        "2022-05-17",
                        &[&format!(
                            "Iran met Tajikistan in round {round}, opener {k}."
                        )],
                        vec![Ev::new("CONSULT", "040", "met")],
                    );
                    s.ingest(&[rec])?;
                    Store::open_read_only(&db).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join().unwrap() {
                panic!("round {round}: an opener failed: {e}");
            }
        }
        let s = Store::open_read_only(&db).unwrap();
        assert_eq!(s.stats().unwrap().documents, 4);
        assert_eq!(
            s.schema_version().unwrap(),
            annalist_store::schema::latest()
        );
    }
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db)
        .err()
        .expect("a foreign database is refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("not an annalist store"), "{err}");
    assert!(Store::open_read_only(&db).is_err());
    // Not switched to WAL, no files left beside it, not a byte changed.
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["notes.sqlite".to_string()]);
    let c = rusqlite::Connection::open(&db).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.csv");
    std::fs::write(&db, "story,date\n1,2022-05-17\n".repeat(200)).unwrap();
    let err = Store::open(&db).err().expect("refused");
    assert!(err.to_string().contains("hint"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_database_in_a_read_only_folder_can_still_be_queried() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("events.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.ingest(&[article(
            "a",
            "Wire",
            "2022-05-17",
            &["Iran met Tajikistan."],
            vec![Ev::new("CONSULT", "040", "met")],
        )])
        .unwrap();
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result =
        Store::open_read_only(&db).and_then(|s| s.count(&Filter::default(), Unit::Stories));
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(result.unwrap(), 1);
}

fn sample() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&[
        article(
            "a",
            "Wire",
            "2022-05-17",
            &["Iran met Tajikistan."],
            vec![Ev::new("CONSULT", "040", "met")],
        ),
        article(
            "b",
            "Wire",
            "2022-05-18",
            &["100% of Kenya_Group praised Ethiopia."],
            vec![Ev {
                src: ("100% Kenya_Group", Some("KEN"), "GOV"),
                tgt: Some(("Ethiopia", Some("ETH"), "GOV")),
                ..Ev::new("SUPPORT", "051", "praised")
            }],
        ),
    ])
    .unwrap();
    s
}

#[test]
fn like_wildcards_in_name_filters_are_taken_literally() {
    let s = sample();
    let count = |name: &str| {
        s.count(
            &Filter {
                actor_name: Some(name.into()),
                ..Filter::default()
            },
            Unit::Reports,
        )
        .unwrap()
    };
    assert_eq!(count("%"), 1, "only the name with a % in it");
    assert_eq!(count("_"), 1, "only the name with an _ in it");
    assert_eq!(count("Kenya_Group"), 1);
    assert_eq!(count("Kenya%Group"), 0);
    assert_eq!(count("ira"), 1, "still a case-insensitive substring match");
    let place = s
        .count(
            &Filter {
                place: Some("%".into()),
                ..Filter::default()
            },
            Unit::Reports,
        )
        .unwrap();
    assert_eq!(place, 0);
}

#[test]
fn a_nul_in_full_text_filters_is_not_a_store_error() {
    let s = sample();
    for text in ["\0", "Iran\0", "\0\0 \u{1}"] {
        let r = s.count(
            &Filter {
                text: Some(text.into()),
                ..Filter::default()
            },
            Unit::Stories,
        );
        match r {
            Ok(_) | Err(StoreError::Query(_)) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
        match s.search(text, 10) {
            Ok(_) | Err(StoreError::Query(_)) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
    let hits = s
        .count(
            &Filter {
                text: Some("Iran\0".into()),
                ..Filter::default()
            },
            Unit::Stories,
        )
        .unwrap();
    assert_eq!(hits, 1);
}

#[test]
fn country_filters_take_names_and_demonyms_as_well_as_codes() {
    let s = sample();
    let count = |c: &str| {
        s.count(
            &Filter {
                actor_country: Some(c.into()),
                ..Filter::default()
            },
            Unit::Stories,
        )
    };
    for v in [
        "IRN",
        "irn",
        "Iran",
        "iran",
        "Iranian",
        "Islamic Republic of Iran",
    ] {
        assert_eq!(count(v).unwrap(), 1, "{v}");
    }
    // A real country with no events is an honest zero.
    assert_eq!(count("France").unwrap(), 0);
    assert_eq!(count("IGO").unwrap(), 0);
    for v in ["Narnia", "XQZ", "%"] {
        match count(v) {
            Err(StoreError::Query(m)) => {
                assert!(m.contains("hint"), "{m}");
                assert!(m.contains(v), "{m}");
            }
            other => panic!("{v}: {other:?}"),
        }
    }
    let place = s.count(
        &Filter {
            place_country: Some("Tajik".into()),
            target_country: Some("tajikistan".into()),
            ..Filter::default()
        },
        Unit::Stories,
    );
    assert_eq!(place.unwrap(), 0, "no event has a place, but both resolve");
}
