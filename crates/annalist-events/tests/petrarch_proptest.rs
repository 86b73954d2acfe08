//! The PETRARCH dictionary readers never panic, whatever the text.

use annalist_events::petrarch::{Discards, VerbDict};
use proptest::prelude::*;

/// Lines made of the verb dictionary's own syntax, shuffled.
fn dictish_line() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "---", "-", "&", "+", "*", "$", "%", "^", "_", "[", "]", "{", "}", "(", ")", "#", "~",
            ":", " ", "\t", "A", "WORD", "&SYN", "[010]", "[---]", "<!--", "-->", "é", "\u{0}",
        ]),
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn verb_reader_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        let d = VerbDict::parse(&text);
        let _ = d.pattern_count();
        let _ = Discards::parse(&text);
    }

    #[test]
    fn verb_reader_never_panics_on_dictionary_like_lines(
        lines in prop::collection::vec(dictish_line(), 0..30)
    ) {
        let d = VerbDict::parse(&lines.join("\n"));
        for w in &d.warnings {
            prop_assert!(w.line >= 1 && w.line <= lines.len());
        }
    }
}
