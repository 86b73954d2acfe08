//! What the coding stages add to a [`Doc`](crate::Doc): actors, places and
//! events. Offsets are byte offsets into `Doc::text`, as everywhere inside a
//! doc; [`Doc::to_record`](crate::Doc::to_record) converts them.

use std::ops::Range;

/// One real-world actor, its mentions merged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actor {
    pub name: String,
    /// ISO 3166-1 alpha-3, or a PLOVER non-state code (`IGO`, `NGO`, `IMG`, ...).
    pub country: Option<String>,
    /// PLOVER sector codes, most specific first.
    pub sectors: Vec<String>,
    pub title: Option<String>,
    /// Indices into `Doc::entities` of the mentions of this actor.
    pub mentions: Vec<u32>,
    pub cameo: Option<String>,
    pub wikidata: Option<String>,
    /// Byte span of the actor's main (first, fullest) mention: an actor found
    /// without a named entity ("the Tajik defense minister") still points back
    /// at the text that supports it.
    pub span: Range<usize>,
    /// The resolver passes that found the actor and gave it its country and
    /// sectors, in the order they ran (ids of `annalist-actors/passes.toml`,
    /// "A-PERSON", "A-TITLE", "R-COUNTRY-RANKED"): what `annalist explain`
    /// prints. Not part of the record.
    pub decided_by: Vec<&'static str>,
}

impl Actor {
    /// Notes that pass `id` decided something of the actor (once).
    pub fn decided(&mut self, id: &'static str) {
        if !self.decided_by.contains(&id) {
            self.decided_by.push(id);
        }
    }

    /// Whether the actor is a group or institution named by common nouns
    /// ("police", R-NOMINAL-ACTOR): its mentions are nominal, and a
    /// nominal mention never joins a named actor.
    pub fn is_nominal(&self, entities: &[crate::EntitySpan]) -> bool {
        self.mentions
            .first()
            .and_then(|&m| entities.get(m as usize))
            .is_some_and(|e| e.nominal)
    }

    /// Whether the actor stands for a country alone ("Iran", "the Iranian
    /// side"): no sectors, and first mentioned by a place or a nationality.
    /// Such an actor is the one every bare mention of its country joins.
    pub fn is_country_level(&self, entities: &[crate::EntitySpan]) -> bool {
        self.sectors.is_empty()
            && self.mentions.first().is_some_and(|&m| {
                entities.get(m as usize).is_some_and(|e| {
                    matches!(e.label, crate::EntityType::Loc | crate::EntityType::Norp)
                })
            })
    }
}

/// A resolved place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u64>,
    pub feature: Option<String>,
    /// The mention it was resolved from; `None` where it was inferred.
    pub span: Option<Range<usize>>,
}

/// Whether an event happened, according to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Modality {
    #[default]
    Asserted,
    Negated,
    Future,
    Hypothetical,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Future => "future",
            Modality::Hypothetical => "hypothetical",
        }
    }
}

/// Casualty and arrest counts stated for an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub dead: Option<u32>,
    pub injured: Option<u32>,
    pub arrested: Option<u32>,
}

/// A coded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The PLOVER type (`CONSULT`, ...).
    pub kind: String,
    pub mode: Option<String>,
    pub contexts: Vec<String>,
    pub cameo: Option<String>,
    pub quad_class: Option<u8>,
    pub intensity: Option<f64>,
    /// Indices into `Doc::actors`.
    pub source: Vec<u32>,
    pub target: Vec<u32>,
    /// Byte span of the trigger words.
    pub trigger: Range<usize>,
    pub sentence: u32,
    pub modality: Modality,
    /// Byte span of the cited source ("Tasnim" in "according to Tasnim").
    pub reported_by: Option<Range<usize>>,
    /// Index into `Doc::places`.
    pub location: Option<u32>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub size: Size,
    pub confidence: f64,
    /// The rules and models that decided the event, in the order they did
    /// (ids of `annalist-events/rules.toml`): what `annalist explain`
    /// prints. Not part of the record.
    pub decided_by: Vec<Why>,
}

/// One step of how an event was decided: a rule or model id and what it
/// saw ("M-TRIGGER", "CONSULT scores +4.2 over no event: lemma +2.1, ...").
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub id: std::borrow::Cow<'static, str>,
    pub detail: String,
}

impl Why {
    pub fn new(id: impl Into<std::borrow::Cow<'static, str>>, detail: impl Into<String>) -> Why {
        Why {
            id: id.into(),
            detail: detail.into(),
        }
    }
}
