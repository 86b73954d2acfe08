//! Exports: GDELT 2.0 events (61 columns) and mentions (16 columns) as TSV,
//! PLOVER JSON Lines, and CSV; with validators for each, used by the tests.
//!
//! A GDELT event is a story event: `NumMentions`, `NumSources` and
//! `NumArticles` count its reports, outlets and articles, and the mentions
//! file has one line per report. Deviations from GDELT, because the record
//! does not carry the information: country codes in the `*Geo_CountryCode`
//! columns are ISO 3166-1 alpha-3 (GDELT uses FIPS 10-4), `*Geo_FeatureID` is
//! a GeoNames id, `ADM1Code`/`ADM2Code` and tone columns are empty, and the
//! actor geography columns are empty (only the action is placed).
//!
//! No export invents a date. A story event (or report) with no date, because
//! neither its text nor its document's publication date gave one, has empty
//! date columns or a `null` date; GDELT's date columns cannot be empty, so
//! the GDELT files leave such rows out unless asked to keep them
//! ([`Undated`]). `DATEADDED` and `MentionTimeDate` are when the report was
//! stored or first seen, as in GDELT, never the event's date.

use crate::format::{cameo_text, csv_cameo, csv_field, CAMEO_TEXT};
use crate::query::{self, Filter, Unit};
use crate::{dates, Result, Store, StoreError};
use serde_json::{json, Value};
use std::io::Write;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    GdeltEvents,
    GdeltMentions,
    Plover,
    Csv,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<ExportFormat> {
        Some(match s {
            "gdelt-events" => ExportFormat::GdeltEvents,
            "gdelt-mentions" => ExportFormat::GdeltMentions,
            "plover" => ExportFormat::Plover,
            "csv" => ExportFormat::Csv,
            _ => return None,
        })
    }
}

/// What an export does with story events (or reports) that have no date:
/// neither the text nor the document's publication date gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undated {
    /// Leave them out (and count them in [`ExportStats::undated_skipped`]).
    Skip,
    /// Write them with empty date columns (`null` in JSON).
    Include,
}

impl Undated {
    pub fn parse(s: &str) -> Option<Undated> {
        match s {
            "skip" => Some(Undated::Skip),
            "include" => Some(Undated::Include),
            _ => None,
        }
    }

    /// The default of a format: GDELT's date columns cannot be empty, so
    /// undated rows are left out there; PLOVER and CSV write `null` or an
    /// empty cell, never a made-up day.
    pub fn default_for(format: ExportFormat) -> Undated {
        match format {
            ExportFormat::GdeltEvents | ExportFormat::GdeltMentions => Undated::Skip,
            ExportFormat::Plover | ExportFormat::Csv => Undated::Include,
        }
    }
}

/// What one export wrote and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportStats {
    /// Lines written, without a CSV header.
    pub written: u64,
    /// Rows left out because they have no date (with [`Undated::Skip`]).
    pub undated_skipped: u64,
}

/// What a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Int,
    /// A decimal number.
    Float,
    /// Free text without tabs or newlines.
    Text,
    /// `YYYYMMDD`.
    Day,
    /// `YYYYMM`.
    MonthYear,
    /// `YYYY`.
    Year,
    /// `YYYYMMDDHHMMSS`.
    Timestamp,
}

/// One column of a delimited export.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether the column is never empty.
    pub required: bool,
}

