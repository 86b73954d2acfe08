//! Training on a small hand-written treebank (our own sentences), model
//! file round trips and loading errors. Needs no external data.

use annalist_models::corpus::{sents_from_conllu, Sent};
use annalist_models::{parser, tagger, Parser, ParserSettings, Tagger, TaggerSettings};

const FIXTURE: &str = include_str!("data/fixture.conllu");

fn fixture() -> Vec<Sent> {
    sents_from_conllu(FIXTURE).expect("the fixture is valid CoNLL-U")
}

fn train_tagger(s: &[Sent]) -> Tagger {
    let settings = TaggerSettings {
        epochs: 10,
        ..TaggerSettings::default()
    };
    tagger::train(s, s, &settings, Default::default(), &mut |_| {})
}

fn train_parser(s: &[Sent]) -> Parser {
    let settings = ParserSettings {
        epochs: 15,
        ..ParserSettings::default()
    };
    parser::train(s, s, s, &settings, Default::default(), &mut |_| {})
}

#[test]
fn training_on_the_fixture_reaches_a_sane_accuracy() {
    let s = fixture();
    assert_eq!(s.len(), 20);
    let t = train_tagger(&s);
    let scores = t.evaluate(&s);
    assert!(scores.upos_pct() > 95.0, "UPOS {}", scores.upos_pct());
    assert!(scores.lemma_pct() > 95.0, "lemmas {}", scores.lemma_pct());
    let p = train_parser(&s);
    let d = p.evaluate(&s, &s);
    assert!(d.uas_pct() > 90.0, "UAS {}", d.uas_pct());
    assert!(d.las_pct() > 85.0, "LAS {}", d.las_pct());
}

#[test]
fn training_is_deterministic_for_a_seed() {
    let s = fixture();
    same_bytes(&train_tagger(&s).to_bytes(), &train_tagger(&s).to_bytes());
    same_bytes(&train_parser(&s).to_bytes(), &train_parser(&s).to_bytes());
}

/// Compares model files, reporting the first difference rather than
/// printing megabytes.
fn same_bytes(a: &[u8], b: &[u8]) {
    let first = a.iter().zip(b).position(|(x, y)| x != y);
    assert!(
        first.is_none() && a.len() == b.len(),
        "files differ at byte {first:?} (lengths {} and {})",
        a.len(),
        b.len()
    );
}

#[test]
fn model_files_round_trip() {
    let s = fixture();
    let t = train_tagger(&s);
    let p = train_parser(&s);
    let t2 = Tagger::load(&t.to_bytes()).unwrap();
    let p2 = Parser::load(&p.to_bytes()).unwrap();
    same_bytes(&t2.to_bytes(), &t.to_bytes());
    same_bytes(&p2.to_bytes(), &p.to_bytes());
    for sent in &s {
        let w = sent.word_refs();
        let a = t.tag(&w);
        assert_eq!(a, t2.tag(&w));
        assert_eq!(
            p.parse(&w, &a.upos, &a.xpos),
            p2.parse(&w, &a.upos, &a.xpos)
        );
    }
    assert_eq!(t2.meta()["settings"]["epochs"], 10);
}

#[test]
fn bad_model_files_are_errors_not_panics() {
    let s = fixture();
    let t = train_tagger(&s).to_bytes();
    let p = train_parser(&s).to_bytes();
    for cut in [0, 4, 8, 12, 20, t.len() / 2, t.len() - 1] {
        assert!(Tagger::load(&t[..cut]).is_err(), "truncated at {cut}");
    }
    for cut in [0, 10, p.len() / 3, p.len() - 1] {
        assert!(Parser::load(&p[..cut]).is_err(), "truncated at {cut}");
    }
    assert!(Tagger::load(b"garbage, not a model at all").is_err());
    let mut flipped = t.clone();
    let k = flipped.len() / 2;
    flipped[k] ^= 0x55;
    assert!(Tagger::load(&flipped).is_err());
    let e = Parser::load(&t).unwrap_err().to_string();
    assert!(e.contains("not a parser model"), "{e}");
    let mut v2 = t.clone();
    v2[8] = 99;
    let e = Tagger::load(&v2).unwrap_err().to_string();
    assert!(e.contains("version 99"), "{e}");
}

/// Issue 3: the parser can carry word clusters learned from unlabelled
/// text; they round-trip through the model file (format version 2) and an
/// unknown parser format version is a clear error.
#[test]
fn issue3_parser_with_clusters_round_trips() {
    use annalist_models::{ClusterBuilder, ClusterSettings};
    let s = fixture();
    let mut b = ClusterBuilder::default();
    for sent in &s {
        b.add_sentence(&sent.words);
    }
    let cs = ClusterSettings {
        classes: [8, 4, 2],
        min_count: 1,
        ..ClusterSettings::default()
    };
    let clusters = b.build(&cs, &mut |_| {});
    assert!(!clusters.is_empty());
    let settings = ParserSettings {
        epochs: 15,
        ..ParserSettings::default()
    };
    let p = parser::train_with_clusters(
        &s,
        &s,
        &s,
        clusters,
        &settings,
        Default::default(),
        &mut |_| {},
    );
    let d = p.evaluate(&s, &s);
    assert!(d.uas_pct() > 90.0, "UAS {}", d.uas_pct());
    let bytes = p.to_bytes();
    assert_eq!(bytes[8], 2, "parser files are format version 2");
    let p2 = Parser::load(&bytes).unwrap();
    same_bytes(&p2.to_bytes(), &bytes);
    for sent in &s {
        let w = sent.word_refs();
        assert_eq!(
            p.parse(&w, &sent.upos, &sent.xpos),
            p2.parse(&w, &sent.upos, &sent.xpos)
        );
    }
    let mut v3 = bytes.clone();
    v3[8] = 3;
    let e = Parser::load(&v3).unwrap_err().to_string();
    assert!(
        e.contains("parser model format version 3 is not supported")
            && e.contains("annalist train parser"),
        "{e}"
    );
}
