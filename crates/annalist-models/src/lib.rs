//! Trained statistical components: the part-of-speech tagger and
//! lemmatizer ([`Tagger`]) and the dependency parser ([`Parser`]).
//!
//! Both are averaged perceptrons over hashed features: greedy, allocation
//! light and fast on one core. Training reads treebank sentences
//! ([`corpus::Sent`]); models are written to a compact, versioned file
//! ([`io`]) and the trained ones are built into the binary
//! ([`Tagger::builtin`], [`Parser::builtin`]).
//!
//! Components take text and bytes, never paths, and never fail on text;
//! only loading a model returns an error.

pub mod clusters;
pub mod corpus;
pub mod hash;
pub mod io;
pub mod lemma;
pub mod parser;
pub mod perceptron;
pub mod tagger;

pub use clusters::{ClusterBuilder, ClusterSettings, Clusters};
pub use corpus::{Sent, UdScores};
pub use parser::{Parser, ParserSettings};
pub use tagger::{Tagged, Tagger, TaggerSettings};

/// A model file that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelError {
    #[error("invalid model file: {0}")]
    Invalid(String),
}

impl ModelError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        ModelError::Invalid(msg.into())
    }
}

/// Tags, lemmatizes and parses CoNLL-U sentences in place, keeping their
/// words, multi-word tokens, comments and the columns we do not predict
/// (FEATS, DEPS, MISC).
pub fn annotate_conllu(
    tagger: &Tagger,
    parser: &Parser,
    sents: &mut [annalist_doc::conllu::Sentence],
) {
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let t = tagger.tag(&words);
        let (heads, rels) = parser.parse(&words, &t.upos, &t.xpos);
        for (i, w) in s.words.iter_mut().enumerate() {
            w.upos = t.upos[i].to_string();
            w.xpos = t.xpos[i].to_string();
            w.lemma = t.lemma[i].clone();
            w.head = if heads[i] == annalist_doc::ROOT {
                0
            } else {
                heads[i] as usize + 1
            };
            w.deprel = rels[i].to_string();
        }
    }
}
