//! Deals (an insurance policy is a deal with a product). Same visibility as leads; a deal can only
//! be opened on a lead the caller can see.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, DealId, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::page_query::ListQuery;
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prospect,
    Qualified,
    Proposal,
    Negotiation,
    Won,
    Lost,
}

impl Stage {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Prospect => "prospect",
            Self::Qualified => "qualified",
            Self::Proposal => "proposal",
            Self::Negotiation => "negotiation",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Deal {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub stage: String,
    pub amount_cents: i64,
    pub currency: String,
    pub product: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeal {
    pub lead_id: Uuid,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    pub stage: Option<Stage>,
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub amount_cents: Option<i64>,
    /// ISO 4217, default USD.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub product: Option<String>,
    /// Defaults to the caller. Only managers and admins may name someone else.
    pub owner_id: Option<Uuid>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: Option<String>,
    pub stage: Option<Stage>,
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub amount_cents: Option<i64>,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"\S")]
    pub product: Option<Option<String>>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub closed_at: Option<Option<DateTime<Utc>>>,
    /// Reassign (managers and admins).
    pub owner_id: Option<Uuid>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DealFilter {
    pub owner_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    #[param(value_type = Option<Stage>)]
    pub stage: Option<Stage>,
    pub updated_since: Option<DateTime<Utc>>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<Uuid>,
}

const COLUMNS: &str =
    "id, lead_id, owner_id, title, stage, amount_cents, currency, product, closed_at, created_at, updated_at";

impl FromRow for Deal {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            owner_id: row.try_get("owner_id")?,
            title: row.try_get("title")?,
            stage: row.try_get("stage")?,
            amount_cents: row.try_get("amount_cents")?,
            currency: row.try_get("currency")?,
            product: row.try_get("product")?,
            closed_at: row.try_get("closed_at")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

fn currency(c: Option<&str>) -> Result<Option<String>, CoreError> {
    match c {
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => Ok(Some(c.to_owned())),
        Some(_) => Err(CoreError::invalid(
            "invalid_currency",
            "currency must be a 3-letter ISO 4217 code",
        )),
        None => Ok(None),
    }
}

/// 10^13 cents (100 billion units); the database enforces the same bound.
pub const MAX_AMOUNT_CENTS: i64 = 10_000_000_000_000;

fn amount(a: Option<i64>) -> Result<Option<i64>, CoreError> {
    match a {
        Some(n) if !(0..=MAX_AMOUNT_CENTS).contains(&n) => Err(CoreError::invalid(
            "invalid_amount",
            format!("amount_cents must be between 0 and {MAX_AMOUNT_CENTS}"),
        )),
        other => Ok(other),
    }
}

fn forbidden_owner(e: DbError) -> CoreError {
    match e {
        DbError::PermissionDenied => {
            CoreError::Forbidden("only managers and admins may give a deal to another active member")
        }
        other => other.into(),
    }
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &NewDeal,
) -> Result<Deal, CoreError> {
    let title = validate::text("title", &input.title, 200)?;
    let product = validate::optional_text("product", input.product.as_deref(), 200)?;
    let currency = currency(input.currency.as_deref())?.unwrap_or_else(|| "USD".into());
    let amount = amount(input.amount_cents)?.unwrap_or(0);
    let owner = input.owner_id.unwrap_or(*caller.as_uuid());
    let stage = input.stage.unwrap_or(Stage::Prospect).as_str();
    // Selecting the lead under RLS means an invisible lead (another rep's, another tenant's, or none)
    // inserts nothing and answers the same "unknown lead": no existence oracle.
    let sql = format!(
        "insert into app.deals (tenant_id, id, lead_id, owner_id, title, stage, amount_cents, currency, product) \
         select l.tenant_id, $2, l.id, $4, $5, $6, $7, $8, $9 from app.leads l \
         where l.tenant_id = $1 and l.id = $3 returning {COLUMNS}"
    );
    let row = tx
        .query_opt(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                &input.lead_id,
                &owner,
                &title,
                &stage,
                &amount,
                &currency,
                &product,
            ],
        )
        .await
        .map_err(forbidden_owner)?
        .ok_or_else(CoreError::unknown_lead)?;
    Ok(Deal::from_row(&row)?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, id: DealId) -> Result<Deal, CoreError> {
    let sql = format!("select {COLUMNS} from app.deals where tenant_id = $1 and id = $2");
    Ok(tx.query_one_as(&sql, &[tenant.as_uuid(), &id]).await?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId, filter: &DealFilter) -> Result<Page<Deal>, CoreError> {
    let limit = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .limit()?;
    let rows = ListQuery::new("app.deals", COLUMNS, tenant)
        .filter("owner_id", "=", filter.owner_id)
        .filter("lead_id", "=", filter.lead_id)
        .filter("stage", "=", filter.stage.map(Stage::as_str))
        .filter("updated_at", ">=", filter.updated_since)
        .fetch(tx, filter.cursor, limit)
        .await?;
    Page::read(&rows, limit, |d: &Deal| d.id)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(tx: &mut Tx, tenant: TenantId, id: DealId, patch: &DealPatch) -> Result<Deal, CoreError> {
    let title = validate::optional_text("title", patch.title.as_deref(), 200)?;
    let product = patch
        .product
        .as_ref()
        .map(|p| validate::optional_text("product", p.as_deref(), 200))
        .transpose()?;
    let currency = currency(patch.currency.as_deref())?;
    let amount = amount(patch.amount_cents)?;
    let stage = patch.stage.map(Stage::as_str);
    let sql = format!(
        "update app.deals set \
           title = coalesce($3, title), \
           stage = coalesce($4, stage), \
           amount_cents = coalesce($5, amount_cents), \
           currency = coalesce($6, currency), \
           product = case when $7 then $8 else product end, \
           closed_at = case when $9 then $10 else closed_at end, \
           owner_id = coalesce($11, owner_id) \
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &id,
                &title,
                &stage,
                &amount,
                &currency,
                &product.is_some(),
                &product.flatten(),
                &patch.closed_at.is_some(),
                &patch.closed_at.flatten(),
                &patch.owner_id,
            ],
        )
        .await
        .map_err(forbidden_owner)?;
    Ok(Deal::from_row(&row)?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: DealId) -> Result<(), CoreError> {
    super::delete_one(tx, "app.deals", tenant, *id.as_uuid()).await
}
