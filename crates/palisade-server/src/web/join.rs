//! The page an invitation's link opens. Opening it joins nobody (mail scanners fetch links); the
//! signed-in person presses Join, which posts the token with the form's CSRF token, and the database
//! checks that the invitation was sent to this person's address.
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use palisade_core::membership::invitations;
use palisade_core::CoreError;
use serde::Deserialize;

use super::error::{PageError, PageResult};
use super::page::{message, render_app};
use super::session::{FormPost, PageQuery, Visitor};
use super::shell::Shell;
use crate::state::AppState;

#[derive(Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "app/join.html")]
struct JoinPage {
    shell: Shell,
    token: String,
}

const NOT_VALID: &str =
    "This invitation does not work: it was used, revoked or has expired, or it was sent to \
     another address than the one you signed in with. Ask an admin of the workspace for a new one.";

fn plausible(token: &str) -> bool {
    !token.is_empty() && token.len() <= 200
}

async fn show(visitor: Result<Visitor, PageError>, PageQuery(q): PageQuery<TokenForm>) -> PageResult {
    if !plausible(&q.token) {
        return Err(PageError::NotFoundBecause(NOT_VALID));
    }
    let Ok(visitor) = visitor else {
        return Ok(message(
            StatusCode::OK,
            "Sign in to join",
            "Sign in with the address this invitation was sent to (at /sign-in), then open the link in the \
             email again.",
        ));
    };
    let page = JoinPage {
        shell: Shell::outside(&visitor),
        token: q.token,
    };
    Ok(render_app(StatusCode::OK, &page))
}

async fn accept(post: FormPost<TokenForm>) -> PageResult {
    if !plausible(&post.form.token) {
        return Err(PageError::NotFoundBecause(NOT_VALID));
    }
    let mut tx = post.visitor.tx().await?;
    let tenant = match invitations::accept(&mut tx, &post.form.token).await {
        Ok(tenant) => tenant,
        Err(CoreError::NotFound) => return Err(PageError::NotFoundBecause(NOT_VALID)),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{tenant}/leads")).into_response())
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/join", get(show).post(accept))
}
