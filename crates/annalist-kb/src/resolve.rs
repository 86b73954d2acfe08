//! A first toponym resolver: picks the gazetteer entry a place name most likely denotes
//! in a document, or refuses when the evidence does not single one out.

use crate::types::{Code3, PlaceEntry, PlaceKind};
use crate::Kb;

/// The document's country evidence: ISO alpha-3 codes with weights. Callers add the
/// countries of the other places in the document, of its actors, its demonyms and its
/// dateline; the resolver favours candidates in the countries with the most weight.
#[derive(Clone, Debug, Default)]
pub struct Context {
    weights: Vec<(Code3, f32)>,
    /// Places already resolved in the document: (lat, lon, weight).
    points: Vec<(f32, f32, f32)>,
    /// Divisions named or implied in the document: (country, admin1 name, weight).
    admin1s: Vec<(Code3, String, f32)>,
}

impl Context {
    /// An empty context: no evidence.
    pub fn new() -> Context {
        Context::default()
    }

    /// Adds evidence for a country. Codes that are not three capital letters are ignored.
    pub fn add(&mut self, iso3: &str, weight: f32) {
        let Some(code) = Code3::new(iso3) else {
            return;
        };
        if !(weight.is_finite() && weight > 0.0) {
            return;
        }
        match self.weights.iter_mut().find(|(c, _)| *c == code) {
            Some((_, w)) => *w += weight,
            None => self.weights.push((code, weight)),
        }
    }

    /// Adds a place resolved elsewhere in the document: candidates near it are favoured
    /// ("Fulton County" near the other Illinois places of the story).
    pub fn add_point(&mut self, lat: f32, lon: f32, weight: f32) {
        if lat.is_finite() && lon.is_finite() && weight.is_finite() && weight > 0.0 {
            self.points.push((lat, lon, weight));
        }
    }

    /// Adds a first-level division named or implied in the document: candidates inside
    /// it are favoured.
    pub fn add_admin1(&mut self, iso3: &str, admin1: &str, weight: f32) {
        if let Some(code) = Code3::new(iso3) {
            if weight.is_finite() && weight > 0.0 {
                self.admin1s.push((code, admin1.to_string(), weight));
            }
        }
    }

    /// Adds what a resolved place says about the document: its country, its division
    /// and, for places small enough to be a point, its position.
    pub fn add_place(&mut self, place: &PlaceEntry, weight: f32) {
        if let Some(c) = place.country {
            self.add(c.as_str(), weight);
            if let Some(a) = &place.admin1 {
                self.add_admin1(c.as_str(), a, weight);
            }
        }
        if matches!(place.kind, PlaceKind::City | PlaceKind::Admin2) {
            self.add_point(place.lat, place.lon, weight);
        }
    }

    /// The geographic bonus of a candidate: closeness to the document's other places
    /// and membership of its divisions, at most 1 each.
    fn local(&self, p: &PlaceEntry) -> f32 {
        // Only places small enough to be near something: a country or a state is near
        // everything in it.
        if !matches!(p.kind, PlaceKind::City | PlaceKind::Admin2) {
            return 0.0;
        }
        let near = self
            .points
            .iter()
            .filter(|(la, lo, _)| haversine_km(*la, *lo, p.lat, p.lon) <= NEAR_KM)
            .map(|(_, _, w)| *w)
            .fold(0.0f32, f32::max)
            .min(1.0);
        let inside = match (&p.admin1, p.country) {
            (Some(a), Some(c)) => self
                .admin1s
                .iter()
                .filter(|(cc, name, _)| *cc == c && name.as_str() == &**a)
                .map(|(_, _, w)| *w)
                .fold(0.0f32, f32::max)
                .min(1.0),
            _ => 0.0,
        };
        near + inside
    }

    /// The weight of a country.
    pub fn weight(&self, iso3: &str) -> f32 {
        self.weights
            .iter()
            .find(|(c, _)| c.as_str() == iso3)
            .map_or(0.0, |(_, w)| *w)
    }

    /// The total weight of all evidence.
    pub fn total(&self) -> f32 {
        self.weights.iter().map(|(_, w)| w).sum()
    }

    /// Whether there is no evidence.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The share of the evidence for a candidate's country. Places in no country (seas,
    /// continents, transnational regions) compete with no country's evidence, so they
    /// get the largest share any country has.
    fn share(&self, code: Option<Code3>) -> f32 {
        let total = self.total();
        if total <= 0.0 {
            return 0.0;
        }
        match code {
            Some(c) => self.weight(c.as_str()) / total,
            None => self.weights.iter().map(|(_, w)| *w).fold(0.0, f32::max) / total,
        }
    }
}

