//! The nationality pass of the entity scan: a NORP entity begins the name
//! of an intergovernmental organisation ("European Union"), a person's
//! title, or a role ("the Iranian ministry of defense"); a plural demonym
//! is a people acting, and any other stands for its country.

use super::{
    capitalised, country_level_actor, igo_country, is_break, span, ActorResolver, Mention, Scan,
};
use crate::agents::RoleMatch;
use annalist_doc::coded::Actor;
use annalist_doc::EntityType;
use annalist_kb::without_compass;
use std::ops::Range;

impl ActorResolver {
    /// A NORP entity "Europeans" not followed by "Union": the European
    /// Union's countries as one actor.
    pub(super) fn europeans(&self, scan: &mut Scan, m: &Mention) {
        let Scan {
            entities,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ..
        } = *scan;
        let &Mention { k, s, t_end, .. } = m;
        let bytes = &m.bytes;
        // "The Europeans could show ...": in political news, the
        // European Union's states acting together, one actor
        // with "the EU".
        let idx = country_level_actor(actors, entities, "EUR", "European Union", k, bytes.clone());
        entity_actor[k] = Some(idx as u32);
        token_actor[s..t_end].fill(Some(idx as u32));
    }

    /// A NORP entity: an intergovernmental organisation it begins, else
    /// nothing where it is part of a person's title, else the role it
    /// qualifies, the people it names, or its country.
    pub(super) fn nationality(&self, scan: &mut Scan, m: &Mention) {
        if self.union_name(scan, m) {
            return;
        }
        let Scan {
            words,
            entities,
            ref tok_entity,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ..
        } = *scan;
        let &Mention {
            k,
            s,
            t_end,
            sent_end,
            name,
            ..
        } = m;
        let bytes = &m.bytes;
        // "the Iranian ministry of defense", "the Tajik defense minister".
        let mut window = t_end;
        while window < sent_end
            && window - t_end < 6
            && !is_break(words[window])
            && tok_entity[window].is_none()
        {
            window += 1;
        }
        // A name follows: the NORP is part of that person's title
        // ("Tajik Defense Minister General Shirali Mirzo"), when
        // only title words stand between them; "Burmese troops
        // have captured part of a Karen stronghold" is no title.
        let title_between = (t_end..window)
            .all(|t| capitalised(words[t]) || self.agents.roles(&[words[t]]).person_title);
        if title_between
            && tok_entity
                .get(window)
                .copied()
                .flatten()
                .is_some_and(|ek| entities[ek].label == EntityType::Per)
        {
            return;
        }
        // "Hungarian and Romanian officials": the role follows the last demonym.
        let coordinated = words.get(t_end) == Some(&"and")
            && tok_entity
                .get(t_end + 1)
                .copied()
                .flatten()
                .is_some_and(|ek| entities[ek].label == EntityType::Norp);
        let (t_end, window) = if coordinated {
            let other = &entities[tok_entity[t_end + 1].unwrap_or(k)];
            let from = other.end as usize;
            let mut w = from;
            while w < sent_end && w - from < 6 && !is_break(words[w]) && tok_entity[w].is_none() {
                w += 1;
            }
            (from, w)
        } else {
            (t_end, window)
        };
        let role = self.agents.roles(&words[t_end..window]);
        // The role must start right after the demonym, or after one
        // more word ("Iranian officials", "Iranian top officials").
        let role_end = role
            .spans
            .iter()
            .filter(|(a, _)| *a <= 1)
            .map(|(_, b)| t_end + b)
            .max();
        // A plural demonym is a people acting ("Palestinians protested").
        let plural_people = name.ends_with('s') && self.kb.demonym(name).is_some();
        let (j, role) = match role_end {
            Some(j) if !role.sectors.is_empty() => (j, role),
            _ if plural_people => (t_end, crate::agents::RoleMatch::default()),
            _ => {
                // "an Indian proposal", "Israeli helicopters": the
                // demonym stands for its country, the party behind
                // the thing named. The actor is the country itself,
                // merged with the country's other mentions.
                if let Some(c) = self.kb.demonym(name) {
                    let idx =
                        country_level_actor(actors, entities, &c.iso3, &c.name, k, bytes.clone());
                    entity_actor[k] = Some(idx as u32);
                    token_actor[s..t_end].fill(Some(idx as u32));
                }
                return;
            }
        };
        let mut country = self.kb.demonym(name).map(|c| c.iso3.clone());
        if plural_people {
            self.host_country(scan, m, j, &mut country);
        }
        self.nationality_actor(scan, m, j, country, role);
    }

