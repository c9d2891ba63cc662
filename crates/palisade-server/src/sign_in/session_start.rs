//! What every way of signing in ends with: the answer that starts a session — the session cookie and
//! CSRF token for a browser, an access and refresh token pair for an API client — and the helpers the
//! sign-in routes share. Failures all look alike, so no answer says whether an account exists.
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use cookie::SameSite;
use palisade_auth::browser_session::{BrowserSession, SESSION_COOKIE};
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::sessions::{ClientKind, SignedIn};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::cross_site;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClientType {
    /// A browser: the nonce goes into a cookie, the session into a `__Host-` cookie.
    #[default]
    Browser,
    /// An API client: the nonce comes back in the body; the session is an access token plus a
    /// rotating refresh token.
    Api,
}

/// A browser session started: the cookie is set; keep the CSRF token for state-changing requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrowserSignedIn {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub expires_at: DateTime<Utc>,
    /// Send as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE.
    pub csrf_token: String,
}

/// An API session started or refreshed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub token_type: &'static str,
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Single use: each refresh returns a new one. Presenting a used one ends the session.
    pub refresh_token: String,
    pub user_id: Uuid,
    pub session_id: Uuid,
}

pub(crate) fn sign_in_failed() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "sign_in_failed",
        "this sign-in link is invalid, expired or already used, or was requested from another browser; \
         ask for a new one",
    )
}

pub(crate) fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_default()
}

/// Hash of a client-supplied secret; anything malformed becomes a hash nothing matches, so every
/// attempt takes the same path through the database (and is logged there).
pub(super) fn presented_hash(text: Option<&str>) -> [u8; 32] {
    text.and_then(OpaqueSecret::parse)
        .map(|s| s.hash())
        .unwrap_or([0; 32])
}

pub(super) fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The `Set-Cookie` value of a new browser session.
pub(crate) fn session_cookie(state: &AppState, session: &BrowserSession) -> HeaderValue {
    cross_site::set_cookie(
        SESSION_COOKIE,
        &session.encode(),
        secs(state.sessions.absolute),
        SameSite::Lax,
    )
}

/// The answer to a successful sign-in: for a browser the session cookie and a CSRF token, for an
/// API client an access token and the refresh token (`secret`).
pub(crate) fn signed_in_response(
    state: &AppState,
    signed_in: SignedIn,
    kind: ClientKind,
    secret: OpaqueSecret,
) -> ApiResult<Response> {
    if kind == ClientKind::Api {
        return Ok(Json(token_pair(state, signed_in, &secret)?).into_response());
    }
    let session = BrowserSession {
        session_id: signed_in.session_id,
        user_id: signed_in.user_id,
        secret,
    };
    let body = BrowserSignedIn {
        user_id: *signed_in.user_id.as_uuid(),
        session_id: signed_in.session_id,
        expires_at: state.clock.now() + chrono::Duration::seconds(secs(state.sessions.absolute)),
        csrf_token: state.csrf.token_for(&session),
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(state, &session));
    Ok(response)
}

pub(super) fn token_pair(
    state: &AppState,
    signed_in: SignedIn,
    refresh: &OpaqueSecret,
) -> Result<TokenPair, ApiError> {
    let access_token = state
        .keys
        .mint_for_session(
            signed_in.user_id,
            signed_in.session_id,
            state.clock.now(),
            state.sessions.access_token,
        )
        .map_err(|e| {
            tracing::error!(error = %e, "minting an access token failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "an internal error occurred",
            )
        })?;
    Ok(TokenPair {
        token_type: "Bearer",
        access_token,
        expires_in: state.sessions.access_token.as_secs(),
        refresh_token: refresh.expose(),
        user_id: *signed_in.user_id.as_uuid(),
        session_id: signed_in.session_id,
    })
}
