//! The rule-based text layer of the pipeline.
//!
//! - [`meta`] finds datelines and licence/boilerplate footers and moves them to
//!   `Doc::meta` / `Doc::excluded` before anything else runs.
//! - [`tokenize`] fills the token offset columns over the analysed text.
//! - [`sentences`] splits the tokens into sentences by rules, to which
//!   [`boundary`] (a small trained model) adds the boundaries they miss.

pub mod abbrev;
pub mod boundary;
pub mod eval;
pub mod meta;
pub mod sentences;
pub mod tokenize;
