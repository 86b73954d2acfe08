//! The dependency parser: greedy arc-eager transitions scored by an averaged
//! perceptron over Zhang & Nivre (2011) features, trained with the dynamic
//! oracle of Goldberg & Nivre (2012) and exploration.
//!
//! The root is a token at the end of the buffer (Ballesteros & Nivre 2013):
//! the parser then never has to guess the root early, and every token left
//! on the stack at the end is attached by an ordinary left arc.

use crate::clusters::{normalise, Clusters, NO_CLUSTER};
use crate::corpus::{Sent, UdScores};
use crate::hash::{f1, f2, f3, str_hash, Rng};
use crate::io::{read_model_versions, write_model_version, ByteReader, ByteWriter};
use crate::perceptron::{Averaged, Weights};
use crate::ModelError;
use annalist_doc::{DepRel, Doc, Upos, Xpos, ROOT};
use serde::{Deserialize, Serialize};

/// The model file kind written in the header.
pub const KIND: &str = "parser";

/// The payload layout version: 2 adds the word clusters after the weights.
/// Version 1 files (no clusters) still load.
pub const PARSER_FORMAT: u32 = 2;

const NIL: u32 = u32::MAX;
const SHIFT: usize = 0;
const REDUCE: usize = 1;

fn nlabels() -> usize {
    DepRel::count()
}

fn nclasses() -> usize {
    2 + 2 * nlabels()
}

#[inline]
fn left(l: usize) -> usize {
    2 + 2 * l
}

#[inline]
fn right(l: usize) -> usize {
    3 + 2 * l
}

/// Training settings, recorded in the model file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParserSettings {
    pub epochs: usize,
    pub seed: u64,
    pub prune: f32,
    /// From this epoch on (1-based), the trainer follows its own mistakes
    /// with probability `explore`, so it learns to recover from them.
    pub explore_from: usize,
    pub explore: f64,
}

impl Default for ParserSettings {
    fn default() -> Self {
        ParserSettings {
            epochs: 12,
            seed: 1,
            prune: 0.0,
            explore_from: 2,
            explore: 0.9,
        }
    }
}

/// A parser configuration. Token `n` is the root.
#[derive(Debug, Default)]
struct State {
    n: usize,
    stack: Vec<u32>,
    b: usize,
    in_stack: Vec<bool>,
    head: Vec<u32>,
    label: Vec<u8>,
    l1: Vec<u32>,
    l2: Vec<u32>,
    r1: Vec<u32>,
    r2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

impl State {
    fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.b = 0;
        let m = n + 1;
        for v in [
            &mut self.head,
            &mut self.l1,
            &mut self.l2,
            &mut self.r1,
            &mut self.r2,
        ] {
            v.clear();
            v.resize(m, NIL);
        }
        for v in [&mut self.label, &mut self.nl, &mut self.nr] {
            v.clear();
            v.resize(m, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(m, 0);
        }
        self.in_stack.clear();
        self.in_stack.resize(m, false);
    }

    fn done(&self) -> bool {
        self.b >= self.n && self.stack.is_empty()
    }

    fn s0(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NIL)
    }

    fn add_arc(&mut self, h: usize, d: usize, l: usize) {
        self.head[d] = h as u32;
        self.label[d] = l as u8;
        let bit = 1u64 << (l % 64);
        if d < h {
            // Left dependents arrive right to left: the new one is leftmost.
            self.l2[h] = self.l1[h];
            self.l1[h] = d as u32;
            self.nl[h] = self.nl[h].saturating_add(1);
            self.lset[h] |= bit;
        } else {
            self.r2[h] = self.r1[h];
            self.r1[h] = d as u32;
            self.nr[h] = self.nr[h].saturating_add(1);
            self.rset[h] |= bit;
        }
    }

    fn valid(&self, mv: usize) -> bool {
        let s0 = self.s0();
        let real_b = self.b < self.n;
        match mv {
            SHIFT => real_b,
            REDUCE => s0 != NIL && self.head[s0 as usize] != NIL,
            m if m.is_multiple_of(2) => s0 != NIL && self.head[s0 as usize] == NIL,
            _ => s0 != NIL && real_b,
        }
    }

