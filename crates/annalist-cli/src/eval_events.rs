//! `annalist eval events`: code gold texts and score the events, actors and
//! places against the gold.

use annalist_eval::{news, plover};
use annalist_ingest::{Document, Origin};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist eval events ../shared/gold/dev\n  annalist eval events ../shared/data/plover/gsr_dev.jsonl\n\n\
News gold files (*.gold.json, format in ../shared/gold/GUIDELINE.md) are scored by event P/R/F1 with per-type figures, \
sector, location, modality, date and actor-country accuracy. PLOVER sentence files (*.jsonl) are scored by \
event type accuracy, type + dyad accuracy, spurious events per sentence and actor-country accuracy."
)]
pub struct Args {
    /// Gold files or directories of `*.gold.json` files, or PLOVER sentence files (`*.jsonl`).
    #[arg(required_unless_present = "cv")]
    pub paths: Vec<PathBuf>,
    /// Cross-validate the learned coder on the annotated corpus (--gold, --standoff) with K folds by
    /// article: each article is coded by a model trained without it. Every annotated event counts.
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    /// With --cv: also train on 25% and 50% of the training folds (a learning curve).
    #[arg(long, requires = "cv")]
    pub curve: bool,
    /// With --cv: also code each annotated sentence alone, by the rules and by the held-out
    /// model, and score it as `score.py gsr` scores PLOVER sentences (type; type and parties).
    #[arg(long, requires = "cv")]
    pub sentences: bool,
    /// With --cv: write the cross-validated records here (for ../shared/tools/score.py).
    #[arg(long, value_name = "FILE", requires = "cv")]
    pub records: Option<PathBuf>,
    #[command(flatten)]
    pub corpus: crate::train_events::CorpusArgs,
    /// The event coder to score: the lexicon rules or the built-in learned model.
    #[arg(long, value_enum, default_value_t = crate::train_events::CoderChoice::Rules)]
    pub coder: crate::train_events::CoderChoice,
    /// Score this learned event model (written by `annalist train events`).
    #[arg(long, value_name = "FILE")]
    pub event_model: Option<PathBuf>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also print every PLOVER sentence whose type or dyad is missed, with its text.
    #[arg(long)]
    pub misses: bool,
}

