//! `annalist ner --input-format iob2 FILE`: label a pre-tokenized file,
//! keeping its tokens and sentences, in the same tab-separated layout with
//! our tag in the third column (PER/ORG/LOC in IOB2; other types as O).

use crate::eval_ner::load_model;
use annalist_ner::corpus;
use anyhow::Context;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "Example:\n  annalist ner --input-format iob2 test.iob2 > ours.iob2")]
pub struct Args {
    /// The IOB2 file to label (its tags, if any, are replaced).
    pub file: PathBuf,
    /// Input layout; only Universal NER's iob2 is read.
    #[arg(long, default_value = "iob2", value_parser = ["iob2"])]
    pub input_format: String,
    /// A model file to use instead of the built-in one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ner = load_model(args.model.as_ref())?;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    // The file is copied line by line: comments and blank lines as they are,
    // token lines with the third column replaced, so that the output lines up
    // with the input for any scorer. Sentences are labelled a document at a
    // time (`# newdoc` comments), as the pipeline labels a document.
    enum Item<'a> {
        Line(&'a str),
        Sentence(usize),
    }
    let mut items = Vec::new();
    let mut blocks: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut doc = 0;
    let mut block: Vec<&str> = Vec::new();
    let is_token = |line: &str| {
        line.contains('\t')
            && line
                .split('\t')
                .next()
                .is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit()))
    };
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if is_token(line) {
            block.push(line);
            continue;
        }
        if !block.is_empty() {
            items.push(Item::Sentence(blocks.len()));
            blocks.push((doc, std::mem::take(&mut block)));
        }
        if line.starts_with("# newdoc") {
            doc += 1;
        }
        items.push(Item::Line(line));
    }
    if !block.is_empty() {
        items.push(Item::Sentence(blocks.len()));
        blocks.push((doc, block));
    }
    let words: Vec<Vec<&str>> = blocks
        .iter()
        .map(|(_, b)| {
            b.iter()
                .map(|l| l.split('\t').nth(1).unwrap_or(""))
                .collect()
        })
        .collect();
    let mut labels = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i + 1;
        while j < blocks.len() && blocks[j].0 == blocks[i].0 {
            j += 1;
        }
        labels.extend(ner.label_document(&words[i..j]));
        i = j;
    }
    for item in items {
        match item {
            Item::Line(l) => writeln!(out, "{l}")?,
            Item::Sentence(k) => {
                let spans: Vec<(usize, usize, annalist_doc::EntityType)> = labels[k]
                    .iter()
                    .map(|s| (s.start as usize, s.end as usize, s.label))
                    .collect();
                let tags = corpus::to_iob2(words[k].len(), &spans);
                for (line, tag) in blocks[k].1.iter().zip(tags) {
                    let mut f: Vec<&str> = line.split('\t').collect();
                    while f.len() < 3 {
                        f.push("-");
                    }
                    f[2] = tag;
                    writeln!(out, "{}", f.join("\t"))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
