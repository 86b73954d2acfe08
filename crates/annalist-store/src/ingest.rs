//! Writing records: documents, actors, events, and linking each event to its
//! story event.

use crate::dedup;
use crate::{dates, Result, Store};
use annalist_doc::record::{Actor, Event, Place};
use annalist_doc::Record;
use rusqlite::{params, Transaction};
use std::collections::HashMap;
use std::io::Write;

/// What one [`Store::ingest`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestStats {
    /// Documents newly stored.
    pub documents: usize,
    /// Records skipped because their doc id or text was already stored.
    pub skipped: usize,
    /// Records with an `error` object: nothing to store.
    pub failed: usize,
    /// Event rows written (one per event and actor pair).
    pub reports: usize,
    /// Story events created; the other reports joined existing ones.
    pub new_story_events: usize,
}

impl std::ops::AddAssign for IngestStats {
    fn add_assign(&mut self, o: Self) {
        self.documents += o.documents;
        self.skipped += o.skipped;
        self.failed += o.failed;
        self.reports += o.reports;
        self.new_story_events += o.new_story_events;
    }
}

/// FNV-1a, 128 bits, over the UTF-8 text: stable across platforms and wide
/// enough that millions of documents do not collide by chance.
pub fn text_hash(text: &str) -> [u8; 16] {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in text.as_bytes() {
        h ^= u128::from(*b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    h.to_be_bytes()
}

impl Store {
    /// Stores a batch of records in one transaction. Records already stored
    /// (same doc id or same text), and records carrying an `error`, are
    /// skipped. Either the whole batch is committed or none of it.
    pub fn ingest(&mut self, records: &[Record]) -> Result<IngestStats> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.ingest_at(records, now)
    }

    /// [`Store::ingest`] with a fixed ingest time, for reproducible tests.
    pub fn ingest_at(&mut self, records: &[Record], now: i64) -> Result<IngestStats> {
        let path = self.path.clone();
        let err = |e| crate::sqlite_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut stats = IngestStats::default();
        for rec in records {
            if rec.error.is_some() {
                stats.failed += 1;
                continue;
            }
            match insert_record(&tx, rec, now).map_err(err)? {
                Some(s) => {
                    stats.documents += 1;
                    stats.reports += s.0;
                    stats.new_story_events += s.1;
                }
                None => stats.skipped += 1,
            }
        }
        tx.commit().map_err(err)?;
        Ok(stats)
    }
}

/// The outlet a document counts as for `num_sources`: its publisher, else the
/// host of its URL, else unknown.
fn source_of(rec: &Record) -> String {
    if let Some(p) = rec.meta.publisher.as_deref().map(str::trim) {
        if !p.is_empty() {
            return p.to_string();
        }
    }
    if let Some(url) = rec.meta.url.as_deref() {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.strip_prefix("www.").unwrap_or(host);
        if !host.is_empty() {
            return host.to_lowercase();
        }
    }
    "unknown".to_string()
}

/// Inserts one record; `None` when it is already stored, else the number of
/// event rows and of new story events.
fn insert_record(
    tx: &Transaction,
    rec: &Record,
    now: i64,
) -> rusqlite::Result<Option<(usize, usize)>> {
    let hash = (!rec.text.is_empty()).then(|| text_hash(&rec.text).to_vec());
    let exists = tx
        .prepare_cached("SELECT 1 FROM documents WHERE doc_id = ?1 OR text_hash = ?2")?
        .exists(params![rec.doc_id, hash])?;
    if exists {
        return Ok(None);
    }
    let json =
        serde_json::to_vec(rec).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(5));
    enc.write_all(&json)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let blob = enc
        .finish()
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let m = &rec.meta;
    let source = source_of(rec);
    let pub_day = m.published.as_deref().and_then(dates::parse_day);
    tx.prepare_cached(
        "INSERT INTO documents (doc_id, text_hash, title, url, publisher, source, published,
            pub_day, language, n_chars, n_events, record, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        rec.doc_id,
        hash,
        m.title,
        m.url,
        m.publisher,
        source,
        m.published,
        pub_day,
        m.language,
        rec.text.chars().count() as i64,
        rec.events.len() as i64,
        blob,
        now
    ])?;
    let doc = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![doc, m.title.as_deref().unwrap_or(""), rec.text])?;

    for a in &rec.actors {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO actors (doc, actor_id, name, country, sectors, title, cameo, wikidata)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            doc,
            a.id,
            a.name,
            a.country,
            a.sectors.join(" "),
            a.title,
            a.cameo,
            a.wikidata
        ])?;
    }
    if rec.events.is_empty() {
        return Ok(Some((0, 0)));
    }

    let actors: HashMap<&str, &Actor> = rec.actors.iter().map(|a| (a.id.as_str(), a)).collect();
    // An actor's text offset is where its first mention starts.
    let offsets: HashMap<&str, usize> = rec
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.start))
        .collect();
    let offset_of = |a: &Actor| {
        a.mentions
            .first()
            .and_then(|m| offsets.get(m.as_str()))
            .copied()
    };
    // Sentences are code-point spans; slicing needs byte offsets.
    let char_bytes: Vec<usize> = rec
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(rec.text.len()))
        .collect();
    let slice = |start: usize, end: usize| -> &str {
        let (a, b) = (
            start.min(char_bytes.len() - 1),
            end.min(char_bytes.len() - 1),
        );
        rec.text
            .get(char_bytes[a]..char_bytes[b.max(a)])
            .unwrap_or("")
    };

    let mut reports = 0;
    let mut new_stories = 0;
    for ev in &rec.events {
        let sentence = rec
            .sentences
            .get(ev.sentence)
            .map_or("", |s| slice(s.start, s.end));
        let lookup = |ids: &[String]| -> Vec<Option<&Actor>> {
            let found: Vec<Option<&Actor>> = ids
                .iter()
                .filter_map(|id| actors.get(id.as_str()).copied())
                .map(Some)
                .collect();
            if found.is_empty() {
                vec![None]
            } else {
                found
            }
        };
        let sources = lookup(&ev.source);
        let targets = lookup(&ev.target);
        let day = ev.date.as_deref().and_then(dates::parse_day).or(pub_day);
        let sig = dedup::signature(&format!("{sentence} {}", ev.trigger.text));
        let mut part = 0;
        for src in &sources {
            for tgt in &targets {
                let row = Row {
                    doc,
                    ev,
                    part,
                    src: *src,
                    tgt: *tgt,
                    src_offset: src.and_then(offset_of),
                    tgt_offset: tgt.and_then(offset_of),
                    day,
                    sig: sig.clone(),
                    source: &source,
                };
                if link_and_insert(tx, &row)? {
                    new_stories += 1;
                }
                reports += 1;
                part += 1;
            }
        }
    }
    Ok(Some((reports, new_stories)))
}

