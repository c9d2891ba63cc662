//! The assistant over HTTP: admins' AI settings and usage, follow-up drafts, the knowledge base, and
//! conversations handed to a person.
mod drafts;
mod holds;
mod knowledge;
mod settings;

use axum::http::StatusCode;
use palisade_ai::{AiError, LlmError};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(settings::router())
        .merge(drafts::router())
        .merge(knowledge::router())
        .merge(holds::router())
}

impl From<AiError> for ApiError {
    fn from(err: AiError) -> Self {
        let status = StatusCode::CONFLICT;
        match err {
            AiError::Core(e) => e.into(),
            AiError::NotConfigured => Self::new(status, "ai_not_configured", err.to_string()),
            AiError::EndpointNotAllowed => Self::new(status, "ai_endpoint_not_allowed", err.to_string()),
            AiError::FeatureOff(_) => Self::new(status, "ai_feature_off", err.to_string()),
            AiError::Llm(LlmError::Timeout) => {
                Self::new(StatusCode::GATEWAY_TIMEOUT, "ai_timeout", err.to_string())
            }
            AiError::Llm(LlmError::Unavailable { .. }) => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "ai_unavailable", err.to_string())
                    .with_retry_after(30)
            }
            AiError::Llm(LlmError::Rejected { .. }) => {
                Self::new(StatusCode::BAD_GATEWAY, "ai_rejected", err.to_string())
            }
            AiError::Llm(LlmError::Declined) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "ai_declined",
                "the language model declined to write this; change what you ask for",
            ),
            AiError::Llm(LlmError::Malformed) | AiError::BadOutput => {
                Self::new(StatusCode::BAD_GATEWAY, "ai_bad_output", err.to_string())
            }
        }
    }
}
