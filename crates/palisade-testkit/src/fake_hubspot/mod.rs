//! A fake HubSpot on 127.0.0.1: the OAuth token endpoint and token information, CRM v3 objects and
//! search (paging, and the 400 past 10,000 results), owners, deal properties, v4 associations, GDPR
//! delete — and, on demand, a rate limit answering 429 with `Retry-After`, scripted failures, and a
//! log of every request. Records live in memory; tests add, change and inspect them directly.
mod crm;
mod oauth;
mod search;
mod store;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub use crm::props;
pub use oauth::GrantInfo;

pub const FAKE_HUBSPOT_CLIENT_ID: &str = "fake-hubspot-client";
pub const FAKE_HUBSPOT_CLIENT_SECRET: &str = "fake-hubspot-secret-0123456789";

/// A failure the fake answers with instead of the real answer.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Requests whose path contains this.
    pub path_contains: String,
    /// Let this many matching requests through first.
    pub after: u32,
    /// Fail this many (`None`: every one from then on).
    pub times: Option<u32>,
    pub status: u16,
    pub retry_after: Option<u64>,
    /// Answer after this long (a stalled HubSpot).
    pub stall: Option<Duration>,
    /// Do the work, then answer with the failure anyway (an answer lost on the way back).
    pub lost_answer: bool,
}

impl Failure {
    pub fn new(path_contains: &str, status: u16) -> Self {
        Self {
            path_contains: path_contains.into(),
            after: 0,
            times: Some(1),
            status,
            retry_after: None,
            stall: None,
            lost_answer: false,
        }
    }
}

/// One request as received (the method and path; bodies are the test's own data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
}

#[derive(Default)]
struct Limit {
    per_window: u32,
    window: Duration,
    started: Option<Instant>,
    used: u32,
}

pub(crate) struct Inner {
    store: store::Store,
    tokens: oauth::Tokens,
    failures: Vec<Failure>,
    limit: Option<Limit>,
    log: Vec<Logged>,
    limited: u32,
}

#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<Inner>>);

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub struct FakeHubspot {
    /// What `hubspot.api_base_url` is set to.
    pub base_url: String,
    shared: Shared,
    _server: tokio::task::JoinHandle<()>,
}

fn reject(status: u16, policy: Option<&str>, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body =
        json!({"status": "error", "category": "FAKE_FAILURE", "correlationId": "fake", "message": "fake"});
    if let Some(p) = policy {
        body["policyName"] = json!(p);
        body["category"] = json!("RATE_LIMITS");
    }
    let mut response = (status, Json(body)).into_response();
    if let Some(s) = retry_after {
        response.headers_mut().insert("retry-after", s.into());
    }
    response
}

/// The scripted failure for this path, if one applies now.
fn scripted(inner: &mut Inner, path: &str) -> Option<Failure> {
    let f = inner
        .failures
        .iter_mut()
        .find(|f| path.contains(&f.path_contains))?;
    if f.after > 0 {
        f.after -= 1;
        return None;
    }
    let hit = f.clone();
    if let Some(n) = &mut f.times {
        *n -= 1;
    }
    inner.failures.retain(|f| f.times != Some(0));
    Some(hit)
}

fn over_limit(inner: &mut Inner) -> Option<u64> {
    let limit = inner.limit.as_mut()?;
    let now = Instant::now();
    let started = *limit.started.get_or_insert(now);
    if now.duration_since(started) >= limit.window {
        limit.started = Some(now);
        limit.used = 0;
    }
    limit.used += 1;
    if limit.used <= limit.per_window {
        return None;
    }
    inner.limited += 1;
    let left = limit
        .window
        .saturating_sub(now.duration_since(limit.started.unwrap_or(now)));
    Some(left.as_secs().max(1))
}

