//! The one HTTP error type. Every failure becomes `{"error":{"code","message","details"}}` with a
//! stable code; 5xx details are logged (codes only, no values) and never returned.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_core::CoreError;
use palisade_db::DbError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<serde_json::Value>,
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable.
    pub code: String,
    /// For people; may change.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    /// Adds `Retry-After` (seconds) to the response (429, 503).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    pub fn unauthenticated(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    pub fn forbidden(message: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred",
        )
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        match err {
            CoreError::NotFound => Self::not_found(),
            CoreError::NotMember => Self::new(
                StatusCode::FORBIDDEN,
                "not_a_member",
                "you are not an active member of this tenant",
            ),
            CoreError::SessionEnded => Self::new(
                StatusCode::UNAUTHORIZED,
                "session_ended",
                "your session has ended or expired; sign in again",
            ),
            CoreError::MfaPending => Self::new(
                StatusCode::UNAUTHORIZED,
                "mfa_pending",
                "verify your second factor first: POST /api/v1/auth/mfa with a code from your authenticator app",
            ),
            CoreError::MfaRequired => Self::new(
                StatusCode::FORBIDDEN,
                "mfa_required",
                "this tenant requires managers and admins to use a second factor: set one up under \
                 /api/v1/me/mfa/totp, or verify it with POST /api/v1/auth/mfa",
            ),
            CoreError::Forbidden(message) => Self::forbidden(message),
            CoreError::Refused { code, message } => Self::new(StatusCode::FORBIDDEN, code, message),
            CoreError::Conflict { code, message } => Self::new(StatusCode::CONFLICT, code, message),
            CoreError::ConsentRequired { reason } => Self::new(
                StatusCode::CONFLICT,
                "consent_required",
                "the recipient has no active opt-in for this channel and purpose, or asked not to be \
                 contacted on this address",
            )
            .with_details(serde_json::json!({ "reason": reason })),
            CoreError::Throttled {
                code,
                message,
                retry_after_secs,
            } => Self::new(StatusCode::TOO_MANY_REQUESTS, code, message).with_retry_after(retry_after_secs),
            CoreError::Mismatch { code, message } => Self::new(StatusCode::CONFLICT, code, message),
            CoreError::Unknown { code, message } => Self::new(StatusCode::NOT_FOUND, code, message),
            CoreError::Invalid { code, message } => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            CoreError::Db(DbError::Unavailable(reason)) => {
                tracing::error!(%reason, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the service is temporarily unavailable",
                )
            }
            CoreError::Sealed(reason) => {
                // The reason names a key id or the failure kind, never a value.
                tracing::error!(%reason, "a sealed value did not open");
                Self::internal()
            }
            CoreError::Db(other) => {
                // DbError's Display carries SQLSTATE and constraint names only, never values.
                tracing::error!(error = %other, "database error");
                Self::internal()
            }
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        CoreError::from(err).into()
    }
}

/// The error code of a response, for the observation layer (error events name it).
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code;
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
                details: self.details,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        response.extensions_mut().insert(ErrorCode(code));
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Turns a deserializer message into one that never echoes the client's values: field names from our
/// schema are kept, the value the client sent is not.
pub fn scrub_serde_message(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let keeps_name = ["unknown field", "missing field", "duplicate field"]
        .iter()
        .any(|p| message.starts_with(p));
    if keeps_name {
        let head = message.split(", expected").next().unwrap_or(message);
        if head.len() <= 100 && head.chars().all(|c| !c.is_control()) {
            return head.to_owned();
        }
        return "unknown or missing field".to_owned();
    }
    match message.find(", expected") {
        Some(i) if message[i..].len() <= 300 => format!("invalid value{}", &message[i..]),
        _ => "invalid value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_keeps_field_names_and_drops_values() {
        assert_eq!(
            scrub_serde_message(
                "unknown field `tenant_id`, expected one of `name`, `email` at line 1 column 12"
            ),
            "unknown field `tenant_id`"
        );
        let m =
            scrub_serde_message("invalid type: string \"+15551234567\", expected i64 at line 1 column 30");
        assert!(!m.contains("5551234567"), "{m}");
        assert_eq!(m, "invalid value, expected i64");
        let m = scrub_serde_message("unknown variant `secret-stage`, expected one of `prospect`, `won`");
        assert!(!m.contains("secret-stage"));
    }
}
