//! Lists where the trained model changes the rules' sentence boundaries on
//! CoNLL-U files, and whether each change agrees with the gold sentences.
//!
//! Usage: `sentence_changes FILE...`; prints one line per change and a
//! summary by kind (added or removed boundary, right or wrong). With
//! `--text FILE` it reads plain text instead and prints the changes
//! without judging them.

use annalist_doc::{conllu, Doc};
use annalist_text::{boundary, eval, sentences, tokenize::tokenize};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--text") {
        for f in &args[1..] {
            match std::fs::read_to_string(f) {
                Ok(t) => plain(&t),
                Err(e) => eprintln!("error: cannot read {f}: {e}"),
            }
        }
        return;
    }
    let mut gold = Vec::new();
    for f in std::env::args().skip(1) {
        match std::fs::read_to_string(&f).map(|t| conllu::parse(&t)) {
            Ok(Ok(s)) => gold.extend(s),
            _ => eprintln!("error: cannot read {f}"),
        }
    }
    let g = eval::gold_text(&gold);
    let gold_ends: std::collections::HashSet<usize> = g.sentences.iter().map(|r| r.end).collect();
    let mut doc = Doc::new("x", g.text.as_str());
    tokenize(&mut doc);
    let rules = sentences::sentence_ends(&doc, None);
    let model = sentences::sentence_ends(&doc, boundary::builtin());
    let mut counts = [[0usize; 2]; 2];
    for i in 0..rules.len() {
        if rules[i] == model[i] {
            continue;
        }
        let right = gold_ends.contains(&(doc.tokens.end[i] as usize)) == model[i];
        counts[model[i] as usize][right as usize] += 1;
        let a = doc.tokens.start[i.saturating_sub(3)] as usize;
        let b = doc.tokens.end[(i + 3).min(rules.len() - 1)] as usize;
        let mid = doc.tokens.end[i] as usize;
        println!(
            "{} {} {:?} | {:?}",
            if model[i] { "ADD" } else { "DEL" },
            if right { "ok " } else { "BAD" },
            &doc.text[a..mid],
            &doc.text[mid..b]
        );
    }
    println!(
        "added: {} right, {} wrong; removed: {} right, {} wrong",
        counts[1][1], counts[1][0], counts[0][1], counts[0][0]
    );
}

/// Prints the boundaries the model adds to the rules' in plain text.
fn plain(text: &str) {
    let mut doc = Doc::new("x", text);
    tokenize(&mut doc);
    let rules = sentences::sentence_ends(&doc, None);
    let model = sentences::sentence_ends(&doc, boundary::builtin());
    let mut changed = 0;
    for i in 0..rules.len() {
        if rules[i] != model[i] {
            changed += 1;
            let a = doc.tokens.start[i.saturating_sub(4)] as usize;
            let b = doc.tokens.end[(i + 4).min(rules.len() - 1)] as usize;
            let mid = doc.tokens.end[i] as usize;
            println!("{:?} | {:?}", &doc.text[a..mid], &doc.text[mid..b]);
        }
    }
    let sents = rules.iter().filter(|&&e| e).count();
    println!("{changed} changes to {sents} boundaries of the rules");
}
