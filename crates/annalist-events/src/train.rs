//! Training the learned coder from annotated articles (`ANNOTATING.md`):
//! each gold event's `evidence` and `trigger` are found in the text and
//! give the trigger model its positive word; every other verb and noun is a
//! "no event" example; the words of `source.text` and `target.text` name
//! the side model's source and target among the candidates; `modality`
//! labels the modality model.
//!
//! Examples are extracted once per document (from a doc the pipeline has
//! annotated through actors and the rule coder through its events), so that
//! cross-validation trains on any subset of documents without re-parsing.

use crate::features::{modality_features, trigger_features, View};
use crate::learned::{rule_events, MODALITIES};
use crate::model::EventModel;
use crate::place::{DocPlaces, PlaceCandidates, PlaceExample, PlaceQuery};
use crate::roles::{
    candidates, normal_country, place_country, rules_at, Context, DocCountries, SentenceActors,
};
use crate::sides::{Pair, SideExample, SideFeatures, Target};
use crate::types::EventType;
use annalist_doc::Doc;
use annalist_models::perceptron::{Averaged, Weights};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// One side of an annotated event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSide {
    pub text: Option<String>,
    pub country: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// Where an annotated event happened.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPlace {
    pub name: Option<String>,
    pub country: Option<String>,
}

/// One annotated event (the fields training reads).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub kind: String,
    pub source: Option<GoldSide>,
    pub target: Option<GoldSide>,
    pub modality: Option<String>,
    #[serde(default)]
    pub location: Option<GoldPlace>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub trigger: String,
}

/// An annotated article: its text, metadata and events.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub doc_id: String,
    pub text: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub license: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

/// A labelled feature vector.
pub type Example = (Vec<u64>, u16);

/// The examples of one document, and how much of its gold they cover.
#[derive(Debug, Default, Clone)]
pub struct Examples {
    pub trigger: Vec<Example>,
    pub side: Vec<SideExample>,
    pub modality: Vec<Example>,
    pub place: Vec<PlaceExample>,
    /// Gold events whose trigger was found on a candidate word.
    pub aligned: usize,
    /// Gold events whose evidence or trigger is not in the text, or whose
    /// trigger is no verb or noun and hangs from none within three steps.
    pub unaligned: usize,
}

/// The token a gold event's trigger points at, and its sentence.
fn trigger_token(v: &View<'_>, e: &GoldEvent) -> Option<(usize, usize)> {
    let doc = v.doc;
    let at = doc
        .text
        .find(e.evidence.as_str())
        .filter(|_| !e.evidence.is_empty())?;
    let rel = e
        .evidence
        .find(e.trigger.as_str())
        .filter(|_| !e.trigger.is_empty())?;
    let (from, to) = (at + rel, at + rel + e.trigger.len());
    let tokens: Vec<usize> = (0..doc.tokens.len())
        .filter(|&t| (doc.tokens.start[t] as usize) < to && (doc.tokens.end[t] as usize) > from)
        .collect();
    let pick = tokens
        .iter()
        .copied()
        .find(|&t| v.upos(t) == "VERB")
        .or_else(|| tokens.iter().copied().find(|&t| v.is_candidate(t)))
        .or_else(|| candidate_governor(v, *tokens.first()?))?;
    let sentence = doc.sentence_of(pick)?;
    Some((pick, sentence))
}

/// The nearest word above `t` in its sentence's tree that is a trigger
/// candidate, within three steps: an annotated trigger that is no verb or
/// noun ("said the blockade was illegal", trigger "illegal") is stated by
/// the word that governs it. Before, such an event gave no example, and the
/// speech verb that states it stayed a "no event" example.
fn candidate_governor(v: &View<'_>, t: usize) -> Option<usize> {
    let si = v.doc.sentence_of(t)?;
    let range = v.doc.sentences[si].tokens();
    let mut at = t;
    for _ in 0..3 {
        at = v.head(at, &range)?;
        if v.is_candidate(at) {
            return Some(at);
        }
    }
    None
}

