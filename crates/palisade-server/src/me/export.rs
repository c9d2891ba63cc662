//! Your own data, in one document.
use axum::extract::State;
use axum::Json;
use palisade_core::privacy::self_export::{self, SelfExport};
use palisade_core::sign_in::sessions;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// Everything about you in this tenant (GDPR Art. 15 and 20): your profile, your tenants and role,
/// your sessions, your drafts, coaching, voice samples and voice-drafting opt-ins, your phone and
/// brief settings, the messages and consents that are yours as a member, and what you recorded
/// (interactions, templates). Access-logged as `data_export`.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = SelfExport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, member: Member) -> ApiResult<Json<SelfExport>> {
    let caller = member.caller();
    let mut tx = member.tx().await?;
    let sessions = sessions::list_mine(
        &mut tx,
        member.user,
        caller.session_id(),
        state.clock.now(),
        state.sessions.idle,
    )
    .await?;
    let export = self_export::export(&mut tx, member.tenant, member.user, sessions).await?;
    tx.commit().await?;
    Ok(Json(export))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}