    fn apply(&mut self, class: usize) {
        match class {
            SHIFT => {
                self.in_stack[self.b] = true;
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            REDUCE => {
                let s = self.stack.pop().expect("reduce needs a stack") as usize;
                self.in_stack[s] = false;
            }
            c if c.is_multiple_of(2) => {
                let s = self.stack.pop().expect("left arc needs a stack") as usize;
                self.in_stack[s] = false;
                self.add_arc(self.b, s, (c - 2) / 2);
            }
            c => {
                let s = self.s0() as usize;
                self.add_arc(s, self.b, (c - 3) / 2);
                self.in_stack[self.b] = true;
                self.stack.push(self.b as u32);
                self.b += 1;
            }
        }
    }

    /// Structural costs (lost gold arcs) of SHIFT, REDUCE, LEFT, RIGHT.
    fn costs(&self, gh: &[u32]) -> [u32; 4] {
        let b0 = self.b;
        let s0 = self.s0();
        let n = self.n;
        let mut c = [0u32; 4];
        if b0 < n {
            for &k in &self.stack {
                c[0] += u32::from(gh[b0] == k);
                c[0] += u32::from(self.head[k as usize] == NIL && gh[k as usize] == b0 as u32);
            }
        }
        if s0 != NIL {
            let s = s0 as usize;
            let deps_in_buffer = (b0..n).filter(|&k| gh[k] == s0).count() as u32;
            c[1] = deps_in_buffer;
            c[2] = deps_in_buffer + u32::from(gh[s] != b0 as u32 && gh[s] as usize > b0);
            if b0 < n {
                let h = gh[b0];
                let lost_head = h != s0 && (h as usize > b0 || self.in_stack[h as usize]);
                c[3] = u32::from(lost_head);
                for &k in &self.stack {
                    c[3] += u32::from(self.head[k as usize] == NIL && gh[k as usize] == b0 as u32);
                }
            }
        }
        c
    }
}

const NONE: u64 = 0x0F0F;

#[inline]
fn val(v: &[u64], i: u32) -> u64 {
    if i == NIL {
        NONE
    } else {
        v[i as usize]
    }
}

/// The suffix hash of token `i` (see `inputs`).
#[inline]
fn suffix(w: &[u64], n: usize, i: u32) -> u64 {
    if i == NIL {
        NONE
    } else {
        w[n + 1 + i as usize]
    }
}

#[inline]
fn get(v: &[u32], i: u32) -> u32 {
    if i == NIL {
        NIL
    } else {
        v[i as usize]
    }
}

/// The Zhang & Nivre (2011) feature set, plus a few second-stack features.
fn features(st: &State, w: &[u64], t: &[u64], c: &[[u64; 3]], out: &mut Vec<u64>) {
    out.clear();
    let s0 = st.s0();
    let s1 = if st.stack.len() >= 2 {
        st.stack[st.stack.len() - 2]
    } else {
        NIL
    };
    let n0 = st.b as u32;
    let n1 = if st.b < st.n { n0 + 1 } else { NIL };
    let n2 = if st.b + 1 < st.n { n0 + 2 } else { NIL };
    let s0h = get(&st.head, s0);
    let s0h2 = get(&st.head, s0h);
    let (s0l, s0l2, s0r, s0r2) = (
        get(&st.l1, s0),
        get(&st.l2, s0),
        get(&st.r1, s0),
        get(&st.r2, s0),
    );
    let (n0l, n0l2) = (get(&st.l1, n0), get(&st.l2, n0));
    let lab = |i: u32| -> u64 {
        if i == NIL {
            NONE
        } else {
            u64::from(st.label[i as usize])
        }
    };
    let (s0w, s0p) = (val(w, s0), val(t, s0));
    let (n0w, n0p) = (val(w, n0), val(t, n0));
    let (n1w, n1p) = (val(w, n1), val(t, n1));
    let (n2w, n2p) = (val(w, n2), val(t, n2));
    let (s1w, s1p) = (val(w, s1), val(t, s1));
    let s0wp = f2(1000, s0w, s0p);
    let n0wp = f2(1001, n0w, n0p);
    let n1wp = f2(1002, n1w, n1p);
    let n2wp = f2(1003, n2w, n2p);
    let d = if s0 == NIL {
        NONE
    } else if st.b >= st.n {
        99
    } else {
        u64::from((n0 - s0).min(10))
    };
    let (vl, vr, n0vl) = if s0 == NIL {
        (NONE, NONE, u64::from(st.nl[st.b]))
    } else {
        (
            u64::from(st.nl[s0 as usize]),
            u64::from(st.nr[s0 as usize]),
            u64::from(st.nl[st.b]),
        )
    };
    let (sl, sr, n0sl) = if s0 == NIL {
        (NONE, NONE, st.lset[st.b])
    } else {
        (st.lset[s0 as usize], st.rset[s0 as usize], st.lset[st.b])
    };
    let (s0hp, s0lp, s0rp, n0lp) = (val(t, s0h), val(t, s0l), val(t, s0r), val(t, n0l));
    out.extend_from_slice(&[
        f1(0, 0),
        // Single words.
        f1(1, s0wp),
        f1(2, s0w),
        f1(3, s0p),
        f1(4, n0wp),
        f1(5, n0w),
        f1(6, n0p),
        f1(7, n1wp),
        f1(8, n1w),
        f1(9, n1p),
        f1(10, n2wp),
        f1(11, n2w),
        f1(12, n2p),
        // Word pairs.
        f2(13, s0wp, n0wp),
        f2(14, s0wp, n0w),
        f2(15, s0w, n0wp),
        f2(16, s0wp, n0p),
        f2(17, s0p, n0wp),
        f2(18, s0w, n0w),
        f2(19, s0p, n0p),
        f2(20, n0p, n1p),
        // Three words.
        f3(21, n0p, n1p, n2p),
        f3(22, s0p, n0p, n1p),
        f3(23, s0hp, s0p, n0p),
        f3(24, s0p, s0lp, n0p),
        f3(25, s0p, s0rp, n0p),
        f3(26, s0p, n0p, n0lp),
        // Distance.
        f2(27, s0w, d),
        f2(28, s0p, d),
        f2(29, n0w, d),
        f2(30, n0p, d),
        f3(31, s0w, n0w, d),
        f3(32, s0p, n0p, d),
        // Valency.
        f2(33, s0w, vr),
        f2(34, s0p, vr),
        f2(35, s0w, vl),
        f2(36, s0p, vl),
        f2(37, n0w, n0vl),
        f2(38, n0p, n0vl),
        // Unigrams of heads and dependents.
        f1(39, val(w, s0h)),
        f1(40, s0hp),
        f1(41, lab(s0)),
        f1(42, val(w, s0l)),
        f1(43, s0lp),
        f1(44, lab(s0l)),
        f1(45, val(w, s0r)),
        f1(46, s0rp),
        f1(47, lab(s0r)),
        f1(48, val(w, n0l)),
        f1(49, n0lp),
        f1(50, lab(n0l)),
        // Third order.
        f1(51, val(w, s0h2)),
        f1(52, val(t, s0h2)),
        f1(53, lab(s0h)),
        f1(54, val(w, s0l2)),
        f1(55, val(t, s0l2)),
        f1(56, lab(s0l2)),
        f1(57, val(w, s0r2)),
        f1(58, val(t, s0r2)),
        f1(59, lab(s0r2)),
        f1(60, val(w, n0l2)),
        f1(61, val(t, n0l2)),
        f1(62, lab(n0l2)),
        f3(63, s0p, s0lp, val(t, s0l2)),
        f3(64, s0p, s0rp, val(t, s0r2)),
        f3(65, s0p, s0hp, val(t, s0h2)),
        f3(66, n0p, n0lp, val(t, n0l2)),
        // Label sets.
        f2(67, s0w, sr),
        f2(68, s0p, sr),
        f2(69, s0w, sl),
        f2(70, s0p, sl),
        f2(71, n0w, n0sl),
        f2(72, n0p, n0sl),
        // The second stack item.
        f1(73, f2(1004, s1w, s1p)),
        f1(74, s1p),
        f3(75, s1p, s0p, n0p),
        f2(76, s1w, n0w),
        f3(77, s0p, n0p, lab(s0)),
        // Lexical context beyond the word pair, and suffixes for rare words.
        f3(78, s0w, n0p, n1p),
        f3(79, s0p, n0w, n1p),
        f2(80, n0w, n1w),
        f3(81, s0w, n0w, n1p),
        f2(82, suffix(w, st.n, n0), n0p),
        f2(83, suffix(w, st.n, s0), s0p),
        f3(84, s1p, s0p, d),
        f3(85, s0p, n0p, n2p),
        f3(86, s0p, lab(s0l), lab(s0r)),
        f3(87, n0p, n1w, n2p),
    ]);
    if !c.is_empty() {
        cluster_features(
            st,
            c,
            [s0, s1, n0, n1, n2],
            [s0w, n0w, s0p, n0p, n1p, d],
            out,
        );
    }
}

/// Word-cluster features (Koo et al. 2008): the fine cluster stands in for
/// the word, the mid one for a coarse word class, in the same kinds of
/// conjunctions as the word and tag features.
fn cluster_features(st: &State, c: &[[u64; 3]], tok: [u32; 5], wp: [u64; 6], out: &mut Vec<u64>) {
    let cl = |i: u32, level: usize| -> u64 {
        if i == NIL {
            NONE
        } else {
            c[i as usize][level]
        }
    };
    let [s0, s1, n0, n1, n2] = tok;
    let [s0w, n0w, s0p, n0p, n1p, d] = wp;
    let (s0f, s0m, s0c) = (cl(s0, 0), cl(s0, 1), cl(s0, 2));
    let (n0f, n0m, n0c) = (cl(n0, 0), cl(n0, 1), cl(n0, 2));
    let (n1f, n1m) = (cl(n1, 0), cl(n1, 1));
    let n2m = cl(n2, 1);
    let (s1f, s1m) = (cl(s1, 0), cl(s1, 1));
    let s0h = get(&st.head, s0);
    let (s0l, s0r, n0l) = (get(&st.l1, s0), get(&st.r1, s0), get(&st.l1, n0));
    out.extend_from_slice(&[
        f1(100, s0f),
        f1(101, s0m),
        f1(102, n0f),
        f1(103, n0m),
        f1(104, n1f),
        f1(105, n1m),
        f1(106, s1f),
        f1(107, n2m),
        f2(108, s0f, n0f),
        f2(109, s0m, n0m),
        f3(110, s0m, n0m, d),
        f2(111, s0f, n0p),
        f2(112, s0p, n0f),
        f2(113, s0w, n0m),
        f2(114, s0m, n0w),
        f3(115, s0m, n0m, n1m),
        f3(116, n0m, n1m, n2m),
        f3(117, s0m, n0p, n1p),
        f2(118, cl(s0h, 1), s0m),
        f2(119, s0m, cl(s0l, 1)),
        f2(120, s0m, cl(s0r, 1)),
        f2(121, n0m, cl(n0l, 1)),
        f3(122, s1m, s0m, n0m),
        f3(123, s0c, n0c, d),
        f3(124, s0c, s0p, n0p),
        f3(125, s0p, n0c, n0p),
    ]);
}

/// Buffers reused from one sentence to the next.
struct Scratch {
    st: State,
    w: Vec<u64>,
    t: Vec<u64>,
    c: Vec<[u64; 3]>,
    feats: Vec<u64>,
    scores: Vec<i32>,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            st: State::default(),
            w: Vec::new(),
            t: Vec::new(),
            c: Vec::new(),
            feats: Vec::with_capacity(128),
            scores: vec![0i32; nclasses()],
        }
    }
}

