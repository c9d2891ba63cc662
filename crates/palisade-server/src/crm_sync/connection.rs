//! The tenant's HubSpot connection and the sync's state (admins). Connecting by OAuth happens in a
//! browser (`oauth.rs`); a private app's token is checked with HubSpot before it is kept.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use palisade_core::crm_sync::connection::{self, Connection, ConnectionPatch, Kind, NewConnection, Tokens};
use palisade_core::crm_sync::cursors::{self, CursorState};
use palisade_core::crm_sync::outbox::{self, OutboxCounts};
use palisade_core::crm_sync::runs::{self, RunState};
use palisade_db::{Purpose, TenantId};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, Caller};
use crate::state::AppState;

/// The connection and how the sync is doing.
#[derive(Debug, Serialize, ToSchema)]
pub struct HubspotStatus {
    /// Admins can connect through OAuth (the operator configured a HubSpot app); otherwise with a
    /// private app's token.
    pub oauth_available: bool,
    pub connection: Option<Connection>,
    pub sync: Option<RunState>,
    /// Seconds since the last successful run.
    pub lag_seconds: Option<i64>,
    /// Contacts and deals: the pass in progress and records read.
    pub objects: Vec<CursorState>,
    /// Writes to HubSpot by status.
    pub outbox: OutboxCounts,
}

pub(crate) async fn status(
    state: &AppState,
    tx: &mut palisade_db::Tx,
    tenant: TenantId,
) -> Result<HubspotStatus, ApiError> {
    let sync = runs::state(tx, tenant).await?;
    Ok(HubspotStatus {
        oauth_available: state.hubspot.transport.config().app.is_some(),
        connection: connection::get(tx, tenant).await?,
        lag_seconds: sync
            .as_ref()
            .and_then(|s| s.last_success_at)
            .map(|at| (Utc::now() - at).num_seconds().max(0)),
        sync,
        objects: cursors::states(tx, tenant).await?,
        outbox: outbox::counts(tx, tenant).await?,
    })
}

/// The HubSpot connection and the sync's state.
#[utoipa::path(get, path = "/api/v1/crm/hubspot", tag = "crm-sync", security(("bearer" = [])),
    responses((status = 200, body = HubspotStatus), (status = 403, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<HubspotStatus>> {
    let mut tx = admin.begin().await?;
    let found = status(&state, &mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(found))
}

/// A private app's access token (`pat-…`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivateAppInput {
    #[schema(value_type = String, min_length = 20, max_length = 300, pattern = "^pat-[A-Za-z0-9-]+$")]
    pub access_token: SecretString,
}

/// Connect with a private app's token. HubSpot is asked which account it belongs to first; a token
/// it refuses is not kept. Replaces an OAuth connection.
#[utoipa::path(put, path = "/api/v1/crm/hubspot/private-app", tag = "crm-sync", security(("bearer" = [])),
    request_body = PrivateAppInput,
    responses((status = 200, body = Connection), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 502, body = ErrorBody, description = "HubSpot did not answer")))]
pub async fn private_app(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(input): ApiJson<PrivateAppInput>,
) -> ApiResult<Json<Connection>> {
    confirm_admin(&admin).await?;
    let saved = connect_private_app(&state, admin.caller(), admin.tenant(), input.access_token).await?;
    Ok(Json(saved))
}

/// The caller's role checked before anything else (a rep is told 403, not what was wrong with the
/// body); the work then runs in transactions of its own, around the requests to HubSpot.
async fn confirm_admin(admin: &Admin) -> Result<(), ApiError> {
    admin.begin().await?.commit().await?;
    Ok(())
}

/// Checks a private app's token with HubSpot and keeps it, in the caller's context (the database
/// lets only admins connect).
pub(crate) async fn connect_private_app(
    state: &AppState,
    caller: &Caller,
    tenant: TenantId,
    token: SecretString,
) -> Result<Connection, ApiError> {
    let shape = secrecy::ExposeSecret::expose_secret(&token);
    let plain = shape.len() <= 300 && shape.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !shape.starts_with("pat-") || shape.len() < 20 || !plain {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            "access_token must be a private app's token: `pat-` then letters, digits and dashes",
        ));
    }
    // Asked before any transaction: no request to HubSpot holds a database connection.
    let info = state.hubspot.transport.private_app_info(&token).await?;
    let tokens = Tokens {
        access: token,
        refresh: None,
    };
    let sealed = connection::seal(&state.keyring, tenant, &tokens)?;
    let new = NewConnection {
        kind: Kind::PrivateApp,
        portal_id: i64::try_from(info.hub_id).unwrap_or(i64::MAX),
        hub_domain: info.hub_domain.as_deref(),
        scopes: &info.scopes,
        access_expires_at: None,
    };
    let mut tx = caller.tx_in(tenant).await?;
    let saved = connection::save(&mut tx, tenant, caller.user_id(), &new, sealed).await?;
    tx.commit().await?;
    adopt_portal(state, tenant, new.portal_id).await?;
    Ok(saved)
}

