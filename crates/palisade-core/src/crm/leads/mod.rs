//! Leads: reps see and change the leads they own; managers and admins see the tenant and may
//! (re)assign; deleting a lead (which removes its deals and interactions) is for managers.
mod list;
mod write;

pub use list::{first_page_sql, list, list_with, LeadFilter};
pub use write::{create, delete, update, update_with};

use chrono::{DateTime, Utc};
use palisade_db::{LeadId, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::access::{self, Access, AccessAction};
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
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 320, format = "email")]
    pub email: Option<String>,
    /// International (`+44 20 7183 8750`) or national in the tenant's region; stored as E.164.
    #[schema(max_length = 40, format = "phone")]
    pub phone: Option<String>,
    pub status: Option<LeadStatus>,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub source: Option<String>,
    /// Defaults to the caller. Only managers and admins may name someone else.
    pub owner_id: Option<Uuid>,
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, max_length = 320, format = "email")]
    pub email: Option<Option<String>>,
    /// A new number, or `null` to remove it.
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, max_length = 40, format = "phone")]
    pub phone: Option<Option<String>>,
    pub status: Option<LeadStatus>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, pattern = r"\S")]
    pub source: Option<Option<String>>,
    /// Reassign (managers and admins).
    pub owner_id: Option<Uuid>,
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
