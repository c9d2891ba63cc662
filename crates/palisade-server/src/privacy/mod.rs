//! Privacy operations for admins: erasing a subject, exporting what is held about them, exporting
//! the whole company.
pub(crate) mod company_export;
mod erasures;
mod subject_exports;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(company_export::router())
        .merge(erasures::router())
        .merge(subject_exports::router())
}
