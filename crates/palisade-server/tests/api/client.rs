//! A typed test client, in the manner of svix's server `TestClient`: one request is one line that
//! names the expected status and gets the body back typed, so a test reads as its steps.
//!
//! ```ignore
//! let rep = Client::new(&app, Some(Who::RepA1));
//! let lead: Value = rep.post("/api/v1/leads", json!({"name": "Pat"}), StatusCode::CREATED).await;
//! let e: ErrorBody = rep.get("/api/v1/leads/not-a-uuid", StatusCode::BAD_REQUEST).await;
//! assert_eq!(e.code(), "invalid_path");
//! ```
//!
//! Tests that look at headers, cookies or non-JSON bodies take the request builder from
//! [`Client::request`] (authenticated the same way) and read the raw response.
use palisade_testkit::{TestApp, Who};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who the requests are sent as.
#[derive(Clone)]
enum Auth {
    /// A fixture identity; its token is minted per request, at the server's clock, so a test that
    /// advances the clock still sends a token the server accepts (as `crate::send` does).
    Who(Option<Who>),
    /// A token the test obtained itself (a sign-in, or one minted for a particular tenant).
    Bearer(String),
}

#[derive(Clone)]
pub struct Client<'a> {
    app: &'a TestApp,
    auth: Auth,
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// The error body every refusal carries: `{"error": {"code", "message", "details"?}}` (tests that
/// look into `details` read the body as a `Value`).
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    pub fn code(&self) -> &str {
        &self.error.code
    }
}

impl<'a> Client<'a> {
    /// Requests as `who` (`None`, or an identity without a token, sends none).
    pub fn new(app: &'a TestApp, who: Option<Who>) -> Self {
        Self {
            app,
            auth: Auth::Who(who),
            headers: Vec::new(),
        }
    }

    pub fn anonymous(app: &'a TestApp) -> Self {
        Self::new(app, None)
    }

    /// Requests with a token the test holds.
    pub fn bearer(app: &'a TestApp, token: impl Into<String>) -> Self {
        Self {
            app,
            auth: Auth::Bearer(token.into()),
            headers: Vec::new(),
        }
    }

    /// The same client, sending `name: value` on every request (a request id, a raw
    /// `authorization` header).
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        let value = HeaderValue::from_str(value).expect("a valid header value");
        self.headers.push((HeaderName::from_static(name), value));
        self
    }

    /// The request, authenticated and with this client's headers, for a test that reads the raw
    /// response.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut req = self.app.client.request(method, self.app.url(path));
        let token = match &self.auth {
            Auth::Who(who) => who.and_then(|w| self.app.token(w)),
            Auth::Bearer(token) => Some(token.clone()),
        };
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        for (name, value) in &self.headers {
            req = req.header(name, value);
        }
        req
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str, expect: StatusCode) -> T {
        self.send(Method::GET, path, None, expect).await
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: impl Serialize, expect: StatusCode) -> T {
        self.send(Method::POST, path, Some(json(body)), expect).await
    }

    /// A POST without a body (an action such as `/resolve`).
    pub async fn post_empty<T: DeserializeOwned>(&self, path: &str, expect: StatusCode) -> T {
        self.send(Method::POST, path, None, expect).await
    }

    pub async fn put<T: DeserializeOwned>(&self, path: &str, body: impl Serialize, expect: StatusCode) -> T {
        self.send(Method::PUT, path, Some(json(body)), expect).await
    }

    pub async fn patch<T: DeserializeOwned>(
        &self,
        path: &str,
        body: impl Serialize,
        expect: StatusCode,
    ) -> T {
        self.send(Method::PATCH, path, Some(json(body)), expect).await
    }

    pub async fn delete<T: DeserializeOwned>(&self, path: &str, expect: StatusCode) -> T {
        self.send(Method::DELETE, path, None, expect).await
    }

    /// POSTs bytes as they are (a webhook body, signed exactly as sent).
    pub async fn post_raw<T: DeserializeOwned>(
        &self,
        path: &str,
        body: impl Into<reqwest::Body>,
        expect: StatusCode,
    ) -> T {
        let req = self.request(Method::POST, path).body(body);
        let text = finish(&Method::POST, path, req, expect).await;
        decode(&Method::POST, path, &text)
    }

    /// Any method, with an optional JSON body: the expected status, then the body typed. An empty
    /// body (a 204) reads as JSON `null`, so `()`, `Value` and `Option<_>` all take it.
    pub async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        expect: StatusCode,
    ) -> T {
        let text = self.text(method.clone(), path, body, expect).await;
        decode(&method, path, &text)
    }

    /// Like [`Client::send`], returning the body as text, for tests that check what a body does
    /// not contain, or bodies that are not JSON.
    pub async fn text(&self, method: Method, path: &str, body: Option<Value>, expect: StatusCode) -> String {
        let mut req = self.request(method.clone(), path);
        if let Some(body) = body {
            req = req.json(&body);
        }
        finish(&method, path, req, expect).await
    }
}

/// Sends the request and checks its status: the body's text.
async fn finish(method: &Method, path: &str, req: RequestBuilder, expect: StatusCode) -> String {
    let response = req.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    // The bodies are test fixtures: printing them makes a failure readable.
    assert!(
        status == expect,
        "{method} {path}: expected {expect}, got {status}; body: {text}"
    );
    text
}

fn decode<T: DeserializeOwned>(method: &Method, path: &str, text: &str) -> T {
    if text.trim().is_empty() {
        return serde_json::from_value(Value::Null)
            .unwrap_or_else(|e| panic!("{method} {path}: empty body, expected one: {e}"));
    }
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{method} {path}: unexpected body ({e}): {text}"))
}

fn json(body: impl Serialize) -> Value {
    serde_json::to_value(body).expect("a body that serialises to JSON")
}
