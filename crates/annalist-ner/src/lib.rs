//! Named-entity recognition: PER, ORG, LOC, NORP and PRODUCT mentions.
//!
//! The recogniser is a first-order structured perceptron over BILOU tags
//! (averaged, decoded with Viterbi under the BILOU constraints), with
//! word-identity, affix, shape, context and gazetteer features. It does not
//! use part-of-speech tags, so it runs before (or without) the tagger.
//!
//! - [`Ner::builtin`] loads the committed model; [`Ner::load`] any model bytes.
//! - [`Ner::annotate`] fills `doc.entities` from the doc's tokens and sentences.
//! - [`Ner::label_sentence`] labels one pre-tokenized sentence (for IOB2 files).
//! - [`train::train`] trains a model from harmonised sentences ([`corpus`]).
//!
//! Two rules sit on top of the model: a demonym outside any entity is NORP
//! (the training data for NORP is thin), and the dateline place is LOC.

pub mod corpus;
pub mod features;
pub mod gazetteer;
pub mod lexicon;
mod model;
pub mod score;
pub mod train;

use annalist_doc::{Doc, EntitySpan, EntityType};
use features::SentenceFeatures;
use gazetteer::{GazKind, Gazetteer};
use lexicon::Lexicon;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use model::{MAGIC, VERSION};

/// The committed model, built by `annalist train ner`.
static BUILTIN: &[u8] = include_bytes!("../models/ner.bin");

/// Errors loading a model. Labelling text never fails.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not an annalist ner model (bad magic); hint: train one with `annalist train ner`")]
    Magic,
    #[error("ner model version {found} is not supported (this build reads version {expected}); hint: retrain with `annalist train ner`")]
    Version { found: u32, expected: u32 },
    #[error("ner model is corrupt: {0}")]
    Corrupt(String),
}

/// A feature-key hasher: keys are already hashes, so they are used as is.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u32(&mut self, i: u32) {
        // Spread the 32-bit key over 64 bits for the table's top-bit probing.
        self.0 = u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(crate) type KeyMap = HashMap<u32, u32, BuildHasherDefault<KeyHasher>>;

/// FNV-1a for the short string keys of the name lists and the lexicon:
/// much cheaper than SipHash on words, and the keys are not attacker-chosen
/// in a way that matters (a slow lookup is the worst case).
#[derive(Clone, Copy)]
pub(crate) struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub(crate) type StrMap<V> = HashMap<String, V, BuildHasherDefault<FnvHasher>>;

/// The BILOU part of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    O,
    B,
    I,
    L,
    U,
}

/// A tag: BILOU part and entity type (`None` for O).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tag {
    pub part: Part,
    pub ty: Option<EntityType>,
}

impl Tag {
    pub fn name(self) -> String {
        match (self.part, self.ty) {
            (Part::O, _) | (_, None) => "O".to_string(),
            (p, Some(t)) => format!("{:?}-{}", p, t.as_str()),
        }
    }

    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag {
                part: Part::O,
                ty: None,
            });
        }
        let (p, t) = s.split_once('-')?;
        let part = match p {
            "B" => Part::B,
            "I" => Part::I,
            "L" => Part::L,
            "U" => Part::U,
            _ => return None,
        };
        Some(Tag {
            part,
            ty: Some(EntityType::parse(t)?),
        })
    }
}

/// The tag set for some entity types: O, then B, I, L, U of each type.
pub(crate) fn tag_set(types: &[EntityType]) -> Vec<Tag> {
    let mut tags = vec![Tag {
        part: Part::O,
        ty: None,
    }];
    for t in types {
        for part in [Part::B, Part::I, Part::L, Part::U] {
            tags.push(Tag { part, ty: Some(*t) });
        }
    }
    tags
}

/// Whether tag `b` may follow tag `a` under BILOU.
pub(crate) fn allowed(a: Option<Tag>, b: Tag) -> bool {
    let inside = |t: Tag| matches!(t.part, Part::I | Part::L);
    match a {
        None => !inside(b),
        Some(a) => match a.part {
            Part::O | Part::L | Part::U => !inside(b),
            Part::B | Part::I => inside(b) && a.ty == b.ty,
        },
    }
}

