//! `annalist train tagger|parser`: reads CoNLL-U treebanks, trains, writes a
//! model file. Progress goes to stderr.

use annalist_models::corpus::{corpus_hash, sents_from_conllu, Sent};
use annalist_models::io::{ByteReader, ByteWriter};
use annalist_models::{parser, tagger, ClusterBuilder, ClusterSettings, Clusters};
use annalist_models::{Tagger, TaggerSettings};
use anyhow::Context;
use std::io::{BufRead, BufReader};
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
    /// Train this many taggers (seeds seed, seed+1, ...) on the same
    /// clusters, in parallel, and keep the mean of their weights (as for
    /// the parser). Each is pruned only after averaging.
    #[arg(long, default_value_t = 1)]
    average: usize,
    #[command(flatten)]
    clusters: ClusterArgs,
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
    /// Train this many parsers (seeds seed, seed+1, ...) on the same tags
    /// and clusters, in parallel, and keep the mean of their weights: the
    /// mean makes fewer mistakes than any one of them, at no cost when
    /// parsing. Each is pruned only after averaging.
    #[arg(long, default_value_t = 1)]
    average: usize,
    /// With `--average`, also write each member, unpruned, into this
    /// folder (`member-SEED.bin`), to study how many members pay off.
    #[arg(long)]
    members_dir: Option<PathBuf>,
    /// A file that keeps the jackknifed training tags between runs: read if
    /// it matches the corpus and settings, written otherwise. Jackknifing
    /// trains one tagger per fold, which is most of a short experiment.
    #[arg(long)]
    tag_cache: Option<PathBuf>,
    #[command(flatten)]
    clusters: ClusterArgs,
}

