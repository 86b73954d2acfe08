//! The embedded event store: coded records kept in one SQLite file.
//!
//! - Documents are stored once: a record whose `doc_id` or text (by a 128-bit
//!   hash) is already stored changes nothing, so ingest is idempotent.
//! - Each [`Store::ingest`] call is one transaction over a batch of records,
//!   in WAL mode: a process killed mid-batch leaves the previous batches
//!   committed and nothing of its own, and running it again completes it.
//! - Each record keeps its full JSON (deflated) next to normalised tables of
//!   documents, actors, events and story events, and an FTS5 index of text.
//! - Events reported by several articles are linked into one *story event*
//!   (see [`dedup`]); queries count story events unless asked for reports.
//!
//! The schema is versioned ([`schema`]) and upgraded on open.

pub mod dates;
pub mod dedup;
pub mod export;
pub mod format;
mod ingest;
pub mod query;
pub mod schema;
pub mod views;

use annalist_doc::Record;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Read;
use std::path::{Path, PathBuf};

pub use ingest::{text_hash, IngestStats};
pub use query::{CountBy, CountRow, Filter, ReportRow, StoryRow, Unit};
pub use views::{
    ActorLink, DocSummary, EventStory, NetworkEdge, PlacePoint, RowDetail, SortKey, TimelineCell,
};

/// Everything that can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed on the named database.
    #[error("{path}: {source}{hint}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
        hint: &'static str,
    },
    /// The database was written by a newer build.
    #[error(
        "{path}: schema version {found} is newer than this build's {known}; \
         hint: use a newer annalist to read this database"
    )]
    Newer {
        path: String,
        found: i64,
        known: i64,
    },
    /// A stored record cannot be decoded.
    #[error("{path}: the stored record of {doc_id} cannot be read: {message}")]
    Corrupt {
        path: String,
        doc_id: String,
        message: String,
    },
    /// The file is a SQLite database, but not an annalist store.
    #[error(
        "{path}: this SQLite database is not an annalist store (it has none of its tables); \
         it was left unchanged; hint: give another --db, or a new file name"
    )]
    Foreign { path: String },
    /// A query filter is malformed.
    #[error("invalid query: {0}")]
    Query(String),
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Counts of what a store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    pub documents: u64,
    pub actors: u64,
    /// Event rows: one per reported event and actor pair.
    pub reports: u64,
    pub story_events: u64,
    /// The database size in bytes (pages in use, not counting the WAL).
    pub bytes: u64,
}

/// An open store. One writer at a time per database; any number of readers
/// may open the same file alongside it.
pub struct Store {
    conn: Connection,
    path: String,
}

