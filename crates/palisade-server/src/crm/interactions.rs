//! Interactions.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::crm::interactions::{
    self, Interaction, InteractionFilter, InteractionPatch, NewInteraction,
};
use palisade_core::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, LargeJson, Member};

use crate::state::AppState;

/// Interactions you can see: on your own leads as a rep, all as a manager or admin. Newest first.
#[utoipa::path(get, path = "/api/v1/interactions", tag = "interactions", security(("bearer" = [])), params(InteractionFilter),
    responses((status = 200, body = Page<Interaction>), (status = 400, body = ErrorBody)))]
pub async fn list(
    member: Member,
    ApiQuery(filter): ApiQuery<InteractionFilter>,
) -> ApiResult<Json<Page<Interaction>>> {
    let mut tx = member.tx().await?;
    let page = interactions::list(&mut tx, member.tenant, &filter).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// Log an interaction on a lead you can see (logged as you).
#[utoipa::path(post, path = "/api/v1/interactions", tag = "interactions", security(("bearer" = [])), request_body = NewInteraction,
    responses((status = 201, body = Interaction), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "`unknown_lead`"), (status = 422, body = ErrorBody)))]
pub async fn create(
    member: Member,
    LargeJson(input): LargeJson<NewInteraction>,
) -> ApiResult<(StatusCode, Json<Interaction>)> {
    let mut tx = member.tx().await?;
    let interaction = interactions::create(&mut tx, member.tenant, member.user, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(interaction)))
}

#[utoipa::path(get, path = "/api/v1/interactions/{id}", tag = "interactions", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Interaction), (status = 404, body = ErrorBody)))]
pub async fn get(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Interaction>> {
    let mut tx = member.tx().await?;
    let interaction = interactions::get(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(interaction))
}

/// Change an interaction (your own as a rep).
#[utoipa::path(patch, path = "/api/v1/interactions/{id}", tag = "interactions", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = InteractionPatch,
    responses((status = 200, body = Interaction), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    member: Member,
    ApiPath(id): ApiPath<Uuid>,
    LargeJson(patch): LargeJson<InteractionPatch>,
) -> ApiResult<Json<Interaction>> {
    let mut tx = member.tx().await?;
    let interaction = interactions::update(&mut tx, member.tenant, id, &patch).await?;
    tx.commit().await?;
    Ok(Json(interaction))
}

/// Delete an interaction (your own as a rep).
#[utoipa::path(delete, path = "/api/v1/interactions/{id}", tag = "interactions", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let mut tx = member.tx().await?;
    interactions::delete(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}