/// Once a connection is saved: links into another HubSpot account than the one now connected are
/// forgotten at once (not at the next run), so no event or write meanwhile can use them.
pub(crate) async fn adopt_portal(state: &AppState, tenant: TenantId, portal: i64) -> Result<(), ApiError> {
    let mut tx = state.db.service(tenant, Purpose::Sync).await?;
    runs::adopt_portal(&mut tx, tenant, portal).await?;
    tx.commit().await?;
    Ok(())
}

/// Change what the sync writes to HubSpot.
#[utoipa::path(patch, path = "/api/v1/crm/hubspot", tag = "crm-sync", security(("bearer" = [])),
    request_body = ConnectionPatch,
    responses((status = 200, body = Connection), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(admin: Admin, ApiJson(patch): ApiJson<ConnectionPatch>) -> ApiResult<Json<Connection>> {
    let mut tx = admin.begin().await?;
    let saved = connection::update(&mut tx, admin.tenant(), &patch).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// Run the sync now (it runs every five minutes and after HubSpot's events anyway).
#[utoipa::path(post, path = "/api/v1/crm/hubspot/sync", tag = "crm-sync", security(("bearer" = [])),
    responses((status = 202, description = "The next run is due now"), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "HubSpot is not connected")))]
pub async fn sync_now(admin: Admin) -> ApiResult<StatusCode> {
    let mut tx = admin.begin().await?;
    connection::get(&mut tx, admin.tenant())
        .await?
        .ok_or(palisade_core::CoreError::NotFound)?;
    runs::sync_now(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// What disconnecting did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Disconnected {
    /// HubSpot revoked the app's access (an OAuth connection). False: it could not be reached; the
    /// tokens are deleted here anyway, and an admin can remove the app in HubSpot's settings.
    pub revoked: bool,
}

/// Disconnect: an OAuth grant is revoked at HubSpot, and the tokens are deleted. Links and the
/// sync's place are kept: connecting the same account again resumes.
#[utoipa::path(delete, path = "/api/v1/crm/hubspot", tag = "crm-sync", security(("bearer" = [])),
    responses((status = 200, body = Disconnected), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn disconnect(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<Disconnected>> {
    confirm_admin(&admin).await?;
    let revoked = disconnect_tenant(&state, admin.caller(), admin.tenant()).await?;
    Ok(Json(Disconnected { revoked }))
}

/// Revokes (when it can) and deletes the tenant's connection, in the caller's context (only an
/// admin sees it to delete it); whether HubSpot confirmed the revocation.
pub(crate) async fn disconnect_tenant(
    state: &AppState,
    caller: &Caller,
    tenant: TenantId,
) -> Result<bool, ApiError> {
    let mut tx = caller.tx_in(tenant).await?;
    connection::get(&mut tx, tenant)
        .await?
        .ok_or(palisade_core::CoreError::NotFound)?;
    tx.commit().await?;
    let mut service = state.db.service(tenant, Purpose::Sync).await?;
    // Tokens that no longer open (a key gone from the keyring) must not keep an admin from
    // disconnecting: there is nothing to revoke with, and they are deleted all the same.
    let tokens = match connection::open_for_revoke(&mut service, &state.keyring, tenant).await {
        Ok(tokens) => tokens,
        Err(palisade_core::CoreError::Sealed(_)) => {
            tracing::warn!(tenant_id = %tenant, "the HubSpot tokens do not open; disconnecting without revoking");
            None
        }
        Err(e) => return Err(e.into()),
    };
    service.commit().await?;
    let revoked = match tokens.and_then(|t| t.refresh) {
        Some(refresh) => match state.hubspot.transport.revoke(&refresh).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(tenant_id = %tenant, error = %e, "HubSpot did not confirm the revocation");
                false
            }
        },
        // A private app's token is revoked in HubSpot's settings, not by its API.
        None => false,
    };
    let mut tx = caller.tx_in(tenant).await?;
    connection::delete(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(revoked)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, update, disconnect))
        .routes(routes!(private_app))
        .routes(routes!(sync_now))
}
