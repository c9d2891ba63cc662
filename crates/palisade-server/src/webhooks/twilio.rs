//! Twilio webhooks: inbound SMS and WhatsApp messages, and delivery status callbacks, for the tenant
//! in the route. Configure the number's messaging webhook as
//! `{public_url}/webhooks/twilio/{tenant_id}/messages` and the status callback as
//! `{public_url}/webhooks/twilio/{tenant_id}/status`.
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_core::integrations::Provider;
use palisade_core::messaging::inbound::{self, Inbound};
use palisade_core::messaging::outbound::{self, DeliveryStatus};
use palisade_core::messaging::Channel;
use palisade_core::phone;
use palisade_db::{Purpose, TenantId};
use palisade_webhooks::Rejection;
use secrecy::ExposeSecret;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{account, reject, secret_of, signed_url};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiPath;
use crate::state::AppState;

const PROVIDER: &str = "twilio";

/// A verified request: its decoded parameters and the tenant's Twilio settings.
struct Verified {
    params: Vec<(String, String)>,
    config: serde_json::Value,
}

impl Verified {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Checks `X-Twilio-Signature` with the tenant's auth token, before anything acts on the request.
/// Form bodies are decoded to check them (Twilio signs the decoded parameters); JSON bodies are
/// checked through the `bodySHA256` the URL carries.
async fn verify(
    state: &AppState,
    tenant: TenantId,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Verified> {
    let (config, secrets) = account(state, tenant, Provider::Twilio).await?;
    let token = secret_of(state, tenant, Provider::Twilio, &secrets, "auth_token").await?;
    let signature = super::header(headers, &["x-twilio-signature"]);
    let url = signed_url(state, uri);
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    let (checked, params) = if is_json {
        (
            palisade_webhooks::twilio::verify_json(token.expose_secret().as_bytes(), &url, body, signature),
            Vec::new(),
        )
    } else {
        match serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) {
            Ok(params) => (
                palisade_webhooks::twilio::verify_form(
                    token.expose_secret().as_bytes(),
                    &url,
                    &params,
                    signature,
                ),
                params,
            ),
            Err(_) => (Err(Rejection::Malformed), Vec::new()),
        }
    };
    match checked {
        Ok(()) => Ok(Verified { params, config }),
        Err(why) => Err(reject(state, Some(tenant), PROVIDER, why).await),
    }
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
pub async fn messages(
    State(state): State<AppState>,
    ApiPath(tenant): ApiPath<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let tenant = TenantId::from_uuid(tenant);
    let verified = verify(&state, tenant, &uri, &headers, &body).await?;
    let (Some(sid), Some(from), Some(to)) = (
        verified.param("MessageSid").or(verified.param("SmsSid")),
        verified.param("From"),
        verified.param("To"),
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
    let configured = verified.config.get(match channel {
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
            body: verified.param("Body").unwrap_or_default(),
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
pub async fn status(
    State(state): State<AppState>,
    ApiPath(tenant): ApiPath<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let tenant = TenantId::from_uuid(tenant);
    let verified = verify(&state, tenant, &uri, &headers, &body).await?;
    let (Some(sid), Some(reported)) = (
        verified.param("MessageSid").or(verified.param("SmsSid")),
        verified.param("MessageStatus").or(verified.param("SmsStatus")),
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
    let error = verified
        .param("ErrorCode")
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
