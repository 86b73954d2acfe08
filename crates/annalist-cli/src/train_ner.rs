//! `annalist train ner`: harmonise the NER corpora, compile the gazetteer,
//! train the recogniser and write the model file.

use annalist_doc::EntityType;
use annalist_ner::corpus::{self, RawSentence};
use annalist_ner::gazetteer::{GazKind, Gazetteer};
use annalist_ner::lexicon::{self, Lexicon, LexiconConfig};
use annalist_ner::score;
use annalist_ner::train::{self, TrainConfig, TrainSentence};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  annalist train ner --data ../shared/data --out crates/annalist-ner/models/ner.bin\n\n\
Training data (under --data): Universal NER EWT train, GUM train documents (proper-name mentions), \
wikigold, CrossNER politics train+dev and re3d. Evaluation files never enter training."
)]
pub struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the model.
    #[arg(long, short, default_value = "crates/annalist-ner/models/ner.bin")]
    pub out: PathBuf,
    /// Corpora to train on, comma-separated: uner, gum, wikigold, crossner,
    /// re3d, and the dev files uner-dev and gum-dev. The default is the
    /// committed model's recipe; to compare settings on held-out dev data,
    /// leave the dev files out (`--sets uner,gum,wikigold,crossner`).
    #[arg(long, default_value = "uner,gum,wikigold,crossner,uner-dev,gum-dev")]
    pub sets: String,
    /// Training epochs.
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// How many times each Universal NER sentence is shown per epoch, so
    /// that its conventions win where the corpora disagree.
    #[arg(long, default_value_t = 2)]
    pub uner_repeat: u32,
    /// How many times each wikigold sentence is shown per epoch.
    #[arg(long, default_value_t = 1)]
    pub wikigold_repeat: u32,
    /// Drop features seen fewer times than this.
    #[arg(long, default_value_t = 2)]
    pub min_count: u32,
    /// Drop features whose averaged weights are all at most this.
    #[arg(long, default_value_t = 2.0)]
    pub prune: f32,
    /// Seed for the order of training sentences.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Train this many models (seeds seed, seed+1, ...) and average them.
    #[arg(long, default_value_t = 3)]
    pub average: u64,
    /// Leave the gazetteer out (to measure what it adds).
    #[arg(long)]
    pub no_gazetteer: bool,
    /// Leave the news word statistics (capitalisation, clusters) out.
    #[arg(long)]
    pub no_lexicon: bool,
    /// Words clustered by the news word statistics (the most frequent).
    #[arg(long, default_value_t = 50_000)]
    pub cluster_words: usize,
    /// Context words describing a word's neighbours for the clusters.
    #[arg(long, default_value_t = 300)]
    pub cluster_context: usize,
    /// Number of fine clusters.
    #[arg(long, default_value_t = 384)]
    pub clusters: usize,
    /// Words seen fewer times in the news get no statistics.
    #[arg(long, default_value_t = 3)]
    pub lexicon_min_count: u32,
    /// Cache for the news word statistics (built once, reused when present).
    /// (default: a file in the temporary directory named after the settings,
    /// so that changed settings never reuse a stale cache).
    #[arg(long)]
    pub lexicon_cache: Option<PathBuf>,
    /// Dev file scored after each epoch (never trained on).
    #[arg(long)]
    pub dev: Option<PathBuf>,
}

/// FNV-1a of a file's bytes, recorded in the model's metadata so that a
/// model says exactly which data it was trained on.
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

struct Loaded {
    sources: Vec<serde_json::Value>,
}

