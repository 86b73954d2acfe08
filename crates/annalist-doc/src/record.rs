//! The coded-document record, `annalist.record/1` (see `RECORD.md`).
//!
//! These types are the public contract: fields may be added, never renamed,
//! retyped or dropped. All offsets here are code-point offsets into `text`.

use crate::{CharIndex, Doc, EntityType, SCHEMA};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: String,
    pub doc_id: String,
    pub meta: RecordMeta,
    pub text: String,
    pub sentences: Vec<Span>,
    pub entities: Vec<Entity>,
    pub actors: Vec<Actor>,
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordError>,
    /// Non-fatal problems with the input (an extension of the contract).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordMeta {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub language: String,
    pub license: Option<String>,
    pub dateline: Option<RecordDateline>,
    /// The publisher's name as the text writes it, in a licence footer (an
    /// extension of the contract): an organisation named by the document
    /// that is metadata, never an entity, actor or event party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_mention: Option<RecordMention>,
    /// Where `title` came from when the source gave none (an extension of
    /// the contract): `url` for a title spelled from the URL's slug. Absent
    /// for a title the source gave, so that such records stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_source: Option<String>,
}

/// A name the text gives outside the entity layer (the publisher in a footer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordMention {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordDateline {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub place: Option<Place>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u64>,
    pub feature: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub actor: Option<String>,
    pub place: Option<Place>,
    /// A common-noun mention of an actor ("police"), not a name; absent
    /// when false. An extension of the shared contract (R-NOMINAL-ACTOR).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nominal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub sectors: Vec<String>,
    pub title: Option<String>,
    pub mentions: Vec<String>,
    pub cameo: Option<String>,
    pub wikidata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Size {
    pub dead: Option<u32>,
    pub injured: Option<u32>,
    pub arrested: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub contexts: Vec<String>,
    pub cameo: Option<String>,
    pub quad_class: Option<u8>,
    pub intensity: Option<f64>,
    pub source: Vec<String>,
    pub target: Vec<String>,
    pub trigger: Trigger,
    pub sentence: usize,
    pub modality: String,
    pub reported_by: Option<Trigger>,
    pub location: Option<Place>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub size: Size,
    pub confidence: f64,
}

/// Why a document could not be coded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordError {
    pub code: String,
    pub message: String,
}

impl Record {
    /// A record for input that could not be coded: empty lists and an error.
    pub fn failed(doc_id: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Record {
            schema: SCHEMA.to_string(),
            doc_id: doc_id.into(),
            meta: RecordMeta {
                language: "en".to_string(),
                ..RecordMeta::default()
            },
            text: String::new(),
            sentences: Vec::new(),
            entities: Vec::new(),
            actors: Vec::new(),
            events: Vec::new(),
            error: Some(RecordError {
                code: code.to_string(),
                message: message.into(),
            }),
            warnings: Vec::new(),
        }
    }
}

