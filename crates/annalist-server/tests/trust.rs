//! Issue 20: data a researcher can trust, through the API. Undated documents
//! stay undated in every answer; filter values that look like SQL, FTS or
//! country names are taken the way a person means them; and the server
//! refuses requests a browser was tricked into sending.

use annalist_doc::record::{Actor, Event, RecordMeta, Size, Span, Trigger};
use annalist_doc::{Record, SCHEMA};
use annalist_server::{router, App, Config};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789";

/// A one-event record; `published` and the event date are `None` when the
/// input gave no date.
fn record(doc_id: &str, text: &str, src: (&str, &str), published: Option<&str>) -> Record {
    let actor = |id: &str, name: &str, country: &str| Actor {
        id: id.into(),
        name: name.into(),
        country: Some(country.into()),
        sectors: vec!["GOV".into()],
        title: None,
        mentions: vec![],
        cameo: None,
        wikidata: None,
    };
    let at = text.find("met").unwrap_or(0);
    Record {
        schema: SCHEMA.into(),
        doc_id: doc_id.into(),
        meta: RecordMeta {
            published: published.map(String::from),
            language: "en".into(),
            ..RecordMeta::default()
        },
        text: text.into(),
        sentences: vec![Span {
            start: 0,
            end: text.chars().count(),
        }],
        entities: vec![],
        actors: vec![actor("A1", src.0, src.1), actor("A2", "Tajikistan", "TJK")],
        events: vec![Event {
            id: "E1".into(),
            kind: "CONSULT".into(),
            mode: None,
            contexts: vec![],
            cameo: Some("040".into()),
            quad_class: Some(1),
            intensity: Some(1.0),
            source: vec!["A1".into()],
            target: vec!["A2".into()],
            trigger: Trigger {
                text: "met".into(),
                start: at,
                end: at + 3,
            },
            sentence: 0,
            modality: "asserted".into(),
            reported_by: None,
            location: None,
            date: published.map(String::from),
            date_source: published.map(|_| "published".into()),
            size: Size::default(),
            confidence: 0.8,
        }],
        error: None,
        warnings: vec![],
    }
}

struct Fixture {
    app: Arc<App>,
    _dir: tempfile::TempDir,
}

/// A server over `records` whose configuration `tweak` may change.
fn server_with(records: &[Record], tweak: impl FnOnce(&mut Config)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db");
    let mut s = annalist_store::Store::open(&db).unwrap();
    s.ingest(records).unwrap();
    let mut config = Config {
        db: Some(db),
        write_token: Some(TOKEN.into()),
        rate_limit: 0,
        code_workers: 1,
        cache_ttl: std::time::Duration::ZERO,
        ..Config::default()
    };
    tweak(&mut config);
    Fixture {
        app: App::new(config),
        _dir: dir,
    }
}

fn sample() -> Fixture {
    sample_with(|_| {})
}

fn sample_with(tweak: impl FnOnce(&mut Config)) -> Fixture {
    server_with(
        &[
            record("u1", "Iran met Tajikistan.", ("Iran", "IRN"), None),
            record(
                "d1",
                "100% Iran_Group met Tajikistan.",
                ("100% Iran_Group", "IRN"),
                Some("2022-05-17"),
            ),
        ],
        tweak,
    )
}

async fn send(app: &Arc<App>, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = router(app.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (status, headers, body)
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert!(
        headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json")),
        "{uri}: not JSON"
    );
    let v = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: {e}"));
    (status, v)
}

fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    annalist_store::dates::iso(secs.div_euclid(86_400))
}

#[tokio::test]
async fn undated_documents_get_no_date_in_any_api_answer() {
    let f = sample();
    let today = today();
    for uri in [
        "/api/events",
        "/api/events?unit=reports",
        "/api/counts?by=day",
        "/api/counts?by=month&unit=reports",
        "/api/documents",
        "/api/documents/u1",
        "/api/network",
        "/api/places",
    ] {
        let (status, v) = get(&f.app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        assert!(!v.to_string().contains(&today), "{uri} shows today: {v}");
    }
    let (_, v) = get(&f.app, "/api/events").await;
    let dates: Vec<&Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["date"])
        .collect();
    assert!(dates.contains(&&Value::Null), "{v}");
    assert!(dates.contains(&&Value::from("2022-05-17")), "{v}");
    let (_, v) = get(&f.app, "/api/documents/u1").await;
    assert!(v["record"]["meta"]["published"].is_null());
    assert!(v["record"]["events"][0]["date"].is_null());
}

