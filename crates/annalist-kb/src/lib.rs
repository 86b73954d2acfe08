//! Built-in knowledge: countries, demonyms, capitals, a gazetteer, office holders and
//! intergovernmental organisations, compiled from open data into compact files that
//! ship inside the binary.
//!
//! # Using it
//!
//! ```
//! use annalist_kb::{Context, Kb};
//! let kb = Kb::builtin();
//! assert_eq!(kb.demonym("Tajik").unwrap().iso3, "TJK");
//! assert_eq!(kb.country("Islamic Republic of Iran").unwrap().iso3, "IRN");
//! let dushanbe = kb.resolve_place("Dushanbe", &Context::default()).unwrap();
//! assert_eq!(dushanbe.place.country.unwrap(), "TJK");
//! ```
//!
//! - Countries: [`Kb::country`] (common, official and alternate names, ISO2/ISO3 codes
//!   written in capitals), [`Kb::country_match`] (the same with how it matched and an
//!   `ambiguous` flag for words like "Chad", "Jordan", "Georgia"), [`Kb::demonym`]
//!   ("Iranian", "Iranians", "Emirati"), [`Kb::capital_of`], [`Kb::country_of_capital`],
//!   [`Kb::country_by_code`].
//! - Organisations: [`Kb::igo`] ("UN" → `IGO`/`UNO`, "NATO" → `IGO`/`NAT`), from our own
//!   hand-written list ([`IGOS`]).
//! - Gazetteer: [`Kb::places`] (candidates by name and alternate name, best prior first:
//!   GeoNames populated places with population ≥ 500, first- and second-level divisions,
//!   countries, continents, and our own list of regions, seas and islands) and
//!   [`Kb::resolve_place`], the toponym resolver, which weighs population, feature and the
//!   document's evidence ([`Context`]: countries with weights via [`Context::add`], places
//!   already resolved via [`Context::add_place`]) and refuses to guess when unsure
//!   (confidence below 0.5). [`geo_eval`] scores it against gold toponyms.
//! - Office holders: [`Kb::office_holders`] by full name or unambiguous surname.
//!
//! Lookups are case- and accent-insensitive (see [`norm::key`]), except that short codes
//! and acronyms ("US", "UK", "DRC") only match when written in capitals.
//!
//! # Where the knowledge comes from
//!
//! `annalist kb build` reads the open data under `../shared/data` (GeoNames, the
//! world-countries and Factbook country tables, CAMEO country codes, CIA World Leaders,
//! Wikidata office holders) and writes `countries.kb`, `gazetteer.kb` and `people.kb`
//! into `crates/annalist-kb/data`, which are committed and embedded with
//! `include_bytes!`. Attribution is in the repository's NOTICE file. The compile step
//! ([`compile`]) takes bytes, never paths: this crate does no file IO.
//!
//! The file format ([`binfmt`]) is a versioned header (magic, format version, the FNV-1a
//! hashes of the sources) and a zlib-compressed body. [`Kb::load`] checks all of it and
//! returns an error, never panics, on bad input.

pub mod binfmt;
pub mod compile;
pub mod geo_eval;
mod igo;
pub mod norm;
mod regions;
mod resolve;
mod types;

pub use compile::ORGANISATION;
pub use igo::IGOS;
pub use resolve::{haversine_km, without_compass, Context, Resolved};
pub use types::{Code3, Country, CountryMatch, Igo, MatchKind, Office, PlaceEntry, PlaceKind};

