//! The operator's `[hubspot]` settings (`PALISADE_HUBSPOT__…`): the public app tenants connect
//! through OAuth (client id and secret; without them tenants connect private-app tokens only),
//! HubSpot's addresses, the limits of a portal, and the client's patience.
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HubspotSettings {
    /// The CRM and token API (`https://api.hubapi.com`).
    pub api_base_url: String,
    /// Where an admin's browser authorizes the app.
    pub authorize_url: String,
    /// The public app's client id and secret (`PALISADE_HUBSPOT__CLIENT_SECRET`).
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    /// Where HubSpot sends the browser back; default `{public_url}/oauth/hubspot/callback` (it must be
    /// among the app's redirect URLs).
    pub redirect_uri: Option<String>,
    /// The scopes asked for (default: contacts read/write, deals read/write, owners read, the deal
    /// schema read/write).
    pub scopes: Vec<String>,
    /// A portal's requests per ten seconds (the plan's bucket; 0 turns the limiter off).
    pub requests_per_ten_seconds: u32,
    /// A portal's CRM searches per second (0 turns it off).
    pub searches_per_second: u32,
    /// Records per search page (1-200).
    pub page_size: u32,
    pub timeout_seconds: u16,
    /// Attempts of one request (timeouts, 429s and 5xx are tried again).
    pub max_attempts: u16,
    pub backoff_ms: u32,
}

impl Default for HubspotSettings {
    fn default() -> Self {
        let d = palisade_hubspot::HubspotConfig::default();
        Self {
            api_base_url: d.api_base_url,
            authorize_url: d.authorize_url,
            client_id: None,
            client_secret: None,
            redirect_uri: None,
            scopes: d.scopes,
            requests_per_ten_seconds: d.requests_per_ten_seconds,
            searches_per_second: d.searches_per_second,
            page_size: d.page_size,
            timeout_seconds: 30,
            max_attempts: 5,
            backoff_ms: 500,
        }
    }
}

fn https_or_local(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost")
}

impl HubspotSettings {
    pub fn validate(&self) -> Result<(), String> {
        for (name, url) in [
            ("api_base_url", &self.api_base_url),
            ("authorize_url", &self.authorize_url),
        ] {
            if !https_or_local(url) {
                return Err(format!(
                    "hubspot.{name} must be an https:// address (or http:// on this machine)"
                ));
            }
        }
        if self.client_id.is_some() != self.client_secret.is_some() {
            return Err("hubspot.client_id and hubspot.client_secret are set together, or neither".into());
        }
        if self.redirect_uri.as_deref().is_some_and(|u| !https_or_local(u)) {
            return Err(
                "hubspot.redirect_uri must be an https:// address (or http:// on this machine)".into(),
            );
        }
        if !(1..=200).contains(&self.page_size) || self.max_attempts == 0 || self.timeout_seconds == 0 {
            return Err("hubspot: page_size is 1-200, max_attempts and timeout_seconds at least 1".into());
        }
        if self.scopes.is_empty() {
            return Err("hubspot.scopes: at least one".into());
        }
        Ok(())
    }

    pub fn to_config(&self, public_url: &str) -> palisade_hubspot::HubspotConfig {
        let app = match (&self.client_id, &self.client_secret) {
            (Some(id), Some(secret)) => Some(palisade_hubspot::AppCredentials {
                client_id: id.clone(),
                client_secret: secret.clone(),
                redirect_uri: self.redirect_uri.clone().unwrap_or_else(|| {
                    format!("{}/oauth/hubspot/callback", public_url.trim_end_matches('/'))
                }),
            }),
            _ => None,
        };
        palisade_hubspot::HubspotConfig {
            api_base_url: self.api_base_url.clone(),
            authorize_url: self.authorize_url.clone(),
            app,
            scopes: self.scopes.clone(),
            requests_per_ten_seconds: self.requests_per_ten_seconds,
            searches_per_second: self.searches_per_second,
            page_size: self.page_size,
            request_timeout: Duration::from_secs(u64::from(self.timeout_seconds)),
            max_attempts: u32::from(self.max_attempts),
            backoff: Duration::from_millis(u64::from(self.backoff_ms)),
            ..palisade_hubspot::HubspotConfig::default()
        }
    }
}
