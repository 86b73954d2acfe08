//! Side candidates: the countries (with an actor standing for each) that may
//! be an event's source or target.
//!
//! What an event's sides are scored by is their countries, and a quarter of
//! annotated sides are named outside the event's sentence ("the ministry"
//! of the country the article is about). So a candidate is every country
//! the document names, represented by its mention closest to the trigger,
//! together with the country the rule coder gave a side at the trigger and
//! the country of the sentence's place, which may have no actor yet.

use crate::features::View;
use annalist_doc::coded::Modality;
use annalist_doc::EntityType;
use std::collections::HashMap;
use std::ops::Range;

/// An event the rule coder found, by its trigger token.
#[derive(Debug, Clone)]
pub(crate) struct RuleEvent {
    pub kind: String,
    pub source: Vec<u32>,
    pub target: Vec<u32>,
    pub modality: Modality,
    /// Index into the rule coder's events.
    pub index: usize,
}

/// The country of sentence `si`'s place (`places`: each sentence's place),
/// where it is a country's code.
pub(crate) fn place_country<'d>(
    doc: &'d annalist_doc::Doc,
    places: &[Option<u32>],
    si: usize,
) -> Option<&'d str> {
    places
        .get(si)
        .copied()
        .flatten()
        .and_then(|p| doc.places.get(p as usize))
        .and_then(|p| p.country.as_deref())
        .filter(|c| c.len() == 3)
}

/// The rule coder's events triggered at token `t`.
pub(crate) fn rules_at(by_token: &HashMap<usize, Vec<RuleEvent>>, t: usize) -> Vec<&RuleEvent> {
    by_token
        .get(&t)
        .map(|r| r.iter().collect())
        .unwrap_or_default()
}

/// The scorer's view of a country code: the UN and the EU are
/// intergovernmental organisations.
pub fn normal_country(c: &str) -> &str {
    match c {
        "UNO" | "EUR" => "IGO",
        other => other,
    }
}

/// One mention of an actor: its head token and sentence.
#[derive(Debug, Clone, Copy)]
struct Mention {
    token: usize,
    sentence: usize,
    actor: u32,
}

/// The countries a document names, with their mentions, most named first.
pub(crate) struct DocCountries {
    countries: Vec<(String, Vec<Mention>)>,
    /// Mentions of actors without a country, by sentence.
    pub sentence_mentions: Vec<Vec<(u32, usize)>>,
}

impl DocCountries {
    pub fn new(v: &View<'_>) -> DocCountries {
        let doc = v.doc;
        let mut by: HashMap<String, Vec<Mention>> = HashMap::new();
        let mut sentence_mentions = vec![Vec::new(); doc.sentences.len()];
        for (si, sent) in doc.sentences.iter().enumerate() {
            let range = sent.tokens();
            if range.end > doc.tokens.len() {
                break;
            }
            for (actor, token) in mentions(v, &range) {
                sentence_mentions[si].push((actor, token));
                if let Some(c) = doc
                    .actors
                    .get(actor as usize)
                    .and_then(|a| a.country.clone())
                {
                    by.entry(c).or_default().push(Mention {
                        token,
                        sentence: si,
                        actor,
                    });
                }
            }
        }
        let mut countries: Vec<(String, Vec<Mention>)> = by.into_iter().collect();
        countries.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        DocCountries {
            countries,
            sentence_mentions,
        }
    }
}

/// The actors named in `range`, by the head token of each mention.
fn mentions(v: &View<'_>, range: &Range<usize>) -> Vec<(u32, usize)> {
    let doc = v.doc;
    let actor_at = |t: usize| doc.token_actor.get(t).copied().flatten();
    let mut out = Vec::new();
    let mut t = range.start;
    while t < range.end {
        let Some(a) = actor_at(t) else {
            t += 1;
            continue;
        };
        let mut end = t + 1;
        while end < range.end && actor_at(end) == Some(a) {
            end += 1;
        }
        // The head of the run: the token whose head lies outside it.
        let head = (t..end)
            .find(|&k| v.head(k, range).is_none_or(|h| !(t..end).contains(&h)))
            .unwrap_or(end - 1);
        out.push((a, head));
        t = end;
    }
    out
}

/// Who reports sentence `range` ("X said"), and the last person it names.
pub(crate) struct SentenceActors {
    pub speakers: Vec<u32>,
    pub last_person: Option<u32>,
}

impl SentenceActors {
    pub fn new(v: &View<'_>, range: &Range<usize>, names: &[(u32, usize)]) -> SentenceActors {
        let mut speakers = Vec::new();
        for &(a, m) in names {
            if v.deprel(m) == "nsubj"
                && v.head(m, range)
                    .is_some_and(|h| crate::words::speaker_verbs().contains(&v.lemma[h]))
            {
                speakers.push(a);
            }
        }
        let last_person = names.iter().rev().map(|&(a, _)| a).find(|&a| {
            v.doc.actors[a as usize].mentions.first().is_some_and(|&m| {
                v.doc
                    .entities
                    .get(m as usize)
                    .is_some_and(|e| e.label == EntityType::Per)
            })
        });
        SentenceActors {
            speakers,
            last_person,
        }
    }
}