impl Doc {
    /// Builds the v1 record, converting byte offsets to code-point offsets.
    pub fn to_record(&self) -> Record {
        let idx = CharIndex::new(&self.text);
        let span = |a: usize, b: usize| Span {
            start: idx.char_of(a),
            end: idx.char_of(b),
        };
        let sentences = self
            .sentences
            .iter()
            .map(|s| {
                let r = self.token_range_span(s.tokens());
                span(r.start, r.end)
            })
            .collect();
        let entities = self
            .entities
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let r = self.token_range_span(e.start as usize..e.end as usize);
                Entity {
                    id: format!("T{}", k + 1),
                    kind: e.label,
                    text: self.text[r.clone()].to_string(),
                    start: idx.char_of(r.start),
                    end: idx.char_of(r.end),
                    sentence: self.sentence_of(e.start as usize).unwrap_or(0),
                    actor: self
                        .entity_actor
                        .get(k)
                        .copied()
                        .flatten()
                        .map(|a| format!("A{}", a + 1)),
                    place: self
                        .entity_place
                        .get(k)
                        .copied()
                        .flatten()
                        .and_then(|p| self.places.get(p as usize))
                        .map(|p| place(p, &idx)),
                    nominal: e.nominal,
                }
            })
            .collect();
        let m = &self.meta;
        Record {
            schema: SCHEMA.to_string(),
            doc_id: self.doc_id.clone(),
            meta: RecordMeta {
                title: m.title.clone(),
                url: m.url.clone(),
                publisher: m.publisher.clone(),
                published: m.published.clone(),
                language: m.language.clone(),
                license: m.license.clone(),
                dateline: m.dateline.as_ref().map(|d| RecordDateline {
                    text: d.text.clone(),
                    start: idx.char_of(d.span.start),
                    end: idx.char_of(d.span.end),
                    // The place resolved for the dateline's own mention.
                    place: self
                        .places
                        .iter()
                        .find(|p| p.span.as_ref() == Some(&d.span))
                        .map(|p| place(p, &idx)),
                }),
                publisher_mention: m
                    .publisher_span
                    .as_ref()
                    .filter(|r| r.end <= self.text.len())
                    .map(|r| RecordMention {
                        text: self.text[r.clone()].to_string(),
                        kind: EntityType::Org,
                        start: idx.char_of(r.start),
                        end: idx.char_of(r.end),
                    }),
                title_source: m.title_source.clone().filter(|_| m.title.is_some()),
            },
            text: self.text.clone(),
            sentences,
            entities,
            actors: self
                .actors
                .iter()
                .enumerate()
                .map(|(k, a)| Actor {
                    id: format!("A{}", k + 1),
                    name: a.name.clone(),
                    country: a.country.clone(),
                    sectors: a.sectors.clone(),
                    title: a.title.clone(),
                    mentions: a.mentions.iter().map(|m| format!("T{}", m + 1)).collect(),
                    cameo: a.cameo.clone(),
                    wikidata: a.wikidata.clone(),
                })
                .collect(),
            events: self
                .events
                .iter()
                .enumerate()
                .map(|(k, e)| self.event_record(k, e, &idx))
                .collect(),
            error: None,
            warnings: self.warnings.clone(),
        }
    }
}

/// Converts a doc place, its byte span to code points.
fn place(p: &crate::coded::Place, idx: &CharIndex<'_>) -> Place {
    Place {
        name: p.name.clone(),
        country: p.country.clone(),
        admin1: p.admin1.clone(),
        lat: p.lat,
        lon: p.lon,
        geonames_id: p.geonames_id,
        feature: p.feature.clone(),
        start: p.span.as_ref().map(|r| idx.char_of(r.start)),
        end: p.span.as_ref().map(|r| idx.char_of(r.end)),
    }
}

impl Doc {
    fn event_record(&self, k: usize, e: &crate::coded::Event, idx: &CharIndex<'_>) -> Event {
        let ids = |v: &[u32]| v.iter().map(|a| format!("A{}", a + 1)).collect();
        let trigger = |r: &std::ops::Range<usize>| Trigger {
            text: self.text.get(r.clone()).unwrap_or_default().to_string(),
            start: idx.char_of(r.start),
            end: idx.char_of(r.end),
        };
        Event {
            id: format!("E{}", k + 1),
            kind: e.kind.clone(),
            mode: e.mode.clone(),
            contexts: e.contexts.clone(),
            cameo: e.cameo.clone(),
            quad_class: e.quad_class,
            intensity: e.intensity,
            source: ids(&e.source),
            target: ids(&e.target),
            trigger: trigger(&e.trigger),
            sentence: e.sentence as usize,
            modality: e.modality.as_str().to_string(),
            reported_by: e.reported_by.as_ref().map(trigger),
            location: e
                .location
                .and_then(|p| self.places.get(p as usize))
                .map(|p| place(p, idx)),
            date: e.date.clone(),
            date_source: e.date_source.clone(),
            size: Size {
                dead: e.size.dead,
                injured: e.size.injured,
                arrested: e.size.arrested,
            },
            confidence: e.confidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Sentence, Tokens};

    #[test]
    fn record_offsets_are_code_points() {
        let mut doc = Doc::new("d1", "TEHRAN – Iran’s army");
        let mut t = Tokens::default();
        // "Iran’s" starts after "TEHRAN – " (9 chars, 11 bytes).
        t.push(0, 6, true);
        t.push(11, 15, false);
        doc.tokens = t;
        doc.sentences.push(Sentence { start: 0, end: 2 });
        doc.entities.push(crate::EntitySpan {
            start: 1,
            end: 2,
            label: EntityType::Loc,
            nominal: false,
        });
        let r = doc.to_record();
        assert_eq!(r.entities[0].start, 9);
        assert_eq!(r.entities[0].end, 13);
        assert_eq!(r.entities[0].text, "Iran");
        assert_eq!(r.sentences[0], Span { start: 0, end: 13 });
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["schema"], "annalist.record/1");
        assert!(json.get("error").is_none());
    }

