//! Inviting someone (the only way anyone joins a workspace) and revoking an invitation, from the
//! members page. The token goes only into the email, as through the API.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::membership::invitations::{self, NewInvitation};
use palisade_core::CoreError;
use palisade_db::TenantRole;

use super::members::{render, View};
use super::{as_admin, InviteErrors, InviteForm};
use crate::admin::invitations::invite;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::session::{FormPost, NoFields};

/// The form's role, or what to fix next to the field.
fn parse(form: &InviteForm) -> Result<NewInvitation, InviteErrors> {
    let role = TenantRole::parse(&form.role);
    let email = form.email.trim();
    let errors = InviteErrors {
        email: email
            .is_empty()
            .then(|| "Enter the address to invite.".to_owned()),
        role: role.is_none().then_some("Choose a role."),
    };
    match role {
        Some(role) if errors.email.is_none() => Ok(NewInvitation {
            email: email.to_owned(),
            role,
        }),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<InviteForm>,
) -> PageResult {
    let input = match parse(&post.form) {
        Ok(input) => input,
        Err(errors) => return refused(post, &tenant, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let (mut tx, _, id) = as_admin(&post.visitor, &tenant).await?;
    match invite(&state, &mut tx, id, &input).await {
        Ok(_) => tx.commit().await?,
        // A bad address, or someone already here: said next to the address.
        Err(e) if matches!(e.status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY) => {
            drop(tx);
            let errors = InviteErrors {
                email: Some(e.message),
                ..InviteErrors::default()
            };
            return refused(post, &tenant, errors, None, e.status).await;
        }
        Err(e) if e.status == StatusCode::SERVICE_UNAVAILABLE => {
            drop(tx);
            let why =
                "The invitation email could not be sent, so nothing was created. Try again in a moment.";
            return refused(post, &tenant, InviteErrors::default(), Some(why), e.status).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/members?done=invited")).into_response())
}

/// The members page again with what was typed and what to fix.
async fn refused(
    post: FormPost<InviteForm>,
    tenant: &str,
    errors: InviteErrors,
    problem: Option<&str>,
    status: StatusCode,
) -> PageResult {
    let view = View {
        form: post.form,
        errors,
        problem: problem.map(str::to_owned),
        ..View::default()
    };
    render(&post.visitor, tenant, view, status).await
}

pub async fn revoke(
    Path((tenant, invitation)): Path<(String, String)>,
    post: FormPost<NoFields>,
) -> PageResult {
    let invitation = path_id(&invitation)?;
    let (mut tx, _, id) = as_admin(&post.visitor, &tenant).await?;
    match invitations::revoke(&mut tx, id, invitation).await {
        Ok(()) => tx.commit().await?,
        Err(CoreError::NotFound) => {
            return Err(PageError::NotFoundBecause(
                "This invitation is no longer pending: it was used, revoked or never existed.",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/members?done=revoked")).into_response())
}
