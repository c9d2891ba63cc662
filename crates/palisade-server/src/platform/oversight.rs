//! Platform administration: error events and incidents. Platform admins (granted by the CLI) only;
//! they see no tenant CRM data here.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::audit::incidents::{self, Incident, NewIncident};
use palisade_core::audit::platform_errors::{self, ErrorEvent, ErrorFilter};
use palisade_db::Tx;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, Caller, LargeJson};

use crate::state::AppState;

async fn platform_tx(caller: &Caller) -> Result<Tx, ApiError> {
    let mut tx = caller.tx().await?;
    if !platform_errors::is_platform_admin(&mut tx).await? {
        return Err(ApiError::forbidden("only platform admins may do this"));
    }
    Ok(tx)
}

/// Error events, most recently seen first (platform admins).
#[utoipa::path(get, path = "/api/v1/platform/error-events", tag = "platform", security(("bearer" = [])),
    params(ErrorFilter),
    responses((status = 200, body = Vec<ErrorEvent>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn error_events(
    caller: Caller,
    ApiQuery(filter): ApiQuery<ErrorFilter>,
) -> ApiResult<Json<Vec<ErrorEvent>>> {
    let mut tx = platform_tx(&caller).await?;
    let events = platform_errors::list(&mut tx, &filter).await?;
    tx.commit().await?;
    Ok(Json(events))
}

/// Incidents, newest first (platform admins), with each affected tenant's notification state.
#[utoipa::path(get, path = "/api/v1/platform/incidents", tag = "platform", security(("bearer" = [])),
    responses((status = 200, body = Vec<Incident>), (status = 403, body = ErrorBody)))]
pub async fn list_incidents(caller: Caller) -> ApiResult<Json<Vec<Incident>>> {
    let mut tx = platform_tx(&caller).await?;
    let list = incidents::list(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(list))
}

/// Declare an incident (platform admins). The affected tenants' admins are emailed by the incident
/// notifier; the notification deadline is 72 hours after declaration.
#[utoipa::path(post, path = "/api/v1/platform/incidents", tag = "platform", security(("bearer" = [])),
    request_body = NewIncident,
    responses((status = 201, body = Incident), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "`unknown_tenant`"), (status = 422, body = ErrorBody)))]
pub async fn declare_incident(
    caller: Caller,
    LargeJson(input): LargeJson<NewIncident>,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let mut tx = platform_tx(&caller).await?;
    let incident = incidents::declare(&mut tx, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

/// Mark an incident resolved (platform admins).
#[utoipa::path(post, path = "/api/v1/platform/incidents/{id}/resolve", tag = "platform", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve_incident(caller: Caller, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<Incident>> {
    let mut tx = platform_tx(&caller).await?;
    let incident = incidents::resolve(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(incident))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(error_events))
        .routes(routes!(list_incidents, declare_incident))
        .routes(routes!(resolve_incident))
}