impl Loaded {
    fn read(&mut self, path: &Path) -> anyhow::Result<String> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read {}; hint: pass --data", path.display()))?;
        self.sources.push(serde_json::json!({
            "file": path.file_name().map(|n| n.to_string_lossy().to_string()),
            "fnv1a": fnv(&bytes),
        }));
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn cols(line: &str) -> Vec<&str> {
    line.split('\t').collect()
}

/// Compiles the gazetteer from the shared data plus the hand-written lists.
fn compile_gazetteer(data: &Path, loaded: &mut Loaded) -> anyhow::Result<Gazetteer> {
    let mut g = Gazetteer::new();
    g.add_hand_lists();
    for w in [
        "US", "U.S.", "USA", "U.S.A.", "UK", "U.K.", "UAE", "EU", "America", "Britain",
    ] {
        g.add(GazKind::Country, w);
    }

    let countries = loaded.read(&data.join("countries/countries_demonyms_merged.tsv"))?;
    let mut lines = countries.lines();
    let header = cols(lines.next().unwrap_or(""));
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (c_name, c_common, c_official, c_alt) = (
        col("geonames_name"),
        col("wc_common_name"),
        col("wc_official_name"),
        col("wc_altSpellings"),
    );
    let (d_m, d_f, f_noun, f_adj) = (
        col("wc_demonym_eng_m"),
        col("wc_demonym_eng_f"),
        col("factbook_noun"),
        col("factbook_adjective"),
    );
    let caps = [
        col("geonames_capital"),
        col("wc_capital"),
        col("factbook_capital"),
    ];
    for line in lines {
        let f = cols(line);
        let get = |c: Option<usize>| c.and_then(|c| f.get(c)).copied().unwrap_or("");
        for c in [c_name, c_common, c_official] {
            g.add(GazKind::Country, get(c));
        }
        for alt in get(c_alt).split('|') {
            // Two-letter codes are too ambiguous ("IN", "IT", "AM").
            if alt.chars().count() > 2 {
                g.add(GazKind::Country, alt);
            }
        }
        for c in [d_m, d_f, f_noun, f_adj] {
            for d in get(c).split([';', ',', '/']) {
                let d = d.trim().replace("(s)", "").replace("(es)", "");
                let d = d.trim();
                if d.is_empty() || d.chars().count() < 3 {
                    continue;
                }
                g.add(GazKind::Demonym, d);
                // Plural demonyms ("Iranians", "Afghans", "Israelis").
                if d.ends_with("an") || d.ends_with('i') || d.ends_with("ik") {
                    g.add(GazKind::Demonym, &format!("{d}s"));
                }
            }
        }
        for c in caps {
            g.add(GazKind::City, get(c));
        }
    }

    // People in office: given names and surnames as name-part lists. The CIA
    // list writes surnames in capitals ("Mohammad Farid HAMIDI").
    let leaders = loaded.read(&data.join("people/cia_world_leaders_2019.tsv"))?;
    let title_case = |w: &str| -> String {
        let mut cs = w.chars();
        match cs.next() {
            Some(c) => c
                .to_uppercase()
                .chain(cs.flat_map(char::to_lowercase))
                .collect(),
            None => String::new(),
        }
    };
    for line in leaders.lines().skip(1) {
        let Some(person) = cols(line).get(2).copied() else {
            continue;
        };
        for w in person.split_whitespace() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.chars().count() < 3 {
                continue;
            }
            if w.chars().all(|c| !c.is_lowercase()) {
                g.add(GazKind::Surname, &title_case(w));
            } else if w.chars().next().is_some_and(char::is_uppercase) {
                g.add(GazKind::FirstName, w);
            }
        }
    }
    for (file, col) in [
        ("people/wikidata_heads_of_state_gov_2022.csv", 5),
        ("people/wikidata_foreign_ministers_2022.csv", 1),
    ] {
        let text = loaded.read(&data.join(file))?;
        for line in text.lines().skip(1) {
            // Names hold no commas in these files; a quoted field is skipped.
            let Some(name) = line.split(',').nth(col) else {
                continue;
            };
            let parts: Vec<&str> = name.split_whitespace().collect();
            if parts.len() >= 2 && !name.contains('"') {
                g.add(GazKind::FirstName, parts[0]);
                g.add(GazKind::Surname, parts[parts.len() - 1]);
            }
        }
    }

