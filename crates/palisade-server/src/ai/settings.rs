//! A tenant's AI settings and what its calls cost (admins).
use axum::extract::State;
use axum::Json;
use chrono::{NaiveDate, Utc};
use palisade_ai::{Builtins, Guard};
use palisade_core::ai::settings::{self, AiSettings};
use palisade_core::ai::usage::{self, MonthUsage};
use palisade_core::CoreError;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiQuery};
use crate::state::AppState;

/// The workspace's AI settings (admins); the defaults until an admin saves them.
#[utoipa::path(get, path = "/api/v1/ai/settings", tag = "ai", security(("bearer" = [])),
    responses((status = 200, body = AiSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get(admin: Admin) -> ApiResult<Json<AiSettings>> {
    let mut tx = admin.begin().await?;
    let current = settings::read(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(current))
}

/// Replace the workspace's AI settings (admins). A pattern that is not a valid regular expression,
/// matches empty text or is too long is `422 invalid_mask_pattern`, naming its position; nothing is
/// saved then. The change is in the audit trail.
#[utoipa::path(put, path = "/api/v1/ai/settings", tag = "ai", security(("bearer" = [])), request_body = AiSettings,
    responses((status = 200, body = AiSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(admin: Admin, ApiJson(input): ApiJson<AiSettings>) -> ApiResult<Json<AiSettings>> {
    let builtins = Builtins {
        iban: input.mask_iban,
        us_ssn: input.mask_us_ssn,
        uk_nino: input.mask_uk_nino,
    };
    Guard::new(builtins, &input.mask_patterns)
        .map_err(|e| CoreError::invalid("invalid_mask_pattern", format!("mask_patterns: {e}")))?;
    let mut tx = admin.begin().await?;
    let saved = settings::put(&mut tx, admin.tenant(), input).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// `YYYY-MM` (UTC); default this month.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

/// What the workspace's calls to the model cost in a month, by purpose, against its budget (admins).
#[utoipa::path(get, path = "/api/v1/ai/usage", tag = "ai", security(("bearer" = [])), params(UsageQuery),
    responses((status = 200, body = MonthUsage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_usage(
    State(state): State<AppState>,
    admin: Admin,
    ApiQuery(query): ApiQuery<UsageQuery>,
) -> ApiResult<Json<MonthUsage>> {
    let day = match query.month.as_deref() {
        None => Utc::now().date_naive(),
        Some(m) => {
            let shaped = m.len() == 7
                && m.bytes()
                    .enumerate()
                    .all(|(i, b)| if i == 4 { b == b'-' } else { b.is_ascii_digit() });
            shaped
                .then(|| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
                .flatten()
                .ok_or_else(|| CoreError::invalid("invalid_month", "month must be YYYY-MM"))?
        }
    };
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let current = settings::read(&mut tx, tenant).await?;
    let budget = state.assistant.budget_micros(&current);
    let month = usage::month(&mut tx, tenant, day, budget).await?;
    tx.commit().await?;
    Ok(Json(month))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, put))
        .routes(routes!(get_usage))
}
