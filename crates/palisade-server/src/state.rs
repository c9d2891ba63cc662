//! Shared request state. Holds the runtime pool behind `Db` (context transactions only).
use std::sync::{Arc, OnceLock};

use std::time::Duration;

use palisade_auth::browser_session::CsrfKey;
use palisade_auth::{Clock, TokenKeys};
use palisade_db::Db;
use palisade_jobs::StatusBoard;
use secrecy::SecretString;

use crate::cross_site::Origins;
use crate::metrics::Metrics;
use crate::sign_in::limits::SignInLimits;

/// Session lifetimes and sign-in rules (`auth.*`).
#[derive(Clone, Debug)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
    pub access_token: Duration,
    pub magic_link: Duration,
    pub open_signup: bool,
    pub password_sign_in: bool,
}

/// What every handler shares, behind one `Arc`: axum clones the state for each extractor and
/// middleware of every request, and a clone should be one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    /// Each tenant's language model, behind the egress guard and its budget.
    pub assistant: Arc<palisade_ai::Assistant>,
    pub keys: TokenKeys,
    pub body_limit: usize,
    /// The OpenAPI document, rendered once after the router is assembled.
    pub openapi: Arc<OnceLock<String>>,
    pub metrics: Arc<Metrics>,
    /// Job status when this instance runs the background jobs.
    pub jobs: Option<Arc<StatusBoard>>,
    pub metrics_token: Option<SecretString>,
    /// `/metrics` is served on its own loopback listener (`metrics.listen`), not on this one.
    pub metrics_elsewhere: bool,
    /// `/.well-known/security.txt`, when `[security_txt]` is configured.
    pub security_txt: Option<Arc<str>>,
    /// Error events being recorded at once (5xx responses), at most this many.
    pub error_reports: Arc<tokio::sync::Semaphore>,
    /// Company exports streaming now (`privacy::company_export::CONCURRENT_EXPORTS`, one per tenant).
    pub exports: Arc<crate::privacy::company_export::ExportSlots>,
    /// How long a terminated tenant's data is kept before its purge (`privacy.termination_grace_days`).
    pub termination_grace: chrono::Duration,
    pub mailer: palisade_mail::Mailer,
    /// The address people use to reach this server (links in emails).
    pub public_url: String,
    pub clock: Clock,
    pub sessions: SessionPolicy,
    pub csrf: CsrfKey,
    pub origins: Origins,
    pub sign_in_limits: SignInLimits,
    /// Development with the local mailbox: sign-in links are also printed to the server log, so a
    /// developer can sign in without opening the mailbox directory.
    pub log_sign_in_links: bool,
    /// Seals secrets at rest (TOTP secrets; later provider credentials and phone numbers).
    pub keyring: Arc<palisade_crypto::Keyring>,
    /// Blind-index keys (finding leads by phone number).
    pub index_keys: Arc<palisade_crypto::Keyring>,
    /// The configured OpenID Connect providers (`auth.oidc`).
    pub oidc: Arc<crate::sign_in::oidc_client::OidcProviders>,
    /// The bearer token of the internal endpoints (`PALISADE_CRON_SECRET`); unset refuses all.
    pub cron_secret: Option<SecretString>,
    /// Runs a background job on request (`/internal/cron/{job}`), whether or not this instance
    /// runs them on timers.
    pub runner: Arc<palisade_jobs::Jobs>,
    /// The HubSpot sync: the way to HubSpot (the OAuth flow, token checks, revocation) and what the
    /// `crm_sync` job runs.
    pub hubspot: Arc<palisade_hubspot::Syncer>,
    /// Signs the browser's half of a HubSpot connection in progress (its own key, not the OIDC one).
    pub crm_flow: palisade_auth::oidc_flow_cookie::FlowKey,
    /// Provider accounts webhooks opened in the last minute.
    pub accounts: Arc<crate::webhooks::accounts::AccountCache>,
}

impl Shared {
    /// The keys phone numbers are sealed and indexed with.
    pub fn phone_keys(&self) -> palisade_core::phone::PhoneKeys<'_> {
        palisade_core::phone::PhoneKeys {
            seal: &self.keyring,
            index: &self.index_keys,
        }
    }
}
