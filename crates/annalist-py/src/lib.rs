//! The native half of the `annalist` Python package.
//!
//! It is deliberately small: one class that holds the loaded pipeline and
//! codes one document, given as a JSON Lines line, into the JSON text of its
//! record, and one that codes a stream of such lines on threads of its own
//! (`Pipeline.code_many`). The Python half (`python/annalist`) builds the
//! lines and parses the records. Going through the JSON Lines reader,
//! rather than building a `Document` here, makes a record from Python the
//! record `annalist code --format jsonl` writes for the same fields: the
//! same text checks, size cap, metadata cleaning and warnings.

use annalist_doc::Record;
use annalist_ingest::{codes, Failure, Format, Item, Limits, Origin};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The input name documents from Python carry in messages and in the ids of
/// failed records: `input:3` is the third document of a batch, as line 3
/// of a JSON Lines file named `input` would be.
const SOURCE: &str = "input";

/// The built-in pipeline, loaded once and shared by every coding thread.
#[pyclass(frozen, module = "annalist._native", name = "NativePipeline")]
struct NativePipeline {
    pipeline: Arc<annalist_pipeline::Pipeline>,
    limits: Limits,
}

#[pymethods]
impl NativePipeline {
    #[new]
    #[pyo3(signature = (*, coder = "rules", max_document_mb = 8))]
    fn new(py: Python<'_>, coder: &str, max_document_mb: u64) -> PyResult<Self> {
        let learned = match coder {
            "rules" => false,
            "learned" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "coder {other:?} is not known; hint: use \"rules\" or \"learned\""
                )))
            }
        };
        // Loading the models takes a moment; other Python threads may run.
        let pipeline = py.detach(|| -> Result<_, String> {
            let pipeline = annalist_pipeline::Pipeline::builtin()?;
            if !learned {
                return Ok(pipeline);
            }
            let model = annalist_events::EventModel::builtin()
                .ok_or("this build carries no learned event model; hint: use coder=\"rules\"")?;
            Ok(pipeline.with_event_model(Some(model)))
        });
        let pipeline = pipeline.map_err(PyValueError::new_err)?;
        Ok(NativePipeline {
            pipeline: Arc::new(pipeline),
            limits: Limits {
                // Python already holds the whole document in memory, so only
                // the per-document cap protects the pipeline.
                max_input_bytes: 0,
                max_document_bytes: usize::try_from(max_document_mb.saturating_mul(1 << 20))
                    .unwrap_or(usize::MAX),
            },
        })
    }

    /// Codes one document given as one JSON object (a JSON Lines line) and
    /// returns its record as JSON text. `index` is the document's place in
    /// its input, from 0, and `source` the input's name (`input` for a
    /// batch from Python; a file's path when Spark reads the file), so that
    /// messages and the ids of failed records say `source:line` as `annalist
    /// code` says them; `warnings` are problems Python found first (lone
    /// surrogates replaced). Never raises on bad input: that gives a record
    /// with an `error` object. The GIL is released while coding.
    #[pyo3(signature = (line, index, warnings, source = None))]
    fn code_line(
        &self,
        py: Python<'_>,
        line: String,
        index: usize,
        warnings: Vec<String>,
        source: Option<String>,
    ) -> PyResult<String> {
        let pipeline = Arc::clone(&self.pipeline);
        let limits = self.limits;
        let source = source.unwrap_or_else(|| SOURCE.to_string());
        let json = py.detach(move || {
            let record = code_line(&pipeline, limits, &source, line, index, warnings);
            serde_json::to_string(&record)
        });
        json.map_err(|e| PyValueError::new_err(format!("cannot write the record as json: {e}")))
    }

    /// Codes every document of one file's content, as `annalist code NAME`
    /// reads the file: the format is sniffed from `name` and the content
    /// (plain text, HTML, JSON Lines, RSS/Atom, WARC; gzip transparently),
    /// and `name` is the source named in messages. Returns the records as
    /// JSON texts, in file order. The GIL is released while coding.
    fn code_file(&self, py: Python<'_>, name: String, data: Vec<u8>) -> PyResult<Vec<String>> {
        let pipeline = Arc::clone(&self.pipeline);
        // As for a line, the file is in memory already: only the document
        // cap applies.
        let limits = self.limits;
        let json = py.detach(move || {
            let items =
                annalist_ingest::read_with(&name, Box::new(Cursor::new(data)), None, limits);
            items
                .enumerate()
                .map(|(index, item)| {
                    serde_json::to_string(&code_item(&pipeline, &name, item, index, Vec::new()))
                })
                .collect::<Result<Vec<_>, _>>()
        });
        json.map_err(|e| PyValueError::new_err(format!("cannot write the record as json: {e}")))
    }

    /// Starts `threads` coding threads that code the lines `send` gives
    /// them, as `code_line` codes one, and hand the records to `recv` in
    /// the order they were sent. The threads never take the GIL, so they
    /// keep coding while Python builds lines and parses records, where a
    /// Python thread pool calling `code_line` would wait for the GIL.
    fn stream(&self, threads: usize) -> PyResult<NativeStream> {
        if threads == 0 {
            return Err(PyValueError::new_err("threads must be 1 or more, not 0"));
        }
        let (job_tx, job_rx) = channel::<Job>();
        let (record_tx, record_rx) = channel();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let stop = Arc::new(AtomicBool::new(false));
        let mut coders = Vec::with_capacity(threads);
        for k in 0..threads {
            let coder = Coder {
                pipeline: Arc::clone(&self.pipeline),
                limits: self.limits,
                jobs: Arc::clone(&job_rx),
                records: record_tx.clone(),
                stop: Arc::clone(&stop),
            };
            let spawned = std::thread::Builder::new()
                .name(format!("annalist-coder-{k}"))
                .spawn(move || coder.run());
            match spawned {
                Ok(handle) => coders.push(handle),
                Err(e) => {
                    // The threads already started end when the job sender
                    // is dropped on return.
                    stop.store(true, Ordering::Relaxed);
                    return Err(PyRuntimeError::new_err(format!(
                        "cannot start a coding thread: {e}"
                    )));
                }
            }
        }
        Ok(NativeStream {
            jobs: Mutex::new(Some(job_tx)),
            sent: Mutex::new(0),
            records: Mutex::new(Reorder {
                rx: record_rx,
                early: BTreeMap::new(),
                next: 0,
            }),
            stop,
            coders: Mutex::new(coders),
        })
    }
}

