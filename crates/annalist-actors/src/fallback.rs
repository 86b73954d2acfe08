//! The country of an actor the text gives none ("Foreign Ministry spokesman
//! Saeed Khatibzadeh", "the White House official").
//!
//! Two named steps. R-COUNTRY-DOMINANT: where one state has two fifths of
//! the document's evidence (its actors' mentions and its places), a role,
//! or a person or organisation in a story, is of it. R-COUNTRY-RANKED:
//! elsewhere the document's states are ranked, with "unknown", by a linear
//! model trained on the annotated corpus: whether the country is where the
//! story was filed, whether it is named in the actor's sentence, its share
//! and rank, what kind of actor it is, and the outlet (a national outlet's
//! unqualified officials are mostly its nation's).
//!
//! Cross-validated on the corpus (`score.py actors`, 13,759 sides), the
//! dominant rule alone gave actor country 0.835, the ranker alone 0.854 and
//! the two together 0.848; on 3,051 articles (25,832 sides), with nominal
//! actors, the ranker alone 0.904 and the two together 0.899. The ranker
//! alone costs the lexicon-rule coder its development news event F1 (0.552
//! to 0.531), a line `scripts/eval-events.sh` holds, so each coder has its
//! policy ([`CountryPolicy`]): the rules keep the dominant rule first, the
//! learned coder, trained and cross-validated so, uses the ranker alone.
//!
//! The file is an annalist model file of kind `actor-country`, written by
//! `annalist train events` (which reads the same corpus).

use annalist_doc::{Doc, EntityType};
use annalist_models::hash::{f1, f2, f3, str_hash};
use annalist_models::io::{read_model_versions, write_model_version, ByteReader, ByteWriter};
use annalist_models::perceptron::{Averaged, Weights};
use annalist_models::ModelError;

const KIND: &str = "actor-country";
const FORMAT: u32 = 1;

/// The trained ranker.
#[derive(Debug, Clone)]
pub struct CountryModel {
    weights: Weights,
    /// Training provenance (JSON), kept as written.
    pub meta: String,
}

impl CountryModel {
    /// The model built into the binary, or `None` where the build has none.
    pub fn builtin() -> Option<CountryModel> {
        let bytes = include_bytes!("../models/country.bin");
        if bytes.is_empty() {
            return None;
        }
        Some(
            CountryModel::read(bytes)
                .expect("the built-in country model is valid (a test checks it)"),
        )
    }

    /// Reads a model file written by [`CountryModel::write`].
    pub fn read(bytes: &[u8]) -> Result<CountryModel, ModelError> {
        let (_, meta, payload) = read_model_versions(bytes, KIND, &[FORMAT])?;
        let mut r = ByteReader::new(&payload);
        let weights = Weights::read(&mut r)?;
        Ok(CountryModel { weights, meta })
    }

    /// The model file's bytes.
    pub fn write(&self) -> Vec<u8> {
        let mut w = ByteWriter::default();
        self.weights.write(&mut w);
        write_model_version(KIND, FORMAT, &self.meta, &w.into_inner())
    }

    fn score(&self, feats: &[u64]) -> f32 {
        let mut s = [0i32; 1];
        self.weights.score(feats, &mut s);
        s[0] as f32 * self.weights.scale
    }
}

/// The ranked choices for one actor without a country: the document's
/// states, and last "unknown" (`None`).
#[derive(Debug, Clone)]
pub struct Candidates {
    pub actor: u32,
    pub countries: Vec<Option<String>>,
    feats: Vec<Vec<u64>>,
    /// R-COUNTRY-DOMINANT's choice, if it makes one: the state with two
    /// fifths of the evidence, for a role, or for a person or organisation
    /// in a story (six pieces of evidence, or one state named).
    pub rule: Option<String>,
}

/// One actor's candidates with the annotated country, for training.
#[derive(Debug, Clone)]
pub struct Example {
    candidates: Candidates,
    gold: usize,
}

/// The sentence of byte offset `at`.
fn sentence_at(doc: &Doc, at: usize) -> Option<usize> {
    let t = doc.tokens.start.partition_point(|&s| (s as usize) <= at);
    doc.sentence_of(t.checked_sub(1)?)
}

/// The entity label of `a`'s first mention (`None`: role words alone).
fn label(doc: &Doc, a: &annalist_doc::coded::Actor) -> Option<EntityType> {
    a.mentions
        .first()
        .and_then(|&m| doc.entities.get(m as usize))
        .map(|e| e.label)
}

