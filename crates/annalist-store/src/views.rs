//! Read-only views for browsing a store: paged listings, map points, the
//! actor network and document summaries. They take the same [`Filter`] as
//! the query command, so every view of the web UI agrees with `annalist query`.

use crate::query::{report_row, reports_sql, stories_sql, story_row};
use crate::{dates, Filter, ReportRow, Result, Store, StoryRow, Unit};
use serde::Serialize;

/// A place on the map with the number of story events (or reports) there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacePoint {
    pub place: Option<String>,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub count: u64,
    /// Counts by quad class: verbal and material cooperation, verbal and
    /// material conflict.
    pub quad: [u64; 4],
    /// The place's GeoNames feature code (PPLC, ADM1, PCLI, ...): how
    /// precise the point is.
    pub feature: Option<String>,
}

/// One edge of the actor network: events of one type from one actor to
/// another, counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkEdge {
    pub source: String,
    pub source_country: Option<String>,
    pub target: String,
    pub target_country: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub count: u64,
}

/// What a listing of documents shows of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocSummary {
    pub doc_id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub chars: u64,
    pub events: u64,
}

/// The story event that each reported event of a document was linked to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStory {
    pub event_id: String,
    pub story: i64,
    pub num_articles: i64,
    pub date: Option<String>,
}

/// Appends `extra` to a WHERE clause that may be empty.
fn and(cond: &str, extra: &str) -> String {
    if cond.is_empty() {
        format!("WHERE {extra}")
    } else {
        format!("{cond} AND {extra}")
    }
}

const DOC_COLUMNS: &str =
    "d.doc_id, d.title, d.url, d.publisher, d.published, d.n_chars, d.n_events";

fn doc_row(r: &rusqlite::Row) -> rusqlite::Result<DocSummary> {
    Ok(DocSummary {
        doc_id: r.get(0)?,
        title: r.get(1)?,
        url: r.get(2)?,
        publisher: r.get(3)?,
        published: r.get(4)?,
        chars: r.get::<_, i64>(5)? as u64,
        events: r.get::<_, i64>(6)? as u64,
    })
}

impl Store {
    /// One page of the story events matching `filter`, oldest first; unlike
    /// [`Store::stories`] it can skip `offset` rows, for paging a table.
    /// `matching`, the number of matching story events when the caller has
    /// counted them, lets it pick the faster of two plans.
    pub fn stories_page(
        &self,
        filter: &Filter,
        offset: usize,
        limit: usize,
        matching: Option<u64>,
    ) -> Result<Vec<StoryRow>> {
        let w = self.where_of(filter)?;
        // Two plans give the same rows. Walking the stories in date order and
        // testing each one's reports costs about (offset + limit) / density
        // story lookups: cheap when most stories match (a common word), ruinous
        // when few do. Collecting the matching stories first and sorting them
        // costs the number of matches: right for selective filters.
        let walk = match matching {
            Some(0) => false,
            Some(n) if !w.is_empty() => {
                let stories: i64 = self
                    .conn()
                    .query_row("SELECT COALESCE(MAX(id), 0) FROM stories", [], |r| r.get(0))
                    .map_err(|e| self.err(e))?;
                let scan = (offset + limit) as f64 * stories as f64 / n as f64;
                scan < 5000.0
            }
            _ => false,
        };
        let sql = if walk {
            format!(
                "SELECT {} FROM stories s
                 JOIN events fe ON fe.id = s.first_event JOIN documents d ON d.id = fe.doc
                 WHERE EXISTS (SELECT 1 FROM events e INDEXED BY events_story
                               WHERE e.story = s.id AND {})
                 ORDER BY s.day_first, s.id LIMIT {limit} OFFSET {offset}",
                crate::query::STORY_COLUMNS,
                w.sql
            )
        } else {
            format!("{} LIMIT {limit} OFFSET {offset}", stories_sql(&w, None))
        };
        let mut rows = self.rows(&sql, &w.params, story_row)?;
        self.show_matching_sides(filter, &w, &mut rows)?;
        Ok(rows)
    }

