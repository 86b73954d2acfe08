//! Word lists the tokenizer and sentence splitter consult.
//!
//! The lists are written by hand for news English; lookups are
//! ASCII-case-insensitive unless a function says otherwise.

/// Abbreviations whose final period belongs to the word (stored lowercase,
/// without the period). Forms made of single letters and periods ("U.S.",
/// "e.g.", "J.") are recognised by shape and need not be listed.
const ABBREVIATIONS: &[&str] = &[
    "a.k.a", "abt", "approx", "ca", "mlle", "mme", "mmes", "acad", "adj", "adm", "adv", "al",
    "ala", "apr", "apt", "ariz", "assn", "asst", "attn", "aug", "ave", "bldg", "blvd", "brig",
    "bros", "capt", "cf", "ch", "cmdr", "co", "col", "colo", "conn", "corp", "cpl", "cpt", "ct",
    "dec", "dept", "dist", "div", "dr", "eds", "esp", "esq", "etc", "feb", "fig", "fla", "fri",
    "ft", "ga", "gen", "gov", "govt", "hon", "hosp", "hr", "hrs", "inc", "jan", "jr", "jul", "jun",
    "kan", "kans", "ky", "la", "lb", "lbs", "lt", "ltd", "maj", "md", "messrs", "mfg", "mich",
    "minn", "mo", "mon", "mont", "mr", "mrs", "ms", "msgr", "mt", "mts", "no", "nos", "nov", "neb",
    "nev", "oct", "okla", "oz", "pa", "pfc", "ph.d", "pl", "pp", "pres", "prof", "pt", "pvt", "rd",
    "rep", "reps", "rev", "sen", "sens", "sep", "sept", "sgt", "sq", "sr", "st", "ste", "supt",
    "tenn", "tex", "thu", "thur", "thurs", "tue", "tues", "univ", "va", "vol", "vols", "vs", "wed",
    "wis", "wyo", "yr", "yrs",
];

/// Abbreviations that stand before a name or number ("Gen. Bagheri",
/// "No. 5", "Jan. 3"): a sentence never ends right after them.
const BEFORE_NAME: &[&str] = &[
    "adm", "approx", "ca", "mlle", "mme", "mmes", "apr", "aug", "brig", "capt", "cmdr", "col",
    "cpl", "cpt", "dec", "dr", "feb", "fig", "gen", "gov", "hon", "jan", "jul", "jun", "lt", "maj",
    "messrs", "mr", "mrs", "ms", "msgr", "mt", "no", "nos", "nov", "oct", "pfc", "pp", "pres",
    "prof", "pt", "pvt", "rep", "reps", "rev", "sen", "sens", "sep", "sept", "sgt", "st", "supt",
    "vol", "vols", "vs",
];

/// Prefixes that stay joined to the rest of a hyphenated word ("non-profit",
/// "e-mail"); UD English splits other hyphenated words at the hyphen.
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "x", "anti", "arch", "co", "counter", "cross", "ex", "extra", "inter", "intra", "mid",
    "mini", "multi", "neo", "non", "over", "post", "pre", "pro", "psycho", "re", "semi", "socio",
    "sub", "super", "trans", "ultra", "un", "under",
];

/// Words that often open a sentence; after an abbreviation that can also end
/// one ("Inc.", "U.S."), a capitalised one of these starts a new sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "a",
    "after",
    "all",
    "also",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "many",
    "meanwhile",
    "more",
    "most",
    "my",
    "no",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "under",
    "we",
    "what",
    "when",
    "while",
    "with",
    "yet",
    "you",
];

/// Lowercases an ASCII word into `buf`, or `None` when it does not fit or
/// is not ASCII (no listed word is).
fn lower<'a>(word: &str, buf: &'a mut [u8; 24]) -> Option<&'a str> {
    let b = word.as_bytes();
    if b.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok()
}

fn listed(list: &[&str], word: &str) -> bool {
    let mut buf = [0u8; 24];
    match lower(word, &mut buf) {
        Some(w) => list.contains(&w),
        None => false,
    }
}

/// Whether `stem` (without its final period) is a listed abbreviation.
pub fn is_abbreviation(stem: &str) -> bool {
    listed(ABBREVIATIONS, stem)
}

/// Whether `stem` (without its final period) is a title or other word that
/// stands before a name or number.
pub fn is_before_name(stem: &str) -> bool {
    listed(BEFORE_NAME, stem)
}

/// Whether `stem` stays joined to what follows its hyphen.
pub fn is_hyphen_prefix(stem: &str) -> bool {
    listed(HYPHEN_PREFIXES, stem)
}

/// Whether `word` is a frequent sentence opener.
pub fn is_sentence_starter(word: &str) -> bool {
    listed(SENTENCE_STARTERS, word)
}

/// Whether `stem.` has the shape of an initialism: single letters each
/// followed by a period ("U.S", "e.g", "J", "Ph.D" is listed instead).
pub fn is_initialism(stem: &str) -> bool {
    let b = stem.as_bytes();
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            return false;
        }
        if i + 1 < b.len() && b[i + 1] != b'.' {
            return false;
        }
        i += 2;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_lowercase_and_sorted_enough_to_read() {
        for list in [
            ABBREVIATIONS,
            BEFORE_NAME,
            HYPHEN_PREFIXES,
            SENTENCE_STARTERS,
        ] {
            for w in list {
                assert_eq!(w.to_ascii_lowercase(), *w);
            }
        }
        for w in BEFORE_NAME {
            assert!(
                ABBREVIATIONS.contains(w),
                "{w} is a title but not an abbreviation"
            );
        }
    }

    #[test]
    fn initialisms_are_recognised_by_shape() {
        assert!(is_initialism("U.S"));
        assert!(is_initialism("e.g"));
        assert!(is_initialism("J"));
        assert!(!is_initialism("US"));
        assert!(!is_initialism("3.5"));
        assert!(!is_initialism(""));
    }
}
