//! Scores the toponym resolver against gold toponyms (GeoVirus-style JSON Lines: one
//! document per line with `text` and `locations` of `name`, `lat`, `lon`).
//!
//! This measures the resolver alone, given the gold names; the document context is what
//! a later pipeline would have: the other toponyms of the document and the demonyms in
//! its text.

use crate::{haversine_km, Context, Kb, KbError};

/// Distance within which a resolution counts as correct (100 miles).
pub const CORRECT_KM: f32 = 161.0;

/// One scored toponym.
#[derive(Clone, Debug)]
pub struct GeoItem {
    /// The document id.
    pub doc_id: String,
    /// The toponym as written.
    pub name: String,
    /// Gold coordinates.
    pub gold: (f32, f32),
    /// The place chosen (name, country, coordinates), if any.
    pub got: Option<(String, String, f32, f32)>,
    /// The error in km, if resolved.
    pub error_km: Option<f32>,
    /// The resolver's confidence, if resolved.
    pub confidence: Option<f32>,
}

/// The summary of an evaluation.
#[derive(Clone, Debug, Default)]
pub struct GeoReport {
    /// Gold toponyms.
    pub total: usize,
    /// Toponyms the resolver chose a place for.
    pub resolved: usize,
    /// Resolved within [`CORRECT_KM`] of gold.
    pub correct: usize,
    /// Mean error in km over resolved toponyms.
    pub mean_km: f32,
    /// Median error in km over resolved toponyms.
    pub median_km: f32,
    /// Every toponym, in file order.
    pub items: Vec<GeoItem>,
}

impl GeoReport {
    /// Correct over all gold toponyms (an unresolved toponym counts as wrong).
    pub fn accuracy(&self) -> f32 {
        self.correct as f32 / self.total.max(1) as f32
    }
    /// Correct over resolved toponyms.
    pub fn precision(&self) -> f32 {
        self.correct as f32 / self.resolved.max(1) as f32
    }
    /// Resolved over all.
    pub fn coverage(&self) -> f32 {
        self.resolved as f32 / self.total.max(1) as f32
    }
}

/// Country evidence from the demonyms written in a text ("Tajik", "Iranian").
pub fn demonym_context(kb: &Kb, text: &str, weight: f32) -> Context {
    let mut ctx = Context::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.len() < 4 || !w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        if let Some(m) = kb.country_match(w) {
            if m.kind == crate::MatchKind::Demonym && !m.ambiguous {
                ctx.add(&m.country.iso3, weight);
            }
        }
    }
    ctx
}

/// Resolves the toponyms of one document in two passes: alone, then with the countries
/// of the other toponyms (weighted by confidence) and the text's demonyms as context.
pub fn resolve_document<'a>(
    kb: &'a Kb,
    text: &str,
    names: &[&str],
) -> Vec<Option<crate::Resolved<'a>>> {
    let base = demonym_context(kb, text, 0.5);
    let first: Vec<_> = names.iter().map(|n| kb.resolve_place(n, &base)).collect();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut ctx = base.clone();
            for (j, r) in first.iter().enumerate() {
                if j == i || names[j] == *n {
                    continue;
                }
                if let Some(r) = r {
                    ctx.add_place(r.place, r.confidence);
                }
            }
            kb.resolve_place(n, &ctx)
        })
        .collect()
}

/// Evaluates the resolver on a JSON Lines file's text.
pub fn eval_geo(kb: &Kb, jsonl: &str) -> Result<GeoReport, KbError> {
    let mut rep = GeoReport::default();
    let mut errors: Vec<f32> = Vec::new();
    for (no, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |msg: &str| KbError::Source {
            what: "geo eval input",
            msg: format!("line {}: {msg}", no + 1),
        };
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&format!("invalid JSON ({e})")))?;
        let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let doc_id = v
            .get("doc_id")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string();
        let locs = v
            .get("locations")
            .and_then(|l| l.as_array())
            .ok_or_else(|| bad("no \"locations\" array"))?;
        let chars: Vec<char> = text.chars().collect();
        let mut gold = Vec::new();
        let mut queries = Vec::new();
        for l in locs {
            let name = l
                .get("name")
                .and_then(|x| x.as_str())
                .ok_or_else(|| bad("location without \"name\""))?;
            // A following "state" or "province" is part of what the text says
            // ("Washington state"); a tagger's span would often leave it out.
            let end = l.get("end").and_then(|x| x.as_u64()).unwrap_or(0) as usize;
            let next: String = chars.iter().skip(end).take(10).collect();
            let next_word = next
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(|c: char| !c.is_alphanumeric());
            let query = if next.starts_with(' ')
                && matches!(next_word, "state" | "State" | "province" | "Province")
            {
                format!("{name} {}", next_word.to_lowercase())
            } else {
                name.to_string()
            };
            queries.push(query);
            let lat = l
                .get("lat")
                .and_then(|x| x.as_f64())
                .ok_or_else(|| bad("location without \"lat\""))?;
            let lon = l
                .get("lon")
                .and_then(|x| x.as_f64())
                .ok_or_else(|| bad("location without \"lon\""))?;
            gold.push((name, lat as f32, lon as f32));
        }
        let names: Vec<&str> = queries.iter().map(String::as_str).collect();
        let res = resolve_document(kb, text, &names);
        for ((name, lat, lon), r) in gold.iter().zip(res) {
            rep.total += 1;
            let mut item = GeoItem {
                doc_id: doc_id.clone(),
                name: name.to_string(),
                gold: (*lat, *lon),
                got: None,
                error_km: None,
                confidence: None,
            };
            if let Some(r) = r {
                let d = haversine_km(*lat, *lon, r.place.lat, r.place.lon);
                rep.resolved += 1;
                if d <= CORRECT_KM {
                    rep.correct += 1;
                }
                errors.push(d);
                item.error_km = Some(d);
                item.confidence = Some(r.confidence);
                item.got = Some((
                    r.place.name.to_string(),
                    r.place.country.map(|c| c.to_string()).unwrap_or_default(),
                    r.place.lat,
                    r.place.lon,
                ));
            }
            rep.items.push(item);
        }
    }
    if !errors.is_empty() {
        rep.mean_km = errors.iter().sum::<f32>() / errors.len() as f32;
        errors.sort_by(f32::total_cmp);
        rep.median_km = errors[errors.len() / 2];
    }
    Ok(rep)
}
