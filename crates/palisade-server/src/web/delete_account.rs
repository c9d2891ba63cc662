//! Deleting one's own account from the browser, as `DELETE /api/v1/me` does: it asks first, needs a
//! sign-in in the last ten minutes, and is refused while the person is the last admin of a workspace;
//! a refusal says why and what to do.
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use palisade_auth::browser_session::SESSION_COOKIE;
use palisade_core::privacy::account;
use palisade_core::CoreError;
use serde::Deserialize;

use super::error::PageResult;
use super::page::{message, render_app};
use super::session::{FormPost, Visitor};
use super::shell::Shell;
use crate::cross_site;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "app/delete_account.html")]
struct DeletePage {
    shell: Shell,
    unticked: bool,
    problem: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    understood: Option<String>,
}

fn page(shell: Shell, unticked: bool, problem: Option<&'static str>, status: StatusCode) -> PageResult {
    let mut shell = shell;
    shell.section = "security";
    Ok(render_app(
        status,
        &DeletePage {
            shell,
            unticked,
            problem,
        },
    ))
}

async fn show(visitor: Visitor) -> PageResult {
    page(Shell::outside(&visitor), false, None, StatusCode::OK)
}

async fn delete(State(state): State<AppState>, post: FormPost<DeleteForm>) -> PageResult {
    let shell = Shell::outside(&post.visitor);
    if post.form.understood.is_none() {
        return page(shell, true, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut tx = post.visitor.tx().await?;
    let problem = match account::delete(&mut tx, state.clock.now()).await {
        Ok(_) => None,
        Err(CoreError::Refused { code: "reauthentication_required", .. }) => Some((
            StatusCode::FORBIDDEN,
            "For your safety, deleting an account needs a fresh sign-in: sign out, sign in again, and come \
             back here within ten minutes.",
        )),
        Err(CoreError::Conflict { code: "last_admin", .. }) => Some((
            StatusCode::CONFLICT,
            "You are the last admin of a workspace. Make someone else an admin there first (Admin → Members), \
             then delete your account.",
        )),
        Err(e) => return Err(e.into()),
    };
    if let Some((status, why)) = problem {
        drop(tx);
        return page(shell, false, Some(why), status);
    }
    tx.commit().await?;
    let mut response = message(
        StatusCode::OK,
        "Your account is deleted",
        "Everything private to you is gone, and you are signed out everywhere. Thank you for using Palisade.",
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(SESSION_COOKIE));
    Ok(response.into_response())
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/me/delete-account", get(show).post(delete))
}
