//! Rep-private records: visible to their owner only. Every query names the owner explicitly as well
//! as the tenant; the owner-only policy is the guarantee (no manager, admin or reporting path exists).
pub mod coaching;
pub mod drafts;
pub mod voice;

use palisade_db::{TenantId, Tx, UserId};
use uuid::Uuid;

use crate::CoreError;

/// Deletes one owned record; `table` is one of this module's constants, never user input.
async fn delete_owned(
    tx: &mut Tx,
    table: &'static str,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
) -> Result<(), CoreError> {
    let sql = format!("delete from {table} where tenant_id = $1 and owner_id = $2 and id = $3");
    match tx
        .execute(&sql, &[tenant.as_uuid(), owner.as_uuid(), &id])
        .await?
    {
        0 => Err(CoreError::NotFound),
        _ => Ok(()),
    }
}
