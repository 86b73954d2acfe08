//! The PETRARCH-compatible coder: verb patterns matched against our own
//! dependency parse and the sentence's words, actors coded with PETRARCH
//! actor and agent dictionaries.
//!
//! It reads a `Doc` that the pipeline has tokenized, split, tagged and parsed
//! and never fails on text. For each verb of the verb dictionary it tries the
//! verb block's patterns in dictionary order (the first match wins, as in
//! TABARI), then finds the source and target: the pattern's `$` and `+` when
//! it has them, else the verb's subject (its `by` phrase in a passive) and
//! the first actor after the verb in the verb's clause.

use crate::actors::{ActorDict, AgentCode, AgentDict, Date};
use crate::discards::Discards;
use crate::verbs::{phrase_words, Elem, Item, Pattern, VerbDict, VerbForm};
use annalist_doc::{Doc, Upos, ROOT};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// One coded event: CAMEO source and target actor codes and event code,
/// with where in the doc they were found (byte ranges).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Coding {
    pub source: String,
    pub target: String,
    pub code: String,
    /// Index of the sentence in `doc.sentences`.
    pub sentence: usize,
    /// The verb's words, as `(start, end)` byte offsets.
    pub trigger: (usize, usize),
    /// The dictionary phrase that gave each actor's code, likewise.
    pub source_span: (usize, usize),
    pub target_span: (usize, usize),
}

/// An actor code and the token range of the phrase it came from.
type Coded = (String, Range<usize>);

/// One conjunct of a noun phrase: its actors, its agents and where the
/// first agent is.
type Part = (Vec<Coded>, Vec<AgentCode>, Option<Range<usize>>);

/// What the coder made of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The events found (possibly none), sorted and without duplicates.
    Events { events: Vec<Coding> },
    /// A discard phrase matched: nothing is coded.
    Discard { story: bool, phrase: String },
}

/// The PETRARCH-compatible coder.
#[derive(Debug, Clone, Default)]
pub struct PetrarchCoder {
    pub verbs: VerbDict,
    pub actors: ActorDict,
    pub discards: Discards,
    /// Actor phrases (hyphens split off as words) to entry index.
    actor_index: HashMap<Vec<String>, usize>,
    agent_index: HashMap<Vec<String>, AgentCode>,
    max_len: usize,
}

/// A dictionary phrase found in a sentence, by word positions.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Actor(usize),
    Agent(AgentCode),
}

/// Slots a pattern bound: token indices of the actors it names.
#[derive(Debug, Clone, Default)]
struct Binds {
    source: Option<usize>,
    target: Option<usize>,
    compound: Option<(usize, bool)>,
    /// Where the words a pattern matched after the verb end.
    after_end: Option<usize>,
}

/// Dependency relations whose subtrees are other clauses, not part of a
/// noun phrase.
fn clausal(r: &str) -> bool {
    matches!(
        r,
        "acl" | "acl:relcl" | "advcl" | "advcl:relcl" | "ccomp" | "parataxis" | "appos" | "list"
    )
}

/// Relations a noun phrase's word climbs to reach the phrase's head.
fn np_internal(r: &str) -> bool {
    matches!(
        r,
        "compound" | "flat" | "flat:name" | "fixed" | "nmod:poss" | "nmod" | "amod" | "nmod:desc"
    )
}

/// The sentence as the coder sees it.
struct Sent<'a> {
    doc: &'a Doc,
    index: usize,
    toks: Range<usize>,
    /// Upper-case words; a token with `_` inside gives several.
    words: Vec<String>,
    word_tok: Vec<usize>,
    /// First word of each token (relative token index).
    tok_word: Vec<usize>,
    mentions: Vec<Mention>,
    children: Vec<Vec<usize>>,
    parsed: bool,
}

