//! Interactions marked for HubSpot: a member marks one they can see, and it goes to the lead's
//! HubSpot contact as a note, once.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::crm_sync::outbox::{self, Marked};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, Member};
use crate::state::AppState;

/// Mark an interaction for HubSpot: it is written as a note on its lead's contact with the next
/// sync, once.
#[utoipa::path(post, path = "/api/v1/interactions/{id}/crm", tag = "crm-sync", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 201, body = Marked), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Already marked, or HubSpot is not connected for writing"),
              (status = 422, body = ErrorBody, description = "The lead is not a HubSpot contact")))]
pub async fn mark(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<(StatusCode, Json<Marked>)> {
    let mut tx = member.tx().await?;
    let marked = outbox::mark_interaction(&mut tx, member.tenant, member.user, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(marked)))
}

/// Whether an interaction went to HubSpot (its mark, if you may see it: yours, or any as a manager).
#[utoipa::path(get, path = "/api/v1/interactions/{id}/crm", tag = "crm-sync", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Marked), (status = 404, body = ErrorBody)))]
pub async fn status(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Marked>> {
    let mut tx = member.tx().await?;
    let marked = outbox::marked_interaction(&mut tx, member.tenant, id).await?;
    tx.commit().await?;
    Ok(Json(marked))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mark, status))
}
