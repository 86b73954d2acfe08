//! The part-of-speech tagger: a greedy left-to-right averaged perceptron
//! over joint (UPOS, XPOS) classes, in the style of Honnibal's tagger, with
//! a tag-dictionary lookahead feature; and the lemmatizer it carries.
//!
//! Predicting the pair jointly keeps UPOS and XPOS consistent and lets the
//! UPOS decision (e.g. AUX vs VERB for "has") see the same evidence as XPOS.

use crate::clusters::{Clusters, NO_CLUSTER};
use crate::corpus::{Sent, UdScores};
use crate::hash::{f1, f2, f3, str_hash, IdMap, Rng};
use crate::io::{read_model_versions, write_model_version, ByteReader, ByteWriter};
use crate::lemma::Lemmatizer;
use crate::perceptron::{Averaged, Weights};
use crate::ModelError;
use annalist_doc::{Doc, Upos, Xpos};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The model file kind written in the header.
pub const KIND: &str = "tagger";

/// The payload layout version: 2 adds the word clusters after the weights.
/// Version 1 files (no clusters) still load.
pub const TAGGER_FORMAT: u32 = 2;

/// Training settings, recorded in the model file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaggerSettings {
    pub epochs: usize,
    pub seed: u64,
    /// Averaged weights below this are dropped from the model file.
    pub prune: f32,
    /// Words seen at least this often get a tag-dictionary entry.
    pub dict_min: u32,
}

impl Default for TaggerSettings {
    fn default() -> Self {
        TaggerSettings {
            epochs: 8,
            seed: 1,
            prune: 0.0,
            dict_min: 3,
        }
    }
}

const NONE: u64 = 0x0F0F;
const START: u64 = 0x5757;
const END: u64 = 0xE0E0;

/// Per-token values the features are built from, computed once per token.
#[derive(Clone, Copy, Default)]
struct Tok {
    w: u64,
    suf: [u64; 4],
    pre1: u64,
    pre3: u64,
    shape: u64,
    dict: u64,
    amb: u64,
    raw: u64,
    upper: bool,
    /// Fine, mid and coarse word clusters.
    c: [u64; 3],
}

const PAD_START: Tok = Tok {
    w: START,
    suf: [START; 4],
    pre1: START,
    pre3: START,
    shape: START,
    dict: START,
    amb: START,
    raw: START,
    upper: false,
    c: [START; 3],
};
const PAD_END: Tok = Tok {
    w: END,
    suf: [END; 4],
    pre1: END,
    pre3: END,
    shape: END,
    dict: END,
    amb: END,
    raw: END,
    upper: false,
    c: [END; 3],
};

/// The normalised word: lowercase, digits as `0`.
fn norm_into(form: &str, buf: &mut String) {
    buf.clear();
    for c in form.chars() {
        if c.is_ascii_digit() {
            buf.push('0');
        } else if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

fn shape_hash(form: &str) -> u64 {
    let mut out = [0u8; 12];
    let mut n = 0;
    let mut last = 0u8;
    let mut run = 0;
    for c in form.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'o'
        };
        if k == last {
            run += 1;
            if run >= 3 {
                continue;
            }
        } else {
            run = 0;
            last = k;
        }
        if n == out.len() {
            break;
        }
        out[n] = k;
        n += 1;
    }
    crate::hash::bytes_hash(&out[..n])
}

/// A dictionary entry: the word's most frequent class (low 16 bits) and the
/// id of its ambiguity class, the set of classes it was seen with (high 16).
fn tok(form: &str, buf: &mut String, dict: &IdMap<u32>, clusters: &Clusters) -> Tok {
    norm_into(form, buf);
    let w = str_hash(buf);
    let mut suf = [NONE; 4];
    let mut ends = buf.char_indices().rev().map(|(i, _)| i);
    for (k, s) in suf.iter_mut().enumerate() {
        match ends.next() {
            Some(i) => *s = f1(k as u64, str_hash(&buf[i..])),
            None => break,
        }
    }
    let pre3 = match buf.char_indices().nth(3) {
        Some((i, _)) => str_hash(&buf[..i]),
        None => w,
    };
    let first = form.chars().next().unwrap_or(' ');
    Tok {
        w,
        suf,
        pre1: u64::from(first),
        pre3,
        shape: shape_hash(form),
        dict: dict.get(&w).map_or(NONE, |&c| u64::from(c & 0xffff) + 1),
        amb: dict.get(&w).map_or(NONE, |&c| u64::from(c >> 16) + 1),
        raw: str_hash(form),
        upper: first.is_uppercase(),
        c: clusters
            .get_hash(w)
            .map(|k| if k == NO_CLUSTER { NONE } else { u64::from(k) }),
    }
}

