//! Erasures (admins): a subject named by phone, email or lead id is erased from the tenant; the
//! answer is its receipt.
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::page::{Page, PageParams};
use palisade_core::privacy::erasure::{self, work, Receipt, SubjectRequest};
use palisade_db::{Purpose, TenantId, Tx};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath, ApiQuery, Caller};
use crate::state::AppState;

/// How long a request works on its erasure before answering `202` and leaving the rest to the
/// `erasures` job.
const REQUEST_BUDGET: Duration = Duration::from_secs(2);

/// Erase a subject (admins): every lead with the phone number or email given (or the one lead), with
/// its deals, interactions, messages, drafts and coaching; its audit events' content is blanked and
/// its consent events are kept as evidence. The addresses are suppressed on every channel for good,
/// even when no lead has them. `201` with the receipt when done; `202` with the receipt while a large
/// subject is still being erased (poll `GET /api/v1/privacy/erasures/{id}`). Access-logged.
#[utoipa::path(post, path = "/api/v1/privacy/erasures", tag = "privacy", security(("bearer" = [])),
    request_body = SubjectRequest,
    responses((status = 201, body = Receipt), (status = 202, body = Receipt), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(input): ApiJson<SubjectRequest>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let tenant = admin.tenant();
    let id = start(&state, admin.begin().await?, admin.caller(), tenant, &input).await?;
    let mut tx = admin.begin().await?;
    let receipt = erasure::get(&mut tx, tenant, id).await?;
    tx.commit().await?;
    let status = match receipt.status {
        erasure::ErasureStatus::Done => StatusCode::CREATED,
        erasure::ErasureStatus::Running => StatusCode::ACCEPTED,
    };
    Ok((status, Json(receipt)))
}

/// Finds the subject in the admin's transaction `tx` (committed here), starts its erasure, and works
/// on it for up to [`REQUEST_BUDGET`] (the API and the privacy page). Returns the erasure's id.
pub(crate) async fn start(
    state: &AppState,
    mut tx: Tx,
    caller: &Caller,
    tenant: TenantId,
    input: &SubjectRequest,
) -> Result<Uuid, ApiError> {
    let resolved = erasure::resolve(&mut tx, tenant, input, state.phone_keys()).await?;
    tx.commit().await?;
    let db = state.db.correlated(caller.correlation_id());
    let mut tx = db.service(tenant, Purpose::Erasure).await?;
    let id = erasure::start(
        &mut tx,
        tenant,
        erasure::Requester::Admin(caller.user_id()),
        &resolved,
    )
    .await?;
    tx.commit().await?;
    // Started is safe: whatever stops this loop, the job carries on from the database.
    if let Err(e) = work::run(&db, tenant, id, REQUEST_BUDGET).await {
        tracing::warn!(erasure_id = %id, error = %e, "an erasure step failed; the erasures job retries it");
    }
    Ok(id)
}

/// The tenant's erasures, newest first (admins).
#[utoipa::path(get, path = "/api/v1/privacy/erasures", tag = "privacy", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Page<Receipt>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list(admin: Admin, ApiQuery(page): ApiQuery<PageParams>) -> ApiResult<Json<Page<Receipt>>> {
    let mut tx = admin.begin().await?;
    let page = erasure::list(&mut tx, admin.tenant(), &page).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// One erasure's receipt and progress (admins).
#[utoipa::path(get, path = "/api/v1/privacy/erasures/{id}", tag = "privacy", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Receipt), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(admin: Admin, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Receipt>> {
    let mut tx = admin.begin().await?;
    let receipt = erasure::get(&mut tx, admin.tenant(), id).await?;
    tx.commit().await?;
    Ok(Json(receipt))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get))
}