/// One line sent to a [`NativeStream`]: its place in the stream, and what
/// [`code_line`] takes.
struct Job {
    seq: usize,
    line: String,
    index: usize,
    warnings: Vec<String>,
    source: Option<String>,
}

/// A record's JSON text, or why it could not be written.
type Coded = Result<String, String>;

/// The records the coding threads have sent, put back in input order: the
/// threads finish documents out of order, as `annalist code --threads`
/// does, and its writer reorders them the same way.
struct Reorder {
    rx: Receiver<(usize, Coded)>,
    early: BTreeMap<usize, Coded>,
    next: usize,
}

/// Documents coded on threads of their own (`NativePipeline.stream`):
/// `send` queues a line and returns at once, `recv` waits, with the GIL
/// released, for the record of the oldest line not yet received. The
/// caller bounds how many lines are in flight (sent but not received).
#[pyclass(frozen, module = "annalist._native", name = "NativeStream")]
struct NativeStream {
    /// `None` once closed.
    jobs: Mutex<Option<Sender<Job>>>,
    /// How many lines were sent.
    sent: Mutex<usize>,
    records: Mutex<Reorder>,
    /// Tells the coding threads to skip what is left (the stream was
    /// closed or dropped).
    stop: Arc<AtomicBool>,
    coders: Mutex<Vec<JoinHandle<()>>>,
}

#[pymethods]
impl NativeStream {
    /// Queues one document, with the arguments of `NativePipeline.code_line`,
    /// for the coding threads. Returns at once.
    #[pyo3(signature = (line, index, warnings, source = None))]
    fn send(
        &self,
        line: String,
        index: usize,
        warnings: Vec<String>,
        source: Option<String>,
    ) -> PyResult<()> {
        // Held only for the moment of a send, by no thread that waits for
        // the GIL, so taking them with the GIL held cannot deadlock.
        let jobs = self.jobs.lock().map_err(|_| poisoned())?;
        let Some(jobs) = jobs.as_ref() else {
            return Err(PyValueError::new_err("the stream is closed"));
        };
        let mut sent = self.sent.lock().map_err(|_| poisoned())?;
        let job = Job {
            seq: *sent,
            line,
            index,
            warnings,
            source,
        };
        jobs.send(job)
            .map_err(|_| PyRuntimeError::new_err("the coding threads have stopped"))?;
        *sent += 1;
        Ok(())
    }