#[tokio::test]
async fn a_nul_in_text_filters_is_a_client_error_not_a_500() {
    let f = sample();
    for uri in [
        "/api/events?text=%00",
        "/api/counts?text=%00",
        "/api/places?text=%00",
        "/api/network?text=%00",
        "/api/documents?q=%00",
        "/api/events?text=Iran%00",
    ] {
        let (status, v) = get(&f.app, uri).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{uri}: {status} {v}"
        );
    }
}

#[tokio::test]
async fn a_percent_sign_in_actor_name_matches_only_names_with_one() {
    let f = sample();
    let (status, v) = get(&f.app, "/api/events?actor_name=%25&unit=reports").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 1, "{v}");
    let (_, v) = get(&f.app, "/api/events?actor_name=_&unit=reports").await;
    assert_eq!(v["total"], 1, "{v}");
}

#[tokio::test]
async fn actor_country_takes_a_name_or_demonym_and_refuses_nonsense() {
    let f = sample();
    for c in ["IRN", "irn", "Iran", "iran", "Iranian"] {
        let (status, v) = get(
            &f.app,
            &format!("/api/events?actor_country={c}&unit=reports"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{c}: {v}");
        assert_eq!(v["total"], 2, "{c}: {v}");
    }
    let (status, v) = get(&f.app, "/api/events?actor_country=Narnia").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "bad_query");
    assert!(v["error"]["message"].as_str().unwrap().contains("hint"));
}

#[tokio::test]
async fn an_overlong_query_gets_a_json_414() {
    let f = sample();
    let uri = format!("/api/events?actor_name={}", "a".repeat(20_000));
    let (status, v) = get(&f.app, &uri).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert_eq!(v["error"]["code"], "uri_too_long");
}

#[tokio::test]
async fn api_answers_carry_nosniff_and_a_csp() {
    let f = sample();
    for uri in ["/api/stats", "/api/events", "/api/nothing-here", "/"] {
        let (_, headers, _) = send(&f.app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(
            headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{uri}"
        );
        assert!(
            headers.get(header::CONTENT_SECURITY_POLICY).is_some(),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_rebound_host_name_is_refused() {
    let f = sample();
    let req = |host: &str| {
        Request::get("/api/stats")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    for ok in [
        "localhost:8080",
        "127.0.0.1:8080",
        "[::1]:8080",
        "localhost",
    ] {
        let (status, _, _) = send(&f.app, req(ok)).await;
        assert_eq!(status, StatusCode::OK, "{ok}");
    }
    let (status, _, body) = send(&f.app, req("attacker.example:8080")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"]["code"], "bad_host");
}

#[tokio::test]
async fn a_cross_origin_text_post_is_refused() {
    let f = sample();
    let post = |origin: Option<&str>| {
        let mut b = Request::post("/api/code")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "text/plain");
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        b.body(Body::from("")).unwrap()
    };
    let (status, _, body) = send(&f.app, post(Some("https://evil.example"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"]["code"], "cross_origin");
    let (status, _, _) = send(&f.app, post(Some("null"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The server's own page, and programs that send no Origin, get through
    // to the handler (which then refuses the empty text).
    for origin in [Some("http://127.0.0.1:8080"), None] {
        let (status, _, _) = send(&f.app, post(origin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{origin:?}");
    }
}

#[tokio::test]
async fn a_lowercase_bearer_scheme_is_accepted() {
    let f = sample();
    for auth in [format!("bearer {TOKEN}"), format!("BEARER {TOKEN}")] {
        let req = Request::post("/api/documents")
            .header(header::AUTHORIZATION, auth.as_str())
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(""))
            .unwrap();
        let (status, _, _) = send(&f.app, req).await;
        // Past the token check: the empty text is what is refused.
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{auth}");
    }
    let req = Request::post("/api/documents")
        .header(header::AUTHORIZATION, "Basic abc")
        .body(Body::from("x"))
        .unwrap();
    let (status, _, _) = send(&f.app, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_posted_publication_date_is_stored_as_a_day_or_refused() {
    let f = sample();
    let post = |published: &str| {
        Request::post("/api/code")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({"text": "Iran met Tajikistan.", "published": published})
                    .to_string(),
            ))
            .unwrap()
    };
    let (status, _, body) = send(&f.app, post("17 May 2022")).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["published"], "2022-05-17");
    let (status, _, body) = send(&f.app, post("sometime last spring")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"]["message"].as_str().unwrap().contains("hint"));
}

/// Starts the real server (listener and all) on a free loopback port.
async fn start(app: Arc<App>) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let addr = "127.0.0.1:0".parse().unwrap();
        annalist_server::serve(app, addr, move |a| {
            let _ = tx.send(a);
        })
        .await
        .unwrap();
    });
    (rx.await.unwrap(), task)
}

/// Sends raw bytes and reads the answers until `answers` have arrived or the
/// server closes.
async fn exchange(stream: &mut tokio::net::TcpStream, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf));
        match read.await {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Ok(Err(_)) => break,
        }
        let text = String::from_utf8_lossy(&out);
        // One whole answer: its head and as many body bytes as it declares.
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            });
            if len.is_some_and(|n| body.len() >= n) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&out).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_kb_query_value_gets_a_json_414_over_tcp() {
    // Served by the real listener, not in process, since the HTTP layer
    // itself refuses such a URI before any handler runs.
    let f = sample();
    let (addr, task) = start(f.app.clone()).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET /api/events?actor_name={} HTTP/1.1\r\nHost: {addr}\r\n\r\n",
        "a".repeat(100_000)
    );
    let answer = exchange(&mut s, req.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 414"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["error"]["code"], "uri_too_long");

    // Ordinary requests still go through, twice on one kept-alive connection.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    for _ in 0..2 {
        let answer = exchange(
            &mut s,
            format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("\"version\""), "{answer}");
    }
    // The client's address reaches the checks: a loopback client naming
    // another host is refused.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let answer = exchange(
        &mut s,
        b"GET /api/stats HTTP/1.1\r\nHost: attacker.example\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("bad_host"), "{answer}");
    task.abort();
}

#[tokio::test]
async fn the_api_takes_a_missing_date_from_the_url_path() {
    let f = sample();
    let text = "Iranian Foreign Minister Hossein Amir-Abdollahian met Tajik President Emomali \
                Rahmon in Dushanbe to discuss border security.";
    let post = |path: &str, body: Value| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let url = "https://news.example/world/2021/03/09/talks";
    let (status, _, body) = send(
        &f.app,
        post("/api/code", serde_json::json!({"text": text, "url": url})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["published"], "2021-03-09", "{v}");
    let events = v["events"].as_array().unwrap();
    assert!(!events.is_empty(), "{v}");
    for e in events {
        assert_eq!(e["date"], "2021-03-09", "{e}");
        assert_eq!(e["date_source"], "url", "{e}");
    }
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap_or("").contains("taken from the url path")),
        "{v}"
    );

    // A date of the document's own wins over its URL's.
    let (_, _, body) = send(
        &f.app,
        post(
            "/api/code",
            serde_json::json!({"text": text, "url": url, "published": "2019-07-01"}),
        ),
    )
    .await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["published"], "2019-07-01");
    for e in v["events"].as_array().unwrap() {
        assert_eq!(e["date_source"], "published", "{e}");
    }

    // Stored documents take it the same way, and keep the mark.
    let (status, _, body) = send(
        &f.app,
        post(
            "/api/documents",
            serde_json::json!({"doc_id": "url1", "text": text, "url": url}),
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let (_, v) = get(&f.app, "/api/documents/url1").await;
    assert_eq!(v["record"]["meta"]["published"], "2021-03-09", "{v}");
    for e in v["record"]["events"].as_array().unwrap() {
        assert_eq!(e["date_source"], "url", "{e}");
    }
}

/// Whether the server has closed `stream`: a read that ends (or fails)
/// within `within`, rather than one still waiting.
async fn closed_within(stream: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // An answer (there should be none) is read past.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_6_a_head_sent_a_byte_at_a_time_is_cut_off() {
    use std::time::{Duration, Instant};
    use tokio::io::AsyncWriteExt;
    let f = sample_with(|c| {
        c.header_timeout = Duration::from_millis(500);
        c.idle_timeout = Duration::from_secs(10);
    });
    let (addr, task) = start(f.app.clone()).await;
    let started = Instant::now();
    let slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut from_server, mut to_server) = slow.into_split();
    // A byte every 50 ms, and the head never ends: each byte is traffic, so
    // only a limit on the whole head stops it.
    let writer = tokio::spawn(async move {
        let head = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ");
        for b in head.bytes().chain(std::iter::repeat(b'a')) {
            if to_server.write_all(&[b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    // Meanwhile others are served.
    let mut other = tokio::net::TcpStream::connect(addr).await.unwrap();
    let answer = exchange(
        &mut other,
        format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let mut buf = [0u8; 1024];
    let end = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read(&mut from_server, &mut buf),
    )
    .await;
    assert!(
        matches!(end, Ok(Ok(0)) | Ok(Err(_))),
        "the slow head was not cut off: {end:?}"
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(5),
        "cut off after {took:?}, with a 500 ms limit"
    );
    writer.abort();

    // A client that connects and sends nothing is held to the same limit.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(5)).await);
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_6_an_idle_kept_alive_connection_is_closed() {
    use std::time::Duration;
    let f = sample_with(|c| {
        c.header_timeout = Duration::from_secs(10);
        c.idle_timeout = Duration::from_secs(1);
    });
    let (addr, task) = start(f.app.clone()).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    // Requests closer together than the limit keep the connection.
    for _ in 0..3 {
        let answer = exchange(&mut s, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Then it sits idle, and is closed.
    let started = std::time::Instant::now();
    assert!(closed_within(&mut s, Duration::from_secs(5)).await);
    assert!(started.elapsed() >= Duration::from_millis(700));
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_6_connections_past_the_cap_are_refused_at_once() {
    use std::time::{Duration, Instant};
    let f = sample_with(|c| {
        c.max_connections = 2;
        c.header_timeout = Duration::from_secs(20);
        c.idle_timeout = Duration::from_secs(20);
    });
    let (addr, task) = start(f.app.clone()).await;
    let request = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    // Two clients hold the two places (answered once, so both are surely
    // accepted) and then sit idle.
    let mut first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut second = tokio::net::TcpStream::connect(addr).await.unwrap();
    for s in [&mut first, &mut second] {
        let answer = exchange(s, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    // A third is told so at once, in JSON, instead of waiting.
    let started = Instant::now();
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    let answer = exchange(&mut third, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["error"]["code"], "too_many_connections");
    assert!(v["error"]["message"].as_str().unwrap().contains("hint"));
    // The clients holding the places are still served.
    let answer = exchange(&mut first, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A place given up is soon taken by the next client.
    drop(second);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut next = tokio::net::TcpStream::connect(addr).await.unwrap();
        let answer = exchange(&mut next, request.as_bytes()).await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the freed place stayed taken: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_6_a_body_that_stops_arriving_is_answered_408() {
    use std::time::{Duration, Instant};
    let f = sample_with(|c| {
        c.header_timeout = Duration::from_secs(10);
        c.idle_timeout = Duration::from_millis(500);
    });
    let (addr, task) = start(f.app.clone()).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The head promises 100 bytes; 8 come, then nothing.
    let started = Instant::now();
    let answer = exchange(
        &mut s,
        format!(
            "POST /api/code HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\n\
             Content-Length: 100\r\n\r\nIran met"
        )
        .as_bytes(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(5),
        "answered after {took:?}, with a 500 ms limit"
    );
    task.abort();
}

#[tokio::test]
async fn the_api_spells_a_missing_title_from_the_url_slug_and_flags_it() {
    let f = sample();
    let post = |body: Value| {
        Request::post("/api/code")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let text = "The envoy met the rebels on Monday.";
    let url = "https://news.example/world/480123/Envoy-meets-rebels-in-Doha";
    let (status, _, body) = send(&f.app, post(serde_json::json!({"text": text, "url": url}))).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["title"], "Envoy meets rebels in Doha", "{v}");
    assert_eq!(v["meta"]["title_source"], "url", "{v}");
    // A title the request gives is not flagged.
    let (_, _, body) = send(
        &f.app,
        post(serde_json::json!({"text": text, "url": url, "title": "Talks in Doha"})),
    )
    .await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["title"], "Talks in Doha", "{v}");
    assert!(v["meta"].get("title_source").is_none(), "{v}");
}
