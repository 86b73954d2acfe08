//! Training and cross-validating the learned event coder on annotated
//! articles: the pipeline annotates each article through its actors once,
//! the rule coder adds its events, and the examples of every article are
//! extracted once; folds then train on any subset without re-parsing.

use crate::Pipeline;
use annalist_doc::{Doc, Record};
use annalist_events::train::{examples, train, Examples, GoldArticle, TrainSettings};
use annalist_events::EventModel;
use annalist_ingest::Document;

/// An annotated article made ready for training: its doc through actors,
/// with the lexicon rules' events (what the learned coder reads), and its
/// examples.
pub struct Prepared {
    pub gold: GoldArticle,
    pub doc: Doc,
    pub examples: Examples,
}

/// Annotates `articles` through actors and extracts their examples, on
/// `threads` threads, in input order.
pub fn prepare(pipeline: &Pipeline, articles: Vec<GoldArticle>, threads: usize) -> Vec<Prepared> {
    let threads = threads.max(1);
    let chunk = articles.len().div_ceil(threads).max(1);
    let mut slots: Vec<Option<Prepared>> = Vec::new();
    let mut pending: Vec<Vec<GoldArticle>> = Vec::new();
    let mut it = articles.into_iter().peekable();
    while it.peek().is_some() {
        pending.push(it.by_ref().take(chunk).collect());
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = pending
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    part.into_iter()
                        .map(|g| prepare_one(pipeline, g))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            slots.extend(
                h.join()
                    .expect("a preparing thread panicked")
                    .into_iter()
                    .map(Some),
            );
        }
    });
    slots.into_iter().flatten().collect()
}

fn prepare_one(pipeline: &Pipeline, gold: GoldArticle) -> Prepared {
    let input = Document {
        doc_id: Some(gold.doc_id.clone()),
        text: gold.text.clone(),
        url: gold.url.clone(),
        publisher: gold.publisher.clone(),
        license: gold.license.clone(),
        published: gold.published.clone(),
        title: gold.title.clone(),
        ..Document::default()
    };
    let mut doc = Pipeline::doc_of(input);
    pipeline.annotate_through_actors(&mut doc);
    let coder = pipeline.coder();
    coder.annotate_rules(&mut doc);
    let examples = examples(&doc, &gold.events, coder.clusters(), coder.rules());
    Prepared {
        gold,
        doc,
        examples,
    }
}

/// Trains the event model on `docs`.
pub fn train_model(docs: &[&Prepared], settings: &TrainSettings, meta: String) -> EventModel {
    let ex: Vec<&Examples> = docs.iter().map(|p| &p.examples).collect();
    train(&ex, settings, meta)
}

/// The fold (of `k`) an article falls in: a hash of its id, so that an
/// article keeps its fold when others are added.
pub fn fold_of(doc_id: &str, k: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % k.max(1) as u64) as usize
}

/// Cross-validation: every article coded by a model trained on the other
/// folds (on `fraction` of their articles, for a learning curve). Returns
/// the records in input order.
pub fn cross_validate(
    pipeline: &Pipeline,
    docs: &[Prepared],
    k: usize,
    fraction: f64,
    settings: &TrainSettings,
) -> Vec<Record> {
    let mut records: Vec<Option<Record>> = vec![None; docs.len()];
    for fold in 0..k {
        let training: Vec<&Prepared> = docs
            .iter()
            .filter(|p| fold_of(&p.gold.doc_id, k) != fold)
            .enumerate()
            .filter(|(i, _)| keep(*i, fraction))
            .map(|(_, p)| p)
            .collect();
        let model = train_model(&training, settings, String::from("{}"));
        let coder = pipeline.coder();
        for (i, p) in docs.iter().enumerate() {
            if fold_of(&p.gold.doc_id, k) != fold {
                continue;
            }
            // The rules' events were coded once, when the corpus was
            // prepared; the learned coder reads and replaces them.
            let mut doc = p.doc.clone();
            coder.annotate_learned(&model, &mut doc);
            pipeline.finish(&mut doc);
            records[i] = Some(doc.to_record());
        }
    }
    records.into_iter().flatten().collect()
}

/// Whether the `i`-th training article is kept when training on `fraction`
/// of them (an even spread, the same articles each time).
fn keep(i: usize, fraction: f64) -> bool {
    if fraction >= 1.0 {
        return true;
    }
    (i as f64 * fraction).floor() != ((i + 1) as f64 * fraction).floor()
}
