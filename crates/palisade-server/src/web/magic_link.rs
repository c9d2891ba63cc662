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

/// The landing page's form, as the document describes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MagicLinkForm {
    /// The token of the link: 32 bytes in URL-safe base64 without padding (43 characters).
    #[schema(pattern = "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$")]
    token: String,
}

/// The link is not one: malformed, or a form with something else in it.
fn bad_link() -> Response {
    link_refused(StatusCode::BAD_REQUEST)
}

/// A well-formed link that does not sign anyone in (unknown, expired, used, another browser's).
fn spent_link() -> Response {
    link_refused(StatusCode::UNAUTHORIZED)
}

fn link_refused(status: StatusCode) -> Response {
    message(
        status,
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
#[utoipa::path(get, path = "/auth/magic-link", tag = "web",
    params(("token" = String, Query, pattern = "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$")),
    responses((status = 200, description = "A page whose button finishes signing in (nothing is used yet)",
                  content_type = "text/html"),
              (status = 400, description = "A page: the link is malformed", content_type = "text/html")))]
pub async fn landing(uri: Uri) -> Response {
    match token_from(uri.query().unwrap_or("")) {
        Some(token) => render(StatusCode::OK, &Landing { token: &token }),
        None => bad_link(),
    }
}

/// The landing page's form: consumes the link and sets the session cookie.
#[utoipa::path(post, path = "/auth/magic-link", tag = "web",
    request_body(content = MagicLinkForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Signed in: the session cookie is set, on to `/app`"),
              (status = 400, description = "A page: the form is malformed", content_type = "text/html"),
              (status = 401, description = "A page: the link is unknown, expired, used, or from another \
                  browser", content_type = "text/html"),
              (status = 415, description = "A page: not a form", content_type = "text/html"),
              (status = 429, description = "A page: too many attempts", content_type = "text/html"),
              (status = 503, description = "A page: sign-in is unavailable", content_type = "text/html")))]
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
        Ok(None) => return spent_link(),
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
