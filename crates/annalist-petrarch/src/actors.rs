//! Readers for PETRARCH/TABARI actor and agent dictionaries.
//!
//! Analysts have decades of work in these dictionaries; Annalist reads them
//! from wherever the user keeps them (the files are third-party and never
//! shipped with Annalist). The readers take text, never paths, and never fail
//! on a bad line: such lines are skipped and reported as warnings naming the
//! line, so one typo in a 50,000-line file costs one entry, not the file.
//!
//! Formats (see PETRARCH's `dictionaries.rst`):
//! - actors: a primary phrase (`AFGHANISTAN_  [AFG]`), synonyms (`+AFGHAN_`),
//!   and tab-indented date restrictions (`\t[AFGGOV 331108-730717]`,
//!   `\t[USAGOV >20170120]`, `\t[AFGELI <780427]`); `;` and `#` start comments.
//! - agents: `PHRASE {PLURAL} [~CODE]` (code appended to the actor's) or
//!   `[CODE~]` (prepended), with substitution sets `!PERSON! = MAN, MEN, ...`.

use std::collections::HashMap;

/// A calendar date as `(year, month, day)`, ordered.
pub type Date = (u32, u32, u32);

/// A problem with one line of a dictionary; the line is skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// A code valid in a date range (bounds inclusive; `None` is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl DatedCode {
    fn covers(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorEntry {
    /// The primary phrase and its synonyms, as upper-case words joined by spaces.
    pub phrases: Vec<String>,
    /// The code used when no date restriction applies.
    pub default_code: Option<String>,
    pub dated: Vec<DatedCode>,
}

impl ActorEntry {
    /// The code that applies on `date` (the first matching restriction), or
    /// the default code; with no date, the latest open-ended restriction.
    pub fn code_on(&self, date: Option<Date>) -> Option<&str> {
        let dated = match date {
            Some(d) => self.dated.iter().find(|c| c.covers(d)),
            None => self
                .dated
                .iter()
                .find(|c| c.to.is_none() && c.from.is_some()),
        };
        dated
            .map(|c| c.code.as_str())
            .or(self.default_code.as_deref())
    }
}

/// An actor dictionary: phrases to entries.
#[derive(Debug, Clone, Default)]
pub struct ActorDict {
    pub entries: Vec<ActorEntry>,
    index: HashMap<String, usize>,
    pub warnings: Vec<Warning>,
}

/// Normalises a dictionary phrase or a text span to upper-case words joined
/// by single spaces (underscores are word separators in the dictionaries).
pub fn normalize_phrase(s: &str) -> String {
    s.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Strips `#` comments and `;` annotations (the actor files' provenance notes).
fn strip_comment(line: &str) -> &str {
    let end = line.find(['#', ';']).unwrap_or(line.len());
    &line[..end]
}

/// Parses `YYMMDD` or `YYYYMMDD`; two-digit years below 30 are 20xx, as in
/// the CountryInfo-derived files (`[AFGELI 730717-070723]` ends in 2007).
fn parse_date(s: &str) -> Option<Date> {
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: u32 = s[..2].parse().ok()?;
            (if yy < 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u32 = rest[..2].parse().ok()?;
    let d: u32 = rest[2..].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Parses the inside of `[CODE restriction]`.
fn parse_dated(inner: &str) -> Result<DatedCode, String> {
    let mut parts = inner.split_whitespace();
    let code = parts.next().ok_or("empty code")?.to_string();
    // Some files write the restriction with blanks (`[HOB < 950601]`,
    // `[HOBGOV 19950601 - 19990815]`); the blanks carry no meaning.
    let rest: String = parts.collect();
    let mut parts = (!rest.is_empty()).then_some(rest.as_str()).into_iter();
    let bad = |r: &str| {
        format!("bad date restriction `{r}` (expected <DATE, >DATE or DATE-DATE with YYMMDD or YYYYMMDD)")
    };
    let (from, to) = match parts.next() {
        None => (None, None),
        Some(r) => {
            if let Some(d) = r.strip_prefix('<') {
                (None, Some(parse_date(d).ok_or_else(|| bad(r))?))
            } else if let Some(d) = r.strip_prefix('>') {
                (Some(parse_date(d).ok_or_else(|| bad(r))?), None)
            } else {
                let (a, b) = r.split_once('-').ok_or_else(|| bad(r))?;
                (
                    Some(parse_date(a).ok_or_else(|| bad(r))?),
                    Some(parse_date(b).ok_or_else(|| bad(r))?),
                )
            }
        }
    };
    Ok(DatedCode { code, from, to })
}

impl ActorDict {
    /// Reads an actor dictionary; bad lines become warnings.
    pub fn parse(text: &str) -> ActorDict {
        let mut dict = ActorDict::default();
        let mut warnings = Vec::new();
        let mut cur: Option<ActorEntry> = None;
        // Whether the current entry has seen a date line: a new phrase line
        // after dates starts a new entry, synonyms before dates extend it.
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let indented = raw.starts_with(['\t', ' ']);
            let line = strip_comment(raw).trim();
            // `<!-- ... -->` lines are comments in PETRARCH's own files.
            if line.is_empty() || line.starts_with("<!") {
                continue;
            }
            let mut warn = |m: String| {
                warnings.push(Warning {
                    line: line_no,
                    message: m,
                })
            };
            if indented && line.starts_with('[') {
                let Some(entry) = cur.as_mut() else {
                    warn("a date restriction with no actor before it".into());
                    continue;
                };
                // Some published files close a restriction twice (`...-911231]]`).
                match line
                    .strip_prefix('[')
                    .and_then(|l| l.strip_suffix(']'))
                    .map(|l| l.trim_end_matches(']'))
                {
                    Some(inner) => match parse_dated(inner) {
                        Ok(d) if d.from.is_none() && d.to.is_none() => {
                            entry.default_code = Some(d.code)
                        }
                        Ok(d) => entry.dated.push(d),
                        Err(e) => warn(e),
                    },
                    None => warn(format!("unclosed `[` in `{line}`")),
                }
                continue;
            }
            // A line may carry several codes: `NAME_ [IGOUNO 820101-911231] [ELI]`.
            let (phrase_part, codes) = match line.find('[') {
                Some(i) => {
                    let codes: Vec<&str> = line[i..]
                        .split('[')
                        .map(|c| c.trim().trim_end_matches(']').trim())
                        .filter(|c| !c.is_empty())
                        .collect();
                    (&line[..i], codes)
                }
                None => (line, Vec::new()),
            };
            if let Some(syn) = phrase_part.trim().strip_prefix('+') {
                let Some(entry) = cur.as_mut() else {
                    warn("a synonym with no actor before it".into());
                    continue;
                };
                let p = normalize_phrase(syn);
                if !p.is_empty() {
                    entry.phrases.push(p);
                }
                continue;
            }
            let phrase = normalize_phrase(phrase_part);
            if phrase.is_empty() {
                warn(format!("no phrase in `{line}`"));
                continue;
            }
            if let Some(done) = cur.take() {
                dict.push(done);
            }
            let mut entry = ActorEntry {
                phrases: vec![phrase],
                ..ActorEntry::default()
            };
            for inner in codes {
                match parse_dated(inner) {
                    Ok(d) if d.from.is_none() && d.to.is_none() => {
                        entry.default_code = Some(d.code)
                    }
                    Ok(d) => entry.dated.push(d),
                    Err(e) => warn(e),
                }
            }
            cur = Some(entry);
        }
        if let Some(done) = cur.take() {
            dict.push(done);
        }
        dict.warnings = warnings;
        dict
    }

    fn push(&mut self, entry: ActorEntry) {
        let k = self.entries.len();
        for p in &entry.phrases {
            // The first entry for a phrase wins, as in PETRARCH's trie.
            self.index.entry(p.clone()).or_insert(k);
        }
        self.entries.push(entry);
    }

    /// Adds the entries of another dictionary (PETRARCH loads several files).
    pub fn extend(&mut self, other: ActorDict) {
        self.warnings.extend(other.warnings);
        for e in other.entries {
            self.push(e);
        }
    }

    /// The entry for a phrase as written in text ("Hamid Karzai").
    pub fn lookup(&self, phrase: &str) -> Option<&ActorEntry> {
        self.index
            .get(&normalize_phrase(phrase))
            .map(|&k| &self.entries[k])
    }
}

/// An agent code and where it goes relative to the actor's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCode {
    pub code: String,
    /// `[NGO~]`: the code goes before the actor's code rather than after it.
    pub prefix: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AgentDict {
    index: HashMap<String, AgentCode>,
    pub warnings: Vec<Warning>,
}

/// The regular English plural PETRARCH generates for an agent phrase.
fn regular_plural(phrase: &str) -> String {
    if let Some(stem) = phrase.strip_suffix('Y') {
        format!("{stem}IES")
    } else if phrase.ends_with("SS") {
        format!("{phrase}ES")
    } else {
        format!("{phrase}S")
    }
}

impl AgentDict {
    /// Reads an agent dictionary; bad lines become warnings.
    pub fn parse(text: &str) -> AgentDict {
        let mut dict = AgentDict::default();
        let mut sets: HashMap<String, Vec<String>> = HashMap::new();
        for (n, raw) in text.lines().enumerate() {
            let line = strip_comment(raw).trim();
            if line.is_empty() || line.starts_with("<!--") {
                continue;
            }
            let mut warn = |m: String| {
                dict.warnings.push(Warning {
                    line: n + 1,
                    message: m,
                })
            };
            if line.starts_with('!') {
                if let Some((name, list)) = line.split_once('=') {
                    let items = list
                        .split(',')
                        .map(|s| s.trim().to_uppercase())
                        .filter(|s| !s.is_empty());
                    sets.insert(name.trim().to_string(), items.collect());
                    continue;
                }
            }
            let Some(open) = line.rfind('[') else {
                warn(format!("no `[code]` in `{line}`"));
                continue;
            };
            // PETRARCH's own files close some codes with `}`; accept it.
            let inner = line[open + 1..].trim().trim_end_matches([']', '}']).trim();
            let agent = if let Some(c) = inner.strip_prefix('~') {
                AgentCode {
                    code: c.to_string(),
                    prefix: false,
                }
            } else if let Some(c) = inner.strip_suffix('~') {
                AgentCode {
                    code: c.to_string(),
                    prefix: true,
                }
            } else {
                warn(format!("agent code `{inner}` has no `~`"));
                continue;
            };
            let mut head = &line[..open];
            let mut plural: Option<Option<String>> = None;
            if let Some(b) = head.find('{') {
                let close = head[b..].find('}').map(|c| b + c).unwrap_or(head.len());
                let p = normalize_phrase(head[b + 1..close].trim());
                plural = Some((!p.is_empty()).then_some(p));
                head = &head[..b];
            }
            // Expand substitution markers such as `CONGRESS!PERSON!`.
            let mut forms = vec![head.trim().to_string()];
            if let Some(s) = head.find('!') {
                if let Some(e) = head[s + 1..].find('!').map(|e| s + 1 + e) {
                    let marker = &head[s..=e];
                    match sets.get(marker) {
                        Some(items) => {
                            forms = items
                                .iter()
                                .map(|it| format!("{}{}{}", &head[..s], it, &head[e + 1..]))
                                .collect();
                            plural = Some(None);
                        }
                        None => {
                            warn(format!(
                                "substitution set `{marker}` is not defined before its use"
                            ));
                            continue;
                        }
                    }
                }
            }
            for form in forms {
                let phrase = normalize_phrase(&form);
                if phrase.is_empty() {
                    continue;
                }
                let plural_form = match &plural {
                    None => Some(regular_plural(&phrase)),
                    Some(p) => p.clone(),
                };
                if let Some(p) = plural_form {
                    dict.index.entry(p).or_insert_with(|| agent.clone());
                }
                dict.index.entry(phrase).or_insert_with(|| agent.clone());
            }
        }
        dict
    }

    pub fn lookup(&self, phrase: &str) -> Option<&AgentCode> {
        self.index.get(&normalize_phrase(phrase))
    }

    /// Every phrase (normalised, plurals included) with its code, so that a
    /// coder can build its own index for longest-match scanning.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AgentCode)> {
        self.index.iter().map(|(p, c)| (p.as_str(), c))
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// CAMEO agent codes whose PLOVER sector differs or that have none.
fn cameo_agent_to_sector(agent: &str) -> Option<&'static str> {
    Some(match agent {
        "GOV" => "GOV",
        "MIL" => "MIL",
        "COP" => "COP",
        "JUD" => "JUD",
        "LEG" => "LEG",
        "SPY" => "SPY",
        "REB" | "INS" | "SEP" => "REB",
        "OPP" => "OPP",
        "PTY" => "PTY",
        "UAF" => "UAF",
        "AGR" => "AGR",
        "BUS" => "BUS",
        "CRM" => "CRM",
        "CVL" | "PPL" => "CVL",
        "EDU" => "EDU",
        "ELI" => "ELI",
        // CAMEO's MED is the media, HLH health; PLOVER renamed them.
        "MED" => "JRN",
        "HLH" => "MED",
        "LAB" => "LAB",
        "REF" => "REF",
        "REL" | "MUS" | "CHR" | "JEW" | "HIN" | "BUD" | "CTH" | "PRO" | "RAD" => "REL",
        "HRI" | "ENV" | "DEV" | "NGM" => "SOC",
        _ => return None,
    })
}

/// Splits a CAMEO actor code ("AFGGOVMIL", "IGOUNO", "USAELI") into a
/// country or non-state code and PLOVER sectors.
pub fn cameo_to_plover(code: &str) -> (Option<String>, Vec<String>) {
    let chunks: Vec<&str> = (0..code.len() / 3)
        .filter_map(|i| code.get(i * 3..i * 3 + 3))
        .collect();
    let mut country = None;
    let mut sectors = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        match (i, cameo_agent_to_sector(c)) {
            (0, None) => country = Some(c.to_string()),
            (_, Some(s)) => {
                if !sectors.iter().any(|x| x == s) {
                    sectors.push(s.to_string());
                }
            }
            (_, None) => {}
        }
    }
    (country, sectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTORS: &str = "# comment\n\
        RURITANIA_  [RUR]\n\
        +RURITANIAN_\n\
        +STRELSAU_\n\
        \n\
        RUDOLF_ELPHBERG_  ; notes\n\
        +KING_RUDOLF\n\
        \t[RURELI 800101-941231]\n\
        \t[RURGOV 950101-031231]\n\
        \t[RURELI]\n\
        FLAVIA_ [RURGOV >20100101] [RURELI]\n\
        BROKEN_\n\
        \t[RURGOV 2004017-20061201]\n";

    #[test]
    fn issue5_actor_dictionary_dates_and_synonyms() {
        let d = ActorDict::parse(ACTORS);
        assert_eq!(d.lookup("Strelsau").unwrap().code_on(None), Some("RUR"));
        let rudolf = d.lookup("King Rudolf").unwrap();
        assert_eq!(rudolf.code_on(Some((1990, 5, 1))), Some("RURELI"));
        assert_eq!(rudolf.code_on(Some((2000, 5, 1))), Some("RURGOV"));
        assert_eq!(rudolf.code_on(Some((2020, 1, 1))), Some("RURELI"));
        let flavia = d.lookup("FLAVIA").unwrap();
        assert_eq!(flavia.code_on(Some((2011, 1, 1))), Some("RURGOV"));
        assert_eq!(flavia.code_on(Some((2009, 1, 1))), Some("RURELI"));
        // The seven-digit date is reported, with its line, and skipped.
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(d.warnings[0].line, 13);
    }

    #[test]
    fn issue5_agent_dictionary_plurals_and_substitutions() {
        let text = "!PERSON! = MAN, MEN, WOMAN\n\
            AMBASSADOR [~GOV] # note\n\
            POLICE {} [~COP]\n\
            ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]\n\
            CONGRESS!PERSON! [~LEG}\n\
            HUMAN_RIGHTS_BODY  [NGO~]\n\
            ARMY [~MIL]\n\
            NO_CODE\n";
        let d = AgentDict::parse(text);
        assert_eq!(d.lookup("ambassadors").unwrap().code, "GOV");
        assert!(d.lookup("polices").is_none());
        assert_eq!(d.lookup("attorneys general").unwrap().code, "JUD");
        assert_eq!(d.lookup("congresswoman").unwrap().code, "LEG");
        assert!(d.lookup("human rights body").unwrap().prefix);
        assert_eq!(d.lookup("armies").unwrap().code, "MIL");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn cameo_codes_map_to_plover() {
        assert_eq!(
            cameo_to_plover("AFGGOVMIL"),
            (Some("AFG".into()), vec!["GOV".into(), "MIL".into()])
        );
        assert_eq!(
            cameo_to_plover("USAMED"),
            (Some("USA".into()), vec!["JRN".into()])
        );
        assert_eq!(cameo_to_plover("IGOUNO"), (Some("IGO".into()), vec![]));
        assert_eq!(cameo_to_plover(""), (None, vec![]));
    }

    #[test]
    fn never_panics_on_odd_lines() {
        for text in [
            "[",
            "\t[",
            "+",
            "\t[X 1-2]",
            "A [B",
            "![=",
            "A {B [~C]",
            "A {} [~]",
            "\u{0}",
            "é_ [É~]",
        ] {
            let _ = ActorDict::parse(text);
            let _ = AgentDict::parse(text);
        }
    }
}
