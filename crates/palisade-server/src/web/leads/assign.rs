//! Assigning a lead to another member (managers and admins), as `PATCH /api/v1/leads/{id}` with
//! `owner_id` does: the database checks that the new owner is an active member of the workspace.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm::leads::{self, LeadPatch, Phones};
use palisade_db::{LeadId, TenantRole};
use serde::Deserialize;
use uuid::Uuid;

use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::session::FormPost;
use crate::web::shell;

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    owner: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<AssignForm>,
) -> PageResult {
    let lead = path_id(&lead)?;
    let owner: Uuid = post
        .form
        .owner
        .parse()
        .map_err(|_| PageError::BadRequest("Choose who the lead goes to.".into()))?;
    let refusal = "Assigning leads is for managers and admins.";
    let (mut tx, _, id) =
        shell::enter_as(&post.visitor, &tenant, "leads", TenantRole::Manager, refusal).await?;
    let patch = LeadPatch {
        owner_id: Some(owner),
        ..LeadPatch::default()
    };
    let keys = state.phone_keys();
    leads::update_with(&mut tx, id, LeadId::from_uuid(lead), &patch, keys, Phones::Masked).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/leads/{lead}?done=assigned")).into_response())
}
