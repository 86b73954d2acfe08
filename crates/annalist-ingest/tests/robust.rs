//! Invariants: `read` never panics and always ends, whatever the bytes, and
//! large inputs read in linear time.

use annalist_ingest::{read, read_with, Format, Item, Limits};
use proptest::prelude::*;
use std::io::Write;
use std::time::{Duration, Instant};

fn read_all(name: &str, bytes: Vec<u8>, format: Option<Format>) -> Vec<Item> {
    read(name, Box::new(std::io::Cursor::new(bytes)), format)
        .take(100_000)
        .collect()
}

/// Reads with no size caps: the timing tests measure the readers on inputs
/// larger than the default document cap.
fn read_uncapped(name: &str, bytes: Vec<u8>) -> Vec<Item> {
    let limits = Limits {
        max_input_bytes: 0,
        max_document_bytes: 0,
    };
    read_with(name, Box::new(std::io::Cursor::new(bytes)), None, limits)
        .take(100_000)
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// Beginnings that lead each reader deep into its parsing before the random
/// bytes start.
const PREFIXES: &[&[u8]] = &[
    b"",
    b"{\"doc_id\": 1, \"text\": \"",
    b"<html><head><meta charset=\"",
    b"<html><body><article><p>",
    b"<?xml version=\"1.0\"?><rss><channel><title>x</title><item><description><![CDATA[",
    b"<feed><entry><content type=\"xhtml\"><div>",
    b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
];

fn any_format() -> impl Strategy<Value = Option<Format>> {
    prop_oneof![
        Just(None),
        Just(Some(Format::Text)),
        Just(Some(Format::Jsonl)),
        Just(Some(Format::Html)),
        Just(Some(Format::Rss)),
        Just(Some(Format::Warc)),
    ]
}

/// Bytes rich in the characters the parsers care about.
fn markup_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(b"<>/=\"' &#;!-[]{}:,\r\n\tpaxWARC0123456789".to_vec()),
            any::<u8>(),
        ],
        0..600,
    )
}

proptest! {
    // 256 cases by default; PROPTEST_CASES raises it for a longer search.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn never_panics_on_arbitrary_bytes(
        prefix in prop::sample::select(PREFIXES),
        tail in markup_bytes(),
        format in any_format(),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(tail);
        for item in read_all("fuzz", bytes, format) {
            if let Err(f) = item {
                prop_assert!(!f.message.is_empty());
                prop_assert!(!f.code.is_empty());
            }
        }
    }

    #[test]
    fn never_panics_on_cut_gzip(
        prefix in prop::sample::select(PREFIXES),
        tail in markup_bytes(),
        cut in 0.0f64..1.0,
        format in any_format(),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(tail);
        let gz = gzip(&bytes);
        let keep = ((gz.len() as f64) * cut) as usize;
        let _ = read_all("fuzz.gz", gz[..keep].to_vec(), format);
    }

    #[test]
    fn every_format_on_raw_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for format in Format::ALL {
            let _ = read_all("raw", bytes.clone(), Some(format));
        }
        let _ = read_all("raw", bytes, None);
    }
}

/// Runs `run` on an input of ten units and bounds its time. Quadratic work
/// on inputs of many megabytes would take hours, so a bound of seconds proves
/// the work linear. (Comparing the times of one and ten units does not work
/// here: on a shared machine, the page faults of ten times the memory alone
/// cost far more than ten times the time, for a plain `read_to_end` too.)
fn assert_linear(
    label: &str,
    make: impl Fn(usize) -> Vec<u8>,
    run: impl Fn(Vec<u8>),
    limit: Duration,
) {
    let input = make(10);
    let start = Instant::now();
    run(input);
    let took = start.elapsed();
    assert!(took < limit, "{label}: took {took:?}, more than {limit:?}");
}

fn news_text(megabytes: usize) -> Vec<u8> {
    let sentence = "Officials in the capital said on Monday that talks would resume next week.\r\n";
    let mut s = String::with_capacity(megabytes << 20);
    while s.len() < megabytes << 20 {
        s.push_str(sentence);
    }
    s.into_bytes()
}

#[test]
fn large_text_reads_in_linear_time() {
    assert_linear(
        "text",
        |units| news_text(2 * units), // 20 MB
        |bytes| {
            let items = read_uncapped("big.txt", bytes);
            assert_eq!(items.len(), 1);
            assert!(items[0].as_ref().unwrap().text.len() > 1 << 20);
        },
        Duration::from_secs(10),
    );
}

#[test]
fn large_html_reads_in_linear_time() {
    assert_linear(
        "html",
        |units| {
            let mut s = String::from("<html><body><div class=\"story\">");
            while s.len() < units << 20 {
                s.push_str(
                    "<p>Rescue teams <b>reached</b> the village &amp; began clearing roads.</p>\n",
                );
                s.push_str("<div class=\"ad\"><span>advert</span></div></span></i>\n");
            }
            s.into_bytes()
        },
        |bytes| {
            let items = read_all("big.html", bytes, None);
            let n = items[0].as_ref().unwrap().text.len();
            assert!(n > 1 << 18, "{n}");
        },
        Duration::from_secs(20),
    );
}

#[test]
fn hostile_html_reads_in_linear_time() {
    assert_linear(
        "hostile html",
        |units| {
            let mut s = String::new();
            while s.len() < units << 19 {
                s.push_str("<div><p><li><td><a>x</b></q><!x <?y ");
            }
            s.into_bytes()
        },
        |bytes| {
            let _ = read_all("hostile.html", bytes, Some(Format::Html));
        },
        Duration::from_secs(20),
    );
}

#[test]
fn long_jsonl_line_reads_in_linear_time() {
    assert_linear(
        "jsonl",
        |units| {
            let text = String::from_utf8(news_text(units)).unwrap();
            let line = serde_json::json!({"doc_id": "big", "text": text}).to_string();
            format!("{line}\n{line}\n").into_bytes()
        },
        |bytes| {
            let items = read_all("big.jsonl", bytes, None);
            assert_eq!(items.len(), 2);
        },
        Duration::from_secs(10),
    );
}

#[test]
fn many_feed_items_stream() {
    let mut feed = String::from("<rss><channel><title>Wire</title>");
    for i in 0..20_000 {
        feed.push_str(&format!(
            "<item><guid>g{i}</guid><title>Report {i}</title><description>&lt;p&gt;Troops moved at dawn.&lt;/p&gt;</description></item>"
        ));
    }
    feed.push_str("</channel></rss>");
    let items = read_all("big.rss", feed.into_bytes(), None);
    assert_eq!(items.len(), 20_000);
    assert!(items.iter().all(Result::is_ok));
}
