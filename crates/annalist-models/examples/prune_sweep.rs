//! Developer tool: how accuracy and file size trade off when pruning a
//! trained model. `cargo run --release --example prune_sweep -- TAGGER PARSER DEV.conllu`
use annalist_models::corpus::sents_from_conllu;
use annalist_models::{Parser, Tagger};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let tagger = Tagger::load(&std::fs::read(&a[1]).unwrap()).unwrap();
    let parser = Parser::load(&std::fs::read(&a[2]).unwrap()).unwrap();
    let dev = sents_from_conllu(&std::fs::read_to_string(&a[3]).unwrap()).unwrap();
    let tagged: Vec<_> = dev.iter().map(|s| tagger.tag_sent(s)).collect();
    for min in [0.0f32, 0.5, 1.0, 2.0, 3.0, 5.0] {
        let mut t = tagger.clone();
        t.prune(min);
        let mut p = parser.clone();
        p.prune(min);
        let ts = t.evaluate(&dev);
        let ps = p.evaluate(&tagged, &dev);
        println!(
            "min {min}: tagger {:.1} MB {:?} UPOS {:.2} | parser {:.1} MB {:?} UAS {:.2} LAS {:.2}",
            t.to_bytes().len() as f64 / 1e6,
            t.size(),
            ts.upos_pct(),
            p.to_bytes().len() as f64 / 1e6,
            p.size(),
            ps.uas_pct(),
            ps.las_pct()
        );
    }
}
