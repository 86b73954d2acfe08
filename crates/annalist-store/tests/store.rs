//! Acceptance tests of issue 8 on synthetic records.

mod common;

use annalist_store::export::{
    validate_plover, validate_tsv_line, ExportFormat, GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS,
};
use annalist_store::format::{write_counts, write_rows, Format};
use annalist_store::{schema, CountBy, CountRow, Filter, Store, StoreError, Unit};
use common::*;

const NOW: i64 = 1_653_000_000;

fn store_with(records: &[annalist_doc::Record]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest_at(records, NOW).unwrap();
    s
}

#[test]
fn issue8_five_reports_make_one_story_event() {
    let store = store_with(&five_reports());
    let stories = store.stories(&Filter::default(), None).unwrap();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    let s = &stories[0];
    assert_eq!(s.num_articles, 5);
    assert_eq!(s.num_mentions, 5);
    // "Wire One" reported it twice.
    assert_eq!(s.num_sources, 4);
    assert_eq!(s.date.as_deref(), Some("2022-05-16"));
    assert_eq!(s.place.as_deref(), Some("Kandahar"));
    assert_eq!(store.count(&Filter::default(), Unit::Stories).unwrap(), 1);
    assert_eq!(store.count(&Filter::default(), Unit::Reports).unwrap(), 5);
}

#[test]
fn issue8_five_reports_link_in_any_order() {
    let reports = five_reports();
    for shift in 0..reports.len() {
        let mut r = reports.clone();
        r.rotate_left(shift);
        let store = store_with(&r);
        let stories = store.stories(&Filter::default(), None).unwrap();
        assert_eq!(stories.len(), 1, "rotation {shift}: {stories:#?}");
        assert_eq!(stories[0].num_articles, 5);
    }
}

#[test]
fn issue8_different_events_on_the_same_day_stay_two() {
    let day = "2022-05-16";
    let mut consult_a = Ev::new("CONSULT", "040", "held talks");
    consult_a.place = Some(place("Dushanbe", "TJK", 38.54, 68.78));
    let mut consult_b = Ev::new("CONSULT", "040", "met");
    consult_b.place = Some(place("Tehran", "IRN", 35.69, 51.42));
    let agree_a = Ev::new("AGREE", "057", "signed");
    let agree_b = Ev::new("AGREE", "057", "agreed");
    let records = vec![
        article(
            "d1",
            "Kabul Daily",
            day,
            &["Iranian and Tajik defence ministers held talks in Dushanbe on military cooperation and drone production."],
            vec![consult_a],
        ),
        article(
            "d2",
            "Herald",
            day,
            &["Iran's foreign minister met the Tajik ambassador in Tehran to discuss cotton exports and railway tariffs."],
            vec![consult_b],
        ),
        article(
            "d3",
            "Wire One",
            day,
            &["Iran and Tajikistan signed a contract for building a hydroelectric dam on the Zarafshan river."],
            vec![agree_a],
        ),
        article(
            "d4",
            "Paris Evening",
            day,
            &["Iran and Tajikistan agreed to waive visa fees for university students and pilgrims."],
            vec![agree_b],
        ),
    ];
    let mut all = records.clone();
    all.extend(five_reports());
    let store = store_with(&all);
    let stories = store.stories(&Filter::default(), None).unwrap();
    let kinds: Vec<(&str, i64)> = stories
        .iter()
        .map(|s| (s.kind.as_str(), s.num_articles))
        .collect();
    assert_eq!(stories.len(), 5, "{kinds:?}");
    assert_eq!(
        store
            .count(
                &Filter {
                    kind: Some("consult".into()),
                    ..Filter::default()
                },
                Unit::Stories
            )
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .count(
                &Filter {
                    kind: Some("AGREE".into()),
                    ..Filter::default()
                },
                Unit::Stories
            )
            .unwrap(),
        2
    );
}

