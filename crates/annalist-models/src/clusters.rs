//! Word clusters learned from unlabelled text, used as parser features.
//!
//! A treebank is too small to see most words, but a cluster of words that
//! occur in similar contexts generalises from the words it did see to those
//! it did not (Koo, Carreras & Collins 2008). We learn clusters with the
//! exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney 1998), which
//! maximises the likelihood of a class bigram model like Brown clustering
//! but in time close to linear in the corpus. A word gets three cluster ids,
//! fine to coarse: the fine classes are clustered again into mid classes,
//! and those into coarse ones, which plays the part of Brown bit prefixes.
//!
//! Words are looked up in the parser's normalised form (lowercased, digits
//! as `0`), by a 32-bit hash: a collision only gives a word another word's
//! cluster, which costs nothing but a little accuracy on that word.

use crate::hash::{str_hash, Rng};
use crate::io::{ByteReader, ByteWriter};
use crate::ModelError;
use serde::{Deserialize, Serialize};

/// The id of "no cluster" (the word was not in the clustering vocabulary).
pub const NO_CLUSTER: u16 = u16::MAX;

/// Clustering settings, recorded in the parser model's metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterSettings {
    /// Number of fine, mid and coarse classes.
    pub classes: [usize; 3],
    /// Words seen fewer times than this get no cluster.
    pub min_count: usize,
    /// At most this many words (the most frequent) get a cluster.
    pub max_words: usize,
    /// Passes of the exchange algorithm over the vocabulary.
    pub iterations: usize,
    pub seed: u64,
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            classes: [256, 64, 16],
            min_count: 3,
            max_words: 100_000,
            iterations: 12,
            seed: 1,
        }
    }
}

