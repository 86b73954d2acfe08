//! Prints what the pipeline makes of a text, token by token: tags, the
//! dependency parse and the actor each token belongs to, then the actors and
//! events. A debugging aid for the coder: `cargo run --release -p
//! annalist-pipeline --example explain -- FILE` (or `-` for stdin).

use annalist_ingest::Document;
use annalist_pipeline::Pipeline;
use std::io::{Read, Write};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".to_string());
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .expect("cannot read stdin");
    } else {
        text = std::fs::read_to_string(&path).expect("cannot read the file");
    }
    let pipeline = Pipeline::builtin().expect("cannot load the built-in models");
    let mut doc = Pipeline::doc_of(Document {
        text,
        ..Default::default()
    });
    pipeline.annotate(&mut doc);
    // A closed pipe (`| head`) ends the listing quietly.
    let _ = print(&doc);
}

fn print(doc: &annalist_doc::Doc) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (si, s) in doc.sentences.iter().enumerate() {
        writeln!(out, "# sentence {si}")?;
        for t in s.tokens() {
            let head = doc.tokens.head[t];
            let head = if head == annalist_doc::ROOT {
                0
            } else {
                head as usize + 1 - s.tokens().start
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                t + 1 - s.tokens().start,
                doc.token_text(t),
                doc.tokens.lemma.get(t).map_or("_", String::as_str),
                doc.tokens.xpos[t].as_str(),
                head,
                doc.tokens.deprel[t].as_str(),
                doc.token_actor[t].map_or("-".to_string(), |a| format!("A{}", a + 1)),
            )?;
        }
    }
    for (i, a) in doc.actors.iter().enumerate() {
        writeln!(
            out,
            "A{} {} country={:?} sectors={:?} title={:?}",
            i + 1,
            a.name,
            a.country,
            a.sectors,
            a.title
        )?;
    }
    for e in &doc.events {
        writeln!(
            out,
            "E {} {:?} {:?}→{:?} {:?}",
            e.kind,
            e.cameo,
            e.source.iter().map(|a| a + 1).collect::<Vec<_>>(),
            e.target.iter().map(|a| a + 1).collect::<Vec<_>>(),
            &doc.text[e.trigger.clone()]
        )?;
    }
    Ok(())
}
