//! Criterion benchmarks of the built-in tagger and parser on a fixed set of
//! our own sentences (no external data needed).

use annalist_models::corpus::sents_from_conllu;
use annalist_models::{Parser, Tagger};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const FIXTURE: &str = include_str!("../tests/data/fixture.conllu");

fn bench(c: &mut Criterion) {
    let tagger = Tagger::builtin().expect("built-in tagger");
    let parser = Parser::builtin().expect("built-in parser");
    let sents = sents_from_conllu(FIXTURE).expect("fixture parses");
    let words: Vec<Vec<&str>> = sents.iter().map(|s| s.word_refs()).collect();
    let n: usize = words.iter().map(Vec::len).sum();
    let tagged: Vec<_> = words.iter().map(|w| tagger.tag(w)).collect();

    let mut g = c.benchmark_group("models");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("tag", |b| {
        b.iter(|| {
            for w in &words {
                std::hint::black_box(tagger.tag(w));
            }
        })
    });
    g.bench_function("parse", |b| {
        b.iter(|| {
            for (w, t) in words.iter().zip(&tagged) {
                std::hint::black_box(parser.parse(w, &t.upos, &t.xpos));
            }
        })
    });
    g.finish();
    c.bench_function("load_tagger", |b| b.iter(Tagger::builtin));
    c.bench_function("load_parser", |b| b.iter(Parser::builtin));
}

criterion_group!(benches, bench);
criterion_main!(benches);
