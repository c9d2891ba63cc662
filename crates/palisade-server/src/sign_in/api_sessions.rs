//! API sessions after sign-in: refresh-token rotation, the current session and sign-out.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use palisade_auth::browser_session::SESSION_COOKIE;
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::sessions::{self, Refreshed};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::session_start::{presented_hash, token_pair, TokenPair};
use crate::cross_site;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, Caller, ClientIp, RequestId};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentSession {
    pub user_id: Uuid,
    pub session_id: Uuid,
    /// `active`, or `mfa_pending` until the second factor is verified (POST /api/v1/auth/mfa).
    pub state: &'static str,
    pub expires_at: DateTime<Utc>,
    /// Browser sessions: the token to send as `X-CSRF-Token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// Trade a refresh token for a new access token and a new refresh token. Each refresh token works
/// once; presenting a used one ends the session and every token of it.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    ApiJson(input): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    // Not counted against the per-address sign-in limit: a refresh token is 256 random bits (nothing
    // to guess), and clients behind one proxy refresh every quarter hour.
    let next = OpaqueSecret::generate();
    let db = state.db.correlated(correlation);
    let mut tx = db.auth().await?;
    let outcome = sessions::refresh(
        &mut tx,
        &presented_hash(Some(&input.refresh_token)),
        &next.hash(),
        state.clock.now(),
        state.sessions.idle,
        ip.0,
    )
    .await?;
    // Committed whatever the outcome: a reuse must end the family for good.
    tx.commit().await?;
    match outcome {
        Refreshed::Rotated(signed_in) => Ok(Json(token_pair(&state, signed_in, &next)?)),
        Refreshed::Reused => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "refresh_token_reused",
            "this refresh token was already used; the session has been ended, sign in again",
        )),
        Refreshed::Ended => Err(palisade_core::CoreError::SessionEnded.into()),
        Refreshed::Invalid => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_refresh_token",
            "the refresh token is not valid",
        )),
    }
}

/// The session this request came with — also while it waits for its second factor — and, for
/// browsers, the CSRF token its writes need.
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = CurrentSession), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn current(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    caller: Caller,
) -> ApiResult<Json<CurrentSession>> {
    let session = caller.session()?;
    let db = state.db.correlated(correlation);
    let mut tx = db.auth().await?;
    let found = sessions::state(
        &mut tx,
        session.session_id,
        caller.user_id(),
        session.secret_hash,
        state.clock.now(),
        state.sessions.idle,
    )
    .await?;
    tx.commit().await?;
    let (active, expires_at) = found.ok_or(palisade_core::CoreError::SessionEnded)?;
    Ok(Json(CurrentSession {
        user_id: *caller.user_id().as_uuid(),
        session_id: session.session_id,
        state: if active { "active" } else { "mfa_pending" },
        expires_at,
        csrf_token: caller.browser_session().map(|b| state.csrf.token_for(b)),
    }))
}

/// Sign out: ends this session on the server (also one still waiting for its second factor) and
/// clears the cookie. Signing out of a session that is already over is not an error.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    end_session(&state, &caller).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(SESSION_COOKIE));
    Ok(response)
}

/// Ends the caller's session on the server (the API's and the pages' sign-out).
pub(crate) async fn end_session(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    let session = caller.session()?;
    let mut tx = state.db.correlated(caller.correlation_id()).auth().await?;
    sessions::sign_out(
        &mut tx,
        session.session_id,
        caller.user_id(),
        session.secret_hash,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(refresh))
        .routes(routes!(current))
        .routes(routes!(logout))
}