const fn c(name: &'static str, kind: Kind, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

use Kind::{Day, Float, Int, MonthYear, Text, Timestamp, Year};

macro_rules! actor_columns {
    ($p:literal) => {
        [
            c(concat!($p, "Code"), Text, false),
            c(concat!($p, "Name"), Text, false),
            c(concat!($p, "CountryCode"), Text, false),
            c(concat!($p, "KnownGroupCode"), Text, false),
            c(concat!($p, "EthnicCode"), Text, false),
            c(concat!($p, "Religion1Code"), Text, false),
            c(concat!($p, "Religion2Code"), Text, false),
            c(concat!($p, "Type1Code"), Text, false),
            c(concat!($p, "Type2Code"), Text, false),
            c(concat!($p, "Type3Code"), Text, false),
        ]
    };
}

macro_rules! geo_columns {
    ($p:literal) => {
        [
            c(concat!($p, "Geo_Type"), Int, true),
            c(concat!($p, "Geo_FullName"), Text, false),
            c(concat!($p, "Geo_CountryCode"), Text, false),
            c(concat!($p, "Geo_ADM1Code"), Text, false),
            c(concat!($p, "Geo_ADM2Code"), Text, false),
            c(concat!($p, "Geo_Lat"), Float, false),
            c(concat!($p, "Geo_Long"), Float, false),
            c(concat!($p, "Geo_FeatureID"), Text, false),
        ]
    };
}

const fn concat_columns<const N: usize>(parts: &[&[Column]]) -> [Column; N] {
    let mut out = [c("", Text, false); N];
    let mut k = 0;
    let mut i = 0;
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[k] = parts[i][j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(k == N, "column count mismatch");
    out
}

/// The 61 columns of the GDELT 2.0 event table, in order.
pub const GDELT_EVENT_COLUMNS: [Column; 61] = concat_columns(&[
    &[
        c("GlobalEventID", Int, true),
        c("Day", Day, true),
        c("MonthYear", MonthYear, true),
        c("Year", Year, true),
        c("FractionDate", Float, true),
    ],
    &actor_columns!("Actor1"),
    &actor_columns!("Actor2"),
    &[
        c("IsRootEvent", Int, true),
        c("EventCode", Text, false),
        c("EventBaseCode", Text, false),
        c("EventRootCode", Text, false),
        c("QuadClass", Int, false),
        c("GoldsteinScale", Float, false),
        c("NumMentions", Int, true),
        c("NumSources", Int, true),
        c("NumArticles", Int, true),
        c("AvgTone", Float, false),
    ],
    &geo_columns!("Actor1"),
    &geo_columns!("Actor2"),
    &geo_columns!("Action"),
    &[c("DATEADDED", Timestamp, true), c("SOURCEURL", Text, true)],
]);

/// The 16 columns of the GDELT 2.0 mentions table, in order.
pub const GDELT_MENTION_COLUMNS: [Column; 16] = [
    c("GlobalEventID", Int, true),
    c("EventTimeDate", Timestamp, true),
    c("MentionTimeDate", Timestamp, true),
    c("MentionType", Int, true),
    c("MentionSourceName", Text, true),
    c("MentionIdentifier", Text, true),
    c("SentenceID", Int, true),
    c("Actor1CharOffset", Int, true),
    c("Actor2CharOffset", Int, true),
    c("ActionCharOffset", Int, true),
    c("InRawText", Int, true),
    c("Confidence", Int, true),
    c("MentionDocLen", Int, true),
    c("MentionDocTone", Float, false),
    c("MentionDocTranslationInfo", Text, false),
    c("Extras", Text, false),
];

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks one TSV line against a column spec; the error names the column.
pub fn validate_tsv_line(spec: &[Column], line: &str) -> std::result::Result<(), String> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != spec.len() {
        return Err(format!(
            "{} fields where the spec has {} columns",
            fields.len(),
            spec.len()
        ));
    }
    for (col, f) in spec.iter().zip(&fields) {
        if f.is_empty() {
            if col.required {
                return Err(format!("{} is empty but required", col.name));
            }
            continue;
        }
        let ok = match col.kind {
            Int => f.parse::<i64>().is_ok(),
            Float => f.parse::<f64>().is_ok_and(f64::is_finite),
            Text => !f.contains(['\n', '\r']),
            Day => {
                digits(f, 8)
                    && dates::parse_day(&format!("{}-{}-{}", &f[0..4], &f[4..6], &f[6..8]))
                        .is_some()
            }
            MonthYear => digits(f, 6) && (1..=12).contains(&f[4..6].parse::<u32>().unwrap_or(0)),
            Year => digits(f, 4),
            Timestamp => {
                digits(f, 14)
                    && dates::parse_day(&format!("{}-{}-{}", &f[0..4], &f[4..6], &f[6..8]))
                        .is_some()
                    && f[8..10].parse::<u32>().is_ok_and(|h| h < 24)
                    && f[10..12].parse::<u32>().is_ok_and(|m| m < 60)
                    && f[12..14].parse::<u32>().is_ok_and(|s| s < 61)
            }
        };
        if !ok {
            return Err(format!(
                "{} = `{f}` is not a valid {:?}",
                col.name, col.kind
            ));
        }
    }
    Ok(())
}

/// Checks one PLOVER JSON object: the required fields `id` (a string),
/// `date` (`YYYY-MM-DD`, or `null` when unknown), `actor` (a list of entity objects) and `event` (a
/// non-empty list of PLOVER types).
pub fn validate_plover(v: &Value) -> std::result::Result<(), String> {
    let obj = v.as_object().ok_or("not a JSON object")?;
    match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => {}
        _ => return Err("`id` must be a non-empty string".into()),
    }
    // An unknown date is `null`, never a made-up day.
    match obj.get("date") {
        Some(Value::String(s)) if s.len() == 10 && dates::parse_day(s).is_some() => {}
        Some(Value::Null) => {}
        _ => return Err("`date` must be YYYY-MM-DD or null".into()),
    }
    for field in ["actor", "recipient"] {
        match obj.get(field) {
            Some(Value::Array(a)) if a.iter().all(Value::is_object) => {}
            None if field == "recipient" => {}
            _ => return Err(format!("`{field}` must be a list of entity objects")),
        }
    }
    match obj.get("event") {
        Some(Value::Array(a))
            if !a.is_empty() && a.iter().all(|e| e.as_str().is_some_and(is_plover_type)) => {}
        _ => return Err("`event` must be a non-empty list of PLOVER types".into()),
    }
    Ok(())
}

