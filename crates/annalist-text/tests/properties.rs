//! Invariants of the tokenizer and sentence splitter on arbitrary text.

use annalist_doc::Doc;
use annalist_text::{sentences::split_sentences, tokenize::tokenize};
use proptest::prelude::*;

/// Text drawn from a mix of news-like words, punctuation, control characters,
/// non-breaking and other odd spaces, and arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[A-Za-z]{1,8}",
        2 => "[0-9.,:%$-]{1,6}",
        3 => prop::sample::select(vec![
            " ", " ", "\n", "\n\n", "\u{a0}", "\t", "\r\n", "\u{0}", "\u{1b}", "\u{200b}",
            "\u{2029}", ".", "!", "?", "...", "…", "'", "’", "\"", "“", "”", "(", ")", "-",
            "–", "—", "n't", "'s", "U.S.", "Gen.", "No.", "http://x.io/a", "a@b.co", ":)",
            "e-mail", "cannot", "#", "*", "***", "é", "日本", "👍🏽", "\u{301}",
        ]).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Sorted, non-overlapping byte ranges inside a text of length `len`.
fn excluded(len: usize, cuts: &[(usize, usize)]) -> Vec<std::ops::Range<usize>> {
    cuts.iter()
        .filter(|_| len > 0)
        .map(|&(a, b)| {
            let (a, b) = (a % (len + 1), b % (len + 1));
            a.min(b)..a.max(b)
        })
        .collect()
}

fn snap_to_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    // The default case count (256) can be raised with PROPTEST_CASES.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn tokens_and_sentences_are_well_formed(t in text(), cuts in prop::collection::vec((0usize..400, 0usize..400), 0..3)) {
        let mut doc = Doc::new("p", t.clone());
        doc.excluded = excluded(t.len(), &cuts)
            .into_iter()
            .map(|r| snap_to_boundary(&t, r.start)..snap_to_boundary(&t, r.end))
            .collect();
        tokenize(&mut doc);
        split_sentences(&mut doc);
        let n = doc.tokens.len();
        prop_assert_eq!(doc.tokens.end.len(), n);
        prop_assert_eq!(doc.tokens.space_after.len(), n);
        let mut prev_end = 0usize;
        for i in 0..n {
            let r = doc.tokens.span(i);
            // Non-empty, increasing, non-overlapping, on char boundaries.
            prop_assert!(r.start < r.end);
            prop_assert!(r.start >= prev_end);
            prop_assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            prev_end = r.end;
            // No token touches excluded text.
            for x in &doc.excluded {
                prop_assert!(r.end <= x.start || r.start >= x.end, "token {:?} in excluded {:?}", r, x);
            }
            // Tokens never contain whitespace or control characters.
            prop_assert!(!doc.token_text(i).chars().any(|c| c.is_whitespace() || c.is_control()));
        }
        // Sentences are non-empty and cover the tokens contiguously.
        let mut at = 0u32;
        for s in &doc.sentences {
            prop_assert_eq!(s.start, at);
            prop_assert!(s.end > s.start);
            at = s.end;
        }
        prop_assert_eq!(at as usize, n);
    }

    #[test]
    fn tokens_cover_all_non_space_text(t in text()) {
        let mut doc = Doc::new("p", t.clone());
        tokenize(&mut doc);
        // Every char outside the tokens is a separator: nothing is dropped.
        let mut covered = vec![false; t.len()];
        for i in 0..doc.tokens.len() {
            for b in doc.tokens.span(i) {
                covered[b] = true;
            }
        }
        for (i, c) in t.char_indices() {
            if !covered[i] {
                prop_assert!(annalist_text::tokenize::is_separator(c), "dropped {:?} at {}", c, i);
            }
        }
    }
}

proptest! {
    #[test]
    fn issue3_model_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), keep_magic in any::<bool>()) {
        let mut b = bytes;
        if keep_magic && b.len() >= 16 {
            b[..16].copy_from_slice(b"annalist-sent\0\0\0");
        }
        let _ = annalist_text::boundary::Model::from_bytes(&b);
    }
}
