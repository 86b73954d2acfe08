//! Issue 19: what the web UI's views ask of the store (several types at
//! once, story size, map boxes, sorted pages, row details, the timeline by
//! quad class, the network with actors merged across case).

mod common;

use annalist_store::{Filter, SortKey, Store, Unit};
use common::*;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest_at(&five_reports(), 1_653_000_000).unwrap();
    s
}

#[test]
fn issue19_several_types_story_size_and_map_box_filter() {
    let s = store();
    let count = |f: Filter| s.count(&f, Unit::Stories).unwrap();
    let all = count(Filter::default());
    assert!(all > 0);
    let kinds = |k: &str| Filter {
        kind: Some(k.into()),
        ..Filter::default()
    };
    assert_eq!(count(kinds("coerce, assault")), all);
    assert_eq!(count(kinds("ASSAULT,PROTEST")), 0);
    let most = s
        .stories(&Filter::default(), None)
        .unwrap()
        .iter()
        .map(|r| r.num_articles)
        .max()
        .unwrap();
    let min = |n: u32| Filter {
        min_articles: Some(n),
        ..Filter::default()
    };
    assert!(count(min(most as u32)) > 0);
    assert_eq!(count(min(most as u32 + 1)), 0);
    assert_eq!(count(min(1)), all);
    let bbox = |b: &str| Filter {
        bbox: Some(b.into()),
        ..Filter::default()
    };
    assert!(count(bbox("65,31,66,32")) > 0, "Kandahar is in the box");
    assert_eq!(count(bbox("-10,35,5,45")), 0, "nothing in Spain");
    for bad in ["1,2,3", "a,b,c,d", "0,50,10,40", "0,0,200,10"] {
        let err = s.count(&bbox(bad), Unit::Stories).unwrap_err().to_string();
        assert!(err.contains("hint"), "{bad}: {err}");
    }
}

#[test]
fn issue19_sorted_pages_and_row_details() {
    let s = store();
    let rows = s
        .stories_sorted(&Filter::default(), SortKey::Articles, true, 0, 50)
        .unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .windows(2)
        .all(|w| w[0].num_articles >= w[1].num_articles));
    for (name, key) in SortKey::ALL {
        assert_eq!(SortKey::parse(name), Some(key));
        for unit in [Unit::Stories, Unit::Reports] {
            let n = match unit {
                Unit::Stories => s
                    .stories_sorted(&Filter::default(), key, false, 0, 10)
                    .unwrap()
                    .len(),
                Unit::Reports => s
                    .reports_sorted(&Filter::default(), key, true, 0, 10)
                    .unwrap()
                    .len(),
            };
            assert!(n > 0, "{name}");
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.story).collect();
    let details = s.row_details(Unit::Stories, &ids).unwrap();
    assert_eq!(details.len(), ids.len());
    assert!(details
        .iter()
        .all(|d| d.quad_class == Some(4) && d.confidence == Some(0.8)));
    assert!(s.row_details(Unit::Stories, &[]).unwrap().is_empty());
}

#[test]
fn issue19_timeline_counts_every_event_once_by_quad_class() {
    let s = store();
    for unit in [Unit::Stories, Unit::Reports] {
        for f in [
            Filter::default(),
            Filter {
                actor_country: Some("AFG".into()),
                ..Filter::default()
            },
        ] {
            let cells = s.timeline(&f, unit).unwrap();
            let total: u64 = cells.iter().map(|c| c.count).sum();
            assert_eq!(total, s.count(&f, unit).unwrap());
            assert!(cells.iter().all(|c| c.quad_class == Some(4)));
        }
    }
}

#[test]
fn issue19_actors_differing_only_in_case_are_one_node() {
    let mut s = Store::open_in_memory().unwrap();
    let ev = |src: &'static str| Ev {
        src: (src, None, "GOV"),
        tgt: Some(("Tajikistan", Some("TJK"), "GOV")),
        ..Ev::new("AGREE", "057", "signed")
    };
    let records = vec![
        article(
            "m1",
            "Paper A",
            "2022-01-10",
            &["The MoU was signed with Tajikistan in January."],
            vec![ev("MoU")],
        ),
        article(
            "m2",
            "Paper B",
            "2022-03-02",
            &["A new MOU was signed with Tajikistan in March."],
            vec![ev("MOU")],
        ),
        article(
            "m3",
            "Paper C",
            "2022-04-02",
            &["Tajikistan said Tajikistan signed a pact."],
            vec![Ev {
                src: ("Tajikistan", Some("TJK"), "GOV"),
                ..Ev::new("AGREE", "057", "signed")
            }],
        ),
    ];
    s.ingest_at(&records, 1_653_000_000).unwrap();
    let links = s
        .actor_links(&Filter::default(), Unit::Reports, 100)
        .unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].count, 2);
    assert!(links[0].source.eq_ignore_ascii_case("mou"));
    assert_eq!(links[0].cooperation, 2);
    assert_eq!(links[0].intensity, Some(1.0));
    let names = s.actor_names("mou", 10).unwrap();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(names[0].2, 2, "MoU and MOU are one name");
    assert!(s.actor_names("%", 10).unwrap().is_empty(), "% is literal");
    let types = s.type_quads().unwrap();
    assert_eq!(types, vec![("AGREE".to_string(), Some(1), 3)]);
}
