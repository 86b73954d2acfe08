//! `annalist code`: read documents, code them, write JSON Lines records.

use crate::inputs::{Input, Walk};
use crate::progress::{Progress, Total};
use annalist_doc::Record;
use annalist_ingest::{Document, Format, Item, Limits};
use annalist_petrarch::{parse_record_date, PetrarchCoder};
use annalist_pipeline::{failed_record, Pipeline};
use anyhow::Context;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist code article.txt\n  annalist code --threads 4 --out records.jsonl corpus/\n  curl -s URL | annalist code --format html -\n\n\
Exit status: 0 when every document was coded, 1 when any document yielded an error record, 2 on a usage or IO error."
)]
pub struct Args {
    /// Files or directories to read (directories recursively); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// The event coder: the lexicon rules, or the built-in learned model (better on news
    /// articles by cross-validation, worse on single sentences; see docs/status.md).
    #[arg(long, value_enum, default_value_t = crate::train_events::CoderChoice::Rules)]
    pub coder: crate::train_events::CoderChoice,
    /// Code events with this learned event model (written by `annalist train events`).
    #[arg(long, value_name = "FILE")]
    pub event_model: Option<PathBuf>,
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
    /// Pretty-print each record over several lines (for reading one document; not JSON Lines).
    #[arg(long)]
    pub pretty: bool,
    /// The most megabytes a compressed input may expand to (0: no cap).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub max_input_mb: u64,
    /// The most megabytes of text one document may hold (0: no cap); larger documents become
    /// error records.
    #[arg(long, value_name = "MB", default_value_t = 8)]
    pub max_document_mb: u64,
    /// The publication date (YYYY-MM-DD) of documents that give none, neither in a field nor in
    /// their URL path; their events are marked `"date_source": "default"`.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    // The PETRARCH options are hidden from `--help` for now so that the help
    // text (a snapshot test) stays byte-for-byte as it was; docs/petrarch.md
    // documents them.
    /// Code events with PETRARCH/TABARI dictionaries from DIR (CAMEO codes):
    /// `CAMEO.2.0.txt`, `Phoenix.*.actors.txt`, `Phoenix.agents.txt` and
    /// `Phoenix.discards.txt`, unless the files are named with the options below.
    #[arg(long, value_name = "DIR")]
    pub petrarch_dicts: Option<PathBuf>,
    /// PETRARCH verb dictionary (repeatable; replaces DIR's `CAMEO.2.0.txt`).
    #[arg(long, value_name = "FILE")]
    pub petrarch_verbs: Vec<PathBuf>,
    /// PETRARCH actor dictionary (repeatable; replaces DIR's `Phoenix.*.actors.txt`).
    #[arg(long, value_name = "FILE")]
    pub petrarch_actors: Vec<PathBuf>,
    /// PETRARCH agent dictionary (repeatable; replaces DIR's `Phoenix.agents.txt`).
    #[arg(long, value_name = "FILE")]
    pub petrarch_agents: Vec<PathBuf>,
}

/// The PETRARCH dictionaries the options name, if any: explicit files win
/// over the Phoenix set in `--petrarch-dicts`.
fn petrarch_coder(args: &Args) -> anyhow::Result<Option<PetrarchCoder>> {
    let explicit = !args.petrarch_verbs.is_empty() || !args.petrarch_actors.is_empty();
    if args.petrarch_dicts.is_none() && !explicit {
        if !args.petrarch_agents.is_empty() {
            anyhow::bail!("--petrarch-agents needs --petrarch-dicts or --petrarch-verbs and --petrarch-actors");
        }
        return Ok(None);
    }
    let dir = args.petrarch_dicts.clone();
    let pick = |given: &[PathBuf], default: &dyn Fn(&Path) -> Vec<PathBuf>| -> Vec<PathBuf> {
        if !given.is_empty() {
            given.to_vec()
        } else {
            dir.as_deref().map(default).unwrap_or_default()
        }
    };
    let verbs = pick(&args.petrarch_verbs, &|d| vec![d.join("CAMEO.2.0.txt")]);
    let actors = pick(&args.petrarch_actors, &|d| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(d)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                            n.starts_with("Phoenix.") && n.ends_with(".actors.txt")
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    });
    let agents = pick(&args.petrarch_agents, &|d| {
        vec![d.join("Phoenix.agents.txt")]
    });
    let discards: Vec<PathBuf> = dir
        .iter()
        .map(|d| d.join("Phoenix.discards.txt"))
        .filter(|p| p.is_file())
        .collect();
    if verbs.is_empty() || actors.is_empty() {
        anyhow::bail!(
            "no PETRARCH verb or actor dictionary found (hint: --petrarch-dicts DIR with CAMEO.2.0.txt and Phoenix.*.actors.txt, or --petrarch-verbs and --petrarch-actors)"
        );
    }
    crate::eval_petrarch::load_coder(&verbs, &actors, &agents, &discards).map(Some)
}

