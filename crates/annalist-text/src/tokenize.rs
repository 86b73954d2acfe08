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

/// Whether a period between `left` and `right` ends a sentence whose
/// following space was lost ("said.The"), as scraped news often has, rather
/// than joining the parts of a name or domain ("ASP.NET", "Newsfeed.Com").
fn missing_space_after_period(left: &str, right: &str) -> bool {
    let l = left.as_bytes();
    let word_end = right
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(right.len());
    let r = &right.as_bytes()[..word_end];
    l.len() >= 2
        && l.iter().all(u8::is_ascii_alphabetic)
        && l[l.len() - 2..].iter().all(u8::is_ascii_lowercase)
        && r.len() >= 2
        && r[0].is_ascii_uppercase()
        && r[1..].iter().all(u8::is_ascii_lowercase)
        && !abbrev::is_abbreviation(left)
        && ![
            "com", "net", "org", "gov", "edu", "info", "biz", "co", "uk", "ir", "io",
        ]
        .iter()
        .any(|t| right[..word_end].eq_ignore_ascii_case(t))
}

/// Whether `stem` numbers a list item ("1" of "1.").
fn is_item_number(stem: &str) -> bool {
    // Section numbers ("2.1") count too.
    (1..=6).contains(&stem.len())
        && stem.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && stem.starts_with(|c: char| c.is_ascii_digit())
        && !stem.contains("..")
}

/// Whether only spaces stand between the start of the line and byte `at`.
fn starts_line(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| is_separator(c) && c != '\n');
    before.is_empty() || before.ends_with('\n')
}

/// Marks whose runs ("***", "$$$", "!!!", "<<") are one token.
fn repeats(c: char) -> bool {
    matches!(
        c,
        '*' | '=' | '_' | '~' | '#' | '+' | '$' | '!' | '?' | '<' | '>' | '-' | '.' | '…'
    )
}

/// Byte length of the run of `c` at the start of `s`.
fn run_fwd(s: &str, c: char) -> usize {
    s.chars().take_while(|&d| d == c).count() * c.len_utf8()
}

/// Byte length of the run of `c` at the end of `s`.
fn run_back(s: &str, c: char) -> usize {
    s.chars().rev().take_while(|&d| d == c).count() * c.len_utf8()
}

/// Emoticons that are tokens of their own when they make up a whole chunk.
pub(crate) const EMOTICONS: &[&str] = &[
    ":)", ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":-P", ":p", ":-p", "(:", "):", ":/",
    ":-/", ":'(", ":O", ":o", ":|", "<3", "^_^", "^^", "xD", "XD", "=)", "=(", ":]", ";D", ":-|",
    "-_-", "o_O", "O_o", ":-*", ":*",
];

/// Whether a chunk labels a list item with a closing bracket ("a)", "12)").
fn is_list_label(w: &str) -> bool {
    let Some(label) = w.strip_suffix(')') else {
        return false;
    };
    let b = label.as_bytes();
    (b.len() == 1 && b[0].is_ascii_alphabetic())
        || ((1..=2).contains(&b.len()) && b.iter().all(u8::is_ascii_digit))
}

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
        b"cant" | b"wont" => Some(2),
        b"gonna" | b"wanna" => Some(3),
        b"gotta" => Some(3),
        b"dont" | b"didnt" | b"doesnt" | b"isnt" | b"wasnt" | b"arent" | b"werent" | b"couldnt"
        | b"wouldnt" | b"shouldnt" | b"havent" | b"hasnt" | b"hadnt" => Some(b.len() - 2),
        _ => None,
    }
}

/// Where "am"/"pm" starts in a time written solid ("6:00am", "5p.m.").
fn clock_suffix(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let digits = b
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b':')
        .count();
    let rest = &w[digits..];
    let is_clock = ["am", "pm", "a.m.", "p.m.", "a.m", "p.m"]
        .iter()
        .any(|s| rest.eq_ignore_ascii_case(s));
    (is_clock && digits <= 5).then_some(digits)
}

