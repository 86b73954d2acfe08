//! R-NOMINAL-ACTOR: groups and institutions named by common nouns alone
//! ("Police arrested dozens of protesters", "the government said") become
//! actors where no name covers the words.
//!
//! Annotators code such sides as readily as named ones: before this pass,
//! one annotated side in twelve had no system actor at all, mostly "the
//! government", "police", "protesters", "security forces" and "rioters".
//! The phrases and their kinds are in `[nominal]` of `agents.toml`; their
//! sectors come from the agents there. The country comes from the words
//! around the phrase where they give one ("Iran's judiciary", "the
//! government of Iraq"); elsewhere the actor is left without one for
//! R-COUNTRY-RANKED, which ranks the document's states for it (as it does
//! for "the spokesman").

use crate::agents::{Agents, NominalKind};
use annalist_doc::coded::Actor;
use annalist_doc::{Doc, EntitySpan, EntityType};

/// The country the words next to a nominal mention at tokens `i..j` give
/// it: a possessive before ("Iran's judiciary", "Rouhani’s government") or
/// "of" and a named country after ("the government of Iraq").
fn country_nearby(doc: &Doc, words: &[&str], i: usize, j: usize, end: usize) -> Option<String> {
    let country_at = |t: usize| {
        doc.token_actor
            .get(t)
            .copied()
            .flatten()
            .and_then(|a| doc.actors.get(a as usize))
            .and_then(|a| a.country.clone())
    };
    let possessive = |w: &str| matches!(w, "'s" | "’s" | "'" | "’");
    let before = match i.checked_sub(1).map(|p| words[p]) {
        Some(w) if possessive(w) => i.checked_sub(2).and_then(country_at),
        Some(w) if w.ends_with("'s") || w.ends_with("’s") => country_at(i - 1),
        _ => None,
    };
    let after = || {
        (j < end && words[j] == "of")
            .then(|| {
                let k = if words.get(j + 1) == Some(&"the") {
                    j + 2
                } else {
                    j + 1
                };
                (k < end).then(|| country_at(k)).flatten()
            })
            .flatten()
    };
    before.or_else(after)
}

/// Whether token `t` is tagged as a noun (any token is, untagged).
fn noun(doc: &Doc, t: usize) -> bool {
    !doc.tokens.tagged() || matches!(doc.tokens.upos[t].as_str(), "NOUN" | "PROPN")
}

/// Adds the nominal mentions of `doc` as entities marked `nominal` and
/// their actors, after the named actors are resolved (`words`: the
/// tokens' text). Mentions of one phrase with one country share an actor.
pub(crate) fn add_nominal_actors(agents: &Agents, doc: &mut Doc, words: &[&str]) {
    let n = doc.tokens.len();
    let mut covered = vec![false; n];
    for e in &doc.entities {
        covered[(e.start as usize).min(n)..(e.end as usize).min(n)].fill(true);
    }
    for (t, a) in doc.token_actor.iter().enumerate().take(n) {
        covered[t] |= a.is_some();
    }
    let mut added: Vec<(EntitySpan, u32)> = Vec::new();
    let first_new = doc.actors.len();
    let sentences = doc.sentences.clone();
    for sent in &sentences {
        let (mut i, end) = (sent.start as usize, (sent.end as usize).min(n));
        while i < end {
            let Some((len, kind)) = agents.nominal.at(&words[i..end]).filter(|_| !covered[i])
            else {
                i += 1;
                continue;
            };
            let j = i + len;
            // The phrase must be a whole noun phrase's head: "police
            // station" and "government officials" name something else, and
            // "army commander Ali ..." is a title.
            let compound = j < end && doc.tokens.tagged() && noun(doc, j);
            if (i..j).any(|t| covered[t]) || !noun(doc, j - 1) || compound {
                i = j;
                continue;
            }
            let country = country_nearby(doc, words, i, j, end);
            let span = doc.tokens.start[i] as usize..doc.tokens.end[j - 1] as usize;
            let name = doc.text[span.clone()].to_string();
            let same = doc.actors[first_new..]
                .iter()
                .position(|a| a.country == country && a.name.eq_ignore_ascii_case(&name));
            let idx = match same {
                Some(x) => first_new + x,
                None => {
                    let sectors = agents.roles(&words[i..j]).sectors;
                    let cameo = country
                        .as_ref()
                        .map(|c| format!("{c}{}", sectors.first().map_or("", |s| s.as_str())));
                    doc.actors.push(Actor {
                        name,
                        country,
                        sectors,
                        span,
                        cameo,
                        decided_by: vec![crate::passes::NOMINAL_ACTOR],
                        ..Actor::default()
                    });
                    doc.actors.len() - 1
                }
            };
            let label = match kind {
                NominalKind::Institution => EntityType::Org,
                NominalKind::People => EntityType::Per,
            };
            added.push((
                EntitySpan {
                    start: i as u32,
                    end: j as u32,
                    label,
                    nominal: true,
                },
                idx as u32,
            ));
            doc.token_actor[i..j].fill(Some(idx as u32));
            i = j;
        }
    }
    insert_entities(doc, added);
}

/// An entity with its actor, its place and its index before the insertion
/// (`None`: a new one).
type Slot = (EntitySpan, Option<u32>, Option<u32>, Option<usize>);

/// Inserts `added` (entities with their actors) into `doc.entities` in text
/// order, renumbering what points at entities: the entity → actor and
/// entity → place tables and the actors' mentions.
fn insert_entities(doc: &mut Doc, added: Vec<(EntitySpan, u32)>) {
    if added.is_empty() {
        return;
    }
    let old = doc.entities.len();
    let mut all: Vec<Slot> = doc
        .entities
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let actor = doc.entity_actor.get(k).copied().flatten();
            let place = doc.entity_place.get(k).copied().flatten();
            (*e, actor, place, Some(k))
        })
        .collect();
    all.extend(added.into_iter().map(|(e, a)| (e, Some(a), None, None)));
    all.sort_by_key(|(e, _, _, _)| (e.start, e.end));
    let mut new_index = vec![0u32; old];
    for (k, (_, _, _, was)) in all.iter().enumerate() {
        if let Some(w) = was {
            new_index[*w] = k as u32;
        }
    }
    for a in &mut doc.actors {
        for m in &mut a.mentions {
            if let Some(&k) = new_index.get(*m as usize) {
                *m = k;
            }
        }
    }
    for (k, (_, actor, _, was)) in all.iter().enumerate() {
        if was.is_none() {
            if let Some(a) = actor.and_then(|a| doc.actors.get_mut(a as usize)) {
                a.mentions.push(k as u32);
                a.mentions.sort_unstable();
            }
        }
    }
    doc.entity_actor = all.iter().map(|x| x.1).collect();
    doc.entity_place = all.iter().map(|x| x.2).collect();
    doc.entities = all.into_iter().map(|x| x.0).collect();
}
