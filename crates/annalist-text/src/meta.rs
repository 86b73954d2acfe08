//! Metadata written into the text itself: datelines, date lines, licence and
//! boilerplate footers.
//!
//! News text carries metadata that must never be coded as news: the dateline
//! ("TEHRAN –") says where the report was filed, not where anything happened;
//! a licence footer names the publisher, who is not an actor. [`detect`] moves
//! these into `Doc::meta` and marks footers and date lines as `Doc::excluded`
//! so that no later stage sees them. The dateline stays analysed text (it is a
//! place name), but it is recorded so the coder never takes it for an event
//! location.

use annalist_doc::dates::{month, weekday_number};
use annalist_doc::{Dateline, Doc};
use std::ops::Range;

/// Finds datelines, date lines and footers; fills `doc.meta` and `doc.excluded`.
///
/// Metadata given by the input (publisher, licence, published date) wins over
/// what the text says; the text only fills the gaps.
pub fn detect(doc: &mut Doc) {
    let text = doc.text.as_str();
    let mut excluded = Vec::new();

    // A date line ("Friday, January 4, 2019") before the body, as Wikinews writes.
    let mut body_start = skip_space(text, 0);
    if let Some((line, date)) = date_line(text, body_start) {
        if doc.meta.published.is_none() {
            doc.meta.published = Some(date);
        }
        excluded.push(line.clone());
        body_start = skip_space(text, line.end);
    }

    if let Some(d) = dateline(text, body_start) {
        doc.meta.dateline = Some(d);
    }

    for footer in footers(text) {
        if let Some(licence) = &footer.license {
            if doc.meta.license.is_none() {
                doc.meta.license = Some(licence.clone());
            }
        }
        if let Some(p) = &footer.publisher {
            if doc.meta.publisher.is_none() {
                doc.meta.publisher = Some(p.clone());
            }
            // The name as written, whoever gave the metadata: a mention.
            if doc.meta.publisher_span.is_none() {
                doc.meta.publisher_span = footer.publisher_span.clone();
            }
        }
        excluded.push(footer.span);
    }
    doc.excluded.extend(excluded);
}

fn skip_space(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if !c.is_whitespace() {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// Parses "Friday, January 4, 2019", "January 4, 2019" or "4 January 2019"
/// (the whole string) into an ISO date.
fn parse_long_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words: &[&str] = match words.first() {
        Some(w) if weekday_number(w).is_some() => &words[1..],
        _ => &words,
    };
    let [a, b, y] = words else { return None };
    let (month, day) = match (month(a), month(b)) {
        (Some(m), None) => (m, b.parse::<u32>().ok()?),
        (None, Some(m)) => (m, a.parse::<u32>().ok()?),
        _ => return None,
    };
    let year: u32 = y.parse().ok()?;
    ((1..=31).contains(&day) && (1800..=2200).contains(&year))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A line at `at` that holds only a date: its span (newline included) and the date.
fn date_line(text: &str, at: usize) -> Option<(Range<usize>, String)> {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[at..end].trim();
    if line.len() > 40 {
        return None;
    }
    let date = parse_long_date(line)?;
    let stop = if end < text.len() { end + 1 } else { end };
    Some((at..stop, date))
}

/// Whether `c` can appear inside an upper-case place name of a dateline.
fn dateline_char(c: char) -> bool {
    c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-')
}

/// Recognises "TEHRAN –", "DUSHANBE, May 17 (Reuters) -", "KABUL, Afghanistan (AP) —",
/// "WASHINGTON (AP) --" and "TEHRAN-" at `at`.
fn dateline(text: &str, at: usize) -> Option<Dateline> {
    let rest = &text[at..];
    // The place: upper-case words, up to about five of them.
    let mut end = 0;
    let mut letters = 0;
    for (i, c) in rest.char_indices() {
        if i > 48 || !dateline_char(c) {
            break;
        }
        if c == '-' {
            // A hyphen belongs to the name only when a capitalised word follows
            // ("WINSTON-SALEM"), not the body ("TEHRAN-The ministry").
            let mut next = rest[i + 1..].chars();
            if !(next.next().is_some_and(char::is_uppercase)
                && next.next().is_some_and(char::is_uppercase))
            {
                break;
            }
        }
        if c.is_alphabetic() {
            letters += 1;
        }
        end = i + c.len_utf8();
    }
    if rest[end..].starts_with(char::is_lowercase) {
        // The capitals run into a lower-case word: a sentence, not a dateline.
        return None;
    }
    let place = rest[..end].trim_end_matches([' ', '-']);
    if letters < 3 || place.is_empty() {
        return None;
    }
    // Every word of the place must be capitals (so "U.S. President" is no dateline).
    let words: Vec<&str> = place.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 5 || words.iter().any(|w| !w.chars().any(char::is_alphabetic)) {
        return None;
    }
    let place_end = place.len();
    let mut i = place_end;
    let mut date = None;
    // Optional ", Country" and/or ", May 17" parts.
    for _ in 0..2 {
        let Some(after) = rest[i..].strip_prefix(',') else {
            break;
        };
        let seg_start = i + 1;
        let seg_len = after
            .find([',', '(', '–', '—', '-', '_'])
            .unwrap_or(after.len());
        let seg = after[..seg_len].trim();
        if seg.is_empty() || seg.len() > 30 {
            return None;
        }
        let mut parts = seg.split_whitespace();
        let first = parts.next()?;
        if month(first).is_some()
            && parts
                .next()
                .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
        {
            date = Some(seg.to_string());
        } else if !seg
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase))
        {
            return None;
        }
        i = seg_start + seg_len;
    }
    // Optional "(Agency)".
    let trimmed = skip_space(rest, i);
    if rest[trimmed..].starts_with('(') {
        let close = rest[trimmed..].find(')')?;
        if close > 32 {
            return None;
        }
        i = trimmed + close + 1;
    }
    // The separator: a dash (or an underscore standing for one) or two hyphens.
    let sep_at = skip_space(rest, i);
    let after_sep = ["--", "–", "—", "-", "_"]
        .iter()
        .find_map(|s| rest[sep_at..].strip_prefix(s).map(|r| rest.len() - r.len()))?;
    // The body must follow: a space, a capital or an opening quote.
    let next = rest[after_sep..].chars().next()?;
    if !(next.is_whitespace() || next.is_uppercase() || matches!(next, '"' | '“' | '‘' | '\''))
    {
        return None;
    }
    Some(Dateline {
        text: place.to_string(),
        span: at..at + place_end,
        full: at..at + after_sep,
        date,
    })
}

