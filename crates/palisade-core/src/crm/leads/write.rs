//! Creating, changing and deleting leads. A number is sealed and indexed on the way in, an address
//! indexed; the database's policies decide who may write which lead and give it to whom.
use palisade_db::{LeadId, TenantId, Tx, UserId};
use tracing::instrument;

use super::{
    clean_email, clean_phone, email_index, email_index_candidates, lead, log_phone_reveal, read_lead,
};
use super::{Lead, LeadPatch, LeadStatus, NewLead, Phones, COLUMNS, TABLE};
use crate::page::new_id;
use crate::phone::{self, PhoneKeys};
use crate::{validate, CoreError};

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &NewLead,
    keys: PhoneKeys<'_>,
) -> Result<Lead, CoreError> {
    let name = validate::text("name", &input.name, 200)?;
    let email = clean_email(input.email.as_deref())?;
    let source = validate::optional_text("source", input.source.as_deref(), 100)?;
    let owner = input.owner_id.unwrap_or(*caller.as_uuid());
    let status = input.status.unwrap_or(LeadStatus::New).as_str();
    let id = new_id();
    let (phone_sealed, phone_index) = match input.phone.as_deref() {
        Some(text) => {
            let number = clean_phone(tx, tenant, text).await?;
            let (sealed, index) = phone::seal(keys, TABLE, tenant, id.as_bytes(), &number);
            (Some(sealed), Some(index))
        }
        None => (None, None),
    };
    let sql = format!(
        "insert into app.leads (tenant_id, id, owner_id, name, email, status, source, phone_sealed, phone_index, \
           email_index) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &id,
                &owner,
                &name,
                &email,
                &status,
                &source,
                &phone_sealed,
                &phone_index,
                &email.as_deref().map(|e| email_index(keys.index, tenant, e)),
            ],
        )
        .await
        .map_err(forbidden_owner)?;
    lead(&row, keys, tenant)
}

/// A policy rejecting the new row means the caller may not give the lead to that owner.
fn forbidden_owner(e: palisade_db::DbError) -> CoreError {
    match e {
        palisade_db::DbError::PermissionDenied => {
            CoreError::Forbidden("only managers and admins may assign a lead to another active member")
        }
        other => other.into(),
    }
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    id: LeadId,
    patch: &LeadPatch,
    keys: PhoneKeys<'_>,
) -> Result<Lead, CoreError> {
    update_with(tx, tenant, id, patch, keys, Phones::Open).await
}

/// [`update`], answering with the number opened (and access-logged) or masked: a page that only
/// reassigns a lead shows no number, so it neither opens one nor logs a reveal.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update_with(
    tx: &mut Tx,
    tenant: TenantId,
    id: LeadId,
    patch: &LeadPatch,
    keys: PhoneKeys<'_>,
    phones: Phones,
) -> Result<Lead, CoreError> {
    let name = validate::optional_text("name", patch.name.as_deref(), 200)?;
    let email = patch
        .email
        .as_ref()
        .map(|e| clean_email(e.as_deref()))
        .transpose()?;
    let source = patch
        .source
        .as_ref()
        .map(|s| validate::optional_text("source", s.as_deref(), 100))
        .transpose()?;
    let status = patch.status.map(LeadStatus::as_str);
    // The new number's index under every index key: when the stored one is among them, the number
    // is the one stored (typed again, perhaps in another format) and its columns are left alone, so
    // a rotation in progress cannot make it look new (and revoke its consent, migration 0024).
    let mut same_number: Vec<Vec<u8>> = Vec::new();
    let phone = match &patch.phone {
        Some(Some(text)) => {
            let number = clean_phone(tx, tenant, text).await?;
            same_number = phone::lookup(keys, tenant, &number);
            let (sealed, index) = phone::seal(keys, TABLE, tenant, id.as_uuid().as_bytes(), &number);
            Some((Some(sealed), Some(index)))
        }
        Some(None) => Some((None, None)),
        None => None,
    };
    let (phone_sealed, phone_index) = phone.clone().unwrap_or((None, None));
    let new_email_index = email
        .as_ref()
        .and_then(|e| e.as_deref())
        .map(|e| email_index(keys.index, tenant, e));
    // Likewise the address's index under every key: the same address typed again keeps its stored
    // index (the database refuses an index that moves without its address, migration 0029).
    let same_email: Vec<Vec<u8>> = email
        .as_ref()
        .and_then(|e| e.as_deref())
        .map(|e| email_index_candidates(keys.index, tenant, e))
        .unwrap_or_default();
    let sql = format!(
        "update app.leads set \
           name = coalesce($3, name), \
           email = case when $4 then $5 else email end, \
           email_index = case when $4 and not coalesce(email_index = any($15), false) then $13 \
                              else email_index end, \
           status = coalesce($6, status), \
           source = case when $7 then $8 else source end, \
           owner_id = coalesce($9, owner_id), \
           phone_sealed = case when $10 and not coalesce(phone_index = any($14), false) then $11 \
                               else phone_sealed end, \
           phone_index = case when $10 and not coalesce(phone_index = any($14), false) then $12 \
                              else phone_index end \
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &id,
                &name,
                &email.is_some(),
                &email.flatten(),
                &status,
                &source.is_some(),
                &source.flatten(),
                &patch.owner_id,
                &phone.is_some(),
                &phone_sealed,
                &phone_index,
                &new_email_index,
                &same_number,
                &same_email,
            ],
        )
        .await
        .map_err(forbidden_owner)?;
    let updated = read_lead(&row, keys, tenant, phones)?;
    // The answer shows the stored number unless this request set it.
    if patch.phone.is_none() && phones == Phones::Open {
        log_phone_reveal(tx, tenant, std::slice::from_ref(&updated)).await?;
    }
    Ok(updated)
}

/// Managers and admins only: the API asks for the manager capability first, and the delete policy
/// enforces the same rule in the database.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: LeadId) -> Result<(), CoreError> {
    crate::crm::delete_one(tx, "app.leads", tenant, *id.as_uuid()).await
}
