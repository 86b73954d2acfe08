use serde::Deserialize;
use std::collections::HashMap;

/// The PLOVER sector codes of the record contract.
pub const SECTORS: [&str; 25] = [
    "GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "PRM", "PTY", "UAF", "UNK", "AGR", "BUS",
    "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
];

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("{0}: {1}")]
    Invalid(String, String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgents {
    version: u32,
    #[serde(default)]
    agent: Vec<RawAgent>,
    #[serde(default)]
    country_actor: RawCountryActor,
    #[serde(default)]
    documents: RawDocuments,
    #[serde(default)]
    honorifics: RawHonorifics,
    #[serde(default)]
    nominal: RawNominal,
}

/// Common nouns that name an actor on their own (`[nominal]`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNominal {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    institutions: Vec<String>,
    #[serde(default)]
    people: Vec<String>,
}

/// Honorifics that open a person's name without being part of it
/// (`[honorifics]`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHonorifics {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    words: Vec<String>,
}

/// Names that are documents, never actors (`[documents]`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDocuments {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    heads: Vec<String>,
}

/// The sectors of an actor that a country's name or demonym alone names.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCountryActor {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    people_sectors: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    #[serde(default)]
    sectors: Vec<String>,
    country: Option<String>,
    phrases: Vec<String>,
    #[serde(default)]
    person: bool,
}

#[derive(Debug, Clone)]
struct Group {
    sectors: Vec<String>,
    country: Option<String>,
    person: bool,
}

/// The sectors (and non-state code) that the role words of a mention imply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMatch {
    /// Sector codes, most specific (longest phrase) first, without repeats.
    pub sectors: Vec<String>,
    /// A PLOVER non-state code (`IMG`, `NGO`) where a phrase gives one.
    pub country: Option<String>,
    /// Whether a matched phrase is a title that can stand before a name.
    pub person_title: bool,
    /// Matched phrases as `(first word, end word)` index ranges.
    pub spans: Vec<(usize, usize)>,
}

/// The agents lexicon: phrases of lower-case words mapped to sector groups.
#[derive(Debug, Clone)]
pub struct Agents {
    groups: Vec<Group>,
    /// Phrase (words joined by one space) → group index; the first group wins.
    phrases: HashMap<String, usize>,
    longest: usize,
    /// The sectors of a country named as an actor ("Iran condemned"), and of
    /// a people named by its plural demonym ("Iranians"), with the rule id.
    pub country_actor: CountryActor,
    /// Names that are documents, never actors (`[documents]`).
    pub documents: Documents,
    /// Honorifics a person's name may open with (`[honorifics]`).
    pub honorifics: Honorifics,
    /// Common nouns that name an actor on their own (`[nominal]`).
    pub nominal: Nominal,
}

/// What kind of actor a nominal phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NominalKind {
    /// An institution ("the government", "police"): an ORG mention.
    Institution,
    /// A group of people ("protesters", "civilians"): a PER mention.
    People,
}

/// Common nouns that name an actor where no name covers them
/// (R-NOMINAL-ACTOR), lower-case phrases with their kind, and the rule id.
#[derive(Debug, Clone, Default)]
pub struct Nominal {
    pub rule: String,
    phrases: HashMap<String, NominalKind>,
    longest: usize,
}

impl Nominal {
    /// The longest nominal phrase that starts `words` (any case): how many
    /// words it has and what kind of actor it names.
    pub fn at(&self, words: &[&str]) -> Option<(usize, NominalKind)> {
        let n = self.longest.min(words.len());
        (1..=n).rev().find_map(|k| {
            let key = words[..k]
                .iter()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            self.phrases.get(&key).map(|&kind| (k, kind))
        })
    }
}

/// Honorifics that open a person's name in the text without being part of
/// the name the knowledge base knows ("Seyyed Ali Khamenei", "Sheikh Naim
/// Qassem"), lower-case, with the rule id.
#[derive(Debug, Clone, Default)]
pub struct Honorifics {
    pub rule: String,
    words: std::collections::HashSet<String>,
}

