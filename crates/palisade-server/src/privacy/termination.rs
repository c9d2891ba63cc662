//! Ending a tenant (admins): start, see, cancel, and — during the grace period, when nobody can act in
//! the tenant any more — download its company export.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use palisade_core::audit::access;
use palisade_core::privacy::company_export::{self, Format, Manifest};
use palisade_core::privacy::termination::{self, Termination};
use palisade_core::CoreError;
use palisade_db::{Purpose, TenantId, Tx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::company_export::{logged, respond, ExportParams};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath, ApiQuery, Caller, ClientIp, Member};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminationInput {
    /// The tenant's slug, typed by the admin as confirmation.
    #[schema(
        min_length = 3,
        max_length = 63,
        pattern = "^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"
    )]
    pub confirm_slug: String,
}

/// End this tenant (admins), confirmed by its slug. Needs a session with a sign-in (or second-factor
/// check) in the last ten minutes (`403 reauthentication_required`). From the next request on, no
/// member can act in the tenant — webhooks and jobs included — and what its outbox still held is
/// blocked; during the grace period (`purge_after`, 30 days by default, at least a day) its admins may
/// still download the company export under
/// `/api/v1/privacy/termination/export` or cancel; then every row of the tenant is deleted but its
/// suppressions and the audit chain's anchor. A slug that is not this tenant's: `422
/// confirmation_mismatch`.
#[utoipa::path(post, path = "/api/v1/privacy/termination", tag = "privacy", security(("bearer" = [])),
    request_body = TerminationInput,
    responses((status = 201, body = Termination), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_termination(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(input): ApiJson<TerminationInput>,
) -> ApiResult<(StatusCode, Json<Termination>)> {
    let mut tx = admin.begin().await?;
    // Operator tokens have no session, so no recent sign-in: `403 no_session`.
    admin.caller().session()?;
    let now = state.clock.now();
    let started = termination::start(
        &mut tx,
        admin.tenant(),
        &input.confirm_slug,
        now,
        state.termination_grace,
    )
    .await
    .map_err(reauthenticate)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(started)))
}

fn reauthenticate(e: CoreError) -> CoreError {
    match e {
        CoreError::Refused {
            code: "reauthentication_required",
            ..
        } => CoreError::Refused {
            code: "reauthentication_required",
            message: "sign in again, or verify your second factor (POST /api/v1/auth/mfa), within the last \
                      10 minutes to end the tenant",
        },
        other => other,
    }
}

/// The tenant's termination, for its admins: `terminating` (grace period) or `purging` (its data is being
/// deleted). `404` when the tenant is not being terminated, or the caller is not one of its admins.
#[utoipa::path(get, path = "/api/v1/privacy/termination", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Termination), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_termination(member: Member) -> ApiResult<Json<Termination>> {
    live(member.caller(), member.tenant)
        .await?
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

/// The tenant's live termination, when the caller is one of its admins (a user context acting in no
/// tenant: nobody acts in a terminating one).
pub(crate) async fn live(caller: &Caller, tenant: TenantId) -> ApiResult<Option<Termination>> {
    let mut tx = caller.tx().await?;
    let found = termination::for_admin(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(found)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Canceled {
    /// The tenant is active again.
    pub canceled: bool,
}

/// Cancel the termination during its grace period (its admins): every member can act in the tenant
/// again. `404` when there is nothing the caller may cancel (no termination, or its purge has begun).
#[utoipa::path(delete, path = "/api/v1/privacy/termination", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Canceled), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_termination(State(state): State<AppState>, member: Member) -> ApiResult<Json<Canceled>> {
    let mut tx = member.caller().tx().await?;
    let canceled = termination::cancel(&mut tx, member.tenant, state.clock.now()).await?;
    if !canceled {
        return Err(ApiError::not_found());
    }
    tx.commit().await?;
    Ok(Json(Canceled { canceled }))
}

/// The tenant being terminated, once the caller proved to be one of its admins.
async fn terminating(caller: &Caller, tenant: TenantId) -> ApiResult<TenantId> {
    match live(caller, tenant).await? {
        Some(t) if t.status == "terminating" => Ok(tenant),
        _ => Err(ApiError::not_found()),
    }
}

/// `tx` once its first statement found the tenant still terminating: `404` when the purge began since
/// the caller's check (the export's context then acts in no tenant, and would read nothing).
async fn in_scope(mut tx: Tx) -> ApiResult<Tx> {
    let row = tx
        .query_one("select ctx.scoped_tenant_id() is not null as scoped", &[])
        .await
        .map_err(CoreError::from)?;
    match row.try_get::<_, bool>("scoped") {
        Ok(true) => Ok(tx),
        _ => Err(ApiError::not_found()),
    }
}

/// The company export's manifest during the grace period (the tenant's admins), as
/// `/api/v1/privacy/company-export` answers for an active tenant.
#[utoipa::path(get, path = "/api/v1/privacy/termination/export", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Manifest), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn termination_export_manifest(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<Json<Manifest>> {
    Ok(Json(
        grace_manifest(&state, member.caller(), member.tenant).await?,
    ))
}