/// A loaded parser.
#[derive(Debug, Clone)]
pub struct Parser {
    weights: Weights,
    /// Labels the model may predict (those seen in training).
    labels: Vec<bool>,
    /// Word clusters (empty: the model uses no cluster features).
    clusters: Clusters,
    meta: serde_json::Value,
    /// The metadata as stored, written back verbatim.
    meta_json: String,
}

static BUILTIN: &[u8] = include_bytes!("../models/parser.bin");

/// Per-word inputs: the normalised word hash and the tag, plus the root;
/// and the word clusters in `c` when the model has clusters.
fn inputs(
    words: &[&str],
    upos: &[Upos],
    xpos: &[Xpos],
    clusters: &Clusters,
    w: &mut Vec<u64>,
    t: &mut Vec<u64>,
    c: &mut Vec<[u64; 3]>,
) {
    // `w[i]` is token i's normalised word, `w[n + 1 + i]` its last three
    // characters (a backoff for rare words); index `n` is the root.
    let n = words.len();
    w.clear();
    w.resize(2 * (n + 1), 0);
    t.clear();
    c.clear();
    let mut buf = String::new();
    for (i, word) in words.iter().enumerate() {
        normalise(word, &mut buf);
        w[i] = str_hash(&buf);
        let cut = buf.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
        w[n + 1 + i] = str_hash(&buf[cut..]) ^ 0x5f5f;
        // The tag is the (UPOS, XPOS) pair: XPOS alone cannot tell an
        // auxiliary from a main verb, which matters for `aux` and `cop`.
        let u = upos.get(i).map_or(0xff, |u| u64::from(u.0));
        let tag = xpos.get(i).map_or(NONE - 1, |x| u64::from(x.0) | u << 8);
        t.push(tag);
        if !clusters.is_empty() {
            // A word without a cluster backs off to its tag, so that the
            // cluster features still say something about it.
            let ids = clusters.get_hash(w[i]);
            c.push(ids.map(|k| {
                if k == NO_CLUSTER {
                    0x1_0000 | tag
                } else {
                    u64::from(k)
                }
            }));
        }
    }
    w[n] = 0x2007;
    w[2 * n + 1] = 0x2009;
    t.push(0x2008);
    if !clusters.is_empty() {
        c.push([0x2_0000; 3]);
    }
}