use binfmt::{open, Header, Reader};
use compile::{NAME_PREFERRED, NAME_UPPER_ONLY};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// Errors from loading or compiling knowledge files.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The bytes are not a knowledge file at all.
    #[error(
        "{what} is not an annalist knowledge file (bad magic); rebuild it with `annalist kb build`"
    )]
    NotKb { what: &'static str },
    /// The file was written by another version of the format.
    #[error("{what} has format version {found}, this build reads version {expected}; rebuild it with `annalist kb build`")]
    Version {
        what: &'static str,
        found: u32,
        expected: u32,
    },
    /// The file is damaged or truncated.
    #[error("{what} is corrupt: {msg}; rebuild it with `annalist kb build`")]
    Corrupt { what: &'static str, msg: String },
    /// A source file could not be parsed by the compiler.
    #[error("source {what}: {msg}")]
    Source { what: &'static str, msg: String },
}

/// GeoNames feature codes as stored in the gazetteer (a place stores an index here).
pub const FEATURES: &[&str] = &[
    "CONT", "PCLI", "ADM1", "ADM2", "PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPL",
    "PPLX", "PPLG", "PPLS", "PPLL", "PPLF", "PPLR", "PPLH", "PPLQ", "PPLW", "PPLCH", "STLMT",
    "PPLCD", "OCN", "SEA", "LK", "CNL", "RGN", "PEN", "ISL",
];

static COUNTRIES_KB: &[u8] = include_bytes!("../data/countries.kb");
static GAZETTEER_KB: &[u8] = include_bytes!("../data/gazetteer.kb");
static PEOPLE_KB: &[u8] = include_bytes!("../data/people.kb");

#[derive(Clone, Copy, Debug)]
struct NameHit {
    country: u16,
    kind: MatchKind,
    strength: u8,
    upper_only: bool,
}

/// The knowledge base. Get the built-in one with [`Kb::builtin`].
pub struct Kb {
    headers: Vec<Header>,
    countries: Vec<Country>,
    by_iso3: HashMap<String, usize>,
    country_names: HashMap<String, Vec<NameHit>>,
    demonyms: HashMap<String, Vec<(u16, u8)>>,
    ambiguous: HashSet<String>,
    capitals: HashMap<String, usize>,
    igo_names: HashMap<String, usize>,
    places: Vec<PlaceEntry>,
    /// Distinct name keys, sorted, concatenated; key `i` is
    /// `key_blob[key_offs[i]..key_offs[i + 1]]`.
    key_blob: String,
    key_offs: Vec<u32>,
    /// Postings of key `i`: `postings[post_offs[i]..post_offs[i + 1]]`.
    post_offs: Vec<u32>,
    /// (place index, flags), grouped by key.
    postings: Vec<(u32, u8)>,
    offices: Vec<Office>,
    person_names: HashMap<String, Vec<usize>>,
    surnames: HashMap<String, Vec<usize>>,
}

impl std::fmt::Debug for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kb")
            .field("countries", &self.countries.len())
            .field("places", &self.places.len())
            .field("offices", &self.offices.len())
            .finish()
    }
}

fn one_segment<'a>(bodies: &'a [Vec<u8>], what: &'static str) -> Result<&'a [u8], KbError> {
    match bodies {
        [b] => Ok(b),
        _ => Err(KbError::Corrupt {
            what,
            msg: format!("{} segments, expected 1", bodies.len()),
        }),
    }
}

fn corrupt_gaz(what: &str) -> KbError {
    KbError::Corrupt {
        what: "gazetteer.kb",
        msg: format!("bad {what}"),
    }
}

fn parse_places(body: &[u8]) -> Result<Vec<PlaceEntry>, KbError> {
    let mut r = Reader::new(body, "gazetteer.kb");
    let n = r.len(4)?;
    let mut codes = Vec::with_capacity(n);
    for _ in 0..n {
        codes.push(Code3::new(r.str()?).ok_or_else(|| corrupt_gaz("country code"))?);
    }
    let admin1: Vec<Arc<str>> = r.strings()?.into_iter().map(Arc::from).collect();
    let n = r.len(28)?;
    let mut places = Vec::with_capacity(n);
    for _ in 0..n {
        let geonames_id = r.u32()?;
        let name: Box<str> = r.str()?.into();
        let c = r.u16()?;
        let a = r.u32()?;
        let lat = r.f32()?;
        let lon = r.f32()?;
        let feature = *FEATURES
            .get(usize::from(r.u8()?))
            .ok_or_else(|| corrupt_gaz("feature"))?;
        let population = u64::from(r.u32()?);
        let kind = match r.u8()? {
            0 => PlaceKind::Continent,
            1 => PlaceKind::Country,
            2 => PlaceKind::Admin1,
            3 => PlaceKind::Admin2,
            4 => PlaceKind::City,
            5 => PlaceKind::Region,
            _ => return Err(corrupt_gaz("place kind")),
        };
        let country = match c {
            u16::MAX => None,
            c => Some(
                *codes
                    .get(usize::from(c))
                    .ok_or_else(|| corrupt_gaz("country index"))?,
            ),
        };
        let admin1 = match a {
            u32::MAX => None,
            a => Some(
                admin1
                    .get(a as usize)
                    .ok_or_else(|| corrupt_gaz("admin1 index"))?
                    .clone(),
            ),
        };
        places.push(PlaceEntry {
            geonames_id,
            name,
            country,
            admin1,
            lat,
            lon,
            feature,
            population,
            kind,
        });
    }
    r.finish()?;
    Ok(places)
}

