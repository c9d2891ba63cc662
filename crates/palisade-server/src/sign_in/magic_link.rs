//! Sign-in by email magic link. Asking for a link answers the same whether or not the address has an
//! account; the link works once, in the browser (or API client) that asked for it.
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cookie::SameSite;
use palisade_auth::browser_session::NONCE_COOKIE;
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::sessions::{self, ClientKind, Origin, SignedIn};
use palisade_db::Email;
use palisade_mail::Mail;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session_start::{
    presented_hash, secs, sign_in_failed, signed_in_response, user_agent, BrowserSignedIn, ClientType,
    TokenPair,
};
use crate::cross_site;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ClientIp, RequestId};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MagicLinkRequest {
    #[schema(max_length = 320, format = "email")]
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
    let browser = input.client == ClientType::Browser;
    let nonce = start(&state, correlation, ip, &headers, &input.email, browser).await?;
    let body = MagicLinkRequested {
        status: "sent",
        nonce: (!browser).then(|| nonce.expose()),
    };
    let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
    if browser {
        response
            .headers_mut()
            .append(header::SET_COOKIE, nonce_cookie(&state, &nonce));
    }
    Ok(response)
}

/// Checks the address and the limits, then records and mails a link off the request path; returns
/// the nonce the link will need (a browser keeps the one it has, so each link it asked for stays
/// usable in it).
pub(crate) async fn start(
    state: &AppState,
    correlation: palisade_db::CorrelationId,
    ip: ClientIp,
    headers: &HeaderMap,
    email: &str,
    browser: bool,
) -> Result<OpaqueSecret, ApiError> {
    let email = sessions::email(email)?;
    state.sign_in_limits.sign_in_from(ip.0).await?;
    state.sign_in_limits.magic_link_for(email.as_str()).await?;
    let existing = browser
        .then(|| cross_site::cookie(headers, NONCE_COOKIE).and_then(|v| OpaqueSecret::parse(&v)))
        .flatten();
    let nonce = existing.unwrap_or_else(OpaqueSecret::generate);
    // Recorded and mailed after the answer: the answer takes as long, and says the same, whether or
    // not the address has an account.
    record_and_send(state.clone(), correlation, email, nonce.hash());
    Ok(nonce)
}

/// The browser's nonce cookie, which the link needs (strict: only our own pages send it).
pub(crate) fn nonce_cookie(state: &AppState, nonce: &OpaqueSecret) -> axum::http::HeaderValue {
    cross_site::set_cookie(
        NONCE_COOKIE,
        &nonce.expose(),
        secs(state.sessions.magic_link).max(60),
        SameSite::Strict,
    )
}

/// Records a link (when the address may have one) and mails it, off the request path. A failure is
/// logged (without the address); the person asks again.
fn record_and_send(
    state: AppState,
    correlation: palisade_db::CorrelationId,
    email: Email,
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
            Ok(true) => send_link(&state, email.as_str(), &token).await,
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
        None => (ClientKind::Browser, cross_site::cookie(&headers, NONCE_COOKIE)),
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

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_magic_link))
        .routes(routes!(consume_magic_link))
}
