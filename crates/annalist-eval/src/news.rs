//! Scoring against the hand-coded news gold (`GUIDELINE.md`).

use crate::{
    actor_sectors, dyad_matches, haversine_km, Accuracy, PerType, Prf, SysEvent, SYMMETRIC_TYPES,
};
use annalist_doc::record::Record;
use serde::Deserialize;

/// A gold actor or dyad side: country and acceptable sectors.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSide {
    pub country: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldLocation {
    pub name: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub alt_types: Vec<String>,
    pub source: GoldSide,
    pub target: Option<GoldSide>,
    #[serde(default)]
    pub symmetric: bool,
    pub modality: Option<String>,
    pub location: Option<GoldLocation>,
    pub date: Option<String>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldActor {
    pub name: String,
    pub country: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// One gold document: the article and what a careful coder records.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    pub doc_id: String,
    pub text: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub license: Option<String>,
    pub published: Option<String>,
    #[serde(default)]
    pub actors: Vec<GoldActor>,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

/// What the news scorer measured.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NewsReport {
    pub events: Prf,
    pub per_type: PerType,
    /// Source sector within the gold's acceptable sectors, on matched pairs.
    pub sector: Accuracy,
    /// Location within 161 km (or both unknown), on matched pairs.
    pub location: Accuracy,
    pub modality: Accuracy,
    /// Event date equal to gold, on matched pairs where gold has a date.
    pub date: Accuracy,
    /// Gold actors found among the system's actors with the gold country.
    pub actor_country: Accuracy,
    /// Gold actors missed or given another country: `doc: name (gold → system)`.
    pub actor_misses: Vec<String>,
    /// Required gold events not found: `doc: TYPE SRC→TGT "evidence"`.
    pub event_misses: Vec<String>,
    /// Matched events placed wrongly: "doc: TYPE gold PLACE system PLACE".
    #[serde(skip)]
    pub location_misses: Vec<String>,
    /// Matched events dated wrongly: "doc: TYPE gold DATE system DATE".
    #[serde(skip)]
    pub date_misses: Vec<String>,
    /// System events that match no gold event: "doc: TYPE SRC→TGT trigger".
    #[serde(skip)]
    pub spurious: Vec<String>,
}

fn type_ok(sys_type: &str, gold: &GoldEvent) -> bool {
    sys_type == gold.kind || gold.alt_types.iter().any(|t| t == sys_type)
}

fn event_matches(sys: &SysEvent<'_>, gold: &GoldEvent) -> bool {
    let Some(src) = gold.source.country.as_deref() else {
        return false;
    };
    let symmetric = gold.symmetric || SYMMETRIC_TYPES.contains(&gold.kind.as_str());
    type_ok(&sys.event.kind, gold)
        && dyad_matches(
            sys,
            src,
            gold.target.as_ref().and_then(|t| t.country.as_deref()),
            symmetric,
        )
}

/// Content words of a name, for matching gold actors to system actors.
fn name_words(name: &str) -> Vec<String> {
    let head = name.split([',', '(']).next().unwrap_or(name);
    head.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.len() > 2 && w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_lowercase)
        .collect()
}

