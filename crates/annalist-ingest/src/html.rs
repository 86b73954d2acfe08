//! A small lenient HTML reader: main-article text and metadata.
//!
//! Full HTML5 parsing (html5ever) is far more than article extraction needs
//! and heavy to build. This reader tokenizes leniently, builds a simple tree
//! with the few implied end tags that matter for text (`p`, `li`, table
//! cells), drops boilerplate, picks the article and writes its text as
//! paragraphs separated by a blank line. Every input, however broken, gives
//! best-effort text in linear time; nothing here panics.

use crate::entities;
use encoding_rs::Encoding;
use std::borrow::Cow;

/// What [`extract_article`] finds in a page. Values are as written on the
/// page (whitespace collapsed); `published` is not yet normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// The article text: paragraphs separated by `\n\n`.
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
}

/// Extracts the main article of a whole page, with its metadata.
pub fn extract_article(html: &str) -> Article {
    let dom = Dom::parse(html);
    let dropped = dom.boilerplate();
    let root = dom.main_content(&dropped);
    let mut article = dom.metadata(&dropped);
    article.text = dom.text_of(root, &dropped);
    strip_headline(&mut article);
    article
}

/// Drops a first paragraph that repeats the title: the headline is metadata
/// already, and the text should start with the body (and its dateline).
fn strip_headline(article: &mut Article) {
    let Some(title) = &article.title else {
        return;
    };
    let first = article.text.split("\n\n").next().unwrap_or_default();
    let same = first.eq_ignore_ascii_case(title)
        || (first.len() >= 10 && title.starts_with(first) && first.len() < 300);
    if same {
        let cut = (first.len() + 2).min(article.text.len());
        article.text.drain(..cut);
    }
}

/// The text of an HTML fragment (a feed item's content): boilerplate
/// dropped, but no article selection, since the fragment is the article.
pub fn fragment_text(html: &str) -> String {
    let dom = Dom::parse(html);
    let dropped = dom.boilerplate();
    dom.text_of(0, &dropped)
}

/// The encoding a page declares in its first bytes (`<meta charset>` or
/// `<meta http-equiv="content-type">`), if any.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut found = None;
    tokenize(&head, &mut |token| {
        if found.is_some() {
            return;
        }
        if let Token::Start { name, attrs, .. } = token {
            if name != "meta" {
                return;
            }
            let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            if let Some(label) = get("charset") {
                found = crate::decode::encoding_for_label(label);
            } else if get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type")) {
                found = get("content").and_then(charset_param);
            }
        }
    });
    found
}

/// The `charset` parameter of a content-type value.
pub fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower[at + 7..].trim_start().strip_prefix('=')?;
    let value = rest
        .trim_start()
        .split([';', ' ', ','])
        .next()
        .unwrap_or_default();
    crate::decode::encoding_for_label(value)
}

// ---------------------------------------------------------------------------
// Tokenizer

#[derive(Debug)]
enum Token<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End {
        name: String,
    },
    Text(Cow<'a, str>),
}

/// Elements whose content is not markup: it runs to the matching end tag.
fn raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "title"
            | "textarea"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Finds `</name` (any case) followed by a delimiter, from `from`.
