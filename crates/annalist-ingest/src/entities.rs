//! HTML and XML character references: named (the common ones) and numeric.

use std::borrow::Cow;

/// Decodes character references in `s`. Unknown names stay as written; a
/// numeric reference to nothing valid becomes U+FFFD; references in the
/// C1 range are read as Windows-1252, as browsers do.
pub fn decode(s: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    loop {
        // `rest` starts with '&'.
        let after = &rest[1..];
        let consumed = reference(after, &mut out);
        match consumed {
            Some(n) => rest = &after[n..],
            None => {
                out.push('&');
                rest = after;
            }
        }
        match memchr::memchr(b'&', rest.as_bytes()) {
            Some(i) => {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
            }
            None => {
                out.push_str(rest);
                return Cow::Owned(out);
            }
        }
    }
}

/// Decodes one reference at the start of `s` (just after the `&`), pushing
/// its character; returns how many bytes it took, or `None` when `s` does not
/// start with a reference.
fn reference(s: &str, out: &mut String) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let len = b[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if len == 0 {
            return None;
        }
        let digits = &s[start..start + len];
        let code = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        out.push(numeric(code));
        let mut n = start + len;
        if b.get(n) == Some(&b';') {
            n += 1;
        }
        return Some(n);
    }
    let len = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if len == 0 || len > 32 {
        return None;
    }
    let name = &s[..len];
    let semicolon = b.get(len) == Some(&b';');
    if !semicolon && !LEGACY.contains(&name) {
        return None;
    }
    let i = NAMED.binary_search_by_key(&name, |&(n, _)| n).ok()?;
    out.push_str(NAMED[i].1);
    Some(len + usize::from(semicolon))
}

/// The character a numeric reference stands for.
fn numeric(code: u32) -> char {
    if (0x80..=0x9f).contains(&code) {
        return WINDOWS_1252_C1[(code - 0x80) as usize];
    }
    match char::from_u32(code) {
        Some('\0') | None => '\u{fffd}',
        Some(c) => c,
    }
}

/// Names browsers accept without the closing semicolon.
const LEGACY: [&str; 7] = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"];

/// Windows-1252 characters for the C1 control range 0x80–0x9F.
const WINDOWS_1252_C1: [char; 32] = [
    '\u{20ac}', '\u{fffd}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02c6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{fffd}', '\u{017d}', '\u{fffd}',
    '\u{fffd}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02dc}', '\u{2122}', '\u{0161}', '\u{203a}', '\u{0153}', '\u{fffd}', '\u{017e}', '\u{0178}',
];

