//! Running a tenant: creating and leaving tenants, members and invitations, provider integrations,
//! phone settings, and the audit and access logs.
pub(crate) mod audit;
mod integrations;
pub(crate) mod invitations;
pub(crate) mod members;
mod phone_settings;
mod tenants;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(audit::router())
        .merge(integrations::router())
        .merge(invitations::router())
        .merge(members::router())
        .merge(phone_settings::router())
        .merge(tenants::router())
}
