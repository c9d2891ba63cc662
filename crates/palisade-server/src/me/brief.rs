//! Your daily brief: your open deals on WhatsApp, at the local hour you choose, to your verified
//! number. Opting in and out is recorded in the consent ledger; texting STOP opts you out too.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::messaging::brief::{self, BriefRequest, BriefSettings};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Member};

use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/me/brief", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = BriefSettings)))]
pub async fn get(member: Member) -> ApiResult<Json<BriefSettings>> {
    let mut tx = member.tx().await?;
    let settings = brief::get_mine(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok(Json(settings))
}

/// Opt in to the daily brief, or change its time zone and hour. `waiting_for` in the answer says
/// what still stops it (a number to set or verify).
#[utoipa::path(put, path = "/api/v1/me/brief", tag = "me", security(("bearer" = [])), request_body = BriefRequest,
    responses((status = 200, body = BriefSettings), (status = 422, body = ErrorBody)))]
pub async fn set(member: Member, ApiJson(input): ApiJson<BriefRequest>) -> ApiResult<Json<BriefSettings>> {
    let mut tx = member.tx().await?;
    let settings = brief::subscribe(&mut tx, member.tenant, member.user, &input).await?;
    tx.commit().await?;
    Ok(Json(settings))
}

/// Opt out of the daily brief (recorded in the consent ledger). Idempotent.
#[utoipa::path(delete, path = "/api/v1/me/brief", tag = "me", security(("bearer" = [])),
    responses((status = 204)))]
pub async fn delete(member: Member) -> ApiResult<StatusCode> {
    let mut tx = member.tx().await?;
    brief::unsubscribe(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, set, delete))
}
