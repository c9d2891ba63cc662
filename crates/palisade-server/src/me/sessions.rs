//! Your sessions: list them, end one, or end all but the one you are using.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::sign_in::sessions::{self, SessionInfo};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, Caller};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    pub ended: i32,
}

/// Your live sessions, most recently used first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionInfo>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<SessionInfo>>> {
    Ok(Json(my_sessions(&state, &caller).await?))
}

/// The caller's live sessions, most recently used first (the API's list and the pages').
pub(crate) async fn my_sessions(state: &AppState, caller: &Caller) -> ApiResult<Vec<SessionInfo>> {
    let mut tx = caller.tx().await?;
    let list = sessions::list_mine(
        &mut tx,
        caller.user_id(),
        caller.session_id(),
        state.clock.now(),
        state.sessions.idle,
    )
    .await?;
    tx.commit().await?;
    Ok(list)
}

/// End every session of yours except the one this request uses (all of them for an operator token).
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Ended), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn end_others(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Ended>> {
    let mut tx = caller.tx().await?;
    let ended = sessions::end_mine(&mut tx, None, caller.session_id(), state.clock.now()).await?;
    tx.commit().await?;
    Ok(Json(Ended { ended }))
}

/// End one of your sessions (ending the current one signs you out). Someone else's is 404.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let mut tx = caller.tx().await?;
    sessions::end_mine(&mut tx, Some(id), None, state.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, end_others))
        .routes(routes!(end_one))
}
