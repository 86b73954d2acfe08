//! `annalist bench`: throughput per stage and end to end, peak memory and
//! model load time.
//!
//! Stages are timed separately over the same documents (tokenizer and
//! splitter, tagger, parser), then the whole `Pipeline::annotate` and the
//! end-to-end `Pipeline::code` (record included). Each figure is the median
//! of `--runs` runs.

use annalist_doc::Doc;
use annalist_ingest::Document;
use annalist_models::{Parser, Tagger};
use annalist_pipeline::Pipeline;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Input documents, any format `annalist code` reads.
    #[arg(
        long,
        default_value = "../shared/data/news/tehrantimes/articles.jsonl.gz"
    )]
    input: PathBuf,
    /// How many documents to use (from the start of the input).
    #[arg(long, default_value_t = 3000)]
    docs: usize,
    /// Runs per stage; the median is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

/// Peak resident memory (VmHWM) in MB, where /proc gives it.
fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Seconds this thread has spent on a CPU (from /proc/self/schedstat), so
/// that throughput on a busy machine can be given per CPU-second as well.
fn cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Runs `f`, returning (wall seconds, CPU seconds or wall if unknown).
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let c = cpu_secs();
    let t = Instant::now();
    f();
    let wall = t.elapsed().as_secs_f64();
    let cpu = match (c, cpu_secs()) {
        (Some(a), Some(b)) => b - a,
        _ => wall,
    };
    (wall, cpu)
}