/// Whether a sentence may end on tag `a`.
pub(crate) fn may_end(a: Tag) -> bool {
    !matches!(a.part, Part::B | Part::I)
}

/// Viterbi decoding over emission scores `emit` (n × t) with transition
/// scores `trans` (t × t, previous tag major) and `start` (t), under the
/// BILOU constraints `ok` (t × t), `ok_start` and `ok_end`.
pub(crate) struct Lattice<'a> {
    pub t: usize,
    pub trans: &'a [f32],
    pub start: &'a [f32],
    pub ok: &'a [bool],
    pub ok_start: &'a [bool],
    pub ok_end: &'a [bool],
}

impl Lattice<'_> {
    pub fn viterbi(&self, emit: &[f32], n: usize) -> Vec<u8> {
        let t = self.t;
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![f32::NEG_INFINITY; n * t];
        let mut back = vec![0u8; n * t];
        for j in 0..t {
            if self.ok_start[j] {
                score[j] = self.start[j] + emit[j];
            }
        }
        for i in 1..n {
            let (prev, cur) = score.split_at_mut(i * t);
            let prev = &prev[(i - 1) * t..];
            for j in 0..t {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0u8;
                for (k, p) in prev.iter().enumerate() {
                    if !self.ok[k * t + j] || *p == f32::NEG_INFINITY {
                        continue;
                    }
                    let s = p + self.trans[k * t + j];
                    if s > best {
                        best = s;
                        arg = k as u8;
                    }
                }
                cur[j] = best + emit[i * t + j];
                back[i * t + j] = arg;
            }
        }
        let mut best = f32::NEG_INFINITY;
        let mut arg = 0usize;
        for j in 0..t {
            let s = score[(n - 1) * t + j];
            if self.ok_end[j] && s > best {
                best = s;
                arg = j;
            }
        }
        let mut out = vec![0u8; n];
        out[n - 1] = arg as u8;
        for i in (1..n).rev() {
            out[i - 1] = back[i * t + out[i] as usize];
        }
        out
    }
}

/// Turns a BILOU tag sequence into spans; malformed runs are read leniently
/// (a B without its L ends where the type changes).
pub(crate) fn tags_to_spans(tags: &[Tag], seq: &[u8]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &s) in seq.iter().enumerate() {
        let tag = tags[s as usize];
        match (tag.part, tag.ty) {
            (Part::B, Some(ty)) | (Part::U, Some(ty)) => {
                if let Some((st, oty)) = open.take() {
                    out.push(span(st, i, oty));
                }
                if tag.part == Part::U {
                    out.push(span(i, i + 1, ty));
                } else {
                    open = Some((i, ty));
                }
            }
            (Part::I, Some(ty)) | (Part::L, Some(ty)) => {
                match open {
                    Some((_, oty)) if oty == ty => {}
                    Some((st, oty)) => {
                        out.push(span(st, i, oty));
                        open = Some((i, ty));
                    }
                    None => open = Some((i, ty)),
                }
                if tag.part == Part::L {
                    if let Some((st, ty)) = open.take() {
                        out.push(span(st, i + 1, ty));
                    }
                }
            }
            _ => {
                if let Some((st, oty)) = open.take() {
                    out.push(span(st, i, oty));
                }
            }
        }
    }
    if let Some((st, oty)) = open {
        out.push(span(st, seq.len(), oty));
    }
    out
}

fn span(start: usize, end: usize, label: EntityType) -> EntitySpan {
    EntitySpan {
        start: start as u32,
        end: end as u32,
        label,
        nominal: false,
    }
}

