//! The whole pipeline never panics on text, and its records keep the
//! contract's invariants: offsets on text, entities inside their sentence,
//! events pointing at existing actors.

use annalist_ingest::Document;
use annalist_pipeline::Pipeline;
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in models load"))
}

/// News-like fragments mixed with arbitrary characters, so that the random
/// texts reach the actor and event stages, not just the tokenizer.
fn texts() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "TEHRAN –",
        "Iran",
        "’s",
        "President",
        "Hassan",
        "Rouhani",
        "met",
        "held",
        "talks",
        "with",
        "Tajik",
        "Defense",
        "Minister",
        "General",
        "in",
        "Dushanbe",
        ",",
        ".",
        "according",
        "to",
        "Tasnim",
        "the",
        "army",
        "attacked",
        "rebels",
        "and",
        "will",
        "not",
        "agree",
        "“",
        "”",
        "\n\n",
        "Washington",
        "state",
        "U.S.",
        "sanctions",
        "on",
        "Monday",
    ]);
    (prop::collection::vec(
        prop_oneof![4 => words.prop_map(String::from), 1 => "\\PC{0,6}"],
        0..60,
    ))
    .prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn issue2_pipeline_never_panics_and_keeps_invariants(text in texts()) {
        let r = pipeline().code(Document { text: text.clone(), ..Document::default() });
        let chars: Vec<char> = r.text.chars().collect();
        for s in &r.sentences {
            prop_assert!(s.start <= s.end && s.end <= chars.len());
        }
        for e in &r.entities {
            prop_assert!(e.start < e.end && e.end <= chars.len());
            prop_assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.text.clone());
            let s = &r.sentences[e.sentence];
            prop_assert!(s.start <= e.start && e.end <= s.end);
        }
        let ids: Vec<&String> = r.actors.iter().map(|a| &a.id).collect();
        for ev in &r.events {
            prop_assert!(!ev.source.is_empty());
            for a in ev.source.iter().chain(&ev.target) {
                prop_assert!(ids.contains(&a));
            }
            prop_assert!(ev.trigger.end <= chars.len());
        }
    }
}
