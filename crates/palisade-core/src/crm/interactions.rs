//! Interactions: calls, messages, meetings and notes on a lead. Reps see those on their own leads and
//! change only those they logged; everyone logs as themselves.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::page_query::ListQuery;
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = InteractionChannel)]
pub enum Channel {
    Call,
    Sms,
    Whatsapp,
    Email,
    Meeting,
    Note,
}

impl Channel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
            Self::Meeting => "meeting",
            Self::Note => "note",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
    Internal,
}

impl Direction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Interaction {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub actor_id: Uuid,
    pub channel: String,
    pub direction: String,
    pub body: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// Regulated advice was given.
    pub advised: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInteraction {
    pub lead_id: Uuid,
    pub channel: Channel,
    pub direction: Direction,
    #[schema(max_length = 20000)]
    pub body: Option<String>,
    /// Defaults to now.
    pub occurred_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub advised: bool,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionPatch {
    pub channel: Option<Channel>,
    pub direction: Option<Direction>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub body: Option<Option<String>>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub advised: Option<bool>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InteractionFilter {
    pub lead_id: Option<Uuid>,
    /// Who logged it.
    pub actor_id: Option<Uuid>,
    #[param(value_type = Option<Channel>)]
    pub channel: Option<Channel>,
    pub updated_since: Option<DateTime<Utc>>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<Uuid>,
}

const COLUMNS: &str =
    "id, lead_id, actor_id, channel, direction, body, occurred_at, advised, created_at, updated_at";
const MAX_BODY: usize = 20_000;

impl FromRow for Interaction {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            actor_id: row.try_get("actor_id")?,
            channel: row.try_get("channel")?,
            direction: row.try_get("direction")?,
            body: row.try_get("body")?,
            occurred_at: row.try_get("occurred_at")?,
            advised: row.try_get("advised")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

fn body(b: Option<&str>) -> Result<Option<String>, CoreError> {
    match b {
        Some(b) if b.chars().count() > MAX_BODY => Err(CoreError::invalid(
            "invalid_field",
            format!("body must be at most {MAX_BODY} characters"),
        )),
        // Bodies may quote a card number: masked before storage (the database refuses one).
        other => Ok(other.map(|b| palisade_crypto::cards::mask_cards(b).into_owned())),
    }
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &NewInteraction,
) -> Result<Interaction, CoreError> {
    let body = body(input.body.as_deref())?;
    let occurred = input.occurred_at.unwrap_or_else(Utc::now);
    let sql = create_sql();
    let row = tx
        .query_opt(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                &input.lead_id,
                caller.as_uuid(),
                &input.channel.as_str(),
                &input.direction.as_str(),
                &body,
                &occurred,
                &input.advised,
            ],
        )
        .await?
        .ok_or_else(CoreError::unknown_lead)?;
    Ok(Interaction::from_row(&row)?)
}

/// `$1` tenant, `$2` new id, `$3` lead, `$4` actor, `$5` channel, `$6` direction, `$7` body,
/// `$8` occurred_at, `$9` advised. As for deals, a lead the caller cannot see inserts nothing and
/// reads as "unknown lead". Public so benchmarks run the identical statement.
pub fn create_sql() -> String {
    format!(
        "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body, occurred_at, advised) \
         select l.tenant_id, $2, l.id, $4, $5, $6, $7, $8, $9 from app.leads l \
         where l.tenant_id = $1 and l.id = $3 returning {COLUMNS}"
    )
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Interaction, CoreError> {
    let sql = format!("select {COLUMNS} from app.interactions where tenant_id = $1 and id = $2");
    Ok(tx.query_one_as(&sql, &[tenant.as_uuid(), &id]).await?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &InteractionFilter,
) -> Result<Page<Interaction>, CoreError> {
    let limit = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .limit()?;
    let rows = ListQuery::new("app.interactions", COLUMNS, tenant)
        .filter("lead_id", "=", filter.lead_id)
        .filter("actor_id", "=", filter.actor_id)
        .filter("channel", "=", filter.channel.map(Channel::as_str))
        .filter("updated_at", ">=", filter.updated_since)
        .fetch(tx, filter.cursor, limit)
        .await?;
    Page::read(&rows, limit, |i: &Interaction| i.id)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    patch: &InteractionPatch,
) -> Result<Interaction, CoreError> {
    let body = patch.body.as_ref().map(|b| body(b.as_deref())).transpose()?;
    let sql = format!(
        "update app.interactions set \
           channel = coalesce($3, channel), \
           direction = coalesce($4, direction), \
           body = case when $5 then $6 else body end, \
           occurred_at = coalesce($7, occurred_at), \
           advised = coalesce($8, advised) \
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &id,
                &patch.channel.map(Channel::as_str),
                &patch.direction.map(Direction::as_str),
                &body.is_some(),
                &body.flatten(),
                &patch.occurred_at,
                &patch.advised,
            ],
        )
        .await?;
    Ok(Interaction::from_row(&row)?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<(), CoreError> {
    super::delete_one(tx, "app.interactions", tenant, id).await
}
