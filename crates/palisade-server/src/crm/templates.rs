//! Message templates: the team's reusable texts. Every member reads them; managers and admins write
//! them. Queue one with `POST /api/v1/messages` and `{"template_id", "variables"}`.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::messaging::templates::{self, Template, TemplateInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, LargeJson, Member};

use crate::state::AppState;

/// The tenant's templates, by name.
#[utoipa::path(get, path = "/api/v1/templates", tag = "messaging", security(("bearer" = [])),
    responses((status = 200, body = Vec<Template>)))]
pub async fn list(member: Member) -> ApiResult<Json<Vec<Template>>> {
    let mut tx = member.tx().await?;
    let all = templates::list(&mut tx, member.tenant).await?;
    tx.commit().await?;
    Ok(Json(all))
}

/// Create a template (managers and admins). Placeholders are checked now.
#[utoipa::path(post, path = "/api/v1/templates", tag = "messaging", security(("bearer" = [])),
    request_body = TemplateInput,
    responses((status = 201, body = Template), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    member: Member,
    LargeJson(input): LargeJson<TemplateInput>,
) -> ApiResult<(StatusCode, Json<Template>)> {
    let mut tx = member.tx().await?;
    let template = templates::create(&mut tx, member.tenant, member.user, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(template)))
}

#[utoipa::path(get, path = "/api/v1/templates/{id}", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Template), (status = 404, body = ErrorBody)))]
pub async fn get(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Template>> {
    let mut tx = member.tx().await?;
    let template = templates::get(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(template))
}

/// Replace a template (managers and admins). Messages already queued keep their text.
#[utoipa::path(put, path = "/api/v1/templates/{id}", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = TemplateInput,
    responses((status = 200, body = Template), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`name_taken`"),
        (status = 422, body = ErrorBody)))]
pub async fn replace(
    member: Member,
    ApiPath(id): ApiPath<Uuid>,
    LargeJson(input): LargeJson<TemplateInput>,
) -> ApiResult<Json<Template>> {
    let mut tx = member.tx().await?;
    let template = templates::replace(&mut tx, member.tenant, id, &input).await?;
    tx.commit().await?;
    Ok(Json(template))
}

/// Delete a template (managers and admins). Messages sent from it keep their text.
#[utoipa::path(delete, path = "/api/v1/templates/{id}", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let mut tx = member.tx().await?;
    templates::delete(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, replace, delete))
}