impl<'a> Sent<'a> {
    fn rel(&self, t: usize) -> &'static str {
        if self.parsed {
            self.doc.tokens.deprel[t].as_str()
        } else {
            "dep"
        }
    }

    fn head(&self, t: usize) -> Option<usize> {
        if !self.parsed {
            return None;
        }
        let h = self.doc.tokens.head[t];
        (h != ROOT && self.toks.contains(&(h as usize))).then_some(h as usize)
    }

    fn kids(&self, t: usize) -> &[usize] {
        &self.children[t - self.toks.start]
    }

    fn subtree(&self, t: usize, out: &mut Vec<usize>) {
        let mut stack = vec![t];
        let mut seen = 0;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > self.toks.len() + 1 {
                break;
            }
            out.push(x);
            stack.extend_from_slice(self.kids(x));
        }
    }

    fn word_of(&self, t: usize) -> usize {
        self.tok_word[t - self.toks.start]
    }

    fn upos(&self, t: usize) -> Upos {
        self.doc.tokens.upos.get(t).copied().unwrap_or_default()
    }

    fn is_verb(&self, t: usize) -> bool {
        let Some(x) = self.doc.tokens.xpos.get(t) else {
            return false;
        };
        self.upos(t) == Upos::parse("VERB").unwrap_or_default()
            || (x.as_str().starts_with("VB")
                && self.upos(t) != Upos::parse("AUX").unwrap_or_default())
    }
}

/// Splits a `YYYYMMDD` date; `None` when malformed.
pub fn parse_record_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        s[..4].parse().ok()?,
        s[4..6].parse().ok()?,
        s[6..].parse().ok()?,
    ))
}

impl PetrarchCoder {
    /// A coder from parsed dictionaries.
    pub fn new(
        verbs: VerbDict,
        actors: ActorDict,
        agents: &AgentDict,
        discards: Discards,
    ) -> PetrarchCoder {
        let mut actor_index = HashMap::new();
        let mut max_len = 1;
        for (k, e) in actors.entries.iter().enumerate() {
            for p in &e.phrases {
                let ws = phrase_words(p);
                if ws.is_empty() {
                    continue;
                }
                max_len = max_len.max(ws.len());
                actor_index.entry(ws).or_insert(k);
            }
        }
        let mut agent_index = HashMap::new();
        for (p, c) in agents.iter() {
            let ws = phrase_words(p);
            if ws.is_empty() {
                continue;
            }
            max_len = max_len.max(ws.len());
            agent_index.entry(ws).or_insert_with(|| c.clone());
        }
        PetrarchCoder {
            verbs,
            actors,
            discards,
            actor_index,
            agent_index,
            max_len: max_len.min(12),
        }
    }

    /// Codes every sentence of a parsed doc; `date` selects date-restricted
    /// actor codes. A story discard anywhere discards the whole doc.
    pub fn code_doc(&self, doc: &Doc, date: Option<Date>) -> Outcome {
        let mut events = BTreeSet::new();
        let mut sentence_discard = None;
        for (k, s) in doc.sentences.iter().enumerate() {
            let mut sent = self.sentence(doc, s.tokens());
            sent.index = k;
            if let Some(d) = self.discards.find(&sent.words) {
                let phrase = d.words.join(" ");
                if d.story {
                    return Outcome::Discard {
                        story: true,
                        phrase,
                    };
                }
                sentence_discard.get_or_insert(phrase);
                continue;
            }
            events.extend(self.code_sentence(&sent, date));
        }
        match sentence_discard {
            Some(phrase) if events.is_empty() => Outcome::Discard {
                story: false,
                phrase,
            },
            _ => Outcome::Events {
                events: events.into_iter().collect(),
            },
        }
    }

