//! Retention periods (admins): how long the tenant keeps each class of data.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::privacy::retention::{self, DataClass, Retention};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    /// Days to keep the class, from its `minimum_days` to 36500; null: keep until changed. Required:
    /// leaving it out is not taken for "keep for ever".
    #[schema(minimum = 1, maximum = 36500, required = true)]
    #[serde(default, deserialize_with = "present")]
    pub keep_days: Option<Option<i32>>,
}

/// A field that is present, null or not: `Some(None)` for null, and `None` (by `default`) when absent.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    Option::<i32>::deserialize(d).map(Some)
}

/// Every class's retention period in the tenant (admins): the period in force, Palisade's default,
/// the shortest allowed, and whether an admin set it. The `retention` job deletes what is older every
/// hour; the audit trail itself is kept for the platform's period (seven years by default).
#[utoipa::path(get, path = "/api/v1/privacy/retention", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = [Retention]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(admin: Admin) -> ApiResult<Json<Vec<Retention>>> {
    let mut tx = admin.begin().await?;
    let periods = retention::list(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(periods))
}

/// Set one class's retention period (admins). Below the class's minimum (a year for the access log,
/// a week for webhook and error events, a day otherwise): `403 below_minimum`; outside 1–36500
/// days: `422 invalid_period`.
/// The next hourly run of the `retention` job deletes what the new period leaves behind, and the
/// change is in the audit trail. Answers every class's period.
#[utoipa::path(put, path = "/api/v1/privacy/retention/{data_class}", tag = "privacy", security(("bearer" = [])),
    params(("data_class" = DataClass, Path, description = "The class of data")),
    request_body = RetentionInput,
    responses((status = 200, body = [Retention]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set(
    admin: Admin,
    ApiPath(class): ApiPath<String>,
    ApiJson(input): ApiJson<RetentionInput>,
) -> ApiResult<Json<Vec<Retention>>> {
    let class = DataClass::parse(&class).ok_or_else(ApiError::not_found)?;
    let keep_days = input.keep_days.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
            "keep_days is required: a number of days, or null to keep until changed",
        )
    })?;
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    retention::set(&mut tx, tenant, admin.caller().user_id(), class, keep_days).await?;
    let periods = retention::list(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(Json(periods))
}

/// Return one class to Palisade's default period (admins). Answers every class's period.
#[utoipa::path(delete, path = "/api/v1/privacy/retention/{data_class}", tag = "privacy", security(("bearer" = [])),
    params(("data_class" = DataClass, Path, description = "The class of data")),
    responses((status = 200, body = [Retention]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn reset(admin: Admin, ApiPath(class): ApiPath<String>) -> ApiResult<Json<Vec<Retention>>> {
    let class = DataClass::parse(&class).ok_or_else(ApiError::not_found)?;
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    retention::reset(&mut tx, tenant, class).await?;
    let periods = retention::list(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(Json(periods))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set, reset))
}
