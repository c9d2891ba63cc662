//! Conversations the assistant handed to a person: seen, and resumed, by whoever sees the lead.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::ai::conversations::{self, Hold};
use palisade_core::messaging::Channel;
use palisade_core::CoreError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, Member};
use crate::state::AppState;

/// The lead's conversations the assistant handed to a person (auto-replies paused there).
#[utoipa::path(get, path = "/api/v1/leads/{id}/assistant-holds", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [Hold]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(member: Member, ApiPath(lead): ApiPath<Uuid>) -> ApiResult<Json<Vec<Hold>>> {
    let mut tx = member.tx().await?;
    let holds = conversations::holds(&mut tx, member.tenant, lead).await?;
    tx.commit().await?;
    Ok(Json(holds))
}

/// Resume auto-replies in a held conversation (anyone who sees the lead; recorded as them).
#[utoipa::path(delete, path = "/api/v1/leads/{id}/assistant-holds/{channel}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("channel" = String, Path, description = "sms or whatsapp")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn release(
    member: Member,
    ApiPath((lead, channel)): ApiPath<(Uuid, String)>,
) -> ApiResult<StatusCode> {
    let channel = match Channel::parse(&channel) {
        Some(c @ (Channel::Sms | Channel::Whatsapp)) => c,
        _ => return Err(CoreError::NotFound.into()),
    };
    let mut tx = member.tx().await?;
    conversations::release(&mut tx, member.tenant, member.user, lead, channel.as_str()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(release))
}
