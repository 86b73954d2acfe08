//! The rules file (`rules.toml`): the facts about each event type that the
//! learned coder does not learn, each with an id.

use crate::types::{EventType, TypeRule};
use serde::Deserialize;

/// The rules file format version this build reads.
const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    version: u32,
    #[serde(rename = "type")]
    types: Vec<TypeRule>,
    /// The steps `explain` names (absent from files written before them).
    #[serde(default)]
    decision: Vec<DecisionStep>,
}

/// One step that decides events, as the rules file describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionStep {
    pub id: String,
    pub what: String,
}

/// The ids of the steps the coders write into `Event::decided_by` (besides
/// the types' own `T-` ids); a test keeps them and the built-in file in step.
pub const DECISION_IDS: &[&str] = &[
    "M-TRIGGER",
    "R-RULE-BACKED",
    "R-NEEDS-TARGET",
    "R-SIDES-JOINT",
    "R-DOMESTIC-TARGET",
    "R-CONJUNCT-SIDES",
    "M-MODALITY",
    "R-EVENT-PLACE",
    "R-PLACE-RANKED",
    "R-ONE-PER-INTERACTION",
    "L-ENTRY",
    "R-SPEECH-DEMAND",
    "R-SPEECH-PLACE",
    "P-PETRARCH",
];

/// The loaded rules: one [`TypeRule`] per event type, indexed by type.
#[derive(Debug, Clone)]
pub struct Rules {
    types: Vec<TypeRule>,
    decisions: Vec<DecisionStep>,
}

impl Rules {
    /// The rules built into the binary.
    pub fn builtin() -> Rules {
        Rules::parse("rules.toml", include_str!("../rules.toml"))
            .expect("the built-in rules file is valid (a unit test checks it)")
    }

    /// Reads a rules file; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<Rules, String> {
        let raw: RawRules = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        if raw.version != FORMAT_VERSION {
            return Err(format!(
                "{name}: format version {} (this build reads {FORMAT_VERSION})",
                raw.version
            ));
        }
        let mut types: Vec<Option<TypeRule>> = vec![None; EventType::ALL.len()];
        for rule in raw.types {
            let Some(t) = EventType::parse(&rule.kind) else {
                return Err(format!(
                    "{name}: rule {}: `{}` is no PLOVER type",
                    rule.id, rule.kind
                ));
            };
            if types[t.index()].is_some() {
                return Err(format!("{name}: type {t} has two rules"));
            }
            types[t.index()] = Some(rule);
        }
        let types = types
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.ok_or_else(|| format!("{name}: no rule for type {}", EventType::ALL[i]))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rules {
            types,
            decisions: raw.decision,
        })
    }

    /// What step or type rule `id` does, in words, if the file names it.
    pub fn describe(&self, id: &str) -> Option<String> {
        if let Some(d) = self.decisions.iter().find(|d| d.id == id) {
            return Some(d.what.clone());
        }
        self.types.iter().find(|t| t.id == id).map(|t| {
            format!(
                "the defaults of type {}: CAMEO {}, quad class {}, intensity {}{}{}",
                t.kind,
                t.cameo,
                t.quad,
                t.intensity,
                if t.symmetric { ", symmetric" } else { "" },
                if t.needs_target {
                    ", needs a target"
                } else {
                    ""
                }
            )
        })
    }

    /// The rule of type `t`.
    pub fn of(&self, t: EventType) -> &TypeRule {
        &self.types[t.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_name_every_type_once() {
        let rules = Rules::parse("rules.toml", include_str!("../rules.toml")).unwrap();
        for t in EventType::ALL {
            assert_eq!(rules.of(t).kind, t.as_str());
            assert!(rules.of(t).id.starts_with("T-"));
        }
    }

    #[test]
    fn every_decision_step_the_coders_write_is_described_once() {
        let rules = Rules::builtin();
        let ids: Vec<&str> = rules.decisions.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, DECISION_IDS);
        for t in EventType::ALL {
            assert!(rules.describe(&rules.of(t).id).is_some());
        }
    }

    #[test]
    fn a_rules_file_without_a_type_is_refused_with_its_name() {
        let err = Rules::parse("mine.toml", "version = 1\ntype = []\n").unwrap_err();
        assert!(
            err.starts_with("mine.toml: no rule for type AGREE"),
            "{err}"
        );
    }
}
