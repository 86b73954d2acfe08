//! JSON Lines: one document per line, read one line at a time.
//!
//! Fields: `doc_id` or `id` (a string or a number), `text` (required),
//! `title`, `url`, `published` or `date`, `publisher`, `license`. Other
//! fields are ignored. A bad line becomes a failure naming `file:line` and
//! the next line is read as usual.
//!
//! A `.json` file is often not JSON Lines but one pretty-printed object or an
//! array of objects. When the first line starts such a value and is not a
//! complete object by itself, the whole input is read as one JSON value
//! instead (held in memory: such files are small next to JSON Lines corpora).

use crate::decode::{clean_meta, decode_utf8_or_1252, io_failure, normalize_newlines, Decoded};
use crate::limits::size;
use crate::text::set_published;
use crate::{codes, Ctx, Document, Failure, Item};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

pub struct JsonlReader {
    ctx: Ctx,
    stream: Box<dyn BufRead + Send>,
    line: usize,
    index: usize,
    buf: Vec<u8>,
    done: bool,
    /// Documents of a whole-file JSON value, handed out one by one.
    pending: VecDeque<Item>,
    /// The first line has been looked at for a whole-file value.
    first_seen: bool,
}

/// Text from bytes that should be UTF-8, and how it was decoded.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Decoded) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Decoded::Utf8),
        Err(_) => {
            let (s, decoded) = decode_utf8_or_1252(bytes.to_vec());
            (Cow::Owned(s), decoded)
        }
    }
}

