//! Synthetic records for the store tests, written in our own words.

#![allow(dead_code)]

use annalist_doc::record::{Actor, Entity, Event, Place, RecordMeta, Size, Span, Trigger};
use annalist_doc::{EntityType, Record, SCHEMA};

/// A place by name, country and coordinates.
pub fn place(name: &str, country: &str, lat: f64, lon: f64) -> Place {
    Place {
        name: name.into(),
        country: Some(country.into()),
        admin1: None,
        lat,
        lon,
        geonames_id: None,
        feature: Some("PPL".into()),
        start: None,
        end: None,
    }
}

pub fn kandahar() -> Place {
    place("Kandahar", "AFG", 31.61, 65.71)
}

/// One event of a synthetic article.
pub struct Ev {
    pub kind: &'static str,
    pub cameo: &'static str,
    pub src: (&'static str, Option<&'static str>, &'static str),
    pub tgt: Option<(&'static str, Option<&'static str>, &'static str)>,
    pub trigger: &'static str,
    pub date: Option<&'static str>,
    pub place: Option<Place>,
    pub modality: &'static str,
}

impl Ev {
    pub fn new(kind: &'static str, cameo: &'static str, trigger: &'static str) -> Ev {
        Ev {
            kind,
            cameo,
            src: ("Iran", Some("IRN"), "GOV"),
            tgt: Some(("Tajikistan", Some("TJK"), "GOV")),
            trigger,
            date: None,
            place: None,
            modality: "asserted",
        }
    }
}

/// A one-sentence-per-event article: `sentences[k]` reports `events[k]`.
pub fn article(
    doc_id: &str,
    publisher: &str,
    published: &str,
    sentences: &[&str],
    events: Vec<Ev>,
) -> Record {
    let mut text = String::new();
    let mut spans = Vec::new();
    for s in sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.chars().count();
        text.push_str(s);
        spans.push(Span {
            start,
            end: text.chars().count(),
        });
    }
    let mut actors: Vec<Actor> = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut actor_id = |name: &str, country: Option<&str>, sector: &str, sentence: usize| {
        if let Some(a) = actors.iter().find(|a| a.name == name) {
            return a.id.clone();
        }
        let id = format!("A{}", actors.len() + 1);
        let eid = format!("T{}", entities.len() + 1);
        let sent: &str = sentences[sentence];
        let base = spans[sentence].start;
        let (start, len) = sent.find(name).map_or((base, 0), |b| {
            (base + sent[..b].chars().count(), name.chars().count())
        });
        entities.push(Entity {
            id: eid.clone(),
            kind: EntityType::Org,
            text: name.into(),
            start,
            end: start + len,
            sentence,
            actor: Some(id.clone()),
            place: None,
            nominal: false,
        });
        actors.push(Actor {
            id: id.clone(),
            name: name.into(),
            country: country.map(Into::into),
            sectors: vec![sector.into()],
            title: None,
            mentions: vec![eid],
            cameo: None,
            wikidata: None,
        });
        id
    };
    let mut out_events = Vec::new();
    for (k, e) in events.into_iter().enumerate() {
        let src = actor_id(e.src.0, e.src.1, e.src.2, k);
        let tgt = e.tgt.map(|t| actor_id(t.0, t.1, t.2, k));
        let sent: &str = sentences[k];
        let tstart = spans[k].start
            + sent
                .find(e.trigger)
                .map_or(0, |b| sent[..b].chars().count());
        out_events.push(Event {
            id: format!("E{}", k + 1),
            kind: e.kind.into(),
            mode: None,
            contexts: vec![],
            cameo: Some(e.cameo.into()),
            quad_class: Some(if e.kind == "ASSAULT" || e.kind == "COERCE" {
                4
            } else {
                1
            }),
            intensity: Some(if e.kind == "ASSAULT" || e.kind == "COERCE" {
                -9.0
            } else {
                1.0
            }),
            source: vec![src],
            target: tgt.into_iter().collect(),
            trigger: Trigger {
                text: e.trigger.into(),
                start: tstart,
                end: tstart + e.trigger.chars().count(),
            },
            sentence: k,
            modality: e.modality.into(),
            reported_by: None,
            location: e.place,
            date: Some(e.date.unwrap_or(published).to_string()),
            date_source: Some(
                if e.date.is_some() {
                    "text"
                } else {
                    "published"
                }
                .into(),
            ),
            size: Size::default(),
            confidence: 0.8,
        });
    }
    Record {
        schema: SCHEMA.into(),
        doc_id: doc_id.into(),
        meta: RecordMeta {
            title: Some(sentences[0].chars().take(40).collect()),
            url: Some(format!(
                "https://{}/news/{doc_id}",
                publisher.to_lowercase().replace(' ', "-")
            )),
            publisher: Some(publisher.into()),
            published: Some(published.into()),
            language: "en".into(),
            license: None,
            dateline: None,
            publisher_mention: None,
            title_source: None,
        },
        text,
        sentences: spans,
        entities,
        actors,
        events: out_events,
        error: None,
        warnings: vec![],
    }
}

/// An article without events.
pub fn plain(doc_id: &str, text: &str) -> Record {
    Record {
        schema: SCHEMA.into(),
        doc_id: doc_id.into(),
        meta: RecordMeta {
            language: "en".into(),
            ..RecordMeta::default()
        },
        text: text.into(),
        sentences: vec![Span {
            start: 0,
            end: text.chars().count(),
        }],
        entities: vec![],
        actors: vec![],
        events: vec![],
        error: None,
        warnings: vec![],
    }
}

/// The kidnapping of one aid worker, reported by five outlets in five
/// different wordings, on the day and the day after.
pub fn five_reports() -> Vec<Record> {
    let gunmen = ("armed men", Some("AFG"), "REB");
    let worker = Some(("aid worker", Some("FRA"), "NGO"));
    let ev = |trigger: &'static str,
              date: Option<&'static str>,
              place: Option<annalist_doc::record::Place>| Ev {
        kind: "COERCE",
        cameo: "181",
        src: gunmen,
        tgt: worker,
        trigger,
        date,
        place,
        modality: "asserted",
    };
    vec![
        article(
            "k1",
            "Kabul Daily",
            "2022-05-16",
            &["Gunmen abducted a French aid worker in the southern city of Kandahar on Monday, police said."],
            vec![ev("abducted", None, Some(kandahar()))],
        ),
        article(
            "k2",
            "Wire One",
            "2022-05-17",
            &["A French humanitarian worker was kidnapped by armed men in Kandahar, officials said on Tuesday."],
            vec![ev("kidnapped", Some("2022-05-16"), Some(kandahar()))],
        ),
        article(
            "k3",
            "Herald",
            "2022-05-17",
            &["Unidentified militants seized a French aid worker from a car in Kandahar city."],
            vec![ev("seized", None, None)],
        ),
        article(
            "k4",
            "Wire One",
            "2022-05-16",
            &["Kidnappers took a French NGO worker in Kandahar on Monday."],
            vec![ev("took", Some("2022-05-16"), Some(place("Kandahar city", "AFG", 31.62, 65.72)))],
        ),
        article(
            "k5",
            "Paris Evening",
            "2022-05-18",
            &["Paris condemned the abduction of a French aid worker in Kandahar and demanded his release."],
            vec![ev("abduction", Some("2022-05-16"), None)],
        ),
    ]
}
