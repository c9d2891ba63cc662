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
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use receipt::{get, list, ErasureStatus, Outcome, Progress, Receipt, SubjectKind, TableCount};
pub use resolve::{resolve, Resolved};

use crate::messaging::Channel;
use crate::CoreError;

/// Who to erase: exactly one of a phone number, an email address or a lead id. In the body of a
/// POST, so a number never sits in a URL.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, max_properties = 1)]
pub struct ErasureRequest {
    /// A phone number in any format the tenant's default region reads (`+14155550100`,
    /// `(415) 555-0100`): every lead with this number is erased.
    #[schema(min_length = 1, max_length = 40, example = "+14155550100")]
    pub phone: Option<String>,
    /// An email address, compared without regard to case: every lead with it is erased.
    #[schema(min_length = 3, max_length = 320, format = "email")]
    pub email: Option<String>,
    /// One lead, with every address it has.
    pub lead_id: Option<Uuid>,
}

/// The subject is personal data: `Debug` names only which field was given.
impl std::fmt::Debug for ErasureRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasureRequest")
            .field("by", &self.subject_kind().ok())
            .finish()
    }
}

impl ErasureRequest {
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

/// Writes the suppressions and the receipt row (service context, purpose `erasure`); returns the
/// erasure's id. A suppression the person could lift by texting START (reason `stop`) becomes one
/// they cannot (`erasure`); bounces, complaints and an admin's own suppressions stay as they are.
pub async fn start(
    tx: &mut Tx,
    tenant: TenantId,
    requested_by: UserId,
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
        "insert into app.erasures (tenant_id, id, requested_by, subject_kind, pending_leads, leads_total, \
           counts, correlation_id) \
         values ($1, $2, $3, $4, $5, $6, $7, nullif(current_setting('palisade.correlation_id', true), ''))",
        &[
            tenant.as_uuid(),
            &id,
            requested_by.as_uuid(),
            &resolved.kind,
            &resolved.leads,
            &(resolved.leads.len() as i32),
            &counts,
        ],
    )
    .await?;
    Ok(id)
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
    tx.execute(
        "delete from app.suppressions where tenant_id = $1 and channel = $2 and address_index = any($3) \
           and reason = 'stop'",
        &[tenant.as_uuid(), &channel.as_str(), &indexes],
    )
    .await?;
    Ok(tx
        .execute(
            "insert into app.suppressions (tenant_id, channel, address_index, reason) \
             select $1, $2, i, 'erasure' from unnest($3::bytea[]) as i on conflict do nothing",
            &[tenant.as_uuid(), &channel.as_str(), &indexes],
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(phone: Option<&str>, email: Option<&str>, lead: Option<Uuid>) -> ErasureRequest {
        ErasureRequest {
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
