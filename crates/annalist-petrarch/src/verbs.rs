//! The PETRARCH/TABARI verb dictionary: synsets, verb blocks and patterns.
//!
//! The reader takes text and never fails: a line it cannot read is skipped
//! and reported as a [`Warning`] naming the line, so one typo in a
//! 14,000-line dictionary costs one pattern, not the dictionary.
//!
//! Supported syntax (PETRARCH's `dictionaries.rst` and the TABARI files):
//! - synsets: `&NAME` followed by `+PHRASE` lines (words joined by `_` or
//!   blanks; phrases may name other synsets); regular plurals are added
//!   unless the label or the phrase ends in `_`;
//! - verb blocks: `--- GROUP [CODE] ---` (a second code such as
//!   `[031:031]` is ignored), then verb lines `VERB {FORMS} [CODE]` and
//!   multi-word verbs `+BREAK_DOWN {...}` or `WIRE_+TAP {...}`;
//! - patterns: `- WORDS * WORDS [CODE]` where `*` is the verb, `$` the
//!   source, `+` the target, `%` a compound actor, `^` a skipped word, `&NAME`
//!   a synset; `_` joins words that must be consecutive and a blank allows
//!   words between. PETRARCH 2's phrase brackets `(...)` and `{...}` are read
//!   as plain word sequences;
//! - `~` transformation lines are not supported and skipped silently, as are
//!   `<!-- -->` comments and `#` comments.

use std::collections::HashMap;

use crate::actors::Warning;

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    /// A literal word, upper-case.
    Word(String),
    /// A synset reference, by label without the `&`.
    Syn(String),
    /// The verb itself (`*`).
    Verb,
    /// The source actor (`$`).
    Source,
    /// The target actor (`+`).
    Target,
    /// A compound actor (`%`).
    Compound,
    /// One skipped word (`^`).
    Skip,
}

/// An element and whether it must directly follow the element before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub elem: Elem,
    pub tight: bool,
}

/// A pattern of a verb block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Elements before the verb, in text order.
    pub before: Vec<Item>,
    /// Whether the last element of `before` must touch the verb.
    pub before_tight: bool,
    /// Elements after the verb, in text order; `after[0].tight` means it
    /// must directly follow the verb.
    pub after: Vec<Item>,
    pub code: String,
    /// The dictionary line, for messages.
    pub line: usize,
}

/// A verb block: its name, its default code and its patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub code: String,
    pub patterns: Vec<Pattern>,
}

/// A verb form in the index: the words of a (possibly multi-word) verb,
/// which of them is the verb, its block and its own code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbForm {
    pub words: Vec<String>,
    pub head: usize,
    pub group: usize,
    pub code: Option<String>,
}

/// A verb dictionary.
#[derive(Debug, Clone, Default)]
pub struct VerbDict {
    pub groups: Vec<Group>,
    /// Synset label (without `&`) to its phrases, each a list of elements
    /// (words or nested synsets).
    pub synsets: HashMap<String, Vec<Vec<Elem>>>,
    /// Upper-case verb word to the forms whose verb it is.
    pub forms: HashMap<String, Vec<VerbForm>>,
    pub warnings: Vec<Warning>,
}

/// Strips `#` comments and `<!-- -->` one-line comments.
fn strip_comment(line: &str) -> &str {
    let line = match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    };
    if line.trim_start().starts_with("<!") {
        return "";
    }
    line
}

