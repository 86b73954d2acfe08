//! Scoring against PLOVER gold sentences (`gsr_dev.jsonl`): one gold event
//! per sentence, with the source and target actors' texts and codes.

use crate::{dyad_matches, Accuracy, SysEvent, SYMMETRIC_TYPES};
use annalist_doc::record::Record;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct GoldActor {
    pub text: String,
    pub code: Option<String>,
    pub sector: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldSentence {
    pub id: String,
    pub text: String,
    pub event: String,
    #[serde(default)]
    pub source: Vec<GoldActor>,
    #[serde(default)]
    pub target: Vec<GoldActor>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PloverReport {
    pub sentences: usize,
    /// The system's primary event has the gold type.
    pub event_type: Accuracy,
    /// The primary event has the gold type and the gold dyad countries.
    pub type_and_dyad: Accuracy,
    /// System events beyond the one matching gold (or all, when none does).
    pub spurious: usize,
    /// Gold source and target actors whose text the system resolved to the gold country.
    pub actor_country: Accuracy,
    /// Per gold type: type accuracy.
    pub per_type: BTreeMap<String, Accuracy>,
    pub misses: Vec<String>,
    /// Gold actors resolved to another country (or none): "id: text gold→system".
    #[serde(skip)]
    pub actor_misses: Vec<String>,
}

impl PloverReport {
    pub fn spurious_per_sentence(&self) -> f64 {
        crate::ratio(self.spurious, self.sentences)
    }
}

/// Whether a system code stands for a gold code. PLOVER's gold sentences code
/// every intergovernmental organisation `IGO`, while the record contract gives
/// the UN and the EU their own codes (`UNO`, `EUR`) inside that class.
pub fn code_matches(system: Option<&str>, gold: &str) -> bool {
    match system {
        Some(s) if s == gold => true,
        Some("UNO" | "EUR") => gold == "IGO",
        _ => false,
    }
}

/// The system actor whose mentions cover the gold actor's text best; failing
/// that, one whose name or title ends the gold text ("U.S. negotiator" is the
/// actor titled "negotiator").
fn country_of_text(record: &Record, text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let last = lower.split_whitespace().last().unwrap_or("").to_string();
    record
        .entities
        .iter()
        .filter(|e| e.actor.is_some() && lower.contains(&e.text.to_lowercase()))
        .max_by_key(|e| e.text.len())
        .and_then(|e| {
            record
                .actors
                .iter()
                .find(|a| Some(&a.id) == e.actor.as_ref())
        })
        .and_then(|a| a.country.clone())
        .or_else(|| {
            record
                .actors
                .iter()
                .find(|a| lower.contains(&a.name.to_lowercase()))
                .and_then(|a| a.country.clone())
        })
        .or_else(|| {
            record
                .actors
                .iter()
                .find(|a| {
                    !last.is_empty()
                        && a.title
                            .as_deref()
                            .and_then(|t| {
                                t.to_lowercase().split_whitespace().last().map(String::from)
                            })
                            .is_some_and(|t| t == last)
                })
                .and_then(|a| a.country.clone())
        })
}

/// Scores one sentence's record against its gold, adding to `report`.
pub fn score_sentence(gold: &GoldSentence, record: &Record, report: &mut PloverReport) {
    report.sentences += 1;
    let sys = SysEvent::all(record);
    let symmetric = SYMMETRIC_TYPES.contains(&gold.event.as_str());
    let src = gold.source.first().and_then(|a| a.code.as_deref());
    let tgt = gold.target.first().and_then(|a| a.code.as_deref());
    let dyad_ok = |s: &SysEvent<'_>| src.is_some_and(|src| dyad_matches(s, src, tgt, symmetric));
    // The primary event: one of the gold type if there is one (best dyad
    // first), else the most confident.
    let primary = sys
        .iter()
        .filter(|s| s.event.kind == gold.event)
        .max_by_key(|s| dyad_ok(s))
        .or_else(|| {
            sys.iter()
                .max_by(|a, b| a.event.confidence.total_cmp(&b.event.confidence))
        });
    let type_ok = primary.is_some_and(|p| p.event.kind == gold.event);
    let both_ok = type_ok && primary.is_some_and(dyad_ok);
    report.event_type.add(type_ok);
    report
        .per_type
        .entry(gold.event.clone())
        .or_default()
        .add(type_ok);
    report.type_and_dyad.add(both_ok);
    report.spurious += sys.len().saturating_sub(usize::from(type_ok));
    if !both_ok {
        report.misses.push(format!(
            "{}: gold {} {}→{}; system {}",
            gold.id,
            gold.event,
            src.unwrap_or("?"),
            tgt.unwrap_or("-"),
            primary.map_or("no event".to_string(), |p| format!(
                "{} {}→{}",
                p.event.kind,
                p.source.join("+"),
                p.target.join("+")
            ))
        ));
    }
    for a in gold.source.iter().chain(&gold.target) {
        if let Some(code) = &a.code {
            let got = country_of_text(record, &a.text);
            let ok = code_matches(got.as_deref(), code);
            report.actor_country.add(ok);
            if !ok {
                report.actor_misses.push(format!(
                    "{}: {:?} gold {} system {}",
                    gold.id,
                    a.text,
                    code,
                    got.as_deref().unwrap_or("-")
                ));
            }
        }
    }
}

pub fn format_report(r: &PloverReport) -> String {
    let mut s = format!(
        "sentences {}\nevent type      {:.3} ({}/{})\ntype + dyad     {:.3} ({}/{})\nspurious/sent   {:.3}\nactor country   {:.3} ({}/{})\nper gold type:\n",
        r.sentences,
        r.event_type.value(),
        r.event_type.correct,
        r.event_type.total,
        r.type_and_dyad.value(),
        r.type_and_dyad.correct,
        r.type_and_dyad.total,
        r.spurious_per_sentence(),
        r.actor_country.value(),
        r.actor_country.correct,
        r.actor_country.total,
    );
    for (t, a) in &r.per_type {
        s.push_str(&format!(
            "  {t:<10} {:.3} ({}/{})\n",
            a.value(),
            a.correct,
            a.total
        ));
    }
    s
}
