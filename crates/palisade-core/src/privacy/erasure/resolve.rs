//! Finding an erasure's subject: in the admin's own user context, so row-level security decides what
//! an erasure can reach (another tenant's lead is not found: a 404), and the request is access-logged
//! under the admin's name before anything is changed.
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::Addresses;
use crate::audit::access::{self, Access, AccessAction};
use crate::page::new_id;
use crate::phone::PhoneKeys;
use crate::privacy::subject::{find_with_deleted, SubjectRequest};
use crate::CoreError;

/// The subject as found: the erasure's id-to-be, its leads and every address to suppress.
pub struct Resolved {
    pub id: Uuid,
    pub kind: &'static str,
    pub leads: Vec<Uuid>,
    pub addresses: Addresses,
}

/// Finds the leads and the addresses to suppress, the leads already deleted whose audit trail still
/// holds their content included ([`find_with_deleted`]), then logs the request.
pub async fn resolve(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<Resolved, CoreError> {
    let found = find_with_deleted(tx, tenant, request, keys).await?;
    let resolved = Resolved {
        id: new_id(),
        kind: found.kind,
        leads: found.leads,
        addresses: found.addresses,
    };
    log(tx, tenant, &resolved).await?;
    Ok(resolved)
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
