//! Developer tool: tagging and parsing speed on a treebank's words.
//! `cargo run --release --example speed -- TAGGER PARSER FILE.conllu`
use annalist_models::corpus::sents_from_conllu;
use annalist_models::{Parser, Tagger};
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let pb = std::fs::read(&a[2]).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let (_, payload) = annalist_models::io::read_model(&pb, "parser").unwrap();
        let d = t.elapsed();
        let t = Instant::now();
        let _p = Parser::load(&pb).unwrap();
        println!(
            "parser: decompress {d:?} ({} bytes), full load {:?}",
            payload.len(),
            t.elapsed()
        );
    }
    let t0 = Instant::now();
    let tagger = Tagger::load(&std::fs::read(&a[1]).unwrap()).unwrap();
    let t1 = Instant::now();
    let mut parser = Parser::load(&std::fs::read(&a[2]).unwrap()).unwrap();
    if let Some(min) = a.get(4) {
        parser.prune(min.parse().unwrap());
    }
    let t2 = Instant::now();
    println!("load: tagger {:?}, parser {:?}", t1 - t0, t2 - t1);
    let dev = sents_from_conllu(&std::fs::read_to_string(&a[3]).unwrap()).unwrap();
    let n: usize = dev.iter().map(|s| s.len()).sum();
    let t = Instant::now();
    let tagged: Vec<_> = dev.iter().map(|s| tagger.tag_sent(s)).collect();
    let tt = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut k = 0;
    for s in &tagged {
        k += parser.parse(&s.word_refs(), &s.upos, &s.xpos).0.len();
    }
    let tp = t.elapsed().as_secs_f64();
    println!(
        "{n} words: tagger {:.0} w/s, parser {:.0} w/s ({k})",
        n as f64 / tt,
        n as f64 / tp
    );
}
