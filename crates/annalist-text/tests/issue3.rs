//! Regression tests for issue 3 (tokenizer and sentence splitter).

mod common;

#[test]
fn issue3_dateline_stays_in_first_sentence() {
    let text = "TEHRAN – A drone production plant has been inaugurated in Tajikistan’s capital at the presence of senior commanders. The plant was set up with local expertise.";
    let sents = common::sentences(text);
    assert_eq!(sents.len(), 2, "{sents:?}");
    assert!(sents[0].starts_with("TEHRAN – A drone"), "{sents:?}");
    assert!(sents[0].ends_with("commanders."), "{sents:?}");
    let toks = common::tokens(text);
    assert_eq!(&toks[..3], ["TEHRAN", "–", "A"]);
    assert!(toks.windows(2).any(|w| w == ["Tajikistan", "’s"]));
}

#[test]
fn issue3_dateline_on_its_own_line_stays_in_first_sentence() {
    let sents = common::sentences("TEHRAN –\nA drone plant opened on Sunday. It is the first.");
    assert_eq!(
        sents,
        [
            "TEHRAN –\nA drone plant opened on Sunday.",
            "It is the first."
        ]
    );
}

#[test]
fn issue3_excluded_footer_is_not_tokenized() {
    let text = "The plant opened. All content is licensed under a free licence.";
    let mut doc = annalist_doc::Doc::new("t", text);
    let footer = text.find("All").unwrap();
    doc.excluded.push(footer..text.len());
    annalist_text::tokenize::tokenize(&mut doc);
    annalist_text::sentences::split_sentences(&mut doc);
    assert_eq!(doc.tokens.len(), 4);
    assert_eq!(doc.sentences.len(), 1);
}
