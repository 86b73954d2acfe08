use annalist_doc::{Doc, Sentence};

/// Fills `doc.sentences` from the tokens.
///
/// Stub: one sentence per token run ending in `.`, `!` or `?`.
pub fn split_sentences(doc: &mut Doc) {
    let mut out = Vec::new();
    let mut start = 0u32;
    for i in 0..doc.tokens.len() {
        let t = doc.token_text(i);
        if t.ends_with(['.', '!', '?']) {
            out.push(Sentence {
                start,
                end: i as u32 + 1,
            });
            start = i as u32 + 1;
        }
    }
    if (start as usize) < doc.tokens.len() {
        out.push(Sentence {
            start,
            end: doc.tokens.len() as u32,
        });
    }
    doc.sentences = out;
}
