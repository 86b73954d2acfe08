//! Entity-level scoring: exact span and type match, per label and overall.

use annalist_doc::EntityType;
use std::collections::BTreeMap;

/// Counts of true positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Accumulates entity matches over sentences for a fixed set of labels;
/// spans of other labels (on either side) are ignored.
#[derive(Clone, Debug)]
pub struct Scorer {
    labels: Vec<EntityType>,
    pub per_label: BTreeMap<EntityType, Counts>,
}

impl Scorer {
    pub fn new(labels: &[EntityType]) -> Self {
        Scorer {
            labels: labels.to_vec(),
            per_label: labels.iter().map(|l| (*l, Counts::default())).collect(),
        }
    }

    /// Adds one sentence's gold and predicted spans (token ranges).
    pub fn add(
        &mut self,
        gold: &[(usize, usize, EntityType)],
        pred: &[(usize, usize, EntityType)],
    ) {
        let keep = |s: &&(usize, usize, EntityType)| self.labels.contains(&s.2);
        let g: Vec<_> = gold.iter().filter(keep).copied().collect();
        let p: Vec<_> = pred.iter().filter(keep).copied().collect();
        for s in &p {
            let c = self.per_label.entry(s.2).or_default();
            if g.contains(s) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for s in &g {
            if !p.contains(s) {
                self.per_label.entry(s.2).or_default().fn_ += 1;
            }
        }
    }

    /// Micro-averaged counts over the labels.
    pub fn total(&self) -> Counts {
        self.per_label
            .values()
            .fold(Counts::default(), |a, c| Counts {
                tp: a.tp + c.tp,
                fp: a.fp + c.fp,
                fn_: a.fn_ + c.fn_,
            })
    }
}

/// Scores a model on Universal NER sentences (PER, ORG, LOC): the words
/// are labelled as given, with the file's tokens and sentence breaks.
pub fn evaluate(ner: &crate::Ner, sentences: &[crate::corpus::RawSentence]) -> Scorer {
    let labels = [EntityType::Per, EntityType::Org, EntityType::Loc];
    let mut scorer = Scorer::new(&labels);
    for (s, pred) in sentences.iter().zip(label_documents(ner, sentences)) {
        // The gold spans are scored as written, never harmonised.
        let gold: Vec<(usize, usize, EntityType)> = s
            .spans
            .iter()
            .filter_map(|(a, b, l)| crate::corpus::map_common(l).map(|t| (*a, *b, t)))
            .collect();
        let pred: Vec<(usize, usize, EntityType)> = pred
            .into_iter()
            .map(|x| (x.start as usize, x.end as usize, x.label))
            .collect();
        scorer.add(&gold, &pred);
    }
    scorer
}

/// Labels sentences document by document (consecutive sentences with the
/// same `doc`), as [`crate::Ner::label_document`] does.
pub fn label_documents(
    ner: &crate::Ner,
    sentences: &[crate::corpus::RawSentence],
) -> Vec<Vec<annalist_doc::EntitySpan>> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut i = 0;
    while i < sentences.len() {
        let mut j = i + 1;
        while j < sentences.len() && sentences[j].doc == sentences[i].doc {
            j += 1;
        }
        let words: Vec<Vec<&str>> = sentences[i..j]
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        out.extend(ner.label_document(&words));
        i = j;
    }
    out
}

/// A fixed-width table of P/R/F1 per label and overall.
pub fn report(scorer: &Scorer) -> String {
    let mut out = format!(
        "{:<8}{:>8}{:>8}{:>8}{:>8}{:>8}{:>8}\n",
        "label", "P", "R", "F1", "tp", "fp", "fn"
    );
    let mut row = |name: &str, c: &Counts| {
        out.push_str(&format!(
            "{:<8}{:>8.3}{:>8.3}{:>8.3}{:>8}{:>8}{:>8}\n",
            name,
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        ));
    };
    for (l, c) in &scorer.per_label {
        row(l.as_str(), c);
    }
    row("ALL", &scorer.total());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_only() {
        let mut s = Scorer::new(&[EntityType::Per, EntityType::Loc]);
        s.add(
            &[(0, 2, EntityType::Per), (4, 5, EntityType::Loc)],
            &[
                (0, 1, EntityType::Per),
                (4, 5, EntityType::Loc),
                (6, 7, EntityType::Norp),
            ],
        );
        let t = s.total();
        assert_eq!((t.tp, t.fp, t.fn_), (1, 1, 1));
        assert!((t.f1() - 0.5).abs() < 1e-9);
    }
}