async fn crm(State(shared): State<Shared>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes: Bytes = axum::body::to_bytes(request.into_body(), 16 << 20)
        .await
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let failure = {
        let mut inner = shared.lock();
        inner.log.push(Logged {
            method: method.to_string(),
            path: path.clone(),
            authorization: bearer.clone(),
        });
        let token = bearer
            .as_deref()
            .and_then(|b| b.strip_prefix("Bearer "))
            .unwrap_or_default();
        if inner
            .tokens
            .check(token, chrono::Utc::now().timestamp())
            .is_none()
        {
            return reject(401, None, None);
        }
        if let Some(wait) = over_limit(&mut inner) {
            return reject(429, Some("TEN_SECONDLY_ROLLING"), Some(wait));
        }
        scripted(&mut inner, &path)
    };
    if let Some(f) = failure.as_ref().filter(|f| f.lost_answer) {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let _ = crm::dispatch(&mut shared.lock().store, &method, &segments, &query, &body);
        return reject(f.status, None, f.retry_after);
    }
    if let Some(f) = failure {
        if let Some(d) = f.stall {
            tokio::time::sleep(d).await;
        }
        let policy = (f.status == 429).then_some("TEN_SECONDLY_ROLLING");
        return reject(f.status, policy, f.retry_after);
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (status, answer) = crm::dispatch(&mut shared.lock().store, &method, &segments, &query, &body);
    if answer.is_null() {
        return status.into_response();
    }
    (status, Json(answer)).into_response()
}

impl FakeHubspot {
    pub async fn start() -> Self {
        let inner = Inner {
            store: store::Store::new(),
            tokens: oauth::Tokens {
                lifetime: 1800,
                ..Default::default()
            },
            failures: Vec::new(),
            limit: None,
            log: Vec::new(),
            limited: 0,
        };
        let shared = Shared(Arc::new(Mutex::new(inner)));
        let app = Router::new()
            .route("/oauth/v1/token", post(oauth::token))
            .route("/oauth/v1/access-tokens/{token}", get(oauth::access_token_info))
            .route("/oauth/v1/refresh-tokens/{token}", delete(oauth::revoke))
            .route(
                "/oauth/v2/private-apps/get/access-token-info",
                post(oauth::private_app_info),
            )
            .fallback(crm)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("addr: {e}"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}"),
            shared,
            _server: server,
        }
    }

    /// Where a browser would be sent to consent (the fake serves no page there).
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.base_url)
    }

    /// A code HubSpot's consent screen would send the browser back with, for `portal`.
    pub fn issue_code(&self, portal: u64, scopes: &[&str]) -> String {
        let mut inner = self.shared.lock();
        let code = inner.tokens.mint("code");
        let grant = GrantInfo {
            portal,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        };
        inner.tokens.codes.insert(code.clone(), grant);
        code
    }

    /// A private app's token for `portal` (`pat-…`).
    pub fn private_app_token(&self, portal: u64) -> String {
        let mut inner = self.shared.lock();
        let token = format!("pat-na1-{}", inner.tokens.mint("x"));
        let grant = GrantInfo {
            portal,
            scopes: vec![
                "crm.objects.contacts.read".into(),
                "crm.objects.deals.read".into(),
            ],
        };
        inner.tokens.private.insert(token.clone(), grant);
        token
    }

    /// Seconds new access tokens live.
    pub fn set_token_lifetime(&self, secs: i64) {
        self.shared.lock().tokens.lifetime = secs;
    }

    /// Ends every access token now (a refresh is then the only way in).
    pub fn expire_access_tokens(&self) {
        self.shared.lock().tokens.access.clear();
    }

    /// Refreshes the token endpoint granted.
    pub fn refreshes(&self) -> u64 {
        self.shared.lock().tokens.refreshes
    }

    pub fn revoked(&self) -> Vec<String> {
        self.shared.lock().tokens.revoked.clone()
    }

    /// Answers at most `per_window` requests per window, then 429 with `Retry-After`.
    pub fn rate_limit(&self, per_window: u32, window: Duration) {
        self.shared.lock().limit = Some(Limit {
            per_window,
            window,
            ..Limit::default()
        });
    }

    /// Requests answered with 429 by the rate limit.
    pub fn limited(&self) -> u32 {
        self.shared.lock().limited
    }

    pub fn fail(&self, failure: Failure) {
        self.shared.lock().failures.push(failure);
    }

    pub fn clear_failures(&self) {
        self.shared.lock().failures.clear();
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.shared.lock().log.clone()
    }

    pub fn add_owner(&self, email: &str) -> u64 {
        let mut inner = self.shared.lock();
        inner.store.next_id += 1;
        let id = inner.store.next_id;
        inner.store.owners.push((id, email.to_owned()));
        id
    }

    /// Adds a record of `kind` (`contacts`, `deals`, `notes`); returns its id.
    pub fn add(&self, kind: &str, properties: &[(&str, &str)]) -> u64 {
        let kind = store::object_type(kind).unwrap_or_else(|| panic!("no such type {kind}"));
        let map: BTreeMap<String, String> = properties
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        self.shared.lock().store.create(kind, map)
    }

    /// Adds `n` contacts made by `f(i)` at once (a large portal).
    pub fn add_many(&self, kind: &str, n: usize, f: impl Fn(usize) -> Vec<(String, String)>) -> Vec<u64> {
        let kind = store::object_type(kind).unwrap_or_else(|| panic!("no such type {kind}"));
        let mut inner = self.shared.lock();
        (0..n)
            .map(|i| inner.store.create(kind, f(i).into_iter().collect()))
            .collect()
    }

    /// Changes a record (its modification time moves on); false when it does not exist.
    pub fn update(&self, kind: &str, id: u64, properties: &[(&str, &str)]) -> bool {
        let kind = store::object_type(kind).unwrap_or_else(|| panic!("no such type {kind}"));
        self.shared.lock().store.update(kind, id, &props(properties))
    }

    pub fn associate(&self, from: &str, from_id: u64, to: &str, to_id: u64) {
        let (Some(a), Some(b)) = (store::object_type(from), store::object_type(to)) else {
            panic!("no such types {from} {to}");
        };
        self.shared.lock().store.associate(a, from_id, b, to_id);
    }

    pub fn associated(&self, from: &str, id: u64, to: &str) -> Vec<u64> {
        let (Some(a), Some(b)) = (store::object_type(from), store::object_type(to)) else {
            panic!("no such types {from} {to}");
        };
        self.shared.lock().store.associated(a, id, b)
    }

    /// The records of `kind`: id → properties.
    pub fn records(&self, kind: &str) -> BTreeMap<u64, BTreeMap<String, String>> {
        let kind = store::object_type(kind).unwrap_or_else(|| panic!("no such type {kind}"));
        let inner = self.shared.lock();
        inner
            .store
            .objects
            .get(kind)
            .into_iter()
            .flatten()
            .map(|(id, o)| (*id, o.properties.clone()))
            .collect()
    }

    pub fn remove(&self, kind: &str, id: u64) -> bool {
        let kind = store::object_type(kind).unwrap_or_else(|| panic!("no such type {kind}"));
        self.shared.lock().store.table(kind).remove(&id).is_some()
    }

    pub fn gdpr_deleted(&self) -> Vec<u64> {
        self.shared.lock().store.gdpr_deleted.clone()
    }
}
