//! PETRARCH/TABARI compatibility: verb dictionaries with CAMEO codes and a
//! coder that uses them with PETRARCH actor and agent dictionaries.
//!
//! Analysts have decades of work in these dictionaries. This module reads
//! them from text (the files are third-party and never shipped) and codes a
//! parsed [`annalist_doc::Doc`] with them: verb patterns are matched against
//! our own dependency parse and the sentence's words, not against
//! PETRARCH's constituency trees. See `docs/petrarch.md` for what of the
//! dictionary syntax is supported.

mod coder;
mod discards;
mod record;
mod verbs;

pub use coder::{parse_record_date, Coding, Outcome, PetrarchCoder};
pub use discards::{Discard, Discards};
pub use record::{plover_of_cameo, quad_class, PloverType};
pub use verbs::{Elem, Group, Item, Pattern, VerbDict, VerbForm, Warning};

// The actor side lives in `annalist-actors`; re-exported so that a caller
// needs one crate for PETRARCH compatibility.
pub use annalist_actors::petrarch::{cameo_to_plover, ActorDict, AgentCode, AgentDict, Date};
