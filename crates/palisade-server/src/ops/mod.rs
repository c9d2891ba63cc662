//! Health, readiness, the OpenAPI document and metrics.
mod health;
pub(crate) mod metrics;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(metrics::router())
}
