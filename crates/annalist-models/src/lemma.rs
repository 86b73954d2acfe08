//! The lemmatizer: suffix rules keyed by XPOS, learnt from a treebank, plus
//! an exceptions table for the words the rules get wrong (irregular forms).
//!
//! A rule is an edit of the word's end: optionally lowercase, strip `n`
//! characters, append a string. For each (XPOS, suffix of up to five
//! characters) the trainer keeps the most frequent edit; at run time the
//! longest matching suffix wins. Only rules that differ from their shorter
//! suffix's rule are kept, which keeps the table small.

use crate::hash::{mix, str_hash, IdMap};
use crate::io::{ByteReader, ByteWriter};
use crate::ModelError;
use annalist_doc::Xpos;
use std::collections::HashMap;

const MAX_SUFFIX: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Edit {
    lower: bool,
    strip: u8,
    append: String,
}

#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    edits: Vec<Edit>,
    /// (XPOS, suffix) hash to an index into `edits`.
    rules: IdMap<u16>,
    /// (XPOS, form) hash to a lemma.
    exceptions: IdMap<String>,
    /// The parts of `exceptions` and `rules`, kept for writing the model.
    exception_list: Vec<(u8, String, String)>,
    rule_list: Vec<(u8, String, u16)>,
}

fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

fn edit_of(form: &str, lemma: &str) -> Edit {
    let mut best: Option<(usize, Edit)> = None;
    for low in [true, false] {
        let base = if low { lower(form) } else { form.to_string() };
        let lcp = base
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let strip = base.chars().count() - lcp;
        let append: String = lemma.chars().skip(lcp).collect();
        let cost = strip + append.chars().count();
        if strip > 255 {
            continue;
        }
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((
                cost,
                Edit {
                    lower: low,
                    strip: strip as u8,
                    append,
                },
            ));
        }
    }
    best.map_or(
        Edit {
            lower: false,
            strip: 0,
            append: String::new(),
        },
        |b| b.1,
    )
}

fn apply(form: &str, e: &Edit) -> String {
    let mut base = if e.lower {
        lower(form)
    } else {
        form.to_string()
    };
    let n = base.chars().count();
    if (e.strip as usize) >= n {
        // An edit that would strip the whole word is not meant for it.
        return base;
    }
    let cut = base
        .char_indices()
        .nth(n - e.strip as usize)
        .map_or(base.len(), |(i, _)| i);
    base.truncate(cut);
    base.push_str(&e.append);
    base
}

