//! Stripe webhooks for the tenant in the route (`{public_url}/webhooks/stripe/{tenant_id}`):
//! verified before anything reads them, each event recorded once (`webhook_events`), so a
//! redelivery is acknowledged and changes nothing. Palisade does not act on them yet (billing comes
//! later); recording them verified and once is what that feature will build on.
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

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stripe))
}
