//! Name lists matched over a sentence, longest match first.
//!
//! The lists are compiled by the trainer (countries, demonyms, cities, regions,
//! organisation keywords, person titles, news agencies) and stored inside the
//! model file, so that a model is self-contained and the features it was
//! trained with are exactly the ones it sees at run time.

/// What a list holds. The id is stored in the model file, so the order of the
/// variants is part of the format: append, never reorder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GazKind {
    Country,
    Demonym,
    City,
    Region,
    OrgKeyword,
    Title,
    Agency,
    Continent,
    FirstName,
    Surname,
    OrgName,
}

impl GazKind {
    pub const ALL: [GazKind; 11] = [
        GazKind::Country,
        GazKind::Demonym,
        GazKind::City,
        GazKind::Region,
        GazKind::OrgKeyword,
        GazKind::Title,
        GazKind::Agency,
        GazKind::Continent,
        GazKind::FirstName,
        GazKind::Surname,
        GazKind::OrgName,
    ];

    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<GazKind> {
        GazKind::ALL.get(id as usize).copied()
    }

    /// Proper-name lists only match text that looks like a name (a capital
    /// or a digit first): "turkey" in a recipe or "nice" in a review is not a
    /// place. Keywords and titles match in any case because their casing is
    /// itself a feature the model weighs through the word shape.
    fn needs_capital(self) -> bool {
        !matches!(self, GazKind::OrgKeyword | GazKind::Title)
    }
}

/// Lists of phrases, indexed by their first token (lowercase).
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// First token → (remaining tokens, kind).
    index: crate::StrMap<Vec<(Vec<String>, GazKind)>>,
    len: usize,
}

/// The position of a token in a gazetteer match, in BILOU terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GazPos {
    B,
    I,
    L,
    U,
}

impl GazPos {
    pub fn as_byte(self) -> u8 {
        match self {
            GazPos::B => b'B',
            GazPos::I => b'I',
            GazPos::L => b'L',
            GazPos::U => b'U',
        }
    }
}

/// Splits a phrase into the tokens a UD-style tokenizer would give: words and
/// separate punctuation (commas, periods at the end, parentheses).
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in phrase.split_whitespace() {
        let w = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | ';' | '"'));
        if w.is_empty() {
            continue;
        }
        // A possessive or a trailing apostrophe is its own token in UD.
        if let Some(stem) = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            if !stem.is_empty() {
                out.push(stem.to_lowercase());
                out.push("'s".to_string());
                continue;
            }
        }
        out.push(w.to_lowercase());
    }
    out
}

