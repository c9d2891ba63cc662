//! The sign-in page: ask for a magic link (or pick an OpenID Connect provider), then "check your
//! email". The answer is the same whether or not the address has an account.
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use palisade_auth::browser_session::SESSION_COOKIE;
use serde::Deserialize;

use super::error::PageError;
use super::page::render_app;
use crate::cross_site;
use crate::extract::{ClientIp, RequestId};
use crate::sign_in::magic_link;
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

fn page(state: &AppState, status: StatusCode, email: String, error: Option<String>) -> Response {
    let providers = state
        .oidc
        .list()
        .map(|p| Provider {
            id: p.id.to_owned(),
            name: p.display_name.to_owned(),
        })
        .collect();
    render_app(
        status,
        &SignIn {
            email,
            error,
            providers,
        },
    )
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

async fn ask(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    cross_site::check_origin(&headers, &state.origins)?;
    if !super::session::is_form(&headers) {
        return Err(PageError::Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Sign in from the sign-in page.".into(),
        ));
    }
    let form: EmailForm = serde_urlencoded::from_bytes(&body)
        .map_err(|_| PageError::BadRequest("the form could not be read".into()))?;
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

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/sign-in", get(show).post(ask))
}