fn gold_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.to_string_lossy().ends_with(".gold.json"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn document(doc_id: &str, text: &str, path: &Path) -> Document {
    Document {
        origin: Origin {
            source: path.display().to_string(),
            line: None,
            index: 0,
        },
        doc_id: Some(doc_id.to_string()),
        text: text.to_string(),
        ..Document::default()
    }
}

/// `--cv K`: cross-validated figures over every annotated event.
fn run_cv(args: &Args, k: usize) -> anyhow::Result<ExitCode> {
    // `eval events --cv 5 DIR...`: the directories named are the corpus, in
    // place of the defaults; each holds gold files or stand-off files.
    let mut corpus = args.corpus.clone();
    if !args.paths.is_empty() {
        corpus.gold.clear();
        corpus.standoff.clear();
        for p in &args.paths {
            let holds = |suffix: &str| {
                std::fs::read_dir(p).is_ok_and(|d| {
                    d.filter_map(Result::ok)
                        .any(|e| e.file_name().to_string_lossy().ends_with(suffix))
                })
            };
            if holds(".gold.json") {
                corpus.gold.push(p.display().to_string());
            } else if holds(".ann.json") {
                corpus.standoff.push(p.display().to_string());
            } else {
                anyhow::bail!(
                    "{}: no *.gold.json or *.ann.json files; hint: name a directory of annotated articles",
                    p.display()
                );
            }
        }
    }
    let (runs, raw) = crate::train_events::run_cv(
        &corpus,
        k,
        args.curve,
        args.sentences,
        args.records.as_deref(),
    )?;
    let mut golds = Vec::new();
    for g in &raw {
        let mut g = g.clone();
        // Exhaustive annotations: every event counts for recall.
        for e in g["events"].as_array_mut().into_iter().flatten() {
            e["required"] = serde_json::Value::Bool(true);
        }
        golds.push(serde_json::from_value::<news::GoldDoc>(g)?);
    }
    let mut out = Vec::new();
    for (fraction, cv) in &runs {
        let mut report = news::NewsReport::default();
        for (gold, record) in golds.iter().zip(&cv.records) {
            news::score_doc(gold, record, &mut report);
        }
        out.push((fraction, report, cv));
    }
    if args.json {
        let v: Vec<_> = out
            .iter()
            .map(|(f, r, cv)| {
                let (t, s, pl) = (cv.triggers, cv.sides, cv.places);
                serde_json::json!({"fraction": f, "folds": k, "news": r,
                    "triggers": {"events": t.events, "right_type": t.right_type,
                        "other_type": t.other_type, "non_events": t.non_events, "coded": t.coded},
                    "sides_given_trigger": {"right": s.0, "events": s.1},
                    "places_given_trigger_and_sides": {"right": pl.0, "events": pl.1}})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (fraction, report, cv) in &out {
        let (triggers, sides, places, sentences) = (cv.triggers, cv.sides, cv.places, cv.sentences);
        println!(
            "{k}-fold cross-validation, {} articles, training on {:.0}% of the other folds:",
            golds.len(),
            *fraction * 100.0
        );
        // The trigger model alone, at the annotated words: where recall is
        // lost before any side is chosen.
        let t = triggers;
        println!(
            "annotated event words coded with their type: {:.3} ({}/{}), with another type {}, not coded {}; words annotated as no event coded: {:.3} ({}/{})",
            t.right_type as f64 / t.events.max(1) as f64,
            t.right_type,
            t.events,
            t.other_type,
            t.events - t.right_type - t.other_type,
            t.coded as f64 / t.non_events.max(1) as f64,
            t.coded,
            t.non_events
        );
        // The side model alone: the annotated trigger and type given, how
        // often the best pair is the annotated one.
        println!(
            "sides given the annotated trigger and type: {:.3} ({}/{})",
            sides.0 as f64 / sides.1.max(1) as f64,
            sides.0,
            sides.1
        );
        // The place model alone: the annotated trigger and sides given, how
        // often the best place lies in the annotated location's country.
        println!(
            "places given the annotated trigger and sides: {:.3} ({}/{})",
            places.0 as f64 / places.1.max(1) as f64,
            places.0,
            places.1
        );
        if sentences.sentences > 0 {
            let n = sentences.sentences as f64;
            println!(
                "annotated sentences coded alone ({}): type rules {:.3} learned {:.3}; type + parties rules {:.3} learned {:.3}",
                sentences.sentences,
                sentences.rules_type as f64 / n,
                sentences.learned_type as f64 / n,
                sentences.rules_parties as f64 / n,
                sentences.learned_parties as f64 / n
            );
        }
        print!("{}", news::format_report(report));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(k) = args.cv {
        return run_cv(&args, k);
    }
    let pipeline =
        crate::train_events::pipeline_with_coder(args.coder, args.event_model.as_deref())?;
    let mut news_report = news::NewsReport::default();
    let mut plover_report = plover::PloverReport::default();
    let (mut n_news, mut n_plover) = (0, 0);
    for path in gold_files(&args.paths)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if path.extension().is_some_and(|e| e == "jsonl") {
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let gold: plover::GoldSentence = serde_json::from_str(line).with_context(|| {
                    format!("{}:{}: not a PLOVER gold sentence", path.display(), i + 1)
                })?;
                let record = pipeline.code(document(&gold.id, &gold.text, &path));
                let before = plover_report.misses.len();
                let actors_before = plover_report.actor_misses.len();
                plover::score_sentence(&gold, &record, &mut plover_report);
                if args.misses && plover_report.misses.len() > before {
                    println!("{}\n    {}", plover_report.misses[before], gold.text);
                }
                if args.misses {
                    for m in &plover_report.actor_misses[actors_before..] {
                        println!("actor {m}");
                    }
                }
                n_plover += 1;
            }
        } else {
            let gold: news::GoldDoc = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{}: not a news gold file (see ../shared/gold/GUIDELINE.md)",
                    path.display()
                )
            })?;
            let mut doc = document(&gold.doc_id, &gold.text, &path);
            doc.url = gold.url.clone();
            doc.publisher = gold.publisher.clone();
            doc.license = gold.license.clone();
            doc.published = gold.published.clone();
            let record = pipeline.code(doc);
            let (l0, d0, s0) = (
                news_report.location_misses.len(),
                news_report.date_misses.len(),
                news_report.spurious.len(),
            );
            news::score_doc(&gold, &record, &mut news_report);
            if args.misses {
                for m in &news_report.location_misses[l0..] {
                    println!("location {m}");
                }
                for m in &news_report.date_misses[d0..] {
                    println!("date {m}");
                }
                for m in &news_report.spurious[s0..] {
                    println!("spurious {m}");
                }
            }
            n_news += 1;
        }
    }
    if args.json {
        let v = serde_json::json!({
            "news": (n_news > 0).then_some(&news_report),
            "plover": (n_plover > 0).then_some(&plover_report),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if n_news > 0 {
        println!("news gold: {n_news} documents");
        print!("{}", news::format_report(&news_report));
    }
    if n_plover > 0 {
        println!("PLOVER gold sentences");
        print!("{}", plover::format_report(&plover_report));
    }
    Ok(ExitCode::SUCCESS)
}