/// The index of the first of the highest `scores`.
fn first_best(scores: impl IntoIterator<Item = f32>) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, s) in scores.into_iter().enumerate() {
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

/// The candidates of every actor of `doc` that has no country and is a
/// person, an organisation or a role ("the spokesman").
pub fn candidates(doc: &Doc) -> Vec<Candidates> {
    // Evidence of what the story is about: each state's actor mentions and
    // places, with their sentences.
    let mut states: Vec<(String, usize, Vec<usize>)> = Vec::new();
    let mut add = |c: &str, sentence: Option<usize>| {
        if c.len() != 3 || annalist_doc::NON_STATE_CODES.contains(&c) {
            return;
        }
        let i = match states.iter().position(|(x, _, _)| x == c) {
            Some(i) => i,
            None => {
                states.push((c.to_string(), 0, Vec::new()));
                states.len() - 1
            }
        };
        states[i].1 += 1;
        states[i].2.extend(sentence);
    };
    for a in &doc.actors {
        let Some(c) = a.country.as_deref() else {
            continue;
        };
        for &m in &a.mentions {
            let s = doc
                .entities
                .get(m as usize)
                .and_then(|e| doc.sentence_of(e.start as usize));
            add(c, s);
        }
    }
    for p in &doc.places {
        if let Some(c) = p.country.as_deref() {
            add(c, p.span.as_ref().and_then(|r| sentence_at(doc, r.start)));
        }
    }
    states.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: usize = states.iter().map(|s| s.1).sum();
    let dateline = doc
        .meta
        .dateline
        .as_ref()
        .and_then(|d| doc.places.iter().find(|p| p.span.as_ref() == Some(&d.span)))
        .and_then(|p| p.country.clone());
    let publisher = str_hash(
        &doc.meta
            .publisher
            .clone()
            .unwrap_or_default()
            .to_lowercase(),
    );
    let size = match total {
        0..=2 => 0,
        3..=5 => 1,
        6..=15 => 2,
        _ => 3,
    };
    let mut out = Vec::new();
    for (ai, a) in doc.actors.iter().enumerate() {
        let label = label(doc, a);
        // What kind of actor it is: a person, an organisation, common
        // nouns ("police", R-NOMINAL-ACTOR) or role words; any other kind
        // needs a role to be a candidate.
        let nominal = a.is_nominal(&doc.entities);
        let k = str_hash(match label {
            _ if nominal => "nominal",
            Some(EntityType::Per) => "person",
            Some(EntityType::Org) => "org",
            Some(_) => "other",
            None => "role",
        });
        let named = !nominal && matches!(label, Some(EntityType::Per | EntityType::Org));
        if a.country.is_some() || (a.sectors.is_empty() && label.is_some() && !named) {
            continue;
        }
        let sentence = a
            .mentions
            .first()
            .and_then(|&m| doc.entities.get(m as usize))
            .and_then(|e| doc.sentence_of(e.start as usize))
            .or_else(|| sentence_at(doc, a.span.start));
        let sector = a.sectors.first().map_or(0, |s| str_hash(s));
        let mut countries = Vec::new();
        let mut feats = Vec::new();
        for (rank, (c, n, sents)) in states.iter().enumerate() {
            let share = (n * 10 / total.max(1)).min(9) as u64;
            let rank = rank.min(3) as u64;
            let dl = u64::from(dateline.as_deref() == Some(c.as_str()));
            let gap = sentence.map_or(9, |s| {
                sents
                    .iter()
                    .map(|&x| x.abs_diff(s))
                    .min()
                    .map_or(9, |d| d.min(4))
            }) as u64;
            let hc = str_hash(c);
            countries.push(Some(c.clone()));
            feats.push(vec![
                f1(1, 0),
                f1(2, share),
                f2(3, share, k),
                f1(4, rank),
                f2(5, rank, k),
                f1(6, dl),
                f3(7, dl, k, rank),
                f1(8, gap),
                f3(9, gap, k, rank),
                f2(10, publisher, hc),
                f3(11, publisher, dl, rank),
                f2(12, sector, rank),
                f2(13, size, rank),
                f3(14, size, share, dl),
            ]);
        }
        countries.push(None);
        feats.push(vec![
            f1(20, 0),
            f2(21, k, size),
            f1(22, states.len().min(4) as u64),
            f2(23, sector, size),
        ]);
        let rule = states
            .first()
            .filter(|(_, n, _)| total > 0 && n * 10 >= total * 4)
            .filter(|_| !a.sectors.is_empty() || (named && (total >= 6 || states.len() == 1)))
            .map(|(c, _, _)| c.clone());
        out.push(Candidates {
            actor: ai as u32,
            countries,
            feats,
            rule,
        });
    }
    out
}

/// How the country of an actor the text gives none is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountryPolicy {
    /// R-COUNTRY-DOMINANT where it applies, the ranker where it abstains:
    /// what the lexicon-rule coder's figures were measured with (the
    /// ranker alone costs its development news event F1, 0.552 to 0.531).
    #[default]
    DominantFirst,
    /// R-COUNTRY-RANKED alone: the learned coder's. Cross-validated on
    /// 3,051 articles (`score.py actors`), actor country 0.904 against
    /// 0.899 with the dominant rule first, and its event F1 0.412 against
    /// 0.406.
    Ranked,
}