/// Named references, sorted by name for binary search.
const NAMED: &[(&str, &str)] = &[
    ("AElig", "\u{c6}"),
    ("Aacute", "\u{c1}"),
    ("Acirc", "\u{c2}"),
    ("Agrave", "\u{c0}"),
    ("Alpha", "\u{391}"),
    ("Aring", "\u{c5}"),
    ("Atilde", "\u{c3}"),
    ("Auml", "\u{c4}"),
    ("Beta", "\u{392}"),
    ("Ccaron", "\u{10c}"),
    ("Ccedil", "\u{c7}"),
    ("Dagger", "\u{2021}"),
    ("Delta", "\u{394}"),
    ("ETH", "\u{d0}"),
    ("Eacute", "\u{c9}"),
    ("Ecirc", "\u{ca}"),
    ("Egrave", "\u{c8}"),
    ("Euml", "\u{cb}"),
    ("Gamma", "\u{393}"),
    ("Gbreve", "\u{11e}"),
    ("Iacute", "\u{cd}"),
    ("Icirc", "\u{ce}"),
    ("Idot", "\u{130}"),
    ("Igrave", "\u{cc}"),
    ("Iuml", "\u{cf}"),
    ("Ntilde", "\u{d1}"),
    ("OElig", "\u{152}"),
    ("Oacute", "\u{d3}"),
    ("Ocirc", "\u{d4}"),
    ("Ograve", "\u{d2}"),
    ("Omega", "\u{3a9}"),
    ("Oslash", "\u{d8}"),
    ("Otilde", "\u{d5}"),
    ("Ouml", "\u{d6}"),
    ("Prime", "\u{2033}"),
    ("Scaron", "\u{160}"),
    ("Scedil", "\u{15e}"),
    ("THORN", "\u{de}"),
    ("Uacute", "\u{da}"),
    ("Ucirc", "\u{db}"),
    ("Ugrave", "\u{d9}"),
    ("Uuml", "\u{dc}"),
    ("Yacute", "\u{dd}"),
    ("Yuml", "\u{178}"),
    ("Zcaron", "\u{17d}"),
    ("aacute", "\u{e1}"),
    ("acirc", "\u{e2}"),
    ("acute", "\u{b4}"),
    ("aelig", "\u{e6}"),
    ("agrave", "\u{e0}"),
    ("alpha", "\u{3b1}"),
    ("amp", "\u{26}"),
    ("apos", "\u{27}"),
    ("aring", "\u{e5}"),
    ("asymp", "\u{2248}"),
    ("atilde", "\u{e3}"),
    ("auml", "\u{e4}"),
    ("bdquo", "\u{201e}"),
    ("beta", "\u{3b2}"),
    ("brvbar", "\u{a6}"),
    ("bull", "\u{2022}"),
    ("ccaron", "\u{10d}"),
    ("ccedil", "\u{e7}"),
    ("cedil", "\u{b8}"),
    ("cent", "\u{a2}"),
    ("circ", "\u{2c6}"),
    ("copy", "\u{a9}"),
    ("curren", "\u{a4}"),
    ("dagger", "\u{2020}"),
    ("darr", "\u{2193}"),
    ("deg", "\u{b0}"),
    ("delta", "\u{3b4}"),
    ("divide", "\u{f7}"),
    ("eacute", "\u{e9}"),
    ("ecirc", "\u{ea}"),
    ("egrave", "\u{e8}"),
    ("emsp", "\u{2003}"),
    ("ensp", "\u{2002}"),
    ("epsilon", "\u{3b5}"),
    ("eth", "\u{f0}"),
    ("euml", "\u{eb}"),
    ("euro", "\u{20ac}"),
    ("fnof", "\u{192}"),
    ("frac12", "\u{bd}"),
    ("frac14", "\u{bc}"),
    ("frac34", "\u{be}"),
    ("frasl", "\u{2044}"),
    ("gamma", "\u{3b3}"),
    ("gbreve", "\u{11f}"),
    ("ge", "\u{2265}"),
    ("gt", "\u{3e}"),
    ("harr", "\u{2194}"),
    ("hearts", "\u{2665}"),
    ("hellip", "\u{2026}"),
    ("iacute", "\u{ed}"),
    ("icirc", "\u{ee}"),
    ("iexcl", "\u{a1}"),
    ("igrave", "\u{ec}"),
    ("imath", "\u{131}"),
    ("infin", "\u{221e}"),
    ("inodot", "\u{131}"),
    ("iquest", "\u{bf}"),
    ("iuml", "\u{ef}"),
    ("lambda", "\u{3bb}"),
    ("laquo", "\u{ab}"),
    ("larr", "\u{2190}"),
    ("ldquo", "\u{201c}"),
    ("le", "\u{2264}"),
    ("lrm", "\u{200e}"),
    ("lsaquo", "\u{2039}"),
    ("lsquo", "\u{2018}"),
    ("lt", "\u{3c}"),
    ("macr", "\u{af}"),
    ("mdash", "\u{2014}"),
    ("micro", "\u{b5}"),
    ("middot", "\u{b7}"),
    ("minus", "\u{2212}"),
    ("mu", "\u{3bc}"),
    ("nbsp", "\u{a0}"),
    ("ndash", "\u{2013}"),
    ("ne", "\u{2260}"),
    ("not", "\u{ac}"),
    ("ntilde", "\u{f1}"),
    ("oacute", "\u{f3}"),
    ("ocirc", "\u{f4}"),
    ("oelig", "\u{153}"),
    ("ograve", "\u{f2}"),
    ("oline", "\u{203e}"),
    ("omega", "\u{3c9}"),
    ("ordf", "\u{aa}"),
    ("ordm", "\u{ba}"),
    ("oslash", "\u{f8}"),
    ("otilde", "\u{f5}"),
    ("ouml", "\u{f6}"),
    ("para", "\u{b6}"),
    ("permil", "\u{2030}"),
    ("pi", "\u{3c0}"),
    ("plusmn", "\u{b1}"),
    ("pound", "\u{a3}"),
    ("prime", "\u{2032}"),
    ("quot", "\u{22}"),
    ("raquo", "\u{bb}"),
    ("rarr", "\u{2192}"),
    ("rdquo", "\u{201d}"),
    ("reg", "\u{ae}"),
    ("rlm", "\u{200f}"),
    ("rsaquo", "\u{203a}"),
    ("rsquo", "\u{2019}"),
    ("sbquo", "\u{201a}"),
    ("scaron", "\u{161}"),
    ("scedil", "\u{15f}"),
    ("sect", "\u{a7}"),
    ("shy", "\u{ad}"),
    ("sigma", "\u{3c3}"),
    ("star", "\u{2606}"),
    ("sup1", "\u{b9}"),
    ("sup2", "\u{b2}"),
    ("sup3", "\u{b3}"),
    ("szlig", "\u{df}"),
    ("thinsp", "\u{2009}"),
    ("thorn", "\u{fe}"),
    ("tilde", "\u{2dc}"),
    ("times", "\u{d7}"),
    ("trade", "\u{2122}"),
    ("uacute", "\u{fa}"),
    ("uarr", "\u{2191}"),
    ("ucirc", "\u{fb}"),
    ("ugrave", "\u{f9}"),
    ("uml", "\u{a8}"),
    ("uuml", "\u{fc}"),
    ("yacute", "\u{fd}"),
    ("yen", "\u{a5}"),
    ("yuml", "\u{ff}"),
    ("zcaron", "\u{17e}"),
    ("zwj", "\u{200d}"),
    ("zwnj", "\u{200c}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NAMED.len() >= 100);
    }

    #[test]
    fn references() {
        assert_eq!(decode("a &amp; b"), "a & b");
        assert_eq!(decode("&lt;p&gt;"), "<p>");
        assert_eq!(decode("caf&eacute; &#233; &#xE9;"), "café é é");
        assert_eq!(
            decode("&#150; &#0; &#99999999999;"),
            "\u{2013} \u{fffd} \u{fffd}"
        );
        assert_eq!(
            decode("AT&T &unknown; & &#; &amp"),
            "AT&T &unknown; & &#; &"
        );
        assert_eq!(decode("&nbsp;x&rsquo;s"), "\u{a0}x\u{2019}s");
    }
}