#[test]
fn symmetric_types_match_either_order() {
    let mut a = Ev::new("CONSULT", "040", "held talks");
    a.place = Some(place("Dushanbe", "TJK", 38.54, 68.78));
    let mut b = Ev::new("CONSULT", "040", "talks");
    b.src = ("Tajikistan", Some("TJK"), "GOV");
    b.tgt = Some(("Iran", Some("IRN"), "GOV"));
    let store = store_with(&[
        article("s1", "Herald", "2022-05-16", &["Iranian and Tajik defence ministers held talks in Dushanbe on drone production."], vec![a]),
        article("s2", "Wire One", "2022-05-17", &["Tajikistan's defence minister and his Iranian guest continued talks on drone production in Dushanbe."], vec![b]),
    ]);
    let stories = store.stories(&Filter::default(), None).unwrap();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    assert_eq!(stories[0].num_articles, 2);
    // A directed type keeps the two directions apart.
    let mut c = Ev::new("ACCUSE", "112", "accused");
    c.src = ("Tajikistan", Some("TJK"), "GOV");
    c.tgt = Some(("Iran", Some("IRN"), "GOV"));
    let d = Ev::new("ACCUSE", "112", "accused");
    let store = store_with(&[
        article(
            "a1",
            "Herald",
            "2022-05-16",
            &["Tajikistan accused Iran of arming rebels near the border."],
            vec![c],
        ),
        article(
            "a2",
            "Herald",
            "2022-05-16",
            &["Iran accused Tajikistan of arming rebels near the border."],
            vec![d],
        ),
    ]);
    assert_eq!(store.count(&Filter::default(), Unit::Stories).unwrap(), 2);
}

#[test]
fn stories_without_a_signature_compare_with_their_reports() {
    // Story events stored before schema version 3 have no signature of their
    // own; a new report is then compared with each of their reports.
    let mut reports = five_reports();
    let last = reports.pop().unwrap();
    let mut store = store_with(&reports);
    store
        .raw_connection()
        .execute("UPDATE stories SET sig = NULL", [])
        .unwrap();
    store.ingest_at(&[last], NOW).unwrap();
    let stories = store.stories(&Filter::default(), None).unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].num_articles, 5);
}

#[test]
fn undated_reports_are_never_merged() {
    let mut recs = five_reports();
    for r in &mut recs {
        r.meta.published = None;
        for e in &mut r.events {
            e.date = None;
        }
    }
    let store = store_with(&recs);
    assert_eq!(store.count(&Filter::default(), Unit::Stories).unwrap(), 5);
}

#[test]
fn issue8_reingest_changes_nothing() {
    let mut store = store_with(&five_reports());
    let before = store.stats().unwrap();
    let again = store.ingest_at(&five_reports(), NOW + 10).unwrap();
    assert_eq!(again.documents, 0);
    assert_eq!(again.skipped, 5);
    assert_eq!(again.reports, 0);
    // The same text under another id is the same document.
    let mut renamed = five_reports().remove(0);
    renamed.doc_id = "k1-copy".into();
    let r = store.ingest_at(&[renamed], NOW + 20).unwrap();
    assert_eq!((r.documents, r.skipped), (0, 1));
    assert_eq!(store.stats().unwrap(), before);
    assert_eq!(before.documents, 5);
    assert_eq!(before.story_events, 1);
}

#[test]
fn records_come_back_unchanged_and_failures_are_not_stored() {
    let reports = five_reports();
    let mut store = store_with(&reports);
    assert_eq!(store.record("k3").unwrap().as_ref(), Some(&reports[2]));
    assert_eq!(store.record("nope").unwrap(), None);
    let failed = annalist_doc::Record::failed("bad:1", "invalid_json", "bad:1: not json");
    let empty_a = plain("e1", "");
    let empty_b = plain("e2", "");
    let s = store.ingest_at(&[failed, empty_a, empty_b], NOW).unwrap();
    // Two empty texts are two documents: no text hash ties them together.
    assert_eq!((s.failed, s.documents), (1, 2));
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn issue8_migrations_from_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::latest());
        assert_eq!(store.stats().unwrap().documents, 0);
    }
    // Opening again applies nothing and keeps the data.
    {
        let mut store = Store::open(&path).unwrap();
        store.ingest_at(&five_reports(), NOW).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().documents, 5);

    // A database at version 1 is upgraded with its rows intact.
    let old = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        assert_eq!(schema::migrate_to(&mut conn, 1).unwrap(), 1);
        conn.execute(
            "INSERT INTO documents (doc_id, source, language, n_chars, n_events, record, ingested_at)
             VALUES ('x', 'unknown', 'en', 0, 0, x'', 0)",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::latest());
    assert_eq!(store.stats().unwrap().documents, 1);
    assert!(Store::open_read_only(&old).is_ok());

    // A newer database is refused with a hint.
    let newer = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&newer).err().unwrap();
    assert!(matches!(err, StoreError::Newer { found: 99, .. }));
    assert!(err.to_string().contains("hint:"), "{err}");
}

