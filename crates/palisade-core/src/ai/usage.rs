//! What a tenant's calls to the model cost: each call reserved at its ceiling before it is sent
//! (refused once the month's budget would be overspent) and settled at what the provider counted.
//! The budget functions are the database's (migration 0040): one reservation at a time per tenant.
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use palisade_db::{FromRow, Row, TenantId, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

/// What a call was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CallPurpose {
    /// A follow-up drafted for a rep.
    Draft,
    /// Coaching observations from a call transcript.
    Coaching,
    /// An answer from the knowledge base (auto-replies).
    Answer,
}

impl CallPurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Coaching => "coaching",
            Self::Answer => "answer",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Coaching, Self::Answer]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// When the current month's budget starts over (the first of next month, UTC).
pub fn next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or(now)
}

/// Reserves `ceiling_micros` of this month's budget for a call (the service context, purpose
/// `assistant`), or refuses with `ai_budget_exhausted` until the month is over.
#[instrument(skip_all, fields(purpose = purpose.as_str()), err(level = "debug"))]
pub async fn reserve(
    tx: &mut Tx,
    purpose: CallPurpose,
    model: &str,
    ceiling_micros: i64,
    default_budget_micros: i64,
) -> Result<Uuid, CoreError> {
    let row = tx
        .query_one(
            "select app.ai_reserve($1, $2, $3, $4) as id",
            &[&purpose.as_str(), &model, &ceiling_micros, &default_budget_micros],
        )
        .await
        .map_err(|e| match CoreError::from(e) {
            CoreError::Db(palisade_db::DbError::Rule { code, .. }) if code == "PA429" => {
                budget_exhausted(Utc::now())
            }
            other => other,
        })?;
    Ok(row.try_get("id")?)
}

/// The refusal of a call once the month's budget is spent, with the seconds until it starts over.
pub fn budget_exhausted(now: DateTime<Utc>) -> CoreError {
    let wait = (next_month(now) - now).num_seconds().max(1);
    CoreError::Throttled {
        code: "ai_budget_exhausted",
        message:
            "this month's AI budget is spent: an admin can raise it under AI settings, or it starts over \
                  on the first of next month (UTC)",
        retry_after_secs: u64::try_from(wait).unwrap_or(1),
    }
}

/// How a call ended.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settlement {
    pub ok: bool,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub cost_micros: i64,
    pub masked: usize,
}

/// Settles a reservation once (false: none such was open).
#[instrument(skip_all, err(level = "debug"))]
pub async fn settle(tx: &mut Tx, id: Uuid, how: Settlement) -> Result<bool, CoreError> {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let row = tx
        .query_one(
            "select app.ai_settle($1, $2, $3, $4, $5, $6) as settled",
            &[
                &id,
                &if how.ok { "done" } else { "failed" },
                &int(how.prompt_tokens),
                &int(how.completion_tokens),
                &how.cost_micros.max(0),
                &i32::try_from(how.masked).unwrap_or(i32::MAX),
            ],
        )
        .await?;
    Ok(row.try_get("settled")?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeUsage {
    pub purpose: CallPurpose,
    pub calls: i64,
    pub failed: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    /// Millionths of a US dollar (open reservations at their ceiling).
    pub cost_micros: i64,
}

impl FromRow for PurposeUsage {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        let purpose: String = row.try_get("purpose")?;
        Ok(Self {
            purpose: CallPurpose::parse(&purpose).unwrap_or(CallPurpose::Draft),
            calls: row.try_get("calls")?,
            failed: row.try_get("failed")?,
            prompt_tokens: row.try_get("prompt_tokens")?,
            completion_tokens: row.try_get("completion_tokens")?,
            cost_micros: row.try_get("cost_micros")?,
        })
    }
}

/// A month of a tenant's calls.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthUsage {
    /// `YYYY-MM` (UTC).
    pub month: String,
    /// The budget in force (the tenant's, else the server's), in millionths of a US dollar.
    pub budget_micros: i64,
    pub spent_micros: i64,
    pub remaining_micros: i64,
    pub by_purpose: Vec<PurposeUsage>,
}

/// The usage of the month that holds `day` (an admin, in their own context).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn month(
    tx: &mut Tx,
    tenant: TenantId,
    day: NaiveDate,
    budget_micros: i64,
) -> Result<MonthUsage, CoreError> {
    let first = day.with_day(1).unwrap_or(day);
    let by_purpose: Vec<PurposeUsage> = tx
        .query_as(
            "select purpose, count(*) as calls, count(*) filter (where status = 'failed') as failed, \
             coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens, \
             coalesce(sum(completion_tokens), 0)::bigint as completion_tokens, \
             coalesce(sum(coalesce(cost_micros, reserved_micros)), 0)::bigint as cost_micros \
             from app.ai_usage where tenant_id = $1 \
             and created_at >= ($2::date)::timestamp at time zone 'UTC' \
             and created_at < (($2::date) + interval '1 month') at time zone 'UTC' \
             group by purpose order by purpose",
            &[tenant.as_uuid(), &first],
        )
        .await?;
    let spent: i64 = by_purpose.iter().map(|p| p.cost_micros).sum();
    Ok(MonthUsage {
        month: first.format("%Y-%m").to_string(),
        budget_micros,
        spent_micros: spent,
        remaining_micros: (budget_micros - spent).max(0),
        by_purpose,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_starts_over_on_the_first_of_next_month() {
        let dec = Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap();
        assert_eq!(
            next_month(dec),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
        );
        let feb = Utc.with_ymd_and_hms(2027, 2, 3, 0, 0, 0).unwrap();
        assert_eq!(
            next_month(feb),
            Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap()
        );
        match budget_exhausted(dec) {
            CoreError::Throttled { retry_after_secs, .. } => assert_eq!(retry_after_secs, 3600),
            other => panic!("{other:?}"),
        }
    }
}
