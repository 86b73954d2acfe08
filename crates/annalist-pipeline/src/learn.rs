//! Training and cross-validating the learned event coder on annotated
//! articles: the pipeline annotates each article through its actors once,
//! the rule coder adds its events, and the examples of every article are
//! extracted once; folds then train on any subset without re-parsing.

use crate::Pipeline;
use annalist_actors::fallback;
use annalist_doc::{Doc, Record};
use annalist_events::normal_country;
use annalist_events::train::{
    examples, place_accuracy, side_accuracy, train, trigger_counts, Examples, GoldArticle,
    TrainSettings, TriggerCounts,
};
use annalist_events::EventModel;
use annalist_ingest::Document;

/// An annotated article made ready for training: its doc through actors,
/// with the lexicon rules' events (what the learned coder reads), and its
/// examples.
pub struct Prepared {
    pub gold: GoldArticle,
    pub doc: Doc,
    pub examples: Examples,
    /// Its actors without a country, with the annotated one (what the
    /// country ranker learns from).
    pub countries: Vec<fallback::Example>,
}

/// The folds of the country ranker's cross-fitting in [`prepare`].
const COUNTRY_FOLDS: usize = 5;

/// Annotates `articles` through actors and extracts their examples, on
/// `threads` threads, in input order.
///
/// The country ranker is cross-fitted: each article's actors get their
/// countries from a ranker trained on the other folds (by [`fold_of`]), so
/// that the event coder trains and is scored on what it meets on unseen
/// text, and cross-validated actor figures are honest.
pub fn prepare(pipeline: &Pipeline, articles: Vec<GoldArticle>, threads: usize) -> Vec<Prepared> {
    let mut docs: Vec<(GoldArticle, Doc, Vec<fallback::Example>)> =
        par_map(articles, threads, |gold| {
            let mut doc = Pipeline::doc_of(document_of(&gold));
            pipeline.annotate_through_actors_unranked(&mut doc);
            let countries = fallback::examples(&doc, &gold_sides(&gold));
            (gold, doc, countries)
        });
    for fold in 0..COUNTRY_FOLDS {
        let training: Vec<&fallback::Example> = docs
            .iter()
            .filter(|(g, _, _)| fold_of(&g.doc_id, COUNTRY_FOLDS) != fold)
            .flat_map(|(_, _, c)| c)
            .collect();
        let model = fallback::train(&training, COUNTRY_EPOCHS, String::from("{}"));
        for (g, doc, _) in docs.iter_mut() {
            if fold_of(&g.doc_id, COUNTRY_FOLDS) == fold {
                // The learned coder is trained and cross-validated with the
                // policy it codes with.
                fallback::apply(&model, doc, fallback::CountryPolicy::Ranked);
            }
        }
    }
    par_map(docs, threads, |(gold, mut doc, countries)| {
        let coder = pipeline.coder();
        coder.annotate_rules(&mut doc);
        let examples = examples(&doc, &gold.events, coder.clusters(), coder.rules());
        Prepared {
            gold,
            doc,
            examples,
            countries,
        }
    })
}

/// Passes of the country ranker over its training data.
const COUNTRY_EPOCHS: usize = 5;

/// The country ranker trained on every article of `docs`.
pub fn train_country_model(docs: &[Prepared], meta: String) -> fallback::CountryModel {
    let all: Vec<&fallback::Example> = docs.iter().flat_map(|p| &p.countries).collect();
    fallback::train(&all, COUNTRY_EPOCHS, meta)
}

/// The annotated sides of `gold`: their words and country.
fn gold_sides(gold: &GoldArticle) -> Vec<(String, String)> {
    gold.events
        .iter()
        .flat_map(|e| [&e.source, &e.target])
        .flatten()
        .filter_map(|s| Some((s.text.clone()?, s.country.clone()?)))
        .filter(|(t, _)| !t.is_empty())
        .collect()
}

/// The input document of an annotated article.
fn document_of(gold: &GoldArticle) -> Document {
    Document {
        doc_id: Some(gold.doc_id.clone()),
        text: gold.text.clone(),
        url: gold.url.clone(),
        publisher: gold.publisher.clone(),
        license: gold.license.clone(),
        published: gold.published.clone(),
        title: gold.title.clone(),
        ..Document::default()
    }
}

/// `f` over `items` on `threads` threads, in input order.
fn par_map<T: Send, U: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let threads = threads.max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut it = items.into_iter().peekable();
    while it.peek().is_some() {
        parts.push(it.by_ref().take(chunk).collect());
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a preparing thread panicked"))
            .collect()
    })
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