/// The 16 PLOVER v0.8 event types.
pub fn is_plover_type(s: &str) -> bool {
    matches!(
        s,
        "AGREE"
            | "CONSULT"
            | "SUPPORT"
            | "CONCEDE"
            | "COOPERATE"
            | "AID"
            | "RETREAT"
            | "REQUEST"
            | "ACCUSE"
            | "REJECT"
            | "THREATEN"
            | "PROTEST"
            | "SANCTION"
            | "MOBILIZE"
            | "COERCE"
            | "ASSAULT"
    )
}

/// A field for a TSV cell: tabs and line breaks would break the row.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn timestamp(secs: i64) -> String {
    let day = secs.div_euclid(86_400);
    let t = secs.rem_euclid(86_400);
    format!(
        "{}{:02}{:02}{:02}",
        dates::yyyymmdd(day),
        t / 3600,
        (t / 60) % 60,
        t % 60
    )
}

/// The GDELT geography type of a place from its GeoNames feature code and
/// country: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
fn geo_type(feature: Option<&str>, country: Option<&str>) -> i64 {
    let us = country == Some("USA");
    match feature {
        Some(f) if f.starts_with("PCL") => 1,
        Some(f) if f.starts_with("ADM1") => {
            if us {
                2
            } else {
                5
            }
        }
        _ if us => 3,
        _ => 4,
    }
}

/// Everything the exports need about a story event and its first report.
struct StoryExport {
    id: i64,
    day: Option<i64>,
    day_last: Option<i64>,
    kind: String,
    mode: Option<String>,
    contexts: String,
    cameo: Option<String>,
    quad: Option<i64>,
    intensity: Option<f64>,
    modality: String,
    src: [Option<String>; 4],
    tgt: [Option<String>; 4],
    place: [Option<String>; 4],
    lat: Option<f64>,
    lon: Option<f64>,
    geonames: Option<i64>,
    sentence: i64,
    trigger: String,
    mentions: i64,
    articles: i64,
    sources: i64,
    added: i64,
    url: Option<String>,
    doc_id: String,
    published: Option<String>,
}

const STORY_EXPORT_SQL: &str = "SELECT s.id, s.day_first, s.day_last, s.type, fe.mode, fe.contexts,
    s.cameo, s.quad_class, s.intensity, s.modality,
    fe.src_name, fe.src_country, fe.src_sector, fe.src_cameo,
    fe.tgt_name, fe.tgt_country, fe.tgt_sector, fe.tgt_cameo,
    s.place_name, s.place_country, s.place_admin1, fe.feature, s.lat, s.lon, s.geonames_id,
    fe.sentence, fe.trigger, s.num_mentions, s.num_articles, s.num_sources,
    d.ingested_at, d.url, d.doc_id, d.published
    FROM stories s JOIN events fe ON fe.id = s.first_event JOIN documents d ON d.id = fe.doc";

