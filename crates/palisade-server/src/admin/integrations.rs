//! Provider integrations (admins): settings and write-only secrets. Answers carry `last_four` and
//! metadata, never a secret.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::integrations::{self, Integration, IntegrationInput, Provider};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath};
use crate::state::AppState;

fn provider(name: &str) -> Result<Provider, ApiError> {
    Provider::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            format!("no such provider; integrations exist for {}", known.join(", ")),
        )
    })
}

/// The tenant's integrations.
#[utoipa::path(get, path = "/api/v1/integrations", tag = "integrations", security(("bearer" = [])),
    responses((status = 200, body = Vec<Integration>), (status = 403, body = ErrorBody)))]
pub async fn list(admin: Admin) -> ApiResult<Json<Vec<Integration>>> {
    let mut tx = admin.begin().await?;
    let found = integrations::list(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(found))
}

/// One integration.
#[utoipa::path(get, path = "/api/v1/integrations/{provider}", tag = "integrations", security(("bearer" = [])),
    params(("provider" = String, Path, description = "twilio, sendgrid, resend, meta, stripe, hubspot or openai")),
    responses((status = 200, body = Integration), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(admin: Admin, ApiPath(name): ApiPath<String>) -> ApiResult<Json<Integration>> {
    let provider = provider(&name)?;
    let mut tx = admin.begin().await?;
    let found = integrations::get(&mut tx, admin.tenant(), provider).await?;
    tx.commit().await?;
    Ok(Json(found))
}

/// Connect a provider or change its settings. `secrets` are sealed and never returned; leave them
/// out to keep the stored ones.
#[utoipa::path(put, path = "/api/v1/integrations/{provider}", tag = "integrations", security(("bearer" = [])),
    params(("provider" = String, Path)), request_body = IntegrationInput,
    responses((status = 200, body = Integration), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(name): ApiPath<String>,
    ApiJson(input): ApiJson<IntegrationInput>,
) -> ApiResult<Json<Integration>> {
    let provider = provider(&name)?;
    let tenant = admin.tenant();
    let sealed = integrations::prepare(&state.keyring, tenant, provider, &input)?;
    let mut tx = admin.begin().await?;
    let saved = integrations::put(
        &mut tx,
        tenant,
        admin.caller().user_id(),
        provider,
        &input,
        sealed,
    )
    .await?;
    tx.commit().await?;
    state.accounts.forget(tenant, provider);
    Ok(Json(saved))
}

/// Disconnect a provider: its settings and secrets are deleted.
#[utoipa::path(delete, path = "/api/v1/integrations/{provider}", tag = "integrations", security(("bearer" = [])),
    params(("provider" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let provider = provider(&name)?;
    let mut tx = admin.begin().await?;
    integrations::delete(&mut tx, admin.tenant(), provider).await?;
    tx.commit().await?;
    state.accounts.forget(admin.tenant(), provider);
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get, put, delete))
}
