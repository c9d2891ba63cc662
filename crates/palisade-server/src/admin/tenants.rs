//! Tenants: create (the creator becomes admin), list mine, get one, leave one.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::membership;
use palisade_core::tenancy::{self, NewTenant, Tenant};
use palisade_db::TenantId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Caller};

use crate::state::AppState;

/// Create a tenant; you become its admin.
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", security(("bearer" = [])), request_body = NewTenant,
    responses((status = 201, body = Tenant), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    caller: Caller,
    ApiJson(input): ApiJson<NewTenant>,
) -> ApiResult<(StatusCode, Json<Tenant>)> {
    let mut tx = caller.tx().await?;
    let tenant = tenancy::create(&mut tx, caller.user_id(), &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(tenant)))
}

/// The tenants you are an active member of.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants", security(("bearer" = [])),
    responses((status = 200, body = Vec<Tenant>)))]
pub async fn list(caller: Caller) -> ApiResult<Json<Vec<Tenant>>> {
    let mut tx = caller.tx().await?;
    let tenants = tenancy::list_mine(&mut tx, caller.user_id()).await?;
    tx.commit().await?;
    Ok(Json(tenants))
}

/// One of your tenants.
#[utoipa::path(get, path = "/api/v1/tenants/{id}", tag = "tenants", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Tenant), (status = 404, body = ErrorBody)))]
pub async fn get(caller: Caller, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Tenant>> {
    let mut tx = caller.tx().await?;
    let tenant = tenancy::get(&mut tx, caller.user_id(), TenantId::from_uuid(id)).await?;
    tx.commit().await?;
    Ok(Json(tenant))
}

/// Leave a tenant: you are no longer its member (an admin may invite you again). Works while you are
/// suspended. The last active admin must make someone else admin first (409). Not your tenant: 404.
#[utoipa::path(delete, path = "/api/v1/tenants/{id}/membership", tag = "tenants", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn leave(caller: Caller, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let mut tx = caller.tx().await?;
    membership::leave(&mut tx, TenantId::from_uuid(id)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get))
        .routes(routes!(leave))
}
