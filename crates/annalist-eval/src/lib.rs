//! Scoring Annalist's records against gold data.
//!
//! The scorers take parsed gold data and the records Annalist produced for the
//! same texts; they do no IO and run no pipeline, so the same code scores a
//! run of `annalist code` saved earlier or one made on the fly by
//! `annalist eval events`.
//!
//! - [`news`]: the hand-coded news gold of `GUIDELINE.md` (events matched by
//!   type or alternative type and dyad countries; precision counts unmatched
//!   system events unless they match an optional gold event; recall counts
//!   required gold events), with sector, location, modality and actor-country
//!   figures.
//! - [`plover`]: PLOVER gold sentences (one gold event per sentence).

pub mod news;
pub mod plover;

use annalist_doc::record::{Event, Record};
use std::collections::BTreeMap;

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Prf {
    pub correct_predicted: usize,
    pub predicted: usize,
    pub correct_gold: usize,
    pub gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.correct_predicted, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct_gold, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// `a / b`, or 0 when `b` is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A count of hits among trials, for accuracies.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn add(&mut self, ok: bool) {
        self.total += 1;
        self.correct += usize::from(ok);
    }
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

/// Event types whose source and target may be swapped when matching.
pub const SYMMETRIC_TYPES: [&str; 3] = ["CONSULT", "AGREE", "COOPERATE"];

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6371.0088;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().asin()
}

/// The countries of an event's source or target actors, in order.
pub fn actor_countries(record: &Record, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| record.actors.iter().find(|a| &a.id == id))
        .filter_map(|a| a.country.clone())
        .collect()
}

/// The sectors of an event's source or target actors.
pub fn actor_sectors(record: &Record, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| record.actors.iter().find(|a| &a.id == id))
        .flat_map(|a| a.sectors.iter().cloned())
        .collect()
}

/// Per-type tallies, ordered by type name for stable output.
pub type PerType = BTreeMap<String, Prf>;

/// A system event with its resolved dyad, as the scorers see it.
#[derive(Debug, Clone)]
pub struct SysEvent<'a> {
    pub event: &'a Event,
    pub source: Vec<String>,
    pub target: Vec<String>,
}

impl<'a> SysEvent<'a> {
    pub fn all(record: &'a Record) -> Vec<SysEvent<'a>> {
        record
            .events
            .iter()
            .map(|e| SysEvent {
                event: e,
                source: actor_countries(record, &e.source),
                target: actor_countries(record, &e.target),
            })
            .collect()
    }
}

/// Whether the dyad `(source, target)` of a system event equals a gold dyad;
/// `gold_target` is `None` where gold has no recipient.
pub fn dyad_matches(
    sys: &SysEvent<'_>,
    gold_source: &str,
    gold_target: Option<&str>,
    symmetric: bool,
) -> bool {
    let has = |list: &[String], c: &str| list.iter().any(|x| plover::code_matches(Some(x), c));
    let straight = has(&sys.source, gold_source)
        && match gold_target {
            Some(t) => has(&sys.target, t),
            None => sys.target.is_empty(),
        };
    let swapped = symmetric
        && match gold_target {
            Some(t) => has(&sys.source, t) && has(&sys.target, gold_source),
            None => false,
        };
    // A symmetric event coded as one compound source ("Iran and Tajikistan
    // agreed") has both countries on the source side.
    let compound = symmetric
        && gold_target.is_some_and(|t| has(&sys.source, t) && has(&sys.source, gold_source));
    straight || swapped || compound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_is_sane() {
        let d = haversine_km(35.6892, 51.3890, 38.5598, 68.7870);
        assert!((d - 1550.0).abs() < 60.0, "{d}");
        assert_eq!(haversine_km(1.0, 2.0, 1.0, 2.0), 0.0);
    }

    #[test]
    fn prf_handles_zeroes() {
        let p = Prf::default();
        assert_eq!((p.precision(), p.recall(), p.f1()), (0.0, 0.0, 0.0));
        let p = Prf {
            correct_predicted: 1,
            predicted: 2,
            correct_gold: 1,
            gold: 4,
        };
        assert!((p.f1() - 1.0 / 3.0).abs() < 1e-9);
    }
}

#[cfg(test)]
mod scorer_tests {
    use super::*;
    use annalist_doc::record::{Actor, Size, Trigger};

