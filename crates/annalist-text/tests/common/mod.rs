//! Helpers shared by the integration tests.

use annalist_doc::Doc;
use annalist_text::{sentences::split_sentences, tokenize::tokenize};

/// Tokenizes and splits `text`, returning the doc.
pub fn run(text: &str) -> Doc {
    let mut doc = Doc::new("test", text);
    tokenize(&mut doc);
    split_sentences(&mut doc);
    doc
}

/// The token texts of `text`.
#[allow(dead_code)]
pub fn tokens(text: &str) -> Vec<String> {
    let doc = run(text);
    (0..doc.tokens.len())
        .map(|i| doc.token_text(i).to_string())
        .collect()
}

/// The sentences of `text`, each as the text it covers.
#[allow(dead_code)]
pub fn sentences(text: &str) -> Vec<String> {
    let doc = run(text);
    doc.sentences
        .iter()
        .map(|s| doc.text[doc.token_range_span(s.tokens())].to_string())
        .collect()
}
