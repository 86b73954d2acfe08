//! Whole-file formats: plain text and a single HTML page.

use crate::decode::{self, decode_utf8_or_1252, io_failure, normalize_newlines};
use crate::limits::size;
use crate::{codes, date, html, Ctx, Document, Failure, Item};
use encoding_rs::UTF_8;
use std::io::{BufRead, Read};

/// Reads the whole stream, at most `cap` bytes of it, or returns the failure
/// that stopped it. A longer stream is not read further: the whole file is
/// one document, and one over the cap is refused before it fills memory.
fn read_all(ctx: &Ctx, stream: &mut dyn BufRead, cap: usize) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    if let Err(e) = stream.take(limit).read_to_end(&mut bytes) {
        return Err(io_failure(ctx, ctx.origin(None, 0), &e));
    }
    if bytes.len() > cap {
        return Err(ctx.failure(
            ctx.origin(None, 0),
            None,
            codes::DOCUMENT_TOO_LARGE,
            format!(
                "{}: the document is over {}; split it, or raise the cap (--max-document-mb)",
                ctx.name,
                size(cap as u64)
            ),
        ));
    }
    Ok(bytes)
}

fn empty(ctx: &Ctx) -> Item {
    Err(ctx.failure(
        ctx.origin(None, 0),
        None,
        codes::EMPTY_INPUT,
        format!("{} is empty or only whitespace; nothing to code", ctx.name),
    ))
}

/// One document: the whole file, its text kept as written except for line
/// endings, so that offsets downstream point into what the user gave.
pub struct TextReader {
    ctx: Ctx,
    stream: Option<Box<dyn BufRead + Send>>,
}

impl TextReader {
    pub fn new(ctx: Ctx, stream: Box<dyn BufRead + Send>) -> Self {
        TextReader {
            ctx,
            stream: Some(stream),
        }
    }
}

impl Iterator for TextReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let mut stream = self.stream.take()?;
        let ctx = &self.ctx;
        let bytes = match read_all(ctx, &mut stream, ctx.limits.document()) {
            Ok(b) => b,
            Err(failure) => return Some(Err(failure)),
        };
        let (text, decoded) = decode_utf8_or_1252(bytes);
        if text.trim().is_empty() {
            return Some(empty(ctx));
        }
        let mut doc = Document {
            origin: ctx.origin(None, 0),
            text: normalize_newlines(text),
            ..Document::default()
        };
        doc.warnings.extend(decoded.warning(&ctx.name));
        Some(Ok(doc))
    }
}

/// One document: the main article of an HTML page.
pub struct HtmlFileReader {
    ctx: Ctx,
    stream: Option<Box<dyn BufRead + Send>>,
}

impl HtmlFileReader {
    pub fn new(ctx: Ctx, stream: Box<dyn BufRead + Send>) -> Self {
        HtmlFileReader {
            ctx,
            stream: Some(stream),
        }
    }
}

impl Iterator for HtmlFileReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let mut stream = self.stream.take()?;
        let ctx = &self.ctx;
        let bytes = match read_all(ctx, &mut stream, ctx.limits.markup()) {
            Ok(b) => b,
            Err(failure) => return Some(Err(failure)),
        };
        let mut doc = page_document(ctx, bytes, None, 0, &ctx.name);
        if doc.text.is_empty() {
            return Some(Err(ctx.failure(
                doc.origin,
                None,
                codes::MISSING_TEXT,
                format!(
                    "no article text found in {}; if it is not html, give --format text",
                    ctx.name
                ),
            )));
        }
        doc.origin = ctx.origin(None, 0);
        Some(Ok(doc))
    }
}

/// Decodes and extracts one HTML page. The encoding is, in order: a
/// byte-order mark, the HTTP header's charset, the page's own declaration,
/// else UTF-8 with the Windows-1252 fallback. `what` names the page in
/// warnings (a file, or a WARC record).
pub fn page_document(
    ctx: &Ctx,
    bytes: Vec<u8>,
    http_charset: Option<&'static encoding_rs::Encoding>,
    index: usize,
    what: &str,
) -> Document {
    // A byte-order mark inside the body (a WARC record's page) beats every
    // declaration, as in browsers.
    let (page, warning) = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((encoding, _)) => {
            let (page, _, had_errors) = encoding.decode(&bytes);
            let warning = had_errors.then(|| {
                format!(
                    "invalid {} in {what}, undecodable bytes replaced",
                    encoding.name().to_lowercase()
                )
            });
            (page.into_owned(), warning)
        }
        None => {
            let encoding = if ctx.utf8_fixed {
                UTF_8
            } else {
                http_charset
                    .or_else(|| html::declared_charset(&bytes))
                    .unwrap_or(UTF_8)
            };
            decode::decode_declared(bytes, encoding, what)
        }
    };
    let article = html::extract_article(&page);
    let mut doc = Document {
        origin: ctx.origin(None, index),
        text: article.text,
        title: article.title,
        url: article.url,
        publisher: article.publisher,
        ..Document::default()
    };
    doc.warnings.extend(warning);
    if let Some(raw) = article.published {
        set_published(&mut doc, &raw, what);
    }
    doc
}

/// Sets `published` from a date as written, or warns that it could not be
/// read.
pub fn set_published(doc: &mut Document, raw: &str, what: &str) {
    match date::normalize(raw) {
        Some(d) => doc.published = Some(d),
        None => doc.warnings.push(format!(
            "unreadable date {:?} in {what}; published left empty",
            raw.chars().take(60).collect::<String>()
        )),
    }
}
