//! The PETRARCH dictionary readers never panic, whatever the text.

use annalist_petrarch::{Discards, VerbDict};
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

mod coder {
    use annalist_doc::{DepRel, Doc, Sentence, Upos, Xpos, ROOT};
    use annalist_petrarch::{ActorDict, AgentDict, Discards, PetrarchCoder, VerbDict};
    use proptest::prelude::*;

    fn coder() -> PetrarchCoder {
        PetrarchCoder::new(
            VerbDict::parse(
                "&S\n+RED\n--- HIT [190] ---\nHIT\n- % * [191]\n- $ ^ * &S_+ [192]\n- * ^ ^ + [193:194]\n",
            ),
            ActorDict::parse("RURITANIA [RUR]\nGRAUSTARK [A/B]\n"),
            &AgentDict::parse("POLICE {} [~COP]\nCHARITY [NGO~]\n"),
            Discards::parse("CHESS\n"),
        )
    }

    /// A doc of the given words with arbitrary tags and heads: cycles, self
    /// loops and heads outside the sentence included.
    fn doc(words: &[(usize, usize, u32, usize)]) -> Doc {
        const W: [&str; 9] = [
            "Ruritania",
            "Graustark",
            "hit",
            "police",
            "charity",
            "red",
            "and",
            ",",
            "chess",
        ];
        let text = words
            .iter()
            .map(|w| W[w.0 % W.len()])
            .collect::<Vec<_>>()
            .join(" ");
        let mut d = Doc::new("p", text);
        let mut at = 0;
        for &(w, tag, head, rel) in words {
            let len = W[w % W.len()].len();
            d.tokens.push(at, at + len, true);
            at += len + 1;
            d.tokens.upos.push(Upos(tag as u8 % Upos::count() as u8));
            d.tokens.xpos.push(Xpos(tag as u8 % Xpos::count() as u8));
            d.tokens.lemma.push(String::new());
            d.tokens.head.push(if head == 0 { ROOT } else { head - 1 });
            d.tokens
                .deprel
                .push(DepRel(rel as u8 % DepRel::count() as u8));
        }
        let n = words.len() as u32;
        d.sentences.push(Sentence {
            start: 0,
            end: n / 2,
        });
        d.sentences.push(Sentence {
            start: n / 2,
            end: n,
        });
        d
    }

    proptest! {
        #[test]
        fn coder_never_panics_on_arbitrary_parses(
            words in prop::collection::vec((0usize..9, 0usize..60, 0u32..40, 0usize..70), 0..30),
            date in prop::option::of((1900u32..2100, 1u32..13, 1u32..29)),
        ) {
            let mut d = doc(&words);
            let c = coder();
            let _ = c.code_doc(&d, date);
            let _ = c.annotate(&mut d, date);
            let _ = d.to_record();
        }
    }
}
