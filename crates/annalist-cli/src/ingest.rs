//! `annalist ingest`: code documents and keep them in the event store.

use annalist_doc::{derive_doc_id, Record};
use annalist_ingest::{Format, Item};
use annalist_pipeline::{failed_record, Pipeline};
use annalist_store::{IngestStats, Store};
use anyhow::Context;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist ingest news.jsonl.gz\n  annalist ingest --db events.db -j 4 corpus/\n\n\
Documents already stored (same doc id or same text) are skipped before coding, so running \
the same command again adds nothing, and a run that was killed resumes where it stopped.\n\n\
A document's publication date comes from its `published` or `date` field (JSON Lines), \
`pubDate` (RSS), a published-time meta tag (HTML) or the WARC/HTTP date; else from a date \
in its URL path (/2022/05/17/); else from --published. Events dated by the last two are \
marked `\"date_source\": \"url\"` or `\"default\"`. A document with no date keeps none: it \
is never given the day of ingest, and ingest warns once with the number of such documents.\n\n\
Exit status: 0 when every document was stored or already there, 1 when any document could \
not be read, 2 on a usage, IO or database error."
)]
pub struct Args {
    /// Files or directories to read (directories recursively); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// The database file; by default $XDG_DATA_HOME/annalist/annalist.db or ~/.local/share/annalist/annalist.db.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Input format; sniffed from the name and content when not given.
    #[arg(long, value_parser = ["text", "jsonl", "html", "rss", "warc"])]
    pub format: Option<String>,
    /// Documents coded in parallel.
    #[arg(long, short = 'j', default_value_t = 1)]
    pub threads: usize,
    /// Documents per transaction: a killed run loses at most one batch of work.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// The publication date (YYYY-MM-DD) of documents that give none, neither in a field nor in
    /// their URL path; their events are marked `"date_source": "default"`.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// Never draw a progress bar (it is drawn only when standard error is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

/// The database file to use: `--db`, else the default location (whose
/// folder is created on first use).
pub fn db_path(db: Option<&Path>) -> anyhow::Result<PathBuf> {
    match db {
        Some(p) => Ok(p.to_path_buf()),
        None => annalist_store::default_path().ok_or_else(|| {
            anyhow::anyhow!(
                "cannot find a data directory (neither XDG_DATA_HOME nor HOME is set); hint: give --db FILE"
            )
        }),
    }
}

/// A numbered input for the coding threads; `None` stands for a document
/// that is already stored. The second field says where a publication date
/// that ingest filled in came from (`url` or `default`).
type Work = (usize, Option<(Item, Option<&'static str>)>);

/// What the reading thread found: how many new documents have no
/// publication date at all.
struct Read {
    undated: usize,
}

/// Checks `--published`: a full day, since a vaguer date cannot place an
/// event on a day.
pub(crate) fn parse_published(s: &str) -> anyhow::Result<String> {
    let s = s.trim();
    match annalist_store::dates::parse_day(s) {
        Some(d) if s.len() == 10 => Ok(annalist_store::dates::iso(d)),
        _ => anyhow::bail!("--published `{s}` is not a date; hint: write it as YYYY-MM-DD"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = args.format.as_deref().and_then(Format::parse);
    let default_date = args.published.as_deref().map(parse_published).transpose()?;
    let files = crate::inputs::expand(&args.paths)?;
    let db = db_path(args.db.as_deref())?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
    }
    let mut store = Store::open(&db)?;
    // A second connection for the reader thread: it skips stored documents
    // before they are coded, so a re-run or a resumed run codes only what is
    // missing. WAL lets it read while the main thread writes.
    let lookup = Store::open_read_only(&db)?;
    let pipeline = Arc::new(Pipeline::builtin().map_err(anyhow::Error::msg)?);
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} documents ingested ({per_sec}) {elapsed} {msg}",
            )
            .expect("static template is valid"),
        );
        bar
    });
    let started = Instant::now();

    let threads = args.threads.max(1);
    let (work_tx, work_rx) = sync_channel::<Work>(threads * 4);
    let (rec_tx, rec_rx) = sync_channel::<(usize, Option<Record>)>(threads * 4);
    let reader = std::thread::spawn(move || -> anyhow::Result<Read> {
        let mut seq = 0;
        let mut read = Read { undated: 0 };
        for path in files {
            let (name, reader) = crate::inputs::open(&path)?;
            for mut item in annalist_ingest::read(&name, reader, format) {
                // `None` stands for a document already stored.
                let work = match &mut item {
                    Ok(doc) => {
                        let id = doc
                            .doc_id
                            .clone()
                            .filter(|s| !s.trim().is_empty())
                            .unwrap_or_else(|| derive_doc_id(&doc.text));
                        if lookup.contains(&id, &doc.text)? {
                            None
                        } else {
                            let from = annalist_store::dates::fill_date(
                                &mut doc.published,
                                doc.url.as_deref(),
                                default_date.as_deref(),
                                &mut doc.warnings,
                            );
                            read.undated += usize::from(doc.published.is_none());
                            Some((item, from))
                        }
                    }
                    Err(_) => Some((item, None)),
                };
                // A closed channel means the main thread stopped on an
                // error, which it reports.
                if work_tx.send((seq, work)).is_err() {
                    return Ok(read);
                }
                seq += 1;
            }
        }
        Ok(read)
    });
    let work_rx: Arc<Mutex<Receiver<Work>>> = Arc::new(Mutex::new(work_rx));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = Arc::clone(&work_rx);
            let tx = rec_tx.clone();
            let pipeline = Arc::clone(&pipeline);
            std::thread::spawn(move || loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok((seq, work))) = next else { break };
                let record = match work {
                    Some((Ok(doc), from)) => {
                        let mut record = pipeline.code(doc);
                        annalist_store::dates::mark_date_source(&mut record, from);
                        Some(record)
                    }
                    Some((Err(failure), _)) => Some(failed_record(&failure)),
                    None => None,
                };
                if tx.send((seq, record)).is_err() {
                    break;
                }
            })
        })
        .collect();
    // Only the workers may hold the receiver: when they stop (the main
    // thread stopped on a store error), the reader's next send fails and
    // it ends instead of waiting forever on a full channel.
    drop(work_rx);
    drop(rec_tx);

    let mut totals = IngestStats::default();
    let result = store_in_order(
        &mut store,
        rec_rx,
        args.batch,
        &mut totals,
        progress.as_ref(),
    );
    // Dropping the receiver (on error) stops the workers and the reader.
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a coding thread panicked"))?;
    }
    let read = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reading thread panicked"))?;
    result.with_context(|| {
        format!(
            "ingest stopped after storing {} new documents; every batch before the failure \
             is stored, and running the same command again resumes",
            totals.documents
        )
    })?;
    let read = read?;
    if let Some(bar) = progress {
        bar.finish_with_message("done");
    }
    if read.undated > 0 {
        eprintln!(
            "warning: {} new {} no publication date, so events their text does not date have \
             none; hint: give a `published` or `date` field (JSON Lines), `pubDate` \
             (RSS) or a published-time meta tag (HTML), a date in the url path (/2022/05/17/), `--published YYYY-MM-DD` for the whole batch, or the \
             WARC/HTTP date",
            read.undated,
            if read.undated == 1 {
                "document has"
            } else {
                "documents have"
            }
        );
    }
    report(&store, &db, &totals, started)?;
    Ok(if totals.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Stores the coded records in input order, whatever the number of
/// threads, so that story events are numbered and linked the same way every
/// time. Stops at the first store error; the receiver is dropped then, which
/// stops the coding threads.
fn store_in_order(
    store: &mut Store,
    rec_rx: Receiver<(usize, Option<Record>)>,
    batch_size: usize,
    totals: &mut IngestStats,
    progress: Option<&indicatif::ProgressBar>,
) -> anyhow::Result<()> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let batch_size = batch_size.max(1);
    let mut batch: Vec<Record> = Vec::with_capacity(batch_size);
    for (seq, record) in rec_rx {
        pending.insert(seq, record);
        while let Some(record) = pending.remove(&next) {
            next += 1;
            match record {
                None => totals.skipped += 1,
                Some(r) => {
                    if let Some(err) = &r.error {
                        eprintln!("warning: {}: {}", r.doc_id, err.message);
                    }
                    batch.push(r);
                }
            }
            if let Some(bar) = progress {
                bar.inc(1);
            }
            if batch.len() >= batch_size {
                *totals += store.ingest(&batch)?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() {
        *totals += store.ingest(&batch)?;
    }
    Ok(())
}

/// Prints what the run did and what the store now holds.
fn report(store: &Store, db: &Path, totals: &IngestStats, started: Instant) -> anyhow::Result<()> {
    let secs = started.elapsed().as_secs_f64();
    let stats = store.stats()?;
    let seen = totals.documents + totals.skipped + totals.failed;
    eprintln!(
        "ingested {} new documents ({} already stored, {} failed) with {} event reports \
         ({} new story events) in {secs:.1} s, {:.0} documents/s",
        totals.documents,
        totals.skipped,
        totals.failed,
        totals.reports,
        totals.new_story_events,
        seen as f64 / secs.max(1e-9),
    );
    eprintln!(
        "{}: {} documents, {} reports, {} story events, {:.1} MB",
        db.display(),
        stats.documents,
        stats.reports,
        stats.story_events,
        stats.bytes as f64 / 1e6
    );
    Ok(())
}
