//! Issue 20, "data a researcher can trust", at the ingest layer: size caps,
//! damaged text, honest language labels and derived titles.

use annalist_ingest::{codes, read, read_with, Format, Item, Limits};
use std::io::Write;

fn items(name: &str, bytes: &[u8], format: Option<Format>, limits: Limits) -> Vec<Item> {
    read_with(
        name,
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        format,
        limits,
    )
    .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

const SMALL: Limits = Limits {
    max_input_bytes: 1 << 20,
    max_document_bytes: 1 << 16,
};

#[test]
fn gzip_bomb_stops_at_the_input_cap() {
    let line = "{\"text\": \"The Senate voted on Tuesday.\"}\n";
    let bomb = gzip(line.repeat(100_000).as_bytes());
    let got = items("bomb.jsonl.gz", &bomb, None, SMALL);
    let last = got.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.code, codes::INPUT_TOO_LARGE);
    assert!(last.message.contains("--max-input-mb"), "{}", last.message);
    // The documents before the cap were read, and no more than fit under it.
    let docs = got.iter().filter(|i| i.is_ok()).count();
    assert!(docs > 1000 && docs * line.len() <= 1 << 20, "{docs}");
}

#[test]
fn oversized_text_file_is_one_error_not_a_memory_blowup() {
    let text = "word ".repeat(20_000);
    let got = items("big.txt", text.as_bytes(), None, SMALL);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].as_ref().unwrap_err().code, codes::DOCUMENT_TOO_LARGE);
}

#[test]
fn oversized_jsonl_line_is_skipped_and_the_batch_goes_on() {
    let mut input = format!(
        "{{\"id\": \"big\", \"text\": \"{}\"}}\n",
        "word ".repeat(100_000)
    );
    input.push_str("{\"id\": \"next\", \"text\": \"The Senate voted.\"}\n");
    let got = items("x.jsonl", input.as_bytes(), None, SMALL);
    assert_eq!(got.len(), 2);
    let err = got[0].as_ref().unwrap_err();
    assert_eq!(err.code, codes::DOCUMENT_TOO_LARGE);
    assert!(err.message.starts_with("x.jsonl:1:"), "{}", err.message);
    assert_eq!(got[1].as_ref().unwrap().doc_id.as_deref(), Some("next"));
}

#[test]
fn one_invalid_byte_does_not_turn_utf8_into_mojibake() {
    let mut bytes = "Talks in Zürich and Genève ended \u{2014} “a success”."
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xff Both agreed.");
    let got = read("x.txt", Box::new(std::io::Cursor::new(bytes)), None);
    let doc = got.into_iter().next().unwrap().unwrap();
    assert!(
        doc.text
            .contains("Zürich and Genève ended — “a success”.\u{fffd}"),
        "{}",
        doc.text
    );
    assert!(
        doc.warnings[0].contains("1 undecodable byte sequence replaced"),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn windows_1252_text_is_still_read_as_windows_1252() {
    let bytes = b"Talks in Z\xfcrich and Gen\xe8ve ended \x97 \x93a success\x94.".to_vec();
    let doc = read("x.txt", Box::new(std::io::Cursor::new(bytes)), None)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.text, "Talks in Zürich and Genève ended — “a success”.");
    assert!(doc.warnings[0].contains("windows-1252"));
}

#[test]
fn isolated_control_bytes_become_spaces() {
    let bytes = b"The Senate\0voted\x01on Tuesday.".to_vec();
    let doc = read("x.txt", Box::new(std::io::Cursor::new(bytes)), None)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.text, "The Senate voted on Tuesday.");
    assert!(
        doc.warnings[0].contains("2 control characters"),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn binary_data_is_still_rejected() {
    let mut bytes = b"\0\0\0\x01\x02".repeat(200);
    bytes.extend_from_slice(b"some text");
    let got = read(
        "x.bin",
        Box::new(std::io::Cursor::new(bytes)),
        Some(Format::Text),
    );
    let failure = got.into_iter().next().unwrap().unwrap_err();
    assert_eq!(failure.code, codes::BINARY_INPUT);
}

#[test]
fn non_english_documents_carry_a_language_warning() {
    let line = "{\"text\": \"Министр иностранных дел России заявил в понедельник.\"}\n";
    let doc = items("x.jsonl", line.as_bytes(), None, Limits::default())
        .remove(0)
        .unwrap();
    let w = doc.warnings.join("; ");
    assert!(w.contains("Cyrillic") && w.contains("und-Cyrl"), "{w}");
}

#[test]
fn title_is_derived_from_the_url_and_marked() {
    let line = r#"{"url": "https://example.com/world/2022/un-envoy-meets-rebels.html", "text": "The UN envoy met rebels."}"#;
    let doc = items("x.jsonl", line.as_bytes(), None, Limits::default())
        .remove(0)
        .unwrap();
    assert_eq!(doc.title.as_deref(), Some("Un envoy meets rebels"));
    assert!(doc.warnings.iter().any(|w| w.contains("derived")));
    // A given title is kept as it is, with no warning.
    let line =
        r#"{"title": "Envoy meets rebels", "url": "https://example.com/a-b-c", "text": "x y"}"#;
    let doc = items("x.jsonl", line.as_bytes(), None, Limits::default())
        .remove(0)
        .unwrap();
    assert_eq!(doc.title.as_deref(), Some("Envoy meets rebels"));
    assert!(doc.warnings.is_empty());
}
