//! Members of the tenant: everyone may list; admins add, change roles and remove.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::audit::access::{self, Access, AccessAction};
use palisade_core::tenancy::{self, Member as MemberView, NewMember, RoleChange};
use palisade_db::UserId;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath, ClientIp, Member};

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

/// Add a member by email (admins). Creates the user when new; re-activates a former member.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", security(("bearer" = [])), request_body = NewMember,
    responses((status = 201, body = MemberView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    admin: Admin,
    ip: ClientIp,
    ApiJson(input): ApiJson<NewMember>,
) -> ApiResult<(StatusCode, Json<MemberView>)> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let member = tenancy::add_member(&mut tx, tenant, &input).await?;
    let detail = serde_json::json!({ "role": input.role.as_str() });
    log_change(
        &mut tx,
        tenant,
        AccessAction::MemberAdded,
        member.user_id,
        detail,
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Change a member's role (admins). The last admin cannot be demoted.
#[utoipa::path(patch, path = "/api/v1/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)), request_body = RoleChange,
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn change_role(
    admin: Admin,
    ip: ClientIp,
    ApiPath(user_id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<RoleChange>,
) -> ApiResult<Json<MemberView>> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let member = tenancy::change_role(&mut tx, tenant, UserId::from_uuid(user_id), input.role).await?;
    let detail = serde_json::json!({ "role": input.role.as_str() });
    log_change(&mut tx, tenant, AccessAction::RoleChange, user_id, detail, ip).await?;
    tx.commit().await?;
    Ok(Json(member))
}

/// Remove a member (admins). The last admin cannot be removed.
#[utoipa::path(delete, path = "/api/v1/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn remove(admin: Admin, ip: ClientIp, ApiPath(user_id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    tenancy::remove_member(&mut tx, tenant, UserId::from_uuid(user_id)).await?;
    log_change(
        &mut tx,
        tenant,
        AccessAction::MemberRemoved,
        user_id,
        serde_json::json!({}),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionsEnded {
    pub ended: i32,
}

/// End every session of a member (admins): they must sign in again. Logged in the access log.
/// Someone who was never a member of your tenant is 404.
#[utoipa::path(delete, path = "/api/v1/members/{user_id}/sessions", tag = "members", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = SessionsEnded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_sessions(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    admin: Admin,
    ApiPath(user_id): ApiPath<Uuid>,
) -> ApiResult<Json<SessionsEnded>> {
    let mut tx = admin.begin().await?;
    let ended =
        palisade_core::sessions::end_member_sessions(&mut tx, UserId::from_uuid(user_id), state.clock.now())
            .await?;
    tx.commit().await?;
    Ok(Json(SessionsEnded { ended }))
}
