//! What the web UI's views need beyond the plain listings (issue 19): the
//! details and sentence of each listed event, downloads in the command
//! line's formats, the timeline by quad class, the network with actors
//! merged across case, places with their precision, document snippets and
//! the country list for the filter pickers.

use annalist_doc::Record;
use annalist_store::{ActorLink, RowDetail, Store, TimelineCell, Unit};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

/// The quad classes of CAMEO, by number (index 0 is "none").
pub const QUADS: [&str; 5] = [
    "other",
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
];

/// How precise a map point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// A populated place (GeoNames PPL*).
    City,
    /// A province or district (ADM*), or another feature.
    Admin,
    /// A country's reference point, standing in for an unknown place in it.
    Country,
}

impl Precision {
    pub fn name(self) -> &'static str {
        match self {
            Precision::City => "city",
            Precision::Admin => "admin",
            Precision::Country => "country",
        }
    }

    /// The precision of a point from its feature code and, where that says
    /// nothing, from whether it sits on a country's reference point (the
    /// fallback of the geocoder for a country named without a place).
    pub fn of(feature: Option<&str>, lat: f64, lon: f64) -> Precision {
        match feature {
            Some(f) if f.starts_with("PCL") => Precision::Country,
            Some(f) if f.starts_with("PPL") => Precision::City,
            Some(f) if f.starts_with("ADM") => Precision::Admin,
            _ => {
                let kb = annalist_kb::Kb::builtin();
                let on_centroid = kb.countries().iter().any(|c| {
                    (f64::from(c.lat) - lat).abs() < 0.01 && (f64::from(c.lon) - lon).abs() < 0.01
                });
                if on_centroid {
                    Precision::Country
                } else if feature.is_some() {
                    Precision::Admin
                } else {
                    Precision::City
                }
            }
        }
    }
}

/// The sentence around an event's trigger, at most about `max` characters,
/// with the trigger's offsets within it (in characters): `{text, start, end}`.
pub fn snippet(record: &Record, event_id: &str, max: usize) -> Option<Value> {
    let ev = record.events.iter().find(|e| e.id == event_id)?;
    let chars: Vec<char> = record.text.chars().collect();
    let sent = record.sentences.get(ev.sentence)?;
    let (mut a, mut b) = (sent.start.min(chars.len()), sent.end.min(chars.len()));
    let (ts, te) = (ev.trigger.start, ev.trigger.end);
    if !(a <= ts && ts <= te && te <= b) {
        return None;
    }
    // A long sentence is cut around the trigger, a third of the way in.
    // Cuts fall between words where a space is near.
    if b - a > max {
        let start = ts.saturating_sub(max / 3).max(a);
        let end = (start + max).max(te).min(b);
        if start > a {
            let skip = chars[start..ts].iter().position(|c| c.is_whitespace());
            a = skip.filter(|i| *i < 20).map_or(start, |i| start + i + 1);
        }
        b = end;
        if end < sent.end.min(chars.len()) {
            let back = chars[te..end].iter().rposition(|c| c.is_whitespace());
            b = back.filter(|i| te + i + 20 > end).map_or(end, |i| te + i);
        }
    }
    let mut text: String = chars[a..b].iter().collect::<String>();
    let lead = text.len() - text.trim_start().len();
    let lead_chars = text[..lead].chars().count();
    text = text.trim().to_string();
    Some(json!({
        "text": text,
        "start": (ts - a).saturating_sub(lead_chars),
        "end": (te - a).saturating_sub(lead_chars),
        "cut_before": a > sent.start,
        "cut_after": b < sent.end,
    }))
}

/// The listed rows with their details (quad class, intensity, confidence,
/// casualties, place precision) and sentence added, in the listing's order.
pub fn enrich(store: &Store, unit: Unit, rows: Value) -> Result<Value, crate::ApiError> {
    let Value::Array(rows) = rows else {
        return Ok(rows);
    };
    let key = match unit {
        Unit::Stories => "story",
        Unit::Reports => "report",
    };
    let ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get(key).and_then(Value::as_i64))
        .collect();
    let details: HashMap<i64, RowDetail> = store
        .row_details(unit, &ids)?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut records: HashMap<String, Option<Record>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for mut row in rows {
        let id = row.get(key).and_then(Value::as_i64).unwrap_or(-1);
        if let (Some(d), Value::Object(obj)) = (details.get(&id), &mut row) {
            if !records.contains_key(&d.doc_id) {
                records.insert(d.doc_id.clone(), store.record(&d.doc_id)?);
            }
            let sentence = records
                .get(&d.doc_id)
                .and_then(Option::as_ref)
                .and_then(|r| snippet(r, &d.event_id, 320));
            add_detail(obj, d, sentence);
        }
        out.push(row);
    }
    Ok(Value::Array(out))
}

