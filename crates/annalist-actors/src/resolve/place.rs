//! The place pass of the entity scan: a LOC entity that acts is the
//! country it names or is part of, a capital is its government, and a town
//! is the country of the people from it or of its own government; a place
//! after a locative preposition is no actor.

use super::{capitalised, span, ActorResolver, Mention, Scan};
use annalist_doc::coded::Actor;
use annalist_kb::without_compass;
use std::ops::Range;

impl ActorResolver {
    /// A LOC entity: the country (or capital's government, or town's
    /// country) acting, one actor for all mentions of the same country.
    pub(super) fn place(&self, scan: &mut Scan, m: &Mention) {
        let Scan {
            doc,
            text,
            words,
            entities,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ..
        } = *scan;
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention {
            k,
            s,
            t_end,
            name,
            next,
            ..
        } = m;
        let (bytes, prev) = (&m.bytes, &m.prev);
        if prev
            .as_deref()
            .is_some_and(|p| crate::words::locative_prepositions().contains(p))
        {
            // A place, not an actor ("a curfew in Algiers"); the
            // place resolver gives its country, which the
            // country ranker reads as what the story is about.
            return;
        }
        // "South Lebanon", "northern Iraq": a part of a country
        // acting or suffered is the country.
        let name = without_compass(name)
            .filter(|rest| self.kb.country(name).is_none() && self.kb.country(rest).is_some())
            .unwrap_or(name);
        let (country, sectors) = match self.country_of(name, true) {
            Some(c) if self.kb.country(name).is_some() => (Some(c), Vec::new()),
            _ => {
                let modified = next.is_some_and(|w| {
                    capitalised(w) || crate::words::capital_modifiers().contains(&w.to_lowercase())
                });
                match self.kb.country_of_capital(name) {
                    Some(c) if !modified => (Some(c.iso3.clone()), vec!["GOV".to_string()]),
                    _ => {
                        // "a 36-year-old Cheltenham man": a town
                        // before a word for people says where
                        // they are from.
                        let people = next.is_some_and(|w| {
                            crate::words::local_people().contains(&w.to_lowercase())
                        });
                        // "the government of Sindh province": a
                        // division's own government acts for its
                        // country.
                        let governed = prev.as_deref() == Some("of")
                            && s >= 2
                            && matches!(
                                words[s - 2].to_lowercase().as_str(),
                                "government" | "governor" | "authorities" | "administration"
                            );
                        let home = (people || governed)
                            .then(|| self.town_country(name, 0))
                            .flatten();
                        if let Some(c) = home {
                            let end = if people { t_end + 1 } else { t_end };
                            let full = span_of(s..end);
                            actors.push(Actor {
                                name: text[full.clone()].to_string(),
                                country: Some(c),
                                mentions: vec![k as u32],
                                span: full,
                                decided_by: vec![crate::passes::TOWN_PEOPLE],
                                ..Actor::default()
                            });
                            entity_actor[k] = Some((actors.len() - 1) as u32);
                            token_actor[s..end].fill(Some((actors.len() - 1) as u32));
                        }
                        return;
                    }
                }
            }
        };
        // A country is one actor whatever it is called ("U.S.",
        // "the United States", "America"), named as the knowledge
        // base names it; a capital keeps its own name.
        let canonical = sectors
            .is_empty()
            .then(|| self.kb.country(name).map(|c| c.name.clone()))
            .flatten();
        let idx = match actors.iter().position(|a| {
            a.country == country
                && a.sectors == sectors
                && (a.name.eq_ignore_ascii_case(name)
                    || (canonical.is_some() && a.is_country_level(entities)))
        }) {
            Some(i) => {
                actors[i].mentions.push(k as u32);
                i
            }
            None => {
                let pass = if sectors.is_empty() {
                    crate::passes::COUNTRY
                } else {
                    crate::passes::CAPITAL
                };
                actors.push(Actor {
                    name: canonical.unwrap_or_else(|| name.to_string()),
                    country,
                    sectors,
                    mentions: vec![k as u32],
                    span: bytes.clone(),
                    decided_by: vec![pass],
                    ..Actor::default()
                });
                actors.len() - 1
            }
        };
        entity_actor[k] = Some(idx as u32);
        token_actor[s..t_end].fill(Some(idx as u32));
    }
}
