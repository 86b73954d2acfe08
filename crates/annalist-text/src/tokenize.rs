//! A rule-based tokenizer following UD English (EWT/GUM) conventions.
//!
//! The text is cut at whitespace into chunks; each chunk then loses its
//! leading and trailing punctuation one token at a time, and what is left is
//! split at clitics ("do|n't", "Iran|'s"), hyphens ("search|-|engine") and
//! other inner punctuation. Periods stay on abbreviations and initials
//! ("Gen.", "U.S."); numbers ("3.5", "1,600", "10:30"), URLs, e-mail
//! addresses and emoticons stay whole. Every token is a byte range of the
//! original text on char boundaries; nothing is ever rewritten.

use crate::abbrev;
use annalist_doc::{Doc, Tokens};

/// Fills `doc.tokens` (offsets and `space_after`) over `doc.analysed_ranges()`.
pub fn tokenize(doc: &mut Doc) {
    let text = doc.text.as_str();
    let mut t = Tokenizer {
        text,
        out: Vec::with_capacity(text.len() / 5 + 1),
        tail: Vec::new(),
    };
    for range in doc.analysed_ranges() {
        t.range(range.start, range.end);
    }
    let mut tokens = Tokens::default();
    tokens.start.reserve(t.out.len());
    tokens.end.reserve(t.out.len());
    tokens.space_after.reserve(t.out.len());
    for &(s, e) in &t.out {
        let space_after = text[e..].chars().next().is_some_and(is_separator);
        tokens.push(s, e, space_after);
    }
    doc.tokens = tokens;
}

/// Characters that separate chunks: whitespace (NBSP included), control
/// characters and invisible zero-width spaces and byte-order marks.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Punctuation that is always a token of its own, wherever it appears.
fn always_split(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '„'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '—'
            | '–'
            | '―'
            | '…'
            | ';'
            | '!'
            | '?'
            | '¿'
            | '¡'
            | '•'
    )
}

/// Punctuation split off the front of a chunk.
fn opening(c: char) -> bool {
    always_split(c)
        || matches!(
            c,
            '`' | '‘' | '<' | '*' | '$' | '£' | '€' | '¥' | '₹' | '~' | '·' | ',' | ':' | '='
        )
}

