//! A rule-based sentence splitter for news English.
//!
//! A sentence ends after terminal punctuation (`.`, `!`, `?`, ellipses),
//! together with any closing quotes, brackets and reference marks ("[12]")
//! that follow it, when the next word can open a sentence. Periods kept on
//! abbreviations end a sentence only before a typical sentence opener, and
//! never after titles ("Gen.", "Dr.") or initials. Blank lines always end a
//! sentence; a single line break ends one before a bullet and after a short
//! line without final punctuation (a headline), but not after a dateline
//! ("TEHRAN –"), which stays in the first sentence. Lines that lost their
//! line breaks are recognised where their shape is plain: rules ("***"),
//! weekday date lines, picture credits, links, and the headers, greetings and
//! sign-offs of forwarded mail. A trained model ([`crate::boundary`]) then
//! adds the boundaries without punctuation that the rules miss, and the
//! items of a "Categories:" footer are split last.

use crate::{abbrev, boundary, tokenize};
use annalist_doc::{Doc, Sentence};

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Fills `doc.sentences` from the tokens: the rules decide, then the
/// trained model compiled into the crate adds the boundaries they miss
/// between tokens on one line.
pub fn split_sentences(doc: &mut Doc) {
    let ends = sentence_ends(doc, boundary::builtin());
    doc.sentences = sentences_from_ends(&ends);
}

/// One flag per token: whether a sentence ends after it, by the rules with
/// the boundaries `model` adds (the rules alone when it is `None`), then with
/// the items of category footers split.
pub fn sentence_ends(doc: &Doc, model: Option<&boundary::Model>) -> Vec<bool> {
    let mut ends = rule_ends(doc);
    if let Some(model) = model {
        boundary::refine(doc, model, &mut ends);
    }
    split_category_footers(doc, &mut ends);
    cap_sentence_length(doc, &mut ends);
    ends
}

/// The most tokens one sentence may have. News sentences rarely pass 80
/// tokens; text without punctuation (transcripts, scraped lists) can make
/// one "sentence" of the whole document, and the parser and coder take time
/// that grows faster than the sentence's length.
pub const MAX_SENTENCE_TOKENS: usize = 150;

/// Cuts every sentence longer than [`MAX_SENTENCE_TOKENS`] into pieces that
/// are not, each cut at the best boundary in the second half of the window:
/// after a semicolon, else after a comma, colon or dash, else before a
/// conjunction, else at the cap itself.
fn cap_sentence_length(doc: &Doc, ends: &mut [bool]) {
    let n = ends.len();
    let mut start = 0;
    while start < n {
        let end = (start..n).find(|&k| ends[k]).unwrap_or(n - 1);
        let mut from = start;
        while end + 1 - from > MAX_SENTENCE_TOKENS {
            let cut = best_cut(doc, from, from + MAX_SENTENCE_TOKENS - 1);
            ends[cut] = true;
            from = cut + 1;
        }
        start = end + 1;
    }
}

/// Where to end a piece of an overlong sentence that starts at `from` and
/// may end at `last` at the latest: the token after which to cut.
fn best_cut(doc: &Doc, from: usize, last: usize) -> usize {
    let window = (from + (last - from) / 2)..=last;
    let rank = |k: usize| -> u8 {
        match doc.token_text(k) {
            ";" => 3,
            "," | ":" | "-" | "–" | "—" => 2,
            _ if k + 1 < doc.tokens.len()
                && matches!(
                    doc.token_text(k + 1).to_lowercase().as_str(),
                    "and" | "but" | "or" | "while" | "whereas" | "although" | "because"
                ) =>
            {
                1
            }
            _ => 0,
        }
    };
    // The latest boundary of the best rank keeps pieces as long as allowed
    // (`max_by_key` returns the last of equals).
    window
        .max_by_key(|&k| rank(k))
        .filter(|&k| rank(k) > 0)
        .unwrap_or(last)
}

/// Status categories that news wikis list among an article's categories.
const STATUS_CATEGORIES: [&str; 5] = [
    "Published",
    "Archived",
    "Developing",
    "Disputed",
    "Featured",
];

