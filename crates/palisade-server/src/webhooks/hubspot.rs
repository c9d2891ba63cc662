//! HubSpot webhooks for the tenant in the route (`{public_url}/webhooks/hubspot/{tenant_id}`),
//! verified before anything reads them. Each event is recorded once; an event of the HubSpot account
//! the tenant's sync is connected to (its `portalId`) acts: a contact's or a deal's change
//! brings the tenant's next sync forward (the sync reads what changed, so the event's own payload is
//! never trusted for data), and `contact.privacyDeletion` — the contact erased in HubSpot — starts
//! the erasure of the leads linked to it, exactly as an admin's request would.
use axum::extract::State;
use axum::http::StatusCode;
use palisade_core::crm_sync::{connection, runs};
use palisade_core::integrations::Provider;
use palisade_core::messaging::inbound::first_delivery;
use palisade_core::privacy::erasure;
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

/// One event as HubSpot sends it (the fields Palisade reads).
struct Event {
    id: String,
    kind: String,
    object_id: Option<i64>,
    portal: Option<String>,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The events of this tenant's HubSpot account (with a `portal_id` configured, others are ignored).
fn events(tenant: TenantId, body: &[u8], portal: Option<&str>) -> Vec<Event> {
    let all: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    all.as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            let ours = portal.is_none_or(|p| text(&e["portalId"]).as_deref() == Some(p));
            if !ours {
                tracing::warn!(tenant_id = %tenant, "a HubSpot event of another account; ignored");
            }
            ours
        })
        .map(|e| Event {
            id: text(&e["eventId"]).unwrap_or_default(),
            kind: e["subscriptionType"].as_str().unwrap_or_default().to_owned(),
            object_id: text(&e["objectId"]).and_then(|o| o.parse().ok()),
            portal: text(&e["portalId"]),
        })
        .collect()
}

/// HubSpot events, verified with the app's client secret: `X-HubSpot-Signature-v3` over method,
/// URL, body and timestamp (5 minutes either way), or, when the integration's `signature_version`
/// says so, v2 (method, URL and body) or v1 (body) in `X-HubSpot-Signature`. Only that version is
/// accepted. With a `portal_id` configured, events of other HubSpot accounts are ignored. Contact
/// and deal events bring the next sync forward; `contact.privacyDeletion` erases the linked leads.
#[utoipa::path(post, path = "/webhooks/hubspot/{tenant_id}", tag = "webhooks", params(("tenant_id" = Uuid, Path)),
    request_body(content = String, content_type = "application/json"),
    responses((status = 204, description = "Recorded; redelivered events change nothing"),
        (status = 403, body = ErrorBody, description = "The signature did not verify")))]
pub async fn hubspot(State(state): State<AppState>, webhook: Verified<Hubspot>) -> ApiResult<StatusCode> {
    let tenant = webhook.tenant;
    let events = events(
        tenant,
        &webhook.body,
        webhook.account.config["portal_id"].as_str(),
    );
    // Only events of the account the tenant's sync is connected to act (HubSpot's ids are unique
    // within one account); the rest are recorded and nothing more.
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    let connected = connection::get(&mut tx, tenant)
        .await?
        .filter(|c| c.status == "active")
        .map(|c| c.portal_id.to_string());
    tx.commit().await?;
    let acts = |e: &Event| connected.is_some() && e.portal == connected;
    // Erasures start before the events are recorded: if recording fails, HubSpot delivers again and
    // nothing is lost (a lead an unfinished erasure holds is not started twice).
    for contact in events
        .iter()
        .filter(|e| e.kind == "contact.privacyDeletion" && acts(e))
        .filter_map(|e| e.object_id)
    {
        let mut tx = state.db.service(tenant, Purpose::Erasure).await?;
        let started =
            erasure::start_for_hubspot_contact(&mut tx, tenant, contact, state.phone_keys()).await?;
        tx.commit().await?;
        if !started.is_empty() {
            tracing::info!(tenant_id = %tenant, erasures = started.len(), "HubSpot asked for an erasure");
        }
    }
    let mut tx = state.db.service(tenant, Purpose::Webhook).await?;
    let mut changed = false;
    for e in &events {
        let fresh = first_delivery(&mut tx, tenant, "hubspot", &e.id, &e.kind).await?;
        changed |= fresh && acts(e) && (e.kind.starts_with("contact.") || e.kind.starts_with("deal."));
    }
    if changed {
        runs::request_soon(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(hubspot))
}
