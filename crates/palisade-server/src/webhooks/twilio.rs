//! Twilio webhooks: inbound SMS and WhatsApp messages, and delivery status callbacks, for the tenant
//! in the route. Configure the number's messaging webhook as
//! `{public_url}/webhooks/twilio/{tenant_id}/messages` and the status callback as
//! `{public_url}/webhooks/twilio/{tenant_id}/status`.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_core::integrations::Provider;
use palisade_core::messaging::inbound::{self, Inbound};
use palisade_core::messaging::outbound::{self, DeliveryStatus};
use palisade_core::messaging::Channel;
use palisade_core::phone;
use palisade_core::webhook_check::Account;
use palisade_db::Purpose;
use palisade_webhooks::Rejection;
use secrecy::ExposeSecret;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::verified::{secret, Scheme, Signed, Verified};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

const PROVIDER: &str = "twilio";

/// Twilio signs with the account's auth token (`X-Twilio-Signature`). Form bodies are decoded to
/// check them (Twilio signs the decoded parameters); JSON bodies are checked through the
/// `bodySHA256` the URL carries.
pub(crate) struct Twilio;

impl Scheme for Twilio {
    const PROVIDER: Provider = Provider::Twilio;
    /// The decoded form parameters (none for a JSON body).
    type Checked = Vec<(String, String)>;

    fn check(signed: &Signed<'_>, account: &Account) -> Result<Self::Checked, Rejection> {
        let token = secret(account, "auth_token")?.expose_secret().as_bytes();
        let signature = signed.header(&["x-twilio-signature"]);
        let is_json = signed
            .header(&[header::CONTENT_TYPE.as_str()])
            .starts_with("application/json");
        if is_json {
            palisade_webhooks::twilio::verify_json(token, &signed.url, signed.body, signature)?;
            return Ok(Vec::new());
        }
        let params: Vec<(String, String)> =
            serde_urlencoded::from_bytes(signed.body).map_err(|_| Rejection::Malformed)?;
        palisade_webhooks::twilio::verify_form(token, &signed.url, &params, signature)?;
        Ok(params)
    }
}

fn param<'a>(webhook: &'a Verified<Twilio>, name: &str) -> Option<&'a str> {
    webhook
        .checked
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn bad_request(message: &'static str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_webhook", message)
}

/// An empty TwiML answer: replies go out through the outbox, not in the response.
fn twiml() -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
    )
        .into_response()
}

/// An inbound SMS or WhatsApp message (Twilio's messaging webhook).
#[utoipa::path(post, path = "/webhooks/twilio/{tenant_id}/messages", tag = "webhooks",
    params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Accepted (an empty TwiML response); a replay is accepted and does nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn messages(State(state): State<AppState>, webhook: Verified<Twilio>) -> ApiResult<Response> {
    let tenant = webhook.tenant;
    let (Some(sid), Some(from), Some(to)) = (
        param(&webhook, "MessageSid").or(param(&webhook, "SmsSid")),
        param(&webhook, "From"),
        param(&webhook, "To"),
    ) else {
        return Err(bad_request("an inbound message needs MessageSid, From and To"));
    };
    // The id is kept as consent evidence, which holds at most 100 characters.
    if sid.is_empty() || sid.len() > 100 {
        return Err(bad_request("MessageSid is empty or too long"));
    }
    let (channel, from, to) = match (from.strip_prefix("whatsapp:"), to.strip_prefix("whatsapp:")) {
        (Some(from), Some(to)) => (Channel::Whatsapp, from, to),
        (None, None) => (Channel::Sms, from, to),
        _ => return Err(bad_request("From and To must be on the same channel")),
    };
    // The message must be to the number the tenant set up for the channel; otherwise it is for
    // another number of the same Twilio account (or the tenant has not said which is theirs).
    let configured = webhook.account.config.get(match channel {
        Channel::Whatsapp => "whatsapp_number",
        _ => "sms_number",
    });
    if configured.and_then(|v| v.as_str()) != Some(to) {
        tracing::warn!(tenant_id = %tenant, "an inbound message to a number the tenant has not configured; ignored");
        return Ok(twiml());
    }
    let from = phone::international(from).map_err(|_| bad_request("From is not a phone number"))?;
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    let outcome = inbound::receive(
        &mut tx,
        tenant,
        state.phone_keys(),
        PROVIDER,
        &Inbound {
            channel,
            from: &from,
            body: param(&webhook, "Body").unwrap_or_default(),
            provider_message_id: sid,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(tenant_id = %tenant, ?outcome, "inbound message");
    Ok(twiml())
}

/// A delivery status callback for a message Palisade sent.
#[utoipa::path(post, path = "/webhooks/twilio/{tenant_id}/status", tag = "webhooks",
    params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 204, description = "Applied; a replay or a stale status changes nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn status(State(state): State<AppState>, webhook: Verified<Twilio>) -> ApiResult<StatusCode> {
    let tenant = webhook.tenant;
    let (Some(sid), Some(reported)) = (
        param(&webhook, "MessageSid").or(param(&webhook, "SmsSid")),
        param(&webhook, "MessageStatus").or(param(&webhook, "SmsStatus")),
    ) else {
        return Err(bad_request(
            "a status callback needs MessageSid and MessageStatus",
        ));
    };
    let status = match reported {
        "sending" => DeliveryStatus::Sending,
        "sent" => DeliveryStatus::Sent,
        "delivered" | "read" => DeliveryStatus::Delivered,
        "undelivered" => DeliveryStatus::Undelivered,
        "failed" | "canceled" => DeliveryStatus::Failed,
        // queued, accepted, scheduled…: nothing Palisade tracks.
        _ => return Ok(StatusCode::NO_CONTENT),
    };
    // Twilio's error codes are numbers; anything else is not kept.
    let error = param(&webhook, "ErrorCode")
        .filter(|c| !c.is_empty() && c.len() <= 10 && c.bytes().all(|b| b.is_ascii_digit()))
        .map(|c| format!("twilio_error_{c}"));
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    let event_id = format!("{sid}:{reported}");
    if inbound::first_delivery(&mut tx, tenant, PROVIDER, &event_id, "message_status").await? {
        outbound::apply_status(&mut tx, tenant, sid, status, error.as_deref()).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(messages))
        .routes(routes!(status))
}