/// Gives each actor of `doc` without a country its country under `policy`
/// (none where "unknown" ranks best), and its CAMEO code.
pub fn apply(model: &CountryModel, doc: &mut Doc, policy: CountryPolicy) {
    for c in candidates(doc) {
        let best = || first_best(c.feats.iter().map(|f| model.score(f)));
        let rule = match policy {
            CountryPolicy::DominantFirst => c.rule.clone(),
            CountryPolicy::Ranked => None,
        };
        let pass = if rule.is_some() {
            crate::passes::COUNTRY_DOMINANT
        } else {
            crate::passes::COUNTRY_RANKED
        };
        let Some(country) = rule.or_else(|| best().and_then(|i| c.countries[i].clone())) else {
            continue;
        };
        let a = &mut doc.actors[c.actor as usize];
        a.decided(pass);
        a.cameo = Some(format!(
            "{country}{}",
            a.sectors.first().map_or("", |s| s.as_str())
        ));
        a.country = Some(country);
    }
}

/// The training examples of `doc` (annotated through actors with no
/// country model): each candidate set whose actor an annotated side names
/// (`sides`: the side's words and country), where that country is among the
/// candidates.
pub fn examples(doc: &Doc, sides: &[(String, String)]) -> Vec<Example> {
    let mut out = Vec::new();
    for c in candidates(doc) {
        let a = &doc.actors[c.actor as usize];
        let spans: Vec<std::ops::Range<usize>> = a
            .mentions
            .iter()
            .filter_map(|&m| doc.entities.get(m as usize))
            .map(|e| doc.token_range_span(e.start as usize..e.end as usize))
            .chain(std::iter::once(a.span.clone()))
            .collect();
        let gold = sides.iter().find_map(|(words, country)| {
            let hit = doc.text.match_indices(words.as_str()).any(|(i, w)| {
                spans
                    .iter()
                    .any(|r| r.start < i + w.len() && i < r.end && r.start < r.end)
            });
            hit.then_some(country)
        });
        let Some(gold) = gold else { continue };
        let Some(k) = c
            .countries
            .iter()
            .position(|x| x.as_deref() == Some(gold.as_str()))
        else {
            continue;
        };
        out.push(Example {
            candidates: c,
            gold: k,
        });
    }
    out
}

/// Trains the ranker on `data` (a structured perceptron: where the best
/// candidate is not the annotated one, the annotated one gains).
pub fn train(data: &[&Example], epochs: usize, meta: String) -> CountryModel {
    let mut p = Averaged::new(1);
    let mut buf = [0f32; 1];
    for _ in 0..epochs {
        for ex in data {
            let c = &ex.candidates;
            let scores = c.feats.iter().map(|f| {
                p.score(f, &mut buf);
                buf[0]
            });
            let best = first_best(scores).unwrap_or(ex.gold);
            if best != ex.gold {
                p.add(&c.feats[ex.gold], 0, 1.0);
                p.add(&c.feats[best], 0, -1.0);
            }
            p.tick();
        }
    }
    CountryModel {
        weights: p.finish(0.0),
        meta,
    }
}

/// How one actor's country was decided: the actor, R-COUNTRY-DOMINANT's
/// choice if it made one, and the ranker's score of every candidate.
pub type Decided = (u32, Option<String>, Vec<(Option<String>, f32)>);

/// How the country of each actor without one was decided (for `explain`).
pub fn explain(model: &CountryModel, doc: &Doc) -> Vec<Decided> {
    candidates(doc)
        .into_iter()
        .map(|c| {
            let scores = c
                .countries
                .iter()
                .zip(&c.feats)
                .map(|(country, f)| (country.clone(), model.score(f)))
                .collect();
            (c.actor, c.rule, scores)
        })
        .collect()
}