    #[test]
    fn a_title_derived_from_the_url_is_flagged_and_a_given_one_is_not() {
        let mut doc = Doc::new("d", "The envoy met rebels.");
        doc.meta.title = Some("Envoy meets rebels".into());
        doc.meta.url = Some("https://example.com/world/envoy-meets-rebels".into());
        let given = serde_json::to_value(doc.to_record()).unwrap();
        assert!(given["meta"].get("title_source").is_none(), "{given}");
        doc.meta.title_source = Some("url".to_string());
        let derived = serde_json::to_value(doc.to_record()).unwrap();
        assert_eq!(derived["meta"]["title_source"], "url");
        // A source without a title (none could be derived) flags nothing.
        doc.meta.title = None;
        let none = serde_json::to_value(doc.to_record()).unwrap();
        assert!(none["meta"].get("title_source").is_none(), "{none}");
    }

    #[test]
    fn actors_and_events_get_ids_and_code_point_spans() {
        use crate::coded::{Actor as DocActor, Event as DocEvent, Modality, Place as DocPlace};
        let text = "Iran’s envoy met Tajik officials in Dushanbe.";
        let mut doc = Doc::new("d", text);
        let at = |s: &str| text.find(s).unwrap()..text.find(s).unwrap() + s.len();
        doc.actors.push(DocActor {
            name: "Iran".into(),
            country: Some("IRN".into()),
            span: at("Iran"),
            ..DocActor::default()
        });
        doc.actors.push(DocActor {
            name: "Tajik officials".into(),
            country: Some("TJK".into()),
            span: at("Tajik officials"),
            ..DocActor::default()
        });
        doc.places.push(DocPlace {
            name: "Dushanbe".into(),
            country: Some("TJK".into()),
            admin1: None,
            lat: 38.5,
            lon: 68.8,
            geonames_id: Some(1221874),
            feature: Some("PPLC".into()),
            span: Some(at("Dushanbe")),
        });
        doc.events.push(DocEvent {
            kind: "CONSULT".into(),
            mode: None,
            contexts: vec![],
            cameo: Some("040".into()),
            quad_class: Some(1),
            intensity: Some(2.5),
            source: vec![0],
            target: vec![1],
            trigger: at("met"),
            sentence: 0,
            modality: Modality::Asserted,
            reported_by: None,
            location: Some(0),
            date: None,
            date_source: None,
            size: Default::default(),
            confidence: 0.8,
            decided_by: Vec::new(),
        });
        let r = doc.to_record();
        assert_eq!(r.actors[1].id, "A2");
        let e = &r.events[0];
        assert_eq!(
            (e.id.as_str(), e.source.as_slice(), e.target.as_slice()),
            ("E1", &["A1".to_string()][..], &["A2".to_string()][..])
        );
        assert_eq!(e.trigger.text, "met");
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            chars[e.trigger.start..e.trigger.end]
                .iter()
                .collect::<String>(),
            "met"
        );
        let loc = e.location.as_ref().unwrap();
        assert_eq!(
            chars[loc.start.unwrap()..loc.end.unwrap()]
                .iter()
                .collect::<String>(),
            "Dushanbe"
        );
    }
}
