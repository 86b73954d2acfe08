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
                    actor: None,
                    place: None,
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
                    place: None,
                }),
            },
            text: self.text.clone(),
            sentences,
            entities,
            actors: Vec::new(),
            events: Vec::new(),
            error: None,
            warnings: self.warnings.clone(),
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
}