fn find_end_tag(s: &str, from: usize, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&b[at..], b"</") {
        let start = at + i;
        let name_end = start + 2 + name.len();
        if name_end <= b.len()
            && b[start + 2..name_end].eq_ignore_ascii_case(name.as_bytes())
            && b.get(name_end)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// Splits `s` into tokens. Every step consumes input, so the whole run is
/// linear in the length of `s` whatever it contains.
fn tokenize<'a>(s: &'a str, sink: &mut dyn FnMut(Token<'a>)) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) else {
            sink(Token::Text(entities::decode(&s[i..])));
            return;
        };
        if lt > i {
            sink(Token::Text(entities::decode(&s[i..lt])));
        }
        i = lt;
        let next = b.get(i + 1).copied();
        match next {
            Some(b'!') => {
                if b[i..].starts_with(b"<!--") {
                    i = match memchr::memmem::find(&b[i + 4..], b"-->") {
                        Some(k) => i + 4 + k + 3,
                        None => n,
                    };
                } else {
                    i = skip_past_gt(b, i);
                }
            }
            Some(b'?') => i = skip_past_gt(b, i),
            Some(b'/') => {
                if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                    let start = i + 2;
                    let mut j = start;
                    while j < n && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
                        j += 1;
                    }
                    let name = s[start..j].to_ascii_lowercase();
                    i = skip_past_gt(b, j);
                    sink(Token::End { name });
                } else {
                    i = skip_past_gt(b, i);
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let Some((name, attrs, self_closing, end)) = start_tag(s, i) else {
                    // A tag cut off by the end of input is dropped, as
                    // browsers do.
                    return;
                };
                i = end;
                if raw_text(&name) {
                    let close = find_end_tag(s, i, &name).unwrap_or(n);
                    if matches!(name.as_str(), "title" | "textarea") && close > i {
                        let content = entities::decode(&s[i..close]);
                        sink(Token::Start {
                            name: name.clone(),
                            attrs,
                            self_closing: false,
                        });
                        sink(Token::Text(content));
                    } else {
                        sink(Token::Start {
                            name: name.clone(),
                            attrs,
                            self_closing: false,
                        });
                    }
                    i = if close < n { skip_past_gt(b, close) } else { n };
                    sink(Token::End { name });
                } else {
                    sink(Token::Start {
                        name,
                        attrs,
                        self_closing,
                    });
                }
            }
            _ => {
                sink(Token::Text(Cow::Borrowed("<")));
                i += 1;
            }
        }
    }
}

/// The index just past the next `>` at or after `from`, or the end.
fn skip_past_gt(b: &[u8], from: usize) -> usize {
    match memchr::memchr(b'>', &b[from..]) {
        Some(k) => from + k + 1,
        None => b.len(),
    }
}

type StartTag = (String, Vec<(String, String)>, bool, usize);

/// Reads the start tag at `i` (`<` then a letter): its lowercase name,
/// attributes, whether it ends in `/>`, and the index past its `>`.
fn start_tag(s: &str, i: usize) -> Option<StartTag> {
    let b = s.as_bytes();
    let n = b.len();
    let mut j = i + 1;
    while j < n && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let name = s[i + 1..j].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while j < n && (is_space(b[j]) || b[j] == b'/') {
            if b[j] == b'/' && b.get(j + 1) == Some(&b'>') {
                self_closing = true;
            }
            j += 1;
        }
        if j >= n {
            return None;
        }
        if b[j] == b'>' {
            return Some((name, attrs, self_closing, j + 1));
        }
        let start = j;
        while j < n && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        if j == start {
            // A stray `=`: take it as the name so that the loop moves on.
            j += 1;
        }
        let attr = s[start..j].to_ascii_lowercase();
        let mut k = j;
        while k < n && is_space(b[k]) {
            k += 1;
        }
        let mut value = "";
        if k < n && b[k] == b'=' {
            k += 1;
            while k < n && is_space(b[k]) {
                k += 1;
            }
            if k < n && (b[k] == b'"' || b[k] == b'\'') {
                let quote = b[k];
                match memchr::memchr(quote, &b[k + 1..]) {
                    Some(q) => {
                        value = &s[k + 1..k + 1 + q];
                        k = k + 1 + q + 1;
                    }
                    None => return None,
                }
            } else {
                let start = k;
                while k < n && !is_space(b[k]) && b[k] != b'>' {
                    k += 1;
                }
                value = &s[start..k];
            }
            j = k;
        }
        attrs.push((attr, entities::decode(value).into_owned()));
    }
}

// ---------------------------------------------------------------------------
// Tree

enum Kind {
    Element {
        name: Cow<'static, str>,
        attrs: Option<Box<[Attr]>>,
    },
    Text(Box<str>),
    /// Whitespace only: it separates words but holds nothing to keep.
    Space,
}

type Attr = (Box<str>, Box<str>);

