//! Finding an erasure's subject: in the admin's own user context, so row-level security decides what
//! an erasure can reach (another tenant's lead is not found: a 404), and the request is access-logged
//! under the admin's name before anything is changed.
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::Addresses;
use crate::audit::access::{self, Access, AccessAction};
use crate::crm::leads::email_index_candidates;
use crate::page::new_id;
use crate::phone::PhoneKeys;
use crate::privacy::subject::{find, Found, SubjectRequest};
use crate::CoreError;

/// The subject as found: the erasure's id-to-be, its leads and every address to suppress.
pub struct Resolved {
    pub id: Uuid,
    pub kind: &'static str,
    pub leads: Vec<Uuid>,
    pub addresses: Addresses,
}

/// Finds the leads and the addresses to suppress ([`find`]), and the leads already deleted whose
/// audit trail still holds their content (by id, or by the email it recorded: the trail holds a
/// number only as a marker), then logs the request.
pub async fn resolve(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<Resolved, CoreError> {
    let mut found = match (find(tx, tenant, request, keys).await, request.lead_id) {
        (Err(CoreError::NotFound), Some(id)) => deleted_lead(tx, tenant, id, keys).await?,
        (found, _) => found?,
    };
    if let Some(email) = &request.email {
        let rows = tx
            .query(
                "select distinct lead_id from audit.events where tenant_id = $1 and table_name = 'leads' \
                   and op = 'DELETE' and redacted_at is null and lower(before ->> 'email') = lower($2)",
                &[tenant.as_uuid(), &email.trim()],
            )
            .await?;
        for row in &rows {
            let id: Uuid = row.try_get("lead_id")?;
            if !found.leads.contains(&id) {
                found.leads.push(id);
            }
        }
    }
    let resolved = Resolved {
        id: new_id(),
        kind: found.kind,
        leads: found.leads,
        addresses: found.addresses,
    };
    log(tx, tenant, &resolved).await?;
    Ok(resolved)
}

/// A lead deleted before its erasure, known to the audit trail (which the admin may read): its email,
/// if it had one, is suppressed too. `NotFound` when the trail knows no such lead of this tenant.
async fn deleted_lead(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    keys: PhoneKeys<'_>,
) -> Result<Found, CoreError> {
    let row = tx
        .query_opt(
            "select before ->> 'email' as email from audit.events where tenant_id = $1 and lead_id = $2 \
               and table_name = 'leads' and op = 'DELETE' order by id desc limit 1",
            &[tenant.as_uuid(), &id],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    let mut addresses = Addresses::default();
    if let Some(email) = row.try_get::<_, Option<String>>("email")? {
        addresses.email = email_index_candidates(keys.index, tenant, &email);
    }
    Ok(Found {
        kind: "lead",
        leads: vec![id],
        addresses,
    })
}

async fn log(tx: &mut Tx, tenant: TenantId, resolved: &Resolved) -> Result<(), CoreError> {
    access::log(
        tx,
        Some(tenant),
        &Access {
            action: AccessAction::Erasure,
            target_type: Some("erasure"),
            target_id: Some(resolved.id.to_string()),
            detail: serde_json::json!({ "subject": resolved.kind, "leads": resolved.leads.len() }),
            client_ip: None,
        },
    )
    .await
}
