//! The manager dashboard.
use axum::Json;
use palisade_core::dashboard::{self, Dashboard};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Manager;

use crate::state::AppState;

/// Deals by stage, open pipeline and activity per rep (managers and admins). Computed in your own
/// user context; contains nothing from rep-private records.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "dashboard", security(("bearer" = [])),
    responses((status = 200, body = Dashboard), (status = 403, body = ErrorBody)))]
pub async fn get(manager: Manager) -> ApiResult<Json<Dashboard>> {
    let tenant = manager.tenant();
    let mut tx = manager.begin().await?;
    let dashboard = dashboard::load(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(Json(dashboard))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}
