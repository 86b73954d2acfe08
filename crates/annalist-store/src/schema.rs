//! The database schema and its migrations.
//!
//! The schema version lives in SQLite's `user_version`. Each migration runs in
//! its own transaction together with the version bump, so a crash during an
//! upgrade leaves the database at the previous version, never half-migrated.
//! Migrations are append-only: a released one is never edited.

use rusqlite::Connection;

/// One schema step: the version it produces and the SQL that gets there.
pub struct Migration {
    pub version: i64,
    pub what: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        what: "documents, actors, events, story events, full-text index",
        sql: r#"
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL UNIQUE,
    -- 128-bit hash of the text; NULL for records without text, which must
    -- not collide with each other.
    text_hash   BLOB UNIQUE,
    title       TEXT,
    url         TEXT,
    publisher   TEXT,
    -- The outlet used to count distinct sources: publisher, else URL host.
    source      TEXT NOT NULL,
    published   TEXT,
    pub_day     INTEGER,
    language    TEXT NOT NULL,
    n_chars     INTEGER NOT NULL,
    n_events    INTEGER NOT NULL,
    -- The full record as deflated JSON, served back unchanged.
    record      BLOB NOT NULL,
    ingested_at INTEGER NOT NULL
);
CREATE INDEX documents_pub_day ON documents(pub_day);

-- Contentless: the text is already in the record, so the index keeps only
-- the terms and row ids (rowid = documents.id).
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content = '', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE actors (
    id        INTEGER PRIMARY KEY,
    doc       INTEGER NOT NULL REFERENCES documents(id),
    actor_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    country   TEXT,
    sectors   TEXT NOT NULL,
    title     TEXT,
    cameo     TEXT,
    wikidata  TEXT,
    UNIQUE (doc, actor_id)
);
CREATE INDEX actors_country ON actors(country);

-- A story event: one real-world event, reported by one or more articles.
CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    type          TEXT NOT NULL,
    modality      TEXT NOT NULL,
    -- The blocking key for de-duplication: the dyad, ordered for directed
    -- types and sorted for symmetric ones.
    dyad          TEXT NOT NULL,
    cameo         TEXT,
    quad_class    INTEGER,
    intensity     REAL,
    src_name      TEXT,
    src_country   TEXT,
    tgt_name      TEXT,
    tgt_country   TEXT,
    day_first     INTEGER,
    day_last      INTEGER,
    place_name    TEXT,
    place_country TEXT,
    place_admin1  TEXT,
    lat           REAL,
    lon           REAL,
    geonames_id   INTEGER,
    num_mentions  INTEGER NOT NULL,
    num_articles  INTEGER NOT NULL,
    num_sources   INTEGER NOT NULL,
    first_event   INTEGER NOT NULL
);
CREATE INDEX stories_block ON stories(type, modality, dyad, day_last);
CREATE INDEX stories_day ON stories(day_first);

-- One row per reported event and (source, target) actor pair, the way GDELT
-- splits a multi-actor event into dyads.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    doc           INTEGER NOT NULL REFERENCES documents(id),
    event_id      TEXT NOT NULL,
    part          INTEGER NOT NULL,
    story         INTEGER NOT NULL REFERENCES stories(id),
    type          TEXT NOT NULL,
    mode          TEXT,
    contexts      TEXT NOT NULL,
    cameo         TEXT,
    root_code     TEXT,
    quad_class    INTEGER,
    intensity     REAL,
    modality      TEXT NOT NULL,
    src_actor     TEXT,
    src_name      TEXT,
    src_country   TEXT,
    src_sector    TEXT,
    src_cameo     TEXT,
    src_offset    INTEGER,
    tgt_actor     TEXT,
    tgt_name      TEXT,
    tgt_country   TEXT,
    tgt_sector    TEXT,
    tgt_cameo     TEXT,
    tgt_offset    INTEGER,
    day           INTEGER,
    date_source   TEXT,
    place_name    TEXT,
    place_country TEXT,
    place_admin1  TEXT,
    lat           REAL,
    lon           REAL,
    geonames_id   INTEGER,
    feature       TEXT,
    sentence      INTEGER NOT NULL,
    trigger       TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    reported_by   TEXT,
    dead          INTEGER,
    injured       INTEGER,
    arrested      INTEGER,
    confidence    REAL NOT NULL,
    -- Sorted 32-bit hashes of the content words around the event, for the
    -- wording similarity of de-duplication.
    sig           BLOB NOT NULL,
    UNIQUE (doc, event_id, part)
);
CREATE INDEX events_story ON events(story);
"#,
    },
    Migration {
        version: 2,
        what: "indexes for the query filters",
        sql: r#"
-- The story column at the end makes the indexes covering for counting
-- story events (COUNT(DISTINCT story)) without touching the table.
CREATE INDEX events_dyad_day ON events(src_country, tgt_country, day, story);
CREATE INDEX events_tgt_day ON events(tgt_country, day);
CREATE INDEX events_type_src_day ON events(type, src_country, day, story);
CREATE INDEX events_type_place_day ON events(type, place_country, day, story);
CREATE INDEX events_place_day ON events(place_country, day);
CREATE INDEX events_cameo_day ON events(cameo, day);
CREATE INDEX events_day ON events(day);
"#,
    },
    Migration {
        version: 3,
        what: "a wording signature per story event",
        sql: r#"
-- The union of its reports' signatures (capped), so that de-duplication
-- compares a new report with one row per candidate story instead of reading
-- every report of it. NULL in stores from version 2: those fall back to the
-- reports' own signatures.
ALTER TABLE stories ADD COLUMN sig BLOB;
"#,
    },
];

/// The version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Reads the schema version of an open database.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Whether the database has annalist's `documents` table.
pub fn has_documents(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// How many tables, indexes and views the database has.
pub fn table_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
}

/// Applies the migrations above `version(conn)` up to `target`, each in its
/// own immediate transaction. Another process migrating at the same time is
/// serialised by the write lock; the version is re-read under it.
pub fn migrate_to(conn: &mut Connection, target: i64) -> rusqlite::Result<i64> {
    let mut applied = 0;
    for m in MIGRATIONS.iter().filter(|m| m.version <= target) {
        if version(conn)? >= m.version {
            continue;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if version(&tx)? < m.version {
            tx.execute_batch(m.sql)?;
            tx.pragma_update(None, "user_version", m.version)?;
            applied += 1;
        }
        tx.commit()?;
    }
    Ok(applied)
}
