//! Coaching observations: written about a rep's work (by the assistant, or by the rep), read by that
//! rep alone.
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::{validate, CoreError};

#[derive(Debug, Serialize, ToSchema)]
pub struct Observation {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub category: String,
    pub observation: String,
    /// `ai` (the assistant) or `self` (the rep's own note).
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObservation {
    pub lead_id: Option<Uuid>,
    pub category: String,
    pub observation: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationPatch {
    pub category: Option<String>,
    pub observation: Option<String>,
}

const TABLE: (&str, &str) = ("app.coaching_observations", COLUMNS);
const COLUMNS: &str = "id, lead_id, category, observation, source, created_at, updated_at";

fn observation(row: &Row) -> Result<Observation, CoreError> {
    Ok(Observation {
        id: row.try_get(0)?,
        lead_id: row.try_get(1)?,
        category: row.try_get(2)?,
        observation: row.try_get(3)?,
        source: row.try_get(4)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
    })
}

/// The rep's own note (`source = self`).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    input: &NewObservation,
) -> Result<Observation, CoreError> {
    let category = validate::text("category", &input.category, 100)?;
    let text = validate::masked_text("observation", &input.observation, 20_000)?;
    let sql = format!(
        "insert into app.coaching_observations (tenant_id, id, owner_id, lead_id, category, observation, source) \
         select $1, $2, $3, $4, $5, $6, 'self' {} returning {COLUMNS}",
        super::VISIBLE_LEAD
    );
    let row = tx
        .query_opt(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                owner.as_uuid(),
                &input.lead_id,
                &category,
                &text,
            ],
        )
        .await?
        .ok_or_else(super::unknown_lead)?;
    observation(&row)
}

/// Assistant output for a member, written in the service context, which may insert but never read:
/// the database checks that `owner` is an active member of the tenant.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn record_for_member(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    input: &NewObservation,
) -> Result<Uuid, CoreError> {
    let category = validate::text("category", &input.category, 100)?;
    let text = validate::masked_text("observation", &input.observation, 20_000)?;
    let id = new_id();
    tx.execute(
        "insert into app.coaching_observations (tenant_id, id, owner_id, lead_id, category, observation, source) \
         values ($1, $2, $3, $4, $5, $6, 'ai')",
        &[tenant.as_uuid(), &id, owner.as_uuid(), &input.lead_id, &category, &text],
    )
    .await?;
    Ok(id)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<Observation, CoreError> {
    super::get_owned(tx, TABLE, tenant, owner, id, observation).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    page: &PageParams,
) -> Result<Page<Observation>, CoreError> {
    super::list_owned(tx, TABLE, tenant, owner, page, observation, |x| x.id).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    patch: &ObservationPatch,
) -> Result<Observation, CoreError> {
    let category = validate::optional_text("category", patch.category.as_deref(), 100)?;
    let text = validate::optional_masked_text("observation", patch.observation.as_deref(), 20_000)?;
    let sql = format!(
        "update app.coaching_observations set category = coalesce($4, category), \
           observation = coalesce($5, observation) \
         where tenant_id = $1 and owner_id = $2 and id = $3 returning {COLUMNS}"
    );
    observation(
        &tx.query_one(&sql, &[tenant.as_uuid(), owner.as_uuid(), &id, &category, &text])
            .await?,
    )
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<(), CoreError> {
    super::delete_owned(tx, TABLE.0, tenant, owner, id).await
}
