//! `annalist eval petrarch`: codes PETRARCH2's own unit-test records with
//! their validation dictionaries, using our tokenizer, tagger and parser
//! (never the records' parse trees), and prints the share coded exactly.

use annalist_doc::Doc;
use annalist_petrarch::{
    parse_record_date, ActorDict, AgentDict, Discards, Outcome, PetrarchCoder, VerbDict, Warning,
};
use annalist_pipeline::Pipeline;
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  annalist eval petrarch ../shared/data/petrarch2/PETR.UnitTest.records.xml --min-exact 0.60"
)]
pub struct Args {
    /// PETRARCH validation records (`PETR.UnitTest.records.xml`).
    file: PathBuf,
    /// Folder holding the dictionaries the records' `<Environment>` names
    /// (default: `dictionaries/` beside FILE).
    #[arg(long)]
    dicts: Option<PathBuf>,
    /// Print every record not coded exactly, with the expected and coded events.
    #[arg(long)]
    verbose: bool,
    /// Exit with status 1 when the exact share over the records PETRARCH2 is
    /// compared on (`sentence="true"`) is below this (0 to 1).
    #[arg(long)]
    min_exact: Option<f64>,
    /// Print the tokens, tags and dependency parse of the record with this id.
    #[arg(long, value_name = "ID")]
    trace: Vec<String>,
}

/// One `(source, target, event)` coding.
type Triple = (String, String, String);

/// What a record expects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gold {
    Events(BTreeSet<Triple>),
    /// `error="..."`: `storydiscard`, `sentencediscard`, `dateline` or
    /// `bad_input_parse`.
    Error(String),
}

#[derive(Debug, Clone)]
struct RecordXml {
    id: String,
    category: String,
    date: String,
    /// `sentence="true"`: the records PETRARCH2's own run is scored on.
    compared: bool,
    gold: Gold,
    text: Option<String>,
    /// Line of the `<Sentence>` tag, for messages.
    line: usize,
}

/// The dictionaries an `<Environment>` names.
#[derive(Debug, Default)]
struct Environment {
    verbs: Vec<String>,
    actors: Vec<String>,
    agents: Vec<String>,
    discards: Vec<String>,
}

/// Reads `name = "value"` pairs from a tag's text, tolerating blanks around
/// `=` and either quote (`sourcecode='"THE MINISTRY OF MAGIC"'`).
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let b = tag.as_bytes();
    let mut i = 0;
    // Skip the element name.
    while i < b.len() && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let name = tag[ns..i].to_string();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            if !name.is_empty() {
                out.insert(name, String::new());
            }
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let q = b[i];
        let value = if q == b'"' || q == b'\'' {
            let vs = i + 1;
            let ve = tag[vs..]
                .find(q as char)
                .map(|e| vs + e)
                .unwrap_or(tag.len());
            i = (ve + 1).min(tag.len());
            tag[vs..ve].to_string()
        } else {
            let vs = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            tag[vs..i].to_string()
        };
        out.insert(name, value);
    }
    out
}