/// What cross-validation gives: the records, and how often the side model
/// named the annotated sides where the trigger and type were given.
pub struct CrossValidated {
    /// The records, in input order.
    pub records: Vec<Record>,
    /// Annotated events whose sides the held-out side model ranked best,
    /// and annotated events with sides among the candidates.
    pub sides: (usize, usize),
    /// Annotated events with a location whose country the held-out place
    /// model chose, given the annotated trigger and sides, and annotated
    /// events with a place of that country among the candidates.
    pub places: (usize, usize),
    /// The held-out trigger model's decisions at the annotated words.
    pub triggers: TriggerCounts,
    /// Each annotated sentence coded alone, as a one-sentence input.
    pub sentences: SentenceScores,
}

/// How the coders do on annotated sentences coded alone (the shape of
/// PLOVER's sentence sets and of headlines): for each sentence, whether
/// some event has the type of its first annotated event, and also its
/// parties (either order), as `score.py gsr` counts them.
#[derive(Debug, Default, Clone, Copy)]
pub struct SentenceScores {
    pub sentences: usize,
    pub rules_type: usize,
    pub rules_parties: usize,
    pub learned_type: usize,
    pub learned_parties: usize,
}

/// The countries of actors `ids` of `doc`, as the scorer reads them.
fn countries_of(doc: &Doc, ids: &[u32]) -> std::collections::BTreeSet<String> {
    ids.iter()
        .filter_map(|&a| doc.actors.get(a as usize)?.country.as_deref())
        .map(|c| normal_country(c).to_string())
        .collect()
}

/// Scores `doc`'s events against one annotated event: (type, parties).
fn sentence_hit(doc: &Doc, gold: &annalist_events::train::GoldEvent) -> (bool, bool) {
    let mut parties = std::collections::BTreeSet::new();
    for side in [&gold.source, &gold.target].into_iter().flatten() {
        parties.extend(
            side.country
                .as_deref()
                .map(|c| normal_country(c).to_string()),
        );
    }
    let typed: Vec<_> = doc.events.iter().filter(|e| e.kind == gold.kind).collect();
    let both = typed.iter().any(|e| {
        let mut p = countries_of(doc, &e.source);
        p.extend(countries_of(doc, &e.target));
        p == parties
    });
    (!typed.is_empty(), both)
}

/// Codes each annotated sentence of `p` alone with the rules and with
/// `model`, and counts the hits into `out`.
fn score_sentences(
    pipeline: &Pipeline,
    model: &EventModel,
    p: &Prepared,
    out: &mut SentenceScores,
) {
    let coder = pipeline.coder();
    let mut seen = std::collections::HashSet::new();
    for g in &p.gold.events {
        if g.evidence.is_empty() || !seen.insert(g.evidence.as_str()) {
            continue;
        }
        let mut doc = Pipeline::doc_of(Document {
            text: g.evidence.clone(),
            publisher: p.gold.publisher.clone(),
            ..Document::default()
        });
        pipeline.annotate_through_actors(&mut doc);
        coder.annotate_rules(&mut doc);
        let (t, d) = sentence_hit(&doc, g);
        out.rules_type += usize::from(t);
        out.rules_parties += usize::from(d);
        coder.annotate_learned(model, &mut doc);
        let (t, d) = sentence_hit(&doc, g);
        out.learned_type += usize::from(t);
        out.learned_parties += usize::from(d);
        out.sentences += 1;
    }
}

/// Cross-validation: every article coded by a model trained on the other
/// folds (on `fraction` of their articles, for a learning curve); with
/// `sentences`, each annotated sentence is also coded alone, by the rules
/// and by the fold's model.
pub fn cross_validate(
    pipeline: &Pipeline,
    docs: &[Prepared],
    k: usize,
    fraction: f64,
    settings: &TrainSettings,
    sentences_alone: bool,
) -> CrossValidated {
    let mut records: Vec<Option<Record>> = vec![None; docs.len()];
    let mut sides = (0, 0);
    let mut places = (0, 0);
    let mut triggers = TriggerCounts::default();
    let mut sentences = SentenceScores::default();
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
            if sentences_alone {
                score_sentences(pipeline, &model, p, &mut sentences);
            }
            let (right, total) = side_accuracy(&model, &p.examples);
            sides.0 += right;
            sides.1 += total;
            let (right, total) = place_accuracy(&model, &p.examples);
            places.0 += right;
            places.1 += total;
            triggers += trigger_counts(&model, &p.examples);
            let mut doc = p.doc.clone();
            coder.annotate_learned(&model, &mut doc);
            pipeline.finish(&mut doc);
            records[i] = Some(doc.to_record());
        }
    }
    CrossValidated {
        records: records.into_iter().flatten().collect(),
        sides,
        places,
        triggers,
        sentences,
    }
}

/// Whether the `i`-th training article is kept when training on `fraction`
/// of them (an even spread, the same articles each time).
fn keep(i: usize, fraction: f64) -> bool {
    if fraction >= 1.0 {
        return true;
    }
    (i as f64 * fraction).floor() != ((i + 1) as f64 * fraction).floor()
}
