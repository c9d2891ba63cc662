//! The page a magic link opens. Opening it signs nobody in (mail scanners and link previews fetch
//! links); the button posts the token back from this browser, which holds the nonce cookie.
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use palisade_auth::browser_session::{BrowserSession, NONCE_COOKIE};
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::sessions::{ClientKind, Origin};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{self, message, render, sign_in_unavailable};
use crate::cross_site;
use crate::extract::{ClientIp, RequestId};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "magic_link.html")]
struct Landing<'a> {
    token: &'a str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenForm {
    token: String,
}

fn bad_link() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "This sign-in link does not work",
        "It is incomplete, expired or already used, or it was opened in another browser than the one \
         where you asked for it. Ask for a new link.",
    )
}

fn token_from(text: &str) -> Option<String> {
    let form: TokenForm = serde_urlencoded::from_str(text).ok()?;
    OpaqueSecret::parse(&form.token).map(|_| form.token)
}

/// The landing page: a button that finishes signing in.
#[utoipa::path(get, path = "/auth/magic-link", tag = "web", params(("token" = String, Query)),
    responses((status = 200, description = "HTML page"), (status = 400, description = "HTML page")))]
pub async fn landing(uri: Uri) -> Response {
    match token_from(uri.query().unwrap_or("")) {
        Some(token) => render(StatusCode::OK, &Landing { token: &token }),
        None => bad_link(),
    }
}

/// The landing page's form: consumes the link and sets the session cookie.
#[utoipa::path(post, path = "/auth/magic-link", tag = "web",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "HTML page"), (status = 400, description = "HTML page"),
              (status = 415, description = "HTML page")))]
pub async fn finish(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !super::session::is_form(&headers) {
        return message(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "This sign-in link does not work",
            "Sign in from the page the link opens.",
        );
    }
    let Some(token) = std::str::from_utf8(&body).ok().and_then(token_from) else {
        return bad_link();
    };
    let nonce = cross_site::cookie(&headers, NONCE_COOKIE);
    let origin = Origin {
        user_agent: crate::sign_in::session_start::user_agent(&headers),
        client_ip: ip.0,
    };
    let secret = OpaqueSecret::generate();
    let signed_in = match crate::sign_in::magic_link::consume(
        &state,
        correlation,
        &token,
        nonce.as_deref(),
        ClientKind::Browser,
        &secret,
        &origin,
    )
    .await
    {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) => return bad_link(),
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            return message(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts",
                "Wait a while, then ask for a new link.",
            )
        }
        Err(_) => return sign_in_unavailable(),
    };
    let session = BrowserSession {
        session_id: signed_in.session_id,
        user_id: signed_in.user_id,
        secret,
    };
    page::signed_in(&state, &session)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(landing, finish))
}
