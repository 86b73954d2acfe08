//! The learned coder's model file: three linear models (averaged
//! perceptrons) over the features of `features.rs`.
//!
//! - `trigger`: 17 classes, "no event" (0) and the 16 PLOVER types;
//! - `side`: 3 classes scoring the parts of a (source, target) pair: the
//!   pair itself (0), the source (1), the target (2) (see `sides.rs`);
//! - `modality`: 4 classes, asserted, negated, future, hypothetical;
//! - `place`: 1 class, the score of a candidate place (see `place.rs`);
//!   format 2 files have none, and their events are placed by the rule
//!   walk (R-EVENT-PLACE).
//!
//! The file is an annalist model file of kind `events` (magic, format
//! version, metadata, checksum), written by `annalist train events`.

use annalist_models::io::{read_model_versions, write_model_version, ByteReader, ByteWriter};
use annalist_models::perceptron::Weights;
use annalist_models::ModelError;

const KIND: &str = "events";
/// The payload layout this build writes (2: the side model ranks pairs;
/// 3: a place model follows the modality model). It reads both.
const FORMAT: u32 = 3;

/// Classes of the side model.
pub(crate) const SIDE_NONE: usize = 0;
pub(crate) const SIDE_SOURCE: usize = 1;
pub(crate) const SIDE_TARGET: usize = 2;

/// How the model's scores become decisions, chosen by cross-validation and
/// kept in the model file's metadata.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Decision {
    /// A word states an event when its best type outscores "no event" by
    /// more than this (in weight units; negative codes more events).
    pub event_margin: f32,
    /// An event the lexicon rules coded at a word is kept, with the rules'
    /// sides, when the trigger model scores its type over "no event" by
    /// more than this.
    pub rule_margin: f32,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            event_margin: 0.0,
            rule_margin: f32::NEG_INFINITY,
        }
    }
}

/// The trained event model.
#[derive(Debug, Clone)]
pub struct EventModel {
    pub(crate) trigger: Weights,
    pub(crate) side: Weights,
    pub(crate) modality: Weights,
    /// Ranks the document's places as an event's location; `None` in a
    /// format 2 file.
    pub(crate) place: Option<Weights>,
    pub(crate) decision: Decision,
    /// Training provenance (JSON), kept as written.
    pub meta: String,
}

impl EventModel {
    /// The event a word states, given the trigger model's `scores` there:
    /// the best type's class (1 to 16) and its margin over "no event" (0),
    /// when that margin, scaled to weight units, clears the event margin.
    /// The learned coder and the cross-validation diagnostics both decide
    /// by it.
    pub(crate) fn trigger_event(&self, scores: &[i32; 17]) -> Option<(usize, i32)> {
        let best = (1..17).max_by_key(|&k| scores[k]).unwrap_or(1);
        let margin = scores[best] - scores[0];
        let scale = self.trigger.scale.max(f32::MIN_POSITIVE);
        ((margin as f32) * scale > self.decision.event_margin).then_some((best, margin))
    }

    /// The model built into the binary (`annalist train events`), or `None`
    /// where the build carries none.
    pub fn builtin() -> Option<EventModel> {
        let bytes = include_bytes!("../models/events.bin");
        if bytes.is_empty() {
            return None;
        }
        Some(EventModel::read(bytes).expect("the built-in event model is valid (a test checks it)"))
    }

    /// Reads a model file written by [`EventModel::write`].
    pub fn read(bytes: &[u8]) -> Result<EventModel, ModelError> {
        let (version, meta, payload) = read_model_versions(bytes, KIND, &[2, FORMAT])?;
        let mut r = ByteReader::new(&payload);
        let trigger = Weights::read(&mut r)?;
        let side = Weights::read(&mut r)?;
        let modality = Weights::read(&mut r)?;
        let place = if version >= 3 {
            Some(Weights::read(&mut r)?)
        } else {
            None
        };
        if trigger.nclasses != 17
            || side.nclasses != 3
            || modality.nclasses != 4
            || place.as_ref().is_some_and(|p| p.nclasses != 1)
        {
            return Err(ModelError::Invalid(
                "the event model's class counts are not 17, 3, 4 and 1".into(),
            ));
        }
        let decision = serde_json::from_str::<serde_json::Value>(&meta)
            .ok()
            .and_then(|m| m.get("decision").cloned())
            .and_then(|d| serde_json::from_value(d).ok())
            .unwrap_or_default();
        Ok(EventModel {
            trigger,
            side,
            modality,
            place,
            decision,
            meta,
        })
    }

    /// The model file's bytes.
    pub fn write(&self) -> Vec<u8> {
        let mut w = ByteWriter::default();
        self.trigger.write(&mut w);
        self.side.write(&mut w);
        self.modality.write(&mut w);
        match &self.place {
            Some(place) => {
                place.write(&mut w);
                write_model_version(KIND, FORMAT, &self.meta, &w.into_inner())
            }
            // A model without a place model is a format 2 file, as it was read.
            None => write_model_version(KIND, 2, &self.meta, &w.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_2_model_without_a_place_model_still_reads() {
        // Models trained before the place model existed are format 2 files:
        // they read, place their events by the rule walk, and write back to
        // the same bytes.
        let mut model = EventModel::builtin().expect("a model is built in");
        assert!(model.place.is_some(), "the built-in model places events");
        model.place = None;
        let bytes = model.write();
        let read = EventModel::read(&bytes).expect("a format 2 file reads");
        assert!(read.place.is_none());
        assert_eq!(read.write(), bytes);
    }
}
