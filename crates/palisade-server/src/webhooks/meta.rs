//! Meta's WhatsApp Cloud API webhooks for the tenant in the route
//! (`{public_url}/webhooks/meta/{tenant_id}`): the subscription handshake (GET, the integration's
//! sealed `verify_token`), and deliveries (POST, `X-Hub-Signature-256` with the sealed
//! `app_secret`). An app secret may serve several businesses, and Meta signs no URL, so a
//! delivery counts only for the tenant's own `phone_number_id`.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_core::integrations::Provider;
use palisade_core::messaging::inbound::{self, Inbound};
use palisade_core::messaging::Channel;
use palisade_core::phone;
use palisade_core::webhook_check::Account;
use palisade_core::CoreError;
use palisade_db::{Purpose, TenantId};
use palisade_webhooks::Rejection;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::verified::{secret, Scheme, Signed, Verified};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

const PROVIDER: &str = "meta";

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

/// Meta's subscription check: the verify token in the query must be the tenant's sealed one.
pub(crate) struct MetaHandshake;

impl Scheme for MetaHandshake {
    const PROVIDER: Provider = Provider::Meta;
    /// The challenge to answer with.
    type Checked = String;

    fn check(signed: &Signed<'_>, account: &Account) -> Result<String, Rejection> {
        let query: Handshake = serde_urlencoded::from_str(signed.query).map_err(|_| Rejection::Malformed)?;
        let token = account
            .secrets
            .get("verify_token")
            .map(|t| t.expose_secret().as_bytes())
            .unwrap_or_default();
        palisade_webhooks::meta::subscription_challenge(
            query.mode.as_deref(),
            query.verify_token.as_deref(),
            query.challenge.as_deref(),
            token,
        )
        .map(str::to_owned)
    }
}

/// Meta signs deliveries with the app secret (`X-Hub-Signature-256` over the raw body).
pub(crate) struct Meta;

impl Scheme for Meta {
    const PROVIDER: Provider = Provider::Meta;
    type Checked = ();

    fn check(signed: &Signed<'_>, account: &Account) -> Result<(), Rejection> {
        palisade_webhooks::meta::verify(
            secret(account, "app_secret")?.expose_secret().as_bytes(),
            signed.body,
            signed.header(&["x-hub-signature-256"]),
        )
    }
}

/// Meta's subscription check: answers the challenge when the verify token is the tenant's.
#[utoipa::path(get, path = "/webhooks/meta/{tenant_id}", tag = "webhooks",
    params(("tenant_id" = Uuid, Path), Handshake),
    responses((status = 200, description = "The challenge, as text"),
        (status = 403, body = ErrorBody, description = "Not this tenant's verify token")))]
pub async fn handshake(
    // Checked first (path, then query), so a malformed request is a 400 before any account is read.
    ApiPath(_tenant): ApiPath<TenantId>,
    ApiQuery(_query): ApiQuery<Handshake>,
    webhook: Verified<MetaHandshake>,
) -> ApiResult<Response> {
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        webhook.checked,
    )
        .into_response())
}

/// A delivery of WhatsApp events: inbound messages are handled like texts (keywords included).
#[utoipa::path(post, path = "/webhooks/meta/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 200, description = "Accepted; replayed messages change nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn deliveries(State(state): State<AppState>, webhook: Verified<Meta>) -> ApiResult<StatusCode> {
    let (tenant, body, config) = (webhook.tenant, &webhook.body, &webhook.account.config);
    let payload: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let ours = config["phone_number_id"].as_str();
    for change in payload["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["changes"].as_array().into_iter().flatten())
    {
        let value = &change["value"];
        if ours.is_none() || value["metadata"]["phone_number_id"].as_str() != ours {
            tracing::warn!(tenant_id = %tenant, "a WhatsApp delivery for a number the tenant has not configured; ignored");
            continue;
        }
        for message in value["messages"].as_array().into_iter().flatten() {
            let (Some(id), Some(from)) = (message["id"].as_str(), message["from"].as_str()) else {
                continue;
            };
            let Ok(from) = phone::international(&format!("+{from}")) else {
                continue;
            };
            // The id is kept as consent evidence, which holds at most 100 characters.
            if id.is_empty() || id.len() > 100 {
                continue;
            }
            let text = message["text"]["body"].as_str().unwrap_or_default();
            receive_one(
                &state,
                tenant,
                &Inbound {
                    channel: Channel::Whatsapp,
                    from: &from,
                    body: text,
                    provider_message_id: id,
                },
            )
            .await?;
        }
    }
    Ok(StatusCode::OK)
}

/// One message of a batch, in its own transaction: one that cannot be recorded (its text too long,
/// say) is marked `failed` and the others still count. A failure that may pass (the database
/// unavailable) answers 5xx, and Meta delivers the batch again; what was recorded is then a replay.
async fn receive_one(state: &AppState, tenant: TenantId, message: &Inbound<'_>) -> ApiResult<()> {
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    match inbound::receive(&mut tx, tenant, state.phone_keys(), PROVIDER, message).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(())
        }
        Err(
            e @ (CoreError::Invalid { .. }
            | CoreError::Conflict { .. }
            | CoreError::ConsentRequired { .. }
            | CoreError::Unknown { .. }
            | CoreError::Mismatch { .. }
            | CoreError::Refused { .. }),
        ) => {
            tx.rollback().await?;
            tracing::warn!(tenant_id = %tenant, error = %e, "a WhatsApp message could not be recorded; marked failed");
            let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
            inbound::record_failed(
                &mut tx,
                tenant,
                PROVIDER,
                message.provider_message_id,
                "inbound_message",
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handshake, deliveries))
}
