//! What the server's integration tests share: sending one request through
//! the router in process.

use annalist_server::{router, App};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::sync::Arc;
use tower::ServiceExt;

/// Sends `req` to the app and returns the status, the headers (names in
/// lower case) and the body.
pub async fn send(
    app: &Arc<App>,
    req: Request<Body>,
) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
    let resp = router(app.clone()).oneshot(req).await.expect("response");
    let status = resp.status();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    (status, headers, body)
}
