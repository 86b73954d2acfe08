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

#[test]
fn issue3_reversed_closing_quote_ends_the_sentence() {
    let sents = common::sentences(
        "He said the vote was “a mistake we will regret.“ However, the council met again.",
    );
    assert_eq!(
        sents,
        [
            "He said the vote was “a mistake we will regret.“",
            "However, the council met again."
        ]
    );
}

#[test]
fn issue3_category_footer_items_stand_alone() {
    let sents = common::sentences(
        "The ministry did not comment. Categories: March 3, 2021 Peru Published South America Crime and law Andean Community Archived",
    );
    assert_eq!(
        sents,
        [
            "The ministry did not comment.",
            "Categories:",
            "March 3, 2021",
            "Peru",
            "Published",
            "South America",
            "Crime and law",
            "Andean Community",
            "Archived"
        ]
    );
}

#[test]
fn issue3_category_footer_on_lines() {
    let sents = common::sentences("Categories:\nPeru\nPublished\nCrime and law");
    assert_eq!(sents, ["Categories:", "Peru", "Published", "Crime and law"]);
}

#[test]
fn issue3_builtin_model_reads() {
    assert_eq!(annalist_text::boundary::builtin_status(), Ok(()));
    assert!(annalist_text::boundary::builtin().is_some());
}

#[test]
fn issue3_model_never_removes_a_rule_boundary() {
    // Whatever the model scores, the sentences the rules find stay split.
    let text = "The talks ended. Both sides left. Nobody spoke to the press.";
    assert_eq!(common::sentences(text).len(), 3);
}

#[test]
fn issue3_model_keeps_quotes_insertions_and_datelines_together() {
    for text in [
        "The minister declared: Our doors remain open to talks.",
        "Ships crossed the [Persian] Gulf on Monday without incident.",
        "KABUL (AFP) -- Officials in the capital on Sunday reopened the airport.",
        "KABUL, Nov. 18 (AFP) -- Officials reopened the airport.",
        "NEW DELHI, India — The talks resumed on Monday.",
    ] {
        assert_eq!(common::sentences(text), [text]);
    }
}

#[test]
fn issue3_model_adds_boundaries_without_punctuation() {
    assert_eq!(
        common::sentences("The meeting moved to Friday :) See you there."),
        ["The meeting moved to Friday :)", "See you there."]
    );
    assert_eq!(
        common::sentences("Please reply by Friday (see below) The form is attached."),
        [
            "Please reply by Friday (see below)",
            "The form is attached."
        ]
    );
    assert_eq!(
        common::sentences("Here is my answer: It depends on the budget."),
        ["Here is my answer:", "It depends on the budget."]
    );
}

#[test]
fn issue3_emoticon_ends_a_sentence_before_a_capital() {
    assert_eq!(
        common::sentences("See you at noon :)\nBring the maps."),
        ["See you at noon :)", "Bring the maps."]
    );
    assert_eq!(
        common::sentences("It went well :) so we stayed."),
        ["It went well :) so we stayed."]
    );
}