struct Node {
    kind: Kind,
    parent: usize,
    /// One past the last node of this node's subtree.
    end: usize,
}

/// The parsed page. Nodes are stored in document order, so a parent always
/// comes before its children and every subtree is the range of nodes from
/// its root to its `end`: top-down passes run forwards, bottom-up passes
/// backwards, text is read by scanning a range, and nothing recurses. Nodes
/// are kept small (no child lists, tag names shared, only the attributes
/// extraction reads) so that large pages fit in memory.
struct Dom {
    nodes: Vec<Node>,
}

/// Tag names stored without an allocation of their own; sorted.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "label",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "noscript",
    "ol",
    "option",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "u",
    "ul",
    "video",
];

fn intern(name: String) -> Cow<'static, str> {
    match KNOWN_TAGS.binary_search(&name.as_str()) {
        Ok(i) => Cow::Borrowed(KNOWN_TAGS[i]),
        Err(_) => Cow::Owned(name),
    }
}

/// The attributes extraction reads; `href` only matters on `link`.
const KEPT_ATTRS: &[&str] = &[
    "aria-hidden",
    "charset",
    "class",
    "content",
    "datetime",
    "hidden",
    "href",
    "http-equiv",
    "id",
    "itemprop",
    "name",
    "property",
    "rel",
    "role",
    "style",
];

fn keep_attrs(tag: &str, attrs: Vec<(String, String)>) -> Option<Box<[Attr]>> {
    let kept: Vec<Attr> = attrs
        .into_iter()
        .filter(|(k, v)| {
            KEPT_ATTRS.contains(&k.as_str())
                && (k != "href" || tag == "link")
                && (k != "style" || v.contains("none"))
        })
        .map(|(k, v)| (k.into_boxed_str(), v.into_boxed_str()))
        .collect();
    (!kept.is_empty()).then(|| kept.into_boxed_slice())
}

/// Deeper nesting than this is flattened: real pages stay far below it, and
/// the bound keeps implied-end-tag searches short on hostile input.
const MAX_DEPTH: usize = 256;

/// How far down the open elements an end tag looks for its start tag.
const END_TAG_REACH: usize = 48;

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
    )
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "big"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "label"
            | "mark"
            | "nobr"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
    )
}

/// Elements that end a paragraph in the text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Start tags that close an open `p`.
fn closes_p(name: &str) -> bool {
    is_block(name)
        && !matches!(
            name,
            "br" | "body" | "html" | "caption" | "tbody" | "tfoot" | "thead" | "tr"
        )
}

impl Dom {
    fn parse(html: &str) -> Dom {
        let mut dom = Dom {
            nodes: vec![Node {
                kind: Kind::Element {
                    name: Cow::Borrowed("#root"),
                    attrs: None,
                },
                parent: 0,
                end: 1,
            }],
        };
        let mut stack: Vec<usize> = vec![0];
        tokenize(html, &mut |token| match token {
            Token::Text(t) => {
                let top = *stack.last().unwrap_or(&0);
                let kind = if t.chars().all(char::is_whitespace) {
                    Kind::Space
                } else {
                    Kind::Text(t.into_owned().into_boxed_str())
                };
                dom.add(top, kind);
            }
            Token::Start {
                name,
                attrs,
                self_closing,
            } => {
                dom.implied_ends(&mut stack, &name);
                let top = *stack.last().unwrap_or(&0);
                let void = is_void(&name) || self_closing;
                let attrs = keep_attrs(&name, attrs);
                let name = intern(name);
                let id = dom.add(top, Kind::Element { name, attrs });
                if !void && stack.len() < MAX_DEPTH {
                    stack.push(id);
                }
            }
            Token::End { name } => {
                if name == "br" {
                    let top = *stack.last().unwrap_or(&0);
                    dom.add(
                        top,
                        Kind::Element {
                            name: intern(name),
                            attrs: None,
                        },
                    );
                    return;
                }
                let reach = stack.len().saturating_sub(END_TAG_REACH).max(1);
                if let Some(at) = (reach..stack.len())
                    .rev()
                    .find(|&k| dom.name(stack[k]) == name)
                {
                    stack.truncate(at);
                }
            }
        });
        // Subtrees end where their last descendant does.
        for id in (1..dom.nodes.len()).rev() {
            let (parent, end) = (dom.nodes[id].parent, dom.nodes[id].end);
            if end > dom.nodes[parent].end {
                dom.nodes[parent].end = end;
            }
        }
        dom
    }

