//! How Palisade reaches HubSpot: the operator's app (client id and secret for the OAuth flow), the
//! addresses (configurable so tests point them at a fake server on this machine), the limits a
//! portal allows, and how patient the client is.
use std::time::Duration;

use secrecy::SecretString;

/// The scopes the OAuth flow asks for: read contacts, read and write deals and their property
/// (the unique `palisade_deal_id` a push is keyed by), write notes on contacts.
pub const DEFAULT_SCOPES: &[&str] = &[
    "oauth",
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
    "crm.objects.deals.read",
    "crm.objects.deals.write",
    "crm.objects.owners.read",
    "crm.schemas.deals.read",
    "crm.schemas.deals.write",
];

#[derive(Clone)]
pub struct HubspotConfig {
    /// The CRM and OAuth token API: `https://api.hubapi.com`.
    pub api_base_url: String,
    /// Where a browser is sent to authorize the app: `https://app.hubspot.com/oauth/authorize`.
    pub authorize_url: String,
    /// The operator's public app (none: tenants connect private-app tokens only).
    pub app: Option<AppCredentials>,
    pub scopes: Vec<String>,
    /// Requests a portal allows in ten seconds (the plan's bucket; 0 turns the limiter off).
    pub requests_per_ten_seconds: u32,
    /// CRM search requests a portal allows a second (0 turns the limiter off).
    pub searches_per_second: u32,
    /// Records asked for per search page (HubSpot allows up to 200).
    pub page_size: u32,
    /// One request at most.
    pub request_timeout: Duration,
    /// Attempts of one request (a timeout, a 429 or a 5xx is tried again).
    pub max_attempts: u32,
    /// The first retry's longest wait; each later one doubles (full jitter). A `Retry-After` wins.
    pub backoff: Duration,
    /// An access token is refreshed when it has less than this left.
    pub refresh_ahead: Duration,
}

/// The operator's HubSpot app. `Debug` leaves the secret out.
#[derive(Clone)]
pub struct AppCredentials {
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where HubSpot sends the browser back: `{public_url}/oauth/hubspot/callback`.
    pub redirect_uri: String,
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredentials")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for HubspotConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubspotConfig")
            .field("api_base_url", &self.api_base_url)
            .field("app", &self.app)
            .field("requests_per_ten_seconds", &self.requests_per_ten_seconds)
            .field("searches_per_second", &self.searches_per_second)
            .finish_non_exhaustive()
    }
}

impl Default for HubspotConfig {
    fn default() -> Self {
        Self {
            api_base_url: "https://api.hubapi.com".into(),
            authorize_url: "https://app.hubspot.com/oauth/authorize".into(),
            app: None,
            scopes: DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            // The smallest plan's bucket: 100 requests in any ten seconds.
            requests_per_ten_seconds: 100,
            searches_per_second: 5,
            page_size: 200,
            request_timeout: Duration::from_secs(30),
            max_attempts: 5,
            backoff: Duration::from_millis(500),
            refresh_ahead: Duration::from_secs(300),
        }
    }
}