impl Honorifics {
    /// `name` without the honorifics it opens with; a name made only of
    /// honorifics stays as it is.
    pub fn strip<'a>(&self, name: &'a str) -> &'a str {
        let mut rest = name.trim_start();
        loop {
            let Some((first, tail)) = rest.split_once(char::is_whitespace) else {
                return if rest.len() == name.trim_start().len() {
                    name
                } else {
                    rest
                };
            };
            if !self.words.contains(&first.to_lowercase()) {
                return rest;
            }
            rest = tail.trim_start();
        }
    }
}

/// Names that are documents, never actors: whole names and last words
/// (lower-case), with the rule id.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub rule: String,
    names: std::collections::HashSet<String>,
    heads: std::collections::HashSet<String>,
}

/// What a country's name alone stands for as an actor (`[country_actor]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryActor {
    pub rule: String,
    pub sectors: Vec<String>,
    pub people_sectors: Vec<String>,
}

impl Agents {
    /// The lexicon shipped with Annalist.
    pub fn builtin() -> Agents {
        Agents::parse("agents.toml", include_str!("../agents.toml"))
            .expect("the built-in agents lexicon is valid (tested)")
    }

    /// Parses and validates an agents lexicon; `source_name` is used in messages.
    pub fn parse(source_name: &str, text: &str) -> Result<Agents, AgentError> {
        let err = |m: String| AgentError::Invalid(source_name.to_string(), m);
        let raw: RawAgents =
            toml::from_str(text).map_err(|e| err(e.to_string().trim().to_string()))?;
        if raw.version != FORMAT_VERSION {
            return Err(err(format!(
                "agents format version {} is not supported (this build reads version {FORMAT_VERSION})",
                raw.version
            )));
        }
        let mut groups = Vec::new();
        let mut phrases = HashMap::new();
        let mut longest = 1;
        for (i, a) in raw.agent.into_iter().enumerate() {
            if let Some(s) = a.sectors.iter().find(|s| !SECTORS.contains(&s.as_str())) {
                return Err(err(format!("agent {}: unknown sector `{s}`", i + 1)));
            }
            if let Some(c) = a
                .country
                .as_deref()
                .filter(|c| !annalist_doc::NON_STATE_CODES.contains(c))
            {
                return Err(err(format!(
                    "agent {}: `{c}` is not a PLOVER non-state code",
                    i + 1
                )));
            }
            if a.sectors.is_empty() && a.country.is_none() {
                return Err(err(format!(
                    "agent {}: give sectors, a country code or both",
                    i + 1
                )));
            }
            for p in &a.phrases {
                let words: Vec<&str> = p.split_whitespace().collect();
                if words.is_empty() || p.chars().any(char::is_uppercase) {
                    return Err(err(format!(
                        "agent {}: phrase `{p}` must be lower-case words",
                        i + 1
                    )));
                }
                longest = longest.max(words.len());
                phrases.entry(words.join(" ")).or_insert(groups.len());
            }
            groups.push(Group {
                sectors: a.sectors,
                country: a.country,
                person: a.person,
            });
        }
        let ca = raw.country_actor;
        if let Some(s) = ca
            .sectors
            .iter()
            .chain(&ca.people_sectors)
            .find(|s| !SECTORS.contains(&s.as_str()))
        {
            return Err(err(format!("country_actor: unknown sector `{s}`")));
        }
        let hon = raw.honorifics;
        if let Some(w) = hon
            .words
            .iter()
            .find(|w| w.chars().any(char::is_uppercase) || w.split_whitespace().count() != 1)
        {
            return Err(err(format!(
                "honorifics: `{w}` must be one lower-case word"
            )));
        }
        let nominal = Self::nominal(raw.nominal, &phrases).map_err(err)?;
        let docs = raw.documents;
        if let Some(w) = docs
            .names
            .iter()
            .chain(&docs.heads)
            .find(|w| w.chars().any(char::is_uppercase))
        {
            return Err(err(format!("documents: `{w}` must be lower-case")));
        }
        Ok(Agents {
            groups,
            phrases,
            longest,
            documents: Documents {
                rule: docs.rule,
                names: docs.names.into_iter().collect(),
                heads: docs.heads.into_iter().collect(),
            },
            honorifics: Honorifics {
                rule: hon.rule,
                words: hon.words.into_iter().collect(),
            },
            nominal,
            country_actor: CountryActor {
                rule: ca.rule,
                sectors: ca.sectors,
                people_sectors: ca.people_sectors,
            },
        })
    }

