//! My data: everything about the visitor in this workspace as one file (GDPR Art. 15 and 20, the
//! same document as `GET /api/v1/me/export`, access-logged), and the way to delete the account.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_core::privacy::self_export;
use palisade_core::sign_in::sessions;
use uuid::Uuid;

use super::enter_mine;
use crate::state::AppState;
use crate::web::error::{PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, Visitor};
use crate::web::shell::Shell;

#[derive(Template)]
#[template(path = "app/my_data.html")]
struct DataPage {
    shell: Shell,
    tenant_id: Uuid,
}

pub async fn show(visitor: Visitor, Path(tenant): Path<String>) -> PageResult {
    let (tx, shell, id) = enter_mine(&visitor, &tenant, "my-data").await?;
    tx.commit().await?;
    Ok(render_app(
        StatusCode::OK,
        &DataPage {
            shell,
            tenant_id: *id.as_uuid(),
        },
    ))
}

/// The export as a file. A post (with the form's token), because every export is access-logged.
pub async fn export(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<NoFields>,
) -> Result<Response, PageError> {
    let (mut tx, _, id) = enter_mine(&post.visitor, &tenant, "my-data").await?;
    let caller = post.visitor.caller();
    let now = state.clock.now();
    let mine = sessions::list_mine(
        &mut tx,
        caller.user_id(),
        caller.session_id(),
        now,
        state.sessions.idle,
    )
    .await?;
    let export = self_export::export(&mut tx, id, caller.user_id(), mine).await?;
    tx.commit().await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|_| PageError::Internal)?;
    let name = format!(
        "attachment; filename=\"my-data-{}.json\"",
        now.format("%Y%m%d-%H%M%S")
    );
    let headers = [
        (header::CONTENT_TYPE, "application/json".to_owned()),
        (header::CONTENT_DISPOSITION, name),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, body).into_response())
}
