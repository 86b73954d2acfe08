//! Bytes to text: gzip, byte-order marks, UTF-16, the Windows-1252 fallback,
//! binary and empty input, line endings.

use crate::limits::{Capped, TooLarge};
use crate::{codes, Ctx, Failure, Limits, Origin};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Cursor, Read};

/// How many decompressed bytes are looked at to sniff the format and to tell
/// text from binary data.
pub const HEAD_LEN: usize = 8192;

/// The buffer size of the streams handed to the format readers.
const BUF_LEN: usize = 1 << 16;

/// An input after the byte-level layers: decompressed, transcoded to UTF-8
/// where a UTF-16 byte-order mark said so, a UTF-8 byte-order mark dropped.
pub struct Prepared {
    /// The first bytes of `stream` (at most [`HEAD_LEN`]), for sniffing.
    pub head: Vec<u8>,
    /// The whole input, `head` included.
    pub stream: Box<dyn BufRead + Send>,
    /// A byte-order mark fixed the encoding to Unicode.
    pub utf8_fixed: bool,
}

/// Marks errors raised while decompressing, so that they are reported as a
/// damaged file rather than as a failing disk.
#[derive(Debug)]
struct GzipError {
    truncated: bool,
    message: String,
}

impl std::fmt::Display for GzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GzipError {}

/// Wraps a gzip decoder so that its errors carry a [`GzipError`].
struct GzipErrors<R>(R);

impl<R: Read> Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                return e;
            }
            // A deflate stream that stops early surfaces either as an
            // unexpected end of file or as a corrupt stream at the very end;
            // both mean the download was cut short far more often than that
            // the file was damaged in the middle.
            let truncated = matches!(
                e.kind(),
                io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput
            );
            let message = e.to_string().to_lowercase();
            io::Error::new(e.kind(), GzipError { truncated, message })
        })
    }
}

/// A reader that returns an error once its inner reader is exhausted: used to
/// replay an error met while reading the head after the head's bytes.
struct ErrorAfter {
    error: Option<io::Error>,
}

impl Read for ErrorAfter {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Streams UTF-16 (either byte order) as UTF-8.
struct Utf16Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Self {
        Utf16Reader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; BUF_LEN],
            output: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.output.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            self.eof = n == 0;
            let src = &self.input[..n];
            let cap = self
                .decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16);
            self.output.clear();
            self.output.resize(cap, 0);
            let (_, _, written, _) = self.decoder.decode_to_utf8(src, &mut self.output, self.eof);
            self.output.truncate(written);
            self.pos = 0;
        }
        let n = buf.len().min(self.output.len() - self.pos);
        buf[..n].copy_from_slice(&self.output[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Reads up to `len` bytes, stopping early only at the end of the input or on
/// an error, which is returned with the bytes read before it.
fn read_head(reader: &mut dyn Read, len: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = vec![0; len];
    let mut filled = 0;
    while filled < len {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                head.truncate(filled);
                return (head, Some(e));
            }
        }
    }
    head.truncate(filled);
    (head, None)
}

/// Puts bytes already read back in front of the rest of a stream, followed by
/// the error that stopped reading them, if any.
fn rejoin(
    head: Vec<u8>,
    error: Option<io::Error>,
    rest: Box<dyn Read + Send>,
) -> Box<dyn Read + Send> {
    match error {
        Some(e) => Box::new(Cursor::new(head).chain(ErrorAfter { error: Some(e) })),
        None => Box::new(Cursor::new(head).chain(rest)),
    }
}

