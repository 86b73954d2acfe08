//! End-to-end regression tests on a paraphrase of the seed article, written
//! in our own words with invented names, so that they run without
//! `../shared` and test the phenomena rather than the one text.

use annalist_ingest::Document;
use annalist_pipeline::Pipeline;

const ARTICLE: &str = "TEHRAN – A drone factory was opened in Tajikistan’s capital in the presence of \
Iran’s Armed Forces Chief of Staff Mohammad Karimi and Tajik Defense Minister General Rustam Nazarov. \
General Nazarov and General Karimi also discussed cooperation between Tehran and Dushanbe, according to Tasnim. \
General Karimi also held talks with General Farhod Saidov, Chairman of the State Security Committee of the Republic of Tajikistan. \
For his part, the Tajik defense minister welcomed Iran’s efforts against terrorism. \
All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.";

/// An event as (type, source countries, target countries).
type Dyad = (String, Vec<Option<String>>, Vec<Option<String>>);

fn record() -> annalist_doc::Record {
    let pipeline = Pipeline::builtin().expect("built-in models load");
    pipeline.code(Document {
        text: ARTICLE.to_string(),
        ..Document::default()
    })
}

#[test]
fn issue6_seed_paraphrase_events_and_places() {
    let r = record();
    assert_eq!(
        r.meta.dateline.as_ref().map(|d| d.text.as_str()),
        Some("TEHRAN")
    );
    assert_eq!(r.meta.license.as_deref(), Some("CC BY 4.0"));
    let country = |id: &String| {
        r.actors
            .iter()
            .find(|a| &a.id == id)
            .and_then(|a| a.country.clone())
    };
    let dyads: Vec<Dyad> = r
        .events
        .iter()
        .map(|e| {
            (
                e.kind.clone(),
                e.source.iter().map(country).collect(),
                e.target.iter().map(country).collect(),
            )
        })
        .collect();
    let has = |kind: &str, a: &str, b: &str| {
        dyads.iter().any(|(k, s, t)| {
            let all: Vec<&Option<String>> = s.iter().chain(t.iter()).collect();
            k == kind && all.contains(&&Some(a.to_string())) && all.contains(&&Some(b.to_string()))
        })
    };
    assert!(has("CONSULT", "IRN", "TJK"), "{dyads:?}");
    assert!(has("SUPPORT", "TJK", "IRN"), "{dyads:?}");
    for e in &r.events {
        if let Some(l) = &e.location {
            assert_ne!(
                l.name, "Tehran",
                "the dateline is where the report was filed"
            );
        }
    }
}

#[test]
fn issue5_agencies_and_publisher_are_not_actors() {
    let r = record();
    for a in &r.actors {
        assert!(
            !a.name.contains("Tasnim") && !a.name.contains("Mehr"),
            "{}",
            a.name
        );
    }
    assert!(
        r.entities
            .iter()
            .all(|e| !e.text.contains("Creative Commons")),
        "the footer is metadata"
    );
    let nazarov = r
        .actors
        .iter()
        .find(|a| a.name.contains("Nazarov"))
        .expect("Nazarov is an actor");
    assert_eq!(nazarov.country.as_deref(), Some("TJK"));
    assert!(nazarov.sectors.iter().any(|s| s == "MIL"));
    assert!(
        nazarov.mentions.len() >= 2,
        "General Nazarov is merged into Rustam Nazarov"
    );
}
