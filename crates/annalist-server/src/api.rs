//! The router and the handlers of the JSON API.

use crate::browse::{doc_snippet, doc_title, Precision};
use crate::{assets, ApiError, App};
use annalist_doc::Record;
use annalist_store::format::{write_rows, Format};
use annalist_store::{CountBy, Filter, SortKey, Unit};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

type Params = Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>;

/// The whole application: API, UI assets and JSON fallbacks.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(stats))
        .route("/api/code", post(code))
        .route("/api/events", get(events))
        .route("/api/counts", get(counts))
        .route("/api/places", get(places))
        .route("/api/network", get(network))
        .route("/api/timeline", get(timeline))
        .route("/api/countries", get(countries))
        .route("/api/types", get(types))
        .route("/api/actors", get(actors))
        .route("/api/documents", get(documents).post(store_document))
        .route("/api/documents/{doc_id}", get(document))
        .route("/api/stories/{story}", get(story))
        .layer(middleware::from_fn_with_state(app.clone(), cached))
        .layer(middleware::from_fn_with_state(app.clone(), rate_limit));
    Router::new()
        .merge(api)
        .merge(assets::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(middleware::from_fn(crate::listen::track))
        .with_state(app)
}

/// The longest query string answered; longer ones get a JSON 414 (the HTTP
/// layer itself refuses URIs over 64 KiB, before any handler runs).
const MAX_QUERY: usize = 8 * 1024;

/// Checks every request before it reaches a handler, and marks every answer:
/// - the `Host` of a request from this machine must be this machine's
///   (`localhost`, an IP address or a name in `Config::allowed_hosts`), so
///   that a web page whose name was re-pointed at 127.0.0.1 (DNS
///   rebinding) cannot read the API from the user's browser;
/// - a POST that a browser sends from another origin is refused, so that a
///   page elsewhere cannot make the server code or store text (a
///   `text/plain` POST needs no CORS preflight);
/// - overlong query strings get a JSON error;
/// - every answer, API ones included, carries `nosniff` and a CSP.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Err(e) = check_request(&app, &req) {
        return with_security_headers(e.into_response());
    }
    with_security_headers(next.run(req).await)
}

fn check_request(app: &App, req: &Request) -> Result<(), ApiError> {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let peer_local = peer_ip(req).is_none_or(|ip| ip.is_loopback());
    if let Some(host) = &host {
        if peer_local && !host_allowed(app, host) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "bad_host",
                format!(
                    "host `{host}` is not this server's; hint: open it as http://localhost:PORT/ \
                     or http://127.0.0.1:PORT/"
                ),
            ));
        }
    }
    let safe = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if !safe {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("null").to_ascii_lowercase();
            let origin_host = origin
                .split_once("://")
                .map(|(_, h)| h.trim_end_matches('/'));
            if origin_host.is_none() || origin_host != host.as_deref() {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "cross_origin",
                    format!(
                        "a {} from the web page at {origin} is refused; hint: call the API from \
                         this server's own pages, or from a program that sends no Origin header",
                        req.method()
                    ),
                ));
            }
        }
    }
    if req.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!(
                "the query string is longer than {MAX_QUERY} bytes; hint: shorten the filter values"
            ),
        ));
    }
    Ok(())
}

/// Whether a `Host` header (`name` or `name:port`) names this server.
fn host_allowed(app: &App, host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        return rest
            .split(']')
            .next()
            .is_some_and(|ip| ip.parse::<IpAddr>().is_ok());
    } else {
        host.rsplit_once(':').map_or(host, |(n, _)| n)
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok()
        || app
            .config
            .allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
}

/// The policy of API answers: JSON is never a document to render, so
/// nothing may load from it and nothing may frame it.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

fn with_security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(API_CSP),
        );
    }
    resp
}

async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!(
        "no such resource: {}; hint: the API is described at /api/openapi.json",
        req.uri().path()
    ))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} is not allowed on {}; hint: see /api/openapi.json",
            req.method(),
            req.uri().path()
        ),
    )
}

