//! WARC files (`.warc`, `.warc.gz`, as Common Crawl's news crawl writes
//! them): one document per HTML response record, one record in memory at a
//! time.
//!
//! Only `response` records holding an HTTP response with a 2xx status and an
//! HTML body (and `resource` records holding HTML) become documents;
//! `warcinfo`, `request`, `metadata`, `revisit` and other responses are
//! skipped silently, as are pages without article text (index
//! pages, redirects), since a crawl is full of them and none is an error.

use crate::decode::{clean_meta, io_failure};
use crate::html::charset_param;
use crate::text::{page_document, set_published};
use crate::{codes, Ctx, Failure, Item};
use std::io::{BufRead, Read};

pub struct WarcReader {
    ctx: Ctx,
    stream: Box<dyn BufRead + Send>,
    /// 1-based number of the record being read, for messages.
    record: usize,
    index: usize,
    done: bool,
    line: Vec<u8>,
}

/// A WARC record's headers (names lowercased) and block.
struct Record {
    headers: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Parses `Name: value` header lines up to the first empty line.
fn parse_headers(lines: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(lines)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

enum Next {
    Record(Record),
    End,
    Fail(Failure),
    /// A record that is skipped with a failure; the next one is read.
    Skip(Failure),
}

impl WarcReader {
    pub fn new(ctx: Ctx, stream: Box<dyn BufRead + Send>) -> Self {
        WarcReader {
            ctx,
            stream,
            record: 0,
            index: 0,
            done: false,
            line: Vec::new(),
        }
    }

    fn fail(&self, code: &'static str, what: &str) -> Next {
        Next::Fail(self.failure(code, what))
    }

    fn failure(&self, code: &'static str, what: &str) -> Failure {
        let origin = self.ctx.origin(None, self.index);
        self.ctx.failure(
            origin,
            None,
            code,
            format!("{}: record {}: {what}", self.ctx.name, self.record),
        )
    }

    fn read_line(&mut self) -> Result<usize, Failure> {
        self.line.clear();
        match self.stream.read_until(b'\n', &mut self.line) {
            Ok(n) => Ok(n),
            Err(e) => Err(io_failure(&self.ctx, self.ctx.origin(None, self.index), &e)),
        }
    }

    fn next_record(&mut self) -> Next {
        // Records are separated by blank lines; skip them.
        loop {
            match self.read_line() {
                Err(failure) => return Next::Fail(failure),
                Ok(0) => return Next::End,
                Ok(_) if self.line.iter().all(u8::is_ascii_whitespace) => {}
                Ok(_) => break,
            }
        }
        self.record += 1;
        if !self.line.starts_with(b"WARC/") {
            return self.fail(
                codes::INVALID_WARC,
                "expected a \"WARC/1.x\" record header; the file is not a warc file or is damaged",
            );
        }
        let mut head = Vec::new();
        loop {
            match self.read_line() {
                Err(failure) => return Next::Fail(failure),
                Ok(0) => return self.fail(
                    codes::TRUNCATED_INPUT,
                    "the file ends inside the record headers; it may be incomplete; re-download it",
                ),
                Ok(_) if self.line == b"\r\n" || self.line == b"\n" => break,
                Ok(_) => head.extend_from_slice(&self.line),
            }
        }
        let headers = parse_headers(&head);
        let Some(length) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            return self.fail(
                codes::INVALID_WARC,
                "the record has no valid content-length header; the file is damaged",
            );
        };
        let cap = self.ctx.limits.markup();
        if length > cap as u64 {
            // Skip the block unread, so that the next record is still found.
            let skipped = std::io::copy(&mut (&mut self.stream).take(length), &mut std::io::sink());
            if let Err(e) = skipped {
                return Next::Fail(io_failure(&self.ctx, self.ctx.origin(None, self.index), &e));
            }
            return Next::Skip(self.failure(
                codes::DOCUMENT_TOO_LARGE,
                &format!(
                    "the {length}-byte record is over {}; raise the cap (--max-document-mb) to read it",
                    crate::limits::size(cap as u64)
                ),
            ));
        }
        let mut block = Vec::new();
        let read = (&mut self.stream).take(length).read_to_end(&mut block);
        if let Err(e) = read {
            return Next::Fail(io_failure(&self.ctx, self.ctx.origin(None, self.index), &e));
        }
        if (block.len() as u64) < length {
            return self.fail(
                codes::TRUNCATED_INPUT,
                &format!(
                    "the file ends {} bytes into a {length}-byte record; it may be incomplete; re-download it",
                    block.len()
                ),
            );
        }
        Next::Record(Record { headers, block })
    }

    /// The document of a response record, if it is an HTML page with text.
    fn document(&self, record: Record) -> Option<Item> {
        let kind = record
            .header("warc-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (content_type, http, body) = match kind.as_str() {
            "response" => {
                let (status, http, body) = split_http(&record.block)?;
                if !(200..300).contains(&status) {
                    return None;
                }
                let content_type = header(&http, "content-type")
                    .unwrap_or("text/html")
                    .to_string();
                (content_type, http, body)
            }
            // Archives written by wget and similar tools store pages as
            // resources, without the HTTP exchange.
            "resource" => (
                record
                    .header("content-type")
                    .unwrap_or_default()
                    .to_string(),
                Vec::new(),
                &record.block[..],
            ),
            _ => return None,
        };
        if !content_type.to_ascii_lowercase().contains("html") {
            return None;
        }
        let mut body = body.to_vec();
        if header(&http, "transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        {
            body = dechunk(&body);
        }
        if header(&http, "content-encoding")
            .is_some_and(|v| matches!(v.to_ascii_lowercase().trim(), "gzip" | "x-gzip"))
        {
            let mut out = Vec::new();
            let cap = u64::try_from(self.ctx.limits.markup()).unwrap_or(u64::MAX);
            if flate2::read::MultiGzDecoder::new(&body[..])
                .take(cap)
                .read_to_end(&mut out)
                .is_ok()
            {
                body = out;
            }
        }
        let uri = record
            .header("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string());
        let what = format!(
            "{} ({})",
            self.ctx.name,
            uri.as_deref().unwrap_or("record without a uri")
        );
        let mut doc = page_document(
            &self.ctx,
            body,
            charset_param(&content_type),
            self.index,
            &what,
        );
        if doc.text.trim().is_empty() {
            return None;
        }
        doc.doc_id = record
            .header("warc-record-id")
            .and_then(|id| clean_meta(id.trim_matches(['<', '>'])));
        if uri.is_some() {
            doc.url = uri.and_then(|u| clean_meta(&u));
        }
        // The page's own publication date beats the crawl date, which may be
        // years later; the crawl date is the fallback the spec asks for.
        if doc.published.is_none() {
            if let Some(date) = record.header("warc-date") {
                let date = date.to_string();
                set_published(&mut doc, &date, &what);
            }
        }
        Some(Ok(doc))
    }
}

/// An HTTP response: status, headers (names lowercased) and body.
type Http<'a> = (u16, Vec<(String, String)>, &'a [u8]);

/// Splits an HTTP response into status, headers and body.
fn split_http(block: &[u8]) -> Option<Http<'_>> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let (head_end, body_start) = match memchr::memmem::find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => {
            let i = memchr::memmem::find(block, b"\n\n")?;
            (i, i + 2)
        }
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    Some((status, headers, &block[body_start..]))
}

/// Removes HTTP chunked transfer encoding, keeping what can be read of a
/// damaged body.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(eol) = memchr::memchr(b'\n', rest) {
        let size_line = String::from_utf8_lossy(&rest[..eol]);
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            // Not chunked after all: keep the body as it is.
            return body.to_vec();
        };
        rest = &rest[eol + 1..];
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if let Some(stripped) = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
        {
            rest = stripped;
        }
    }
    out
}

impl Iterator for WarcReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            match self.next_record() {
                Next::End => self.done = true,
                Next::Fail(failure) => {
                    self.done = true;
                    return Some(Err(failure));
                }
                Next::Skip(failure) => {
                    self.index += 1;
                    return Some(Err(failure));
                }
                Next::Record(record) => {
                    if let Some(item) = self.document(record) {
                        self.index += 1;
                        return Some(item);
                    }
                }
            }
        }
        None
    }
}
