//! `annalist train tagger|parser`: reads CoNLL-U treebanks, trains, writes a
//! model file. Progress goes to stderr.

use annalist_models::corpus::{corpus_hash, sents_from_conllu, Sent};
use annalist_models::{parser, tagger, Tagger, TaggerSettings};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct TaggerArgs {
    /// Training treebanks: CoNLL-U files, or folders of them.
    #[arg(long, num_args = 1.., required = true)]
    train: Vec<PathBuf>,
    /// A GUM-style `splits.md`: files found in folders are kept only if
    /// listed under its `## train` heading.
    #[arg(long)]
    splits: Option<PathBuf>,
    /// Development treebank, scored after each epoch (the best epoch is kept).
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model file.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Averaged weights below this are pruned from the model file.
    #[arg(long, default_value_t = 0.0)]
    prune: f32,
}

#[derive(clap::Args)]
pub struct ParserArgs {
    /// Training treebanks: CoNLL-U files, or folders of them.
    #[arg(long, num_args = 1.., required = true)]
    train: Vec<PathBuf>,
    /// A GUM-style `splits.md`: files found in folders are kept only if
    /// listed under its `## train` heading.
    #[arg(long)]
    splits: Option<PathBuf>,
    /// Development treebank, scored after each epoch (the best epoch is kept).
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model file.
    #[arg(long)]
    out: PathBuf,
    /// The tagger whose predicted tags the parser trains on: it tags the dev
    /// set, and its settings train the jackknife taggers.
    #[arg(long)]
    tagger: PathBuf,
    /// Folds for jackknife tagging of the training data (0: gold tags).
    #[arg(long, default_value_t = 4)]
    jackknife: usize,
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 0.0)]
    prune: f32,
}

/// The stems listed under `## train` in a GUM `splits.md`.
fn train_stems(path: &Path) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    let mut in_train = false;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            in_train = h.trim() == "train";
        } else if in_train {
            if let Some(item) = line.trim().strip_prefix("* ") {
                out.push(item.trim().to_string());
            }
        }
    }
    if out.is_empty() {
        anyhow::bail!(
            "{}: no `## train` list found; hint: pass GUM's splits.md",
            path.display()
        );
    }
    Ok(out)
}

/// Expands folders to their `.conllu` files (sorted, filtered by `splits`).
fn expand(paths: &[PathBuf], splits: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let keep = splits.map(train_stems).transpose()?;
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read folder {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "conllu"))
                .filter(|f| {
                    keep.as_ref().is_none_or(|k| {
                        f.file_stem()
                            .and_then(|s| s.to_str())
                            .is_some_and(|s| k.iter().any(|x| x == s))
                    })
                })
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads treebanks; returns the sentences and the bytes' hash.
fn read_all(files: &[PathBuf]) -> anyhow::Result<(Vec<Sent>, String)> {
    let mut sents = Vec::new();
    let mut texts = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        sents.extend(
            sents_from_conllu(&text)
                .with_context(|| format!("{}: not valid CoNLL-U", f.display()))?,
        );
        texts.push(text);
    }
    let parts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    Ok((sents, corpus_hash(&parts)))
}

fn base_meta(
    files: &[PathBuf],
    hash: &str,
    n: usize,
    dev: &Path,
) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert(
        "trained_by".into(),
        format!("annalist {}", env!("CARGO_PKG_VERSION")).into(),
    );
    m.insert("corpus_hash".into(), hash.into());
    m.insert("train_files".into(), files.len().into());
    m.insert("train_sentences".into(), n.into());
    m.insert(
        "dev_file".into(),
        dev.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .into(),
    );
    m
}

fn log(msg: &str) {
    eprintln!("{msg}");
}

pub fn run_tagger(args: TaggerArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let files = expand(&args.train, args.splits.as_deref())?;
    let (train, hash) = read_all(&files)?;
    let (dev, _) = read_all(std::slice::from_ref(&args.dev))?;
    eprintln!(
        "read {} files: {} training sentences, {} dev sentences",
        files.len(),
        train.len(),
        dev.len()
    );
    let settings = TaggerSettings {
        epochs: args.epochs,
        seed: args.seed,
        prune: args.prune,
        ..TaggerSettings::default()
    };
    let meta = base_meta(&files, &hash, train.len(), &args.dev);
    let model = tagger::train(&train, &dev, &settings, meta, &mut |m| log(m));
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0} s",
        args.out.display(),
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Tags each fold of `sents` with a tagger trained on the other folds.
fn jackknife(sents: &[Sent], k: usize, settings: &TaggerSettings) -> Vec<Sent> {
    let mut out = sents.to_vec();
    for fold in 0..k {
        let train: Vec<Sent> = sents
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let s = TaggerSettings {
            prune: settings.prune,
            ..settings.clone()
        };
        let t = tagger::train(&train, &[], &s, serde_json::Map::new(), &mut |_| {});
        let mut right = 0;
        let mut total = 0;
        for (i, sent) in sents.iter().enumerate().filter(|(i, _)| i % k == fold) {
            let tagged = t.tag(&sent.word_refs());
            right += tagged
                .xpos
                .iter()
                .zip(&sent.xpos)
                .filter(|(a, b)| a == b)
                .count();
            total += sent.len();
            out[i].upos = tagged.upos;
            out[i].xpos = tagged.xpos;
        }
        eprintln!(
            "jackknife fold {}/{k}: XPOS {:.2}% on the held-out fold",
            fold + 1,
            100.0 * right as f64 / total.max(1) as f64
        );
    }
    out
}

pub fn run_parser(args: ParserArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let files = expand(&args.train, args.splits.as_deref())?;
    let (train, hash) = read_all(&files)?;
    let (dev, _) = read_all(std::slice::from_ref(&args.dev))?;
    let tagger_bytes = std::fs::read(&args.tagger)
        .with_context(|| format!("cannot read {}", args.tagger.display()))?;
    let tagger = Tagger::load(&tagger_bytes)
        .with_context(|| format!("cannot load the tagger {}", args.tagger.display()))?;
    eprintln!(
        "read {} files: {} training sentences, {} dev sentences",
        files.len(),
        train.len(),
        dev.len()
    );
    let tagger_settings: TaggerSettings = tagger
        .meta()
        .get("settings")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default();
    let train_tagged = if args.jackknife >= 2 {
        jackknife(&train, args.jackknife, &tagger_settings)
    } else {
        train.clone()
    };
    let dev_tagged: Vec<Sent> = dev
        .iter()
        .map(|s| {
            let mut t = tagger.tag_sent(s);
            t.head = s.head.clone();
            t.deprel = s.deprel.clone();
            t
        })
        .collect();
    let settings = annalist_models::ParserSettings {
        epochs: args.epochs,
        seed: args.seed,
        prune: args.prune,
        ..Default::default()
    };
    let mut meta = base_meta(&files, &hash, train.len(), &args.dev);
    meta.insert("jackknife".into(), args.jackknife.into());
    meta.insert(
        "tagger_corpus_hash".into(),
        tagger
            .meta()
            .get("corpus_hash")
            .cloned()
            .unwrap_or_default(),
    );
    let model = parser::train(
        &train_tagged,
        &dev_tagged,
        &dev,
        &settings,
        meta,
        &mut |m| log(m),
    );
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0} s",
        args.out.display(),
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
