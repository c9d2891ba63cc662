//! My sessions: where the person is signed in, and ending any of those sessions (or all but this
//! one), as `/api/v1/me/sessions` does.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use palisade_core::sign_in::sessions::{self, SessionInfo};
use serde::Deserialize;

use super::error::{path_id, PageResult};
use super::leads::when;
use super::page::render_app;
use super::session::{FormPost, NoFields, PageQuery, Visitor};
use super::shell::Shell;
use crate::me::sessions::my_sessions;
use crate::state::AppState;

pub struct Row {
    id: String,
    current: bool,
    how: String,
    device: String,
    from: String,
    since: String,
    seen: String,
}

#[derive(Template)]
#[template(path = "app/sessions.html")]
struct SessionsPage {
    shell: Shell,
    rows: Vec<Row>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    ended: Option<String>,
}

fn row(s: SessionInfo) -> Row {
    let how = match s.method.as_str() {
        "magic_link" => "email link",
        "oidc" => "single sign-on",
        "password" => "password",
        _ => "other",
    };
    Row {
        id: s.id.to_string(),
        current: s.current,
        how: format!("{how}{}", if s.mfa_verified { " + second factor" } else { "" }),
        device: if s.kind == "api" {
            "API client".into()
        } else {
            s.user_agent.chars().take(120).collect()
        },
        from: s.client_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        since: when(s.created_at),
        seen: when(s.last_seen_at),
    }
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    PageQuery(done): PageQuery<Done>,
) -> PageResult {
    let list = my_sessions(&state, visitor.caller()).await?;
    let mut shell = Shell::outside(&visitor);
    shell.section = "sessions";
    let page = SessionsPage {
        shell,
        rows: list.into_iter().map(row).collect(),
        notice: done
            .ended
            .is_some()
            .then_some("Done: those sessions are signed out."),
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// Ends one session of the visitor's (someone else's is "not found").
async fn end_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost<NoFields>,
) -> PageResult {
    let id = path_id(&id)?;
    let mut tx = post.visitor.tx().await?;
    sessions::end_mine(&mut tx, Some(id), None, state.clock.now()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/me/sessions?ended=1").into_response())
}

/// Ends every session of the visitor's but this one.
async fn end_others(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    let mut tx = post.visitor.tx().await?;
    sessions::end_mine(
        &mut tx,
        None,
        post.visitor.caller().session_id(),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/me/sessions?ended=1").into_response())
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/sessions", get(show))
        .route("/me/sessions/end-others", post(end_others))
        .route("/me/sessions/{id}/end", post(end_one))
}