/// A resolved toponym.
#[derive(Clone, Debug)]
pub struct Resolved<'a> {
    /// The place chosen.
    pub place: &'a PlaceEntry,
    /// How sure we are, 0 to 1: the share of the candidates' weight that lies within
    /// 100 km of the chosen place.
    pub confidence: f32,
    /// How many candidates the name had.
    pub candidates: usize,
}

/// The prior of a place before any context: larger places and capitals and division
/// seats are named more often.
pub(crate) fn prior(p: &PlaceEntry) -> f32 {
    let feature = match p.feature {
        "CONT" => 4.0,
        "PCLI" => 3.0,
        "PPLC" => 3.0,
        "ADM1" => 1.5,
        "PPLA" => 1.0,
        "PPLA2" => 0.5,
        "ADM2" => 0.3,
        // Our regions and seas carry no population; they are what a bare "Pacific" or
        // "Java" means in news far more often than a village of that name.
        "OCN" | "SEA" | "LK" | "CNL" | "RGN" | "PEN" | "ISL" => 7.0,
        _ => 0.0,
    };
    ((p.population as f32) + 10.0).log10() + feature
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f32, lon1: f32, lat2: f32, lon2: f32) -> f32 {
    let (la1, lo1, la2, lo2) = (
        f64::from(lat1).to_radians(),
        f64::from(lon1).to_radians(),
        f64::from(lat2).to_radians(),
        f64::from(lon2).to_radians(),
    );
    let a = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    (2.0 * 6371.0 * a.sqrt().min(1.0).asin()) as f32
}

/// Confidence below which the resolver refuses to choose.
const MIN_CONFIDENCE: f32 = 0.5;
/// How much the document's country evidence can add to a candidate's score.
const CONTEXT_WEIGHT: f32 = 4.0;
/// How much closeness to the document's other places and divisions can add.
const LOCAL_WEIGHT: f32 = 1.5;
/// Within this distance of another place of the document a candidate counts as near.
const NEAR_KM: f32 = 250.0;
/// Bonus for matching a place's preferred name rather than an alternate one.
const PREFERRED_BONUS: f32 = 0.5;

/// Words after a name that restrict the kind of place ("Washington state").
const KIND_SUFFIXES: &[(&str, &[PlaceKind])] = &[
    (" state", &[PlaceKind::Admin1]),
    // A state that was once a province or region of a larger one keeps the
    // old word in news ("Montenegro province" of Yugoslavia).
    (
        " province",
        &[PlaceKind::Admin1, PlaceKind::Admin2, PlaceKind::Country],
    ),
    (
        " region",
        &[PlaceKind::Admin1, PlaceKind::Admin2, PlaceKind::Country],
    ),
    (" county", &[PlaceKind::Admin2, PlaceKind::Admin1]),
    (" city", &[PlaceKind::City]),
];

/// The name without a leading Arabic article ("Al-", "al ", "El-"), if it has
/// one. A soft hyphen counts as a hyphen: it is where a line may break.
fn without_article(name: &str) -> Option<&str> {
    let mut chars = name.char_indices();
    let (a, l) = (chars.next()?.1, chars.next()?.1);
    let (i, sep) = chars.next()?;
    let article = matches!(a, 'A' | 'a' | 'E' | 'e') && matches!(l, 'l' | 'L');
    let rest = name[i + sep.len_utf8()..].trim_start();
    (article && matches!(sep, '-' | ' ' | '\u{ad}' | '\u{2010}' | '\u{2011}') && rest.len() >= 3)
        .then_some(rest)
}

/// Words that narrow a place to a part of it ("southern Serbia").
const COMPASS: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
];

/// The place a name narrows with a compass word ("Cambodia" for "Western
/// Cambodia", "Lebanon" for "South Lebanon"), if it starts with one.
pub fn without_compass(name: &str) -> Option<&str> {
    let (first, rest) = name.split_once(' ')?;
    let rest = rest.trim_start();
    (COMPASS.contains(&first.to_lowercase().as_str()) && !rest.is_empty()).then_some(rest)
}

