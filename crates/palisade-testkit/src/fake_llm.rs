//! A fake OpenAI-compatible chat-completions server on 127.0.0.1. It records every request (the
//! prompts a test inspects for leaks) and answers from a script: queued replies and failures first,
//! then a responder function (by default it echoes the user message, so a test sees what the model
//! was given and what restoring placeholders does to it).
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct LlmRequest {
    pub authorization: Option<String>,
    pub organization: Option<String>,
    pub body: Value,
}

impl LlmRequest {
    pub fn system(&self) -> &str {
        self.message("system")
    }

    pub fn user(&self) -> &str {
        self.message("user")
    }

    fn message(&self, role: &str) -> &str {
        self.body["messages"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["role"] == role))
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
    }

    /// Everything sent, system and user messages together.
    pub fn prompt(&self) -> String {
        format!("{}\n{}", self.system(), self.user())
    }
}

/// What the fake does with the next request.
#[derive(Debug, Clone)]
pub enum LlmStep {
    /// Answer with this content.
    Reply(String),
    /// Answer with this HTTP status (and `Retry-After` seconds if given).
    Fail { status: u16, retry_after: Option<u64> },
    /// Take this long, then answer from the rest of the script.
    Stall(Duration),
}

type Responder = Arc<dyn Fn(&LlmRequest) -> String + Send + Sync>;

#[derive(Clone)]
struct Shared {
    received: Arc<Mutex<Vec<LlmRequest>>>,
    script: Arc<Mutex<VecDeque<LlmStep>>>,
    responder: Arc<Mutex<Responder>>,
}

pub struct FakeLlm {
    /// What a tenant's `base_url` is set to (`http://127.0.0.1:port/v1`).
    pub base_url: String,
    shared: Shared,
    _server: tokio::task::JoinHandle<()>,
}

async fn completions(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let request = LlmRequest {
        authorization: header("authorization"),
        organization: header("openai-organization"),
        body,
    };
    shared.received.lock().unwrap().push(request.clone());
    loop {
        let step = shared.script.lock().unwrap().pop_front();
        match step {
            Some(LlmStep::Stall(d)) => tokio::time::sleep(d).await,
            Some(LlmStep::Fail { status, retry_after }) => {
                let mut response = (
                    StatusCode::from_u16(status).unwrap(),
                    Json(json!({"error": {"message": "fake failure", "type": "server_error"}})),
                )
                    .into_response();
                if let Some(s) = retry_after {
                    response.headers_mut().insert("retry-after", s.into());
                }
                return response;
            }
            Some(LlmStep::Reply(content)) => return answer(&request, content),
            None => {
                let responder = shared.responder.lock().unwrap().clone();
                return answer(&request, responder(&request));
            }
        }
    }
}

fn answer(request: &LlmRequest, content: String) -> Response {
    let tokens = |s: &str| s.len().div_ceil(4);
    Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": request.body["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": tokens(&request.prompt()),
            "completion_tokens": tokens(&content),
            "total_tokens": tokens(&request.prompt()) + tokens(&content),
        },
    }))
    .into_response()
}

impl FakeLlm {
    pub async fn start() -> Self {
        let echo: Responder = Arc::new(|r: &LlmRequest| r.user().to_owned());
        let shared = Shared {
            received: Arc::default(),
            script: Arc::default(),
            responder: Arc::new(Mutex::new(echo)),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}/v1"),
            shared,
            _server: server,
        }
    }

    /// Queue steps taken, one per request, before the responder answers.
    pub fn script(&self, steps: impl IntoIterator<Item = LlmStep>) {
        self.shared.script.lock().unwrap().extend(steps);
    }

    /// Answer every request the script does not from now on with `f(request)`.
    pub fn respond_with(&self, f: impl Fn(&LlmRequest) -> String + Send + Sync + 'static) {
        *self.shared.responder.lock().unwrap() = Arc::new(f);
    }

    pub fn received(&self) -> Vec<LlmRequest> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn clear(&self) {
        self.shared.received.lock().unwrap().clear();
    }
}