/// A side candidate: a country, and the actor that stands for it here.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Side {
    pub country: String,
    /// The actor of its closest mention; `None` for the place's country
    /// when no actor names it yet.
    pub actor: Option<u32>,
    /// The head token of its closest mention in the event's sentence.
    pub token: Option<usize>,
    /// The head tokens of all its mentions in the event's sentence.
    pub here: Vec<usize>,
    /// The actors of those mentions.
    pub here_actors: Vec<u32>,
    /// Sentences from the event's to the closest mention (negative:
    /// before), `None` when the document never names it.
    pub distance: Option<i32>,
    /// Its rank among the document's countries by mentions (0: most).
    pub rank: usize,
    /// Mentions of it in the event's sentence.
    pub in_sentence: usize,
    /// It is the country of the sentence's place.
    pub place: bool,
    /// The last person named before the sentence is of it.
    pub carried: bool,
    pub rule_source: bool,
    pub rule_target: bool,
    /// It reports the sentence ("X said").
    pub speaker: bool,
}

/// What a side candidate is built from, besides the document's countries.
pub(crate) struct Context<'a> {
    pub sentence: usize,
    /// The sentence's tokens.
    pub range: &'a Range<usize>,
    pub trigger: usize,
    pub names: &'a SentenceActors,
    pub rules: &'a [&'a RuleEvent],
    pub carried: Option<u32>,
    pub place_country: Option<&'a str>,
}

/// The side candidates of an event triggered at `cx.trigger`.
pub(crate) fn candidates(
    v: &View<'_>,
    doc_countries: &DocCountries,
    cx: &Context<'_>,
) -> Vec<Side> {
    let doc = v.doc;
    let (t, si) = (cx.trigger, cx.sentence);
    let country_of = |a: u32| doc.actors.get(a as usize).and_then(|x| x.country.clone());
    let mut out: Vec<Side> = Vec::new();
    for (rank, (country, ms)) in doc_countries.countries.iter().enumerate() {
        // The closest mention: in the sentence, the one fewest dependency
        // steps from the trigger (then the nearest in words: "X's forces
        // killed Y" names X's role through the subject, not the nearest
        // word); else in the nearest sentence, an earlier one first.
        let best = ms.iter().min_by_key(|m| {
            let d = m.sentence.abs_diff(si);
            let after = usize::from(m.sentence > si);
            let steps = if m.sentence == si {
                tree_steps(v, m.token, t, cx.range)
            } else {
                0
            };
            (d, after, steps, m.token.abs_diff(t))
        });
        let Some(best) = best else { continue };
        let (here, here_actors): (Vec<usize>, Vec<u32>) = ms
            .iter()
            .filter(|m| m.sentence == si)
            .map(|m| (m.token, m.actor))
            .unzip();
        let in_sentence = here.len();
        out.push(Side {
            country: country.clone(),
            actor: Some(best.actor),
            token: (best.sentence == si).then_some(best.token),
            here,
            here_actors,
            distance: Some(best.sentence as i32 - si as i32),
            rank,
            in_sentence,
            place: false,
            carried: false,
            rule_source: false,
            rule_target: false,
            speaker: false,
        });
    }
    let mut slot = |country: &str, actor: Option<u32>| -> usize {
        match out.iter().position(|s| s.country == country) {
            Some(i) => i,
            None => {
                out.push(Side {
                    country: country.to_string(),
                    actor,
                    token: None,
                    here: Vec::new(),
                    here_actors: Vec::new(),
                    distance: None,
                    rank: usize::MAX,
                    in_sentence: 0,
                    place: false,
                    carried: false,
                    rule_source: false,
                    rule_target: false,
                    speaker: false,
                });
                out.len() - 1
            }
        }
    };
    let mut marks: Vec<(usize, u8)> = Vec::new();
    for r in cx.rules {
        for (ids, which) in [(&r.source, 0u8), (&r.target, 1u8)] {
            for &a in ids {
                if let Some(c) = country_of(a) {
                    marks.push((slot(&c, Some(a)), which));
                }
            }
        }
    }
    if let Some(c) = cx.place_country {
        marks.push((slot(c, None), 2));
    }
    if let Some(c) = cx.carried.and_then(country_of) {
        marks.push((slot(&c, cx.carried), 3));
    }
    for &a in &cx.names.speakers {
        if let Some(c) = country_of(a) {
            marks.push((slot(&c, Some(a)), 4));
        }
    }
    for (i, which) in marks {
        let s = &mut out[i];
        match which {
            0 => s.rule_source = true,
            1 => s.rule_target = true,
            2 => s.place = true,
            3 => s.carried = true,
            _ => s.speaker = true,
        }
    }
    out
}

/// Dependency steps between tokens `a` and `b` of `range` (up from each to
/// their lowest common ancestor); a large number when they are not
/// connected inside the sentence.
pub(crate) fn tree_steps(v: &View<'_>, a: usize, b: usize, range: &Range<usize>) -> usize {
    let (up, down) = (v.ancestors(a, range), v.ancestors(b, range));
    up.iter()
        .enumerate()
        .find_map(|(i, x)| down.iter().position(|y| y == x).map(|j| i + j))
        .unwrap_or(99)
}
