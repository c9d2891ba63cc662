//! Email providers' delivery events, for the tenant in the route: Resend (signed by Svix, with the
//! integration's sealed `webhook_secret`) and SendGrid (its signed Event Webhook, checked with the
//! integration's `event_webhook_public_key`). Configure them as
//! `{public_url}/webhooks/resend/{tenant_id}` and `{public_url}/webhooks/sendgrid/{tenant_id}`.
use axum::extract::State;
use axum::http::StatusCode;
use palisade_core::integrations::Provider;
use palisade_core::messaging::email_events::{self, EmailEvent};
use palisade_core::messaging::inbound::first_delivery;
use palisade_core::webhook_check::Account;
use palisade_db::{Purpose, TenantId};
use palisade_webhooks::Rejection;
use secrecy::ExposeSecret;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::verified::{secret, Scheme, Signed, Verified};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Marks a recorded event as ignored (about a message this tenant did not send).
async fn ignore(tx: &mut palisade_db::Tx, tenant: TenantId, provider: &str, id: &str) -> ApiResult<()> {
    tx.execute(
        "update app.webhook_events set status = 'ignored' where tenant_id = $1 and provider = $2 and event_id = $3",
        &[tenant.as_uuid(), &provider, &id],
    )
    .await?;
    Ok(())
}

/// Resend signs through Svix with the endpoint's signing secret.
pub(crate) struct Resend;

impl Scheme for Resend {
    const PROVIDER: Provider = Provider::Resend;
    /// The event's id, which the signature covers: it names the event for replay detection.
    type Checked = String;

    fn check(signed: &Signed<'_>, account: &Account) -> Result<String, Rejection> {
        let key = palisade_webhooks::svix::secret_key(secret(account, "webhook_secret")?.expose_secret())
            .map_err(|_| Rejection::BadSecret)?;
        let id = signed.header(&["svix-id", "webhook-id"]);
        palisade_webhooks::svix::verify(
            &key,
            id,
            signed.header(&["svix-timestamp", "webhook-timestamp"]),
            signed.header(&["svix-signature", "webhook-signature"]),
            signed.body,
            signed.now.timestamp(),
        )?;
        Ok(id.to_owned())
    }
}

/// SendGrid signs with an ECDSA key whose public half is a setting of the integration.
pub(crate) struct Sendgrid;

impl Scheme for Sendgrid {
    const PROVIDER: Provider = Provider::Sendgrid;
    type Checked = ();

    fn check(signed: &Signed<'_>, account: &Account) -> Result<(), Rejection> {
        let key = account.config["event_webhook_public_key"]
            .as_str()
            .map(palisade_webhooks::sendgrid::PublicKey::parse)
            .and_then(Result::ok)
            .ok_or(Rejection::BadSecret)?;
        palisade_webhooks::sendgrid::verify(
            &key,
            signed.header(&["x-twilio-email-event-webhook-timestamp"]),
            signed.header(&["x-twilio-email-event-webhook-signature"]),
            signed.body,
        )
    }
}

fn bad_request(message: &'static str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_webhook", message)
}

/// A Resend event (`email.delivered`, `email.bounced`, `email.complained`, …).
#[utoipa::path(post, path = "/webhooks/resend/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 204, description = "Applied; a replay changes nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn resend(State(state): State<AppState>, webhook: Verified<Resend>) -> ApiResult<StatusCode> {
    const PROVIDER: &str = "resend";
    let (tenant, body) = (webhook.tenant, &webhook.body);
    let id = webhook.checked.as_str();
    let event: Value = serde_json::from_slice(body).map_err(|_| bad_request("the event is not JSON"))?;
    let kind = event["type"].as_str().unwrap_or_default();
    let data = &event["data"];
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    if first_delivery(&mut tx, tenant, PROVIDER, id, kind).await? {
        let what = match kind {
            "email.delivered" => EmailEvent::Delivered,
            "email.bounced" => EmailEvent::Bounced,
            "email.complained" => EmailEvent::Complained,
            _ => EmailEvent::Other,
        };
        let address = data["to"].get(0).and_then(Value::as_str).or(data["to"].as_str());
        if !email_events::apply(
            &mut tx,
            tenant,
            state.phone_keys(),
            what,
            data["email_id"].as_str(),
            address,
        )
        .await?
        {
            ignore(&mut tx, tenant, PROVIDER, id).await?;
        }
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A batch of SendGrid events (`delivered`, `bounce`, `dropped`, `spamreport`, `unsubscribe`, …).
#[utoipa::path(post, path = "/webhooks/sendgrid/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 204, description = "Applied; replayed events change nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn sendgrid(State(state): State<AppState>, webhook: Verified<Sendgrid>) -> ApiResult<StatusCode> {
    const PROVIDER: &str = "sendgrid";
    let (tenant, body) = (webhook.tenant, &webhook.body);
    let events: Vec<Value> =
        serde_json::from_slice(body).map_err(|_| bad_request("the events are not a JSON array"))?;
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    for event in &events {
        let (Some(id), Some(kind)) = (event["sg_event_id"].as_str(), event["event"].as_str()) else {
            continue;
        };
        // One malformed event does not cost the batch its other events.
        if id.is_empty() || id.len() > 200 || !first_delivery(&mut tx, tenant, PROVIDER, id, kind).await? {
            continue;
        }
        let what = match kind {
            "delivered" => EmailEvent::Delivered,
            // A `blocked` bounce is temporary (the receiving server refused for now): not suppressed.
            "bounce" if event["type"].as_str() == Some("blocked") => EmailEvent::Other,
            "bounce" | "dropped" => EmailEvent::Bounced,
            "spamreport" => EmailEvent::Complained,
            // A group unsubscribe leaves the other groups (and service mail): not address-wide.
            "unsubscribe" => EmailEvent::Unsubscribed,
            _ => EmailEvent::Other,
        };
        // SendGrid's event ids extend the `X-Message-Id` given at sending (`<id>.filter…`).
        let message = event["sg_message_id"].as_str().and_then(|m| m.split('.').next());
        if !email_events::apply(
            &mut tx,
            tenant,
            state.phone_keys(),
            what,
            message,
            event["email"].as_str(),
        )
        .await?
        {
            ignore(&mut tx, tenant, PROVIDER, id).await?;
        }
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resend))
        .routes(routes!(sendgrid))
}
