//! A trained second opinion on sentence boundaries.
//!
//! The rules in [`crate::sentences`] decide first. An averaged perceptron then
//! scores every candidate gap between two tokens on the same line where the
//! rules put no boundary: after punctuation or before a word that is not
//! lowercase, and adds a boundary where the score is high enough. Its features are the neighbouring words and their shapes, the
//! spacing, the rules' own decisions around the gap and how far the gap lies
//! from the last terminal punctuation. It learns what the rules cannot state
//! one by one: boundaries without punctuation in mail headers, signatures,
//! lists and informal writing, and the punctuation that does not end a
//! sentence. Gaps with a line break stay with the rules, because the training
//! text (UD treebanks rebuilt as raw text) has line breaks only between
//! paragraphs, so the model never saw one.
//!
//! The model is a compact binary file compiled into the crate; it is trained
//! by `scripts/train-sentences.sh` on UD English EWT train and the GUM train
//! documents.

use annalist_doc::Doc;
use std::sync::OnceLock;

/// The model file compiled into the crate.
const BUILTIN: &[u8] = include_bytes!("../models/sentences.bin");

/// The first bytes of a model file.
const MAGIC: &[u8; 16] = b"annalist-sent\0\0\0";
/// The version of the feature set and file layout; a model of another
/// version is refused rather than misread.
pub const VERSION: u32 = 1;
/// Features are hashed into a table of `1 << BITS` weights.
const BITS: u32 = 20;
const MASK: u64 = (1 << BITS) - 1;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// The file does not start with the magic bytes.
    Magic,
    /// The file is of another version.
    Version(u32),
    /// The file is cut short or holds an impossible value at this byte.
    Malformed(usize),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HINT: &str = "hint: retrain it with scripts/train-sentences.sh";
        match self {
            ModelError::Magic => write!(
                f,
                "sentence model: not a model file (bad magic bytes); {HINT}"
            ),
            ModelError::Version(v) => write!(
                f,
                "sentence model: version {v} is not the supported version {VERSION}; {HINT}"
            ),
            ModelError::Malformed(at) => {
                write!(
                    f,
                    "sentence model: truncated or malformed at byte {at}; {HINT}"
                )
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// Perceptron weights over hashed features, with the decision threshold.
#[derive(Debug, Clone)]
pub struct Model {
    weights: Vec<f32>,
    /// A gap is a boundary when its score exceeds this.
    pub threshold: f32,
    /// Whether the model has any weights; an empty model defers to the rules.
    empty: bool,
}

impl Model {
    /// A model with all weights zero, to be trained.
    pub fn zeros() -> Model {
        Model {
            weights: vec![0.0; 1 << BITS],
            threshold: 0.0,
            empty: true,
        }
    }

    /// Reads a model file: magic, version, threshold, then (index, weight)
    /// pairs of the non-zero weights, all little-endian.
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        if b.len() < 28 || &b[..16] != MAGIC {
            return Err(ModelError::Magic);
        }
        let u32_at = |at: usize| -> Result<u32, ModelError> {
            b.get(at..at + 4)
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
                .ok_or(ModelError::Malformed(at))
        };
        let version = u32_at(16)?;
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let threshold = f32::from_bits(u32_at(20)?);
        let count = u32_at(24)? as usize;
        if b.len() != 28 + count * 8 {
            return Err(ModelError::Malformed(b.len().min(28 + count * 8)));
        }
        let mut m = Model::zeros();
        m.threshold = threshold;
        for k in 0..count {
            let at = 28 + k * 8;
            let index = u32_at(at)? as usize;
            let w = f32::from_bits(u32_at(at + 4)?);
            if index >= m.weights.len() || !w.is_finite() {
                return Err(ModelError::Malformed(at));
            }
            m.weights[index] = w;
        }
        m.empty = count == 0;
        Ok(m)
    }

    /// Writes the model in the format [`Model::from_bytes`] reads, leaving
    /// out weights smaller than `prune` in magnitude.
    pub fn to_bytes(&self, prune: f32) -> Vec<u8> {
        let kept: Vec<(usize, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, w)| w.abs() > prune)
            .map(|(i, &w)| (i, w))
            .collect();
        let mut out = Vec::with_capacity(28 + kept.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_bits().to_le_bytes());
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (i, w) in kept {
            out.extend_from_slice(&(i as u32).to_le_bytes());
            out.extend_from_slice(&w.to_bits().to_le_bytes());
        }
        out
    }

    /// The score of a gap from its features.
    pub fn score(&self, features: &[u32]) -> f32 {
        features.iter().map(|&f| self.weights[f as usize]).sum()
    }
}