/// Scores one document's record against its gold, adding to `report`.
pub fn score_doc(gold: &GoldDoc, record: &Record, report: &mut NewsReport) {
    let sys = SysEvent::all(record);
    let mut used = vec![false; sys.len()];
    // Required events first, so that an optional gold event never takes the
    // system event a required one needs.
    let mut order: Vec<usize> = (0..gold.events.len()).collect();
    order.sort_by_key(|&i| !gold.events[i].required);
    for gi in order {
        let g = &gold.events[gi];
        if g.required {
            report.events.gold += 1;
            report.per_type.entry(g.kind.clone()).or_default().gold += 1;
        }
        // Prefer a system event of the gold's own type over an alternative type.
        let pick = (0..sys.len())
            .filter(|&s| !used[s] && event_matches(&sys[s], g))
            .min_by_key(|&s| sys[s].event.kind != g.kind);
        match pick {
            Some(s) => {
                used[s] = true;
                if g.required {
                    report.events.correct_gold += 1;
                    report
                        .per_type
                        .entry(g.kind.clone())
                        .or_default()
                        .correct_gold += 1;
                }
                let e = sys[s].event;
                report.events.correct_predicted += 1;
                report
                    .per_type
                    .entry(e.kind.clone())
                    .or_default()
                    .correct_predicted += 1;
                let sectors = actor_sectors(record, &e.source);
                if !g.source.sectors.is_empty() {
                    report
                        .sector
                        .add(sectors.iter().any(|s| g.source.sectors.contains(s)));
                }
                let loc_ok = match (&g.location, &e.location) {
                    (None, None) => true,
                    (Some(gl), Some(p)) => match (gl.lat, gl.lon) {
                        (Some(la), Some(lo)) => haversine_km(la, lo, p.lat, p.lon) <= 161.0,
                        // A gold place given by name only ("Dushanbe", TJK) is
                        // matched by name and country.
                        _ => {
                            gl.name
                                .as_deref()
                                .is_some_and(|n| n.eq_ignore_ascii_case(&p.name))
                                && gl
                                    .country
                                    .as_deref()
                                    .is_none_or(|c| p.country.as_deref() == Some(c))
                        }
                    },
                    _ => false,
                };
                report.location.add(loc_ok);
                // "doc: TYPE gold X system Y", for the misses lists.
                let miss = |gold_value: &str, system: &str| {
                    format!(
                        "{}: {} gold {} system {}",
                        gold.doc_id, g.kind, gold_value, system
                    )
                };
                if !loc_ok {
                    report.location_misses.push(miss(
                        g.location
                            .as_ref()
                            .and_then(|l| l.name.as_deref())
                            .unwrap_or("-"),
                        e.location.as_ref().map_or("-", |p| p.name.as_str()),
                    ));
                }
                if let Some(m) = &g.modality {
                    report.modality.add(&e.modality == m);
                }
                if let Some(d) = &g.date {
                    let ok = e.date.as_deref() == Some(d.as_str());
                    report.date.add(ok);
                    if !ok {
                        report
                            .date_misses
                            .push(miss(d, e.date.as_deref().unwrap_or("-")));
                    }
                }
            }
            None if g.required => report.event_misses.push(format!(
                "{}: {} {}→{} \"{}\"",
                gold.doc_id,
                g.kind,
                g.source.country.as_deref().unwrap_or("?"),
                g.target
                    .as_ref()
                    .and_then(|t| t.country.as_deref())
                    .unwrap_or("-"),
                g.evidence
            )),
            None => {}
        }
    }
    for (s, e) in sys.iter().enumerate() {
        report.events.predicted += 1;
        report
            .per_type
            .entry(e.event.kind.clone())
            .or_default()
            .predicted += 1;
        if !used[s] {
            let sent = record.sentences.get(e.event.sentence);
            let text: String = sent
                .map(|x| {
                    record
                        .text
                        .chars()
                        .skip(x.start)
                        .take(x.end - x.start)
                        .collect()
                })
                .unwrap_or_default();
            report.spurious.push(format!(
                "{}: {} {}→{} {:?} in: {}",
                gold.doc_id,
                e.event.kind,
                e.source.join("+"),
                e.target.join("+"),
                e.event.trigger.text,
                text
            ));
        }
    }
    for ga in &gold.actors {
        let words = name_words(&ga.name);
        let best = record
            .actors
            .iter()
            .map(|a| {
                // The actor's name and the names its mentions give it
                // ("Turkey" for the actor named "Türkiye").
                let mut aw = name_words(&a.name);
                for m in &a.mentions {
                    if let Some(e) = record.entities.iter().find(|e| &e.id == m) {
                        aw.extend(name_words(&e.text));
                    }
                }
                (words.iter().filter(|w| aw.contains(w)).count(), a)
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, _)| *n)
            .map(|(_, a)| a);
        let ok = best.is_some_and(|a| a.country == ga.country);
        report.actor_country.add(ok);
        if !ok {
            report.actor_misses.push(format!(
                "{}: {} ({} → {})",
                gold.doc_id,
                ga.name,
                ga.country.as_deref().unwrap_or("null"),
                best.map_or("not found".to_string(), |a| a
                    .country
                    .clone()
                    .unwrap_or("null".into()))
            ));
        }
    }
}

/// Formats the report as the table `annalist eval events` prints.
pub fn format_report(r: &NewsReport) -> String {
    let mut s = String::new();
    let e = &r.events;
    s.push_str(&format!(
        "events  P {:.3} ({}/{})  R {:.3} ({}/{})  F1 {:.3}\n",
        e.precision(),
        e.correct_predicted,
        e.predicted,
        e.recall(),
        e.correct_gold,
        e.gold,
        e.f1()
    ));
    s.push_str("per type (P over system events of the type, R over required gold of the type):\n");
    for (t, p) in &r.per_type {
        s.push_str(&format!(
            "  {t:<10} P {:.3} ({}/{})  R {:.3} ({}/{})\n",
            p.precision(),
            p.correct_predicted,
            p.predicted,
            p.recall(),
            p.correct_gold,
            p.gold
        ));
    }
    for (name, a) in [
        ("sector", &r.sector),
        ("location@161km", &r.location),
        ("modality", &r.modality),
        ("date", &r.date),
        ("actor country", &r.actor_country),
    ] {
        s.push_str(&format!(
            "{name:<15} {:.3} ({}/{})\n",
            a.value(),
            a.correct,
            a.total
        ));
    }
    if !r.event_misses.is_empty() {
        s.push_str("missed required events:\n");
        for m in &r.event_misses {
            s.push_str(&format!("  {m}\n"));
        }
    }
    if !r.actor_misses.is_empty() {
        s.push_str("actor country misses:\n");
        for m in &r.actor_misses {
            s.push_str(&format!("  {m}\n"));
        }
    }
    s
}
