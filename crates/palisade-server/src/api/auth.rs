//! Sign-in by email magic link, API sessions (refresh-token rotation), the current session and
//! sign-out. Responses never say whether an address has an account.
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use cookie::SameSite;
use palisade_auth::browser::{BrowserSession, NONCE_COOKIE, SESSION_COOKIE};
use palisade_auth::OpaqueSecret;
use palisade_core::sessions::{self, ClientKind, Origin, Refreshed, SignedIn};
use palisade_mail::Mail;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::browser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, Caller, ClientIp, RequestId};
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MagicLinkRequest {
    pub email: String,
    #[serde(default)]
    pub client: ClientType,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MagicLinkRequested {
    /// Always `sent`, whether or not the address has an account.
    pub status: &'static str,
    /// API clients only: send it back with the token from the email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsumeMagicLink {
    /// The token from the email link.
    pub token: String,
    /// API clients: the nonce the request returned. Browsers send the nonce cookie instead.
    #[serde(default)]
    pub nonce: Option<String>,
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
fn presented_hash(text: Option<&str>) -> [u8; 32] {
    text.and_then(OpaqueSecret::parse)
        .map(|s| s.hash())
        .unwrap_or([0; 32])
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Ask for a sign-in link by email. The answer is the same whether or not the address has an
/// account; the link (valid for `auth.magic_link_minutes`, once, in the asking browser only) is
/// mailed when it does.
#[utoipa::path(post, path = "/api/v1/auth/magic-link", tag = "auth", request_body = MagicLinkRequest,
    responses((status = 202, body = MagicLinkRequested), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn request_magic_link(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<MagicLinkRequest>,
) -> ApiResult<Response> {
    let email = sessions::email(&input.email)?;
    state.sign_in_limits.sign_in_from(ip.0).await?;
    state.sign_in_limits.magic_link_for(&email).await?;
    // A browser keeps its nonce across requests, so each link it asked for stays usable in it.
    let existing = match input.client {
        ClientType::Browser => browser::cookie(&headers, NONCE_COOKIE).and_then(|v| OpaqueSecret::parse(&v)),
        ClientType::Api => None,
    };
    let nonce = existing.unwrap_or_else(OpaqueSecret::generate);
    // Recorded and mailed after the answer: the answer takes as long, and says the same, whether or
    // not the address has an account.
    record_and_send(state.clone(), correlation, email, nonce.hash());
    let body = MagicLinkRequested {
        status: "sent",
        nonce: (input.client == ClientType::Api).then(|| nonce.expose()),
    };
    let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
    if input.client == ClientType::Browser {
        let cookie = browser::set_cookie(
            NONCE_COOKIE,
            &nonce.expose(),
            secs(state.sessions.magic_link).max(60),
            SameSite::Strict,
        );
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Records a link (when the address may have one) and mails it, off the request path. A failure is
/// logged (without the address); the person asks again.
fn record_and_send(
    state: AppState,
    correlation: palisade_db::CorrelationId,
    email: String,
    nonce_hash: [u8; 32],
) {
    tokio::spawn(async move {
        let token = OpaqueSecret::generate();
        let recorded = async {
            let db = state.db.correlated(correlation);
            let mut tx = db.auth().await?;
            let recorded = sessions::request_magic_link(
                &mut tx,
                &email,
                &token.hash(),
                &nonce_hash,
                state.clock.now(),
                state.sessions.magic_link,
                state.sessions.open_signup,
            )
            .await?;
            tx.commit().await?;
            Ok::<_, ApiError>(recorded)
        }
        .await;
        match recorded {
            Ok(true) => send_link(&state, &email, &token).await,
            Ok(false) => {}
            Err(e) => tracing::error!(code = e.code, "a magic link could not be recorded"),
        }
    });
}

async fn send_link(state: &AppState, email: &str, token: &OpaqueSecret) {
    let link = format!(
        "{}/auth/magic-link?token={}",
        state.public_url.trim_end_matches('/'),
        token.expose()
    );
    let minutes = state.sessions.magic_link.as_secs() / 60;
    if state.log_sign_in_links {
        // Development only (mail goes to a local directory): production refuses that transport.
        tracing::warn!(%link, "development sign-in link (also in the local mailbox)");
    }
    let mail = Mail {
        to: vec![email.to_owned()],
        subject: "Your Palisade sign-in link".into(),
        text: format!(
            "Sign in to Palisade with this link. It works once, for {minutes} minutes, in the browser \
             where you asked for it:\r\n\r\n{link}\r\n\r\nIf you did not ask to sign in, ignore this email.\r\n"
        ),
        idempotency_key: None,
    };
    if let Err(e) = state.mailer.send(&mail).await {
        tracing::error!(error = %e, "a sign-in link could not be sent");
    }
}

/// The shared part of the JSON and form consumption: returns the session, or `None` for any failure.
pub(crate) async fn consume(
    state: &AppState,
    correlation: palisade_db::CorrelationId,
    token: &str,
    nonce: Option<&str>,
    kind: ClientKind,
    secret: &OpaqueSecret,
    origin: &Origin,
) -> Result<Option<SignedIn>, ApiError> {
    state.sign_in_limits.sign_in_from(origin.client_ip).await?;
    let db = state.db.correlated(correlation);
    let mut tx = db.auth().await?;
    let signed_in = sessions::consume_magic_link(
        &mut tx,
        &presented_hash(Some(token)),
        &presented_hash(nonce),
        kind,
        &secret.hash(),
        state.clock.now(),
        state.sessions.absolute,
        origin,
    )
    .await?;
    tx.commit().await?;
    Ok(signed_in)
}

/// The `Set-Cookie` value of a new browser session.
pub(crate) fn session_cookie(state: &AppState, session: &BrowserSession) -> HeaderValue {
    browser::set_cookie(
        SESSION_COOKIE,
        &session.encode(),
        secs(state.sessions.absolute),
        SameSite::Lax,
    )
}

/// Exchange the emailed token for a session: browsers (nonce cookie) get the session cookie and a
/// CSRF token, API clients (nonce in the body) an access and a refresh token.
#[utoipa::path(post, path = "/api/v1/auth/magic-link/consume", tag = "auth", request_body = ConsumeMagicLink,
    responses((status = 200, body = BrowserSignedIn), (status = 200, body = TokenPair),
              (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn consume_magic_link(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ConsumeMagicLink>,
) -> ApiResult<Response> {
    let origin = Origin {
        user_agent: user_agent(&headers),
        client_ip: ip.0,
    };
    let secret = OpaqueSecret::generate();
    let (kind, nonce) = match input.nonce {
        Some(nonce) => (ClientKind::Api, Some(nonce)),
        None => (ClientKind::Browser, browser::cookie(&headers, NONCE_COOKIE)),
    };
    let signed_in = consume(
        &state,
        correlation,
        &input.token,
        nonce.as_deref(),
        kind,
        &secret,
        &origin,
    )
    .await?
    .ok_or_else(sign_in_failed)?;
    signed_in_response(&state, signed_in, kind, secret)
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

fn token_pair(state: &AppState, signed_in: SignedIn, refresh: &OpaqueSecret) -> Result<TokenPair, ApiError> {
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
pub async fn logout(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    caller: Caller,
) -> ApiResult<Response> {
    let session = caller.session()?;
    let db = state.db.correlated(correlation);
    let mut tx = db.auth().await?;
    sessions::sign_out(
        &mut tx,
        session.session_id,
        caller.user_id(),
        session.secret_hash,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, browser::clear_cookie(SESSION_COOKIE));
    Ok(response)
}
