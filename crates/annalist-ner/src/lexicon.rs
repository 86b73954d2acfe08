//! Word statistics from unlabelled news: how often a word is capitalised
//! inside a sentence, and distributional word clusters.
//!
//! Both are computed by the trainer from raw text and stored in the model.
//! The capitalisation prior tells "Huawei" (always capitalised) from "Apple"
//! or "Will" (often not); clusters group words that occur in the same
//! contexts ("Huawei" with "Samsung"), so that a name seen in training
//! lends its weights to names never seen there.

use crate::features::normalise;
use std::collections::HashMap;

/// Per-word statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordStats {
    /// Capitalisation bucket (0: nearly never capitalised mid-sentence …
    /// 5: nearly always).
    pub cap: u8,
    /// Fine and coarse cluster ids; `u16::MAX` when the word is too rare.
    pub fine: u16,
    pub coarse: u16,
}

pub const NO_CLUSTER: u16 = u16::MAX;

/// Word → statistics, keyed by the normalised word (see
/// [`normalise`](crate::features::normalise)).
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub(crate) map: crate::StrMap<WordStats>,
}

#[derive(Clone, Debug)]
pub struct LexiconConfig {
    /// Words seen fewer times get no entry.
    pub min_count: u32,
    /// The most frequent words that are clustered.
    pub cluster_words: usize,
    /// Context words (most frequent) that describe a word's neighbours.
    pub context_words: usize,
    pub fine_k: usize,
    pub coarse_k: usize,
    pub iterations: usize,
}

impl Default for LexiconConfig {
    fn default() -> Self {
        LexiconConfig {
            min_count: 5,
            cluster_words: 30_000,
            context_words: 300,
            fine_k: 384,
            coarse_k: 48,
            iterations: 10,
        }
    }
}

fn cap_bucket(capitalised: u32, total: u32) -> u8 {
    if total == 0 {
        return 0;
    }
    let r = f64::from(capitalised) / f64::from(total);
    match r {
        r if r < 0.02 => 0,
        r if r < 0.2 => 1,
        r if r < 0.5 => 2,
        r if r < 0.8 => 3,
        r if r < 0.98 => 4,
        _ => 5,
    }
}

/// Splits raw text into word tokens for the statistics: whitespace-separated
/// pieces with surrounding punctuation removed, each flagged when it starts
/// a sentence (first of a line or after `.`, `!`, `?`, `:` or a quote).
fn words(text: &str, mut f: impl FnMut(&str, bool)) {
    for line in text.lines() {
        let mut initial = true;
        for raw in line.split_whitespace() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let starts_quote = raw.starts_with(['"', '“', '‘', '\'', '(']);
            if !w.is_empty() {
                // A possessive stays with its word in the count.
                let w = w
                    .strip_suffix("'s")
                    .or_else(|| w.strip_suffix("’s"))
                    .unwrap_or(w);
                f(w, initial || starts_quote);
            }
            initial = raw.ends_with(['.', '!', '?', ':', '"', '”']);
        }
    }
}

impl Lexicon {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn get(&self, normalised: &str) -> Option<WordStats> {
        self.map.get(normalised).copied()
    }

