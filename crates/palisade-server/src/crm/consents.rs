//! A lead's consent ledger: record an opt-in (or a revocation) with its evidence; read the ledger
//! and the state it gives. Records are never changed or removed.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::messaging::consent::{self, ConsentEvent, ConsentLedger, NewConsent};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Member};

use crate::state::AppState;

/// Record consent for a lead you own.
#[utoipa::path(post, path = "/api/v1/leads/{id}/consents", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = NewConsent,
    responses((status = 201, body = ConsentEvent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    member: Member,
    ApiPath(lead): ApiPath<Uuid>,
    ApiJson(input): ApiJson<NewConsent>,
) -> ApiResult<(StatusCode, Json<ConsentEvent>)> {
    let mut tx = member.tx().await?;
    let event = consent::record_for_lead(&mut tx, member.tenant, member.user, lead, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// The lead's ledger (newest first) and its current state per channel and purpose.
#[utoipa::path(get, path = "/api/v1/leads/{id}/consents", tag = "messaging", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ConsentLedger), (status = 404, body = ErrorBody)))]
pub async fn ledger(member: Member, ApiPath(lead): ApiPath<Uuid>) -> ApiResult<Json<ConsentLedger>> {
    let mut tx = member.tx().await?;
    let ledger = consent::ledger_for_lead(&mut tx, member.tenant, lead).await?;
    tx.commit().await?;
    Ok(Json(ledger))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record, ledger))
}
