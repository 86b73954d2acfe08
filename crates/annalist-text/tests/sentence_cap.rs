//! Overlong sentences are cut: whatever the text, no sentence passes the cap,
//! and the sentences still cover every token in order.

use annalist_doc::Doc;
use annalist_text::sentences::{split_sentences, MAX_SENTENCE_TOKENS};
use annalist_text::tokenize::tokenize;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn long_unpunctuated_documents_yield_capped_sentences(
        words in prop::collection::vec(
            prop::sample::select(vec!["the", "minister", "said", "and", "talks", ",", "Iran", "but", "of", "ceasefire"]),
            1..3000,
        )
    ) {
        let mut doc = Doc::new("t", words.join(" "));
        tokenize(&mut doc);
        split_sentences(&mut doc);
        let mut next = 0u32;
        for s in &doc.sentences {
            prop_assert_eq!(s.start, next);
            prop_assert!(s.tokens().len() <= MAX_SENTENCE_TOKENS);
            next = s.end;
        }
        prop_assert_eq!(next as usize, doc.tokens.len());
    }
}
