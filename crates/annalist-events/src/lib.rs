//! Events: the lexicon that maps trigger words and patterns to PLOVER and
//! CAMEO codes.
//!
//! The lexicon is ours, written by hand in `lexicon.toml` (readable, reviewable
//! in a diff) and embedded in the binary. A user may load another lexicon in
//! the same format from bytes with [`Lexicon::parse`].

mod coder;
mod features;
mod learned;
mod lexicon;
mod model;
mod place;
mod roles;
mod rules;
mod sides;
pub mod train;
mod types;
mod words;

pub use coder::Coder;
pub use lexicon::{Entry, Lexicon, LexiconError, Pattern, PLOVER_TYPES};
pub use model::{Decision, EventModel};
pub use roles::normal_country;
pub use rules::{Rules, DECISION_IDS};
pub use types::{EventType, TypeRule};
