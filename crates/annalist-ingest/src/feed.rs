//! RSS 2.0 (also 0.9x and 1.0) and Atom: one document per `item`/`entry`,
//! streamed, so that a large feed is never held whole.
//!
//! Field content is taken as raw bytes and decoded here (the declared
//! encoding, then character references) rather than by quick-xml, so that a
//! feed in Windows-1256 or with HTML entities such as `&nbsp;` still reads.

use crate::decode::{clean_meta, encoding_for_label, io_failure, normalize_newlines};
use crate::text::set_published;
use crate::{codes, entities, html, Ctx, Document, Item};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// Counts the newlines a reader has handed out, remembering where the last
/// few were, so that an error's byte position can be turned into a line.
struct LineCounter<R> {
    inner: R,
    consumed: u64,
    lines: usize,
    recent: VecDeque<u64>,
}

/// How many newline positions are remembered; errors are reported just after
/// quick-xml reads the offending bytes, so a short memory suffices.
const RECENT_NEWLINES: usize = 4096;

impl<R: BufRead> LineCounter<R> {
    /// The 1-based line of byte `pos`, where `pos` is not far behind what has
    /// been consumed.
    fn line_at(&self, pos: u64) -> usize {
        let after = self.recent.iter().rev().take_while(|&&p| p >= pos).count();
        self.lines - after + 1
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(buf.len());
            buf[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            for i in memchr::memchr_iter(b'\n', &buf[..amt]) {
                self.lines += 1;
                if self.recent.len() == RECENT_NEWLINES {
                    self.recent.pop_front();
                }
                self.recent.push_back(self.consumed + i as u64);
            }
            self.consumed += amt as u64;
        }
        self.inner.consume(amt);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    ChannelTitle,
    Title,
    Link,
    Guid,
    Id,
    PubDate,
    Published,
    Updated,
    DcDate,
    Encoded,
    Content,
    Description,
    Summary,
}

fn item_field(name: &str) -> Option<Field> {
    Some(match name {
        "title" => Field::Title,
        "link" => Field::Link,
        "guid" => Field::Guid,
        "id" => Field::Id,
        "pubdate" => Field::PubDate,
        "published" | "issued" => Field::Published,
        "updated" | "modified" => Field::Updated,
        "dc:date" => Field::DcDate,
        "content:encoded" => Field::Encoded,
        "content" => Field::Content,
        "description" => Field::Description,
        "summary" => Field::Summary,
        _ => return None,
    })
}

/// A field being read: its text so far and the depth of its element.
struct Capture {
    field: Field,
    depth: usize,
    text: String,
    /// The field held child elements (Atom `type="xhtml"`, or HTML written
    /// unescaped), kept as markup in `text`.
    markup: bool,
}

#[derive(Default)]
struct ItemState {
    depth: usize,
    line: usize,
    fields: Vec<(Field, String, bool)>,
    link: Option<String>,
    warnings: Vec<String>,
}

impl ItemState {
    fn get(&self, field: Field) -> Option<(&str, bool)> {
        self.fields
            .iter()
            .find(|(f, v, _)| *f == field && !v.trim().is_empty())
            .map(|(_, v, m)| (v.as_str(), *m))
    }
}

pub struct FeedReader {
    ctx: Ctx,
    xml: Reader<LineCounter<Box<dyn BufRead + Send>>>,
    buf: Vec<u8>,
    stack: Vec<String>,
    encoding: &'static Encoding,
    publisher: Option<String>,
    item: Option<ItemState>,
    capture: Option<Capture>,
    index: usize,
    done: bool,
}

impl FeedReader {
    pub fn new(ctx: Ctx, stream: Box<dyn BufRead + Send>) -> Self {
        let mut xml = Reader::from_reader(LineCounter {
            inner: stream,
            consumed: 0,
            lines: 0,
            recent: VecDeque::new(),
        });
        xml.config_mut().trim_text(false);
        FeedReader {
            ctx,
            xml,
            buf: Vec::new(),
            stack: Vec::new(),
            encoding: UTF_8,
            publisher: None,
            item: None,
            capture: None,
            index: 0,
            done: false,
        }
    }

    fn line(&self, pos: u64) -> usize {
        self.xml.get_ref().line_at(pos)
    }

