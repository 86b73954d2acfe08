//! The person pass of the entity scan: a PER entity's name without its
//! title words, its role from the text around it (the title before it, a
//! role before a comma, an appositive, "of" and a country after it), and
//! one actor for all mentions of the same person.

use super::{capitalised, continues_a_name, is_verb, span, ActorResolver, Mention, Role, Scan};
use crate::passes;
use annalist_doc::coded::Actor;
use annalist_doc::EntityType;
use std::ops::Range;

impl ActorResolver {
    /// A PER entity: the person it names, merged with an earlier mention of
    /// the same person, with the role the text gives it.
    pub(super) fn person(&self, scan: &mut Scan, m: &Mention) {
        let (name_start, title_place) = self.name_start(scan, m);
        let (left, role) = self.person_role(scan, m, name_start, title_place);
        self.person_actor(scan, m, name_start, left, role);
    }

    /// Where the name of a PER entity starts after the title words the
    /// tagger took into it, and the country of a title place among them.
    fn name_start(&self, scan: &Scan, m: &Mention) -> (usize, Option<String>) {
        let words = scan.words;
        let &Mention {
            s,
            t_end,
            sent_start,
            ..
        } = m;
        // Leading title words inside the entity ("General Bagheri").
        let mut name_start = s;
        // Title words, and the place of a title the tagger took
        // into the name ("[Prime Minister] of Slovakia Igor
        // Matovič", "[Senator from] Vermont Bernie Sanders"),
        // are not the name; a name keeps two words at least.
        let mut title_place: Option<String> = None;
        while name_start + 1 < t_end {
            let w = words[name_start];
            if self.agents.roles(&[w]).person_title {
                name_start += 1;
                continue;
            }
            if t_end - name_start <= 2 {
                break;
            }
            if !capitalised(w) {
                name_start += 1;
                continue;
            }
            let region = self
                .kb
                .places(w)
                .into_iter()
                .find(|p| matches!(p.feature, "ADM1" | "PCLI") && p.population > 100_000);
            match region.and_then(|p| p.country.map(|c| c.as_str().to_string())) {
                Some(c) => {
                    // "Ambassador to [the] Netherlands Alireza
                    // ...": the host country, not the employer.
                    let host = name_start == s
                        && (s > sent_start && words[s - 1] == "to"
                            || s > sent_start + 1 && words[s - 1] == "the" && words[s - 2] == "to");
                    if !host {
                        title_place.get_or_insert(c);
                    }
                    name_start += 1;
                }
                None => break,
            }
        }
        (name_start, title_place)
    }

