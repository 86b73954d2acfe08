//! Issue 9: the browsing views (paging, map points, network, documents).

mod common;

use annalist_store::{Filter, Store, Unit};
use common::*;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest_at(&five_reports(), 1_653_000_000).unwrap();
    s
}

#[test]
fn issue9_pages_agree_with_the_listing_whatever_the_plan() {
    let s = store();
    for filter in [
        Filter::default(),
        Filter {
            actor_country: Some("AFG".into()),
            ..Filter::default()
        },
        Filter {
            text: Some("Kandahar".into()),
            ..Filter::default()
        },
        Filter {
            target_country: Some("USA".into()),
            ..Filter::default()
        },
    ] {
        let all = s.stories(&filter, None).unwrap();
        let n = s.count(&filter, Unit::Stories).unwrap();
        assert_eq!(all.len() as u64, n);
        for (offset, limit) in [(0, 1), (0, 10), (1, 1), (5, 3)] {
            let want: Vec<_> = all.iter().skip(offset).take(limit).cloned().collect();
            // Without a count the plan that collects matches runs; with one,
            // a dense filter walks the stories in order. Both give the same.
            assert_eq!(s.stories_page(&filter, offset, limit, None).unwrap(), want);
            assert_eq!(
                s.stories_page(&filter, offset, limit, Some(n)).unwrap(),
                want
            );
        }
        let reports = s.reports(&filter, None).unwrap();
        assert_eq!(
            s.reports_page(&filter, 1, 2).unwrap(),
            reports.iter().skip(1).take(2).cloned().collect::<Vec<_>>()
        );
    }
}

#[test]
fn issue9_places_network_and_documents() {
    let s = store();
    let points = s.places(&Filter::default(), Unit::Reports, 100).unwrap();
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p.count > 0));
    let total: u64 = points.iter().map(|p| p.count).sum();
    assert!(total <= s.count(&Filter::default(), Unit::Reports).unwrap());
    let edges = s.network(&Filter::default(), Unit::Reports, 100).unwrap();
    assert!(edges
        .iter()
        .all(|e| e.kind == "COERCE" && e.source_country.as_deref() == Some("AFG")));
    let docs = s.documents(None, 0, 100).unwrap();
    assert_eq!(docs.len(), 5);
    let found = s.documents(Some("Kandahar"), 0, 100).unwrap();
    assert!(!found.is_empty() && found.len() <= 5);
    let one = s.document(&docs[0].doc_id).unwrap().unwrap();
    assert_eq!(one, docs[0]);
    assert!(s.document("nothing").unwrap().is_none());
    let stories = s.document_stories(&docs[0].doc_id).unwrap();
    assert_eq!(stories.len() as u64, docs[0].events);
}