fn sample_store() -> Store {
    let mut a = Ev::new("CONSULT", "042", "visited");
    a.place = Some(place("Dushanbe", "TJK", 38.54, 68.78));
    let mut b = Ev::new("SANCTION", "163", "banned");
    b.src = ("Tajikistan", Some("TJK"), "GOV");
    b.tgt = Some(("Iranian traders", Some("IRN"), "BUS"));
    let mut c = Ev::new("ASSAULT", "190", "shelled");
    c.src = ("border guards", Some("TJK"), "MIL");
    c.tgt = Some(("smugglers", None, "CRM"));
    c.date = Some("2022-06-02");
    let mut d = Ev::new("CONSULT", "040", "phoned");
    d.modality = "future";
    let mut recs = vec![
        article(
            "q1",
            "Herald",
            "2022-05-16",
            &[
                "Iran's president visited Dushanbe for talks on drone production.",
                "Tajikistan banned imports by Iranian traders of used cars.",
            ],
            vec![a, b],
        ),
        article(
            "q2",
            "Wire One",
            "2022-05-30",
            &[
                "Tajik border guards shelled a smugglers' camp near the Afghan border.",
                "Iran's minister will phone his Tajik counterpart.",
            ],
            vec![c, d],
        ),
    ];
    recs.extend(five_reports());
    store_with(&recs)
}

fn render<T: annalist_store::format::Tabular>(rows: &[T], f: Format) -> String {
    let mut out = Vec::new();
    write_rows(&mut out, f, rows).unwrap();
    String::from_utf8(out).unwrap()
}

