//! Leads: reps see and change the leads they own; managers and admins see the tenant and may
//! (re)assign; deleting a lead (which removes its deals and interactions) is for managers.
use chrono::{DateTime, Utc};
use palisade_db::{LeadId, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::audit::access::{self, Access, AccessAction};
use crate::page::{new_id, Page, PageParams};
use crate::page_query::ListQuery;
use crate::phone::{self, PhoneKeys, E164};
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Unqualified,
    Customer,
    Lost,
}

impl LeadStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::Qualified => "qualified",
            Self::Unqualified => "unqualified",
            Self::Customer => "customer",
            Self::Lost => "lost",
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Lead {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    /// E.164. Stored sealed; shown to whoever may see the lead (each read is access-logged).
    pub phone: Option<String>,
    /// The stored number did not open (its key is missing from the keyring): `phone` is null until
    /// the key is restored or a new number is set. Absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub phone_unreadable: bool,
    /// A number is stored, whether or not this read opened it (pages show it masked until revealed).
    #[serde(skip)]
    pub phone_on_file: bool,
    pub status: String,
    pub source: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    pub name: String,
    pub email: Option<String>,
    /// International (`+44 20 7183 8750`) or national in the tenant's region; stored as E.164.
    pub phone: Option<String>,
    pub status: Option<LeadStatus>,
    pub source: Option<String>,
    /// Defaults to the caller. Only managers and admins may name someone else.
    pub owner_id: Option<Uuid>,
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// A new number, or `null` to remove it.
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub status: Option<LeadStatus>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    /// Reassign (managers and admins).
    pub owner_id: Option<Uuid>,
}

/// Query parameters of `GET /api/v1/leads`, or the body of `POST /api/v1/leads/search` (which keeps
/// a phone number out of URLs, and so out of proxy and browser logs).
#[derive(Default, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeadFilter {
    pub owner_id: Option<Uuid>,
    /// Leads with this phone number (any format the tenant's region reads), found by blind index.
    pub phone: Option<String>,
    #[param(value_type = Option<String>)]
    pub status: Option<LeadStatus>,
    /// Only leads changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub cursor: Option<Uuid>,
}

// `Debug` never shows a phone number (rule: no phone numbers in logs or panics), only whether there
// is one.
fn shown<T>(phone: &Option<T>) -> Option<&'static str> {
    phone.as_ref().map(|_| "<redacted>")
}

impl std::fmt::Debug for Lead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lead")
            .field("id", &self.id)
            .field("owner_id", &self.owner_id)
            .field("phone", &shown(&self.phone))
            .field("phone_unreadable", &self.phone_unreadable)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for NewLead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewLead")
            .field("phone", &shown(&self.phone))
            .field("status", &self.status)
            .field("owner_id", &self.owner_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for LeadPatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeadPatch")
            .field("phone", &shown(&self.phone))
            .field("status", &self.status)
            .field("owner_id", &self.owner_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for LeadFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeadFilter")
            .field("owner_id", &self.owner_id)
            .field("phone", &shown(&self.phone))
            .field("status", &self.status)
            .field("updated_since", &self.updated_since)
            .field("limit", &self.limit)
            .field("cursor", &self.cursor)
            .finish()
    }
}

const COLUMNS: &str = "id, owner_id, name, email, status, source, created_at, updated_at, phone_sealed";
const TABLE: &str = "app.leads";

/// Whether a read opens the stored phone numbers (and is access-logged for it) or only tells whether
/// there is one: pages list leads masked and open a number when the person asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phones {
    Open,
    Masked,
}

fn lead(row: &Row, keys: PhoneKeys<'_>, tenant: TenantId) -> Result<Lead, CoreError> {
    read_lead(row, keys, tenant, Phones::Open)
}