    // Organisation names: international organisations, NGOs, companies and
    // armed groups from the Phoenix actor dictionaries ("SAMSUNG_ [MNCKOR]").
    for (file, all_codes) in [
        (
            "petrarch2/dictionaries/Phoenix.International.actors.txt",
            false,
        ),
        (
            "petrarch2/dictionaries/Phoenix.MilNonState.actors.txt",
            true,
        ),
    ] {
        let text = loaded.read(&data.join(file))?;
        for line in text.lines() {
            if !line.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                continue;
            }
            let Some((name, rest)) = line.split_once('[') else {
                continue;
            };
            let code = rest.trim_start();
            if !(all_codes || ["IGO", "NGO", "MNC"].iter().any(|p| code.starts_with(p))) {
                continue;
            }
            let name = name.trim().trim_end_matches('_').replace('_', " ");
            if name.is_empty() || name.contains(' ') && name.split(' ').count() > 8 {
                continue;
            }
            g.add(GazKind::OrgName, &name);
            // Companies are usually written without their legal suffix.
            let suffixes = [
                " INC",
                " CORP",
                " CORPORATION",
                " CO",
                " LTD",
                " PLC",
                " GROUP",
                " HOLDINGS",
                " LLC",
                " COMPANY",
                " AG",
                " SA",
            ];
            for suf in suffixes {
                if let Some(short) = name.strip_suffix(suf) {
                    if short.len() > 2 {
                        g.add(GazKind::OrgName, short);
                    }
                }
            }
        }
    }

    let cities = loaded.read(&data.join("gazetteer/geonames_cities15000.txt"))?;
    for line in cities.lines() {
        let f = cols(line);
        if f.len() > 2 {
            g.add(GazKind::City, f[1]);
            if f[2] != f[1] {
                g.add(GazKind::City, f[2]);
            }
        }
    }
    let admin1 = loaded.read(&data.join("gazetteer/geonames_admin1CodesASCII_2021.txt"))?;
    for line in admin1.lines() {
        let f = cols(line);
        if f.len() > 2 {
            g.add(GazKind::Region, f[1]);
            if f[2] != f[1] {
                g.add(GazKind::Region, f[2]);
            }
        }
    }
    Ok(g)
}

/// GUM documents of one split ("train": every document of the kept genres
/// that `splits.md` does not list under dev or test; "dev"; "test").
fn gum_split(data: &Path, loaded: &mut Loaded, split: &str) -> anyhow::Result<Vec<RawSentence>> {
    let splits = loaded.read(&data.join("gum/splits.md"))?;
    let mut listed: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut section = String::new();
    for line in splits.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
        } else if let Some(doc) = line.trim().strip_prefix("* ") {
            listed.insert(doc.trim().to_string(), section.clone());
        }
    }
    let kept_genres = [
        "academic",
        "bio",
        "interview",
        "news",
        "speech",
        "textbook",
        "vlog",
        "voyage",
    ];
    let dir = data.join("gum/dep");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conllu"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for p in files {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let genre = stem.split('_').nth(1).unwrap_or("");
        let in_split = match listed.get(&stem) {
            Some(sec) => sec == split,
            None => split == "train",
        };
        if !in_split || !kept_genres.contains(&genre) {
            continue;
        }
        let n = out.last().map_or(0, |s: &RawSentence| s.doc + 1);
        out.extend(
            corpus::read_gum_conllu(&loaded.read(&p)?)
                .into_iter()
                .map(|mut s| {
                    s.doc = n;
                    s
                }),
        );
    }
    Ok(out)
}

