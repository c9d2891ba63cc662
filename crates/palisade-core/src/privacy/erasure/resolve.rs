//! Finding the subject: in the admin's own user context, so row-level security decides what an
//! erasure can reach (another tenant's lead is not found: a 404), and the request is access-logged
//! under the admin's name before anything is changed.
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::{Addresses, ErasureRequest};
use crate::audit::access::{self, Access, AccessAction};
use crate::crm::leads::email_index_candidates;
use crate::page::new_id;
use crate::phone::{self, PhoneKeys};
use crate::{validate, CoreError};

/// The subject as found: the erasure's id-to-be, its leads and every address to suppress.
pub struct Resolved {
    pub id: Uuid,
    pub kind: &'static str,
    pub leads: Vec<Uuid>,
    pub addresses: Addresses,
}

const LEAD_COLUMNS: &str = "id, email, phone_sealed, phone_index, email_index";

/// Finds the leads an erasure request names and the addresses to suppress: the given phone number or
/// email (even when no lead has it: the person asked never to be contacted), and every address of
/// every lead found. Fails with `NotFound` for a lead id this admin cannot see.
pub async fn resolve(
    tx: &mut Tx,
    tenant: TenantId,
    request: &ErasureRequest,
    keys: PhoneKeys<'_>,
) -> Result<Resolved, CoreError> {
    let kind = request.subject_kind()?;
    let mut addresses = Addresses::default();
    let rows = if let Some(text) = &request.phone {
        let region = phone::tenant_region(tx, tenant).await?;
        let number = phone::normalize(text, region)?;
        addresses.phone = phone::lookup(keys, tenant, &number);
        let sql =
            format!("select {LEAD_COLUMNS} from app.leads where tenant_id = $1 and phone_index = any($2)");
        tx.query(&sql, &[tenant.as_uuid(), &addresses.phone]).await?
    } else if let Some(text) = &request.email {
        let email = validate::email(text)?.into_string();
        addresses.email = email_index_candidates(keys.index, tenant, &email);
        let sql = format!(
            "select {LEAD_COLUMNS} from app.leads where tenant_id = $1 \
             and (email_index = any($2) or lower(email) = lower($3))"
        );
        tx.query(&sql, &[tenant.as_uuid(), &addresses.email, &email])
            .await?
    } else {
        let id = request.lead_id.unwrap_or_default();
        let sql = format!("select {LEAD_COLUMNS} from app.leads where tenant_id = $1 and id = $2");
        let rows = tx.query(&sql, &[tenant.as_uuid(), &id]).await?;
        if rows.is_empty() {
            return Err(CoreError::NotFound);
        }
        rows
    };
    let mut leads = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("id")?;
        add_lead_addresses(row, id, tenant, keys, &mut addresses)?;
        leads.push(id);
    }
    dedup(&mut addresses.phone);
    dedup(&mut addresses.email);
    let resolved = Resolved {
        id: new_id(),
        kind,
        leads,
        addresses,
    };
    log(tx, tenant, &resolved).await?;
    Ok(resolved)
}

/// A lead's stored indexes, and its addresses' indexes under every key of the ring (a lead indexed
/// under an older key, or a new lead with the same number later, is suppressed either way).
fn add_lead_addresses(
    row: &palisade_db::Row,
    id: Uuid,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    addresses: &mut Addresses,
) -> Result<(), CoreError> {
    if let Some(index) = row.try_get::<_, Option<Vec<u8>>>("phone_index")? {
        addresses.phone.push(index);
    }
    if let Some(index) = row.try_get::<_, Option<Vec<u8>>>("email_index")? {
        addresses.email.push(index);
    }
    if let Some(sealed) = row.try_get::<_, Option<Vec<u8>>>("phone_sealed")? {
        // A number that does not open (a missing key) still has its stored index, added above.
        match phone::open(keys, "app.leads", tenant, id.as_bytes(), &sealed)
            .and_then(|n| phone::international(&n))
        {
            Ok(number) => addresses.phone.extend(phone::lookup(keys, tenant, &number)),
            Err(e) => tracing::warn!(lead_id = %id, error = %e, "an erased lead's phone number did not open"),
        }
    }
    if let Some(email) = row.try_get::<_, Option<String>>("email")? {
        addresses
            .email
            .extend(email_index_candidates(keys.index, tenant, &email));
    }
    Ok(())
}

fn dedup(indexes: &mut Vec<Vec<u8>>) {
    indexes.sort();
    indexes.dedup();
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
