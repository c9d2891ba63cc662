//! Members of the tenant: everyone may list; admins change roles, suspend, sign out and remove.
//! Nobody is added here: people join by accepting an invitation (`/api/v1/invitations`), so no
//! admin can make an existing account a member, or learn that it exists.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::audit::access::{self, Access, AccessAction};
use palisade_core::membership;
use palisade_core::tenancy::{self, Member as MemberView, MemberChange};
use palisade_db::UserId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath, ClientIp, Member};

use crate::state::AppState;

/// Membership changes go to the access log as well as the audit trail: the access log adds where
/// the request came from.
async fn log_change(
    tx: &mut palisade_db::Tx,
    tenant: palisade_db::TenantId,
    action: AccessAction,
    user: Uuid,
    detail: serde_json::Value,
    ip: ClientIp,
) -> Result<(), palisade_core::CoreError> {
    access::log(
        tx,
        Some(tenant),
        &Access {
            action,
            target_type: Some("member"),
            target_id: Some(user.to_string()),
            detail,
            client_ip: ip.0,
        },
    )
    .await
}

/// Members of your tenant.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", security(("bearer" = [])),
    responses((status = 200, body = Vec<MemberView>), (status = 403, body = ErrorBody)))]
pub async fn list(member: Member) -> ApiResult<Json<Vec<MemberView>>> {
    let mut tx = member.tx().await?;
    let members = tenancy::list_members(&mut tx, member.tenant).await?;
    tx.commit().await?;
    Ok(Json(members))
}

/// Change a member's role, suspend them (`"status": "suspended"`: they can no longer act in this
/// tenant) or reinstate them (`"active"`). The last active admin can be neither demoted nor
/// suspended (409), and nobody suspends themselves (403 `not_yourself`).
#[utoipa::path(patch, path = "/api/v1/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = MemberChange,
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change(
    admin: Admin,
    ip: ClientIp,
    ApiPath(user_id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<MemberChange>,
) -> ApiResult<Json<MemberView>> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let member = change_member(&mut tx, tenant, user_id, &input, ip).await?;
    tx.commit().await?;
    Ok(Json(member))
}

/// A role and/or status change with its access-log entries (the API and the members page).
pub(crate) async fn change_member(
    tx: &mut palisade_db::Tx,
    tenant: palisade_db::TenantId,
    user_id: Uuid,
    input: &MemberChange,
    ip: ClientIp,
) -> Result<MemberView, palisade_core::CoreError> {
    let member = membership::change(tx, tenant, UserId::from_uuid(user_id), input).await?;
    if let Some(role) = input.role {
        let detail = serde_json::json!({ "role": role.as_str() });
        log_change(tx, tenant, AccessAction::RoleChange, user_id, detail, ip).await?;
    }
    if let Some(status) = input.status {
        let action = match status {
            tenancy::MemberStatus::Active => AccessAction::MemberReinstated,
            tenancy::MemberStatus::Suspended => AccessAction::MemberSuspended,
        };
        log_change(tx, tenant, action, user_id, serde_json::json!({}), ip).await?;
    }
    Ok(member)
}

/// Removes a member with its access-log entry (the API and the members page).
pub(crate) async fn remove_member(
    tx: &mut palisade_db::Tx,
    tenant: palisade_db::TenantId,
    user_id: Uuid,
    ip: ClientIp,
) -> Result<(), palisade_core::CoreError> {
    tenancy::remove_member(tx, tenant, UserId::from_uuid(user_id)).await?;
    let detail = serde_json::json!({});
    log_change(tx, tenant, AccessAction::MemberRemoved, user_id, detail, ip).await
}

/// Remove a member (admins). The last admin cannot be removed (409); to remove yourself, leave with
/// `DELETE /api/v1/tenants/{id}/membership` (here: 403 `not_yourself`).
#[utoipa::path(delete, path = "/api/v1/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove(admin: Admin, ip: ClientIp, ApiPath(user_id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    remove_member(&mut tx, tenant, user_id, ip).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign a member out of this tenant (admins): every session they began until now stops acting in
/// it, so they must sign in again to work here (`403 signed_out_of_tenant` until they do). Their
/// sessions for other tenants are theirs and go on. Logged in the access log. Someone who is not a
/// member (active or suspended) of your tenant is 404; yourself, 403 `not_yourself` (end your own
/// sessions under `/api/v1/me/sessions`).
#[utoipa::path(delete, path = "/api/v1/members/{user_id}/sessions", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn sign_out(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    admin: Admin,
    ApiPath(user_id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    membership::sign_out(&mut tx, tenant, UserId::from_uuid(user_id), state.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_out))
        .routes(routes!(list))
        .routes(routes!(change, remove))
}
