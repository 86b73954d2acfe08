//! Developer tool: the mean of parser models trained with different seeds
//! (the members `annalist train parser --average K --members-dir DIR`
//! writes), pruned at a threshold.
//! `cargo run --release --example average_parsers -- MIN OUT.bin MEMBER.bin...`
use annalist_models::Parser;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 4 {
        eprintln!("usage: average_parsers MIN OUT.bin MEMBER.bin...");
        std::process::exit(2);
    }
    let min: f32 = a[1].parse().expect("MIN is a number");
    let members: Vec<Parser> = a[3..]
        .iter()
        .map(|p| {
            Parser::load(&std::fs::read(p).expect("cannot read a member"))
                .expect("not a parser model")
        })
        .collect();
    let mean =
        Parser::average(&members, min, serde_json::Value::Null).expect("the members disagree");
    std::fs::write(&a[2], mean.to_bytes()).expect("cannot write the model");
    println!("{:?} features/weights", mean.size());
}