    fn add(&mut self, parent: usize, kind: Kind) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            parent,
            end: id + 1,
        });
        id
    }

    fn name(&self, id: usize) -> &str {
        match &self.nodes[id].kind {
            Kind::Element { name, .. } => name,
            Kind::Text(_) | Kind::Space => "",
        }
    }

    fn attr(&self, id: usize, key: &str) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Element {
                attrs: Some(attrs), ..
            } => attrs.iter().find(|(k, _)| &**k == key).map(|(_, v)| &**v),
            _ => None,
        }
    }

    /// Closes the elements a start tag implicitly ends: an open `p` before a
    /// block, the previous `li`, `dt`/`dd`, table row or cell, `option`.
    fn implied_ends(&self, stack: &mut Vec<usize>, name: &str) {
        let (targets, passable): (&[&str], fn(&str) -> bool) = match name {
            "li" => (&["li"], |n| is_inline(n) || n == "p"),
            "dt" | "dd" => (&["dt", "dd"], |n| is_inline(n) || n == "p"),
            "tr" => (&["tr"], |n| is_inline(n) || matches!(n, "p" | "td" | "th")),
            "td" | "th" => (&["td", "th"], |n| is_inline(n) || n == "p"),
            "option" => (&["option"], |_| false),
            n if closes_p(n) => (&["p"], is_inline),
            _ => return,
        };
        for k in (1..stack.len()).rev().take(END_TAG_REACH) {
            let open = self.name(stack[k]);
            if targets.contains(&open) {
                stack.truncate(k);
                return;
            }
            if !passable(open) {
                return;
            }
        }
    }

    /// Marks the nodes whose text is not article text: scripts and the like
    /// always; navigation, headers, footers and elements whose class or id
    /// says boilerplate unless they hold most of the page's paragraphs (a
    /// page wrapper classed `has-sidebar` is still the page).
    fn boilerplate(&self) -> Vec<bool> {
        let n = self.nodes.len();
        // Paragraph text under each node, ignoring every drop.
        let in_p = self.in_paragraph();
        let mut p_text = vec![0usize; n];
        for id in (1..n).rev() {
            if let Kind::Text(t) = &self.nodes[id].kind {
                if in_p[id] {
                    p_text[id] = t.trim().len();
                }
            }
            let parent = self.nodes[id].parent;
            p_text[parent] += p_text[id];
        }
        let total = p_text[0];
        let mut dropped = vec![false; n];
        for id in 1..n {
            let parent = self.nodes[id].parent;
            if dropped[parent] {
                dropped[id] = true;
                continue;
            }
            let Kind::Element { name, attrs } = &self.nodes[id].kind else {
                continue;
            };
            dropped[id] = match drop_kind(name, attrs.as_deref().unwrap_or_default()) {
                Drop::Always => true,
                Drop::Unless => !(p_text[id] > 500 && p_text[id] * 2 > total),
                Drop::Never => false,
            };
        }
        dropped
    }

    /// Whether each node is a `p` or inside one.
    fn in_paragraph(&self) -> Vec<bool> {
        let n = self.nodes.len();
        let mut in_p = vec![false; n];
        for id in 1..n {
            let parent = self.nodes[id].parent;
            in_p[id] = in_p[parent] || self.name(id) == "p";
        }
        in_p
    }

    /// Visible text length under each node, dropped nodes counting nothing.
    fn text_lengths(&self, dropped: &[bool]) -> Vec<usize> {
        let n = self.nodes.len();
        let mut len = vec![0usize; n];
        for id in (1..n).rev() {
            if dropped[id] {
                continue;
            }
            if let Kind::Text(t) = &self.nodes[id].kind {
                len[id] = t.trim().len();
            }
            let parent = self.nodes[id].parent;
            len[parent] += len[id];
        }
        len
    }

    /// The node holding the article: the largest `<article>` or `<main>`
    /// when it holds a fair share of the paragraph text, else the densest
    /// block of paragraphs, else the whole page.
    fn main_content(&self, dropped: &[bool]) -> usize {
        let len = self.text_lengths(dropped);
        let n = self.nodes.len();
        // Each paragraph scores its parent fully and its grandparent half,
        // so that paragraphs split over sibling wrappers still add up. Long
        // runs of text outside any `p` count as paragraphs too: older pages
        // separate paragraphs with `<br>` inside one `div` or table cell.
        let in_p = self.in_paragraph();
        let mut score = vec![0usize; n];
        for id in 1..n {
            if dropped[id] {
                continue;
            }
            let paragraph = match &self.nodes[id].kind {
                Kind::Element { name, .. } => name == "p",
                Kind::Text(_) => !in_p[id] && len[id] >= 80,
                Kind::Space => false,
            };
            if !paragraph {
                continue;
            }
            let parent = self.nodes[id].parent;
            score[parent] += len[id];
            let grandparent = self.nodes[parent].parent;
            if grandparent != parent {
                score[grandparent] += len[id] / 2;
            }
        }
        let mut best = 0;
        for id in 1..n {
            if score[id] > score[best] {
                best = id;
            }
        }
        for tag in ["article", "main"] {
            let candidate = (1..n)
                .filter(|&id| !dropped[id] && self.name(id) == tag)
                .max_by_key(|&id| (len[id], std::cmp::Reverse(id)));
            if let Some(id) = candidate {
                if len[id] > 0 && len[id] * 2 >= score[best] {
                    return id;
                }
            }
        }
        if score[best] > 0 {
            return best;
        }
        (1..n).find(|&id| self.name(id) == "body").unwrap_or(0)
    }

    /// The text under `root`: paragraphs at block boundaries, separated by a
    /// blank line, whitespace collapsed inside each.
    fn text_of(&self, root: usize, dropped: &[bool]) -> String {
        let mut w = ParagraphWriter::default();
        // Elements entered and not yet left: where each ends, and whether
        // leaving it ends a paragraph or a table cell.
        let mut open: Vec<(usize, bool, bool)> = Vec::new();
        let leave = |w: &mut ParagraphWriter, block: bool, cell: bool| {
            if block {
                w.flush();
            }
            if cell {
                w.space = true;
            }
        };
        let mut id = root;
        while id < self.nodes[root].end {
            while let Some(&(end, block, cell)) = open.last() {
                if id < end {
                    break;
                }
                leave(&mut w, block, cell);
                open.pop();
            }
            if dropped[id] && id != 0 {
                id = self.nodes[id].end;
                continue;
            }
            match &self.nodes[id].kind {
                Kind::Text(t) => w.text(t),
                Kind::Space => w.space = true,
                Kind::Element { name, .. } => {
                    let block = is_block(name);
                    let cell = matches!(&**name, "td" | "th");
                    leave(&mut w, block, cell);
                    open.push((self.nodes[id].end, block, cell));
                }
            }
            id += 1;
        }
        while let Some((_, block, cell)) = open.pop() {
            leave(&mut w, block, cell);
        }
        w.flush();
        w.out
    }

    /// Title, canonical address, publication date and site name.
    fn metadata(&self, dropped: &[bool]) -> Article {
        let mut meta: Vec<(String, &str)> = Vec::new();
        let mut title = None;
        let mut canonical = None;
        let mut time = None;
        let mut time_visible = None;
        let mut headings: Vec<(String, bool)> = Vec::new();
        for id in 1..self.nodes.len() {
            let Kind::Element { name, .. } = &self.nodes[id].kind else {
                continue;
            };
            match &**name {
                "meta" => {
                    let key = self
                        .attr(id, "property")
                        .or_else(|| self.attr(id, "name"))
                        .or_else(|| self.attr(id, "itemprop"));
                    if let (Some(key), Some(content)) = (key, self.attr(id, "content")) {
                        meta.push((key.to_ascii_lowercase(), content));
                    }
                }
                "title" if title.is_none() && !self.inside(id, "svg") => {
                    title = Some(self.text_of(id, &vec![false; self.nodes.len()]));
                }
                "link" if canonical.is_none() => {
                    let rel = self.attr(id, "rel").unwrap_or_default();
                    if rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    {
                        canonical = self.attr(id, "href");
                    }
                }
                "time" => {
                    if let Some(dt) = self.attr(id, "datetime") {
                        time.get_or_insert(dt);
                        if !dropped[id] {
                            time_visible.get_or_insert(dt);
                        }
                    }
                }
                "h1" if headings.len() < 8 => {
                    let keep = vec![false; dropped.len()];
                    headings.push((self.text_of(id, &keep), dropped[id]));
                }
                _ => {}
            }
            if self
                .attr(id, "itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datepublished"))
            {
                if let Some(v) = self
                    .attr(id, "content")
                    .or_else(|| self.attr(id, "datetime"))
                {
                    meta.push(("datepublished".into(), v));
                }
            }
        }
        let get = |keys: &[&str]| {
            keys.iter().find_map(|k| {
                meta.iter()
                    .find(|(key, v)| key == k && !v.trim().is_empty())
                    .map(|(_, v)| *v)
            })
        };
        let absolute = |u: &&str| u.starts_with("http://") || u.starts_with("https://");
        let published = get(&[
            "article:published_time",
            "datepublished",
            "og:published_time",
            "pubdate",
            "publishdate",
            "publish-date",
            "publish_date",
            "publication_date",
            "article.published",
            "dc.date.issued",
            "dc.date",
            "dcterms.issued",
            "dcterms.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "date",
        ])
        .or(time_visible)
        .or(time);
        let url = canonical
            .filter(absolute)
            .or_else(|| get(&["og:url"]).filter(absolute))
            .or(canonical)
            .or_else(|| get(&["og:url"]));
        // A `<title>` often ends with the site's name ("Headline | Site");
        // a heading that starts it and makes most of it is the bare headline.
        let title = title.map(|t| {
            let t = crate::decode::collapse_whitespace(&t).into_owned();
            headings
                .iter()
                .map(|(h, _)| crate::decode::collapse_whitespace(h).into_owned())
                .find(|h| h.len() * 2 >= t.len() && h.len() < t.len() && t.starts_with(h.as_str()))
                .unwrap_or(t)
        });
        let first_visible_heading = headings
            .iter()
            .find(|(_, dropped)| !dropped)
            .map(|(h, _)| h.clone());
        let title = get(&["og:title", "twitter:title"])
            .map(str::to_string)
            .or(title)
            .or(first_visible_heading);
        Article {
            text: String::new(),
            title: title.and_then(|t| crate::decode::clean_meta(&t)),
            url: url.and_then(crate::decode::clean_meta),
            published: published.and_then(crate::decode::clean_meta),
            publisher: get(&["og:site_name", "application-name"])
                .and_then(crate::decode::clean_meta),
        }
    }

    fn inside(&self, mut id: usize, tag: &str) -> bool {
        while id != 0 {
            id = self.nodes[id].parent;
            if self.name(id) == tag {
                return true;
            }
        }
        false
    }
}

