//! `annalist eval ud`: tagging, lemma and parsing accuracy with gold
//! tokenization, and token/sentence F1 with our own tokenization.

use annalist_doc::conllu;
use annalist_models::corpus::{Sent, UdScores};
use annalist_models::{Parser, Tagger};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Gold CoNLL-U file (e.g. UD English EWT test).
    file: PathBuf,
    /// Tagger model file (default: the built-in one).
    #[arg(long)]
    tagger: Option<PathBuf>,
    /// Parser model file (default: the built-in one).
    #[arg(long)]
    parser: Option<PathBuf>,
    /// Print the scores as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn load_tagger(path: Option<&Path>) -> anyhow::Result<Tagger> {
    match path {
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            Tagger::load(&b).with_context(|| format!("{}", p.display()))
        }
        None => Tagger::builtin().context("the built-in tagger"),
    }
}

pub fn load_parser(path: Option<&Path>) -> anyhow::Result<Parser> {
    match path {
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            Parser::load(&b).with_context(|| format!("{}", p.display()))
        }
        None => Parser::builtin().context("the built-in parser"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let gold_raw = conllu::parse(&text)
        .with_context(|| format!("{}: not valid CoNLL-U", args.file.display()))?;
    let gold: Vec<Sent> = gold_raw.iter().map(Sent::from_conllu).collect();
    let tagger = load_tagger(args.tagger.as_deref())?;
    let parser = load_parser(args.parser.as_deref())?;
    let t0 = Instant::now();
    let mut scores = UdScores::default();
    for g in &gold {
        let words = g.word_refs();
        let t = tagger.tag(&words);
        let (head, deprel) = parser.parse(&words, &t.upos, &t.xpos);
        let pred = Sent {
            words: g.words.clone(),
            upos: t.upos,
            xpos: t.xpos,
            lemma: t.lemma,
            head,
            deprel,
        };
        scores.add(g, &pred);
    }
    let secs = t0.elapsed().as_secs_f64();
    let b = annalist_text::eval::boundary_scores(&gold_raw);
    if args.json {
        let v = serde_json::json!({
            "file": args.file.display().to_string(),
            "words": scores.words,
            "upos": scores.upos_pct(),
            "xpos": scores.xpos_pct(),
            "lemma": scores.lemma_pct(),
            "uas": scores.uas_pct(),
            "las": scores.las_pct(),
            "tokens_f1": 100.0 * b.tokens.f1,
            "sentences_f1": 100.0 * b.sentences.f1,
        });
        println!("{v}");
    } else {
        println!(
            "{}: {} sentences, {} words (gold tokenization)",
            args.file.display(),
            gold.len(),
            scores.words
        );
        println!("UPOS      {:6.2}", scores.upos_pct());
        println!("XPOS      {:6.2}", scores.xpos_pct());
        println!("Lemmas    {:6.2}", scores.lemma_pct());
        println!("UAS       {:6.2}", scores.uas_pct());
        println!("LAS       {:6.2}", scores.las_pct());
        println!(
            "Tokens    {:6.2} F1 (P {:.2}, R {:.2}; our tokenizer)",
            100.0 * b.tokens.f1,
            100.0 * b.tokens.precision,
            100.0 * b.tokens.recall
        );
        println!(
            "Sentences {:6.2} F1 (P {:.2}, R {:.2}; our splitter)",
            100.0 * b.sentences.f1,
            100.0 * b.sentences.precision,
            100.0 * b.sentences.recall
        );
        println!(
            "tagged and parsed in {:.2} s ({:.0} words/s)",
            secs,
            scores.words as f64 / secs.max(1e-9)
        );
    }
    Ok(ExitCode::SUCCESS)
}
