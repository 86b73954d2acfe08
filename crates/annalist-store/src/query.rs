//! Filters, listings and counts over the stored events.
//!
//! A filter selects reports (event rows). In the default unit, story events,
//! a story event is selected when any of its reports is, and it is counted
//! once; with [`Unit::Reports`] every selected report counts.

use crate::{dates, Result, Store, StoreError};
use rusqlite::types::Value;
use serde::Serialize;

/// Which rows a filter is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// Real-world events, each counted once however often reported.
    #[default]
    Stories,
    /// Every report of an event (GDELT's unit).
    Reports,
}

impl Unit {
    /// The table the unit's rows live in, with its alias: `stories s` or
    /// `events e`.
    pub(crate) fn table(self) -> (&'static str, &'static str) {
        match self {
            Unit::Stories => ("s", "stories s"),
            Unit::Reports => ("e", "events e"),
        }
    }

    /// The condition selecting the stories (alias `s`) or reports (alias
    /// `e`) that match `w`, as a WHERE clause or an empty string.
    pub(crate) fn cond(self, w: &Where) -> String {
        match (self, w.is_empty()) {
            (_, true) => String::new(),
            (Unit::Reports, false) => format!("WHERE {}", w.sql),
            (Unit::Stories, false) => format!(
                "WHERE s.id IN (SELECT e.story FROM events e WHERE {})",
                w.sql
            ),
        }
    }
}

/// What to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    Day,
    Week,
    Month,
    Dyad,
    Type,
}

impl CountBy {
    pub fn parse(s: &str) -> Option<CountBy> {
        Some(match s {
            "day" => CountBy::Day,
            "week" => CountBy::Week,
            "month" => CountBy::Month,
            "dyad" => CountBy::Dyad,
            "type" => CountBy::Type,
            _ => return None,
        })
    }

    /// The names of the key columns of a count row.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            CountBy::Day => &["day"],
            CountBy::Week => &["week"],
            CountBy::Month => &["month"],
            CountBy::Dyad => &["source_country", "target_country"],
            CountBy::Type => &["type"],
        }
    }
}

/// Conditions on reports; all given ones must hold. Country and type codes
/// are matched exactly (case-insensitively), names and places by substring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// The source actor's country (ISO 3166-1 alpha-3 or PLOVER code).
    pub actor_country: Option<String>,
    pub target_country: Option<String>,
    /// A PLOVER sector code of the source actor (its first sector).
    pub actor_sector: Option<String>,
    pub target_sector: Option<String>,
    /// Part of the source actor's name.
    pub actor_name: Option<String>,
    pub target_name: Option<String>,
    /// Match the actor conditions in either direction (source and target
    /// swapped too).
    pub either_order: bool,
    /// A PLOVER event type, or several separated by commas
    /// (`ASSAULT,COERCE`: any of them).
    pub kind: Option<String>,
    /// A CAMEO code prefix: `04` matches 04, 040, 042, ...
    pub cameo: Option<String>,
    /// A modality, or several separated by commas (`asserted,future`).
    pub modality: Option<String>,
    /// First and last day, ISO 8601, both included.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Part of the event place's name or its admin1 name.
    pub place: Option<String>,
    pub place_country: Option<String>,
    /// Words that the report's document must contain (title or text).
    pub text: Option<String>,
    /// The fewest articles that must report the event's story event.
    pub min_articles: Option<u32>,
    /// A box of degrees, `west,south,east,north`, that the event place must
    /// lie in (the map's clusters and views).
    pub bbox: Option<String>,
}

/// The values of a comma-separated list, trimmed, empty ones dropped.
fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// A `west,south,east,north` box in degrees; the west edge may exceed the
/// east one for a box across the antimeridian.
pub fn parse_bbox(s: &str) -> Result<[f64; 4]> {
    let bad = || {
        StoreError::Query(format!(
            "bbox `{s}` is not a box; hint: give west,south,east,north in degrees, \
             such as 44,32,48,36"
        ))
    };
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>().map_err(|_| bad()))
        .collect::<Result<_>>()?;
    let [w, so, e, n] = <[f64; 4]>::try_from(v).map_err(|_| bad())?;
    let lon_ok = |x: f64| x.is_finite() && (-180.0..=180.0).contains(&x);
    let lat_ok = |x: f64| x.is_finite() && (-90.0..=90.0).contains(&x);
    if !(lon_ok(w) && lon_ok(e) && lat_ok(so) && lat_ok(n)) || so > n {
        return Err(bad());
    }
    Ok([w, so, e, n])
}

