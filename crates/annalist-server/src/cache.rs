//! A short-lived cache of API answers.
//!
//! Browsing repeats the same questions (the total behind each page of a
//! table, the map and network of the current filters), and a broad full-text
//! filter costs a tenth of a second or more on a large store. Answers are
//! kept for a few seconds: long enough to absorb bursts, short enough that an
//! `annalist ingest` running beside the server shows up almost at once.
//! Storing a document through the API clears the cache.

use axum::body::Bytes;
use axum::http::HeaderValue;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries above this many are dropped all at once (cheaper than LRU
/// bookkeeping, and entries expire within seconds anyway).
const MAX_ENTRIES: usize = 2048;
/// Answers larger than this are not kept.
const MAX_BODY: usize = 512 * 1024;

/// When an answer was made, its content type and its body.
type Entry = (Instant, Option<HeaderValue>, Bytes);

pub struct Cache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Cache {
    pub fn new(ttl: Duration) -> Cache {
        Cache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// A fresh answer for `key`: its content type and body.
    pub fn get(&self, key: &str) -> Option<(Option<HeaderValue>, Bytes)> {
        if !self.enabled() {
            return None;
        }
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (at, ct, body) = map.get(key)?;
        (at.elapsed() < self.ttl).then(|| (ct.clone(), body.clone()))
    }

    pub fn put(&self, key: String, content_type: Option<HeaderValue>, body: Bytes) {
        if !self.enabled() || body.len() > MAX_BODY {
            return;
        }
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (Instant::now(), content_type, body));
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
