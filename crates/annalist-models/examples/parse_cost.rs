//! Developer tool: parsing time and accuracy of several parser models (and
//! pruning levels) measured side by side, interleaved, so that a busy
//! machine slows them all alike; the fastest of several rounds counts.
//! `cargo run --release --example parse_cost -- TAGGER DEV.conllu PARSER... [--prune 1,2,3]`
use annalist_models::corpus::sents_from_conllu;
use annalist_models::{Parser, Tagger};
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let tagger = Tagger::load(&std::fs::read(&a[1]).unwrap()).unwrap();
    let dev = sents_from_conllu(&std::fs::read_to_string(&a[2]).unwrap()).unwrap();
    let mut prunes = vec![0f32];
    let mut paths = Vec::new();
    let mut i = 3;
    while i < a.len() {
        if a[i] == "--prune" {
            prunes = a[i + 1].split(',').map(|x| x.parse().unwrap()).collect();
            i += 2;
        } else {
            paths.push(a[i].clone());
            i += 1;
        }
    }
    let tagged: Vec<_> = dev.iter().map(|s| tagger.tag_sent(s)).collect();
    let n: usize = dev.iter().map(|s| s.len()).sum();
    let mut models = Vec::new();
    for p in &paths {
        let bytes = std::fs::read(p).unwrap();
        let mut load = std::time::Duration::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            std::hint::black_box(Parser::load(&bytes).unwrap());
            load = load.min(t.elapsed());
        }
        let base = Parser::load(&bytes).unwrap();
        for &min in &prunes {
            let mut m = base.clone();
            if min > 0.0 {
                m.prune(min);
            }
            let s = m.evaluate(&tagged, &dev);
            models.push((format!("{p} prune {min}"), m, s, load, f64::MAX));
        }
    }
    for _ in 0..5 {
        for m in models.iter_mut() {
            let t = Instant::now();
            for s in &tagged {
                std::hint::black_box(m.1.parse(&s.word_refs(), &s.upos, &s.xpos));
            }
            m.4 = m.4.min(t.elapsed().as_secs_f64());
        }
    }
    for (name, m, s, load, secs) in &models {
        println!(
            "{name}: UAS {:.2} LAS {:.2}, {:?} features/weights, load {:.0} ms, {:.0} words/s",
            s.uas_pct(),
            s.las_pct(),
            m.size(),
            load.as_secs_f64() * 1e3,
            n as f64 / secs
        );
    }
}
