//! Puts PETRARCH codings into a `Doc` as record events and actors, with
//! PLOVER types from CAMEO codes.

use crate::actors::{cameo_to_plover, Date};
use crate::coder::{Outcome, PetrarchCoder};
use annalist_doc::coded::{Actor, Event, Modality, Size};
use annalist_doc::Doc;
use annalist_events::Lexicon;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A PLOVER type with the mode and intensity the lexicon gives a CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct PloverType {
    pub kind: String,
    pub mode: Option<String>,
    pub intensity: Option<f64>,
}

/// The built-in lexicon's CAMEO codes with their PLOVER types: the lexicon
/// is where this project already decided how CAMEO maps to PLOVER.
fn lexicon_table() -> &'static HashMap<String, PloverType> {
    static TABLE: OnceLock<HashMap<String, PloverType>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for e in Lexicon::builtin().entries {
            t.entry(e.cameo.clone()).or_insert(PloverType {
                kind: e.kind.clone(),
                mode: e.mode.clone(),
                intensity: Some(e.intensity),
            });
        }
        t
    })
}

/// The PLOVER type of a CAMEO event code: the lexicon's entry for the code
/// or its three-digit parent, else the type of its CAMEO root (PLOVER v0.8's
/// correspondence). Root 01 (public statements) has no PLOVER type.
pub fn plover_of_cameo(cameo: &str) -> Option<PloverType> {
    let digits: String = cameo.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 2 {
        return None;
    }
    let table = lexicon_table();
    if let Some(p) = table
        .get(&digits)
        .or_else(|| digits.get(..3).and_then(|d| table.get(d)))
    {
        return Some(p.clone());
    }
    let kind = match &digits[..2] {
        "02" | "10" => "REQUEST",
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" => "CONCEDE",
        "09" | "11" => "ACCUSE",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" | "19" | "20" => "ASSAULT",
        _ => return None,
    };
    Some(PloverType {
        kind: kind.to_string(),
        mode: None,
        intensity: None,
    })
}

/// The CAMEO quad class of an event code's root (1 verbal and 2 material
/// cooperation, 3 verbal and 4 material conflict).
pub fn quad_class(cameo: &str) -> Option<u8> {
    let root: u8 = cameo.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

impl PetrarchCoder {
    /// Codes a parsed doc and makes its codings the doc's events, replacing
    /// the events of the built-in coder. Each PETRARCH actor code becomes an
    /// actor (its CAMEO code kept, country and sectors derived from it).
    /// Codings whose CAMEO code has no PLOVER type are left out, since a
    /// record event must have one. Returns what the coder found.
    pub fn annotate(&self, doc: &mut Doc, date: Option<Date>) -> Outcome {
        let outcome = self.code_doc(doc, date);
        doc.events.clear();
        let Outcome::Events { events } = &outcome else {
            return outcome;
        };
        let mut actor_of: HashMap<String, u32> = HashMap::new();
        for c in events {
            let Some(plover) = plover_of_cameo(&c.code) else {
                continue;
            };
            let mut actor = |code: &str, span: (usize, usize)| -> u32 {
                if let Some(&k) = actor_of.get(code) {
                    return k;
                }
                let (country, sectors) = cameo_to_plover(code);
                let country =
                    country.filter(|c| c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()));
                let name = doc.text.get(span.0..span.1).unwrap_or("").to_string();
                doc.actors.push(Actor {
                    name,
                    country,
                    sectors,
                    cameo: Some(code.to_string()),
                    span: span.0..span.1,
                    decided_by: vec![annalist_actors::passes::PETRARCH],
                    ..Actor::default()
                });
                let k = (doc.actors.len() - 1) as u32;
                actor_of.insert(code.to_string(), k);
                k
            };
            let source = actor(&c.source, c.source_span);
            let target = actor(&c.target, c.target_span);
            doc.events.push(Event {
                kind: plover.kind,
                mode: plover.mode,
                contexts: Vec::new(),
                cameo: Some(c.code.clone()),
                quad_class: quad_class(&c.code),
                intensity: plover.intensity,
                source: vec![source],
                target: vec![target],
                trigger: c.trigger.0..c.trigger.1,
                sentence: c.sentence as u32,
                modality: Modality::Asserted,
                reported_by: None,
                location: None,
                date: None,
                date_source: None,
                size: Size::default(),
                confidence: 0.5,
                decided_by: vec![annalist_doc::coded::Why::new(
                    "P-PETRARCH",
                    format!("a PETRARCH record's event code {}", c.code),
                )],
            });
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_get_plover_types() {
        assert_eq!(plover_of_cameo("190").unwrap().kind, "ASSAULT");
        assert_eq!(plover_of_cameo("1721").unwrap().kind, "COERCE");
        assert_eq!(plover_of_cameo("122").unwrap().kind, "REJECT");
        assert!(plover_of_cameo("010").is_none());
        assert!(plover_of_cameo("---").is_none());
        assert_eq!(quad_class("064"), Some(2));
        assert_eq!(quad_class("x"), None);
    }
}
