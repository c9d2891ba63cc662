//! The admin's pages. Each opens the workspace as an admin (the API's `Admin` rule) before it reads
//! or changes anything, and the database checks the same authority again in its functions.
mod access;
mod ai;
mod crm;
mod export;
mod incidents;
mod integrations;
mod invitations;
mod members;
mod messaging;
mod privacy;
mod sign_in_rules;
mod termination;

use axum::routing::{get, post};
use axum::Router;
use palisade_db::{TenantId, TenantRole, Tx};
use serde::Deserialize;

use super::error::{cursor, PageError};
use super::session::Visitor;
use super::shell::{self, Shell};
use crate::state::AppState;

pub(super) use export::FormatQuery;

/// The roles an admin can give, lowest first.
const ROLES: [&str; 3] = ["rep", "manager", "admin"];

/// Opens the workspace as an admin for a page of `section`; anyone else is told the page is for
/// admins.
async fn as_admin_of(
    visitor: &Visitor,
    tenant: &str,
    section: &'static str,
) -> Result<(Tx, Shell, TenantId), PageError> {
    let refusal = "This page is for the workspace's admins.";
    shell::enter_as(visitor, tenant, section, TenantRole::Admin, refusal).await
}

async fn as_admin(visitor: &Visitor, tenant: &str) -> Result<(Tx, Shell, TenantId), PageError> {
    as_admin_of(visitor, tenant, "members").await
}

/// One input of a settings form: its name in the form, what it must hold, what was typed, and
/// what is wrong with it.
pub struct FieldView {
    /// The form field's name (`config.account_sid`).
    key: String,
    /// The element id (`config-account_sid`).
    id: String,
    name: &'static str,
    required: bool,
    shape: String,
    value: String,
    error: Option<String>,
}

/// The invitation form as typed.
#[derive(Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Default)]
pub struct InviteErrors {
    email: Option<String>,
    role: Option<&'static str>,
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/members", get(members::show))
        .route("/t/{tenant}/ai", get(ai::show).post(ai::save))
        .route("/t/{tenant}/crm", get(crm::show))
        .route("/t/{tenant}/crm/connect", post(crm::connect))
        .route("/t/{tenant}/crm/private-app", post(crm::private_app))
        .route("/t/{tenant}/crm/settings", post(crm::settings))
        .route("/t/{tenant}/crm/sync", post(crm::sync_now))
        .route("/t/{tenant}/crm/disconnect", post(crm::disconnect))
        .route("/oauth/hubspot/callback", get(crm::callback))
        .route("/t/{tenant}/members/{user}/{action}", post(members::act_on))
        .route("/t/{tenant}/invitations", post(invitations::create))
        .route("/t/{tenant}/access", get(access::show))
        .route("/t/{tenant}/incidents", get(incidents::show))
        .route(
            "/t/{tenant}/termination",
            get(termination::show).post(termination::end),
        )
        .route("/t/{tenant}/company-export", get(export::show))
        .route("/t/{tenant}/company-export/{table}", get(export::download))
        .route("/t/{tenant}/messaging", get(messaging::show))
        .route("/t/{tenant}/messaging/region", post(messaging::region))
        .route("/t/{tenant}/messaging/templates", post(messaging::create))
        .route(
            "/t/{tenant}/messaging/templates/{id}",
            get(messaging::edit).post(messaging::replace),
        )
        .route(
            "/t/{tenant}/messaging/templates/{id}/delete",
            post(messaging::delete),
        )
        .route(
            "/t/{tenant}/sign-in-rules",
            get(sign_in_rules::show).post(sign_in_rules::save),
        )
        .route("/t/{tenant}/privacy", get(privacy::show))
        .route("/t/{tenant}/privacy/erasures", post(privacy::erase))
        .route("/t/{tenant}/privacy/erasures/{id}", get(privacy::receipt))
        .route("/t/{tenant}/privacy/subject-export", post(privacy::export))
        .route("/t/{tenant}/integrations", get(integrations::list))
        .route(
            "/t/{tenant}/integrations/{provider}",
            get(integrations::show).post(integrations::save),
        )
        .route(
            "/t/{tenant}/integrations/{provider}/disconnect",
            post(integrations::disconnect),
        )
        .route("/t/{tenant}/invitations/{id}/revoke", post(invitations::revoke))
}
