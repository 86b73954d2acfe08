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
mod explain;
mod export;
mod ingest;
mod inputs;
mod kb;
mod ner;
mod parse;
mod progress;
mod query;
mod serve;
mod train;
mod train_events;
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
The record format is `annalist.record/1`, documented in docs/record.md (with a JSON Schema, docs/record.schema.json).\n\n\
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
    /// Code one document and show which passes, rules, models and features decided each actor
    /// and event.
    Explain(explain::Args),
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
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => code::run(a),
        Command::Explain(a) => explain::run(a),
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
        // A reader that stops early (`annalist code | head`) is not a
        // failure: like `cat` and `rg`, end quietly with success.
        Err(e) if is_closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error is a write to a pipe whose reader has gone. Some layers
/// (the store) wrap the IO error in their own type, so every cause in the
/// chain is looked at, by kind where it is still an `io::Error` and by its
/// message where it was turned into text.
fn is_closed_stdout(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.to_string().contains("Broken pipe (os error 32)")
    })
}

/// `println!` panics when standard output is a closed pipe; this hook turns
/// that one panic into a quiet, successful exit so that subcommands printing
/// with `println!` behave like those returning the error.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