/// The client's address: from [`crate::listen::Peer`] when served by
/// [`crate::serve`], from axum's own connection info when served otherwise,
/// `None` in process.
fn peer_ip(req: &Request) -> Option<IpAddr> {
    let ext = req.extensions();
    ext.get::<ConnectInfo<crate::listen::Peer>>()
        .map(|c| c.0.addr.ip())
        .or_else(|| ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
}

/// Refuses a client's request when its bucket is empty.
async fn rate_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    // Without connection info (in-process tests) every request is one client.
    let ip = peer_ip(&req).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !app.limiter.allow(ip) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "too many requests from {ip} (limit {} per second); hint: retry after a second",
                app.config.rate_limit
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// Answers repeated GET requests of the store endpoints from the cache.
async fn cached(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let cacheable = app.cache.enabled()
        && req.method() == axum::http::Method::GET
        && path.starts_with("/api/")
        && path != "/api/stats"
        && path != "/api/openapi.json"
        // Downloads carry a file name the cache does not keep.
        && !req.uri().query().is_some_and(|q| q.contains("format="));
    if !cacheable {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    if let Some((content_type, body)) = app.cache.get(&key) {
        let mut resp = Response::new(Body::from(body));
        if let Some(ct) = content_type {
            resp.headers_mut().insert(header::CONTENT_TYPE, ct);
        }
        return resp;
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            app.cache.put(
                key,
                parts.headers.get(header::CONTENT_TYPE).cloned(),
                bytes.clone(),
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => ApiError::internal(format!("cannot read the answer: {e}")).into_response(),
    }
}

/// Runs blocking work (SQLite, coding) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("a worker failed: {e}")))?
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        assets::OPENAPI,
    )
}

async fn stats(State(app): State<Arc<App>>) -> Result<Json<Value>, ApiError> {
    let writable = app.config.write_token.is_some();
    let app2 = app.clone();
    let stats = if app.config.db.is_some() {
        Some(blocking(move || app2.with_store(|s| Ok(s.stats()?))).await?)
    } else {
        None
    };
    Ok(Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "store": stats,
        "writable": writable,
        "max_body": app.config.max_body,
        "rate_limit": app.config.rate_limit,
    })))
}

/// The keys every filtered endpoint accepts, with `annalist query`'s names.
const FILTER_KEYS: &[&str] = &[
    "actor_country",
    "target_country",
    "actor_sector",
    "target_sector",
    "actor_name",
    "target_name",
    "either_order",
    "type",
    "cameo",
    "modality",
    "from",
    "to",
    "place",
    "place_country",
    "text",
    "min_articles",
    "bbox",
    "unit",
];

/// The query parameters of a request, with empty values dropped and unknown
/// names refused (a misspelt filter silently ignored would mislead).
fn params(p: Params, extra: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let Query(map) = p.map_err(|e| ApiError::bad_request(e.body_text().to_lowercase()))?;
    let map: HashMap<String, String> = map
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    for k in map.keys() {
        if !FILTER_KEYS.contains(&k.as_str()) && !extra.contains(&k.as_str()) {
            let mut known: Vec<&str> = FILTER_KEYS.to_vec();
            known.extend_from_slice(extra);
            return Err(ApiError::bad_request(format!(
                "unknown parameter `{k}`; hint: known parameters are {}",
                known.join(", ")
            )));
        }
    }
    Ok(map)
}

fn filter_of(p: &HashMap<String, String>) -> Result<(Filter, Unit), ApiError> {
    let get = |k: &str| p.get(k).map(|v| v.trim().to_string());
    let unit = match p.get("unit").map(String::as_str) {
        None | Some("stories") => Unit::Stories,
        Some("reports") => Unit::Reports,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unit `{other}` is unknown; hint: use stories or reports"
            )))
        }
    };
    let either_order = match p.get("either_order").map(String::as_str) {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "either_order `{other}` is not a boolean; hint: use true or false"
            )))
        }
    };
    Ok((
        Filter {
            actor_country: get("actor_country"),
            target_country: get("target_country"),
            actor_sector: get("actor_sector"),
            target_sector: get("target_sector"),
            actor_name: get("actor_name"),
            target_name: get("target_name"),
            either_order,
            kind: get("type"),
            cameo: get("cameo"),
            modality: get("modality"),
            from: get("from"),
            to: get("to"),
            place: get("place"),
            place_country: get("place_country"),
            text: get("text"),
            min_articles: match p.get("min_articles") {
                None => None,
                Some(v) => Some(v.trim().parse::<u32>().map_err(|_| {
                    ApiError::bad_request(format!(
                        "min_articles `{v}` is not a number; hint: give a whole number such as 2"
                    ))
                })?),
            },
            bbox: get("bbox"),
        },
        unit,
    ))
}

