//! PETRARCH/TABARI compatibility: readers for verb, actor, agent and discard
//! dictionaries with CAMEO codes, and a coder that uses them.
//!
//! Analysts have decades of work in these dictionaries. This crate reads
//! them from text (the files are third-party and never shipped) and codes a
//! parsed [`annalist_doc::Doc`] with them: verb patterns are matched against
//! our own dependency parse and the sentence's words, not against
//! PETRARCH's constituency trees. See `docs/petrarch.md` for what of the
//! dictionary syntax is supported.
//!
//! It sits beside the built-in coder, never inside it: it borrows the event
//! lexicon's CAMEO → PLOVER table from `annalist-events` and the id of its
//! explain trail from `annalist-actors`, and neither of those crates knows
//! about PETRARCH.

mod actors;
mod coder;
mod discards;
mod record;
mod verbs;

pub use actors::{
    cameo_to_plover, normalize_phrase, ActorDict, ActorEntry, AgentCode, AgentDict, Date,
    DatedCode, Warning,
};
pub use coder::{parse_record_date, Coding, Outcome, PetrarchCoder};
pub use discards::{Discard, Discards};
pub use record::{plover_of_cameo, quad_class, PloverType};
pub use verbs::{Elem, Group, Item, Pattern, VerbDict, VerbForm};