/// One event row about to be written.
struct Row<'a> {
    doc: i64,
    ev: &'a Event,
    part: i64,
    src: Option<&'a Actor>,
    tgt: Option<&'a Actor>,
    src_offset: Option<usize>,
    tgt_offset: Option<usize>,
    day: Option<i64>,
    sig: Vec<u32>,
    source: &'a str,
}

fn latlon(p: Option<&Place>) -> Option<(f64, f64)> {
    p.map(|p| (p.lat, p.lon))
}

/// A story event that a row might report: id, first and last day, place,
/// wording signature.
type Candidate = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
    Option<Vec<u8>>,
);

/// Finds the story event this row reports, or creates one, then writes the
/// row and updates the story's counts. Returns whether a story was created.
fn link_and_insert(tx: &Transaction, row: &Row) -> rusqlite::Result<bool> {
    let ev = row.ev;
    let side = |a: Option<&Actor>| {
        dedup::side_key(
            a.and_then(|a| a.country.as_deref()),
            a.map(|a| a.name.as_str()),
        )
    };
    let dyad = dedup::dyad_key(&ev.kind, &side(row.src), &side(row.tgt));
    let place = latlon(ev.location.as_ref());

    // The block: same type, modality and dyad, dates within the window. The
    // most recent candidates are looked at first (they are the live stories)
    // and their number is capped to bound the work in crowded blocks. An
    // event with no date at all (neither in the text nor a publication date)
    // cannot be placed in time, so it is never linked to another report:
    // undated reports years apart must not merge into one event.
    let candidates: Vec<Candidate> = match row.day {
        None => Vec::new(),
        Some(day) => {
            let mut st = tx.prepare_cached(
                "SELECT id, day_first, day_last, lat, lon, sig FROM stories
                 WHERE type = ?1 AND modality = ?2 AND dyad = ?3
                   AND day_last >= ?4 - ?5 AND day_first <= ?4 + ?5
                 ORDER BY id DESC LIMIT 64",
            )?;
            let rows = st.query_map(
                params![ev.kind, ev.modality, dyad, day, dedup::DAY_WINDOW],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )?;
            rows.collect::<rusqlite::Result<_>>()?
        }
    };
    let mut best: Option<(i64, f64, Option<Vec<u32>>)> = None;
    for (id, first, last, lat, lon, story_sig) in candidates {
        if let (Some(d), Some(f), Some(l)) = (row.day, first, last) {
            if l.max(d) - f.min(d) > dedup::MAX_SPAN {
                continue;
            }
        }
        let story_place = lat.zip(lon);
        if !dedup::places_compatible(place, story_place) {
            continue;
        }
        let story_sig = story_sig.map(|b| dedup::unpack(&b));
        let score = match &story_sig {
            Some(sig) => dedup::similarity(&row.sig, sig),
            None => {
                // A story from a version 2 store: compare with its reports.
                let mut st = tx.prepare_cached(
                    "SELECT sig FROM events WHERE story = ?1 ORDER BY id LIMIT ?2",
                )?;
                let sigs = st.query_map(params![id, dedup::MAX_COMPARED as i64], |r| {
                    r.get::<_, Vec<u8>>(0)
                })?;
                let mut score: f64 = 0.0;
                for sig in sigs {
                    score = score.max(dedup::similarity(&row.sig, &dedup::unpack(&sig?)));
                }
                score
            }
        };
        // Ties go to the older story, so the outcome does not depend on the
        // order candidates come back in.
        if score >= dedup::MIN_SIMILARITY
            && best
                .as_ref()
                .is_none_or(|(bid, bs, _)| score > *bs || (score == *bs && id < *bid))
        {
            best = Some((id, score, story_sig));
        }
    }

    let created = best.is_none();
    let story = match &best {
        Some((id, _, _)) => *id,
        None => {
            let loc = ev.location.as_ref();
            tx.prepare_cached(
                "INSERT INTO stories (type, modality, dyad, cameo, quad_class, intensity,
                    src_name, src_country, tgt_name, tgt_country, day_first, day_last,
                    place_name, place_country, place_admin1, lat, lon, geonames_id,
                    num_mentions, num_articles, num_sources, first_event, sig)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11,
                    ?12, ?13, ?14, ?15, ?16, ?17, 0, 0, 0, 0, ?18)",
            )?
            .execute(params![
                ev.kind,
                ev.modality,
                dyad,
                ev.cameo,
                ev.quad_class,
                ev.intensity,
                row.src.map(|a| &a.name),
                row.src.and_then(|a| a.country.as_deref()),
                row.tgt.map(|a| &a.name),
                row.tgt.and_then(|a| a.country.as_deref()),
                row.day,
                loc.map(|p| &p.name),
                loc.and_then(|p| p.country.as_deref()),
                loc.and_then(|p| p.admin1.as_deref()),
                loc.map(|p| p.lat),
                loc.map(|p| p.lon),
                loc.and_then(|p| p.geonames_id).map(|g| g as i64),
                dedup::pack(&row.sig),
            ])?;
            tx.last_insert_rowid()
        }
    };
    // The story's wording grows with each report, up to its cap.
    if let Some((_, _, Some(story_sig))) = &best {
        if story_sig.len() < dedup::MAX_STORY_SIG {
            let merged = dedup::union(story_sig, &row.sig);
            if merged.len() != story_sig.len() {
                tx.prepare_cached("UPDATE stories SET sig = ?2 WHERE id = ?1")?
                    .execute(params![story, dedup::pack(&merged)])?;
            }
        }
    }

    // Counted before this row goes in: is its article, or its outlet, new
    // to the story?
    let new_article = !tx
        .prepare_cached("SELECT 1 FROM events WHERE story = ?1 AND doc = ?2")?
        .exists(params![story, row.doc])?;
    let new_source = new_article
        && !tx
            .prepare_cached(
                "SELECT 1 FROM events e JOIN documents d ON d.id = e.doc
                 WHERE e.story = ?1 AND d.source = ?2",
            )?
            .exists(params![story, row.source])?;

    let loc = ev.location.as_ref();
    let sector = |a: Option<&Actor>| a.and_then(|a| a.sectors.first().cloned());
    tx.prepare_cached(
        "INSERT INTO events (doc, event_id, part, story, type, mode, contexts, cameo, root_code,
            quad_class, intensity, modality,
            src_actor, src_name, src_country, src_sector, src_cameo, src_offset,
            tgt_actor, tgt_name, tgt_country, tgt_sector, tgt_cameo, tgt_offset,
            day, date_source, place_name, place_country, place_admin1, lat, lon, geonames_id,
            feature, sentence, trigger, trigger_start, reported_by, dead, injured, arrested,
            confidence, sig)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,
            ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42)",
    )?
    .execute(params![
        row.doc,
        ev.id,
        row.part,
        story,
        ev.kind,
        ev.mode,
        ev.contexts.join(" "),
        ev.cameo,
        ev.cameo.as_deref().and_then(|c| c.get(0..2)),
        ev.quad_class,
        ev.intensity,
        ev.modality,
        row.src.map(|a| &a.id),
        row.src.map(|a| &a.name),
        row.src.and_then(|a| a.country.as_deref()),
        sector(row.src),
        row.src.and_then(|a| a.cameo.as_deref()),
        row.src_offset.map(|o| o as i64),
        row.tgt.map(|a| &a.id),
        row.tgt.map(|a| &a.name),
        row.tgt.and_then(|a| a.country.as_deref()),
        sector(row.tgt),
        row.tgt.and_then(|a| a.cameo.as_deref()),
        row.tgt_offset.map(|o| o as i64),
        row.day,
        ev.date_source,
        loc.map(|p| &p.name),
        loc.and_then(|p| p.country.as_deref()),
        loc.and_then(|p| p.admin1.as_deref()),
        loc.map(|p| p.lat),
        loc.map(|p| p.lon),
        loc.and_then(|p| p.geonames_id).map(|g| g as i64),
        loc.and_then(|p| p.feature.as_deref()),
        ev.sentence as i64,
        ev.trigger.text,
        ev.trigger.start as i64,
        ev.reported_by.as_ref().map(|r| &r.text),
        ev.size.dead,
        ev.size.injured,
        ev.size.arrested,
        ev.confidence,
        dedup::pack(&row.sig),
    ])?;
    let event = tx.last_insert_rowid();
    // A story that had no date or place takes the first report that has one.
    tx.prepare_cached(
        "UPDATE stories SET
            num_mentions = num_mentions + 1,
            num_articles = num_articles + ?2,
            num_sources = num_sources + ?3,
            first_event = CASE WHEN first_event = 0 THEN ?4 ELSE first_event END,
            day_first = CASE WHEN day_first IS NULL OR ?5 < day_first THEN ?5 ELSE day_first END,
            day_last = CASE WHEN day_last IS NULL OR ?5 > day_last THEN ?5 ELSE day_last END
         WHERE id = ?1",
    )?
    .execute(params![
        story,
        new_article as i64,
        new_source as i64,
        event,
        row.day
    ])?;
    if !created {
        if let Some(p) = loc {
            tx.prepare_cached(
                "UPDATE stories SET place_name = ?2, place_country = ?3, place_admin1 = ?4,
                    lat = ?5, lon = ?6, geonames_id = ?7
                 WHERE id = ?1 AND lat IS NULL",
            )?
            .execute(params![
                story,
                p.name,
                p.country,
                p.admin1,
                p.lat,
                p.lon,
                p.geonames_id.map(|g| g as i64)
            ])?;
        }
    }
    Ok(created)
}