    /// The record of the oldest document sent and not yet received, as
    /// JSON text; waits for it with the GIL released.
    fn recv(&self, py: Python<'_>) -> PyResult<String> {
        let sent = *self.sent.lock().map_err(|_| poisoned())?;
        let coded = py.detach(|| {
            let mut records = self.records.lock().map_err(|_| poisoned())?;
            if records.next >= sent {
                return Err(PyValueError::new_err(
                    "no document is waiting for its record; hint: send one first",
                ));
            }
            let next = records.next;
            loop {
                if let Some(coded) = records.early.remove(&next) {
                    records.next += 1;
                    return Ok(coded);
                }
                match records.rx.recv() {
                    Ok((seq, coded)) => {
                        records.early.insert(seq, coded);
                    }
                    Err(_) => {
                        return Err(PyRuntimeError::new_err("the coding threads have stopped"))
                    }
                }
            }
        })?;
        coded.map_err(|e| PyValueError::new_err(format!("cannot write the record as json: {e}")))
    }

    /// Stops the stream: documents not yet coded are dropped, and the
    /// coding threads are waited for (each finishes the document it is
    /// on). Further `send`s raise; closing twice is harmless.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.jobs.lock().map_err(|_| poisoned())?.take());
        let coders = std::mem::take(&mut *self.coders.lock().map_err(|_| poisoned())?);
        py.detach(|| {
            for coder in coders {
                // A coding thread catches the coder's panics, so a join
                // error would be a bug here; the stream is over either way.
                let _ = coder.join();
            }
        });
        Ok(())
    }
}

impl Drop for NativeStream {
    /// A stream dropped without `close` stops its threads without waiting
    /// for them: they end once they see the flag or the closed channel.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn poisoned() -> PyErr {
    PyRuntimeError::new_err("a coding thread failed while holding a lock")
}

/// One coding thread of a [`NativeStream`].
struct Coder {
    pipeline: Arc<annalist_pipeline::Pipeline>,
    limits: Limits,
    jobs: Arc<Mutex<Receiver<Job>>>,
    records: Sender<(usize, Coded)>,
    stop: Arc<AtomicBool>,
}

impl Coder {
    /// Takes jobs until the stream is closed or stopped, sends records.
    fn run(self) {
        loop {
            let job = match self.jobs.lock() {
                Ok(jobs) => jobs.recv(),
                Err(_) => break,
            };
            let Ok(job) = job else { break };
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let source = job.source.unwrap_or_else(|| SOURCE.to_string());
            let place = job.index + 1;
            // `code_item` catches the pipeline's panics; this catches the
            // reader's too, so that a bug costs one document, never the
            // stream (whose `recv` would otherwise wait for it forever).
            let coded = catch_unwind(AssertUnwindSafe(|| {
                let record = code_line(
                    &self.pipeline,
                    self.limits,
                    &source,
                    job.line,
                    job.index,
                    job.warnings,
                );
                serde_json::to_string(&record).map_err(|e| e.to_string())
            }))
            .unwrap_or_else(|_| {
                serde_json::to_string(&Record::failed(
                    format!("{source}:{place}"),
                    "internal_error",
                    format!("{source}:{place}: the coder failed on this document; please report it with the text"),
                ))
                .map_err(|e| e.to_string())
            });
            if self.records.send((job.seq, coded)).is_err() {
                break;
            }
        }
    }
}

/// Reads `line` as the JSON Lines reader reads line `index + 1` of a file
/// named `source`, and codes it as `annalist code` does.
fn code_line(
    pipeline: &annalist_pipeline::Pipeline,
    limits: Limits,
    source: &str,
    line: String,
    index: usize,
    early_warnings: Vec<String>,
) -> Record {
    let item = renumber(source, read_line(source, line, limits), index);
    code_item(pipeline, source, item, index, early_warnings)
}