    /// The role of a person from the text around the name: the title
    /// before it (from token `left.start`, which this returns with the
    /// role), else a role before a comma, an appositive, or "of" and a
    /// place after the name.
    fn person_role(
        &self,
        scan: &mut Scan,
        m: &Mention,
        name_start: usize,
        title_place: Option<String>,
    ) -> (Range<usize>, Role) {
        let (doc, text, words, entities) = (scan.doc, scan.text, scan.words, scan.entities);
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention {
            s,
            t_end,
            sent_start,
            ..
        } = m;
        let left = self.left_title(words, sent_start, s);
        let mut role = self.role_of(doc, words, left.start..name_start.max(left.start));
        if role.country.is_some() || !role.sectors.is_empty() {
            role.by.push(passes::TITLE);
        }
        if role.country.is_none() && title_place.is_some() {
            role.country = title_place;
            role.by.push(passes::TITLE_PLACE);
        }
        // "The MKO leader Maryam Rajavi", "Hamas chief X": an organisation
        // the title names, and the knowledge base knows, gives its country.
        if role.country.is_none() {
            let org = (left.start..name_start).find_map(|t| {
                let ek = scan.tok_entity[t]?;
                let ent = &entities[ek];
                // The organisation's whole name, not the tail of a longer one.
                let st = ent.start as usize;
                let whole = !continues_a_name(st.checked_sub(1).map(|p| words[p]));
                (ent.label == EntityType::Org && whole)
                    .then(|| {
                        self.organisation_country(
                            &text[span_of(ent.start as usize..ent.end as usize)],
                        )
                    })
                    .flatten()
            });
            if org.is_some() {
                role.country = org;
                role.by.push(passes::TITLE);
            }
        }
        // A role before the comma: "the general manager of Abu
        // Dhabi Media, Dr Ali bin Tamim". Only with role words, so
        // that "In Berlin, Macron said" gives nothing.
        let comma = left.start.min(s);
        if role.sectors.is_empty()
            && role.country.is_none()
            && comma > sent_start + 1
            && words[comma - 1] == ","
        {
            let before = self.left_title(words, sent_start, comma - 1);
            let r = self.role_of(doc, words, before);
            if !r.sectors.is_empty() {
                role.country = r.country;
                role.sectors = r.sectors;
                role.by.push(passes::ROLE_BEFORE_COMMA);
            }
        }
        self.appositive_role(scan, m, &left, name_start, &mut role);
        let tok_entity = &scan.tok_entity;
        // "Prime Minister Igor Matovič of the Slovak Republic".
        if role.country.is_none() && words.get(t_end) == Some(&"of") {
            let at = t_end + 1 + usize::from(words.get(t_end + 1) == Some(&"the"));
            if let Some(ek) = tok_entity.get(at).copied().flatten() {
                let ent = &entities[ek];
                let ent_text = &text[span_of(ent.start as usize..ent.end as usize)];
                if ent.label == EntityType::Loc && ent.start as usize == at {
                    role.country = self.country_of(ent_text, true);
                    if role.country.is_some() {
                        role.by.push(passes::OF_COUNTRY);
                    }
                }
            }
        }
        (left, role)
    }

    /// Reads the appositive after a person's name into `role`: its role
    /// words where the title before the name (from token `left.start` to
    /// `name_start`) gives none or only a rank, and its country where
    /// `role` has none yet. The entities inside it are consumed.
    fn appositive_role(
        &self,
        scan: &mut Scan,
        m: &Mention,
        left: &Range<usize>,
        name_start: usize,
        role: &mut Role,
    ) {
        let Scan {
            doc,
            text,
            words,
            entities,
            ref tok_entity,
            ref mut consumed,
            ..
        } = *scan;
        let span_of = |r: Range<usize>| span(doc, r);
        let &Mention {
            t_end, sent_end, ..
        } = m;
        // "Yousef Al-Othaimeen, Pope Francis, and ...": a name
        // after the comma makes a list, not an appositive.
        // A verb after the comma starts a clause: "Dr Ali bin
        // Tamim, attributed the bombing to Houthi rebels".
        let app = self.appositive(doc, words, t_end, sent_end).filter(|app| {
            !is_verb(doc, app.start)
                && !app
                    .clone()
                    .any(|t| tok_entity[t].is_some_and(|ek| entities[ek].label == EntityType::Per))
        });
        if let Some(app) = app {
            let r = self.role_of(doc, words, app.clone());
            let ranks_only = (left.start..name_start)
                .all(|t| annalist_doc::words::ranks().contains(&words[t].to_lowercase()));
            if (role.sectors.is_empty() || ranks_only) && !r.sectors.is_empty() {
                role.sectors = r.sectors;
                role.title = r.title;
                role.note(passes::APPOSITIVE);
            }
            // A country named by an entity inside the appositive.
            // ... or an intergovernmental organisation ("Kenzo
            // Oshima, the United Nations Emergency Relief
            // Coordinator" speaks for the UN).
            let app_country = app.clone().find_map(|t| {
                let ek = tok_entity[t]?;
                let ent = &entities[ek];
                let ent_text = &text[span_of(ent.start as usize..ent.end as usize)];
                match ent.label {
                    EntityType::Loc => {
                        consumed[ek] = true;
                        self.country_of(ent_text, true)
                    }
                    EntityType::Org => self.organisation_country(ent_text),
                    _ => None,
                }
            });
            if role.country.is_none() {
                role.country = r.country.or(app_country);
                if role.country.is_some() {
                    role.note(passes::APPOSITIVE);
                }
            }
            for t in app {
                if let Some(ek) = tok_entity[t] {
                    consumed[ek] = true;
                }
            }
        }
    }