/// Reads the records file: its environment and its `<Sentence>` records.
fn read_records(xml: &str, file: &Path) -> anyhow::Result<(Environment, Vec<RecordXml>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut env = Environment::default();
    let mut records = Vec::new();
    let mut cur: Option<RecordXml> = None;
    // The element whose text we are reading.
    let mut in_elem: Option<String> = None;
    let mut text_buf = String::new();
    let line_at = |pos: usize| xml[..pos.min(xml.len())].matches('\n').count() + 1;
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: not readable as XML: {e}",
                file.display(),
                line_at(reader.buffer_position() as usize)
            )
        })?;
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let raw = String::from_utf8_lossy(&e).to_string();
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let attrs = attributes(&raw);
                match name.as_str() {
                    "Sentence" => {
                        let line = line_at(pos);
                        cur = Some(RecordXml {
                            id: attrs
                                .get("id")
                                .cloned()
                                .unwrap_or_else(|| format!("line-{line}")),
                            category: attrs.get("category").cloned().unwrap_or_default(),
                            date: attrs.get("date").cloned().unwrap_or_default(),
                            compared: attrs
                                .get("sentence")
                                .is_some_and(|s| s.eq_ignore_ascii_case("true")),
                            gold: Gold::Events(BTreeSet::new()),
                            text: None,
                            line,
                        });
                    }
                    "EventCoding" => {
                        if let Some(r) = cur.as_mut() {
                            if let Some(err) = attrs.get("error") {
                                r.gold = Gold::Error(err.clone());
                            } else if attrs.contains_key("sourcecode")
                                || attrs.contains_key("eventcode")
                            {
                                let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
                                if let Gold::Events(set) = &mut r.gold {
                                    set.insert((
                                        get("sourcecode"),
                                        get("targetcode"),
                                        get("eventcode"),
                                    ));
                                }
                            }
                        }
                    }
                    "Text" | "Verbfile" | "Actorfile" | "Agentfile" | "Discardfile" => {
                        in_elem = Some(name);
                        text_buf.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_elem.is_some() => match t.unescape() {
                Ok(s) => text_buf.push_str(&s),
                Err(_) => text_buf.push_str(&String::from_utf8_lossy(&t)),
            },
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if in_elem.as_deref() == Some(name.as_str()) {
                    let value = text_buf.trim().to_string();
                    match name.as_str() {
                        "Text" => {
                            if let Some(r) = cur.as_mut() {
                                r.text =
                                    Some(value.split_whitespace().collect::<Vec<_>>().join(" "));
                            }
                        }
                        "Verbfile" => env.verbs.push(value),
                        "Actorfile" => env.actors.push(value),
                        "Agentfile" => env.agents.push(value),
                        "Discardfile" => env.discards.push(value),
                        _ => {}
                    }
                    in_elem = None;
                }
                if name == "Sentence" {
                    if let Some(r) = cur.take() {
                        records.push(r);
                    }
                }
            }
            _ => {}
        }
    }
    Ok((env, records))
}