/// Codes one item read from `source` (document `index` of it, from 0) as
/// `annalist code` does, or gives the record of its failure.
fn code_item(
    pipeline: &annalist_pipeline::Pipeline,
    source: &str,
    item: Item,
    index: usize,
    early_warnings: Vec<String>,
) -> Record {
    let mut doc = match item {
        Ok(doc) => doc,
        Err(failure) => return python_hints(annalist_pipeline::failed_record(&failure)),
    };
    doc.warnings.splice(0..0, early_warnings);
    // A missing publication date comes from the URL path, as in `annalist
    // code`; there is no batch default (`--published`) here.
    let date_from = annalist_store::dates::fill_date(
        &mut doc.published,
        doc.url.as_deref(),
        None,
        &mut doc.warnings,
    );
    // A failure names the document by its line where the reader knew it
    // (JSON Lines), else by its place in the input.
    let place = doc.origin.line.unwrap_or(index + 1);
    let doc_id = doc.doc_id.clone();
    // A bug in a component must cost one document, not the caller's batch:
    // a panic crossing into Python would raise an exception that ends it.
    match catch_unwind(AssertUnwindSafe(|| pipeline.code(doc))) {
        Ok(mut record) => {
            annalist_store::dates::mark_date_source(&mut record, date_from);
            python_hints(record)
        }
        Err(_) => Record::failed(
            doc_id.unwrap_or_else(|| format!("{source}:{place}")),
            "internal_error",
            format!("{source}:{place}: the coder failed on this document; please report it with the text"),
        ),
    }
}

/// The readers' hints name the command-line flag that raises the size cap;
/// from Python the cap is an argument of `annalist.Pipeline`, so the hint
/// names that instead.
fn python_hints(mut record: Record) -> Record {
    const FLAG: &str = "(--max-document-mb)";
    const ARGUMENT: &str = "(annalist.Pipeline(max_document_mb=...), 0 for none)";
    if let Some(error) = record.error.as_mut() {
        if error.message.contains(FLAG) {
            error.message = error.message.replace(FLAG, ARGUMENT);
        }
    }
    for warning in record.warnings.iter_mut().filter(|w| w.contains(FLAG)) {
        *warning = warning.replace(FLAG, ARGUMENT);
    }
    record
}

/// The one document of a one-line JSON Lines input.
fn read_line(source: &str, line: String, limits: Limits) -> Item {
    let reader = Box::new(Cursor::new(line.into_bytes()));
    let mut items = annalist_ingest::read_with(source, reader, Some(Format::Jsonl), limits);
    items.next().unwrap_or_else(|| {
        // The Python half always sends one object, so an empty read means
        // the line was blank: say so rather than return nothing.
        Err(Failure {
            origin: Origin {
                source: source.to_string(),
                line: Some(1),
                index: 0,
            },
            doc_id: None,
            code: codes::EMPTY_INPUT,
            message: format!("{source}:1 is empty; nothing to code"),
        })
    })
}

/// Moves an item read as line 1 to line `index + 1`, in its origin and in
/// the messages and warnings that name it, so that a batch's messages point
/// at the document they concern.
fn renumber(source: &str, item: Item, index: usize) -> Item {
    if index == 0 {
        return item;
    }
    let (from, to) = (format!("{source}:1"), format!("{source}:{}", index + 1));
    let fix = |s: &mut String| {
        if s.contains(&from) {
            *s = s.replace(&from, &to);
        }
    };
    let fix_origin = |o: &mut Origin| {
        o.line = o.line.map(|_| index + 1);
        o.index = index;
    };
    match item {
        Ok(mut doc) => {
            fix_origin(&mut doc.origin);
            doc.warnings.iter_mut().for_each(fix);
            Ok(doc)
        }
        Err(mut failure) => {
            fix_origin(&mut failure.origin);
            fix(&mut failure.message);
            Err(failure)
        }
    }
}

/// The native module: `annalist._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SOURCE", SOURCE)?;
    m.add_class::<NativePipeline>()?;
    m.add_class::<NativeStream>()?;
    Ok(())
}