/// Applies the byte-level layers to one input.
pub fn prepare(
    name: &str,
    mut raw: Box<dyn Read + Send>,
    limits: &Limits,
) -> Result<Prepared, Box<Failure>> {
    let (magic, error) = read_head(&mut raw, 2);
    let gzip = magic == [0x1f, 0x8b];
    let mut stream = rejoin(magic, error, raw);
    if gzip {
        stream = Box::new(GzipErrors(flate2::bufread::MultiGzDecoder::new(
            BufReader::with_capacity(BUF_LEN, stream),
        )));
        // Only what a compressed input expands to is capped: a plain file is
        // as large as it looks, and its documents are capped one by one.
        if limits.max_input_bytes > 0 {
            stream = Box::new(Capped::new(stream, limits.max_input_bytes));
        }
    }

    let (mut head, mut error) = read_head(&mut stream, HEAD_LEN);
    let mut utf8_fixed = false;
    let utf16 = if head.starts_with(&[0xff, 0xfe]) {
        Some(UTF_16LE)
    } else if head.starts_with(&[0xfe, 0xff]) {
        Some(UTF_16BE)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        utf8_fixed = true;
        let joined = rejoin(head, error, stream);
        stream = Box::new(Utf16Reader::new(joined, encoding));
        (head, error) = read_head(&mut stream, HEAD_LEN);
    } else if head.starts_with(b"\xef\xbb\xbf") {
        utf8_fixed = true;
        head.drain(..3);
    }

    let ended = error.is_none() && head.len() < HEAD_LEN;
    if ended && head.iter().all(|b| b.is_ascii_whitespace()) {
        let origin = Origin {
            source: name.to_string(),
            line: None,
            index: 0,
        };
        return Err(Box::new(Failure {
            origin,
            doc_id: None,
            code: codes::EMPTY_INPUT,
            message: format!("{name} is empty or only whitespace; nothing to code"),
        }));
    }
    let stream = rejoin(head.clone(), error, stream);
    Ok(Prepared {
        head,
        stream: Box::new(BufReader::with_capacity(BUF_LEN, stream)),
        utf8_fixed,
    })
}

/// Known binary formats users may pass by mistake, with what to do instead.
const MAGIC: &[(&[u8], &str)] = &[
    (
        b"%PDF-",
        "a pdf document; extract its text first (e.g. with pdftotext)",
    ),
    (
        b"PK\x03\x04",
        "a zip archive (or an office document); unpack it or save it as text first",
    ),
    (
        b"BZh91AY&SY",
        "bzip2-compressed; decompress it first (only gzip is read directly)",
    ),
    (
        b"\xfd7zXZ\x00",
        "xz-compressed; decompress it first (only gzip is read directly)",
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "zstd-compressed; decompress it first (only gzip is read directly)",
    ),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive; unpack it first"),
    (b"\x89PNG", "a png image, not text"),
    (b"\xff\xd8\xff", "a jpeg image, not text"),
    (b"GIF8", "a gif image, not text"),
];

/// Rejects input whose first bytes look like binary data: a known binary
/// format, or more than one control character in ten. A few NUL bytes in
/// text are noise (they become spaces later), not a sign of binary data.
pub fn check_binary(name: &str, head: &[u8]) -> Option<Failure> {
    let failure = |what: &str| Failure {
        origin: Origin {
            source: name.to_string(),
            line: None,
            index: 0,
        },
        doc_id: None,
        code: codes::BINARY_INPUT,
        message: format!("{name} looks like {what}"),
    };
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(failure(what));
    }
    let sample = &head[..head.len().min(4096)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if control * 10 > sample.len() {
        return Some(failure(
            "binary data, not text; give a text, json lines, html, rss or warc file",
        ));
    }
    None
}

/// The failure for an error met while reading `ctx`'s input.
pub fn io_failure(ctx: &Ctx, origin: Origin, error: &io::Error) -> Failure {
    let name = &ctx.name;
    if let Some(too_large) = error.get_ref().and_then(|e| e.downcast_ref::<TooLarge>()) {
        return ctx.failure(
            origin,
            None,
            codes::INPUT_TOO_LARGE,
            format!(
                "{name}: {too_large}; the documents before the cap were read; split the input, \
                 or raise the cap (--max-input-mb, 0 for none)"
            ),
        );
    }
    let gzip = error.get_ref().and_then(|e| e.downcast_ref::<GzipError>());
    let (code, message) = match gzip {
        Some(g) if g.truncated => (
            codes::TRUNCATED_INPUT,
            format!(
                "{name}: the compressed data ends early ({}); the file may be incomplete; re-download it",
                g.message
            ),
        ),
        Some(g) => (
            codes::INVALID_GZIP,
            format!(
                "{name}: corrupt gzip data ({}); the file may be damaged; re-download it",
                g.message
            ),
        ),
        None if error.kind() == io::ErrorKind::UnexpectedEof => (
            codes::TRUNCATED_INPUT,
            format!("{name}: the input ends early; the file may be incomplete; re-download it"),
        ),
        None => (
            codes::IO_ERROR,
            format!("{name}: {}", error.to_string().to_lowercase()),
        ),
    };
    ctx.failure(origin, None, code, message)
}

