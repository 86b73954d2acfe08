//! `annalist eval`: dispatches to the evaluation of each capability.

use crate::{eval_events, eval_ner, eval_petrarch, eval_ud};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Tagging, lemmas, parsing (UAS/LAS), tokens and sentences against a CoNLL-U file.
    Ud(eval_ud::Args),
    /// Events, actors and places against news gold files or PLOVER gold sentences.
    Events(eval_events::Args),
    /// Entity precision, recall and F1 per label against an IOB2 file.
    Ner(eval_ner::Args),
    /// PETRARCH2's unit-test records coded with their own dictionaries: share coded exactly.
    Petrarch(eval_petrarch::Args),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Ud(a) => eval_ud::run(a),
        What::Ner(a) => eval_ner::run(a),
        What::Events(a) => eval_events::run(a),
        What::Petrarch(a) => eval_petrarch::run(a),
    }
}