    /// The actor of a person: an earlier one of the same surname, given
    /// what it lacks of `role`, else a new one. Its tokens, from the title
    /// at `left` on, are the actor's, and the entities among them are
    /// consumed.
    fn person_actor(
        &self,
        scan: &mut Scan,
        m: &Mention,
        name_start: usize,
        left: Range<usize>,
        role: Role,
    ) {
        let Scan {
            doc,
            text,
            words,
            entities,
            ref tok_entity,
            ref mut actors,
            ref mut entity_actor,
            ref mut token_actor,
            ref mut consumed,
            ..
        } = *scan;
        let &Mention { k, t_end, .. } = m;
        let bytes = &m.bytes;
        let span_of = |r: Range<usize>| span(doc, r);
        let person = span_of(name_start..t_end);
        let person_name = text[person.clone()].to_string();
        // Merge with an earlier mention of the same person (by surname).
        let surname = words[t_end - 1].to_lowercase();
        let person = |a: &Actor| {
            a.mentions
                .first()
                .is_some_and(|&m| entities[m as usize].label == EntityType::Per)
        };
        let by_surname = actors.iter().position(|a| {
            a.name.split_whitespace().last().map(str::to_lowercase) == Some(surname.clone())
                && person(a)
        });
        let join = if by_surname.is_some() {
            passes::SAME_PERSON
        } else {
            passes::SURNAME_FIRST
        };
        let found = by_surname.or_else(|| {
            // R-SURNAME-FIRST: a one-word name that begins a
            // person's name given earlier is that person
            // (Chinese and Korean names put the surname
            // first: "Hu Jintao" ... "Hu").
            (t_end - name_start == 1)
                .then(|| {
                    actors.iter().position(|a| {
                        let mut w = a.name.split_whitespace();
                        w.next().map(str::to_lowercase) == Some(surname.clone())
                            && w.next().is_some()
                            && person(a)
                    })
                })
                .flatten()
        });
        let idx = match found {
            Some(i) => {
                let a = &mut actors[i];
                a.decided(join);
                let gives = a.country.is_none() && role.country.is_some()
                    || a.sectors.is_empty() && !role.sectors.is_empty();
                if a.country.is_none() {
                    a.country = role.country.clone();
                }
                if a.sectors.is_empty() {
                    a.sectors = role.sectors.clone();
                }
                if gives {
                    for &id in &role.by {
                        a.decided(id);
                    }
                }
                if a.name.split_whitespace().count() < person_name.split_whitespace().count() {
                    a.name = person_name.clone();
                }
                a.mentions.push(k as u32);
                i
            }
            None => {
                let mut actor = Actor {
                    name: person_name.clone(),
                    country: role.country.clone(),
                    sectors: role.sectors.clone(),
                    title: role.title.clone().map(|r| text[r].to_string()),
                    mentions: vec![k as u32],
                    span: bytes.clone(),
                    decided_by: [passes::PERSON]
                        .into_iter()
                        .chain(role.by.iter().copied())
                        .collect(),
                    ..Actor::default()
                };
                if actor.country.is_none() || actor.sectors.is_empty() {
                    self.office_fallback(&mut actor, doc.meta.published.as_deref());
                }
                actors.push(actor);
                actors.len() - 1
            }
        };
        entity_actor[k] = Some(idx as u32);
        for t in left.start..t_end {
            token_actor[t] = Some(idx as u32);
            if let Some(ek) = tok_entity[t] {
                if ek != k && entities[ek].label != EntityType::Per {
                    consumed[ek] = true;
                }
            }
        }
    }
}
