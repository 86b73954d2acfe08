//! The committed model: invariants, a snapshot and the seed regression.

use annalist_doc::{Doc, EntityType, Sentence};
use annalist_ner::Ner;
use proptest::prelude::*;
use std::sync::OnceLock;

fn ner() -> &'static Ner {
    static NER: OnceLock<Ner> = OnceLock::new();
    NER.get_or_init(|| Ner::builtin().expect("the committed model loads"))
}

/// Runs the text layer and the recogniser over a text.
fn annotate(text: &str) -> Doc {
    let mut doc = Doc::new("test", text);
    annalist_text::meta::detect(&mut doc);
    annalist_text::tokenize::tokenize(&mut doc);
    annalist_text::sentences::split_sentences(&mut doc);
    ner().annotate(&mut doc);
    doc
}

fn entities(doc: &Doc) -> Vec<(String, &'static str)> {
    doc.entities
        .iter()
        .map(|e| {
            let span = doc.token_range_span(e.start as usize..e.end as usize);
            (doc.text[span].to_string(), e.label.as_str())
        })
        .collect()
}

fn has(doc: &Doc, text: &str, label: EntityType) -> bool {
    entities(doc)
        .iter()
        .any(|(t, l)| t == text && *l == label.as_str())
}

/// Whitespace tokens and one sentence per line, built by hand so that the
/// invariants do not depend on the tokenizer.
fn doc_by_hand(text: &str) -> Doc {
    let mut doc = Doc::new("p", text);
    let mut start = 0u32;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        for (i, w) in line
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        {
            doc.tokens.push(offset + i, offset + i + w.len(), true);
        }
        let end = doc.tokens.len() as u32;
        if end > start {
            doc.sentences.push(Sentence { start, end });
        }
        start = end;
        offset += line.len();
    }
    doc
}

#[test]
fn builtin_model_has_metadata_and_types() {
    let n = ner();
    assert_eq!(n.meta["component"], "annalist-ner");
    for t in [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Norp,
    ] {
        assert!(n.labels().contains(&t), "{t:?}");
    }
    assert!(n.gazetteer().len() > 1000);
}

#[test]
fn issue4_seed_entities() {
    // Our own paraphrase of the seed's phenomena: a dateline in capitals, a
    // title run before a name, an agency as a source, a demonym before a
    // ministry, and a licence footer that must stay untagged.
    let text = "TEHRAN – A new drone factory opened in Tajikistan’s capital in the presence of \
Iran’s Armed Forces Chief of Staff Mohammad Bagheri and Tajik Defense Minister General Shirali Mirzo. \
The factory, built in Dushanbe, was equipped by experts from the Iranian ministry of defense. \
General Bagheri later met officials in Dushanbe, according to Tasnim. \
He also talked with Saimumin Yatimov, who chairs the State Security Committee of the Republic of Tajikistan.\n\
All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.";
    let doc = annotate(text);
    let got = entities(&doc);
    assert!(has(&doc, "TEHRAN", EntityType::Loc), "{got:?}");
    assert!(has(&doc, "Tajikistan", EntityType::Loc), "{got:?}");
    assert!(has(&doc, "Dushanbe", EntityType::Loc), "{got:?}");
    assert!(has(&doc, "Iran", EntityType::Loc), "{got:?}");
    assert!(has(&doc, "Mohammad Bagheri", EntityType::Per), "{got:?}");
    assert!(has(&doc, "Shirali Mirzo", EntityType::Per), "{got:?}");
    assert!(has(&doc, "Bagheri", EntityType::Per), "{got:?}");
    assert!(has(&doc, "Tasnim", EntityType::Org), "{got:?}");
    // "Tajik" is a nationality, never a person.
    assert!(
        !got.iter()
            .any(|(t, l)| t.contains("Tajik Defense") && *l == "PER"),
        "{got:?}"
    );
    let footer = text.find("All Content").unwrap();
    for e in &doc.entities {
        assert!(
            (doc.tokens.start[e.start as usize] as usize) < footer,
            "entity in the licence footer: {got:?}"
        );
    }
}

#[test]
fn news_paragraph_snapshot() {
    let text = "NAIROBI – Kenya's finance minister, Amina Otieno, met delegates of the \
African Development Bank on Tuesday. The Kenyan government said the loan would fund roads \
between Mombasa and Kisumu, the Daily Nation reported. Otieno will travel to London next week.";
    let doc = annotate(text);
    insta::assert_json_snapshot!(entities(&doc));
}

#[test]
fn empty_and_tokenless_docs_are_fine() {
    let mut doc = Doc::new("e", "");
    ner().annotate(&mut doc);
    assert!(doc.entities.is_empty());
    assert!(ner().label_sentence(&[]).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn entities_are_well_formed(text in "(\\PC{0,12}( |\n)){0,40}") {
        let mut doc = doc_by_hand(&text);
        ner().annotate(&mut doc);
        let mut last_end = 0u32;
        for e in &doc.entities {
            prop_assert!(e.start < e.end);
            prop_assert!(e.start >= last_end, "overlap");
            prop_assert!((e.end as usize) <= doc.tokens.len());
            let s = doc.sentence_of(e.start as usize).unwrap();
            prop_assert!(e.end <= doc.sentences[s].end, "crosses a sentence");
            last_end = e.end;
        }
    }

    #[test]
    fn never_panics_on_unicode(words in proptest::collection::vec("\\PC{1,8}", 0..30)) {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let spans = ner().label_sentence(&refs);
        for s in spans {
            prop_assert!(s.start < s.end && (s.end as usize) <= refs.len());
        }
    }

    #[test]
    fn capitalised_text_is_handled(words in proptest::collection::vec("[A-Z][a-z]{0,6}", 0..20)) {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let _ = ner().label_sentence(&refs);
    }
}
