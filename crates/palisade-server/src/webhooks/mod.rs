//! Provider webhooks. Every request is checked against the tenant's provider secret before
//! anything acts on it: the raw body (within the server's body limit) and the headers go to a
//! `palisade-webhooks` verifier. A failure answers 403 with no detail, counts in
//! `palisade_webhook_verification_failures{provider, reason}`, and, when the tenant has the provider
//! connected, is counted towards a `webhook_rejected` access event (the reason, never the payload):
//! one per provider, reason and five-minute window, carrying the count, however many requests came. Routes carry
//! the tenant; the secret comes from its sealed integration (each read is access-logged).
pub mod accounts;
pub(crate) mod crm_billing;
pub(crate) mod email;
pub(crate) mod meta;
pub(crate) mod twilio;

use axum::http::StatusCode;
use palisade_core::audit::access;
use palisade_core::integrations::{self, Provider, Secrets};
use palisade_db::{Purpose, TenantId};
use palisade_webhooks::Rejection;
use secrecy::SecretString;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{ApiError, ApiResult};
use crate::metrics::WebhookLabels;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(twilio::router())
        .merge(email::router())
        .merge(meta::router())
        .merge(crm_billing::router())
}

/// The first of `names` the request has, as text (empty when none: the verifiers refuse it).
pub(crate) fn header<'a>(headers: &'a axum::http::HeaderMap, names: &[&str]) -> &'a str {
    names
        .iter()
        .find_map(|n| headers.get(*n).and_then(|v| v.to_str().ok()))
        .unwrap_or_default()
}

/// The URL the provider called, as it signed it: the configured public base URL (Palisade usually
/// sits behind a proxy) and the path and query as received.
pub(crate) fn signed_url(state: &AppState, uri: &axum::http::Uri) -> String {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    format!("{}{path}", state.public_url.trim_end_matches('/'))
}

/// The tenant's settings for a provider and its opened secrets, from the last minute's read when
/// there was one (see [`accounts`]). A read is access-logged (committed whatever the outcome). A
/// provider not connected (or no such tenant) and secrets that do not open are rejections.
pub(crate) async fn account(
    state: &AppState,
    tenant: TenantId,
    provider: Provider,
) -> ApiResult<(Value, Secrets)> {
    if let Some(opened) = state.accounts.get(tenant, provider) {
        return Ok((opened.0.clone(), opened.1.clone()));
    }
    let epoch = state.accounts.epoch();
    let (config, secrets) = open_account(state, tenant, provider).await?;
    state.accounts.put(
        epoch,
        tenant,
        provider,
        std::sync::Arc::new((config.clone(), secrets.clone())),
    );
    Ok((config, secrets))
}

async fn open_account(state: &AppState, tenant: TenantId, provider: Provider) -> ApiResult<(Value, Secrets)> {
    let name = provider.as_str();
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    let config = match integrations::get(&mut tx, tenant, provider).await {
        Ok(integration) if integration.status == "active" => integration.config,
        Ok(_) | Err(palisade_core::CoreError::NotFound) => {
            return Err(reject(state, None, name, Rejection::NotConfigured).await)
        }
        Err(e) => return Err(e.into()),
    };
    let secrets = match integrations::open_secrets(&mut tx, &state.keyring, tenant, provider).await {
        Ok(Some(secrets)) => secrets,
        Ok(None) => return Err(reject(state, None, name, Rejection::NotConfigured).await),
        // The database failing is a server error, not the caller's.
        Err(integrations::OpenError::Core(e)) => return Err(e.into()),
        Err(e) => {
            tracing::error!(provider = name, error = %e, "a provider's secrets do not open");
            // The read stays logged.
            tx.commit().await?;
            return Err(reject(state, Some(tenant), name, Rejection::BadSecret).await);
        }
    };
    tx.commit().await?;
    Ok((config, secrets))
}

/// One secret of the account, or a rejection when it is not there.
pub(crate) async fn secret_of(
    state: &AppState,
    tenant: TenantId,
    provider: Provider,
    secrets: &Secrets,
    name: &str,
) -> ApiResult<SecretString> {
    match secrets.get(name) {
        Some(s) => Ok(s.clone()),
        None => Err(reject(state, Some(tenant), provider.as_str(), Rejection::BadSecret).await),
    }
}

/// Counts and records a rejected request, and answers it: 403, no detail.
pub(crate) async fn reject(
    state: &AppState,
    tenant: Option<TenantId>,
    provider: &str,
    why: Rejection,
) -> ApiError {
    state
        .metrics
        .webhook_verification_failures
        .get_or_create(&WebhookLabels {
            provider: provider.to_owned(),
            reason: why.reason().to_owned(),
        })
        .inc();
    tracing::warn!(provider, reason = why.reason(), "webhook rejected");
    if let Some(tenant) = tenant {
        if let Err(e) = record_rejection(state, tenant, provider, why).await {
            tracing::error!(error = %e, "could not record a rejected webhook");
        }
    }
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", "forbidden")
}

async fn record_rejection(
    state: &AppState,
    tenant: TenantId,
    provider: &str,
    why: Rejection,
) -> Result<(), palisade_core::CoreError> {
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    access::count_webhook_rejection(&mut tx, tenant, provider, why.reason()).await?;
    tx.commit().await?;
    Ok(())
}