    /// Decodes raw bytes in the feed's encoding, noting invalid UTF-8.
    fn decode(&mut self, raw: &[u8]) -> String {
        if self.encoding == UTF_8 {
            match std::str::from_utf8(raw) {
                Ok(s) => s.to_string(),
                Err(_) => {
                    let warning = format!(
                        "invalid utf-8 in {}, decoded as windows-1252",
                        self.ctx.name
                    );
                    if let Some(item) = &mut self.item {
                        if !item.warnings.contains(&warning) {
                            item.warnings.push(warning);
                        }
                    }
                    WINDOWS_1252.decode_without_bom_handling(raw).0.into_owned()
                }
            }
        } else {
            self.encoding
                .decode_without_bom_handling(raw)
                .0
                .into_owned()
        }
    }

    fn attr(&mut self, e: &BytesStart, key: &str) -> Option<String> {
        let raw = e
            .html_attributes()
            .flatten()
            .find(|a| a.key.as_ref().eq_ignore_ascii_case(key.as_bytes()))?
            .value
            .into_owned();
        let s = self.decode(&raw);
        Some(entities::decode(&s).into_owned())
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let raw_name = self.decode(e.name().as_ref());
        let name = raw_name.to_ascii_lowercase();
        let local = name.rsplit(':').next().unwrap_or_default().to_string();
        if let Some(capture) = &mut self.capture {
            // Markup inside a field: keep it for the HTML extractor.
            let tag = String::from_utf8_lossy(e.as_ref()).into_owned();
            capture.text.push('<');
            capture.text.push_str(&tag);
            capture.text.push_str(if empty { "/>" } else { ">" });
            capture.markup = true;
            if !empty {
                self.stack.push(raw_name);
            }
            return;
        }
        let depth = self.stack.len() + 1;
        if self.item.is_none() && (local == "item" || local == "entry") {
            let line = self.line(self.xml.buffer_position());
            if !empty {
                self.stack.push(raw_name);
                self.item = Some(ItemState {
                    depth,
                    line,
                    ..ItemState::default()
                });
            }
            return;
        }
        let field = match &self.item {
            Some(item) if depth == item.depth + 1 => item_field(&name),
            None if name == "title"
                && self.stack.last().is_some_and(|p| {
                    matches!(p.to_ascii_lowercase().as_str(), "channel" | "feed")
                }) =>
            {
                Some(Field::ChannelTitle)
            }
            _ => None,
        };
        if field == Some(Field::Link) {
            // Atom links carry the address in `href`; only the page itself
            // (no `rel`, or `rel="alternate"`) is the article's address.
            if let Some(href) = self.attr(e, "href") {
                let rel = self.attr(e, "rel");
                let alternate = rel.as_deref().is_none_or(|r| r == "alternate");
                if let Some(item) = &mut self.item {
                    if alternate && item.link.is_none() {
                        item.link = clean_meta(&href);
                    }
                }
            }
        }
        if !empty {
            self.stack.push(raw_name);
            if let Some(field) = field {
                self.capture = Some(Capture {
                    field,
                    depth,
                    text: String::new(),
                    markup: false,
                });
            }
        }
    }

    fn text(&mut self, raw: &[u8], cdata: bool) {
        if self.capture.is_none() {
            return;
        }
        let s = self.decode(raw);
        let nested = self
            .capture
            .as_ref()
            .is_some_and(|c| self.stack.len() > c.depth);
        let Some(capture) = &mut self.capture else {
            return;
        };
        if cdata || nested {
            // Inside child markup the text stays escaped for the HTML
            // extractor, which decodes it once.
            capture.text.push_str(&s);
        } else {
            capture.text.push_str(&entities::decode(&s));
        }
    }

    /// Handles an end tag; returns a finished item, if this ended one.
    fn end(&mut self) -> Option<Item> {
        let depth = self.stack.len();
        let closed = self.stack.pop();
        if let Some(capture) = &mut self.capture {
            if depth > capture.depth {
                if let Some(name) = closed {
                    capture.text.push_str("</");
                    capture.text.push_str(&name);
                    capture.text.push('>');
                }
                return None;
            }
            let capture = self.capture.take()?;
            match (&mut self.item, capture.field) {
                (None, Field::ChannelTitle) => {
                    let title = field_text(&capture.text, capture.markup, true);
                    if self.publisher.is_none() {
                        self.publisher = clean_meta(&title);
                    }
                }
                (Some(item), field) => item.fields.push((field, capture.text, capture.markup)),
                _ => {}
            }
            return None;
        }
        if self.item.as_ref().is_some_and(|i| i.depth == depth) {
            let item = self.item.take()?;
            let result = self.finish(item);
            self.index += 1;
            return Some(result);
        }
        None
    }

