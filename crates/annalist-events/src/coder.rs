//! The event coder: lexicon triggers, argument roles, modality, attribution,
//! location and date, one event per interaction per document.
//!
//! It reads what earlier stages put in the `Doc` (tokens, sentences, lemmas
//! and the dependency parse where present, entities, actors with their token
//! spans, places) and never fails on text. Where the parse is absent it falls
//! back on word order: the nearest actor before the trigger is the source, the
//! object of the pattern's preposition (or the nearest actor after it) the
//! target.

use crate::lexicon::{Entry, Lexicon, Pattern};
use crate::model::EventModel;
use crate::rules::Rules;
use annalist_doc::coded::{Event, Modality, Why};
use annalist_doc::{Doc, EntityType, Upos};
use std::collections::HashMap;

/// Types where source and target play the same part (meetings, agreements).
const SYMMETRIC: [&str; 3] = ["CONSULT", "AGREE", "COOPERATE"];
/// The types of events that are statements addressed to another side
/// (with AGREE, which is symmetric, the verbal types).
const STATEMENTS: [&str; 5] = ["SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"];

/// Types that need a recipient (PLOVER v0.8, "Requires recipient: Yes").
const NEEDS_TARGET: [&str; 3] = ["COOPERATE", "AID", "SANCTION"];

/// Stands, inside `roles`, for "the country of the place where the event
/// happened", an actor found (or made) only once an event needs it.
const PLACE_ACTOR: u32 = u32::MAX;

/// Stands, inside `roles`, for "the source's own country": the recipient of
/// an act the text gives none for ("Vice-President X declined to resign",
/// "the government accepted demands") is, by the convention of event data,
/// domestic.
const HOME_ACTOR: u32 = u32::MAX - 1;