impl Parser {
    /// Loads a model file written by [`Parser::to_bytes`].
    pub fn load(bytes: &[u8]) -> Result<Self, ModelError> {
        let (version, meta_json, payload) = read_model_versions(bytes, KIND, &[1, PARSER_FORMAT])?;
        let meta = serde_json::from_str(&meta_json).unwrap_or_default();
        let mut r = ByteReader::new(&payload);
        let n = r.u16()? as usize;
        if n != nlabels() {
            return Err(ModelError::Invalid(format!(
                "the model has {n} labels, this build has {}; hint: retrain with `annalist train parser`",
                nlabels()
            )));
        }
        let labels = r.bytes(n)?.iter().map(|&b| b != 0).collect();
        let weights = Weights::read(&mut r)?;
        let clusters = if version >= 2 {
            Clusters::read(&mut r)?
        } else {
            Clusters::default()
        };
        if weights.nclasses as usize != nclasses() || !r.is_done() {
            return Err(ModelError::invalid("the payload layout is inconsistent"));
        }
        Ok(Parser {
            weights,
            labels,
            clusters,
            meta,
            meta_json,
        })
    }

    /// The parser built into the binary.
    pub fn builtin() -> Result<Self, ModelError> {
        Self::load(BUILTIN)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = ByteWriter::default();
        w.u16(self.labels.len() as u16);
        for &l in &self.labels {
            w.u8(u8::from(l));
        }
        self.weights.write(&mut w);
        self.clusters.write(&mut w);
        write_model_version(KIND, PARSER_FORMAT, &self.meta_json, &w.into_inner())
    }

