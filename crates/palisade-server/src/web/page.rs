//! Rendering a template into a response, and the pages sign-in flows share. Pages are never cached and never send a referrer (the
//! landing page's URL holds a sign-in token).
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message<'a> {
    pub title: &'a str,
    pub message: &'a str,
}

pub fn render(status: StatusCode, page: &impl Template) -> Response {
    let mut response = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><p>Something went wrong.</p>"),
            )
                .into_response()
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn message(status: StatusCode, title: &str, message: &str) -> Response {
    render(status, &Message { title, message })
}

/// The page a browser sign-in ends on, setting the new session's cookie.
pub fn signed_in(
    state: &crate::state::AppState,
    session: &palisade_auth::browser_session::BrowserSession,
) -> Response {
    let mut response = message(
        StatusCode::OK,
        "You are signed in",
        "You can close this page and return to Palisade.",
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::sign_in::session_start::session_cookie(state, session),
    );
    response
}

/// The database or a provider could not be reached: nothing was decided, try again.
pub fn sign_in_unavailable() -> Response {
    message(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sign-in is unavailable",
        "Please try again in a moment.",
    )
}

/// A sign-in refused by the rate limiter: `429` with `Retry-After` when over the limit, `503` when
/// the shared limiter cannot be asked (sign-in fails closed).
pub fn sign_in_limited(limited: crate::sign_in::limits::Limited) -> Response {
    let e = crate::error::ApiError::from(limited);
    let mut response = if e.status == StatusCode::TOO_MANY_REQUESTS {
        message(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            "Wait a while, then sign in again.",
        )
    } else {
        sign_in_unavailable()
    };
    if let Some(secs) = e.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}