/// Irregular past forms of the verbs the lexicon uses.
const IRREGULAR: &[(&str, &str)] = &[
    ("held", "hold"),
    ("met", "meet"),
    ("said", "say"),
    ("sent", "send"),
    ("gave", "give"),
    ("given", "give"),
    ("took", "take"),
    ("taken", "take"),
    ("made", "make"),
    ("struck", "strike"),
    ("fought", "fight"),
    ("led", "lead"),
    ("sought", "seek"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("shot", "shoot"),
    ("brought", "bring"),
    ("told", "tell"),
    ("began", "begin"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("broke", "break"),
    ("broken", "break"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("left", "leave"),
    ("kept", "keep"),
    ("paid", "pay"),
    ("laid", "lay"),
    ("hit", "hit"),
    ("set", "set"),
    ("put", "put"),
    ("cut", "cut"),
    ("lent", "lend"),
    ("sold", "sell"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("beat", "beat"),
    ("beaten", "beat"),
    ("stood", "stand"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("arose", "arise"),
    ("won", "win"),
    ("lost", "lose"),
    ("found", "find"),
    ("went", "go"),
    ("gone", "go"),
    ("came", "come"),
    ("fled", "flee"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("bombed", "bomb"),
    ("talks", "talk"),
    ("had", "have"),
    ("has", "have"),
    ("was", "be"),
    ("were", "be"),
    ("is", "be"),
    ("are", "be"),
    ("been", "be"),
    ("men", "man"),
];

/// Lemma candidates of a word when no lemmatizer ran: the word and the stems
/// its regular inflections leave ("inaugurated" → "inaugurate", "talks" → "talk").
fn lemma_candidates(word: &str, lemma: Option<&str>) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out = vec![w.clone()];
    if let Some(l) = lemma.filter(|l| !l.is_empty() && *l != "_") {
        out.push(l.to_lowercase());
    }
    if let Some((_, l)) = IRREGULAR.iter().find(|(f, _)| *f == w) {
        out.push(l.to_string());
    }
    let mut push = |s: &str| {
        if s.len() >= 2 {
            out.push(s.to_string());
        }
    };
    if let Some(s) = w.strip_suffix("ies").or_else(|| w.strip_suffix("ied")) {
        push(&format!("{s}y"));
    }
    if let Some(s) = w.strip_suffix("es") {
        push(s);
    }
    if let Some(s) = w.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        push(s);
    }
    if let Some(s) = w.strip_suffix("ed") {
        push(s);
        push(&format!("{s}e"));
        if s.len() > 2 && s.as_bytes()[s.len() - 1] == s.as_bytes()[s.len() - 2] {
            push(&s[..s.len() - 1]);
        }
    }
    if let Some(s) = w.strip_suffix("ing") {
        push(s);
        push(&format!("{s}e"));
        if s.len() > 2 && s.as_bytes()[s.len() - 1] == s.as_bytes()[s.len() - 2] {
            push(&s[..s.len() - 1]);
        }
    }
    out
}

/// A trigger found in a sentence.
#[derive(Debug, Clone)]
struct Hit<'a> {
    entry: &'a Entry,
    pattern: &'a Pattern,
    noun: bool,
    /// Token range of the head words.
    head: std::ops::Range<usize>,
    /// Token after the pattern's last matched word.
    end: usize,
    /// Token of the tail preposition (whose object is the target), if any.
    prep: Option<usize>,
}

/// The event coder: the lexicon indexed by first trigger word.
pub struct Coder {
    lexicon: Lexicon,
    /// First head word → (entry, pattern index, is noun).
    index: HashMap<String, Vec<(usize, usize, bool)>>,
    rules: Rules,
    /// The learned models; without them the lexicon rules code alone.
    model: Option<EventModel>,
    /// Word clusters for the learned models' features (the tagger's).
    clusters: annalist_models::Clusters,
}

impl Coder {
    pub fn new(lexicon: Lexicon) -> Coder {
        let mut index: HashMap<String, Vec<(usize, usize, bool)>> = HashMap::new();
        for (ei, e) in lexicon.entries.iter().enumerate() {
            for (pi, p) in e.verbs.iter().enumerate() {
                index
                    .entry(p.head[0].clone())
                    .or_default()
                    .push((ei, pi, false));
            }
            for (pi, p) in e.nouns.iter().enumerate() {
                index
                    .entry(p.head[0].clone())
                    .or_default()
                    .push((ei, pi, true));
            }
        }
        Coder {
            lexicon,
            index,
            rules: Rules::builtin(),
            model: None,
            clusters: annalist_models::Clusters::default(),
        }
    }

    /// The built-in coder: the lexicon rules. The built-in learned model
    /// ([`EventModel::builtin`]) is added with [`Coder::with_model`]: it
    /// codes news articles better by cross-validation but single sentences
    /// worse (`docs/status.md`, issue 16), so it is not yet the default.
    pub fn builtin() -> Coder {
        Coder::new(Lexicon::builtin())
    }

    /// This coder with `model` as its learned model (`None`: the lexicon
    /// rules alone).
    pub fn with_model(mut self, model: Option<EventModel>) -> Coder {
        self.model = model;
        self
    }

    /// This coder with `clusters` as the word clusters of its learned
    /// model's features (a model is trained and used with the same ones).
    pub fn with_clusters(mut self, clusters: annalist_models::Clusters) -> Coder {
        self.clusters = clusters;
        self
    }

    /// The rules file the learned coder decodes (and trains) with.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The word clusters of the learned model's features.
    pub fn clusters(&self) -> &annalist_models::Clusters {
        &self.clusters
    }

    /// The learned model, if the coder has one.
    pub fn model(&self) -> Option<&EventModel> {
        self.model.as_ref()
    }

    /// Codes the events of `doc` into `doc.events`: the lexicon rules, then
    /// (where the coder has one) the learned model, which reads what the
    /// rules found and decides.
    pub fn annotate(&self, doc: &mut Doc) {
        self.annotate_rules(doc);
        if let Some(model) = &self.model {
            self.annotate_learned(model, doc);
        }
    }

    /// Codes `doc` with `model` over the rules' events in `doc.events`.
    pub fn annotate_learned(&self, model: &EventModel, doc: &mut Doc) {
        let places = sentence_places(doc);
        crate::learned::annotate(model, &self.rules, &self.clusters, doc, &places);
    }

    /// Codes the events of `doc` with the lexicon rules alone.
    ///
    /// The rules were written for named actors: groups named by common
    /// nouns ("police", R-NOMINAL-ACTOR) are hidden from them, and left to
    /// the learned coder, whose side model learned from the corpus how far
    /// to trust them. Shown to the rules, they cost the development
    /// figures the rules were fitted to (PLOVER type and dyad 0.724 to
    /// 0.687, news event F1 0.556 to 0.533).
    pub fn annotate_rules(&self, doc: &mut Doc) {
        let nominal: Vec<bool> = doc
            .actors
            .iter()
            .map(|a| a.is_nominal(&doc.entities))
            .collect();
        if !nominal.contains(&true) {
            return self.annotate_named(doc);
        }
        let saved = doc.token_actor.clone();
        for slot in &mut doc.token_actor {
            if slot.is_some_and(|a| nominal.get(a as usize) == Some(&true)) {
                *slot = None;
            }
        }
        self.annotate_named(doc);
        doc.token_actor = saved;
    }

    /// The lexicon rules over the actors `doc.token_actor` shows.
    fn annotate_named(&self, doc: &mut Doc) {
        let n = doc.tokens.len();
        if n == 0 || doc.token_actor.len() != n {
            doc.events.clear();
            return;
        }
        let words: Vec<String> = (0..n).map(|i| doc.token_text(i).to_string()).collect();
        let lemmas: Vec<Vec<String>> = (0..n)
            .map(|i| lemma_candidates(&words[i], doc.tokens.lemma.get(i).map(String::as_str)))
            .collect();
        let has_pos = doc.tokens.tagged();
        let dateline = doc.meta.dateline.as_ref().map(|d| d.full.clone());
        let mut events: Vec<Event> = Vec::new();
        let mut last_location: Option<u32> = None;
        let mut last_person: Option<u32> = None;
        let sentences = doc.sentences.clone();
        let mut phoned = false;
        for (si, sent) in sentences.iter().enumerate() {
            let range = sent.tokens();
            phoned |= range.clone().any(|t| {
                matches!(
                    words[t].to_lowercase().as_str(),
                    "phone"
                        | "telephone"
                        | "phoned"
                        | "telephoned"
                        | "videoconference"
                        | "video-conference"
                        | "videoconferencing"
                )
            });
            let hits = self.find_triggers(doc, &lemmas, has_pos, range.clone());
            let reported_by = reported_by(doc, &words, range.clone());
            let sentence_place = sentence_location(doc, &words, range.clone(), dateline.as_ref());
            let sentence_date = event_date(&words, range.clone(), doc.meta.published.as_deref());
            // The country of a place the sentence itself names ("in Kerala"),
            // for the sides of an event the text leaves unnamed.
            // Where the sentence's events happen: the place the sentence
            // names, else the story's last one (a coarser mention of the same
            // country does not move the story).
            let event_place = match (sentence_place, last_location) {
                (Some(p), Some(l)) if no_finer(doc, p, l) => Some(l),
                (p, l) => p.or(l),
            };
            let place_country = event_place
                .and_then(|p| doc.places[p as usize].country.clone())
                .filter(|c| c.len() == 3);
            // R-SPEECH-PLACE: "Speaking in Vienna, Iran's envoy condemned
            // ...": where a statement was made says nothing of whom it
            // addresses.
            let spoken_at = sentence_place
                .is_some_and(|p| Some(p) == event_place && speech_place(doc, &lemmas, &range, p));
            // A noun names a fresh event only where no verb of the sentence
            // does: beside a verbal event it is background or a complement
            // ("the war against terrorism", "to discuss efforts", "the scene
            // of ethnic violence").
            // "Russia said Sudan must return the helicopter": a demand on
            // Sudan, not a return; the demanded act is not coded.
            let mut demands = deontic_demands(doc, &lemmas, range.clone());
            demands.extend(accusations(doc, &lemmas, range.clone()));
            let has_verbal = hits.iter().any(|h| !h.noun) || !demands.is_empty();
            // Quoted history is not news: a sentence that dates what it tells
            // in a year before the report's ("the war of 1980", "since 2014")
            // codes no event.
            if historical(&words, range.clone(), doc.meta.published.as_deref()) {
                continue;
            }
            let (mut statements, mut acts) = (demands.len(), 0);
            for d in &demands {
                let (cameo, intensity, mode) = match d.kind {
                    "ACCUSE" => ("112", -3.5, Some("allege")),
                    "THREATEN" => ("130", -4.4, None),
                    _ => ("100", -1.0, None),
                };
                let ev = Event {
                    kind: d.kind.to_string(),
                    mode: mode.map(str::to_string),
                    contexts: Vec::new(),
                    cameo: Some(cameo.to_string()),
                    quad_class: Some(3),
                    intensity: Some(intensity),
                    source: vec![d.source],
                    target: vec![d.target],
                    trigger: doc.tokens.start[d.must] as usize..doc.tokens.end[d.must] as usize,
                    sentence: si as u32,
                    modality: Modality::Asserted,
                    reported_by: reported_by.clone(),
                    location: None,
                    date: sentence_date.as_ref().map(|(d, _)| d.clone()),
                    date_source: sentence_date.as_ref().map(|(_, s)| s.to_string()),
                    size: Default::default(),
                    confidence: 0.7,
                    decided_by: vec![Why::new(
                        "R-SPEECH-DEMAND",
                        format!(
                            "a speech verb reports a demand, accusation or threat: \"{}\"",
                            words[d.must]
                        ),
                    )],
                };
                merge(&mut events, ev, doc);
            }
            // A statement made at a meeting the sentence places ("agreed ...
            // during talks in Stockholm", "announced at a news conference in
            // Vienna") was made there.
            let venue = sentence_place.filter(|&p| {
                let at = place_start(doc, p);
                range.clone().any(|t| {
                    (doc.tokens.end[t] as usize) <= at
                        && at - (doc.tokens.end[t] as usize) < 40
                        && crate::words::venues().contains(&words[t].to_lowercase())
                })
            });
            for hit in hits {
                if hit.noun && has_verbal {
                    continue;
                }
                let t0 = hit.head.start;
                // "U.S.-supplied munitions", "Saudi-led strikes": a participle
                // joined to a name describes a noun; it is no event of its own.
                if !hit.noun
                    && t0 >= range.start + 2
                    && words[t0 - 1] == "-"
                    && doc.token_actor[t0 - 2].is_some()
                {
                    continue;
                }
                // "accused the country of using chemical weapons": what an
                // accusation alleges is coded as the accusation.
                if !hit.noun
                    && t0 > range.start
                    && matches!(words[t0 - 1].to_lowercase().as_str(), "of" | "for")
                    && (t0.saturating_sub(6).max(range.start)..t0).any(|k| {
                        lemmas[k].iter().any(|l| {
                            matches!(
                                l.as_str(),
                                "accuse"
                                    | "charge"
                                    | "blame"
                                    | "suspect"
                                    | "convict"
                                    | "condemn"
                                    | "criticize"
                                    | "criticise"
                            )
                        })
                    })
                {
                    continue;
                }
                // "attack aircraft", "targeting information": a trigger word
                // that only modifies another noun names no event, unless that
                // noun is a light one ("a mediation mission").
                if doc.tokens.parsed()
                    && doc.tokens.deprel[hit.head.end - 1].as_str() == "compound"
                    && hit.head.end < range.end
                    && doc.tokens.head[hit.head.end - 1] as usize > hit.head.end - 1
                    && !matches!(
                        words[doc.tokens.head[hit.head.end - 1] as usize]
                            .to_lowercase()
                            .as_str(),
                        "mission"
                            | "missions"
                            | "effort"
                            | "efforts"
                            | "bid"
                            | "process"
                            | "campaign"
                            | "operation"
                            | "operations"
                            | "initiative"
                            | "plan"
                    )
                {
                    continue;
                }
                if demands.iter().any(|d| d.verb == hit.head.start) {
                    continue;
                }
                let spoken_statement = spoken_at && STATEMENTS.contains(&hit.entry.kind.as_str());
                let side_place = place_country.as_deref().filter(|_| !spoken_statement);
                let Some(mut ev) =
                    self.roles(doc, &words, &hit, range.clone(), last_person, side_place)
                else {
                    continue;
                };
                if let Some(p) = event_place.filter(|_| spoken_statement) {
                    ev.decided_by.push(Why::new(
                        "R-SPEECH-PLACE",
                        format!(
                            "\"{}\" is where the statement was made: its country is no side",
                            doc.places[p as usize].name
                        ),
                    ));
                }
                if ev.target.contains(&HOME_ACTOR) {
                    let home = ev
                        .source
                        .iter()
                        .filter_map(|&a| doc.actors.get(a as usize))
                        .find_map(|a| a.country.clone().filter(|c| c.len() == 3));
                    let span = ev
                        .source
                        .first()
                        .and_then(|&a| doc.actors.get(a as usize))
                        .map(|a| a.span.clone())
                        .unwrap_or(0..0);
                    match home {
                        Some(c) => {
                            let a = home_actor(doc, &c, span);
                            for x in ev.target.iter_mut() {
                                if *x == HOME_ACTOR {
                                    *x = a;
                                }
                            }
                        }
                        None => ev.target.retain(|&x| x != HOME_ACTOR),
                    }
                }
                if ev.source.contains(&PLACE_ACTOR) || ev.target.contains(&PLACE_ACTOR) {
                    let (Some(c), Some(p)) = (side_place, event_place) else {
                        continue;
                    };
                    let a = place_actor(doc, c, p);
                    for side in [&mut ev.source, &mut ev.target] {
                        for x in side.iter_mut() {
                            if *x == PLACE_ACTOR {
                                *x = a;
                            }
                        }
                        side.dedup();
                    }
                }
                ev.sentence = si as u32;
                ev.modality = modality(&words, &lemmas, &hit, range.clone());
                promise(&mut ev, &words, range.clone(), hit.head.start);
                ev.reported_by = reported_by.clone();
                // A statement is located only where the text says so: a
                // demand "for the release of a citizen detained in Saudi
                // Arabia" was not made there, and the story's earlier place is
                // not where a later comment was made.
                let verbal = ev.kind == "AGREE" || STATEMENTS.contains(&ev.kind.as_str());
                // Talks over the phone or by video link happen nowhere in
                // particular: the story's place is not theirs, in this
                // sentence or in the later ones that go on about them ("The
                // two ministers discussed ...").
                let remote = ev.kind == "CONSULT" && phoned;
                ev.location = if remote {
                    None
                } else if verbal {
                    venue
                } else {
                    event_place
                };
                if verbal {
                    statements += 1;
                } else {
                    acts += 1;
                }
                if let Some((date, source)) = &sentence_date {
                    ev.date = Some(date.clone());
                    ev.date_source = Some(source.to_string());
                }
                merge(&mut events, ev, doc);
            }
            // A place named only inside what a statement says ("demanded
            // that the crossing in Sardasht be reopened") is what it speaks
            // of, not where the story is; "announced the deal at a news
            // conference in Vienna" places the story.
            let inside_clause = |p: u32| {
                let at = place_start(doc, p);
                range.clone().any(|t| {
                    words[t].eq_ignore_ascii_case("that") && (doc.tokens.end[t] as usize) <= at
                })
            };
            let only_statements = |p: u32| statements > 0 && acts == 0 && inside_clause(p);
            if let Some(p) = sentence_place.filter(|&p| !only_statements(p)) {
                // "in Tajikistan" after "in Dushanbe" does not move the story.
                let coarser = last_location.is_some_and(|l| no_finer(doc, p, l));
                if !coarser {
                    last_location = Some(p);
                }
            }
            for t in range {
                if let Some(a) = doc.token_actor[t] {
                    let is_person = doc.actors[a as usize].mentions.first().is_some_and(|&m| {
                        doc.entities
                            .get(m as usize)
                            .is_some_and(|e| e.label == EntityType::Per)
                    });
                    if is_person {
                        last_person = Some(a);
                    }
                }
            }
        }
        doc.events = events;
    }

    /// Lexicon matches in a sentence, longest first, without overlaps.
    fn find_triggers<'a>(
        &'a self,
        doc: &Doc,
        lemmas: &[Vec<String>],
        has_pos: bool,
        range: std::ops::Range<usize>,
    ) -> Vec<Hit<'a>> {
        let has = |t: usize, w: &str| t < range.end && lemmas[t].iter().any(|l| l == w);
        let mut hits: Vec<Hit<'a>> = Vec::new();
        // The end of the last accepted trigger's reach: a verb in the complement
        // of "agreed to ...", "urged X to ..." belongs to that event.
        let mut shadow = range.start;
        for i in range.clone() {
            if doc.token_actor[i].is_some() || i < shadow {
                continue;
            }
            // "according to", and the month "March" (never a protest march).
            if lemmas[i][0] == "according" || doc.token_text(i) == "March" {
                continue;
            }
            let mut best: Option<(usize, Hit<'a>)> = None;
            for cand in lemmas[i].iter() {
                let Some(list) = self.index.get(cand) else {
                    continue;
                };
                for &(ei, pi, noun) in list {
                    let entry = &self.lexicon.entries[ei];
                    let pattern = if noun {
                        &entry.nouns[pi]
                    } else {
                        &entry.verbs[pi]
                    };
                    if !has_pos && !noun && i > range.start {
                        // Without a tagger, a determiner before the word makes it
                        // a noun ("the fight against terrorism", "the armed forces").
                        let prev = lemmas[i - 1][0].as_str();
                        if matches!(
                            prev,
                            "the"
                                | "a"
                                | "an"
                                | "its"
                                | "their"
                                | "his"
                                | "her"
                                | "this"
                                | "that"
                                | "our"
                        ) {
                            continue;
                        }
                    }
                    if has_pos {
                        let pos = doc.tokens.upos[i];
                        let ok = if noun {
                            pos == Upos::from_str_lossy("NOUN")
                                || pos == Upos::from_str_lossy("PROPN")
                        } else {
                            // "be ready to", "be opposed to": a pattern of
                            // several words may start with an auxiliary.
                            pos == Upos::from_str_lossy("VERB")
                                || (pattern.head.len() > 1
                                    && (pos == Upos::from_str_lossy("ADJ")
                                        || pos == Upos::from_str_lossy("AUX")))
                        };
                        if !ok {
                            continue;
                        }
                    }
                    let h = pattern.head.len();
                    // The pattern's words in order; one adverb may stand
                    // between them ("pushing hard for", "met secretly with").
                    let adverb = |t: usize| {
                        has_pos
                            && t < range.end
                            && doc.tokens.upos[t] == Upos::from_str_lossy("ADV")
                    };
                    let mut end = Some(i + 1);
                    for k in 1..h {
                        end = end.and_then(|e| {
                            if has(e, &pattern.head[k]) {
                                Some(e + 1)
                            } else if adverb(e) && has(e + 1, &pattern.head[k]) {
                                Some(e + 2)
                            } else {
                                None
                            }
                        });
                    }
                    let Some(head_end) = end else {
                        continue;
                    };
                    let mut at = head_end;
                    if let Some(obj) = &pattern.object {
                        // Near the verb, or further as the head of its object
                        // ("displayed the Bavar-373 air defense missile
                        // system").
                        let parsed = doc.tokens.parsed();
                        let Some(o) = (at..(at + 5).min(range.end))
                            .find(|&t| obj.split(' ').enumerate().all(|(k, w)| has(t + k, w)))
                            .or_else(|| {
                                (parsed && !obj.contains(' '))
                                    .then(|| {
                                        (at..(at + 12).min(range.end)).find(|&t| {
                                            doc.tokens.head[t] as usize == i
                                                && doc.tokens.deprel[t].as_str() == "obj"
                                                && has(t, obj)
                                        })
                                    })
                                    .flatten()
                            })
                        else {
                            continue;
                        };
                        at = o + obj.split(' ').count();
                    }
                    if pattern.target_slot {
                        // `call on _ to`: skip the target's words to reach the tail.
                        while at < range.end && doc.token_actor[at].is_some() {
                            at += 1;
                        }
                    }
                    let mut prep = None;
                    let mut ok = true;
                    for w in &pattern.tail {
                        match (at..(at + 5).min(range.end)).find(|&t| has(t, w)) {
                            Some(t) => {
                                prep.get_or_insert(t);
                                at = t + 1;
                            }
                            None => ok = false,
                        }
                    }
                    if !ok {
                        continue;
                    }
                    let score = h
                        + usize::from(pattern.object.is_some()) * 2
                        + pattern.tail.len()
                        + usize::from(pattern.target_slot);
                    if best.as_ref().is_none_or(|(s, _)| score > *s) {
                        best = Some((
                            score,
                            Hit {
                                entry,
                                pattern,
                                noun,
                                head: i..head_end,
                                end: at,
                                prep,
                            },
                        ));
                    }
                }
            }
            if let Some((_, hit)) = best {
                shadow = hit.end;
                let takes_clause = hit.pattern.tail.last().is_some_and(|w| w == "to")
                    || matches!(
                        hit.entry.kind.as_str(),
                        "AGREE" | "REQUEST" | "THREATEN" | "REJECT"
                    );
                if takes_clause {
                    // Up to the end of the clause.
                    let mut t = hit.end;
                    while t < range.end
                        && t < hit.end + 8
                        && !matches!(lemmas[t][0].as_str(), "," | ";" | "." | "and")
                    {
                        t += 1;
                    }
                    shadow = t;
                }
                hits.push(hit);
            }
        }
        hits
    }

    /// Finds source and target actors for a trigger and builds the event.
    fn roles(
        &self,
        doc: &Doc,
        words: &[String],
        hit: &Hit<'_>,
        range: std::ops::Range<usize>,
        last_person: Option<u32>,
        place_country: Option<&str>,
    ) -> Option<Event> {
        let has_place = place_country.is_some();
        // Event data codes an unnamed side by the country the event happens
        // in ("a bombing in Beirut killed ..." is LBN→LBN); a deployment
        // ("MOBILIZE") has no recipient to infer.
        let place = (has_place && hit.entry.kind != "MOBILIZE").then_some(PLACE_ACTOR);
        // Only a hostile act is coded with an unknown doer: "a prize was
        // awarded to X" says nothing of who gave it, while "X was attacked in
        // Y" is, by convention, an act within Y.
        let hostile = hit.entry.quad_class >= 3;
        let lower = |t: usize| words[t].to_lowercase();
        let clause = Clause {
            doc,
            words,
            hit,
            range: range.clone(),
        };
        let attacker = unnamed_attacker(&clause);
        let unnamed_doer = attacker.or(place.filter(|_| hostile));
        let left = actors_left(&clause);
        let right_from = |from: usize| actors_from(doc, from, &range);
        let right = right_from(hit.end.min(range.end));
        let passive = is_passive(&clause);
        let by_agent = passive_agent(&clause, passive);
        let symmetric = SYMMETRIC.contains(&hit.entry.kind.as_str());
        // "Stressing the need ..., General X said": the participle's subject
        // is the main clause's, after the first comma.
        let participle = hit.head.start == range.start && lower(hit.head.start).ends_with("ing");
        let main_subject = participle
            .then(|| {
                (hit.end..range.end)
                    .find(|&t| words[t] == ",")
                    .and_then(|c| right_from(c + 1).first().map(|x| x.1))
            })
            .flatten();
        let mut unnamed_source = false;
        if passive && by_agent.is_none() {
            // "were killed", "was attacked": the subject suffered the act and
            // the text does not say who did it; no dyad to code, unless the
            // sentence places it.
            unnamed_doer?;
            unnamed_source = true;
        }
        // The dependency parse, where present, says who did it.
        let parsed = if hit.noun {
            None
        } else {
            parse_roles(doc, hit.head.start, &range)
        };
        let capability = capability_only(&clause, parsed.as_ref());
        if hostile && !hit.noun && capability {
            return None;
        }
        let mut sides = Sides::default();
        let agent_given = passive && by_agent.is_some();
        let own_doer = parsed_sides(
            &clause,
            parsed.as_ref(),
            unnamed_doer,
            unnamed_source,
            agent_given,
            &mut sides,
        );
        let Sides {
            mut source,
            mut target,
            mut explicit_target,
        } = sides;
        let participle_modifier = modifies_noun(&clause, by_agent);
        let v = hit.head.start;
        if participle_modifier {
            // "an Iranian citizen arrested in Saudi Arabia": a hostile act
            // done, unnamed, where the text places it, to the noun modified.
            let noun = doc.tokens.head[v] as usize;
            let sufferer = (noun < doc.tokens.len())
                .then(|| actor_of_token(doc, noun, &range))
                .flatten();
            return match (unnamed_doer, sufferer) {
                (Some(p), Some(a)) => Some(hit_event(doc, hit, vec![p], vec![a], 0.5)),
                _ => None,
            };
        }
        let doers = Doers {
            unnamed: unnamed_doer,
            place,
            by_agent,
            main_subject,
            unnamed_source,
        };
        if let Some(pr) = &parsed {
            if !parsed_subject(&clause, pr, &doers, last_person, &mut source) {
                return None;
            }
        }
        fallback_source(&clause, &doers, &left, last_person, &mut source);
        if let Some(p) = hit.prep {
            if let Some(&(_, a)) = right_from(p + 1).first() {
                if !source.contains(&a) {
                    target = vec![a];
                    explicit_target = true;
                }
            }
        }
        let mut rest: Vec<u32> = right
            .iter()
            .map(|x| x.1)
            .filter(|a| !source.contains(a))
            .collect();
        if source.is_empty() {
            // No actor before the trigger ("A plant was inaugurated ... in the
            // presence of X and Y"): the first actor after it acts.
            if rest.is_empty() {
                source.push(unnamed_doer?);
            } else {
                source.push(rest.remove(0));
            }
        }
        if target.is_empty() && !(symmetric && source.len() > 1) {
            if let Some(a) = nearest_target(&clause, &source, &rest, &right, place_country) {
                target.push(a);
            }
        }
        inferred_target(&clause, &source, &mut target, place, place_country);
        if vetoed(&clause, &source, &target, own_doer) {
            return None;
        }
        let confidence = 0.4
            + 0.1 * hit.pattern.head.len().min(3) as f64
            + if explicit_target { 0.2 } else { 0.0 }
            + if hit.noun { 0.0 } else { 0.1 };
        Some(hit_event(doc, hit, source, target, confidence.min(0.95)))
    }
}

/// What the role helpers of [`Coder::roles`] read about one trigger: the
/// document, its words, the trigger's hit and the token range of its
/// sentence.
struct Clause<'a> {
    doc: &'a Doc,
    words: &'a [String],
    hit: &'a Hit<'a>,
    range: std::ops::Range<usize>,
}

/// Actors left of the trigger, nearest first, skipping "according to X".
fn actors_left(clause: &Clause<'_>) -> Vec<(usize, u32)> {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let actor_at = |t: usize| doc.token_actor.get(t).copied().flatten();
    let lower = |t: usize| words[t].to_lowercase();
    let mut left: Vec<(usize, u32)> = Vec::new();
    let mut t = hit.head.start;
    while t > range.start {
        t -= 1;
        if let Some(a) = actor_at(t) {
            let cited = t >= range.start + 2 && lower(t - 1) == "to" && lower(t - 2) == "according";
            if !cited && left.last().is_none_or(|(_, b)| *b != a) {
                left.push((t, a));
            }
        }
    }
    left
}

/// Whether the actors `s` are of more than one country.
fn joint(doc: &Doc, s: &[u32]) -> bool {
    let mut cs: Vec<_> = s
        .iter()
        .filter_map(|&a| doc.actors.get(a as usize).and_then(|x| x.country.clone()))
        .collect();
    cs.sort();
    cs.dedup();
    cs.len() > 1
}

/// Whether the sentence states only what a thing is able to do, with no
/// actor as the subject of the trigger.
fn capability_only(clause: &Clause<'_>, parsed: Option<&ParseRoles>) -> bool {
    let Clause {
        words,
        hit,
        ref range,
        ..
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    // What a weapon "can hit" or "is capable of engaging" is a
    // capability, not an act: no side did anything.
    let capability = (range.start..hit.head.start)
        .any(|t| matches!(lower(t).as_str(), "can" | "capable" | "able"));
    let thing_subject = parsed.is_none_or(|pr| {
        pr.subjects.is_empty()
            && pr
                .subject_token
                .is_none_or(|st| !words[st].starts_with(char::is_uppercase) || lower(st) == "it")
    }) || parsed
        .and_then(|pr| pr.subject_token)
        .is_some_and(|st| matches!(lower(st).as_str(), "it" | "which"));
    capability && thing_subject
}

/// The sides of an event, as far as the text names them.
#[derive(Default)]
struct Sides {
    source: Vec<u32>,
    target: Vec<u32>,
    /// Whether the text names the target (not only the nearest actor).
    explicit_target: bool,
}

/// Fills in `sides` from the parse of a verb and the arguments of a noun
/// trigger; `unnamed_doer` is the source of a passive with no agent
/// (`unnamed_source`), `agent_given` says a passive names its agent.
/// Returns whether a noun trigger has a doer of its own.
fn parsed_sides(
    clause: &Clause<'_>,
    parsed: Option<&ParseRoles>,
    unnamed_doer: Option<u32>,
    unnamed_source: bool,
    agent_given: bool,
    sides: &mut Sides,
) -> bool {
    let Clause {
        doc,
        hit,
        ref range,
        ..
    } = *clause;
    let Sides {
        source,
        target,
        explicit_target,
    } = sides;
    let symmetric = SYMMETRIC.contains(&hit.entry.kind.as_str());
    let mut own_doer = false;
    if unnamed_source {
        source.extend(unnamed_doer);
        if let Some(&a) = parsed.and_then(|pr| pr.passive_subjects.first()) {
            target.push(a);
            *explicit_target = true;
        }
    }
    if let Some(pr) = parsed.filter(|_| !unnamed_source) {
        if !pr.subjects.is_empty() && !agent_given {
            source.extend(pr.subjects.iter().copied());
            if !symmetric && !joint(doc, source) {
                source.truncate(1);
            }
        }
        if agent_given {
            if let Some(&a) = pr.passive_subjects.first() {
                target.push(a);
                *explicit_target = true;
            }
        }
        if let Some(&a) = pr.objects.first() {
            if target.is_empty() && !source.contains(&a) {
                target.push(a);
                *explicit_target = true;
            }
        }
    }
    // A nominal event's sides are the noun's own arguments where it has
    // them ("Trump's trip to Riyadh", "U.S. sanctions against Iran",
    // "talks between X and Y"). A noun without a doer of its own keeps
    // the sentence's actors: dropping those ("news of the attack")
    // measured worse on both dev sets (news F1 0.398 → 0.341), as the
    // gold codes many such nouns.
    if hit.noun {
        if let Some(nr) = noun_roles(doc, hit.head.end - 1, range) {
            if !nr.sources.is_empty() {
                own_doer = true;
                *source = nr.sources;
                if !nr.targets.is_empty() {
                    *target = nr.targets;
                    *explicit_target = true;
                }
            }
        }
    }
    own_doer
}

/// Whether the trigger is a participle modifying the noun next to it, so
/// passive in meaning, with no agent (`by_agent`).
fn modifies_noun(clause: &Clause<'_>, by_agent: Option<u32>) -> bool {
    let Clause {
        doc,
        hit,
        ref range,
        ..
    } = *clause;
    // A reduced relative or participle ("a citizen arrested in ...", "the
    // invading army", "those injured") is passive in meaning.
    // Only next to the noun it modifies: a greedy parse can misattach a
    // main verb as a modifier of something far away.
    // A present participle is active: "the PKK issued a declaration
    // demanding that ..." is the PKK's demand, when an actor made the
    // noun it modifies ("a referendum seeking ..." is nobody's act).
    let v = hit.head.start;
    let present =
        doc.tokens.tagged() && doc.tokens.xpos[v] == annalist_doc::Xpos::from_str_lossy("VBG");
    let made_by_actor = || {
        let noun = doc.tokens.head[v] as usize;
        noun < doc.tokens.len()
            && doc.tokens.deprel[noun].as_str() == "obj"
            && (doc.tokens.head[noun] as usize) < doc.tokens.len()
            && parse_roles(doc, doc.tokens.head[noun] as usize, range)
                .is_some_and(|r| !r.subjects.is_empty())
    };
    let active = present && made_by_actor();
    !hit.noun
        && !active
        && doc.tokens.parsed()
        && matches!(doc.tokens.deprel[v].as_str(), "acl" | "amod")
        && (doc.tokens.head[v] as usize == v + 1 || doc.tokens.head[v] as usize + 1 == v)
        && by_agent.is_none()
}

/// Drops the sources from `target` (but the place), then adds the
/// recipient the text leaves unnamed where the event has one: the place
/// (`place`, of country `place_country`), else the source's own country.
fn inferred_target(
    clause: &Clause<'_>,
    source: &[u32],
    target: &mut Vec<u32>,
    place: Option<u32>,
    place_country: Option<&str>,
) {
    let Clause { doc, hit, .. } = *clause;
    let symmetric = SYMMETRIC.contains(&hit.entry.kind.as_str());
    let country = |a: u32| actor_country(doc, a, place_country);
    target.retain(|a| !source.contains(a) || *a == PLACE_ACTOR);
    // Subjects of several countries acting together ("Czechia and
    // Albania upgraded their ties", "X and Y signed a treaty") name no
    // recipient beyond themselves: no unnamed one is inferred either.
    // A withdrawal, surrender or resignation ("RETREAT") yields to the
    // side the text names, or to nobody in particular: it has no
    // domestic recipient by convention.
    let no_inferred = joint(doc, source) || hit.entry.kind == "RETREAT";
    if target.is_empty() && !symmetric && !no_inferred {
        // A recipient the text leaves unnamed: the country the event
        // happens in ("Indian officials in Kerala arrested a man"). Talks
        // and agreements need a named partner.
        target.extend(place);
    }
    if target.is_empty() && !symmetric && hit.entry.kind != "MOBILIZE" && !no_inferred {
        // Still none: the source's own country.
        if source
            .iter()
            .any(|&a| country(a).is_some_and(|c| c.len() == 3))
        {
            target.push(HOME_ACTOR);
        }
    }
}

/// Who did it, where the text says so otherwise than by the parse.
struct Doers {
    /// The side standing for an unnamed doer: the attacker an attack's own
    /// words name, else the place of a hostile act.
    unnamed: Option<u32>,
    /// The side standing for the place the event happens in.
    place: Option<u32>,
    /// The agent a passive names ("by X").
    by_agent: Option<u32>,
    /// The subject of the main clause, for a participle opening it.
    main_subject: Option<u32>,
    /// Whether a passive with no agent leaves the doer unnamed.
    unnamed_source: bool,
}

/// Adds to `source` what the parse's subject token `pr.subject_token` says
/// of the doer where the parse found no actor; `false` where it rules the
/// event out.
fn parsed_subject(
    clause: &Clause<'_>,
    pr: &ParseRoles,
    doers: &Doers,
    last_person: Option<u32>,
    source: &mut Vec<u32>,
) -> bool {
    let words = clause.words;
    let lower = |t: usize| words[t].to_lowercase();
    let Doers {
        unnamed: unnamed_doer,
        place,
        by_agent,
        main_subject,
        unnamed_source,
    } = *doers;
    if let Some(st) = pr.subject_token {
        let no_actor = pr.subjects.is_empty() && pr.passive_subjects.is_empty();
        // "it", "they", "we" stand for the nearest actor before them
        // ("the RUF announced it will return weapons"): the generic
        // fallback below finds it.
        let pronoun = matches!(lower(st).as_str(), "he" | "she" | "it" | "they" | "we");
        let personal = matches!(lower(st).as_str(), "he" | "she");
        // A capitalised subject may be a name the tagger of entities
        // missed; only a common noun rules the guess out.
        // A group word opening the sentence ("Demonstrators in
        // Baghdad blocked ...") is no name for its capital letter.
        let common = !words[st].starts_with(char::is_uppercase)
            || crate::words::unnamed_groups().contains(&lower(st));
        if no_actor
            && common
            && !pronoun
            && by_agent.is_none()
            && main_subject.is_none()
            && !unnamed_source
        {
            // The parse names a subject that is no actor ("airstrikes
            // hit a funeral"): guessing another actor would be wrong.
            // An unnamed group of people ("police arrested ...") acts
            // for the country the sentence places the event in.
            let group = crate::words::unnamed_groups().contains(&lower(st));
            let attack = crate::words::unnamed_attacks().contains(&lower(st));
            match unnamed_doer.or(place.filter(|_| group && !attack)) {
                Some(p) if group || attack => source.push(p),
                _ => return false,
            }
        }
        if no_actor && personal {
            source.extend(last_person);
        }
    }
    true
}

/// Adds to an empty `source` the doer the text names otherwise: a
/// passive's agent or the main clause's subject, else the nearest actor
/// `left` of the trigger, else the last person (`last_person`) for "he" or
/// "she".
fn fallback_source(
    clause: &Clause<'_>,
    doers: &Doers,
    left: &[(usize, u32)],
    last_person: Option<u32>,
    source: &mut Vec<u32>,
) {
    let Clause {
        words,
        hit,
        ref range,
        ..
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    let Doers {
        by_agent,
        main_subject,
        ..
    } = *doers;
    let pronoun_subject = (range.start..hit.head.start)
        .rev()
        .take(4)
        .any(|t| matches!(lower(t).as_str(), "he" | "she"));
    let symmetric = SYMMETRIC.contains(&hit.entry.kind.as_str());
    if !source.is_empty() {
        // Found by the parse.
    } else if let Some(a) = by_agent.or(main_subject) {
        source.push(a);
    } else if let Some(&(pos, a)) = left.first() {
        source.push(a);
        // A compound subject: "X and Y met".
        if let Some(&(_, b)) = left.get(1) {
            let between = (left[1].0..pos).any(|t| lower(t) == "and");
            if between && symmetric {
                source.push(b);
            }
        }
    } else if pronoun_subject {
        source.extend(last_person);
    }
}

/// The side an attack's own words name as its doer, before the place's
/// country is read as one.
fn unnamed_attacker(clause: &Clause<'_>) -> Option<u32> {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let actor_at = |t: usize| doc.token_actor.get(t).copied().flatten();
    let lower = |t: usize| words[t].to_lowercase();
    // The unknown doer of an attack is the side the sentence names on
    // the attack itself, where it does, before the place's country:
    // "martyred in an Israeli bombing", "killed in Saudi-led airstrikes".
    if hit.entry.kind == "ASSAULT" {
        range.clone().find_map(|t| {
            let w = lower(t);
            if t == hit.head.start
                || !(crate::words::unnamed_attacks().contains(&w)
                    || matches!(
                        w.as_str(),
                        "intervention" | "aggression" | "strike" | "strikes" | "raid" | "raids"
                    ))
            {
                return None;
            }
            let mut k = t;
            while k > range.start {
                k -= 1;
                if let Some(a) = actor_at(k) {
                    return Some(a);
                }
                if !matches!(lower(k).as_str(), "-" | "led" | "backed") {
                    return None;
                }
            }
            None
        })
    } else {
        None
    }
}

/// The actors from token `from` to the end of `range`, in order, each
/// once where it is named on adjacent tokens.
fn actors_from(doc: &Doc, from: usize, range: &std::ops::Range<usize>) -> Vec<(usize, u32)> {
    let actor_at = |t: usize| doc.token_actor.get(t).copied().flatten();
    let mut out: Vec<(usize, u32)> = Vec::new();
    for t in from..range.end {
        if let Some(a) = actor_at(t) {
            if out.last().is_none_or(|(_, b)| *b != a) {
                out.push((t, a));
            }
        }
    }
    out
}

/// Whether the trigger is a passive verb.
fn is_passive(clause: &Clause<'_>) -> bool {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    // "was attacked" is passive; "are demanding" is not: with tags, the
    // trigger must be a past participle.
    let participle = !doc.tokens.tagged()
        || doc.tokens.xpos[hit.head.start] == annalist_doc::Xpos::from_str_lossy("VBN");
    // "is opposed to", "is committed to": an adjective, not a passive.
    let adjectival = hit.pattern.head.len() > 1 && hit.pattern.head[1..].iter().any(|w| w == "to");
    // "when asked whether ...": a participle after a subordinator is a
    // reduced passive too.
    hit.head.start > range.start
        && participle
        && !adjectival
        && (matches!(
            lower(hit.head.start - 1).as_str(),
            "was" | "were" | "been" | "be" | "is" | "are"
        ) || (matches!(
            lower(hit.head.start - 1).as_str(),
            "when" | "if" | "once" | "unless"
        ) && doc.tokens.tagged()
            && doc.tokens.xpos[hit.head.start] == annalist_doc::Xpos::from_str_lossy("VBN")))
}

/// The actor a passive trigger names as its doer, if any.
fn passive_agent(clause: &Clause<'_>, passive: bool) -> Option<u32> {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    let right_from = |from: usize| actors_from(doc, from, range);
    // "by X" after a passive trigger names the source; so does "in (at)
    // the presence of X" for ceremonies.
    passive
        .then(|| {
            // Not past another verb: "banned under a treaty signed by
            // 119 nations" names who signed, not who banned.
            let verb = |t: usize| {
                doc.tokens.tagged() && doc.tokens.upos[t] == Upos::from_str_lossy("VERB")
            };
            (hit.end..range.end.min(hit.end + 12))
                .take_while(|&t| !verb(t))
                .find(|&t| {
                    lower(t) == "by"
                        || (lower(t) == "presence" && t + 1 < range.end && lower(t + 1) == "of")
                })
                .and_then(|b| right_from(b + 1).first().map(|x| x.1))
        })
        .flatten()
}

/// The country of actor `a`; the unnamed side standing for the place has
/// the place's country.
fn actor_country(doc: &Doc, a: u32, place_country: Option<&str>) -> Option<String> {
    if a == PLACE_ACTOR {
        return place_country.map(str::to_string);
    }
    doc.actors.get(a as usize).and_then(|x| x.country.clone())
}

/// The recipient of an event whose text names none by the parse or a
/// preposition: the nearest actor after the trigger, of those not
/// yet a side (`rest`, among the actors `right` of the trigger), that
/// passes the tests below.
fn nearest_target(
    clause: &Clause<'_>,
    source: &[u32],
    rest: &[u32],
    right: &[(usize, u32)],
    place_country: Option<&str>,
) -> Option<u32> {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    let country = |a: u32| actor_country(doc, a, place_country);
    // An actor named only as a place ("in the Austrian capital").
    let place_only = |a: u32| {
        doc.actors.get(a as usize).is_none_or(|x| {
            x.mentions.iter().all(|&e| {
                doc.entities
                    .get(e as usize)
                    .is_none_or(|e| e.label == annalist_doc::EntityType::Loc)
            })
        })
    };
    // The nearest actor after the trigger.
    let src_countries: Vec<_> = source.iter().map(|&a| country(a)).collect();
    // Whoever reports the event is not its recipient ("..., Thai
    // military sources said"); an actor of the source's own country
    // may be one ("rejected an invitation to a meeting of
    // Palestinian factions"), unless it is named only as a place or
    // the trigger is a noun, whose own arguments were read above
    // ("speaking at the inauguration, Bagheri said Iran ...").
    let speakers = speakers(doc, words, hit.head.start, range);
    // Nor is a side named past the start of another clause ("...
    // before allowing U.N. aid convoys"), or across a border ("near
    // Macedonia's border with Bulgaria").
    let verbish = |t: usize| {
        doc.tokens.tagged()
            && t < range.end
            && matches!(doc.tokens.xpos[t].as_str(), "VBG" | "VBD" | "VBZ" | "VBP")
    };
    let clause_end = (hit.end..range.end)
        .find(|&k| {
            matches!(
                lower(k).as_str(),
                "before" | "after" | "while" | "because" | "unless" | "although" | "whereas"
            ) && verbish(k + 1)
        })
        .unwrap_or(range.end);
    let across_border = |a: u32| {
        right.iter().filter(|x| x.1 == a).all(|&(t, _)| {
            t >= range.start + 2
                && matches!(lower(t - 1).as_str(), "with" | "of")
                && matches!(lower(t - 2).as_str(), "border" | "frontier" | "borders")
        })
    };
    let in_clause = |a: u32| right.iter().any(|x| x.1 == a && x.0 < clause_end);
    rest.iter()
        .find(|&&a| {
            !speakers.contains(&a)
                && in_clause(a)
                && !across_border(a)
                && (!src_countries.contains(&country(a)) || (!place_only(a) && !hit.noun))
        })
        .copied()
}

/// Whether the event, with these sides, is dropped: talks with no partner,
/// a side agreeing with nobody, recognizing a fact, or a noun with neither
/// a recipient nor a doer of its own.
fn vetoed(clause: &Clause<'_>, source: &[u32], target: &[u32], own_doer: bool) -> bool {
    let Clause {
        doc,
        words,
        hit,
        ref range,
    } = *clause;
    let lower = |t: usize| words[t].to_lowercase();
    let symmetric = SYMMETRIC.contains(&hit.entry.kind.as_str());
    // Talks, too, need a partner: "Griffiths arrived in Sanaa" with
    // nobody met is a trip, not a consultation.
    if target.is_empty()
        && !(symmetric && source.len() > 1)
        && (NEEDS_TARGET.contains(&hit.entry.kind.as_str()) || hit.entry.kind == "CONSULT")
    {
        return true;
    }
    // "their withdrawal": a possessive pronoun gives the noun a doer too.
    let noun_t = hit.head.end - 1;
    let possessed = hit.noun
        && doc.tokens.parsed()
        && range.clone().any(|c| {
            doc.tokens.head[c] as usize == noun_t && doc.tokens.deprel[c].as_str() == "nmod:poss"
        });
    let own_doer = own_doer || possessed;
    // A noun with no recipient stands only with a doer of its own ("their
    // withdrawal", "Iran's protest"): otherwise it is most often
    // background or a complement of the sentence's verb.
    // "Hataman agreed, saying ...": one side agreeing, with nobody and
    // to nothing, concurs in an opinion; no agreement was made.
    if hit.entry.kind == "AGREE"
        && !hit.noun
        && hit.pattern.head.len() == 1
        && hit.pattern.tail.is_empty()
        && hit.pattern.object.is_none()
        && target.is_empty()
        && source.len() < 2
        && matches!(
            words.get(hit.end).map(String::as_str),
            Some("," | "." | ";")
        )
    {
        return true;
    }
    // "recognizing that patience is needed": recognizing a fact is no
    // support for a side (recognizing "that government" still is).
    if hit.entry.kind == "SUPPORT"
        && !hit.noun
        && hit.end + 2 < range.end
        && lower(hit.end) == "that"
        && (hit.end + 2..(hit.end + 5).min(range.end)).any(|t| {
            matches!(
                lower(t).as_str(),
                "is" | "are"
                    | "was"
                    | "were"
                    | "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "must"
                    | "can"
                    | "could"
                    | "should"
            )
        })
    {
        return true;
    }
    // A deployment or weapons test has no recipient by nature.
    if hit.noun
        && target.is_empty()
        && source.len() < 2
        && !own_doer
        && hit.entry.kind != "MOBILIZE"
    {
        return true;
    }
    false
}

/// The event a trigger codes between `source` and `target`; the caller fills
/// in its sentence, modality, attribution, place and date.
fn hit_event(
    doc: &Doc,
    hit: &Hit<'_>,
    source: Vec<u32>,
    target: Vec<u32>,
    confidence: f64,
) -> Event {
    Event {
        kind: hit.entry.kind.clone(),
        mode: hit.entry.mode.clone(),
        contexts: hit.entry.contexts.clone(),
        cameo: Some(hit.entry.cameo.clone()),
        quad_class: Some(hit.entry.quad_class),
        intensity: Some(hit.entry.intensity),
        source,
        target,
        trigger: doc.tokens.start[hit.head.start] as usize
            ..doc.tokens.end[hit.head.end - 1] as usize,
        sentence: 0,
        modality: Modality::Asserted,
        reported_by: None,
        location: None,
        date: None,
        date_source: None,
        size: Default::default(),
        confidence,
        decided_by: vec![Why::new(
            "L-ENTRY",
            format!(
                "lexicon entry {} {} (CAMEO {}), {} pattern \"{}\"",
                hit.entry.kind,
                hit.entry.mode.as_deref().unwrap_or(""),
                hit.entry.cameo,
                if hit.noun { "noun" } else { "verb" },
                hit.pattern.text
            )
            .replace("  (", " ("),
        )],
    }
}

/// The country-level actor for the country of place `p`: an existing actor
/// that names only that country, else a new one whose mention is the place's
/// own entity, so that it points back at the text it comes from.
pub(crate) fn place_actor(doc: &mut Doc, country: &str, p: u32) -> u32 {
    let place = &doc.places[p as usize];
    let span = place.span.clone().unwrap_or(0..0);
    let name = place.name.clone();
    let mention = doc
        .entities
        .iter()
        .position(|e| {
            e.label == EntityType::Loc && doc.tokens.start[e.start as usize] as usize == span.start
        })
        .map(|k| k as u32);
    country_actor(doc, country, name, span, mention)
}

/// The country-level actor of `country`: an existing actor that names only
/// that country, else a new one that points at the source's text (`span`),
/// the only text that supports it.
pub(crate) fn home_actor(doc: &mut Doc, country: &str, span: std::ops::Range<usize>) -> u32 {
    country_actor(doc, country, country.to_string(), span, None)
}

/// The actor that names only `country`, found or added (as `name`, over
/// `span`, with `mention` as its first mention).
fn country_actor(
    doc: &mut Doc,
    country: &str,
    name: String,
    span: std::ops::Range<usize>,
    mention: Option<u32>,
) -> u32 {
    if let Some(i) = doc
        .actors
        .iter()
        .position(|a| a.country.as_deref() == Some(country) && a.is_country_level(&doc.entities))
    {
        // The mention is then one more of that country, unless it is
        // another actor's already.
        if let Some(k) = mention {
            if doc
                .entity_actor
                .get(k as usize)
                .is_some_and(Option::is_none)
            {
                doc.entity_actor[k as usize] = Some(i as u32);
                doc.actors[i].mentions.push(k);
            }
        }
        return i as u32;
    }
    doc.actors.push(annalist_doc::coded::Actor {
        name,
        country: Some(country.to_string()),
        cameo: Some(country.to_string()),
        mentions: mention.into_iter().collect(),
        span,
        decided_by: vec![annalist_actors::passes::EVENT_SIDE],
        ..Default::default()
    });
    let i = (doc.actors.len() - 1) as u32;
    if let Some(slot) = mention.and_then(|k| doc.entity_actor.get_mut(k as usize)) {
        slot.get_or_insert(i);
    }
    i
}

/// The sides of a nominal event from its noun phrase.
struct NounRoles {
    sources: Vec<u32>,
    targets: Vec<u32>,
}

/// Sides of the event noun `t` from the parse: its possessor, compound or
/// adjective actor and a "by" phrase are the doers; a "to", "with",
/// "against", "on", "into" or "of" phrase names the other side, and
/// "between X and Y" both. `None` without a parse.
fn noun_roles(doc: &Doc, t: usize, range: &std::ops::Range<usize>) -> Option<NounRoles> {
    if !doc.tokens.parsed() {
        return None;
    }
    let heads = &doc.tokens.head;
    let rel = |c: usize| doc.tokens.deprel[c].as_str();
    let case_of = |c: usize| {
        range
            .clone()
            .find(|&x| heads[x] as usize == c && rel(x) == "case")
            .map(|x| doc.token_text(x).to_lowercase())
    };
    let mut out = NounRoles {
        sources: Vec::new(),
        targets: Vec::new(),
    };
    let own = |c: usize| actor_of_token(doc, c, range);
    let push = |v: &mut Vec<u32>, a: u32| {
        if !v.contains(&a) {
            v.push(a);
        }
    };
    for c in range.clone().filter(|&c| heads[c] as usize == t) {
        match rel(c) {
            "nmod:poss" | "compound" | "amod" => {
                if let Some(a) = own(c) {
                    push(&mut out.sources, a);
                }
            }
            r if r.starts_with("nmod") => {
                let Some(a) = own(c) else { continue };
                match case_of(c).as_deref() {
                    Some("by") => push(&mut out.sources, a),
                    Some("between" | "among") => {
                        push(&mut out.sources, a);
                        for cc in range.clone().filter(|&x| heads[x] as usize == c) {
                            if rel(cc) == "conj" {
                                if let Some(b) = own(cc) {
                                    push(&mut out.sources, b);
                                }
                            }
                        }
                    }
                    Some(
                        "to" | "with" | "against" | "on" | "into" | "of" | "toward" | "towards",
                    ) => push(&mut out.targets, a),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // Actors written inside the noun phrase before the noun ("European
    // Community foreign ministers' talks") also act.
    for a in noun_phrase_actors(doc, t, range) {
        push(&mut out.sources, a);
    }
    out.targets.retain(|a| !out.sources.contains(a));
    Some(out)
}

/// Actors in subject and object positions of a verb, from the parse.
struct ParseRoles {
    /// The token of the verb's subject, actor or not ("airstrikes hit ...").
    subject_token: Option<usize>,
    subjects: Vec<u32>,
    passive_subjects: Vec<u32>,
    objects: Vec<u32>,
}

/// The actor a token stands for: its own, or one in its nominal subtree
/// ("officials" in "Hungarian and Romanian officials" carries theirs).
fn actor_of_token(doc: &Doc, t: usize, range: &std::ops::Range<usize>) -> Option<u32> {
    if let Some(a) = doc.token_actor.get(t).copied().flatten() {
        return Some(a);
    }
    let heads = &doc.tokens.head;
    let mut frontier = vec![t];
    for _ in 0..3 {
        let mut next = Vec::new();
        // The noun's own name comes before its owner: "Osama bin Laden's
        // al-Qaeda terror network" is al-Qaeda's network, "Iran's Syrian
        // allies" are Syrian.
        for own in [true, false] {
            for c in range.clone() {
                if frontier.contains(&(heads[c] as usize)) {
                    let rel = doc.tokens.deprel[c].as_str();
                    let wanted = if own {
                        matches!(rel, "compound" | "flat" | "appos" | "amod")
                    } else {
                        matches!(rel, "nmod:poss" | "nmod" | "det" | "nummod")
                    };
                    if wanted {
                        if let Some(a) = doc.token_actor[c] {
                            return Some(a);
                        }
                        next.push(c);
                    }
                }
            }
        }
        frontier = next;
    }
    // "workers affiliated with the Serbian Workers' Union", "fighters loyal
    // to X": a group known by its allegiance acts for it.
    for c in range.clone() {
        if heads[c] as usize != t || doc.tokens.deprel[c].as_str() != "acl" {
            continue;
        }
        let w = doc.text[doc.tokens.start[c] as usize..doc.tokens.end[c] as usize].to_lowercase();
        if !matches!(
            w.as_str(),
            "affiliated" | "linked" | "loyal" | "allied" | "aligned" | "belonging" | "attached"
        ) {
            continue;
        }
        for o in range.clone() {
            if heads[o] as usize == c && matches!(doc.tokens.deprel[o].as_str(), "obl" | "obj") {
                if let Some(a) = doc.token_actor[o] {
                    return Some(a);
                }
            }
        }
    }
    noun_phrase_actors(doc, t, range).first().copied()
}

/// Actors written just before a noun inside its noun phrase ("European
/// Community foreign ministers", "Hungarian and Romanian officials"), read
/// from the words themselves: adjectives, nouns, names and "and" only, so
/// that a parse that hangs a modifier elsewhere still finds them. Nearest
/// first.
fn noun_phrase_actors(doc: &Doc, t: usize, range: &std::ops::Range<usize>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    if !doc.tokens.tagged() {
        return out;
    }
    let inside = |u: usize| {
        let pos = doc.tokens.upos[u];
        ["ADJ", "NOUN", "PROPN", "CCONJ"]
            .iter()
            .any(|p| pos == Upos::from_str_lossy(p))
    };
    let mut u = t;
    while u > range.start && t - u < 8 {
        u -= 1;
        // A bracketed abbreviation inside the phrase ("the Municipality
        // Association (AKK) officials") is part of it.
        if doc.token_text(u) == ")" {
            if let Some(open) = (u.saturating_sub(4).max(range.start)..u)
                .rev()
                .find(|&x| doc.token_text(x) == "(")
            {
                u = open;
                continue;
            }
        }
        if !inside(u) {
            break;
        }
        if let Some(a) = doc.token_actor[u] {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// R-SPEECH-PLACE: whether place `p`, named in `range`, is where someone
/// spoke ("Speaking in Vienna", "told reporters in Geneva", "addressing a
/// conference in Tehran"): its name hangs, a few dependency steps up, from
/// a verb of speaking or reporting.
pub(crate) fn speech_place(
    doc: &Doc,
    lemmas: &[Vec<String>],
    range: &std::ops::Range<usize>,
    p: u32,
) -> bool {
    let at = place_start(doc, p);
    let Some(t) = range.clone().find(|&t| doc.tokens.start[t] as usize == at) else {
        return false;
    };
    let mut h = t;
    for _ in 0..3 {
        let Some(&next) = doc.tokens.head.get(h) else {
            return false;
        };
        let next = next as usize;
        if next == h || !range.contains(&next) {
            return false;
        }
        h = next;
        if lemmas[h].iter().any(|l| {
            crate::words::speaking_verbs().contains(l)
                || crate::words::reporting_verbs().contains(l)
        }) {
            return true;
        }
    }
    false
}

/// The byte where the text names place `p` (0 for a place named nowhere).
fn place_start(doc: &Doc, p: u32) -> usize {
    doc.places[p as usize].span.as_ref().map_or(0, |r| r.start)
}

/// Actors that report the sentence's news ("..., officials said"): the
/// subjects of speech verbs other than the trigger itself.
fn speakers(
    doc: &Doc,
    words: &[String],
    trigger: usize,
    range: &std::ops::Range<usize>,
) -> Vec<u32> {
    if !doc.tokens.parsed() {
        return Vec::new();
    }
    let is_speech = |v: usize| {
        let lemma = doc
            .tokens
            .lemma
            .get(v)
            .map(|l| l.to_lowercase())
            .unwrap_or_else(|| words[v].to_lowercase());
        v != trigger
            && (crate::words::reporting_verbs().contains(&lemma)
                || matches!(lemma.as_str(), "report" | "quote"))
    };
    let mut out = Vec::new();
    // One pass over the subjects, so that a long sentence costs linear time.
    for c in range.clone() {
        let v = doc.tokens.head[c] as usize;
        if doc.tokens.deprel[c].as_str() == "nsubj" && range.contains(&v) && is_speech(v) {
            out.extend(actor_of_token(doc, c, range));
        }
    }
    // ", said a spokesman for X": the inverted report, which a greedy parse
    // often misattaches.
    for v in range.clone() {
        if v > range.start && words[v - 1] == "," && is_speech(v) {
            let clause = (v + 1..range.end).take_while(|&t| words[t] != ",");
            out.extend(clause.filter_map(|t| doc.token_actor.get(t).copied().flatten()));
        }
    }
    // "according to a group that ... in X": whatever the attribution names
    // reports the event rather than takes part in it.
    if let Some(a) = (range.start + 1..range.end).find(|&t| {
        words[t].eq_ignore_ascii_case("to") && words[t - 1].eq_ignore_ascii_case("according")
    }) {
        if a > trigger {
            for t in a + 1..range.end {
                out.extend(doc.token_actor.get(t).copied().flatten());
            }
        }
    }
    out
}

/// Subjects and objects of verb `v` (climbing from a controlled or
/// coordinated verb to the one that has the subject).
fn parse_roles(doc: &Doc, v: usize, range: &std::ops::Range<usize>) -> Option<ParseRoles> {
    if !doc.tokens.parsed() {
        return None;
    }
    let heads = &doc.tokens.head;
    let rel = |t: usize| doc.tokens.deprel[t].as_str();
    let children = |h: usize| range.clone().filter(move |&c| heads[c] as usize == h);
    let mut roles = ParseRoles {
        subject_token: None,
        subjects: Vec::new(),
        passive_subjects: Vec::new(),
        objects: Vec::new(),
    };
    let mut verb = v;
    for _ in 0..3 {
        for c in children(verb) {
            match rel(c) {
                "nsubj" | "csubj" => {
                    roles.subject_token.get_or_insert(c);
                    if let Some(a) = actor_of_token(doc, c, range) {
                        roles.subjects.push(a);
                        // "Hungarian and Romanian officials": each country's.
                        for b in noun_phrase_actors(doc, c, range) {
                            if !roles.subjects.contains(&b) {
                                roles.subjects.push(b);
                            }
                        }
                        // "X and Y met": conjuncts of the subject act too.
                        for cc in children(c) {
                            if rel(cc) == "conj" {
                                if let Some(b) = actor_of_token(doc, cc, range) {
                                    roles.subjects.push(b);
                                }
                            }
                        }
                        // "the foreign ministers of Iran and Kuwait": so do
                        // the conjuncts of the subject's own complement.
                        for n in children(c).filter(|&n| rel(n) == "nmod") {
                            for cc in children(n).filter(|&cc| rel(cc) == "conj") {
                                if let Some(b) = doc.token_actor[cc] {
                                    if !roles.subjects.contains(&b) {
                                        roles.subjects.push(b);
                                    }
                                }
                            }
                        }
                    }
                }
                "nsubj:pass" => {
                    roles.subject_token.get_or_insert(c);
                    roles.passive_subjects.extend(actor_of_token(doc, c, range));
                }
                "obj" | "iobj" if verb == v => roles.objects.extend(actor_of_token(doc, c, range)),
                _ => {}
            }
        }
        if roles.subject_token.is_some() {
            break;
        }
        // "agreed to meet": the subject is the controlling verb's.
        let h = heads[verb];
        if h == annalist_doc::ROOT || !matches!(rel(verb), "xcomp" | "conj" | "advcl") {
            break;
        }
        verb = h as usize;
        if !range.contains(&verb) {
            break;
        }
    }
    roles.subjects.dedup();
    Some(roles)
}

/// A demand reported as what another side "must" do.
struct Demand {
    /// The word that makes the claim ("must", the copula of an accusation,
    /// "unanswered"): the trigger.
    must: usize,
    /// The verb "must" modifies (the demanded act), or the predicate of an
    /// accusation: not coded again as an event of its own.
    verb: usize,
    source: u32,
    target: u32,
    /// REQUEST (100, intensity −1) for a demand, ACCUSE (112, −3.5) for an
    /// accusation, THREATEN (130, −4.4) for a warning of reprisal.
    kind: &'static str,
}

/// Accusations and threats made in reported speech: "X said Y is/are
/// PREDICATE" with a predicate of `words/accusing_predicates.txt` is an accusation by X of Y (CAMEO
/// 112); "X said Y's attacks will not go unanswered" is a warning of
/// reprisal, a threat by X against Y (CAMEO 130). Both sides must be of
/// different countries.
fn accusations(doc: &Doc, lemmas: &[Vec<String>], range: std::ops::Range<usize>) -> Vec<Demand> {
    let mut out = Vec::new();
    if !doc.tokens.parsed() {
        return out;
    }
    let heads = &doc.tokens.head;
    let rel = |t: usize| doc.tokens.deprel[t].as_str();
    let country = |a: u32| doc.actors.get(a as usize).and_then(|x| x.country.clone());
    let negated = |h: usize| {
        range
            .clone()
            .any(|c| heads[c] as usize == h && doc.token_text(c).eq_ignore_ascii_case("not"))
    };
    for t in range.clone() {
        if heads[t] == annalist_doc::ROOT || !range.contains(&(heads[t] as usize)) {
            continue;
        }
        let word = doc.token_text(t).to_lowercase();
        let head = heads[t] as usize;
        // The clause's head, and what the claim is.
        let (pred, kind) = if matches!(word.as_str(), "unanswered" | "unpunished") && negated(head)
        {
            (head, "THREATEN")
        } else if rel(t) == "cop"
            && crate::words::accusing_predicates().contains(&doc.token_text(head).to_lowercase())
            // "are not criminals" accuses nobody.
            && !negated(head)
        {
            (head, "ACCUSE")
        } else {
            continue;
        };
        let Some((source, target)) = reported_sides(doc, lemmas, &range, pred, &["nsubj"]) else {
            continue;
        };
        if country(source) == country(target) {
            continue;
        }
        out.push(Demand {
            must: t,
            verb: pred,
            source,
            target,
            kind,
        });
    }
    out
}

/// The sides of a claim reported in speech: `pred` heads a clause that is the
/// complement of a speech verb ("X said [Y must ...]"); the actor of its
/// subject (of a relation in `subject_rels`) is the target, the speech verb's
/// subject the source. `None` unless both are actors, distinct, and the
/// source has a country.
fn reported_sides(
    doc: &Doc,
    lemmas: &[Vec<String>],
    range: &std::ops::Range<usize>,
    pred: usize,
    subject_rels: &[&str],
) -> Option<(u32, u32)> {
    let heads = &doc.tokens.head;
    let rel = |t: usize| doc.tokens.deprel[t].as_str();
    let target = range
        .clone()
        .filter(|&c| heads[c] as usize == pred && subject_rels.contains(&rel(c)))
        .find_map(|c| actor_of_token(doc, c, range))?;
    if !matches!(rel(pred), "ccomp" | "parataxis") || heads[pred] == annalist_doc::ROOT {
        return None;
    }
    let speech = heads[pred] as usize;
    if !range.contains(&speech)
        || !lemmas[speech]
            .iter()
            .any(|l| crate::words::reporting_verbs().contains(l))
    {
        return None;
    }
    let source = parse_roles(doc, speech, range).and_then(|r| r.subjects.first().copied())?;
    let has_country = doc
        .actors
        .get(source as usize)
        .is_some_and(|x| x.country.is_some());
    (source != target && has_country).then_some((source, target))
}

/// Demands made in reported speech: "X said (that) Y must VERB" is, in event
/// data, a request by X of Y (CAMEO 10), whatever Y is to do. Both sides must
/// be distinct actors; "the minister said we must ..." names no other side.
fn deontic_demands(
    doc: &Doc,
    lemmas: &[Vec<String>],
    range: std::ops::Range<usize>,
) -> Vec<Demand> {
    let mut out = Vec::new();
    if !doc.tokens.parsed() {
        return out;
    }
    let heads = &doc.tokens.head;
    let rel = |t: usize| doc.tokens.deprel[t].as_str();
    for m in range.clone() {
        if !doc.token_text(m).eq_ignore_ascii_case("must") || rel(m) != "aux" {
            continue;
        }
        let verb = heads[m] as usize;
        if heads[m] == annalist_doc::ROOT || !range.contains(&verb) {
            continue;
        }
        let Some((source, target)) =
            reported_sides(doc, lemmas, &range, verb, &["nsubj", "nsubj:pass"])
        else {
            continue;
        };
        out.push(Demand {
            must: m,
            verb,
            source,
            target,
            kind: "REQUEST",
        });
    }
    out
}

/// Modality from the words before the trigger: negation, future, hypothesis.
fn modality(
    words: &[String],
    lemmas: &[Vec<String>],
    hit: &Hit<'_>,
    sentence: std::ops::Range<usize>,
) -> Modality {
    let sent_start = sentence.start;
    let from = hit.head.start.saturating_sub(4).max(sent_start);
    let before: Vec<String> = (from..hit.head.start)
        .map(|t| words[t].to_lowercase())
        .collect();
    let has = |w: &str| before.iter().any(|x| x == w);
    if has("not") || has("n't") || has("never") || has("no") || has("without") {
        return Modality::Negated;
    }
    // "would" is the future of reported speech ("Iraq said it would allow
    // ..."), unless the sentence makes it conditional ("if", "unless").
    let conditional = sentence
        .clone()
        .any(|t| matches!(words[t].to_lowercase().as_str(), "if" | "unless"));
    if has("could") || has("might") || has("may") || has("if") || (has("would") && conditional) {
        return Modality::Hypothetical;
    }
    let ready = (from..hit.head.start).any(|t| {
        matches!(
            words[t].to_lowercase().as_str(),
            "ready" | "willing" | "prepared"
        ) && words.get(t + 1).is_some_and(|w| w == "to")
    });
    if has("would") || ready {
        return Modality::Future;
    }
    let planned = lemmas[from..hit.head.start].iter().any(|c| {
        c.iter().any(|l| {
            matches!(
                l.as_str(),
                "plan" | "intend" | "aim" | "propose" | "seek" | "want"
            )
        })
    });
    if has("will") || has("shall") || has("should") || planned || hit.pattern.head[0] == "plan" {
        return Modality::Future;
    }
    Modality::Asserted
}

/// Whether a sentence names a year more than one year before the report's.
fn historical(words: &[String], sentence: std::ops::Range<usize>, published: Option<&str>) -> bool {
    let is_year = |w: &str| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    let Some(year) = published
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse::<u32>().ok())
    else {
        // Without the report's date: news writes the year of a date only
        // when it is not the current one, so a sentence that opens with a
        // month and its year ("On June 7, 2017, ...", "In June of 2017,
        // ...") tells of something outside the story's days. A date further
        // in may belong to a modifier ("the agreement signed in March 2001").
        return sentence.clone().take(3).any(|t| {
            annalist_doc::dates::month(&words[t]).is_some()
                && words[t].starts_with(char::is_uppercase)
                && words[t].len() >= 3
                && (t + 1..(t + 4).min(sentence.end)).any(|k| is_year(&words[k]))
        });
    };
    let month = published
        .and_then(|p| p.get(5..7))
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(12);
    sentence.clone().any(|t| {
        let w = &words[t];
        if is_year(w)
            && w.parse::<u32>()
                .is_ok_and(|y| (1900..year.saturating_sub(1)).contains(&y))
        {
            return true;
        }
        // "On June 7, 2017", "in June of 2017", "since March 2015": a month
        // of a year more than a month before the report's.
        let Some(m) = annalist_doc::dates::month(w).filter(|_| w.starts_with(char::is_uppercase))
        else {
            return false;
        };
        (t + 1..(t + 4).min(sentence.end))
            .find(|&k| is_year(&words[k]))
            .and_then(|k| words[k].parse::<u32>().ok())
            .is_some_and(|y| (y * 12 + m) + 1 < year * 12 + month)
    })
}

/// A cooperative act announced for the future is a promise: PLOVER codes
/// "will provide aid", "would meet the mediator", "is ready to contribute
/// troops" as AGREE, with the CAMEO "express intent to ..." code of the act.
/// A refusal to agree or yield ("will not accept") is a REJECT.
fn promise(ev: &mut Event, words: &[String], sentence: std::ops::Range<usize>, trigger: usize) {
    // A hostile act announced under a condition ("will withdraw its force
    // unless ...", "may halt mediation if ...") is a threat.
    let condition = sentence
        .clone()
        .any(|t| matches!(words[t].to_lowercase().as_str(), "unless" | "if"));
    let hostile = matches!(
        ev.kind.as_str(),
        "RETREAT" | "SANCTION" | "COERCE" | "ASSAULT" | "PROTEST" | "REJECT" | "MOBILIZE"
    );
    // So is one sworn ("have sworn to fight", "vowed to attack"): CAMEO
    // codes the vow, 13x, since the act has not happened. A plain "would"
    // is not enough: "announced it would prohibit all aid" is the sanction
    // itself, decided.
    let vowed = hostile
        && ev.kind != "RETREAT"
        && trigger >= sentence.start + 2
        && words[trigger - 1].eq_ignore_ascii_case("to")
        && matches!(
            words[trigger - 2].to_lowercase().as_str(),
            "vow" | "vows" | "vowed" | "swear" | "swears" | "swore" | "sworn"
        );
    if vowed
        || (condition
            && hostile
            && matches!(ev.modality, Modality::Future | Modality::Hypothetical))
    {
        ev.kind = "THREATEN".to_string();
        ev.cameo = Some("130".to_string());
        ev.mode = None;
        ev.quad_class = Some(3);
        ev.intensity = Some(-3.5);
        return;
    }
    let intent = match (ev.modality, ev.kind.as_str()) {
        (Modality::Future, "COOPERATE") => Some(("AGREE", "031")),
        (Modality::Future, "SUPPORT") => Some(("AGREE", "032")),
        (Modality::Future, "AID") => Some(("AGREE", "033")),
        (Modality::Future, "CONCEDE") => Some(("AGREE", "034")),
        (Modality::Future, "RETREAT") => Some(("AGREE", "035")),
        (Modality::Future, "CONSULT") => Some(("AGREE", "036")),
        (Modality::Negated, "AGREE" | "CONCEDE") => Some(("REJECT", "120")),
        _ => None,
    };
    if let Some((kind, cameo)) = intent {
        let reject = kind == "REJECT";
        ev.kind = kind.to_string();
        ev.cameo = Some(cameo.to_string());
        ev.mode = None;
        ev.quad_class = Some(if reject { 3 } else { 1 });
        ev.intensity = Some(if reject { -2.0 } else { 2.5 });
        if reject {
            // "will not accept" is a refusal that happened.
            ev.modality = Modality::Asserted;
        }
    }
}

/// The date a sentence gives its events: an explicit date ("January 4",
/// "4 January 2019"), or a relative one ("yesterday", "on Monday") resolved
/// against the publication date; else the publication date itself.
fn event_date(
    words: &[String],
    range: std::ops::Range<usize>,
    published: Option<&str>,
) -> Option<(String, &'static str)> {
    use annalist_doc::dates;
    let year = published.and_then(|p| p.get(..4));
    for t in range.clone() {
        let w = words[t].as_str();
        // "January 4, 2019", "Jan. 4", "4 January 2019".
        if dates::month(w).is_some() && w.len() >= 3 && w.starts_with(char::is_uppercase) {
            let before = t
                .checked_sub(1)
                .filter(|&b| b >= range.start)
                .map(|b| words[b].as_str());
            let after: Vec<&str> = (t + 1..(t + 4).min(range.end))
                .map(|k| words[k].as_str())
                .collect();
            let day_after = after
                .first()
                .filter(|d| d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()));
            let day_before =
                before.filter(|d| d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()));
            if let Some(day) = day_after.copied().or(day_before) {
                let explicit_year = after
                    .iter()
                    .find(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
                    .copied();
                if let Some(y) = explicit_year.or(year) {
                    if let Some(d) = dates::normalize(&format!("{day} {w} {y}")) {
                        return Some((d, "text"));
                    }
                }
            }
        }
    }
    let published = published?;
    for t in range {
        let w = words[t].to_ascii_lowercase();
        // "last night" in a morning paper is the evening before it.
        let last_night = w == "last"
            && words
                .get(t + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("night"));
        if last_night {
            return dates::add_days(published, -1).map(|d| (d, "text"));
        }
        match w.as_str() {
            "yesterday" => return dates::add_days(published, -1).map(|d| (d, "text")),
            "today" | "tonight" => return Some((published.to_string(), "text")),
            _ => {}
        }
        if let (Some(wd), Some(pub_wd)) = (dates::weekday_number(&w), dates::weekday(published)) {
            // News reports "on Monday" for the most recent Monday.
            let back = (i64::from(pub_wd) - i64::from(wd)).rem_euclid(7);
            return dates::add_days(published, -back).map(|d| (d, "text"));
        }
    }
    Some((published.to_string(), "published"))
}

/// "according to X" or "X reported" in a sentence: the byte span of X.
fn reported_by(
    doc: &Doc,
    words: &[String],
    range: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    for t in range.clone() {
        if words[t].eq_ignore_ascii_case("according") && words.get(t + 1).is_some_and(|w| w == "to")
        {
            let from = t + 2;
            let mut to = from;
            while to < range.end && words[to].chars().next().is_some_and(char::is_uppercase) {
                to += 1;
            }
            if to > from {
                return Some(doc.tokens.start[from] as usize..doc.tokens.end[to - 1] as usize);
            }
        }
    }
    // "..., IRNA reported." / "Reuters said."
    for e in &doc.entities {
        let (s, end) = (e.start as usize, e.end as usize);
        if e.label == EntityType::Org && range.contains(&s) {
            let text = &doc.text[doc.tokens.start[s] as usize..doc.tokens.end[end - 1] as usize];
            let verb = words.get(end).map(|w| w.to_lowercase());
            if annalist_actors::is_news_outlet(text)
                && matches!(verb.as_deref(), Some("reported" | "said" | "quoted"))
            {
                return Some(doc.tokens.start[s] as usize..doc.tokens.end[end - 1] as usize);
            }
        }
    }
    None
}

/// The place a sentence locates its events in: a resolved LOC after a
/// locative preposition, never the dateline.
fn sentence_location(
    doc: &Doc,
    words: &[String],
    range: std::ops::Range<usize>,
    dateline: Option<&std::ops::Range<usize>>,
) -> Option<u32> {
    let mut best: Option<(bool, u32)> = None;
    for (k, e) in doc.entities.iter().enumerate() {
        let s = e.start as usize;
        // A building the actor layer placed in its town counts as a place.
        let placed =
            e.label == EntityType::Org && doc.entity_place.get(k).copied().flatten().is_some();
        if !(e.label == EntityType::Loc || placed) || !range.contains(&s) || s == 0 {
            continue;
        }
        let start_byte = doc.tokens.start[s] as usize;
        if dateline.is_some_and(|d| d.contains(&start_byte)) {
            continue;
        }
        // "in Baghdad", and past a few words that only narrow the place: "in
        // central Baghdad", "near the town of Samarra", "in the port city of
        // Mokha".
        // Names inside the narrowing phrase are part of it too: "in the
        // Yemeni capital Sanaa", "in the Red Sea port town of Mokha".
        let named = |t: usize| {
            doc.entities.iter().any(|x| {
                matches!(x.label, EntityType::Loc | EntityType::Norp)
                    && (x.start as usize..x.end as usize).contains(&t)
            })
        };
        let mut p = s;
        while p > range.start
            && s - p < 7
            && (crate::words::narrowing_words().contains(&words[p - 1].to_lowercase())
                || named(p - 1))
        {
            p -= 1;
        }
        let governed = |q: usize| {
            q > range.start
                && matches!(
                    words[q - 1].to_lowercase().as_str(),
                    "in" | "at" | "near" | "inside" | "outside"
                )
        };
        // "struck the Jolo Cathedral in Mindanao": a place said to lie in
        // another is where the clause happens, and the finer of the two.
        let end = e.end as usize;
        let located = end + 1 < range.end
            && words[end].eq_ignore_ascii_case("in")
            && doc
                .entities
                .iter()
                .any(|x| x.label == EntityType::Loc && x.start as usize == end + 1);
        if !(governed(s) || governed(p) || located) {
            continue;
        }
        let end_byte = doc.tokens.end[e.end as usize - 1] as usize;
        // "in Tajikistan’s capital": the place inferred for the longer phrase.
        let inferred = doc.places.iter().position(|p| {
            p.span
                .as_ref()
                .is_some_and(|r| r.start == start_byte && r.end > end_byte)
        });
        let Some(p) = inferred
            .map(|p| p as u32)
            .or(doc.entity_place.get(k).copied().flatten())
        else {
            continue;
        };
        let is_country = coarse(doc, p);
        // A city places an event better than its country.
        if best.is_none_or(|(country, _)| country && !is_country) {
            best = Some((is_country, p));
        }
    }
    best.map(|(_, p)| p)
}

/// Whether a place is too coarse to move a story's location: a country, or
/// a region, sea or continent ("the fight against terrorism in Central Asia").
/// Where each sentence's events happen: the place the sentence names, else
/// the story's last one; a coarser mention of the same country does not
/// move the story (the rule coder's own walk, without its statements).
pub(crate) fn sentence_places(doc: &Doc) -> Vec<Option<u32>> {
    let n = doc.tokens.len();
    let words: Vec<String> = (0..n).map(|i| doc.token_text(i).to_string()).collect();
    let dateline = doc.meta.dateline.as_ref().map(|d| d.full.clone());
    let mut last: Option<u32> = None;
    let mut out = Vec::with_capacity(doc.sentences.len());
    for sent in &doc.sentences {
        let range = sent.tokens();
        if range.end > n {
            out.push(None);
            continue;
        }
        let here = sentence_location(doc, &words, range, dateline.as_ref());
        let place = match (here, last) {
            (Some(p), Some(l)) if no_finer(doc, p, l) => Some(l),
            (p, l) => p.or(l),
        };
        if let Some(p) = here {
            if !last.is_some_and(|l| no_finer(doc, p, l)) {
                last = Some(p);
            }
        }
        out.push(place);
    }
    out
}

fn coarse(doc: &Doc, p: u32) -> bool {
    matches!(
        doc.places[p as usize].feature.as_deref(),
        Some("PCLI" | "PCLD" | "PCLS" | "PCLF" | "RGN" | "CONT" | "OCN" | "SEA" | "PEN" | "LK")
    )
}

/// Whether `new` refines nothing over `old`: a coarse place that is either a
/// region or the country `old` lies in.
fn no_finer(doc: &Doc, new: u32, old: u32) -> bool {
    let (n, o) = (&doc.places[new as usize], &doc.places[old as usize]);
    coarse(doc, new) && (n.feature.as_deref() != Some("PCLI") || n.country == o.country)
}

/// Adds `ev` unless the document already has the same interaction: the same
/// type and modality between the same actors, or between the same countries
/// where one of the two names only countries ("Iran and Tajikistan" is the
/// same dyad as their officials, while two meetings of different officials
/// stay two events). The first mention is kept and its confidence raised.
fn merge(events: &mut Vec<Event>, ev: Event, doc: &Doc) {
    let symmetric = SYMMETRIC.contains(&ev.kind.as_str());
    let sides = |e: &Event| -> (Vec<u32>, Vec<u32>) {
        let (mut s, mut t) = (e.source.clone(), e.target.clone());
        if symmetric {
            s.append(&mut t);
        }
        s.sort();
        t.sort();
        (s, t)
    };
    let countries = |ids: &[u32]| {
        let mut v: Vec<Option<String>> = ids
            .iter()
            .map(|&a| doc.actors[a as usize].country.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let country_level = |e: &Event| {
        e.source.iter().chain(&e.target).all(|&a| {
            let actor = &doc.actors[a as usize];
            actor.sectors.is_empty() || actor.sectors == ["GOV"]
        })
    };
    let same = |e: &Event| {
        if e.kind != ev.kind || e.modality != ev.modality {
            return false;
        }
        let (a, b) = (sides(e), sides(&ev));
        a == b
            || ((country_level(e) || country_level(&ev))
                && countries(&a.0) == countries(&b.0)
                && countries(&a.1) == countries(&b.1))
    };
    match events.iter_mut().find(|e| same(e)) {
        Some(e) => {
            e.confidence = (e.confidence + 0.05).min(0.95);
            if e.location.is_none() {
                e.location = ev.location;
            }
        }
        None => events.push(ev),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemma_candidates_cover_regular_inflections() {
        assert!(lemma_candidates("inaugurated", None).contains(&"inaugurate".to_string()));
        assert!(lemma_candidates("talks", None).contains(&"talk".to_string()));
        assert!(lemma_candidates("held", None).contains(&"hold".to_string()));
        assert!(lemma_candidates("stopped", None).contains(&"stop".to_string()));
        assert!(lemma_candidates("promising", None).contains(&"promise".to_string()));
        assert!(lemma_candidates("x", None).contains(&"x".to_string()));
    }

    #[test]
    fn issue7_relative_and_explicit_dates() {
        let words = |t: &str| t.split(' ').map(String::from).collect::<Vec<_>>();
        let date = |t: &str| {
            let w = words(t);
            event_date(&w, 0..w.len(), Some("2019-01-04"))
        };
        assert_eq!(
            date("they met on Monday"),
            Some(("2018-12-31".into(), "text"))
        );
        assert_eq!(
            date("they met yesterday"),
            Some(("2019-01-03".into(), "text"))
        );
        assert_eq!(
            date("they met on January 2"),
            Some(("2019-01-02".into(), "text"))
        );
        assert_eq!(
            date("they met on 3 March 2017"),
            Some(("2017-03-03".into(), "text"))
        );
        assert_eq!(date("they met"), Some(("2019-01-04".into(), "published")));
        let w = words("they met");
        assert_eq!(event_date(&w, 0..2, None), None);
    }
}
