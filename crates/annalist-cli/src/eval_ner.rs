//! `annalist eval ner FILE.iob2`: entity-level P/R/F1 per label against a
//! Universal NER file (exact span and type; PER, ORG, LOC).

use annalist_ner::{corpus, score, Ner};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  annalist eval ner ../shared/data/ner/uner_en_ewt/en_ewt-ud-test.iob2 --min-f1 0.75\n\n\
Exit status: 0, or 1 when --min-f1 is given and the overall F1 is below it."
)]
pub struct Args {
    /// The gold IOB2 file (Universal NER layout: index, word, tag).
    pub file: PathBuf,
    /// A model file to use instead of the built-in one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Fail (exit 1) when the overall F1 is below this.
    #[arg(long)]
    pub min_f1: Option<f64>,
    /// Drop model weights at or below this before scoring (to size a model).
    #[arg(long)]
    pub prune: Option<f32>,
    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn load_model(path: Option<&PathBuf>) -> anyhow::Result<Ner> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            Ner::load(&bytes).with_context(|| format!("cannot load {}", p.display()))
        }
        None => Ner::builtin().context("cannot load the built-in ner model"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut ner = load_model(args.model.as_ref())?;
    if let Some(p) = args.prune {
        ner.prune(p);
        eprintln!("pruned to {} features", ner.feature_count());
    }
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let (sentences, bad) = corpus::read_iob(&text);
    if let Some(l) = bad.first() {
        eprintln!(
            "warning: {}:{l}: skipped {} malformed line(s)",
            args.file.display(),
            bad.len()
        );
    }
    anyhow::ensure!(
        !sentences.is_empty(),
        "{}: no sentences; hint: the file should hold one token per line with its tag",
        args.file.display()
    );
    let s = score::evaluate(&ner, &sentences);
    let f1 = s.total().f1();
    if args.json {
        let per: serde_json::Map<String, serde_json::Value> = s
            .per_label
            .iter()
            .chain(std::iter::once((&annalist_doc::EntityType::Norp, &s.total())).take(0))
            .map(|(l, c)| {
                (
                    l.as_str().to_string(),
                    serde_json::json!({"precision": c.precision(), "recall": c.recall(), "f1": c.f1(), "tp": c.tp, "fp": c.fp, "fn": c.fn_}),
                )
            })
            .collect();
        let t = s.total();
        println!(
            "{}",
            serde_json::json!({"file": args.file.display().to_string(), "sentences": sentences.len(),
                "per_label": per, "precision": t.precision(), "recall": t.recall(), "f1": f1})
        );
    } else {
        println!("{}: {} sentences", args.file.display(), sentences.len());
        print!("{}", score::report(&s));
    }
    if let Some(min) = args.min_f1 {
        if f1 < min {
            eprintln!("F1 {f1:.4} is below the target {min}");
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
