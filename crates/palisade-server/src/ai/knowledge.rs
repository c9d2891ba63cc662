//! The knowledge base: members read and search it; managers and admins write it.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::ai::knowledge::retrieval::{self, Passage};
use palisade_core::ai::knowledge::{self, Entry, EntryPatch, NewEntry};
use palisade_core::page::{Page, PageParams};
use palisade_core::CoreError;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, LargeJson, Manager, Member};
use crate::state::AppState;

/// The knowledge base's entries, newest first.
#[utoipa::path(get, path = "/api/v1/knowledge", tag = "ai", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = Page<Entry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list(member: Member, ApiQuery(page): ApiQuery<PageParams>) -> ApiResult<Json<Page<Entry>>> {
    let mut tx = member.tx().await?;
    let entries = knowledge::list(&mut tx, member.tenant, &page).await?;
    tx.commit().await?;
    Ok(Json(entries))
}

/// Add an FAQ entry or a document (managers and admins). It is split into passages at once; the
/// assistant answers from them from then on.
#[utoipa::path(post, path = "/api/v1/knowledge", tag = "ai", security(("bearer" = [])), request_body = NewEntry,
    responses((status = 201, body = Entry), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    manager: Manager,
    LargeJson(input): LargeJson<NewEntry>,
) -> ApiResult<(StatusCode, Json<Entry>)> {
    let mut tx = manager.begin().await?;
    let entry = knowledge::create(&mut tx, manager.tenant(), &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

#[utoipa::path(get, path = "/api/v1/knowledge/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Entry), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Entry>> {
    let mut tx = member.tx().await?;
    let entry = knowledge::get(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(entry))
}

/// Change an entry (managers and admins); its passages are rebuilt.
#[utoipa::path(patch, path = "/api/v1/knowledge/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = EntryPatch,
    responses((status = 200, body = Entry), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    manager: Manager,
    ApiPath(id): ApiPath<Uuid>,
    LargeJson(patch): LargeJson<EntryPatch>,
) -> ApiResult<Json<Entry>> {
    let mut tx = manager.begin().await?;
    let entry = knowledge::update(&mut tx, manager.tenant(), id, &patch).await?;
    tx.commit().await?;
    Ok(Json(entry))
}

#[utoipa::path(delete, path = "/api/v1/knowledge/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(manager: Manager, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let mut tx = manager.begin().await?;
    knowledge::delete(&mut tx, manager.tenant(), id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The question, 1–500 characters.
    #[param(min_length = 1, max_length = 500, pattern = r"\S")]
    pub q: String,
}

/// The passages the assistant would answer this question from, best first, with how much of the
/// question each covers (it answers only from passages covering at least half).
#[utoipa::path(get, path = "/api/v1/knowledge/search", tag = "ai", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = [Passage]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(member: Member, ApiQuery(query): ApiQuery<SearchQuery>) -> ApiResult<Json<Vec<Passage>>> {
    let q = query.q.trim();
    if q.is_empty() || query.q.chars().count() > 500 {
        return Err(CoreError::invalid("invalid_field", "q must be 1 to 500 characters").into());
    }
    let mut tx = member.tx().await?;
    let passages = retrieval::search(&mut tx, member.tenant, q, 10).await?;
    tx.commit().await?;
    Ok(Json(passages))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(search))
        .routes(routes!(get, update, delete))
}