fn counts(store: &Store, filter: &Filter, unit: Unit, by: CountBy, f: Format) -> String {
    let mut out = Vec::new();
    write_counts(&mut out, f, by, &store.count_by(filter, unit, by).unwrap()).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn issue8_query_filters_and_formats() {
    let store = sample_store();
    let all = store.stories(&Filter::default(), None).unwrap();
    insta::assert_snapshot!("stories_table", render(&all, Format::Table));
    insta::assert_snapshot!("stories_csv", render(&all, Format::Csv));

    let dyad = Filter {
        actor_country: Some("irn".into()),
        target_country: Some("TJK".into()),
        ..Filter::default()
    };
    let ids = |f: &Filter| -> Vec<String> {
        store
            .stories(f, None)
            .unwrap()
            .into_iter()
            .map(|s| s.kind)
            .collect()
    };
    assert_eq!(ids(&dyad), ["CONSULT", "CONSULT"]);
    assert_eq!(
        ids(&Filter {
            either_order: true,
            ..dyad.clone()
        }),
        ["CONSULT", "SANCTION", "CONSULT"]
    );
    assert_eq!(
        ids(&Filter {
            modality: Some("future".into()),
            ..dyad.clone()
        }),
        ["CONSULT"]
    );
    assert_eq!(
        ids(&Filter {
            cameo: Some("04".into()),
            ..Filter::default()
        }),
        ["CONSULT", "CONSULT"]
    );
    assert_eq!(
        ids(&Filter {
            cameo: Some("042".into()),
            ..Filter::default()
        }),
        ["CONSULT"]
    );
    assert_eq!(
        ids(&Filter {
            place: Some("dushanbe".into()),
            ..Filter::default()
        }),
        ["CONSULT"]
    );
    assert_eq!(
        ids(&Filter {
            place_country: Some("AFG".into()),
            ..Filter::default()
        }),
        ["COERCE"]
    );
    assert_eq!(
        ids(&Filter {
            actor_sector: Some("MIL".into()),
            ..Filter::default()
        }),
        ["ASSAULT"]
    );
    assert_eq!(
        ids(&Filter {
            target_name: Some("trader".into()),
            ..Filter::default()
        }),
        ["SANCTION"]
    );
    assert_eq!(
        ids(&Filter {
            from: Some("2022-05-18".into()),
            to: Some("2022-06-30".into()),
            ..Filter::default()
        }),
        ["CONSULT", "ASSAULT"]
    );
    assert_eq!(
        ids(&Filter {
            text: Some("smugglers camp".into()),
            ..Filter::default()
        }),
        ["CONSULT", "ASSAULT"]
    );
    assert!(ids(&Filter {
        text: Some("zeppelin".into()),
        ..Filter::default()
    })
    .is_empty());

    let reports = store
        .reports(
            &Filter {
                kind: Some("COERCE".into()),
                ..Filter::default()
            },
            Some(3),
        )
        .unwrap();
    insta::assert_snapshot!("reports_table", render(&reports, Format::Table));
    let jsonl = render(&reports[..1], Format::Jsonl);
    let v: serde_json::Value = serde_json::from_str(jsonl.trim()).unwrap();
    assert_eq!(v["type"], "COERCE");

    let bad = Filter {
        from: Some("May 5".into()),
        ..Filter::default()
    };
    let err = store.stories(&bad, None).err().unwrap().to_string();
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn issue8_aggregates_count_story_events_or_reports() {
    let store = sample_store();
    let none = Filter::default();
    insta::assert_snapshot!(
        "counts",
        [
            counts(&store, &none, Unit::Stories, CountBy::Day, Format::Table),
            counts(&store, &none, Unit::Reports, CountBy::Day, Format::Csv),
            counts(&store, &none, Unit::Stories, CountBy::Week, Format::Csv),
            counts(&store, &none, Unit::Stories, CountBy::Month, Format::Csv),
            counts(&store, &none, Unit::Stories, CountBy::Dyad, Format::Table),
            counts(&store, &none, Unit::Reports, CountBy::Type, Format::Csv),
            counts(
                &store,
                &Filter {
                    kind: Some("COERCE".into()),
                    ..none.clone()
                },
                Unit::Stories,
                CountBy::Type,
                Format::Jsonl
            ),
        ]
        .join("\n")
    );
}

#[test]
fn filtered_story_counts_by_date_use_the_first_matching_report() {
    let store = sample_store();
    let coerce = Filter {
        kind: Some("COERCE".into()),
        ..Filter::default()
    };
    let rows = store
        .count_by(&coerce, Unit::Stories, CountBy::Day)
        .unwrap();
    assert_eq!(
        rows,
        [CountRow {
            key: vec!["2022-05-16".into()],
            count: 1
        }]
    );
    // The one report dated the 17th puts the story on the 17th when the
    // range starts there.
    let later = Filter {
        from: Some("2022-05-17".into()),
        ..coerce
    };
    let rows = store.count_by(&later, Unit::Stories, CountBy::Day).unwrap();
    assert_eq!(
        rows,
        [CountRow {
            key: vec!["2022-05-17".into()],
            count: 1
        }]
    );
}

#[test]
fn issue8_full_text_search() {
    let store = sample_store();
    assert_eq!(store.search("kandahar humanitarian", 10).unwrap(), ["k2"]);
    let mut hits = store.search("Kandahar", 10).unwrap();
    hits.sort();
    assert_eq!(hits, ["k1", "k2", "k3", "k4", "k5"]);
    // FTS5 operators in user text are taken literally, not as syntax.
    assert!(store.search("\"drone AND (", 10).unwrap().is_empty());
    assert!(store.search("   ", 10).is_err());
}

fn export(store: &Store, unit: Unit, f: ExportFormat) -> String {
    let mut out = Vec::new();
    store.export(&Filter::default(), unit, f, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn issue8_exports_validate_against_their_specs() {
    let store = sample_store();
    assert_eq!(GDELT_EVENT_COLUMNS.len(), 61);
    assert_eq!(GDELT_MENTION_COLUMNS.len(), 16);
    assert_eq!(GDELT_EVENT_COLUMNS[0].name, "GlobalEventID");
    assert_eq!(GDELT_EVENT_COLUMNS[34].name, "AvgTone");
    assert_eq!(GDELT_EVENT_COLUMNS[35].name, "Actor1Geo_Type");
    assert_eq!(GDELT_EVENT_COLUMNS[51].name, "ActionGeo_Type");
    assert_eq!(GDELT_EVENT_COLUMNS[60].name, "SOURCEURL");

    let events = export(&store, Unit::Stories, ExportFormat::GdeltEvents);
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(
        lines.len(),
        store.count(&Filter::default(), Unit::Stories).unwrap() as usize
    );
    for l in &lines {
        validate_tsv_line(&GDELT_EVENT_COLUMNS, l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }
    let kidnap: Vec<&str> = lines
        .iter()
        .find(|l| l.contains("\t181\t"))
        .unwrap()
        .split('\t')
        .collect();
    // NumMentions, NumSources, NumArticles of the five-report story event.
    assert_eq!(&kidnap[31..34], ["5", "4", "5"]);
    assert_eq!(kidnap[1], "20220516");
    assert_eq!(kidnap[26..30], ["181", "181", "18", "4"]);
    assert_eq!(kidnap[51], "4");
    insta::assert_snapshot!("gdelt_event_line", kidnap.join("|"));

    let mentions = export(&store, Unit::Stories, ExportFormat::GdeltMentions);
    assert_eq!(
        mentions.lines().count(),
        store.count(&Filter::default(), Unit::Reports).unwrap() as usize
    );
    for l in mentions.lines() {
        validate_tsv_line(&GDELT_MENTION_COLUMNS, l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }

    for unit in [Unit::Stories, Unit::Reports] {
        let plover = export(&store, unit, ExportFormat::Plover);
        assert!(plover.lines().count() >= 5);
        for l in plover.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            validate_plover(&v).unwrap_or_else(|e| panic!("{e}: {l}"));
        }
    }
    let csv = export(&store, Unit::Stories, ExportFormat::Csv);
    assert!(csv.starts_with("story,date,date_last,type,"));
    assert_eq!(csv.lines().count(), 1 + lines.len());

    // The validator does catch what it is for.
    let short = lines[0].rsplit_once('\t').unwrap().0;
    assert!(validate_tsv_line(&GDELT_EVENT_COLUMNS, short).is_err());
    let bad_day = lines[0].replacen("\t2022", "\t2O22", 1);
    assert!(validate_tsv_line(&GDELT_EVENT_COLUMNS, &bad_day).is_err());
    assert!(validate_plover(
        &serde_json::json!({"id": "x", "date": "2022-01-01", "actor": [], "event": ["PARTY"]})
    )
    .is_err());
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "drone",
        "factory",
        "border",
        "talks",
        "pipeline",
        "embassy",
        "protest",
        "students",
        "sanctions",
        "oil",
        "railway",
        "envoy",
        "troops",
        "ceasefire",
        "prisoners",
        "visa",
    ];
    const SENTENCES: &[&str] = &[
        "Officials discussed drone factory plans near the border.",
        "Troops and envoy met over the ceasefire and prisoners.",
        "Students held a protest at the embassy about visa rules.",
        "Sanctions on oil and railway deals were announced.",
    ];

    /// Small random articles: one event each, drawn from few types, dyads,
    /// days and wordings, so that blocks collide often.
    fn articles() -> impl Strategy<Value = Vec<annalist_doc::Record>> {
        prop::collection::vec(
            (0..3usize, 0..2usize, 0..5usize, 0..4usize, 0..3usize),
            1..24,
        )
        .prop_map(|spec| {
            spec.into_iter()
                .enumerate()
                .map(|(i, (kind, dir, day, sent, outlet))| {
                    let (k, c) = [("CONSULT", "040"), ("ACCUSE", "112"), ("ASSAULT", "190")][kind];
                    let mut ev = Ev::new(k, c, WORDS[sent]);
                    if dir == 1 {
                        ev.src = ("Tajikistan", Some("TJK"), "GOV");
                        ev.tgt = Some(("Iran", Some("IRN"), "GOV"));
                    }
                    let date = [
                        "2022-05-10",
                        "2022-05-11",
                        "2022-05-12",
                        "2022-05-14",
                        "2022-05-20",
                    ][day];
                    article(
                        &format!("p{i}"),
                        ["Herald", "Wire One", "Kabul Daily"][outlet],
                        date,
                        &[&format!("{} Filed as item {i}.", SENTENCES[sent])],
                        vec![ev],
                    )
                })
                .collect()
        })
    }

    fn story_counts(store: &Store) -> Vec<(String, i64, i64, i64)> {
        store
            .stories(&Filter::default(), None)
            .unwrap()
            .into_iter()
            .map(|s| (s.kind, s.num_mentions, s.num_articles, s.num_sources))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn story_counts_are_consistent_and_reingest_is_a_no_op(recs in articles()) {
            let mut store = store_with(&recs);
            let stats = store.stats().unwrap();
            let stories = story_counts(&store);
            prop_assert_eq!(stats.reports as usize, recs.len());
            prop_assert_eq!(stories.iter().map(|s| s.1).sum::<i64>() as usize, recs.len());
            for (_, mentions, articles, sources) in &stories {
                prop_assert!(1 <= *sources && sources <= articles && articles <= mentions);
            }
            // Linking is deterministic, and a second ingest changes nothing.
            prop_assert_eq!(&story_counts(&store_with(&recs)), &stories);
            let again = store.ingest_at(&recs, NOW).unwrap();
            prop_assert_eq!(again.documents, 0);
            prop_assert_eq!(store.stats().unwrap(), stats);
        }
    }
}
