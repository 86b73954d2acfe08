//! Size caps, and the checks every document passes whatever its format:
//! its size, control characters, a title derived from its URL, and a
//! warning when its text is not English.

use crate::{codes, language, slug, Ctx, Document, Failure, Item};
use std::io::{self, Read};

/// How much one input and one document may hold. A small gzip file can
/// expand to gigabytes, and one document of hundreds of megabytes takes the
/// pipeline many times that in memory: past these caps the input or the
/// document becomes an error record instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one compressed input may expand to (0: no cap).
    pub max_input_bytes: u64,
    /// The most bytes of text one document may hold (0: no cap). Markup
    /// (an HTML page, a WARC record) may be four times as large before its
    /// text is extracted.
    pub max_document_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 << 20,
            max_document_bytes: 8 << 20,
        }
    }
}

impl Limits {
    /// The document cap, `usize::MAX` when there is none.
    pub fn document(&self) -> usize {
        match self.max_document_bytes {
            0 => usize::MAX,
            n => n,
        }
    }

    /// The cap on the raw bytes of one page or record, markup included.
    pub fn markup(&self) -> usize {
        self.document().saturating_mul(4)
    }
}

/// `n` bytes in words: "8 MB", "1.5 KB".
pub fn size(n: u64) -> String {
    const MB: u64 = 1 << 20;
    if n >= MB && n.is_multiple_of(MB) {
        format!("{} MB", n / MB)
    } else if n >= MB {
        format!("{:.1} MB", n as f64 / MB as f64)
    } else {
        format!("{n} bytes")
    }
}

/// The error a capped stream raises when the cap is passed.
#[derive(Debug)]
pub struct TooLarge {
    pub limit: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} once decompressed", size(self.limit))
    }
}

impl std::error::Error for TooLarge {}

/// A reader that fails with [`TooLarge`] once more than `limit` bytes went
/// through it.
pub struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Capped<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a stream that ends exactly at the cap from
            // one that goes on.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(TooLarge { limit: self.limit })),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The failure of a document over the cap.
pub fn document_too_large(ctx: &Ctx, doc: &Document, what: &str, cap: usize) -> Failure {
    ctx.failure(
        doc.origin.clone(),
        doc.doc_id.clone(),
        codes::DOCUMENT_TOO_LARGE,
        format!(
            "{what}: the document is over {}; split it, or raise the cap (--max-document-mb)",
            size(cap as u64)
        ),
    )
}

/// The checks applied to every document a reader yields.
pub struct Finish {
    ctx: Ctx,
}

impl Finish {
    pub fn new(ctx: &Ctx) -> Self {
        Finish { ctx: ctx.clone() }
    }

    pub fn apply(&self, item: Item) -> Item {
        let mut doc = item?;
        let cap = self.ctx.limits.document();
        if doc.text.len() > cap {
            let what = where_is(&doc);
            return Err(document_too_large(&self.ctx, &doc, &what, cap));
        }
        blank_controls(&mut doc);
        slug::derive_title(&mut doc);
        let detected = language::detect(&doc.text);
        if let Some(warning) = detected.warning() {
            doc.warnings.push(warning);
        }
        Ok(doc)
    }
}

/// Where a document is, for messages: `file:line` or `file#n`.
fn where_is(doc: &Document) -> String {
    match doc.origin.line {
        Some(line) => format!("{}:{line}", doc.origin.source),
        None => format!("{}#{}", doc.origin.source, doc.origin.index),
    }
}

/// Turns control characters other than tab, newline, carriage return and
/// form feed into spaces: a stray NUL or escape byte in a text file is
/// noise, not a reason to reject the document. A control byte and a space
/// are both one byte, so every offset stays where it was.
fn blank_controls(doc: &mut Document) {
    let is_noise = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f;
    let count = doc.text.bytes().filter(|&b| is_noise(b)).count();
    if count == 0 {
        return;
    }
    let cleaned: String = doc
        .text
        .chars()
        .map(|c| {
            if c.is_ascii() && is_noise(c as u8) {
                ' '
            } else {
                c
            }
        })
        .collect();
    doc.text = cleaned;
    doc.warnings.push(format!(
        "{count} control character{} in {} replaced by spaces",
        if count == 1 { "" } else { "s" },
        where_is(doc)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_stream_fails_only_past_the_cap() {
        let mut out = Vec::new();
        assert!(Capped::new(&b"12345"[..], 5).read_to_end(&mut out).is_ok());
        let err = Capped::new(&b"123456"[..], 5)
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<TooLarge>()));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(8 << 20), "8 MB");
        assert_eq!(size(3 << 19), "1.5 MB");
        assert_eq!(size(100), "100 bytes");
    }
}