/// Turns user words into an FTS5 query: every word must occur; a word is
/// quoted so that FTS5 operators and punctuation in it are taken literally.
/// Control characters are dropped: FTS5 ends a string at a NUL byte and would
/// fail on the rest, and no indexed word contains one.
pub fn fts_query(text: &str) -> Result<String> {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let terms: Vec<String> = clean
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if terms.is_empty() {
        return Err(StoreError::Query(
            "the full-text filter is empty; hint: give one or more words".into(),
        ));
    }
    Ok(terms.join(" "))
}

/// A user's text as a LIKE pattern that matches it anywhere, with `%`, `_`
/// and the escape character itself taken literally (used with
/// `ESCAPE '\\'`): `actor_name=%` must match names containing "%", not
/// every name.
pub(crate) fn like_anywhere(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The country code a filter value stands for: an ISO 3166-1 alpha-3 or
/// PLOVER code in any case ("irn", "IGO"), a country name ("Iran", "Islamic
/// Republic of Iran") or a demonym ("Iranian"), from the built-in knowledge.
/// `known` says whether the store holds a code, so that a code the knowledge
/// base lacks but the data has is still accepted.
pub fn country_code(what: &str, value: &str, known: impl Fn(&str) -> bool) -> Result<String> {
    let v = value.trim();
    let up = v.to_uppercase();
    let is_code = up.len() == 3 && up.bytes().all(|b| b.is_ascii_uppercase());
    if is_code && (annalist_doc::NON_STATE_CODES.contains(&up.as_str()) || known(&up)) {
        return Ok(up);
    }
    let kb = annalist_kb::Kb::builtin();
    if is_code && kb.country_by_code(&up).is_some() {
        return Ok(up);
    }
    if let Some(c) = kb.country_match(v) {
        return Ok(c.country.iso3.clone());
    }
    // Names are matched as written in a title ("iran" as "Iran").
    let titled: String = v
        .split(' ')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or(String::new(), |f| {
                f.to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(c) = kb.country_match(&titled) {
        return Ok(c.country.iso3.clone());
    }
    Err(StoreError::Query(format!(
        "{what} `{v}` is not a country code, name or demonym; hint: give an ISO 3166-1 \
         alpha-3 code (IRN), a name (Iran) or a demonym (Iranian), or a PLOVER code such as IGO"
    )))
}

fn parse_date(what: &str, s: &str) -> Result<i64> {
    dates::parse_day(s).ok_or_else(|| {
        StoreError::Query(format!(
            "{what} date `{s}` is not a date; hint: write it as YYYY-MM-DD"
        ))
    })
}

/// A WHERE clause over `events e` and its parameters.
pub(crate) struct Where {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Where {
    pub fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }
}

impl Filter {
    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
            || *self
                == (Filter {
                    either_order: true,
                    ..Filter::default()
                })
    }

    pub(crate) fn to_where(&self) -> Result<Where> {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let mut p = |v: String| -> String {
            params.push(Value::Text(v));
            format!("?{}", params.len())
        };
        let up = |s: &Option<String>| s.as_ref().map(|s| s.trim().to_uppercase());

        // One side's conditions, with named parameters already bound.
        let side = |pre: &str, c: &Option<String>, s: &Option<String>, n: &Option<String>| {
            let mut v = Vec::new();
            if let Some(c) = c {
                v.push(format!("e.{pre}_country = {c}"));
            }
            if let Some(s) = s {
                v.push(format!("e.{pre}_sector = {s}"));
            }
            if let Some(n) = n {
                v.push(format!("e.{pre}_name LIKE {n} ESCAPE '\\'"));
            }
            v
        };
        let ac = up(&self.actor_country).map(&mut p);
        let asec = up(&self.actor_sector).map(&mut p);
        let an = self.actor_name.as_deref().map(like_anywhere).map(&mut p);
        let tc = up(&self.target_country).map(&mut p);
        let tsec = up(&self.target_sector).map(&mut p);
        let tn = self.target_name.as_deref().map(like_anywhere).map(&mut p);
        let mut forward = side("src", &ac, &asec, &an);
        forward.extend(side("tgt", &tc, &tsec, &tn));
        if !forward.is_empty() {
            if self.either_order {
                let mut backward = side("tgt", &ac, &asec, &an);
                backward.extend(side("src", &tc, &tsec, &tn));
                conds.push(format!(
                    "(({}) OR ({}))",
                    forward.join(" AND "),
                    backward.join(" AND ")
                ));
            } else {
                conds.extend(forward);
            }
        }
        if let Some(k) = up(&self.kind) {
            let kinds: Vec<String> = list(&k).into_iter().map(&mut p).collect();
            match kinds.len() {
                0 => {}
                1 => conds.push(format!("e.type = {}", kinds[0])),
                _ => conds.push(format!("e.type IN ({})", kinds.join(", "))),
            }
        }
        if let Some(c) = &self.cameo {
            let c = c.trim().to_string();
            if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                return Err(StoreError::Query(format!(
                    "cameo code `{c}` is not a code; hint: give digits such as 04 or 042"
                )));
            }
            // A prefix as an index range: every code starting with `c` sorts
            // at or after `c` and before `c` followed by `~`.
            let hi = format!("{c}~");
            conds.push(format!("e.cameo >= {} AND e.cameo < {}", p(c), p(hi)));
        }
        if let Some(m) = &self.modality {
            let ms: Vec<String> = list(&m.to_lowercase()).into_iter().map(&mut p).collect();
            match ms.len() {
                0 => {}
                1 => conds.push(format!("e.modality = {}", ms[0])),
                _ => conds.push(format!("e.modality IN ({})", ms.join(", "))),
            }
        }
        let from = self
            .from
            .as_deref()
            .map(|s| parse_date("--from", s))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .map(|s| parse_date("--to", s))
            .transpose()?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(StoreError::Query(format!(
                    "--from {} is after --to {}; hint: swap them",
                    dates::iso(a),
                    dates::iso(b)
                )));
            }
        }
        if let Some(a) = from {
            conds.push(format!("e.day >= {a}"));
        }
        if let Some(b) = to {
            conds.push(format!("e.day <= {b}"));
        }
        if let Some(pl) = &self.place {
            let v = p(like_anywhere(pl.trim()));
            conds.push(format!(
                "(e.place_name LIKE {v} ESCAPE '\\' OR e.place_admin1 LIKE {v} ESCAPE '\\')"
            ));
        }
        if let Some(c) = up(&self.place_country) {
            conds.push(format!("e.place_country = {}", p(c)));
        }
        if let Some(n) = self.min_articles.filter(|n| *n > 1) {
            conds.push(format!(
                "e.story IN (SELECT id FROM stories WHERE num_articles >= {n})"
            ));
        }
        if let Some(b) = &self.bbox {
            let [w, so, e, n] = parse_bbox(b)?;
            let lon = if w <= e {
                format!("e.lon >= {w} AND e.lon <= {e}")
            } else {
                format!("(e.lon >= {w} OR e.lon <= {e})")
            };
            conds.push(format!("e.lat >= {so} AND e.lat <= {n} AND {lon}"));
        }
        if let Some(t) = &self.text {
            let q = fts_query(t)?;
            conds.push(format!(
                "e.doc IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH {})",
                p(q)
            ));
        }
        Ok(Where {
            sql: conds.join(" AND "),
            params,
        })
    }
}

