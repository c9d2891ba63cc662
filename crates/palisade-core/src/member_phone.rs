//! A member's own phone number in a tenant (issue 6): sealed and blind-indexed like leads' numbers,
//! readable and changeable only by the member (the service context reads it to deliver what the
//! member asked for). A new number is unverified until the verification flow confirms it.
use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx, UserId};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;

use crate::phone::{self, PhoneKeys};
use crate::CoreError;

const TABLE: &str = "app.member_phones";

/// Your phone number in this tenant.
#[derive(Serialize, ToSchema)]
pub struct MemberPhone {
    /// E.164; null when the stored number does not open (`phone_unreadable`).
    pub phone: Option<String>,
    pub phone_unreadable: bool,
    /// When a code sent to the number was confirmed; null until then, and again after a change.
    pub verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for MemberPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberPhone")
            .field("phone", &self.phone.as_ref().map(|_| "<redacted>"))
            .field("phone_unreadable", &self.phone_unreadable)
            .field("verified_at", &self.verified_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

fn member_phone(
    row: &tokio_postgres::Row,
    keys: PhoneKeys<'_>,
    tenant: TenantId,
    user: UserId,
) -> Result<MemberPhone, CoreError> {
    let sealed: Vec<u8> = row.try_get(0)?;
    let (phone, phone_unreadable) = match phone::open(keys, TABLE, tenant, user.as_uuid().as_bytes(), &sealed)
    {
        Ok(number) => (Some(number), false),
        Err(e) => {
            tracing::warn!(error = %e, "a member's phone number did not open");
            (None, true)
        }
    };
    Ok(MemberPhone {
        phone,
        phone_unreadable,
        verified_at: row.try_get(1)?,
        updated_at: row.try_get(2)?,
    })
}

const COLUMNS: &str = "phone_sealed, verified_at, updated_at";

/// The caller's number in the tenant, if they have set one.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get_mine(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    keys: PhoneKeys<'_>,
) -> Result<MemberPhone, CoreError> {
    let row = tx
        .query_one(
            &format!("select {COLUMNS} from {TABLE} where tenant_id = $1 and owner_id = $2"),
            &[tenant.as_uuid(), user.as_uuid()],
        )
        .await?;
    member_phone(&row, keys, tenant, user)
}

/// Sets the caller's number (typed in any format the tenant's region reads). Setting the number
/// already stored keeps its verification; another number starts unverified (the table's trigger).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn set_mine(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    text: &str,
    keys: PhoneKeys<'_>,
) -> Result<MemberPhone, CoreError> {
    let region = phone::tenant_region(tx, tenant).await?;
    let number = phone::normalize(text, region)?;
    let (sealed, index) = phone::seal(keys, TABLE, tenant, user.as_uuid().as_bytes(), &number);
    let row = tx
        .query_one(
            &format!(
                "insert into {TABLE} as p (tenant_id, owner_id, phone_sealed, phone_index) \
                 values ($1, $2, $3, $4) \
                 on conflict (tenant_id, owner_id) do update \
                   set phone_sealed = excluded.phone_sealed, phone_index = excluded.phone_index \
                 returning {COLUMNS}"
            ),
            &[tenant.as_uuid(), user.as_uuid(), &sealed, &index],
        )
        .await?;
    member_phone(&row, keys, tenant, user)
}

/// Removes the caller's number (not found when there is none).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete_mine(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<(), CoreError> {
    let n = tx
        .execute(
            &format!("delete from {TABLE} where tenant_id = $1 and owner_id = $2"),
            &[tenant.as_uuid(), user.as_uuid()],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}
