//! The place model: where an event happened, chosen among the places the
//! document names.
//!
//! Annotators place an event where the text says it happened, and where
//! it does not, where the story is: the capital a visitor travelled to,
//! the city a dateline names, the country whose forces acted at home. The
//! rule walk (R-EVENT-PLACE: the sentence's place, else the story's last)
//! found the annotated place's country for 0.54 of matched events by
//! cross-validation, while a place of that country is named somewhere in
//! the document for 0.99 of them. So every distinct place of the document
//! is a candidate, described by where it is named relative to the event
//! (the same sentence, how far before or after, under which preposition,
//! as an actor or a dateline), what it is (country, capital, city, region,
//! sea) and how its country relates to the event's sides, and a linear
//! model learned from the annotated locations ranks them.
//!
//! It is trained as a ranking perceptron: where the best candidate under
//! the current weights lies in another country than the annotated place,
//! the best candidate of the annotated country gains and the guess loses.
//! What is scored is the country (the reference scorer's test where the
//! annotation has no coordinates), so any candidate of that country is
//! right.

use crate::features::View;
use crate::roles::normal_country;
use annalist_doc::Doc;
use annalist_models::hash::{f1, f2, f3, str_hash};
use annalist_models::perceptron::{Averaged, Weights};

/// One named mention of a place: its index in `Doc::places`, its sentence
/// (`None` for the dateline) and its first token.
#[derive(Debug, Clone, Copy)]
struct Mention {
    place: u32,
    sentence: Option<usize>,
    token: Option<usize>,
}

/// The document's place mentions, grouped into distinct places, computed
/// once per document.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocPlaces {
    /// Per distinct place, its mentions in text order.
    groups: Vec<Vec<Mention>>,
    /// Mentions of places per country (normalised), over the document.
    country_mentions: Vec<(String, usize)>,
}

impl DocPlaces {
    pub(crate) fn new(doc: &Doc) -> DocPlaces {
        let dateline = doc.meta.dateline.as_ref().map(|d| d.span.clone());
        let mut keys: Vec<(String, Option<String>)> = Vec::new();
        let mut groups: Vec<Vec<Mention>> = Vec::new();
        let mut country_mentions: Vec<(String, usize)> = Vec::new();
        for (p, place) in doc.places.iter().enumerate() {
            let Some(span) = &place.span else { continue };
            let mention = if dateline.as_ref() == Some(span) {
                Mention {
                    place: p as u32,
                    sentence: None,
                    token: None,
                }
            } else {
                let token = doc
                    .tokens
                    .start
                    .partition_point(|&s| (s as usize) < span.start);
                let Some(sentence) = doc.sentence_of(token) else {
                    continue;
                };
                Mention {
                    place: p as u32,
                    sentence: Some(sentence),
                    token: Some(token),
                }
            };
            let key = (place.name.to_lowercase(), place.country.clone());
            match keys.iter().position(|k| *k == key) {
                Some(g) => groups[g].push(mention),
                None => {
                    keys.push(key);
                    groups.push(vec![mention]);
                }
            }
            if let Some(c) = place.country.as_deref() {
                let c = normal_country(c);
                match country_mentions.iter_mut().find(|(k, _)| k == c) {
                    Some((_, n)) => *n += 1,
                    None => country_mentions.push((c.to_string(), 1)),
                }
            }
        }
        DocPlaces {
            groups,
            country_mentions,
        }
    }

    fn country_count(&self, c: Option<&str>) -> usize {
        c.map(normal_country).map_or(0, |c| {
            self.country_mentions
                .iter()
                .find(|(k, _)| k == c)
                .map_or(0, |(_, n)| *n)
        })
    }
}

/// The event a place is chosen for.
pub(crate) struct PlaceQuery<'a> {
    pub sentence: usize,
    pub trigger: usize,
    pub kind: &'a str,
    pub source: Option<&'a str>,
    pub target: Option<&'a str>,
    /// Whether the type is symmetric: its two parties come in either order
    /// (a visit's host may be coded as its source), so a place is only of
    /// "a party" or not.
    pub symmetric: bool,
    /// The rule walk's place for the sentence (R-EVENT-PLACE).
    pub rule_place: Option<u32>,
}

