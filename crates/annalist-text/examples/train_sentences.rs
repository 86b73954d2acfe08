//! Trains the sentence boundary model (see `annalist_text::boundary`).
//!
//! Usage: `train_sentences --out FILE [--epochs N] --train FILE... --dev FILE...`
//! where each FILE is a CoNLL-U file; every `--train`/`--dev` flag switches
//! the list the following files go to. The raw text is rebuilt from the gold
//! sentences as the evaluation does, tokenized by our tokenizer and split by
//! our rules; each candidate gap is then an example labelled by whether a
//! gold sentence ends there. Prints the dev scores after each epoch and of
//! the decision thresholds tried at the end, and writes the averaged model.

use annalist_doc::{conllu, Doc};
use annalist_text::boundary::{examples, Model, Trainer};
use annalist_text::{eval, sentences::rule_ends, tokenize::tokenize};
use std::process::ExitCode;

fn read(files: &[String]) -> Result<Vec<Vec<conllu::Sentence>>, String> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("cannot read {f}: {e}"))?;
        out.push(conllu::parse(&text).map_err(|e| format!("{f}: {e}"))?);
    }
    Ok(out)
}

fn main() -> ExitCode {
    let (mut out, mut epochs) = (None, 8usize);
    let (mut train, mut dev) = (Vec::new(), Vec::new());
    let mut to_dev = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next(),
            "--epochs" => epochs = args.next().and_then(|v| v.parse().ok()).unwrap_or(8),
            "--train" => to_dev = false,
            "--dev" => to_dev = true,
            _ if to_dev => dev.push(a),
            _ => train.push(a),
        }
    }
    let Some(out) = out.filter(|_| !train.is_empty()) else {
        eprintln!("usage: train_sentences --out FILE [--epochs N] --train FILE... --dev FILE...");
        return ExitCode::from(2);
    };
    let (train_sets, dev_sets) = match (read(&train), read(&dev)) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut data = Vec::new();
    for set in &train_sets {
        let g = eval::gold_text(set);
        let mut doc = Doc::new("train", g.text.as_str());
        tokenize(&mut doc);
        let rules = rule_ends(&doc);
        let gold_ends: Vec<usize> = g.sentences.iter().map(|r| r.end).collect();
        data.extend(examples(&doc, &rules, &gold_ends));
    }
    let positives = data.iter().filter(|(_, l)| *l).count();
    println!("{} examples, {positives} boundaries", data.len());
    let mut trainer = Trainer::default();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let report = |m: Option<&Model>, label: &str| {
        let mut line = format!("{label:<14}");
        for (f, set) in dev.iter().zip(&dev_sets) {
            let s = eval::boundary_scores_with(set, m);
            let name = f.rsplit('/').next().unwrap_or(f);
            line.push_str(&format!("  {name} {:.4}", s.sentences.f1));
        }
        println!("{line}");
    };
    report(None, "rules");
    for epoch in 1..=epochs {
        // A Fisher-Yates shuffle with a fixed xorshift seed keeps runs repeatable.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let errors = order
            .iter()
            .filter(|&&k| trainer.learn(&data[k].0, data[k].1))
            .count();
        let m = trainer.averaged();
        report(Some(&m), &format!("epoch {epoch} ({errors})"));
    }
    let mut model = trainer.averaged();
    let threshold: f32 = std::env::var("THRESHOLD")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    for t in [-2.0f32, -1.0, 0.0, 1.0, 2.0, 4.0] {
        model.threshold = t;
        report(Some(&model), &format!("threshold {t}"));
    }
    model.threshold = threshold;
    let bytes = model.to_bytes(1e-3);
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("error: cannot write {out}: {e}");
        return ExitCode::from(2);
    }
    println!("wrote {out} ({} bytes, threshold {threshold})", bytes.len());
    ExitCode::SUCCESS
}
