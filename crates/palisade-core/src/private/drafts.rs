//! Follow-up drafts a rep writes (or the assistant proposes) before sending.
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftChannel {
    Sms,
    Whatsapp,
    Email,
}

impl DraftChannel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Draft {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    pub lead_id: Option<Uuid>,
    pub channel: DraftChannel,
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftPatch {
    pub channel: Option<DraftChannel>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub subject: Option<Option<String>>,
    pub body: Option<String>,
}

const TABLE: (&str, &str) = ("app.drafts", COLUMNS);
const COLUMNS: &str = "id, lead_id, channel, subject, body, created_at, updated_at";

fn draft(row: &Row) -> Result<Draft, CoreError> {
    Ok(Draft {
        id: row.try_get(0)?,
        lead_id: row.try_get(1)?,
        channel: row.try_get(2)?,
        subject: row.try_get(3)?,
        body: row.try_get(4)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
    })
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    input: &NewDraft,
) -> Result<Draft, CoreError> {
    let subject = validate::optional_masked_text("subject", input.subject.as_deref(), 300)?;
    let body = validate::masked_text("body", &input.body, 20_000)?;
    let sql = format!(
        "insert into app.drafts (tenant_id, id, owner_id, lead_id, channel, subject, body) \
         select $1, $2, $3, $4, $5, $6, $7 {} returning {COLUMNS}",
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
                &input.channel.as_str(),
                &subject,
                &body,
            ],
        )
        .await?
        .ok_or_else(super::unknown_lead)?;
    draft(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<Draft, CoreError> {
    super::get_owned(tx, TABLE, tenant, owner, id, draft).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    page: &PageParams,
) -> Result<Page<Draft>, CoreError> {
    super::list_owned(tx, TABLE, tenant, owner, page, draft, |x| x.id).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    patch: &DraftPatch,
) -> Result<Draft, CoreError> {
    let subject = patch
        .subject
        .as_ref()
        .map(|s| validate::optional_masked_text("subject", s.as_deref(), 300))
        .transpose()?;
    let body = validate::optional_masked_text("body", patch.body.as_deref(), 20_000)?;
    let sql = format!(
        "update app.drafts set channel = coalesce($4, channel), \
           subject = case when $5 then $6 else subject end, body = coalesce($7, body) \
         where tenant_id = $1 and owner_id = $2 and id = $3 returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                owner.as_uuid(),
                &id,
                &patch.channel.map(DraftChannel::as_str),
                &subject.is_some(),
                &subject.flatten(),
                &body,
            ],
        )
        .await?;
    draft(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, owner: UserId, id: Uuid) -> Result<(), CoreError> {
    super::delete_owned(tx, TABLE.0, tenant, owner, id).await
}
