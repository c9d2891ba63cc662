//! Your own phone number in the tenant you act in: sealed at rest, shown only to you. A new number
//! is unverified until a code sent to it is confirmed.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::member_phone::{self, MemberPhone};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPhone {
    /// International (`+44 20 7183 8750`) or national in the tenant's region.
    pub phone: String,
}

impl std::fmt::Debug for SetPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SetPhone { phone: <redacted> }")
    }
}

#[utoipa::path(get, path = "/api/v1/me/phone", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MemberPhone), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, member: Member) -> ApiResult<Json<MemberPhone>> {
    let mut tx = member.tx().await?;
    let phone = member_phone::get_mine(&mut tx, member.tenant, member.user, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(phone))
}

/// Set or replace your number. The same number again keeps its verification.
#[utoipa::path(put, path = "/api/v1/me/phone", tag = "me", security(("bearer" = [])), request_body = SetPhone,
    responses((status = 200, body = MemberPhone), (status = 422, body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<SetPhone>,
) -> ApiResult<Json<MemberPhone>> {
    let mut tx = member.tx().await?;
    let phone = member_phone::set_mine(
        &mut tx,
        member.tenant,
        member.user,
        &input.phone,
        state.phone_keys(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(phone))
}

#[utoipa::path(delete, path = "/api/v1/me/phone", tag = "me", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(member: Member) -> ApiResult<StatusCode> {
    let mut tx = member.tx().await?;
    member_phone::delete_mine(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
