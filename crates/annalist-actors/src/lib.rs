//! Actors: who each mention is.
//!
//! This crate starts with the agents lexicon (`agents.toml`, ours): role words
//! such as "defense minister", "air force" or "state security committee"
//! mapped to PLOVER sector codes, so that sectors come from the text itself.

mod agents;
pub mod fallback;
mod nominal;
pub mod passes;
mod resolve;
mod words;

pub use agents::{AgentError, Agents, Nominal, NominalKind, RoleMatch, SECTORS};
pub use resolve::{is_news_outlet, ActorResolver};