    pub fn meta(&self) -> &serde_json::Value {
        &self.meta
    }

    /// The mean of parsers trained on the same sentences, tags and clusters
    /// with different seeds (see `Weights::average`), with `meta` as its
    /// metadata; mean weights below `prune` are dropped. `None` when the
    /// list is empty or the models disagree on their labels or clusters.
    pub fn average(models: &[Parser], prune: f32, meta: serde_json::Value) -> Option<Parser> {
        let first = models.first()?;
        if models
            .iter()
            .any(|m| m.labels != first.labels || m.clusters != first.clusters)
        {
            return None;
        }
        let tables: Vec<&Weights> = models.iter().map(|m| &m.weights).collect();
        Some(Parser {
            weights: Weights::average(&tables, prune)?,
            labels: first.labels.clone(),
            clusters: first.clusters.clone(),
            meta_json: meta.to_string(),
            meta,
        })
    }

    /// The same parser with `meta` as its metadata.
    pub fn with_meta(mut self, meta: serde_json::Value) -> Parser {
        self.meta_json = meta.to_string();
        self.meta = meta;
        self
    }

    /// Drops weights below `min` in absolute value (see `Weights::prune`).
    pub fn prune(&mut self, min: f32) {
        self.weights.prune(min);
    }

    /// Number of features and of weights in the model.
    pub fn size(&self) -> (usize, usize) {
        (self.weights.num_features(), self.weights.num_weights())
    }

    /// Parses one sentence given its words and tags: 0-based heads (or
    /// [`ROOT`]) and relations. The result is always a tree with one root.
    pub fn parse(&self, words: &[&str], upos: &[Upos], xpos: &[Xpos]) -> (Vec<u32>, Vec<DepRel>) {
        self.parse_with(words, upos, xpos, &mut Scratch::new())
    }

