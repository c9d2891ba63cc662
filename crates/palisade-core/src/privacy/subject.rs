//! The subject of a privacy request — someone a tenant talks to, named by phone number, email or
//! lead id — and how their leads and addresses are found. Erasure and subject export both start here.
use palisade_db::{TenantId, Tx};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::crm::leads::email_index_candidates;
use crate::phone::{self, PhoneKeys};
use crate::{validate, CoreError};

/// Whom a privacy request is about: exactly one of a phone number, an email address or a lead id.
/// In the body of a POST, so a number never sits in a URL.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectRequest {
    /// A phone number in any format the tenant's default region reads (`+14155550100`,
    /// `(415) 555-0100`): every lead of the tenant with this number.
    #[schema(min_length = 1, max_length = 40, format = "phone", example = "+14155550100")]
    pub phone: Option<String>,
    /// An email address, compared without regard to case: every lead of the tenant with it.
    #[schema(max_length = 320, format = "email")]
    pub email: Option<String>,
    /// One lead, with every address it has.
    pub lead_id: Option<Uuid>,
}

/// The subject is personal data: `Debug` names only which field was given.
impl std::fmt::Debug for SubjectRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubjectRequest")
            .field("by", &self.subject_kind().ok())
            .finish()
    }
}

impl SubjectRequest {
    /// `phone`, `email` or `lead`; refused unless exactly one field is given.
    pub fn subject_kind(&self) -> Result<&'static str, CoreError> {
        match (&self.phone, &self.email, &self.lead_id) {
            (Some(_), None, None) => Ok("phone"),
            (None, Some(_), None) => Ok("email"),
            (None, None, Some(_)) => Ok("lead"),
            _ => Err(CoreError::invalid(
                "invalid_subject",
                "give exactly one of phone, email or lead_id",
            )),
        }
    }
}

/// Where the subject may be reached, as blind indexes under every key of the ring: what the
/// suppressions hold.
#[derive(Default)]
pub struct Addresses {
    pub phone: Vec<Vec<u8>>,
    pub email: Vec<Vec<u8>>,
}

/// The subject as found: the kind of key given, their leads, and every address they may be reached at.
pub struct Found {
    pub kind: &'static str,
    pub leads: Vec<Uuid>,
    pub addresses: Addresses,
}

const LEAD_COLUMNS: &str = "id, email, phone_sealed, phone_index, email_index";

/// Finds the leads a request names, as far as the caller's context can see them, and the subject's
/// addresses: the phone number or email given (even when no lead has it) and every address of every
/// lead found. Fails with `NotFound` for a lead id the caller cannot see (another tenant's included).
pub async fn find(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<Found, CoreError> {
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
    Ok(Found {
        kind,
        leads,
        addresses,
    })
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

/// [`find`], and the leads already deleted whose audit trail still holds their content: by id, or by
/// the email the trail recorded (the trail holds a number only as a `[sealed]` marker, so not by phone).
pub async fn find_with_deleted(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<Found, CoreError> {
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
    Ok(found)
}

/// A lead deleted before the request, known to the audit trail (which managers and admins may read),
/// with its email if it had one. `NotFound` when the trail knows no such lead of this tenant.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(phone: Option<&str>, email: Option<&str>, lead: Option<Uuid>) -> SubjectRequest {
        SubjectRequest {
            phone: phone.map(Into::into),
            email: email.map(Into::into),
            lead_id: lead,
        }
    }

    #[test]
    fn exactly_one_subject_is_accepted() {
        assert_eq!(
            request(Some("+14155550100"), None, None).subject_kind().unwrap(),
            "phone"
        );
        assert_eq!(
            request(None, Some("a@b.example"), None).subject_kind().unwrap(),
            "email"
        );
        assert_eq!(
            request(None, None, Some(Uuid::nil())).subject_kind().unwrap(),
            "lead"
        );
        for bad in [
            request(None, None, None),
            request(Some("+14155550100"), Some("a@b.example"), None),
            request(Some("+14155550100"), None, Some(Uuid::nil())),
        ] {
            assert!(bad.subject_kind().is_err());
        }
    }

    #[test]
    fn debug_never_shows_the_subject() {
        let shown = format!("{:?}", request(Some("+14155550100"), None, None));
        assert!(!shown.contains("555"), "{shown}");
        let shown = format!("{:?}", request(None, Some("pat@b.example"), None));
        assert!(!shown.contains("pat"), "{shown}");
    }
}