fn read_iob_file(path: &Path, loaded: &mut Loaded) -> anyhow::Result<Vec<RawSentence>> {
    let (s, bad) = corpus::read_iob(&loaded.read(path)?);
    if let Some(l) = bad.first() {
        eprintln!(
            "warning: {}:{l}: skipped {} malformed line(s)",
            path.display(),
            bad.len()
        );
    }
    Ok(s)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let data = &args.data;
    let mut loaded = Loaded {
        sources: Vec::new(),
    };
    let gaz = if args.no_gazetteer {
        Gazetteer::new()
    } else {
        compile_gazetteer(data, &mut loaded)?
    };
    eprintln!("gazetteer: {} phrases", gaz.len());
    let lex = if args.no_lexicon {
        Lexicon::default()
    } else {
        let path = data.join("news/tehrantimes/articles.jsonl.gz");
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        loaded.sources.push(
            serde_json::json!({"file": "tehrantimes/articles.jsonl.gz", "fnv1a": fnv(&bytes)}),
        );
        let cache = args.lexicon_cache.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!(
                "annalist-ner-lexicon-{}-{}-{}-{}-{}.bin",
                fnv(&bytes),
                args.cluster_words,
                args.lexicon_min_count,
                args.cluster_context,
                args.clusters
            ))
        });
        match std::fs::read(&cache)
            .ok()
            .and_then(|b| Lexicon::from_bytes(&b))
        {
            Some(l) => l,
            None => {
                let texts = lexicon::texts_from_jsonl_gz(&bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                eprintln!("lexicon: {} articles without wire copy", texts.len());
                let l = Lexicon::build(
                    texts.iter().map(String::as_str),
                    &LexiconConfig {
                        cluster_words: args.cluster_words,
                        min_count: args.lexicon_min_count,
                        context_words: args.cluster_context,
                        fine_k: args.clusters,
                        ..LexiconConfig::default()
                    },
                );
                std::fs::write(&cache, l.to_bytes()).ok();
                l
            }
        }
    };
    eprintln!(
        "lexicon: {} words ({:.0}s)",
        lex.len(),
        t0.elapsed().as_secs_f64()
    );

    let mut train_data: Vec<(TrainSentence, u32)> = Vec::new();
    let mut counts = serde_json::Map::new();
    for set in args
        .sets
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let before = train_data.len();
        match set {
            "uner" => {
                let p = data.join("ner/uner_en_ewt/en_ewt-ud-train.EARLY-0c7ce0d.iob2");
                for s in read_iob_file(&p, &mut loaded)? {
                    train_data.push((corpus::harmonise(&s, corpus::map_common), args.uner_repeat));
                }
            }
            // The dev files, for a final model once settings are chosen on
            // them (its dev scores are then no longer a held-out measure).
            "uner-dev" => {
                let p = data.join("ner/uner_en_ewt/en_ewt-ud-dev.iob2");
                for s in read_iob_file(&p, &mut loaded)? {
                    train_data.push((corpus::harmonise(&s, corpus::map_common), args.uner_repeat));
                }
            }
            "gum-dev" => {
                for s in gum_split(data, &mut loaded, "dev")? {
                    train_data.push((corpus::harmonise(&s, corpus::map_common), 1));
                }
            }
            "gum" => {
                for s in gum_split(data, &mut loaded, "train")? {
                    train_data.push((corpus::harmonise(&s, corpus::map_common), 1));
                }
            }
            "wikigold" => {
                let p = data.join("ner/wikigold/wikigold.conll.txt");
                for s in read_iob_file(&p, &mut loaded)? {
                    train_data.push((corpus::harmonise(&s, corpus::map_common), args.wikigold_repeat));
                }
            }
            "crossner" => {
                for f in ["politics_train.txt", "politics_dev.txt"] {
                    let p = data.join("ner/crossner_politics").join(f);
                    for s in read_iob_file(&p, &mut loaded)? {
                        train_data.push((corpus::harmonise(&s, corpus::map_crossner), 1));
                    }
                }
            }
            "re3d" => {
                let dir = data.join("ner/re3d");
                let mut subs: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot read directory {}", dir.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_dir())
                    .collect();
                subs.sort();
                for sub in subs {
                    let docs = loaded.read(&sub.join("documents.json"))?;
                    let ents = loaded.read(&sub.join("entities.json"))?;
                    for s in corpus::read_re3d(&docs, &ents) {
                        train_data.push((corpus::harmonise_with(&s, corpus::map_re3d_span), 1));
                    }
                }
            }
            other => anyhow::bail!(
                "unknown training set {other:?}; hint: use uner, gum, wikigold, crossner, re3d, uner-dev, gum-dev"
            ),
        }
        let n = train_data.len() - before;
        let ents: usize = train_data[before..]
            .iter()
            .map(|(s, _)| s.spans.len())
            .sum();
        eprintln!("{set}: {n} sentences, {ents} entities");
        counts.insert(
            set.to_string(),
            serde_json::json!({"sentences": n, "entities": ents}),
        );
    }
    anyhow::ensure!(
        !train_data.is_empty(),
        "no training sentences; hint: check --sets and --data"
    );

    let dev_path = args
        .dev
        .clone()
        .unwrap_or_else(|| data.join("ner/uner_en_ewt/en_ewt-ud-dev.iob2"));
    let dev = match std::fs::read_to_string(&dev_path) {
        Ok(t) => corpus::read_iob(&t).0,
        Err(e) => {
            eprintln!(
                "warning: no dev scores: cannot read {}: {e}",
                dev_path.display()
            );
            Vec::new()
        }
    };

    // GUM dev: a second dev set in news and encyclopedic styles, to weigh
    // choices against the web style of EWT.
    let gum_dev = gum_split(
        data,
        &mut Loaded {
            sources: Vec::new(),
        },
        "dev",
    )
    .unwrap_or_default();
    let cfg = TrainConfig {
        epochs: args.epochs,
        min_count: args.min_count,
        prune: 0.0,
        seed: args.seed,
    };
    let mut dev_f1 = Vec::new();
    let mut models = Vec::new();
    for run in 0..args.average.max(1) {
        let cfg = TrainConfig {
            seed: args.seed + run,
            ..cfg.clone()
        };
        let model = train::train(
            &train_data,
            gaz.clone(),
            lex.clone(),
            &cfg,
            |epoch, errors, model| {
                let f1 = if dev.is_empty() {
                    f64::NAN
                } else {
                    score::evaluate(model, &dev).total().f1()
                };
                dev_f1.push(f1);
                let g = score::evaluate(model, &gum_dev).total().f1();
                eprintln!(
                "run {run} epoch {epoch}: {errors} sentences wrong, dev F1 {f1:.4}, gum dev F1 {g:.4}, {} features, {:.0}s",
                model.feature_count(),
                t0.elapsed().as_secs_f64()
            );
            },
        );
        models.push(model);
    }
    let mut ner = train::average(&models).context("models to average differ in their tags")?;
    drop(models);
    // Pruning after averaging: small weights cost memory and lookups for
    // no accuracy (measured on EWT dev: 93k → 38k features at 2.0, same F1).
    ner.prune(args.prune);
    if args.average > 1 {
        let g = score::evaluate(&ner, &gum_dev).total().f1();
        eprintln!("averaged {} models: gum dev F1 {g:.4}", args.average);
    }
    let dev_scores = if dev.is_empty() {
        serde_json::Value::Null
    } else {
        let s = score::evaluate(&ner, &dev);
        eprint!("{}", score::report(&s));
        let per: serde_json::Map<String, serde_json::Value> = s
            .per_label
            .iter()
            .map(|(l, c)| {
                (
                    l.as_str().to_string(),
                    serde_json::json!((c.f1() * 1000.0).round() / 1000.0),
                )
            })
            .collect();
        serde_json::json!({"file": dev_path.file_name().map(|n| n.to_string_lossy().to_string()),
            "f1": (s.total().f1() * 10000.0).round() / 10000.0, "per_label": per})
    };
    if let Ok(path) = std::env::var("ANNALIST_NER_DUMP_GUM_DEV") {
        // A debugging aid: the harmonised GUM dev gold as IOB2, to compare
        // with `annalist ner` output.
        let mut text = String::new();
        for s in &gum_dev {
            let spans: Vec<(usize, usize, EntityType)> = s
                .spans
                .iter()
                .filter_map(|(a, b, l)| corpus::map_common(l).map(|t| (*a, *b, t)))
                .collect();
            for (i, (w, t)) in s
                .words
                .iter()
                .zip(corpus::to_iob2(s.words.len(), &spans))
                .enumerate()
            {
                text.push_str(&format!("{}\t{w}\t{t}\t-\t-\n", i + 1));
            }
            text.push('\n');
        }
        std::fs::write(path, text).ok();
    }
    let types: Vec<&str> = ner
        .labels()
        .iter()
        .map(|t: &EntityType| t.as_str())
        .collect();
    ner.meta = serde_json::json!({
        "component": "annalist-ner",
        "trained_by": format!("annalist {} train ner", env!("CARGO_PKG_VERSION")),
        "sets": args.sets,
        "epochs": args.epochs,
        "uner_repeat": args.uner_repeat,
        "min_count": args.min_count,
        "prune": args.prune,
        "labels": types,
        "features": ner.feature_count(),
        "gazetteer_phrases": ner.gazetteer().len(),
        "lexicon_words": ner.lexicon().len(),
        "corpora": counts,
        "sources": loaded.sources,
        "dev": dev_scores,
        // With the dev files in training the dev scores above are not a
        // held-out measure; the held-out figures are those of the same
        // settings trained without them.
        "dev_in_training": args.sets.contains("-dev"),
    });
    let bytes = ner.to_bytes();
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent).ok();
    }
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB, {} features) in {:.0}s",
        args.out.display(),
        bytes.len() as f64 / 1e6,
        ner.feature_count(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
