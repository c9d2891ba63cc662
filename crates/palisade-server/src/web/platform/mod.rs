//! The platform admin's pages (people granted by the operator's CLI): error events, incidents and the
//! notices they send to tenants' admins, and the tenants. Outside any workspace; they show no tenant's
//! CRM data, and the database refuses every other visitor.
mod errors;
mod incidents;
mod tenants;

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use palisade_core::audit::platform_errors;
use palisade_db::Tx;

use super::error::PageError;
use super::session::Visitor;
use super::shell::Shell;
use crate::state::AppState;

/// A transaction as a platform admin, and the page's frame; anyone else is told the page is not
/// theirs.
async fn enter_platform(visitor: &Visitor, section: &'static str) -> Result<(Tx, Shell), PageError> {
    let mut tx = visitor.tx().await?;
    if !platform_errors::is_platform_admin(&mut tx).await? {
        return Err(PageError::Forbidden(
            "These pages are for the platform's operators.".into(),
        ));
    }
    let mut shell = Shell::outside(visitor);
    shell.section = section;
    Ok((tx, shell))
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/platform", get(|| async { Redirect::to("/platform/errors") }))
        .route("/platform/errors", get(errors::show))
        .route(
            "/platform/incidents",
            get(incidents::show).post(incidents::declare),
        )
        .route("/platform/incidents/{id}/resolve", post(incidents::resolve))
        .route("/platform/tenants", get(tenants::show))
}