/// Extracts the examples of `doc` (annotated through actors, with the rule
/// coder's events in `doc.events`) against its gold events.
pub fn examples(
    doc: &Doc,
    gold: &[GoldEvent],
    clusters: &annalist_models::Clusters,
    rules: &crate::Rules,
) -> Examples {
    let v = View::new(doc, clusters);
    let mut ex = Examples::default();
    let by_token = rule_events(doc, &doc.events);
    // Gold events by trigger token, and every aligned event with its
    // trigger and sentence (for the place examples).
    let mut positive: HashMap<usize, &GoldEvent> = HashMap::new();
    let mut aligned: Vec<(&GoldEvent, usize, usize)> = Vec::new();
    for e in gold {
        if EventType::parse(&e.kind).is_none() {
            ex.unaligned += 1;
            continue;
        }
        match trigger_token(&v, e) {
            Some((t, si)) => {
                ex.aligned += 1;
                positive.entry(t).or_insert(e);
                aligned.push((e, t, si));
            }
            None => ex.unaligned += 1,
        }
    }
    // A word that names a gold event once usually names the same event
    // again later ("the talks"): its other uses in the article are not
    // taken as "no event". Nor is a word where the lexicon rules code a type
    // the article's annotation has: annotators list an interaction once per
    // article (GUIDELINE.md), so "met" in the lead and "the talks" three
    // sentences on are one event with one annotated word, and the other
    // word is no evidence against an event; the coder merges such repeats
    // per document. By 5-fold cross-validation (7,370 articles, reference
    // scorer, every annotated event / required only): event margin -12
    // without 0.4683 / 0.4697, with 0.4792 / 0.4557; with, at -8, 0.4731 /
    // 0.4682.
    let event_lemmas: HashSet<&str> = positive.keys().map(|&t| v.lemma[t].as_str()).collect();
    let gold_types: HashSet<&str> = gold.iter().map(|e| e.kind.as_str()).collect();
    let mut feats = Vec::new();
    let mut carried = None;
    let countries = DocCountries::new(&v);
    let places = crate::coder::sentence_places(doc);
    for (si, sent) in doc.sentences.iter().enumerate() {
        let range = sent.tokens();
        if range.end > doc.tokens.len() {
            break;
        }
        let names = SentenceActors::new(&v, &range, &countries.sentence_mentions[si]);
        let place_country = place_country(doc, &places, si);
        for t in range.clone() {
            let at = rules_at(&by_token, t);
            if !v.is_candidate(t) && at.is_empty() {
                continue;
            }
            let gold = positive.get(&t).copied();
            if gold.is_none() && event_lemmas.contains(v.lemma[t].as_str()) {
                continue;
            }
            if gold.is_none() && at.iter().any(|r| gold_types.contains(r.kind.as_str())) {
                continue;
            }
            let kinds: Vec<&str> = at.iter().map(|r| r.kind.as_str()).collect();
            trigger_features(&v, t, &range, si, &kinds, &mut feats);
            let label = gold
                .and_then(|g| EventType::parse(&g.kind))
                .map_or(0, |k| k.index() + 1);
            ex.trigger.push((feats.clone(), label as u16));
            let Some(g) = gold else { continue };
            let kind = EventType::parse(&g.kind).expect("checked above");
            let cx = Context {
                sentence: si,
                range: &range,
                trigger: t,
                names: &names,
                rules: &at,
                carried,
                place_country,
            };
            let symmetric = rules.of(kind).symmetric;
            side_examples(&v, kind, symmetric, g, &countries, &cx, &mut ex);
            let same = at.iter().find(|r| r.kind == kind.as_str());
            modality_features(
                &v,
                t,
                kind.as_str(),
                &range,
                same.map(|r| r.modality.as_str()),
                &mut feats,
            );
            let m = MODALITIES
                .iter()
                .position(|m| Some(m.as_str()) == g.modality.as_deref())
                .unwrap_or(0);
            ex.modality.push((feats.clone(), m as u16));
        }
        if let Some(p) = names.last_person {
            carried = Some(p);
        }
    }
    place_examples(&v, &aligned, &places, rules, &mut ex);
    ex
}

/// The place examples of the aligned gold events (each with its trigger
/// token and sentence) annotated with a location's country, each with the
/// annotated sides' countries and the rule walk's place for its sentence.
fn place_examples(
    v: &View<'_>,
    aligned: &[(&GoldEvent, usize, usize)],
    places: &[Option<u32>],
    rules: &crate::Rules,
    ex: &mut Examples,
) {
    let doc_places = DocPlaces::new(v.doc);
    let country = |side: &Option<GoldSide>| side.as_ref().and_then(|s| s.country.clone());
    for &(e, t, si) in aligned {
        let Some(at) = e.location.as_ref().and_then(|l| l.country.as_deref()) else {
            continue;
        };
        let (source, target) = (country(&e.source), country(&e.target));
        let q = PlaceQuery {
            sentence: si,
            trigger: t,
            kind: &e.kind,
            source: source.as_deref(),
            target: target.as_deref(),
            symmetric: EventType::parse(&e.kind).is_some_and(|k| rules.of(k).symmetric),
            rule_place: places.get(si).copied().flatten(),
        };
        let cands = PlaceCandidates::new(v, &doc_places, &q);
        if let Some(p) = PlaceExample::new(v.doc, cands, at) {
            ex.place.push(p);
        }
    }
}