/// A loaded recogniser. Cheap to share between threads by reference.
#[derive(Clone, Debug)]
pub struct Ner {
    pub(crate) tags: Vec<Tag>,
    pub(crate) gaz: Gazetteer,
    pub(crate) lex: Lexicon,
    /// Feature key → row of `weights` (one weight per tag).
    pub(crate) index: KeyMap,
    pub(crate) weights: Vec<f32>,
    pub(crate) trans: Vec<f32>,
    pub(crate) start: Vec<f32>,
    pub(crate) ok: Vec<bool>,
    pub(crate) ok_start: Vec<bool>,
    pub(crate) ok_end: Vec<bool>,
    /// Free-form metadata stored with the model (data hashes, scores).
    pub meta: serde_json::Value,
}

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher")
    }
}

impl Ner {
    /// Assembles a model from its parts, computing the BILOU constraints.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        tags: Vec<Tag>,
        gaz: Gazetteer,
        lex: Lexicon,
        index: KeyMap,
        weights: Vec<f32>,
        trans: Vec<f32>,
        start: Vec<f32>,
        meta: serde_json::Value,
    ) -> Ner {
        let t = tags.len();
        let mut ok = vec![false; t * t];
        for (a, ta) in tags.iter().enumerate() {
            for (b, tb) in tags.iter().enumerate() {
                ok[a * t + b] = allowed(Some(*ta), *tb);
            }
        }
        let ok_start = tags.iter().map(|tb| allowed(None, *tb)).collect();
        let ok_end = tags.iter().map(|ta| may_end(*ta)).collect();
        Ner {
            tags,
            gaz,
            lex,
            index,
            weights,
            trans,
            start,
            ok,
            ok_start,
            ok_end,
            meta,
        }
    }

    /// Loads a model written by [`Ner::to_bytes`].
    pub fn load(bytes: &[u8]) -> Result<Ner, Error> {
        model::read(bytes)
    }

    /// The model committed with this release (`models/ner.bin`).
    pub fn builtin() -> Result<Ner, Error> {
        Ner::load(BUILTIN)
    }

    /// Serialises the model (compressed, versioned).
    pub fn to_bytes(&self) -> Vec<u8> {
        model::write(self)
    }

    /// The entity types this model can output (NORP is always possible
    /// through the demonym rule).
    pub fn labels(&self) -> Vec<EntityType> {
        let mut out: Vec<EntityType> = self.tags.iter().filter_map(|t| t.ty).collect();
        out.push(EntityType::Norp);
        out.sort();
        out.dedup();
        out
    }

    /// The compiled name lists the model was trained with.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// The word statistics the model was trained with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// Drops the features whose weights are all at most `threshold` in
    /// absolute value: a smaller, faster model at some cost in accuracy.
    pub fn prune(&mut self, threshold: f32) {
        let t = self.tags.len();
        let mut rows: Vec<(u32, u32)> = self.index.iter().map(|(k, r)| (*k, *r)).collect();
        rows.sort_unstable();
        let mut index = KeyMap::default();
        let mut weights = Vec::new();
        for (key, row) in rows {
            let w = &self.weights[row as usize * t..(row as usize + 1) * t];
            if w.iter().any(|x| x.abs() > threshold) {
                index.insert(key, (weights.len() / t) as u32);
                weights.extend_from_slice(w);
            }
        }
        self.index = index;
        self.weights = weights;
    }

    /// Number of weighted features (for reports).
    pub fn feature_count(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn lattice(&self) -> Lattice<'_> {
        Lattice {
            t: self.tags.len(),
            trans: &self.trans,
            start: &self.start,
            ok: &self.ok,
            ok_start: &self.ok_start,
            ok_end: &self.ok_end,
        }
    }

    fn emissions(&self, feats: &SentenceFeatures) -> Vec<f32> {
        let t = self.tags.len();
        let n = feats.len();
        let mut emit = vec![0f32; n * t];
        for i in 0..n {
            let row_out = &mut emit[i * t..(i + 1) * t];
            for key in feats.token(i) {
                if let Some(&row) = self.index.get(key) {
                    let w = &self.weights[row as usize * t..(row as usize + 1) * t];
                    for (o, x) in row_out.iter_mut().zip(w) {
                        *o += x;
                    }
                }
            }
        }
        emit
    }

    /// Labels one tokenized sentence with the model alone (no rules).
    fn model_spans(&self, words: &[&str]) -> Vec<EntitySpan> {
        if words.is_empty() || self.tags.len() < 2 {
            return Vec::new();
        }
        let feats = features::extract(&self.gaz, &self.lex, words);
        let emit = self.emissions(&feats);
        let seq = self.lattice().viterbi(&emit, words.len());
        tags_to_spans(&self.tags, &seq)
    }

    /// Labels one tokenized sentence: spans are token ranges within
    /// `words`, sorted and non-overlapping.
    pub fn label_sentence(&self, words: &[&str]) -> Vec<EntitySpan> {
        let mut spans = self.model_spans(words);
        self.drop_lone_keywords(words, &mut spans);
        Ner::join_org_of_place(words, &mut spans);
        self.list_rules(words, &mut spans);
        self.add_demonyms(words, &mut spans);
        spans
    }

    /// Labels the sentences of one document. Beyond [`Ner::label_sentence`],
    /// a surname met inside a full name ("Steven Seagal") makes a later
    /// lone mention of it ("Seagal") a person, as news style writes it.
    pub fn label_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<EntitySpan>> {
        let mut out: Vec<Vec<EntitySpan>> = sentences.iter().map(|w| self.model_spans(w)).collect();
        Ner::consistent_names(sentences, &mut out);
        let mut surnames: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (words, spans) in sentences.iter().zip(&out) {
            for s in spans {
                if s.label == EntityType::Per && s.end - s.start >= 2 {
                    let last = words[s.end as usize - 1];
                    if last.chars().next().is_some_and(char::is_uppercase)
                        && last.chars().count() > 2
                    {
                        surnames.insert(last);
                    }
                }
            }
        }
        for (words, spans) in sentences.iter().zip(out.iter_mut()) {
            if !surnames.is_empty() {
                let mut covered = vec![false; words.len()];
                for s in spans.iter_mut() {
                    // A lone surname the model called a place or an
                    // organisation is the person met earlier.
                    if s.end - s.start == 1
                        && s.label != EntityType::Per
                        && surnames.contains(words[s.start as usize])
                    {
                        s.label = EntityType::Per;
                    }
                    for c in &mut covered[s.start as usize..s.end as usize] {
                        *c = true;
                    }
                }
                for (i, w) in words.iter().enumerate() {
                    if !covered[i] && surnames.contains(w) {
                        spans.push(span(i, i + 1, EntityType::Per));
                    }
                }
                spans.sort_by_key(|s| s.start);
            }
            self.drop_lone_keywords(words, spans);
            Ner::join_org_of_place(words, spans);
            self.list_rules(words, spans);
            self.add_demonyms(words, spans);
        }
        out
    }

    /// One name, one type within a document: a name (the same words) that
    /// the model labelled with different types takes the type it got most
    /// often there; a tie keeps each mention's own type. A document speaks
    /// of one "Jordan" or one "Washington", and its clearer contexts should
    /// decide for the vaguer ones.
    fn consistent_names(sentences: &[Vec<&str>], out: &mut [Vec<EntitySpan>]) {
        let mut counts: HashMap<&[&str], [u32; EntityType::ALL.len()]> = HashMap::new();
        for (words, spans) in sentences.iter().zip(out.iter()) {
            for s in spans {
                if let Some(key) = words.get(s.start as usize..s.end as usize) {
                    counts.entry(key).or_default()[type_index(s.label)] += 1;
                }
            }
        }
        if counts
            .values()
            .all(|c| c.iter().filter(|n| **n > 0).count() < 2)
        {
            return;
        }
        for (words, spans) in sentences.iter().zip(out.iter_mut()) {
            for s in spans.iter_mut() {
                let Some(c) = words
                    .get(s.start as usize..s.end as usize)
                    .and_then(|key| counts.get(key))
                else {
                    continue;
                };
                let (best, n) =
                    c.iter()
                        .enumerate()
                        .fold((0, 0), |b, (i, n)| if *n > b.1 { (i, *n) } else { b });
                if n > c[type_index(s.label)] {
                    s.label = EntityType::ALL[best];
                }
            }
        }
    }

    /// Rules from the curated lists: titles are cut from person spans, a
    /// place whose official name has an article keeps it ("the
    /// Netherlands"), an entity that is exactly a listed news agency is an
    /// organisation ("according to Tasnim"), and a lone entity that is
    /// exactly a demonym ("Afghans", "Slavs") is NORP.
    fn list_rules(&self, words: &[&str], spans: &mut [EntitySpan]) {
        for s in spans.iter_mut() {
            // Titles stay outside person spans ("Mr Osborne" → "Osborne").
            while s.label == EntityType::Per
                && s.end - s.start > 1
                && gazetteer::is_name_title(words[s.start as usize])
            {
                s.start += 1;
            }
            // A place whose name includes its article ("The Netherlands",
            // "The Hague") keeps it, as Universal NER writes it.
            if s.label == EntityType::Loc
                && s.end - s.start == 1
                && s.start > 0
                && words[s.start as usize - 1].eq_ignore_ascii_case("the")
                && has_article(words[s.start as usize])
            {
                s.start -= 1;
            }
            let lower: Vec<String> = words[s.start as usize..s.end as usize]
                .iter()
                .map(|w| w.to_lowercase())
                .collect();
            let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
            if self.gaz.contains(GazKind::Agency, &refs) {
                s.label = EntityType::Org;
            } else if refs.len() == 1
                && (self.gaz.contains(GazKind::Demonym, &refs) || is_group_plural(refs[0]))
            {
                s.label = EntityType::Norp;
            }
        }
    }

    /// Joins "ORG of (the) LOC" into one organisation: an organisation named
    /// with its country ("State Security Committee of the Republic of
    /// Tajikistan") is one name, which the model tends to cut at "of".
    fn join_org_of_place(words: &[&str], spans: &mut Vec<EntitySpan>) {
        let mut k = 0;
        while k + 1 < spans.len() {
            let (a, b) = (spans[k], spans[k + 1]);
            let gap = &words[a.end as usize..b.start as usize];
            let glue = matches!(gap, [of] if of.eq_ignore_ascii_case("of"))
                || matches!(gap, [of, the] if of.eq_ignore_ascii_case("of") && the.eq_ignore_ascii_case("the"));
            if a.label == EntityType::Org && b.label == EntityType::Loc && glue {
                spans[k].end = b.end;
                spans.remove(k + 1);
            } else {
                k += 1;
            }
        }
    }

    /// Drops entities that are a lone title or organisation keyword
    /// ("President", "Council"): a capitalised common noun, not a name.
    /// Legislatures are kept: "the Senate" or "Congress" names one body
    /// (Universal NER EWT and GUM mark them ORG far more often than not).
    fn drop_lone_keywords(&self, words: &[&str], spans: &mut Vec<EntitySpan>) {
        spans.retain(|s| {
            if s.end - s.start != 1 {
                return true;
            }
            // A legislature alone is still a name ("the Senate ruled").
            if is_legislature(words[s.start as usize]) {
                return true;
            }
            let w = words[s.start as usize].to_lowercase();
            let w = [w.as_str()];
            !(gazetteer::is_name_title(w[0])
                || self.gaz.contains(GazKind::Title, &w)
                || self.gaz.contains(GazKind::OrgKeyword, &w))
        });
    }

    /// The NORP rule: a listed demonym ("Iranian", "Tajik") that the model
    /// left outside every entity is a NORP mention.
    fn add_demonyms(&self, words: &[&str], spans: &mut Vec<EntitySpan>) {
        let mut covered = vec![false; words.len()];
        for s in spans.iter() {
            for c in &mut covered[s.start as usize..s.end as usize] {
                *c = true;
            }
        }
        let mut added = false;
        let mut i = 0;
        while i < words.len() {
            // Only capitalised words outside entities can start a NORP
            // mention; checking them alone keeps the rule cheap.
            if covered[i] || !words[i].chars().next().is_some_and(char::is_uppercase) {
                i += 1;
                continue;
            }
            let lower: Vec<String> = words[i..words.len().min(i + 3)]
                .iter()
                .map(|w| w.to_lowercase())
                .collect();
            let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
            // Longest first: "Latin American" before "Latin".
            let len = (1..=refs.len())
                .rev()
                .find(|&n| {
                    !covered[i..i + n].iter().any(|c| *c)
                        && self.gaz.contains(GazKind::Demonym, &refs[..n])
                })
                .unwrap_or(0);
            if len > 0 {
                spans.push(span(i, i + len, EntityType::Norp));
                added = true;
                i += len;
            } else {
                i += 1;
            }
        }
        if added {
            spans.sort_by_key(|s| s.start);
        }
    }

    /// Fills `doc.entities` from its tokens and sentences.
    ///
    /// Entities never cross a sentence boundary. When the doc has tokens but
    /// no sentences, the tokens are read as one sentence. The dateline place
    /// (see `Doc::meta.dateline`) is LOC whatever the model says.
    pub fn annotate(&self, doc: &mut Doc) {
        doc.entities.clear();
        let n = doc.tokens.len();
        let ranges: Vec<std::ops::Range<usize>> = if doc.sentences.is_empty() {
            if n == 0 {
                Vec::new()
            } else {
                std::iter::once(0..n).collect()
            }
        } else {
            doc.sentences
                .iter()
                .map(|s| s.start as usize..(s.end as usize).min(n))
                .filter(|r| r.start < r.end)
                .collect()
        };
        let dateline = doc.meta.dateline.as_ref().map(|d| d.span.clone());
        let sentences: Vec<Vec<&str>> = ranges
            .iter()
            .map(|r| {
                r.clone()
                    .map(|i| doc.text.get(doc.tokens.span(i)).unwrap_or(""))
                    .collect()
            })
            .collect();
        let labelled = self.label_document(&sentences);
        let mut out = Vec::new();
        for (r, mut spans) in ranges.into_iter().zip(labelled) {
            if let Some(d) = &dateline {
                dateline_rule(doc, r.start, d, &mut spans);
            }
            out.extend(spans.into_iter().map(|s| EntitySpan {
                start: s.start + r.start as u32,
                end: s.end + r.start as u32,
                label: s.label,
                nominal: s.nominal,
            }));
        }
        doc.entities = out;
    }
}