impl Kb {
    /// Resolves a place name in a document to a gazetteer entry, or `None` when no entry
    /// has the name or the candidates are too evenly matched to choose without guessing.
    ///
    /// Candidates are scored by prior (population, feature: capitals, division seats,
    /// countries and continents first), by whether the name is their preferred one, and
    /// by the weight of their country in `context`. "Washington" is the US capital,
    /// "Washington state" the state; "Georgia" is the country unless the document's
    /// evidence is American.
    pub fn resolve_place(&self, name: &str, context: &Context) -> Option<Resolved<'_>> {
        let trimmed = name.trim();
        let mut hits = self.place_hits(trimmed);
        if hits.is_empty() {
            // Arabic names are written with and without their article
            // ("Al-Hodeida", "Hodeida"); the gazetteer often has one form.
            if let Some(rest) = without_article(trimmed) {
                hits = self.place_hits(rest);
            }
        }
        if hits.is_empty() {
            // "Western Cambodia", "southern Lebanon": a part of a place the
            // gazetteer names only as a whole is placed at the whole, within
            // the country at least.
            if let Some(rest) = without_compass(trimmed) {
                hits = self.place_hits(rest);
            }
        }
        let lower = trimmed.to_lowercase();
        for (suffix, kinds) in KIND_SUFFIXES {
            if let Some(stem) = lower.strip_suffix(suffix) {
                let base = &trimmed[..stem.len()];
                let restricted: Vec<_> = self
                    .place_hits(base)
                    .into_iter()
                    .filter(|(p, _)| kinds.contains(&p.kind))
                    .collect();
                if !restricted.is_empty() {
                    hits = restricted;
                }
                break;
            }
        }
        if hits.is_empty() {
            return None;
        }
        hits.truncate(200);
        let scores: Vec<f32> = hits
            .iter()
            .map(|(p, preferred)| {
                prior(p)
                    + if *preferred { PREFERRED_BONUS } else { 0.0 }
                    + CONTEXT_WEIGHT * context.share(p.country)
                    + LOCAL_WEIGHT * context.local(p)
            })
            .collect();
        let best =
            (0..hits.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))?;
        let max = scores[best];
        let top = hits[best].0;
        let mut near = 0.0f32;
        let mut all = 0.0f32;
        for ((p, _), s) in hits.iter().zip(&scores) {
            let w = (s - max).exp();
            all += w;
            if haversine_km(p.lat, p.lon, top.lat, top.lon) <= 100.0 {
                near += w;
            }
        }
        let confidence = near / all;
        if confidence < MIN_CONFIDENCE {
            return None;
        }
        Some(Resolved {
            place: top,
            confidence,
            candidates: hits.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn place(kind: PlaceKind, lat: f32, lon: f32, admin1: &str) -> PlaceEntry {
        PlaceEntry {
            geonames_id: 1,
            name: "Springfield".into(),
            country: Code3::new("USA"),
            admin1: Some(Arc::from(admin1)),
            lat,
            lon,
            feature: "PPL",
            population: 1000,
            kind,
        }
    }

    #[test]
    fn issue7_arabic_article_is_optional() {
        assert_eq!(without_article("Al-Hodeida"), Some("Hodeida"));
        assert_eq!(without_article("al\u{ad}Hodeida"), Some("Hodeida"));
        assert_eq!(without_article("El Fasher"), Some("Fasher"));
        assert_eq!(without_article("Alberta"), None);
        assert_eq!(without_article("Al-X"), None);
    }

    #[test]
    fn issue6_a_compass_part_of_a_place_is_the_place() {
        assert_eq!(without_compass("Western Cambodia"), Some("Cambodia"));
        assert_eq!(without_compass("southern Lebanon"), Some("Lebanon"));
        assert_eq!(without_compass("Westminster"), None);
        assert_eq!(without_compass("Western"), None);
    }

    #[test]
    fn local_evidence() {
        let mut ctx = Context::new();
        ctx.add_place(&place(PlaceKind::City, 39.8, -89.6, "Illinois"), 1.0);
        assert_eq!(ctx.weight("USA"), 1.0);
        // Near and inside the same division: both bonuses.
        assert_eq!(
            ctx.local(&place(PlaceKind::City, 40.0, -89.0, "Illinois")),
            2.0
        );
        // Far away in another state: none.
        assert_eq!(
            ctx.local(&place(PlaceKind::City, 42.1, -72.6, "Massachusetts")),
            0.0
        );
        // States and countries are not "near" anything.
        assert_eq!(
            ctx.local(&place(PlaceKind::Admin1, 40.0, -89.0, "Illinois")),
            0.0
        );
        ctx.add("usa", 1.0);
        ctx.add("USA", f32::NAN);
        assert_eq!(ctx.total(), 1.0);
        assert!((haversine_km(38.54, 68.78, 35.69, 51.42) - 1540.0).abs() < 30.0);
    }
}