    fn actor(id: &str, name: &str, country: &str) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
            country: Some(country.into()),
            sectors: vec!["GOV".into()],
            title: None,
            mentions: vec![],
            cameo: None,
            wikidata: None,
        }
    }

    fn event(kind: &str, src: &str, tgt: &str) -> Event {
        Event {
            id: "E1".into(),
            kind: kind.into(),
            mode: None,
            contexts: vec![],
            cameo: None,
            quad_class: None,
            intensity: None,
            source: vec![src.into()],
            target: if tgt.is_empty() {
                vec![]
            } else {
                vec![tgt.into()]
            },
            trigger: Trigger {
                text: "met".into(),
                start: 0,
                end: 3,
            },
            sentence: 0,
            modality: "asserted".into(),
            reported_by: None,
            location: None,
            date: None,
            date_source: None,
            size: Size::default(),
            confidence: 0.5,
        }
    }

    fn record(events: Vec<Event>) -> Record {
        let mut r = Record::failed("d", "x", "y");
        r.error = None;
        r.actors = vec![
            actor("A1", "Ali Zand", "IRN"),
            actor("A2", "Rustam Oripov", "TJK"),
        ];
        r.events = events;
        r
    }

    #[test]
    fn issue6_news_scoring_follows_the_guideline() {
        let gold: news::GoldDoc = serde_json::from_str(
            r#"{"doc_id": "g", "text": "t", "actors": [
                {"name": "Ali Zand", "country": "IRN"}, {"name": "Rustam Oripov, envoy", "country": "UZB"}],
              "events": [
                {"type": "CONSULT", "alt_types": [], "source": {"country": "TJK"}, "target": {"country": "IRN"},
                 "symmetric": true, "modality": "asserted", "location": null, "required": true, "evidence": "met"},
                {"type": "AID", "alt_types": [], "source": {"country": "IRN"}, "target": {"country": "TJK"},
                 "symmetric": false, "modality": "asserted", "location": null, "required": true, "evidence": "gave"},
                {"type": "SUPPORT", "alt_types": [], "source": {"country": "IRN"}, "target": {"country": "TJK"},
                 "symmetric": false, "modality": "asserted", "location": null, "required": false, "evidence": "hailed"}]}"#,
        )
        .unwrap();
        // CONSULT swapped (symmetric: a match), SUPPORT (optional: not an error),
        // ACCUSE (spurious), and the AID event missed.
        let rec = record(vec![
            event("CONSULT", "A1", "A2"),
            event("SUPPORT", "A1", "A2"),
            event("ACCUSE", "A2", "A1"),
        ]);
        let mut report = news::NewsReport::default();
        news::score_doc(&gold, &rec, &mut report);
        assert_eq!(
            (report.events.correct_predicted, report.events.predicted),
            (2, 3)
        );
        assert_eq!((report.events.correct_gold, report.events.gold), (1, 2));
        assert_eq!(
            (report.actor_country.correct, report.actor_country.total),
            (1, 2)
        );
        assert_eq!(report.event_misses.len(), 1);
        insta::assert_snapshot!(news::format_report(&report));
    }

    #[test]
    fn issue6_plover_sentence_scoring() {
        let gold: plover::GoldSentence = serde_json::from_str(
            r#"{"id": "s1", "text": "Iran and Tajikistan agreed.", "event": "AGREE",
                "source": [{"text": "Iran", "code": "IRN"}], "target": [{"text": "Tajikistan", "code": "TJK"}]}"#,
        )
        .unwrap();
        let mut report = plover::PloverReport::default();
        plover::score_sentence(
            &gold,
            &record(vec![event("AGREE", "A2", "A1")]),
            &mut report,
        );
        plover::score_sentence(
            &gold,
            &record(vec![event("REJECT", "A1", "A2")]),
            &mut report,
        );
        assert_eq!(
            (report.event_type.correct, report.type_and_dyad.correct),
            (1, 1)
        );
        assert_eq!(report.spurious, 1);
    }
}
