//! Input formats: plain text, JSON Lines, HTML, RSS/Atom, WARC, each possibly
//! gzip-compressed.
//!
//! The crate takes bytes (`Read`), never paths: the CLI and server do the IO.
//! A reader yields one [`Item`] per document. Bad input never stops a batch:
//! a broken document becomes a [`Failure`] naming where it came from, and the
//! reader moves on to the next one.
//!
//! Reading happens in layers. [`read`] detects gzip by its magic bytes,
//! decompresses transparently (multi-member too), strips a UTF-8 byte-order
//! mark or transcodes UTF-16 to UTF-8, rejects empty and binary input, sniffs
//! the format and hands a buffered byte stream to the format's reader. Every
//! format reader streams: only one document is held in memory at a time.

use serde::Serialize;
use std::io::Read;

/// Publication-date normalisation (shared with the rest of Annalist).
pub use annalist_doc::dates as date;
mod decode;
pub mod entities;
mod feed;
pub mod html;
mod jsonl;
pub mod language;
mod limits;
pub mod slug;
mod sniff;
mod text;
mod warc;

pub use limits::Limits;
pub use sniff::sniff;

/// The input formats Annalist reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Jsonl,
    Html,
    Rss,
    Warc,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Jsonl,
        Format::Html,
        Format::Rss,
        Format::Warc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Rss => "rss",
            Format::Warc => "warc",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// Where a document came from, for error messages and default ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file name as the user gave it, or `-` for standard input.
    pub source: String,
    /// The 1-based line in `source` (JSON Lines) where the document starts.
    pub line: Option<usize>,
    /// The 0-based ordinal of the document within `source`.
    pub index: usize,
}

/// One document read from the input, independent of its format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    pub origin: Origin,
    pub doc_id: Option<String>,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The publication date as ISO 8601 `YYYY-MM-DD`.
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub license: Option<String>,
    /// Where `title` came from when the source gave none: `url` for a title
    /// spelled from the URL's slug (`meta.title_source` in the record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_source: Option<String>,
    /// Non-fatal problems (e.g. "invalid utf-8 in x.txt, decoded as windows-1252").
    pub warnings: Vec<String>,
}

/// A document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub origin: Origin,
    /// The id, where the broken input still gave one.
    pub doc_id: Option<String>,
    /// A stable machine-readable code, e.g. `invalid_json`, `binary_input`.
    pub code: &'static str,
    /// A lowercase message naming the input, ending with a hint where one helps.
    pub message: String,
}

pub type Item = Result<Document, Failure>;

/// The stable failure codes, for callers that match on them.
pub mod codes {
    /// The input ended early: a truncated gzip stream or WARC record.
    pub const TRUNCATED_INPUT: &str = "truncated_input";
    /// The input is empty or only whitespace.
    pub const EMPTY_INPUT: &str = "empty_input";
    /// The input looks like binary data, not text.
    pub const BINARY_INPUT: &str = "binary_input";
    /// A JSON Lines line is not a JSON object.
    pub const INVALID_JSON: &str = "invalid_json";
    /// A JSON Lines object without a `text` string, or a page or feed item
    /// without any text.
    pub const MISSING_TEXT: &str = "missing_text";
    /// An RSS or Atom feed is not well-formed XML.
    pub const INVALID_XML: &str = "invalid_xml";
    /// A WARC file whose record headers cannot be read.
    pub const INVALID_WARC: &str = "invalid_warc";
    /// The gzip stream is corrupt (not merely truncated).
    pub const INVALID_GZIP: &str = "invalid_gzip";
    /// Reading the input failed for another reason.
    pub const IO_ERROR: &str = "io_error";
    /// The input decompresses to more than the configured cap (a
    /// decompression bomb, or a corpus to split).
    pub const INPUT_TOO_LARGE: &str = "input_too_large";
    /// One document is larger than the configured cap.
    pub const DOCUMENT_TOO_LARGE: &str = "document_too_large";
}

/// Reads every document of one input, within the default [`Limits`].
///
/// `name` is used for sniffing and in messages; `format` overrides sniffing.
/// Gzip input is detected by its magic bytes and decompressed transparently.
pub fn read(
    name: &str,
    reader: Box<dyn Read + Send>,
    format: Option<Format>,
) -> Box<dyn Iterator<Item = Item> + Send> {
    read_with(name, reader, format, Limits::default())
}

/// Reads every document of one input, within `limits`: past the input cap
/// the input ends with an `input_too_large` failure, and a document over the
/// document cap becomes a `document_too_large` failure while the batch goes
/// on.
pub fn read_with(
    name: &str,
    reader: Box<dyn Read + Send>,
    format: Option<Format>,
    limits: Limits,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let prepared = match decode::prepare(name, reader, &limits) {
        Ok(p) => p,
        Err(failure) => return Box::new(std::iter::once(Err(*failure))),
    };
    let format = format.unwrap_or_else(|| sniff(name, &prepared.head));
    if format != Format::Warc {
        if let Some(failure) = decode::check_binary(name, &prepared.head) {
            return Box::new(std::iter::once(Err(failure)));
        }
    }
    let ctx = Ctx {
        name: name.to_string(),
        utf8_fixed: prepared.utf8_fixed,
        limits,
    };
    let finish = limits::Finish::new(&ctx);
    let items: Box<dyn Iterator<Item = Item> + Send> = match format {
        Format::Text => Box::new(text::TextReader::new(ctx, prepared.stream)),
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(ctx, prepared.stream)),
        Format::Html => Box::new(text::HtmlFileReader::new(ctx, prepared.stream)),
        Format::Rss => Box::new(feed::FeedReader::new(ctx, prepared.stream)),
        Format::Warc => Box::new(warc::WarcReader::new(ctx, prepared.stream)),
    };
    Box::new(items.map(move |item| finish.apply(item)))
}

/// What every format reader knows about its input.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// The input's name, for messages.
    pub name: String,
    /// A byte-order mark fixed the encoding, so the stream is UTF-8 whatever
    /// the document declares.
    pub utf8_fixed: bool,
    /// The size caps of this run.
    pub limits: Limits,
}

impl Ctx {
    pub fn origin(&self, line: Option<usize>, index: usize) -> Origin {
        Origin {
            source: self.name.clone(),
            line,
            index,
        }
    }

    pub fn failure(
        &self,
        origin: Origin,
        doc_id: Option<String>,
        code: &'static str,
        message: String,
    ) -> Failure {
        Failure {
            origin,
            doc_id,
            code,
            message,
        }
    }
}