/// Reads one line into `buf` (newline included), keeping at most `cap`
/// bytes: the rest of a longer line is read and dropped, so that one huge
/// line never sits in memory. Returns the bytes read and whether the line
/// was cut.
fn read_line_capped(
    stream: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let mut total = 0usize;
    let mut cut = false;
    loop {
        let chunk = match stream.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, cut));
        }
        let (used, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !cut {
            let room = cap.saturating_sub(buf.len());
            if used > room {
                cut = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..used]);
            }
        }
        stream.consume(used);
        total += used;
        if done {
            return Ok((total, cut));
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl JsonlReader {
    pub fn new(ctx: Ctx, stream: Box<dyn BufRead + Send>) -> Self {
        JsonlReader {
            ctx,
            stream,
            line: 0,
            index: 0,
            buf: Vec::new(),
            done: false,
            pending: VecDeque::new(),
            first_seen: false,
        }
    }

    fn fail(
        &self,
        line: Option<usize>,
        doc_id: Option<String>,
        code: &'static str,
        message: String,
    ) -> Failure {
        self.ctx
            .failure(self.ctx.origin(line, self.index), doc_id, code, message)
    }

    /// Where the current document is, for messages: `file:line`, or
    /// `file#n` for element n (from 0, as in derived ids) of a whole-file array.
    fn at(&self, line: Option<usize>) -> String {
        match line {
            Some(line) => format!("{}:{line}", self.ctx.name),
            None => format!("{}#{}", self.ctx.name, self.index),
        }
    }

    /// Reads one line as a document.
    fn parse_line(&self, bytes: &[u8]) -> Item {
        let at = self.at(Some(self.line));
        let (line, decoded) = decode(bytes);
        match serde_json::from_str(&line) {
            Ok(Value::Object(o)) => self.document(o, Some(self.line), decoded),
            Ok(other) => Err(self.fail(
                Some(self.line),
                None,
                codes::INVALID_JSON,
                format!(
                    "{at}: expected a json object, found {}; each line must be one object with a \"text\" field",
                    type_name(&other)
                ),
            )),
            Err(e) => Err(self.fail(
                Some(self.line),
                None,
                codes::INVALID_JSON,
                format!(
                    "{at}: invalid json ({}); each line must be one complete json object",
                    e.to_string().to_lowercase()
                ),
            )),
        }
    }

    /// Whether the first line opens a JSON value spread over several lines:
    /// an array, or an object that does not end on this line.
    fn starts_whole_value(bytes: &[u8]) -> bool {
        let trimmed = bytes.trim_ascii_start();
        match trimmed.first() {
            Some(b'[') => true,
            Some(b'{') => serde_json::from_slice::<Value>(bytes)
                .err()
                .is_some_and(|e| e.is_eof()),
            _ => false,
        }
    }

    /// Reads the first line and the rest of the input as one JSON value: an
    /// object (one document) or an array of objects. Input that is not one
    /// value after all (JSON Lines whose first line is cut short) goes back
    /// to being read line by line.
    fn read_whole(&mut self, first: Vec<u8>) {
        let first_line = self.line;
        let mut all = first;
        let error = self.stream.read_to_end(&mut all).err();
        let parsed = match error {
            Some(_) => None,
            None => {
                let (text, decoded) = decode(&all);
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .map(|v| (v, decoded))
            }
        };
        let Some((value, decoded)) = parsed else {
            // Replay the input, then the read error if there was one.
            let replay = std::io::Cursor::new(all);
            self.stream = match error {
                Some(e) => Box::new(std::io::BufReader::new(replay.chain(Failing(Some(e))))),
                None => Box::new(replay),
            };
            self.line = first_line - 1;
            self.done = false;
            return;
        };
        let values = match value {
            Value::Array(values) => values,
            other => vec![other],
        };
        for value in values {
            let item = match value {
                Value::Object(o) => self.document(o, None, decoded),
                other => Err(self.fail(
                    None,
                    None,
                    codes::INVALID_JSON,
                    format!(
                        "{}: expected a json object, found {}",
                        self.at(None),
                        type_name(&other)
                    ),
                )),
            };
            self.pending.push_back(item);
            self.index += 1;
        }
    }

    /// The document of one JSON object.
    fn document(
        &self,
        mut object: Map<String, Value>,
        line: Option<usize>,
        decoded: Decoded,
    ) -> Item {
        let at = self.at(line);
        let doc_id = ["doc_id", "id"].iter().find_map(|k| match object.get(*k) {
            Some(Value::String(s)) => clean_meta(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        });
        let text = match object.remove("text") {
            Some(Value::String(s)) => s,
            found => {
                let what = match found {
                    None => "no \"text\" field".to_string(),
                    Some(v) => format!("\"text\" is not a string but {}", type_name(&v)),
                };
                return Err(self.fail(
                    line,
                    doc_id,
                    codes::MISSING_TEXT,
                    format!("{at}: {what}; each object needs the document as a \"text\" string"),
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(self.fail(
                line,
                doc_id,
                codes::EMPTY_INPUT,
                format!("{at}: \"text\" is empty; nothing to code"),
            ));
        }
        let string = |keys: &[&str]| {
            keys.iter().find_map(|k| match object.get(*k) {
                Some(Value::String(s)) => clean_meta(s),
                _ => None,
            })
        };
        let mut doc = Document {
            origin: self.ctx.origin(line, self.index),
            doc_id,
            text: normalize_newlines(text),
            title: string(&["title"]),
            url: string(&["url"]),
            publisher: string(&["publisher"]),
            license: string(&["license"]),
            ..Document::default()
        };
        doc.warnings.extend(decoded.warning(&at));
        if let Some(raw) = string(&["published", "date"]) {
            set_published(&mut doc, &raw, &at);
        }
        Ok(doc)
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        while !self.done {
            self.buf.clear();
            // A line may hold the document's JSON escapes and metadata
            // besides its text, hence the room above the document cap.
            let cap = self.ctx.limits.markup();
            match read_line_capped(&mut self.stream, &mut self.buf, cap) {
                Ok((0, _)) => self.done = true,
                Ok((_, true)) => {
                    self.line += 1;
                    let item = Err(self.fail(
                        Some(self.line),
                        None,
                        codes::DOCUMENT_TOO_LARGE,
                        format!(
                            "{}: the line is over {}; split the document, or raise the cap (--max-document-mb)",
                            self.at(Some(self.line)),
                            size(cap as u64)
                        ),
                    ));
                    self.first_seen = true;
                    self.index += 1;
                    return Some(item);
                }
                Ok(_) => {
                    self.line += 1;
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    if !self.first_seen {
                        self.first_seen = true;
                        if Self::starts_whole_value(&self.buf) {
                            self.done = true;
                            let first = std::mem::take(&mut self.buf);
                            self.read_whole(first);
                            if let Some(item) = self.pending.pop_front() {
                                return Some(item);
                            }
                            continue;
                        }
                    }
                    let mut end = self.buf.len();
                    while end > 0 && matches!(self.buf[end - 1], b'\n' | b'\r') {
                        end -= 1;
                    }
                    let item = self.parse_line(&self.buf[..end]);
                    self.index += 1;
                    return Some(item);
                }
                Err(e) => {
                    self.done = true;
                    let line = self.line + 1;
                    let origin = self.ctx.origin(Some(line), self.index);
                    let mut failure = io_failure(&self.ctx, origin, &e);
                    failure.message = failure.message.replacen(
                        &self.ctx.name,
                        &format!("{}:{line}", self.ctx.name),
                        1,
                    );
                    return Some(Err(failure));
                }
            }
        }
        None
    }
}

/// A reader that fails once with the error it holds.
struct Failing(Option<std::io::Error>);

impl Read for Failing {
    fn read(&mut self, _buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}
