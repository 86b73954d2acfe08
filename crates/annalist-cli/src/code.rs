//! `annalist code`: read documents, code them, write JSON Lines records.

use annalist_doc::Record;
use annalist_ingest::{Format, Item};
use annalist_pipeline::{failed_record, Pipeline};
use anyhow::Context;
use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist code article.txt\n  annalist code --threads 4 --out records.jsonl corpus/\n  curl -s URL | annalist code --format html -\n\n\
Exit status: 0 when every document was coded, 1 when any document yielded an error record, 2 on a usage or IO error."
)]
pub struct Args {
    /// Files or directories to read (directories recursively); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// Input format; sniffed from the name and content when not given.
    #[arg(long, value_parser = ["text", "jsonl", "html", "rss", "warc"])]
    pub format: Option<String>,
    /// Write records to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Documents coded in parallel; output order is input order whatever the number.
    #[arg(long, short = 'j', default_value_t = 1)]
    pub threads: usize,
    /// Never draw a progress bar (it is drawn only when standard error is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

/// Totals of one run, for the exit status and the summary line.
#[derive(Default)]
struct Totals {
    docs: usize,
    failed: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = args.format.as_deref().and_then(Format::parse);
    let files = crate::inputs::expand(&args.paths)?;
    let pipeline = Arc::new(Pipeline::builtin().map_err(anyhow::Error::msg)?);
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} documents coded ({per_sec}) {elapsed} {msg}",
            )
            .expect("static template is valid"),
        );
        bar
    });

    // Items flow reader → workers → reorder buffer → writer. Bounded channels
    // keep memory flat on large corpora; sequence numbers restore input order.
    let threads = args.threads.max(1);
    let (item_tx, item_rx) = sync_channel::<(usize, Item)>(threads * 4);
    let (rec_tx, rec_rx) = sync_channel::<(usize, Record)>(threads * 4);
    let reader = std::thread::spawn(move || -> anyhow::Result<()> {
        let mut seq = 0;
        for path in files {
            let (name, reader) = crate::inputs::open(&path)?;
            for item in annalist_ingest::read(&name, reader, format) {
                if item_tx.send((seq, item)).is_err() {
                    return Ok(());
                }
                seq += 1;
            }
        }
        Ok(())
    });
    let item_rx: Arc<Mutex<Receiver<(usize, Item)>>> = Arc::new(Mutex::new(item_rx));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = Arc::clone(&item_rx);
            let tx = rec_tx.clone();
            let pipeline = Arc::clone(&pipeline);
            std::thread::spawn(move || loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok((seq, item))) = next else { break };
                let record = match item {
                    Ok(doc) => pipeline.code(doc),
                    Err(failure) => failed_record(&failure),
                };
                if tx.send((seq, record)).is_err() {
                    break;
                }
            })
        })
        .collect();
    drop(rec_tx);

    let mut totals = Totals::default();
    let mut pending = BTreeMap::new();
    let mut next = 0;
    for (seq, record) in rec_rx {
        pending.insert(seq, record);
        while let Some(record) = pending.remove(&next) {
            if let Some(err) = &record.error {
                totals.failed += 1;
                eprintln!("warning: {}", err.message);
            }
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
            totals.docs += 1;
            next += 1;
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        }
    }
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a coding thread panicked"))?;
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reading thread panicked"))??;
    out.flush()?;
    if let Some(bar) = progress {
        bar.finish_with_message("done");
    }
    if totals.failed > 0 {
        eprintln!(
            "{} of {} documents failed; their records carry an `error` object",
            totals.failed, totals.docs
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
