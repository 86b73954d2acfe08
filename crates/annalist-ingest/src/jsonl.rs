//! JSON Lines: one document per line, read one line at a time.
//!
//! Fields: `doc_id` or `id` (a string or a number), `text` (required),
//! `title`, `url`, `published` or `date`, `publisher`, `license`. Other
//! fields are ignored. A bad line becomes a failure naming `file:line` and
//! the next line is read as usual.

use crate::decode::{clean_meta, decode_utf8_or_1252, io_failure, normalize_newlines};
use crate::text::set_published;
use crate::{codes, Ctx, Document, Item};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::BufRead;

pub struct JsonlReader {
    ctx: Ctx,
    stream: Box<dyn BufRead + Send>,
    line: usize,
    index: usize,
    buf: Vec<u8>,
    done: bool,
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
        }
    }

    fn parse(&self, bytes: &[u8]) -> Item {
        let ctx = &self.ctx;
        let at = format!("{}:{}", ctx.name, self.line);
        let origin = ctx.origin(Some(self.line), self.index);
        let (line, fallback) = match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => {
                let (s, _) = decode_utf8_or_1252(bytes.to_vec());
                (Cow::Owned(s), true)
            }
        };
        let object: Map<String, Value> = match serde_json::from_str(&line) {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                let kind = match other {
                    Value::Array(_) => "an array",
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    Value::Bool(_) => "a boolean",
                    _ => "null",
                };
                return Err(ctx.failure(
                    origin,
                    None,
                    codes::INVALID_JSON,
                    format!("{at}: expected a json object, found {kind}; each line must be one object with a \"text\" field"),
                ));
            }
            Err(e) => {
                return Err(ctx.failure(
                    origin,
                    None,
                    codes::INVALID_JSON,
                    format!(
                        "{at}: invalid json ({}); each line must be one complete json object",
                        e.to_string().to_lowercase()
                    ),
                ));
            }
        };
        let mut object = object;
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
                return Err(ctx.failure(
                    origin,
                    doc_id,
                    codes::MISSING_TEXT,
                    format!("{at}: {what}; each object needs the document as a \"text\" string"),
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(ctx.failure(
                origin,
                doc_id,
                codes::EMPTY_INPUT,
                format!("{at}: \"text\" is empty; nothing to code"),
            ));
        }
        let string = |o: &Map<String, Value>, keys: &[&str]| {
            keys.iter().find_map(|k| match o.get(*k) {
                Some(Value::String(s)) => clean_meta(s),
                _ => None,
            })
        };
        let mut doc = Document {
            origin,
            doc_id,
            text: normalize_newlines(text),
            title: string(&object, &["title"]),
            url: string(&object, &["url"]),
            publisher: string(&object, &["publisher"]),
            license: string(&object, &["license"]),
            ..Document::default()
        };
        if fallback {
            doc.warnings
                .push(format!("invalid utf-8 in {at}, decoded as windows-1252"));
        }
        if let Some(raw) = string(&object, &["published", "date"]) {
            set_published(&mut doc, &raw, &at);
        }
        Ok(doc)
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

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.buf.clear();
            match self.stream.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let mut end = self.buf.len();
                    while end > 0 && matches!(self.buf[end - 1], b'\n' | b'\r') {
                        end -= 1;
                    }
                    let item = self.parse(&self.buf[..end]);
                    self.index += 1;
                    return Some(item);
                }
                Err(e) => {
                    self.done = true;
                    let origin = self.ctx.origin(Some(self.line + 1), self.index);
                    let mut failure = io_failure(&self.ctx, origin, &e);
                    failure.message = failure.message.replacen(
                        &self.ctx.name,
                        &format!("{}:{}", self.ctx.name, self.line + 1),
                        1,
                    );
                    return Some(Err(failure));
                }
            }
        }
        None
    }
}