fn text_layer(doc: &mut Doc) {
    annalist_text::meta::detect(doc);
    annalist_text::tokenize::tokenize(doc);
    annalist_text::sentences::split_sentences(doc);
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut tagger = None;
    let (tagger_ms, tagger_cpu_ms) = timed(|| tagger = Some(Tagger::builtin()));
    let tagger = tagger.expect("set above").context("the built-in tagger")?;
    let mut parser = None;
    let (parser_ms, parser_cpu_ms) = timed(|| parser = Some(Parser::builtin()));
    let parser = parser.expect("set above").context("the built-in parser")?;
    let mut pipeline = None;
    let (pipeline_ms, pipeline_cpu_ms) = timed(|| pipeline = Some(Pipeline::builtin()));
    let pipeline = pipeline
        .expect("set above")
        .map_err(|e| anyhow::anyhow!("loading the pipeline: {e}"))?;
    let ms = |s: f64| s * 1e3;
    let (tagger_ms, tagger_cpu_ms, parser_ms, parser_cpu_ms, pipeline_ms, pipeline_cpu_ms) = (
        ms(tagger_ms),
        ms(tagger_cpu_ms),
        ms(parser_ms),
        ms(parser_cpu_ms),
        ms(pipeline_ms),
        ms(pipeline_cpu_ms),
    );

    let name = args.input.display().to_string();
    let file = std::fs::File::open(&args.input).with_context(|| {
        format!("cannot open {name}; hint: pass --input with a news file (JSON Lines, text, ...)")
    })?;
    let inputs: Vec<Document> =
        annalist_ingest::read(&name, Box::new(std::io::BufReader::new(file)), None)
            .filter_map(Result::ok)
            .take(args.docs)
            .collect();
    if inputs.is_empty() {
        anyhow::bail!("{name}: no readable documents");
    }
    let chars: usize = inputs.iter().map(|d| d.text.len()).sum();

    let fresh = || -> Vec<Doc> {
        inputs
            .iter()
            .enumerate()
            .map(|(i, d)| Doc::new(format!("d{i}"), d.text.clone()))
            .collect()
    };
    let runs = args.runs.max(1);
    // Wall and CPU seconds per stage, one entry per run.
    let mut times: Vec<[(f64, f64); 8]> = Vec::new();
    let mut tokens = 0usize;
    let mut sentences = 0usize;
    for run in 0..runs {
        let mut docs = fresh();
        let text = timed(|| {
            for d in &mut docs {
                text_layer(d);
            }
        });
        tokens = docs.iter().map(|d| d.tokens.len()).sum();
        sentences = docs.iter().map(|d| d.sentences.len()).sum();
        let tag = timed(|| {
            for d in &mut docs {
                tagger.tag_doc(d);
            }
        });
        let parse = timed(|| {
            for d in &mut docs {
                parser.parse_doc(d);
            }
        });
        // The later stages, each alone over the parsed docs.
        let ner = timed(|| {
            for d in &mut docs {
                pipeline.annotate_entities(d);
            }
        });
        let actors = timed(|| {
            for d in &mut docs {
                pipeline.annotate_actors(d);
            }
        });
        let events = timed(|| {
            for d in &mut docs {
                pipeline.annotate_events(d);
            }
        });
        let mut docs = fresh();
        let pipe = timed(|| {
            for d in &mut docs {
                pipeline.annotate(d);
            }
        });
        let mut n = 0usize;
        let code = timed(|| {
            for d in inputs.iter().cloned() {
                n += pipeline.code(d).sentences.len();
            }
        });
        times.push([text, tag, parse, pipe, code, ner, actors, events]);
        eprintln!("run {}/{runs} done ({n} sentences coded)", run + 1);
    }
    let med = |k: usize, cpu: bool| {
        median(
            times
                .iter()
                .map(|t| if cpu { t[k].1 } else { t[k].0 })
                .collect(),
        )
    };
    let (mt, mg, mp, mpi, mc) = (
        med(0, false),
        med(1, false),
        med(2, false),
        med(3, false),
        med(4, false),
    );
    let (ct, cg, cp, cpi, cc) = (
        med(0, true),
        med(1, true),
        med(2, true),
        med(3, true),
        med(4, true),
    );
    let (mn, ma, me) = (med(5, false), med(6, false), med(7, false));
    let (cn, ca, ce) = (med(5, true), med(6, true), med(7, true));
    let tps = |s: f64| tokens as f64 / s.max(1e-9);
    // Shares of the whole pipeline's CPU time (issue 4: NER < 30%; issue 6:
    // coding, actors and events, < 20%).
    let share = |c: f64| 100.0 * c / cpi.max(1e-9);
    let rss = peak_rss_mb();
    if args.json {
        let v = serde_json::json!({
            "docs": inputs.len(), "tokens": tokens, "sentences": sentences, "bytes": chars, "runs": runs,
            "tokens_per_s": {
                "tokenizer_splitter": tps(mt), "tagger": tps(mg), "parser": tps(mp),
                "tokenizer_tagger_parser": tps(mt + mg + mp),
                "pipeline": tps(mpi), "end_to_end": tps(mc),
                "ner": tps(mn), "actors": tps(ma), "events": tps(me),
            },
            "share_of_pipeline_cpu_pct": {
                "ner": share(cn), "actors": share(ca), "events": share(ce),
                "coding": share(ca + ce),
            },
            "tokens_per_cpu_s": {
                "tokenizer_splitter": tps(ct), "tagger": tps(cg), "parser": tps(cp),
                "tokenizer_tagger_parser": tps(ct + cg + cp),
                "pipeline": tps(cpi), "end_to_end": tps(cc),
            },
            "load_ms": {"tagger": tagger_ms, "parser": parser_ms, "pipeline": pipeline_ms},
            "load_cpu_ms": {"tagger": tagger_cpu_ms, "parser": parser_cpu_ms, "pipeline": pipeline_cpu_ms},
            "peak_rss_mb": rss,
        });
        println!("{v}");
    } else {
        println!(
            "{} docs, {} tokens, {} sentences, {:.1} MB of text; median of {runs} runs",
            inputs.len(),
            tokens,
            sentences,
            chars as f64 / 1e6
        );
        println!("stage                      tokens/s     seconds  tokens/CPU-s");
        for (name, s, c) in [
            ("tokenizer + splitter", mt, ct),
            ("tagger + lemmatizer", mg, cg),
            ("parser", mp, cp),
            ("tokenizer+tagger+parser", mt + mg + mp, ct + cg + cp),
            ("entity tagger", mn, cn),
            ("actors + places", ma, ca),
            ("event coder", me, ce),
            ("pipeline (annotate)", mpi, cpi),
            ("end to end (code)", mc, cc),
        ] {
            println!("{name:<24} {:>11.0} {:>11.3} {:>13.0}", tps(s), s, tps(c));
        }
        println!("(tokens/CPU-s divides by the time this thread was on a CPU: the one-core figure on a busy machine)");
        println!(
            "share of the pipeline's CPU time: entity tagger {:.1}%, coding {:.1}% (actors {:.1}%, events {:.1}%)",
            share(cn),
            share(ca + ce),
            share(ca),
            share(ce)
        );
        println!(
            "model load: tagger {tagger_ms:.0} ms, parser {parser_ms:.0} ms, whole pipeline {pipeline_ms:.0} ms \
             (CPU: {tagger_cpu_ms:.0}, {parser_cpu_ms:.0}, {pipeline_cpu_ms:.0} ms)"
        );
        match rss {
            Some(mb) => println!("peak resident memory: {mb:.0} MB"),
            None => println!("peak resident memory: n/a"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