enum Drop {
    Always,
    Unless,
    Never,
}

/// Words in a class or id that mark boilerplate, matched against the parts
/// of each class name split at `-` and `_`.
const BOILERPLATE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "banner",
    "bio",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "footer",
    "masthead",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "popup",
    "promo",
    "related",
    "share",
    "sharing",
    "sidebar",
    "social",
    "sponsored",
    "subscribe",
    "taboola",
    "tags",
    "trending",
];

/// Words that mark boilerplate even inside a longer class name
/// (`socialShareBar`, `cookieconsent`).
const BOILERPLATE_PARTS: &[&str] = &[
    "advert",
    "breadcrumb",
    "cookie",
    "navbar",
    "navigation",
    "newsletter",
    "related",
    "share",
    "sidebar",
    "social",
];

fn drop_kind(name: &str, attrs: &[Attr]) -> Drop {
    match name {
        "script" | "style" | "noscript" | "iframe" | "svg" | "template" | "title" | "button"
        | "select" | "textarea" | "object" | "embed" | "canvas" | "audio" | "video" | "map"
        | "dialog" | "math" | "input" | "meta" | "link" => return Drop::Always,
        "nav" | "header" | "footer" | "aside" | "form" | "menu" => return Drop::Unless,
        "html" | "body" | "main" | "article" | "#root" => return Drop::Never,
        _ => {}
    }
    let get = |k: &str| attrs.iter().find(|(n, _)| &**n == k).map(|(_, v)| &**v);
    if get("hidden").is_some()
        || get("aria-hidden") == Some("true")
        || get("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
    {
        return Drop::Always;
    }
    if get("role").is_some_and(|r| {
        matches!(
            r.to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "search"
        )
    }) {
        return Drop::Unless;
    }
    let marked = ["class", "id"].iter().filter_map(|k| get(k)).any(|v| {
        v.split_ascii_whitespace().any(|class| {
            let class = class.to_ascii_lowercase();
            class
                .split(['-', '_'])
                .any(|part| BOILERPLATE_WORDS.contains(&part))
                || BOILERPLATE_PARTS.iter().any(|p| class.contains(p))
        })
    });
    if marked {
        Drop::Unless
    } else {
        Drop::Never
    }
}

/// Collects text into paragraphs, collapsing whitespace.
#[derive(Default)]
struct ParagraphWriter {
    out: String,
    para: String,
    space: bool,
}

impl ParagraphWriter {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else if matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}') {
                // Invisible in a browser: soft hyphens, zero-width spaces.
            } else {
                if self.space && !self.para.is_empty() {
                    self.para.push(' ');
                }
                self.space = false;
                self.para.push(c);
            }
        }
    }

    fn flush(&mut self) {
        if !self.para.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(&self.para);
            self.para.clear();
        }
        self.space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_entities() {
        let a = extract_article(
            "<html><head><title>T &amp; U</title></head><body><p>One  two\n three &eacute;<p>Four<br>Five</body>",
        );
        assert_eq!(a.text, "One two three é\n\nFour\n\nFive");
        assert_eq!(a.title.as_deref(), Some("T & U"));
    }

    #[test]
    fn broken_markup_gives_text() {
        for html in [
            "<p>unclosed <b>bold",
            "<div class=\"x>never closed",
            "</p></div>text<",
            "<!-- open comment",
            "<script>never closed",
            "<p a=1 b c='2' =d/>x</p>",
            "a < b > c",
            "<",
            "<a",
            "<ééé>",
        ] {
            let _ = extract_article(html);
            let _ = fragment_text(html);
        }
        assert_eq!(fragment_text("a < b > c"), "a < b > c");
        assert_eq!(fragment_text("<p>unclosed <b>bold"), "unclosed bold");
    }

    #[test]
    fn known_tags_are_sorted() {
        assert!(KNOWN_TAGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn nested_blocks_and_cells() {
        let html = "<div>a<div>b</div>c</div><table><tr><td>x</td><td>y</td></tr></table><ul><li>one<li>two</ul>";
        assert_eq!(fragment_text(html), "a\n\nb\n\nc\n\nx y\n\none\n\ntwo");
        assert_eq!(fragment_text("<b>bold</b> <i>italic</i>"), "bold italic");
    }

    #[test]
    fn charset_is_found() {
        let e = declared_charset(b"<html><head><meta charset=\"iso-8859-1\">").unwrap();
        assert_eq!(e.name(), "windows-1252");
        let e = declared_charset(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">",
        )
        .unwrap();
        assert_eq!(e.name(), "windows-1256");
    }
}
