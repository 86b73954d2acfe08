//! Actor resolution: who each mention is.
//!
//! The text itself is the first source of roles, because dictionaries go
//! stale: titles before a name ("Tajik Defense Minister General Shirali
//! Mirzo"), appositives after it ("Saimumin Yatimov, Chairman of the State
//! Security Committee of the Republic of Tajikistan"), possessives and
//! demonyms, organisation names ("Tajik Air Force") and nominal mentions
//! ("the Iranian ministry of defense"). The knowledge base of office holders
//! is used only when the text gives no role. Mentions of one person are
//! merged by surname ("General Mirzo", "Mirzo"), and a definite description
//! ("the Tajik defense minister") joins the person it describes.
//!
//! News agencies cited as sources ("according to Fars News") and the
//! publisher are not actors; a capital used as a metonym ("cooperation
//! between Tehran and Dushanbe") is its government; a country or city after
//! a locative preposition ("in Dushanbe") is a place, not an actor.

use crate::agents::Agents;
use crate::passes;
use annalist_doc::coded::{Actor, Place};
use annalist_doc::{Doc, EntitySpan, EntityType};
use annalist_kb::{Context, Kb, MatchKind};
use std::ops::Range;

mod nationality;
mod organisation;
mod person;
mod place;

/// The actor that stands for country (or union) `code` alone, with mention
/// `k` added: the existing one whatever the text called it, else a new one
/// named `name` whose text is `span`.
fn country_level_actor(
    actors: &mut Vec<Actor>,
    entities: &[annalist_doc::EntitySpan],
    code: &str,
    name: &str,
    k: usize,
    span: Range<usize>,
) -> usize {
    if let Some(i) = actors
        .iter()
        .position(|a| a.country.as_deref() == Some(code) && a.is_country_level(entities))
    {
        actors[i].mentions.push(k as u32);
        return i;
    }
    actors.push(Actor {
        name: name.to_string(),
        country: Some(code.to_string()),
        mentions: vec![k as u32],
        span,
        decided_by: vec![passes::NATIONALITY],
        ..Actor::default()
    });
    actors.len() - 1
}

/// The town a facility's name starts with ("Jolo" in "Jolo Cathedral",
/// "Sanaa" in "Sanaa International Airport"), if the name ends with a word
/// for a building or site.
fn facility_town(name: &str) -> Option<&str> {
    let mut rest = name.trim_end();
    let mut stripped = false;
    while let Some((head, last)) = rest.rsplit_once(' ') {
        let l = last.to_lowercase();
        let site = crate::words::facilities().contains(&l);
        let qualifier = stripped
            && matches!(
                l.as_str(),
                "international" | "national" | "central" | "grand" | "air"
            );
        if !(site || qualifier) {
            break;
        }
        stripped = true;
        rest = head.trim_end();
    }
    (stripped && !rest.is_empty()).then_some(rest)
}

/// The most words of an appositive's head that are read for role words.
const APPOSITIVE_HEAD: usize = 8;

/// A-TITLE-ORGANISATION: a person the text gives no country, whose title
/// names an organisation of the document that has one ("Maryam Rajavi, the
/// leader of the MKO", where the MKO is "an Iranian opposition group"),
/// is of the organisation's country. Run after the scan, when every
/// organisation has its actor.
fn title_organisations(actors: &mut [Actor], entities: &[EntitySpan]) {
    let first_label = |a: &Actor| {
        a.mentions
            .first()
            .and_then(|&m| entities.get(m as usize))
            .map(|e| e.label)
    };
    let orgs: Vec<(String, String)> = actors
        .iter()
        .filter(|a| first_label(a) == Some(EntityType::Org))
        .filter_map(|a| Some((a.name.clone(), a.country.clone()?)))
        .collect();
    for a in actors.iter_mut() {
        if first_label(a) != Some(EntityType::Per) || a.country.is_some() {
            continue;
        }
        let Some(title) = &a.title else { continue };
        let words: Vec<&str> = title
            .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        // The organisation's whole name, not the tail of a longer one.
        let named = |org: &str| {
            let n = org.split_whitespace().count().max(1);
            words.windows(n).enumerate().any(|(i, w)| {
                w.join(" ") == org && !continues_a_name(i.checked_sub(1).map(|p| words[p]))
            })
        };
        if let Some((_, c)) = orgs.iter().find(|(name, _)| named(name)) {
            a.country = Some(c.clone());
            a.decided(passes::TITLE_ORGANISATION);
        }
    }
}

/// Whether a token is punctuation that ends a title or appositive scan.
fn is_break(w: &str) -> bool {
    matches!(
        w,
        "," | "." | ";" | ":" | "(" | ")" | "\"" | "“" | "”" | "!" | "?" | "–" | "—" | "-" | "--"
    )
}

/// Whether token `t` is a verb or auxiliary (false where the doc is not
/// tagged).
fn is_verb(doc: &Doc, t: usize) -> bool {
    doc.tokens.tagged() && matches!(doc.tokens.upos[t].as_str(), "VERB" | "AUX")
}