/// The manifest of `tenant`'s company export while it is being terminated, for one of its admins
/// (`404` for anyone else, and once the purge began); the API's and the pages' alike.
pub(crate) async fn grace_manifest(
    state: &AppState,
    caller: &Caller,
    tenant: TenantId,
) -> ApiResult<Manifest> {
    let tenant = terminating(caller, tenant).await?;
    let db = state.db.correlated(caller.correlation_id());
    let mut tx = in_scope(
        db.service(tenant, Purpose::CompanyExport)
            .await?
            .snapshot()
            .map_err(CoreError::from)?,
    )
    .await?;
    let manifest = company_export::manifest(&mut tx).await?;
    tx.commit().await?;
    Ok(manifest)
}

/// One table of the company export during the grace period (the tenant's admins), as
/// `/api/v1/privacy/company-export/{table}` streams it for an active tenant. Access-logged as
/// `data_export` by the export's service context, with the admin named in the detail (`by`).
#[utoipa::path(get, path = "/api/v1/privacy/termination/export/{table}", tag = "privacy", security(("bearer" = [])),
    params(("table" = String, Path, description = "A table of the manifest (`leads`, `deals`, …)."), ExportParams),
    responses((status = 200, description = "The table as JSON Lines (default) or CSV (`format=csv`)",
                  content((String = "application/x-ndjson"), (String = "text/csv"))),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn termination_export_download(
    State(state): State<AppState>,
    member: Member,
    ClientIp(ip): ClientIp,
    ApiPath(table): ApiPath<String>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let format = params.format.unwrap_or(Format::Jsonl);
    grace_download(state, member.caller(), member.tenant, &table, format, ip).await
}

/// One table of `tenant`'s company export while it is being terminated, for one of its admins, logged
/// as [`termination_export_download`] says; the API's and the pages' alike.
pub(crate) async fn grace_download(
    state: AppState,
    caller: &Caller,
    tenant: TenantId,
    table: &str,
    format: Format,
    ip: Option<std::net::IpAddr>,
) -> ApiResult<Response> {
    let table = company_export::by_file(table).ok_or_else(ApiError::not_found)?;
    let tenant = terminating(caller, tenant).await?;
    let slot = state.exports.take(tenant)?;
    let db = state.db.correlated(caller.correlation_id());
    let mut tx = in_scope(db.service(tenant, Purpose::CompanyExport).await?).await?;
    let mut event = logged(tenant, table, format, ip);
    event.detail["by"] = serde_json::json!(caller.user_id().to_string());
    access::log(&mut tx, Some(tenant), &event).await?;
    tx.commit().await?;
    let tx = in_scope(
        db.service(tenant, Purpose::CompanyExport)
            .await?
            .snapshot()
            .map_err(CoreError::from)?,
    )
    .await?;
    respond(state, tenant, tx, table, format, slot).await
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_termination, show_termination, cancel_termination))
        .routes(routes!(termination_export_manifest))
        .routes(routes!(termination_export_download))
}