/// The position of a type in [`EntityType::ALL`].
fn type_index(t: EntityType) -> usize {
    EntityType::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// Legislatures, named by a word that is otherwise an organisation keyword
/// ("the Senate", "Congress"): each is one body, a name even alone.
fn is_legislature(word: &str) -> bool {
    let lower = word.to_lowercase();
    matches!(
        lower.as_str(),
        "senate" | "congress" | "parliament" | "knesset" | "duma" | "bundestag" | "majlis"
    )
}

/// Places whose official names begin with "The": the article belongs to
/// the name (Universal NER EWT train includes it every time it writes "the
/// Netherlands"), unlike "the United States", where it is grammar.
fn has_article(word: &str) -> bool {
    matches!(word, "Netherlands" | "Hague" | "Gambia" | "Bahamas")
}

/// Capitalised plurals of peoples ("Athenians", "Europeans"): names of
/// groups, which person names almost never look like.
fn is_group_plural(word: &str) -> bool {
    word.chars().count() > 6 && (word.ends_with("ians") || word.ends_with("eans"))
}

/// Makes the tokens inside the dateline's place span one LOC entity,
/// replacing whatever overlapped them. `base` is the sentence's first token.
fn dateline_rule(
    doc: &Doc,
    base: usize,
    place: &std::ops::Range<usize>,
    spans: &mut Vec<EntitySpan>,
) {
    if place.is_empty() {
        return;
    }
    let toks: Vec<usize> = spans_tokens(doc, base, place);
    let (Some(&first), Some(&last)) = (toks.first(), toks.last()) else {
        return;
    };
    let (s, e) = ((first - base) as u32, (last - base + 1) as u32);
    spans.retain(|x| x.end <= s || x.start >= e);
    spans.push(EntitySpan {
        start: s,
        end: e,
        label: EntityType::Loc,
        nominal: false,
    });
    spans.sort_by_key(|x| x.start);
}

/// The tokens of the sentence starting at `base` that lie inside `place`.
fn spans_tokens(doc: &Doc, base: usize, place: &std::ops::Range<usize>) -> Vec<usize> {
    let end = doc
        .sentence_of(base)
        .map_or(doc.tokens.len(), |k| doc.sentences[k].end as usize)
        .min(doc.tokens.len());
    (base..end)
        .filter(|&i| {
            let sp = doc.tokens.span(i);
            sp.start >= place.start && sp.end <= place.end
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(v: &[(u32, u32, EntityType)]) -> Vec<EntitySpan> {
        v.iter()
            .map(|&(start, end, label)| EntitySpan {
                start,
                end,
                label,
                nominal: false,
            })
            .collect()
    }

    #[test]
    fn issue4_one_name_one_type_in_a_document() {
        // Our own sentences: "Jordan" twice a place, once (vaguely) a person.
        let sentences = vec![
            vec!["Jordan", "closed", "its", "border", "."],
            vec!["Trucks", "left", "Jordan", "at", "dawn", "."],
            vec!["Aid", "reached", "Jordan", "and", "Iraq", "."],
        ];
        let mut out = vec![
            spans(&[(0, 1, EntityType::Per)]),
            spans(&[(2, 3, EntityType::Loc)]),
            spans(&[(2, 3, EntityType::Loc), (4, 5, EntityType::Loc)]),
        ];
        Ner::consistent_names(&sentences, &mut out);
        assert_eq!(out[0], spans(&[(0, 1, EntityType::Loc)]));
        assert_eq!(out[2][1].label, EntityType::Loc);
    }

    #[test]
    fn a_tie_keeps_each_mention_type() {
        let sentences = vec![vec!["Paris", "spoke"], vec!["in", "Paris"]];
        let mut out = vec![
            spans(&[(0, 1, EntityType::Per)]),
            spans(&[(1, 2, EntityType::Loc)]),
        ];
        Ner::consistent_names(&sentences, &mut out);
        assert_eq!(out[0][0].label, EntityType::Per);
        assert_eq!(out[1][0].label, EntityType::Loc);
    }

    #[test]
    fn issue4_official_article_stays_in_the_name() {
        let mut spans = spans(&[(4, 5, EntityType::Loc), (7, 8, EntityType::Loc)]);
        let words = [
            "He",
            "moved",
            "to",
            "the",
            "Netherlands",
            "from",
            "the",
            "Ukraine",
        ];
        let ner = Ner::from_parts(
            Vec::new(),
            Gazetteer::new(),
            Lexicon::default(),
            KeyMap::default(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            serde_json::Value::Null,
        );
        ner.list_rules(&words, &mut spans);
        assert_eq!((spans[0].start, spans[0].end), (3, 5));
        assert_eq!((spans[1].start, spans[1].end), (7, 8));
    }

    #[test]
    fn issue4_unknown_capitalised_name_is_not_read_by_its_affixes() {
        // "Seagal" begins like "season" and ends like "legal"; inside the
        // sentence, with a capital and unknown to the news lexicon, it is
        // a name.
        let ner = Ner::builtin().expect("the committed model loads");
        let words = [
            "Earlier", "this", "week", "Seagal", "visited", "a", "school", "in", "Belgrade", ".",
        ];
        let spans = ner.label_sentence(&words);
        assert!(
            spans
                .iter()
                .any(|s| (s.start, s.end, s.label) == (3, 4, EntityType::Per)),
            "{spans:?}"
        );
    }

    #[test]
    fn issue4_lone_legislature_is_kept() {
        let ner = Ner::builtin().expect("the committed model loads");
        let words = ["The", "Senate", "and", "the", "Council", "met", "."];
        let mut s = spans(&[(1, 2, EntityType::Org), (4, 5, EntityType::Org)]);
        ner.drop_lone_keywords(&words, &mut s);
        // "Senate" names one body; a lone "Council" is a common noun.
        assert_eq!(s, spans(&[(1, 2, EntityType::Org)]));
    }
}