/// Codes one document with the PETRARCH coder instead of the built-in
/// lexicon: the same doc, tokens, parse and actors, PETRARCH's events.
fn code_petrarch(pipeline: &Pipeline, coder: &PetrarchCoder, input: Document) -> Record {
    let mut doc = Pipeline::doc_of(input);
    pipeline.annotate(&mut doc);
    // The actor dictionaries' date restrictions apply on the publication date.
    let date = doc.meta.published.as_deref().and_then(|p| {
        let digits: String = p.chars().filter(|c| c.is_ascii_digit()).take(8).collect();
        parse_record_date(&digits)
    });
    coder.annotate(&mut doc, date);
    doc.to_record()
}

/// Totals of one run, for the exit status and the summary line.
#[derive(Default)]
struct Totals {
    docs: usize,
    failed: usize,
}

impl Args {
    fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_input_mb.saturating_mul(1 << 20),
            max_document_bytes: usize::try_from(self.max_document_mb.saturating_mul(1 << 20))
                .unwrap_or(usize::MAX),
        }
    }

    /// The built-in pipeline with the chosen event coder.
    fn pipeline(&self) -> anyhow::Result<Pipeline> {
        crate::train_events::pipeline_with_coder(self.coder, self.event_model.as_deref())
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = args.format.as_deref().and_then(Format::parse);
    let default_date = args
        .published
        .as_deref()
        .map(crate::ingest::parse_published)
        .transpose()?;
    let walk = Walk::new(&args.paths)?;
    let pipeline = Arc::new(args.pipeline()?);
    let petrarch = Arc::new(petrarch_coder(&args)?);
    let mut out = Output::open(args.out.as_deref(), &walk.file_identities())?;
    let mut report = Reporter::new(!args.quiet && std::io::stderr().is_terminal(), &walk);
    for w in &walk.warnings {
        report.note(&format!("warning: {w}"));
    }

    // Items flow reader → workers → reorder buffer → writer. Bounded channels
    // keep memory flat on large corpora; sequence numbers restore input order.
    let threads = args.threads.max(1);
    let (item_tx, item_rx) = sync_channel::<Work>(threads * 4);
    let (rec_tx, rec_rx) = sync_channel::<(usize, Record)>(threads * 4);
    let reader = spawn_reader(walk.inputs, format, args.limits(), default_date, item_tx);
    let item_rx: Arc<Mutex<Receiver<Work>>> = Arc::new(Mutex::new(item_rx));
    let workers: Vec<_> = (0..threads)
        .map(|_| spawn_worker(&item_rx, rec_tx.clone(), &pipeline, &petrarch))
        .collect();
    drop(rec_tx);

    let mut totals = Totals::default();
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let mut buf = Vec::new();
    for (seq, record) in rec_rx {
        pending.insert(seq, record);
        while let Some(record) = pending.remove(&next) {
            if let Some(err) = &record.error {
                totals.failed += 1;
                report.note(&format!("warning: {}", err.message));
            }
            // Serialised into a buffer first: serde_json hides the IO error
            // kind, and a closed pipe must be recognisable as one.
            buf.clear();
            if args.pretty {
                serde_json::to_writer_pretty(&mut buf, &record)?;
            } else {
                serde_json::to_writer(&mut buf, &record)?;
            }
            buf.push(b'\n');
            out.writer.write_all(&buf)?;
            totals.docs += 1;
            next += 1;
            report.inc();
        }
    }
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a coding thread panicked"))?;
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reading thread panicked"))?;
    out.commit()?;
    report.finish();
    if totals.failed > 0 {
        eprintln!(
            "{} of {} documents failed; their records carry an `error` object",
            totals.failed, totals.docs
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A numbered input for the coding threads, with where a publication date
/// filled in by [`annalist_store::dates::fill_date`] came from (`url` or
/// `default`).
type Work = (usize, Item, Option<&'static str>);

/// Reads the inputs in order on a thread of its own. An input that cannot
/// be opened yields one failure (an error record) and the next is read. A
/// document without a publication date takes one from its URL path, else
/// `default` (`--published`), as in `annalist ingest`.
fn spawn_reader(
    inputs: Vec<Input>,
    format: Option<Format>,
    limits: Limits,
    default: Option<String>,
    tx: SyncSender<Work>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut seq = 0;
        for input in &inputs {
            let items = match crate::inputs::open_input(input) {
                Ok((name, reader)) => annalist_ingest::read_with(&name, reader, format, limits),
                Err(failure) => Box::new(std::iter::once(Err(failure))),
            };
            for mut item in items {
                let from = match &mut item {
                    Ok(doc) => annalist_store::dates::fill_date(
                        &mut doc.published,
                        doc.url.as_deref(),
                        default.as_deref(),
                        &mut doc.warnings,
                    ),
                    Err(_) => None,
                };
                if tx.send((seq, item, from)).is_err() {
                    return;
                }
                seq += 1;
            }
        }
    })
}

/// A coding thread: takes items until the reader is done, sends records.
fn spawn_worker(
    rx: &Arc<Mutex<Receiver<Work>>>,
    tx: SyncSender<(usize, Record)>,
    pipeline: &Arc<Pipeline>,
    petrarch: &Arc<Option<PetrarchCoder>>,
) -> JoinHandle<()> {
    let rx = Arc::clone(rx);
    let pipeline = Arc::clone(pipeline);
    let petrarch = Arc::clone(petrarch);
    std::thread::spawn(move || loop {
        let next = rx.lock().map(|r| r.recv());
        let Ok(Ok((seq, item, date_from))) = next else {
            break;
        };
        let record = match item {
            // The pipeline labels the language; ingest has already added the
            // warning for a text that is not English.
            Ok(doc) => {
                let mut record = match petrarch.as_ref() {
                    Some(coder) => code_petrarch(&pipeline, coder, doc),
                    None => pipeline.code(doc),
                };
                annalist_store::dates::mark_date_source(&mut record, date_from);
                record
            }
            Err(failure) => failed_record(&failure),
        };
        if tx.send((seq, record)).is_err() {
            break;
        }
    })
}

/// Where the records go: standard output, or a file written next to its
/// final name and renamed over it only once complete, so that a failed or
/// interrupted run never leaves a half-written file where a good one was.
struct Output {
    writer: BufWriter<Box<dyn Write>>,
    /// The temporary file and the name it takes when the run succeeds.
    pending: Option<Pending>,
}

/// A temporary output file, removed unless it was renamed into place.
struct Pending {
    temp: PathBuf,
    dest: PathBuf,
    file: File,
    done: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl Output {
    /// Opens the output. A file that is also an input is refused: it would be
    /// truncated before it is read.
    fn open(path: Option<&Path>, inputs: &HashSet<(u64, u64)>) -> anyhow::Result<Output> {
        let Some(path) = path else {
            let writer: Box<dyn Write> = Box::new(std::io::stdout().lock());
            return Ok(Output {
                writer: BufWriter::with_capacity(1 << 16, writer),
                pending: None,
            });
        };
        if crate::inputs::path_identity(path).is_some_and(|id| inputs.contains(&id)) {
            anyhow::bail!(
                "{}: the output file is also an input, and writing it would destroy the input; \
                 hint: give --out another file",
                path.display()
            );
        }
        // Only a regular file (or a new one) is replaced by renaming: a
        // device or a pipe (`--out /dev/stdout`) is written in place.
        let regular = std::fs::metadata(path).map_or(true, |m| m.is_file());
        if !regular {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let writer: Box<dyn Write> = Box::new(file);
            return Ok(Output {
                writer: BufWriter::with_capacity(1 << 16, writer),
                pending: None,
            });
        }
        let name = path
            .file_name()
            .map_or_else(|| "records".into(), |n| n.to_string_lossy().into_owned());
        let temp = path.with_file_name(format!(".{name}.{}.annalist-tmp", std::process::id()));
        let file = File::create(&temp).with_context(|| {
            format!(
                "cannot create {} (next to {}); hint: check that its directory exists and is writable",
                temp.display(),
                path.display()
            )
        })?;
        let writer: Box<dyn Write> = Box::new(file.try_clone()?);
        Ok(Output {
            writer: BufWriter::with_capacity(1 << 16, writer),
            pending: Some(Pending {
                temp,
                dest: path.to_path_buf(),
                file,
                done: false,
            }),
        })
    }

    /// Flushes the records and, for a file, moves it into place.
    fn commit(mut self) -> anyhow::Result<()> {
        self.writer.flush()?;
        if let Some(pending) = &mut self.pending {
            pending
                .file
                .sync_all()
                .with_context(|| format!("cannot write {}", pending.temp.display()))?;
            std::fs::rename(&pending.temp, &pending.dest).with_context(|| {
                format!("cannot move the records into {}", pending.dest.display())
            })?;
            pending.done = true;
        }
        Ok(())
    }
}

/// Messages and progress on standard error: a progress line when standard
/// error is a terminal (messages are printed above it), plain lines when not.
struct Reporter {
    progress: Option<Progress<std::io::Stderr>>,
}

impl Reporter {
    fn new(draw: bool, walk: &Walk) -> Reporter {
        let progress = draw.then(|| {
            let total = Total::default();
            let inputs = walk.inputs.clone();
            let counted = total.clone();
            // Counting lines is cheap next to coding, but not free on a big
            // corpus: a thread of its own, and the total shows up when known.
            std::thread::spawn(move || {
                if let Some(n) = count_documents(&inputs) {
                    counted.set(n);
                }
            });
            Progress::new(std::io::stderr(), total, "documents", Instant::now())
        });
        Reporter { progress }
    }

    fn note(&mut self, message: &str) {
        match &mut self.progress {
            Some(p) => p.note(message, Instant::now()),
            None => eprintln!("{message}"),
        }
    }

    fn inc(&mut self) {
        if let Some(p) = &mut self.progress {
            p.inc(1, Instant::now());
        }
    }

    fn finish(&mut self) {
        if let Some(p) = self.progress.take() {
            p.finish(Instant::now());
        }
    }
}

/// How many documents the inputs hold, where that is cheap to know: one per
/// text or HTML file and per unreadable path, one per non-blank line of a
/// JSON Lines file. Compressed files, feeds, archives and standard input
/// leave the total unknown.
fn count_documents(inputs: &[Input]) -> Option<u64> {
    let mut total = 0u64;
    for input in inputs {
        let path = match input {
            Input::Stdin => return None,
            Input::Bad { .. } => {
                total += 1;
                continue;
            }
            Input::File(p) => p,
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        total += match ext.as_str() {
            "txt" | "text" | "html" | "htm" => 1,
            "jsonl" | "ndjson" => count_lines(path)?,
            _ => return None,
        };
    }
    Some(total)
}

/// The non-blank lines of a file (blank lines yield no document).
fn count_lines(path: &Path) -> Option<u64> {
    let mut file = File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    let (mut lines, mut blank) = (0u64, true);
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        if buf[..2.min(n)] == [0x1f, 0x8b] && lines == 0 && blank {
            return None;
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                lines += u64::from(!blank);
                blank = true;
            } else if !b.is_ascii_whitespace() {
                blank = false;
            }
        }
    }
    Some(lines + u64::from(!blank))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records of JSON Lines read and coded as `annalist code` does.
    fn coded(lines: &'static str) -> Vec<serde_json::Value> {
        let pipeline = Pipeline::builtin().unwrap();
        let items = annalist_ingest::read_with(
            "x.jsonl",
            Box::new(lines.as_bytes()),
            Some(Format::Jsonl),
            Limits::default(),
        );
        items
            .map(|item| serde_json::to_value(pipeline.code(item.unwrap())).unwrap())
            .collect()
    }

    #[test]
    fn a_title_spelled_from_the_url_slug_is_flagged_in_the_record() {
        let records = coded(concat!(
            r#"{"id": "a", "url": "https://example.com/news/480123/Iran-says-talks-continue", "text": "Iran said talks would continue."}"#,
            "\n",
            r#"{"id": "b", "title": "Talks go on", "url": "https://example.com/news/480124/Iran-says-talks-continue", "text": "Iran said talks would continue."}"#,
            "\n",
            r#"{"id": "c", "text": "Iran said talks would continue."}"#,
            "\n",
        ));
        let meta = |k: usize| &records[k]["meta"];
        assert_eq!(meta(0)["title"], "Iran says talks continue");
        assert_eq!(meta(0)["title_source"], "url");
        // A title the source gave, and no title at all, carry no such field,
        // so that their records stay as they were.
        assert_eq!(meta(1)["title"], "Talks go on");
        assert!(meta(1).get("title_source").is_none(), "{}", meta(1));
        assert!(meta(2)["title"].is_null());
        assert!(meta(2).get("title_source").is_none(), "{}", meta(2));
    }
}
