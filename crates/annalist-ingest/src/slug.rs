//! Titles derived from URL slugs, for documents that come without one:
//! `https://example.com/news/480123/Iran-says-talks-continue.html` reads as
//! "Iran says talks continue".

/// The warning that marks a title as derived rather than given (its
/// `title_source` is then `url`).
pub const DERIVED_TITLE_WARNING: &str = "title derived from the url slug, not given by the source";

/// Gives `doc` the title its URL's slug spells where it has none, flagged
/// as derived (`title_source` `url` and a warning): every way a document
/// comes in (the readers, the API) titles it alike.
pub fn derive_title(doc: &mut crate::Document) {
    if doc.title.is_some() {
        return;
    }
    if let Some(title) = doc.url.as_deref().and_then(title_from_url) {
        doc.title = Some(title);
        doc.title_source = Some("url".to_string());
        doc.warnings.push(DERIVED_TITLE_WARNING.to_string());
    }
}

/// The title a URL's slug spells, if its path has one: the last path segment
/// with at least two words of letters, extension and numeric ids dropped,
/// `-` and `_` read as spaces, percent escapes decoded.
pub fn title_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next()?;
    // The first segment is the host.
    let segments = path.split('/').skip(1).filter(|s| !s.is_empty());
    let candidates: Vec<String> = segments.map(words).collect();
    candidates.into_iter().rev().find(|t| {
        t.split(' ')
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
            >= 2
    })
}

/// One segment as words: decoded, extension dropped, ids dropped.
fn words(segment: &str) -> String {
    let decoded = percent_decode(segment);
    let stem = match decoded.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            stem.to_string()
        }
        _ => decoded,
    };
    let words: Vec<&str> = stem
        .split(['-', '_', '+', ' '])
        .filter(|w| !w.is_empty())
        // Numeric ids and hashes say nothing about the article.
        .filter(|w| w.chars().any(char::is_alphabetic) && !looks_like_id(w))
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.chars().next() {
        let upper: String = first.to_uppercase().collect();
        title.replace_range(..first.len_utf8(), &upper);
    }
    title
}

/// A word of mixed letters and many digits, such as a hash or an id.
fn looks_like_id(w: &str) -> bool {
    let digits = w.chars().filter(char::is_ascii_digit).count();
    digits >= 4 && digits * 2 >= w.chars().count()
}

/// Decodes `%xx` escapes; invalid UTF-8 is replaced.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_becomes_a_title() {
        assert_eq!(
            title_from_url("https://www.tehrantimes.com/news/480123/Iran-says-talks-continue")
                .as_deref(),
            Some("Iran says talks continue")
        );
        assert_eq!(
            title_from_url("https://example.com/2022/05/17/un_envoy_meets_rebels.html?x=1")
                .as_deref(),
            Some("Un envoy meets rebels")
        );
        assert_eq!(
            title_from_url("https://example.com/world/caf%C3%A9-talks-end/").as_deref(),
            Some("Café talks end")
        );
    }

    #[test]
    fn urls_without_a_slug_give_no_title() {
        assert_eq!(title_from_url("https://example.com/"), None);
        assert_eq!(title_from_url("https://example.com/article/123456"), None);
        assert_eq!(title_from_url("https://example.com/index.html"), None);
        assert_eq!(title_from_url("not a url"), None);
    }
}
