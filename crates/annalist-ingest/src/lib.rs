//! Input formats: plain text, JSON Lines, HTML, RSS/Atom, WARC, each possibly
//! gzip-compressed.
//!
//! The crate takes bytes (`Read`), never paths: the CLI and server do the IO.
//! A reader yields one [`Item`] per document. Bad input never stops a batch:
//! a broken document becomes a [`Failure`] naming where it came from, and the
//! reader moves on to the next one.

use std::io::Read;

/// The input formats Annalist reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file name as the user gave it, or `-` for standard input.
    pub source: String,
    /// The 1-based line in `source` (JSON Lines) where the document starts.
    pub line: Option<usize>,
    /// The 0-based ordinal of the document within `source`.
    pub index: usize,
}

/// One document read from the input, independent of its format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub origin: Origin,
    pub doc_id: Option<String>,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub license: Option<String>,
    /// Non-fatal problems (e.g. "invalid UTF-8, decoded as Windows-1252").
    pub warnings: Vec<String>,
}

/// A document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Guesses the format from the file name and the first bytes (decompressed).
pub fn sniff(_name: &str, _head: &[u8]) -> Format {
    Format::Text
}

/// Reads every document of one input.
///
/// `name` is used for sniffing and in messages; `format` overrides sniffing.
/// Gzip input is detected by its magic bytes and decompressed transparently.
pub fn read(
    name: &str,
    mut reader: Box<dyn Read + Send>,
    _format: Option<Format>,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let mut bytes = Vec::new();
    let origin = Origin {
        source: name.to_string(),
        line: None,
        index: 0,
    };
    let item = match reader.read_to_end(&mut bytes) {
        Ok(_) => Ok(Document {
            origin,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            ..Document::default()
        }),
        Err(e) => Err(Failure {
            origin,
            doc_id: None,
            code: "io_error",
            message: format!("{name}: {e}"),
        }),
    };
    Box::new(std::iter::once(item))
}
