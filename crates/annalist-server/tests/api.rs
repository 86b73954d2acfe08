//! Issue 9: the HTTP API, exercised in process through the router.

mod common;
use annalist_server::{App, Config};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::send;
use serde_json::{json, Value};
use std::sync::Arc;

/// A short report in our own words: two named officials, two countries, a
/// meeting in a capital.
const FIXTURE: &str = "NAIROBI – Kenyan Foreign Minister Daniel Otieno met Ethiopian Prime \
Minister Abiy Ahmed in Addis Ababa on Monday to discuss border security. Otieno said Kenya \
would support Ethiopia in talks with Somalia. The two governments signed an agreement on \
trade.";

/// A document whose text carries markup that must never run.
const XSS: &str = "Officials warned about <script>window.__pwned = 1</script> and \
<img src=x onerror=\"window.__pwned = 2\"> in pasted articles from Nairobi.";

const TOKEN: &str = "test-token-0123456789";

struct Fixture {
    app: Arc<App>,
    _dir: tempfile::TempDir,
}

fn server(write_token: Option<&str>, max_body: usize, rate_limit: u32) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("events.db");
    // Create the store with its schema so that read-only handlers can open it.
    annalist_store::Store::open(&db).expect("store");
    let app = App::new(Config {
        db: Some(db),
        write_token: write_token.map(String::from),
        max_body,
        rate_limit,
        code_workers: 2,
        ..Config::default()
    });
    Fixture { app, _dir: dir }
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("application/json")),
        "{uri}: not JSON: {headers:?}"
    );
    (status, serde_json::from_slice(&body).expect("json body"))
}

fn post(
    uri: &str,
    token: Option<&str>,
    content_type: &str,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut b = Request::post(uri).header(header::CONTENT_TYPE, content_type);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(body.into()).unwrap()
}

async fn post_json(app: &Arc<App>, req: Request<Body>) -> (StatusCode, Value) {
    let (status, _, body) = send(app, req).await;
    (status, serde_json::from_slice(&body).expect("json body"))
}

/// The error shape every failure shares.
fn assert_error(v: &Value, code: &str) {
    let e = &v["error"];
    assert_eq!(e["code"], code, "{v}");
    let msg = e["message"].as_str().expect("message");
    assert!(!msg.is_empty());
    assert_eq!(v.as_object().map(|o| o.len()), Some(1), "{v}");
}

#[tokio::test]
async fn issue9_openapi_is_served() {
    let f = server(None, 1 << 20, 0);
    let (status, doc) = get(&f.app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/code",
        "/api/events",
        "/api/counts",
        "/api/places",
        "/api/network",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/stats",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} undocumented");
    }
}