/// The last `k` characters of `s` (all of it if shorter).
fn suffix(s: &str, k: usize) -> &str {
    if k == 0 {
        return "";
    }
    match s.char_indices().rev().nth(k - 1) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

fn key(xpos: u8, s: &str) -> u64 {
    mix(u64::from(xpos) + 1, str_hash(s))
}

impl Lemmatizer {
    /// Learns rules and exceptions from (form, XPOS, lemma) triples.
    pub fn train<'a>(items: impl Iterator<Item = (&'a str, Xpos, &'a str)>) -> Self {
        let mut counts: HashMap<(u8, String), HashMap<Edit, u32>> = HashMap::new();
        let mut forms: HashMap<(u8, String), HashMap<String, u32>> = HashMap::new();
        for (form, xpos, lemma) in items {
            if lemma.is_empty() || lemma == "_" || form.is_empty() {
                continue;
            }
            let e = edit_of(form, lemma);
            let low = lower(form);
            let n = low.chars().count();
            for k in 0..=MAX_SUFFIX.min(n) {
                *counts
                    .entry((xpos.0, suffix(&low, k).to_string()))
                    .or_default()
                    .entry(e.clone())
                    .or_default() += 1;
            }
            *forms
                .entry((xpos.0, form.to_string()))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
        }
        let majority = |m: &HashMap<Edit, u32>| -> (Edit, u32) {
            let total = m.values().sum();
            let best = m
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(e, _)| e.clone())
                .expect("counts are never empty");
            (best, total)
        };
        let mut lem = Lemmatizer::default();
        let mut edit_ids: HashMap<Edit, u16> = HashMap::new();
        // Shorter suffixes first, so each rule can be compared with the rule
        // that would apply without it.
        let mut keys: Vec<&(u8, String)> = counts.keys().collect();
        keys.sort_by(|a, b| {
            (a.1.chars().count(), a.0, &a.1).cmp(&(b.1.chars().count(), b.0, &b.1))
        });
        for k in keys {
            let (best, total) = majority(&counts[k]);
            let n = k.1.chars().count();
            if n > 0 && total < 2 {
                continue;
            }
            if n > 0 {
                if let Some(parent) = lem.lookup_rule(k.0, &k.1, n - 1) {
                    if lem.edits[parent as usize] == best {
                        continue;
                    }
                }
            }
            let next = edit_ids.len() as u16;
            let id = *edit_ids.entry(best.clone()).or_insert(next);
            if id == next {
                lem.edits.push(best);
            }
            lem.rules.insert(key(k.0, &k.1), id);
            lem.rule_list.push((k.0, k.1.clone(), id));
        }
        let mut fkeys: Vec<_> = forms.into_iter().collect();
        fkeys.sort_by(|a, b| a.0.cmp(&b.0));
        for ((xpos, form), lemmas) in fkeys {
            let lemma = lemmas
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(l, _)| l.clone())
                .expect("counts are never empty");
            if lem.by_rules(&form, xpos) != lemma {
                lem.exceptions.insert(key(xpos, &form), lemma.clone());
                lem.exception_list.push((xpos, form, lemma));
            }
        }
        lem
    }

    /// The rule for the longest suffix of `low` up to `max` characters.
    fn lookup_rule(&self, xpos: u8, low: &str, max: usize) -> Option<u16> {
        (0..=max)
            .rev()
            .find_map(|k| self.rules.get(&key(xpos, suffix(low, k))).copied())
    }

    fn by_rules(&self, form: &str, xpos: u8) -> String {
        let low = lower(form);
        match self.lookup_rule(xpos, &low, MAX_SUFFIX) {
            Some(id) => apply(form, &self.edits[id as usize]),
            None => form.to_string(),
        }
    }

    /// The lemma of `form` tagged `xpos`.
    pub fn lemmatize(&self, form: &str, xpos: Xpos) -> String {
        if let Some(l) = self.exceptions.get(&key(xpos.0, form)) {
            return l.clone();
        }
        if form.chars().any(char::is_uppercase) {
            if let Some(l) = self.exceptions.get(&key(xpos.0, &lower(form))) {
                return l.clone();
            }
        }
        self.by_rules(form, xpos.0)
    }

    pub fn num_exceptions(&self) -> usize {
        self.exception_list.len()
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u32(self.edits.len() as u32);
        for e in &self.edits {
            w.u8(u8::from(e.lower));
            w.u8(e.strip);
            w.str(&e.append);
        }
        w.u32(self.rule_list.len() as u32);
        for (x, s, id) in &self.rule_list {
            w.u8(*x);
            w.str(s);
            w.u16(*id);
        }
        w.u32(self.exception_list.len() as u32);
        for (x, f, l) in &self.exception_list {
            w.u8(*x);
            w.str(f);
            w.str(l);
        }
    }

    pub fn read(r: &mut ByteReader) -> Result<Self, ModelError> {
        let mut lem = Lemmatizer::default();
        let n = r.u32()? as usize;
        r.check_len(n.saturating_mul(6))?;
        for _ in 0..n {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.str()?.to_string();
            lem.edits.push(Edit {
                lower,
                strip,
                append,
            });
        }
        let n = r.u32()? as usize;
        r.check_len(n.saturating_mul(7))?;
        for _ in 0..n {
            let x = r.u8()?;
            let s = r.str()?.to_string();
            let id = r.u16()?;
            if id as usize >= lem.edits.len() {
                return Err(ModelError::invalid("lemma rule out of range"));
            }
            lem.rules.insert(key(x, &s), id);
            lem.rule_list.push((x, s, id));
        }
        let n = r.u32()? as usize;
        r.check_len(n.saturating_mul(9))?;
        for _ in 0..n {
            let x = r.u8()?;
            let f = r.str()?.to_string();
            let l = r.str()?.to_string();
            lem.exceptions.insert(key(x, &f), l.clone());
            lem.exception_list.push((x, f, l));
        }
        Ok(lem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_suffix_rules_and_exceptions() {
        let x = |s| Xpos::from_str_lossy(s);
        let data = [
            ("walked", x("VBD"), "walk"),
            ("talked", x("VBD"), "talk"),
            ("jumped", x("VBD"), "jump"),
            ("went", x("VBD"), "go"),
            ("dogs", x("NNS"), "dog"),
            ("cats", x("NNS"), "cat"),
            ("The", x("DT"), "the"),
            ("the", x("DT"), "the"),
            ("Paris", x("NNP"), "Paris"),
            ("London", x("NNP"), "London"),
        ];
        let lem = Lemmatizer::train(data.iter().map(|(f, x, l)| (*f, *x, *l)));
        assert_eq!(lem.lemmatize("kicked", x("VBD")), "kick");
        assert_eq!(lem.lemmatize("went", x("VBD")), "go");
        assert_eq!(lem.lemmatize("Went", x("VBD")), "go");
        assert_eq!(lem.lemmatize("birds", x("NNS")), "bird");
        assert_eq!(lem.lemmatize("Rome", x("NNP")), "Rome");
        let mut w = ByteWriter::default();
        lem.write(&mut w);
        let b = w.into_inner();
        let back = Lemmatizer::read(&mut ByteReader::new(&b)).unwrap();
        assert_eq!(back.lemmatize("went", x("VBD")), "go");
        assert_eq!(back.lemmatize("kicked", x("VBD")), "kick");
    }
}