    /// Validates `[nominal]`: every phrase lower-case and an agent phrase
    /// too, since the agents give its sectors.
    fn nominal(raw: RawNominal, agents: &HashMap<String, usize>) -> Result<Nominal, String> {
        let mut out = Nominal {
            rule: raw.rule,
            ..Nominal::default()
        };
        let kinds = [
            (raw.institutions, NominalKind::Institution),
            (raw.people, NominalKind::People),
        ];
        for (list, kind) in kinds {
            for p in list {
                let key = p.split_whitespace().collect::<Vec<_>>().join(" ");
                if key.is_empty() || p.chars().any(char::is_uppercase) {
                    return Err(format!("nominal: `{p}` must be lower-case words"));
                }
                if !agents.contains_key(&key) {
                    return Err(format!(
                        "nominal: `{p}` is no agent phrase (hint: add it to the [[agent]] that gives its sectors)"
                    ));
                }
                out.longest = out.longest.max(key.split(' ').count());
                out.phrases.insert(key, kind);
            }
        }
        Ok(out)
    }

    /// Whether `name` names a document, never an actor ("the JCPOA", "the
    /// Paris Agreement"): R-DOCUMENT-NOT-ACTOR in `[documents]`.
    pub fn is_document(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        let lower = lower.trim_start_matches("the ").trim();
        let last = lower
            .rsplit(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("");
        self.documents.names.contains(lower) || self.documents.heads.contains(last)
    }

    /// Whether `words` (three tokens: a word, "-", a word) spell a role the
    /// lexicon knows with its hyphen ("Secretary-General"), which the
    /// tokenizer splits into three.
    pub fn hyphenated_role(&self, words: [&str; 3]) -> bool {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        words[1] == "-" && self.phrases.contains_key(&phrase_key(&lower))
    }

    /// Finds role phrases in `words` (any case), longest match first, left to
    /// right, and combines their sectors.
    pub fn roles(&self, words: &[&str]) -> RoleMatch {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let mut i = 0;
        while i < lower.len() {
            let max = self.longest.min(lower.len() - i);
            let hit = (1..=max).rev().find_map(|n| {
                let key = phrase_key(&lower[i..i + n]);
                self.phrases.get(&key).map(|&g| (i, i + n, g))
            });
            match hit {
                Some(h) => {
                    found.push(h);
                    i = h.1;
                }
                None => i += 1,
            }
        }
        let mut out = RoleMatch::default();
        let mut by_length = found.clone();
        by_length.sort_by_key(|&(s, e, _)| std::cmp::Reverse(e - s));
        for (_, _, g) in by_length {
            let group = &self.groups[g];
            for s in &group.sectors {
                if !out.sectors.contains(s) {
                    out.sectors.push(s.clone());
                }
            }
            if out.country.is_none() {
                out.country = group.country.clone();
            }
            out.person_title |= group.person;
        }
        out.spans = found.iter().map(|&(s, e, _)| (s, e)).collect();
        out
    }
}

/// The lexicon key of lowercased tokens: words joined by spaces, and a
/// hyphen token joined to its neighbours without them, as the lexicon
/// writes "secretary-general".
fn phrase_key(words: &[String]) -> String {
    let mut key = String::new();
    for (k, w) in words.iter().enumerate() {
        let glued = w == "-" || (k > 0 && words[k - 1] == "-");
        if k > 0 && !glued {
            key.push(' ');
        }
        key.push_str(w);
    }
    key
}

#[cfg(test)]
mod tests {

