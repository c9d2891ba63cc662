//! Leads. Phone numbers are sealed at rest and opened for whoever may see the lead.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::crm::leads::{self, Lead, LeadFilter, LeadPatch, NewLead};
use palisade_core::page::Page;
use palisade_db::LeadId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Manager, Member};
use crate::state::AppState;

/// Leads you can see: your own as a rep, the tenant's as a manager or admin. Newest first.
#[utoipa::path(get, path = "/api/v1/leads", tag = "leads", security(("bearer" = [])), params(LeadFilter),
    responses((status = 200, body = Page<Lead>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(filter): ApiQuery<LeadFilter>,
) -> ApiResult<Json<Page<Lead>>> {
    let mut tx = member.tx().await?;
    let page = leads::list(&mut tx, member.tenant, &filter, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// The same as listing, with the filter in the body: use it to find leads by phone number, so the
/// number stays out of URLs (and so out of proxy and browser logs).
#[utoipa::path(post, path = "/api/v1/leads/search", tag = "leads", security(("bearer" = [])),
    request_body = LeadFilter,
    responses((status = 200, body = Page<Lead>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    member: Member,
    ApiJson(filter): ApiJson<LeadFilter>,
) -> ApiResult<Json<Page<Lead>>> {
    let mut tx = member.tx().await?;
    let page = leads::list(&mut tx, member.tenant, &filter, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// Create a lead (owned by you unless a manager names another owner).
#[utoipa::path(post, path = "/api/v1/leads", tag = "leads", security(("bearer" = [])), request_body = NewLead,
    responses((status = 201, body = Lead), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<NewLead>,
) -> ApiResult<(StatusCode, Json<Lead>)> {
    let mut tx = member.tx().await?;
    let lead = leads::create(&mut tx, member.tenant, member.user, &input, state.phone_keys()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(lead)))
}

#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Lead), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    member: Member,
    ApiPath(id): ApiPath<LeadId>,
) -> ApiResult<Json<Lead>> {
    let mut tx = member.tx().await?;
    let lead = leads::get(&mut tx, member.tenant, id, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(lead))
}

/// Change a lead; `owner_id` reassigns (managers and admins).
#[utoipa::path(patch, path = "/api/v1/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = LeadPatch,
    responses((status = 200, body = Lead), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    ApiPath(id): ApiPath<LeadId>,
    ApiJson(patch): ApiJson<LeadPatch>,
) -> ApiResult<Json<Lead>> {
    let mut tx = member.tx().await?;
    let lead = leads::update(&mut tx, member.tenant, id, &patch, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(lead))
}

/// Delete a lead with its deals and interactions (managers and admins).
#[utoipa::path(delete, path = "/api/v1/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(manager: Manager, ApiPath(id): ApiPath<LeadId>) -> ApiResult<StatusCode> {
    let tenant = manager.tenant();
    let mut tx = manager.begin().await?;
    leads::delete(&mut tx, tenant, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(search))
        .routes(routes!(get, update, delete))
}
