//! Invitations: admins invite by email with a role; the invited person accepts while signed in as
//! that address.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::membership::invitations::{self, Invitation, NewInvitation};
use palisade_mail::Mail;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, ApiPath, Caller};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The token from the invitation email.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// The tenant you joined; mint or request a token scoped to it.
    pub tenant_id: Uuid,
}

/// Invite an email address with a role (admins): the only way anyone joins a tenant. The answer is
/// the same whether or not the address has an account anywhere; `409 already_member` only for a
/// member of this tenant (active or suspended). The token goes only into the email; if the email
/// cannot be sent, nothing is created (503).
#[utoipa::path(post, path = "/api/v1/invitations", tag = "members", security(("bearer" = [])),
    request_body = NewInvitation,
    responses((status = 201, body = Invitation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(input): ApiJson<NewInvitation>,
) -> ApiResult<(StatusCode, Json<Invitation>)> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let invitation = invite(&state, &mut tx, tenant, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Creates the invitation and mails its token; the caller commits only after the mail went out, so
/// an invitation nobody received is never left behind (the API and the members page).
pub(crate) async fn invite(
    state: &AppState,
    tx: &mut palisade_db::Tx,
    tenant: palisade_db::TenantId,
    input: &NewInvitation,
) -> ApiResult<Invitation> {
    let (invitation, token) = invitations::create(tx, tenant, input).await?;
    let mail = Mail {
        to: vec![invitation.email.clone()],
        subject: "You are invited to Palisade".into(),
        text: format!(
            "You have been invited to join a team on Palisade as {role}.\r\n\r\n\
             Sign in as {email} at {base}/sign-in, then open this link to join \
             (valid for {days} days, usable once):\r\n\r\n\
             {base}/join?token={token}\r\n\r\n\
             From the API: POST {base}/api/v1/invitations/accept with {{\"token\": \"{token}\"}}\r\n",
            role = invitation.role,
            email = invitation.email,
            days = invitations::VALID_FOR_DAYS,
            token = token.expose(),
            base = state.public_url,
        ),
        idempotency_key: Some(format!("invitation-{}", invitation.id)),
    };
    state.mailer.send(&mail).await.map_err(|e| {
        tracing::error!(error = %e, "invitation email could not be sent");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "mail_unavailable",
            "the invitation email could not be sent; nothing was created",
        )
    })?;
    Ok(invitation)
}

/// Invitations of your tenant, newest first (admins).
#[utoipa::path(get, path = "/api/v1/invitations", tag = "members", security(("bearer" = [])),
    responses((status = 200, body = Vec<Invitation>), (status = 403, body = ErrorBody)))]
pub async fn list(admin: Admin) -> ApiResult<Json<Vec<Invitation>>> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let list = invitations::list(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(Json(list))
}

/// Revoke a pending invitation (admins).
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "members", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(admin: Admin, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    invitations::revoke(&mut tx, tenant, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept an invitation as the signed-in person it was sent to. An unknown, used, revoked, expired
/// or someone else's token is 404 alike, and so is one whose sender is no longer an admin of the
/// tenant, one older than your removal from it, or any while an admin has suspended you there.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "members", security(("bearer" = [])),
    request_body = AcceptInvitation,
    responses((status = 200, body = Accepted), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn accept(caller: Caller, ApiJson(input): ApiJson<AcceptInvitation>) -> ApiResult<Json<Accepted>> {
    // The database logs the new membership with it (the joining person may not yet satisfy the
    // tenant's sign-in rules, so nothing more is done here as a member).
    let mut tx = caller.tx().await?;
    let tenant = invitations::accept(&mut tx, &input.token).await?;
    tx.commit().await?;
    Ok(Json(Accepted {
        tenant_id: *tenant.as_uuid(),
    }))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(revoke))
        .routes(routes!(accept))
}