    /// Whether the NORP entity begins the name of an intergovernmental
    /// organisation, whose actor it then joins.
    fn union_name(&self, scan: &mut Scan, m: &Mention) -> bool {
        let Scan {
            doc,
            text,
            words,
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
            sent_end,
            ..
        } = m;
        // "European Union", "African Union": an organisation, not a demonym.
        let mut org_end = t_end;
        while org_end < sent_end && org_end - t_end < 4 && capitalised(words[org_end]) {
            org_end += 1;
        }
        if let Some(g) = (t_end + 1..=org_end)
            .rev()
            .find_map(|e| self.kb.igo(&text[span_of(s..e)]).map(|g| (e, g)))
        {
            let (e, g) = g;
            let org_name = text[span_of(s..e)].to_string();
            let idx = match actors.iter().position(|a| a.name == org_name) {
                Some(i) => i,
                None => {
                    actors.push(Actor {
                        name: org_name,
                        country: Some(igo_country(g).to_string()),
                        cameo: Some(g.cameo.to_string()),
                        span: span_of(s..e),
                        decided_by: vec![crate::passes::IGO],
                        ..Actor::default()
                    });
                    actors.len() - 1
                }
            };
            actors[idx].mentions.push(k as u32);
            entity_actor[k] = Some(idx as u32);
            token_actor[s..e].fill(Some(idx as u32));
            return true;
        }
        false
    }

    /// Sets `country` of a plural demonym naming a people (tokens `s..j`)
    /// to the country the sentence places that people in, if it does.
    fn host_country(&self, scan: &Scan, m: &Mention, j: usize, country: &mut Option<String>) {
        let (doc, text, entities, tok_entity) =
            (scan.doc, scan.text, scan.entities, &scan.tok_entity);
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention {
            sent_start,
            sent_end,
            ..
        } = m;
        let (words, prev) = (scan.words, &m.prev);
        // A people named where it lives is of that country:
        // "Albanians of southern Serbia", "ethnic Albanians
        // demonstrated in Serbia" are Serbia's. "Ethnic" says
        // so for a country anywhere in the sentence.
        let ethnic = prev.as_deref() == Some("ethnic");
        let host = |ek: usize| {
            let e = &entities[ek];
            if e.label != EntityType::Loc {
                return None;
            }
            let place = &text[span_of(e.start as usize..e.end as usize)];
            let bare = without_compass(place).unwrap_or(place);
            self.kb.country(bare).map(|c| c.iso3.clone())
        };
        let adjacent = matches!(words.get(j), Some(&"of") | Some(&"in"))
            .then(|| {
                (j + 1..(j + 3).min(sent_end))
                    .find_map(|t| tok_entity[t])
                    .and_then(host)
            })
            .flatten();
        let anywhere = ethnic
            .then(|| {
                (sent_start..sent_end)
                    .filter_map(|t| tok_entity[t])
                    .filter_map(host)
                    .find(|c| Some(c) != country.as_ref())
            })
            .flatten();
        if let Some(c) = adjacent.or(anywhere) {
            *country = Some(c);
        }
    }

    /// The actor of a demonym and the role after it (tokens `s..j`): the
    /// person a definite description describes, else an actor of the same
    /// name, else a new one.
    fn nationality_actor(
        &self,
        scan: &mut Scan,
        m: &Mention,
        j: usize,
        country: Option<String>,
        role: RoleMatch,
    ) {
        let Scan {
            doc,
            text,
            entities,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ..
        } = *scan;
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention { k, s, .. } = m;
        let prev = &m.prev;
        let definite = prev.as_deref() == Some("the");
        let full = span_of(s..j);
        let phrase = text[full.clone()].to_string();
        // A definite description joins the person it describes.
        let person = definite
            .then(|| {
                actors.iter().position(|a| {
                    a.country == country
                        && a.mentions
                            .first()
                            .is_some_and(|&m| entities[m as usize].label == EntityType::Per)
                        && role.sectors.iter().all(|x| a.sectors.contains(x))
                })
            })
            .flatten();
        let idx = match person.or_else(|| {
            actors
                .iter()
                .position(|a| a.name.eq_ignore_ascii_case(&phrase))
        }) {
            Some(i) => {
                actors[i].mentions.push(k as u32);
                i
            }
            None => {
                actors.push(Actor {
                    name: phrase,
                    country,
                    sectors: role.sectors,
                    mentions: vec![k as u32],
                    span: full,
                    decided_by: vec![crate::passes::NATIONALITY],
                    ..Actor::default()
                });
                actors.len() - 1
            }
        };
        entity_actor[k] = Some(idx as u32);
        token_actor[s..j].fill(Some(idx as u32));
    }
}
