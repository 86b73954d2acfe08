//! `annalist parse`: tags, lemmatizes and parses a CoNLL-U file, keeping its
//! tokens, sentences, comments and the columns we do not predict.

use crate::eval_ud::{load_parser, load_tagger};
use annalist_doc::conllu;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum InputFormat {
    /// CoNLL-U: its words and sentences are kept as given.
    Conllu,
}

#[derive(clap::Args)]
pub struct Args {
    /// Input file (`-` for stdin).
    file: PathBuf,
    /// Input format.
    #[arg(long, value_enum, default_value = "conllu")]
    input_format: InputFormat,
    /// Output file (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Tagger model file (default: the built-in one).
    #[arg(long)]
    tagger: Option<PathBuf>,
    /// Parser model file (default: the built-in one).
    #[arg(long)]
    parser: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .context("cannot read stdin")?;
        s
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let InputFormat::Conllu = args.input_format;
    let mut sents = conllu::parse(&text)
        .with_context(|| format!("{}: not valid CoNLL-U", args.file.display()))?;
    let tagger = load_tagger(args.tagger.as_deref())?;
    let parser = load_parser(args.parser.as_deref())?;
    annalist_models::annotate_conllu(&tagger, &parser, &mut sents);
    let out = conllu::write(&sents);
    match &args.out {
        Some(p) => {
            std::fs::write(p, out).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout()
            .lock()
            .write_all(out.as_bytes())
            .context("cannot write to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
