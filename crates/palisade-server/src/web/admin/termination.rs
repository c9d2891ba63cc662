//! Ending the workspace (admins), as `POST /api/v1/privacy/termination` does: the page says what
//! happens and for how long the export stays, asks for the workspace's slug typed out, and needs a
//! sign-in in the last ten minutes. Afterwards nobody acts in the workspace; its admins follow it on
//! its termination page (`/terminations/{id}`), outside it.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::privacy::termination;
use palisade_core::CoreError;
use serde::Deserialize;

use super::as_admin_of;
use crate::state::AppState;
use crate::web::error::PageResult;
use crate::web::page::render_app;
use crate::web::session::{FormPost, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "termination";

#[derive(Default, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    confirm_slug: String,
}

#[derive(Template)]
#[template(path = "app/termination.html")]
struct EndPage {
    shell: Shell,
    tenant_id: uuid::Uuid,
    slug: String,
    grace_days: i64,
    typed: String,
    error: Option<&'static str>,
    /// A refusal of the whole request (a sign-in too old), shown above the form.
    problem: Option<&'static str>,
}

struct Outcome {
    status: StatusCode,
    typed: String,
    error: Option<&'static str>,
    problem: Option<&'static str>,
}

async fn render(state: &AppState, visitor: &Visitor, tenant: &str, outcome: Outcome) -> PageResult {
    let (tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    tx.commit().await?;
    let slug = shell.tenant.as_ref().map(|t| t.slug.clone()).unwrap_or_default();
    let page = EndPage {
        shell,
        tenant_id: *id.as_uuid(),
        slug,
        grace_days: state.termination_grace.num_days(),
        typed: outcome.typed,
        error: outcome.error,
        problem: outcome.problem,
    };
    Ok(render_app(outcome.status, &page))
}

pub async fn show(State(state): State<AppState>, visitor: Visitor, Path(tenant): Path<String>) -> PageResult {
    let outcome = Outcome {
        status: StatusCode::OK,
        typed: String::new(),
        error: None,
        problem: None,
    };
    render(&state, &visitor, &tenant, outcome).await
}

/// What a refused start tells the admin, next to the field or above the form.
fn refusal(e: CoreError) -> Result<(StatusCode, Option<&'static str>, Option<&'static str>), CoreError> {
    match e {
        CoreError::Invalid { code: "confirmation_mismatch", .. } => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Type this workspace's slug exactly as shown above."),
            None,
        )),
        CoreError::Refused { code: "reauthentication_required", .. } => Ok((
            StatusCode::FORBIDDEN,
            None,
            Some(
                "For your safety, ending a workspace needs a fresh sign-in: sign out, sign in again, and come \
                 back here within ten minutes.",
            ),
        )),
        other => Err(other),
    }
}

pub async fn end(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<EndForm>,
) -> PageResult {
    let typed = post.form.confirm_slug.trim().to_owned();
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    let now = state.clock.now();
    match termination::start(&mut tx, id, &typed, now, state.termination_grace).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/terminations/{id}")).into_response())
        }
        Err(e) => {
            drop(tx);
            let (status, error, problem) = refusal(e)?;
            let outcome = Outcome {
                status,
                typed,
                error,
                problem,
            };
            render(&state, &post.visitor, &tenant, outcome).await
        }
    }
}