/// The features of position `i` given the two previous predicted classes.
fn features(toks: &[Tok], i: usize, p1: u64, p2: u64, clusters: bool, out: &mut Vec<u64>) {
    out.clear();
    let at = |j: isize| -> &Tok {
        if j < 0 {
            &PAD_START
        } else if j as usize >= toks.len() {
            &PAD_END
        } else {
            &toks[j as usize]
        }
    };
    let i = i as isize;
    let (t, m1, m2, n1, n2) = (at(i), at(i - 1), at(i - 2), at(i + 1), at(i + 2));
    out.extend_from_slice(&[
        f1(0, 0),
        f1(1, t.w),
        f1(2, t.suf[0]),
        f1(3, t.suf[1]),
        f1(4, t.suf[2]),
        f1(5, t.suf[3]),
        f1(6, t.pre1),
        f1(7, t.pre3),
        f1(8, t.shape),
        f1(9, p1),
        f2(10, p1, p2),
        f2(11, p1, t.w),
        f1(12, m1.w),
        f1(13, m1.suf[2]),
        f1(14, m2.w),
        f1(15, n1.w),
        f1(16, n1.suf[2]),
        f1(17, n2.w),
        f2(18, m1.w, t.w),
        f2(19, t.w, n1.w),
        f1(20, n1.dict),
        f1(21, n2.dict),
        f1(22, t.dict),
        f2(23, n1.dict, t.w),
        f1(24, n1.shape),
        f2(25, p1, n1.dict),
        f2(26, u64::from(i == 0), t.shape),
        f2(27, t.dict, n1.dict),
        f3(28, p1, t.dict, n1.dict),
        f2(29, u64::from(t.upper), t.suf[2]),
        f1(30, m1.shape),
        f2(31, p2, t.w),
        f1(32, t.amb),
        f1(33, n1.amb),
        f2(34, p1, t.amb),
        f1(35, m1.amb),
        f1(36, t.raw),
        f2(37, t.amb, n1.amb),
        f2(38, t.suf[2], n1.w),
        f2(39, m1.w, t.suf[2]),
    ]);
    if clusters {
        // Word clusters generalise from seen words to unseen ones that
        // occur in the same contexts in unlabelled text.
        out.extend_from_slice(&[
            f1(40, t.c[0]),
            f1(41, t.c[1]),
            f1(42, t.c[2]),
            f1(43, n1.c[0]),
            f1(44, m1.c[0]),
            f2(45, p1, t.c[1]),
            f1(46, n2.c[1]),
        ]);
    }
}

/// A loaded tagger and lemmatizer.
#[derive(Debug, Clone)]
pub struct Tagger {
    classes: Vec<(Upos, Xpos)>,
    dict: IdMap<u32>,
    weights: Weights,
    lemmatizer: Lemmatizer,
    /// Word clusters (empty: the model uses no cluster features).
    clusters: Clusters,
    meta: serde_json::Value,
    /// The metadata as stored, written back verbatim.
    meta_json: String,
}

/// Tags and lemmas for one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tagged {
    pub upos: Vec<Upos>,
    pub xpos: Vec<Xpos>,
    pub lemma: Vec<String>,
}

static BUILTIN: &[u8] = include_bytes!("../models/tagger.bin");