    /// Every entry, sorted by word (for writing a model file).
    pub fn entries(&self) -> Vec<(&str, WordStats)> {
        let mut v: Vec<(&str, WordStats)> =
            self.map.iter().map(|(k, s)| (k.as_str(), *s)).collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    pub(crate) fn insert(&mut self, word: String, stats: WordStats) {
        self.map.insert(word, stats);
    }

    /// Builds the statistics from documents of raw text.
    pub fn build<'a>(docs: impl Iterator<Item = &'a str> + Clone, cfg: &LexiconConfig) -> Lexicon {
        // Pass 1: counts, capitalisation.
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut count: Vec<u32> = Vec::new();
        let mut mid: Vec<u32> = Vec::new();
        let mut mid_cap: Vec<u32> = Vec::new();
        for d in docs.clone() {
            words(d, |w, initial| {
                let key = normalise(w);
                let id = *ids.entry(key).or_insert_with(|| {
                    count.push(0);
                    mid.push(0);
                    mid_cap.push(0);
                    (count.len() - 1) as u32
                }) as usize;
                count[id] += 1;
                if !initial {
                    mid[id] += 1;
                    if w.chars().next().is_some_and(char::is_uppercase) {
                        mid_cap[id] += 1;
                    }
                }
            });
        }
        let mut by_freq: Vec<(u32, &String)> = ids
            .iter()
            .filter(|(_, id)| count[**id as usize] >= cfg.min_count)
            .map(|(w, id)| (count[*id as usize], w))
            .collect();
        by_freq.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));

        // Pass 2: neighbour counts of the clustered words over the context words.
        let nv = cfg.cluster_words.min(by_freq.len());
        let nc = cfg.context_words.min(by_freq.len());
        let mut vrow: HashMap<&str, usize> = HashMap::new();
        for (i, (_, w)) in by_freq.iter().take(nv).enumerate() {
            vrow.insert(w.as_str(), i);
        }
        let mut crow: HashMap<&str, usize> = HashMap::new();
        for (i, (_, w)) in by_freq.iter().take(nc).enumerate() {
            crow.insert(w.as_str(), i);
        }
        // Context slots: nc words + "other" + "edge", on each side.
        let side = nc + 2;
        let dim = 2 * side;
        let mut vecs = vec![0f32; nv * dim];
        for d in docs {
            let mut toks: Vec<String> = Vec::new();
            words(d, |w, _| toks.push(normalise(w)));
            for i in 0..toks.len() {
                let Some(&r) = vrow.get(toks[i].as_str()) else {
                    continue;
                };
                let ctx = |j: Option<usize>| match j {
                    None => nc + 1,
                    Some(j) => crow.get(toks[j].as_str()).copied().unwrap_or(nc),
                };
                let l = ctx(i.checked_sub(1));
                let rr = ctx((i + 1 < toks.len()).then_some(i + 1));
                vecs[r * dim + l] += 1.0;
                vecs[r * dim + side + rr] += 1.0;
            }
        }
        // Hellinger: each side a distribution, square-rooted, so frequent
        // and rare words compare by the shape of their contexts.
        for r in 0..nv {
            for s in 0..2 {
                let row = &mut vecs[r * dim + s * side..r * dim + (s + 1) * side];
                let total: f32 = row.iter().sum();
                if total > 0.0 {
                    for x in row.iter_mut() {
                        *x = (*x / total).sqrt() / std::f32::consts::SQRT_2;
                    }
                }
            }
        }
        let fine = kmeans(&vecs, nv, dim, cfg.fine_k, cfg.iterations);
        let coarse = kmeans(&vecs, nv, dim, cfg.coarse_k, cfg.iterations);

        let mut lex = Lexicon::default();
        for (rank, (_, w)) in by_freq.iter().enumerate() {
            let id = ids[*w] as usize;
            let (f, c) = if rank < nv {
                (fine[rank], coarse[rank])
            } else {
                (NO_CLUSTER, NO_CLUSTER)
            };
            lex.map.insert(
                (*w).clone(),
                WordStats {
                    cap: cap_bucket(mid_cap[id], mid[id]),
                    fine: f,
                    coarse: c,
                },
            );
        }
        lex
    }
}

/// The `text` fields of a gzipped JSON Lines file (the news corpus), less
/// the articles that quote wire agencies: their passages may not be the
/// publisher's to license, and statistics should come from licensed text.
pub fn texts_from_jsonl_gz(bytes: &[u8]) -> Result<Vec<String>, String> {
    use std::io::Read;
    let mut raw = String::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_string(&mut raw)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let wire = ["Reuters", "AFP", "(AP)", "AP reported", "Associated Press"];
        if wire.iter().any(|w| text.contains(w)) {
            continue;
        }
        out.push(text.to_string());
    }
    Ok(out)
}