/// The model compiled into the crate, or `None` when it is empty or cannot
/// be read (then the rules decide alone).
pub fn builtin() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::from_bytes(BUILTIN).ok().filter(|m| !m.empty))
        .as_ref()
}

/// Whether the compiled-in model file reads correctly (for tests and
/// diagnostics).
pub fn builtin_status() -> Result<(), ModelError> {
    Model::from_bytes(BUILTIN).map(|_| ())
}

/// What lies between token `i` and token `i + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// No characters at all: the tokens touch.
    Attached,
    /// Spaces or tabs only.
    Space,
    /// One line break.
    Newline,
    /// A blank line, a paragraph separator or excluded text.
    Paragraph,
}

/// Classifies the gap after token `i` (which must not be the last token).
pub fn gap_kind(doc: &Doc, i: usize) -> GapKind {
    let (a, b) = (doc.tokens.end[i] as usize, doc.tokens.start[i + 1] as usize);
    if a >= b {
        return GapKind::Attached;
    }
    let mut newlines = 0;
    for c in doc.text[a..b].chars() {
        match c {
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => newlines += 1,
            '\u{2029}' => return GapKind::Paragraph,
            _ => {}
        }
    }
    if newlines >= 2 || doc.excluded.iter().any(|r| r.start >= a && r.start < b) {
        GapKind::Paragraph
    } else if newlines == 1 {
        GapKind::Newline
    } else {
        GapKind::Space
    }
}

/// Per-token facts computed once per document and shared by the gaps on
/// either side of each token.
pub struct Context {
    word: Vec<u64>,
    shape: Vec<u64>,
    gaps: Vec<GapKind>,
    /// Tokens since the last terminal punctuation or paragraph start.
    since_terminal: Vec<u32>,
    /// Tokens until the end of the paragraph.
    to_par_end: Vec<u32>,
    /// Whether the token's paragraph has terminal punctuation anywhere.
    par_punct: Vec<bool>,
    /// Whether the token starts with a lowercase letter.
    lower: Vec<bool>,
    /// Whether the token ends with a letter or digit.
    alnum_end: Vec<bool>,
    /// Whether the model must not add a boundary after the token.
    blocked: Vec<bool>,
}

const START: u64 = 0x5157_4152_5453;
const END: u64 = 0x0044_4e45;

fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn hash_str(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in s.bytes() {
        h = mix(h, b.to_ascii_lowercase() as u64);
    }
    h
}

/// The shape of a token: letters as `X`/`x`, digits as `d`, runs collapsed,
/// other characters kept, at most eight symbols ("Xx", "d.d", "x@x.x").
fn hash_shape(s: &str) -> u64 {
    let mut h = 0x8422_2325_cbf2_9ce4u64;
    let mut last = '\0';
    let mut n = 0;
    for c in s.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() || c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k == last {
            continue;
        }
        last = k;
        h = mix(h, k as u64);
        n += 1;
        if n == 8 {
            break;
        }
    }
    h
}

