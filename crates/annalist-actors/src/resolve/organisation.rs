//! The organisation pass of the entity scan: an ORG entity is an actor
//! unless it is a news outlet, the publisher or a document, with the
//! country of the place after "of", of its role words, of an
//! intergovernmental organisation or of a known group.

use super::{igo_country, is_news_outlet, span, ActorResolver, Mention, Scan};
use crate::passes;
use annalist_doc::coded::Actor;
use annalist_doc::EntityType;
use std::ops::Range;

impl ActorResolver {
    /// An ORG entity: the organisation it names, one actor for all
    /// mentions of the same name.
    pub(super) fn organisation(&self, scan: &mut Scan, m: &Mention) {
        let Scan {
            doc,
            text,
            words,
            entities,
            ref tok_entity,
            ref publisher,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ref mut consumed,
            ..
        } = *scan;
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention {
            k,
            s,
            t_end,
            sent_start,
            name,
            next,
            ..
        } = m;
        // "Revolutionary United Front (RUF)": the abbreviation in
        // brackets is another mention of the organisation before.
        let bracketed = s >= 2 && words[s - 1] == "(" && words.get(t_end) == Some(&")");
        if let Some(i) = bracketed.then(|| token_actor[s - 2]).flatten() {
            let a = &mut actors[i as usize];
            let org = a
                .mentions
                .first()
                .is_some_and(|&m| entities[m as usize].label == EntityType::Org);
            if org {
                a.mentions.push(k as u32);
                entity_actor[k] = Some(i);
                token_actor[s..t_end].fill(Some(i));
                return;
            }
        }
        if is_news_outlet(name)
            || (!publisher.is_empty() && name.to_lowercase() == *publisher)
            || self.agents.is_document(name)
        {
            return;
        }
        let mut end = t_end;
        // "State Security Committee of the Republic of Tajikistan": the
        // place after `of (the)` belongs to the organisation.
        let mut of_country = None;
        if next == Some("of") {
            let mut j = t_end + 1;
            if words.get(j) == Some(&"the") {
                j += 1;
            }
            if let Some(ek) = words.get(j).and_then(|_| tok_entity[j]) {
                let ent = &entities[ek];
                if ent.label == EntityType::Loc && ent.start as usize == j {
                    let ent_text = &text[span_of(ent.start as usize..ent.end as usize)];
                    of_country = self.country_of(ent_text, true);
                    consumed[ek] = true;
                    end = ent.end as usize;
                }
            }
        }
        let igo = self.kb.igo(name);
        let left = self.left_title(words, sent_start, s);
        let mut role = self.role_of(doc, words, left.start..end);
        let mut by = vec![passes::ORGANISATION];
        if role.country.is_none() && of_country.is_some() {
            role.country = of_country;
            by.push(passes::OF_COUNTRY);
        }
        // "the MKO, an Iranian opposition group": a demonym opening the
        // appositive says whose the organisation is.
        if role.country.is_none() && words.get(t_end) == Some(&",") {
            let at = t_end
                + 1
                + usize::from(matches!(words.get(t_end + 1), Some(&("a" | "an" | "the"))));
            let demonym = words
                .get(at)
                .and_then(|w| self.kb.demonym(w))
                .map(|c| c.iso3.clone());
            if demonym.is_some() {
                role.country = demonym;
                by.push(passes::APPOSITIVE);
            }
        }
        // Named non-state groups and organisations of the
        // knowledge base ("Hamas", "the Abu Sayyaf Group").
        let known = || {
            self.kb
                .office_holders(name)
                .into_iter()
                .find(|o| o.position == annalist_kb::ORGANISATION)
        };
        let (country, cameo) = match igo {
            Some(g) => {
                by.push(passes::IGO);
                (Some(igo_country(g).to_string()), Some(g.cameo.to_string()))
            }
            None => match role.country.clone() {
                Some(c) => (Some(c), None),
                None => match known() {
                    Some(o) => {
                        by.push(passes::KNOWN_GROUP);
                        if role.sectors.is_empty() {
                            role.sectors = o.sectors.clone();
                        }
                        (Some(o.country.clone()), None)
                    }
                    None => (None, None),
                },
            },
        };
        let full = span_of(s..end);
        let org_name = text[full.clone()].to_string();
        let idx = match actors
            .iter()
            .position(|a| a.name.eq_ignore_ascii_case(&org_name))
        {
            Some(i) => {
                actors[i].mentions.push(k as u32);
                i
            }
            None => {
                actors.push(Actor {
                    name: org_name,
                    country,
                    sectors: role.sectors,
                    mentions: vec![k as u32],
                    cameo,
                    span: full,
                    decided_by: by,
                    ..Actor::default()
                });
                actors.len() - 1
            }
        };
        entity_actor[k] = Some(idx as u32);
        token_actor[left.start..end].fill(Some(idx as u32));
    }
}
