//! Boundary evaluation against UD treebanks, the way the CoNLL 2018 shared
//! task scores raw-text systems: rebuild the raw text from the gold words, run
//! our tokenizer and sentence splitter on it, and match character spans.

use crate::boundary::Model;
use crate::sentences::{sentence_ends, split_sentences};
use crate::tokenize::tokenize;
use annalist_doc::{conllu, Doc};
use std::ops::Range;

/// Precision, recall and F1 of one kind of span, with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Prf {
    /// Scores from the three counts; empty sets score zero, not NaN.
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, predicted);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            gold,
            predicted,
            correct,
        }
    }
}

/// Token (syntactic word) and sentence boundary scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BoundaryScores {
    pub tokens: Prf,
    pub sentences: Prf,
}

/// The raw text rebuilt from gold sentences, with the gold spans in it.
#[derive(Debug, Clone, Default)]
pub struct GoldText {
    pub text: String,
    /// Byte spans of the gold syntactic words, in order.
    pub words: Vec<Range<usize>>,
    /// Byte spans of the gold sentences, in order.
    pub sentences: Vec<Range<usize>>,
}

/// Whether a comment line opens a new document or paragraph.
///
/// GUM also has `newpar_block = ...` comments, which describe the block and
/// are not boundaries themselves, so the key must match exactly.
fn opens_paragraph(comment: &str) -> bool {
    let key = comment.split('=').next().unwrap_or("").trim();
    key == "newpar" || key == "newdoc" || key == "newpar id" || key == "newdoc id"
}

/// Rebuilds the raw text as the CoNLL 2018 scorer's raw input does: words
/// joined per `SpaceAfter=No` (multi-word tokens by their surface form),
/// sentences joined by one space inside a paragraph and by a blank line
/// between paragraphs and documents.
pub fn gold_text(gold: &[conllu::Sentence]) -> GoldText {
    let mut out = GoldText::default();
    for sent in gold {
        if !out.text.is_empty() {
            if sent.comments.iter().any(|c| opens_paragraph(c)) {
                out.text.push_str("\n\n");
            } else {
                out.text.push(' ');
            }
        }
        let sent_start = out.text.len();
        let mut i = 0;
        while i < sent.words.len() {
            let id = i + 1;
            let mw = sent
                .multiwords
                .iter()
                .find(|m| m.first == id && m.last >= m.first && m.last <= sent.words.len());
            let (no_space, next) = match mw {
                Some(m) => {
                    let parts = &sent.words[m.first - 1..m.last];
                    let joined: String = parts.iter().map(|w| w.form.as_str()).collect();
                    let at = out.text.len();
                    out.text.push_str(&m.form);
                    if joined == m.form {
                        // The words concatenate to the surface: each gets its span.
                        let mut p = at;
                        for w in parts {
                            out.words.push(p..p + w.form.len());
                            p += w.form.len();
                        }
                    } else {
                        out.words.push(at..out.text.len());
                    }
                    let no_space = m.misc.split('|').any(|f| f == "SpaceAfter=No");
                    (no_space, m.last)
                }
                None => {
                    let w = &sent.words[i];
                    let at = out.text.len();
                    out.text.push_str(&w.form);
                    out.words.push(at..out.text.len());
                    (w.no_space_after(), id)
                }
            };
            if next < sent.words.len() && !no_space {
                out.text.push(' ');
            }
            i = next;
        }
        if out.text.len() > sent_start {
            out.sentences.push(sent_start..out.text.len());
        }
    }
    out
}

/// The token and sentence spans our tokenizer and splitter find in `text`.
pub fn predict(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut doc = Doc::new("eval", text);
    tokenize(&mut doc);
    split_sentences(&mut doc);
    spans(&doc)
}

/// Like [`predict`], with `model` adding boundaries to the rules (the rules
/// alone when it is `None`) instead of the compiled-in model.
pub fn predict_with(text: &str, model: Option<&Model>) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut doc = Doc::new("eval", text);
    tokenize(&mut doc);
    let ends = sentence_ends(&doc, model);
    let mut sentences = Vec::new();
    let mut start = 0;
    for (k, &e) in ends.iter().enumerate() {
        if e || k + 1 == ends.len() {
            sentences.push(doc.token_range_span(start..k + 1));
            start = k + 1;
        }
    }
    let tokens = (0..doc.tokens.len()).map(|i| doc.tokens.span(i)).collect();
    (tokens, sentences)
}

/// Scores `model` (or the rules alone) on gold UD sentences.
pub fn boundary_scores_with(gold: &[conllu::Sentence], model: Option<&Model>) -> BoundaryScores {
    let g = gold_text(gold);
    let (tokens, sentences) = predict_with(&g.text, model);
    BoundaryScores {
        tokens: Prf::from_counts(g.words.len(), tokens.len(), matching(&g.words, &tokens)),
        sentences: Prf::from_counts(
            g.sentences.len(),
            sentences.len(),
            matching(&g.sentences, &sentences),
        ),
    }
}

/// The token and sentence spans of a tokenized and split doc.
fn spans(doc: &Doc) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let tokens = (0..doc.tokens.len()).map(|i| doc.tokens.span(i)).collect();
    let sentences = doc
        .sentences
        .iter()
        .map(|s| doc.token_range_span(s.tokens()))
        .collect();
    (tokens, sentences)
}

/// How many spans two sorted span lists share exactly.
fn matching(gold: &[Range<usize>], pred: &[Range<usize>]) -> usize {
    let key = |r: &Range<usize>| (r.start, r.end);
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < gold.len() && j < pred.len() {
        match key(&gold[i]).cmp(&key(&pred[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Scores our tokenizer and sentence splitter on gold UD sentences.
pub fn boundary_scores(gold: &[conllu::Sentence]) -> BoundaryScores {
    let g = gold_text(gold);
    let (tokens, sentences) = predict(&g.text);
    BoundaryScores {
        tokens: Prf::from_counts(g.words.len(), tokens.len(), matching(&g.words, &tokens)),
        sentences: Prf::from_counts(
            g.sentences.len(),
            sentences.len(),
            matching(&g.sentences, &sentences),
        ),
    }
}
