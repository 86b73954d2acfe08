//! Prints the entities the built-in model finds in a plain-text file, after
//! the text layer (dateline, tokens, sentences): a quick look at the model.
//!
//! `cargo run --release -p annalist-ner --example ner_text -- ../shared/gold/seed.txt`

use annalist_doc::Doc;
use annalist_ner::Ner;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: ner_text FILE.txt");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("error: cannot read {path}: {e}");
        std::process::exit(2);
    });
    let ner = Ner::builtin().expect("the built-in model loads");
    let mut doc = Doc::new("d", text);
    annalist_text::meta::detect(&mut doc);
    annalist_text::tokenize::tokenize(&mut doc);
    annalist_text::sentences::split_sentences(&mut doc);
    ner.annotate(&mut doc);
    for e in &doc.entities {
        let span = doc.token_range_span(e.start as usize..e.end as usize);
        println!(
            "{}\t{}\t{}",
            span.start,
            e.label.as_str(),
            &doc.text[span.clone()]
        );
    }
}