/// A footer found at the end of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Footer {
    span: Range<usize>,
    license: Option<String>,
    publisher: Option<String>,
    /// Byte span of the publisher's name (relative to the footer sentence
    /// inside `licence_footer`, to the text once `footers` places it).
    publisher_span: Option<Range<usize>>,
}

/// Finds trailing footers, last first: licence sentences, copyright lines,
/// "(Source: Reuters)" notes and editors' initials ("MH/PA").
fn footers(text: &str) -> Vec<Footer> {
    let mut out = Vec::new();
    let mut end = text.trim_end().len();
    // Footers stack ("... License. MH/PA"); peel them from the end.
    for _ in 0..4 {
        // White space alone ("\n\n") has no sentence: its start lies past its end.
        let start = sentence_start(text, end).min(end);
        let sentence = &text[start..end];
        let footer = if let Some(f) = licence_footer(sentence) {
            f
        } else if is_copyright(sentence) || is_source_note(sentence) || is_initials(sentence) {
            Footer {
                span: 0..0,
                license: None,
                publisher: None,
                publisher_span: None,
            }
        } else {
            break;
        };
        out.push(Footer {
            span: start..end,
            publisher_span: footer
                .publisher_span
                .as_ref()
                .map(|r| start + r.start..start + r.end),
            ..footer
        });
        end = text[..start].trim_end().len();
        if end == 0 {
            break;
        }
    }
    out
}

/// The start of the sentence (or line) that ends at `end`.
fn sentence_start(text: &str, end: usize) -> usize {
    let head = &text[..end];
    // Skip the final punctuation of this sentence itself.
    let body = head.trim_end_matches(['.', '!', '?', ')', '"', '”', ' ']);
    let mut start = 0;
    for (i, c) in body.char_indices().rev() {
        if c == '\n' {
            start = i + 1;
            break;
        }
        if matches!(c, '.' | '!' | '?' | '”') {
            let after = &body[i + c.len_utf8()..];
            if after.starts_with(char::is_whitespace) {
                start = i + c.len_utf8();
                break;
            }
        }
    }
    skip_space(text, start)
}

fn licence_footer(sentence: &str) -> Option<Footer> {
    let lower = sentence.to_lowercase();
    let at = lower
        .find("licensed under")
        .or_else(|| lower.find("licenced under"))?;
    let name = &lower[at..];
    let license = if name.contains("creative commons")
        || name.contains("cc by")
        || name.contains("cc-by")
    {
        let mut code = String::from("CC BY");
        if name.contains("noncommercial") || name.contains("non-commercial") || name.contains("-nc")
        {
            code.push_str("-NC");
        }
        if name.contains("noderiv") || name.contains("no derivatives") || name.contains("-nd") {
            code.push_str("-ND");
        }
        if name.contains("sharealike") || name.contains("share alike") || name.contains("-sa") {
            code.push_str("-SA");
        }
        if let Some(v) = version(name) {
            code.push(' ');
            code.push_str(&v);
        }
        code
    } else {
        sentence[at + "licensed under".len()..]
            .trim()
            .trim_start_matches("a ")
            .trim_start_matches("the ")
            .trim_end_matches('.')
            .to_string()
    };
    // "All Content by Mehr News Agency is licensed ..." names the publisher.
    let found = lower.find("content by ").and_then(|p| {
        let from = p + "content by ".len();
        let to = lower[from..].find(" is ").map(|i| from + i)?;
        let raw = &sentence[from..to];
        let name = raw.trim();
        let at = from + (raw.len() - raw.trim_start().len());
        (!name.is_empty() && name.len() < 80).then(|| (name.to_string(), at..at + name.len()))
    });
    let (publisher, publisher_span) = match found {
        Some((n, r)) => (Some(n), Some(r)),
        None => (None, None),
    };
    Some(Footer {
        span: 0..0,
        license: Some(license),
        publisher,
        publisher_span,
    })
}