/// One story event as listed by a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryRow {
    pub story: i64,
    pub date: Option<String>,
    pub date_last: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub cameo: Option<String>,
    pub modality: String,
    pub source: Option<String>,
    pub source_country: Option<String>,
    pub target: Option<String>,
    pub target_country: Option<String>,
    pub place: Option<String>,
    pub place_country: Option<String>,
    pub num_articles: i64,
    pub num_sources: i64,
    pub num_mentions: i64,
    /// The trigger of the first report, as a reminder of what happened.
    pub trigger: String,
    /// The first report's document.
    pub doc_id: String,
}

/// One report (event row) as listed by a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRow {
    pub report: i64,
    pub story: i64,
    pub doc_id: String,
    pub event_id: String,
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub modality: String,
    pub source: Option<String>,
    pub source_country: Option<String>,
    pub source_sector: Option<String>,
    pub target: Option<String>,
    pub target_country: Option<String>,
    pub target_sector: Option<String>,
    pub place: Option<String>,
    pub place_country: Option<String>,
    pub trigger: String,
    pub url: Option<String>,
    pub confidence: f64,
}

/// One line of an aggregate: the key (one or two columns) and the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountRow {
    pub key: Vec<String>,
    pub count: u64,
}

pub(crate) const STORY_COLUMNS: &str = "s.id, s.day_first, s.day_last, s.type, s.cameo,
    s.modality, s.src_name, s.src_country, s.tgt_name, s.tgt_country, s.place_name,
    s.place_country, s.num_articles, s.num_sources, s.num_mentions, fe.trigger, d.doc_id";