    fn parse_with(
        &self,
        words: &[&str],
        upos: &[Upos],
        xpos: &[Xpos],
        x: &mut Scratch,
    ) -> (Vec<u32>, Vec<DepRel>) {
        let n = words.len();
        inputs(
            words,
            upos,
            xpos,
            &self.clusters,
            &mut x.w,
            &mut x.t,
            &mut x.c,
        );
        x.st.reset(n);
        while !x.st.done() {
            // With the stack empty only a shift is possible, and at the
            // root with the top attached only a reduce: no need to score.
            if x.st.stack.is_empty() && x.st.b < x.st.n {
                x.st.apply(SHIFT);
                continue;
            }
            if x.st.b >= x.st.n && x.st.valid(REDUCE) {
                x.st.apply(REDUCE);
                continue;
            }
            features(&x.st, &x.w, &x.t, &x.c, &mut x.feats);
            self.weights.score(&x.feats, &mut x.scores);
            let best = self.best_valid(&x.st, &x.scores);
            x.st.apply(best);
        }
        finish_tree(&x.st)
    }

    fn best_valid(&self, st: &State, scores: &[i32]) -> usize {
        let mut best = usize::MAX;
        let mut best_score = i32::MIN;
        let ok = [
            st.valid(SHIFT),
            st.valid(REDUCE),
            st.valid(left(0)),
            st.valid(right(0)),
        ];
        for (c, &s) in scores.iter().enumerate() {
            let allowed = if c < 2 {
                ok[c]
            } else {
                ok[2 + (c - 2) % 2] && self.labels[(c - 2) / 2]
            };
            if allowed && (best == usize::MAX || s > best_score) {
                best = c;
                best_score = s;
            }
        }
        // Some move is always valid while the parse is not done; the
        // fallback keeps the loop total even for a model with no labels.
        if best == usize::MAX {
            if ok[0] {
                SHIFT
            } else if ok[1] {
                REDUCE
            } else if ok[2] {
                left(0)
            } else {
                right(0)
            }
        } else {
            best
        }
    }

    /// Fills the `head` and `deprel` columns of `doc`; needs `xpos` filled
    /// (tags are read as unknown otherwise).
    pub fn parse_doc(&self, doc: &mut Doc) {
        let n = doc.tokens.len();
        let mut heads = vec![ROOT; n];
        let mut rels = vec![DepRel::fallback(); n];
        let mut scratch = Scratch::new();
        let mut words: Vec<&str> = Vec::new();
        let xpos: &[Xpos] = if doc.tokens.xpos.len() == n {
            &doc.tokens.xpos
        } else {
            &[]
        };
        let upos: &[Upos] = if doc.tokens.upos.len() == n {
            &doc.tokens.upos
        } else {
            &[]
        };
        for seg in crate::corpus::segments(doc) {
            words.clear();
            words.extend(seg.clone().map(|i| doc.token_text(i)));
            let tags = xpos.get(seg.clone()).unwrap_or(&[]);
            let utags = upos.get(seg.clone()).unwrap_or(&[]);
            let (h, r) = self.parse_with(&words, utags, tags, &mut scratch);
            for (k, i) in seg.clone().enumerate() {
                heads[i] = if h[k] == ROOT {
                    ROOT
                } else {
                    seg.start as u32 + h[k]
                };
                rels[i] = r[k];
            }
        }
        doc.tokens.head = heads;
        doc.tokens.deprel = rels;
    }

    /// Parses sentences that carry predicted tags and scores them against
    /// the gold trees in `gold` (same sentences).
    pub fn evaluate(&self, tagged: &[Sent], gold: &[Sent]) -> UdScores {
        let mut s = UdScores::default();
        for (p, g) in tagged.iter().zip(gold) {
            let (head, deprel) = self.parse(&p.word_refs(), &p.upos, &p.xpos);
            let mut pred = g.clone();
            pred.head = head;
            pred.deprel = deprel;
            s.add(g, &pred);
        }
        s
    }
}