/// The first "N.N" version number in `s`.
fn version(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(2)).find_map(|i| {
        (b[i].is_ascii_digit() && b[i + 1] == b'.' && b[i + 2].is_ascii_digit())
            .then(|| s[i..i + 3].to_string())
    })
}

fn is_copyright(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    sentence.len() < 200
        && (lower.contains("all rights reserved")
            || lower.starts_with('©')
            || lower.starts_with("copyright"))
}

fn is_source_note(sentence: &str) -> bool {
    let s = sentence.trim();
    s.len() < 60 && (s.starts_with("(Source:") || s.starts_with("(Sources:")) && s.ends_with(')')
}

/// Editors' initials closing a Tehran Times article: "MH/PA", "SB/MQ/MG".
fn is_initials(sentence: &str) -> bool {
    let s = sentence.trim();
    let parts: Vec<&str> = s.split('/').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Doc {
        let mut doc = Doc::new("t", text);
        detect(&mut doc);
        doc
    }

    #[test]
    fn issue2_seed_dateline_and_licence() {
        let text = "TEHRAN – A drone plant opened in Dushanbe on Tuesday. \
                    All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.";
        let doc = run(text);
        let d = doc.meta.dateline.as_ref().unwrap();
        assert_eq!(d.text, "TEHRAN");
        assert_eq!(d.span, 0..6);
        assert_eq!(doc.meta.license.as_deref(), Some("CC BY 4.0"));
        assert_eq!(doc.meta.publisher.as_deref(), Some("Mehr News Agency"));
        let footer_start = text.find("All Content").unwrap();
        assert_eq!(doc.excluded, vec![footer_start..text.len()]);
    }

    #[test]
    fn datelines_in_wire_styles() {
        for (text, place, date) in [
            (
                "DUSHANBE, May 17 (Reuters) - Officials met.",
                "DUSHANBE",
                Some("May 17"),
            ),
            ("KABUL, Afghanistan (AP) — A blast hit.", "KABUL", None),
            ("WASHINGTON (AP) -- The Senate voted.", "WASHINGTON", None),
            ("TEHRAN-The ministry said.", "TEHRAN", None),
            ("NEW YORK – Markets fell.", "NEW YORK", None),
            ("TEHRAN _ The talks began.", "TEHRAN", None),
        ] {
            let doc = run(text);
            let d = doc
                .meta
                .dateline
                .unwrap_or_else(|| panic!("no dateline in {text}"));
            assert_eq!(d.text, place, "{text}");
            assert_eq!(d.date.as_deref(), date, "{text}");
        }
    }

    #[test]
    fn no_dateline_in_ordinary_openings() {
        for text in [
            "U.S. President Donald Trump said on Monday.",
            "Iranian Foreign Minister spoke.",
            "The United States - and others - agreed.",
            "IRAN",
            "",
            "NATO",
        ] {
            assert!(run(text).meta.dateline.is_none(), "{text}");
        }
    }

    #[test]
    fn wikinews_date_line_is_metadata() {
        let text = "Friday, January 4, 2019 \n\n\nAn apartment building collapsed.";
        let doc = run(text);
        assert_eq!(doc.meta.published.as_deref(), Some("2019-01-04"));
        assert_eq!(doc.excluded, vec![0..25]);
        assert_eq!(
            &text[doc.analysed_ranges()[0].clone()].trim(),
            &"An apartment building collapsed."
        );
    }

    #[test]
    fn stacked_footers_are_all_excluded() {
        let text = "The minister met his counterpart. (Source: Reuters)\nMH/PA";
        let doc = run(text);
        let kept: String = doc
            .analysed_ranges()
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(kept.trim(), "The minister met his counterpart.");
    }

    #[test]
    fn sharealike_licences_are_named() {
        let doc = run("Text. This work is licensed under the Creative Commons Attribution-ShareAlike 2.5 License.");
        assert_eq!(doc.meta.license.as_deref(), Some("CC BY-SA 2.5"));
    }

    #[test]
    fn input_metadata_wins() {
        let mut doc = Doc::new("t", "Text. All Content by X is licensed under a Creative Commons Attribution 4.0 International License.");
        doc.meta.publisher = Some("Given".into());
        detect(&mut doc);
        assert_eq!(doc.meta.publisher.as_deref(), Some("Given"));
    }

    #[test]
    fn issue3_white_space_only_text_has_no_footer() {
        for text in ["\n\n", " ", "\n \t\n", ""] {
            let doc = run(text);
            assert_eq!(doc.meta.license, None, "{text:?}");
        }
    }

    #[test]
    fn issue4_the_footer_publisher_is_a_mention_in_metadata() {
        let text = "Body text here. All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.";
        let doc = run(text);
        let span = doc.meta.publisher_span.clone().expect("publisher span");
        assert_eq!(&text[span], "Mehr News Agency");
    }
}
