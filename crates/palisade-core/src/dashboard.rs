//! The manager dashboard: deals by stage, open pipeline value, activity per rep over the last 7 and 30
//! days (UTC calendar days, today included). Computed in the manager's own user context (never the
//! service context) in one statement, from the trigger-maintained rollups of deals and interactions
//! (migrations/0006): nothing from rep-private tables can appear here.
use palisade_db::{TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    pub deals_by_stage: Vec<StageTotal>,
    /// Sum of deals not won or lost, per currency.
    pub pipeline: Vec<CurrencyTotal>,
    pub activity: Vec<RepActivity>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StageTotal {
    pub stage: String,
    pub currency: String,
    pub count: i64,
    /// Sum in cents as a decimal string: sums may exceed 64 bits.
    pub amount_cents: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CurrencyTotal {
    pub currency: String,
    /// Sum in cents as a decimal string.
    pub amount_cents: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RepActivity {
    pub user_id: Uuid,
    pub last_7_days: i64,
    pub last_30_days: i64,
}

const SQL: &str = "\
with stages as (
  select stage, currency, sum(deals)::bigint as n, sum(amount_cents) as amount
  from app.deal_stage_totals where tenant_id = $1
  group by stage, currency having sum(deals) <> 0
), activity as (
  select actor_id,
         coalesce(sum(interactions) filter (where day >= (now() at time zone 'UTC')::date - 6), 0)::bigint as d7,
         sum(interactions)::bigint as d30
  from app.activity_daily
  where tenant_id = $1 and day >= (now() at time zone 'UTC')::date - 29
  group by actor_id having sum(interactions) <> 0
)
select json_build_object(
  'deals_by_stage', coalesce((select json_agg(json_build_object(
      'stage', stage, 'currency', currency, 'count', n, 'amount_cents', amount::text) order by stage, currency)
    from stages), '[]'),
  'pipeline', coalesce((select json_agg(json_build_object('currency', currency, 'amount_cents', total::text) order by currency)
    from (select currency, sum(amount) as total from stages
          where stage not in ('won', 'lost') group by currency) p), '[]'),
  'activity', coalesce((select json_agg(json_build_object(
      'user_id', actor_id, 'last_7_days', d7, 'last_30_days', d30) order by d30 desc, actor_id)
    from activity), '[]')) as dashboard";

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn load(tx: &mut Tx, tenant: TenantId) -> Result<Dashboard, CoreError> {
    let row = tx.query_one(SQL, &[tenant.as_uuid()]).await?;
    let value: serde_json::Value = row.try_get("dashboard")?;
    serde_json::from_value(value).map_err(|_| {
        CoreError::Db(palisade_db::DbError::Unavailable(
            "malformed dashboard row".into(),
        ))
    })
}