impl Tagger {
    /// Loads a model file written by [`Tagger::to_bytes`].
    pub fn load(bytes: &[u8]) -> Result<Self, ModelError> {
        let (version, meta_json, payload) = read_model_versions(bytes, KIND, &[1, TAGGER_FORMAT])?;
        let meta = serde_json::from_str(&meta_json).unwrap_or_default();
        let mut r = ByteReader::new(&payload);
        let n = r.u16()? as usize;
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let u = r.u8()?;
            let x = r.u8()?;
            if u as usize >= Upos::count() || x as usize >= Xpos::count() {
                return Err(ModelError::invalid("tag out of range"));
            }
            classes.push((Upos(u), Xpos(x)));
        }
        let nd = r.u32()? as usize;
        r.check_len(nd.saturating_mul(12))?;
        let mut dict = IdMap::default();
        dict.reserve(nd);
        for _ in 0..nd {
            let lo = u64::from(r.u32()?);
            let hi = u64::from(r.u32()?);
            let c = r.u32()?;
            if (c & 0xffff) as usize >= n {
                return Err(ModelError::invalid("dictionary tag out of range"));
            }
            dict.insert(hi << 32 | lo, c);
        }
        let lemmatizer = Lemmatizer::read(&mut r)?;
        let weights = Weights::read(&mut r)?;
        let clusters = if version >= 2 {
            Clusters::read(&mut r)?
        } else {
            Clusters::default()
        };
        if weights.nclasses as usize != n || !r.is_done() {
            return Err(ModelError::invalid("the payload layout is inconsistent"));
        }
        Ok(Tagger {
            classes,
            dict,
            weights,
            lemmatizer,
            clusters,
            meta,
            meta_json,
        })
    }

    /// The tagger built into the binary.
    pub fn builtin() -> Result<Self, ModelError> {
        Self::load(BUILTIN)
    }

    /// The model file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = ByteWriter::default();
        w.u16(self.classes.len() as u16);
        for (u, x) in &self.classes {
            w.u8(u.0);
            w.u8(x.0);
        }
        let mut d: Vec<(u64, u32)> = self.dict.iter().map(|(k, v)| (*k, *v)).collect();
        d.sort_unstable();
        w.u32(d.len() as u32);
        for (k, c) in d {
            w.u32(k as u32);
            w.u32((k >> 32) as u32);
            w.u32(c);
        }
        self.lemmatizer.write(&mut w);
        self.weights.write(&mut w);
        self.clusters.write(&mut w);
        write_model_version(KIND, TAGGER_FORMAT, &self.meta_json, &w.into_inner())
    }

    /// The metadata recorded at training time.
    pub fn meta(&self) -> &serde_json::Value {
        &self.meta
    }

    /// The mean of taggers trained on the same sentences and clusters with
    /// different seeds (see `Weights::average`), with `meta` as its
    /// metadata; mean weights below `prune` are dropped. The data decide the
    /// classes, the tag dictionary and the lemmatizer, so the members share
    /// them. `None` when the list is empty
    /// or the members disagree on their classes or clusters.
    pub fn average(models: &[Tagger], prune: f32, meta: serde_json::Value) -> Option<Tagger> {
        let first = models.first()?;
        if models
            .iter()
            .any(|m| m.classes != first.classes || m.clusters != first.clusters)
        {
            return None;
        }
        let tables: Vec<&Weights> = models.iter().map(|m| &m.weights).collect();
        Some(Tagger {
            classes: first.classes.clone(),
            dict: first.dict.clone(),
            weights: Weights::average(&tables, prune)?,
            lemmatizer: first.lemmatizer.clone(),
            clusters: first.clusters.clone(),
            meta_json: meta.to_string(),
            meta,
        })
    }

    /// The same tagger with `meta` as its metadata.
    pub fn with_meta(mut self, meta: serde_json::Value) -> Tagger {
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

    pub fn lemmatizer(&self) -> &Lemmatizer {
        &self.lemmatizer
    }

    /// The word clusters the tagger uses (empty for none).
    pub fn clusters(&self) -> &Clusters {
        &self.clusters
    }

    fn toks(&self, words: &[&str]) -> Vec<Tok> {
        let mut buf = String::new();
        words
            .iter()
            .map(|w| tok(w, &mut buf, &self.dict, &self.clusters))
            .collect()
    }

    /// Tags and lemmatizes one sentence.
    pub fn tag(&self, words: &[&str]) -> Tagged {
        let mut out = Tagged::default();
        self.tag_into(words, &mut out);
        out
    }

    /// Like [`Tagger::tag`], appending to `out`.
    pub fn tag_into(&self, words: &[&str], out: &mut Tagged) {
        let toks = self.toks(words);
        let mut feats = Vec::with_capacity(40);
        let mut scores = vec![0i32; self.classes.len()];
        let (mut p1, mut p2) = (START, START);
        for (i, w) in words.iter().enumerate() {
            features(&toks, i, p1, p2, !self.clusters.is_empty(), &mut feats);
            self.weights.score(&feats, &mut scores);
            let best = argmax_i32(&scores);
            let (u, x) = self.classes[best];
            out.upos.push(u);
            out.xpos.push(x);
            out.lemma.push(self.lemmatizer.lemmatize(w, x));
            p2 = p1;
            p1 = best as u64;
        }
    }

    /// Fills the `upos`, `xpos` and `lemma` columns of `doc`.
    pub fn tag_doc(&self, doc: &mut Doc) {
        let mut out = Tagged::default();
        let mut words: Vec<&str> = Vec::new();
        for seg in crate::corpus::segments(doc) {
            words.clear();
            words.extend(seg.clone().map(|i| doc.token_text(i)));
            self.tag_into(&words, &mut out);
        }
        doc.tokens.upos = out.upos;
        doc.tokens.xpos = out.xpos;
        doc.tokens.lemma = out.lemma;
    }

    /// Tags `sent`'s words, returning a copy with predicted tags and lemmas.
    pub fn tag_sent(&self, sent: &Sent) -> Sent {
        let t = self.tag(&sent.word_refs());
        Sent {
            words: sent.words.clone(),
            upos: t.upos,
            xpos: t.xpos,
            lemma: t.lemma,
            head: Vec::new(),
            deprel: Vec::new(),
        }
    }

    /// Scores the tagger (tags and lemmas) against gold sentences.
    pub fn evaluate(&self, gold: &[Sent]) -> UdScores {
        let mut s = UdScores::default();
        for g in gold {
            s.add(g, &self.tag_sent(g));
        }
        s
    }
}

