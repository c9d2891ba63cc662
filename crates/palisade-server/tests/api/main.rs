//! HTTP-level tests against the real server on 127.0.0.1. One binary, so the private cluster starts once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failed setup fails the test"
)]
mod admin;
mod ai;
mod bad_input;
mod client;
mod crm;
mod crm_sync;
mod http_matrix;
mod me;
mod ops;
mod platform;
mod privacy;
mod sign_in;
mod web;
mod webhooks;

use palisade_testkit::{TestApp, Who};
use reqwest::{Method, Response};
use serde_json::Value;

/// Sends a request as `who` (`None` = anonymous).
pub async fn send(
    app: &TestApp,
    who: Option<Who>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut req = app.client.request(method, app.url(path));
    if let Some(token) = who.and_then(|w| app.token(w)) {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// The error code of an error response.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"]["code"].as_str().unwrap_or_default().to_owned()
}

/// Ends every open window of counted security events now (as if five minutes had passed) and writes
/// their access events, as the `security_event_windows` job does.
pub async fn close_event_windows(app: &TestApp) -> u64 {
    let mut tx = app.db.db.system(palisade_db::Purpose::Maintenance).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::minutes(10);
    let n = palisade_core::audit::access::close_windows(&mut tx, later)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}