/// The side example of gold event `g` at trigger `t`: the candidates of
/// the gold source's and target's countries are the annotated pair (what
/// is scored is the country). An event whose source, or whose target with
/// a country, is no candidate teaches nothing and is left out.
fn side_examples(
    v: &View<'_>,
    kind: EventType,
    symmetric: bool,
    g: &GoldEvent,
    countries: &DocCountries,
    cx: &Context<'_>,
    ex: &mut Examples,
) {
    let sides = candidates(v, countries, cx);
    let country = |side: &Option<GoldSide>| {
        side.as_ref()
            .and_then(|s| s.country.as_deref())
            .map(normal_country)
            .map(str::to_string)
    };
    let find = |c: &str| sides.iter().position(|s| normal_country(&s.country) == c);
    let Some(source) = country(&g.source).and_then(|c| find(&c)) else {
        return;
    };
    let target = match country(&g.target) {
        None => Target::None,
        Some(c) if Some(source) == find(&c) => Target::Same,
        Some(c) => match find(&c) {
            Some(b) => Target::Other(b),
            None => return,
        },
    };
    let feats = SideFeatures::new(v, cx.trigger, kind.as_str(), symmetric, &sides, cx.range);
    ex.side
        .push(SideExample::new(feats, Pair { source, target }));
}

/// How many of the annotated events of `ex` the side model of `model` gives
/// the annotated source and target, given the annotated trigger and type:
/// (right, events).
pub fn side_accuracy(model: &EventModel, ex: &Examples) -> (usize, usize) {
    crate::sides::accuracy(&model.side, &ex.side)
}

/// The trigger model's decisions at the words of `ex`, given the
/// annotated triggers: what becomes of each annotated event's word, and
/// how often a word annotated as no event is coded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriggerCounts {
    /// Words that trigger an annotated event.
    pub events: usize,
    /// ... coded with the annotated type.
    pub right_type: usize,
    /// ... coded with another type.
    pub other_type: usize,
    /// Words annotated as no event (other uses of an event's word in its
    /// article are not counted: they are not taken as "no event").
    pub non_events: usize,
    /// ... coded as an event all the same.
    pub coded: usize,
}

impl std::ops::AddAssign for TriggerCounts {
    fn add_assign(&mut self, o: TriggerCounts) {
        self.events += o.events;
        self.right_type += o.right_type;
        self.other_type += o.other_type;
        self.non_events += o.non_events;
        self.coded += o.coded;
    }
}

/// Scores the trigger examples of `ex` with `model` and its event margin,
/// as the learned coder decides (the rule-backed path aside).
pub fn trigger_counts(model: &EventModel, ex: &Examples) -> TriggerCounts {
    let mut c = TriggerCounts::default();
    let mut scores = [0i32; 17];
    for (feats, label) in &ex.trigger {
        model.trigger.score(feats, &mut scores);
        let coded = model.trigger_event(&scores).map(|(class, _)| class);
        if *label == 0 {
            c.non_events += 1;
            c.coded += usize::from(coded.is_some());
        } else {
            c.events += 1;
            c.right_type += usize::from(coded == Some(*label as usize));
            c.other_type += usize::from(coded.is_some_and(|k| k != *label as usize));
        }
    }
    c
}

/// How many of the annotated events of `ex` with a location the place
/// model of `model` places in the annotated country, given the annotated
/// trigger and sides: (right, events).
pub fn place_accuracy(model: &EventModel, ex: &Examples) -> (usize, usize) {
    match &model.place {
        Some(w) => crate::place::accuracy(w, &ex.place),
        None => (0, ex.place.len()),
    }
}

