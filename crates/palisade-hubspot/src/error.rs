//! What can go wrong talking to HubSpot, in words an admin can act on. Never a token, a record's
//! values or HubSpot's message (which may quote them): the status, HubSpot's error category and its
//! correlation id are enough to look a failure up with HubSpot.

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum HubspotError {
    #[error("HubSpot did not answer in time")]
    Timeout,
    #[error("HubSpot is unavailable{}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Unavailable { status: Option<u16> },
    #[error("HubSpot's rate limit was reached ({policy})")]
    RateLimited { policy: String },
    #[error("HubSpot refused the token (HTTP 401): connect HubSpot again")]
    Unauthorized,
    #[error("the HubSpot connection lacks a scope this needs (HTTP 403): connect HubSpot again")]
    MissingScope,
    #[error("HubSpot has no such record (HTTP 404)")]
    NotFound,
    #[error("HubSpot refused the request (HTTP {status}, {category}, correlation id {correlation})")]
    Rejected {
        status: u16,
        category: String,
        correlation: String,
    },
    #[error("HubSpot's answer was not readable")]
    Malformed,
    #[error("HubSpot refused the refresh token: connect HubSpot again")]
    RefreshRefused,
    #[error("no HubSpot app is configured (hubspot.client_id and hubspot.client_secret)")]
    NoApp,
}

impl HubspotError {
    /// A stable code for state, metrics and error bodies.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Timeout => "hubspot_timeout",
            Self::Unavailable { .. } => "hubspot_unavailable",
            Self::RateLimited { .. } => "hubspot_rate_limited",
            Self::Unauthorized => "hubspot_unauthorized",
            Self::MissingScope => "hubspot_missing_scope",
            Self::NotFound => "hubspot_not_found",
            Self::Rejected { .. } => "hubspot_rejected",
            Self::Malformed => "hubspot_malformed",
            Self::RefreshRefused => "hubspot_refresh_refused",
            Self::NoApp => "hubspot_no_app",
        }
    }

    /// Whether waiting and trying again later may help (the run stops either way).
    pub const fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Timeout | Self::Unavailable { .. } | Self::RateLimited { .. }
        )
    }
}
