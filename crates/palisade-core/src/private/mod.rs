//! Rep-private records: visible to their owner only. Every query names the owner explicitly as well
//! as the tenant; the owner-only policy is the guarantee (no manager, admin or reporting path exists).
//!
//! The three kinds (drafts, coaching observations, voice samples) differ only in their columns and
//! checks, so each declares those through [`OwnedRecord`] and one set of functions here creates,
//! reads, lists, changes and deletes any of them.
pub mod coaching;
pub mod drafts;
pub mod voice;
pub mod voice_consent;

use palisade_db::{FromRow, TenantId, Tx, UserId};
use tracing::instrument;
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::page_query::{bind, ListQuery, Param};
use crate::CoreError;

/// A checked value bound into an insert or an update.
pub type Value = Param;

/// What an insert sets besides tenant, id and owner.
pub struct Insert {
    /// `col, col, …` in the order of `values` (a constant, never user input).
    pub columns: &'static str,
    pub values: Vec<Value>,
    /// `Some(lead)` for kinds that may name a lead: a lead the caller cannot see (another rep's,
    /// another tenant's, or none) inserts nothing, answered as an unknown lead either way.
    pub lead: Option<Option<Uuid>>,
}

/// One kind of rep-private record.
pub trait OwnedRecord: FromRow + Send {
    /// The table (a constant, never user input).
    const TABLE: &'static str;
    /// The columns every answer returns, read by name.
    const COLUMNS: &'static str;
    /// The update's assignments, on parameters from `$4` on (the patch's values, in order).
    const SET: &'static str;
    type New: Sync;
    type Patch: Sync;

    fn id(&self) -> Uuid;
    /// The new record's checked values (or the first field that fails its check).
    fn insert(input: &Self::New) -> Result<Insert, CoreError>;
    /// The patch's checked values, bound to `SET`'s parameters.
    fn update(patch: &Self::Patch) -> Result<Vec<Value>, CoreError>;
}

/// Appended to `insert ... select $1, ...` so that a lead the caller cannot see inserts nothing.
const VISIBLE_LEAD: &str =
    "where $4::uuid is null or exists (select from app.leads l where l.tenant_id = $1 and l.id = $4)";

#[instrument(skip_all, fields(tenant_id = %tenant, table = R::TABLE), err(level = "debug"))]
pub async fn create<R: OwnedRecord>(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    input: &R::New,
) -> Result<R, CoreError> {
    let insert = R::insert(input)?;
    let (table, columns, returning) = (R::TABLE, insert.columns, R::COLUMNS);
    let mut values: Vec<Value> = vec![
        Box::new(*tenant.as_uuid()),
        Box::new(new_id()),
        Box::new(*owner.as_uuid()),
    ];
    let sql = match insert.lead {
        None => {
            let slots = (1..=3 + insert.values.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>();
            format!(
                "insert into {table} (tenant_id, id, owner_id, {columns}) values ({}) returning {returning}",
                slots.join(", ")
            )
        }
        Some(lead) => {
            values.push(Box::new(lead));
            let slots = (1..=4 + insert.values.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>();
            format!(
                "insert into {table} (tenant_id, id, owner_id, lead_id, {columns}) select {} {VISIBLE_LEAD} \
                 returning {returning}",
                slots.join(", ")
            )
        }
    };
    values.extend(insert.values);
    let created = tx.query_opt_as(&sql, &bind(&values)).await?;
    created.ok_or_else(CoreError::unknown_lead)
}

#[instrument(skip_all, fields(tenant_id = %tenant, table = R::TABLE), err(level = "debug"))]
pub async fn get<R: OwnedRecord>(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
) -> Result<R, CoreError> {
    let (table, columns) = (R::TABLE, R::COLUMNS);
    let sql = format!("select {columns} from {table} where tenant_id = $1 and owner_id = $2 and id = $3");
    Ok(tx
        .query_one_as(&sql, &[tenant.as_uuid(), owner.as_uuid(), &id])
        .await?)
}

/// The owner's records, newest first.
#[instrument(skip_all, fields(tenant_id = %tenant, table = R::TABLE), err(level = "debug"))]
pub async fn list<R: OwnedRecord>(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    page: &PageParams,
) -> Result<Page<R>, CoreError> {
    let limit = page.limit()?;
    let rows = ListQuery::new(R::TABLE, R::COLUMNS, tenant)
        .filter("owner_id", "=", Some(*owner.as_uuid()))
        .fetch(tx, page.cursor, limit)
        .await?;
    Page::read(&rows, limit, R::id)
}

#[instrument(skip_all, fields(tenant_id = %tenant, table = R::TABLE), err(level = "debug"))]
pub async fn update<R: OwnedRecord>(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    patch: &R::Patch,
) -> Result<R, CoreError> {
    let (table, set, columns) = (R::TABLE, R::SET, R::COLUMNS);
    let sql = format!(
        "update {table} set {set} where tenant_id = $1 and owner_id = $2 and id = $3 returning {columns}"
    );
    let mut values: Vec<Value> = vec![
        Box::new(*tenant.as_uuid()),
        Box::new(*owner.as_uuid()),
        Box::new(id),
    ];
    values.extend(R::update(patch)?);
    Ok(tx.query_one_as(&sql, &bind(&values)).await?)
}

#[instrument(skip_all, fields(tenant_id = %tenant, table = R::TABLE), err(level = "debug"))]
pub async fn delete<R: OwnedRecord>(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
) -> Result<(), CoreError> {
    let table = R::TABLE;
    let sql = format!("delete from {table} where tenant_id = $1 and owner_id = $2 and id = $3");
    match tx
        .execute(&sql, &[tenant.as_uuid(), owner.as_uuid(), &id])
        .await?
    {
        0 => Err(CoreError::NotFound),
        _ => Ok(()),
    }
}
