//! The web UI's files, embedded in the binary so that the server needs
//! nothing beside it and the browser loads nothing from elsewhere.

use crate::App;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

pub const OPENAPI: &str = include_str!("../assets/openapi.json");
pub const INDEX_HTML: &str = include_str!("../../../web/index.html");
pub const APP_JS: &str = include_str!("../../../web/app.js");
pub const STYLE_CSS: &str = include_str!("../../../web/style.css");
/// Leaflet 1.9.4 (BSD-2-Clause), the map; vendored by `web/tools/vendor.mjs`.
pub const LEAFLET_JS: &str = include_str!("../../../web/vendor/leaflet.js");
pub const LEAFLET_CSS: &str = include_str!("../../../web/vendor/leaflet.css");
/// d3-force 3 with its dependencies (ISC), the network layout.
pub const D3_FORCE_JS: &str = include_str!("../../../web/vendor/d3-force.js");
/// Natural Earth 110m country outlines as SVG paths (see NOTICE).
pub const BASEMAP_JSON: &str = include_str!("../../../web/basemap.json");

/// The policy that keeps article text inert even if some code path ever put
/// it into markup: scripts and styles only from this server, no inline
/// script, no plugins, no framing, no requests elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route(
            "/vendor/leaflet.js",
            get(|| async { asset("text/javascript; charset=utf-8", LEAFLET_JS) }),
        )
        .route(
            "/vendor/leaflet.css",
            get(|| async { asset("text/css; charset=utf-8", LEAFLET_CSS) }),
        )
        .route(
            "/vendor/d3-force.js",
            get(|| async { asset("text/javascript; charset=utf-8", D3_FORCE_JS) }),
        )
        .route(
            "/basemap.json",
            get(|| async { asset("application/json", BASEMAP_JSON) }),
        )
}