    /// One page of the reports matching `filter`, oldest first.
    pub fn reports_page(
        &self,
        filter: &Filter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ReportRow>> {
        let w = self.where_of(filter)?;
        let sql = format!("{} LIMIT {limit} OFFSET {offset}", reports_sql(&w, None));
        self.rows(&sql, &w.params, report_row)
    }

    /// The places of the matching story events (or reports) with their
    /// counts, most events first; events without coordinates are left out.
    pub fn places(&self, filter: &Filter, unit: Unit, limit: usize) -> Result<Vec<PlacePoint>> {
        let w = self.where_of(filter)?;
        let (a, from) = unit.table();
        let cond = and(&unit.cond(&w), &format!("{a}.lat IS NOT NULL"));
        // Stories keep no feature code: their first report's is read, once
        // per place (grouped first, so that the lookup is per point).
        let first = match unit {
            Unit::Stories => format!("MIN({a}.first_event)"),
            Unit::Reports => format!("MIN({a}.id)"),
        };
        let sql = format!(
            "SELECT g.*, (SELECT x.feature FROM events x WHERE x.id = g.first) FROM (
               SELECT MAX({a}.place_name), MAX({a}.place_country), {a}.lat, {a}.lon, COUNT(*) AS n,
                 SUM({a}.quad_class = 1), SUM({a}.quad_class = 2), SUM({a}.quad_class = 3),
                 SUM({a}.quad_class = 4), {first} AS first
               FROM {from} {cond} GROUP BY {a}.lat, {a}.lon ORDER BY n DESC LIMIT {limit}) g"
        );
        let n = |r: &rusqlite::Row, i: usize| -> rusqlite::Result<u64> {
            Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0) as u64)
        };
        self.rows(&sql, &w.params, |r| {
            Ok(PlacePoint {
                place: r.get(0)?,
                country: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                count: n(r, 4)?,
                quad: [n(r, 5)?, n(r, 6)?, n(r, 7)?, n(r, 8)?],
                feature: r.get(10)?,
            })
        })
    }

    /// The actor network of the matching story events (or reports): one
    /// edge per source, target and event type, most events first. Events
    /// without both a source and a target name are left out.
    pub fn network(&self, filter: &Filter, unit: Unit, limit: usize) -> Result<Vec<NetworkEdge>> {
        let w = self.where_of(filter)?;
        let (a, from) = unit.table();
        let cond = and(
            &unit.cond(&w),
            &format!("{a}.src_name IS NOT NULL AND {a}.tgt_name IS NOT NULL"),
        );
        let sql = format!(
            "SELECT {a}.src_name, {a}.src_country, {a}.tgt_name, {a}.tgt_country, {a}.type, COUNT(*)
             FROM {from} {cond} GROUP BY 1, 2, 3, 4, 5 ORDER BY 6 DESC, 1, 3 LIMIT {limit}"
        );
        self.rows(&sql, &w.params, |r| {
            Ok(NetworkEdge {
                source: r.get(0)?,
                source_country: r.get(1)?,
                target: r.get(2)?,
                target_country: r.get(3)?,
                kind: r.get(4)?,
                count: r.get::<_, i64>(5)? as u64,
            })
        })
    }

    /// Documents whose title or text contain all of `words` (best match
    /// first), or with no words the most recently published first.
    pub fn documents(
        &self,
        words: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DocSummary>> {
        let (sql, params): (String, Vec<String>) = match words {
            Some(w) => (
                format!(
                    "SELECT {DOC_COLUMNS} FROM documents_fts f JOIN documents d ON d.id = f.rowid
                     WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT {limit} OFFSET {offset}"
                ),
                vec![crate::query::fts_query(w)?],
            ),
            None => (
                format!(
                    "SELECT {DOC_COLUMNS} FROM documents d
                     ORDER BY d.pub_day DESC, d.id LIMIT {limit} OFFSET {offset}"
                ),
                Vec::new(),
            ),
        };
        let params: Vec<rusqlite::types::Value> = params.into_iter().map(Into::into).collect();
        self.rows(&sql, &params, doc_row)
    }

    /// The summary of one stored document.
    pub fn document(&self, doc_id: &str) -> Result<Option<DocSummary>> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                &format!("SELECT {DOC_COLUMNS} FROM documents d WHERE d.doc_id = ?1"),
                [doc_id],
                doc_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Actor names containing `part` (any case, `%` and `_` literal) with
    /// their countries and the number of documents naming them, most named
    /// first, names differing only in case merged: the UI's typeahead.
    pub fn actor_names(
        &self,
        part: &str,
        limit: usize,
    ) -> Result<Vec<(String, Option<String>, u64)>> {
        let pattern = rusqlite::types::Value::Text(crate::query::like_anywhere(part.trim()));
        self.rows(
            &format!(
                "SELECT MAX(name), country, COUNT(*) FROM actors WHERE name LIKE ?1 ESCAPE '\\'
                 GROUP BY LOWER(name), country ORDER BY 3 DESC, 1 LIMIT {limit}"
            ),
            &[pattern],
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)),
        )
    }

    /// The articles that reported a story event, oldest first.
    pub fn story_articles(&self, story: i64) -> Result<Vec<DocSummary>> {
        self.rows(
            &format!(
                "SELECT {DOC_COLUMNS} FROM events e
                 JOIN documents d ON d.id = e.doc WHERE e.story = {story}
                 GROUP BY d.id ORDER BY d.pub_day, d.id"
            ),
            &[],
            doc_row,
        )
    }

    /// The story event of each reported event of a document (one row per
    /// event, from its first actor pair), in event order.
    pub fn document_stories(&self, doc_id: &str) -> Result<Vec<EventStory>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT e.event_id, e.story, s.num_articles, s.day_first
                 FROM events e JOIN documents d ON d.id = e.doc JOIN stories s ON s.id = e.story
                 WHERE d.doc_id = ?1 AND e.part = 0 ORDER BY e.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([doc_id], |r| {
                Ok(EventStory {
                    event_id: r.get(0)?,
                    story: r.get(1)?,
                    num_articles: r.get(2)?,
                    date: r.get::<_, Option<i64>>(3)?.map(dates::iso),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }
}

/// A column the event table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Type,
    Modality,
    Source,
    Target,
    Place,
    Articles,
    Confidence,
    Casualties,
}

impl SortKey {
    /// Every key with its name in `sort=`.
    pub const ALL: [(&'static str, SortKey); 9] = [
        ("date", SortKey::Date),
        ("type", SortKey::Type),
        ("modality", SortKey::Modality),
        ("source", SortKey::Source),
        ("target", SortKey::Target),
        ("place", SortKey::Place),
        ("articles", SortKey::Articles),
        ("confidence", SortKey::Confidence),
        ("casualties", SortKey::Casualties),
    ];

    pub fn parse(s: &str) -> Option<SortKey> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    /// The ORDER BY terms: rows without a value come last, except that
    /// dates sort as SQLite sorts NULL (undated first ascending, last
    /// descending), so that the date index serves the sort.
    fn order(self, unit: Unit, desc: bool) -> String {
        let k = self.sql(unit);
        let dir = if desc { "DESC" } else { "ASC" };
        if self == SortKey::Date {
            format!("{k} {dir}")
        } else {
            format!("{k} IS NULL, {k} {dir}")
        }
    }

    /// The SQL expression sorted on, over `stories s` or `events e`.
    fn sql(self, unit: Unit) -> &'static str {
        match (self, unit) {
            (SortKey::Date, Unit::Stories) => "s.day_first",
            (SortKey::Date, Unit::Reports) => "e.day",
            (SortKey::Type, Unit::Stories) => "s.type",
            (SortKey::Type, Unit::Reports) => "e.type",
            (SortKey::Modality, Unit::Stories) => "s.modality",
            (SortKey::Modality, Unit::Reports) => "e.modality",
            (SortKey::Source, Unit::Stories) => "s.src_name COLLATE NOCASE",
            (SortKey::Source, Unit::Reports) => "e.src_name COLLATE NOCASE",
            (SortKey::Target, Unit::Stories) => "s.tgt_name COLLATE NOCASE",
            (SortKey::Target, Unit::Reports) => "e.tgt_name COLLATE NOCASE",
            (SortKey::Place, Unit::Stories) => "s.place_name COLLATE NOCASE",
            (SortKey::Place, Unit::Reports) => "e.place_name COLLATE NOCASE",
            (SortKey::Articles, Unit::Stories) => "s.num_articles",
            (SortKey::Articles, Unit::Reports) => {
                "(SELECT x.num_articles FROM stories x WHERE x.id = e.story)"
            }
            (SortKey::Confidence, Unit::Stories) => {
                "(SELECT MAX(x.confidence) FROM events x WHERE x.story = s.id)"
            }
            (SortKey::Confidence, Unit::Reports) => "e.confidence",
            (SortKey::Casualties, Unit::Stories) => {
                "(SELECT MAX(COALESCE(x.dead, 0) + COALESCE(x.injured, 0)) FROM events x \
                 WHERE x.story = s.id)"
            }
            (SortKey::Casualties, Unit::Reports) => {
                "(COALESCE(e.dead, 0) + COALESCE(e.injured, 0))"
            }
        }
    }
}

/// What the event table shows of a row beyond the listing's columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowDetail {
    /// The story event's id (stories) or the report's (reports).
    pub id: i64,
    pub quad_class: Option<i64>,
    pub intensity: Option<f64>,
    /// The highest confidence among the reports.
    pub confidence: Option<f64>,
    pub dead: Option<i64>,
    pub injured: Option<i64>,
    pub arrested: Option<i64>,
    /// The place's GeoNames feature code (PPLC, ADM1, PCLI, ...).
    pub feature: Option<String>,
    /// The event of the (first) report, to find its sentence in the record.
    pub doc_id: String,
    pub event_id: String,
}

