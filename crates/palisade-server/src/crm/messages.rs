//! Outbound messages. Queuing one is the consent check: without an active opt-in for the channel and
//! purpose, or to an address that said STOP, the database refuses it and the answer is 409
//! `consent_required` with the reason. The delivery worker sends what is queued.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::messaging::outbound::{self, Message, MessageFilter, NewMessage};
use palisade_core::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, LargeJson, Member};

use crate::state::AppState;

/// Queue an SMS, WhatsApp message or email to a lead you can see.
#[utoipa::path(post, path = "/api/v1/messages", tag = "messaging", security(("bearer" = [])),
    request_body = NewMessage,
    responses((status = 201, body = Message), (status = 409, body = ErrorBody, description = "consent_required"),
        (status = 404, body = ErrorBody, description = "`unknown_lead`, `unknown_template`"),
        (status = 422, body = ErrorBody)))]
pub async fn queue(
    member: Member,
    LargeJson(input): LargeJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let mut tx = member.tx().await?;
    let message = outbound::queue(&mut tx, member.tenant, member.user, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Messages you queued (as a rep) or the tenant's (as a manager or admin), newest first.
#[utoipa::path(get, path = "/api/v1/messages", tag = "messaging", security(("bearer" = [])), params(MessageFilter),
    responses((status = 200, body = Page<Message>)))]
pub async fn list(
    member: Member,
    ApiQuery(filter): ApiQuery<MessageFilter>,
) -> ApiResult<Json<Page<Message>>> {
    let mut tx = member.tx().await?;
    let page = outbound::list(&mut tx, member.tenant, &filter).await?;
    tx.commit().await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Message), (status = 404, body = ErrorBody)))]
pub async fn get(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Message>> {
    let mut tx = member.tx().await?;
    let message = outbound::get(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(message))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue, list))
        .routes(routes!(get))
}
