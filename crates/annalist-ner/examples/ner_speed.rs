//! Throughput of the recogniser against the text layer it runs after.
//!
//! `cargo run --release -p annalist-ner --example ner_speed -- ../shared/data/news/tehrantimes/articles.jsonl.gz [N]`
//!
//! Prints the seconds spent in the text layer (metadata, tokens, sentences)
//! and in NER over the first N articles (all by default), on one core.

use annalist_doc::Doc;
use annalist_ner::Ner;
use std::io::Read;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: ner_speed FILE.jsonl.gz [N]");
        std::process::exit(2);
    };
    let limit: usize = args
        .get(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("error: cannot read {path}: {e}");
        std::process::exit(2);
    });
    let mut raw = String::new();
    if let Err(e) = flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_string(&mut raw) {
        eprintln!("error: {path}: cannot decompress: {e}");
        std::process::exit(2);
    }
    let texts: Vec<String> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .take(limit)
        .collect();
    let t0 = Instant::now();
    let ner = Ner::builtin().expect("the built-in model loads");
    let load = t0.elapsed();
    let (mut text_time, mut ner_time) = (Duration::ZERO, Duration::ZERO);
    let (mut tokens, mut entities) = (0usize, 0usize);
    for t in &texts {
        let mut doc = Doc::new("d", t.as_str());
        let a = Instant::now();
        annalist_text::meta::detect(&mut doc);
        annalist_text::tokenize::tokenize(&mut doc);
        annalist_text::sentences::split_sentences(&mut doc);
        let b = Instant::now();
        ner.annotate(&mut doc);
        let c = Instant::now();
        text_time += b - a;
        ner_time += c - b;
        tokens += doc.tokens.len();
        entities += doc.entities.len();
    }
    println!(
        "{} docs, {tokens} tokens, {entities} entities; model load {:.2}s; text layer {:.2}s; ner {:.2}s ({:.0} tokens/s)",
        texts.len(),
        load.as_secs_f64(),
        text_time.as_secs_f64(),
        ner_time.as_secs_f64(),
        tokens as f64 / ner_time.as_secs_f64().max(1e-9)
    );
}