fn is_terminal(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

impl Context {
    pub fn new(doc: &Doc) -> Context {
        let n = doc.tokens.len();
        let mut c = Context {
            word: Vec::with_capacity(n),
            shape: Vec::with_capacity(n),
            gaps: Vec::with_capacity(n),
            since_terminal: Vec::with_capacity(n),
            to_par_end: vec![0; n],
            par_punct: vec![false; n],
            lower: Vec::with_capacity(n),
            alnum_end: Vec::with_capacity(n),
            blocked: vec![false; n],
        };
        let mut since = 0u32;
        for i in 0..n {
            let t = doc.token_text(i);
            c.word.push(hash_str(t));
            c.shape.push(hash_shape(t));
            c.lower
                .push(t.chars().next().is_some_and(|ch| ch.is_lowercase()));
            c.alnum_end
                .push(t.chars().next_back().is_some_and(|ch| ch.is_alphanumeric()));
            c.since_terminal.push(since);
            since = if is_terminal(t) { 0 } else { since + 1 };
            let g = if i + 1 < n {
                gap_kind(doc, i)
            } else {
                GapKind::Paragraph
            };
            if g == GapKind::Paragraph {
                since = 0;
            }
            c.gaps.push(g);
        }
        for i in 0..n {
            c.blocked[i] = blocks_model(doc, &c.gaps, i);
        }
        // Paragraph-wide facts, walking each paragraph once more.
        let mut from = 0;
        for i in 0..n {
            if c.gaps[i] == GapKind::Paragraph {
                let punct = (from..=i).any(|k| is_terminal(doc.token_text(k)));
                for k in from..=i {
                    c.to_par_end[k] = (i - k) as u32;
                    c.par_punct[k] = punct;
                }
                from = i + 1;
            }
        }
        c
    }

    /// The kind of gap after token `i`.
    pub fn gap_kind(&self, i: usize) -> GapKind {
        self.gaps[i]
    }

    /// Whether the model may add a boundary after token `i`: a gap on one
    /// line where the rules put none, not between a word and a lowercase
    /// word. The model never removes a boundary of the rules: on the dev
    /// sets its removals were as often wrong as right, while its additions
    /// were right two times in three.
    pub fn is_candidate(&self, i: usize, rule_end: bool) -> bool {
        let on_line = matches!(self.gaps[i], GapKind::Attached | GapKind::Space);
        let word_then_lower = self.alnum_end[i] && self.lower[i + 1];
        !(rule_end || !on_line || word_then_lower || self.blocked[i])
    }

    /// Pushes the hashed features of the gap after token `i`.
    pub fn features(&self, ends: &[bool], i: usize, out: &mut Vec<u32>) {
        out.clear();
        let n = self.word.len();
        let at_start = i == 0 || self.gaps[i - 1] == GapKind::Paragraph;
        let at_end = i + 2 >= n || self.gaps[i + 1] == GapKind::Paragraph;
        let (wm1, sm1) = if at_start {
            (START, START)
        } else {
            (self.word[i - 1], self.shape[i - 1])
        };
        let (w0, s0, w1, s1) = (
            self.word[i],
            self.shape[i],
            self.word[i + 1],
            self.shape[i + 1],
        );
        let (w2, s2) = if at_end {
            (END, END)
        } else {
            (self.word[i + 2], self.shape[i + 2])
        };
        let r = ends[i] as u64;
        let rp = (!at_start && ends[i - 1]) as u64;
        let rn = (!at_end && ends[i + 1]) as u64;
        let att = (self.gaps[i] == GapKind::Attached) as u64;
        let attp = (!at_start && self.gaps[i - 1] == GapKind::Attached) as u64;
        let bucket = |d: u32| -> u64 {
            match d {
                0 => 0,
                1 => 1,
                2..=3 => 2,
                4..=7 => 3,
                8..=15 => 4,
                _ => 5,
            }
        };
        let since = bucket(self.since_terminal[i]);
        let to_end = bucket(self.to_par_end[i + 1]);
        let pp = self.par_punct[i] as u64;
        let mut push = |parts: &[u64]| {
            let mut h = 0x9e37_79b9_7f4a_7c15u64;
            for &p in parts {
                h = mix(h, p);
            }
            // A final avalanche spreads the bits before masking.
            h ^= h >> 29;
            h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 32;
            out.push((h & MASK) as u32);
        };
        push(&[1]);
        push(&[2, r]);
        push(&[3, r, w0]);
        push(&[4, r, w1]);
        push(&[5, r, s0, s1]);
        push(&[6, r, rp, rn]);
        push(&[7, w0]);
        push(&[8, w1]);
        push(&[9, wm1]);
        push(&[10, w2]);
        push(&[11, s0]);
        push(&[12, s1]);
        push(&[13, sm1, s0]);
        push(&[14, s1, s2]);
        push(&[15, w0, w1]);
        push(&[16, s0, s1]);
        push(&[17, w0, s1]);
        push(&[18, s0, w1]);
        push(&[19, wm1, w0]);
        push(&[20, w1, w2]);
        push(&[21, sm1, s0, s1]);
        push(&[22, s0, s1, s2]);
        push(&[23, att, attp, s0, s1]);
        push(&[24, since, s1, r]);
        push(&[25, to_end, s1, r]);
        push(&[26, pp, s0, s1, r]);
        push(&[27, since, to_end, pp]);
        push(&[28, w0, s1, s2]);
        let wm2 = if at_start || i < 2 || self.gaps[i - 2] == GapKind::Paragraph {
            START
        } else {
            self.word[i - 2]
        };
        let w3 = if at_end || i + 3 >= n || self.gaps[i + 2] == GapKind::Paragraph {
            END
        } else {
            self.word[i + 3]
        };
        push(&[29, wm2, wm1, w0]);
        push(&[30, w1, w2, w3]);
        push(&[31, s0, w1, w2]);
        push(&[32, since, w1]);
        push(&[33, since, w0]);
    }
}

/// Verbs that introduce quoted speech after a colon ("He said: We will").
const SPEECH_VERBS: [&str; 16] = [
    "said",
    "says",
    "say",
    "added",
    "adds",
    "stated",
    "states",
    "declared",
    "asserted",
    "stressed",
    "maintained",
    "held",
    "noted",
    "wrote",
    "told",
    "explained",
];

/// Whether the model must leave the gap after token `i` alone, because the
/// convention of our news output differs from the treebanks' there or
/// the treebanks mislead it: after an editorial insertion in brackets ("the
/// [Persian] Gulf"), after the colon that introduces a quote, which keeps
/// the quote with its speaker, and after the dash of a dateline ("BAKU (AFP)
/// --"), which stays in the first sentence as the rules keep it.
fn blocks_model(doc: &Doc, gaps: &[GapKind], i: usize) -> bool {
    let t = doc.token_text(i);
    match t {
        "]" => true,
        ":" => i > 0 && SPEECH_VERBS.contains(&doc.token_text(i - 1)),
        "-" | "--" | "–" | "—" => {
            // A dateline: a few capitalised words, numbers or bracketed
            // agencies from the start of the paragraph, one of them in
            // capitals ("NUR-SULTAN, Kazakhstan —", "TEHRAN, Nov. 18 (MNA) --").
            let mut from = i;
            while from > 0 && i - from < 8 && gaps[from - 1] != GapKind::Paragraph {
                from -= 1;
            }
            let starts_par = from == 0 || gaps[from - 1] == GapKind::Paragraph;
            let words = (from..i).map(|k| doc.token_text(k));
            let plain = words.clone().all(|w| {
                matches!(w, "(" | ")" | "," | ".")
                    || w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            });
            let caps = words.clone().any(|w| {
                w.chars().count() >= 2
                    && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
            });
            starts_par && i > from && plain && caps
        }
        // Lowercase text after an ellipsis goes on with the sentence six
        // times in seven in EWT train.
        _ if t.contains("..") || t.contains('…') => {
            i + 1 < doc.tokens.len()
                && is_terminal(t)
                && doc
                    .token_text(i + 1)
                    .starts_with(|c: char| c.is_lowercase())
        }
        _ => false,
    }
}

/// Adds the boundaries the model finds at the candidate gaps of `doc` to
/// `ends` (one flag per token: a sentence ends after it, by the rules).
pub fn refine(doc: &Doc, model: &Model, ends: &mut [bool]) {
    let n = doc.tokens.len();
    if n < 2 || ends.len() != n {
        return;
    }
    let ctx = Context::new(doc);
    let rules = ends.to_vec();
    let mut feats = Vec::with_capacity(32);
    for i in 0..n - 1 {
        if !ctx.is_candidate(i, rules[i]) {
            continue;
        }
        ctx.features(&rules, i, &mut feats);
        if model.score(&feats) > model.threshold {
            ends[i] = true;
        }
    }
}

/// Averaged perceptron training over gap examples.
pub struct Trainer {
    model: Model,
    /// The sum of updates weighted by the step they were made at, for the
    /// averaging trick.
    acc: Vec<f32>,
    step: f32,
}

impl Default for Trainer {
    fn default() -> Self {
        Trainer {
            model: Model::zeros(),
            acc: vec![0.0; 1 << BITS],
            step: 1.0,
        }
    }
}

impl Trainer {
    /// Learns from one example; returns whether it was scored wrongly.
    pub fn learn(&mut self, features: &[u32], label: bool) -> bool {
        let predicted = self.model.score(features) > 0.0;
        if predicted != label {
            let d = if label { 1.0 } else { -1.0 };
            for &f in features {
                self.model.weights[f as usize] += d;
                self.acc[f as usize] += d * self.step;
            }
        }
        self.step += 1.0;
        predicted != label
    }

    /// The averaged model.
    pub fn averaged(&self) -> Model {
        let mut m = self.model.clone();
        for (w, a) in m.weights.iter_mut().zip(&self.acc) {
            *w -= a / self.step;
        }
        m.empty = false;
        m
    }
}

/// The candidate gaps of a document with their features and labels, given
/// the rules' decisions and the byte offsets where gold sentences end.
pub fn examples(doc: &Doc, rule_ends: &[bool], gold_ends: &[usize]) -> Vec<(Vec<u32>, bool)> {
    let ctx = Context::new(doc);
    let n = doc.tokens.len();
    let mut out = Vec::new();
    for i in 0..n.saturating_sub(1) {
        if !ctx.is_candidate(i, rule_ends[i]) {
            continue;
        }
        let mut f = Vec::with_capacity(32);
        ctx.features(rule_ends, i, &mut f);
        let end = doc.tokens.end[i] as usize;
        out.push((f, gold_ends.binary_search(&end).is_ok()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences::rule_ends;
    use crate::tokenize::tokenize;

    fn doc(text: &str) -> Doc {
        let mut d = Doc::new("t", text);
        tokenize(&mut d);
        d
    }

    #[test]
    fn model_bytes_round_trip() {
        let mut t = Trainer::default();
        t.learn(&[1, 5, 9], true);
        t.learn(&[1, 7], false);
        let mut m = t.averaged();
        m.threshold = 0.5;
        let back = Model::from_bytes(&m.to_bytes(0.0)).unwrap();
        assert_eq!(back.threshold, 0.5);
        assert_eq!(back.score(&[1, 5, 9]), m.score(&[1, 5, 9]));
    }

    #[test]
    fn bad_model_bytes_are_errors() {
        assert_eq!(
            Model::from_bytes(b"nonsense").unwrap_err(),
            ModelError::Magic
        );
        let mut b = Model::zeros().to_bytes(0.0);
        b[16] = 9;
        assert_eq!(Model::from_bytes(&b).unwrap_err(), ModelError::Version(9));
        let mut b = Model::zeros().to_bytes(0.0);
        b[24] = 3;
        assert!(matches!(
            Model::from_bytes(&b),
            Err(ModelError::Malformed(_))
        ));
        let msg = ModelError::Magic.to_string();
        assert!(msg.starts_with("sentence model:") && msg.contains("hint:"));
    }

    #[test]
    fn trained_model_adds_a_boundary_without_punctuation() {
        // A sign-off without a comma before the next line of text is the
        // kind of boundary the rules miss and the model learns.
        let train = "Thanks Maria Please send the file today";
        let d = doc(train);
        let rules = rule_ends(&d);
        let gold_end = train.find("Maria").unwrap() + "Maria".len();
        let data = examples(&d, &rules, &[gold_end, train.len()]);
        let mut t = Trainer::default();
        for _ in 0..5 {
            for (f, label) in &data {
                t.learn(f, *label);
            }
        }
        let model = t.averaged();
        let mut ends = rules.clone();
        refine(&d, &model, &mut ends);
        // The last token needs no flag: the last sentence always ends there.
        let split: Vec<usize> = (0..ends.len()).filter(|&i| ends[i]).collect();
        assert_eq!(split, [1]);
    }

    #[test]
    fn line_breaks_are_left_to_the_rules() {
        let d = doc("Thanks Maria\nPlease send it");
        let ctx = Context::new(&d);
        assert_eq!(ctx.gap_kind(1), GapKind::Newline);
        assert!(!ctx.is_candidate(1, false));
    }
}
