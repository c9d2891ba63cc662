//! Resend's HTTP API (`POST /emails`, bearer API key). The key never appears in errors or logs.
use secrecy::{ExposeSecret, SecretString};

use crate::{Delivery, Mail, MailError};

pub(crate) struct Resend {
    base_url: String,
    api_key: SecretString,
    client: reqwest::Client,
}

impl Resend {
    pub(crate) fn new(base_url: String, api_key: SecretString, client: reqwest::Client) -> Self {
        Self {
            base_url,
            api_key,
            client,
        }
    }

    pub(crate) async fn send(&self, from: &str, to: &[&str], mail: &Mail) -> Result<Delivery, MailError> {
        let body = serde_json::json!({
            "from": from,
            "to": to,
            "subject": mail.subject,
            "text": mail.text,
        });
        let mut request = self
            .client
            .post(format!("{}/emails", self.base_url))
            .bearer_auth(self.api_key.expose_secret())
            .json(&body);
        if let Some(key) = &mail.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.map_err(|_| MailError::Unreachable)?;
        let status = response.status();
        if !status.is_success() {
            return Err(MailError::Rejected(status.as_u16()));
        }
        let id = response
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned))
            .unwrap_or_default();
        tracing::info!(recipients = to.len(), "mail accepted by Resend");
        Ok(Delivery {
            recipients: to.len(),
            reference: id,
        })
    }
}