/// A non-negative integer parameter, defaulted and capped.
fn number(
    p: &HashMap<String, String>,
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match p.get(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(ApiError::bad_request(format!(
                "{key} {v} is too large; hint: the most is {max}"
            ))),
            Err(_) => Err(ApiError::bad_request(format!(
                "{key} `{v}` is not a number; hint: give a whole number such as {default}"
            ))),
        },
    }
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Stories => "stories",
        Unit::Reports => "reports",
    }
}

async fn events(State(app): State<Arc<App>>, q: Params) -> Result<Response, ApiError> {
    let p = params(q, &["offset", "limit", "sort", "dir", "format"])?;
    let (filter, unit) = filter_of(&p)?;
    if let Some(format) = p.get("format") {
        return download(app, &p, filter, unit, format).await;
    }
    let offset = number(&p, "offset", 0, 10_000_000)?;
    let limit = number(&p, "limit", 50, 1000)?;
    let sort = sort_of(&p)?;
    blocking(move || {
        app.with_store(|s| {
            let total = s.count(&filter, unit)?;
            let to_value = |v: Result<Value, serde_json::Error>| {
                v.map_err(|e| ApiError::internal(e.to_string()))
            };
            let rows = match (unit, sort) {
                (Unit::Stories, None) => to_value(serde_json::to_value(s.stories_page(
                    &filter,
                    offset,
                    limit,
                    Some(total),
                )?))?,
                (Unit::Reports, None) => to_value(serde_json::to_value(
                    s.reports_page(&filter, offset, limit)?,
                ))?,
                (Unit::Stories, Some((k, desc))) => to_value(serde_json::to_value(
                    s.stories_sorted(&filter, k, desc, offset, limit)?,
                ))?,
                (Unit::Reports, Some((k, desc))) => to_value(serde_json::to_value(
                    s.reports_sorted(&filter, k, desc, offset, limit)?,
                ))?,
            };
            let rows = crate::browse::enrich(s, unit, rows)?;
            Ok(Json(json!({
                "unit": unit_name(unit),
                "total": total,
                "offset": offset,
                "limit": limit,
                "rows": rows,
            }))
            .into_response())
        })
    })
    .await
}

/// The sort order asked for: `sort=KEY` and `dir=asc|desc` (default asc);
/// none without `sort`, which keeps the command line's order.
fn sort_of(p: &HashMap<String, String>) -> Result<Option<(SortKey, bool)>, ApiError> {
    let desc = match p.get("dir").map(String::as_str) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "dir `{other}` is unknown; hint: use asc or desc"
            )))
        }
    };
    match p.get("sort") {
        None => Ok(None),
        Some(name) => match SortKey::parse(name) {
            Some(k) => Ok(Some((k, desc))),
            None => Err(ApiError::bad_request(format!(
                "sort `{name}` is unknown; hint: use one of {}",
                SortKey::ALL.map(|(n, _)| n).join(", ")
            ))),
        },
    }
}

/// `GET /api/events?...&format=csv|jsonl`: every matching row (or the
/// first `limit`), with the same rows and columns as `annalist query
/// --format csv|jsonl --limit 0` for the same filters, as a file.
async fn download(
    app: Arc<App>,
    p: &HashMap<String, String>,
    filter: Filter,
    unit: Unit,
    format: &str,
) -> Result<Response, ApiError> {
    let (fmt, content_type, ext) =
        match format {
            "csv" => (Format::Csv, "text/csv; charset=utf-8", "csv"),
            "jsonl" => (Format::Jsonl, "application/x-ndjson", "jsonl"),
            "json" => return Err(ApiError::bad_request(
                "format `json` is the default answer; hint: leave format out, or use csv or jsonl",
            )),
            other => {
                return Err(ApiError::bad_request(format!(
                    "format `{other}` is unknown; hint: use csv or jsonl"
                )))
            }
        };
    if p.contains_key("sort") || p.contains_key("offset") {
        return Err(ApiError::bad_request(
            "a download lists rows in the command line's order from the first; hint: leave out \
             sort and offset",
        ));
    }
    let limit = number(p, "limit", 0, usize::MAX)?;
    let limit = (limit > 0).then_some(limit);
    let body = blocking(move || {
        app.with_store(|s| {
            let mut out = Vec::new();
            let written = match unit {
                Unit::Stories => write_rows(&mut out, fmt, &s.stories(&filter, limit)?),
                Unit::Reports => write_rows(&mut out, fmt, &s.reports(&filter, limit)?),
            };
            written.map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(out)
        })
    })
    .await?;
    let disposition = format!("attachment; filename=\"annalist-events.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn counts(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let p = params(q, &["by"])?;
    let (filter, unit) = filter_of(&p)?;
    let by_name = p.get("by").cloned().unwrap_or_else(|| "day".into());
    let by = CountBy::parse(&by_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "by `{by_name}` is unknown; hint: use day, week, month, dyad or type"
        ))
    })?;
    blocking(move || {
        app.with_store(|s| {
            let rows = s.count_by(&filter, unit, by)?;
            Ok(Json(json!({
                "by": by_name,
                "unit": unit_name(unit),
                "columns": by.key_columns(),
                "rows": rows,
            })))
        })
    })
    .await
}

