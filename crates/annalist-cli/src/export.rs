//! `annalist export`: write stored events as GDELT 2.0 TSV, PLOVER JSON
//! Lines or CSV.

use crate::query::FilterArgs;
use annalist_store::export::ExportFormat;
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
Parquet is not offered."
)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, default_value = "plover", value_parser = ["gdelt-events", "gdelt-mentions", "plover", "csv"])]
    pub format: String,
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
    let n = store.export(
        &args.filters.filter(),
        args.filters.unit(),
        format,
        &mut out,
    )?;
    out.flush()?;
    if args.out.is_some() {
        eprintln!("exported {n} lines");
    }
    Ok(ExitCode::SUCCESS)
}
