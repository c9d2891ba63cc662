//! Leads, deals and interactions.
pub mod deals;
pub mod interactions;
pub mod leads;

use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use crate::CoreError;

/// Deletes one record; `table` is one of this module's constants, never user input. Rows the
/// caller may not delete are filtered out by policy and answer "not found".
async fn delete_one(tx: &mut Tx, table: &'static str, tenant: TenantId, id: Uuid) -> Result<(), CoreError> {
    let sql = format!("delete from {table} where tenant_id = $1 and id = $2");
    match tx.execute(&sql, &[tenant.as_uuid(), &id]).await? {
        0 => Err(CoreError::NotFound),
        _ => Ok(()),
    }
}