struct NameIndex {
    key_blob: String,
    key_offs: Vec<u32>,
    post_offs: Vec<u32>,
    postings: Vec<(u32, u8)>,
}

fn parse_names(body: &[u8]) -> Result<NameIndex, KbError> {
    let mut r = Reader::new(body, "gazetteer.kb");
    let n = r.len(9)?;
    let mut ix = NameIndex {
        key_blob: String::with_capacity(body.len() / 2),
        key_offs: Vec::with_capacity(n + 1),
        post_offs: Vec::with_capacity(n + 1),
        postings: Vec::with_capacity(n * 3 / 2),
    };
    ix.key_offs.push(0);
    ix.post_offs.push(0);
    for _ in 0..n {
        let k = r.str()?;
        let nk = ix.key_offs.len();
        if nk >= 2 {
            let prev = &ix.key_blob[ix.key_offs[nk - 2] as usize..ix.key_offs[nk - 1] as usize];
            if prev >= k {
                return Err(corrupt_gaz("name order"));
            }
        }
        ix.key_blob.push_str(k);
        ix.key_offs.push(ix.key_blob.len() as u32);
        let m = r.len(5)?;
        for _ in 0..m {
            let p = r.u32()?;
            let f = r.u8()?;
            ix.postings.push((p, f));
        }
        ix.post_offs.push(ix.postings.len() as u32);
    }
    r.finish()?;
    Ok(ix)
}

