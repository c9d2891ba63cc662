//! Health, readiness, the OpenAPI document, metrics and security.txt.
mod health;
pub(crate) mod metrics;
mod security_txt;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(metrics::router())
        .merge(security_txt::router())
}