async fn places(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let p = params(q, &["limit"])?;
    let (filter, unit) = filter_of(&p)?;
    let limit = number(&p, "limit", 2000, 20_000)?;
    blocking(move || {
        app.with_store(|s| {
            let points: Vec<Value> = s
                .places(&filter, unit, limit)?
                .into_iter()
                .map(|pt| {
                    let precision = Precision::of(pt.feature.as_deref(), pt.lat, pt.lon);
                    let mut v = json!(pt);
                    v["precision"] = json!(precision.name());
                    v
                })
                .collect();
            Ok(Json(json!({ "unit": unit_name(unit), "points": points })))
        })
    })
    .await
}

async fn network(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let p = params(q, &["limit"])?;
    let (filter, unit) = filter_of(&p)?;
    let limit = number(&p, "limit", 150, 2000)?;
    blocking(move || {
        app.with_store(|s| {
            let links = s.actor_links(&filter, unit, limit)?;
            let (nodes, edges) = crate::browse::network_json(&links);
            Ok(Json(
                json!({ "unit": unit_name(unit), "nodes": nodes, "edges": edges }),
            ))
        })
    })
    .await
}

async fn timeline(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let p = params(q, &["by"])?;
    let (filter, unit) = filter_of(&p)?;
    let by = p.get("by").cloned().unwrap_or_else(|| "month".into());
    if !matches!(by.as_str(), "day" | "week" | "month") {
        return Err(ApiError::bad_request(format!(
            "by `{by}` is unknown; hint: use day, week or month"
        )));
    }
    blocking(move || {
        app.with_store(|s| {
            let cells = s.timeline(&filter, unit)?;
            let mut v = crate::browse::timeline_json(&cells, &by);
            v["unit"] = json!(unit_name(unit));
            Ok(Json(v))
        })
    })
    .await
}

async fn types(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    if let Some(k) = params(q, &[])?.keys().next() {
        return Err(ApiError::bad_request(format!(
            "unknown parameter `{k}` for types; hint: /api/types takes no parameters"
        )));
    }
    blocking(move || {
        app.with_store(|s| {
            let rows: Vec<Value> = s
                .type_quads()?
                .into_iter()
                .map(
                    |(kind, quad, count)| json!({"type": kind, "quad_class": quad, "count": count}),
                )
                .collect();
            Ok(Json(
                json!({ "types": rows, "quads": crate::browse::QUADS }),
            ))
        })
    })
    .await
}

/// `GET /api/stories/{story}`: the articles that reported a story event.
async fn story(
    State(app): State<Arc<App>>,
    story: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let raw = story.map(|Path(s)| s).unwrap_or_default();
    let Ok(id) = raw.parse::<i64>() else {
        return Err(ApiError::bad_request(format!(
            "story `{raw}` is not a story event id; hint: use the `story` of an /api/events row"
        )));
    };
    blocking(move || {
        app.with_store(|s| {
            let docs = s.story_articles(id)?;
            if docs.is_empty() {
                return Err(ApiError::not_found(format!(
                    "no story event has the id {id}; hint: use the `story` of an /api/events row"
                )));
            }
            let articles: Vec<Value> = docs
                .into_iter()
                .map(|d| {
                    // The record is read only when neither a title nor a URL
                    // can name the article.
                    let record = match (&d.title, &d.url) {
                        (None, None) => s.record(&d.doc_id)?,
                        _ => None,
                    };
                    let (title, derived) =
                        doc_title(d.title.as_deref(), d.url.as_deref(), record.as_ref());
                    let mut v = json!(d);
                    v["title"] = json!(title);
                    v["title_derived"] = json!(derived);
                    Ok(v)
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(Json(json!({ "story": id, "articles": articles })))
        })
    })
    .await
}

/// `GET /api/actors?q=PART`: actor names containing the text, for the name
/// filters' typeahead.
async fn actors(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let p = params(q, &["q", "limit"])?;
    if let Some(k) = p.keys().find(|k| FILTER_KEYS.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!(
            "unknown parameter `{k}` for actors; hint: use q and limit"
        )));
    }
    let part = p.get("q").map(|s| s.trim().to_string()).unwrap_or_default();
    if part.chars().count() < 2 {
        return Err(ApiError::bad_request(
            "q is missing or shorter than two characters; hint: give part of a name, such as Rouh",
        ));
    }
    let limit = number(&p, "limit", 12, 100)?;
    blocking(move || {
        app.with_store(|s| {
            let rows: Vec<Value> = s
                .actor_names(&part, limit)?
                .into_iter()
                .map(|(name, country, n)| json!({"name": name, "country": country, "documents": n}))
                .collect();
            Ok(Json(json!({ "actors": rows })))
        })
    })
    .await
}

