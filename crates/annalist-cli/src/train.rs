//! `annalist train`: dispatches to the trainer of each component.

use crate::{train_events, train_ner, train_ud};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Train the part-of-speech tagger and lemmatizer on CoNLL-U treebanks.
    Tagger(train_ud::TaggerArgs),
    /// Train the dependency parser on CoNLL-U treebanks.
    Parser(train_ud::ParserArgs),
    /// Train the named-entity recognizer on IOB2/CoNLL corpora.
    Ner(train_ner::Args),
    /// Train the learned event coder on annotated articles (ANNOTATING.md).
    Events(train_events::Args),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Tagger(a) => train_ud::run_tagger(a),
        What::Parser(a) => train_ud::run_parser(a),
        What::Ner(a) => train_ner::run(a),
        What::Events(a) => train_events::run(a),
    }
}
