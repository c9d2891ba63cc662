//! Your voice-drafting consent: opting in lets you store voice samples for drafts in your own voice;
//! withdrawing deletes every one of them at once.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::private::voice_consent::{self, OptIn, VoiceConsentState, Withdrawal};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

/// Whether you have opted in to voice drafting, and every opt-in you made (yours alone).
#[utoipa::path(get, path = "/api/v1/me/voice-consent", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = VoiceConsentState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get(member: Member) -> ApiResult<Json<VoiceConsentState>> {
    let mut tx = member.tx().await?;
    let state = voice_consent::state(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok(Json(state))
}

/// Opt in to voice drafting, recording the version of the text you agreed to: `201` when recorded,
/// `200` when you had already opted in (nothing changes).
#[utoipa::path(put, path = "/api/v1/me/voice-consent", tag = "me", security(("bearer" = [])), request_body = OptIn,
    responses((status = 200, body = VoiceConsentState), (status = 201, body = VoiceConsentState),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn opt_in(
    member: Member,
    ApiJson(input): ApiJson<OptIn>,
) -> ApiResult<(StatusCode, Json<VoiceConsentState>)> {
    let mut tx = member.tx().await?;
    let created = voice_consent::opt_in(&mut tx, member.tenant, member.user, &input).await?;
    let state = voice_consent::state(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(state),
    ))
}

/// Withdraw your opt-in: every voice sample you stored in this tenant is deleted with it. Idempotent.
#[utoipa::path(delete, path = "/api/v1/me/voice-consent", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Withdrawal), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn withdraw(member: Member) -> ApiResult<Json<Withdrawal>> {
    let mut tx = member.tx().await?;
    let withdrawal = voice_consent::withdraw(&mut tx, member.tenant, member.user).await?;
    tx.commit().await?;
    Ok(Json(withdrawal))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, opt_in, withdraw))
}