/// The normalised form of a word: what the parser and the clusters key on.
pub fn normalise(word: &str, buf: &mut String) {
    buf.clear();
    for c in word.chars() {
        if c.is_ascii_digit() {
            buf.push('0');
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

#[inline]
fn key32(h: u64) -> u32 {
    ((h >> 32) as u32) ^ (h as u32)
}

/// A word-to-clusters table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clusters {
    /// Sorted word keys and, in the same order, their fine, mid and coarse
    /// cluster ids.
    keys: Vec<u32>,
    ids: Vec<[u16; 3]>,
    /// Open-addressing slots: index into `keys` plus one, 0 for empty.
    table: Vec<u32>,
    mask: usize,
}

impl Clusters {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    fn from_pairs(mut pairs: Vec<(u32, [u16; 3])>) -> Self {
        pairs.sort_by_key(|p| p.0);
        pairs.dedup_by_key(|p| p.0);
        let mut c = Clusters {
            keys: pairs.iter().map(|p| p.0).collect(),
            ids: pairs.iter().map(|p| p.1).collect(),
            ..Clusters::default()
        };
        c.build_slots();
        c
    }

    fn build_slots(&mut self) {
        let cap = (self.keys.len() * 2 + 1).next_power_of_two().max(16);
        self.mask = cap - 1;
        self.table = vec![0; cap];
        for (i, &k) in self.keys.iter().enumerate() {
            let mut s = slot(k, self.mask);
            while self.table[s] != 0 {
                s = (s + 1) & self.mask;
            }
            self.table[s] = i as u32 + 1;
        }
    }

    /// The fine, mid and coarse clusters of a word given its normalised
    /// form's hash (`str_hash`), or [`NO_CLUSTER`] thrice.
    #[inline]
    pub fn get_hash(&self, h: u64) -> [u16; 3] {
        if self.keys.is_empty() {
            return [NO_CLUSTER; 3];
        }
        let k = key32(h);
        let mut s = slot(k, self.mask);
        loop {
            let e = self.table[s];
            if e == 0 {
                return [NO_CLUSTER; 3];
            }
            if self.keys[(e - 1) as usize] == k {
                return self.ids[(e - 1) as usize];
            }
            s = (s + 1) & self.mask;
        }
    }

    /// The clusters of a word (normalised here).
    pub fn get(&self, word: &str) -> [u16; 3] {
        let mut buf = String::new();
        normalise(word, &mut buf);
        self.get_hash(str_hash(&buf))
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u32(self.keys.len() as u32);
        let mut prev = 0u32;
        for &k in &self.keys {
            w.u32(k.wrapping_sub(prev));
            prev = k;
        }
        for level in 0..3 {
            for ids in &self.ids {
                w.u16(ids[level]);
            }
        }
    }

    pub fn read(r: &mut ByteReader) -> Result<Self, ModelError> {
        let n = r.u32()? as usize;
        r.check_len(n.saturating_mul(10))?;
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u32;
        for _ in 0..n {
            prev = prev.wrapping_add(r.u32()?);
            keys.push(prev);
        }
        if keys.windows(2).any(|p| p[0] >= p[1]) {
            return Err(ModelError::invalid("cluster keys are not sorted"));
        }
        let mut ids = vec![[0u16; 3]; n];
        for level in 0..3 {
            for v in ids.iter_mut() {
                v[level] = r.u16()?;
            }
        }
        let mut c = Clusters {
            keys,
            ids,
            ..Clusters::default()
        };
        c.build_slots();
        Ok(c)
    }
}

#[inline]
fn slot(key: u32, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 5) as usize & mask
}

/// Collects word and bigram counts from unlabelled sentences, then learns
/// clusters.
#[derive(Debug, Default)]
pub struct ClusterBuilder {
    vocab: std::collections::HashMap<String, u32>,
    words: Vec<String>,
    /// The corpus as word ids, with `u32::MAX` between sentences.
    stream: Vec<u32>,
    tokens: usize,
}

const BOUNDARY: u32 = u32::MAX;

impl ClusterBuilder {
    /// Adds one sentence (its words as they appear in text).
    pub fn add_sentence<S: AsRef<str>>(&mut self, words: &[S]) {
        let mut buf = String::new();
        for w in words {
            normalise(w.as_ref(), &mut buf);
            let id = match self.vocab.get(buf.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.vocab.insert(buf.clone(), id);
                    self.words.push(buf.clone());
                    id
                }
            };
            self.stream.push(id);
        }
        self.tokens += words.len();
        self.stream.push(BOUNDARY);
    }

    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Learns the clusters.
    pub fn build(&self, settings: &ClusterSettings, progress: &mut dyn FnMut(&str)) -> Clusters {
        // The vocabulary: frequent words, most frequent first. Everything
        // else is one "rare word" token, and sentence boundaries another, so
        // that the bigram statistics keep their contexts.
        let mut counts = vec![0u64; self.words.len()];
        for &id in &self.stream {
            if id != BOUNDARY {
                counts[id as usize] += 1;
            }
        }
        let mut order: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&i| counts[i as usize] >= settings.min_count as u64)
            .collect();
        order.sort_by(|&a, &b| {
            counts[b as usize]
                .cmp(&counts[a as usize])
                .then_with(|| self.words[a as usize].cmp(&self.words[b as usize]))
        });
        order.truncate(settings.max_words);
        let v = order.len();
        let (rare, bound) = (v as u32, v as u32 + 1);
        let mut remap = vec![rare; self.words.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        let ids: Vec<u32> = self
            .stream
            .iter()
            .map(|&x| {
                if x == BOUNDARY {
                    bound
                } else {
                    remap[x as usize]
                }
            })
            .collect();
        let mut pairs: Vec<u64> = Vec::with_capacity(ids.len());
        let mut prev = bound;
        for &x in &ids {
            pairs.push(u64::from(prev) << 32 | u64::from(x));
            prev = x;
        }
        pairs.sort_unstable();
        let mut edges: Vec<(u32, u32, f64)> = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let p = pairs[i];
            let mut j = i;
            while j < pairs.len() && pairs[j] == p {
                j += 1;
            }
            edges.push(((p >> 32) as u32, p as u32, (j - i) as f64));
            i = j;
        }
        drop(pairs);
        progress(&format!(
            "clusters: {} tokens, {} word types, {v} clustered, {} bigram types",
            self.tokens,
            self.words.len(),
            edges.len()
        ));
        let nwords = v + 2;
        let mut unigram = vec![0f64; nwords];
        for e in &edges {
            unigram[e.1 as usize] += e.2;
        }
        let fine = exchange(
            nwords,
            &unigram,
            &edges,
            settings.classes[0],
            settings,
            progress,
        );
        // Cluster the fine classes into mid ones, and those into coarse ones:
        // the class bigram graph is a small corpus of its own.
        let lift = |cls: &[u16], k: usize, edges: &[(u32, u32, f64)]| {
            let mut m = vec![0f64; k * k];
            for &(a, b, n) in edges {
                m[cls[a as usize] as usize * k + cls[b as usize] as usize] += n;
            }
            let mut e: Vec<(u32, u32, f64)> = Vec::new();
            let mut uni = vec![0f64; k];
            for (i, &n) in m.iter().enumerate() {
                if n > 0.0 {
                    e.push(((i / k) as u32, (i % k) as u32, n));
                    uni[i % k] += n;
                }
            }
            (e, uni)
        };
        let (e1, u1) = lift(&fine, settings.classes[0], &edges);
        let mid_of_fine = exchange(
            settings.classes[0],
            &u1,
            &e1,
            settings.classes[1],
            settings,
            &mut |_| {},
        );
        let mid: Vec<u16> = fine.iter().map(|&c| mid_of_fine[c as usize]).collect();
        let (e2, u2) = lift(&mid, settings.classes[1], &edges);
        let coarse_of_mid = exchange(
            settings.classes[1],
            &u2,
            &e2,
            settings.classes[2],
            settings,
            &mut |_| {},
        );
        let mut out = Vec::with_capacity(v);
        for (new, &old) in order.iter().enumerate() {
            let f = fine[new];
            let m = mid[new];
            out.push((
                key32(str_hash(&self.words[old as usize])),
                [f, m, coarse_of_mid[m as usize]],
            ));
        }
        Clusters::from_pairs(out)
    }
}