/// Reads a dictionary file as text (invalid UTF-8 replaced, not fatal).
fn read_dict(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read dictionary {} (hint: pass the dictionaries' folder with --dicts)",
            path.display()
        )
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reports a dictionary's skipped lines in one line on stderr.
fn report_warnings(path: &Path, warnings: &[Warning]) {
    if let Some(w) = warnings.first() {
        eprintln!(
            "warning: {}: {} lines skipped; first at line {}: {}",
            path.display(),
            warnings.len(),
            w.line,
            w.message
        );
    }
}

/// Loads a PETRARCH coder from dictionary files (several of each kind are
/// merged in order, the first entry for a phrase winning).
pub fn load_coder(
    verbs: &[PathBuf],
    actors: &[PathBuf],
    agents: &[PathBuf],
    discards: &[PathBuf],
) -> anyhow::Result<PetrarchCoder> {
    let mut verb_text = String::new();
    for p in verbs {
        verb_text.push_str(&read_dict(p)?);
        verb_text.push('\n');
    }
    let verb_dict = VerbDict::parse(&verb_text);
    if let Some(p) = verbs.first() {
        report_warnings(p, &verb_dict.warnings);
    }
    let mut actor_dict = ActorDict::default();
    for p in actors {
        let d = ActorDict::parse(&read_dict(p)?);
        report_warnings(p, &d.warnings);
        actor_dict.extend(d);
    }
    let mut agent_text = String::new();
    for p in agents {
        agent_text.push_str(&read_dict(p)?);
        agent_text.push('\n');
    }
    let agent_dict = AgentDict::parse(&agent_text);
    if let Some(p) = agents.first() {
        report_warnings(p, &agent_dict.warnings);
    }
    let mut discard_text = String::new();
    for p in discards {
        discard_text.push_str(&read_dict(p)?);
        discard_text.push('\n');
    }
    Ok(PetrarchCoder::new(
        verb_dict,
        actor_dict,
        &agent_dict,
        Discards::parse(&discard_text),
    ))
}

fn outcome_triples(o: &Outcome) -> BTreeSet<Triple> {
    match o {
        Outcome::Events { events } => events
            .iter()
            .map(|c| (c.source.clone(), c.target.clone(), c.code.clone()))
            .collect(),
        Outcome::Discard { .. } => BTreeSet::new(),
    }
}

fn show_gold(g: &Gold) -> String {
    match g {
        Gold::Events(set) if set.is_empty() => "no events".into(),
        Gold::Events(set) => show_set(set),
        Gold::Error(e) => format!("error {e}"),
    }
}

fn show_set(set: &BTreeSet<Triple>) -> String {
    set.iter()
        .map(|(s, t, e)| format!("{s} {t} {e}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn show_outcome(o: &Outcome, dateline: bool) -> String {
    if dateline {
        return "error dateline".into();
    }
    match o {
        Outcome::Discard { story, phrase } => format!(
            "{} (\"{}\")",
            if *story {
                "storydiscard"
            } else {
                "sentencediscard"
            },
            phrase.to_lowercase()
        ),
        Outcome::Events { events } if events.is_empty() => "no events".into(),
        o => show_set(&outcome_triples(o)),
    }
}

/// Whether the outcome is exactly what the record expects.
fn exact(gold: &Gold, o: &Outcome, dateline: bool) -> bool {
    match gold {
        Gold::Error(e) => match (e.as_str(), o) {
            ("dateline", _) => dateline,
            ("storydiscard", Outcome::Discard { story: true, .. }) => true,
            ("sentencediscard", Outcome::Discard { story: false, .. }) => true,
            // `bad_input_parse` tests PETRARCH's reading of a broken parse
            // tree; we never read the trees, so such a record is a miss.
            _ => false,
        },
        Gold::Events(set) => {
            !dateline && matches!(o, Outcome::Events { .. }) && outcome_triples(o) == *set
        }
    }
}

/// Prints a record's parse as CoNLL-U-like rows, for `--trace`.
fn print_parse(doc: &Doc, id: &str) {
    println!("# {id}");
    let t = &doc.tokens;
    for i in 0..t.len() {
        let head = t.head.get(i).map_or(0, |&h| {
            if h == annalist_doc::ROOT {
                0
            } else {
                h as usize + 1
            }
        });
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            i + 1,
            doc.token_text(i),
            t.upos.get(i).map_or("_", |u| u.as_str()),
            t.xpos.get(i).map_or("_", |x| x.as_str()),
            head,
            t.deprel.get(i).map_or("_", |d| d.as_str())
        );
    }
}

#[derive(Default)]
struct Tally {
    exact: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.exact += ok as usize;
    }

    fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.exact as f64 / self.total as f64
        }
    }

    fn show(&self) -> String {
        format!(
            "{}/{} ({:.1}%)",
            self.exact,
            self.total,
            100.0 * self.share()
        )
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let xml = String::from_utf8_lossy(&bytes);
    let (env, records) = read_records(&xml, &args.file)?;
    if env.verbs.is_empty() || env.actors.is_empty() {
        anyhow::bail!(
            "{}: no <Environment> naming a <Verbfile> and an <Actorfile> (hint: is this a PETRARCH validation file?)",
            args.file.display()
        );
    }
    let dir = match &args.dicts {
        Some(d) => d.clone(),
        None => args
            .file
            .parent()
            .unwrap_or(Path::new("."))
            .join("dictionaries"),
    };
    let paths = |names: &[String]| names.iter().map(|n| dir.join(n)).collect::<Vec<_>>();
    let coder = load_coder(
        &paths(&env.verbs),
        &paths(&env.actors),
        &paths(&env.agents),
        &paths(&env.discards),
    )?;
    let pipeline = Pipeline::builtin().map_err(anyhow::Error::msg)?;

    let mut all = Tally::default();
    let mut compared = Tally::default();
    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in &records {
        let Some(text) = r.text.as_deref().filter(|t| !t.trim().is_empty()) else {
            errors.push(format!(
                "{}:{}: record {} has no <Text>",
                args.file.display(),
                r.line,
                r.id
            ));
            all.add(false);
            if r.compared {
                compared.add(false);
            }
            by_category
                .entry(r.category.clone())
                .or_default()
                .add(false);
            continue;
        };
        let mut doc = Doc::new(r.id.clone(), text.to_string());
        pipeline.annotate(&mut doc);
        let date = parse_record_date(&r.date);
        if date.is_none() && !r.date.is_empty() {
            errors.push(format!(
                "{}:{}: record {} has a malformed date `{}` (expected YYYYMMDD); coded without date restrictions",
                args.file.display(),
                r.line,
                r.id,
                r.date
            ));
        }
        if args.trace.contains(&r.id) {
            print_parse(&doc, &r.id);
        }
        let outcome = coder.code_doc(&doc, date);
        let dateline = doc.meta.dateline.is_some();
        let ok = exact(&r.gold, &outcome, dateline);
        all.add(ok);
        if r.compared {
            compared.add(ok);
        }
        by_category.entry(r.category.clone()).or_default().add(ok);
        if !ok && args.verbose {
            println!(
                "MISS {} [{}] {}\n  text:     {}\n  expected: {}\n  coded:    {}",
                r.id,
                r.category,
                if r.compared { "" } else { "(not compared)" },
                text,
                show_gold(&r.gold),
                show_outcome(&outcome, dateline)
            );
        }
    }

    println!("PETRARCH unit-test records: {}", args.file.display());
    println!(
        "dictionaries: {} verb blocks, {} patterns, {} actor entries",
        coder.verbs.groups.len(),
        coder.verbs.pattern_count(),
        coder.actors.entries.len()
    );
    println!("coded exactly, all records:           {}", all.show());
    println!(
        "coded exactly, PETRARCH2's {} (sentence=\"true\"): {}",
        compared.total,
        compared.show()
    );
    println!("  (PETRARCH2 itself: 90/279 (32.3%), crashing on 36)");
    println!("per category:");
    for (c, t) in &by_category {
        println!("  {:<10} {}", if c.is_empty() { "-" } else { c }, t.show());
    }
    println!("records with errors: {}", errors.len());
    for e in &errors {
        println!("  {e}");
    }
    if let Some(min) = args.min_exact {
        if compared.share() < min {
            eprintln!(
                "exact share {:.3} is below --min-exact {min:.3}",
                compared.share()
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_tolerate_blanks_and_quotes() {
        let a = attributes(r#"Sentence date = "20080801" id ="X-1"  sentence="true""#);
        assert_eq!(a["date"], "20080801");
        assert_eq!(a["id"], "X-1");
        let a = attributes(r#"EventCoding sourcecode='"THE MINISTRY"' targetcode="GON""#);
        assert_eq!(a["sourcecode"], "\"THE MINISTRY\"");
        let a = attributes("EventCoding noevents = \"True\"");
        assert_eq!(a["noevents"], "True");
        let _ = attributes("x = ");
        let _ = attributes("x ='");
    }

    #[test]
    fn exactness_of_events_discards_and_errors() {
        use annalist_petrarch::Coding;
        let coding = |s: &str, t: &str, c: &str| Coding {
            source: s.into(),
            target: t.into(),
            code: c.into(),
            sentence: 0,
            trigger: (0, 1),
            source_span: (0, 1),
            target_span: (0, 1),
        };
        let got = Outcome::Events {
            events: vec![coding("ARN", "GON", "064"), coding("ARN", "GON", "064")],
        };
        let gold: BTreeSet<Triple> = [("ARN".into(), "GON".into(), "064".into())].into();
        assert!(exact(&Gold::Events(gold.clone()), &got, false));
        assert!(!exact(&Gold::Events(gold), &got, true));
        assert!(!exact(&Gold::Events(BTreeSet::new()), &got, false));
        let story = Outcome::Discard {
            story: true,
            phrase: "TYPHOON".into(),
        };
        assert!(exact(&Gold::Error("storydiscard".into()), &story, false));
        assert!(!exact(
            &Gold::Error("sentencediscard".into()),
            &story,
            false
        ));
        // We never read parse trees, so a broken one can never be matched.
        assert!(!exact(&Gold::Error("bad_input_parse".into()), &got, false));
        assert!(exact(&Gold::Error("dateline".into()), &got, true));
    }

    #[test]
    fn reads_records_and_environment() {
        let xml = "<Validation><Environment><Verbfile>v.txt</Verbfile><Actorfile>a.txt</Actorfile></Environment>\
            <Sentences><!-- c --><Sentence date=\"19950101\" id=\"T-1\" category=\"DEMO\" sentence=\"true\">\
            <EventCoding sourcecode=\"ARN\" targetcode=\"GON\" eventcode=\"064\"></EventCoding>\
            <Text>\nArnor  greets\nGondor &amp; friends.\n</Text><Parse>(ROOT)</Parse></Sentence>\
            <Sentence id=\"T-2\" sentence=\"false\"><EventCoding noevents = \"True\"/><Text>x</Text></Sentence>\
            </Sentences></Validation>";
        let (env, recs) = read_records(xml, Path::new("t.xml")).unwrap();
        assert_eq!(env.verbs, ["v.txt"]);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            recs[0].text.as_deref(),
            Some("Arnor greets Gondor & friends.")
        );
        assert!(recs[0].compared && !recs[1].compared);
        assert_eq!(recs[1].gold, Gold::Events(BTreeSet::new()));
    }
}