impl Gazetteer {
    pub fn new() -> Self {
        Gazetteer::default()
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a phrase; empty phrases and exact duplicates are ignored.
    pub fn add(&mut self, kind: GazKind, phrase: &str) {
        let toks = phrase_tokens(phrase);
        let Some((first, rest)) = toks.split_first() else {
            return;
        };
        // Over-long phrases are official names nobody writes in full; they
        // only cost matching time.
        if toks.len() > 8 {
            return;
        }
        let entry = self.index.entry(first.clone()).or_default();
        if entry.iter().any(|(r, k)| *k == kind && r == rest) {
            return;
        }
        entry.push((rest.to_vec(), kind));
        self.len += 1;
    }

    /// Every phrase with its kind, sorted (for writing a model file).
    pub fn entries(&self) -> Vec<(GazKind, String)> {
        let mut out: Vec<(GazKind, String)> = self
            .index
            .iter()
            .flat_map(|(first, v)| {
                v.iter().map(move |(rest, kind)| {
                    let mut s = first.clone();
                    for r in rest {
                        s.push(' ');
                        s.push_str(r);
                    }
                    (*kind, s)
                })
            })
            .collect();
        out.sort();
        out
    }

    /// Whether the exact phrase (lowercase tokens) is listed under `kind`.
    pub fn contains(&self, kind: GazKind, lower: &[&str]) -> bool {
        let Some((first, rest)) = lower.split_first() else {
            return false;
        };
        self.index.get(*first).is_some_and(|v| {
            v.iter()
                .any(|(r, k)| *k == kind && r.iter().eq(rest.iter()))
        })
    }

    /// Matches every list over a sentence.
    ///
    /// `lower` are the lowercase tokens and `words` the tokens as written.
    /// For each kind separately, matches are taken greedily left to right,
    /// longest first, so "Republic of Tajikistan" wins over "Tajikistan".
    /// Returns, per token, the (kind, position) pairs it takes part in.
    pub fn matches(&self, lower: &[String], words: &[&str]) -> Vec<Vec<(GazKind, GazPos)>> {
        let n = lower.len();
        let mut out = vec![Vec::new(); n];
        if self.len == 0 {
            return out;
        }
        // Longest match of each kind starting at each token.
        let mut longest: Vec<[u8; 16]> = vec![[0u8; 16]; n];
        for i in 0..n {
            let Some(cands) = self.index.get(lower[i].as_str()) else {
                continue;
            };
            let capital = words[i]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            for (rest, kind) in cands {
                if kind.needs_capital() && !capital {
                    continue;
                }
                let len = rest.len() + 1;
                if i + len > n {
                    continue;
                }
                if rest.iter().zip(&lower[i + 1..]).all(|(a, b)| a == b) {
                    let slot = &mut longest[i][kind.id() as usize];
                    *slot = (*slot).max(len as u8);
                }
            }
        }
        for kind in GazKind::ALL {
            let k = kind.id() as usize;
            let mut i = 0;
            while i < n {
                let len = longest[i][k] as usize;
                if len == 0 {
                    i += 1;
                    continue;
                }
                if len == 1 {
                    out[i].push((kind, GazPos::U));
                } else {
                    out[i].push((kind, GazPos::B));
                    for slot in out.iter_mut().take(i + len - 1).skip(i + 1) {
                        slot.push((kind, GazPos::I));
                    }
                    out[i + len - 1].push((kind, GazPos::L));
                }
                i += len;
            }
        }
        out
    }
}

/// Organisation keywords: words that head or end organisation names.
const ORG_KEYWORDS: &[&str] = &[
    "ministry",
    "committee",
    "agency",
    "corps",
    "council",
    "party",
    "army",
    "navy",
    "force",
    "forces",
    "guard",
    "guards",
    "university",
    "bank",
    "company",
    "corporation",
    "inc",
    "inc.",
    "corp",
    "corp.",
    "ltd",
    "ltd.",
    "llc",
    "co.",
    "association",
    "organization",
    "organisation",
    "union",
    "institute",
    "foundation",
    "federation",
    "commission",
    "department",
    "office",
    "court",
    "parliament",
    "assembly",
    "congress",
    "senate",
    "front",
    "movement",
    "group",
    "league",
    "club",
    "news",
    "times",
    "post",
    "press",
    "tv",
    "television",
    "radio",
    "network",
    "airlines",
    "airways",
    "church",
    "school",
    "college",
    "hospital",
    "police",
    "service",
    "bureau",
    "board",
    "authority",
    "fund",
    "society",
    "center",
    "centre",
    "majlis",
    "cabinet",
    "government",
    "brigade",
    "command",
    "headquarters",
    "staff",
    "administration",
    "coalition",
    "alliance",
    "organization of",
    "nations",
];

/// Whether a word is a title that stays outside a person span.
pub fn is_name_title(word: &str) -> bool {
    let lower = word.to_lowercase();
    annalist_doc::words::name_titles().contains(&lower)
}

/// Nationalities, ethnic and religious groups that the country lists miss.
const DEMONYMS: &[&str] = &[
    "Tajik",
    "Tajiks",
    "Uzbek",
    "Uzbeks",
    "Kazakh",
    "Kazakhs",
    "Kyrgyz",
    "Turkmen",
    "Afghan",
    "Afghans",
    "Kurd",
    "Kurds",
    "Kurdish",
    "Arab",
    "Arabs",
    "Arabic",
    "Persian",
    "Persians",
    "Palestinian",
    "Palestinians",
    "Baloch",
    "Pashtun",
    "Pashtuns",
    "Azeri",
    "Azeris",
    "Shia",
    "Shiite",
    "Shiites",
    "Sunni",
    "Sunnis",
    "Muslim",
    "Muslims",
    "Christian",
    "Christians",
    "Jewish",
    "Jews",
    "Yazidi",
    "Yazidis",
    "Druze",
    "Hindu",
    "Hindus",
    "Buddhist",
    "Buddhists",
    "Catholic",
    "Catholics",
    "Western",
    "European",
    "Europeans",
    "Asian",
    "Asians",
    "African",
    "Africans",
    "Latin American",
    "Zionist",
    "Republican",
    "Republicans",
    "Democrat",
    "Democrats",
    "Houthi",
    "Houthis",
    "Alawite",
    "Slavs",
    "Romans",
    "Greeks",
    "Scots",
    "Welsh",
    "English",
    "British",
    "American",
    "Americans",
    "Russian",
    "Russians",
    "Chinese",
    "Israeli",
    "Israelis",
    "Iranian",
    "Iranians",
    "Saudi",
    "Saudis",
    "Emirati",
    "Turkish",
    "Turks",
];

/// Well-known organisations, companies and online services, written as
/// news writes them (short forms and acronyms).
const ORG_NAMES: &[&str] = &[
    "UN",
    "U.N.",
    "United Nations",
    "NATO",
    "EU",
    "European Union",
    "WHO",
    "IMF",
    "World Bank",
    "OPEC",
    "IAEA",
    "UNESCO",
    "UNICEF",
    "UNHCR",
    "WTO",
    "ASEAN",
    "SCO",
    "BRICS",
    "African Union",
    "Arab League",
    "OIC",
    "Interpol",
    "FIFA",
    "IOC",
    "Red Cross",
    "Red Crescent",
    "Amnesty International",
    "Human Rights Watch",
    "Greenpeace",
    "Hamas",
    "Hezbollah",
    "Taliban",
    "ISIS",
    "ISIL",
    "Daesh",
    "al-Qaeda",
    "Al-Qaeda",
    "Al Qaeda",
    "IRGC",
    "Pentagon",
    "Kremlin",
    "CIA",
    "FBI",
    "NSA",
    "MI6",
    "Mossad",
    "Congress",
    "Google",
    "Facebook",
    "Meta",
    "Twitter",
    "YouTube",
    "Instagram",
    "WhatsApp",
    "Telegram",
    "TikTok",
    "Snapchat",
    "LinkedIn",
    "Reddit",
    "Spotify",
    "Netflix",
    "Amazon",
    "Apple",
    "Microsoft",
    "IBM",
    "Intel",
    "Oracle",
    "Yahoo",
    "eBay",
    "PayPal",
    "Uber",
    "Lyft",
    "Airbnb",
    "Tesla",
    "Samsung",
    "Huawei",
    "Xiaomi",
    "Sony",
    "Nokia",
    "Ericsson",
    "Alibaba",
    "Tencent",
    "Baidu",
    "Toyota",
    "Honda",
    "Nissan",
    "Hyundai",
    "BMW",
    "Volkswagen",
    "VW",
    "General Motors",
    "GM",
    "Ford",
    "Boeing",
    "Airbus",
    "Siemens",
    "Shell",
    "BP",
    "ExxonMobil",
    "Exxon",
    "Chevron",
    "Total",
    "Gazprom",
    "Rosneft",
    "Aramco",
    "Walmart",
    "McDonald's",
    "KFC",
    "Starbucks",
    "Coca-Cola",
    "Pepsi",
    "Nike",
    "Adidas",
    "Disney",
    "Goldman Sachs",
    "JPMorgan",
    "Morgan Stanley",
    "Citigroup",
    "HSBC",
    "Barclays",
    "Deutsche Bank",
    "Wikipedia",
    "Wikileaks",
    "OpenAI",
];

/// Continents, world regions and seas.
const REGIONS: &[&str] = &[
    "Asia",
    "Europe",
    "Africa",
    "America",
    "North America",
    "South America",
    "Latin America",
    "Central America",
    "Central Asia",
    "South Asia",
    "East Asia",
    "Southeast Asia",
    "Middle East",
    "West Asia",
    "Western Asia",
    "Persian Gulf",
    "Gulf",
    "Caucasus",
    "South Caucasus",
    "Balkans",
    "Scandinavia",
    "Caribbean",
    "Oceania",
    "Antarctica",
    "Arctic",
    "Sahel",
    "Levant",
    "Mediterranean",
    "Eastern Europe",
    "Western Europe",
    "Central Europe",
    "North Africa",
    "West Africa",
    "East Africa",
    "Sub-Saharan Africa",
    "Indian Ocean",
    "Pacific",
    "Atlantic",
    "Horn of Africa",
    "Strait of Hormuz",
    "Gaza",
    "Gaza Strip",
    "West Bank",
    "Kurdistan",
    "Red Sea",
    "Black Sea",
    "Caspian Sea",
    "Sea of Oman",
    "Golan Heights",
    "Crimea",
    "Donbas",
    "Eurasia",
    "Persian Gulf region",
    "Korean Peninsula",
    "Arabian Peninsula",
];

impl Gazetteer {
    /// Adds the hand-written lists of this crate: organisation keywords,
    /// person titles, news agencies, continents and regions.
    pub fn add_hand_lists(&mut self) {
        for w in ORG_KEYWORDS {
            self.add(GazKind::OrgKeyword, w);
        }
        for w in annalist_doc::words::person_titles().words() {
            self.add(GazKind::Title, w);
        }
        for w in annalist_doc::words::news_outlets().words() {
            self.add(GazKind::Agency, w);
        }
        for w in ORG_NAMES {
            self.add(GazKind::OrgName, w);
        }
        for w in DEMONYMS {
            self.add(GazKind::Demonym, w);
        }
        for w in REGIONS {
            self.add(GazKind::Continent, w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_lowercase()).collect()
    }

    #[test]
    fn longest_match_wins_and_positions_are_bilou() {
        let mut g = Gazetteer::new();
        g.add(GazKind::Country, "Tajikistan");
        g.add(GazKind::Country, "Republic of Tajikistan");
        let ws = ["the", "Republic", "of", "Tajikistan", "said"];
        let m = g.matches(&lower(&ws), &ws);
        assert!(m[0].is_empty());
        assert_eq!(m[1], vec![(GazKind::Country, GazPos::B)]);
        assert_eq!(m[2], vec![(GazKind::Country, GazPos::I)]);
        assert_eq!(m[3], vec![(GazKind::Country, GazPos::L)]);
    }

    #[test]
    fn names_need_a_capital_but_keywords_do_not() {
        let mut g = Gazetteer::new();
        g.add(GazKind::City, "Nice");
        g.add(GazKind::OrgKeyword, "ministry");
        let ws = ["a", "nice", "ministry", "in", "Nice"];
        let m = g.matches(&lower(&ws), &ws);
        assert!(m[1].is_empty());
        assert_eq!(m[2], vec![(GazKind::OrgKeyword, GazPos::U)]);
        assert_eq!(m[4], vec![(GazKind::City, GazPos::U)]);
    }
}
