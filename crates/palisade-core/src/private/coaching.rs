//! Coaching observations: written about a rep's work (by the assistant, or by the rep), read by that
//! rep alone.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Insert, OwnedRecord, Value};
use crate::page::new_id;
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
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub category: String,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub observation: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationPatch {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub category: Option<String>,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub observation: Option<String>,
}

impl FromRow for Observation {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            category: row.try_get("category")?,
            observation: row.try_get("observation")?,
            source: row.try_get("source")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// Created through the API, an observation is the rep's own note (`source = self`).
impl OwnedRecord for Observation {
    const TABLE: &'static str = "app.coaching_observations";
    const COLUMNS: &'static str = "id, lead_id, category, observation, source, created_at, updated_at";
    const SET: &'static str = "category = coalesce($4, category), observation = coalesce($5, observation)";
    type New = NewObservation;
    type Patch = ObservationPatch;

    fn id(&self) -> Uuid {
        self.id
    }

    fn insert(input: &NewObservation) -> Result<Insert, CoreError> {
        let category = validate::text("category", &input.category, 100)?;
        let text = validate::masked_text("observation", &input.observation, 20_000)?;
        Ok(Insert {
            columns: "category, observation, source",
            values: vec![Box::new(category), Box::new(text), Box::new("self")],
            lead: Some(input.lead_id),
        })
    }

    fn update(patch: &ObservationPatch) -> Result<Vec<Value>, CoreError> {
        let category = validate::optional_text("category", patch.category.as_deref(), 100)?;
        let text = validate::optional_masked_text("observation", patch.observation.as_deref(), 20_000)?;
        Ok(vec![Box::new(category), Box::new(text)])
    }
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
