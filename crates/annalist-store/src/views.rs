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
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(w.params.iter()), story_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
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
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(w.params.iter()), report_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The places of the matching story events (or reports) with their
    /// counts, most events first; events without coordinates are left out.
    pub fn places(&self, filter: &Filter, unit: Unit, limit: usize) -> Result<Vec<PlacePoint>> {
        let w = self.where_of(filter)?;
        let (a, from) = unit.table();
        let cond = and(&unit.cond(&w), &format!("{a}.lat IS NOT NULL"));
        let sql = format!(
            "SELECT MAX({a}.place_name), MAX({a}.place_country), {a}.lat, {a}.lon, COUNT(*)
             FROM {from} {cond} GROUP BY {a}.lat, {a}.lon ORDER BY COUNT(*) DESC LIMIT {limit}"
        );
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(w.params.iter()), |r| {
                Ok(PlacePoint {
                    place: r.get(0)?,
                    country: r.get(1)?,
                    lat: r.get(2)?,
                    lon: r.get(3)?,
                    count: r.get::<_, i64>(4)? as u64,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
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
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(w.params.iter()), |r| {
                Ok(NetworkEdge {
                    source: r.get(0)?,
                    source_country: r.get(1)?,
                    target: r.get(2)?,
                    target_country: r.get(3)?,
                    kind: r.get(4)?,
                    count: r.get::<_, i64>(5)? as u64,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
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
        let mut st = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(params.iter()), doc_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
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
