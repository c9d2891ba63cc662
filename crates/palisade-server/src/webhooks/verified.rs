//! The one way a webhook handler gets its request. `Verified<S>` takes the tenant from the path and
//! the raw body (within the server's body limit), and checks it with the provider's signature scheme
//! `S` against the tenant's account — one domain call (`palisade_core::webhook_check`) — before the
//! handler runs. A refusal answers 403 with no detail and counts in
//! `palisade_webhook_verification_failures{provider, reason}`.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use palisade_core::integrations::Provider;
use palisade_core::webhook_check::{check_webhook, Account, Refusal};
use palisade_db::TenantId;
use palisade_webhooks::Rejection;
use secrecy::SecretString;

use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::metrics::WebhookLabels;
use crate::state::AppState;

/// What a provider signs, as this server received it.
pub(crate) struct Signed<'a> {
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The URL the provider called, as it signed it: the configured public base URL (Palisade
    /// usually sits behind a proxy) and the path and query as received.
    pub url: String,
    pub query: &'a str,
    pub now: DateTime<Utc>,
}

impl Signed<'_> {
    /// The first of `names` the request has, as text (empty when none: the verifiers refuse it).
    pub fn header(&self, names: &[&str]) -> &str {
        names
            .iter()
            .find_map(|n| self.headers.get(*n).and_then(|v| v.to_str().ok()))
            .unwrap_or_default()
    }
}

/// A provider's way of signing its requests. `check` is pure: no IO, no clock but `signed.now`.
pub(crate) trait Scheme: Send + 'static {
    const PROVIDER: Provider;
    /// What the check learns from the request on the way (Twilio's decoded form, say).
    type Checked: Send + 'static;
    fn check(signed: &Signed<'_>, account: &Account) -> Result<Self::Checked, Rejection>;
}

/// A webhook request whose signature verified against its tenant's account.
pub(crate) struct Verified<S: Scheme> {
    pub tenant: TenantId,
    pub account: Arc<Account>,
    pub body: Bytes,
    pub checked: S::Checked,
}

/// One secret of the account; a missing one is the tenant's configuration, not the caller's fault.
pub(crate) fn secret<'a>(account: &'a Account, name: &str) -> Result<&'a SecretString, Rejection> {
    account.secrets.get(name).ok_or(Rejection::BadSecret)
}

impl<S: Scheme> FromRequest<AppState> for Verified<S> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let ApiPath(tenant) = ApiPath::<TenantId>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let OriginalUri(uri) = OriginalUri::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let signed = Signed {
            headers: &headers,
            body: &body,
            url: format!("{}{path}", state.public_url.trim_end_matches('/')),
            query: uri.query().unwrap_or_default(),
            now: state.clock.now(),
        };
        // Read before the account is: a change to the integration meanwhile wins.
        let epoch = state.accounts.epoch();
        let held = state.accounts.get(tenant, S::PROVIDER);
        let checked = check_webhook(&state.db, &state.keyring, tenant, S::PROVIDER, held, |account| {
            S::check(&signed, account)
        })
        .await;
        match checked {
            Ok(c) => {
                if c.opened {
                    state
                        .accounts
                        .put(epoch, tenant, S::PROVIDER, Arc::clone(&c.account));
                }
                Ok(Self {
                    tenant,
                    account: c.account,
                    checked: c.value,
                    body,
                })
            }
            Err(Refusal::Rejected { why, opened }) => {
                // Kept even though this request failed: the next forged one is not another read.
                if let Some(account) = opened {
                    state.accounts.put(epoch, tenant, S::PROVIDER, account);
                }
                Err(refused(state, S::PROVIDER, why).into_response())
            }
            Err(Refusal::Failed(e)) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// Counts a refused request and answers it: 403, no detail.
fn refused(state: &AppState, provider: Provider, why: Rejection) -> ApiError {
    let provider = provider.as_str();
    state
        .metrics
        .webhook_verification_failures
        .get_or_create(&WebhookLabels {
            provider: provider.to_owned(),
            reason: why.reason().to_owned(),
        })
        .inc();
    tracing::warn!(provider, reason = why.reason(), "webhook rejected");
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", "forbidden")
}