pub(super) fn read_lead(
    row: &Row,
    keys: PhoneKeys<'_>,
    tenant: TenantId,
    phones: Phones,
) -> Result<Lead, CoreError> {
    let id: Uuid = row.try_get("id")?;
    let sealed: Option<Vec<u8>> = row.try_get("phone_sealed")?;
    let phone_on_file = sealed.is_some();
    let sealed = sealed.filter(|_| phones == Phones::Open);
    // A number that does not open must not take the lead (or a page of leads) down with it.
    let (phone, phone_unreadable) = match sealed.map(|s| phone::open(keys, TABLE, tenant, id.as_bytes(), &s))
    {
        None => (None, false),
        Some(Ok(number)) => (Some(number), false),
        Some(Err(e)) => {
            tracing::warn!(lead_id = %id, error = %e, "a lead's phone number did not open");
            (None, true)
        }
    };
    Ok(Lead {
        id,
        owner_id: row.try_get("owner_id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone,
        phone_unreadable,
        phone_on_file,
        status: row.try_get("status")?,
        source: row.try_get("source")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn clean_phone(tx: &mut Tx, tenant: TenantId, text: &str) -> Result<E164, CoreError> {
    let region = phone::tenant_region(tx, tenant).await?;
    phone::normalize(text, region)
}

fn clean_email(email: Option<&str>) -> Result<Option<String>, CoreError> {
    email
        .map(|e| validate::email(e).map(palisade_db::Email::into_string))
        .transpose()
}

fn email_scope(tenant: TenantId) -> palisade_crypto::IndexScope<'static> {
    palisade_crypto::IndexScope {
        tenant: *tenant.as_uuid().as_bytes(),
        column: "app.leads.email_index",
    }
}

/// The blind index of an email address (case-folded), so a suppression can name the address
/// without holding it. Public for key rotation, which recomputes it.
pub fn email_index(index: &palisade_crypto::Keyring, tenant: TenantId, email: &str) -> Vec<u8> {
    index.blind_index(&email_scope(tenant), email.to_lowercase().as_bytes())
}

/// The address's index under every key of the ring (what a suppression of it may be stored as).
pub fn email_index_candidates(
    index: &palisade_crypto::Keyring,
    tenant: TenantId,
    email: &str,
) -> Vec<Vec<u8>> {
    index.blind_index_candidates(&email_scope(tenant), email.to_lowercase().as_bytes())
}

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

pub async fn get(tx: &mut Tx, tenant: TenantId, id: LeadId, keys: PhoneKeys<'_>) -> Result<Lead, CoreError> {
    get_with(tx, tenant, id, keys, Phones::Open).await
}

/// A lead, its number opened (and access-logged) or masked.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get_with(
    tx: &mut Tx,
    tenant: TenantId,
    id: LeadId,
    keys: PhoneKeys<'_>,
    phones: Phones,
) -> Result<Lead, CoreError> {
    let found = read_lead(
        &tx.query_one(&get_sql(), &[tenant.as_uuid(), &id]).await?,
        keys,
        tenant,
        phones,
    )?;
    log_phone_reveal(tx, tenant, std::slice::from_ref(&found)).await?;
    Ok(found)
}

/// Reading stored phone numbers is access-logged: one `phone_reveal` event per answer that shows
/// any, naming the leads (never the numbers).
async fn log_phone_reveal(tx: &mut Tx, tenant: TenantId, leads: &[Lead]) -> Result<(), CoreError> {
    let shown: Vec<String> = leads
        .iter()
        .filter(|l| l.phone.is_some())
        .map(|l| l.id.to_string())
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    access::log(
        tx,
        Some(tenant),
        &Access {
            action: AccessAction::PhoneReveal,
            target_type: Some("lead"),
            target_id: (shown.len() == 1).then(|| shown[0].clone()),
            detail: serde_json::json!({ "lead_ids": shown }),
            client_ip: None,
        },
    )
    .await
}

/// `$1` tenant, `$2` lead id. Public so benchmarks run the identical statement.
pub fn get_sql() -> String {
    format!("select {COLUMNS} from app.leads where tenant_id = $1 and id = $2")
}

/// The unfiltered first page: `$1` tenant, `$2` limit + 1. Public for benchmarks.
pub fn first_page_sql() -> String {
    ListQuery::new("app.leads", COLUMNS, TenantId::from_uuid(Uuid::nil())).statement(None)
}

pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &LeadFilter,
    keys: PhoneKeys<'_>,
) -> Result<Page<Lead>, CoreError> {
    list_with(tx, tenant, filter, keys, Phones::Open).await
}

/// A page of leads, their numbers opened (and access-logged) or masked.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list_with(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &LeadFilter,
    keys: PhoneKeys<'_>,
    phones: Phones,
) -> Result<Page<Lead>, CoreError> {
    let limit = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .limit()?;
    let phone = match filter.phone.as_deref() {
        Some(text) => Some(phone::lookup(keys, tenant, &clean_phone(tx, tenant, text).await?)),
        None => None,
    };
    let rows = ListQuery::new("app.leads", COLUMNS, tenant)
        .filter("owner_id", "=", filter.owner_id)
        .filter_any("phone_index", phone)
        .filter("status", "=", filter.status.map(LeadStatus::as_str))
        .filter("updated_at", ">=", filter.updated_since)
        .fetch(tx, filter.cursor, limit)
        .await?;
    let page = Page::from_rows(&rows, limit, |r| read_lead(r, keys, tenant, phones), |l| l.id)?;
    log_phone_reveal(tx, tenant, &page.items).await?;
    Ok(page)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    id: LeadId,
    patch: &LeadPatch,
    keys: PhoneKeys<'_>,
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
    let updated = lead(&row, keys, tenant)?;
    // The answer shows the stored number unless this request set it.
    if patch.phone.is_none() {
        log_phone_reveal(tx, tenant, std::slice::from_ref(&updated)).await?;
    }
    Ok(updated)
}

/// Managers and admins only: the API asks for the manager capability first, and the delete policy
/// enforces the same rule in the database.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: LeadId) -> Result<(), CoreError> {
    super::delete_one(tx, "app.leads", tenant, *id.as_uuid()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_phone_number() {
        let number = "+14155550100";
        let new = NewLead {
            name: "Pat".into(),
            email: None,
            phone: Some(number.into()),
            status: None,
            source: None,
            owner_id: None,
        };
        let patch = LeadPatch {
            phone: Some(Some(number.into())),
            ..LeadPatch::default()
        };
        let filter = LeadFilter {
            phone: Some(number.into()),
            ..LeadFilter::default()
        };
        let lead = Lead {
            id: Uuid::nil(),
            owner_id: Uuid::nil(),
            name: "Pat".into(),
            email: None,
            phone: Some(number.into()),
            phone_unreadable: false,
            phone_on_file: true,
            status: "new".into(),
            source: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        for shown in [
            format!("{new:?}"),
            format!("{patch:?}"),
            format!("{filter:?}"),
            format!("{lead:?}"),
        ] {
            assert!(!shown.contains("555") && shown.contains("<redacted>"), "{shown}");
        }
    }
}
