//! Guessing the format of an input from its name and first bytes.

use crate::Format;

/// Guesses the format from the file name and the first bytes (decompressed).
///
/// A known extension decides (`.jsonl`, `.ndjson`, `.json`, `.html`, `.htm`,
/// `.xhtml`, `.rss`, `.atom`, `.warc`, `.txt`, each possibly followed by
/// `.gz`); otherwise the content does: `WARC/1.` → warc, `<rss`, `<feed`,
/// `<rdf:RDF` or an XML declaration followed by one of them → rss,
/// `<!doctype html`, `<html` and similar → html, a first line that is a JSON
/// object → jsonl, anything else → text.
pub fn sniff(name: &str, head: &[u8]) -> Format {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match ext {
        "jsonl" | "ndjson" | "json" => return Format::Jsonl,
        "html" | "htm" | "xhtml" | "shtml" => return Format::Html,
        "rss" | "atom" => return Format::Rss,
        "warc" => return Format::Warc,
        "txt" | "text" => return Format::Text,
        _ => {}
    }
    by_content(head)
}

fn by_content(head: &[u8]) -> Format {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"WARC/1.") {
        return Format::Warc;
    }
    if head.first() == Some(&b'{') {
        return if first_line_is_object(head) {
            Format::Jsonl
        } else {
            Format::Text
        };
    }
    if head.first() != Some(&b'<') {
        return Format::Text;
    }
    let lower: Vec<u8> = head.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    let starts = |prefix: &[u8]| lower.starts_with(prefix);
    if starts(b"<rss") || starts(b"<feed") || starts(b"<rdf:rdf") {
        return Format::Rss;
    }
    if starts(b"<!doctype html") || starts(b"<html") || starts(b"<head") || starts(b"<body") {
        return Format::Html;
    }
    if starts(b"<?xml") || starts(b"<!--") {
        // The root element comes after the declaration, comments or
        // stylesheet instructions.
        let root = first_element(&lower);
        match root.as_deref() {
            Some(b"rss") | Some(b"feed") | Some(b"rdf:rdf") => return Format::Rss,
            Some(b"html") => return Format::Html,
            _ => {}
        }
        if has(b"<rss") || has(b"<feed") {
            return Format::Rss;
        }
        if has(b"<html") {
            return Format::Html;
        }
    }
    if has(b"<p>") || has(b"<div") || has(b"<p ") {
        return Format::Html;
    }
    Format::Text
}

/// The name of the first element (not a declaration, comment or doctype).
fn first_element(lower: &[u8]) -> Option<Vec<u8>> {
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &lower[i..]) {
        let at = i + k + 1;
        match lower.get(at) {
            Some(c) if c.is_ascii_alphabetic() => {
                let end = lower[at..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
                    .map_or(lower.len(), |e| at + e);
                return Some(lower[at..end].to_vec());
            }
            _ => i = at,
        }
    }
    None
}

/// Whether the first line parses as a JSON object; a first line longer than
/// the head is taken to be one if it starts like one (`{"`).
fn first_line_is_object(head: &[u8]) -> bool {
    match memchr::memchr(b'\n', head) {
        Some(end) => matches!(
            serde_json::from_slice::<serde_json::Value>(&head[..end]),
            Ok(serde_json::Value::Object(_))
        ),
        None => {
            let rest = head[1..].iter().find(|b| !b.is_ascii_whitespace());
            rest == Some(&b'"')
                || serde_json::from_slice::<serde_json::Value>(head).is_ok_and(|v| v.is_object())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_and_content() {
        assert_eq!(sniff("a.jsonl.gz", b""), Format::Jsonl);
        assert_eq!(sniff("a.warc.gz", b""), Format::Warc);
        assert_eq!(sniff("a.HTM", b""), Format::Html);
        assert_eq!(sniff("-", b"{\"text\": \"x\"}\n{}"), Format::Jsonl);
        assert_eq!(sniff("-", b"{not json}\nmore"), Format::Text);
        assert_eq!(
            sniff("-", b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Format::Rss
        );
        assert_eq!(
            sniff("-", b"<?xml version=\"1.0\"?><feed xmlns=\"x\">"),
            Format::Rss
        );
        assert_eq!(
            sniff("a.xml", b"<?xml version=\"1.0\"?><feed>"),
            Format::Rss
        );
        assert_eq!(sniff("-", b"WARC/1.0\r\n"), Format::Warc);
        assert_eq!(sniff("-", b"\n<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff("-", b"<HTML><body>"), Format::Html);
        assert_eq!(sniff("-", b"TEHRAN - Plain words."), Format::Text);
        assert_eq!(sniff("-", b"\xef\xbb\xbf<rss>"), Format::Rss);
    }
}
