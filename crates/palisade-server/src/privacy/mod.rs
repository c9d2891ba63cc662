//! Privacy operations for admins: erasing a subject.
mod erasures;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(erasures::router())
}
