//! `explain`: every actor and every event of a coded document says which
//! passes, rules and models decided it, and every id it names is described
//! in a data file. The text is ours, written for the test.

use annalist_ingest::Document;
use annalist_pipeline::explain::explain;
use annalist_pipeline::Pipeline;

const STORY: &str = "Oman's Foreign Minister Badr Albusaidi met his Iranian counterpart \
in Muscat on Sunday. Albusaidi said both sides agreed to keep talking. Police in Muscat \
arrested three protesters outside the embassy. Tehran welcomed the talks.";

fn coded(pipeline: &Pipeline) -> annalist_doc::Doc {
    let mut doc = Pipeline::doc_of(Document {
        text: STORY.to_string(),
        published: Some("2024-03-10".to_string()),
        ..Document::default()
    });
    doc.explain = true;
    pipeline.annotate(&mut doc);
    doc
}

fn pipelines() -> Vec<(&'static str, Pipeline)> {
    let rules = Pipeline::builtin().expect("built-in models load");
    let learned = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(annalist_events::EventModel::builtin());
    vec![("rules", rules), ("learned", learned)]
}

#[test]
fn every_actor_and_event_names_what_decided_it() {
    for (coder, pipeline) in pipelines() {
        let doc = coded(&pipeline);
        assert!(!doc.actors.is_empty(), "{coder}: the story has actors");
        assert!(!doc.events.is_empty(), "{coder}: the story has events");
        for a in &doc.actors {
            assert!(
                !a.decided_by.is_empty(),
                "{coder}: actor {} has no pass",
                a.name
            );
            for id in &a.decided_by {
                assert!(
                    annalist_actors::passes::describe(id).is_some(),
                    "{coder}: pass {id} is not in passes.toml"
                );
            }
        }
        for e in &doc.events {
            assert!(
                !e.decided_by.is_empty(),
                "{coder}: event {} has no step",
                e.kind
            );
            for w in &e.decided_by {
                assert!(
                    pipeline.coder().rules().describe(&w.id).is_some(),
                    "{coder}: step {} is not in rules.toml",
                    w.id
                );
            }
        }
    }
}

#[test]
fn a_title_and_its_country_are_credited_to_the_title_pass() {
    let (_, pipeline) = pipelines().remove(0);
    let doc = coded(&pipeline);
    let minister = doc
        .actors
        .iter()
        .find(|a| a.name.ends_with("Albusaidi"))
        .expect("the minister is an actor");
    assert_eq!(minister.country.as_deref(), Some("OMN"));
    assert_eq!(
        &minister.decided_by[..2],
        ["A-PERSON", "A-TITLE"],
        "{:?}",
        minister.decided_by
    );
    assert!(minister.decided_by.contains(&"A-SAME-PERSON"));
}

#[test]
fn the_learned_coder_names_its_trigger_features() {
    let (_, pipeline) = pipelines().remove(1);
    let doc = coded(&pipeline);
    let text = explain(&doc, pipeline.coder().rules());
    assert!(text.contains("M-TRIGGER: \""), "{text}");
    assert!(text.contains("over no event (coded above"), "{text}");
    assert!(text.contains("the event steps named above"), "{text}");
    insta::assert_snapshot!(text);
}