fn add_detail(obj: &mut Map<String, Value>, d: &RowDetail, sentence: Option<Value>) {
    let quad = d.quad_class.filter(|q| (1..=4).contains(q));
    obj.insert("quad_class".into(), json!(quad));
    obj.insert("intensity".into(), json!(d.intensity));
    obj.insert("confidence".into(), json!(d.confidence));
    obj.insert("dead".into(), json!(d.dead));
    obj.insert("injured".into(), json!(d.injured));
    obj.insert("arrested".into(), json!(d.arrested));
    obj.insert("feature".into(), json!(d.feature));
    obj.insert("event_id".into(), json!(d.event_id));
    obj.insert("snippet".into(), sentence.unwrap_or(Value::Null));
}

/// The timeline folded into buckets (`day`, `week` or `month`): dated
/// buckets in order, each with counts by quad class (index 0: none), and
/// the undated counts apart; empty buckets are the client's to draw.
pub fn timeline_json(cells: &[TimelineCell], by: &str) -> Value {
    use annalist_store::dates;
    let mut buckets: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let mut undated = [0u64; 5];
    for c in cells {
        let q = c
            .quad_class
            .filter(|q| (1..=4).contains(q))
            .map_or(0, |q| q as usize);
        match c.day {
            Some(d) => {
                let key = match by {
                    "day" => dates::iso(d),
                    "week" => dates::iso(dates::week_start(d)),
                    _ => dates::month(d),
                };
                buckets.entry(key).or_default()[q] += c.count;
            }
            None => undated[q] += c.count,
        }
    }
    let rows: Vec<Value> = buckets
        .into_iter()
        .map(|(k, q)| json!({"key": k, "quad": q, "count": q.iter().sum::<u64>()}))
        .collect();
    json!({
        "by": by,
        "quads": QUADS,
        "rows": rows,
        "undated": {"quad": undated, "count": undated.iter().sum::<u64>()},
    })
}

/// The network as nodes and edges: a node is an actor by its name in lower
/// case and its country, shown with the first spelling met (links come
/// strongest first, so the most frequent link's spelling).
pub fn network_json(links: &[ActorLink]) -> (Vec<Value>, Vec<Value>) {
    struct Node {
        name: String,
        country: Option<String>,
        count: u64,
        order: usize,
    }
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut edges = Vec::with_capacity(links.len());
    let mut id_of = |name: &str, country: &Option<String>, count: u64| {
        let id = format!(
            "{}|{}",
            name.to_lowercase(),
            country.as_deref().unwrap_or("")
        );
        let order = nodes.len();
        let n = nodes.entry(id.clone()).or_insert(Node {
            name: name.to_string(),
            country: country.clone(),
            count: 0,
            order,
        });
        n.count += count;
        id
    };
    for l in links {
        let s = id_of(&l.source, &l.source_country, l.count);
        let t = id_of(&l.target, &l.target_country, l.count);
        edges.push(json!({
            "source": s,
            "target": t,
            "count": l.count,
            "intensity": l.intensity.map(|i| (i * 100.0).round() / 100.0),
            "cooperation": l.cooperation,
            "conflict": l.conflict,
            "types": l.types,
        }));
    }
    let mut list: Vec<(String, Node)> = nodes.into_iter().collect();
    list.sort_by_key(|(_, n)| n.order);
    let nodes = list
        .into_iter()
        .map(|(id, n)| json!({"id": id, "name": n.name, "country": n.country, "count": n.count}))
        .collect();
    (nodes, edges)
}

/// Every country the filters accept, for the pickers: code, name and
/// demonyms, with the PLOVER codes for actors that are no state's.
pub fn countries_json() -> Value {
    let kb = annalist_kb::Kb::builtin();
    let mut rows: Vec<Value> = kb
        .countries()
        .iter()
        .map(|c| {
            let mut also: Vec<&str> = c.demonyms.iter().map(String::as_str).collect();
            also.extend(c.adjectives.iter().map(String::as_str));
            if c.official_name != c.name {
                also.push(&c.official_name);
            }
            also.sort_unstable();
            also.dedup();
            json!({"code": c.iso3, "name": c.name, "also": also})
        })
        .collect();
    for (code, name) in [
        ("IGO", "Intergovernmental organisations"),
        ("NGO", "Non-governmental organisations"),
        ("IMG", "International militarised groups"),
        ("MNC", "Multinational corporations"),
    ] {
        rows.push(json!({"code": code, "name": name, "also": []}));
    }
    json!({ "countries": rows })
}

