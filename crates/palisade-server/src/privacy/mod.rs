//! Privacy operations for admins: erasing a subject, exporting what is held about them, exporting
//! the whole company, retention periods, ending the tenant.
pub(crate) mod company_export;
pub(crate) mod erasures;
mod retention;
mod subject_exports;
pub(crate) mod termination;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(company_export::router())
        .merge(erasures::router())
        .merge(retention::router())
        .merge(subject_exports::router())
        .merge(termination::router())
}
