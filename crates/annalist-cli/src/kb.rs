//! `annalist kb`: compile the built-in knowledge from open data, inspect it, and score
//! the toponym resolver.

use annalist_kb::compile::{compile, Sources, OUTPUT_FILES, SOURCE_FILES};
use annalist_kb::{geo_eval, Context, Kb};
use anyhow::Context as _;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Writes the collected output; a closed pipe (`| head`) is not an error worth a panic.
fn emit(out: &str) {
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Compile countries, gazetteer and office holders from the open data into compact files.
    Build {
        /// The data folder (holds countries/, cameo/, gazetteer/, people/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write countries.kb, gazetteer.kb and people.kb.
        #[arg(long, default_value = "crates/annalist-kb/data")]
        out: PathBuf,
    },
    /// Show the built-in files' sources and sizes, and how long loading takes.
    Info,
    /// Look a word up: country, demonym, organisation, places, office holders.
    Lookup {
        /// The word or name to look up.
        name: String,
    },
    /// Score the toponym resolver against gold toponyms (GeoVirus JSON Lines).
    EvalGeo {
        /// The JSON Lines file (text + locations with name, lat, lon).
        file: PathBuf,
        /// Print every wrong or unresolved toponym.
        #[arg(long)]
        errors: bool,
        /// Print every toponym with its confidence and error, as TSV.
        #[arg(long)]
        all: bool,
        /// Exit non-zero when accuracy@161km is below this.
        #[arg(long)]
        min_accuracy: Option<f32>,
        /// Run the whole pipeline instead of giving the resolver the gold names:
        /// score the gold toponyms our entity tagger finds (a LOC entity
        /// overlapping the gold span) and report their recall too.
        #[arg(long)]
        ner: bool,
        /// With --ner: exit non-zero when the recall of gold toponyms is below this.
        #[arg(long)]
        min_recall: Option<f32>,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Build { data, out } => build(&data, &out),
        What::Info => info(),
        What::Lookup { name } => lookup(&name),
        What::EvalGeo {
            file,
            errors,
            min_accuracy,
            ner: true,
            min_recall,
            ..
        } => eval_geo_ner(&file, errors, min_accuracy, min_recall),
        What::EvalGeo {
            file,
            errors,
            all,
            min_accuracy,
            ..
        } => eval_geo(&file, errors, all, min_accuracy),
    }
}

fn build(data: &std::path::Path, out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut files: HashMap<&'static str, Vec<u8>> = HashMap::new();
    for &p in SOURCE_FILES {
        let path = data.join(p);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "cannot read {}; pass the data folder with --data",
                path.display()
            )
        })?;
        files.insert(p, bytes);
    }
    let t = Instant::now();
    let compiled = compile(&Sources::new(|p| {
        files.get(p).map_or(&[][..], |b| b.as_slice())
    }))
    .with_context(|| format!("compiling knowledge from {}", data.display()))?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, bytes) in
        OUTPUT_FILES
            .iter()
            .zip([&compiled.countries, &compiled.gazetteer, &compiled.people])
    {
        let path = out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    for (what, n) in &compiled.stats {
        eprintln!("{what}: {n}");
    }
    eprintln!("compiled in {:.1} s", t.elapsed().as_secs_f32());
    Ok(ExitCode::SUCCESS)
}

fn info() -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let t = Instant::now();
    let bytes = Kb::builtin_bytes();
    let kb = Kb::load(bytes[0], bytes[1], bytes[2]).context("loading the built-in knowledge")?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    for (h, b) in kb.headers().iter().zip(bytes) {
        let raw: u64 = h.segments.iter().map(|s| s.0).sum();
        let _ = writeln!(
            out,
            "{} (format {}, {} bytes, {raw} uncompressed)",
            h.kind,
            h.version,
            b.len()
        );
        for s in &h.sources {
            let _ = writeln!(out, "  {} {:016x} {} bytes", s.name, s.fnv64, s.len);
        }
    }
    let _ = writeln!(
        out,
        "{} countries, {} places, {} offices; loaded in {ms:.0} ms",
        kb.countries().len(),
        kb.all_places().len(),
        kb.offices().len()
    );
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