/// Reads the tree off a final state: several tokens attached to the root
/// become dependents of the first one labelled `root` (or the first one).
fn finish_tree(st: &State) -> (Vec<u32>, Vec<DepRel>) {
    let n = st.n;
    let root_label = DepRel::parse("root").map_or(0, |r| r.0);
    let mut roots: Vec<usize> = (0..n)
        .filter(|&i| st.head[i] == n as u32 || st.head[i] == NIL)
        .collect();
    roots.sort_by_key(|&i| (st.label[i] != root_label || st.head[i] == NIL, i));
    let top = roots.first().copied();
    let mut heads = Vec::with_capacity(n);
    let mut rels = Vec::with_capacity(n);
    for i in 0..n {
        if Some(i) == top {
            heads.push(ROOT);
            rels.push(DepRel(root_label));
        } else if st.head[i] == n as u32 || st.head[i] == NIL {
            heads.push(top.map_or(ROOT, |t| t as u32));
            let l = if st.label[i] == root_label || st.head[i] == NIL {
                DepRel::parse("parataxis").unwrap_or_default()
            } else {
                DepRel(st.label[i])
            };
            rels.push(l);
        } else {
            heads.push(st.head[i]);
            let l = if st.label[i] == root_label {
                DepRel::fallback()
            } else {
                DepRel(st.label[i])
            };
            rels.push(l);
        }
    }
    (heads, rels)
}

/// Lifts non-projective arcs (to the head's head) until the tree is
/// projective: the arc-eager oracle is exact only for projective trees.
pub fn projectivize(heads: &[u32]) -> Vec<u32> {
    let n = heads.len();
    let mut h: Vec<u32> = heads
        .iter()
        .map(|&x| {
            if x == ROOT || x as usize >= n {
                n as u32
            } else {
                x
            }
        })
        .collect();
    let dominated = |h: &[u32], anc: usize, mut k: usize| -> bool {
        let mut steps = 0;
        while k != anc && k < n && steps <= n {
            k = h[k] as usize;
            steps += 1;
        }
        k == anc
    };
    for _ in 0..n * n {
        let mut worst: Option<(usize, usize)> = None;
        for d in 0..n {
            let hd = h[d] as usize;
            let (a, b) = if hd < d { (hd, d) } else { (d, hd.min(n)) };
            let nonproj = (a + 1..b).any(|k| !dominated(&h, hd, k));
            if nonproj {
                let len = b - a;
                if worst.is_none_or(|(_, l)| len < l) {
                    worst = Some((d, len));
                }
            }
        }
        match worst {
            Some((d, _)) => {
                let hd = h[d] as usize;
                if hd >= n {
                    break;
                }
                h[d] = h[hd];
            }
            None => break,
        }
    }
    h
}

/// What training measured per epoch.
#[derive(Debug, Clone, Serialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_acc: f64,
    pub dev_uas: f64,
    pub dev_las: f64,
}

/// Trains a parser. `train` sentences carry gold trees and the tags the
/// parser will see at run time (predicted, e.g. by jackknifing); `dev_tagged`
/// holds the dev words with predicted tags, `dev_gold` their gold trees.
pub fn train(
    train: &[Sent],
    dev_tagged: &[Sent],
    dev_gold: &[Sent],
    settings: &ParserSettings,
    meta: serde_json::Map<String, serde_json::Value>,
    progress: &mut dyn FnMut(&str),
) -> Parser {
    train_with_clusters(
        train,
        dev_tagged,
        dev_gold,
        Clusters::default(),
        settings,
        meta,
        progress,
    )
}