#[tokio::test]
async fn issue9_code_endpoint_codes_without_storing() {
    let f = server(None, 1 << 20, 0);
    let (status, rec) = post_json(&f.app, post("/api/code", None, "text/plain", FIXTURE)).await;
    assert_eq!(status, StatusCode::OK, "{rec}");
    assert_eq!(rec["schema"], "annalist.record/1");
    assert_eq!(rec["text"], FIXTURE);
    let names: Vec<&str> = rec["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.contains("Otieno")), "{names:?}");
    assert!(!rec["events"].as_array().unwrap().is_empty(), "{rec}");
    // The JSON form with metadata gives the same text.
    let body = json!({"text": FIXTURE, "title": "A meeting", "doc_id": "fixture-1"}).to_string();
    let (status, rec) = post_json(&f.app, post("/api/code", None, "application/json", body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rec["doc_id"], "fixture-1");
    assert_eq!(rec["meta"]["title"], "A meeting");
    // Nothing was stored.
    let (_, stats) = get(&f.app, "/api/stats").await;
    assert_eq!(stats["store"]["documents"], 0);
    assert_eq!(stats["writable"], false);
}

#[tokio::test]
async fn issue9_write_needs_the_token() {
    let f = server(Some(TOKEN), 1 << 20, 0);
    let body = || json!({"text": FIXTURE, "doc_id": "fixture-1"}).to_string();
    // Read before the write: the cached answer must not outlive the write.
    let (_, ev) = get(&f.app, "/api/events?unit=reports&limit=5").await;
    assert_eq!(ev["total"], 0);
    let (status, v) = post_json(
        &f.app,
        post("/api/documents", None, "application/json", body()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&v, "unauthorized");
    let (status, v) = post_json(
        &f.app,
        post(
            "/api/documents",
            Some("test-token-0123456788"),
            "application/json",
            body(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&v, "unauthorized");
    let (status, v) = post_json(
        &f.app,
        post("/api/documents", Some(TOKEN), "application/json", body()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["stored"], true);
    // The same document again changes nothing.
    let (status, v) = post_json(
        &f.app,
        post("/api/documents", Some(TOKEN), "application/json", body()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["stored"], false);

    // What was stored can be read back through every view.
    let (status, doc) = get(&f.app, "/api/documents/fixture-1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["record"]["text"], FIXTURE);
    assert!(doc["stats"]["events"].as_u64().unwrap() > 0, "{doc}");
    assert_eq!(doc["actors"], doc["record"]["actors"]);
    let (status, ev) = get(&f.app, "/api/events?unit=reports&limit=5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ev["total"].as_u64().unwrap() > 0);
    assert_eq!(ev["rows"][0]["doc_id"], "fixture-1");
    let (_, ev) = get(&f.app, "/api/events?text=border+security").await;
    assert!(ev["total"].as_u64().unwrap() > 0, "{ev}");
    let (_, ev) = get(&f.app, "/api/events?text=volcano").await;
    assert_eq!(ev["total"], 0);
    let (status, c) = get(&f.app, "/api/counts?by=type").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!c["rows"].as_array().unwrap().is_empty());
    let (status, _) = get(&f.app, "/api/places").await;
    assert_eq!(status, StatusCode::OK);
    let (status, n) = get(&f.app, "/api/network?unit=reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(n["nodes"].is_array() && n["edges"].is_array());
    let (status, d) = get(&f.app, "/api/documents?q=Otieno").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["rows"][0]["doc_id"], "fixture-1");
}

#[tokio::test]
async fn issue9_read_only_server_refuses_writes() {
    let f = server(None, 1 << 20, 0);
    let (status, v) = post_json(
        &f.app,
        post("/api/documents", Some(TOKEN), "text/plain", FIXTURE),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_error(&v, "read_only");
}

#[tokio::test]
async fn issue9_oversize_body_is_413() {
    let f = server(Some(TOKEN), 1000, 0);
    let big = "word ".repeat(400);
    let (status, v) = post_json(&f.app, post("/api/code", None, "text/plain", big.clone())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&v, "payload_too_large");
    // A body without a declared length is cut off at the limit all the same
    // (in-process requests carry no Content-Length header).
    let req = Request::post("/api/code").body(Body::from(big)).unwrap();
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());
    let (status, v) = post_json(&f.app, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&v, "payload_too_large");
}

#[tokio::test]
async fn issue9_errors_are_json_with_code_and_message() {
    let f = server(None, 1 << 20, 0);
    let (status, v) = get(&f.app, "/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (status, v) = get(&f.app, "/api/events?from=2022-13-40").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_query");
    let (status, v) = get(&f.app, "/api/events?actor_contry=IRN").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_request");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("actor_country"));
    let (status, v) = get(&f.app, "/api/events?limit=many").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_request");
    let (status, v) = get(&f.app, "/api/counts?by=year").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_request");
    let (status, v) = get(&f.app, "/api/documents/%FF%FE").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_request");
    let (status, v) = get(&f.app, "/api/documents/no-such-doc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (status, v) = post_json(
        &f.app,
        post("/api/code", None, "application/json", "{\"txt\": 1}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "bad_json");
    let (status, v) = post_json(&f.app, post("/api/code", None, "text/plain", "  ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "empty_text");
    let (status, _, body) = send(
        &f.app,
        Request::delete("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(
        &serde_json::from_slice(&body).unwrap(),
        "method_not_allowed",
    );
}

#[tokio::test]
async fn issue9_no_store_is_503() {
    let app = App::new(Config {
        db: None,
        ..Config::default()
    });
    let (status, v) = get(&app, "/api/events").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&v, "no_store");
}

#[tokio::test]
async fn issue9_rate_limit_is_429() {
    let f = server(None, 1 << 20, 2);
    let mut codes = Vec::new();
    for _ in 0..8 {
        let (status, v) = get(&f.app, "/api/stats").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_error(&v, "rate_limited");
        }
        codes.push(status.as_u16());
    }
    assert_eq!(&codes[..4], &[200, 200, 200, 200]);
    assert!(codes[4..].contains(&429), "{codes:?}");
}

#[tokio::test]
async fn issue9_xss_document_is_served_as_data() {
    let f = server(Some(TOKEN), 1 << 20, 0);
    let body =
        json!({"text": XSS, "doc_id": "xss-1", "title": "<b onmouseover=alert(1)>title</b>"})
            .to_string();
    let (status, v) = post_json(
        &f.app,
        post("/api/documents", Some(TOKEN), "application/json", body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // The API returns the text unchanged, as JSON data (never HTML).
    let (status, headers, raw) = send(
        &f.app,
        Request::get("/api/documents/xss-1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "content-type" && v == "application/json"));
    let doc: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(doc["record"]["text"], XSS);

    // The page only ever loads its own script, and no inline script may run.
    let (status, headers, html) =
        send(&f.app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers
        .iter()
        .find(|(k, _)| k == "content-security-policy")
        .map(|(_, v)| v.clone())
        .expect("a content security policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = String::from_utf8(html).unwrap();
    assert!(!html.contains("<script>"), "no inline script in the page");
    assert!(
        !html.contains("cdn") && !html.contains("https://"),
        "assets are local"
    );

    // The UI script never parses strings as HTML.
    let (status, _, js) = send(&f.app, Request::get("/app.js").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let js = String::from_utf8(js).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    let (status, _, basemap) = send(
        &f.app,
        Request::get("/basemap.json").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let basemap: Value = serde_json::from_slice(&basemap).unwrap();
    assert!(basemap["countries"].as_array().unwrap().len() > 150);
}
