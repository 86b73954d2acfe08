use serde::Deserialize;

/// The 16 PLOVER v0.8 event types, in the manual's order.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// The lexicon format version this build reads.
const FORMAT_VERSION: u32 = 1;

/// A parsed trigger pattern: lemmas, with an optional required object head
/// (`[talk]`), a target slot (`_`) and trailing prepositions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written, for messages and provenance.
    pub text: String,
    /// The trigger lemma(s) before any slot, e.g. `["hold"]` or `["pull", "out"]`.
    pub head: Vec<String>,
    /// The lemma the direct object must be headed by (`[talk]` → `talk`).
    pub object: Option<String>,
    /// Whether the pattern has an explicit target slot `_`.
    pub target_slot: bool,
    /// Words after the head/object/slot: prepositions or a complementiser (`to`).
    pub tail: Vec<String>,
}

impl Pattern {
    fn parse(s: &str) -> Result<Pattern, String> {
        let mut head = Vec::new();
        let mut object = None;
        let mut target_slot = false;
        let mut tail = Vec::new();
        let mut rest = s.trim();
        if rest.is_empty() {
            return Err("empty pattern".into());
        }
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                let close = r
                    .find(']')
                    .ok_or_else(|| format!("unclosed `[` in pattern `{s}`"))?;
                let obj = r[..close].trim();
                if obj.is_empty() || object.is_some() || head.is_empty() {
                    return Err(format!("misplaced object `[...]` in pattern `{s}`"));
                }
                object = Some(obj.to_string());
                rest = r[close + 1..].trim_start();
                continue;
            }
            let end = rest.find([' ', '[']).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = rest[end..].trim_start();
            if word == "_" {
                if target_slot || head.is_empty() {
                    return Err(format!("misplaced target slot `_` in pattern `{s}`"));
                }
                target_slot = true;
            } else if object.is_some() || target_slot {
                tail.push(word.to_string());
            } else {
                head.push(word.to_string());
            }
        }
        if head.is_empty() {
            return Err(format!("pattern `{s}` has no trigger word"));
        }
        Ok(Pattern {
            text: s.to_string(),
            head,
            object,
            target_slot,
            tail,
        })
    }
}

/// One coding and the triggers that select it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: String,
    pub mode: Option<String>,
    pub contexts: Vec<String>,
    pub cameo: String,
    pub quad_class: u8,
    pub intensity: f64,
    pub verbs: Vec<Pattern>,
    pub nouns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{source_name}: {message}")]
    Syntax {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: entry {entry} (cameo {cameo}): {message}")]
    Invalid {
        source_name: String,
        entry: usize,
        cameo: String,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    version: u32,
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(rename = "type")]
    kind: String,
    mode: Option<String>,
    #[serde(default)]
    contexts: Vec<String>,
    cameo: String,
    quad: u8,
    intensity: f64,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
}

