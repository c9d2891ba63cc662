//! Every request to HubSpot goes through [`Transport::call`]: the portal's limits first, then the
//! request with the tenant's token, then the answer read up to a size limit. A 429 waits as HubSpot
//! says (`Retry-After`, or the rest of its ten-second window) and tries again — unless the day's
//! limit is spent; a timeout, a lost connection or a 5xx is tried again with exponential backoff and
//! full jitter, but only for requests that are safe to repeat: a request that creates something is
//! repeated only when HubSpot cannot have acted on it (a 429, or no connection made).
use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tracing::debug;

use crate::config::HubspotConfig;
use crate::error::HubspotError;
use crate::limits::{Bucket, Limits};
use crate::metrics::HubspotMetrics;

/// The largest answer read (a search page of 200 records is far smaller).
const MAX_ANSWER_BYTES: usize = 8 << 20;
/// How long a 429 without `Retry-After` waits: the rest of a ten-second window at most.
const WINDOW: Duration = Duration::from_secs(10);
/// The longest wait honoured: a run holds its tenant's lease while it waits.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// One request. `Debug` leaves the token and body out.
pub(crate) struct Call<'a> {
    pub portal: u64,
    pub token: &'a SecretString,
    pub bucket: Bucket,
    pub method: Method,
    /// From the API's root: `/crm/v3/objects/contacts/search`.
    pub path: String,
    pub body: Option<Value>,
    /// Whether sending it twice does no harm (reads, upserts by a unique key, deletes).
    pub idempotent: bool,
    /// Asked while a person waits (connecting, disconnecting): one attempt, no portal's limiter
    /// (there is no portal yet), and no waiting on a 429.
    pub interactive: bool,
}

pub struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) config: HubspotConfig,
    limits: Limits,
    pub(crate) metrics: HubspotMetrics,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// What one attempt came to.
enum Attempt {
    Done(Value),
    /// Try again after this long (or the backoff's wait).
    Again(HubspotError, Option<Duration>),
    Final(HubspotError),
}

impl Transport {
    pub fn new(config: HubspotConfig, metrics: HubspotMetrics) -> Result<Self, reqwest::Error> {
        // The timeout covers every request, the OAuth crate's token requests included: a refresh holds
        // the connection's row lock while it waits.
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let limits = Limits::new(config.requests_per_ten_seconds, config.searches_per_second);
        Ok(Self {
            http,
            config,
            limits,
            metrics,
        })
    }

    pub fn config(&self) -> &HubspotConfig {
        &self.config
    }

    pub(crate) async fn call(&self, call: Call<'_>) -> Result<Value, HubspotError> {
        let url = format!("{}{}", self.config.api_base_url.trim_end_matches('/'), call.path);
        let mut attempt = 0;
        let attempts = if call.interactive {
            1
        } else {
            self.config.max_attempts
        };
        loop {
            attempt += 1;
            if !call.interactive {
                self.limits.wait(call.portal, call.bucket).await;
            }
            let outcome = self.attempt(&url, &call).await;
            let (error, wait) = match outcome {
                Attempt::Done(value) => {
                    self.metrics.request("ok");
                    return Ok(value);
                }
                Attempt::Final(e) => {
                    self.metrics.request(e.code());
                    return Err(e);
                }
                Attempt::Again(e, wait) => (e, wait),
            };
            self.metrics.request(error.code());
            if attempt >= attempts {
                return Err(error);
            }
            let wait = wait.unwrap_or_else(|| self.backoff(attempt)).min(MAX_WAIT);
            debug!(attempt, wait_ms = wait.as_millis() as u64, %error, "retrying HubSpot");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, url: &str, call: &Call<'_>) -> Attempt {
        let mut request = self
            .http
            .request(call.method.clone(), url)
            .timeout(self.config.request_timeout)
            .bearer_auth(call.token.expose_secret());
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let response = match request.send().await {
            Ok(r) => r,
            // Nothing reached HubSpot: always safe to send again.
            Err(e) if e.is_connect() => {
                return Attempt::Again(HubspotError::Unavailable { status: None }, None)
            }
            Err(e) => {
                let error = if e.is_timeout() {
                    HubspotError::Timeout
                } else {
                    HubspotError::Unavailable { status: None }
                };
                return again_if(call.idempotent, error, None);
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s.min(MAX_WAIT.as_secs())));
        let body = match read_limited(response).await {
            Ok(body) => body,
            Err(e) => return again_if(call.idempotent, e, None),
        };
        classify(status, &body, retry_after, call.idempotent)
    }

    /// Full jitter: anywhere up to `backoff * 2^(attempt-1)`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .config
            .backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(8));
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX).max(1);
        Duration::from_millis(rand::thread_rng().gen_range(0..=millis))
    }
}

