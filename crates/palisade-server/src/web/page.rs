//! Rendering a template into a response, and the pages sign-in flows share. Pages are never cached,
//! load nothing but our own stylesheet and script, and send no referrer to other sites.
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message<'a> {
    pub title: &'a str,
    pub message: &'a str,
}

/// What a page may load: our stylesheet and script only (no inline script or style, no other
/// origin), forms posted back here only, never framed.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The magic link's landing page and the sign-in flows' messages: no referrer at all (the landing
/// page's address holds a token; its form needs no origin check, the nonce cookie binds it).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    with_referrer(status, page, "no-referrer")
}

/// A page whose forms the origin check guards (the app, the sign-in form): the referrer goes to this
/// server only. With `no-referrer` a browser sends `Origin: null` with a form, which the check refuses.
pub fn render_app(status: StatusCode, page: &impl Template) -> Response {
    with_referrer(status, page, "same-origin")
}

fn with_referrer(status: StatusCode, page: &impl Template, referrer: &'static str) -> Response {
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
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn message(status: StatusCode, title: &str, message: &str) -> Response {
    render(status, &Message { title, message })
}

/// Where a browser sign-in ends: the app, with the new session's cookie.
pub fn signed_in(
    state: &crate::state::AppState,
    session: &palisade_auth::browser_session::BrowserSession,
) -> Response {
    let mut response = axum::response::Redirect::to("/app").into_response();
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