fn is_possessive(w: &str) -> bool {
    matches!(w, "'s" | "’s" | "'" | "’")
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a name after the word `prev` would be the tail of a longer name
/// ("Security Council" in "Supreme National Security Council" is no UN
/// body): `prev` is capitalised and not a sentence's "The".
fn continues_a_name(prev: Option<&str>) -> bool {
    prev.is_some_and(|w| capitalised(w) && w != "The")
}

/// The record's country code for an intergovernmental organisation: the UN
/// and the EU have their own PLOVER codes, the others are `IGO`.
fn igo_country(g: &annalist_kb::Igo) -> &'static str {
    if matches!(g.org, "UNO" | "EUR") {
        g.org
    } else {
        g.code
    }
}

/// Whether a text names a news outlet (so it is a source, never an actor).
pub fn is_news_outlet(text: &str) -> bool {
    let t = text.trim().trim_start_matches("the ").to_lowercase();
    annalist_doc::words::news_outlets().contains_ignore_case(&t)
        || t.ends_with("news agency")
        || t.ends_with(" news")
        || t.ends_with(" tv")
}

/// The actor layer: agents lexicon plus knowledge base.
pub struct ActorResolver {
    agents: Agents,
    /// Ranks the countries of an actor the text gives none (`None`: such
    /// actors keep none, as when the ranker is being trained).
    country_model: Option<crate::fallback::CountryModel>,
    /// How the ranker and R-COUNTRY-DOMINANT share the choice.
    country_policy: crate::fallback::CountryPolicy,
    kb: &'static Kb,
    /// Lower-case surname → indices into `kb.offices()`, for people the
    /// text names by surname alone ("Putin").
    surnames: std::collections::HashMap<String, Vec<usize>>,
}

/// What the resolver knows about a span of role words.
#[derive(Debug, Default, Clone)]
struct Role {
    country: Option<String>,
    sectors: Vec<String>,
    /// Byte span of the role words after any country word ("Armed Forces Chief of Staff").
    title: Option<Range<usize>>,
    /// The passes that gave the role its country or sectors
    /// (`passes.toml`), for [`Actor::decided_by`].
    by: Vec<&'static str>,
}

impl Role {
    /// Notes that pass `id` gave the role something (once).
    fn note(&mut self, id: &'static str) {
        if !self.by.contains(&id) {
            self.by.push(id);
        }
    }
}

/// The entity scan of [`ActorResolver::annotate_with`]: what it reads (the
/// document, its words and entities) and the actors it builds, shared by the
/// passes for each kind of entity (`person`, `organisation`, `place`,
/// `nationality`), which read and extend what the earlier ones found.
struct Scan<'a> {
    doc: &'a Doc,
    /// A copy of the document's text, which the words borrow, so that the
    /// document can be changed once the scan is over.
    text: &'a str,
    words: &'a [&'a str],
    entities: &'a [EntitySpan],
    /// The entity each token belongs to, if any.
    tok_entity: Vec<Option<usize>>,
    /// Byte span of the dateline, whose places are not actors.
    dateline: Option<Range<usize>>,
    /// The publisher's name in lower case, which is no actor.
    publisher: String,
    actors: Vec<Actor>,
    entity_actor: Vec<Option<u32>>,
    token_actor: Vec<Option<u32>>,
    /// Entities that an earlier actor took into its title, name or
    /// appositive, and that are no actors of their own.
    consumed: Vec<bool>,
}

/// One entity as the scan reads it.
struct Mention<'a> {
    /// Index of the entity.
    k: usize,
    /// First token of the name, after a leading article.
    s: usize,
    /// Token after the name.
    t_end: usize,
    /// Byte span of the name.
    bytes: Range<usize>,
    /// Tokens of the sentence that holds the name.
    sent_start: usize,
    sent_end: usize,
    name: &'a str,
    /// The word before the name in its sentence, in lower case.
    prev: Option<String>,
    /// The word after the name.
    next: Option<&'a str>,
}

/// Byte span of tokens `r` (empty for none).
fn span(doc: &Doc, r: Range<usize>) -> Range<usize> {
    if r.is_empty() {
        return 0..0;
    }
    doc.tokens.start[r.start] as usize..doc.tokens.end[r.end - 1] as usize
}

impl<'a> Scan<'a> {
    /// Entity `k` as a mention, or `None` where it is only an article or
    /// lies in the dateline.
    fn mention(&self, k: usize) -> Option<Mention<'a>> {
        let (doc, text, words) = (self.doc, self.text, self.words);
        let n_tok = doc.tokens.len();
        let e = &self.entities[k];
        let (mut s, t_end) = (e.start as usize, (e.end as usize).min(n_tok));
        // A name that keeps its article ("the Netherlands", as Universal
        // NER writes it) is looked up and shown without it.
        while s + 1 < t_end && words[s].eq_ignore_ascii_case("the") {
            s += 1;
        }
        if s >= t_end {
            return None;
        }
        let bytes = span(doc, s..t_end);
        if self
            .dateline
            .as_ref()
            .is_some_and(|d| d.start <= bytes.start && bytes.end <= d.end)
        {
            return None;
        }
        let sent = doc.sentence_of(s).map(|i| doc.sentences[i]);
        let (sent_start, sent_end) =
            sent.map_or((0, n_tok), |x| (x.start as usize, x.end as usize));
        let name = &text[bytes.clone()];
        let prev = (s > sent_start).then(|| words[s - 1].to_lowercase());
        let next = words.get(t_end).copied();
        Some(Mention {
            k,
            s,
            t_end,
            bytes,
            sent_start,
            sent_end,
            name,
            prev,
            next,
        })
    }
}

