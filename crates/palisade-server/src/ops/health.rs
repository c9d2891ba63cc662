//! Liveness, readiness and the OpenAPI document.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` (liveness), `ready`, or `degraded`: serving, but something needs attention.
    pub status: &'static str,
    /// Background jobs that have not succeeded in twice their interval.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overdue_jobs: Vec<&'static str>,
    /// Audit partitions exist for fewer than two months ahead: writes will fail when they run out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_partition_months_ahead: Option<i32>,
    /// Age of the oldest audit event the sealer has not linked yet, when over five minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_unsealed_seconds: Option<f64>,
}

impl Health {
    fn plain(status: &'static str) -> Self {
        Self {
            status,
            overdue_jobs: Vec::new(),
            audit_partition_months_ahead: None,
            audit_unsealed_seconds: None,
        }
    }
}

/// Months of audit partitions ahead, and the age in seconds of the oldest unsealed event.
async fn audit_state(state: &AppState) -> Result<(i32, f64), palisade_db::DbError> {
    let mut tx = state.db.auth().await?;
    let row = tx
        .query_one(
            "select audit.partition_months_ahead() as months_ahead, \
               (select oldest_pending_seconds from audit.chain_stats()) as oldest_pending_seconds",
            &[],
        )
        .await?;
    tx.commit().await?;
    Ok((
        row.try_get("months_ahead")?,
        row.try_get("oldest_pending_seconds")?,
    ))
}

/// The sealer links events within seconds; five minutes behind means it is not running.
const UNSEALED_LIMIT_SECS: f64 = 300.0;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health::plain("ok"))
}

/// The database is reachable and holds exactly this build's migrations. `degraded` (still 200) when a
/// background job is overdue or audit partitions are running out.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = crate::error::ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let unavailable =
        |message: &str| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", message.to_owned());
    match palisade_db::migrate::is_current(&state.db).await {
        Ok(true) => {
            let overdue_jobs = state
                .jobs
                .as_ref()
                .map(|b| b.overdue(chrono::Utc::now()))
                .unwrap_or_default();
            let (ahead, unsealed) = match audit_state(&state).await {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(error = %e, "readiness: audit state unknown");
                    (-1, 0.0)
                }
            };
            let low = ahead < 2;
            let lagging = unsealed > UNSEALED_LIMIT_SECS;
            Ok(Json(Health {
                status: if overdue_jobs.is_empty() && !low && !lagging {
                    "ready"
                } else {
                    "degraded"
                },
                overdue_jobs,
                audit_partition_months_ahead: low.then_some(ahead),
                audit_unsealed_seconds: lagging.then_some(unsealed),
            }))
        }
        Ok(false) => Err(unavailable("database migrations are not current")),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(unavailable("database unreachable"))
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.openapi.get().cloned().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(openapi))
}
