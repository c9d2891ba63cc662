//! Liveness, readiness and the OpenAPI document.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

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
}

impl Health {
    fn plain(status: &'static str) -> Self {
        Self {
            status,
            overdue_jobs: Vec::new(),
            audit_partition_months_ahead: None,
        }
    }
}

async fn partition_months_ahead(state: &AppState) -> Result<i32, palisade_db::DbError> {
    let mut tx = state.db.auth().await?;
    let row = tx.query_one("select audit.partition_months_ahead()", &[]).await?;
    tx.commit().await?;
    Ok(row.try_get(0)?)
}

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
            let overdue_jobs = state.jobs.as_ref().map(|b| b.overdue(chrono::Utc::now())).unwrap_or_default();
            let ahead = match partition_months_ahead(&state).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "readiness: audit partitions unknown");
                    -1
                }
            };
            let low = ahead < 2;
            Ok(Json(Health {
                status: if overdue_jobs.is_empty() && !low { "ready" } else { "degraded" },
                overdue_jobs,
                audit_partition_months_ahead: low.then_some(ahead),
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