/// The candidates of one event: per distinct place, the mention that stands
/// for it (the nearest to the event) and its features.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlaceCandidates {
    pub places: Vec<u32>,
    feats: Vec<Vec<u64>>,
}

/// Coarse kinds of places, from their GeoNames feature code.
fn feature_group(feature: Option<&str>) -> &'static str {
    match feature.unwrap_or("") {
        "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCL" => "country",
        "PPLC" => "capital",
        "PPLA" | "PPLA2" | "PPLA3" | "PPLA4" => "seat",
        f if f.starts_with("PPL") => "town",
        f if f.starts_with("ADM") => "admin",
        "RGN" | "CONT" | "PEN" | "ISLS" | "ISL" => "region",
        "OCN" | "SEA" | "GULF" | "STRT" | "BAY" | "LK" | "CHN" => "water",
        "" => "none",
        _ => "other",
    }
}

/// How far a mention is from the event's sentence, in classes.
fn distance_class(mention: Option<usize>, event: usize) -> u64 {
    let Some(m) = mention else {
        return str_hash("dateline");
    };
    let d = m as i64 - event as i64;
    str_hash(match d {
        0 => "same",
        -1 => "prev1",
        -3..=-2 => "prev2",
        i64::MIN..=-4 => "prev4",
        1 => "next1",
        _ => "next2",
    })
}

impl PlaceCandidates {
    pub(crate) fn new(v: &View<'_>, places: &DocPlaces, q: &PlaceQuery<'_>) -> PlaceCandidates {
        let doc = v.doc;
        let ty = str_hash(q.kind);
        let lemma = str_hash(&v.lemma[q.trigger]);
        let rule_key = q.rule_place.and_then(|p| {
            places
                .groups
                .iter()
                .position(|g| g.iter().any(|m| m.place == p))
        });
        let mut out = PlaceCandidates::default();

        for (g, group) in places.groups.iter().enumerate() {
            // The nearest mention: in the sentence, else the closest before,
            // else the closest after, else the dateline.
            let rank = |m: &Mention| match m.sentence {
                Some(s) if s == q.sentence => 0,
                Some(s) if s < q.sentence => 1 + (q.sentence - s),
                Some(s) => 10_000 + (s - q.sentence),
                None => usize::MAX,
            };
            let Some(m) = group.iter().min_by_key(|m| rank(m)).copied() else {
                continue;
            };
            let place = &doc.places[m.place as usize];
            let country = place.country.as_deref().map(normal_country);
            let kind = str_hash(feature_group(place.feature.as_deref()));
            let dist = distance_class(m.sentence, q.sentence);
            let relation = str_hash(
                match (
                    country.is_some() && country == q.source.map(normal_country),
                    country.is_some() && country == q.target.map(normal_country),
                ) {
                    (true, true) => "both",
                    (true, false) | (false, true) if q.symmetric => "party",
                    (true, false) => "source",
                    (false, true) => "target",
                    (false, false) if country.is_none() => "unknown",
                    (false, false) => "neither",
                },
            );
            let case = m
                .token
                .filter(|_| m.sentence == Some(q.sentence))
                .and_then(|t| v.case_of(t).or_else(|| head_case(v, t)))
                .map_or(str_hash("-"), |c| str_hash(&v.lemma[c]));
            // "the Astana talks", "the Stockholm agreement": a place that
            // modifies a noun names a process, not where this event is.
            let here = m.token.filter(|_| m.sentence == Some(q.sentence));
            let role = here.map_or(str_hash("-"), |t| str_hash(v.deprel(t)));
            let range = doc.sentences[q.sentence].tokens();
            let under = here.is_some_and(|t| v.ancestors(t, &range).contains(&q.trigger));
            let actor = m
                .token
                .is_some_and(|t| doc.token_actor.get(t).copied().flatten().is_some());
            let dateline = group.iter().any(|m| m.sentence.is_none());
            let first = g == 0;
            let rule = rule_key == Some(g);
            let mentions = group.len().min(4) as u64;
            let in_country = places.country_count(country).min(5) as u64;
            let f = vec![
                f1(201, 0),
                f1(202, dist),
                f2(203, dist, ty),
                f1(204, kind),
                f2(205, kind, ty),
                f2(206, kind, dist),
                f1(207, relation),
                f2(208, relation, ty),
                f2(209, relation, dist),
                f2(210, relation, kind),
                f2(211, case, dist),
                f3(212, case, dist, ty),
                f2(213, u64::from(actor), dist),
                f2(214, u64::from(dateline), ty),
                f2(215, u64::from(first), dist),
                f2(216, u64::from(rule), dist),
                f2(217, u64::from(rule), ty),
                f1(218, mentions),
                f1(219, in_country),
                f2(220, relation, lemma),
                f3(221, u64::from(actor), relation, ty),
                f2(222, u64::from(country.is_none()), kind),
                f1(223, role),
                f2(224, role, case),
                f2(225, role, ty),
                f2(226, u64::from(under), ty),
                f3(227, u64::from(under), case, relation),
                f2(228, lemma, dist),
            ];
            out.places.push(m.place);
            out.feats.push(f);
        }
        out
    }