fn story_export(r: &rusqlite::Row) -> rusqlite::Result<StoryExport> {
    Ok(StoryExport {
        id: r.get(0)?,
        day: r.get(1)?,
        day_last: r.get(2)?,
        kind: r.get(3)?,
        mode: r.get(4)?,
        contexts: r.get(5)?,
        cameo: r.get(6)?,
        quad: r.get(7)?,
        intensity: r.get(8)?,
        modality: r.get(9)?,
        src: [r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
        tgt: [r.get(14)?, r.get(15)?, r.get(16)?, r.get(17)?],
        place: [r.get(18)?, r.get(19)?, r.get(20)?, r.get(21)?],
        lat: r.get(22)?,
        lon: r.get(23)?,
        geonames: r.get(24)?,
        sentence: r.get(25)?,
        trigger: r.get(26)?,
        mentions: r.get(27)?,
        articles: r.get(28)?,
        sources: r.get(29)?,
        added: r.get(30)?,
        url: r.get(31)?,
        doc_id: r.get(32)?,
        published: r.get(33)?,
    })
}

impl StoryExport {
    /// The GDELT date columns (Day, MonthYear, Year, FractionDate) of the
    /// event's first report; empty when no date is known. The day the event
    /// was stored is never used in their place: it is not when it happened.
    fn gdelt_dates(&self) -> [String; 4] {
        let Some(day) = self.day else {
            return Default::default();
        };
        let (y, m, _) = dates::civil_from_days(day);
        let doy = day - dates::days_from_civil(y, 1, 1) + 1;
        let fraction = y as f64 + doy as f64 / 365.0;
        [
            dates::yyyymmdd(day).to_string(),
            format!("{y:04}{m:02}"),
            format!("{y:04}"),
            format!("{fraction:.4}"),
        ]
    }

    fn gdelt_line(&self) -> String {
        let s = |o: &Option<String>| o.as_deref().map(tsv).unwrap_or_default();
        let mut f: Vec<String> = vec![self.id.to_string()];
        f.extend(self.gdelt_dates());
        for a in [&self.src, &self.tgt] {
            // GDELT's actor code is the CAMEO actor code, else the country
            // code and the sector glued together, as CAMEO composes them.
            let code = a[3].clone().or_else(|| {
                let s = format!(
                    "{}{}",
                    a[1].as_deref().unwrap_or(""),
                    a[2].as_deref().unwrap_or("")
                );
                (!s.is_empty()).then_some(s)
            });
            f.extend([
                s(&code),
                a[0].as_deref()
                    .map(|n| tsv(&n.to_uppercase()))
                    .unwrap_or_default(),
                s(&a[1]),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                s(&a[2]),
                String::new(),
                String::new(),
            ]);
        }
        let cameo = self.cameo.clone().unwrap_or_default();
        let prefix = |n: usize| cameo.get(0..n.min(cameo.len())).unwrap_or("").to_string();
        f.extend([
            // GDELT marks events from the lead paragraph as root events.
            i64::from(self.sentence < 3).to_string(),
            cameo.clone(),
            prefix(3),
            prefix(2),
            self.quad.map(|q| q.to_string()).unwrap_or_default(),
            self.intensity
                .map(|g| format!("{g:.1}"))
                .unwrap_or_default(),
            self.mentions.to_string(),
            self.sources.to_string(),
            self.articles.to_string(),
            String::new(),
        ]);
        // No actor geography in the record: type 0, the rest empty.
        for _ in 0..2 {
            f.push("0".into());
            f.extend(std::iter::repeat_n(String::new(), 7));
        }
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                let [name, country, admin1, feature] = &self.place;
                let full: Vec<&str> = [name, admin1, country]
                    .iter()
                    .filter_map(|o| o.as_deref())
                    .collect();
                let mut seen: Vec<&str> = Vec::new();
                for p in full {
                    if !seen.contains(&p) {
                        seen.push(p);
                    }
                }
                f.extend([
                    geo_type(feature.as_deref(), country.as_deref()).to_string(),
                    tsv(&seen.join(", ")),
                    s(country),
                    String::new(),
                    String::new(),
                    format!("{lat:.4}"),
                    format!("{lon:.4}"),
                    self.geonames.map(|g| g.to_string()).unwrap_or_default(),
                ]);
            }
            _ => {
                f.push("0".into());
                f.extend(std::iter::repeat_n(String::new(), 7));
            }
        }
        f.push(timestamp(self.added));
        f.push(tsv(self.url.as_deref().unwrap_or(&self.doc_id)));
        f.join("\t")
    }

    fn plover(&self) -> Value {
        let entity = |a: &[Option<String>; 4]| -> Vec<Value> {
            if a[0].is_none() && a[1].is_none() {
                return Vec::new();
            }
            vec![json!({"name": a[0], "code": a[1], "sector": a[2], "cameo": a[3]})]
        };
        let list = |s: &Option<String>| -> Vec<String> { s.iter().cloned().collect() };
        let contexts: Vec<&str> = self.contexts.split_whitespace().collect();
        let mut v = json!({
            "id": format!("annalist-{}", self.id),
            "date": self.day.map(dates::iso),
            "actor": entity(&self.src),
            "recipient": entity(&self.tgt),
            "event": [self.kind],
            "mode": list(&self.mode),
            "context": contexts,
            "quad_code": self.quad,
            "event_scale": self.intensity,
            "cameo": self.cameo,
            "modality": self.modality,
            "event_text": [self.trigger],
            "num_mentions": self.mentions,
            "num_articles": self.articles,
            "num_sources": self.sources,
            "link": self.url.clone().unwrap_or_else(|| self.doc_id.clone()),
            "doc_id": self.doc_id,
            "published": self.published,
        });
        if let (Some(a), Some(b)) = (self.day, self.day_last) {
            if b > a {
                v["enddate"] = dates::iso(b).into();
            }
        }
        if let (Some(lat), Some(lon)) = (self.lat, self.lon) {
            v["event_loc"] = json!({
                "name": self.place[0], "country": self.place[1], "admin1": self.place[2],
                "lat": lat, "lon": lon, "geonames_id": self.geonames,
            });
        }
        v
    }
}

