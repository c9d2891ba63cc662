//! Rep-private records: visible to their owner only. Every query names the owner explicitly as well
//! as the tenant; the owner-only policy is the guarantee (no manager, admin or reporting path exists).
pub mod coaching;
pub mod drafts;
pub mod voice;

use palisade_db::{Row, TenantId, Tx, UserId};
use uuid::Uuid;

use crate::page::{Page, PageParams};
use crate::page_query::ListQuery;

/// Appended to `insert ... select $1, ...` so that a lead the caller cannot see (another rep's,
/// another tenant's, or none) inserts nothing; the caller then answers "unknown lead" either way.
pub(crate) const VISIBLE_LEAD: &str =
    "where $4::uuid is null or exists (select from app.leads l where l.tenant_id = $1 and l.id = $4)";

pub(crate) fn unknown_lead() -> CoreError {
    CoreError::invalid("unknown_lead", "the lead does not exist")
}
use crate::CoreError;

/// `table` and `columns` are the calling module's constants, never user input.
async fn get_owned<T>(
    tx: &mut Tx,
    (table, columns): (&'static str, &'static str),
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    map: fn(&Row) -> Result<T, CoreError>,
) -> Result<T, CoreError> {
    let sql = format!("select {columns} from {table} where tenant_id = $1 and owner_id = $2 and id = $3");
    map(&tx
        .query_one(&sql, &[tenant.as_uuid(), owner.as_uuid(), &id])
        .await?)
}

/// The owner's records, newest first.
async fn list_owned<T>(
    tx: &mut Tx,
    (table, columns): (&'static str, &'static str),
    tenant: TenantId,
    owner: UserId,
    page: &PageParams,
    map: fn(&Row) -> Result<T, CoreError>,
    id: fn(&T) -> Uuid,
) -> Result<Page<T>, CoreError> {
    let limit = page.limit()?;
    let rows = ListQuery::new(table, columns, tenant)
        .filter("owner_id", "=", Some(*owner.as_uuid()))
        .fetch(tx, page.cursor, limit)
        .await?;
    Page::from_rows(&rows, limit, map, id)
}

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
