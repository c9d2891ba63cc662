//! Erasing a lead: everything the tenant holds about someone it talks to, found by phone number,
//! email or lead id, removed or blanked as the registry says, with a suppression kept so they are
//! never messaged again.
//!
//! An erasure is a row of `app.erasures` (its receipt) and three kinds of transaction:
//! 1. [`resolve`] — the admin's user context: the subject's leads and addresses, access-logged;
//! 2. [`start`] — the service context (purpose `erasure`): suppressions and the receipt row;
//! 3. [`work::step`] — the service context again, one bounded batch at a time, until every lead is
//!    gone and its audit trail redacted. A crash between steps loses nothing: the next step (the
//!    request's own loop, or the `erasures` job) continues from what the database holds.
mod receipt;
mod resolve;
pub mod work;

use palisade_db::{TenantId, Tx, UserId};
use uuid::Uuid;

pub use receipt::{get, list, ErasureStatus, Outcome, Progress, Receipt, SubjectKind, TableCount};
pub use resolve::{resolve, Resolved};

use crate::messaging::Channel;
pub use crate::privacy::subject::{Addresses, SubjectRequest};
use crate::CoreError;

/// Who asked for an erasure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requester {
    Admin(UserId),
    /// HubSpot, on the customer's behalf: the contact was erased there (`contact.privacyDeletion`).
    Hubspot,
}

/// Writes the suppressions and the receipt row (service context, purpose `erasure`); returns the
/// erasure's id. A suppression the person could lift by texting START (reason `stop`) becomes one
/// they cannot (`erasure`); bounces, complaints and an admin's own suppressions stay as they are.
pub async fn start(
    tx: &mut Tx,
    tenant: TenantId,
    requested_by: Requester,
    resolved: &Resolved,
) -> Result<Uuid, CoreError> {
    let mut added = 0u64;
    for (channel, indexes) in [
        (Channel::Sms, &resolved.addresses.phone),
        (Channel::Whatsapp, &resolved.addresses.phone),
        (Channel::Email, &resolved.addresses.email),
    ] {
        added += suppress(tx, tenant, channel, indexes).await?;
    }
    let id = resolved.id;
    let counts = serde_json::json!({ "app.suppressions": { "added": added } });
    tx.execute(
        "insert into app.erasures (tenant_id, id, requested_by, requested_via, subject_kind, pending_leads, \
           leads_total, counts, correlation_id) \
         values ($1, $2, $3, $8, $4, $5, $6, $7, nullif(current_setting('palisade.correlation_id', true), ''))",
        &[
            tenant.as_uuid(),
            &id,
            &match requested_by {
                Requester::Admin(u) => Some(*u.as_uuid()),
                Requester::Hubspot => None,
            },
            &resolved.kind,
            &resolved.leads,
            &(resolved.leads.len() as i32),
            &counts,
            &match requested_by {
                Requester::Admin(_) => "admin",
                Requester::Hubspot => "hubspot",
            },
        ],
    )
    .await?;
    Ok(id)
}

/// Starts the erasure of every lead linked to HubSpot contact `contact`, as HubSpot asked (its
/// `contact.privacyDeletion` event): each lead resolved and started exactly as an admin's request,
/// in this service context (purpose `erasure`); the `erasures` job does the rest. Returns the
/// erasures started (none when no lead is linked to the contact).
pub async fn start_for_hubspot_contact(
    tx: &mut Tx,
    tenant: TenantId,
    contact: i64,
    keys: crate::phone::PhoneKeys<'_>,
) -> Result<Vec<Uuid>, CoreError> {
    let leads: Vec<Uuid> = tx
        .query(
            // A lead an unfinished erasure already holds is not started again (a redelivered event).
            "select l.id from app.leads l where l.tenant_id = $1 and l.hubspot_id = $2 \
               and not exists (select from app.erasures e where e.tenant_id = $1 and e.status = 'running' \
                                 and l.id = any (e.pending_leads))",
            &[tenant.as_uuid(), &contact],
        )
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut started = Vec::new();
    for lead in leads {
        let request = SubjectRequest {
            phone: None,
            email: None,
            lead_id: Some(lead),
        };
        let resolved = resolve(tx, tenant, &request, keys).await?;
        started.push(start(tx, tenant, Requester::Hubspot, &resolved).await?);
    }
    Ok(started)
}

async fn suppress(
    tx: &mut Tx,
    tenant: TenantId,
    channel: Channel,
    indexes: &[Vec<u8>],
) -> Result<u64, CoreError> {
    if indexes.is_empty() {
        return Ok(0);
    }
    Ok(tx
        .execute(
            "insert into app.suppressions (tenant_id, channel, address_index, reason) \
             select $1, $2, i, 'erasure' from unnest($3::bytea[]) as i \
             on conflict (tenant_id, channel, address_index) do update set reason = 'erasure' \
             where app.suppressions.reason = 'stop'",
            &[tenant.as_uuid(), &channel.as_str(), &indexes],
        )
        .await?)
}
