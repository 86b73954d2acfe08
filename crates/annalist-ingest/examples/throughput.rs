//! Reads files with `annalist_ingest::read` and reports documents, failures,
//! bytes of text and time, without any analysis:
//! `cargo run --release -p annalist-ingest --example throughput -- FILE...`

use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("cannot open {path}: {e}");
                std::process::exit(2);
            }
        };
        let start = Instant::now();
        let (mut docs, mut failures, mut chars) = (0usize, 0usize, 0usize);
        for item in annalist_ingest::read(&path, Box::new(file), None) {
            match item {
                Ok(doc) => {
                    docs += 1;
                    chars += doc.text.len();
                }
                Err(f) => {
                    failures += 1;
                    eprintln!("{}: {}", f.code, f.message);
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{path}: {docs} documents, {failures} failures, {:.1} MB of text in {secs:.2} s ({:.0} documents/s)",
            chars as f64 / 1e6,
            docs as f64 / secs.max(1e-9)
        );
    }
}