    #[test]
    fn honorifics_open_a_name_but_are_not_part_of_it() {
        let h = &Agents::builtin().honorifics;
        assert_eq!(h.strip("Seyyed Ali Khamenei"), "Ali Khamenei");
        assert_eq!(h.strip("Ayatollah Seyyed Ali Khamenei"), "Ali Khamenei");
        assert_eq!(h.strip("Ali Khamenei"), "Ali Khamenei");
        assert_eq!(
            h.strip("Sheikh"),
            "Sheikh",
            "a name of honorifics alone stays"
        );
    }

    use super::*;

    fn sectors(words: &str) -> Vec<String> {
        let w: Vec<&str> = words.split_whitespace().collect();
        Agents::builtin().roles(&w).sectors
    }

    #[test]
    fn issue5_seed_roles_give_gold_sectors() {
        assert_eq!(sectors("Tajik Defense Minister General"), ["MIL", "GOV"]);
        assert_eq!(sectors("Armed Forces Chief of Staff"), ["MIL"]);
        assert_eq!(
            sectors("Chairman of the State Security Committee"),
            ["SPY", "GOV"]
        );
        assert_eq!(sectors("Iranian ministry of defense"), ["MIL", "GOV"]);
        assert_eq!(sectors("Tajik Air Force"), ["MIL"]);
    }

    #[test]
    fn non_state_groups_carry_their_code() {
        let w = ["Islamic", "State", "militants"];
        let m = Agents::builtin().roles(&w);
        assert_eq!(m.country.as_deref(), Some("IMG"));
        assert!(m.sectors.contains(&"REB".to_string()));
    }

    #[test]
    fn titles_are_marked() {
        assert!(Agents::builtin().roles(&["President"]).person_title);
        assert!(!Agents::builtin().roles(&["protesters"]).person_title);
        assert_eq!(
            Agents::builtin().roles(&["the", "weather"]),
            RoleMatch::default()
        );
    }

    #[test]
    fn invalid_lexicons_are_refused() {
        let bad = "version = 1\n[[agent]]\nsectors = [\"XYZ\"]\nphrases = [\"x\"]\n";
        assert!(Agents::parse("a.toml", bad)
            .unwrap_err()
            .to_string()
            .contains("XYZ"));
        let bad = "version = 1\n[[agent]]\nsectors = [\"GOV\"]\nphrases = [\"Upper\"]\n";
        assert!(Agents::parse("a.toml", bad).is_err());
        assert!(Agents::parse("a.toml", "version = 2\n").is_err());
    }

    #[test]
    fn a_nominal_phrase_takes_its_sectors_from_an_agent() {
        // One home per word list: a nominal phrase no agent lists has no
        // sectors, and the lexicon is refused with a hint.
        let bad = "version = 1\n[[agent]]\nsectors = [\"COP\"]\nphrases = [\"police\"]\n\
                   [nominal]\ninstitutions = [\"police\", \"navy\"]\n";
        let err = Agents::parse("a.toml", bad).unwrap_err().to_string();
        assert!(err.contains("`navy` is no agent phrase"), "{err}");
        let nominal = &Agents::builtin().nominal;
        assert_eq!(
            nominal.at(&["Riot", "police", "fired"]),
            Some((2, crate::agents::NominalKind::Institution))
        );
        assert_eq!(
            nominal.at(&["protesters"]),
            Some((1, crate::agents::NominalKind::People))
        );
        assert_eq!(nominal.at(&["minister"]), None);
    }
}
