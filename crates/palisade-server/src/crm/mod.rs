//! The tenant's customer work: leads, deals, interactions, consent, messages, message templates and
//! the dashboard. Row-level security decides what each role sees; handlers pass the caller's context.
mod consents;
mod dashboard;
mod deals;
mod interactions;
mod leads;
mod messages;
mod templates;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(consents::router())
        .merge(dashboard::router())
        .merge(deals::router())
        .merge(interactions::router())
        .merge(leads::router())
        .merge(messages::router())
        .merge(templates::router())
}
