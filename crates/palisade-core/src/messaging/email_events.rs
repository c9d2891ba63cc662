//! What an email provider's delivery event does (Resend through Svix, SendGrid's signed event
//! webhook), after its signature was checked: the message it names moves forward in the outbox,
//! and a bounce, a spam complaint or an unsubscribe suppresses the address (by blind index only);
//! a complaint or an unsubscribe also revokes the lead's consent to marketing email in the ledger.
use palisade_db::{TenantId, Tx};
use tracing::instrument;

use super::outbound::{self, DeliveryStatus};
use crate::crm::leads;
use crate::phone::PhoneKeys;
use crate::CoreError;

/// One event, as the handlers read it from the provider's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailEvent {
    Delivered,
    /// A hard bounce, or a drop: the address does not take mail.
    Bounced,
    /// The recipient marked it as spam.
    Complained,
    /// The recipient unsubscribed through the provider's link.
    Unsubscribed,
    /// Anything else (opens, clicks, deferrals): acknowledged, nothing to do.
    Other,
}

/// Applies one event; `provider_message_id` is the id the provider gave at sending. An event about
/// a message this tenant did not send is ignored (returns false): a provider account or webhook
/// shared with someone else must not let their events suppress this tenant's addresses.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn apply(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    event: EmailEvent,
    provider_message_id: Option<&str>,
    address: Option<&str>,
) -> Result<bool, CoreError> {
    let Some(id) = provider_message_id.filter(|id| !id.is_empty()) else {
        return Ok(false);
    };
    let ours: bool = tx
        .query_one(
            "select exists (select from app.outbound_messages \
             where tenant_id = $1 and provider_message_id = $2 and channel = 'email') as ours",
            &[tenant.as_uuid(), &id],
        )
        .await?
        .try_get("ours")?;
    if !ours {
        return Ok(false);
    }
    let (status, reason) = match event {
        EmailEvent::Delivered => (Some(DeliveryStatus::Delivered), None),
        EmailEvent::Bounced => (Some(DeliveryStatus::Undelivered), Some("bounce")),
        EmailEvent::Complained => (None, Some("complaint")),
        EmailEvent::Unsubscribed => (None, Some("stop")),
        EmailEvent::Other => (None, None),
    };
    if let Some(status) = status {
        let error = (event == EmailEvent::Bounced).then_some("bounced");
        outbound::apply_status(tx, tenant, id, status, error).await?;
    }
    // An unsubscribe or a spam report withdraws the lead's consent to marketing email: the ledger
    // records it, with the message it was about as evidence.
    if matches!(event, EmailEvent::Unsubscribed | EmailEvent::Complained) {
        tx.execute(
            "insert into app.consent_events (tenant_id, id, lead_id, channel, purpose, action, source, \
               provider_message_id) \
             select $1, gen_random_uuid(), m.lead_id, 'email', 'marketing', 'revoke', 'provider', $2 \
             from (select distinct o.lead_id from app.outbound_messages o \
                   where o.tenant_id = $1 and o.provider_message_id = $2 and o.channel = 'email' \
                     and o.lead_id is not null) m",
            &[tenant.as_uuid(), &id],
        )
        .await?;
    }
    if let (Some(reason), Some(address)) = (reason, address) {
        tx.execute(
            "insert into app.suppressions (tenant_id, channel, address_index, reason) values ($1, 'email', $2, $3) \
             on conflict do nothing",
            &[tenant.as_uuid(), &leads::email_index(keys.index, tenant, address), &reason],
        )
        .await?;
    }
    Ok(true)
}
