//! The model file: a readable header, then a deflated body.
//!
//! ```text
//! magic   "ANNALIST-NER\n"            13 bytes
//! version u32 LE
//! meta    u32 LE length + JSON        (data hashes, scores, settings)
//! body    deflate stream of:
//!   tags      u8 count, each u8 length + name ("O", "B-PER", ...)
//!   trans     count² f32 LE (previous tag major), start count f32 LE
//!   scale     f32 LE (weight = i16 × scale)
//!   gazetteer u32 count, each u8 kind + u16 LE length + phrase (lowercase)
//!   lexicon   u32 count, each u8 length + word + u8 cap + u16 LE fine + u16 LE coarse
//!   features  u32 count, each u32 LE key + u8 n + n × (u8 tag, i16 LE weight)
//! ```
//!
//! Feature weights are quantised to 16 bits: the perceptron's averaged
//! weights need far less precision than f32 and this halves the file.

use crate::gazetteer::{GazKind, Gazetteer};
use crate::lexicon::{Lexicon, WordStats};
use crate::{Error, KeyMap, Ner, Tag};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

pub const MAGIC: &[u8; 13] = b"ANNALIST-NER\n";
pub const VERSION: u32 = 1;

/// A decompressed body larger than this is refused: a real model is a few
/// tens of megabytes at most, and a hostile one must not exhaust memory.
const MAX_BODY: u64 = 512 << 20;

pub fn write(ner: &Ner) -> Vec<u8> {
    let t = ner.tags.len();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let meta = serde_json::to_vec(&ner.meta).unwrap_or_else(|_| b"{}".to_vec());
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);

    let mut body = Vec::new();
    body.push(t as u8);
    for tag in &ner.tags {
        let name = tag.name();
        body.push(name.len() as u8);
        body.extend_from_slice(name.as_bytes());
    }
    for x in ner.trans.iter().chain(&ner.start) {
        body.extend_from_slice(&x.to_le_bytes());
    }
    let max = ner.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    body.extend_from_slice(&scale.to_le_bytes());

    let entries = ner.gaz.entries();
    body.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (kind, phrase) in &entries {
        body.push(kind.id());
        let b = phrase.as_bytes();
        let len = b.len().min(u16::MAX as usize);
        body.extend_from_slice(&(len as u16).to_le_bytes());
        body.extend_from_slice(&b[..len]);
    }

    let words = ner.lex.entries();
    let words: Vec<_> = words.into_iter().filter(|(w, _)| w.len() < 256).collect();
    body.extend_from_slice(&(words.len() as u32).to_le_bytes());
    for (w, st) in &words {
        body.push(w.len() as u8);
        body.extend_from_slice(w.as_bytes());
        body.push(st.cap);
        body.extend_from_slice(&st.fine.to_le_bytes());
        body.extend_from_slice(&st.coarse.to_le_bytes());
    }

    // Rows sorted by key make the file reproducible from the same model.
    let mut rows: Vec<(u32, u32)> = ner.index.iter().map(|(k, r)| (*k, *r)).collect();
    rows.sort_unstable();
    let mut feats = Vec::new();
    let mut count = 0u32;
    for (key, row) in rows {
        let w = &ner.weights[row as usize * t..(row as usize + 1) * t];
        let q: Vec<(u8, i16)> = w
            .iter()
            .enumerate()
            .map(|(j, x)| (j as u8, (x / scale).round() as i16))
            .filter(|(_, q)| *q != 0)
            .collect();
        if q.is_empty() {
            continue;
        }
        count += 1;
        feats.extend_from_slice(&key.to_le_bytes());
        feats.push(q.len() as u8);
        for (j, x) in q {
            feats.push(j);
            feats.extend_from_slice(&x.to_le_bytes());
        }
    }
    body.extend_from_slice(&count.to_le_bytes());
    body.extend_from_slice(&feats);

    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(&body);
    out.extend(enc.finish().unwrap_or_default());
    out
}

/// A bounds-checked cursor over the body.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.b.len());
        let Some(end) = end else {
            return Err(Error::Corrupt(format!(
                "truncated while reading {what} at byte {}",
                self.at
            )));
        };
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, Error> {
        let s = self.take(2, what)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, Error> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32(&mut self, what: &str) -> Result<f32, Error> {
        Ok(f32::from_bits(self.u32(what)?))
    }
}

