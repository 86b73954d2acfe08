//! Developer tool: writes a parser model pruned at a threshold, to score a
//! pruning level with `annalist eval ud --parser`.
//! `cargo run --release --example prune_parser -- IN.bin MIN OUT.bin`
use annalist_models::Parser;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 4 {
        eprintln!("usage: prune_parser IN.bin MIN OUT.bin");
        std::process::exit(2);
    }
    let mut p = Parser::load(&std::fs::read(&a[1]).expect("cannot read the model"))
        .expect("not a parser model");
    p.prune(a[2].parse().expect("MIN is a number"));
    std::fs::write(&a[3], p.to_bytes()).expect("cannot write the model");
    println!("{:?} features/weights", p.size());
}