    fn sentence<'a>(&self, doc: &'a Doc, toks: Range<usize>) -> Sent<'a> {
        let toks = toks.start.min(doc.tokens.len())..toks.end.min(doc.tokens.len());
        let parsed = doc.tokens.head.len() == doc.tokens.len()
            && doc.tokens.deprel.len() == doc.tokens.len();
        let mut words = Vec::new();
        let mut word_tok = Vec::new();
        let mut tok_word = Vec::new();
        for t in toks.clone() {
            tok_word.push(words.len());
            let text = doc.token_text(t);
            let mut ws: Vec<String> = text
                .split('_')
                .filter(|w| !w.is_empty())
                .map(|w| w.to_uppercase())
                .collect();
            if ws.is_empty() {
                ws.push(text.to_uppercase());
            }
            for w in ws {
                words.push(w);
                word_tok.push(t);
            }
        }
        let mut children = vec![Vec::new(); toks.len()];
        if parsed {
            for t in toks.clone() {
                let h = doc.tokens.head[t];
                if h != ROOT && toks.contains(&(h as usize)) && h as usize != t {
                    children[h as usize - toks.start].push(t);
                }
            }
        }
        let mut sent = Sent {
            doc,
            index: 0,
            toks,
            words,
            word_tok,
            tok_word,
            mentions: Vec::new(),
            children,
            parsed,
        };
        sent.mentions = self.mentions(&sent.words);
        sent
    }

    /// Longest-match scan of the words for actor and agent phrases.
    fn mentions(&self, words: &[String]) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut best: Option<Mention> = None;
            let longest = self.max_len.min(words.len() - i);
            for n in (1..=longest).rev() {
                let key = &words[i..i + n];
                if let Some(&k) = self.actor_index.get(key) {
                    best = Some(Mention {
                        start: i,
                        end: i + n,
                        kind: Kind::Actor(k),
                    });
                } else if let Some(a) = self.agent_index.get(key) {
                    best = Some(Mention {
                        start: i,
                        end: i + n,
                        kind: Kind::Agent(a.clone()),
                    });
                }
                if best.is_some() {
                    break;
                }
            }
            match best {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    /// The actor codes of an actor entry on `date` (`A/B` names two actors).
    fn actor_codes(&self, k: usize, date: Option<Date>) -> Vec<String> {
        let Some(code) = self.actors.entries.get(k).and_then(|e| e.code_on(date)) else {
            return Vec::new();
        };
        code.split('/')
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Climbs from a word of a noun phrase to the phrase's head, stopping
    /// below verbs.
    fn np_top(&self, s: &Sent, mut t: usize) -> usize {
        for _ in 0..s.toks.len() {
            if !np_internal(s.rel(t)) {
                break;
            }
            match s.head(t) {
                Some(h) if !s.is_verb(h) => t = h,
                _ => break,
            }
        }
        t
    }

    /// The conjuncts of a phrase: its head and what `conj` links to it.
    fn conjuncts(&self, s: &Sent, head: usize) -> Vec<usize> {
        let mut out = vec![head];
        let mut k = 0;
        while k < out.len() && out.len() <= s.toks.len() {
            let x = out[k];
            for &c in s.kids(x) {
                if s.rel(c) == "conj" && !out.contains(&c) {
                    out.push(c);
                }
            }
            k += 1;
        }
        out
    }

    /// Codes the noun phrase headed by `head`: one code per actor, compound
    /// phrases giving several.
    fn code_np(&self, s: &Sent, head: usize, date: Option<Date>) -> Vec<Coded> {
        let out = self.code_np_with(s, head, date, false);
        if out.is_empty() {
            // "Old foes Gondor and Osgiliath": the names are an apposition.
            return self.code_np_with(s, head, date, true);
        }
        out
    }

    fn code_np_with(
        &self,
        s: &Sent,
        head: usize,
        date: Option<Date>,
        with_appos: bool,
    ) -> Vec<Coded> {
        let conj = self.conjuncts(s, head);
        let mut parts: Vec<Part> = Vec::new();
        for &c in &conj {
            let mut sub = Vec::new();
            s.subtree(c, &mut sub);
            let mut drop = Vec::new();
            for &x in &sub {
                if x == c {
                    continue;
                }
                let r = s.rel(x);
                if (conj.contains(&x) && x != c) || (clausal(r) && !(with_appos && r == "appos")) {
                    s.subtree(x, &mut drop);
                }
                if matches!(r, "cc" | "punct") {
                    drop.push(x);
                }
            }
            let own: Vec<usize> = sub.into_iter().filter(|x| !drop.contains(x)).collect();
            let in_own = |m: &Mention| own.contains(&s.word_tok[m.start]);
            let mut actors: Vec<Coded> = Vec::new();
            let mut agents: Vec<AgentCode> = Vec::new();
            let mut agent_span: Option<Range<usize>> = None;
            let mut first_actor_top: Option<Vec<usize>> = None;
            for m in s.mentions.iter().filter(|m| in_own(m)) {
                match &m.kind {
                    Kind::Actor(k) => {
                        let t = s.word_tok[m.start];
                        let keep = match &first_actor_top {
                            None => {
                                let top = self.np_head_only(s, t);
                                first_actor_top = Some(self.conjuncts(s, top));
                                true
                            }
                            Some(group) => group.contains(&self.np_head_only(s, t)),
                        };
                        if keep {
                            let span = s.word_tok[m.start]..s.word_tok[m.end - 1] + 1;
                            for code in self.actor_codes(*k, date) {
                                if !actors.iter().any(|(c, _)| *c == code) {
                                    actors.push((code, span.clone()));
                                }
                            }
                            if actors.len() == 1
                                || first_actor_top.as_ref().is_some_and(|g| g.len() == 1)
                            {
                                // The parse may miss a coordination the words
                                // show ("Fornost and the evil awful Gondor").
                                for other in self.word_coordinated(s, m) {
                                    let span =
                                        s.word_tok[other.start]..s.word_tok[other.end - 1] + 1;
                                    if let Kind::Actor(k2) = other.kind {
                                        for code in self.actor_codes(k2, date) {
                                            if !actors.iter().any(|(c, _)| *c == code) {
                                                actors.push((code, span.clone()));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    Kind::Agent(a) => {
                        if !agents.contains(a) {
                            agents.push(a.clone());
                        }
                        agent_span.get_or_insert(s.word_tok[m.start]..s.word_tok[m.end - 1] + 1);
                    }
                }
            }
            parts.push((actors, agents, agent_span));
        }
        let mut out: Vec<Coded> = Vec::new();
        for i in 0..parts.len() {
            let (actors, agents, agent_span) = &parts[i];
            if actors.is_empty() && agents.is_empty() {
                continue;
            }
            let actors = if actors.is_empty() {
                // "Lawmakers and officials in Fornost": the country is shared.
                let span = agent_span.clone().unwrap_or(head..head + 1);
                parts[i + 1..]
                    .iter()
                    .chain(parts[..i].iter().rev())
                    .find(|(a, _, _)| !a.is_empty())
                    .map(|(a, _, _)| a.iter().map(|(c, _)| (c.clone(), span.clone())).collect())
                    .unwrap_or_else(|| vec![("---".to_string(), span)])
            } else {
                actors.clone()
            };
            for (a, span) in actors {
                let code = compose(&a, agents);
                if !out.iter().any(|(c, _)| *c == code) {
                    out.push((code, span));
                }
            }
        }
        out
    }

    /// Actor phrases joined to `m` by the words alone: a list of names with
    /// `,` and `and` between them and at most a few determiners, adjectives
    /// or common nouns before each name ("Evil Mordor, the awful Fornost,
    /// and good Gondor").
    fn word_coordinated<'m>(&self, s: &'m Sent, m: &Mention) -> Vec<&'m Mention> {
        let joiner = |w: usize| matches!(s.words[w].as_str(), "," | "AND");
        let filler = |w: usize| {
            matches!(s.upos(s.word_tok[w]).as_str(), "DET" | "ADJ" | "NOUN")
                && s.doc
                    .token_text(s.word_tok[w])
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_uppercase() || w == 0)
                || matches!(s.words[w].as_str(), "THE")
        };
        let actor_at_end = |e: usize| {
            s.mentions
                .iter()
                .find(|x| x.end == e && matches!(x.kind, Kind::Actor(_)))
        };
        let actor_at_start = |b: usize| {
            s.mentions
                .iter()
                .find(|x| x.start == b && matches!(x.kind, Kind::Actor(_)))
        };
        let mut out = Vec::new();
        // Backward: fillers, then joiners, then (fillers and) a name.
        let mut at = m.start;
        loop {
            let mut w = at;
            let mut fill = 0;
            while w > 0 && filler(w - 1) && fill < 3 {
                w -= 1;
                fill += 1;
            }
            let mut joined = false;
            while w > 0 && joiner(w - 1) {
                w -= 1;
                joined = true;
            }
            let prev = if joined { actor_at_end(w) } else { None };
            match prev {
                Some(p) => {
                    out.push(p);
                    at = p.start;
                }
                None => break,
            }
        }
        // Forward: joiners, fillers, a name.
        let mut at = m.end;
        loop {
            let mut w = at;
            let mut joined = false;
            while w < s.words.len() && joiner(w) {
                w += 1;
                joined = true;
            }
            let mut fill = 0;
            while w < s.words.len() && filler(w) && fill < 3 {
                w += 1;
                fill += 1;
            }
            let next = if joined { actor_at_start(w) } else { None };
            match next {
                Some(n) => {
                    out.push(n);
                    at = n.end;
                }
                None => break,
            }
        }
        out
    }

    /// The head of a name: climbs only name-internal relations.
    fn np_head_only(&self, s: &Sent, mut t: usize) -> usize {
        for _ in 0..s.toks.len() {
            if !matches!(s.rel(t), "compound" | "flat" | "flat:name" | "fixed") {
                break;
            }
            match s.head(t) {
                Some(h) => t = h,
                None => break,
            }
        }
        t
    }

    /// The subject of verb `v`, inherited along `xcomp` and `conj`.
    fn subject(&self, s: &Sent, v: usize) -> Option<usize> {
        let mut v = v;
        for _ in 0..8 {
            if let Some(&c) = s
                .kids(v)
                .iter()
                .find(|&&c| matches!(s.rel(c), "nsubj" | "nsubj:pass" | "csubj" | "nsubj:outer"))
            {
                return Some(c);
            }
            if matches!(s.rel(v), "xcomp" | "conj" | "advcl" | "ccomp" | "dep") {
                match s.head(v) {
                    Some(h) => v = h,
                    None => return None,
                }
            } else {
                return None;
            }
        }
        None
    }

    /// A verb in a clause that modifies a noun or adverbially another verb
    /// and has no subject of its own ("efforts to stop a parade", "after
    /// leaving Eriador"): PETRARCH folds it into the main event.
    fn embedded(&self, s: &Sent, v: usize) -> bool {
        let gerund = s
            .doc
            .tokens
            .xpos
            .get(v)
            .is_some_and(|x| x.as_str() == "VBG");
        // An `acl` on a root noun is the parser missing the main verb
        // ("Danish media and government warned ..."), not a modifier.
        let on_root_noun = s.head(v).is_some_and(|h| s.rel(h) == "root");
        ((s.rel(v) == "acl" && !on_root_noun) || (s.rel(v) == "advcl" && gerund))
            && !s
                .kids(v)
                .iter()
                .any(|&c| matches!(s.rel(c), "nsubj" | "nsubj:pass" | "csubj"))
    }

    fn is_passive(&self, s: &Sent, v: usize) -> bool {
        s.kids(v)
            .iter()
            .any(|&c| matches!(s.rel(c), "aux:pass" | "nsubj:pass"))
    }

    /// The `by` phrase of a passive verb.
    fn by_agent(&self, s: &Sent, v: usize) -> Option<usize> {
        s.kids(v).iter().copied().find(|&c| {
            s.rel(c) == "obl:agent"
                || (s.rel(c).starts_with("obl")
                    && s.kids(c).iter().any(|&k| {
                        s.rel(k) == "case" && s.doc.token_text(k).eq_ignore_ascii_case("by")
                    }))
        })
    }

    /// Codes one sentence.
    fn code_sentence(&self, s: &Sent, date: Option<Date>) -> Vec<Coding> {
        let mut out = Vec::new();
        let mut coded: Vec<usize> = Vec::new();
        let mut w = 0;
        while w < s.words.len() {
            let t = s.word_tok[w];
            let forms = self.verbs.forms_of(&s.words[w]);
            if forms.is_empty() || !s.is_verb(t) {
                w += 1;
                continue;
            }
            // The longest form whose other words surround this one.
            let mut best: Option<(&VerbForm, Range<usize>)> = None;
            for f in forms {
                let Some(start) = w.checked_sub(f.head) else {
                    continue;
                };
                let end = start + f.words.len();
                if end > s.words.len() || s.words[start..end] != f.words[..] {
                    continue;
                }
                if best
                    .as_ref()
                    .is_none_or(|(b, _)| f.words.len() > b.words.len())
                {
                    best = Some((f, start..end));
                }
            }
            let Some((form, span)) = best else {
                w += 1;
                continue;
            };
            // A verb completing another verb that was coded ("called on Gondor
            // to be allowed to leave") is part of that event, not a new one.
            let folded = s.rel(t) == "xcomp" && s.head(t).is_some_and(|h| coded.contains(&h));
            if folded {
                coded.push(t);
            } else {
                let before = out.len();
                self.code_verb(s, t, form, span.clone(), date, &mut out);
                if out.len() > before {
                    coded.push(t);
                }
            }
            w = span.end.max(w + 1);
        }
        out
    }

    fn code_verb(
        &self,
        s: &Sent,
        v: usize,
        form: &VerbForm,
        span: Range<usize>,
        date: Option<Date>,
        out: &mut Vec<Coding>,
    ) {
        let Some(group) = self.verbs.groups.get(form.group) else {
            return;
        };
        // Patterns of every block that lists this verb word, in order.
        let mut found: Option<(&Pattern, Binds)> = None;
        let mut blocks: Vec<usize> = self
            .verbs
            .forms_of(&s.words[span.start + form.head])
            .iter()
            .map(|f| f.group)
            .collect();
        blocks.dedup();
        'outer: for g in blocks {
            for p in &self.verbs.groups[g].patterns {
                let mut b = Binds::default();
                if self.match_pattern(s, p, span.clone(), date, &mut b) {
                    found = Some((p, b));
                    break 'outer;
                }
            }
        }
        // An embedded verb is coded only when a pattern of its own matches
        // ("a woman believed linked to X"), never with its block's code.
        if found.is_none() && self.embedded(s, v) {
            return;
        }
        let code = match &found {
            Some((p, _)) => p.code.clone(),
            None => form.code.clone().unwrap_or_else(|| group.code.clone()),
        };
        let binds = found.map(|(_, b)| b).unwrap_or_default();
        let (c1, c2) = match code.split_once(':') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (code.clone(), None),
        };
        let null = |c: &str| c.is_empty() || c == "---";
        if null(&c1) && c2.as_deref().is_none_or(null) {
            return;
        }

        let np = |t: usize| self.code_np(s, self.np_top(s, t), date);
        let subject = self.subject(s, v);
        let passive_by = self.is_passive(s, v).then(|| self.by_agent(s, v)).flatten();
        let mut exclude: Vec<usize> = Vec::new();
        let mut source: Vec<Coded> = Vec::new();
        let mut target: Vec<Coded> = Vec::new();
        let mut pairwise = false;
        if let Some((t, before)) = binds.compound {
            let codes = np(t);
            if before {
                source = codes;
                pairwise = true;
            } else {
                target = codes;
            }
        }
        // A slot names the phrase it matched, not the larger phrase around
        // it ("with the leaders of Gondor" is Gondor).
        let slot_np = |t: usize| self.code_np(s, self.np_head_only(s, t), date);
        if let Some(t) = binds.source {
            source = slot_np(t);
        }
        if let Some(t) = binds.target {
            target = slot_np(t);
            s.subtree(self.np_top(s, t), &mut exclude);
        }
        if source.is_empty() && !pairwise {
            let subj = match (passive_by, subject) {
                (Some(by), _) => Some(by),
                (None, Some(sj)) if exclude.contains(&sj) => {
                    // The pattern made the verb's subject its target ("noted
                    // + regretted"): the source is the governing clause's.
                    s.head(v).and_then(|h| self.subject(s, h))
                }
                (None, sj) => sj,
            };
            if let Some(sj) = subj {
                source = self.code_np(s, sj, date);
                s.subtree(sj, &mut exclude);
            }
            let pronoun = subj.is_some_and(|sj| s.upos(sj).as_str() == "PRON");
            if source.is_empty() && pronoun {
                // "Ethiopia indicated it would act": a pronoun stands for
                // the subject of a governing clause.
                let mut at = v;
                for _ in 0..8 {
                    let Some(h) = s.head(at) else { break };
                    if let Some(sj) = self.subject(s, h).filter(|&sj| Some(sj) != subj) {
                        let codes = self.code_np(s, sj, date);
                        if !codes.is_empty() {
                            source = codes;
                            s.subtree(sj, &mut exclude);
                            break;
                        }
                    }
                    at = h;
                }
            }
            if source.is_empty() && subj.is_none() {
                // No subject in the parse: the nearest actor before the verb.
                if let Some(m) = s
                    .mentions
                    .iter()
                    .rev()
                    .find(|m| m.end <= span.start && matches!(m.kind, Kind::Actor(_)))
                {
                    let t = s.word_tok[m.start];
                    source = np(t);
                    s.subtree(self.np_top(s, t), &mut exclude);
                }
            }
        }
        if target.is_empty() && !pairwise {
            if let (Some(_), Some(sj)) = (passive_by, subject) {
                target = self.code_np(s, sj, date);
            } else {
                target = self.first_after(s, v, span.end, &exclude, date);
            }
            // A pattern that matched words after the verb ("believed * linked
            // to X") points past them even where the parse hangs X elsewhere.
            if let (true, Some(end)) =
                (target.is_empty(), binds.after_end.filter(|&e| e > span.end))
            {
                // Only up to the next verb or punctuation: the same clause.
                let stop = (end..s.words.len())
                    .find(|&w| matches!(s.upos(s.word_tok[w]).as_str(), "VERB" | "AUX" | "PUNCT"))
                    .unwrap_or(s.words.len());
                if let Some(m) = s
                    .mentions
                    .iter()
                    .find(|m| m.start >= end && m.start < stop && matches!(m.kind, Kind::Actor(_)))
                {
                    target = slot_np(s.word_tok[m.start]);
                }
            }
        }
        let doc = s.doc;
        let bytes = |r: &Range<usize>| {
            let b = doc.token_range_span(r.clone());
            (b.start, b.end)
        };
        let trigger = bytes(&(s.word_tok[span.start]..s.word_tok[span.end - 1] + 1));
        let mut push = |a: &Coded, b: &Coded, c: &str| {
            if null(c) || a.0 == b.0 {
                return;
            }
            let coding = Coding {
                source: a.0.clone(),
                target: b.0.clone(),
                code: c.to_string(),
                sentence: s.index,
                trigger,
                source_span: bytes(&a.1),
                target_span: bytes(&b.1),
            };
            if !out.contains(&coding) {
                out.push(coding);
            }
        };
        // "Gondor and Osgiliath renewed diplomatic ties" with a symmetric
        // (`A:B`) code: the event is between the compound's members.
        if target.is_empty() && source.len() >= 2 && c2.is_some() {
            pairwise = true;
        }
        if pairwise {
            for a in &source {
                for b in &source {
                    push(a, b, &c1);
                }
            }
            return;
        }
        for a in &source {
            for b in &target {
                push(a, b, &c1);
                if let Some(c2) = &c2 {
                    push(b, a, c2);
                }
            }
        }
    }

    /// The actors of the first actor phrase after the verb in its clause.
    fn first_after(
        &self,
        s: &Sent,
        v: usize,
        from_word: usize,
        exclude: &[usize],
        date: Option<Date>,
    ) -> Vec<Coded> {
        let mut scope = Vec::new();
        if s.parsed {
            s.subtree(v, &mut scope);
        } else {
            scope.extend(s.toks.clone());
        }
        let candidates = |actor_only: bool| {
            s.mentions.iter().find(|m| {
                let t = s.word_tok[m.start];
                m.start >= from_word
                    && scope.contains(&t)
                    && !exclude.contains(&t)
                    && (!actor_only || matches!(m.kind, Kind::Actor(_)))
            })
        };
        match candidates(true).or_else(|| candidates(false)) {
            Some(m) => {
                let t = s.word_tok[m.start];
                self.code_np(s, self.np_top(s, t), date)
            }
            None => Vec::new(),
        }
    }

    /// Whether pattern `p` matches around the verb at words `span`.
    fn match_pattern(
        &self,
        s: &Sent,
        p: &Pattern,
        span: Range<usize>,
        date: Option<Date>,
        b: &mut Binds,
    ) -> bool {
        let mut budget = 20_000usize;
        self.match_before(
            s,
            &p.before,
            p.before_tight,
            span.start,
            date,
            b,
            &mut budget,
        ) && self.match_after(s, &p.after, span.end, date, b, &mut budget)
    }

    #[allow(clippy::too_many_arguments)]
    fn match_after(
        &self,
        s: &Sent,
        items: &[Item],
        pos: usize,
        date: Option<Date>,
        b: &mut Binds,
        budget: &mut usize,
    ) -> bool {
        let Some((item, rest)) = items.split_first() else {
            b.after_end = Some(pos);
            return true;
        };
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let starts: Vec<usize> = if item.tight {
            vec![pos]
        } else {
            (pos..s.words.len()).collect()
        };
        for st in starts {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            for (end, slot) in self.elem_fwd(s, &item.elem, st, date, 0) {
                let saved = b.clone();
                bind(b, &item.elem, slot, false);
                if self.match_after(s, rest, end, date, b, budget) {
                    return true;
                }
                *b = saved;
            }
        }
        false
    }

    #[allow(clippy::too_many_arguments)]
    fn match_before(
        &self,
        s: &Sent,
        items: &[Item],
        tight: bool,
        pos: usize,
        date: Option<Date>,
        b: &mut Binds,
        budget: &mut usize,
    ) -> bool {
        let Some((item, rest)) = items.split_last() else {
            return true;
        };
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        // Starts nearest the verb first, as TABARI prefers the closest words.
        for st in (0..pos).rev() {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            for (e, slot) in self.elem_fwd(s, &item.elem, st, date, 0) {
                if e > pos || (tight && e != pos) {
                    continue;
                }
                let saved = b.clone();
                bind(b, &item.elem, slot, true);
                if self.match_before(s, rest, item.tight, st, date, b, budget) {
                    return true;
                }
                *b = saved;
            }
        }
        false
    }

    /// The ends of the matches of one element starting at word `st`, with
    /// the token an actor slot bound.
    fn elem_fwd(
        &self,
        s: &Sent,
        e: &Elem,
        st: usize,
        date: Option<Date>,
        depth: usize,
    ) -> Vec<(usize, Option<usize>)> {
        if st >= s.words.len() {
            return Vec::new();
        }
        match e {
            Elem::Word(w) => {
                if &s.words[st] == w {
                    vec![(st + 1, None)]
                } else {
                    Vec::new()
                }
            }
            Elem::Skip => self.skip_np(s, st).into_iter().map(|e| (e, None)).collect(),
            Elem::Verb => Vec::new(),
            Elem::Syn(name) => {
                if depth > 4 {
                    return Vec::new();
                }
                let mut out = Vec::new();
                for phrase in self
                    .verbs
                    .synsets
                    .get(name)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    let mut ends = vec![st];
                    for pe in phrase {
                        let mut next = Vec::new();
                        for &p in &ends {
                            for (e2, _) in self.elem_fwd(s, pe, p, date, depth + 1) {
                                if !next.contains(&e2) {
                                    next.push(e2);
                                }
                            }
                        }
                        ends = next;
                        if ends.is_empty() {
                            break;
                        }
                    }
                    for e2 in ends {
                        if !out.iter().any(|(x, _)| *x == e2) {
                            out.push((e2, None));
                        }
                    }
                }
                out
            }
            Elem::Source | Elem::Target | Elem::Compound => {
                let Some(m) = s.mentions.iter().find(|m| m.start == st) else {
                    return Vec::new();
                };
                let t = s.word_tok[m.start];
                if *e == Elem::Compound {
                    let codes = self.code_np(s, self.np_top(s, t), date);
                    if codes.len() < 2 {
                        return Vec::new();
                    }
                    // The compound's end: its last conjunct's last word.
                    let mut sub = Vec::new();
                    s.subtree(self.np_top(s, t), &mut sub);
                    let last = sub.iter().copied().max().unwrap_or(t);
                    let end = s.word_of(last) + 1;
                    return vec![(end.max(m.end), Some(t))];
                }
                vec![(m.end, Some(t))]
            }
        }
    }
}

impl PetrarchCoder {
    /// Where TABARI's `^` ends when it starts at word `st`: it skips a noun
    /// phrase, that is the words up to the first noun, pronoun or dictionary
    /// phrase and the nouns and phrases right after it ("the Gondor",
    /// "with the parliament").
    fn skip_np(&self, s: &Sent, st: usize) -> Option<usize> {
        let nounish = |w: usize| {
            matches!(
                s.upos(s.word_tok[w]).as_str(),
                "NOUN" | "PROPN" | "PRON" | "NUM"
            )
        };
        let mention_at = |w: usize| s.mentions.iter().find(|m| m.start == w).map(|m| m.end);
        let mut e = st;
        while e < s.words.len() {
            if let Some(end) = mention_at(e) {
                e = end;
                break;
            }
            if nounish(e) {
                e += 1;
                break;
            }
            e += 1;
        }
        if e > s.words.len() || e == st {
            return None;
        }
        // The rest of a compound noun or name.
        while e < s.words.len() {
            if let Some(end) = mention_at(e) {
                e = end;
            } else if nounish(e) && s.upos(s.word_tok[e]).as_str() != "PRON" {
                e += 1;
            } else {
                break;
            }
        }
        Some(e)
    }
}

fn bind(b: &mut Binds, e: &Elem, slot: Option<usize>, before: bool) {
    let Some(t) = slot else { return };
    match e {
        Elem::Source => b.source = Some(t),
        Elem::Target => b.target = Some(t),
        Elem::Compound => b.compound = Some((t, before)),
        _ => {}
    }
}

/// An actor code with agent codes: `[NGO~]` agents before it, `[~GOV]`
/// after it, leaving out an agent the actor's code already carries
/// ("HGWGOVMED" with "government newspaper" stays "HGWGOVMED").
fn compose(actor: &str, agents: &[AgentCode]) -> String {
    let mut code = String::new();
    for a in agents.iter().filter(|a| a.prefix) {
        code.push_str(&a.code.to_uppercase());
    }
    code.push_str(actor);
    for a in agents.iter().filter(|a| !a.prefix) {
        let c = a.code.to_uppercase();
        if !actor.contains(&c) && !code.ends_with(&c) {
            code.push_str(&c);
        }
    }
    code
}