pub fn read(bytes: &[u8]) -> Result<Ner, Error> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Error::Magic);
    }
    let mut head = Cursor {
        b: bytes,
        at: MAGIC.len(),
    };
    let version = head.u32("the version")?;
    if version != VERSION {
        return Err(Error::Version {
            found: version,
            expected: VERSION,
        });
    }
    let meta_len = head.u32("the metadata length")? as usize;
    let meta_bytes = head.take(meta_len, "the metadata")?;
    let meta: serde_json::Value = serde_json::from_slice(meta_bytes)
        .map_err(|e| Error::Corrupt(format!("metadata is not JSON: {e}")))?;

    let mut body = Vec::new();
    DeflateDecoder::new(&bytes[head.at..])
        .take(MAX_BODY)
        .read_to_end(&mut body)
        .map_err(|e| Error::Corrupt(format!("body does not decompress: {e}")))?;
    let mut c = Cursor { b: &body, at: 0 };

    let t = c.u8("the tag count")? as usize;
    if t == 0 {
        return Err(Error::Corrupt("no tags".into()));
    }
    let mut tags = Vec::with_capacity(t);
    for _ in 0..t {
        let len = c.u8("a tag name")? as usize;
        let name = c.take(len, "a tag name")?;
        let tag = std::str::from_utf8(name)
            .ok()
            .and_then(Tag::parse)
            .ok_or_else(|| Error::Corrupt("unknown tag name".into()))?;
        tags.push(tag);
    }
    let mut trans = Vec::with_capacity(t * t);
    for _ in 0..t * t {
        trans.push(c.f32("transitions")?);
    }
    let mut start = Vec::with_capacity(t);
    for _ in 0..t {
        start.push(c.f32("start weights")?);
    }
    let scale = c.f32("the weight scale")?;
    if !scale.is_finite() {
        return Err(Error::Corrupt("weight scale is not finite".into()));
    }

    let n_gaz = c.u32("the gazetteer size")?;
    let mut gaz = Gazetteer::new();
    for _ in 0..n_gaz {
        let kind = GazKind::from_id(c.u8("a gazetteer kind")?)
            .ok_or_else(|| Error::Corrupt("unknown gazetteer kind".into()))?;
        let len = c.u16("a gazetteer phrase")? as usize;
        let phrase = std::str::from_utf8(c.take(len, "a gazetteer phrase")?)
            .map_err(|_| Error::Corrupt("gazetteer phrase is not UTF-8".into()))?;
        gaz.add(kind, phrase);
    }

    let n_words = c.u32("the lexicon size")?;
    let mut lex = Lexicon::default();
    for _ in 0..n_words {
        let len = c.u8("a lexicon word")? as usize;
        let w = std::str::from_utf8(c.take(len, "a lexicon word")?)
            .map_err(|_| Error::Corrupt("lexicon word is not UTF-8".into()))?;
        let cap = c.u8("a lexicon entry")?;
        let fine = c.u16("a lexicon entry")?;
        let coarse = c.u16("a lexicon entry")?;
        lex.insert(w.to_string(), WordStats { cap, fine, coarse });
    }

    let n_feat = c.u32("the feature count")? as usize;
    // Each feature takes at least five bytes: refuse counts the body cannot hold.
    if n_feat > (body.len() - c.at) / 5 {
        return Err(Error::Corrupt("feature count exceeds the file".into()));
    }
    let mut index = KeyMap::default();
    index.reserve(n_feat);
    let mut weights = vec![0f32; n_feat * t];
    for row in 0..n_feat {
        let key = c.u32("a feature key")?;
        let nnz = c.u8("a feature")? as usize;
        for _ in 0..nnz {
            let j = c.u8("a feature weight")? as usize;
            let q = c.u16("a feature weight")? as i16;
            if j >= t {
                return Err(Error::Corrupt("feature weight for an unknown tag".into()));
            }
            weights[row * t + j] = f32::from(q) * scale;
        }
        index.insert(key, row as u32);
    }
    if c.at != body.len() {
        return Err(Error::Corrupt("trailing bytes after the features".into()));
    }
    Ok(Ner::from_parts(
        tags, gaz, lex, index, weights, trans, start, meta,
    ))
}
