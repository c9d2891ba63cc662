//! An OpenAI-compatible chat-completions client: one system and one user message, both [`SafeText`]
//! (so masked), no tools ever, an optional JSON schema the answer must follow. Retries a timeout, a
//! lost connection, a 429 or a 5xx with exponential backoff and full jitter, honouring the provider's
//! `Retry-After`, all within one deadline. Errors name what happened and the HTTP status, never the
//! prompt, the answer or the key.
use std::time::{Duration, Instant};

use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use tracing::{debug, instrument};

use crate::guard::SafeText;

/// Where a tenant's model is and how to reach it. `Debug` leaves the key out.
pub struct Endpoint {
    /// Up to and including the version: `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: SecretString,
    pub organization: Option<String>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug)]
pub struct ClientSettings {
    /// One request at most.
    pub request_timeout: Duration,
    /// All attempts together, waits included.
    pub deadline: Duration,
    pub max_attempts: u32,
    /// The first retry waits up to this long; each later one up to twice as long.
    pub backoff: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(45),
            max_attempts: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What we ask.
#[derive(Debug)]
pub struct Prompt {
    pub system: SafeText,
    pub user: SafeText,
    pub max_tokens: u32,
    /// `(name, schema)`: the answer must be JSON of this schema (structured outputs).
    pub schema: Option<(&'static str, Value)>,
}

impl Prompt {
    /// Characters sent, for estimates before the provider counts tokens.
    pub fn chars(&self) -> usize {
        self.system.len() + self.user.len()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// The model's answer. `Debug` leaves the text out.
pub struct Reply {
    pub content: String,
    pub usage: Usage,
    pub attempts: u32,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("chars", &self.content.len())
            .field("usage", &self.usage)
            .field("attempts", &self.attempts)
            .finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LlmError {
    #[error("the language model did not answer in time")]
    Timeout,
    #[error("the language model is unavailable{}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Unavailable { status: Option<u16> },
    #[error(
        "the language model refused the request (HTTP {status}); check the key, the model and the address"
    )]
    Rejected { status: u16 },
    #[error("the language model's answer was not readable")]
    Malformed,
    #[error("the language model declined to answer")]
    Declined,
}

/// The largest answer read.
const MAX_ANSWER_BYTES: usize = 1 << 20;

#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    settings: ClientSettings,
}

impl LlmClient {
    pub fn new(settings: ClientSettings) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { http, settings })
    }

    pub fn settings(&self) -> &ClientSettings {
        &self.settings
    }

    #[instrument(skip_all, fields(model = %endpoint.model), err(level = "info"))]
    pub async fn complete(&self, endpoint: &Endpoint, prompt: &Prompt) -> Result<Reply, LlmError> {
        let body = request_body(&endpoint.model, prompt);
        let url = format!("{}/chat/completions", endpoint.base_url.trim_end_matches('/'));
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let left = self.settings.deadline.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(LlmError::Timeout);
            }
            let mut request = self
                .http
                .post(&url)
                .timeout(self.settings.request_timeout.min(left))
                .bearer_auth(endpoint.api_key.expose_secret())
                .json(&body);
            if let Some(org) = &endpoint.organization {
                request = request.header("OpenAI-Organization", org);
            }
            let (error, retry_after) = match request.send().await {
                Ok(response) => match read(response).await {
                    Ok(mut reply) => {
                        reply.attempts = attempt;
                        return Ok(reply);
                    }
                    Err(Failure::Final(e)) => return Err(e),
                    Err(Failure::Again(e, after)) => (e, after),
                },
                Err(e) if e.is_timeout() => (LlmError::Timeout, None),
                Err(_) => (LlmError::Unavailable { status: None }, None),
            };
            let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
            if attempt >= self.settings.max_attempts
                || wait >= self.settings.deadline.saturating_sub(started.elapsed())
            {
                return Err(error);
            }
            debug!(attempt, wait_ms = wait.as_millis() as u64, %error, "retrying the language model");
            tokio::time::sleep(wait).await;
        }
    }

    /// Full jitter: anywhere up to `backoff * 2^(attempt-1)`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .settings
            .backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(8));
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX).max(1);
        Duration::from_millis(rand::thread_rng().gen_range(0..=millis))
    }
}

