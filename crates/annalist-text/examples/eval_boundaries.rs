//! Prints token and sentence boundary scores of the tokenizer and sentence
//! splitter on CoNLL-U files, one line per file set.
//!
//! Usage: `eval_boundaries [--min F1] [--errors N] [--rules] FILE...`; exits
//! non-zero when a sentence F1 falls below `--min`. `--rules` scores the
//! rules alone, without the trained boundary model. With `--errors N` it also prints up
//! to N mismatched sentence and token spans for error analysis.

use annalist_text::eval;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut min = None;
    let mut errors = 0usize;
    let mut rules_only = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--min" => min = args.next().and_then(|v| v.parse::<f64>().ok()),
            "--rules" => rules_only = true,
            "--errors" => errors = args.next().and_then(|v| v.parse().ok()).unwrap_or(20),
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: eval_boundaries [--min F1] [--errors N] [--rules] FILE...");
        return ExitCode::from(2);
    }
    let mut gold = Vec::new();
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {f}: {e}");
                return ExitCode::from(2);
            }
        };
        match annalist_doc::conllu::parse(&text) {
            Ok(s) => gold.extend(s),
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let t0 = std::time::Instant::now();
    let scores = if rules_only {
        eval::boundary_scores_with(&gold, None)
    } else {
        eval::boundary_scores(&gold)
    };
    let secs = t0.elapsed().as_secs_f64();
    let p = |name: &str, s: &eval::Prf| {
        println!(
            "{name:<9} P {:.4}  R {:.4}  F1 {:.4}  (gold {}, predicted {}, correct {})",
            s.precision, s.recall, s.f1, s.gold, s.predicted, s.correct
        )
    };
    println!(
        "{} file(s), {} sentences, {:.3}s",
        files.len(),
        gold.len(),
        secs
    );
    p("tokens", &scores.tokens);
    p("sentences", &scores.sentences);
    if errors > 0 {
        let g = eval::gold_text(&gold);
        let (tokens, sents) = eval::predict(&g.text);
        print_diff("sentence", &g.text, &g.sentences, &sents, errors);
        print_diff("token", &g.text, &g.words, &tokens, errors);
        print_diff("extra", &g.text, &sents, &g.sentences, errors);
        print_boundaries(&g.text, &g.sentences, &sents, &g.words, "MISS");
        print_boundaries(&g.text, &sents, &g.sentences, &g.words, "FALSE");
    }
    match min {
        Some(m) if scores.sentences.f1 < m => {
            eprintln!("sentence F1 {:.4} is below {m}", scores.sentences.f1);
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Prints gold spans missing from the prediction, with the predicted spans
/// that overlap them, so that each error shows what was found instead.
fn print_diff(
    kind: &str,
    text: &str,
    gold: &[std::ops::Range<usize>],
    pred: &[std::ops::Range<usize>],
    limit: usize,
) {
    let pset: std::collections::HashSet<_> = pred.iter().map(|r| (r.start, r.end)).collect();
    let mut shown = 0;
    for g in gold {
        if pset.contains(&(g.start, g.end)) {
            continue;
        }
        let over: Vec<&str> = pred
            .iter()
            .filter(|p| p.start < g.end && p.end > g.start)
            .map(|p| &text[p.clone()])
            .collect();
        let ctx_a = text.floor_char_boundary_compat(g.start.saturating_sub(30));
        let ctx_b = text.floor_char_boundary_compat((g.end + 30).min(text.len()));
        if kind == "token" {
            println!(
                "TOK gold {:?} pred {:?} ctx {:?}",
                &text[g.clone()],
                over,
                &text[ctx_a..ctx_b]
            );
        } else if kind == "extra" {
            println!("EXTRA pred {:?}", &text[g.clone()]);
            for o in over {
                println!("      gold {o:?}");
            }
        } else {
            println!("SENT gold {:?}", &text[g.clone()]);
            for o in over {
                println!("     pred {o:?}");
            }
        }
        shown += 1;
        if shown >= limit {
            break;
        }
    }
}

trait FloorCompat {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCompat for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// Prints the words on either side of each sentence end in `a` that `b`
/// lacks (within a paragraph), for counting error patterns.
fn print_boundaries(
    text: &str,
    a: &[std::ops::Range<usize>],
    b: &[std::ops::Range<usize>],
    words: &[std::ops::Range<usize>],
    tag: &str,
) {
    let ends: std::collections::HashSet<usize> = b.iter().map(|r| r.end).collect();
    for w in a.windows(2) {
        let (end, next) = (w[0].end, w[1].start);
        if ends.contains(&end) || text[end..next].contains("\n\n") {
            continue;
        }
        let k = words.partition_point(|r| r.end < end);
        let left = words.get(k).map_or("", |r| &text[r.clone()]);
        let right = words.get(k + 1).map_or("", |r| &text[r.clone()]);
        println!("{tag} {left:?} {right:?}");
    }
}
