//! Treebank sentences as the trainers see them, and scoring helpers.

use annalist_doc::conllu;
use annalist_doc::{DepRel, Doc, Upos, Xpos, ROOT};
use std::ops::Range;

/// One sentence of a treebank: forms and gold (or predicted) annotations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sent {
    pub words: Vec<String>,
    pub upos: Vec<Upos>,
    pub xpos: Vec<Xpos>,
    pub lemma: Vec<String>,
    /// 0-based head index within the sentence, or [`ROOT`].
    pub head: Vec<u32>,
    pub deprel: Vec<DepRel>,
}

impl Sent {
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }

    /// The sentence from CoNLL-U syntactic words. A head outside the
    /// sentence is read as the root, so a malformed tree cannot break a
    /// trainer or scorer.
    pub fn from_conllu(s: &conllu::Sentence) -> Sent {
        let n = s.words.len();
        let mut out = Sent::default();
        for w in &s.words {
            out.words.push(w.form.clone());
            out.upos.push(Upos::from_str_lossy(&w.upos));
            out.xpos.push(Xpos::from_str_lossy(&w.xpos));
            out.lemma.push(w.lemma.clone());
            out.head.push(if w.head == 0 || w.head > n {
                ROOT
            } else {
                (w.head - 1) as u32
            });
            out.deprel.push(DepRel::from_str_lossy(&w.deprel));
        }
        out
    }
}

/// Reads every sentence of CoNLL-U text.
pub fn sents_from_conllu(text: &str) -> Result<Vec<Sent>, conllu::ConlluError> {
    Ok(conllu::parse(text)?.iter().map(Sent::from_conllu).collect())
}

/// A stable hash of training text (FNV-1a), recorded in model metadata.
pub fn corpus_hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The token ranges to tag and parse one at a time: the doc's sentences,
/// plus any tokens no sentence covers (each gap as its own segment), so that
/// every token gets annotated even if the splitter left some out.
pub fn segments(doc: &Doc) -> Vec<Range<usize>> {
    let n = doc.tokens.len();
    let mut out = Vec::with_capacity(doc.sentences.len() + 1);
    let mut at = 0;
    for s in &doc.sentences {
        let (a, b) = (s.start as usize, (s.end as usize).min(n));
        if a < at || a >= b {
            continue;
        }
        if a > at {
            out.push(at..a);
        }
        out.push(a..b);
        at = b;
    }
    if at < n {
        out.push(at..n);
    }
    out
}

/// Accuracy counts for tagging and parsing against gold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UdScores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub uas: usize,
    pub las: usize,
}

impl UdScores {
    /// Adds the comparison of `pred` against `gold` (same words).
    pub fn add(&mut self, gold: &Sent, pred: &Sent) {
        for i in 0..gold.len().min(pred.len()) {
            self.words += 1;
            self.upos += usize::from(gold.upos[i] == pred.upos[i]);
            self.xpos += usize::from(gold.xpos[i] == pred.xpos[i]);
            self.lemma += usize::from(gold.lemma[i] == pred.lemma.get(i).map_or("", |s| s));
            if pred.head.len() == gold.len() {
                let h = gold.head[i] == pred.head[i];
                self.uas += usize::from(h);
                self.las += usize::from(h && gold.deprel[i] == pred.deprel[i]);
            }
        }
    }

    fn pct(&self, n: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.words as f64
        }
    }
    pub fn upos_pct(&self) -> f64 {
        self.pct(self.upos)
    }
    pub fn xpos_pct(&self) -> f64 {
        self.pct(self.xpos)
    }
    pub fn lemma_pct(&self) -> f64 {
        self.pct(self.lemma)
    }
    pub fn uas_pct(&self) -> f64 {
        self.pct(self.uas)
    }
    pub fn las_pct(&self) -> f64 {
        self.pct(self.las)
    }
}