impl Lexicon {
    /// A compact serialisation (for caching between training runs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = b"ANNALIST-LEX1".to_vec();
        for (w, st) in self.entries() {
            if w.len() >= 256 {
                continue;
            }
            out.push(w.len() as u8);
            out.extend_from_slice(w.as_bytes());
            out.push(st.cap);
            out.extend_from_slice(&st.fine.to_le_bytes());
            out.extend_from_slice(&st.coarse.to_le_bytes());
        }
        out
    }

    /// Reads [`Lexicon::to_bytes`]; `None` for anything else.
    pub fn from_bytes(b: &[u8]) -> Option<Lexicon> {
        let mut at = b.strip_prefix(b"ANNALIST-LEX1")?;
        let mut lex = Lexicon::default();
        while let Some((&len, rest)) = at.split_first() {
            let len = len as usize;
            if rest.len() < len + 5 {
                return None;
            }
            let w = std::str::from_utf8(&rest[..len]).ok()?;
            let r = &rest[len..];
            lex.insert(
                w.to_string(),
                WordStats {
                    cap: r[0],
                    fine: u16::from_le_bytes([r[1], r[2]]),
                    coarse: u16::from_le_bytes([r[3], r[4]]),
                },
            );
            at = &r[5..];
        }
        Some(lex)
    }
}

/// Spherical k-means (dot product on unit vectors), deterministic: the
/// initial centres are words spread evenly over the frequency ranks.
fn kmeans(vecs: &[f32], n: usize, dim: usize, k: usize, iterations: usize) -> Vec<u16> {
    let k = k.min(n).min(u16::MAX as usize - 1);
    if k == 0 {
        return vec![NO_CLUSTER; n];
    }
    let mut centres: Vec<f32> = Vec::with_capacity(k * dim);
    for c in 0..k {
        let r = c * n / k;
        centres.extend_from_slice(&vecs[r * dim..(r + 1) * dim]);
    }
    let mut assign = vec![0u16; n];
    for _ in 0..iterations {
        for (r, a) in assign.iter_mut().enumerate() {
            let v = &vecs[r * dim..(r + 1) * dim];
            let mut best = f32::NEG_INFINITY;
            for c in 0..k {
                let cv = &centres[c * dim..(c + 1) * dim];
                let s: f32 = v.iter().zip(cv).map(|(a, b)| a * b).sum();
                if s > best {
                    best = s;
                    *a = c as u16;
                }
            }
        }
        centres.iter_mut().for_each(|x| *x = 0.0);
        for (r, a) in assign.iter().enumerate() {
            let c = *a as usize;
            for d in 0..dim {
                centres[c * dim + d] += vecs[r * dim + d];
            }
        }
        for c in 0..k {
            let cv = &mut centres[c * dim..(c + 1) * dim];
            let norm = cv.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                cv.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalisation_prior_and_clusters() {
        let text = "We met Rostam in Shiraz. Then Rostam went home. \
                    We met Darya in Yazd. Then Darya went home. \
                    the cat sat. the dog sat. the cat ran. the dog ran.";
        let docs = [text; 5];
        let cfg = LexiconConfig {
            min_count: 2,
            cluster_words: 50,
            context_words: 10,
            fine_k: 4,
            coarse_k: 2,
            iterations: 5,
        };
        let lex = Lexicon::build(docs.iter().copied(), &cfg);
        assert_eq!(lex.get("rostam").map(|s| s.cap), Some(5));
        assert_eq!(lex.get("cat").map(|s| s.cap), Some(0));
        let (a, b) = (lex.get("rostam").unwrap(), lex.get("darya").unwrap());
        assert_eq!(a.fine, b.fine);
    }
}
