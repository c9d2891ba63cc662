//! The assistant on a lead's page: draft a follow-up (it opens in the draft editor, to review, edit
//! and send), and resume auto-replies in a conversation the assistant handed to a person.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use palisade_ai::drafting::{self, DraftAsk};
use palisade_core::ai::conversations;
use palisade_core::private::drafts::DraftChannel;
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::session::{FormPost, NoFields};

#[derive(Deserialize)]
pub struct AiDraftForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    instructions: String,
}

fn channel(value: &str) -> Result<DraftChannel, PageError> {
    match value {
        "sms" => Ok(DraftChannel::Sms),
        "whatsapp" => Ok(DraftChannel::Whatsapp),
        "email" => Ok(DraftChannel::Email),
        _ => Err(PageError::BadRequest("Choose SMS, WhatsApp or email.".into())),
    }
}

/// Asks the assistant for a draft, as `POST /api/v1/leads/{id}/ai-draft` does, and opens it.
pub async fn ai_draft(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<AiDraftForm>,
) -> PageResult {
    let (tenant, lead) = (path_id(&tenant)?, path_id(&lead)?);
    let ask = DraftAsk {
        lead_id: lead,
        channel: channel(&post.form.channel)?,
        instructions: Some(post.form.instructions.trim().to_owned()).filter(|i| !i.is_empty()),
    };
    let id = palisade_db::TenantId::from_uuid(tenant);
    let tx = post.visitor.tx_in(id).await?;
    let me = post.visitor.caller().user_id();
    let draft = drafting::draft_follow_up(&state.assistant, &state.db, tx, id, me, &ask)
        .await
        .map_err(ApiError::from)?;
    Ok(Redirect::to(&format!("/t/{tenant}/drafts/{}?done=ai", draft.id)).into_response())
}

/// Resumes auto-replies in one of the lead's held conversations (recorded as the visitor).
pub async fn resume(
    Path((tenant, lead, channel)): Path<(String, String, String)>,
    post: FormPost<NoFields>,
) -> PageResult {
    let (tenant, lead) = (path_id(&tenant)?, path_id(&lead)?);
    let channel = match channel.as_str() {
        "sms" | "whatsapp" => channel,
        _ => return Err(PageError::NotFound),
    };
    let id = palisade_db::TenantId::from_uuid(tenant);
    let mut tx = post.visitor.tx_in(id).await?;
    let me = post.visitor.caller().user_id();
    conversations::release(&mut tx, id, me, lead, &channel).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{tenant}/leads/{lead}?done=resumed")).into_response())
}
