//! The model file container and little-endian byte helpers.
//!
//! A model file is:
//!
//! ```text
//! magic "ANNALIST"  format version (u32)  kind (u8 length + bytes)
//! metadata (u32 length + JSON)  payload (u32 length + deflate data)
//! checksum (u32, FNV-1a of everything before it)
//! ```
//!
//! The metadata is readable without decompressing anything (corpus hash,
//! training settings, dev scores); the payload is the component's own
//! binary layout. The checksum turns truncation and corruption into an error
//! rather than a model that silently predicts nonsense.

use crate::ModelError;
use std::io::{Read, Write};

pub const MAGIC: &[u8; 8] = b"ANNALIST";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Default)]
pub struct ByteWriter(Vec<u8>);

impl ByteWriter {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes(s.as_bytes());
    }
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

#[derive(Debug)]
pub struct ByteReader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        ByteReader { data, at: 0 }
    }

    /// Fails early when fewer than `n` bytes are left, so that a corrupt
    /// length cannot make the reader allocate a huge buffer.
    pub fn check_len(&self, n: usize) -> Result<(), ModelError> {
        if self.data.len() - self.at < n {
            return Err(ModelError::invalid("the file is truncated"));
        }
        Ok(())
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        self.check_len(n)?;
        let s = &self.data[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.bytes(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, ModelError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
    pub fn str(&mut self) -> Result<&'a str, ModelError> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.bytes(n)?)
            .map_err(|_| ModelError::invalid("a string is not UTF-8"))
    }
    pub fn is_done(&self) -> bool {
        self.at == self.data.len()
    }
}

fn fnv32(b: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &x in b {
        h ^= u32::from(x);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Writes a model file: `kind` ("tagger", "parser"), metadata and payload.
///
/// The metadata is written as given (JSON text), so that reading and writing
/// a model again yields the same bytes.
pub fn write_model(kind: &str, meta: &str, payload: &[u8]) -> Vec<u8> {
    write_model_version(kind, FORMAT_VERSION, meta, payload)
}

/// Like [`write_model`], for a kind whose payload layout has its own
/// version (the parser's is 2 since it carries word clusters).
pub fn write_model_version(kind: &str, version: u32, meta: &str, payload: &[u8]) -> Vec<u8> {
    let mut w = ByteWriter::default();
    w.bytes(MAGIC);
    w.u32(version);
    w.u8(kind.len() as u8);
    w.bytes(kind.as_bytes());
    w.str(meta);
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(payload)
        .expect("writing to memory cannot fail");
    let packed = enc.finish().expect("writing to memory cannot fail");
    w.u32(packed.len() as u32);
    w.bytes(&packed);
    let mut out = w.into_inner();
    let sum = fnv32(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Reads a model file's metadata without decompressing the payload.
pub fn read_meta(bytes: &[u8], kind: &str) -> Result<serde_json::Value, ModelError> {
    let (_, meta, _) = read_parts(bytes, kind, &[])?;
    serde_json::from_str(meta).map_err(|e| ModelError::invalid(format!("bad metadata ({e})")))
}

/// Reads a model file of the given kind: its metadata (JSON text, checked)
/// and payload.
pub fn read_model(bytes: &[u8], kind: &str) -> Result<(String, Vec<u8>), ModelError> {
    let (_, meta, payload) = read_model_versions(bytes, kind, &[FORMAT_VERSION])?;
    Ok((meta, payload))
}

/// Reads a model file whose format version is one of `versions` (the
/// reader's): returns the version found, the metadata and the payload.
pub fn read_model_versions(
    bytes: &[u8],
    kind: &str,
    versions: &[u32],
) -> Result<(u32, String, Vec<u8>), ModelError> {
    let (version, meta, packed) = read_parts(bytes, kind, versions)?;
    let mut payload = Vec::new();
    flate2::read::DeflateDecoder::new(packed)
        .read_to_end(&mut payload)
        .map_err(|e| ModelError::invalid(format!("the payload does not decompress ({e})")))?;
    serde_json::from_str::<serde_json::Value>(meta)
        .map_err(|e| ModelError::invalid(format!("bad metadata ({e})")))?;
    Ok((version, meta.to_string(), payload))
}

/// The parts of a model file; an empty `versions` accepts any version.
fn read_parts<'a>(
    bytes: &'a [u8],
    kind: &str,
    versions: &[u32],
) -> Result<(u32, &'a str, &'a [u8]), ModelError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ModelError::Invalid(format!(
            "not an annalist model file (bad magic); hint: pass a file written by `annalist train {kind}`"
        )));
    }
    if bytes.len() < 16 {
        return Err(ModelError::invalid("the file is truncated"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 4);
    let mut r = ByteReader::new(body);
    r.bytes(MAGIC.len())?;
    let version = r.u32()?;
    if !versions.is_empty() && !versions.contains(&version) {
        let want: Vec<String> = versions.iter().map(u32::to_string).collect();
        return Err(ModelError::Invalid(format!(
            "{kind} model format version {version} is not supported (this build reads version {}); hint: retrain with `annalist train {kind}`",
            want.join(" or ")
        )));
    }
    let n = r.u8()? as usize;
    let got = std::str::from_utf8(r.bytes(n)?).unwrap_or("?");
    if got != kind {
        return Err(ModelError::Invalid(format!(
            "this is a {got} model, not a {kind} model"
        )));
    }
    if u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]) != fnv32(body) {
        return Err(ModelError::invalid(
            "checksum mismatch: the file is truncated or corrupt",
        ));
    }
    let meta = r.str()?;
    let n = r.u32()? as usize;
    let packed = r.bytes(n)?;
    Ok((version, meta, packed))
}

/// A reader that decompresses gzip data (one member or several), for the
/// trainers' unlabelled text; the CLI has no gzip decoder of its own.
pub fn gunzip<R: Read>(r: R) -> impl Read {
    flate2::read::MultiGzDecoder::new(r)
}