/// How bytes that should be UTF-8 were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    /// Valid UTF-8.
    Utf8,
    /// Mostly valid UTF-8: this many invalid sequences were replaced by U+FFFD.
    Replaced(usize),
    /// Not UTF-8: decoded as Windows-1252.
    Windows1252,
}

impl Decoded {
    /// The warning to record for `what`, if any.
    pub fn warning(self, what: &str) -> Option<String> {
        match self {
            Decoded::Utf8 => None,
            Decoded::Replaced(n) => Some(format!(
                "invalid utf-8 in {what}, {n} undecodable byte sequence{} replaced",
                if n == 1 { "" } else { "s" }
            )),
            Decoded::Windows1252 => {
                Some(format!("invalid utf-8 in {what}, decoded as windows-1252"))
            }
        }
    }
}

/// Decodes bytes that should be UTF-8. Text with more valid multi-byte
/// characters than invalid sequences is UTF-8 with a few damaged bytes: they
/// are replaced, since reading the whole text as Windows-1252 would turn
/// every accented letter into mojibake. Otherwise the text is decoded as
/// Windows-1252, the usual culprit.
pub fn decode_utf8_or_1252(bytes: Vec<u8>) -> (String, Decoded) {
    let bytes = match String::from_utf8(bytes) {
        Ok(s) => return (s, Decoded::Utf8),
        Err(e) => e.into_bytes(),
    };
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    if valid_multibyte > invalid {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return (text, Decoded::Replaced(invalid));
    }
    let (s, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
    (s.into_owned(), Decoded::Windows1252)
}

/// Decodes bytes in a declared encoding. UTF-8 that is not valid falls back on
/// Windows-1252; the second value is a warning to record, if any.
pub fn decode_declared(
    bytes: Vec<u8>,
    encoding: &'static Encoding,
    name: &str,
) -> (String, Option<String>) {
    if encoding == UTF_8 {
        let (s, decoded) = decode_utf8_or_1252(bytes);
        return (s, decoded.warning(name));
    }
    let (s, had_errors) = encoding.decode_without_bom_handling(&bytes);
    let warning = had_errors.then(|| {
        format!(
            "invalid {} in {name}, undecodable bytes replaced",
            encoding.name().to_lowercase()
        )
    });
    (s.into_owned(), warning)
}

/// The encoding for a charset label as found in a document. UTF-16 labels map
/// to UTF-8: a document that really is UTF-16 starts with a byte-order mark,
/// which is honoured before any label is read.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())?;
    if encoding == UTF_16LE || encoding == UTF_16BE {
        return Some(UTF_8);
    }
    Some(encoding)
}

/// Turns `\r\n` and lone `\r` into `\n`, without copying text that has none.
pub fn normalize_newlines(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Trims a metadata value; empty values are no value.
pub fn clean_meta(value: &str) -> Option<String> {
    let collapsed = collapse_whitespace(value);
    (!collapsed.is_empty()).then(|| collapsed.into_owned())
}

/// Collapses every run of whitespace into one space and trims both ends.
pub fn collapse_whitespace(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim();
    let mut clean = true;
    let mut prev_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if c != ' ' || prev_space {
                clean = false;
                break;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    if clean {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_binary_formats_are_named() {
        let f = check_binary("report.pdf", b"%PDF-1.7\n%text-like header\n").unwrap();
        assert_eq!(f.code, codes::BINARY_INPUT);
        assert!(f.message.contains("pdftotext"), "{}", f.message);
        assert!(check_binary("a.txt", "plain words\n".as_bytes()).is_none());
    }

    #[test]
    fn newlines_are_normalized() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n".into()), "a\nb\nc\n");
        assert_eq!(normalize_newlines("plain".into()), "plain");
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(collapse_whitespace("  a \n b\u{a0}c  "), "a b c");
        assert_eq!(collapse_whitespace("a b"), "a b");
        assert_eq!(collapse_whitespace("a\tb"), "a b");
    }
}
