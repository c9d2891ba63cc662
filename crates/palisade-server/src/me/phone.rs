//! Your own phone number in the tenant you act in: sealed at rest, shown only to you. A new number
//! is unverified until a code sent to it is confirmed.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::member_phone::{self, MemberPhone};
use palisade_core::messaging::Channel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPhone {
    /// International (`+44 20 7183 8750`) or national in the tenant's region.
    #[schema(min_length = 1, max_length = 40, format = "phone")]
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

/// How to send the code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendCode {
    /// `sms` (the default) or `whatsapp`.
    #[serde(default = "default_code_channel")]
    pub channel: Channel,
}

fn default_code_channel() -> Channel {
    Channel::Sms
}

/// A code is on its way.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSent {
    pub channel: Channel,
    pub expires_in_seconds: u64,
}

/// Send a six-digit code to your number (SMS or WhatsApp); confirm it to verify the number. At most
/// one code per 30 seconds, five an hour, ten a day and twenty in 30 days; a 429's `Retry-After` says
/// when every limit has room again. A number that texted STOP gets no code on that channel.
#[utoipa::path(post, path = "/api/v1/me/phone/verification", tag = "me", security(("bearer" = [])),
    request_body = SendCode,
    responses((status = 202, body = CodeSent), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn send_code(
    member: Member,
    ApiJson(input): ApiJson<SendCode>,
) -> ApiResult<(StatusCode, Json<CodeSent>)> {
    let mut tx = member.tx().await?;
    member_phone::send_code(&mut tx, input.channel).await?;
    tx.commit().await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            channel: input.channel,
            expires_in_seconds: member_phone::CODE_TTL_SECS,
        }),
    ))
}

/// The code that was sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmCode {
    #[schema(
        pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[0-9]{6}[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub code: String,
}

impl std::fmt::Debug for ConfirmCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmCode { code: <redacted> }")
    }
}

/// Confirm the code: your number is verified. Five wrong codes end it; a code lasts ten minutes.
#[utoipa::path(post, path = "/api/v1/me/phone/verification/confirm", tag = "me", security(("bearer" = [])),
    request_body = ConfirmCode,
    responses((status = 200, body = MemberPhone), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm_code(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<ConfirmCode>,
) -> ApiResult<Json<MemberPhone>> {
    let mut tx = member.tx().await?;
    let outcome = member_phone::confirm_code(&mut tx, &input.code).await?;
    let phone = match outcome {
        Ok(()) => {
            Some(member_phone::get_mine(&mut tx, member.tenant, member.user, state.phone_keys()).await?)
        }
        Err(_) => None,
    };
    // Committed before a refusal is answered: a wrong code counts against the five allowed.
    tx.commit().await?;
    match (outcome, phone) {
        (Ok(()), Some(phone)) => Ok(Json(phone)),
        (Err(refusal), _) => Err(refusal.into()),
        (Ok(()), None) => Err(palisade_core::CoreError::NotFound.into()),
    }
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, set, delete))
        .routes(routes!(send_code))
        .routes(routes!(confirm_code))
}