/// Splits a footer of categories ("Categories: May 7, 2015 Canada Published
/// North America Politics and conflicts"), whose items lose their line
/// breaks in plain text, into one sentence per item. An item starts after a
/// date, before and after a status category, at a capitalised word after a
/// lowercase word or a number, and at a topic of the form "Crime and law";
/// other capitalised words stay together ("North America").
fn split_category_footers(doc: &Doc, ends: &mut [bool]) {
    let n = doc.tokens.len();
    let s = Splitter { doc };
    let mut i = 0;
    while i + 2 < n {
        let opens = s.tok(i) == "Categories"
            && s.tok(i + 1) == ":"
            && (i == 0 || ends[i - 1] || s.gap(i - 1).newline);
        if !opens {
            i += 1;
            continue;
        }
        ends[i + 1] = true;
        let mut k = i + 2;
        while k + 1 < n && !s.gap(k).paragraph {
            let (a, b) = (s.tok(k), s.tok(k + 1));
            let b_upper = s.first_char(k + 1).is_uppercase();
            let a_lower = s.first_char(k).is_lowercase();
            let a_number = a.bytes().all(|c| c.is_ascii_digit());
            let in_date = a_number && a.len() <= 2 && b == ",";
            ends[k] = !in_date
                && (STATUS_CATEGORIES.contains(&a)
                    || (b_upper
                        && (a_lower
                            || a_number
                            || STATUS_CATEGORIES.contains(&b)
                            || (k + 3 < n
                                && s.tok(k + 2) == "and"
                                && s.first_char(k + 3).is_lowercase()))));
            k += 1;
        }
        i = k + 1;
    }
}

/// Fills `doc.sentences` by the rules alone, without the trained model (for
/// comparison and for training the model).
pub fn split_sentences_by_rules(doc: &mut Doc) {
    let ends = sentence_ends(doc, None);
    doc.sentences = sentences_from_ends(&ends);
}

/// One flag per token: whether the rules end a sentence after it.
pub fn rule_ends(doc: &Doc) -> Vec<bool> {
    let n = doc.tokens.len();
    let mut ends = vec![false; n];
    let s = Splitter { doc };
    let mut line_start = 0;
    let mut sent_start = 0;
    let mut i = 0;
    while i + 1 < n {
        let gap = s.gap(i);
        let mut end_at = None;
        if gap.paragraph {
            end_at = Some(i);
        } else if s.is_separator_line(i) || s.is_separator_line(i + 1) {
            // Rules of "***" or "=====" stand alone.
            end_at = Some(i);
        } else if s.is_terminal(i) && i > sent_start {
            // Closing quotes and brackets right after the punctuation, and
            // reference marks ("[12]"), belong to the sentence it ends.
            let mut last = i;
            let mut quoted = false;
            loop {
                if last + 1 < n && s.is_closer(last + 1, last) && !s.gap(last).paragraph {
                    quoted = true;
                    last += 1;
                } else if let Some(k) = s
                    .reference_mark(last + 1)
                    .filter(|_| !s.gap(last).paragraph)
                {
                    last = k;
                } else {
                    break;
                }
            }
            if last + 1 < n && s.opens_sentence(last + 1, quoted) {
                end_at = Some(last);
            } else if last > i {
                // Nothing to decide inside the absorbed marks: go on after them.
                i = last;
                continue;
            }
        } else if (s.abbreviation_may_end(i) && s.opens_after_abbreviation(i + 1))
            || s.opens_caption_credit(i + 1)
            || s.ends_mail_header(i)
            || s.ends_before_mail_date(i)
            || s.ends_address(i)
            || s.ends_salutation(sent_start, i)
            || s.ends_emoticon(sent_start, i)
            || s.ends_date_line(sent_start, i)
            || s.opens_date_line(i + 1)
            || (gap.newline
                && (s.is_bullet(i + 1)
                    || (s.is_heading_line(line_start, i) && s.starts_upper(i + 1))))
        {
            end_at = Some(i);
        }
        match end_at {
            Some(k) => {
                ends[k] = true;
                sent_start = k + 1;
                for j in i..=k.min(n - 2) {
                    if s.gap(j).newline {
                        line_start = j + 1;
                    }
                }
                i = k + 1;
            }
            None => {
                if gap.newline {
                    line_start = i + 1;
                }
                i += 1;
            }
        }
    }
    ends
}

/// The sentences that end after the flagged tokens (and after the last).
fn sentences_from_ends(ends: &[bool]) -> Vec<Sentence> {
    let n = ends.len();
    let mut out = Vec::new();
    let mut start = 0u32;
    for (k, &end) in ends.iter().enumerate() {
        if end {
            out.push(Sentence {
                start,
                end: k as u32 + 1,
            });
            start = k as u32 + 1;
        }
    }
    if (start as usize) < n {
        out.push(Sentence {
            start,
            end: n as u32,
        });
    }
    out
}

/// What lies between two tokens.
struct Gap {
    /// A blank line, a paragraph separator or excluded text.
    paragraph: bool,
    /// At least one line break.
    newline: bool,
}

struct Splitter<'a> {
    doc: &'a Doc,
}