/// How the models are trained.
#[derive(Debug, Clone)]
pub struct TrainSettings {
    pub epochs: usize,
    /// Passes of the side model, which overfits sooner: by cross-validation
    /// its accuracy given the annotated trigger was 0.586 with 1 pass,
    /// 0.60 with 3 to 5, 0.591 with 10 and 0.581 with 25.
    pub side_epochs: usize,
    pub seed: u64,
    /// Averaged weights below this (in absolute value) are dropped.
    pub prune: f32,
    /// The trigger and side models are each the mean of this many
    /// perceptrons trained on the data in different orders. By 5-fold
    /// cross-validation (5,750 articles, reference scorer): event F1 0.4665
    /// with one, 0.4701 with three trigger models and 0.4716 with three
    /// side models as well.
    pub average: usize,
    /// How scores become decisions (kept in the model's metadata).
    pub decision: crate::model::Decision,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            epochs: 10,
            side_epochs: 4,
            seed: 7,
            prune: 0.0,
            average: 3,
            decision: crate::model::Decision::default(),
        }
    }
}

/// The mean of the members' weights (`Weights::average`); a single member
/// is kept as it is.
fn mean(mut members: Vec<Weights>, prune: f32) -> Weights {
    if members.len() == 1 {
        return members.pop().expect("one member");
    }
    Weights::average(&members.iter().collect::<Vec<_>>(), prune)
        .expect("members of one model have the same classes")
}

/// Trains one averaged perceptron over `data`.
fn fit(data: &[&Example], nclasses: usize, settings: &TrainSettings) -> Weights {
    let mut p = Averaged::new(nclasses);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut shuffle = shuffler(settings.seed);
    let mut scores = vec![0f32; nclasses];
    for _ in 0..settings.epochs {
        shuffle(&mut order);
        for &i in &order {
            let (feats, label) = data[i];
            p.score(feats, &mut scores);
            let mut guess = 0;
            for k in 1..nclasses {
                if scores[k] > scores[guess] {
                    guess = k;
                }
            }
            p.update(feats, *label as usize, guess);
            p.tick();
        }
    }
    p.finish(settings.prune)
}

/// A Fisher-Yates shuffle with a fixed generator: the same data and seed
/// give the same model.
fn shuffler(seed: u64) -> impl FnMut(&mut [usize]) {
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move |order: &mut [usize]| {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
    }
}

/// Trains the four models on the examples of `docs`.
pub fn train(docs: &[&Examples], settings: &TrainSettings, meta: String) -> EventModel {
    let mut meta: serde_json::Value =
        serde_json::from_str(&meta).unwrap_or_else(|_| serde_json::json!({}));
    meta["decision"] = serde_json::to_value(settings.decision).unwrap_or_default();
    let trigger: Vec<&Example> = docs.iter().flat_map(|d| &d.trigger).collect();
    let side: Vec<&SideExample> = docs.iter().flat_map(|d| &d.side).collect();
    let modality: Vec<&Example> = docs.iter().flat_map(|d| &d.modality).collect();
    let place: Vec<&PlaceExample> = docs.iter().flat_map(|d| &d.place).collect();
    // Each member sees the data in another order (seed + 1000 k); the mean of
    // their weights is one table, as fast to score as one member. Members
    // are trained on threads of their own: the result does not depend on
    // how they are scheduled.
    let seeds: Vec<u64> = (0..settings.average.max(1) as u64)
        .map(|k| settings.seed + 1000 * k)
        .collect();
    let fit_trigger = |seed| {
        let member = TrainSettings {
            seed,
            ..settings.clone()
        };
        fit(&trigger, 17, &member)
    };
    let fit_side = |seed| {
        crate::sides::fit(
            &side,
            settings.side_epochs,
            &mut shuffler(seed),
            settings.prune,
        )
    };
    let (triggers, sides): (Vec<Weights>, Vec<Weights>) = std::thread::scope(|s| {
        let triggers: Vec<_> = seeds
            .iter()
            .map(|&k| s.spawn(move || fit_trigger(k)))
            .collect();
        let sides: Vec<_> = seeds
            .iter()
            .map(|&k| s.spawn(move || fit_side(k)))
            .collect();
        let join = |h: std::thread::ScopedJoinHandle<'_, Weights>| {
            h.join().expect("a training thread panicked")
        };
        (
            triggers.into_iter().map(join).collect(),
            sides.into_iter().map(join).collect(),
        )
    });
    EventModel {
        trigger: mean(triggers, settings.prune),
        side: mean(sides, settings.prune),
        modality: fit(&modality, 4, settings),
        place: Some(crate::place::fit(
            &place,
            settings.epochs,
            &mut shuffler(settings.seed),
            settings.prune,
        )),
        decision: settings.decision,
        meta: meta.to_string(),
    }
}