    fn finish(&self, item: ItemState) -> Item {
        let ctx = &self.ctx;
        let origin = ctx.origin(Some(item.line), self.index);
        let at = format!("{}:{}", ctx.name, item.line);
        let plain = |f: Field| {
            item.get(f)
                .and_then(|(v, m)| clean_meta(&field_text(v, m, true)))
        };
        let doc_id = plain(Field::Guid).or_else(|| plain(Field::Id));
        let title = plain(Field::Title);
        let mut warnings = item.warnings.clone();
        let body = [
            Field::Encoded,
            Field::Content,
            Field::Description,
            Field::Summary,
        ]
        .iter()
        .filter_map(|&f| item.get(f))
        .map(|(v, m)| field_text(v, m, false))
        .find(|t| !t.trim().is_empty());
        let text = match (body, &title) {
            (Some(t), _) => t,
            (None, Some(title)) => {
                warnings.push(format!(
                    "{at}: the item has no content; its title is coded instead"
                ));
                title.clone()
            }
            (None, None) => {
                return Err(ctx.failure(
                    origin,
                    doc_id,
                    codes::MISSING_TEXT,
                    format!("{at}: the feed item has neither content, description nor title; nothing to code"),
                ));
            }
        };
        let url = item
            .link
            .clone()
            .or_else(|| plain(Field::Link))
            .or_else(|| {
                doc_id
                    .clone()
                    .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
            });
        let mut doc = Document {
            origin,
            doc_id,
            text,
            title,
            url,
            publisher: self.publisher.clone(),
            warnings,
            ..Document::default()
        };
        let date = [
            Field::Published,
            Field::PubDate,
            Field::DcDate,
            Field::Updated,
        ]
        .iter()
        .find_map(|&f| plain(f));
        if let Some(raw) = date {
            set_published(&mut doc, &raw, &at);
        }
        Ok(doc)
    }

    fn xml_failure(&mut self, message: String) -> Item {
        let line = self.line(self.xml.error_position());
        let origin = self.ctx.origin(Some(line), self.index);
        let name = &self.ctx.name;
        Err(self.ctx.failure(
            origin,
            None,
            codes::INVALID_XML,
            format!("{name}:{line}: malformed xml ({message}); items before it were read"),
        ))
    }
}

/// The text of a field: HTML run through the extractor, plain text with
/// normalised line endings, trimmed; `inline` collapses it onto one line.
fn field_text(value: &str, markup: bool, inline: bool) -> String {
    if markup || looks_like_html(value) {
        let text = html::fragment_text(value);
        if inline {
            return text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        return text;
    }
    if inline {
        return value.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    normalize_newlines(value.trim().to_string())
}

/// Whether a field holds HTML: a tag, closing tag or comment opener.
fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| {
        b.get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/' || c == b'!')
    })
}

impl Iterator for FeedReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let event = self.xml.read_event_into(&mut buf);
            let out = match event {
                Ok(Event::Start(e)) => {
                    self.start(&e, false);
                    None
                }
                Ok(Event::Empty(e)) => {
                    self.start(&e, true);
                    None
                }
                Ok(Event::End(_)) => self.end(),
                Ok(Event::Text(t)) => {
                    self.text(&t.into_inner(), false);
                    None
                }
                Ok(Event::CData(t)) => {
                    self.text(&t.into_inner(), true);
                    None
                }
                Ok(Event::Decl(d)) => {
                    if !self.ctx.utf8_fixed {
                        if let Some(Ok(label)) = d.encoding() {
                            let label = String::from_utf8_lossy(&label).into_owned();
                            self.encoding = encoding_for_label(&label).unwrap_or(UTF_8);
                        }
                    }
                    None
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    match self.stack.last() {
                        Some(open) => {
                            let open = open.clone();
                            let line = self.xml.get_ref().lines + 1;
                            let origin = self.ctx.origin(Some(line), self.index);
                            Some(Err(self.ctx.failure(
                                origin,
                                None,
                                codes::INVALID_XML,
                                format!(
                                    "{}:{line}: the feed ends inside <{open}>; the file may be incomplete",
                                    self.ctx.name
                                ),
                            )))
                        }
                        None => None,
                    }
                }
                Ok(_) => None,
                Err(quick_xml::Error::Io(e)) => {
                    self.done = true;
                    let line = self.xml.get_ref().lines + 1;
                    let origin = self.ctx.origin(Some(line), self.index);
                    Some(Err(io_failure(&self.ctx, origin, &e)))
                }
                Err(e) => {
                    self.done = true;
                    Some(self.xml_failure(e.to_string().to_lowercase()))
                }
            };
            self.buf = buf;
            if out.is_some() {
                return out;
            }
        }
        None
    }
}