/// Splits a dictionary word at hyphens, keeping each hyphen as a word, the
/// way the tokenizer splits text ("BARAD-DUR" → "BARAD", "-", "DUR").
pub fn split_word(w: &str, out: &mut Vec<String>) {
    let mut cur = String::new();
    for c in w.chars() {
        if c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push("-".into());
        } else {
            cur.extend(c.to_uppercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
}

/// Words of a phrase written with `_` or blanks.
pub fn phrase_words(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in p.split(|c: char| c == '_' || c.is_whitespace()) {
        if !w.is_empty() {
            split_word(w, &mut out);
        }
    }
    out
}

/// The regular plural of a word as PETRARCH forms it.
fn plural(w: &str) -> String {
    if let Some(s) = w.strip_suffix('Y') {
        format!("{s}IES")
    } else if w.ends_with("SS") {
        format!("{w}ES")
    } else {
        format!("{w}S")
    }
}

/// Regular inflections of an English verb: the `-S`, `-ED` and `-ING` forms.
fn regular_forms(v: &str) -> Vec<String> {
    let mut out = vec![v.to_string()];
    let consonant_y = v.len() > 1
        && v.ends_with('Y')
        && !matches!(v.as_bytes()[v.len() - 2], b'A' | b'E' | b'O' | b'U');
    if consonant_y {
        let stem = &v[..v.len() - 1];
        out.push(format!("{stem}IES"));
        out.push(format!("{stem}IED"));
        out.push(format!("{v}ING"));
    } else if let Some(stem) = v.strip_suffix('E') {
        out.push(format!("{v}S"));
        out.push(format!("{v}D"));
        out.push(format!("{stem}ING"));
    } else {
        if v.ends_with(['S', 'X', 'Z']) || v.ends_with("CH") || v.ends_with("SH") {
            out.push(format!("{v}ES"));
        } else {
            out.push(format!("{v}S"));
        }
        out.push(format!("{v}ED"));
        out.push(format!("{v}ING"));
    }
    out
}

/// The first `[...]` code of a line and the text before it.
fn split_code(line: &str) -> (&str, Option<String>) {
    match line.find('[') {
        Some(i) => {
            let end = line[i..].find(']').map(|e| i + e).unwrap_or(line.len());
            let code = line[i + 1..end].trim().to_uppercase();
            (&line[..i], Some(code))
        }
        None => (line, None),
    }
}

/// Parses a synset phrase into elements.
fn syn_phrase(p: &str) -> Vec<Elem> {
    let mut out = Vec::new();
    for w in p.split(|c: char| c == '_' || c.is_whitespace()) {
        if w.is_empty() {
            continue;
        }
        if let Some(name) = w.strip_prefix('&') {
            out.push(Elem::Syn(name.to_uppercase()));
        } else {
            let mut ws = Vec::new();
            split_word(w, &mut ws);
            out.extend(ws.into_iter().map(Elem::Word));
        }
    }
    out
}

/// Parses the body of a pattern line (without `-` and the code).
fn parse_pattern(body: &str) -> Result<(Vec<Item>, bool, Vec<Item>), String> {
    let cleaned: String = body
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '{' | '}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut items: Vec<Item> = Vec::new();
    for chunk in cleaned.split_whitespace() {
        let mut first = true;
        for part in chunk.split('_') {
            if part.is_empty() {
                continue;
            }
            let tight = !first && !items.is_empty();
            first = false;
            let mut push = |elem: Elem, tight: bool| items.push(Item { elem, tight });
            match part {
                "*" => push(Elem::Verb, tight),
                "$" => push(Elem::Source, tight),
                "+" => push(Elem::Target, tight),
                "%" => push(Elem::Compound, tight),
                "^" => push(Elem::Skip, tight),
                p if p.starts_with('&') => push(Elem::Syn(p[1..].to_uppercase()), tight),
                p => {
                    // A word glued to a marker ("ANTI-" or "SUGGESTED_+").
                    let mut ws = Vec::new();
                    split_word(p, &mut ws);
                    for (k, w) in ws.into_iter().enumerate() {
                        push(Elem::Word(w), tight || k > 0);
                    }
                }
            }
        }
    }
    let Some(v) = items.iter().position(|i| i.elem == Elem::Verb) else {
        return Err("pattern has no `*` for the verb".into());
    };
    if items.iter().filter(|i| i.elem == Elem::Verb).count() > 1 {
        return Err("pattern has more than one `*`".into());
    }
    let after: Vec<Item> = items[v + 1..].to_vec();
    let before_tight = items[v].tight;
    let before: Vec<Item> = items[..v].to_vec();
    Ok((before, before_tight, after))
}

impl VerbDict {
    /// Reads a verb dictionary; bad lines become warnings.
    pub fn parse(text: &str) -> VerbDict {
        let mut dict = VerbDict::default();
        // The synset being read: its label and whether it takes plurals.
        let mut synset: Option<(String, bool)> = None;
        let mut group: Option<usize> = None;
        let mut in_comment = false;
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            // Multi-line `<!-- ... -->` comments.
            if in_comment {
                if raw.contains("-->") {
                    in_comment = false;
                }
                continue;
            }
            let t = raw.trim();
            if t.starts_with("<!") {
                if !t.contains("-->") && !t.ends_with('>') {
                    in_comment = true;
                }
                continue;
            }
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            let mut warn = |m: String| {
                dict.warnings.push(Warning {
                    line: line_no,
                    message: m,
                })
            };
            if line.starts_with('~') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("---") {
                let rest = rest.trim_end_matches('-').trim();
                let (name, code) = split_code(rest);
                dict.groups.push(Group {
                    name: name.trim().to_uppercase(),
                    code: code.unwrap_or_else(|| "---".into()),
                    patterns: Vec::new(),
                });
                group = Some(dict.groups.len() - 1);
                synset = None;
                continue;
            }
            if let Some(label) = line.strip_prefix('&') {
                let label = label.split_whitespace().next().unwrap_or("");
                if label.is_empty() {
                    warn("a synset with no label".into());
                    continue;
                }
                let plurals = !label.ends_with('_');
                let name = label.trim_end_matches('_').to_uppercase();
                dict.synsets.entry(name.clone()).or_default();
                synset = Some((name, plurals));
                group = None;
                continue;
            }
            if let Some(body) = line.strip_prefix('-') {
                let Some(g) = group else {
                    warn("a pattern outside a verb block".into());
                    continue;
                };
                let (body, code) = split_code(body);
                let Some(code) = code else {
                    warn(format!("pattern `{}` has no `[code]`", body.trim()));
                    continue;
                };
                match parse_pattern(body) {
                    Ok((before, before_tight, after)) => {
                        let undefined = before.iter().chain(&after).find_map(|i| match &i.elem {
                            Elem::Syn(s) if !dict.synsets.contains_key(s) => Some(s.clone()),
                            _ => None,
                        });
                        if let Some(s) = undefined {
                            warn(format!("synset `&{s}` is not defined before its use"));
                            continue;
                        }
                        dict.groups[g].patterns.push(Pattern {
                            before,
                            before_tight,
                            after,
                            code,
                            line: line_no,
                        });
                    }
                    Err(e) => warn(e),
                }
                continue;
            }
            if let Some((name, plurals)) = &synset {
                let Some(p) = line.strip_prefix('+') else {
                    warn(format!("expected `+PHRASE` in synset `&{name}`"));
                    continue;
                };
                let p = p.trim();
                let elems = syn_phrase(p);
                if elems.is_empty() {
                    continue;
                }
                let mut variants = vec![elems.clone()];
                if *plurals && !p.ends_with('_') {
                    if let Some(Elem::Word(last)) = elems.last() {
                        let mut pl = elems.clone();
                        let k = pl.len() - 1;
                        pl[k] = Elem::Word(plural(last));
                        variants.push(pl);
                    }
                }
                let name = name.clone();
                dict.synsets.entry(name).or_default().extend(variants);
                continue;
            }
            let Some(g) = group else {
                warn(format!("`{line}` is outside any verb block or synset"));
                continue;
            };
            dict.add_verb_line(g, line, line_no);
        }
        dict
    }

    /// Adds a verb line (`VERB {FORMS} [CODE]`) of block `g`.
    fn add_verb_line(&mut self, g: usize, line: &str, line_no: usize) {
        let (head, code) = split_code(line);
        let (main, irregular) = match head.find('{') {
            Some(b) => {
                let close = head[b..].find('}').map(|c| b + c).unwrap_or(head.len());
                (&head[..b], Some(&head[b + 1..close]))
            }
            None => (head, None),
        };
        let main = main.trim();
        if main.is_empty() {
            self.warnings.push(Warning {
                line: line_no,
                message: format!("no verb in `{line}`"),
            });
            return;
        }
        let mut phrases: Vec<String> = Vec::new();
        match split_verb(main) {
            Some((words, k)) => {
                let has_marker = main.split(['_', ' ']).any(|w| w.starts_with('+'));
                for f in regular_forms(&words[k]) {
                    let mut ws = words.clone();
                    ws[k] = f;
                    let joined = ws
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            if has_marker && i == k {
                                format!("+{w}")
                            } else {
                                w.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("_");
                    phrases.push(joined);
                }
            }
            None => return,
        }
        if let Some(irr) = irregular {
            phrases.extend(irr.split_whitespace().map(str::to_string));
        }
        for p in phrases {
            if let Some((words, head)) = split_verb(&p) {
                let key = words[head].clone();
                let form = VerbForm {
                    words,
                    head,
                    group: g,
                    code: code.clone(),
                };
                let list = self.forms.entry(key).or_default();
                if !list.contains(&form) {
                    list.push(form);
                }
            }
        }
    }

    /// The verb forms whose verb word is `word` (upper-case).
    pub fn forms_of(&self, word: &str) -> &[VerbForm] {
        self.forms.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Number of patterns over all blocks.
    pub fn pattern_count(&self) -> usize {
        self.groups.iter().map(|g| g.patterns.len()).sum()
    }
}

/// The words of a verb phrase and the index of its verb: the word marked
/// `+`, else the first ("LASH OUT" is a LASH verb).
fn split_verb(p: &str) -> Option<(Vec<String>, usize)> {
    let mut words = Vec::new();
    let mut head = None;
    for w in p.split(|c: char| c == '_' || c.is_whitespace()) {
        if w.is_empty() {
            continue;
        }
        let (marked, w) = match w.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, w),
        };
        if w.is_empty() {
            continue;
        }
        if marked && head.is_none() {
            head = Some(words.len());
        }
        split_word(w, &mut words);
    }
    if words.is_empty() {
        return None;
    }
    let head = head.unwrap_or(0).min(words.len() - 1);
    Some((words, head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_synsets_and_patterns() {
        let text = "&COLOUR\n+RED\n+DARK_BLUE\n\n--- PAINT [123] ---\nPAINT {PAINTED}\n\
            +TOUCH_UP [124]\n- * &COLOUR_WALL [125] # note\n- $ HAS * + [126]\n- oops [1]\n";
        let d = VerbDict::parse(text);
        assert_eq!(d.groups.len(), 1);
        assert_eq!(d.groups[0].code, "123");
        assert_eq!(d.groups[0].patterns.len(), 2);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d
            .forms_of("PAINTING")
            .iter()
            .any(|f| f.words == ["PAINTING"]));
        let touch = &d.forms_of("TOUCHED")[0];
        assert_eq!(touch.words, ["TOUCHED", "UP"]);
        assert_eq!(touch.code.as_deref(), Some("124"));
        assert_eq!(d.synsets["COLOUR"].len(), 4);
    }

    #[test]
    fn regular_forms_follow_spelling() {
        assert!(regular_forms("DENY").contains(&"DENIED".to_string()));
        assert!(regular_forms("RESTORE").contains(&"RESTORING".to_string()));
        assert!(regular_forms("PUSH").contains(&"PUSHES".to_string()));
        assert!(regular_forms("PLAY").contains(&"PLAYS".to_string()));
    }
}
