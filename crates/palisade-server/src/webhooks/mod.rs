//! Provider webhooks. Every request is checked against the tenant's provider secret before
//! anything acts on it: the raw body (within the server's body limit) and the headers go to a
//! `palisade-webhooks` verifier. A failure answers 403 with no detail, counts in
//! `palisade_webhook_verification_failures{provider, reason}`, and, when the tenant has the provider
//! connected, is counted towards a `webhook_rejected` access event (the reason, never the payload):
//! one per provider, reason and five-minute window, carrying the count, however many requests came.
//! Routes carry the tenant; the secret comes from its sealed integration (each read is
//! access-logged). Handlers take a [`verified::Verified`] request: the check runs in the extractor,
//! so no handler can act on an unverified one.
pub mod accounts;
mod crm_billing;
mod email;
mod hubspot;
mod meta;
mod twilio;
mod verified;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(twilio::router())
        .merge(email::router())
        .merge(meta::router())
        .merge(crm_billing::router())
        .merge(hubspot::router())
}