/// One cell of the timeline: a day (or none), a quad class and a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineCell {
    pub day: Option<i64>,
    pub quad_class: Option<i64>,
    pub count: u64,
}

/// One link of the actor network with actors that differ only in case
/// merged: its count, mean intensity and counts of cooperation and conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorLink {
    pub source: String,
    pub source_country: Option<String>,
    pub target: String,
    pub target_country: Option<String>,
    pub count: u64,
    /// The mean Goldstein-like intensity, -10 (conflict) to 10.
    pub intensity: Option<f64>,
    pub cooperation: u64,
    pub conflict: u64,
    /// The event types of the link, in no particular order.
    pub types: Vec<String>,
}

impl Store {
    /// The rows `sql` gives with `params`, each read by `f`.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        params: &[rusqlite::types::Value],
        f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn().prepare(sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(params.iter()), f)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// One page of story events sorted by `key` (descending when `desc`);
    /// rows without a value for the key come last, but undated rows come
    /// first in ascending date order (the date index serves the sort).
    pub fn stories_sorted(
        &self,
        filter: &Filter,
        key: SortKey,
        desc: bool,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StoryRow>> {
        let w = self.where_of(filter)?;
        let k = key.order(Unit::Stories, desc);
        let dir = if desc { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {} FROM stories s
             JOIN events fe ON fe.id = s.first_event JOIN documents d ON d.id = fe.doc
             {} ORDER BY {k}, s.id {dir} LIMIT {limit} OFFSET {offset}",
            crate::query::STORY_COLUMNS,
            Unit::Stories.cond(&w)
        );
        let mut rows = self.rows(&sql, &w.params, story_row)?;
        self.show_matching_sides(filter, &w, &mut rows)?;
        Ok(rows)
    }

    /// One page of reports sorted by `key`, as [`Store::stories_sorted`].
    pub fn reports_sorted(
        &self,
        filter: &Filter,
        key: SortKey,
        desc: bool,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ReportRow>> {
        let w = self.where_of(filter)?;
        let k = key.order(Unit::Reports, desc);
        let dir = if desc { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {} FROM events e JOIN documents d ON d.id = e.doc
             {} ORDER BY {k}, e.id {dir} LIMIT {limit} OFFSET {offset}",
            crate::query::REPORT_COLUMNS,
            Unit::Reports.cond(&w)
        );
        self.rows(&sql, &w.params, report_row)
    }

    /// The details of listed rows (story event or report ids), in no
    /// particular order.
    pub fn row_details(&self, unit: Unit, ids: &[i64]) -> Result<Vec<RowDetail>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = match unit {
            Unit::Stories => format!(
                "SELECT s.id, s.quad_class, s.intensity,
                   (SELECT MAX(x.confidence) FROM events x WHERE x.story = s.id),
                   (SELECT MAX(x.dead) FROM events x WHERE x.story = s.id),
                   (SELECT MAX(x.injured) FROM events x WHERE x.story = s.id),
                   (SELECT MAX(x.arrested) FROM events x WHERE x.story = s.id),
                   fe.feature, d.doc_id, fe.event_id
                 FROM stories s JOIN events fe ON fe.id = s.first_event
                 JOIN documents d ON d.id = fe.doc WHERE s.id IN ({list})"
            ),
            Unit::Reports => format!(
                "SELECT e.id, e.quad_class, e.intensity, e.confidence, e.dead, e.injured,
                   e.arrested, e.feature, d.doc_id, e.event_id
                 FROM events e JOIN documents d ON d.id = e.doc WHERE e.id IN ({list})"
            ),
        };
        self.rows(&sql, &[], |r| {
            Ok(RowDetail {
                id: r.get(0)?,
                quad_class: r.get(1)?,
                intensity: r.get(2)?,
                confidence: r.get(3)?,
                dead: r.get(4)?,
                injured: r.get(5)?,
                arrested: r.get(6)?,
                feature: r.get(7)?,
                doc_id: r.get(8)?,
                event_id: r.get(9)?,
            })
        })
    }

    /// Counts of the matching story events (or reports) by day and quad
    /// class; a story event is placed as in [`Store::count_by`]. Undated
    /// ones have no day.
    pub fn timeline(&self, filter: &Filter, unit: Unit) -> Result<Vec<TimelineCell>> {
        let w = self.where_of(filter)?;
        let sql = match (unit, w.is_empty()) {
            // The dated ones through the date index, the undated ones counted
            // there too: reading every story row would cost a table scan.
            (Unit::Stories, true) => "SELECT s.day_first, s.quad_class, COUNT(*) FROM stories s
                 WHERE s.day_first IS NOT NULL GROUP BY 1, 2
                 UNION ALL SELECT NULL, NULL, COUNT(*) FROM stories s WHERE s.day_first IS NULL"
                .into(),
            (Unit::Stories, false) => format!(
                "SELECT d, q, COUNT(*) FROM (SELECT MIN(e.day) AS d, MIN(e.quad_class) AS q
                 FROM events e WHERE {} GROUP BY e.story) GROUP BY 1, 2",
                w.sql
            ),
            (Unit::Reports, _) => format!(
                "SELECT e.day, e.quad_class, COUNT(*) FROM events e {} GROUP BY 1, 2",
                Unit::Reports.cond(&w)
            ),
        };
        let cells = self.rows(&sql, &w.params, |r| {
            Ok(TimelineCell {
                day: r.get(0)?,
                quad_class: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(cells.into_iter().filter(|c| c.count > 0).collect())
    }

    /// The actor network with actors merged across case ("MoU" and "MOU"),
    /// strongest links first.
    pub fn actor_links(&self, filter: &Filter, unit: Unit, limit: usize) -> Result<Vec<ActorLink>> {
        let w = self.where_of(filter)?;
        let (a, from) = unit.table();
        // An actor acting on itself (a country's own forces, say) is no
        // link between two actors.
        let cond = and(
            &unit.cond(&w),
            &format!(
                "{a}.src_name IS NOT NULL AND {a}.tgt_name IS NOT NULL AND NOT \
                 (LOWER({a}.src_name) = LOWER({a}.tgt_name) AND {a}.src_country IS {a}.tgt_country)"
            ),
        );
        let sql = format!(
            "SELECT MAX({a}.src_name), {a}.src_country, MAX({a}.tgt_name), {a}.tgt_country,
               COUNT(*), AVG({a}.intensity), SUM({a}.quad_class IN (1, 2)),
               SUM({a}.quad_class IN (3, 4)), GROUP_CONCAT(DISTINCT {a}.type)
             FROM {from} {cond}
             GROUP BY LOWER({a}.src_name), {a}.src_country, LOWER({a}.tgt_name), {a}.tgt_country
             ORDER BY 5 DESC, 1, 3 LIMIT {limit}"
        );
        self.rows(&sql, &w.params, |r| {
            let types: Option<String> = r.get(8)?;
            Ok(ActorLink {
                source: r.get(0)?,
                source_country: r.get(1)?,
                target: r.get(2)?,
                target_country: r.get(3)?,
                count: r.get::<_, i64>(4)? as u64,
                intensity: r.get(5)?,
                cooperation: r.get::<_, Option<i64>>(6)?.unwrap_or(0) as u64,
                conflict: r.get::<_, Option<i64>>(7)?.unwrap_or(0) as u64,
                types: types
                    .map(|t| t.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
    }

    /// Every event type stored with the quad class most of its story events
    /// have (the class comes from each event's CAMEO code, so a type can
    /// span two) and its number of story events, most frequent first.
    pub fn type_quads(&self) -> Result<Vec<(String, Option<i64>, u64)>> {
        let cells = self.rows(
            "SELECT type, quad_class, COUNT(*) FROM stories GROUP BY 1, 2 ORDER BY 3 DESC",
            &[],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, i64>(2)? as u64,
                ))
            },
        )?;
        let mut out: Vec<(String, Option<i64>, u64)> = Vec::new();
        for (kind, quad, n) in cells {
            match out.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(row) => row.2 += n,
                None => out.push((kind, quad, n)),
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }
}