impl Store {
    /// Writes the story events (or reports) matching `filter` in `format`,
    /// each format's default for undated rows ([`Undated::default_for`]);
    /// returns the number of lines written (without a CSV header).
    pub fn export(
        &self,
        filter: &Filter,
        unit: Unit,
        format: ExportFormat,
        out: &mut dyn Write,
    ) -> Result<u64> {
        let undated = Undated::default_for(format);
        Ok(self
            .export_with(filter, unit, format, undated, out)?
            .written)
    }

    /// Writes the story events (or reports) matching `filter` in `format`,
    /// leaving out or keeping those without a date as `undated` says.
    pub fn export_with(
        &self,
        filter: &Filter,
        unit: Unit,
        format: ExportFormat,
        undated: Undated,
        out: &mut dyn Write,
    ) -> Result<ExportStats> {
        let w = self.where_of(filter)?;
        let params = rusqlite::params_from_iter(w.params.iter());
        let story_cond = Unit::Stories.cond(&w);
        let mut stats = ExportStats::default();
        let io = |e: std::io::Error| StoreError::Io(e);
        // Every row passes here: undated ones are counted and left out, or
        // written with empty dates.
        let mut keep = |dated: bool| {
            if !dated && undated == Undated::Skip {
                stats.undated_skipped += 1;
                false
            } else {
                stats.written += 1;
                true
            }
        };
        match (format, unit) {
            (ExportFormat::GdeltEvents, _) | (ExportFormat::Plover, Unit::Stories) => {
                let sql = format!("{STORY_EXPORT_SQL} {story_cond} ORDER BY s.id");
                let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
                let mut rows = st.query(params).map_err(|e| self.err(e))?;
                while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                    let s = story_export(r).map_err(|e| self.err(e))?;
                    if !keep(s.day.is_some()) {
                        continue;
                    }
                    if format == ExportFormat::Plover {
                        serde_json::to_writer(&mut *out, &s.plover()).map_err(|e| io(e.into()))?;
                        out.write_all(b"\n").map_err(io)?;
                    } else {
                        writeln!(out, "{}", s.gdelt_line()).map_err(io)?;
                    }
                }
            }
            (ExportFormat::GdeltMentions, _) => {
                let sql = format!(
                    "SELECT e.story, s.day_first, d.pub_day, d.ingested_at, d.source, d.url,
                        d.doc_id, e.sentence, e.src_offset, e.tgt_offset, e.trigger_start,
                        e.confidence, d.n_chars
                     FROM stories s JOIN events e ON e.story = s.id JOIN documents d ON d.id = e.doc
                     {story_cond} ORDER BY s.id, e.id"
                );
                let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
                let mut rows = st.query(params).map_err(|e| self.err(e))?;
                while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                    let day: Option<i64> = r.get(1).map_err(|e| self.err(e))?;
                    if !keep(day.is_some()) {
                        continue;
                    }
                    let line = mention_line(r).map_err(|e| self.err(e))?;
                    writeln!(out, "{line}").map_err(io)?;
                }
            }
            (ExportFormat::Plover, Unit::Reports) => {
                let sql = format!(
                    "SELECT e.id, e.story, e.day, e.type, e.mode, e.contexts, e.cameo,
                        e.quad_class, e.intensity, e.modality, e.src_name, e.src_country,
                        e.src_sector, e.src_cameo, e.tgt_name, e.tgt_country, e.tgt_sector,
                        e.tgt_cameo, e.place_name, e.place_country, e.place_admin1, e.lat, e.lon,
                        e.geonames_id, e.trigger, d.url, d.doc_id, d.ingested_at, e.event_id
                     FROM events e JOIN documents d ON d.id = e.doc {} ORDER BY e.id",
                    if w.is_empty() {
                        String::new()
                    } else {
                        format!("WHERE {}", w.sql)
                    }
                );
                let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
                let mut rows = st.query(params).map_err(|e| self.err(e))?;
                while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                    let day: Option<i64> = r.get(2).map_err(|e| self.err(e))?;
                    if !keep(day.is_some()) {
                        continue;
                    }
                    let v = plover_report(r).map_err(|e| self.err(e))?;
                    serde_json::to_writer(&mut *out, &v).map_err(|e| io(e.into()))?;
                    out.write_all(b"\n").map_err(io)?;
                }
            }
            (ExportFormat::Csv, Unit::Stories) => {
                let sql = query::stories_sql(&w, None);
                let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
                let mut rows = st.query(params).map_err(|e| self.err(e))?;
                writeln!(out, "{}", STORY_CSV.join(",")).map_err(io)?;
                while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                    let s = query::story_row(r).map_err(|e| self.err(e))?;
                    if !keep(s.date.is_some()) {
                        continue;
                    }
                    let v = serde_json::to_value(&s).unwrap_or_default();
                    writeln!(out, "{}", csv_line(&v, STORY_CSV)).map_err(io)?;
                }
            }
            (ExportFormat::Csv, Unit::Reports) => {
                let sql = query::reports_sql(&w, None);
                let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
                let mut rows = st.query(params).map_err(|e| self.err(e))?;
                writeln!(out, "{}", REPORT_CSV.join(",")).map_err(io)?;
                while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                    let s = query::report_row(r).map_err(|e| self.err(e))?;
                    if !keep(s.date.is_some()) {
                        continue;
                    }
                    let v = serde_json::to_value(&s).unwrap_or_default();
                    writeln!(out, "{}", csv_line(&v, REPORT_CSV)).map_err(io)?;
                }
            }
        }
        Ok(stats)
    }
}

