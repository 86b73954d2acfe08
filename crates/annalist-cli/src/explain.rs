//! `annalist explain`: code one document and print which passes decided
//! each actor and which rules, models and features decided each event.

use crate::train_events::{pipeline_with_coder, CoderChoice};
use annalist_ingest::Document;
use annalist_pipeline::Pipeline;
use anyhow::Context;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist explain article.txt\n  annalist explain --coder learned --published 2023-05-17 article.txt\n  echo 'Iran and Iraq signed a deal in Baghdad.' | annalist explain -\n\n\
Each actor is listed with the passes that found it and gave it its country and sectors \
(crates/annalist-actors/passes.toml says what each does); each event with the steps that \
decided it: the lexicon entry, the trigger model's score and the feature templates behind it, \
the side pair, modality and place (crates/annalist-events/rules.toml)."
)]
pub struct Args {
    /// A plain-text file holding one document; `-` or nothing reads standard input.
    pub path: Option<PathBuf>,
    /// The event coder to explain: the lexicon rules (the default of `annalist code`) or the
    /// built-in learned model.
    #[arg(long, value_enum, default_value_t = CoderChoice::Rules)]
    pub coder: CoderChoice,
    /// Explain this learned event model (written by `annalist train events`) instead.
    #[arg(long, value_name = "FILE")]
    pub event_model: Option<PathBuf>,
    /// The document's publication date (YYYY-MM-DD): office holders are looked up as of it.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // One filter decides both the name in messages and where to read.
    let file = args.path.as_ref().filter(|p| p.as_os_str() != "-");
    let (name, bytes) = match file {
        Some(p) => (
            p.display().to_string(),
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            ("standard input".to_string(), bytes)
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (byte {}); hint: `annalist code` reads other encodings and formats",
            e.utf8_error().valid_up_to()
        )
    })?;
    let published = match &args.published {
        Some(d) => Some(annalist_doc::dates::normalize(d).with_context(|| {
            format!("--published {d}: not a date; hint: write it as YYYY-MM-DD")
        })?),
        None => None,
    };
    let pipeline = pipeline_with_coder(args.coder, args.event_model.as_deref())?;
    let input = Document {
        text,
        published,
        ..Document::default()
    };
    let mut doc = Pipeline::doc_of(input);
    doc.explain = true;
    pipeline.annotate(&mut doc);
    let out = annalist_pipeline::explain::explain(&doc, pipeline.coder().rules());
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
