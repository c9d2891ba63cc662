//! Stripe and HubSpot webhooks for the tenant in the route
//! (`{public_url}/webhooks/stripe/{tenant_id}`, `{public_url}/webhooks/hubspot/{tenant_id}`). Both
//! are verified before anything reads them and each event is recorded once (`webhook_events`), so
//! a redelivery is acknowledged and changes nothing. Palisade acts on neither yet (billing and CRM
//! sync come later); recording them verified and once is what those features will build on.
use axum::extract::State;
use axum::http::StatusCode;
use palisade_core::integrations::Provider;
use palisade_core::messaging::inbound::first_delivery;
use palisade_core::webhook_check::Account;
use palisade_db::{Purpose, TenantId};
use palisade_webhooks::Rejection;
use secrecy::ExposeSecret;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::verified::{secret, Scheme, Signed, Verified};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Stripe signs with the endpoint's signing secret (`Stripe-Signature`, 5 minutes' tolerance).
pub(crate) struct Stripe;

impl Scheme for Stripe {
    const PROVIDER: Provider = Provider::Stripe;
    type Checked = ();

    fn check(signed: &Signed<'_>, account: &Account) -> Result<(), Rejection> {
        palisade_webhooks::stripe::verify(
            secret(account, "webhook_secret")?.expose_secret().as_bytes(),
            signed.body,
            signed.header(&["stripe-signature"]),
            signed.now.timestamp(),
            palisade_webhooks::stripe::TOLERANCE_SECS,
        )
    }
}

/// HubSpot signs with the app's client secret: `X-HubSpot-Signature-v3` over method, URL, body and
/// timestamp (5 minutes either way), or, when the integration's `signature_version` says so, v2
/// (method, URL and body) or v1 (body) in `X-HubSpot-Signature`. Only that version is accepted.
pub(crate) struct Hubspot;

impl Scheme for Hubspot {
    const PROVIDER: Provider = Provider::Hubspot;
    type Checked = ();

    fn check(signed: &Signed<'_>, account: &Account) -> Result<(), Rejection> {
        let key = secret(account, "client_secret")?.expose_secret().as_bytes();
        let get = |name: &str| signed.header(&[name]);
        match account.config["signature_version"].as_str().unwrap_or("v3") {
            "v1" => palisade_webhooks::hubspot::verify_v1(key, signed.body, get("x-hubspot-signature")),
            "v2" => palisade_webhooks::hubspot::verify_v2(
                key,
                "POST",
                &signed.url,
                signed.body,
                get("x-hubspot-signature"),
            ),
            _ => palisade_webhooks::hubspot::verify_v3(
                key,
                "POST",
                &signed.url,
                signed.body,
                get("x-hubspot-request-timestamp"),
                get("x-hubspot-signature-v3"),
                signed.now.timestamp_millis(),
            ),
        }
    }
}

/// Records each `(id, kind)` once.
async fn record(
    state: &AppState,
    tenant: TenantId,
    provider: &str,
    events: &[(&str, &str)],
) -> ApiResult<()> {
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    for (id, kind) in events {
        first_delivery(&mut tx, tenant, provider, id, kind).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A Stripe event (`Stripe-Signature`, the endpoint's signing secret, 5 minutes' tolerance).
#[utoipa::path(post, path = "/webhooks/stripe/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 204, description = "Recorded; a redelivery changes nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn stripe(State(state): State<AppState>, webhook: Verified<Stripe>) -> ApiResult<StatusCode> {
    let (tenant, body) = (webhook.tenant, webhook.body);
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let id = event["id"].as_str().unwrap_or_default();
    record(
        &state,
        tenant,
        "stripe",
        &[(id, event["type"].as_str().unwrap_or_default())],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// HubSpot events, verified with the app's client secret: `X-HubSpot-Signature-v3` over method,
/// URL, body and timestamp (5 minutes either way), or, when the integration's `signature_version`
/// says so, v2 (method, URL and body) or v1 (body) in `X-HubSpot-Signature`. Only that version is
/// accepted. With a `portal_id` configured, events of other HubSpot accounts are ignored.
#[utoipa::path(post, path = "/webhooks/hubspot/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 204, description = "Recorded; redelivered events change nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn hubspot(State(state): State<AppState>, webhook: Verified<Hubspot>) -> ApiResult<StatusCode> {
    let (tenant, body, config) = (webhook.tenant, &webhook.body, &webhook.account.config);
    let portal = config["portal_id"].as_str();
    let events: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let ids: Vec<(String, String)> = events
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            let theirs = match &e["portalId"] {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) => Some(s.clone()),
                _ => None,
            };
            let ours = portal.is_none_or(|p| theirs.as_deref() == Some(p));
            if !ours {
                tracing::warn!(tenant_id = %tenant, "a HubSpot event of another account; ignored");
            }
            ours
        })
        .map(|e| {
            let id = match &e["eventId"] {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            };
            (id, e["subscriptionType"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    let refs: Vec<(&str, &str)> = ids.iter().map(|(i, k)| (i.as_str(), k.as_str())).collect();
    record(&state, tenant, "hubspot", &refs).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stripe))
        .routes(routes!(hubspot))
}