/// The CSV export's columns: every field of a story row, then the CAMEO
/// code again as `CAMEO:073` (see [`cameo_text`]).
pub const STORY_CSV: &[&str] = &[
    "story",
    "date",
    "date_last",
    "type",
    "cameo",
    "modality",
    "source",
    "source_country",
    "target",
    "target_country",
    "place",
    "place_country",
    "num_articles",
    "num_sources",
    "num_mentions",
    "trigger",
    "doc_id",
    CAMEO_TEXT,
];

/// The CSV export's columns with `--reports`: every field of a report row,
/// then the CAMEO code again as `CAMEO:073`.
pub const REPORT_CSV: &[&str] = &[
    "report",
    "story",
    "doc_id",
    "event_id",
    "date",
    "type",
    "mode",
    "cameo",
    "modality",
    "source",
    "source_country",
    "source_sector",
    "target",
    "target_country",
    "target_sector",
    "place",
    "place_country",
    "trigger",
    "url",
    "confidence",
    CAMEO_TEXT,
];

fn csv_line(v: &Value, columns: &[&str]) -> String {
    let cells: Vec<String> = columns
        .iter()
        .map(|c| match (*c, &v[*c]) {
            (CAMEO_TEXT, _) => cameo_text(v["cameo"].as_str()),
            ("cameo", Value::String(s)) => csv_cameo(s),
            (_, Value::Null) => String::new(),
            (_, Value::String(s)) => csv_field(s),
            (_, other) => other.to_string(),
        })
        .collect();
    cells.join(",")
}