fn again_if(idempotent: bool, error: HubspotError, wait: Option<Duration>) -> Attempt {
    if idempotent {
        Attempt::Again(error, wait)
    } else {
        Attempt::Final(error)
    }
}

async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, HubspotError> {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() > MAX_ANSWER_BYTES => {
                return Err(HubspotError::Malformed)
            }
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => return Ok(bytes),
            Err(_) => return Err(HubspotError::Unavailable { status: None }),
        }
    }
}

/// What an answer means. HubSpot's error bodies carry `category`, `correlationId` and, for limits,
/// `policyName`; their `message` may quote a record's values and is never kept.
fn classify(status: u16, body: &[u8], retry_after: Option<Duration>, idempotent: bool) -> Attempt {
    let parsed = || serde_json::from_slice::<Value>(body);
    if (200..300).contains(&status) {
        if body.is_empty() {
            return Attempt::Done(Value::Null);
        }
        return match parsed() {
            Ok(value) => Attempt::Done(value),
            Err(_) => Attempt::Final(HubspotError::Malformed),
        };
    }
    let detail = parsed().unwrap_or(Value::Null);
    let text = |key: &str| {
        detail[key]
            .as_str()
            .unwrap_or("unknown")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            .take(64)
            .collect::<String>()
    };
    match status {
        429 => {
            let policy = text("policyName");
            let error = HubspotError::RateLimited {
                policy: policy.clone(),
            };
            if policy == "DAILY" {
                // Nothing more today: the run stops and the next one tries later.
                Attempt::Final(error)
            } else {
                // HubSpot did not act on a rate-limited request: safe to send again.
                Attempt::Again(error, Some(retry_after.unwrap_or(WINDOW)))
            }
        }
        401 => Attempt::Final(HubspotError::Unauthorized),
        403 => Attempt::Final(HubspotError::MissingScope),
        404 => Attempt::Final(HubspotError::NotFound),
        s if s >= 500 => again_if(
            idempotent,
            HubspotError::Unavailable { status: Some(s) },
            retry_after,
        ),
        s => Attempt::Final(HubspotError::Rejected {
            status: s,
            category: text("category"),
            correlation: text("correlationId"),
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn final_error(a: Attempt) -> HubspotError {
        match a {
            Attempt::Final(e) => e,
            Attempt::Again(e, _) => panic!("retried: {e}"),
            Attempt::Done(_) => panic!("done"),
        }
    }

    #[test]
    fn answers_are_classified_without_keeping_hubspot_messages() {
        let body = br#"{"status":"error","message":"Property values were not valid: jane@x.io","correlationId":"abc-123","category":"VALIDATION_ERROR"}"#;
        let e = final_error(classify(400, body, None, true));
        assert_eq!(e.code(), "hubspot_rejected");
        let shown = e.to_string();
        assert!(
            shown.contains("VALIDATION_ERROR") && shown.contains("abc-123"),
            "{shown}"
        );
        assert!(!shown.contains("jane"), "{shown}");
        assert_eq!(
            final_error(classify(401, b"", None, true)),
            HubspotError::Unauthorized
        );
        assert_eq!(
            final_error(classify(403, b"{}", None, true)),
            HubspotError::MissingScope
        );
        let daily = br#"{"policyName":"DAILY"}"#;
        assert_eq!(
            final_error(classify(429, daily, None, true)).code(),
            "hubspot_rate_limited"
        );
        match classify(429, br#"{"policyName":"TEN_SECONDLY_ROLLING"}"#, None, false) {
            Attempt::Again(_, Some(wait)) => assert_eq!(wait, WINDOW),
            _ => panic!("a ten-second limit is waited out, even for a create"),
        }
        match classify(429, b"{}", Some(Duration::from_secs(3)), true) {
            Attempt::Again(_, Some(wait)) => assert_eq!(wait, Duration::from_secs(3)),
            _ => panic!("Retry-After is honoured"),
        }
        assert!(matches!(classify(502, b"", None, true), Attempt::Again(..)));
        // A create that may have happened is not sent again.
        assert!(matches!(classify(502, b"", None, false), Attempt::Final(_)));
        assert!(matches!(
            classify(200, b"not json", None, true),
            Attempt::Final(_)
        ));
        assert!(matches!(
            classify(204, b"", None, true),
            Attempt::Done(Value::Null)
        ));
    }
}
