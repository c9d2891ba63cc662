//! Deals.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::crm::deals::{self, Deal, DealFilter, DealPatch, NewDeal};
use palisade_core::page::Page;
use palisade_db::DealId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Member};

use crate::state::AppState;

/// Deals you can see: your own as a rep, the tenant's as a manager or admin. Newest first.
#[utoipa::path(get, path = "/api/v1/deals", tag = "deals", security(("bearer" = [])), params(DealFilter),
    responses((status = 200, body = Page<Deal>), (status = 400, body = ErrorBody)))]
pub async fn list(member: Member, ApiQuery(filter): ApiQuery<DealFilter>) -> ApiResult<Json<Page<Deal>>> {
    let mut tx = member.tx().await?;
    let page = deals::list(&mut tx, member.tenant, &filter).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// Open a deal on a lead you can see.
#[utoipa::path(post, path = "/api/v1/deals", tag = "deals", security(("bearer" = [])), request_body = NewDeal,
    responses((status = 201, body = Deal), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "`unknown_lead`"), (status = 422, body = ErrorBody)))]
pub async fn create(member: Member, ApiJson(input): ApiJson<NewDeal>) -> ApiResult<(StatusCode, Json<Deal>)> {
    let mut tx = member.tx().await?;
    let deal = deals::create(&mut tx, member.tenant, member.user, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(deal)))
}

#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Deal), (status = 404, body = ErrorBody)))]
pub async fn get(member: Member, ApiPath(id): ApiPath<DealId>) -> ApiResult<Json<Deal>> {
    let mut tx = member.tx().await?;
    let deal = deals::get(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(deal))
}

/// Change a deal; `owner_id` reassigns (managers and admins).
#[utoipa::path(patch, path = "/api/v1/deals/{id}", tag = "deals", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = DealPatch,
    responses((status = 200, body = Deal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    member: Member,
    ApiPath(id): ApiPath<DealId>,
    ApiJson(patch): ApiJson<DealPatch>,
) -> ApiResult<Json<Deal>> {
    let mut tx = member.tx().await?;
    let deal = deals::update(&mut tx, member.tenant, id, &patch).await?;
    tx.commit().await?;
    Ok(Json(deal))
}

/// Delete a deal (yours as a rep; any as a manager or admin).
#[utoipa::path(delete, path = "/api/v1/deals/{id}", tag = "deals", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(member: Member, ApiPath(id): ApiPath<DealId>) -> ApiResult<StatusCode> {
    let mut tx = member.tx().await?;
    deals::delete(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}