/// Like [`train`], with word-cluster features from `clusters` (stored in
/// the model).
pub fn train_with_clusters(
    train: &[Sent],
    dev_tagged: &[Sent],
    dev_gold: &[Sent],
    clusters: Clusters,
    settings: &ParserSettings,
    mut meta: serde_json::Map<String, serde_json::Value>,
    progress: &mut dyn FnMut(&str),
) -> Parser {
    let mut labels = vec![false; nlabels()];
    for s in train {
        for r in &s.deprel {
            labels[r.0 as usize] = true;
        }
    }
    let gold_heads: Vec<Vec<u32>> = train.iter().map(|s| projectivize(&s.head)).collect();
    let lifted: usize = train
        .iter()
        .zip(&gold_heads)
        .map(|(s, g)| {
            s.head
                .iter()
                .zip(g)
                .filter(|(a, b)| **a != **b && !(**a == ROOT && **b as usize == s.len()))
                .count()
        })
        .sum();
    progress(&format!(
        "parser: {} sentences, {} labels, {lifted} arcs lifted to projectivize",
        train.len(),
        labels.iter().filter(|&&l| l).count()
    ));
    let mut p = Averaged::new(nclasses());
    let mut rng = Rng::new(settings.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut st = State::default();
    let (mut w, mut t, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0f32; nclasses()];
    let mut best: Option<(f64, Parser)> = None;
    let mut reports = Vec::new();
    for epoch in 1..=settings.epochs {
        rng.shuffle(&mut order);
        let (mut right_moves, mut total) = (0usize, 0usize);
        for &si in &order {
            let s = &train[si];
            let gh = &gold_heads[si];
            let words = s.word_refs();
            inputs(&words, &s.upos, &s.xpos, &clusters, &mut w, &mut t, &mut c);
            st.reset(s.len());
            while !st.done() {
                features(&st, &w, &t, &c, &mut feats);
                p.score(&feats, &mut scores);
                let sc = st.costs(gh);
                let ok = [
                    st.valid(SHIFT),
                    st.valid(REDUCE),
                    st.valid(left(0)),
                    st.valid(right(0)),
                ];
                let cost = |c: usize| -> u32 {
                    if c < 2 {
                        sc[c]
                    } else if c.is_multiple_of(2) {
                        let d = st.s0() as usize;
                        sc[2] + u32::from((c - 2) / 2 != s.deprel[d].0 as usize)
                    } else {
                        sc[3] + u32::from((c - 3) / 2 != s.deprel[st.b].0 as usize)
                    }
                };
                let allowed = |c: usize| -> bool {
                    if c < 2 {
                        ok[c]
                    } else {
                        ok[2 + (c - 2) % 2] && labels[(c - 2) / 2]
                    }
                };
                let (mut guess, mut gs) = (usize::MAX, f32::MIN);
                let (mut oracle, mut os, mut oc) = (usize::MAX, f32::MIN, u32::MAX);
                for (c, &v) in scores.iter().enumerate() {
                    if !allowed(c) {
                        continue;
                    }
                    if guess == usize::MAX || v > gs {
                        guess = c;
                        gs = v;
                    }
                    let k = cost(c);
                    if k < oc || (k == oc && v > os) {
                        oracle = c;
                        os = v;
                        oc = k;
                    }
                }
                if guess == usize::MAX {
                    break;
                }
                let gc = cost(guess);
                total += 1;
                let next = if gc <= oc {
                    right_moves += 1;
                    guess
                } else {
                    p.update(&feats, oracle, guess);
                    if epoch >= settings.explore_from && rng.next_f64() < settings.explore {
                        guess
                    } else {
                        oracle
                    }
                };
                p.tick();
                st.apply(next);
            }
        }
        let parser = Parser {
            weights: p.finish(settings.prune),
            labels: labels.clone(),
            clusters: clusters.clone(),
            meta: serde_json::Value::Null,
            meta_json: "null".into(),
        };
        let d = parser.evaluate(dev_tagged, dev_gold);
        let rep = EpochReport {
            epoch,
            train_acc: 100.0 * right_moves as f64 / total.max(1) as f64,
            dev_uas: d.uas_pct(),
            dev_las: d.las_pct(),
        };
        progress(&format!(
            "parser epoch {epoch}: train moves {:.2}%, dev UAS {:.2} LAS {:.2} ({} features, {} weights, {} training features)",
            rep.train_acc,
            rep.dev_uas,
            rep.dev_las,
            parser.weights.num_features(),
            parser.weights.num_weights(),
            p.num_features()
        ));
        let key = rep.dev_las;
        reports.push(rep);
        if dev_gold.is_empty() || best.as_ref().is_none_or(|(b, _)| key > *b) {
            best = Some((key, parser));
        }
    }
    let mut parser = match best {
        Some((_, p)) => p,
        None => Parser {
            weights: p.finish(settings.prune),
            labels,
            clusters,
            meta: serde_json::Value::Null,
            meta_json: "null".into(),
        },
    };
    meta.insert(
        "settings".into(),
        serde_json::to_value(settings).unwrap_or_default(),
    );
    meta.insert(
        "epochs".into(),
        serde_json::to_value(&reports).unwrap_or_default(),
    );
    meta.insert("features".into(), parser.weights.num_features().into());
    parser.meta = serde_json::Value::Object(meta);
    parser.meta_json = parser.meta.to_string();
    parser
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 0 <- 2, 1 <- 3 crosses 2's arc to 0 ... a small crossing tree:
        // heads: 0->2, 1->3(root), 2->3? Build: arcs (2,0) and (3,1) cross.
        let heads = vec![2, 3, 3, ROOT];
        let p = projectivize(&heads);
        assert_eq!(p[3], 4);
        // After lifting, no arc crosses another.
        assert!(p[0] == 3 || p[1] == 3);
    }
}
