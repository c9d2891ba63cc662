//! Follow-up drafts from the assistant, and sending a draft.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_ai::drafting::{self, DraftAsk};
use palisade_ai::Vault;
use palisade_core::messaging::outbound::Message;
use palisade_core::messaging::Purpose;
use palisade_core::private::drafts::{self, Draft, DraftChannel};
use palisade_core::CoreError;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Member};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    pub channel: DraftChannel,
    /// What the message should do ("propose a call on Tuesday"), up to 1000 characters.
    #[schema(max_length = 1000)]
    pub instructions: Option<String>,
}

/// Ask the assistant for a follow-up to a lead you can see. It writes from the lead's latest
/// interactions and, if you opted in to voice drafting, your reference messages; personal data is
/// masked before anything leaves, and what it writes becomes one of your drafts (`source: ai`),
/// visible to you alone, to review, edit and send. Waits for the model (up to the server's deadline).
#[utoipa::path(post, path = "/api/v1/leads/{id}/ai-draft", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = DraftRequest,
    responses((status = 201, body = Draft), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "ai_not_configured, ai_endpoint_not_allowed or ai_feature_off"),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "ai_budget_exhausted, with Retry-After"),
        (status = 502, body = ErrorBody, description = "ai_rejected or ai_bad_output"),
        (status = 503, body = ErrorBody, description = "ai_unavailable"),
        (status = 504, body = ErrorBody, description = "ai_timeout")))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiPath(lead_id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DraftRequest>,
) -> ApiResult<(StatusCode, Json<Draft>)> {
    let ask = DraftAsk {
        lead_id,
        channel: input.channel,
        instructions: input.instructions,
    };
    let tx = member.tx().await?;
    let draft =
        drafting::draft_follow_up(&state.assistant, &state.db, tx, member.tenant, member.user, &ask).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendDraft {
    /// What the message is for: the lead's consent for it on the draft's channel is checked.
    pub purpose: Purpose,
}

/// Send one of your drafts to its lead: queued through the outbox like any message (the consent
/// check and STOP apply; refused, the draft is kept), then deleted. A draft whose content cannot go
/// as it is — a placeholder such as `[CARD_1]` left in it (`draft_has_placeholder`), no lead
/// (`draft_without_lead`), a subject on an SMS — is `409`: edit the draft, then send it.
#[utoipa::path(post, path = "/api/v1/me/drafts/{id}/send", tag = "me", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = SendDraft,
    responses((status = 201, body = Message), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`consent_required`, or the draft cannot go as it is"),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    member: Member,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SendDraft>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let mut tx = member.tx().await?;
    let draft: Draft = palisade_core::private::get(&mut tx, member.tenant, member.user, id).await?;
    if Vault::holds_placeholder(&draft.body) || draft.subject.as_deref().is_some_and(Vault::holds_placeholder)
    {
        return Err(CoreError::mismatch(
            "draft_has_placeholder",
            "the draft still holds a placeholder such as [CARD_1] or [EMAIL_2]: replace it before sending",
        )
        .into());
    }
    let message = drafts::send(&mut tx, member.tenant, member.user, id, input.purpose)
        .await
        .map_err(|e| match e {
            // The request is well formed; the stored draft is what does not fit.
            CoreError::Invalid { code, message } => CoreError::Mismatch { code, message },
            other => other,
        })?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(message)))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create)).routes(routes!(send))
}
