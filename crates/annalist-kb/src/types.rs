//! The public records of the knowledge base.

use std::fmt;
use std::sync::Arc;

/// A three-letter code (ISO 3166-1 alpha-3, or a PLOVER non-state code such as `IGO`),
/// stored inline so that the quarter of a million places need no allocation for it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code3([u8; 3]);

impl Code3 {
    /// Makes a code from three ASCII uppercase letters; `None` for anything else.
    pub fn new(s: &str) -> Option<Code3> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(|c| c.is_ascii_uppercase()) {
            Some(Code3([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII uppercase letters get in (see `new`), so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for Code3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for Code3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code3 {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A country or territory with an ISO 3166-1 code.
#[derive(Clone, Debug, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 ("TJK").
    pub iso3: String,
    /// ISO 3166-1 alpha-2 ("TJ").
    pub iso2: String,
    /// The common English name ("Tajikistan").
    pub name: String,
    /// The official name ("Republic of Tajikistan").
    pub official_name: String,
    /// The capital ("Dushanbe"), where there is one.
    pub capital: Option<String>,
    /// Nouns for its people ("Tajik", "Tajikistani").
    pub demonyms: Vec<String>,
    /// Adjectives ("Tajikistani").
    pub adjectives: Vec<String>,
    /// The CAMEO country code, where CAMEO has one (it follows ISO alpha-3).
    pub cameo: Option<String>,
    /// The world region and subregion ("Asia / Central Asia").
    pub region: String,
    /// A representative point: the country's reference coordinates.
    pub lat: f32,
    /// See `lat`.
    pub lon: f32,
    /// Population (GeoNames countryInfo).
    pub population: u64,
    /// Other names and spellings it goes by ("Tadzhikistan", "Persia" for Iran).
    pub alt_names: Vec<String>,
}

/// How a name matched a country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// The common or official name.
    Name,
    /// An alternate name or spelling.
    AltName,
    /// An ISO 3166-1 alpha-2 or alpha-3 code, or an acronym written in capitals.
    Code,
    /// A demonym or adjective.
    Demonym,
}

impl MatchKind {
    pub(crate) fn from_u8(v: u8) -> Option<MatchKind> {
        Some(match v {
            0 => MatchKind::Name,
            1 => MatchKind::AltName,
            2 => MatchKind::Code,
            3 => MatchKind::Demonym,
            _ => return None,
        })
    }
}

/// A country found for a word, with what callers need to weigh it.
#[derive(Clone, Copy, Debug)]
pub struct CountryMatch<'a> {
    /// The best country for the word.
    pub country: &'a Country,
    /// How the word matched.
    pub kind: MatchKind,
    /// Set when the word is often something else: a common word or first name ("Chad",
    /// "Jordan", "Turkey", "China"), a region of another country ("Georgia", "Niger"),
    /// or a name several countries share ("Congo", "Korea").
    pub ambiguous: bool,
}

/// An intergovernmental organisation, from our own hand-written list.
#[derive(Clone, Debug, PartialEq)]
pub struct Igo {
    /// Its English name ("United Nations").
    pub name: &'static str,
    /// The PLOVER actor code: always `IGO` for these.
    pub code: &'static str,
    /// The PLOVER/CAMEO organisation code under `IGO` ("UNO", "EUR", "NAT").
    pub org: &'static str,
    /// The full CAMEO actor code ("IGOUNO", "IGOEUREEC", "IGOWSTNAT").
    pub cameo: &'static str,
    /// Other names and acronyms ("UN", "U.N.").
    pub aliases: &'static [&'static str],
}

/// What kind of place a gazetteer entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A continent.
    Continent,
    /// A country or territory.
    Country,
    /// A first-level division (state, province).
    Admin1,
    /// A second-level division (county, district).
    Admin2,
    /// A populated place.
    City,
    /// A region, island, peninsula or body of water (our own list, see `regions.rs`).
    Region,
}

/// One gazetteer entry: a GeoNames populated place, division, country or continent.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceEntry {
    /// The GeoNames id (0 where the entry has none, e.g. a derived division).
    pub geonames_id: u32,
    /// The preferred name.
    pub name: Box<str>,
    /// The country (ISO alpha-3); `None` for continents.
    pub country: Option<Code3>,
    /// The name of the first-level division it lies in, where known.
    pub admin1: Option<Arc<str>>,
    /// Latitude in degrees. For divisions this is the middle of their populated places.
    pub lat: f32,
    /// Longitude in degrees.
    pub lon: f32,
    /// The GeoNames feature code: `PPLC` capital, `PPLA` admin seat, `PPL`..., and
    /// `PCLI` for countries, `ADM1`/`ADM2` for divisions, `CONT` for continents.
    pub feature: &'static str,
    /// Population (for divisions, the sum over their populated places).
    pub population: u64,
    /// What kind of place this is.
    pub kind: PlaceKind,
}

/// An office held by a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Office {
    /// The person's name as we print it ("Emomali Rahmon").
    pub person: String,
    /// ISO alpha-3 of the country, or `IGO` for an intergovernmental organisation.
    pub country: String,
    /// For `IGO`, the organisation's code ("UNO", "WTO").
    pub org: Option<String>,
    /// The position ("President", "Minister of Defense").
    pub position: String,
    /// PLOVER sector codes, the main one first (a defence minister: `MIL`, `GOV`).
    pub sectors: Vec<String>,
    /// When the person took office (ISO 8601, year or full date), where known.
    pub start: Option<String>,
    /// When they left it, where known; `None` may also mean "still in office".
    pub end: Option<String>,
    /// The source and its date ("cia-2019-06", "wikidata-2022", "factbook-2026").
    pub source: String,
}