/// The quad class a CAMEO code's root implies.
fn quad_of_cameo(cameo: &str) -> Option<u8> {
    let root: u8 = cameo.get(..2)?.parse().ok()?;
    match root {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

impl Lexicon {
    /// The lexicon shipped with Annalist.
    pub fn builtin() -> Lexicon {
        Lexicon::parse("lexicon.toml", include_str!("../lexicon.toml"))
            .expect("the built-in lexicon is valid (tested)")
    }

    /// Parses and validates a lexicon; `source_name` is used in messages.
    pub fn parse(source_name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicon = toml::from_str(text).map_err(|e| LexiconError::Syntax {
            source_name: source_name.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        if raw.version != FORMAT_VERSION {
            return Err(LexiconError::Syntax {
                source_name: source_name.to_string(),
                message: format!(
                    "lexicon format version {} is not supported (this build reads version {FORMAT_VERSION}); \
                     hint: upgrade annalist or convert the file",
                    raw.version
                ),
            });
        }
        let mut entries = Vec::with_capacity(raw.entry.len());
        for (i, e) in raw.entry.into_iter().enumerate() {
            let invalid = |message: String| LexiconError::Invalid {
                source_name: source_name.to_string(),
                entry: i + 1,
                cameo: e.cameo.clone(),
                message,
            };
            if !PLOVER_TYPES.contains(&e.kind.as_str()) {
                return Err(invalid(format!("unknown PLOVER type `{}`", e.kind)));
            }
            let digits_ok =
                (3..=4).contains(&e.cameo.len()) && e.cameo.chars().all(|c| c.is_ascii_digit());
            let Some(quad) = quad_of_cameo(&e.cameo).filter(|_| digits_ok) else {
                return Err(invalid(
                    "a CAMEO code is three or four digits with a root from 01 to 20".into(),
                ));
            };
            if quad != e.quad {
                return Err(invalid(format!(
                    "quad class {} does not match the CAMEO root (expected {quad})",
                    e.quad
                )));
            }
            if !(-10.0..=10.0).contains(&e.intensity) {
                return Err(invalid(format!(
                    "intensity {} is outside -10..10",
                    e.intensity
                )));
            }
            if e.verbs.is_empty() && e.nouns.is_empty() {
                return Err(invalid(
                    "an entry needs at least one verb or noun trigger".into(),
                ));
            }
            let parse_all = |list: &[String]| -> Result<Vec<Pattern>, LexiconError> {
                list.iter()
                    .map(|p| Pattern::parse(p).map_err(invalid))
                    .collect()
            };
            let verbs = parse_all(&e.verbs)?;
            let nouns = parse_all(&e.nouns)?;
            entries.push(Entry {
                kind: e.kind.clone(),
                mode: e.mode.clone(),
                contexts: e.contexts.clone(),
                cameo: e.cameo.clone(),
                quad_class: e.quad,
                intensity: e.intensity,
                verbs,
                nouns,
            });
        }
        Ok(Lexicon { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue6_builtin_lexicon_covers_every_plover_type() {
        let lex = Lexicon::builtin();
        for t in PLOVER_TYPES {
            assert!(
                lex.entries.iter().any(|e| e.kind == t),
                "no entry codes {t}"
            );
        }
        assert!(lex.entries.len() >= 60);
    }

    #[test]
    fn patterns_parse_into_parts() {
        let p = Pattern::parse("hold [talk] with").unwrap();
        assert_eq!(p.head, vec!["hold"]);
        assert_eq!(p.object.as_deref(), Some("talk"));
        assert_eq!(p.tail, vec!["with"]);
        let p = Pattern::parse("call on _ to").unwrap();
        assert_eq!(p.head, vec!["call", "on"]);
        assert!(p.target_slot);
        assert_eq!(p.tail, vec!["to"]);
        assert!(Pattern::parse("[talk]").is_err());
        assert!(Pattern::parse("hold [talk").is_err());
    }

    #[test]
    fn invalid_lexicons_are_refused_with_a_reason() {
        let bad_quad = "version = 1\n[[entry]]\ntype = \"ASSAULT\"\ncameo = \"190\"\nquad = 1\nintensity = -9.0\nverbs = [\"attack\"]\n";
        let e = Lexicon::parse("x.toml", bad_quad).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains("quad class"), "{e}");
        let bad_version = "version = 7\n";
        assert!(Lexicon::parse("x.toml", bad_version)
            .unwrap_err()
            .to_string()
            .contains("version 7"));
        let bad_type = "version = 1\n[[entry]]\ntype = \"HUG\"\ncameo = \"040\"\nquad = 1\nintensity = 1.0\nverbs = [\"hug\"]\n";
        assert!(Lexicon::parse("x.toml", bad_type)
            .unwrap_err()
            .to_string()
            .contains("HUG"));
        assert!(Lexicon::parse("x.toml", "version = ").is_err());
    }
}