async fn countries() -> Json<Value> {
    Json(crate::browse::countries_json())
}

async fn documents(State(app): State<Arc<App>>, q: Params) -> Result<Json<Value>, ApiError> {
    let Query(raw) = q.map_err(|e| ApiError::bad_request(e.body_text().to_lowercase()))?;
    let p = params(Ok(Query(raw)), &["q", "offset", "limit"])?;
    if let Some(k) = p.keys().find(|k| FILTER_KEYS.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!(
            "unknown parameter `{k}` for documents; hint: use q, offset and limit"
        )));
    }
    let words = p.get("q").cloned();
    let offset = number(&p, "offset", 0, 10_000_000)?;
    let limit = number(&p, "limit", 20, 500)?;
    blocking(move || {
        app.with_store(|s| {
            let rows: Vec<Value> = s
                .documents(words.as_deref(), offset, limit)?
                .into_iter()
                .map(|d| {
                    let record = s.record(&d.doc_id)?;
                    let (title, derived) =
                        doc_title(d.title.as_deref(), d.url.as_deref(), record.as_ref());
                    let snippet = record
                        .as_ref()
                        .map(|r| doc_snippet(r, words.as_deref(), 240));
                    let mut v = json!(d);
                    v["title"] = json!(title);
                    v["title_derived"] = json!(derived);
                    v["snippet"] = json!(snippet);
                    Ok(v)
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(Json(
                json!({ "offset": offset, "limit": limit, "rows": rows }),
            ))
        })
    })
    .await
}

async fn document(
    State(app): State<Arc<App>>,
    doc_id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(doc_id) = doc_id.map_err(|e| {
        ApiError::bad_request(format!(
            "the document id in the path cannot be read: {}; hint: percent-encode it as UTF-8",
            e.body_text().to_lowercase()
        ))
    })?;
    blocking(move || {
        app.with_store(|s| {
            let Some(record) = s.record(&doc_id)? else {
                return Err(ApiError::not_found(format!(
                    "no stored document has the id `{doc_id}`; hint: list ids with /api/documents"
                )));
            };
            let summary = s.document(&doc_id)?;
            let stories = s.document_stories(&doc_id)?;
            let stats = record_stats(&record);
            Ok(Json(json!({
                "summary": summary,
                "actors": record.actors,
                "stats": stats,
                "stories": stories,
                "record": record,
            })))
        })
    })
    .await
}

/// Counts of what a record holds.
fn record_stats(r: &Record) -> Value {
    json!({
        "chars": r.text.chars().count(),
        "sentences": r.sentences.len(),
        "entities": r.entities.len(),
        "actors": r.actors.len(),
        "events": r.events.len(),
        "located_events": r.events.iter().filter(|e| e.location.is_some()).count(),
    })
}

/// The body of `POST /api/code` and `POST /api/documents` when sent as
/// JSON; a body of any other type is the text itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    text: String,
    #[serde(default)]
    doc_id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
}

