//! Voice samples: a rep's recorded voice (for cloning/coaching), referenced by storage key.
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::{validate, CoreError};

#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceSample {
    pub id: Uuid,
    pub label: String,
    pub storage_key: String,
    pub duration_ms: i32,
    pub transcript: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVoiceSample {
    pub label: String,
    /// Where the audio is stored (object storage key).
    pub storage_key: String,
    /// 1 ms to 1 hour.
    pub duration_ms: i32,
    pub transcript: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoiceSamplePatch {
    pub label: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub transcript: Option<Option<String>>,
}

const TABLE: (&str, &str) = ("app.voice_samples", COLUMNS);
const COLUMNS: &str = "id, label, storage_key, duration_ms, transcript, created_at, updated_at";

fn sample(row: &Row) -> Result<VoiceSample, CoreError> {
    Ok(VoiceSample {
        id: row.try_get(0)?,
        label: row.try_get(1)?,
        storage_key: row.try_get(2)?,
        duration_ms: row.try_get(3)?,
        transcript: row.try_get(4)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
    })
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    input: &NewVoiceSample,
) -> Result<VoiceSample, CoreError> {
    let label = validate::text("label", &input.label, 200)?;
    let key = validate::text("storage_key", &input.storage_key, 500)?;
    if !(1..=3_600_000).contains(&input.duration_ms) {
        return Err(CoreError::invalid(
            "invalid_field",
            "duration_ms must be between 1 and 3600000",
        ));
    }
    let transcript = validate::optional_masked_text("transcript", input.transcript.as_deref(), 100_000)?;
    let sql = format!(
        "insert into app.voice_samples (tenant_id, id, owner_id, label, storage_key, duration_ms, transcript) \
         values ($1, $2, $3, $4, $5, $6, $7) returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                owner.as_uuid(),
                &label,
                &key,
                &input.duration_ms,
                &transcript,
            ],
        )
        .await?;
    sample(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<VoiceSample, CoreError> {
    super::get_owned(tx, TABLE, tenant, owner, id, sample).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    page: &PageParams,
) -> Result<Page<VoiceSample>, CoreError> {
    super::list_owned(tx, TABLE, tenant, owner, page, sample, |x| x.id).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    patch: &VoiceSamplePatch,
) -> Result<VoiceSample, CoreError> {
    let label = validate::optional_text("label", patch.label.as_deref(), 200)?;
    let transcript = patch
        .transcript
        .as_ref()
        .map(|t| validate::optional_masked_text("transcript", t.as_deref(), 100_000))
        .transpose()?;
    let sql = format!(
        "update app.voice_samples set label = coalesce($4, label), \
           transcript = case when $5 then $6 else transcript end \
         where tenant_id = $1 and owner_id = $2 and id = $3 returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                owner.as_uuid(),
                &id,
                &label,
                &transcript.is_some(),
                &transcript.flatten(),
            ],
        )
        .await?;
    sample(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<(), CoreError> {
    super::delete_owned(tx, TABLE.0, tenant, owner, id).await
}
