//! The operator's side: platform error events and incidents (platform admins), and the internal
//! routes a scheduler and the call-transcript ingest call with the cron secret.
mod internal;
mod oversight;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(internal::router())
        .merge(oversight::router())
}