fn lookup(name: &str) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let kb = Kb::builtin();
    if let Some(m) = kb.country_match(name) {
        let _ = writeln!(
            out,
            "country: {} {} ({:?}{})",
            m.country.iso3,
            m.country.name,
            m.kind,
            if m.ambiguous { ", ambiguous" } else { "" }
        );
    }
    if let Some(i) = kb.igo(name) {
        let _ = writeln!(
            out,
            "organisation: {} {}/{} ({})",
            i.name, i.code, i.org, i.cameo
        );
    }
    if let Some(c) = kb.country_of_capital(name) {
        let _ = writeln!(out, "capital of: {}", c.iso3);
    }
    if let Some(r) = kb.resolve_place(name, &Context::new()) {
        let _ = writeln!(
            out,
            "resolves to: {} {} {} {:.2},{:.2} (confidence {:.2} of {} candidates)",
            r.place.name,
            r.place.country.map(|c| c.to_string()).unwrap_or_default(),
            r.place.feature,
            r.place.lat,
            r.place.lon,
            r.confidence,
            r.candidates
        );
    }
    for p in kb.places(name).into_iter().take(10) {
        let _ = writeln!(
            out,
            "place: {} {} {} {} {:.2},{:.2} pop {} ({})",
            p.geonames_id,
            p.name,
            p.country.map(|c| c.to_string()).unwrap_or_default(),
            p.admin1.as_deref().unwrap_or("-"),
            p.lat,
            p.lon,
            p.population,
            p.feature
        );
    }
    for o in kb.office_holders(name) {
        let _ = writeln!(
            out,
            "office: {} {} {} {:?} {}..{} [{}]",
            o.person,
            o.country,
            o.position,
            o.sectors,
            o.start.as_deref().unwrap_or("?"),
            o.end.as_deref().unwrap_or(""),
            o.source
        );
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// Issue 7's measure: gold toponyms as the pipeline finds and resolves them.
fn eval_geo_ner(
    file: &std::path::Path,
    errors: bool,
    min_accuracy: Option<f32>,
    min_recall: Option<f32>,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let pipeline = annalist_pipeline::Pipeline::builtin().map_err(anyhow::Error::msg)?;
    let (mut total, mut found, mut correct, mut resolved) = (0usize, 0usize, 0usize, 0usize);
    let mut km: Vec<f64> = Vec::new();
    let mut out = String::new();
    for (no, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: invalid JSON", file.display(), no + 1))?;
        let body = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let doc_id = v.get("doc_id").and_then(|t| t.as_str()).unwrap_or("");
        let record = pipeline.code(annalist_ingest::Document {
            doc_id: Some(doc_id.to_string()),
            text: body.to_string(),
            ..Default::default()
        });
        let locs = v
            .get("locations")
            .and_then(|l| l.as_array())
            .with_context(|| format!("{}:{}: no \"locations\" array", file.display(), no + 1))?;
        for g in locs {
            let num = |k: &str| g.get(k).and_then(|x| x.as_f64());
            let (Some(gs), Some(ge), Some(la), Some(lo)) =
                (num("start"), num("end"), num("lat"), num("lon"))
            else {
                continue;
            };
            let name = g.get("name").and_then(|x| x.as_str()).unwrap_or("");
            total += 1;
            // The record's offsets are code points, as the gold's are.
            let hit = record.entities.iter().find(|e| {
                e.kind == annalist_doc::EntityType::Loc
                    && (e.start as f64) < ge
                    && gs < e.end as f64
            });
            let Some(e) = hit else {
                if errors {
                    let _ = writeln!(out, "{doc_id}\t{name}\tnot found");
                }
                continue;
            };
            found += 1;
            let ok = match &e.place {
                Some(p) => {
                    resolved += 1;
                    let d =
                        annalist_kb::haversine_km(la as f32, lo as f32, p.lat as f32, p.lon as f32)
                            as f64;
                    km.push(d);
                    if errors && d > geo_eval::CORRECT_KM as f64 {
                        let _ = writeln!(
                            out,
                            "{doc_id}\t{name}\tgold {la:.2},{lo:.2}\tgot {} {} {:.2},{:.2}\t{d:.0} km",
                            p.name,
                            p.country.as_deref().unwrap_or("-"),
                            p.lat,
                            p.lon
                        );
                    }
                    d <= geo_eval::CORRECT_KM as f64
                }
                None => {
                    if errors {
                        let _ =
                            writeln!(out, "{doc_id}\t{name}\tfound as {:?}, unresolved", e.text);
                    }
                    false
                }
            };
            correct += usize::from(ok);
        }
    }
    let ratio = |a: usize, b: usize| a as f32 / b.max(1) as f32;
    let (recall, accuracy) = (ratio(found, total), ratio(correct, found));
    km.sort_by(f64::total_cmp);
    let mean = km.iter().sum::<f64>() / km.len().max(1) as f64;
    let median = km.get(km.len() / 2).copied().unwrap_or(0.0);
    let _ = writeln!(out, "gold toponyms: {total}");
    let _ = writeln!(
        out,
        "found by the entity tagger (recall): {found} ({recall:.3})"
    );
    let _ = writeln!(out, "resolved: {resolved}");
    let _ = writeln!(
        out,
        "accuracy@161km over found: {accuracy:.3} ({correct}/{found})"
    );
    let _ = writeln!(out, "mean error km: {mean:.0}");
    let _ = writeln!(out, "median error km: {median:.0}");
    emit(&out);
    let mut failed = false;
    if let Some(min) = min_accuracy.filter(|m| accuracy < *m) {
        eprintln!("accuracy@161km {accuracy:.3} is below the target {min:.3}");
        failed = true;
    }
    if let Some(min) = min_recall.filter(|m| recall < *m) {
        eprintln!("recall of gold toponyms {recall:.3} is below the target {min:.3}");
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn eval_geo(
    file: &std::path::Path,
    errors: bool,
    all: bool,
    min_accuracy: Option<f32>,
) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let kb = Kb::builtin();
    let rep = geo_eval::eval_geo(kb, &text).with_context(|| format!("in {}", file.display()))?;
    if all {
        for it in &rep.items {
            let _ = writeln!(
                out,
                "{}\t{}\t{:.3}\t{:.0}",
                it.doc_id,
                it.name,
                it.confidence.unwrap_or(0.0),
                it.error_km.unwrap_or(-1.0)
            );
        }
    }
    if errors {
        for it in &rep.items {
            if it.error_km.is_none_or(|d| d > geo_eval::CORRECT_KM) {
                let _ = match &it.got {
                    Some((n, c, la, lo)) => writeln!(
                        out,
                        "{}\t{}\tgold {:.2},{:.2}\tgot {n} {c} {la:.2},{lo:.2}\t{:.0} km",
                        it.doc_id,
                        it.name,
                        it.gold.0,
                        it.gold.1,
                        it.error_km.unwrap_or(0.0)
                    ),
                    None => writeln!(
                        out,
                        "{}\t{}\tgold {:.2},{:.2}\tunresolved",
                        it.doc_id, it.name, it.gold.0, it.gold.1
                    ),
                };
            }
        }
    }
    let _ = writeln!(out, "toponyms: {}", rep.total);
    let _ = writeln!(out, "resolved: {} ({:.3})", rep.resolved, rep.coverage());
    let _ = writeln!(
        out,
        "accuracy@161km: {:.3} (over resolved: {:.3})",
        rep.accuracy(),
        rep.precision()
    );
    let _ = writeln!(out, "mean error km: {:.0}", rep.mean_km);
    let _ = writeln!(out, "median error km: {:.0}", rep.median_km);
    if let Some(min) = min_accuracy {
        if rep.accuracy() < min {
            eprintln!(
                "accuracy@161km {:.3} is below the target {min:.3}",
                rep.accuracy()
            );
            emit(&out);
            return Ok(ExitCode::from(1));
        }
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}
