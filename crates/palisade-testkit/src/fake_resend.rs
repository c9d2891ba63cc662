//! A fake Resend API on 127.0.0.1: records every `POST /emails` and answers as configured.
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub body: Value,
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    status: Arc<Mutex<u16>>,
}

pub struct FakeResend {
    pub base_url: String,
    shared: Shared,
    _server: tokio::task::JoinHandle<()>,
}

async fn emails(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    shared.received.lock().unwrap().push(ReceivedMail {
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        body,
    });
    let status = *shared.status.lock().unwrap();
    let code = StatusCode::from_u16(status).unwrap();
    if code.is_success() {
        (code, Json(json!({"id": "fake-email-id"})))
    } else {
        (
            code,
            Json(json!({"name": "internal_server_error", "message": "fake failure"})),
        )
    }
}

impl FakeResend {
    pub async fn start() -> Self {
        let shared = Shared {
            status: Arc::new(Mutex::new(200)),
            ..Shared::default()
        };
        let app = Router::new()
            .route("/emails", post(emails))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}"),
            shared,
            _server: server,
        }
    }

    /// Answer every later request with this HTTP status.
    pub fn respond_with(&self, status: u16) {
        *self.shared.status.lock().unwrap() = status;
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.shared.received.lock().unwrap().clone()
    }
}