pub(crate) fn story_row(r: &rusqlite::Row) -> rusqlite::Result<StoryRow> {
    Ok(StoryRow {
        story: r.get(0)?,
        date: r.get::<_, Option<i64>>(1)?.map(dates::iso),
        date_last: r.get::<_, Option<i64>>(2)?.map(dates::iso),
        kind: r.get(3)?,
        cameo: r.get(4)?,
        modality: r.get(5)?,
        source: r.get(6)?,
        source_country: r.get(7)?,
        target: r.get(8)?,
        target_country: r.get(9)?,
        place: r.get(10)?,
        place_country: r.get(11)?,
        num_articles: r.get(12)?,
        num_sources: r.get(13)?,
        num_mentions: r.get(14)?,
        trigger: r.get(15)?,
        doc_id: r.get(16)?,
    })
}

pub(crate) const REPORT_COLUMNS: &str = "e.id, e.story, d.doc_id, e.event_id, e.day, e.type,
    e.mode, e.cameo, e.modality, e.src_name, e.src_country, e.src_sector, e.tgt_name,
    e.tgt_country, e.tgt_sector, e.place_name, e.place_country, e.trigger, d.url, e.confidence";

pub(crate) fn report_row(r: &rusqlite::Row) -> rusqlite::Result<ReportRow> {
    Ok(ReportRow {
        report: r.get(0)?,
        story: r.get(1)?,
        doc_id: r.get(2)?,
        event_id: r.get(3)?,
        date: r.get::<_, Option<i64>>(4)?.map(dates::iso),
        kind: r.get(5)?,
        mode: r.get(6)?,
        cameo: r.get(7)?,
        modality: r.get(8)?,
        source: r.get(9)?,
        source_country: r.get(10)?,
        source_sector: r.get(11)?,
        target: r.get(12)?,
        target_country: r.get(13)?,
        target_sector: r.get(14)?,
        place: r.get(15)?,
        place_country: r.get(16)?,
        trigger: r.get(17)?,
        url: r.get(18)?,
        confidence: r.get(19)?,
    })
}

/// The SQL selecting story events whose reports match `w`.
///
/// With a limit, the story events picked are those with the earliest
/// matching reports: walking an index in date order, the first `limit`
/// distinct stories are found without visiting every match, which keeps
/// listings fast on stores of millions of events.
pub(crate) fn stories_sql(w: &Where, limit: Option<usize>) -> String {
    let cond = match (w.is_empty(), limit) {
        (true, _) | (false, None) => Unit::Stories.cond(w),
        (false, Some(n)) => format!(
            "WHERE s.id IN (SELECT DISTINCT e.story FROM events e WHERE {} \
             ORDER BY e.day, e.story LIMIT {n})",
            w.sql
        ),
    };
    let lim = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    format!(
        "SELECT {STORY_COLUMNS} FROM stories s
         JOIN events fe ON fe.id = s.first_event JOIN documents d ON d.id = fe.doc
         {cond} ORDER BY s.day_first, s.id{lim}"
    )
}

