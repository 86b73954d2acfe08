use annalist_doc::Doc;

/// Fills `doc.tokens` (offsets and `space_after`) over `doc.analysed_ranges()`.
///
/// Stub: splits on whitespace until the real tokenizer lands.
pub fn tokenize(doc: &mut Doc) {
    let mut tokens = annalist_doc::Tokens::default();
    for range in doc.analysed_ranges() {
        let slice = &doc.text[range.clone()];
        let mut start = None;
        for (i, c) in slice.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    tokens.push(range.start + s, range.start + i, true);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            tokens.push(range.start + s, range.end, false);
        }
    }
    doc.tokens = tokens;
}