impl Kb {
    /// The knowledge compiled into this binary, loaded on first use.
    ///
    /// The committed files are checked by the tests, so a failure here means a broken
    /// build; we then fall back to an empty knowledge base rather than panic.
    pub fn builtin() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| {
            Kb::load(COUNTRIES_KB, GAZETTEER_KB, PEOPLE_KB).unwrap_or_else(|_| Kb::empty())
        })
    }

    /// The raw bytes of the built-in files, in [`compile::OUTPUT_FILES`] order.
    pub fn builtin_bytes() -> [&'static [u8]; 3] {
        [COUNTRIES_KB, GAZETTEER_KB, PEOPLE_KB]
    }

    fn empty() -> Kb {
        Kb {
            headers: Vec::new(),
            countries: Vec::new(),
            by_iso3: HashMap::new(),
            country_names: HashMap::new(),
            demonyms: HashMap::new(),
            ambiguous: HashSet::new(),
            capitals: HashMap::new(),
            igo_names: HashMap::new(),
            places: Vec::new(),
            key_blob: String::new(),
            key_offs: vec![0],
            post_offs: vec![0],
            postings: Vec::new(),
            offices: Vec::new(),
            person_names: HashMap::new(),
            surnames: HashMap::new(),
        }
    }

    /// Loads a knowledge base from the three compiled files.
    pub fn load(countries: &[u8], gazetteer: &[u8], people: &[u8]) -> Result<Kb, KbError> {
        let mut kb = Kb::empty();
        kb.load_countries(countries)?;
        kb.load_gazetteer(gazetteer)?;
        kb.load_people(people)?;
        for (i, igo) in IGOS.iter().enumerate() {
            for n in std::iter::once(&igo.name).chain(igo.aliases.iter()) {
                kb.igo_names.entry(norm::key(n)).or_insert(i);
            }
        }
        Ok(kb)
    }

    /// The headers of the loaded files: kind, version and source hashes.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    fn load_countries(&mut self, bytes: &[u8]) -> Result<(), KbError> {
        const W: &str = "countries.kb";
        let (h, bodies) = open(bytes, "countries", W)?;
        self.headers.push(h);
        let body = one_segment(&bodies, W)?;
        let mut r = Reader::new(body, W);
        let n = r.len(40)?;
        for _ in 0..n {
            let c = Country {
                iso3: r.string()?,
                iso2: r.string()?,
                name: r.string()?,
                official_name: r.string()?,
                capital: r.opt_string()?,
                demonyms: r.strings()?,
                adjectives: r.strings()?,
                cameo: r.opt_string()?,
                region: r.string()?,
                lat: r.f32()?,
                lon: r.f32()?,
                population: r.u64()?,
                alt_names: r.strings()?,
            };
            self.by_iso3.insert(c.iso3.clone(), self.countries.len());
            if let Some(cap) = &c.capital {
                let i = self.countries.len();
                // GeoNames keeps dissolved states ("Serbia and Montenegro")
                // without a reference point; a capital they shared belongs
                // to the state that has it now.
                let defunct = |c: &Country| c.lat == 0.0 && c.lon == 0.0;
                match self.capitals.get(&norm::key(cap)) {
                    Some(&j) if !defunct(&self.countries[j]) || defunct(&c) => {}
                    _ => {
                        self.capitals.insert(norm::key(cap), i);
                    }
                }
            }
            self.countries.push(c);
        }
        let bad = |what: &str| KbError::Corrupt {
            what: W,
            msg: format!("bad {what}"),
        };
        let n = r.len(9)?;
        for _ in 0..n {
            let k = r.string()?;
            let country = r.u16()?;
            let kind = MatchKind::from_u8(r.u8()?).ok_or_else(|| bad("match kind"))?;
            let strength = r.u8()?;
            let upper_only = r.u8()? != 0;
            if usize::from(country) >= self.countries.len() {
                return Err(bad("country index"));
            }
            self.country_names.entry(k).or_default().push(NameHit {
                country,
                kind,
                strength,
                upper_only,
            });
        }
        let n = r.len(7)?;
        for _ in 0..n {
            let k = r.string()?;
            let country = r.u16()?;
            let strength = r.u8()?;
            if usize::from(country) >= self.countries.len() {
                return Err(bad("country index"));
            }
            self.demonyms
                .entry(k)
                .or_default()
                .push((country, strength));
        }
        let n = r.len(4)?;
        for _ in 0..n {
            self.ambiguous.insert(r.string()?);
        }
        r.finish()?;
        // Best first: strength, then population, so that "Korean" is South Korean.
        let pop = |i: u16| self.countries[usize::from(i)].population;
        for hits in self.country_names.values_mut() {
            hits.sort_by_key(|h| {
                (
                    h.upper_only,
                    std::cmp::Reverse(h.strength),
                    std::cmp::Reverse(pop(h.country)),
                )
            });
        }
        for hits in self.demonyms.values_mut() {
            hits.sort_by_key(|&(c, s)| (std::cmp::Reverse(s), std::cmp::Reverse(pop(c))));
        }
        Ok(())
    }

    fn load_gazetteer(&mut self, bytes: &[u8]) -> Result<(), KbError> {
        const W: &str = "gazetteer.kb";
        let (h, bodies) = open(bytes, "gazetteer", W)?;
        self.headers.push(h);
        let [places, names] = bodies.as_slice() else {
            return Err(KbError::Corrupt {
                what: W,
                msg: format!("{} segments, expected 2", bodies.len()),
            });
        };
        // Places and names are independent until the final bounds check: parse both at once.
        let (places, names) = std::thread::scope(|s| {
            let p = s.spawn(|| parse_places(places));
            let n = parse_names(names);
            let p = p.join().unwrap_or_else(|_| Err(corrupt_gaz("places")));
            (p, n)
        });
        self.places = places?;
        let names = names?;
        if names
            .postings
            .iter()
            .any(|&(p, _)| p as usize >= self.places.len())
        {
            return Err(corrupt_gaz("place index"));
        }
        self.key_blob = names.key_blob;
        self.key_offs = names.key_offs;
        self.post_offs = names.post_offs;
        self.postings = names.postings;
        Ok(())
    }

    fn load_people(&mut self, bytes: &[u8]) -> Result<(), KbError> {
        const W: &str = "people.kb";
        let (h, bodies) = open(bytes, "people", W)?;
        self.headers.push(h);
        let body = one_segment(&bodies, W)?;
        let mut r = Reader::new(body, W);
        let n = r.len(20)?;
        for _ in 0..n {
            self.offices.push(Office {
                person: r.string()?,
                country: r.string()?,
                org: r.opt_string()?,
                position: r.string()?,
                sectors: r.strings()?,
                start: r.opt_string()?,
                end: r.opt_string()?,
                source: r.string()?,
            });
        }
        r.finish()?;
        let mut by_surname: HashMap<String, HashSet<String>> = HashMap::new();
        for (i, o) in self.offices.iter().enumerate() {
            let k = norm::key(&o.person);
            // An organisation's last word ("Front", "Army") is no surname.
            let person = o.position != compile::ORGANISATION;
            if let Some(s) = k.split(' ').next_back().filter(|s| s.len() >= 3 && person) {
                // People count as one when first and last names agree ("Sergey Lavrov",
                // "Sergey Viktorovich Lavrov").
                let first = k.split(' ').next().unwrap_or("");
                by_surname
                    .entry(s.to_string())
                    .or_default()
                    .insert(format!("{first} {s}"));
                self.surnames.entry(s.to_string()).or_default().push(i);
            }
            // "Donald J. Trump" is also "Donald Trump": index first and last name too.
            let parts: Vec<&str> = k.split(' ').collect();
            if parts.len() >= 3 {
                let short = format!("{} {}", parts[0], parts[parts.len() - 1]);
                self.person_names.entry(short).or_default().push(i);
            }
            self.person_names.entry(k).or_default().push(i);
        }
        for v in self.person_names.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        // A surname only identifies someone when one person bears it.
        self.surnames
            .retain(|s, _| by_surname.get(s).is_some_and(|p| p.len() == 1));
        Ok(())
    }

    // ---- countries ----

    /// The country with this ISO alpha-3 code.
    pub fn country_by_code(&self, iso3: &str) -> Option<&Country> {
        self.by_iso3.get(iso3).map(|&i| &self.countries[i])
    }

    /// All countries, sorted by ISO alpha-3.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country a name or code denotes ("Iran", "Islamic Republic of Iran", "IRN",
    /// "IR", "U.S."). Codes and acronyms only match when written in capitals.
    pub fn country(&self, name_or_code: &str) -> Option<&Country> {
        self.country_match(name_or_code).map(|m| m.country)
    }

    /// Like [`Kb::country`], also falling back to demonyms, and saying how the word
    /// matched and whether it is ambiguous.
    pub fn country_match(&self, word: &str) -> Option<CountryMatch<'_>> {
        let word = norm::strip_possessive(word);
        let k = norm::key(word);
        let upper = norm::is_upper(word);
        let ambiguous = self.ambiguous.contains(&k);
        if let Some(h) = self
            .country_names
            .get(&k)
            .and_then(|hits| hits.iter().find(|h| !h.upper_only || upper))
        {
            return Some(CountryMatch {
                country: &self.countries[usize::from(h.country)],
                kind: h.kind,
                ambiguous,
            });
        }
        self.demonym_hit(word).map(|(c, amb)| CountryMatch {
            country: c,
            kind: MatchKind::Demonym,
            ambiguous: amb,
        })
    }

    /// Whether a name is ambiguous (see [`CountryMatch::ambiguous`]).
    pub fn is_ambiguous(&self, name: &str) -> bool {
        self.ambiguous.contains(&norm::key(name))
    }

    fn demonym_hit(&self, word: &str) -> Option<(&Country, bool)> {
        let k = norm::key(word);
        let mut tries = vec![k.clone()];
        if let Some(s) = k.strip_suffix("men") {
            tries.push(format!("{s}man"));
        }
        if let Some(s) = k.strip_suffix("es") {
            tries.push(s.to_string());
        }
        if let Some(s) = k.strip_suffix('s') {
            tries.push(s.to_string());
        }
        tries.iter().find_map(|t| {
            let hits = self.demonyms.get(t)?;
            let &(c, _) = hits.first()?;
            Some((&self.countries[usize::from(c)], self.ambiguous.contains(t)))
        })
    }

    /// The country of a demonym or adjective ("Tajik", "Iranians", "British", "Emirati").
    pub fn demonym(&self, word: &str) -> Option<&Country> {
        self.demonym_hit(word).map(|(c, _)| c)
    }

    /// The capital of a country, as a gazetteer entry (with coordinates) where we have it.
    pub fn capital_of(&self, iso3: &str) -> Option<&PlaceEntry> {
        let c = self.country_by_code(iso3)?;
        let cap = c.capital.as_deref()?;
        let code = Code3::new(iso3)?;
        let mut cands = self.places(cap);
        cands.retain(|p| p.country == Some(code) && p.kind == PlaceKind::City);
        cands
            .iter()
            .find(|p| p.feature == "PPLC")
            .or(cands.first())
            .copied()
    }

    /// The country whose capital has this name ("Dushanbe" → Tajikistan).
    pub fn country_of_capital(&self, name: &str) -> Option<&Country> {
        if let Some(&i) = self.capitals.get(&norm::key(name)) {
            return Some(&self.countries[i]);
        }
        // Alternate spellings ("Teheran") reach the capital through the gazetteer.
        self.places(name)
            .into_iter()
            .find(|p| p.feature == "PPLC")
            .and_then(|p| self.country_by_code(p.country?.as_str()))
    }

    /// The intergovernmental organisation a name or acronym denotes ("UN", "NATO").
    pub fn igo(&self, name: &str) -> Option<&'static Igo> {
        let k = norm::key(name);
        let &i = self.igo_names.get(&k)?;
        let igo = &IGOS[i];
        // Short acronyms ("AU", "WHO") only count when written in capitals.
        if k.len() <= 4 && !norm::is_upper(name) && norm::key(igo.name) != k {
            return None;
        }
        Some(igo)
    }

    // ---- gazetteer ----

    /// All gazetteer entries, in file order (continents, countries, divisions, cities).
    pub fn all_places(&self) -> &[PlaceEntry] {
        &self.places
    }

    /// Places with this name or alternate name, best prior first.
    pub fn places(&self, name: &str) -> Vec<&PlaceEntry> {
        self.place_hits(name).into_iter().map(|(p, _)| p).collect()
    }

    /// Places and whether the name is their preferred name, best prior first.
    pub(crate) fn place_hits(&self, name: &str) -> Vec<(&PlaceEntry, bool)> {
        let name = norm::strip_possessive(name);
        let k = norm::key(name);
        let upper = norm::is_upper(name);
        let n = self.key_offs.len() - 1;
        let key_at =
            |i: usize| &self.key_blob[self.key_offs[i] as usize..self.key_offs[i + 1] as usize];
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if key_at(mid) < k.as_str() {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo >= n || key_at(lo) != k {
            return Vec::new();
        }
        let (s, e) = (&self.post_offs[lo], &self.post_offs[lo + 1]);
        let mut out: Vec<(&PlaceEntry, bool)> = self.postings[*s as usize..*e as usize]
            .iter()
            .filter(|(_, f)| f & NAME_UPPER_ONLY == 0 || upper)
            .map(|&(p, f)| (&self.places[p as usize], f & NAME_PREFERRED != 0))
            .collect();
        out.sort_by(|a, b| {
            resolve::prior(b.0)
                .total_cmp(&resolve::prior(a.0))
                .then(a.0.geonames_id.cmp(&b.0.geonames_id))
        });
        out
    }

    // ---- people ----

    /// Offices held by a person, by full name ("Emomali Rahmon") or by a surname only
    /// one person in the knowledge base bears. Dated records come with `start`/`end`.
    pub fn office_holders(&self, person_name: &str) -> Vec<&Office> {
        let k = norm::key(person_name);
        let idx = self.person_names.get(&k).or_else(|| {
            if k.contains(' ') {
                None
            } else {
                self.surnames.get(&k)
            }
        });
        idx.map(|v| v.iter().map(|&i| &self.offices[i]).collect())
            .unwrap_or_default()
    }

    /// All office records.
    pub fn offices(&self) -> &[Office] {
        &self.offices
    }
}
