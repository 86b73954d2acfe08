//! `annalist`: code news reports into political event records.
//!
//! This crate is thin: argument parsing, file IO and output. Each subcommand
//! lives in its own module with an `Args` struct and a `run` function.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod bench;
mod code;
mod eval;
mod eval_events;
mod eval_ner;
mod eval_petrarch;
mod eval_ud;
mod export;
mod ingest;
mod inputs;
mod kb;
mod ner;
mod parse;
mod query;
mod serve;
mod train;
mod train_ner;
mod train_ud;

#[derive(Parser)]
#[command(
    name = "annalist",
    version,
    about = "Code news reports into structured political event data (who did what to whom, where, when).",
    long_about = "Annalist reads news reports (plain text, JSON Lines, HTML, RSS/Atom, WARC; gzip or not) \
and writes one JSON record per document: sentences, named entities, actors with country and sector, \
and events in PLOVER and CAMEO codes, each pointing back at the text that supports it.\n\n\
The record format is `annalist.record/1`, documented in RECORD.md.\n\n\
Examples:\n  annalist code article.txt\n  annalist code --threads 4 --out records.jsonl news.jsonl.gz\n  \
cat page.html | annalist code --format html -"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into JSON Lines records.
    Code(code::Args),
    /// Code documents and keep them in the event store (idempotent, crash-safe).
    Ingest(ingest::Args),
    /// Search and count the stored events (story events by default).
    Query(query::Args),
    /// Export stored events as GDELT 2.0, PLOVER JSON Lines or CSV.
    Export(export::Args),
    /// Train a model (tagger, parser, ner) from annotated corpora.
    Train(train::Args),
    /// Score Annalist against gold data (ud, ner, events, petrarch).
    Eval(eval::Args),
    /// Tag and parse a CoNLL-U file, keeping its tokens and sentences.
    Parse(parse::Args),
    /// Label entities in an IOB2 file, keeping its tokens and sentences.
    Ner(ner::Args),
    /// Measure throughput per stage and end to end.
    Bench(bench::Args),
    /// Compile the built-in knowledge base from open data.
    Kb(kb::Args),
    /// Serve the JSON API and the web UI over an event store.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => code::run(a),
        Command::Ingest(a) => ingest::run(a),
        Command::Query(a) => query::run(a),
        Command::Export(a) => export::run(a),
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Parse(a) => parse::run(a),
        Command::Ner(a) => ner::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Kb(a) => kb::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