fn request_body(model: &str, prompt: &Prompt) -> Value {
    let mut body = json!({
        "model": model,
        "messages": [
            {"role": "system", "content": prompt.system.as_str()},
            {"role": "user", "content": prompt.user.as_str()},
        ],
        "max_completion_tokens": prompt.max_tokens,
    });
    if let Some((name, schema)) = &prompt.schema {
        body["response_format"] = json!({
            "type": "json_schema",
            "json_schema": {"name": name, "strict": true, "schema": schema},
        });
    }
    body
}

enum Failure {
    /// Worth another attempt, after the provider's `Retry-After` if it gave one.
    Again(LlmError, Option<Duration>),
    Final(LlmError),
}

async fn read(response: reqwest::Response) -> Result<Reply, Failure> {
    let status = response.status();
    if status.as_u16() == 429 || status.is_server_error() {
        let after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        return Err(Failure::Again(
            LlmError::Unavailable {
                status: Some(status.as_u16()),
            },
            after,
        ));
    }
    if !status.is_success() {
        return Err(Failure::Final(LlmError::Rejected {
            status: status.as_u16(),
        }));
    }
    // Read as it arrives, and no further than the limit: an endpoint cannot make us hold more.
    let mut response = response;
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() > MAX_ANSWER_BYTES => {
                return Err(Failure::Final(LlmError::Malformed))
            }
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(_) => return Err(Failure::Again(LlmError::Unavailable { status: None }, None)),
        }
    }
    parse(&bytes).map_err(Failure::Final)
}

fn parse(bytes: &[u8]) -> Result<Reply, LlmError> {
    let body: Value = serde_json::from_slice(bytes).map_err(|_| LlmError::Malformed)?;
    let choice = &body["choices"][0];
    let message = &choice["message"];
    if message["refusal"].is_string() || choice["finish_reason"] == "content_filter" {
        return Err(LlmError::Declined);
    }
    let content = message["content"].as_str().ok_or(LlmError::Malformed)?.to_owned();
    let tokens = |name: &str| {
        body["usage"][name]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    };
    Ok(Reply {
        content,
        usage: Usage {
            prompt_tokens: tokens("prompt_tokens"),
            completion_tokens: tokens("completion_tokens"),
        },
        attempts: 0,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn answers_are_read_and_refusals_told_apart() {
        let ok = br#"{"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#;
        let reply = parse(ok).unwrap();
        assert_eq!(reply.content, "hi");
        assert_eq!(
            reply.usage,
            Usage {
                prompt_tokens: 12,
                completion_tokens: 3
            }
        );
        let refusal = br#"{"choices":[{"message":{"content":null,"refusal":"no"}}]}"#;
        assert_eq!(parse(refusal).unwrap_err(), LlmError::Declined);
        let filtered = br#"{"choices":[{"message":{"content":""},"finish_reason":"content_filter"}]}"#;
        assert_eq!(parse(filtered).unwrap_err(), LlmError::Declined);
        assert_eq!(parse(b"<html>").unwrap_err(), LlmError::Malformed);
        assert_eq!(parse(br#"{"choices":[]}"#).unwrap_err(), LlmError::Malformed);
    }

    #[test]
    fn the_request_carries_no_tools_and_the_schema_when_asked() {
        let prompt = Prompt {
            system: SafeText::instruction("s"),
            user: SafeText::instruction("u"),
            max_tokens: 100,
            schema: Some(("answer", json!({"type": "object"}))),
        };
        let body = request_body("m", &prompt);
        assert!(body.get("tools").is_none() && body.get("functions").is_none());
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert_eq!(body["messages"][1]["content"], "u");
    }
}