/// A document's title for listings: its own, else its URL's slug, else its
/// first sentence (cut at about 100 characters); and whether it was made up.
pub fn doc_title(
    title: Option<&str>,
    url: Option<&str>,
    record: Option<&Record>,
) -> (String, bool) {
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        return (t.to_string(), false);
    }
    if let Some(t) = url.and_then(annalist_ingest::slug::title_from_url) {
        return (t, true);
    }
    let first = record.and_then(|r| {
        let s = r.sentences.first()?;
        let text: String = r
            .text
            .chars()
            .skip(s.start)
            .take(s.end.saturating_sub(s.start))
            .collect();
        Some(shorten(text.trim(), 100))
    });
    (first.unwrap_or_default(), true)
}

/// `text` cut at a word boundary to about `max` characters, with an
/// ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|i| *i > max / 2).unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// A snippet of a document: around the first of `words` it contains, else
/// its beginning.
pub fn doc_snippet(record: &Record, words: Option<&str>, max: usize) -> String {
    let text = &record.text;
    let lower = text.to_lowercase();
    // Lowercasing may change byte lengths; only use a hit when it did not.
    let hit = words.filter(|_| lower.len() == text.len()).and_then(|w| {
        w.split_whitespace()
            .filter_map(|w| lower.find(&w.to_lowercase()))
            .min()
    });
    match hit {
        Some(i) => {
            let mut start = i.saturating_sub(max / 3);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let start = text[..start].rfind(' ').map_or(start, |s| s + 1);
            let body = shorten(&text[start..], max);
            if start > 0 {
                format!("…{body}")
            } else {
                body
            }
        }
        None => shorten(text, max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annalist_doc::record::{Event, Size, Span, Trigger};

    fn record(text: &str, trigger: &str) -> Record {
        let start = text[..text.find(trigger).unwrap()].chars().count();
        let mut r = Record::failed("d", "x", "");
        r.error = None;
        r.text = text.into();
        r.sentences = vec![Span {
            start: 0,
            end: text.chars().count(),
        }];
        r.events = vec![Event {
            id: "E1".into(),
            kind: "ASSAULT".into(),
            mode: None,
            contexts: vec![],
            cameo: None,
            quad_class: Some(4),
            intensity: None,
            source: vec![],
            target: vec![],
            trigger: Trigger {
                text: trigger.into(),
                start,
                end: start + trigger.chars().count(),
            },
            sentence: 0,
            modality: "asserted".into(),
            reported_by: None,
            location: None,
            date: None,
            date_source: None,
            size: Size::default(),
            confidence: 0.5,
        }];
        r
    }

    #[test]
    fn a_long_sentence_is_cut_between_words_around_its_trigger() {
        let words = "word ".repeat(60);
        let text = format!("{words}the troops shelled the town {words}");
        let r = record(&text, "shelled");
        let s = snippet(&r, "E1", 80).unwrap();
        let cut: Vec<char> = s["text"].as_str().unwrap().chars().collect();
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(cut[a..b].iter().collect::<String>(), "shelled");
        assert!(cut.len() <= 80);
        let text = s["text"].as_str().unwrap();
        assert!(text.starts_with("word") && text.ends_with("word"), "{text}");
        assert_eq!(s["cut_before"], true);
        assert_eq!(s["cut_after"], true);
        // A short sentence is whole; an unknown event has none.
        let r = record("Ünïcode troops shelled the town.", "shelled");
        let s = snippet(&r, "E1", 80).unwrap();
        assert_eq!(s["text"], "Ünïcode troops shelled the town.");
        assert_eq!(s["start"], 15);
        assert!(snippet(&r, "E9", 80).is_none());
    }

    #[test]
    fn titles_come_from_the_source_the_url_or_the_first_sentence() {
        assert_eq!(doc_title(Some(" T "), None, None), ("T".into(), false));
        let (t, derived) = doc_title(
            None,
            Some("https://example.org/news/12/Iran-and-Tajikistan-sign-pact"),
            None,
        );
        assert!(derived && t.contains("Tajikistan"), "{t}");
        let mut r = record("Troops shelled the town. Later more.", "shelled");
        r.sentences = vec![Span { start: 0, end: 24 }, Span { start: 25, end: 36 }];
        assert_eq!(
            doc_title(None, None, Some(&r)),
            ("Troops shelled the town.".into(), true)
        );
        assert_eq!(shorten("a b c", 10), "a b c");
        assert!(shorten(&"word ".repeat(40), 30).ends_with('…'));
    }

    #[test]
    fn country_centres_are_told_from_places() {
        assert_eq!(Precision::of(Some("PCLI"), 32.0, 53.0), Precision::Country);
        assert_eq!(Precision::of(Some("PPLC"), 35.69, 51.42), Precision::City);
        assert_eq!(Precision::of(Some("ADM1"), 35.0, 51.0), Precision::Admin);
    }
}
