//! Invariants of the built-in models on arbitrary input, and the parse of
//! our CoNLL-U fixture (kept tokens, snapshot).

use annalist_doc::{conllu, Doc, Sentence, ROOT};
use annalist_models::{annotate_conllu, Parser, Tagger};
use proptest::prelude::*;
use std::sync::OnceLock;

fn models() -> &'static (Tagger, Parser) {
    static M: OnceLock<(Tagger, Parser)> = OnceLock::new();
    M.get_or_init(|| {
        (
            Tagger::builtin().expect("built-in tagger loads"),
            Parser::builtin().expect("built-in parser loads"),
        )
    })
}

/// Checks that `heads` is one tree: heads in range, one root, no cycles.
fn assert_tree(heads: &[u32]) {
    let n = heads.len();
    if n == 0 {
        return;
    }
    assert_eq!(heads.iter().filter(|&&h| h == ROOT).count(), 1, "{heads:?}");
    for (i, &h) in heads.iter().enumerate() {
        assert!(
            h == ROOT || (h as usize) < n && h as usize != i,
            "{heads:?}"
        );
        let mut k = i;
        let mut steps = 0;
        while heads[k] != ROOT {
            k = heads[k] as usize;
            steps += 1;
            assert!(steps <= n, "cycle through {i}: {heads:?}");
        }
    }
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,10}",
        "[A-Z][a-z]{0,8}",
        "[0-9]{1,4}",
        "[.,;:!?()\"'-]",
        "\\PC{1,6}",
        Just("the".to_string()),
        Just("said".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_token_is_tagged_and_every_parse_is_a_tree(words in prop::collection::vec(word(), 0..60)) {
        let (t, p) = models();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let tags = t.tag(&w);
        prop_assert_eq!(tags.upos.len(), w.len());
        prop_assert_eq!(tags.xpos.len(), w.len());
        prop_assert_eq!(tags.lemma.len(), w.len());
        let (heads, rels) = p.parse(&w, &tags.upos, &tags.xpos);
        prop_assert_eq!(heads.len(), w.len());
        prop_assert_eq!(rels.len(), w.len());
        assert_tree(&heads);
    }

    #[test]
    fn doc_columns_are_filled_per_sentence(words in prop::collection::vec("[a-z]{1,6}", 1..40), cut in 0usize..40) {
        let (t, p) = models();
        let text = words.join(" ");
        let mut doc = Doc::new("d", text.clone());
        let mut at = 0;
        for w in &words {
            doc.tokens.push(at, at + w.len(), true);
            at += w.len() + 1;
        }
        let n = words.len() as u32;
        let cut = (cut as u32).min(n);
        if cut > 0 && cut < n {
            doc.sentences = vec![Sentence { start: 0, end: cut }, Sentence { start: cut, end: n }];
        } else {
            doc.sentences = vec![Sentence { start: 0, end: n }];
        }
        t.tag_doc(&mut doc);
        p.parse_doc(&mut doc);
        prop_assert_eq!(doc.tokens.upos.len(), words.len());
        prop_assert_eq!(doc.tokens.head.len(), words.len());
        for s in &doc.sentences {
            let local: Vec<u32> = s.tokens().map(|i| {
                let h = doc.tokens.head[i];
                if h == ROOT { ROOT } else {
                    assert!(h >= s.start && h < s.end, "head leaves its sentence");
                    h - s.start
                }
            }).collect();
            assert_tree(&local);
        }
    }
}

#[test]
fn parsing_the_fixture_keeps_its_tokens() {
    let (t, p) = models();
    let text = include_str!("data/fixture.conllu");
    let gold = conllu::parse(text).unwrap();
    let mut ours = gold.clone();
    annotate_conllu(t, p, &mut ours);
    assert_eq!(ours.len(), gold.len());
    for (a, b) in ours.iter().zip(&gold) {
        assert_eq!(a.comments, b.comments);
        assert_eq!(a.words.len(), b.words.len());
        for (x, y) in a.words.iter().zip(&b.words) {
            assert_eq!(x.form, y.form);
            assert_eq!(x.misc, y.misc);
        }
    }
    insta::assert_snapshot!("fixture_parse", conllu::write(&ours));
}

#[test]
fn builtin_models_carry_their_metadata() {
    let (t, p) = models();
    assert!(t.meta().get("corpus_hash").is_some());
    assert!(p.meta().get("corpus_hash").is_some());
}