#[inline]
fn g(x: f64) -> f64 {
    if x > 0.0 {
        x * x.ln()
    } else {
        0.0
    }
}

/// The exchange algorithm: assigns each of `n` items (with unigram counts
/// and bigram `edges` `(left, right, count)`) to one of `k` classes so as to
/// maximise the class bigram likelihood
/// `sum g(N(c, d)) - 2 sum g(N(c))`, with `g(x) = x ln x`.
fn exchange(
    n: usize,
    unigram: &[f64],
    edges: &[(u32, u32, f64)],
    k: usize,
    settings: &ClusterSettings,
    progress: &mut dyn FnMut(&str),
) -> Vec<u16> {
    let k = k.clamp(1, n.max(1)).min(u16::MAX as usize - 1);
    // Adjacency lists, both ways.
    let mut succ: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    let mut selfc = vec![0f64; n];
    for &(a, b, c) in edges {
        if a == b {
            selfc[a as usize] += c;
        } else {
            succ[a as usize].push((b, c));
            pred[b as usize].push((a, c));
        }
    }
    // Items in order of frequency; the most frequent start in classes of
    // their own, the rest are dealt round-robin.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| unigram[b].total_cmp(&unigram[a]).then(a.cmp(&b)));
    let mut cls = vec![0u16; n];
    for (r, &i) in order.iter().enumerate() {
        cls[i] = (r % k) as u16;
    }
    let mut m = vec![0f64; k * k];
    let mut nc = vec![0f64; k];
    for &(a, b, c) in edges {
        m[cls[a as usize] as usize * k + cls[b as usize] as usize] += c;
    }
    for i in 0..n {
        nc[cls[i] as usize] += unigram[i];
    }
    // `gm` caches g of every class bigram count: one logarithm per term.
    let mut gm: Vec<f64> = m.iter().map(|&x| g(x)).collect();
    let mut rng = Rng::new(settings.seed);
    let mut s = vec![0f64; k];
    let mut p = vec![0f64; k];
    let (mut sl, mut pl): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut delta = vec![0f64; k];
    for it in 0..settings.iterations {
        let mut moved = 0usize;
        // Shuffle within the frequency order a little: a fixed order can
        // cycle, and a seeded one keeps runs reproducible.
        let mut visit = order.clone();
        if it > 0 {
            rng.shuffle(&mut visit);
        }
        for &w in &visit {
            let a = cls[w] as usize;
            sl.clear();
            pl.clear();
            for &(v, c) in &succ[w] {
                let d = cls[v as usize] as usize;
                if s[d] == 0.0 {
                    sl.push(d);
                }
                s[d] += c;
            }
            for &(u, c) in &pred[w] {
                let d = cls[u as usize] as usize;
                if p[d] == 0.0 {
                    pl.push(d);
                }
                p[d] += c;
            }
            let sw = selfc[w];
            // Take w out of its class.
            for &d in &sl {
                m[a * k + d] -= s[d];
                gm[a * k + d] = g(m[a * k + d]);
            }
            for &c in &pl {
                m[c * k + a] -= p[c];
                gm[c * k + a] = g(m[c * k + a]);
            }
            m[a * k + a] -= sw;
            gm[a * k + a] = g(m[a * k + a]);
            nc[a] -= unigram[w];
            // The gain of putting it into each class.
            let nw = unigram[w];
            for (b, db) in delta.iter_mut().enumerate() {
                let mut x = -2.0 * (g(nc[b] + nw) - g(nc[b]));
                for &d in &sl {
                    if d != b {
                        x += g(m[b * k + d] + s[d]) - gm[b * k + d];
                    }
                }
                for &c in &pl {
                    if c != b {
                        x += g(m[c * k + b] + p[c]) - gm[c * k + b];
                    }
                }
                x += g(m[b * k + b] + s[b] + p[b] + sw) - gm[b * k + b];
                *db = x;
            }
            let mut best = a;
            for b in 0..k {
                if delta[b] > delta[best] + 1e-9 {
                    best = b;
                }
            }
            if best != a {
                moved += 1;
            }
            let b = best;
            for &d in &sl {
                m[b * k + d] += s[d];
                gm[b * k + d] = g(m[b * k + d]);
            }
            for &c in &pl {
                m[c * k + b] += p[c];
                gm[c * k + b] = g(m[c * k + b]);
            }
            m[b * k + b] += sw;
            gm[b * k + b] = g(m[b * k + b]);
            nc[b] += nw;
            cls[w] = b as u16;
            for &d in &sl {
                s[d] = 0.0;
            }
            for &c in &pl {
                p[c] = 0.0;
            }
        }
        progress(&format!(
            "clusters: pass {} of {}, {moved} of {n} moved",
            it + 1,
            settings.iterations
        ));
        if moved == 0 {
            break;
        }
    }
    cls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let mut b = ClusterBuilder::default();
        let animals = ["cat", "dog", "horse"];
        let verbs = ["sleeps", "runs", "eats"];
        for (i, a) in animals.iter().enumerate() {
            for (j, v) in verbs.iter().enumerate() {
                for _ in 0..(1 + (i + j) % 2) {
                    b.add_sentence(&["the", a, v, "."]);
                    b.add_sentence(&["a", a, v, "today", "."]);
                }
            }
        }
        let s = ClusterSettings {
            classes: [4, 2, 1],
            min_count: 1,
            ..ClusterSettings::default()
        };
        let c = b.build(&s, &mut |_| {});
        assert_eq!(c.get("cat")[0], c.get("Dog")[0]);
        assert_eq!(c.get("runs")[0], c.get("eats")[0]);
        assert_ne!(c.get("cat")[0], c.get("runs")[0]);
        assert_eq!(c.get("unseen"), [NO_CLUSTER; 3]);
        let mut w = ByteWriter::default();
        c.write(&mut w);
        let bytes = w.into_inner();
        let c2 = Clusters::read(&mut ByteReader::new(&bytes)).unwrap();
        assert_eq!(c2.get("horse"), c.get("horse"));
    }
}