fn mention_line(r: &rusqlite::Row) -> rusqlite::Result<String> {
    let story: i64 = r.get(0)?;
    let day: Option<i64> = r.get(1)?;
    let pub_day: Option<i64> = r.get(2)?;
    let added: i64 = r.get(3)?;
    let source: String = r.get(4)?;
    let url: Option<String> = r.get(5)?;
    let doc_id: String = r.get(6)?;
    let sentence: i64 = r.get(7)?;
    let a1: Option<i64> = r.get(8)?;
    let a2: Option<i64> = r.get(9)?;
    let action: i64 = r.get(10)?;
    let confidence: f64 = r.get(11)?;
    let len: i64 = r.get(12)?;
    // An undated story has no event time (such lines are written only with
    // `Undated::Include`); the mention time is when the report was first
    // seen, as in GDELT: its publication day, else when it was stored.
    let event_time = day.map_or(String::new(), |d| format!("{}000000", dates::yyyymmdd(d)));
    let mention_time = match pub_day {
        Some(d) => format!("{}000000", dates::yyyymmdd(d)),
        None => timestamp(added),
    };
    let fields = [
        story.to_string(),
        event_time,
        mention_time,
        // 1 is GDELT's "web" mention type.
        "1".to_string(),
        tsv(&source),
        tsv(url.as_deref().unwrap_or(&doc_id)),
        (sentence + 1).to_string(),
        a1.unwrap_or(-1).to_string(),
        a2.unwrap_or(-1).to_string(),
        action.to_string(),
        "1".to_string(),
        ((confidence * 100.0).round().clamp(0.0, 100.0) as i64).to_string(),
        len.to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    Ok(fields.join("\t"))
}

fn plover_report(r: &rusqlite::Row) -> rusqlite::Result<Value> {
    let g = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    let entity = |name: Option<String>,
                  code: Option<String>,
                  sector: Option<String>,
                  cameo: Option<String>|
     -> Vec<Value> {
        if name.is_none() && code.is_none() {
            Vec::new()
        } else {
            vec![json!({"name": name, "code": code, "sector": sector, "cameo": cameo})]
        }
    };
    let day: Option<i64> = r.get(2)?;
    let contexts: String = r.get(5)?;
    let lat: Option<f64> = r.get(21)?;
    let lon: Option<f64> = r.get(22)?;
    let mut v = json!({
        "id": format!("annalist-r{}", r.get::<_, i64>(0)?),
        "story": r.get::<_, i64>(1)?,
        "date": day.map(dates::iso),
        "actor": entity(g(10)?, g(11)?, g(12)?, g(13)?),
        "recipient": entity(g(14)?, g(15)?, g(16)?, g(17)?),
        "event": [r.get::<_, String>(3)?],
        "mode": g(4)?.into_iter().collect::<Vec<_>>(),
        "context": contexts.split_whitespace().collect::<Vec<_>>(),
        "quad_code": r.get::<_, Option<i64>>(7)?,
        "event_scale": r.get::<_, Option<f64>>(8)?,
        "cameo": g(6)?,
        "modality": r.get::<_, String>(9)?,
        "event_text": [r.get::<_, String>(24)?],
        "link": g(25)?.unwrap_or(r.get::<_, String>(26)?),
        "doc_id": r.get::<_, String>(26)?,
        "event_id": r.get::<_, String>(28)?,
    });
    if let (Some(lat), Some(lon)) = (lat, lon) {
        v["event_loc"] = json!({
            "name": g(18)?, "country": g(19)?, "admin1": g(20)?,
            "lat": lat, "lon": lon, "geonames_id": r.get::<_, Option<i64>>(23)?,
        });
    }
    Ok(v)
}
