//! Measures tokenizer and sentence splitter throughput on one core.
//!
//! Usage: `bench_text FILE.jsonl[.gz]...` where each line is a JSON object
//! with a `text` field (the news corpus format). Prints tokens per second.

use annalist_doc::Doc;
use annalist_text::{sentences::split_sentences, tokenize::tokenize};
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: bench_text FILE.jsonl[.gz]...");
        return ExitCode::from(2);
    }
    let mut texts = Vec::new();
    for f in &files {
        let file = match std::fs::File::open(f) {
            Ok(file) => file,
            Err(e) => {
                eprintln!("error: cannot open {f}: {e}");
                return ExitCode::from(2);
            }
        };
        let reader: Box<dyn Read> = if f.ends_with(".gz") {
            Box::new(flate2::read::GzDecoder::new(file))
        } else {
            Box::new(file)
        };
        for (n, line) in BufReader::new(reader).lines().enumerate() {
            let Ok(line) = line else {
                eprintln!("error: {f}:{}: unreadable line", n + 1);
                return ExitCode::from(2);
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                texts.push(t.to_string());
            }
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let cpu0 = cpu_seconds();
    let t0 = std::time::Instant::now();
    let (mut tokens, mut sentences) = (0usize, 0usize);
    for t in texts {
        let mut doc = Doc::new("bench", t);
        tokenize(&mut doc);
        split_sentences(&mut doc);
        tokens += doc.tokens.len();
        sentences += doc.sentences.len();
    }
    let wall = t0.elapsed().as_secs_f64();
    // On a busy machine wall time overstates the cost: measure the CPU time
    // this process used where the OS reports it.
    let secs = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    println!(
        "{} bytes, {tokens} tokens, {sentences} sentences in {secs:.3}s CPU ({wall:.3}s wall): {:.2} M tokens/s, {:.1} MB/s",
        bytes,
        tokens as f64 / secs / 1e6,
        bytes as f64 / secs / 1e6
    );
    ExitCode::SUCCESS
}

/// User plus system CPU time of this process in seconds, from
/// `/proc/self/stat` (Linux; `None` elsewhere). Clock ticks are taken as the
/// usual 100 per second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
