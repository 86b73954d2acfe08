//! The container format of the compiled knowledge files, and a writer/reader pair.
//!
//! A file is an uncompressed header followed by a zlib-compressed body:
//!
//! ```text
//! magic "ANNALKB\0" | format version u32 | kind (string) | source count u32
//! | per source: name (string), FNV-1a 64 hash u64, length u64
//! | segment count u32 | per segment: raw length u64, compressed length u64
//! | zlib(segment 1) | zlib(segment 2) ...
//! ```
//!
//! A body is split into segments (for the gazetteer: places, then names) so that they
//! can be inflated and parsed on separate threads.
//!
//! Integers are little-endian; strings are a u32 byte length and UTF-8 bytes. The header
//! stays uncompressed so that `annalist kb info` can say where a file came from without
//! inflating it. Compression uses a fixed level and no timestamps, so the same input
//! always gives the same bytes.

use crate::KbError;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::io::{Read, Write};

/// The magic bytes every compiled knowledge file starts with.
pub const MAGIC: &[u8; 8] = b"ANNALKB\0";
/// The version of the container and body layouts; bump it whenever either changes.
pub const FORMAT_VERSION: u32 = 1;

/// Where a compiled file came from: one entry per third-party source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceHash {
    /// The source file's name relative to the data folder.
    pub name: String,
    /// FNV-1a 64 of its bytes.
    pub fnv64: u64,
    /// Its length in bytes.
    pub len: u64,
}

/// The header of a compiled knowledge file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// What the file holds: "countries", "gazetteer" or "people".
    pub kind: String,
    /// The format version it was written with.
    pub version: u32,
    /// The sources it was compiled from.
    pub sources: Vec<SourceHash>,
    /// The raw and compressed length of each segment.
    pub segments: Vec<(u64, u64)>,
}

/// Appends little-endian values to a byte buffer.
#[derive(Default)]
pub struct Writer {
    /// The bytes written so far.
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    pub fn strs(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
}

/// Reads little-endian values from a byte slice, failing (never panicking) at its end.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Reader { buf, pos: 0, what }
    }

    fn corrupt(&self, msg: &str) -> KbError {
        KbError::Corrupt {
            what: self.what,
            msg: format!("{msg} at byte {}", self.pos),
        }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], KbError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| self.corrupt("unexpected end of data"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, KbError> {
        Ok(self.bytes(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, KbError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, KbError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn u64(&mut self) -> Result<u64, KbError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    pub fn f32(&mut self) -> Result<f32, KbError> {
        Ok(f32::from_bits(self.u32()?))
    }
    pub fn str(&mut self) -> Result<&'a str, KbError> {
        let n = self.u32()? as usize;
        let b = self.bytes(n)?;
        std::str::from_utf8(b).map_err(|_| self.corrupt("invalid UTF-8 in a string"))
    }
    pub fn string(&mut self) -> Result<String, KbError> {
        self.str().map(str::to_string)
    }
    pub fn opt_string(&mut self) -> Result<Option<String>, KbError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(self.corrupt("bad option tag")),
        }
    }
    pub fn strings(&mut self) -> Result<Vec<String>, KbError> {
        let n = self.len(4)?;
        (0..n).map(|_| self.string()).collect()
    }
    /// Reads a count and checks it against the bytes left, each item taking at least
    /// `min_item` bytes, so that a corrupt count cannot make us allocate gigabytes.
    pub fn len(&mut self, min_item: usize) -> Result<usize, KbError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item.max(1)) > self.buf.len() - self.pos {
            return Err(self.corrupt("count larger than the data"));
        }
        Ok(n)
    }
    /// Whether everything has been read.
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
    /// Fails unless everything has been read.
    pub fn finish(&self) -> Result<(), KbError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.corrupt("trailing bytes"))
        }
    }
}

/// Wraps body segments in the container: header, then each segment zlib-compressed.
pub fn seal(kind: &str, sources: &[SourceHash], segments: &[&[u8]]) -> Vec<u8> {
    let packed: Vec<Vec<u8>> = segments
        .iter()
        .map(|seg| {
            let mut enc = ZlibEncoder::new(Vec::new(), Compression::new(9));
            // Writing into a Vec cannot fail.
            let _ = enc.write_all(seg);
            enc.finish().unwrap_or_default()
        })
        .collect();
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(FORMAT_VERSION);
    w.str(kind);
    w.u32(sources.len() as u32);
    for s in sources {
        w.str(&s.name);
        w.u64(s.fnv64);
        w.u64(s.len);
    }
    w.u32(segments.len() as u32);
    for (raw, z) in segments.iter().zip(&packed) {
        w.u64(raw.len() as u64);
        w.u64(z.len() as u64);
    }
    for z in &packed {
        w.buf.extend_from_slice(z);
    }
    w.buf
}