/// Whether the hyphen at `i` of `w` joins the two syllables of an East Asian
/// given name ("Wai-keung", "Min-Woo") after a short capitalised surname,
/// which UD keeps as one word.
fn given_name_hyphen(w: &str, i: usize, surname: Option<&str>) -> bool {
    let short_cap = |s: &str, max: usize| {
        let n = s.len();
        (2..=max).contains(&n)
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.bytes().all(|c| c.is_ascii_alphabetic())
    };
    let left = &w[..i];
    let right = &w[i + 1..];
    let right = right.strip_suffix("'s").unwrap_or(right);
    short_cap(left, 4)
        && (2..=5).contains(&right.len())
        && right.bytes().all(|c| c.is_ascii_alphabetic())
        && right.bytes().skip(1).all(|c| c.is_ascii_lowercase())
        && surname
            .is_some_and(|s| short_cap(s, 5) && !matches!(s, "The" | "In" | "On" | "At" | "By"))
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
    // "U.K.'s" and "Corp.'s" have their clitic after an abbreviation's period.
    let abbr = &stem[..stem.len() - last.len_utf8()];
    let stem_ok = last.is_alphabetic()
        || (last == '.' && (abbrev::is_initialism(abbr) || abbrev::is_abbreviation(abbr)));
    if (is("s") || is("m") || is("d") || is("re") || is("ve") || is("ll")) && stem_ok {
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
    before == Some(b'-')
        || after == Some(b'-')
        || (right == 4 && (left == 1 || left == 3 || left == 5))
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
        if EMOTICONS.contains(&w)
            || matches!(w, "[...]" | "(...)" | "[…]" | "(…)")
            || is_list_label(w)
        {
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
                // hyphen or period before a word is left to the inner rules.
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
            } else if c == '#' && rest[1..].starts_with(|d: char| d.is_ascii_digit()) {
                // "#2" is a sign and a number in UD.
                self.push(a, a + 1);
                a += 1;
            } else if opening(c) {
                let run = if repeats(c) { run_fwd(rest, c) } else { n };
                if rest.len() == run {
                    break;
                }
                self.push(a, a + run);
                a += run;
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
                if &core[run_start..] == ".."
                    && (abbrev::is_abbreviation(stem) || abbrev::is_initialism(stem))
                {
                    // "Inc.." keeps one period on the abbreviation.
                    self.tail.push((a + run_start + 1, b));
                    b = a + run_start + 1;
                    break;
                }
                if core.len() - run_start == 1 && c == '.' {
                    let number_sign = ["no", "nos"].iter().any(|x| stem.eq_ignore_ascii_case(x));
                    if number_sign {
                        // "No." abbreviates "number" only before one ("No. 5").
                        let next = text[e..].trim_start_matches(is_separator);
                        if next.starts_with(|d: char| d.is_ascii_digit()) {
                            break;
                        }
                    } else if abbrev::is_abbreviation(stem)
                        || abbrev::is_initialism(stem)
                        || (a == s && is_item_number(stem) && starts_line(text, s))
                    {
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
                let run = if repeats(c) { run_back(core, c) } else { n };
                if run == core.len() {
                    break;
                }
                self.tail.push((b - run, b));
                b -= run;
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
        if let Some(k) = fused_split(w).or_else(|| clock_suffix(w)) {
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
                c if always_split(c) || (c == '.' && next == Some('.')) => {
                    // Runs of the same mark ("!!!", "...") make one token.
                    let run = if repeats(c) { run_fwd(&w[i..], c) } else { n };
                    if i > seg {
                        self.segment(a + seg, a + i);
                    }
                    self.push(a + i, a + i + run);
                    seg = i + run;
                    for _ in 1..run / n {
                        it.next();
                    }
                    continue;
                }
                ',' | ':' => {
                    !(prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|p| p.is_ascii_digit()))
                }
                '-' => {
                    if next == Some('-') || prev == Some('-') {
                        // Runs of hyphens are dashes: one token for the run.
                        let run = bytes[i..].iter().take_while(|&&x| x == b'-').count();
                        if i > seg {
                            self.segment(a + seg, a + i);
                        }
                        self.push(a + i, a + i + run);
                        seg = i + run;
                        for _ in 1..run {
                            it.next();
                        }
                        continue;
                    }
                    let left = &w[seg..i];
                    let surname = self.out.last().map(|&(s, e)| &self.text[s..e]);
                    let joined = match (prev, next) {
                        (Some(p), Some(q)) if p.is_alphanumeric() && q.is_alphanumeric() => {
                            abbrev::is_hyphen_prefix(left)
                                || (seg == 0 && given_name_hyphen(w, i, surname))
                                || (p.is_ascii_digit() && q.is_ascii_digit() && phone_like(w, i))
                        }
                        _ => false,
                    };
                    !joined
                }
                '.' => missing_space_after_period(&w[seg..i], &w[i + 1..]),
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
                    self.segment(a + seg, a + i);
                }
                self.push(a + i, a + i + n);
                seg = i + n;
            }
        }
        if seg < w.len() {
            self.push(a + seg, b);
        }
    }

    /// Pushes a piece of a word cut out by inner punctuation; a period it
    /// ends with ("1950.[4]") is split off unless it marks an abbreviation.
    fn segment(&mut self, s: usize, e: usize) {
        let w = &self.text[s..e];
        if let Some(stem) = w.strip_suffix('.') {
            if !stem.is_empty()
                && !stem.ends_with('.')
                && !abbrev::is_abbreviation(stem)
                && !abbrev::is_initialism(stem)
            {
                self.push(s, e - 1);
                self.push(e - 1, e);
                return;
            }
        }
        self.push(s, e);
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