impl ActorResolver {
    pub fn new(agents: Agents, kb: &'static Kb) -> ActorResolver {
        let mut surnames: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, o) in kb.offices().iter().enumerate() {
            if o.position == annalist_kb::ORGANISATION {
                continue;
            }
            if let Some(last) = o.person.split_whitespace().last() {
                surnames.entry(last.to_lowercase()).or_default().push(i);
            }
        }
        ActorResolver {
            agents,
            country_model: None,
            country_policy: crate::fallback::CountryPolicy::default(),
            kb,
            surnames,
        }
    }

    /// The built-in lexicon, knowledge and country ranker.
    pub fn builtin() -> ActorResolver {
        ActorResolver::new(Agents::builtin(), Kb::builtin())
            .with_country_model(crate::fallback::CountryModel::builtin())
    }

    /// This resolver with `model` ranking the countries of actors the text
    /// gives none (`None`: they keep none).
    pub fn with_country_model(mut self, model: Option<crate::fallback::CountryModel>) -> Self {
        self.country_model = model;
        self
    }

    /// This resolver choosing countries the text gives none under `policy`.
    pub fn with_country_policy(mut self, policy: crate::fallback::CountryPolicy) -> Self {
        self.country_policy = policy;
        self
    }

    /// The country a word or phrase names, as a country (name, alternate
    /// name, code) or demonym; capitals are [`Self::country_or_capital`]'s.
    fn country_of(&self, phrase: &str, allow_ambiguous: bool) -> Option<String> {
        let code = phrase.len() >= 2 && phrase.chars().all(|c| c.is_ascii_uppercase() || c == '.');
        if !capitalised(phrase) || (phrase.len() < 3 && !code) {
            return None;
        }
        if let Some(m) = self.kb.country_match(phrase) {
            if allow_ambiguous || !m.ambiguous {
                return Some(m.country.iso3.clone());
            }
        }
        None
    }

    /// The country of an organisation the knowledge base knows by `name`:
    /// an intergovernmental organisation's code, or the country of a named
    /// group or organisation (the Phoenix dictionaries: "Hamas", "the MKO").
    fn organisation_country(&self, name: &str) -> Option<String> {
        if let Some(g) = self.kb.igo(name) {
            return Some(igo_country(g).to_string());
        }
        self.kb
            .office_holders(name)
            .into_iter()
            .find(|o| o.position == annalist_kb::ORGANISATION)
            .map(|o| o.country.clone())
    }

    /// The country a phrase names, as [`Self::country_of`] does, or as the
    /// country whose capital it is ("Abu Dhabi", "Algiers").
    fn country_or_capital(&self, phrase: &str, allow_ambiguous: bool) -> Option<String> {
        self.country_of(phrase, allow_ambiguous).or_else(|| {
            capitalised(phrase)
                .then(|| self.kb.country_of_capital(phrase))
                .flatten()
                .map(|c| c.iso3.clone())
        })
    }

    /// The country of the most populous place of the gazetteer named `name`
    /// that has at least `min_population` people ("Cheltenham" → GBR).
    fn town_country(&self, name: &str, min_population: u64) -> Option<String> {
        // "Sindh province", "Washington state": the division the kind word
        // names.
        let name = crate::words::division_words()
            .words()
            .iter()
            .find_map(|k| name.strip_suffix(k).and_then(|n| n.strip_suffix(' ')))
            .filter(|n| !n.is_empty())
            .unwrap_or(name);
        self.kb
            .places(name)
            .into_iter()
            .filter(|p| p.population >= min_population)
            .max_by_key(|p| p.population)
            .and_then(|p| p.country)
            .map(|c| c.as_str().to_string())
    }

    /// Reads the country and sectors of role words `words[range]`.
    fn role_of(&self, doc: &Doc, words: &[&str], range: Range<usize>) -> Role {
        let mut role = Role::default();
        if range.is_empty() {
            return role;
        }
        let slice = &words[range.clone()];
        let m = self.agents.roles(slice);
        role.sectors = m.sectors;
        // "envoy to Yemen": a country after `to` is the host (see below).
        let cut = slice
            .iter()
            .position(|w| matches!(*w, "to" | "in" | "for"))
            .unwrap_or(slice.len());
        if let Some(c) = self.agents.roles(&slice[..cut]).country {
            role.country = Some(c);
        }
        // The first country word (trying three-, two- and one-word phrases).
        let mut country_end = None;
        'scan: for i in 0..slice.len() {
            // "envoy to Yemen", "ambassador to Thailand": what follows `to`
            // is the host, not the employer.
            if matches!(slice[i], "to" | "in" | "for") {
                break;
            }
            for n in (1..=3).rev() {
                if i + n > slice.len() {
                    continue;
                }
                let phrase = slice[i..i + n].join(" ");
                let possessive = slice.get(i + n).is_some_and(|w| is_possessive(w));
                // An intergovernmental organisation in the title ("UN special
                // envoy"), named whole: the tail of a longer name is not one
                // ("Supreme National Security Council" is Iran's, not the UN's).
                let tail_of_name = continues_a_name(i.checked_sub(1).map(|p| slice[p]));
                if let Some(g) = self
                    .kb
                    .igo(&phrase)
                    .filter(|_| capitalised(&phrase) && !tail_of_name)
                {
                    if role.country.is_none() {
                        role.country = Some(igo_country(g).to_string());
                    }
                    country_end = Some(i + n + usize::from(possessive));
                    break 'scan;
                }
                // A capital in a title places it too: "the general manager
                // of Abu Dhabi Media".
                if let Some(c) = self.country_or_capital(&phrase, possessive) {
                    if role.country.is_none() {
                        role.country = Some(c);
                    }
                    country_end = Some(i + n + usize::from(possessive));
                    break 'scan;
                }
            }
        }
        // Role words inside the country's or organisation's own name ("European
        // Union") say nothing of the person's role: read the words after it.
        if let Some(ce) = country_end.filter(|&ce| ce < slice.len()) {
            let after = self.agents.roles(&slice[ce..]);
            if !after.sectors.is_empty() {
                role.sectors = after.sectors;
            }
        }
        // The title: role words after the country word, where there are any.
        let from = range.start + country_end.unwrap_or(0);
        let from = (from..range.end)
            .find(|&t| !matches!(words[t], "the" | "of" | "The"))
            .unwrap_or(range.end);
        if from < range.end && !role.sectors.is_empty() {
            let s = doc.tokens.start[from] as usize;
            let e = doc.tokens.end[range.end - 1] as usize;
            role.title = Some(s..e);
        }
        role
    }

    /// The title words right before token `start` in its sentence: capitalised
    /// words, possessives and `of`/`the` inside titles, and lower-case role words.
    fn left_title(&self, words: &[&str], sent_start: usize, start: usize) -> Range<usize> {
        let mut i = start;
        while i > sent_start && start - i < 10 {
            let w = words[i - 1];
            let ok = capitalised(w)
                || is_possessive(w)
                || matches!(w, "of" | "the" | "for" | "to")
                || annalist_doc::words::title_adjectives().contains(w)
                || !self.agents.roles(&[w]).sectors.is_empty();
            // "UN Secretary-General Antonio Guterres": the tokenizer splits
            // the office at its hyphen, which is no break here.
            let hyphenated = w == "-"
                && i >= sent_start + 2
                && self.agents.hyphenated_role([
                    words[i - 2],
                    w,
                    words.get(i).copied().unwrap_or(""),
                ]);
            if !hyphenated && (!ok || is_break(w) || matches!(w, "and" | "or" | "with" | "by")) {
                break;
            }
            i -= 1;
        }
        while i < start && matches!(words[i], "of" | "the" | "for" | "to" | "The") {
            i += 1;
        }
        i..start
    }

    /// The appositive after token `end` (", Chairman of the ... ,"), if its
    /// head holds role words. The head runs to the first verb, relative
    /// pronoun or "of", at most eight words: "the European Union's foreign
    /// policy chief" is a head, and "who met the foreign minister" holds
    /// the role of someone else.
    fn appositive(
        &self,
        doc: &Doc,
        words: &[&str],
        end: usize,
        sent_end: usize,
    ) -> Option<Range<usize>> {
        if words.get(end) != Some(&",") {
            return None;
        }
        let from = end + 1;
        let mut to = from;
        while to < sent_end && to - from < 16 && !is_break(words[to]) {
            to += 1;
        }
        let head_end = (from..to.min(from + APPOSITIVE_HEAD))
            .find(|&t| {
                is_verb(doc, t) || matches!(words[t], "of" | "who" | "which" | "whose" | "that")
            })
            .unwrap_or(to.min(from + APPOSITIVE_HEAD));
        (!self.agents.roles(&words[from..head_end]).sectors.is_empty()).then_some(from..to)
    }

    /// The last actor pass, after the event coder (which reads a
    /// country-level actor by its having no sectors): a country named as an
    /// actor, and an intergovernmental organisation with no sectors, get the
    /// sectors the agents lexicon gives a country (`[country_actor]`,
    /// R-COUNTRY-GOVERNMENT).
    pub fn finish(&self, doc: &mut Doc) {
        let rule = &self.agents.country_actor;
        let entities = &doc.entities;
        for a in &mut doc.actors {
            // An intergovernmental organisation the text names ("the
            // European Union") is a body of governments, as annotators code
            // it.
            let igo = a.sectors.is_empty()
                && matches!(a.country.as_deref(), Some("IGO" | "UNO" | "EUR"))
                && a.mentions.first().is_some_and(|&m| {
                    entities
                        .get(m as usize)
                        .is_some_and(|e| e.label == EntityType::Org)
                });
            if igo {
                a.sectors.clone_from(&rule.sectors);
                a.decided(passes::COUNTRY_GOVERNMENT);
                continue;
            }
            if !a.is_country_level(entities) {
                continue;
            }
            let people = a.mentions.first().is_some_and(|&m| {
                entities.get(m as usize).is_some_and(|e| {
                    let words = doc.text.get(
                        doc.tokens.start[e.start as usize] as usize
                            ..doc.tokens.end[e.end as usize - 1] as usize,
                    );
                    e.label == EntityType::Norp
                        && words.is_some_and(|w| w.len() > 3 && w.ends_with('s'))
                })
            });
            a.sectors = if people {
                rule.people_sectors.clone()
            } else {
                rule.sectors.clone()
            };
            a.decided(passes::COUNTRY_GOVERNMENT);
        }
    }

    /// Resolves the actors of `doc` (which must have tokens, sentences and
    /// entities) and the places of its LOC mentions.
    pub fn annotate(&self, doc: &mut Doc) {
        self.annotate_with(doc, self.country_model.as_ref());
    }

    /// [`Self::annotate`] with `country_model` ranking the countries of
    /// actors the text gives none (`None`: they keep none, as training the
    /// ranker needs).
    pub fn annotate_with(
        &self,
        doc: &mut Doc,
        country_model: Option<&crate::fallback::CountryModel>,
    ) {
        self.add_igo_mentions(doc);
        self.complete_names(doc);
        let n_tok = doc.tokens.len();
        let text = doc.text.clone();
        let words: Vec<&str> = (0..n_tok)
            .map(|i| &text[doc.tokens.start[i] as usize..doc.tokens.end[i] as usize])
            .collect();
        let entities = doc.entities.clone();
        let mut tok_entity: Vec<Option<usize>> = vec![None; n_tok];
        for (k, e) in entities.iter().enumerate() {
            let (a, b) = ((e.start as usize).min(n_tok), (e.end as usize).min(n_tok));
            tok_entity[a..b].fill(Some(k));
        }
        let dateline = doc.meta.dateline.as_ref().map(|d| d.full.clone());
        let publisher = doc
            .meta
            .publisher
            .clone()
            .unwrap_or_default()
            .to_lowercase();
        let mut scan = Scan {
            doc,
            text: &text,
            words: &words,
            entities: &entities,
            tok_entity,
            dateline,
            publisher,
            actors: Vec::new(),
            entity_actor: vec![None; entities.len()],
            token_actor: vec![None; n_tok],
            consumed: vec![false; entities.len()],
        };

        // People and organisations first: their titles and names take the
        // places and demonyms inside them ("Iran’s Armed Forces Chief of
        // Staff ...") before those are read as actors of their own.
        let rank = |l: EntityType| match l {
            EntityType::Per => 0,
            EntityType::Org => 1,
            _ => 2,
        };
        let mut order: Vec<usize> = (0..entities.len()).collect();
        order.sort_by_key(|&k| (rank(entities[k].label), k));
        for k in order {
            if scan.consumed[k] {
                continue;
            }
            let Some(m) = scan.mention(k) else {
                continue;
            };
            match entities[k].label {
                EntityType::Per if crate::words::not_actors().contains(m.name) => {}
                EntityType::Per => self.person(&mut scan, &m),
                EntityType::Org => self.organisation(&mut scan, &m),
                EntityType::Loc => self.place(&mut scan, &m),
                EntityType::Norp if m.name == "Europeans" && m.next != Some("Union") => {
                    self.europeans(&mut scan, &m)
                }
                EntityType::Norp => self.nationality(&mut scan, &m),
                EntityType::Product => {}
            }
        }
        let Scan {
            mut actors,
            entity_actor,
            token_actor,
            ..
        } = scan;
        for a in &mut actors {
            if a.cameo.is_none() {
                a.cameo = a
                    .country
                    .as_ref()
                    .map(|c| format!("{c}{}", a.sectors.first().map_or("", |s| s.as_str())));
            }
        }
        title_organisations(&mut actors, &doc.entities);
        doc.actors = actors;
        doc.entity_actor = entity_actor;
        doc.token_actor = token_actor;
        self.resolve_places(doc, &words);
        crate::nominal::add_nominal_actors(&self.agents, doc, &words);
        // R-COUNTRY-RANKED: actors the text gives no country get the one
        // the learned ranker prefers among the document's states, if any.
        if let Some(model) = country_model {
            crate::fallback::apply(model, doc, self.country_policy);
        }
    }

    /// Adds the intergovernmental organisations the knowledge base names
    /// ("the United Nations", "the European Community") where the tagger of
    /// entities missed them or took a part for a nationality ("European").
    /// Knowledge beats a statistical guess here: these names are unambiguous.
    /// An entity that only partly overlaps the name keeps its place.
    fn add_igo_mentions(&self, doc: &mut Doc) {
        let n = doc.tokens.len();
        let word = |t: usize| &doc.text[doc.tokens.start[t] as usize..doc.tokens.end[t] as usize];
        let mut added: Vec<annalist_doc::EntitySpan> = Vec::new();
        let mut removed: Vec<usize> = Vec::new();
        for sent in &doc.sentences {
            let (mut i, end) = (sent.start as usize, (sent.end as usize).min(n));
            while i < end {
                // Universal NER convention: no leading "the".
                if !capitalised(word(i)) || word(i) == "The" {
                    i += 1;
                    continue;
                }
                let mut found = None;
                for j in (i + 1..=(i + 8).min(end)).rev() {
                    if !capitalised(word(j - 1)) {
                        continue;
                    }
                    let text =
                        &doc.text[doc.tokens.start[i] as usize..doc.tokens.end[j - 1] as usize];
                    if self.kb.igo(text).is_some() {
                        found = Some((j, EntityType::Org));
                        break;
                    }
                    // A country's name of several words ("the United
                    // Kingdom", "Syrian Arab Republic") is as unambiguous,
                    // and the tagger misses it in long lists and titles.
                    let matched = self.kb.country_match(text).filter(|m| !m.ambiguous);
                    let country = matched
                        .as_ref()
                        .filter(|m| matches!(m.kind, MatchKind::Name | MatchKind::AltName));
                    // So is a country's abbreviation of three capitals or
                    // more ("PRC", "UAE"), which the tagger reads as a noun.
                    // Not inside a line in capitals ("IRAN ARE ..."), where
                    // every word looks like one.
                    let shouting = |t: usize| {
                        (sent.start as usize..end).contains(&t)
                            && word(t).len() > 1
                            && word(t).chars().all(|c| !c.is_lowercase())
                    };
                    let abbreviation = j - i == 1
                        && text.len() >= 3
                        && text.chars().all(|c| c.is_ascii_uppercase() || c == '.')
                        && !shouting(i.wrapping_sub(1))
                        && !shouting(j)
                        && matched.as_ref().is_some_and(|m| {
                            matches!(
                                m.kind,
                                MatchKind::Name | MatchKind::AltName | MatchKind::Code
                            )
                        });
                    // A division named before its kind word ("the government
                    // of Sindh province"), when the gazetteer has a division
                    // of that name.
                    let division = j < end
                        && crate::words::division_words().contains(word(j))
                        && self.kb.places(text).iter().any(|p| {
                            matches!(
                                p.kind,
                                annalist_kb::PlaceKind::Admin1 | annalist_kb::PlaceKind::Admin2
                            )
                        });
                    if (j - i >= 2 && text.contains(' ') && country.is_some())
                        || abbreviation
                        || division
                    {
                        found = Some((j, EntityType::Loc));
                        break;
                    }
                }
                let Some((j, label)) = found else {
                    i += 1;
                    continue;
                };
                let overlapping: Vec<usize> = (0..doc.entities.len())
                    .filter(|&k| {
                        let e = &doc.entities[k];
                        (e.start as usize) < j && i < e.end as usize
                    })
                    .collect();
                let inside = overlapping.iter().all(|&k| {
                    let e = &doc.entities[k];
                    i <= e.start as usize && e.end as usize <= j && e.label != EntityType::Per
                });
                let same = overlapping.len() == 1 && {
                    let e = &doc.entities[overlapping[0]];
                    e.start as usize == i && e.end as usize == j && e.label == label
                };
                if inside && !same {
                    removed.extend(overlapping);
                    added.push(annalist_doc::EntitySpan {
                        start: i as u32,
                        end: j as u32,
                        label,
                        nominal: false,
                    });
                }
                i = j;
            }
        }
        if added.is_empty() {
            return;
        }
        let mut entities: Vec<annalist_doc::EntitySpan> = doc
            .entities
            .iter()
            .enumerate()
            .filter(|(k, _)| !removed.contains(k))
            .map(|(_, e)| *e)
            .collect();
        entities.extend(added);
        entities.sort_by_key(|e| e.start);
        doc.entities = entities;
    }

    /// Completes person names the tagger cut short. A name never starts
    /// inside a word ("al-Eryani" tagged from its hyphen), and a name that
    /// starts with a lower-case particle ("al-Eryani", "bin Tamim", "von
    /// der Leyen") takes the capitalised given name before it ("Moammar
    /// al-Eryani"), unless that word is a title or role.
    fn complete_names(&self, doc: &mut Doc) {
        const PARTICLES: &[&str] = &[
            "al", "el", "bin", "ibn", "bint", "abu", "von", "van", "de", "da", "del", "di", "dos",
            "du", "la", "le",
        ];
        let n = doc.tokens.len();
        let word = |t: usize| &doc.text[doc.tokens.start[t] as usize..doc.tokens.end[t] as usize];
        let taken = |t: usize, doc: &Doc| {
            doc.entities
                .iter()
                .any(|e| (e.start as usize..e.end as usize).contains(&t))
        };
        let mut changed = Vec::new();
        for (k, e) in doc.entities.iter().enumerate() {
            if e.label != EntityType::Per {
                continue;
            }
            let mut start = (e.start as usize).min(n);
            let first_sentence_token = doc
                .sentence_of(start)
                .map_or(0, |i| doc.sentences[i].start as usize);
            while start > first_sentence_token
                && start < n
                && doc.tokens.end[start - 1] == doc.tokens.start[start]
                && word(start - 1)
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-')
                && !taken(start - 1, doc)
            {
                start -= 1;
            }
            if start < n
                && PARTICLES.contains(&word(start).trim_end_matches('-'))
                && start > first_sentence_token
                && !taken(start - 1, doc)
            {
                let given = word(start - 1);
                let roles = self.agents.roles(&[given]);
                let is_role = roles.person_title || !roles.sectors.is_empty();
                if capitalised(given) && given.chars().all(char::is_alphabetic) && !is_role {
                    start -= 1;
                }
            }
            if start < e.start as usize {
                changed.push((k, start as u32));
            }
        }
        for (k, start) in changed {
            doc.entities[k].start = start;
        }
    }

    /// Falls back on the office holders of the knowledge base for a person
    /// whose role the text does not give.
    fn office_fallback(&self, actor: &mut Actor, published: Option<&str>) {
        // R-HONORIFIC-NOT-NAME: "Seyyed Ali Khamenei" is looked up as "Ali
        // Khamenei".
        let name = self.agents.honorifics.strip(&actor.name);
        let stripped = name != actor.name;
        let mut offices: Vec<&annalist_kb::Office> = self
            .kb
            .office_holders(name)
            .into_iter()
            .filter(|o| o.position != annalist_kb::ORGANISATION)
            .collect();
        if offices.is_empty() {
            // By surname, when everybody of that surname in the knowledge base
            // held office for one country ("Putin", "Trump").
            let last = name.split_whitespace().last().unwrap_or("").to_lowercase();
            let all = self.kb.offices();
            // Where the text gives a first name, the holder's must agree with
            // it, in full or as an initial ("Ali bin Tamim" is not "M. Tamim").
            let first = name
                .split_whitespace()
                .next()
                .filter(|_| name.split_whitespace().count() > 1)
                .map(str::to_lowercase);
            let agrees = |o: &annalist_kb::Office| {
                let Some(first) = &first else {
                    return true;
                };
                let theirs = o
                    .person
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('.')
                    .to_lowercase();
                theirs == *first
                    || (theirs.chars().count() == 1 && first.starts_with(theirs.as_str()))
            };
            let found: Vec<&annalist_kb::Office> = self
                .surnames
                .get(&last)
                .map(|v| v.iter().map(|&i| &all[i]).filter(|o| agrees(o)).collect())
                .unwrap_or_default();
            let mut people: Vec<&str> = found.iter().map(|o| o.person.as_str()).collect();
            people.sort_unstable();
            people.dedup();
            let mut countries: Vec<&str> = found.iter().map(|o| o.country.as_str()).collect();
            countries.sort_unstable();
            countries.dedup();
            if people.len() == 1 {
                offices = found;
            } else if countries.len() == 1 && actor.country.is_none() {
                // R-SURNAME-ONE-COUNTRY: several people of the surname held
                // office, all for one country ("Khamenei"): the country is
                // known though the person is not, so no office is taken.
                actor.country = countries.first().map(|c| c.to_string());
                actor.decided(passes::SURNAME_ONE_COUNTRY);
            } else if !actor.sectors.is_empty() {
                // "President Bush": of several holders of the surname, those
                // who held an office of the title's kind; where one of their
                // countries dwarfs the others, a bare surname with a title
                // in the news means the leader of that country.
                let fitting: Vec<&annalist_kb::Office> = found
                    .into_iter()
                    .filter(|o| o.sectors.iter().any(|s| actor.sectors.contains(s)))
                    .collect();
                let population = |c: &str| self.kb.country_by_code(c).map_or(0, |c| c.population);
                let mut countries: Vec<&str> = fitting.iter().map(|o| o.country.as_str()).collect();
                countries.sort_unstable_by_key(|c| (std::cmp::Reverse(population(c)), *c));
                countries.dedup();
                let clear = match countries.as_slice() {
                    [only] => Some(*only),
                    [first, second, ..] if population(first) >= 10 * population(second) => {
                        Some(*first)
                    }
                    _ => None,
                };
                if let Some(c) = clear {
                    offices = fitting.into_iter().filter(|o| o.country == c).collect();
                }
            }
        }
        let year = published
            .and_then(|p| p.get(..4))
            .and_then(|y| y.parse::<u32>().ok());
        let in_office = |o: &&&annalist_kb::Office| {
            let y = |s: &Option<String>| {
                s.as_deref()
                    .and_then(|v| v.get(..4))
                    .and_then(|v| v.parse::<u32>().ok())
            };
            match year {
                Some(yr) => {
                    y(&o.start).is_none_or(|s| s <= yr) && y(&o.end).is_none_or(|e| yr <= e)
                }
                None => true,
            }
        };
        let population = |o: &&&annalist_kb::Office| {
            self.kb
                .country_by_code(&o.country)
                .map_or(0, |c| c.population)
        };
        // An office whose dates cover the report beats one without dates (the
        // Phoenix file gives each person an undated default code besides the
        // dated ones: "[ZWEGOV >871231]" and "[ZWEELI]").
        let dated = |o: &&&annalist_kb::Office| o.start.is_some() || o.end.is_some();
        let best = offices
            .iter()
            .filter(in_office)
            .max_by_key(|o| (year.is_some() && dated(o), population(o)))
            .or_else(|| offices.iter().max_by_key(population));
        if let Some(o) = best {
            if stripped {
                actor.decided(passes::HONORIFIC_NOT_NAME);
            }
            if actor.country.is_none() || actor.sectors.is_empty() {
                actor.decided(passes::OFFICE_HOLDER);
            }
            if actor.country.is_none() {
                actor.country = Some(
                    o.org
                        .clone()
                        .filter(|g| g == "UNO" || g == "EUR")
                        .unwrap_or_else(|| o.country.clone()),
                );
            }
            if actor.sectors.is_empty() {
                actor.sectors = o.sectors.clone();
            }
            // The Phoenix file gives a CAMEO code, not a title.
            if actor.title.is_none() && !o.source.starts_with("phoenix") {
                actor.title = Some(o.position.clone());
            }
        }
    }

    /// Resolves every LOC mention (the dateline too) to a gazetteer place,
    /// with the document's actors' countries as context.
    fn resolve_places(&self, doc: &mut Doc, words: &[&str]) {
        let mut ctx = Context::new();
        for a in &doc.actors {
            if let Some(c) = &a.country {
                ctx.add(c, 1.0);
            }
        }
        // Two passes: each place name alone first, then with the other
        // places of the document as evidence ("Nyanza" beside "Kenya" and
        // "Kisumu" is the Kenyan province, not the Rwandan town).
        let names: Vec<Option<&str>> = doc
            .entities
            .iter()
            .map(|e| {
                let name = &doc.text[doc.token_range_span(e.start as usize..e.end as usize)];
                // A building named after its town ("the Jolo Cathedral") is
                // also a place: the organisation keeps its actor, and the
                // events done to it are placed in its town.
                let facility = e.label == EntityType::Org && facility_town(name).is_some();
                (e.label == EntityType::Loc || facility).then_some(name)
            })
            .collect();
        let first: Vec<Option<annalist_kb::Resolved<'_>>> = names
            .iter()
            .map(|n| n.and_then(|n| self.kb.resolve_place(n, &ctx)))
            .collect();
        let base = ctx.clone();
        let mut places: Vec<Place> = Vec::new();
        let mut entity_place = vec![None; doc.entities.len()];
        for (k, e) in doc.entities.iter().enumerate() {
            if names[k].is_none() {
                continue;
            }
            let mut ctx = base.clone();
            for (j, r) in first.iter().enumerate() {
                if let Some(r) = r.as_ref().filter(|_| names[j] != names[k]) {
                    ctx.add_place(r.place, r.confidence);
                }
            }
            let r = doc.token_range_span(e.start as usize..e.end as usize);
            let name = &doc.text[r.clone()];
            let (s, end) = (e.start as usize, e.end as usize);
            let lower = |t: usize| words.get(t).map(|w| w.to_lowercase());
            // "Washington state", "Nyanza province", "the state of
            // Washington": the kind word restricts the candidates.
            const KINDS: [&str; 4] = ["state", "province", "county", "region"];
            let kind_after = lower(end).filter(|w| KINDS.contains(&w.as_str()));
            let kind_before = (s >= 2 && lower(s - 1).as_deref() == Some("of"))
                .then(|| lower(s - 2))
                .flatten()
                .filter(|w| KINDS.contains(&w.as_str()));
            let query = match kind_after.or(kind_before) {
                Some(kind) => format!("{name} {kind}"),
                None => name.to_string(),
            };
            // "Suffolk, England", "Mokha, Yemen": the place after the comma
            // contains this one.
            let mut local = ctx.clone();
            if words.get(end) == Some(&",") {
                if let Some(next) = doc
                    .entities
                    .iter()
                    .find(|x| x.start as usize == end + 1 && x.label == EntityType::Loc)
                {
                    let outer =
                        &doc.text[doc.token_range_span(next.start as usize..next.end as usize)];
                    if let Some(c) = self.kb.country(outer) {
                        local.add(&c.iso3, 10.0 * (1.0 + ctx.total()));
                    } else if let Some(region) = self
                        .kb
                        .places(outer)
                        .into_iter()
                        .find(|p| p.feature == "ADM1" || p.feature == "ADM2")
                    {
                        if let Some(c) = region.country {
                            local.add(c.as_str(), 10.0 * (1.0 + ctx.total()));
                            if region.feature == "ADM1" {
                                local.add_admin1(c.as_str(), &region.name, 1.0);
                            }
                        }
                    }
                }
            }
            // "the Jolo Cathedral", "Sanaa International Airport": a building
            // the gazetteer lacks, named after the town it stands in.
            // The town must be of a country the text already speaks of: a
            // palace named after a battle ("Blenheim Palace") is not in the
            // New Zealand town of that name.
            let resolved = self.kb.resolve_place(&query, &local).or_else(|| {
                facility_town(name)
                    .and_then(|town| self.kb.resolve_place(town, &local))
                    .filter(|r| {
                        r.place
                            .country
                            .is_some_and(|c| base.weight(c.as_str()) > 0.0)
                    })
            });
            if let Some(res) = resolved {
                let p = res.place;
                places.push(Place {
                    name: p.name.to_string(),
                    country: p.country.map(|c| c.as_str().to_string()),
                    admin1: p.admin1.as_ref().map(|a| a.to_string()),
                    lat: f64::from(p.lat),
                    lon: f64::from(p.lon),
                    geonames_id: (p.geonames_id != 0).then_some(u64::from(p.geonames_id)),
                    feature: Some(p.feature.to_string()),
                    span: Some(r),
                });
                entity_place[k] = Some(places.len() as u32 - 1);
            }
        }
        // "Tajikistan’s capital" names the capital: an inferred place over the phrase.
        for e in doc.entities.iter() {
            let (s, end) = (e.start as usize, e.end as usize);
            if e.label != EntityType::Loc
                || !words.get(end).is_some_and(|w| is_possessive(w))
                || !words
                    .get(end + 1)
                    .is_some_and(|w| w.eq_ignore_ascii_case("capital"))
            {
                continue;
            }
            let name = &doc.text[doc.token_range_span(s..end)];
            let Some(country) = self.kb.country(name) else {
                continue;
            };
            if let Some(c) = self.kb.capital_of(&country.iso3) {
                places.push(Place {
                    name: c.name.to_string(),
                    country: c.country.map(|x| x.as_str().to_string()),
                    admin1: c.admin1.as_ref().map(|a| a.to_string()),
                    lat: f64::from(c.lat),
                    lon: f64::from(c.lon),
                    geonames_id: (c.geonames_id != 0).then_some(u64::from(c.geonames_id)),
                    feature: Some(c.feature.to_string()),
                    span: Some(doc.token_range_span(s..end + 2)),
                });
            }
        }
        doc.places = places;
        doc.entity_place = entity_place;
    }
}
