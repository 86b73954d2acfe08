//! Snapshot tests: every format and every kind of bad input, read from small
//! fixtures written for these tests.

use annalist_ingest::{read, Format, Item};
use std::io::Write;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn read_bytes(name: &str, bytes: Vec<u8>, format: Option<Format>) -> Vec<Item> {
    read(name, Box::new(std::io::Cursor::new(bytes)), format).collect()
}

fn read_fixture(name: &str) -> Vec<Item> {
    read_bytes(name, fixture(name), None)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn text_file() {
    insta::assert_json_snapshot!(read_fixture("article.txt"));
}

#[test]
fn jsonl_file() {
    insta::assert_json_snapshot!(read_fixture("articles.jsonl"));
}

#[test]
fn html_page_with_article() {
    insta::assert_json_snapshot!(read_fixture("page.html"));
}

#[test]
fn html_page_without_article_element() {
    insta::assert_json_snapshot!(read_fixture("page_blocks.html"));
}

#[test]
fn rss_feed() {
    insta::assert_json_snapshot!(read_fixture("feed.rss"));
}

#[test]
fn atom_feed() {
    insta::assert_json_snapshot!(read_fixture("feed.atom"));
}

#[test]
fn warc_file() {
    insta::assert_json_snapshot!(read_fixture("crawl.warc"));
}

/// A `.warc.gz` as Common Crawl writes it: one gzip member per record.
#[test]
fn warc_gz_multi_member() {
    let warc = fixture("crawl.warc");
    let starts: Vec<usize> = (1..warc.len())
        .filter(|&i| warc[i..].starts_with(b"WARC/1.1\r\n"))
        .chain([warc.len()])
        .collect();
    let mut gz = Vec::new();
    let mut from = 0;
    for to in starts {
        gz.extend(gzip(&warc[from..to]));
        from = to;
    }
    let items = read_bytes("crawl.warc.gz", gz, None);
    assert_eq!(items, read_bytes("crawl.warc.gz", warc, None));
    assert_eq!(items.len(), 3);
}

#[test]
fn gzip_is_transparent_and_sniffed_by_content() {
    let jsonl = fixture("articles.jsonl");
    let items = read_bytes("-", gzip(&jsonl), None);
    assert_eq!(items, read_bytes("-", jsonl, None));
    assert_eq!(items.len(), 8);
}

#[test]
fn bad_windows_1252() {
    insta::assert_json_snapshot!(read_fixture("cp1252.txt"));
}

#[test]
fn bad_utf8_bom() {
    insta::assert_json_snapshot!(read_fixture("bom.txt"));
}

#[test]
fn bad_utf16le_bom() {
    insta::assert_json_snapshot!(read_fixture("utf16le.txt"));
}

#[test]
fn bad_utf16be_jsonl() {
    insta::assert_json_snapshot!(read_fixture("utf16be.jsonl"));
}

#[test]
fn bad_empty() {
    insta::assert_json_snapshot!(read_fixture("empty.txt"));
}

#[test]
fn bad_whitespace_only() {
    insta::assert_json_snapshot!(read_fixture("whitespace.txt"));
}

#[test]
fn bad_binary() {
    insta::assert_json_snapshot!(read_fixture("binary.bin"));
}

/// Binary data of no known format: control characters and NUL bytes.
#[test]
fn bad_binary_generic() {
    let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
    insta::assert_json_snapshot!(read_bytes("data.dat", bytes, None));
}

#[test]
fn bad_truncated_gzip() {
    let gz = gzip(&fixture("articles.jsonl"));
    let cut = gz[..gz.len() * 2 / 3].to_vec();
    insta::assert_json_snapshot!(read_bytes("articles.jsonl.gz", cut, None));
}

#[test]
fn bad_truncated_gzip_text() {
    let gz = gzip(&fixture("article.txt"));
    let cut = gz[..gz.len() - 12].to_vec();
    insta::assert_json_snapshot!(read_bytes("article.txt.gz", cut, None));
}

#[test]
fn bad_truncated_warc() {
    insta::assert_json_snapshot!(read_fixture("truncated.warc"));
}

#[test]
fn bad_truncated_warc_gz() {
    let gz = gzip(&fixture("crawl.warc"));
    let cut = gz[..gz.len() - 40].to_vec();
    let items = read_bytes("crawl.warc.gz", cut, None);
    let (last, before) = items.split_last().unwrap();
    assert_eq!(before.len(), 2, "{items:#?}");
    assert!(before.iter().all(Result::is_ok));
    assert_eq!(last.as_ref().unwrap_err().code, "truncated_input");
}

#[test]
fn bad_malformed_html() {
    insta::assert_json_snapshot!(read_fixture("malformed.html"));
}

#[test]
fn bad_malformed_xml() {
    insta::assert_json_snapshot!(read_fixture("malformed.rss"));
}

#[test]
fn bad_truncated_xml() {
    insta::assert_json_snapshot!(read_fixture("truncated.rss"));
}

#[test]
fn format_override_beats_sniffing() {
    let items = read_bytes("page.html", fixture("page.html"), Some(Format::Text));
    let doc = items[0].as_ref().unwrap();
    assert!(doc.text.starts_with("<!DOCTYPE html>"));
}

#[test]
fn json_array_file() {
    insta::assert_json_snapshot!(read_fixture("array.json"));
}

#[test]
fn json_single_object_file() {
    insta::assert_json_snapshot!(read_fixture("single.json"));
}

/// A JSON Lines file whose first line is cut short is still read line by
/// line, not mistaken for one multi-line value.
#[test]
fn jsonl_first_line_cut() {
    insta::assert_json_snapshot!(read_fixture("cut_first.jsonl"));
}

/// An old table layout: paragraphs separated by `<br>`, no `p` elements.
#[test]
fn html_page_with_br_paragraphs() {
    insta::assert_json_snapshot!(read_fixture("page_br.html"));
}

/// A blog-engine layout: boilerplate marked by classes at every level.
#[test]
fn html_page_blog_layout() {
    insta::assert_json_snapshot!(read_fixture("page_wordpress.html"));
}