/// The SQL selecting reports that match `w`.
pub(crate) fn reports_sql(w: &Where, limit: Option<usize>) -> String {
    let cond = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.sql)
    };
    let lim = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    format!(
        "SELECT {REPORT_COLUMNS} FROM events e JOIN documents d ON d.id = e.doc
         {cond} ORDER BY e.day, e.id{lim}"
    )
}

impl Store {
    /// The WHERE clause of a filter, with its country values turned into
    /// the codes the store keeps (see [`country_code`]).
    pub(crate) fn where_of(&self, filter: &Filter) -> Result<Where> {
        let known = |code: &str| {
            self.conn()
                .prepare_cached("SELECT EXISTS(SELECT 1 FROM actors WHERE country = ?1)")
                .and_then(|mut st| st.query_row([code], |r| r.get::<_, bool>(0)))
                .unwrap_or(false)
        };
        let resolve = |what: &str, v: &Option<String>| -> Result<Option<String>> {
            v.as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| country_code(what, s, known))
                .transpose()
        };
        let f = Filter {
            actor_country: resolve("actor country", &filter.actor_country)?,
            target_country: resolve("target country", &filter.target_country)?,
            place_country: resolve("place country", &filter.place_country)?,
            ..filter.clone()
        };
        f.to_where()
    }

    /// Story events with a report matching `filter`, oldest first.
    pub fn stories(&self, filter: &Filter, limit: Option<usize>) -> Result<Vec<StoryRow>> {
        let w = self.where_of(filter)?;
        let mut rows = self.rows(&stories_sql(&w, limit), &w.params, story_row)?;
        self.show_matching_sides(filter, &w, &mut rows)?;
        Ok(rows)
    }

    /// A story matches a name filter when one of its reports does, and its
    /// row shows the sides of one report. With a name filter set, that is
    /// the earliest report that matches, so that the row says why the story
    /// is listed: stories merge reports that name a side differently
    /// ("Trump", "Washington", "the United States"), and a row that showed
    /// another report's "Trump" under `actor_name=United States` would look
    /// like a wrong match.
    pub(crate) fn show_matching_sides(
        &self,
        filter: &Filter,
        w: &Where,
        rows: &mut [StoryRow],
    ) -> Result<()> {
        if filter.actor_name.is_none() && filter.target_name.is_none() {
            return Ok(());
        }
        let sql = format!(
            "SELECT e.src_name, e.src_country, e.tgt_name, e.tgt_country FROM events e \
             WHERE e.story = ?{} AND {} ORDER BY e.day, e.id LIMIT 1",
            w.params.len() + 1,
            w.sql
        );
        // One statement, prepared once: a listing may hold thousands of
        // stories.
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let mut params = w.params.clone();
        params.push(Value::Integer(0));
        let story = params.len() - 1;
        for row in rows.iter_mut() {
            params[story] = Value::Integer(row.story);
            let mut found = st
                .query(rusqlite::params_from_iter(params.iter()))
                .map_err(|e| self.err(e))?;
            if let Some(r) = found.next().map_err(|e| self.err(e))? {
                row.source = r.get(0).map_err(|e| self.err(e))?;
                row.source_country = r.get(1).map_err(|e| self.err(e))?;
                row.target = r.get(2).map_err(|e| self.err(e))?;
                row.target_country = r.get(3).map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }

    /// Reports matching `filter`, oldest first.
    pub fn reports(&self, filter: &Filter, limit: Option<usize>) -> Result<Vec<ReportRow>> {
        let w = self.where_of(filter)?;
        self.rows(&reports_sql(&w, limit), &w.params, report_row)
    }

    /// How many story events (or reports) match `filter`.
    pub fn count(&self, filter: &Filter, unit: Unit) -> Result<u64> {
        let w = self.where_of(filter)?;
        let cond = if w.is_empty() {
            "1".to_string()
        } else {
            w.sql.clone()
        };
        let sql = match unit {
            Unit::Reports => format!("SELECT COUNT(*) FROM events e WHERE {cond}"),
            Unit::Stories if w.is_empty() => "SELECT COUNT(*) FROM stories".to_string(),
            Unit::Stories => format!("SELECT COUNT(DISTINCT e.story) FROM events e WHERE {cond}"),
        };
        self.conn()
            .query_row(&sql, rusqlite::params_from_iter(w.params.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Counts of matching story events (or reports) by day, week (the ISO
    /// week's Monday), month, dyad or type. Story events are placed in the
    /// dyad of their first report, and on the day of their first report, or
    /// with a filter, of their first matching report (so that a date filter
    /// never yields buckets outside its range). Dates come out in order;
    /// dyads and types by descending count.
    pub fn count_by(&self, filter: &Filter, unit: Unit, by: CountBy) -> Result<Vec<CountRow>> {
        let w = self.where_of(filter)?;
        let (alias, from) = unit.table();
        let (day, src, tgt) = match unit {
            Unit::Reports => ("e.day", "e.src_country", "e.tgt_country"),
            Unit::Stories => ("s.day_first", "s.src_country", "s.tgt_country"),
        };
        let key = match by {
            CountBy::Day | CountBy::Week | CountBy::Month => day.to_string(),
            CountBy::Dyad => format!("{src}, {tgt}"),
            CountBy::Type => format!("{alias}.type"),
        };
        let cond = unit.cond(&w);
        let dated = matches!(by, CountBy::Day | CountBy::Week | CountBy::Month);
        let sql = if unit == Unit::Stories && !w.is_empty() && dated {
            // Grouping the matching reports by story reads only the covering
            // index, where looking up each story row would read the table.
            format!(
                "SELECT d, COUNT(*) FROM (SELECT MIN(e.day) AS d FROM events e
                 WHERE {} GROUP BY e.story) GROUP BY d",
                w.sql
            )
        } else {
            format!("SELECT {key}, COUNT(*) FROM {from} {cond} GROUP BY {key}")
        };
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let two = by == CountBy::Dyad;
        let rows = st
            .query_map(rusqlite::params_from_iter(w.params.iter()), |r| {
                let a: Value = r.get(0)?;
                let (b, n): (Option<String>, i64) = if two {
                    (r.get(1)?, r.get(2)?)
                } else {
                    (None, r.get(1)?)
                };
                Ok((a, b, n as u64))
            })
            .map_err(|e| self.err(e))?;
        let mut raw: Vec<(Value, Option<String>, u64)> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        let text = |v: &Value| match v {
            Value::Text(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
            _ => String::new(),
        };
        let mut out: Vec<CountRow> = match by {
            CountBy::Day | CountBy::Week | CountBy::Month => {
                // Grouped by day in SQL, folded into weeks or months here;
                // undated rows come last under an empty key.
                let mut folded: std::collections::BTreeMap<(bool, String), u64> =
                    std::collections::BTreeMap::new();
                for (v, _, n) in &raw {
                    let k = match v {
                        Value::Integer(d) => (
                            false,
                            match by {
                                CountBy::Day => dates::iso(*d),
                                CountBy::Week => dates::iso(dates::week_start(*d)),
                                _ => dates::month(*d),
                            },
                        ),
                        _ => (true, String::new()),
                    };
                    *folded.entry(k).or_default() += n;
                }
                folded
                    .into_iter()
                    .map(|((_, k), count)| CountRow {
                        key: vec![k],
                        count,
                    })
                    .collect()
            }
            CountBy::Dyad | CountBy::Type => raw
                .drain(..)
                .map(|(a, b, count)| {
                    let mut key = vec![text(&a)];
                    if two {
                        key.push(b.unwrap_or_default());
                    }
                    CountRow { key, count }
                })
                .collect(),
        };
        if matches!(by, CountBy::Dyad | CountBy::Type) {
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        }
        Ok(out)
    }
}