/// The default database file: `$XDG_DATA_HOME/annalist/annalist.db`, else
/// `~/.local/share/annalist/annalist.db`; `None` when neither is known.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("share"))
        })?;
    Some(base.join("annalist").join("annalist.db"))
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. A file that is not an annalist database is refused
    /// before anything is written to it.
    pub fn open(path: &Path) -> Result<Store> {
        let name = path.display().to_string();
        check_foreign(path, &name)?;
        // Two processes creating the same new database race for the locks
        // that switching to WAL and migrating take; the loser waits and
        // tries again instead of failing.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let conn = Connection::open(path).map_err(|e| sqlite_err(&name, e))?;
            match Store::setup(conn, name.clone()) {
                Err(StoreError::Sqlite { source, .. })
                    if is_busy(&source) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// Opens an existing database for reading only; it is never created or
    /// migrated, so readers never take the write lock. A database in a
    /// folder this process cannot write to is opened as immutable, since
    /// SQLite cannot create the WAL index it would otherwise need beside it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let name = path.display().to_string();
        match Store::open_read_only_with(path, &name, false) {
            Err(StoreError::Sqlite { source, .. })
                if matches!(
                    source.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) && path.exists() =>
            {
                Store::open_read_only_with(path, &name, true)
            }
            other => other,
        }
    }

    fn open_read_only_with(path: &Path, name: &str, immutable: bool) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = if immutable {
            Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| sqlite_err(name, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_err(name, e))?;
        let store = Store {
            conn,
            path: name.to_string(),
        };
        let found = schema::version(&store.conn).map_err(|e| store.err(e))?;
        if found > schema::latest() {
            return Err(StoreError::Newer {
                path: store.path,
                found,
                known: schema::latest(),
            });
        }
        // Version 0 with no tables at all is a database being created; any
        // other database without our tables belongs to something else.
        let tables = schema::table_count(&store.conn).map_err(|e| store.err(e))?;
        let ours = schema::has_documents(&store.conn).map_err(|e| store.err(e))?;
        if (found == 0 && tables > 0) || (found > 0 && !ours) {
            return Err(not_ours(name));
        }
        if found < schema::latest() {
            return Err(StoreError::Query(format!(
                "{} has schema version {found}, this build reads {}; \
                 hint: run `annalist ingest --db {}` once to upgrade it",
                store.path,
                schema::latest(),
                store.path
            )));
        }
        Ok(store)
    }

    /// A private database in memory, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| sqlite_err(":memory:", e))?;
        Store::setup(conn, ":memory:".to_string())
    }

    fn setup(conn: Connection, path: String) -> Result<Store> {
        let mut store = Store { conn, path };
        store.configure().map_err(|e| store.err(e))?;
        let found = schema::version(&store.conn).map_err(|e| store.err(e))?;
        if found > schema::latest() {
            return Err(StoreError::Newer {
                path: store.path,
                found,
                known: schema::latest(),
            });
        }
        schema::migrate_to(&mut store.conn, schema::latest()).map_err(|e| store.err(e))?;
        Ok(store)
    }

    fn configure(&self) -> rusqlite::Result<()> {
        // A second process (a reader, or a resumed ingest) waits for the lock
        // instead of failing at once.
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL keeps readers going during ingest, and with synchronous=NORMAL
        // a killed process never loses a committed batch (only power loss
        // could, and even then the file stays consistent).
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;",
        )
    }

    /// Sets SQLite's page cache size. The default (64 MiB) suits everyday
    /// use; bulk loads of millions of events run faster with more, because
    /// the index pages they update at random stay in memory.
    pub fn set_cache_mib(&self, mib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", u64::from(mib) * 1024))
            .map_err(|e| self.err(e))
    }

    /// The underlying SQLite connection, for benchmarks that bulk-load
    /// generated rows; not part of the supported API.
    #[doc(hidden)]
    pub fn raw_connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The database name as given, for messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        schema::version(&self.conn).map_err(|e| self.err(e))
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, e)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Whether a document with this id or this exact text is stored; the
    /// ingest command asks before coding, so a re-run codes nothing twice.
    pub fn contains(&self, doc_id: &str, text: &str) -> Result<bool> {
        let hash = (!text.is_empty()).then(|| text_hash(text).to_vec());
        self.conn
            .prepare_cached("SELECT 1 FROM documents WHERE doc_id = ?1 OR text_hash = ?2")
            .and_then(|mut st| st.exists(rusqlite::params![doc_id, hash]))
            .map_err(|e| self.err(e))
    }

    /// The stored record of a document, exactly as it was ingested.
    pub fn record(&self, doc_id: &str) -> Result<Option<Record>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT record FROM documents WHERE doc_id = ?1",
                [doc_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(blob) = blob else { return Ok(None) };
        let corrupt = |message: String| StoreError::Corrupt {
            path: self.path.clone(),
            doc_id: doc_id.to_string(),
            message,
        };
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(&blob[..])
            .read_to_end(&mut json)
            .map_err(|e| corrupt(e.to_string()))?;
        serde_json::from_slice(&json)
            .map(Some)
            .map_err(|e| corrupt(e.to_string()))
    }

    /// Counts of documents, actors, reports and story events, and the size.
    pub fn stats(&self) -> Result<StoreStats> {
        let count = |table: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .map_err(|e| self.err(e))
        };
        let pages: i64 = self
            .conn
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(StoreStats {
            documents: count("documents")?,
            actors: count("actors")?,
            reports: count("events")?,
            story_events: count("stories")?,
            bytes: pages as u64,
        })
    }

    /// The doc ids whose title or text match a full-text query, best first.
    /// Plain words are ANDed; see [`query::fts_query`].
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<String>> {
        let q = query::fts_query(text)?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT d.doc_id FROM documents_fts f JOIN documents d ON d.id = f.rowid
                 WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(rusqlite::params![q, limit as i64], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))
    }

    /// Checks the database file for corruption (`PRAGMA integrity_check`).
    pub fn check_integrity(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
        let lines: Vec<String> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(lines.into_iter().filter(|l| l != "ok").collect())
    }
}

/// How long a connection waits for another process's lock.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn not_ours(name: &str) -> StoreError {
    StoreError::Foreign {
        path: name.to_string(),
    }
}

/// The `file:` URI that opens `path` read-only and immutable. Characters
/// with a meaning in URIs are percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for ch in path.to_string_lossy().chars() {
        match ch {
            '?' | '#' | '%' => uri.push_str(&format!("%{:02X}", ch as u32)),
            _ => uri.push(ch),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// Refuses an existing file that is a SQLite database of something else,
/// reading it only: opening it for writing would switch it to WAL mode and
/// leave `-wal` and `-shm` files beside it before any error.
fn check_foreign(path: &Path, name: &str) -> Result<()> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size == 0 {
        return Ok(());
    }
    let store = match Store::open_read_only_with(path, name, false) {
        Ok(_) => return Ok(()),
        Err(StoreError::Sqlite { source, .. })
            if matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) =>
        {
            Store::open_read_only_with(path, name, true)
        }
        other => other,
    };
    match store {
        // An older annalist schema is upgraded by `open`.
        Ok(_) | Err(StoreError::Query(_)) => Ok(()),
        // A busy database is someone's live annalist store being written.
        Err(StoreError::Sqlite { source, .. }) if is_busy(&source) => Ok(()),
        Err(e) => Err(e),
    }
}

fn sqlite_err(path: &str, e: rusqlite::Error) -> StoreError {
    let hint = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            "; hint: another annalist process is writing to this database"
        }
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "; hint: this file is not an annalist database; give another --db"
        }
        Some(rusqlite::ErrorCode::CannotOpen) => {
            "; hint: check that the folder exists and is writable"
        }
        Some(rusqlite::ErrorCode::ReadOnly) => "; hint: the database file is read-only",
        _ => "",
    };
    StoreError::Sqlite {
        path: path.to_string(),
        source: e,
        hint,
    }
}