pub(crate) fn argmax_i32(s: &[i32]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

fn argmax_f32(s: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

/// What training measured, for progress and the model metadata.
#[derive(Debug, Clone, Serialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_acc: f64,
    pub dev_upos: f64,
    pub dev_xpos: f64,
    pub dev_lemma: f64,
}

/// Trains a tagger on `train`, scoring on `dev` after each epoch and keeping
/// the best epoch's weights. `meta` is stored in the model file, extended
/// with the settings and the dev scores.
pub fn train(
    train: &[Sent],
    dev: &[Sent],
    settings: &TaggerSettings,
    meta: serde_json::Map<String, serde_json::Value>,
    progress: &mut dyn FnMut(&str),
) -> Tagger {
    train_with_clusters(train, dev, Clusters::default(), settings, meta, progress)
}

/// Like [`train`], with word-cluster features from `clusters` (stored in
/// the model).
pub fn train_with_clusters(
    train: &[Sent],
    dev: &[Sent],
    clusters: Clusters,
    settings: &TaggerSettings,
    mut meta: serde_json::Map<String, serde_json::Value>,
    progress: &mut dyn FnMut(&str),
) -> Tagger {
    // Classes in order of first appearance, so ids are deterministic.
    let mut class_ids: HashMap<(Upos, Xpos), u16> = HashMap::new();
    let mut classes = Vec::new();
    let mut word_counts: IdMap<HashMap<u16, u32>> = IdMap::default();
    let mut buf = String::new();
    let mut gold: Vec<Vec<u16>> = Vec::with_capacity(train.len());
    for s in train {
        let mut g = Vec::with_capacity(s.len());
        for i in 0..s.len() {
            let pair = (s.upos[i], s.xpos[i]);
            let next = classes.len() as u16;
            let c = *class_ids.entry(pair).or_insert(next);
            if c == next {
                classes.push(pair);
            }
            g.push(c);
            norm_into(&s.words[i], &mut buf);
            *word_counts
                .entry(str_hash(&buf))
                .or_default()
                .entry(c)
                .or_default() += 1;
        }
        gold.push(g);
    }
    let mut dict = IdMap::default();
    // Ambiguity classes get ids in sorted order so that training is
    // deterministic whatever the hash map's iteration order.
    let mut entries: Vec<(u64, u16, Vec<u16>)> = Vec::new();
    for (w, cs) in &word_counts {
        let total: u32 = cs.values().sum();
        if total >= settings.dict_min {
            let best = cs
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(c, _)| *c)
                .expect("counts are never empty");
            let mut set: Vec<u16> = cs
                .iter()
                .filter(|(_, &n)| n * 20 >= total)
                .map(|(c, _)| *c)
                .collect();
            set.sort_unstable();
            entries.push((*w, best, set));
        }
    }
    let mut sets: Vec<Vec<u16>> = entries.iter().map(|e| e.2.clone()).collect();
    sets.sort();
    sets.dedup();
    for (w, best, set) in entries {
        let id = sets.binary_search(&set).unwrap_or(0).min(0xffff) as u32;
        dict.insert(w, u32::from(best) | id << 16);
    }
    let lemmatizer = Lemmatizer::train(train.iter().flat_map(|s| {
        (0..s.len()).map(move |i| (s.words[i].as_str(), s.xpos[i], s.lemma[i].as_str()))
    }));
    progress(&format!(
        "tagger: {} sentences, {} classes, {} dictionary words, {} lemma exceptions",
        train.len(),
        classes.len(),
        dict.len(),
        lemmatizer.num_exceptions()
    ));
    let toks: Vec<Vec<Tok>> = train
        .iter()
        .map(|s| {
            s.words
                .iter()
                .map(|w| tok(w, &mut buf, &dict, &clusters))
                .collect()
        })
        .collect();
    let use_clusters = !clusters.is_empty();
    let mut p = Averaged::new(classes.len());
    let mut rng = Rng::new(settings.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut scores = vec![0f32; classes.len()];
    let mut feats = Vec::with_capacity(40);
    let mut best: Option<(f64, Tagger)> = None;
    let mut reports = Vec::new();
    for epoch in 1..=settings.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (mut p1, mut p2) = (START, START);
            for (i, &truth) in gold[si].iter().enumerate() {
                features(&toks[si], i, p1, p2, use_clusters, &mut feats);
                p.score(&feats, &mut scores);
                let guess = argmax_f32(&scores);
                let truth = truth as usize;
                p.update(&feats, truth, guess);
                p.tick();
                right += usize::from(guess == truth);
                total += 1;
                p2 = p1;
                p1 = guess as u64;
            }
        }
        let tagger = Tagger {
            classes: classes.clone(),
            dict: dict.clone(),
            weights: p.finish(settings.prune),
            lemmatizer: lemmatizer.clone(),
            clusters: clusters.clone(),
            meta: serde_json::Value::Null,
            meta_json: "null".into(),
        };
        let d = tagger.evaluate(dev);
        let rep = EpochReport {
            epoch,
            train_acc: 100.0 * right as f64 / total.max(1) as f64,
            dev_upos: d.upos_pct(),
            dev_xpos: d.xpos_pct(),
            dev_lemma: d.lemma_pct(),
        };
        progress(&format!(
            "tagger epoch {epoch}: train {:.2}%, dev UPOS {:.2}% XPOS {:.2}% lemma {:.2}% ({} features, {} weights)",
            rep.train_acc,
            rep.dev_upos,
            rep.dev_xpos,
            rep.dev_lemma,
            tagger.weights.num_features(),
            tagger.weights.num_weights()
        ));
        let key = rep.dev_upos + rep.dev_xpos;
        reports.push(rep);
        if dev.is_empty() || best.as_ref().is_none_or(|(b, _)| key > *b) {
            best = Some((key, tagger));
        }
    }
    let mut tagger = match best {
        Some((_, t)) => t,
        None => Tagger {
            classes,
            dict,
            weights: p.finish(settings.prune),
            lemmatizer,
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
    meta.insert("features".into(), tagger.weights.num_features().into());
    tagger.meta = serde_json::Value::Object(meta);
    tagger.meta_json = tagger.meta.to_string();
    tagger
}