impl Splitter<'_> {
    fn tok(&self, i: usize) -> &str {
        self.doc.token_text(i)
    }

    fn gap(&self, i: usize) -> Gap {
        let (a, b) = (
            self.doc.tokens.end[i] as usize,
            self.doc.tokens.start[i + 1] as usize,
        );
        let g = &self.doc.text[a..b];
        let mut newlines = 0;
        let mut paragraph = false;
        for c in g.chars() {
            match c {
                '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => newlines += 1,
                '\u{2029}' => paragraph = true,
                _ => {}
            }
        }
        if !paragraph && b > a {
            paragraph = self
                .doc
                .excluded
                .iter()
                .any(|r| r.start >= a && r.start < b);
        }
        Gap {
            paragraph: paragraph || newlines >= 2,
            newline: newlines >= 1,
        }
    }

    /// Whether token `i` is sentence-final punctuation on its own; an
    /// elision mark ("[...]") counts as an ellipsis.
    fn is_terminal(&self, i: usize) -> bool {
        let t = self.tok(i);
        let t = t
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(t);
        !t.is_empty() && t.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
    }

    /// If tokens from `i` make a reference mark ("[12]", "[a]"), the index of
    /// its last token.
    fn reference_mark(&self, i: usize) -> Option<usize> {
        if i + 2 >= self.doc.tokens.len() || self.tok(i) != "[" || self.tok(i + 2) != "]" {
            return None;
        }
        let inner = self.tok(i + 1);
        let short = inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_alphanumeric());
        short.then_some(i + 2)
    }

    /// Whether token `i` is a URL or e-mail address.
    fn is_address(&self, i: usize) -> bool {
        let t = self.tok(i);
        t.contains("://") || t.starts_with("www.") || (t.contains('@') && t.contains('.'))
    }

    /// Whether a URL or address ends a sentence before a capitalised word or
    /// another address (lists of links, signatures).
    fn ends_address(&self, i: usize) -> bool {
        self.is_address(i) && (self.starts_upper(i + 1) || self.is_address(i + 1))
    }

    /// Whether token `i` is a numeric date ("08/16/2000", "1/2/01").
    fn is_numeric_date(&self, i: usize) -> bool {
        let t = self.tok(i);
        let mut parts = 0;
        for p in t.split('/') {
            parts += 1;
            if !(1..=4).contains(&p.len()) || !p.bytes().all(|c| c.is_ascii_digit()) {
                return false;
            }
        }
        parts == 3
    }

    /// Whether a sender's name ends right before the date and time of a mail
    /// header ("Kay Mann 04/26/2001 07:17 AM").
    fn ends_before_mail_date(&self, i: usize) -> bool {
        let n = self.doc.tokens.len();
        i + 2 < n
            && self.tok(i + 2).starts_with(|c: char| c.is_ascii_digit())
            && self.tok(i + 2).contains(':')
            && self.is_numeric_date(i + 1)
            && (self.first_char(i).is_uppercase() || self.tok(i) == ">" || self.is_address(i))
    }

    /// Whether tokens `from..=i` are a salutation or sign-off ending in a
    /// comma ("Best regards,", "Dear Ms. Amini,"), which stands alone.
    fn ends_salutation(&self, from: usize, i: usize) -> bool {
        if self.tok(i) != "," || i <= from || i - from > 4 || !self.starts_upper(i + 1) {
            return false;
        }
        let mut words = String::new();
        for k in from..i {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(&self.tok(k).to_lowercase());
        }
        let first = words.split(' ').next().unwrap_or("");
        matches!(first, "dear" | "hi" | "hello" | "hey" | "greetings")
            || matches!(
                words.as_str(),
                "thanks"
                    | "thank you"
                    | "many thanks"
                    | "thanks again"
                    | "regards"
                    | "best regards"
                    | "kind regards"
                    | "kindest regards"
                    | "warm regards"
                    | "warmest regards"
                    | "best"
                    | "best wishes"
                    | "cheers"
                    | "sincerely"
                    | "yours"
                    | "yours truly"
                    | "yours sincerely"
                    | "respectfully"
                    | "love"
            )
    }

    /// Whether an emoticon ends a sentence before a capitalised word ("See
    /// you then :) Bring the maps."): it closes what it comments on.
    fn ends_emoticon(&self, from: usize, i: usize) -> bool {
        i > from
            && tokenize::EMOTICONS.contains(&self.tok(i))
            && self.first_char(i + 1).is_uppercase()
    }

    /// Whether a weekday date line ("Thursday, May 7, 2015") starts at token
    /// `i`, after a headline or caption without final punctuation.
    fn opens_date_line(&self, i: usize) -> bool {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        i + 3 < self.doc.tokens.len()
            && WEEKDAYS.contains(&self.tok(i))
            && self.tok(i + 1) == ","
            && MONTHS.contains(&self.tok(i + 2))
            && self.tok(i + 3).bytes().all(|c| c.is_ascii_digit())
            && !matches!(
                self.tok(i - 1),
                "," | "on" | "On" | "of" | "last" | "next" | "this"
            )
    }

    /// Whether tokens `from..=i` are a weekday date line ("Thursday, May 7,
    /// 2015") that heads an article before its first sentence.
    fn ends_date_line(&self, from: usize, i: usize) -> bool {
        let t = self.tok(i);
        i > from
            && i - from <= 6
            && WEEKDAYS.contains(&self.tok(from))
            && t.len() == 4
            && t.bytes().all(|c| c.is_ascii_digit())
            && self.starts_upper(i + 1)
    }

    /// Whether token `i` closes a quote or bracket opened before `prev`.
    fn is_closer(&self, i: usize, prev: usize) -> bool {
        let attached = self.doc.tokens.start[i] == self.doc.tokens.end[prev];
        match self.tok(i) {
            "”" | "»" | "›" | ")" | "]" | "}" => true,
            "\"" | "'" | "''" | "’" => attached,
            // An opening quote glued to the end of a sentence and followed by
            // a space is a closing quote typed the wrong way round
            // ("decision.“ However").
            "“" | "‘" => {
                let n = self.doc.tokens.len();
                attached
                    && self.is_terminal(prev)
                    && (i + 1 == n || self.doc.tokens.start[i + 1] > self.doc.tokens.end[i])
            }
            _ => false,
        }
    }

    /// The first char of token `i`.
    fn first_char(&self, i: usize) -> char {
        self.tok(i).chars().next().unwrap_or(' ')
    }

    fn starts_upper(&self, i: usize) -> bool {
        let c = self.first_char(i);
        c.is_uppercase() || c.is_ascii_digit()
    }

    /// Whether a sentence can start at token `i` after terminal punctuation.
    fn opens_sentence(&self, i: usize, quoted: bool) -> bool {
        let n = self.doc.tokens.len();
        // Skip opening quotes and brackets to the first word.
        let mut j = i;
        while j < n
            && matches!(
                self.tok(j),
                "“" | "‘" | "’" | "\"" | "'" | "(" | "[" | "«" | "``" | "`"
            )
        {
            j += 1;
        }
        if j == n {
            return true;
        }
        if j > i {
            return true;
        }
        let c = self.first_char(j);
        if c.is_uppercase() || c.is_numeric() {
            return true;
        }
        if c.is_lowercase() {
            // After a closing quote a lowercase word continues the sentence
            // ("?” he asked"); otherwise it is a careless new sentence.
            return !quoted && self.lowercase_opens(j);
        }
        // Punctuation, symbols and emoji: a bullet or a symbol that opens a
        // word (a currency sign) may start a sentence, a comma may not.
        matches!(
            self.tok(j),
            "-" | "*" | "•" | "$" | "£" | "€" | "#" | "@" | "–" | "—"
        ) || c.is_alphabetic()
            || (!c.is_ascii() && !c.is_alphanumeric() && !matches!(c, '’' | '”' | '…' | '–' | '—'))
    }

    /// Whether a lowercase word right after terminal punctuation starts a
    /// new sentence (informal writing) rather than continuing one.
    fn lowercase_opens(&self, j: usize) -> bool {
        let prev = self.tok(j - 1);
        // An ellipsis inside a sentence is followed by lowercase text.
        if prev.contains("..") || prev.contains('…') {
            return false;
        }
        true
    }

    /// Whether token `i` ends in an attached period ("Inc.", "U.S.") that may
    /// also end a sentence; titles and initials never do.
    fn abbreviation_may_end(&self, i: usize) -> bool {
        let t = self.tok(i);
        let Some(stem) = t.strip_suffix('.') else {
            return false;
        };
        if stem.is_empty() || stem.ends_with('.') && !stem.contains(|c: char| c.is_alphabetic()) {
            return false;
        }
        if abbrev::is_before_name(stem) {
            return false;
        }
        let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 1 && stem.len() == 1 {
            // A lone initial ("J.") sits inside a name.
            return false;
        }
        if stem.chars().all(|c| c.is_ascii_digit()) {
            // "2." numbering a list item.
            return false;
        }
        true
    }

    /// Whether token `j` opens a sentence after the abbreviation at `j - 1`.
    fn opens_after_abbreviation(&self, j: usize) -> bool {
        let t = self.tok(j);
        let c = self.first_char(j);
        if !c.is_uppercase() {
            return matches!(t, "“" | "\"");
        }
        if abbrev::is_sentence_starter(t) {
            return true;
        }
        // Times and "etc." rarely stand before a name, so any capitalised
        // word after them opens a sentence, bar a time zone ("5 p.m. EST").
        let abbr = self.tok(j - 1).to_ascii_lowercase();
        let time_zone = t.len() <= 4 && t.chars().all(|c| c.is_ascii_uppercase());
        matches!(abbr.as_str(), "a.m." | "p.m." | "etc.") && !time_zone
    }

    /// Whether token `i` is a rule line made of one repeated symbol.
    fn is_separator_line(&self, i: usize) -> bool {
        let t = self.tok(i);
        let mut chars = t.chars();
        let Some(c) = chars.next() else {
            return false;
        };
        t.len() >= 3 && matches!(c, '*' | '=' | '_' | '~' | '#' | '+') && chars.all(|d| d == c)
    }

    /// Whether token `i` opens a picture credit ("Image: Nick Moreau."),
    /// which follows a caption without punctuation in between.
    fn opens_caption_credit(&self, i: usize) -> bool {
        i + 1 < self.doc.tokens.len()
            && matches!(
                self.tok(i),
                "Image" | "Photo" | "Photograph" | "Picture" | "Credit"
            )
            && self.tok(i + 1) == ":"
    }

    /// Whether token `i` ends the date line of a mail header
    /// ("08/16/2000 12:05 PM"), which is followed by the message.
    fn ends_mail_header(&self, i: usize) -> bool {
        i >= 1
            && matches!(self.tok(i), "AM" | "PM")
            && self.tok(i - 1).contains(':')
            && self.tok(i - 1).starts_with(|c: char| c.is_ascii_digit())
            && !self.first_char(i + 1).is_lowercase()
    }

    fn is_bullet(&self, i: usize) -> bool {
        let t = self.tok(i);
        matches!(t, "-" | "*" | "•" | "·" | "–" | "—" | "o")
            || (t.len() <= 3
                && t.ends_with(['.', ')'])
                && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit())
                && t.len() > 1)
    }

    /// Whether tokens `from..=to` make a line that reads as a heading: short,
    /// without final punctuation and not a dateline or lead-in.
    fn is_heading_line(&self, from: usize, to: usize) -> bool {
        if to < from || to - from >= 14 {
            return false;
        }
        let last = self.tok(to);
        if matches!(
            last,
            "," | ":" | ";" | "-" | "–" | "—" | "(" | "and" | "or" | "the" | "of"
        ) {
            return false;
        }
        let c = self.first_char(from);
        c.is_uppercase() || c.is_ascii_digit() || self.is_bullet(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn sents(text: &str) -> Vec<String> {
        let mut doc = Doc::new("t", text);
        tokenize(&mut doc);
        split_sentences(&mut doc);
        doc.sentences
            .iter()
            .map(|s| doc.text[doc.token_range_span(s.tokens())].to_string())
            .collect()
    }

    #[test]
    fn unpunctuated_text_is_cut_into_capped_sentences() {
        let text =
            "the minister spoke to reporters in the capital and the talks went on ".repeat(400);
        let mut doc = Doc::new("t", text);
        tokenize(&mut doc);
        split_sentences(&mut doc);
        assert!(doc.sentences.len() > 1);
        for s in &doc.sentences {
            assert!(
                s.tokens().len() <= MAX_SENTENCE_TOKENS,
                "{}",
                s.tokens().len()
            );
        }
        // Cuts fall before a conjunction where there is one.
        let first = doc.sentences[0];
        assert_eq!(doc.token_text(first.end as usize), "and");
    }

    #[test]
    fn overlong_sentences_are_cut_after_a_semicolon_first() {
        let clause = "officials said the border was closed, the trains stopped; ";
        let mut doc = Doc::new("t", clause.repeat(60));
        tokenize(&mut doc);
        split_sentences(&mut doc);
        for s in &doc.sentences[..doc.sentences.len() - 1] {
            assert_eq!(doc.token_text(s.end as usize - 1), ";");
        }
    }

    #[test]
    fn splits_at_periods_but_not_after_titles() {
        assert_eq!(
            sents("Gen. Smith arrived. He spoke."),
            ["Gen. Smith arrived.", "He spoke."]
        );
        assert_eq!(sents("“Go.” He left."), ["“Go.”", "He left."]);
        assert_eq!(sents("“Why?” he asked."), ["“Why?” he asked."]);
    }
}
