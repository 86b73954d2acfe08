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

fn text_layer(doc: &mut Doc) {
    annalist_text::meta::detect(doc);
    annalist_text::tokenize::tokenize(doc);
    annalist_text::sentences::split_sentences(doc);
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let t = Instant::now();
    let tagger = Tagger::builtin().context("the built-in tagger")?;
    let tagger_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let parser = Parser::builtin().context("the built-in parser")?;
    let parser_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let pipeline = Pipeline::builtin().map_err(|e| anyhow::anyhow!("loading the pipeline: {e}"))?;
    let pipeline_ms = t.elapsed().as_secs_f64() * 1e3;

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
    let (mut t_text, mut t_tag, mut t_parse, mut t_pipe, mut t_code) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut tokens = 0usize;
    let mut sentences = 0usize;
    for run in 0..runs {
        let mut docs = fresh();
        let t = Instant::now();
        for d in &mut docs {
            text_layer(d);
        }
        t_text.push(t.elapsed().as_secs_f64());
        tokens = docs.iter().map(|d| d.tokens.len()).sum();
        sentences = docs.iter().map(|d| d.sentences.len()).sum();
        let t = Instant::now();
        for d in &mut docs {
            tagger.tag_doc(d);
        }
        t_tag.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for d in &mut docs {
            parser.parse_doc(d);
        }
        t_parse.push(t.elapsed().as_secs_f64());
        let mut docs = fresh();
        let t = Instant::now();
        for d in &mut docs {
            pipeline.annotate(d);
        }
        t_pipe.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut n = 0usize;
        for d in inputs.iter().cloned() {
            n += pipeline.code(d).sentences.len();
        }
        t_code.push(t.elapsed().as_secs_f64());
        eprintln!("run {}/{runs} done ({n} sentences coded)", run + 1);
    }
    let (mt, mg, mp, mpi, mc) = (
        median(t_text),
        median(t_tag),
        median(t_parse),
        median(t_pipe),
        median(t_code),
    );
    let tps = |s: f64| tokens as f64 / s.max(1e-9);
    let rss = peak_rss_mb();
    if args.json {
        let v = serde_json::json!({
            "docs": inputs.len(), "tokens": tokens, "sentences": sentences, "bytes": chars, "runs": runs,
            "tokens_per_s": {
                "tokenizer_splitter": tps(mt), "tagger": tps(mg), "parser": tps(mp),
                "tokenizer_tagger_parser": tps(mt + mg + mp),
                "pipeline": tps(mpi), "end_to_end": tps(mc),
            },
            "load_ms": {"tagger": tagger_ms, "parser": parser_ms, "pipeline": pipeline_ms},
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
        println!("stage                      tokens/s     seconds");
        for (name, s) in [
            ("tokenizer + splitter", mt),
            ("tagger + lemmatizer", mg),
            ("parser", mp),
            ("tokenizer+tagger+parser", mt + mg + mp),
            ("pipeline (annotate)", mpi),
            ("end to end (code)", mc),
        ] {
            println!("{name:<24} {:>11.0} {:>11.3}", tps(s), s);
        }
        println!(
            "model load: tagger {tagger_ms:.0} ms, parser {parser_ms:.0} ms, whole pipeline {pipeline_ms:.0} ms"
        );
        match rss {
            Some(mb) => println!("peak resident memory: {mb:.0} MB"),
            None => println!("peak resident memory: n/a"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