/// Word clusters learned from unlabelled text, as tagger and parser
/// features.
#[derive(clap::Args)]
pub struct ClusterArgs {
    /// Unlabelled text for word clusters: `.jsonl.gz` or `.jsonl` files
    /// with a `text` field per line, or plain `.txt` files. The training
    /// treebank's words are always added. None: no cluster features.
    #[arg(long, num_args = 1..)]
    cluster_text: Vec<PathBuf>,
    /// Fine, mid and coarse cluster counts.
    #[arg(long, num_args = 3, default_values_t = [256, 64, 16])]
    clusters: Vec<usize>,
    /// Words seen fewer times get no cluster.
    #[arg(long, default_value_t = 3)]
    cluster_min_count: usize,
    /// Passes of the exchange algorithm.
    #[arg(long, default_value_t = 12)]
    cluster_iterations: usize,
    /// Keeps the learned clusters between runs (like `--tag-cache`).
    #[arg(long)]
    cluster_cache: Option<PathBuf>,
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
    let mut meta = base_meta(&files, &hash, train.len(), &args.dev);
    let clusters = cluster_step(&args.clusters, args.seed, &hash, &train, &mut meta)?;
    let model = if args.average <= 1 {
        tagger::train_with_clusters(&train, &dev, clusters, &settings, meta, &mut |m| log(m))
    } else {
        train_tagger_average(&train, &dev, clusters, &settings, meta, args.average)?
    };
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
fn jackknife(
    sents: &[Sent],
    k: usize,
    settings: &TaggerSettings,
    clusters: &Clusters,
) -> Vec<Sent> {
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
        let t = tagger::train_with_clusters(
            &train,
            &[],
            clusters.clone(),
            &s,
            serde_json::Map::new(),
            &mut |_| {},
        );
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

/// The tag cache: a key line, then one line per sentence of `UPOS XPOS`
/// pairs separated by tabs.
fn write_tag_cache(key: &str, sents: &[Sent]) -> String {
    let mut out = format!("{key}\n");
    for s in sents {
        let line: Vec<String> = s
            .upos
            .iter()
            .zip(&s.xpos)
            .map(|(u, x)| format!("{u} {x}"))
            .collect();
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    out
}

/// The cached tags of `train`, or `None` when the cache is missing or was
/// written for other data or settings.
fn read_tag_cache(path: &Path, key: &str, train: &[Sent]) -> Option<Vec<Sent>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != key {
        return None;
    }
    let mut out = train.to_vec();
    for s in out.iter_mut() {
        let line = lines.next()?;
        let pairs: Vec<&str> = if line.is_empty() {
            Vec::new()
        } else {
            line.split('\t').collect()
        };
        if pairs.len() != s.len() {
            return None;
        }
        for (i, p) in pairs.iter().enumerate() {
            let (u, x) = p.split_once(' ')?;
            s.upos[i] = annalist_doc::Upos::from_str_lossy(u);
            s.xpos[i] = annalist_doc::Xpos::from_str_lossy(x);
        }
    }
    lines.next().is_none().then_some(out)
}

/// The clusters `args` ask for (none without `--cluster-text`), with their
/// settings recorded in `meta`.
fn cluster_step(
    args: &ClusterArgs,
    seed: u64,
    hash: &str,
    train: &[Sent],
    meta: &mut serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<Clusters> {
    if args.cluster_text.is_empty() {
        return Ok(Clusters::default());
    }
    let cs = ClusterSettings {
        classes: [args.clusters[0], args.clusters[1], args.clusters[2]],
        min_count: args.cluster_min_count,
        iterations: args.cluster_iterations,
        seed,
        ..ClusterSettings::default()
    };
    let names: Vec<String> = args
        .cluster_text
        .iter()
        .map(|p| {
            p.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    meta.insert(
        "clusters".into(),
        serde_json::json!({"settings": cs, "text": names}),
    );
    learn_clusters(args, &cs, hash, train)
}

/// Learns word clusters from the unlabelled text and the training
/// sentences, or reads them from the cluster cache when it was written for
/// the same inputs.
fn learn_clusters(
    args: &ClusterArgs,
    cs: &ClusterSettings,
    train_hash: &str,
    train: &[Sent],
) -> anyhow::Result<Clusters> {
    let key = format!(
        "{train_hash} {:?} {}",
        args.cluster_text,
        serde_json::to_string(cs).unwrap_or_default()
    );
    if let Some(p) = &args.cluster_cache {
        if let Ok(bytes) = std::fs::read(p) {
            let mut r = ByteReader::new(&bytes);
            if r.str().ok() == Some(key.as_str()) {
                if let Ok(c) = Clusters::read(&mut r) {
                    eprintln!("clusters read from the cluster cache ({} words)", c.len());
                    return Ok(c);
                }
            }
        }
    }
    let t0 = Instant::now();
    let mut b = ClusterBuilder::default();
    for s in train {
        b.add_sentence(&s.words);
    }
    for path in &args.cluster_text {
        add_text_file(&mut b, path)?;
        eprintln!(
            "clusters: read {} ({} tokens so far, {:.0} s)",
            path.display(),
            b.tokens(),
            t0.elapsed().as_secs_f64()
        );
    }
    let c = b.build(cs, &mut |m| log(m));
    eprintln!(
        "clusters: {} words in {:.0} s",
        c.len(),
        t0.elapsed().as_secs_f64()
    );
    if let Some(p) = &args.cluster_cache {
        let mut w = ByteWriter::default();
        w.str(&key);
        c.write(&mut w);
        std::fs::write(p, w.into_inner())
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(c)
}

/// Adds a text file's sentences (tokenized and split by our own text layer,
/// as at run time) to the cluster builder.
fn add_text_file(b: &mut ClusterBuilder, path: &Path) -> anyhow::Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.to_string_lossy();
    let reader: Box<dyn BufRead> = if name.ends_with(".gz") {
        Box::new(BufReader::new(annalist_models::io::gunzip(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let jsonl = name.ends_with(".jsonl") || name.ends_with(".jsonl.gz");
    let mut add = |text: &str| {
        let mut doc = annalist_doc::Doc::new("", text);
        annalist_text::tokenize::tokenize(&mut doc);
        annalist_text::sentences::split_sentences(&mut doc);
        for seg in annalist_models::corpus::segments(&doc) {
            let words: Vec<&str> = seg.map(|i| doc.token_text(i)).collect();
            b.add_sentence(&words);
        }
    };
    let mut para = String::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", path.display(), n + 1))?;
        if jsonl {
            let v: serde_json::Value = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a JSON line", path.display(), n + 1))?;
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                add(t);
            }
        } else if line.trim().is_empty() {
            add(&para);
            para.clear();
        } else {
            para.push_str(&line);
            para.push('\n');
        }
    }
    if !para.is_empty() {
        add(&para);
    }
    Ok(())
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
        // The tagger's clusters are part of what the fold taggers learn.
        let key = format!(
            "{hash} {} {} {}",
            args.jackknife,
            serde_json::to_string(&tagger_settings).unwrap_or_default(),
            tagger
                .meta()
                .get("clusters")
                .map(|c| c.to_string())
                .unwrap_or_default()
        );
        match args
            .tag_cache
            .as_deref()
            .and_then(|p| read_tag_cache(p, &key, &train))
        {
            Some(t) => {
                eprintln!("jackknifed tags read from the tag cache");
                t
            }
            None => {
                let t = jackknife(&train, args.jackknife, &tagger_settings, tagger.clusters());
                if let Some(p) = &args.tag_cache {
                    std::fs::write(p, write_tag_cache(&key, &t))
                        .with_context(|| format!("cannot write {}", p.display()))?;
                }
                t
            }
        }
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
    let clusters = cluster_step(&args.clusters, args.seed, &hash, &train, &mut meta)?;
    meta.insert(
        "tagger_corpus_hash".into(),
        tagger
            .meta()
            .get("corpus_hash")
            .cloned()
            .unwrap_or_default(),
    );
    let model = if args.average <= 1 {
        parser::train_with_clusters(
            &train_tagged,
            &dev_tagged,
            &dev,
            clusters,
            &settings,
            meta,
            &mut |m| log(m),
        )
    } else {
        train_average(
            &train_tagged,
            &dev_tagged,
            &dev,
            clusters,
            &settings,
            meta,
            Members {
                k: args.average,
                dir: args.members_dir.as_deref(),
            },
        )?
    };
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

/// Trains `k` models with seeds `seed` to `seed + k - 1`, one thread each
/// (each member is deterministic for its seed, so the set is too).
fn train_members<M: Send>(k: usize, seed: u64, train_one: impl Fn(u64) -> M + Sync) -> Vec<M> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..k as u64)
            .map(|i| {
                let train_one = &train_one;
                scope.spawn(move || train_one(seed + i))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a training thread panicked"))
            .collect()
    })
}

/// Records in `meta` that the model is the mean of `k` members trained
/// with `settings`, and each member's seed and per-epoch dev scores.
fn record_members<'a>(
    meta: &mut serde_json::Map<String, serde_json::Value>,
    settings: serde_json::Value,
    members: impl Iterator<Item = &'a serde_json::Value>,
) {
    let reports: Vec<serde_json::Value> = members
        .map(|m| {
            serde_json::json!({
                "seed": m.get("settings").and_then(|s| s.get("seed")).cloned(),
                "epochs": m.get("epochs").cloned(),
            })
        })
        .collect();
    meta.insert("average".into(), reports.len().into());
    meta.insert("members".into(), reports.into());
    meta.insert("settings".into(), settings);
}

/// Reports the mean's dev scores and size, and records them in `meta`.
fn record_mean(
    meta: &mut serde_json::Map<String, serde_json::Value>,
    what: &str,
    dev_scores: serde_json::Value,
    (features, weights): (usize, usize),
    prune: f32,
) {
    let k = meta.get("average").cloned().unwrap_or_default();
    eprintln!(
        "mean of {k} {what}: dev {dev_scores} ({features} features, {weights} weights after pruning at {prune})"
    );
    meta.insert("dev".into(), dev_scores);
    meta.insert("features".into(), features.into());
}

/// How many parsers to average, and where to keep them (if anywhere).
struct Members<'a> {
    k: usize,
    dir: Option<&'a Path>,
}

/// Trains `k` parsers with seeds `settings.seed` and on, without pruning,
/// then averages them and prunes the mean. The metadata keeps every
/// member's per-epoch dev scores and the mean's dev scores.
fn train_average(
    train: &[Sent],
    dev_tagged: &[Sent],
    dev: &[Sent],
    clusters: Clusters,
    settings: &annalist_models::ParserSettings,
    mut meta: serde_json::Map<String, serde_json::Value>,
    members: Members,
) -> anyhow::Result<parser::Parser> {
    let Members {
        k,
        dir: members_dir,
    } = members;
    let members = train_members(k, settings.seed, |seed| {
        let member = annalist_models::ParserSettings {
            seed,
            prune: 0.0,
            ..settings.clone()
        };
        parser::train_with_clusters(
            train,
            dev_tagged,
            dev,
            clusters.clone(),
            &member,
            meta.clone(),
            &mut |m| eprintln!("[seed {seed}] {m}"),
        )
    });
    if let Some(dir) = members_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for (i, m) in members.iter().enumerate() {
            let path = dir.join(format!("member-{}.bin", settings.seed + i as u64));
            std::fs::write(&path, m.to_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    record_members(
        &mut meta,
        serde_json::to_value(settings).unwrap_or_default(),
        members.iter().map(|m| m.meta()),
    );
    let mean = parser::Parser::average(&members, settings.prune, serde_json::Value::Null)
        .context("the averaged parsers disagree on labels or clusters")?;
    let d = mean.evaluate(dev_tagged, dev);
    let dev_scores = serde_json::json!({"uas": d.uas_pct(), "las": d.las_pct()});
    record_mean(
        &mut meta,
        "parsers",
        dev_scores,
        mean.size(),
        settings.prune,
    );
    Ok(mean.with_meta(serde_json::Value::Object(meta)))
}

/// Trains `k` taggers with seeds `settings.seed` and on, without pruning,
/// then averages them and prunes the mean.
fn train_tagger_average(
    train: &[Sent],
    dev: &[Sent],
    clusters: Clusters,
    settings: &TaggerSettings,
    mut meta: serde_json::Map<String, serde_json::Value>,
    k: usize,
) -> anyhow::Result<Tagger> {
    let members = train_members(k, settings.seed, |seed| {
        let member = TaggerSettings {
            seed,
            prune: 0.0,
            ..settings.clone()
        };
        tagger::train_with_clusters(
            train,
            dev,
            clusters.clone(),
            &member,
            meta.clone(),
            &mut |m| eprintln!("[seed {seed}] {m}"),
        )
    });
    record_members(
        &mut meta,
        serde_json::to_value(settings).unwrap_or_default(),
        members.iter().map(|m| m.meta()),
    );
    let mean = Tagger::average(&members, settings.prune, serde_json::Value::Null)
        .context("the averaged taggers disagree on classes or clusters")?;
    let d = mean.evaluate(dev);
    let dev_scores =
        serde_json::json!({"upos": d.upos_pct(), "xpos": d.xpos_pct(), "lemma": d.lemma_pct()});
    record_mean(
        &mut meta,
        "taggers",
        dev_scores,
        mean.size(),
        settings.prune,
    );
    Ok(mean.with_meta(serde_json::Value::Object(meta)))
}
