//! `annalist export`: write stored events as GDELT 2.0 TSV, PLOVER JSON
//! Lines or CSV.

use crate::query::FilterArgs;
use annalist_store::export::{ExportFormat, Undated};
use anyhow::Context;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist export --format gdelt-events --out events.tsv\n  \
annalist export --format gdelt-mentions --out mentions.tsv\n  \
annalist export --format plover --type ASSAULT --from 2022-01-01\n\n\
gdelt-events writes the 61 columns of the GDELT 2.0 event table, one line per story event \
(NumArticles counts its articles); gdelt-mentions writes the 16 mention columns, one line per \
report of those story events. plover and csv write story events, or every report with --reports. \
Parquet is not offered.\n\n\
Dates are never made up: an event with no date (neither the text nor the document's \
publication date gives one) has a null date in plover, an empty date cell in csv, and is \
left out of the gdelt files, whose date columns cannot be empty, unless --undated include \
is given (the row is then written with empty date columns, which strict GDELT readers \
refuse). The number of rows left out is printed on standard error. To give undated \
documents a date, ingest them again with a `published` field or `annalist ingest --published DATE`."
)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, default_value = "plover", value_parser = ["gdelt-events", "gdelt-mentions", "plover", "csv"])]
    pub format: String,
    /// Events with no known date: `skip` leaves them out, `include` writes them with empty dates
    /// (null in plover). Default: skip for gdelt-events and gdelt-mentions, include for plover and csv.
    #[arg(long, value_name = "WHAT", value_parser = ["skip", "include"])]
    pub undated: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.filters.open()?;
    let format = ExportFormat::parse(&args.format).unwrap_or(ExportFormat::Plover);
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let undated = args
        .undated
        .as_deref()
        .and_then(Undated::parse)
        .unwrap_or(Undated::default_for(format));
    let stats = store.export_with(
        &args.filters.filter(),
        args.filters.unit(),
        format,
        undated,
        &mut out,
    )?;
    out.flush()?;
    if stats.undated_skipped > 0 {
        eprintln!(
            "left out {} {} with no known date (GDELT's date columns cannot be empty); \
             hint: --undated include writes them with empty dates, or ingest the documents \
             with a publication date",
            stats.undated_skipped,
            if stats.undated_skipped == 1 {
                "row"
            } else {
                "rows"
            }
        );
    }
    if args.out.is_some() {
        eprintln!("exported {} lines", stats.written);
    }
    Ok(ExitCode::SUCCESS)
}