/// Reads a body of at most `max` bytes into a document to code, with where
/// its publication date came from when the server filled it in.
async fn read_document(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<(annalist_ingest::Document, Option<&'static str>), ApiError> {
    let max = app.config.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than {max} bytes; hint: send a shorter document or raise --max-body"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let bytes = read_body(body, max, app.config.idle_timeout, too_large).await?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let req = if is_json {
        serde_json::from_slice::<CodeRequest>(&bytes).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("the request body is not a valid document: {e}; hint: send {{\"text\": \"...\"}}"),
            )
        })?
    } else {
        let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_encoding",
                format!(
                    "the request body is not utf-8 (byte {}); hint: send utf-8 text",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        CodeRequest {
            text,
            doc_id: None,
            title: None,
            url: None,
            published: None,
            publisher: None,
        }
    };
    if req.text.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_text",
            "the document has no text; hint: send the article text",
        ));
    }
    // The record's `published` is a day (`YYYY-MM-DD`), as from every other
    // input; a date that cannot be read is refused rather than stored as
    // written or guessed.
    let published = match req.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(annalist_ingest::date::normalize(raw).ok_or_else(|| {
            ApiError::bad_request(format!(
                "published `{raw}` is not a date that can be read; hint: write it as YYYY-MM-DD"
            ))
        })?),
    };
    let mut doc = annalist_ingest::Document {
        origin: annalist_ingest::Origin {
            source: "request".into(),
            line: None,
            index: 0,
        },
        doc_id: req.doc_id,
        text: req.text,
        title: req.title,
        url: req.url,
        published,
        publisher: req.publisher,
        license: None,
        title_source: None,
        warnings: Vec::new(),
    };
    // A title the request does not give is spelled from the URL's slug, as
    // the readers of `code` and `ingest` do, and flagged as derived.
    annalist_ingest::slug::derive_title(&mut doc);
    // A date in the URL's path fills a missing one, as in `annalist ingest`;
    // the API has no batch default to fall back on.
    let from = annalist_store::dates::fill_date(
        &mut doc.published,
        doc.url.as_deref(),
        None,
        &mut doc.warnings,
    );
    Ok((doc, from))
}

/// Reads a body of at most `max` bytes (`too_large` answers a longer one).
/// A client that stops sending it for `stall` (the idle limit) is answered
/// 408: the connection's own timers wait while a request is handled, so a
/// body sent slowly or not at all needs a limit of its own.
async fn read_body(
    body: Body,
    max: usize,
    stall: std::time::Duration,
    too_large: impl Fn() -> ApiError,
) -> Result<Vec<u8>, ApiError> {
    use http_body::Body as _;
    let mut body = std::pin::pin!(body);
    let mut out = Vec::new();
    loop {
        let next = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx));
        let frame = match tokio::time::timeout(stall, next).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!(
                        "the request body stopped arriving for {} s; hint: send the whole body \
                         at once, or check the Content-Length",
                        stall.as_secs_f64()
                    ),
                ))
            }
            Ok(None) => return Ok(out),
            Ok(Some(Err(e))) => {
                return Err(ApiError::bad_request(format!(
                    "the request body could not be read: {e}; hint: send it again"
                )))
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
}

/// Codes one document on the blocking pool, at most `code_workers` at once;
/// `date_from` says where a filled-in publication date came from.
async fn code_document(
    app: &Arc<App>,
    doc: annalist_ingest::Document,
    date_from: Option<&'static str>,
) -> Result<Record, ApiError> {
    let _permit = app
        .coding
        .acquire()
        .await
        .map_err(|_| ApiError::internal("the server is shutting down"))?;
    let app = app.clone();
    blocking(move || {
        let mut record = app.pipeline()?.code(doc);
        annalist_store::dates::mark_date_source(&mut record, date_from);
        Ok(record)
    })
    .await
}

async fn code(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Record>, ApiError> {
    let (doc, date_from) = read_document(&app, &headers, body).await?;
    Ok(Json(code_document(&app, doc, date_from).await?))
}

/// Whether the request carries the write token; compared in constant time
/// so that response timing does not reveal how much of a guess was right.
fn authorized(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &app.config.write_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "this server is read-only; hint: start it with --write-token to accept documents",
        ));
    };
    // The scheme is case-insensitive (RFC 9110), so `bearer TOKEN` counts.
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, token)| token.trim());
    let (a, b) = (given.as_bytes(), token.as_bytes());
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same && !b.is_empty() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "storing documents needs the write token; hint: send `Authorization: Bearer TOKEN`",
        ))
    }
}

async fn store_document(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // The token is checked before the body is read, so that an anonymous
    // client cannot make the server read or code anything.
    authorized(&app, &headers)?;
    let (doc, date_from) = read_document(&app, &headers, body).await?;
    let record = code_document(&app, doc, date_from).await?;
    let app2 = app.clone();
    let (record, stats) = blocking(move || {
        let stats = app2.with_writer(|w| Ok(w.ingest(std::slice::from_ref(&record))?))?;
        Ok((record, stats))
    })
    .await?;
    if stats.documents > 0 {
        app.cache.clear();
    }
    let status = if stats.documents > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "doc_id": record.doc_id,
            "stored": stats.documents > 0,
            "ingest": stats,
            "record": record,
        })),
    )
        .into_response())
}
