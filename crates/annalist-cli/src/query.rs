//! `annalist query`: list or count the stored events.

use annalist_store::format::{write_counts, write_rows, Format};
use annalist_store::{CountBy, Filter, Store, Unit};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The event filters, shared by `query` and `export`.
#[derive(clap::Args, Debug, Clone)]
pub struct FilterArgs {
    /// The source actor's country: a code (IRN, irn, IGO), a name (Iran) or a demonym (Iranian).
    #[arg(long, value_name = "COUNTRY")]
    pub actor_country: Option<String>,
    /// The target actor's country, as for --actor-country.
    #[arg(long, value_name = "COUNTRY")]
    pub target_country: Option<String>,
    /// The source actor's sector code (GOV, MIL, REB, ...).
    #[arg(long, value_name = "CODE")]
    pub actor_sector: Option<String>,
    /// The target actor's sector code.
    #[arg(long, value_name = "CODE")]
    pub target_sector: Option<String>,
    /// Part of the source actor's name (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub actor_name: Option<String>,
    /// Part of the target actor's name (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub target_name: Option<String>,
    /// Match the actor filters in either direction (source and target swapped too).
    #[arg(long)]
    pub either_order: bool,
    /// A PLOVER event type (CONSULT, ASSAULT, ...), or several separated by commas.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// A CAMEO code or prefix: 04 matches 040, 042, ...
    #[arg(long, value_name = "CODE")]
    pub cameo: Option<String>,
    /// asserted, negated, future or hypothetical.
    #[arg(long, value_parser = ["asserted", "negated", "future", "hypothetical"])]
    pub modality: Option<String>,
    /// The first day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day, YYYY-MM-DD (included).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Part of the event place's name (or its province's).
    #[arg(long, value_name = "NAME")]
    pub place: Option<String>,
    /// The country of the event place, as for --actor-country.
    #[arg(long, value_name = "COUNTRY")]
    pub place_country: Option<String>,
    /// Words the article must contain (all of them; title or text).
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// The fewest articles that must report the story event.
    #[arg(long, value_name = "N")]
    pub min_articles: Option<u32>,
    /// A box the event place must lie in: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Count and list every report rather than story events.
    #[arg(long)]
    pub reports: bool,
    /// The database file (default as for `annalist ingest`).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            actor_country: self.actor_country.clone(),
            target_country: self.target_country.clone(),
            actor_sector: self.actor_sector.clone(),
            target_sector: self.target_sector.clone(),
            actor_name: self.actor_name.clone(),
            target_name: self.target_name.clone(),
            either_order: self.either_order,
            kind: self.kind.clone(),
            cameo: self.cameo.clone(),
            modality: self.modality.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            place: self.place.clone(),
            place_country: self.place_country.clone(),
            text: self.text.clone(),
            min_articles: self.min_articles,
            bbox: self.bbox.clone(),
        }
    }

    pub fn unit(&self) -> Unit {
        if self.reports {
            Unit::Reports
        } else {
            Unit::Stories
        }
    }

    /// Opens the store for reading; a missing file is a usage error.
    pub fn open(&self) -> anyhow::Result<Store> {
        let db = crate::ingest::db_path(self.db.as_deref())?;
        if !db.exists() {
            anyhow::bail!(
                "{}: no such database; hint: run `annalist ingest` first, or give --db FILE",
                db.display()
            );
        }
        Ok(Store::open_read_only(&db)?)
    }
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  annalist query --actor-country IRN --target-country TJK --from 2022-01-01 --to 2022-12-31\n  \
annalist query --type ASSAULT --place-country SYR --count-by month\n  \
annalist query --text drone --format jsonl\n  annalist query --count-by dyad --reports\n\n\
Story events are counted once however many articles reported them; --reports counts every report. \
A country that is not a known code, name or demonym is an error (exit status 2), never an empty answer. \
Events with no known date list with an empty date."
)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = ["table", "jsonl", "csv"])]
    pub format: String,
    /// Count instead of listing.
    #[arg(long, value_parser = ["day", "week", "month", "dyad", "type"])]
    pub count_by: Option<String>,
    /// The most rows to list (0: all).
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.filters.open()?;
    let filter = args.filters.filter();
    let unit = args.filters.unit();
    let format = Format::parse(&args.format).unwrap_or(Format::Table);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let limit = (args.limit > 0).then_some(args.limit);
    match args.count_by.as_deref().and_then(CountBy::parse) {
        Some(by) => {
            let rows = store.count_by(&filter, unit, by)?;
            write_counts(&mut out, format, by, &rows)?;
        }
        None => {
            let total = store.count(&filter, unit)?;
            match unit {
                Unit::Stories => write_rows(&mut out, format, &store.stories(&filter, limit)?)?,
                Unit::Reports => write_rows(&mut out, format, &store.reports(&filter, limit)?)?,
            }
            let shown = limit.map_or(total, |l| total.min(l as u64));
            if shown < total {
                eprintln!(
                    "showing {shown} of {total} {}; hint: --limit 0 lists all",
                    if unit == Unit::Stories {
                        "story events"
                    } else {
                        "reports"
                    }
                );
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