/// Punctuation split off the end of a chunk (periods are decided apart).
fn closing(c: char) -> bool {
    always_split(c)
        || matches!(
            c,
            ',' | ':' | '’' | '\'' | '>' | '*' | '%' | '‘' | '`' | '~'
        )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`' | 'ʼ')
}

/// Emoticons that are tokens of their own when they make up a whole chunk.
const EMOTICONS: &[&str] = &[
    ":)", ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":-P", ":p", ":-p", "(:", "):", ":/",
    ":-/", ":'(", ":O", ":o", ":|", "<3", "^_^", "^^", "xD", "XD", "=)", "=(", ":]", ";D", ":-|",
    "-_-", "o_O", "O_o", ":-*", ":*",
];

/// Whether a chunk (leading punctuation already split) is a URL or an
/// e-mail address, which stay whole.
fn looks_like_url(w: &str) -> bool {
    let b = w.as_bytes();
    let starts = |p: &str| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if starts("http://")
        || starts("https://")
        || starts("ftp://")
        || starts("www.")
        || starts("mailto:")
    {
        return true;
    }
    // An e-mail address: letters before an `@` and a dotted domain after it.
    if let Some(at) = w.find('@') {
        let (user, host) = (&w[..at], &w[at + 1..]);
        let host = host.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        return !user.is_empty()
            && user
                .bytes()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.')
            && host.len() >= 3
            && host.contains('.')
            && host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'));
    }
    // A bare domain such as `galleryfurniture.com`.
    if let Some(dot) = w.rfind('.') {
        let tld = w[dot + 1..].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        let name = &w[..dot];
        return matches!(
            tld,
            "com" | "org" | "net" | "edu" | "gov" | "co.uk" | "uk" | "io" | "info" | "ir"
        ) && name.len() >= 2
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
            && name.bytes().any(|c| c.is_ascii_alphabetic());
    }
    false
}

/// Words written without an apostrophe that UD splits into two words:
/// the split point in bytes.
fn fused_split(w: &str) -> Option<usize> {
    let mut buf = [0u8; 16];
    let b = w.as_bytes();
    if b.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"cannot" => Some(3),
        b"gonna" | b"wanna" => Some(3),
        b"gotta" => Some(3),
        b"dont" | b"didnt" | b"doesnt" | b"isnt" | b"wasnt" | b"arent" | b"werent" | b"couldnt"
        | b"wouldnt" | b"shouldnt" | b"havent" | b"hasnt" | b"hadnt" => Some(b.len() - 2),
        _ => None,
    }
}

/// Where a clitic starts in `w`, if it ends in one ("Iran's" → 4,
/// "don't" → 2), as long as a letter comes before it.
fn clitic_start(w: &str) -> Option<usize> {
    let (p, apos) = w.char_indices().rev().find(|&(_, c)| is_apostrophe(c))?;
    let suffix = &w[p + apos.len_utf8()..];
    let stem = &w[..p];
    let last = stem.chars().next_back()?;
    let is = |s: &str| suffix.eq_ignore_ascii_case(s);
    if is("t") && (last == 'n' || last == 'N') {
        let before = &stem[..stem.len() - 1];
        return before
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
            .then_some(p - 1);
    }
    if (is("s") || is("m") || is("d") || is("re") || is("ve") || is("ll")) && last.is_alphabetic() {
        return Some(p);
    }
    None
}

/// Whether a hyphen between two digit groups joins a phone or postal number
/// ("713-853-3989", "345-9945", "77415-0027") rather than a range.
fn phone_like(w: &str, hyphen: usize) -> bool {
    let left = w[..hyphen]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let right = w[hyphen + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let before = w[..hyphen - left].bytes().next_back();
    let after = w[hyphen + 1 + right..].bytes().next();
    before == Some(b'-') || after == Some(b'-') || (right == 4 && (left == 3 || left == 5))
}

struct Tokenizer<'a> {
    text: &'a str,
    /// Token spans found so far, in text order.
    out: Vec<(usize, usize)>,
    /// Tokens split off the end of the current chunk, last first.
    tail: Vec<(usize, usize)>,
}

impl Tokenizer<'_> {
    fn range(&mut self, start: usize, end: usize) {
        let slice = &self.text[start..end];
        let mut chunk: Option<usize> = None;
        for (i, c) in slice.char_indices() {
            if is_separator(c) {
                if let Some(s) = chunk.take() {
                    self.chunk(start + s, start + i);
                }
            } else if chunk.is_none() {
                chunk = Some(i);
            }
        }
        if let Some(s) = chunk {
            self.chunk(start + s, end);
        }
    }

    fn push(&mut self, s: usize, e: usize) {
        if s < e {
            self.out.push((s, e));
        }
    }

    /// Tokenizes one whitespace-free chunk `text[s..e]`.
    fn chunk(&mut self, s: usize, e: usize) {
        let text = self.text;
        let w = &text[s..e];
        if EMOTICONS.contains(&w) {
            self.push(s, e);
            return;
        }
        let (mut a, mut b) = (s, e);
        self.tail.clear();

        // Leading punctuation, one token at a time.
        while a < b {
            let rest = &text[a..b];
            let c = rest.chars().next().unwrap_or(' ');
            let n = c.len_utf8();
            if is_apostrophe(c) && c != '`' {
                let after = &rest[n..];
                // "'s", "'90s", "'em" are words; a quote before a word is not.
                if after.is_empty()
                    || after.starts_with(|d: char| d.is_ascii_digit())
                    || ["s", "m", "d", "re", "ve", "ll", "em", "n"]
                        .iter()
                        .any(|x| after.eq_ignore_ascii_case(x))
                {
                    break;
                }
                let run = if after.starts_with(c) { 2 * n } else { n };
                self.push(a, a + run);
                a += run;
            } else if c == '`' {
                let run = rest.bytes().take_while(|&x| x == b'`').count();
                self.push(a, a + run);
                a += run;
            } else if c == '-' || c == '.' {
                // A run of dashes or dots ("--", "...") is one token; a lone
                // hyphen before a digit is a minus sign and stays.
                let run = rest.bytes().take_while(|&x| x == c as u8).count();
                let next = rest[run..].chars().next();
                if run == 1 && (next.is_none() || next.is_some_and(|d| d.is_alphanumeric())) {
                    break;
                }
                if run == rest.len() {
                    break;
                }
                self.push(a, a + run);
                a += run;
            } else if opening(c) {
                if rest.len() == n {
                    break;
                }
                self.push(a, a + n);
                a += n;
            } else {
                break;
            }
        }

        // URLs and e-mail addresses keep everything but trailing punctuation.
        if looks_like_url(&text[a..b]) {
            while b > a {
                let c = text[a..b].chars().next_back().unwrap_or(' ');
                if !matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '"' | '\'' | '’' | '”' | '>'
                ) {
                    break;
                }
                self.tail.push((b - c.len_utf8(), b));
                b -= c.len_utf8();
            }
            self.push(a, b);
            self.flush_tail();
            return;
        }

        // Trailing punctuation, last first.
        while b > a {
            let core = &text[a..b];
            let c = core.chars().next_back().unwrap_or(' ');
            let n = c.len_utf8();
            if core.len() == n {
                break;
            }
            if matches!(c, '.' | '!' | '?' | '…') {
                let run_start = core
                    .char_indices()
                    .rev()
                    .take_while(|&(_, d)| matches!(d, '.' | '!' | '?' | '…'))
                    .last()
                    .map_or(0, |(i, _)| i);
                let stem = &core[..run_start];
                if core.len() - run_start == 1 && c == '.' {
                    if abbrev::is_abbreviation(stem) || abbrev::is_initialism(stem) {
                        break;
                    }
                    self.tail.push((b - 1, b));
                    b -= 1;
                    continue;
                }
                if stem.is_empty() {
                    break;
                }
                self.tail.push((a + run_start, b));
                b = a + run_start;
            } else if c == '-' {
                let run = core.bytes().rev().take_while(|&x| x == b'-').count();
                if run == core.len() {
                    break;
                }
                self.tail.push((b - run, b));
                b -= run;
            } else if is_apostrophe(c) && c != '`' {
                // Two ASCII apostrophes close a quote as one token.
                let two = c == '\'' && core[..core.len() - 1].ends_with('\'');
                let run = if two { 2 } else { n };
                if run == core.len() {
                    break;
                }
                self.tail.push((b - run, b));
                b -= run;
            } else if closing(c) {
                self.tail.push((b - n, b));
                b -= n;
            } else {
                break;
            }
        }

        self.core(a, b);
        self.flush_tail();
    }

    fn flush_tail(&mut self) {
        while let Some((s, e)) = self.tail.pop() {
            self.push(s, e);
        }
    }

    /// Splits the middle of a chunk at clitics and inner punctuation.
    fn core(&mut self, a: usize, b: usize) {
        if a >= b {
            return;
        }
        let w = &self.text[a..b];
        if let Some(k) = fused_split(w) {
            self.push(a, a + k);
            self.push(a + k, b);
            return;
        }
        match clitic_start(w) {
            Some(k) if k > 0 => {
                self.inner(a, a + k);
                self.push(a + k, b);
            }
            _ => self.inner(a, b),
        }
    }

    /// Splits a word at inner punctuation: hyphens (except after prefixes
    /// and inside phone numbers), slashes between words, brackets, quotes,
    /// dashes and commas or colons not between digits.
    fn inner(&mut self, a: usize, b: usize) {
        let w = &self.text[a..b];
        let bytes = w.as_bytes();
        let mut seg = 0;
        let mut it = w.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            let n = c.len_utf8();
            let prev = w[..i].chars().next_back();
            let next = w[i + n..].chars().next();
            let split = match c {
                c if always_split(c) => true,
                ',' | ':' => {
                    !(prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|p| p.is_ascii_digit()))
                }
                '-' => {
                    if next == Some('-') || prev == Some('-') {
                        // Runs of hyphens are dashes: one token for the run.
                        let run = bytes[i..].iter().take_while(|&&x| x == b'-').count();
                        if i > seg {
                            self.push(a + seg, a + i);
                        }
                        self.push(a + i, a + i + run);
                        seg = i + run;
                        for _ in 1..run {
                            it.next();
                        }
                        continue;
                    }
                    let left = &w[seg..i];
                    let joined = match (prev, next) {
                        (Some(p), Some(q)) if p.is_alphanumeric() && q.is_alphanumeric() => {
                            abbrev::is_hyphen_prefix(left)
                                || (p.is_ascii_digit() && q.is_ascii_digit() && phone_like(w, i))
                        }
                        _ => i == 0 && next.is_some_and(|q| q.is_ascii_digit()),
                    };
                    !joined
                }
                '/' => {
                    // "and/or" splits; dates, fractions and "l/c" stay.
                    let left = w[seg..i]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphabetic())
                        .count();
                    let right = w[i + 1..].chars().take_while(|c| c.is_alphabetic()).count();
                    left >= 2 && right >= 2 && left == w[seg..i].chars().count()
                }
                _ => false,
            };
            if split {
                if i > seg {
                    self.push(a + seg, a + i);
                }
                self.push(a + i, a + i + n);
                seg = i + n;
            }
        }
        if seg < w.len() {
            self.push(a + seg, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut doc = Doc::new("t", text);
        tokenize(&mut doc);
        let spans: Vec<_> = (0..doc.tokens.len()).map(|i| doc.tokens.span(i)).collect();
        spans.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_clitics_and_punctuation() {
        assert_eq!(toks("I don't know."), ["I", "do", "n't", "know", "."]);
        assert_eq!(toks("Iran’s army"), ["Iran", "’s", "army"]);
        assert_eq!(toks("cannot"), ["can", "not"]);
        assert_eq!(toks("search-engine"), ["search", "-", "engine"]);
        assert_eq!(toks("e-mail"), ["e-mail"]);
        assert_eq!(toks("the U.S. army"), ["the", "U.S.", "army"]);
        assert_eq!(toks("$5.5 (3%)"), ["$", "5.5", "(", "3", "%", ")"]);
    }
}
