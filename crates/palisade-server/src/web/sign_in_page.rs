//! The sign-in page: ask for a magic link (or pick an OpenID Connect provider), then "check your
//! email"; or, where the deployment allows it, an address and a password. The answer is the same
//! whether or not the address has an account.
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use palisade_auth::browser_session::{BrowserSession, SESSION_COOKIE};
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::sessions::ClientKind;
use secrecy::SecretString;
use serde::Deserialize;

use super::error::PageError;
use super::page::render_app;
use crate::cross_site;
use crate::extract::{ClientIp, RequestId};
use crate::sign_in::magic_link;
use crate::sign_in::password::authenticate;
use crate::state::AppState;

struct Provider {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignIn {
    email: String,
    error: Option<String>,
    providers: Vec<Provider>,
    /// The deployment allows passwords (`auth.password_sign_in`).
    passwords: bool,
    password_error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "check_email.html")]
struct CheckEmail<'a> {
    email: &'a str,
    minutes: u64,
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

fn providers(state: &AppState) -> Vec<Provider> {
    state
        .oidc
        .list()
        .map(|p| Provider {
            id: p.id.to_owned(),
            name: p.display_name.to_owned(),
        })
        .collect()
}

fn page(state: &AppState, status: StatusCode, email: String, error: Option<String>) -> Response {
    let providers = providers(state);
    let passwords = state.sessions.password_sign_in;
    let page = SignIn {
        email,
        error,
        providers,
        passwords,
        password_error: None,
    };
    render_app(status, &page)
}

/// `/`: the app for a signed-in browser, the sign-in page otherwise.
async fn root(headers: HeaderMap) -> Redirect {
    if cross_site::cookie(&headers, SESSION_COOKIE).is_some() {
        Redirect::to("/app")
    } else {
        Redirect::to("/sign-in")
    }
}

async fn show(State(state): State<AppState>) -> Response {
    page(&state, StatusCode::OK, String::new(), None)
}

/// A form posted by someone not yet signed in (so without a session's CSRF token): it must come
/// from one of our pages (its origin), as a form.
fn signed_out_form<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, PageError> {
    cross_site::check_origin(headers, &state.origins)?;
    if !super::session::is_form(headers) {
        return Err(PageError::Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Sign in from the sign-in page.".into(),
        ));
    }
    serde_urlencoded::from_bytes(body).map_err(|_| PageError::BadRequest("the form could not be read".into()))
}

async fn ask(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let form: EmailForm = signed_out_form(&state, &headers, &body)?;
    let email = form.email.trim().to_owned();
    let nonce = match magic_link::start(&state, correlation, ip, &headers, &email, true).await {
        Ok(nonce) => nonce,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let error = Some("Enter an email address, like name@example.com.".to_owned());
            return Ok(page(&state, StatusCode::UNPROCESSABLE_ENTITY, email, error));
        }
        Err(e) => return Err(e.into()),
    };
    let minutes = state.sessions.magic_link.as_secs() / 60;
    let mut response = render_app(
        StatusCode::OK,
        &CheckEmail {
            email: &email,
            minutes,
        },
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, magic_link::nonce_cookie(&state, &nonce));
    Ok(response.into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Signs in with an address and a password, where the deployment allows it. A wrong password and an
/// unknown address get the same answer.
async fn with_password(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let form: PasswordForm = signed_out_form(&state, &headers, &body)?;
    if !state.sessions.password_sign_in {
        return Err(PageError::NotFound);
    }
    let secret = OpaqueSecret::generate();
    let presented = (form.email.trim(), SecretString::from(form.password));
    let refused = match authenticate(
        &state,
        correlation,
        ip,
        &headers,
        presented,
        ClientKind::Browser,
        &secret,
    )
    .await
    {
        Ok(signed_in) => {
            let session = BrowserSession {
                session_id: signed_in.session_id,
                user_id: signed_in.user_id,
                secret,
            };
            return Ok(super::page::signed_in(&state, &session));
        }
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNAUTHORIZED | StatusCode::UNPROCESSABLE_ENTITY
            ) =>
        {
            "The email address or the password is wrong."
        }
        Err(e) => return Err(e.into()),
    };
    let providers = providers(&state);
    let page = SignIn {
        email: form.email.trim().to_owned(),
        error: None,
        providers,
        passwords: true,
        password_error: Some(refused),
    };
    Ok(render_app(StatusCode::UNAUTHORIZED, &page))
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/sign-in", get(show).post(ask))
        .route("/sign-in/password", post(with_password))
}