/// Reads the header of a compiled file, checking magic and version; returns it with the
/// compressed segments.
pub fn read_header<'a>(
    bytes: &'a [u8],
    what: &'static str,
) -> Result<(Header, Vec<&'a [u8]>), KbError> {
    let mut r = Reader::new(bytes, what);
    let magic = r.bytes(8).map_err(|_| KbError::NotKb { what })?;
    if magic != MAGIC {
        return Err(KbError::NotKb { what });
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(KbError::Version {
            what,
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let kind = r.string()?;
    let n = r.len(20)?;
    let mut sources = Vec::with_capacity(n);
    for _ in 0..n {
        sources.push(SourceHash {
            name: r.string()?,
            fnv64: r.u64()?,
            len: r.u64()?,
        });
    }
    let n = r.len(16)?;
    let mut segments = Vec::with_capacity(n);
    for _ in 0..n {
        segments.push((r.u64()?, r.u64()?));
    }
    let mut packed = Vec::with_capacity(n);
    for &(_, z) in &segments {
        let z = usize::try_from(z).map_err(|_| r.corrupt("segment length out of range"))?;
        packed.push(r.bytes(z)?);
    }
    r.finish()?;
    Ok((
        Header {
            kind,
            version,
            sources,
            segments,
        },
        packed,
    ))
}

fn inflate(z: &[u8], raw_len: u64, what: &'static str) -> Result<Vec<u8>, KbError> {
    // A segment over 1 GiB is not one we wrote; refuse it rather than allocate it.
    if raw_len > 1 << 30 {
        return Err(KbError::Corrupt {
            what,
            msg: "segment length out of range".into(),
        });
    }
    let mut body = Vec::with_capacity(raw_len as usize);
    ZlibDecoder::new(z)
        .take(raw_len + 1)
        .read_to_end(&mut body)
        .map_err(|e| KbError::Corrupt {
            what,
            msg: format!("cannot inflate a segment: {e}"),
        })?;
    if body.len() as u64 != raw_len {
        return Err(KbError::Corrupt {
            what,
            msg: format!("segment is {} bytes, header says {raw_len}", body.len()),
        });
    }
    Ok(body)
}

/// Opens a compiled file of the given kind: checks its header and inflates its segments,
/// each on its own thread.
pub fn open(
    bytes: &[u8],
    kind: &str,
    what: &'static str,
) -> Result<(Header, Vec<Vec<u8>>), KbError> {
    let (header, packed) = read_header(bytes, what)?;
    if header.kind != kind {
        return Err(KbError::Corrupt {
            what,
            msg: format!("holds {:?}, expected {kind:?}", header.kind),
        });
    }
    let bodies: Vec<Result<Vec<u8>, KbError>> = std::thread::scope(|s| {
        let handles: Vec<_> = packed
            .iter()
            .zip(&header.segments)
            .map(|(z, &(raw, _))| s.spawn(move || inflate(z, raw, what)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(KbError::Corrupt {
                        what,
                        msg: "inflating failed".into(),
                    })
                })
            })
            .collect()
    });
    let bodies = bodies.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((header, bodies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_round_trip() {
        let mut w = Writer::default();
        w.str("Dushanbe");
        w.f32(38.5);
        w.opt_str(None);
        let src = vec![SourceHash {
            name: "a.tsv".into(),
            fnv64: 7,
            len: 3,
        }];
        let sealed = seal("test", &src, &[&w.buf, b"second"]);
        assert_eq!(sealed, seal("test", &src, &[&w.buf, b"second"]));
        let (h, bodies) = open(&sealed, "test", "test file").unwrap();
        assert_eq!(h.sources, src);
        assert_eq!(bodies[1], b"second");
        let mut r = Reader::new(&bodies[0], "test file");
        assert_eq!(r.str().unwrap(), "Dushanbe");
        assert_eq!(r.f32().unwrap(), 38.5);
        assert_eq!(r.opt_string().unwrap(), None);
        r.finish().unwrap();
        assert!(open(&sealed, "other", "test file").is_err());
        for cut in 0..sealed.len() {
            assert!(open(&sealed[..cut], "test", "test file").is_err());
        }
    }
}