    /// The index of the best candidate under `weights` (the first of
    /// equals).
    fn best_index(&self, weights: &Weights) -> Option<usize> {
        let mut scores = [0i32; 1];
        let mut best: Option<(usize, i32)> = None;
        for (i, f) in self.feats.iter().enumerate() {
            weights.score(f, &mut scores);
            if best.is_none_or(|(_, b)| scores[0] > b) {
                best = Some((i, scores[0]));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The place the model ranks first, if the document names any.
    pub(crate) fn best(&self, weights: &Weights) -> Option<u32> {
        self.best_index(weights).map(|i| self.places[i])
    }
}

/// The case marker of the phrase a place mention heads or sits in ("in
/// the Iranian capital Tehran": "in" hangs on "capital").
fn head_case(v: &View<'_>, t: usize) -> Option<usize> {
    let h = v.head(t, &(0..v.doc.tokens.len()))?;
    v.case_of(h)
}

/// One annotated event's candidates and which of them lie in the annotated
/// place's country.
#[derive(Debug, Clone)]
pub struct PlaceExample {
    cands: PlaceCandidates,
    right: Vec<bool>,
}

impl PlaceExample {
    /// The example of an event annotated in `country`, or `None` where no
    /// candidate lies in it (it teaches nothing).
    pub(crate) fn new(doc: &Doc, cands: PlaceCandidates, country: &str) -> Option<PlaceExample> {
        let country = normal_country(country);
        let right: Vec<bool> = cands
            .places
            .iter()
            .map(|&p| {
                doc.places[p as usize]
                    .country
                    .as_deref()
                    .is_some_and(|c| normal_country(c) == country)
            })
            .collect();
        right
            .iter()
            .any(|&r| r)
            .then_some(PlaceExample { cands, right })
    }
}

/// How many of `data`'s events `weights` places in the annotated country:
/// (right, events).
pub(crate) fn accuracy(weights: &Weights, data: &[PlaceExample]) -> (usize, usize) {
    let right = data
        .iter()
        .filter(|ex| ex.cands.best_index(weights).is_some_and(|i| ex.right[i]))
        .count();
    (right, data.len())
}

/// Trains the place model (one class: a candidate's score) as a ranking
/// perceptron, `epochs` passes in the order `shuffle` gives each pass.
pub(crate) fn fit(
    data: &[&PlaceExample],
    epochs: usize,
    shuffle: &mut dyn FnMut(&mut [usize]),
    prune: f32,
) -> Weights {
    let mut p = Averaged::new(1);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut buf = vec![0f32; 1];
    for _ in 0..epochs {
        shuffle(&mut order);
        for &i in &order {
            let ex = data[i];
            let scored: Vec<f32> = ex
                .cands
                .feats
                .iter()
                .map(|f| {
                    p.score(f, &mut buf);
                    buf[0]
                })
                .collect();
            let pick = |want: bool| {
                (0..scored.len())
                    .filter(|&k| ex.right[k] == want)
                    .max_by(|&a, &b| scored[a].total_cmp(&scored[b]).then(b.cmp(&a)))
            };
            if let (Some(good), Some(bad)) = (pick(true), pick(false)) {
                if scored[bad] >= scored[good] {
                    p.add(&ex.cands.feats[good], 0, 1.0);
                    p.add(&ex.cands.feats[bad], 0, -1.0);
                }
            }
            p.tick();
        }
    }
    p.finish(prune)
}
