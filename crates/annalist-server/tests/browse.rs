//! Issue 19: the endpoints behind the web UI's views: downloads equal to
//! `annalist query`'s output, sorting, sentences, the timeline, the
//! country and type lists, and document titles and snippets.

mod common;
use annalist_server::{App, Config};
use annalist_store::format::{write_rows, Format};
use annalist_store::{Filter, Store};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::send;
use serde_json::{json, Value};
use std::sync::Arc;

const TOKEN: &str = "test-token-0123456789";

/// Two short reports in our own words.
const DOCS: [(&str, &str); 2] = [
    (
        "b1",
        "NAIROBI – Kenyan Foreign Minister Daniel Otieno met Ethiopian Prime Minister Abiy Ahmed \
         in Addis Ababa on Monday to discuss border security. Otieno said Kenya would support \
         Ethiopia in talks with Somalia.",
    ),
    (
        "b2",
        "MOGADISHU – Somali troops attacked a militant camp near Kismayo on Friday, killing \
         twelve fighters, the army said. Kenya condemned the militants.",
    ),
];

struct Fixture {
    app: Arc<App>,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("events.db");
    Store::open(&db).expect("store");
    let app = App::new(Config {
        db: Some(db.clone()),
        write_token: Some(TOKEN.into()),
        rate_limit: 0,
        code_workers: 2,
        ..Config::default()
    });
    for (id, text) in DOCS {
        let body = json!({"text": text, "doc_id": id}).to_string();
        let req = Request::post("/api/documents")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body))
            .unwrap();
        let (status, _, _) = send(&app, req).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    Fixture { app, db, _dir: dir }
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, serde_json::from_slice(&body).expect("json body"))
}

async fn get_text(app: &Arc<App>, uri: &str) -> (StatusCode, Vec<(String, String)>, String) {
    let (status, headers, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, headers, String::from_utf8(body).expect("utf-8"))
}

#[tokio::test]
async fn issue19_downloads_equal_the_command_lines_output() {
    let f = fixture().await;
    let store = Store::open_read_only(&f.db).unwrap();
    for (query, filter) in [
        ("", Filter::default()),
        (
            "actor_country=Kenya&either_order=true",
            Filter {
                actor_country: Some("KEN".into()),
                either_order: true,
                ..Filter::default()
            },
        ),
    ] {
        for (format, fmt, ct) in [
            ("csv", Format::Csv, "text/csv"),
            ("jsonl", Format::Jsonl, "application/x-ndjson"),
        ] {
            let (status, headers, body) =
                get_text(&f.app, &format!("/api/events?{query}&format={format}")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert!(headers
                .iter()
                .any(|(k, v)| k == "content-type" && v.starts_with(ct)));
            assert!(headers
                .iter()
                .any(|(k, v)| k == "content-disposition" && v.contains("attachment")));
            let mut want = Vec::new();
            write_rows(&mut want, fmt, &store.stories(&filter, None).unwrap()).unwrap();
            assert_eq!(body, String::from_utf8(want).unwrap(), "{query} {format}");
        }
    }
    let (status, v) = get(&f.app, "/api/events?format=xml").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (status, v) = get(&f.app, "/api/events?format=csv&sort=date").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn issue19_country_names_and_demonyms_filter_like_codes() {
    let f = fixture().await;
    let (_, by_code) = get(&f.app, "/api/events?actor_country=KEN&either_order=true").await;
    assert!(by_code["total"].as_u64().unwrap() > 0, "{by_code}");
    for name in ["Kenya", "kenya", "Kenyan", "ken"] {
        let (status, v) = get(
            &f.app,
            &format!("/api/events?actor_country={name}&either_order=true"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["total"], by_code["total"], "{name}");
    }
    let (status, v) = get(&f.app, "/api/places?place_country=Wakanda").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "bad_query");
    assert!(v["error"]["message"].as_str().unwrap().contains("hint"));
    let (_, c) = get(&f.app, "/api/countries").await;
    let iran = c["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "IRN")
        .expect("Iran listed");
    assert_eq!(iran["name"], "Iran");
    assert!(iran["also"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Iranian"));
}

#[tokio::test]
async fn issue19_event_rows_carry_details_and_their_sentence() {
    let f = fixture().await;
    let (status, v) = get(&f.app, "/api/events?sort=confidence&dir=desc").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let rows = v["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let conf: Vec<f64> = rows
        .iter()
        .map(|r| r["confidence"].as_f64().unwrap())
        .collect();
    assert!(conf.windows(2).all(|w| w[0] >= w[1]), "{conf:?}");
    for r in rows {
        let s = &r["snippet"];
        let text: Vec<char> = s["text"].as_str().unwrap().chars().collect();
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        let trigger: String = text[a..b].iter().collect();
        assert_eq!(trigger, r["trigger"].as_str().unwrap(), "{r}");
        assert!(r.get("modality").is_some() && r.get("dead").is_some());
    }
    for bad in ["sort=size", "sort=date&dir=up", "min_articles=many"] {
        let (status, v) = get(&f.app, &format!("/api/events?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
    let story = rows[0]["story"].as_i64().unwrap();
    let (status, a) = get(&f.app, &format!("/api/stories/{story}")).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["articles"][0]["doc_id"], rows[0]["doc_id"]);
    assert_eq!(
        a["articles"].as_array().unwrap().len() as i64,
        rows[0]["num_articles"].as_i64().unwrap()
    );
    let (status, _) = get(&f.app, "/api/stories/abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get(&f.app, "/api/stories/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v) = get(&f.app, "/api/events?min_articles=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 0);
}

#[tokio::test]
async fn issue19_timeline_network_types_and_documents() {
    let f = fixture().await;
    let (_, all) = get(&f.app, "/api/events").await;
    let total = all["total"].as_u64().unwrap();
    let (status, t) = get(&f.app, "/api/timeline?by=week").await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let dated: u64 = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(dated + t["undated"]["count"].as_u64().unwrap(), total);
    let (status, _) = get(&f.app, "/api/timeline?by=year").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, n) = get(&f.app, "/api/network").await;
    assert_eq!(status, StatusCode::OK);
    for e in n["edges"].as_array().unwrap() {
        assert_ne!(e["source"], e["target"], "no self-links: {e}");
        assert!(e["count"].as_u64().unwrap() > 0);
    }
    let (status, a) = get(&f.app, "/api/actors?q=otien").await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert!(a["actors"].as_array().unwrap().iter().all(|x| x["name"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("otien")));
    assert!(!a["actors"].as_array().unwrap().is_empty(), "{a}");
    for bad in [
        "/api/actors",
        "/api/actors?q=o",
        "/api/actors?q=ab&type=AGREE",
    ] {
        let (status, _) = get(&f.app, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, types) = get(&f.app, "/api/types").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!types["types"].as_array().unwrap().is_empty());
    let (status, _) = get(&f.app, "/api/types?type=AGREE").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, d) = get(&f.app, "/api/documents?q=Kismayo").await;
    assert_eq!(status, StatusCode::OK);
    let row = &d["rows"][0];
    assert_eq!(row["doc_id"], "b2");
    // No title was given: the first sentence stands in, marked as made up.
    assert!(
        row["title"].as_str().unwrap().starts_with("MOGADISHU"),
        "{row}"
    );
    assert_eq!(row["title_derived"], true);
    assert!(row["snippet"].as_str().unwrap().contains("Kismayo"));
}
