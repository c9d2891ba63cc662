//! The signed-in person's workspaces (the tenants they are an active member of), and signing out.
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use palisade_auth::browser_session::SESSION_COOKIE;
use palisade_core::audit::platform_errors;
use palisade_core::privacy::termination::{self, Termination};
use palisade_core::tenancy::{self, Tenant};

use super::error::PageResult;
use super::page::render_app;
use super::session::{FormPost, NoFields, Visitor};
use super::shell::Shell;
use crate::cross_site;
use crate::sign_in::api_sessions::end_session;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "app/workspaces.html")]
struct Workspaces {
    shell: Shell,
    tenants: Vec<Tenant>,
    /// Workspaces the visitor is an admin of that are being ended (they cannot act in them).
    ending: Vec<Termination>,
    platform: bool,
}

/// The workspace list; with exactly one, straight to its leads (a platform admin, or an admin of a
/// workspace being ended, always sees the list, which leads to those pages too).
async fn list(visitor: Visitor) -> PageResult {
    let mut tx = visitor.tx().await?;
    let tenants = tenancy::list_mine(&mut tx, visitor.caller().user_id()).await?;
    let platform = platform_errors::is_platform_admin(&mut tx).await?;
    let ending = termination::mine(&mut tx).await?;
    tx.commit().await?;
    if let ([only], false, true) = (tenants.as_slice(), platform, ending.is_empty()) {
        return Ok(Redirect::to(&format!("/t/{}/leads", only.id)).into_response());
    }
    let shell = Shell::outside(&visitor);
    Ok(render_app(
        StatusCode::OK,
        &Workspaces {
            shell,
            tenants,
            ending,
            platform,
        },
    ))
}

#[derive(Template)]
#[template(path = "sign_out.html")]
struct SignOut {
    csrf: String,
}

/// Asks before signing out (pages that cannot carry the form link here: a refused workspace, the
/// second-factor page).
async fn confirm(visitor: Visitor) -> PageResult {
    Ok(render_app(StatusCode::OK, &SignOut { csrf: visitor.csrf }))
}

/// Ends this session on the server and clears the cookie; already over is not an error.
async fn sign_out(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    end_session(&state, post.visitor.caller()).await?;
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(SESSION_COOKIE));
    Ok(response)
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/app", get(list))
        .route("/sign-out", get(confirm).post(sign_out))
}
